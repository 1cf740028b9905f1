import BuckStopLedger

/// Decodes a hex literal used in a test vector; traps on typos so a bad vector cannot pass silently.
func hexBytes(_ hex: String) -> [UInt8] {
    precondition(hex.utf8.count % 2 == 0, "odd-length hex literal")
    var out = [UInt8]()
    var it = hex.utf8.makeIterator()
    while let hi = it.next(), let lo = it.next() {
        guard let h = nibble(hi), let l = nibble(lo) else { preconditionFailure("bad hex literal \(hex)") }
        out.append(h << 4 | l)
    }
    return out
}

private func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: return c - 0x30
    case 0x61...0x66: return c - 0x61 + 10
    case 0x41...0x46: return c - 0x41 + 10
    default: return nil
    }
}

/// A `TreeHash` from a 64-character hex literal in a test vector.
func th(_ hex: String) -> TreeHash {
    guard let hash = TreeHash(hex: hex) else { preconditionFailure("not a 32-byte hex hash: \(hex)") }
    return hash
}

/// `hash` with bit `bit` of byte `byte` flipped.
func flipping(_ hash: TreeHash, byte: Int, bit: Int = 0) -> TreeHash {
    var bytes = hash.bytes
    bytes[byte] ^= UInt8(1) << UInt8(bit & 7)
    return TreeHash(bytes: bytes)!
}

/// Reference implementations written straight from the recursive definitions in RFC 9162 §2.1
/// (like `ReferenceMerkleTreeHash` / `ReferenceMerklePath` / `ReferenceSnapshotConsistency` in
/// google/certificate-transparency's merkle_tree_test.cc), used to cross-check the iterative,
/// store-backed code in `MerkleProofs`. Memoises MTH of sub-ranges to keep the tests fast.
final class ReferenceTree {
    let leafHashes: [TreeHash]
    private var memo: [Int: TreeHash] = [:]

    init(leafHashes: [TreeHash]) {
        self.leafHashes = leafHashes
    }

    /// Largest power of two strictly less than n (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH(D[start : start+count]).
    func mth(_ start: Int, _ count: Int) -> TreeHash {
        if count == 0 { return RFC9162.emptyRoot }
        if count == 1 { return leafHashes[start] }
        let key = start << 32 | count
        if let cached = memo[key] { return cached }
        let k = Self.split(count)
        let hash = RFC9162.nodeHash(mth(start, k), mth(start + k, count - k))
        memo[key] = hash
        return hash
    }

    /// PATH(m, D[start : start+n]).
    func path(_ m: Int, _ start: Int, _ n: Int) -> [TreeHash] {
        if n <= 1 { return [] }
        let k = Self.split(n)
        if m < k { return path(m, start, k) + [mth(start + k, n - k)] }
        return path(m - k, start + k, n - k) + [mth(start, k)]
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
    func proof(_ m: Int, _ n: Int) -> [TreeHash] {
        if m == 0 || m == n { return [] }
        return subproof(m, 0, n, true)
    }

    private func subproof(_ m: Int, _ start: Int, _ n: Int, _ b: Bool) -> [TreeHash] {
        if m == n { return b ? [] : [mth(start, m)] }
        let k = Self.split(n)
        if m <= k { return subproof(m, start, k, b) + [mth(start + k, n - k)] }
        return subproof(m - k, start + k, n - k, false) + [mth(start, k)]
    }
}
