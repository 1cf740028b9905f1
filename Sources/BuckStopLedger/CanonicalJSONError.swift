/// Why bytes were rejected by `CanonicalJSON.decode` / `decodeCanonical`, and where.
public struct CanonicalJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case unexpectedEndOfInput
        /// A byte that cannot start or continue the expected token.
        case unexpectedByte(UInt8)
        /// Numbers must be integers: no fraction, no exponent.
        case floatNotAllowed
        /// Leading zeros, a lone `-`, or `-0`.
        case invalidNumber
        /// An integer outside `Int64`.
        case numberOutOfRange
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A `\u` escape naming a lone UTF-16 surrogate.
        case loneSurrogate
        /// Control characters U+0000–U+001F must be escaped inside strings.
        case unescapedControlCharacter(UInt8)
        case invalidUTF8
        /// The same (canonically equivalent) key twice in one object.
        case duplicateKey(String)
        /// More than `CanonicalJSON.maximumDepth` nested arrays/objects.
        case nestingTooDeep
        /// Non-whitespace after the top-level value.
        case trailingData
        /// Valid JSON, but not byte-identical to its canonical encoding from this offset on.
        case notCanonical
    }

    /// Byte offset (0-based) into the input where the problem was detected.
    public let offset: Int
    public let reason: Reason

    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEndOfInput: what = "unexpected end of input"
        case .unexpectedByte(let b): what = "unexpected byte 0x\(String(b, radix: 16))"
        case .floatNotAllowed: what = "floating-point numbers are not allowed (integers only)"
        case .invalidNumber: what = "invalid number (leading zero, lone '-', or -0)"
        case .numberOutOfRange: what = "integer does not fit in 64 bits"
        case .invalidEscape: what = "invalid escape sequence"
        case .loneSurrogate: what = "\\u escape is a lone UTF-16 surrogate"
        case .unescapedControlCharacter(let b): what = "unescaped control character 0x\(String(b, radix: 16)) in string"
        case .invalidUTF8: what = "invalid UTF-8"
        case .duplicateKey(let key): what = "duplicate object key \"\(key)\""
        case .nestingTooDeep: what = "nesting deeper than \(CanonicalJSON.maximumDepth)"
        case .trailingData: what = "unexpected data after the JSON value"
        case .notCanonical: what = "not in canonical form"
        }
        return "invalid ledger JSON at byte offset \(offset): \(what)"
    }
}
