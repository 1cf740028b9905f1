import BuckStopDomain
import Crypto
import Foundation

/// The citizen's PIN and the short-lived proof that they entered it. The PIN is derived from the case code with a
/// key only the server holds (HMAC-SHA256), so nothing about it is stored and every server of a deployment gives
/// the same answer; guessing is stopped by rate limiting, not by the PIN's length.
public struct CitizenKeys: Sendable {
    let pinKey: SymmetricKey
    let cookieKey: SymmetricKey

    /// Derived from the store's data key with HKDF, one sub-key per use.
    public init(dataKey: [UInt8]) {
        let master = SymmetricKey(data: dataKey)
        pinKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("buckstop citizen pin v1".utf8), outputByteCount: 32)
        cookieKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("buckstop citizen cookie v1".utf8), outputByteCount: 32)
    }

    /// Six digits printed on the receipt.
    public func pin(for code: CaseID) -> String {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Array(code.rawValue.utf8), using: pinKey))
        let n = (UInt32(mac[0]) << 24 | UInt32(mac[1]) << 16 | UInt32(mac[2]) << 8 | UInt32(mac[3])) % 1_000_000
        let s = String(n)
        return String(repeating: "0", count: 6 - s.count) + s
    }

    /// Constant-time comparison of an entered PIN.
    public func check(pin entered: String, for code: CaseID) -> Bool {
        let expected = Array(pin(for: code).utf8)
        let given = Array(entered.trimmingCharacters(in: .whitespaces).utf8)
        guard given.count == expected.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<given.count { diff |= given[i] ^ expected[i] }
        return diff == 0
    }

    /// A cookie value granting access to one case until `expires` (seconds since the epoch).
    public func grant(_ code: CaseID, expires: Int64) -> String {
        let payload = "\(code.rawValue)|\(expires)"
        let mac = HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: cookieKey)
        return Data(payload.utf8).base64URL + "." + Data(mac).base64URL
    }

    /// The case a cookie grants, if its MAC is right and it has not expired.
    public func granted(_ cookie: String, now: Int64) -> CaseID? {
        let parts = cookie.split(separator: ".")
        guard parts.count == 2, let payloadData = Data(base64URL: String(parts[0])), let mac = Data(base64URL: String(parts[1])),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payloadData, using: cookieKey),
            let payload = String(data: payloadData, encoding: .utf8)
        else { return nil }
        let fields = payload.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 2, let expires = Int64(fields[1]), expires > now else { return nil }
        return CaseID(String(fields[0]))
    }
}

extension Data {
    /// Unpadded base64url (RFC 4648 §5), written byte by byte: every request's id is one, and Foundation's base64
    /// followed by three string replacements cost about 6 % of a server core at 3,000 requests/s (perf, bench-serve).
    public var base64URL: String {
        let alphabet = Data.base64URLAlphabet
        var out: [UInt8] = []
        out.reserveCapacity((count * 4 + 2) / 3)
        func sextet(_ n: UInt32, _ shift: UInt32) -> UInt8 { alphabet[Int((n >> shift) & 63)] }
        var i = startIndex
        while endIndex - i >= 3 {
            let n = UInt32(self[i]) << 16 | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2])
            out.append(contentsOf: [sextet(n, 18), sextet(n, 12), sextet(n, 6), sextet(n, 0)])
            i += 3
        }
        switch endIndex - i {
        case 1:
            let n = UInt32(self[i]) << 16
            out.append(contentsOf: [sextet(n, 18), sextet(n, 12)])
        case 2:
            let n = UInt32(self[i]) << 16 | UInt32(self[i + 1]) << 8
            out.append(contentsOf: [sextet(n, 18), sextet(n, 12), sextet(n, 6)])
        default: break
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public init?(base64URL: String) {
        var s = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }
}
