/// Interns byte strings (attribute values, case names, keys) into dense `UInt32` ids without creating a
/// `String` per occurrence: the readers hash the bytes where they lie in the input buffer, and only a
/// string seen for the first time is copied (into one arena). Id 0 is the empty string, which readers
/// use for "absent".
public struct StringInterner: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = [0]
    /// Open addressing, linear probing; a slot holds id + 1 (0 = empty).
    private var slots: [UInt32]
    private var mask: Int
    private var drained = 1

    public init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        starts.append(0)  // id 0: empty string, arena[0..<0]
        hashes[0] = Self.hash(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Number of ids handed out, including id 0.
    public var count: Int { hashes.count }

    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        if bytes.count == 0 { return 0 }
        let h = Self.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            let id = Int(slot - 1)
            if hashes[id] == h && equals(id, bytes) { return UInt32(id) }
            i = (i + 1) & mask
        }
        let id = hashes.count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(h)
        slots[i] = UInt32(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    public mutating func intern(_ string: String) -> UInt32 {
        var s = string
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The string of an id (decoded as UTF-8; readers validate before interning).
    public func string(_ id: UInt32) -> String {
        let i = Int(id)
        return arena[starts[i]..<starts[i + 1]].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// The strings interned since the last call, as (id of the first, strings in id order).
    public mutating func takeNew() -> (first: UInt32, strings: [String]) {
        let first = drained
        var out: [String] = []
        out.reserveCapacity(hashes.count - first)
        for id in first..<hashes.count { out.append(string(UInt32(id))) }
        drained = hashes.count
        return (UInt32(first), out)
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { a in
            memcmpBytes(a.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for id in 1..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = UInt32(id + 1)
        }
    }

    /// 64-bit multiply-mix hash over 8-byte words (wyhash-style); fast on short attribute values.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = mix(h ^ w, 0xBF58_476D_1CE4_E5B9)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
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
