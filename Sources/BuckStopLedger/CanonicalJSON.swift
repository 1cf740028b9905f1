import Foundation

/// The one byte representation of a `JSONValue` that ledger entries are hashed and signed over.
///
/// Why: two programs (or two versions of this one) must produce identical bytes for the same
/// entry, or its leaf hash — and every root after it — would not reproduce. The rules follow
/// RFC 8785 (JCS) where they apply, with three deliberate differences, marked (≠ JCS):
///
/// - Object members sorted by the **UTF-8 bytes** of their keys (≠ JCS, which sorts by UTF-16 code units;
///   the orders differ only for keys mixing U+E000–U+FFFF with supplementary characters).
/// - Every string, keys and values, normalised to Unicode **NFC** first (≠ JCS), so "Nguyễn" typed with
///   combining marks and precomposed encodes identically.
/// - **Integers only** (`Int64`, ≠ JCS), in plain decimal: `-` sign, no leading zeros, no `+`, no
///   fraction or exponent. No floats means no NaN/Infinity and no float formatting rules.
/// - No insignificant whitespace; `true`, `false`, `null`.
/// - Strings escape only what JSON requires, as JCS does: `\"`, `\\`, `\b \t \n \f \r`, and other
///   U+0000–U+001F as `\u00xx` (lowercase hex). Everything else, including `/`, DEL and
///   non-ASCII, is written as raw UTF-8.
public enum CanonicalJSON {
    /// Deepest nesting of arrays/objects `decode` accepts (protects the recursive parser's stack).
    public static let maximumDepth = 512

    /// Canonical UTF-8 bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = Writer()
        writer.out.reserveCapacity(estimatedSize(value))
        writer.write(value)
        return writer.out
    }

    /// Canonical bytes of any `Encodable` (via `JSONEncoder` and `decode`).
    ///
    /// Convenient for domain types; fails if the type encodes non-integer numbers (e.g. a `Double`
    /// or a `Date` with the default strategy), which is the point.
    public static func encode(encodable value: some Encodable) throws -> [UInt8] {
        let json = try JSONEncoder().encode(value)
        return encode(try decode(Array(json)))
    }

    /// Parses RFC 8259 JSON into a `JSONValue`, accepting insignificant whitespace and any member
    /// order, but nothing `JSONValue` cannot hold: only integers fitting `Int64`, only valid
    /// UTF-8, no lone surrogates, no duplicate keys (canonically equivalent keys are duplicates).
    ///
    /// - Throws: `CanonicalJSONError` with the byte offset of the first problem.
    public static func decode(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.pos == buffer.count else {
                throw CanonicalJSONError(offset: parser.pos, reason: .trailingData)
            }
            return value
        }
    }

    /// `decode`, and additionally require `bytes` to be exactly `encode` of the result — what a
    /// verifier re-hashing stored entries wants.
    public static func decodeCanonical(_ bytes: [UInt8]) throws -> JSONValue {
        let value = try decode(bytes)
        let canonical = encode(value)
        if canonical != bytes {
            var i = 0
            while i < bytes.count && i < canonical.count && bytes[i] == canonical[i] { i += 1 }
            throw CanonicalJSONError(offset: i, reason: .notCanonical)
        }
        return value
    }

    /// Whether `bytes` is the canonical encoding of some `JSONValue`.
    public static func isCanonical(_ bytes: [UInt8]) -> Bool {
        (try? decodeCanonical(bytes)) != nil
    }

    // MARK: - Encoding

    /// Output size guess (exact for ASCII content without escapes), so the buffer grows rarely.
    private static func estimatedSize(_ value: JSONValue) -> Int {
        switch value {
        case .null: return 4
        case .bool(let b): return b ? 4 : 5
        case .int: return 20
        case .string(let s): return s.utf8.count + 2
        case .array(let items):
            var n = 2 + max(0, items.count - 1)
            for item in items { n += estimatedSize(item) }
            return n
        case .object(let members):
            var n = 2 + max(0, members.count - 1)
            for (key, item) in members { n += key.utf8.count + 3 + estimatedSize(item) }
            return n
        }
    }

    private struct Writer {
        var out: [UInt8] = []

        mutating func write(_ value: JSONValue) {
            switch value {
            case .null: out.append(contentsOf: Self.nullBytes)
            case .bool(let b): out.append(contentsOf: b ? Self.trueBytes : Self.falseBytes)
            case .int(let n): writeInt(n)
            case .string(let s): writeString(CanonicalJSON.nfc(s))
            case .array(let items):
                out.append(UInt8(ascii: "["))
                var first = true
                for item in items {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    write(item)
                }
                out.append(UInt8(ascii: "]"))
            case .object(let members):
                // Sort the (normalised) keys alone and look values up: cheaper than sorting
                // (key, value) pairs, which costs a retain/release pair per move.
                var keys = [String]()
                keys.reserveCapacity(members.count)
                for key in members.keys { keys.append(CanonicalJSON.nfc(key)) }
                keys.sort(by: CanonicalJSON.utf8Precedes)
                out.append(UInt8(ascii: "{"))
                var first = true
                for key in keys {
                    if !first { out.append(UInt8(ascii: ",")) }
                    first = false
                    writeString(key)
                    out.append(UInt8(ascii: ":"))
                    // Lookup by the NFC key works because String equality (and hashing) is
                    // canonical equivalence.
                    write(members[key]!)
                }
                out.append(UInt8(ascii: "}"))
            }
        }

        mutating func writeInt(_ n: Int64) {
            if n < 0 { out.append(UInt8(ascii: "-")) }
            var magnitude = n.magnitude
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
                var i = 20
                repeat {
                    i -= 1
                    digits[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                    magnitude /= 10
                } while magnitude != 0
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
            }
        }

        /// Writes an already-NFC string with JCS escaping; unescaped runs are copied in bulk.
        mutating func writeString(_ string: String) {
            var string = string
            out.append(UInt8(ascii: "\""))
            string.withUTF8 { bytes in
                var runStart = 0
                for i in 0..<bytes.count {
                    let b = bytes[i]
                    guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                    if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                    runStart = i + 1
                    out.append(UInt8(ascii: "\\"))
                    switch b {
                    case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                    case 0x08: out.append(UInt8(ascii: "b"))
                    case 0x09: out.append(UInt8(ascii: "t"))
                    case 0x0A: out.append(UInt8(ascii: "n"))
                    case 0x0C: out.append(UInt8(ascii: "f"))
                    case 0x0D: out.append(UInt8(ascii: "r"))
                    default:
                        out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                        out.append(Self.hexDigits[Int(b >> 4)])
                        out.append(Self.hexDigits[Int(b & 0x0F)])
                    }
                }
                if runStart < bytes.count {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
                }
            }
            out.append(UInt8(ascii: "\""))
        }

        static let nullBytes: [UInt8] = Array("null".utf8)
        static let trueBytes: [UInt8] = Array("true".utf8)
        static let falseBytes: [UInt8] = Array("false".utf8)
        static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    }

    /// NFC form of `s`, skipping the (comparatively slow) Foundation call for strings that are
    /// provably NFC already: those whose scalars all lie in U+0000–U+02FF or U+1E00–U+1EFF.
    /// That covers ASCII and precomposed Vietnamese. No scalar in those ranges is a combining
    /// mark, has NFC_Quick_Check ≠ Yes, or is the second element of a canonical composition, so
    /// such a string cannot change under NFC (checked against the Unicode data with Python's
    /// `unicodedata`, and by `CanonicalJSONTests.nfcFastPathRangesAreStable`).
    static func nfc(_ s: String) -> String {
        var s = s
        let isASCII = s.withUTF8 { bytes in
            var acc: UInt8 = 0
            for b in bytes { acc |= b }
            return acc < 0x80
        }
        if isASCII { return s }
        if s.unicodeScalars.allSatisfy({ isStableUnderNFC($0.value) }) { return s }
        return s.precomposedStringWithCanonicalMapping
    }

    @inline(__always)
    static func isStableUnderNFC(_ scalar: UInt32) -> Bool {
        scalar < 0x0300 || (scalar >= 0x1E00 && scalar < 0x1F00)
    }

    /// Byte-wise comparison of UTF-8 representations (`memcmp` order), without copying.
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { ab in
            b.utf8.withContiguousStorageIfAvailable { bb -> Bool in
                let n = min(ab.count, bb.count)
                var i = 0
                while i < n {
                    if ab[i] != bb[i] { return ab[i] < bb[i] }
                    i += 1
                }
                return ab.count < bb.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    // MARK: - Decoding

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var pos = 0
        /// Reused buffer for strings that contain escapes.
        var scratch: [UInt8] = []
        /// The members of the objects being parsed, innermost last, each with the offset of its key.
        var pending: [(key: String, value: JSONValue, at: Int)] = []

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        func fail(_ reason: CanonicalJSONError.Reason, at offset: Int? = nil) -> CanonicalJSONError {
            CanonicalJSONError(offset: offset ?? pos, reason: reason)
        }

        mutating func skipWhitespace() {
            while pos < bytes.count {
                switch bytes[pos] {
                case 0x20, 0x09, 0x0A, 0x0D: pos += 1
                default: return
                }
            }
        }

        func peek() throws -> UInt8 {
            guard pos < bytes.count else { throw fail(.unexpectedEndOfInput) }
            return bytes[pos]
        }

        mutating func expect(_ byte: UInt8) throws {
            let b = try peek()
            guard b == byte else { throw fail(.unexpectedByte(b)) }
            pos += 1
        }

        mutating func parseValue(depth: Int) throws -> JSONValue {
            let b = try peek()
            switch b {
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try parseInt())
            default: throw fail(.unexpectedByte(b))
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for expected in text {
                guard pos < bytes.count else { throw fail(.unexpectedEndOfInput) }
                guard bytes[pos] == expected else { throw fail(.unexpectedByte(bytes[pos])) }
                pos += 1
            }
        }

        mutating func parseInt() throws -> Int64 {
            let start = pos
            var negative = false
            if bytes[pos] == UInt8(ascii: "-") {
                negative = true
                pos += 1
            }
            guard pos < bytes.count else { throw fail(.unexpectedEndOfInput) }
            let firstDigit = pos
            guard bytes[pos] >= UInt8(ascii: "0") && bytes[pos] <= UInt8(ascii: "9") else {
                throw fail(.invalidNumber, at: start)
            }
            let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
            var magnitude: UInt64 = 0
            var overflow = false
            while pos < bytes.count, bytes[pos] >= UInt8(ascii: "0"), bytes[pos] <= UInt8(ascii: "9") {
                let digit = UInt64(bytes[pos] - UInt8(ascii: "0"))
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 || s > limit { overflow = true }
                magnitude = s
                pos += 1
            }
            if pos < bytes.count {
                switch bytes[pos] {
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): throw fail(.floatNotAllowed)
                default: break
                }
            }
            // No leading zeros ("0" alone is fine), no "-0".
            if bytes[firstDigit] == UInt8(ascii: "0") && (pos - firstDigit > 1 || negative) {
                throw fail(.invalidNumber, at: start)
            }
            if overflow { throw fail(.numberOutOfRange, at: start) }
            return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
        }

        mutating func parseString() throws -> String {
            pos += 1  // opening quote
            let start = pos
            var hasEscapes = false
            scratch.removeAll(keepingCapacity: true)
            while true {
                guard pos < bytes.count else { throw fail(.unexpectedEndOfInput) }
                let b = bytes[pos]
                if b == UInt8(ascii: "\"") {
                    let result: String
                    if hasEscapes {
                        result = String(decoding: scratch, as: UTF8.self)
                    } else {
                        result = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                    }
                    pos += 1
                    return result
                } else if b == UInt8(ascii: "\\") {
                    if !hasEscapes {
                        hasEscapes = true
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
                    }
                    try parseEscape()
                } else if b < 0x20 {
                    throw fail(.unescapedControlCharacter(b))
                } else if b < 0x80 {
                    if hasEscapes { scratch.append(b) }
                    pos += 1
                } else {
                    let sequenceStart = pos
                    try skipUTF8Sequence()
                    if hasEscapes {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<pos]))
                    }
                }
            }
        }

        /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
        mutating func skipUTF8Sequence() throws {
            let start = pos
            let b0 = bytes[pos]
            let count: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: count = 1
            case 0xE0:
                count = 2
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 2
            case 0xED:
                count = 2
                high = 0x9F
            case 0xF0:
                count = 3
                low = 0x90
            case 0xF1...0xF3: count = 3
            case 0xF4:
                count = 3
                high = 0x8F
            default: throw fail(.invalidUTF8, at: start)
            }
            pos += 1
            for i in 0..<count {
                guard pos < bytes.count else { throw fail(.invalidUTF8, at: start) }
                let b = bytes[pos]
                let ok = i == 0 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xBF)
                guard ok else { throw fail(.invalidUTF8, at: start) }
                pos += 1
            }
        }

        mutating func parseEscape() throws {
            let start = pos
            pos += 1  // backslash
            guard pos < bytes.count else { throw fail(.unexpectedEndOfInput) }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4(escapeStart: start)
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u")
                    else { throw fail(.loneSurrogate, at: start) }
                    let lowStart = pos
                    pos += 2
                    let low = try parseHex4(escapeStart: lowStart)
                    guard low >= 0xDC00 && low <= 0xDFFF else { throw fail(.loneSurrogate, at: start) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw fail(.loneSurrogate, at: start)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail(.loneSurrogate, at: start) }
                scratch.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw fail(.invalidEscape, at: start)
            }
        }

        mutating func parseHex4(escapeStart: Int) throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard pos < bytes.count else { throw fail(.unexpectedEndOfInput) }
                let c = bytes[pos]
                let nibble: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
                default: throw fail(.invalidEscape, at: escapeStart)
                }
                value = value << 4 | UInt32(nibble)
                pos += 1
            }
            return value
        }

        mutating func parseArray(depth: Int) throws -> JSONValue {
            guard depth <= CanonicalJSON.maximumDepth else { throw fail(.nestingTooDeep) }
            pos += 1  // [
            var items = [JSONValue]()
            skipWhitespace()
            if try peek() == UInt8(ascii: "]") {
                pos += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth))
                skipWhitespace()
                let b = try peek()
                pos += 1
                if b == UInt8(ascii: "]") { return .array(items) }
                guard b == UInt8(ascii: ",") else { throw fail(.unexpectedByte(b), at: pos - 1) }
            }
        }

        mutating func parseObject(depth: Int) throws -> JSONValue {
            guard depth <= CanonicalJSON.maximumDepth else { throw fail(.nestingTooDeep) }
            pos += 1  // {
            skipWhitespace()
            if try peek() == UInt8(ascii: "}") {
                pos += 1
                return .object([:])
            }
            let base = pending.count
            defer { pending.removeLast(pending.count - base) }
            do {
                while true {
                    skipWhitespace()
                    let keyStart = pos
                    let b = try peek()
                    guard b == UInt8(ascii: "\"") else { throw fail(.unexpectedByte(b)) }
                    let key = try parseString()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                    let value = try parseValue(depth: depth)
                    pending.append((key, value, keyStart))
                    skipWhitespace()
                    let next = try peek()
                    pos += 1
                    if next == UInt8(ascii: "}") { return .object(try members(from: base)) }
                    guard next == UInt8(ascii: ",") else { throw fail(.unexpectedByte(next), at: pos - 1) }
                }
            } catch {
                // A duplicate key before the problem is the first problem, as when each key was checked as it came.
                _ = try members(from: base)
                throw error
            }
        }

        /// The object of the members pending from `base`, made with room for all of them at once (growing it member by
        /// member rehashed it several times, a third of decoding a ledger entry); the first key equal to an earlier
        /// one — canonically equivalent, as `String` compares — is a duplicate.
        func members(from base: Int) throws -> [String: JSONValue] {
            var object = [String: JSONValue](minimumCapacity: pending.count - base)
            for member in pending[base...] {
                guard object.updateValue(member.value, forKey: member.key) == nil else {
                    throw fail(.duplicateKey(member.key), at: member.at)
                }
            }
            return object
        }
    }
}
