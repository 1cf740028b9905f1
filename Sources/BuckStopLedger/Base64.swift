/// Strict RFC 4648 base64 (standard alphabet, `=` padding) for checkpoint text.
///
/// Why hand-rolled: decoding must be strict — no whitespace, no missing padding, no non-zero
/// trailing bits — so each byte string has exactly one accepted text form and a signed text
/// cannot be re-encoded into a different but "equal" one. It also keeps the pure target free
/// of `Data` round trips.
enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        let outCount = (bytes.count + 2) / 3 * 4
        return String(unsafeUninitializedCapacity: outCount) { out in
            var o = 0
            var i = 0
            while i + 3 <= bytes.count {
                let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out[o] = alphabet[Int(n >> 18 & 63)]
                out[o + 1] = alphabet[Int(n >> 12 & 63)]
                out[o + 2] = alphabet[Int(n >> 6 & 63)]
                out[o + 3] = alphabet[Int(n & 63)]
                i += 3
                o += 4
            }
            let rest = bytes.count - i
            if rest > 0 {
                var n = UInt32(bytes[i]) << 16
                if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
                out[o] = alphabet[Int(n >> 18 & 63)]
                out[o + 1] = alphabet[Int(n >> 12 & 63)]
                out[o + 2] = rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "=")
                out[o + 3] = UInt8(ascii: "=")
                o += 4
            }
            return o
        }
    }

    static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// Returns `nil` unless `text` is the one canonical padded encoding of some byte string.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let units = Array(text.utf8)
        guard units.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(units.count / 4 * 3)
        var i = 0
        while i < units.count {
            let isLast = i + 4 == units.count
            let c0 = reverse[Int(units[i])]
            let c1 = reverse[Int(units[i + 1])]
            guard c0 != 0xFF, c1 != 0xFF else { return nil }
            let pad2 = units[i + 2] == UInt8(ascii: "=")
            let pad3 = units[i + 3] == UInt8(ascii: "=")
            if pad2 || pad3 {
                // Padding only in the final quantum, and "x=" then "=" is the only valid shape.
                guard isLast, pad3 else { return nil }
                if pad2 {
                    guard c1 & 0x0F == 0 else { return nil }
                    out.append(c0 << 2 | c1 >> 4)
                } else {
                    let c2 = reverse[Int(units[i + 2])]
                    guard c2 != 0xFF, c2 & 0x03 == 0 else { return nil }
                    out.append(c0 << 2 | c1 >> 4)
                    out.append(c1 << 4 | c2 >> 2)
                }
            } else {
                let c2 = reverse[Int(units[i + 2])]
                let c3 = reverse[Int(units[i + 3])]
                guard c2 != 0xFF, c3 != 0xFF else { return nil }
                out.append(c0 << 2 | c1 >> 4)
                out.append(c1 << 4 | c2 >> 2)
                out.append(c2 << 6 | c3)
            }
            i += 4
        }
        return out
    }
}
