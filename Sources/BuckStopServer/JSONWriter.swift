import Foundation
import NIOCore

/// Writes the API's plain objects (`[String: Any]` trees of strings, integers, doubles, booleans, `NSNull`, arrays and
/// dictionaries) as JSON with sorted keys, straight into a byte buffer. Foundation's `JSONSerialization` does the same
/// through NSString comparisons and bridging, and was the largest single cost of an append's answer.
enum JSONWriter {
    struct UnsupportedValue: Error, CustomStringConvertible {
        let type: String
        var description: String { "JSON: cannot write a value of type \(type)" }
    }

    static func write(_ value: Any, into buffer: inout ByteBuffer) throws {
        switch value {
        case let s as String: writeString(s, into: &buffer)
        case let d as [String: Any]:
            buffer.writeInteger(UInt8(ascii: "{"))
            var first = true
            for key in d.keys.sorted() {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                try write(d[key]!, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        case let a as [Any]:
            buffer.writeInteger(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                try write(element, into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case is NSNull: buffer.writeString("null")
        default:
            // Exact Swift types first: on Linux an NSNumber casts to Bool and Int alike, so the order matters.
            let t = Swift.type(of: value)
            if t == Bool.self, let b = value as? Bool {
                buffer.writeString(b ? "true" : "false")
            } else if t == Int.self, let i = value as? Int {
                buffer.writeString(String(i))
            } else if t == Int64.self, let i = value as? Int64 {
                buffer.writeString(String(i))
            } else if t == Int32.self, let i = value as? Int32 {
                buffer.writeString(String(i))
            } else if t == UInt32.self, let i = value as? UInt32 {
                buffer.writeString(String(i))
            } else if t == Double.self, let x = value as? Double {
                guard x.isFinite else { throw UnsupportedValue(type: "non-finite Double") }
                buffer.writeString("\(x)")
            } else if let n = value as? NSNumber {
                // Parsed JSON (JSONSerialization): booleans have the objCType "c".
                if String(cString: n.objCType) == "c" {
                    buffer.writeString(n.boolValue ? "true" : "false")
                } else {
                    buffer.writeString(n.stringValue)
                }
            } else {
                throw UnsupportedValue(type: String(describing: t))
            }
        }
    }

    /// RFC 8259 escaping: quote, backslash and control characters; everything else as UTF-8.
    static func writeString(_ s: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var needs = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            needs = true
            break
        }
        if !needs {
            buffer.writeString(s)
        } else {
            for b in s.utf8 {
                switch b {
                case 0x22: buffer.writeStaticString("\\\"")
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hex[Int(b >> 4)])
                    buffer.writeInteger(hex[Int(b & 0xF)])
                default: buffer.writeInteger(b)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    static func data(_ value: Any) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(512)
        try write(value, into: &buffer)
        return buffer
    }
}
