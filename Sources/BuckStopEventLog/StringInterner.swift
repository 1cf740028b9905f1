/// Interns byte strings (attribute values, case names, keys) into dense `UInt32` ids without creating a
/// `String` per occurrence: the readers hash the bytes where they lie in the input buffer, and only a
/// string seen for the first time is copied (into one arena). Id 0 is the empty string, which readers
/// use for "absent".
public struct StringInterner: Sendable {
    private struct Entry {
        var hash: UInt64
        var start: Int
        var length: Int
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing, linear probing; a slot holds the high 32 bits of the hash and id + 1 (0 = empty), so
    /// a probe rarely looks at an entry that does not match.
    private var slots: [UInt64]
    private var mask: Int
    private var drained = 1

    public init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        // id 0: empty string, arena[0..<0]
        entries.append(Entry(hash: Self.hash(UnsafeRawBufferPointer(start: nil, count: 0)), start: 0, length: 0))
    }

    /// Number of ids handed out, including id 0.
    public var count: Int { entries.count }

    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let n = bytes.count
        guard n > 0, let src = bytes.baseAddress else { return 0 }
        let h = Self.hash(bytes)
        let tag = h >> 32
        let mask = self.mask
        var i = Int(truncatingIfNeeded: h) & mask
        // Look up with plain pointers (no copy-on-write checks, no bounds checks in the probe loop).
        let found: Int = slots.withUnsafeBufferPointer { s in
            entries.withUnsafeBufferPointer { e in
                arena.withUnsafeBytes { a in
                    while true {
                        let slot = s[i]
                        if slot == 0 { return -1 }
                        if slot >> 32 == tag {
                            let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                            let entry = e[id]
                            if entry.length == n, let base = a.baseAddress, memcmpBytes(base + entry.start, src, n) {
                                return id
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
        if found >= 0 { return UInt32(truncatingIfNeeded: found) }
        let id = entries.count
        entries.append(Entry(hash: h, start: arena.count, length: n))
        arena.append(contentsOf: bytes)
        slots[i] = tag << 32 | UInt64(id + 1)
        if entries.count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    public mutating func intern(_ string: String) -> UInt32 {
        var s = string
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The string of an id (decoded as UTF-8; readers validate before interning).
    public func string(_ id: UInt32) -> String {
        let entry = entries[Int(id)]
        return arena[entry.start..<entry.start + entry.length].withUnsafeBufferPointer {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The strings interned since the last call, as (id of the first, strings in id order).
    public mutating func takeNew() -> (first: UInt32, strings: [String]) {
        let first = drained
        var out: [String] = []
        out.reserveCapacity(entries.count - first)
        for id in first..<entries.count { out.append(string(UInt32(id))) }
        drained = entries.count
        return (UInt32(first), out)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for id in 1..<entries.count {
            let h = entries[id].hash
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = (h >> 32) << 32 | UInt64(id + 1)
        }
    }

    /// 64-bit multiply-mix hash over 8-byte words (wyhash-style); fast on short attribute values: the tail is
    /// read with (overlapping) word loads rather than byte by byte.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        guard n > 0, let p = bytes.baseAddress else { return mix(h, 0x2545_F491_4F6C_DD1D) }
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xBF58_476D_1CE4_E5B9)
                i += 8
            }
            if i < n {
                h = mix(h ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), 0x94D0_49BB_1331_11EB)
            }
        } else if n >= 4 {
            let w = UInt64(p.loadUnaligned(as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
            h = mix(h ^ w, 0x94D0_49BB_1331_11EB)
        } else {
            let w =
                UInt64(p.load(as: UInt8.self)) << 16 | UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
            h = mix(h ^ w, 0x94D0_49BB_1331_11EB)
        }
        return mix(h, 0x2545_F491_4F6C_DD1D)
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let m = a.multipliedFullWidth(by: b)
        return m.high ^ m.low
    }
}

@inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
