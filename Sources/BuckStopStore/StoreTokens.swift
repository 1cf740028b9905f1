import Crypto

/// Secrets (session cookies, API tokens) are stored only as their SHA-256.
public enum StoreTokens {
    public static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }
}
