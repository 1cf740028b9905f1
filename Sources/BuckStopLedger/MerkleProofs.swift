/// RFC 9162 §2.1 audit paths and consistency proofs, generated from stored complete-subtree
/// hashes and verified with the RFC's iterative algorithms.
///
/// Why generation goes through `SubtreeHashSource`: every node the RFC's recursive definitions
/// touch is either a complete subtree (stored once, never changes) or the hash of a right-edge
/// range, which is folded from O(log n) complete subtrees on demand. So proofs for *any* past tree
/// size come from the same append-only table, with no per-size snapshots.
///
/// Verification deliberately takes no source: a client checks a proof against nothing but a
/// signed root.
public enum MerkleProofs {
    /// `MTH(D[treeSize])`, the root of the first `treeSize` leaves.
    public static func rootHash(treeSize: Int, source: some SubtreeHashSource) throws -> TreeHash {
        guard treeSize >= 0 else { throw MerkleError.sizeOutOfRange(size: treeSize, treeSize: 0) }
        if treeSize == 0 { return RFC9162.emptyRoot }
        return try rangeHash(start: 0, count: treeSize, source: source)
    }

    /// RFC 9162 §2.1.3.1 `PATH(m, D[n])`: the audit path for leaf `leafIndex` in the tree of
    /// `treeSize` leaves, ordered from the leaf's sibling up to the child of the root.
    public static func inclusionProof(
        leafIndex: Int, treeSize: Int, source: some SubtreeHashSource
    ) throws -> [TreeHash] {
        guard treeSize >= 0 else { throw MerkleError.sizeOutOfRange(size: treeSize, treeSize: 0) }
        guard leafIndex >= 0, leafIndex < treeSize else {
            throw MerkleError.indexOutOfRange(index: leafIndex, treeSize: treeSize)
        }
        // Walk the RFC recursion top-down (root first), then reverse into leaf-to-root order.
        var proof = [TreeHash]()
        proof.reserveCapacity(Int.bitWidth - treeSize.leadingZeroBitCount)
        var start = 0
        var n = treeSize
        var m = leafIndex
        while n > 1 {
            let kLevel = largestPowerOfTwoBelowLevel(n)
            let k = 1 << kLevel
            if m < k {
                // PATH(m, D[0:k]) : MTH(D[k:n])
                proof.append(try rangeHash(start: start + k, count: n - k, source: source))
                n = k
            } else {
                // PATH(m - k, D[k:n]) : MTH(D[0:k]) — the left half is a complete subtree.
                proof.append(try source.subtreeHash(level: kLevel, index: start >> kLevel))
                start += k
                m -= k
                n -= k
            }
        }
        proof.reverse()
        return proof
    }

    /// RFC 9162 §2.1.4.1 `PROOF(m, D[n])` = `SUBPROOF(m, D[n], true)`.
    ///
    /// Empty when `oldSize == 0` or `oldSize == newSize` (nothing to prove).
    public static func consistencyProof(
        from oldSize: Int, to newSize: Int, source: some SubtreeHashSource
    ) throws -> [TreeHash] {
        guard oldSize >= 0, newSize >= 0 else {
            throw MerkleError.sizeOutOfRange(size: min(oldSize, newSize), treeSize: 0)
        }
        guard oldSize <= newSize else { throw MerkleError.sizeOutOfRange(size: oldSize, treeSize: newSize) }
        if oldSize == 0 || oldSize == newSize { return [] }

        var proof = [TreeHash]()
        proof.reserveCapacity(Int.bitWidth - newSize.leadingZeroBitCount + 1)
        var start = 0
        var m = oldSize
        var n = newSize
        var haveRoot = true  // the RFC's `b`: is D[start : start+m] the old root itself?
        while m != n {
            let kLevel = largestPowerOfTwoBelowLevel(n)
            let k = 1 << kLevel
            if m <= k {
                // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
                proof.append(try rangeHash(start: start + k, count: n - k, source: source))
                n = k
            } else {
                // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
                proof.append(try source.subtreeHash(level: kLevel, index: start >> kLevel))
                start += k
                m -= k
                n -= k
                haveRoot = false
            }
        }
        // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true it is empty.
        if !haveRoot {
            proof.append(try rangeHash(start: start, count: m, source: source))
        }
        proof.reverse()
        return proof
    }

    /// RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is leaf `leafIndex` of the tree of
    /// `treeSize` leaves whose root is `root`?
    ///
    /// The proof binds the leaf to `root`; the size is only as trustworthy as its source. (For
    /// example, leaf 0's proof in a tree of 5 leaves also verifies with `treeSize: 6` against the
    /// same root, because both trees put leaf 0 at the same depth.) Take `treeSize` and `root`
    /// together from a verified `SignedCheckpoint`.
    public static func verifyInclusion(
        leafHash: TreeHash, leafIndex: Int, treeSize: Int, proof: [TreeHash], root: TreeHash
    ) -> Bool {
        guard leafIndex >= 0, treeSize > 0, leafIndex < treeSize else { return false }
        var fn = leafIndex
        var sn = treeSize - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = RFC9162.nodeHash(p, r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = RFC9162.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2: does `proof` show that the tree of `newSize` leaves with root `newRoot`
    /// extends the tree of `oldSize` leaves with root `oldRoot`?
    ///
    /// Edge cases (outside the RFC's `0 < first < second`): equal sizes need an empty proof and
    /// equal roots; `oldSize == 0` needs an empty proof and `oldRoot == RFC9162.emptyRoot`.
    public static func verifyConsistency(
        oldSize: Int, newSize: Int, oldRoot: TreeHash, newRoot: TreeHash, proof: [TreeHash]
    ) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == RFC9162.emptyRoot }
        guard !proof.isEmpty else { return false }

        // Step 2: if the old tree is a perfect subtree, its root is the implicit first element.
        let oldIsPerfect = oldSize & (oldSize - 1) == 0
        var next = oldIsPerfect ? 0 : 1
        var fr = oldIsPerfect ? oldRoot : proof[0]
        var sr = fr
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        while next < proof.count {
            let c = proof[next]
            next += 1
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = RFC9162.nodeHash(c, fr)
                sr = RFC9162.nodeHash(c, sr)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = RFC9162.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }

    // MARK: - Internals

    /// `MTH(D[start : start+count])` for a range whose complete-subtree decomposition is aligned,
    /// i.e. `start` is a multiple of the largest power of two ≤ `count` — true for every range
    /// the RFC recursion produces. Folds the pieces right to left, like `MerkleFrontier.rootHash`.
    static func rangeHash(start: Int, count: Int, source: some SubtreeHashSource) throws -> TreeHash {
        precondition(count > 0)
        var end = start + count
        var rest = count
        var acc: TreeHash? = nil
        while rest != 0 {
            let level = rest.trailingZeroBitCount
            end -= 1 << level
            let piece = try source.subtreeHash(level: level, index: end >> level)
            acc = acc.map { RFC9162.nodeHash(piece, $0) } ?? piece
            rest &= rest - 1
        }
        return acc!
    }

    /// log2 of the largest power of two strictly less than `n` (`n > 1`): the RFC's split point.
    @inline(__always)
    static func largestPowerOfTwoBelowLevel(_ n: Int) -> Int {
        Int.bitWidth - 1 - (n - 1).leadingZeroBitCount
    }
}
