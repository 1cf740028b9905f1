import Crypto

/// Secrets (session cookies, API tokens) are stored only as their SHA-256.
public enum StoreTokens {
    public static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    /// How a ledger entry names the web session that wrote it: the first 16 hex digits of the stored hash, enough to
    /// find the session's row (who logged in, when) without putting the secret on the ledger.
    public static func sessionID(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: hash(token).prefix(8).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }, as: UTF8.self)
    }
}
