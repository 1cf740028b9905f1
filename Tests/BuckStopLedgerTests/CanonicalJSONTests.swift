import BuckStopLedger
import Foundation
import PropertyBased
import Testing

@Suite struct CanonicalJSONTests {
    static func text(_ value: JSONValue) -> String { String(decoding: CanonicalJSON.encode(value), as: UTF8.self) }

    @Test func scalarsAndNesting() {
        #expect(Self.text(.null) == "null")
        #expect(Self.text(true) == "true")
        #expect(Self.text(false) == "false")
        #expect(
            Self.text([0, -1, 1, .int(Int64.max), .int(Int64.min)])
                == "[0,-1,1,9223372036854775807,-9223372036854775808]")
        #expect(
            Self.text(["b": [true, false, nil, ["y": "x"]], "a": [:], "c": []])
                == #"{"a":{},"b":[true,false,null,{"y":"x"}],"c":[]}"#)
        #expect(Self.text("") == #""""#)
    }

    @Test func keysAreSortedByUTF8Bytes() {
        let value: JSONValue = [
            "b": 1, "a": 2, "aa": 3, "A": 4, "": 5, "z": 6, "\u{7F}": 7, "é": 8, "€": 9, "｡": 10, "😀": 11,
        ]
        // UTF-8 order: "" < "A" < "a" < "aa" < "b" < "z" < DEL < "é" (C3) < "€" (E2) < "｡" (EF BD A1)
        // < "😀" (F0 9F 98 80). (RFC 8785's UTF-16 order would put "😀" (D83D) before "｡" (FF61).)
        #expect(Self.text(value) == "{\"\":5,\"A\":4,\"a\":2,\"aa\":3,\"b\":1,\"z\":6,\"\u{7F}\":7,\"é\":8,\"€\":9,\"｡\":10,\"😀\":11}")
    }

    @Test func stringsAreNFCNormalised() {
        let composed = "Nguy\u{1EC5}n"  // "Nguyễn" with U+1EC5
        let decomposed = "Nguye\u{0302}\u{0303}n"  // e + combining circumflex + combining tilde
        #expect(composed.utf8.count != decomposed.utf8.count)  // the inputs really differ as bytes
        let expected: [UInt8] = [0x22] + Array("Nguy".utf8) + [0xE1, 0xBB, 0x85] + Array("n".utf8) + [0x22]
        #expect(CanonicalJSON.encode(.string(composed)) == expected)
        #expect(CanonicalJSON.encode(.string(decomposed)) == expected)
        // Keys too, and sorting happens on the normalised key: NFC "é" (C3 A9) sorts after "f",
        // although decomposed "e\u{301}" (65 CC 81) would sort before it.
        #expect(CanonicalJSON.encode(.object([decomposed: 1])) == CanonicalJSON.encode(.object([composed: 1])))
        #expect(Self.text(["f": 1, "e\u{301}": 2]) == "{\"f\":1,\"\u{E9}\":2}")
        // Decoding the decomposed bytes and re-encoding yields the composed form.
        let raw = Array("[\"\(decomposed)\"]".utf8)
        #expect(CanonicalJSON.encode(try! CanonicalJSON.decode(raw)) == [0x5B] + expected + [0x5D])
        #expect(!CanonicalJSON.isCanonical(raw))
    }

    /// `CanonicalJSON` skips normalisation for strings made only of U+0000–U+02FF and
    /// U+1E00–U+1EFF. Black-box check against Foundation's NFC: every such character alone, each
    /// followed by a sample of the others, and each followed by common combining marks (which
    /// take the string off the fast path) must encode exactly like its NFC form.
    @Test func nfcFastPathRangesAreStable() {
        let scalars = (0..<0x300).map { UInt32($0) } + (0x1E00..<0x1F00).map { UInt32($0) }
        let followers = stride(from: 0, to: scalars.count, by: 29).map { scalars[$0] } + [0x300, 0x301, 0x302, 0x303, 0x309, 0x323]
        var wrong: [String] = []
        for value in scalars {
            let single = String(UnicodeScalar(value)!)
            for s in [single] + followers.map({ single + String(UnicodeScalar($0)!) }) {
                let nfc = s.precomposedStringWithCanonicalMapping
                let inFastPath = s.unicodeScalars.allSatisfy { $0.value < 0x300 || (0x1E00..<0x1F00).contains($0.value) }
                // The assumption itself, and the encoder's observable behaviour.
                if (inFastPath && Array(nfc.unicodeScalars) != Array(s.unicodeScalars))
                    || CanonicalJSON.encode(.string(s)) != CanonicalJSON.encode(.string(nfc))
                {
                    wrong.append(s.unicodeScalars.map { "U+" + String($0.value, radix: 16) }.joined(separator: " "))
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
        // Outside the fast path, normalisation still happens: "ễ" decomposed, and U+212B ANGSTROM SIGN.
        #expect(Self.text("e\u{302}\u{303}") == "\"\u{1EC5}\"")
        #expect(CanonicalJSON.encode("\u{212B}") == [0x22, 0xC3, 0x85, 0x22])
    }

    @Test func escapes() throws {
        let s = "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\"\\/\u{7F}\u{2028}é😀 "
        let expected = #""\u0000\u0001\b\t\n\u000b\f\r\u001f\"\\/"# + "\u{7F}\u{2028}é😀 \""
        #expect(Self.text(.string(s)) == expected)
        #expect(try CanonicalJSON.decode(Array(expected.utf8)) == .string(s))
        // Every control character: short escapes where JSON has them, \u00xx (lowercase) otherwise.
        for c in 0..<0x20 {
            let encoded = Self.text(.string(String(UnicodeScalar(UInt8(c)))))
            switch c {
            case 0x08: #expect(encoded == #""\b""#)
            case 0x09: #expect(encoded == #""\t""#)
            case 0x0A: #expect(encoded == #""\n""#)
            case 0x0C: #expect(encoded == #""\f""#)
            case 0x0D: #expect(encoded == #""\r""#)
            default: #expect(encoded == "\"\\u00" + (c < 0x10 ? "0" : "") + String(c, radix: 16) + "\"")
            }
        }
    }

    @Test func decodeAcceptsAnyValidFormAndCanonicalCheckNamesTheOffset() throws {
        let loose = Array(" { \"b\" : [ 1 , \"\\u0041\\/\\ud83d\\ude00\" ] ,\n\"a\":0, \"c\": null}\t".utf8)
        let value = try CanonicalJSON.decode(loose)
        #expect(value == ["a": 0, "b": [1, "A/😀"], "c": nil])
        #expect(Self.text(value) == #"{"a":0,"b":[1,"A/😀"],"c":null}"#)
        #expect(try CanonicalJSON.decodeCanonical(CanonicalJSON.encode(value)) == value)

        let notCanonical: [(String, Int)] = [
            (#"{"b":1,"a":2}"#, 2),
            ("[1, 2]", 3),
            (#""\/""#, 1),
            (#""\u0041""#, 1),
            (" 1", 0),
            ("1 ", 1),
        ]
        for (text, offset) in notCanonical {
            #expect(throws: CanonicalJSONError(offset: offset, reason: .notCanonical), "\(text)") {
                try CanonicalJSON.decodeCanonical(Array(text.utf8))
            }
        }
    }

    @Test func decodeErrorsNameTheByteOffset() {
        let cases: [([UInt8], CanonicalJSONError)] = [
            (Array(#"{"a":1.5}"#.utf8), .init(offset: 6, reason: .floatNotAllowed)),
            (Array("1e5".utf8), .init(offset: 1, reason: .floatNotAllowed)),
            (Array("[1,2".utf8), .init(offset: 4, reason: .unexpectedEndOfInput)),
            (Array("".utf8), .init(offset: 0, reason: .unexpectedEndOfInput)),
            (Array(#"{"a":1,"a":2}"#.utf8), .init(offset: 7, reason: .duplicateKey("a"))),
            (Array("{\"\u{E9}\":1,\"e\u{301}\":2}".utf8), .init(offset: 8, reason: .duplicateKey("e\u{301}"))),
            // Members are gathered and the object made at its end: a duplicate is still the first problem when a later
            // byte is wrong, the first repeated key is the one named, and the same key in two objects is no duplicate.
            (Array(#"{"a":1,"b":2,"a":3,"b":4 x"#.utf8), .init(offset: 13, reason: .duplicateKey("a"))),
            (Array(#"{"a":1,"a":{"b":1,"b":2}}"#.utf8), .init(offset: 18, reason: .duplicateKey("b"))),
            (Array(#"{"a":{"b":1},"c":{"b":1},"c":2}"#.utf8), .init(offset: 25, reason: .duplicateKey("c"))),
            (Array(#"{"a":1,"a":2,"#.utf8), .init(offset: 7, reason: .duplicateKey("a"))),
            (Array(#"{"a":1,"b":[1,}"#.utf8), .init(offset: 14, reason: .unexpectedByte(UInt8(ascii: "}")))),
            (Array(#""\ud800""#.utf8), .init(offset: 1, reason: .loneSurrogate)),
            (Array(#""\ud800\u0041""#.utf8), .init(offset: 1, reason: .loneSurrogate)),
            (Array(#"["x","\udc00"]"#.utf8), .init(offset: 6, reason: .loneSurrogate)),
            (Array(#""\x""#.utf8), .init(offset: 1, reason: .invalidEscape)),
            (Array(#""\u00g0""#.utf8), .init(offset: 1, reason: .invalidEscape)),
            (Array("[01]".utf8), .init(offset: 1, reason: .invalidNumber)),
            (Array("-0".utf8), .init(offset: 0, reason: .invalidNumber)),
            (Array("-a".utf8), .init(offset: 0, reason: .invalidNumber)),
            (Array("-".utf8), .init(offset: 1, reason: .unexpectedEndOfInput)),
            (Array("9223372036854775808".utf8), .init(offset: 0, reason: .numberOutOfRange)),
            (Array("[-9223372036854775809]".utf8), .init(offset: 1, reason: .numberOutOfRange)),
            ([0x22, 0x61, 0x01, 0x22], .init(offset: 2, reason: .unescapedControlCharacter(0x01))),
            ([0x22, 0xFF, 0x22], .init(offset: 1, reason: .invalidUTF8)),
            ([0x22, 0xC0, 0xAF, 0x22], .init(offset: 1, reason: .invalidUTF8)),  // overlong "/"
            ([0x22, 0x61, 0xED, 0xA0, 0x80, 0x22], .init(offset: 2, reason: .invalidUTF8)),  // UTF-8 surrogate
            ([0x22, 0xE2, 0x82, 0x22], .init(offset: 1, reason: .invalidUTF8)),  // truncated
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .init(offset: 1, reason: .invalidUTF8)),  // > U+10FFFF
            (Array("1 2".utf8), .init(offset: 2, reason: .trailingData)),
            (Array("tru".utf8), .init(offset: 3, reason: .unexpectedEndOfInput)),
            (Array("trux".utf8), .init(offset: 3, reason: .unexpectedByte(UInt8(ascii: "x")))),
            (Array(#"{"a" 1}"#.utf8), .init(offset: 5, reason: .unexpectedByte(UInt8(ascii: "1")))),
            (Array("[1,]".utf8), .init(offset: 3, reason: .unexpectedByte(UInt8(ascii: "]")))),
            (Array("{1:2}".utf8), .init(offset: 1, reason: .unexpectedByte(UInt8(ascii: "1")))),
            (Array("[1 2]".utf8), .init(offset: 3, reason: .unexpectedByte(UInt8(ascii: "2")))),
            (Array(String(repeating: "[", count: 513).utf8), .init(offset: 512, reason: .nestingTooDeep)),
        ]
        for (bytes, expected) in cases {
            #expect(throws: expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)") {
                try CanonicalJSON.decode(bytes)
            }
        }
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try CanonicalJSON.decode(Array(deepest.utf8)) }
        #expect(throws: Never.self) { try CanonicalJSON.decode(Array("-9223372036854775808".utf8)) }
        #expect(CanonicalJSONError(offset: 6, reason: .floatNotAllowed).description.contains("byte offset 6"))
    }

    @Test func codableBridgesAndEncodable() throws {
        struct Entry: Encodable {
            let name: String
            let amount: Int64
            let tags: [String]
            let note: String?
        }
        let entry = Entry(name: "Nguye\u{0302}\u{0303}n", amount: 1500, tags: ["a/b"], note: nil)
        #expect(
            String(decoding: try CanonicalJSON.encode(encodable: entry), as: UTF8.self)
                == #"{"amount":1500,"name":"Nguyễn","tags":["a/b"]}"#)
        struct Floaty: Encodable { let x: Double }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.encode(encodable: Floaty(x: 1.5)) }

        let value: JSONValue = ["k": [1, "two", true, nil, ["x": -3]]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data("[1.5]".utf8)) }
        #expect(value["k"] == [1, "two", true, nil, ["x": -3]])
        #expect(value["missing"] == nil)
    }

    // MARK: - Property: round trip over random values built from a generated "tape".

    static let pieces = [
        "", "a", "Z", "é", "e\u{301}", "Nguyễn", "Nguye\u{302}\u{303}n", "\"", "\\", "/", "\u{0}", "\u{1F}",
        "\n", "\u{7F}", "😀", "｡", "€", "\u{2028}", " ", "key",
    ]

    struct Tape {
        let values: [Int]
        var i = 0
        mutating func next() -> Int {
            defer { i += 1 }
            return i < values.count ? values[i] : 0
        }
    }

    static func string(_ tape: inout Tape) -> String {
        (0..<(tape.next() % 4)).map { _ in pieces[tape.next() % pieces.count] }.joined()
    }

    static func value(_ tape: inout Tape, depth: Int) -> JSONValue {
        let t = tape.next()
        switch t % (depth >= 4 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(t / 6 % 2 == 0)
        case 2: return .int(Int64(truncatingIfNeeded: UInt64(t) &* 0x9E37_79B9_7F4A_7C15))
        case 3: return .string(string(&tape))
        case 4: return .array((0..<(t / 6 % 5)).map { _ in value(&tape, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<(t / 6 % 5) { members[string(&tape)] = value(&tape, depth: depth + 1) }
            return .object(members)
        }
    }

    @Test func roundTripsRandomValues() async {
        await propertyCheck(count: 300, input: Gen<Int>.value(in: 0...Int.max).array(of: 1...120)) { tapeValues in
            var tape = Tape(values: tapeValues)
            let value = Self.value(&tape, depth: 0)
            let bytes = CanonicalJSON.encode(value)
            // decode ∘ encode = id, and encode is idempotent through decode.
            #expect(try CanonicalJSON.decode(bytes) == value)
            #expect(try CanonicalJSON.decodeCanonical(bytes) == value)
            #expect(CanonicalJSON.encode(try CanonicalJSON.decode(bytes)) == bytes)
            // Foundation's parser agrees with ours on the canonical bytes …
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
            // … and canonicalising Foundation's (pretty, "\/"-escaping) output gives the same bytes.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted]
            let pretty = try encoder.encode(value)
            #expect(CanonicalJSON.encode(try CanonicalJSON.decode(Array(pretty))) == bytes)
        }
    }
}
