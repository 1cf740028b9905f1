import Foundation
import Hummingbird
import NIOCore

/// An `application/x-www-form-urlencoded` body as fields; repeated names keep every value (multi-selects).
public struct FormFields: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    public subscript(_ name: String) -> String? { values[name]?.first }
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Reads a form body of at most 64 KiB.
    public static func read(_ request: Request) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return FormFields(String(buffer: buffer))
    }
}

extension Request {
    /// The value of a cookie, from the `Cookie` header.
    func cookie(_ name: String) -> String? {
        for header in headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0] == name { return String(kv[1]) }
            }
        }
        return nil
    }
}

/// Builds `Set-Cookie` values: HttpOnly and SameSite=Lax always, Secure when the server is behind TLS.
public struct CookieJar: Sendable {
    let secure: Bool

    func set(_ name: String, _ value: String, maxAge: Int, httpOnly: Bool = true) -> String {
        var s = "\(name)=\(value); Path=/; Max-Age=\(maxAge); SameSite=Lax"
        if httpOnly { s += "; HttpOnly" }
        if secure { s += "; Secure" }
        return s
    }

    func clear(_ name: String) -> String { set(name, "", maxAge: 0) }
}
