/// Read access to the hashes of **complete** (perfect) subtrees of one append-only Merkle tree.
///
/// The subtree at `level` L and `index` i covers leaves `[i * 2^L, (i + 1) * 2^L)`; level 0 holds
/// the leaf hashes themselves. Complete subtrees never change once their last leaf is appended,
/// so a store can persist each one exactly once (see `MerkleFrontier.append(leafHash:)`) and
/// `MerkleProofs` can derive the root, inclusion and consistency proofs of *any* past tree size
/// from them in O(log n) reads — hashes of incomplete subtrees are recomputed, never stored.
///
/// Implemented in memory by `InMemoryMerkleTree` and, outside this target, by the SQLite store.
public protocol SubtreeHashSource {
    /// Returns the hash of the complete subtree at (`level`, `index`).
    ///
    /// Throws `MerkleError.missingSubtree` when that subtree is not (yet) complete or not stored.
    func subtreeHash(level: Int, index: Int) throws -> TreeHash
}
