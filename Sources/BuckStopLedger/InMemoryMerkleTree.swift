/// A complete in-memory RFC 9162 tree that keeps every complete-subtree hash.
///
/// Why: it is the reference `SubtreeHashSource` — for tests, for small logs, and as the model a
/// persistent store must behave like. Level L holds the hashes of the complete subtrees of
/// `2^L` leaves, in order, so `subtreeHash(level:index:)` is an array lookup and a tree of n leaves
/// keeps about 2n hashes.
public struct InMemoryMerkleTree: SubtreeHashSource, Sendable {
    /// `levels[L][i]` = hash of leaves `[i * 2^L, (i + 1) * 2^L)`.
    private var levels: [[TreeHash]] = []

    /// An empty tree.
    public init() {}

    /// Number of leaves.
    public var size: Int { levels.first?.count ?? 0 }

    /// Appends an entry, hashed as an RFC 9162 leaf.
    public mutating func append(entry: [UInt8]) {
        append(leafHash: RFC9162.leafHash(entry))
    }

    /// Appends an already-computed leaf hash and records every subtree it completes.
    public mutating func append(leafHash: TreeHash) {
        var hash = leafHash
        var level = 0
        while true {
            if level == levels.count { levels.append([]) }
            levels[level].append(hash)
            let count = levels[level].count
            if count & 1 == 1 { return }  // no right sibling pair completed at this level
            hash = RFC9162.nodeHash(levels[level][count - 2], hash)
            level += 1
        }
    }

    public func subtreeHash(level: Int, index: Int) throws -> TreeHash {
        guard level >= 0, level < levels.count, index >= 0, index < levels[level].count else {
            throw MerkleError.missingSubtree(level: level, index: index)
        }
        return levels[level][index]
    }

    /// Root of the whole tree (`RFC9162.emptyRoot` when empty).
    public func rootHash() -> TreeHash {
        do {
            return try MerkleProofs.rootHash(treeSize: size, source: self)
        } catch {
            preconditionFailure("InMemoryMerkleTree is missing its own subtree: \(error)")
        }
    }

    /// Root of the first `treeSize` leaves, i.e. of an earlier version of this log.
    public func rootHash(treeSize: Int) throws -> TreeHash {
        try checkSize(treeSize)
        return try MerkleProofs.rootHash(treeSize: treeSize, source: self)
    }

    /// Audit path for `leafIndex` in the tree of `treeSize` leaves (default: the whole tree).
    public func inclusionProof(leafIndex: Int, treeSize: Int? = nil) throws -> [TreeHash] {
        let treeSize = treeSize ?? size
        try checkSize(treeSize)
        return try MerkleProofs.inclusionProof(leafIndex: leafIndex, treeSize: treeSize, source: self)
    }

    /// Consistency proof from `oldSize` to `newSize` (default: the whole tree).
    public func consistencyProof(from oldSize: Int, to newSize: Int? = nil) throws -> [TreeHash] {
        let newSize = newSize ?? size
        try checkSize(newSize)
        return try MerkleProofs.consistencyProof(from: oldSize, to: newSize, source: self)
    }

    private func checkSize(_ treeSize: Int) throws {
        guard treeSize >= 0, treeSize <= size else {
            throw MerkleError.sizeOutOfRange(size: treeSize, treeSize: size)
        }
    }
}
