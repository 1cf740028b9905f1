/// Why a Merkle computation could not be carried out (as opposed to a proof that is simply
/// invalid, which the `verify…` functions report as `false`).
public enum MerkleError: Error, Equatable, CustomStringConvertible {
    /// A leaf index outside `0..<treeSize`.
    case indexOutOfRange(index: Int, treeSize: Int)
    /// A tree size that is negative, larger than the tree, or smaller than a size it must exceed.
    case sizeOutOfRange(size: Int, treeSize: Int)
    /// The source has no hash for this complete subtree (it is not complete yet, or not stored).
    case missingSubtree(level: Int, index: Int)

    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let treeSize):
            return "leaf index \(index) is out of range for a tree of size \(treeSize)"
        case .sizeOutOfRange(let size, let treeSize):
            return "tree size \(size) is out of range (tree size \(treeSize))"
        case .missingSubtree(let level, let index):
            return "no hash for the complete subtree at level \(level), index \(index)"
        }
    }
}
