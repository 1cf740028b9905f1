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
    /// The value of a cookie, from the `Cookie` header (`name=value` pairs separated by `;` and optional spaces).
    /// Scans the bytes without building substrings: it runs several times on every request.
    func cookie(_ name: String) -> String? {
        let wanted = name.utf8
        for header in headers[values: .cookie] {
            var utf8 = header.utf8[...]
            while !utf8.isEmpty {
                while let first = utf8.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { utf8 = utf8.dropFirst() }
                let end = utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex
                let pair = utf8[utf8.startIndex..<end]
                if let eq = pair.firstIndex(of: UInt8(ascii: "=")), pair[pair.startIndex..<eq].elementsEqual(wanted) {
                    var value = pair[pair.index(after: eq)...]
                    while let last = value.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { value = value.dropLast() }
                    return value.isEmpty ? nil : String(Substring(value))
                }
                utf8 = end == utf8.endIndex ? utf8[end...] : utf8[utf8.index(after: end)...]
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
