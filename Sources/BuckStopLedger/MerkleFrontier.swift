/// The right edge ("compact range" in transparency-dev terms) of an append-only RFC 9162 Merkle
/// tree: just enough state to append leaves and compute the current root.
///
/// Why: the ledger appends tens of thousands of entries per second and must know the new root
/// after each batch without re-reading the log. A tree of `size` leaves is exactly the sequence
/// of perfect subtrees given by the set bits of `size` (e.g. 13 = 8 + 4 + 1), so keeping only
/// their hashes ("peaks") gives O(log n) memory, amortised O(1) hashing per append and an
/// O(log n) `rootHash()`.
///
/// Every append reports each subtree it completes, including the leaf itself at level 0, so a
/// store can persist the complete-subtree hashes that `MerkleProofs` later reads through a
/// `SubtreeHashSource`.
public struct MerkleFrontier: Sendable, Codable, Equatable {
    /// Number of leaves appended so far.
    public private(set) var size: Int
    /// Hashes of the perfect subtrees making up `size`, largest (leftmost) first; the peak for
    /// bit `b` of `size` covers `2^b` leaves.
    public private(set) var peaks: [TreeHash]

    /// An empty tree.
    public init() {
        self.size = 0
        self.peaks = []
        peaks.reserveCapacity(Self.peakCapacity)
    }

    /// Restores a frontier from persisted state.
    ///
    /// - Precondition: `size >= 0` and `peaks.count == size.nonzeroBitCount` (one peak per set
    ///   bit of `size`, largest first). Use `init(size:source:)` to rebuild from a store instead.
    public init(size: Int, peaks: [TreeHash]) {
        precondition(size >= 0, "MerkleFrontier size must be non-negative")
        precondition(
            peaks.count == size.nonzeroBitCount,
            "MerkleFrontier of size \(size) needs \(size.nonzeroBitCount) peaks, got \(peaks.count)")
        self.size = size
        self.peaks = peaks
        self.peaks.reserveCapacity(Self.peakCapacity)
    }

    /// Rebuilds the frontier for `size` leaves by reading its peaks from a store, so a restarted
    /// process can continue appending without replaying the log.
    public init(size: Int, source: some SubtreeHashSource) throws {
        guard size >= 0 else { throw MerkleError.sizeOutOfRange(size: size, treeSize: size) }
        var peaks = [TreeHash]()
        peaks.reserveCapacity(Self.peakCapacity)
        var offset = 0
        var level = Int.bitWidth - 1
        while level >= 0 {
            if (size >> level) & 1 == 1 {
                peaks.append(try source.subtreeHash(level: level, index: offset >> level))
                offset += 1 << level
            }
            level -= 1
        }
        self.init(size: size, peaks: peaks)
    }

    /// Appends one leaf hash and returns every complete subtree that now exists and did not
    /// before: `(0, size, leafHash)` first, then one entry per level merged, bottom-up.
    @discardableResult
    public mutating func append(leafHash: TreeHash) -> [(level: Int, index: Int, hash: TreeHash)] {
        var completed = [(level: Int, index: Int, hash: TreeHash)]()
        completed.reserveCapacity((~size).trailingZeroBitCount + 1)
        append(leafHash: leafHash) { level, index, hash in
            completed.append((level, index, hash))
        }
        return completed
    }

    /// Allocation-free variant of `append(leafHash:)`: calls `onCompletedSubtree` for each newly
    /// complete subtree (leaf first, then bottom-up) instead of building an array.
    public mutating func append(
        leafHash: TreeHash,
        onCompletedSubtree: (_ level: Int, _ index: Int, _ hash: TreeHash) throws -> Void
    ) rethrows {
        var hash = leafHash
        var level = 0
        var index = size
        try onCompletedSubtree(0, index, hash)
        // Each set low bit of `size` is a peak of equal height to the right edge: merge with it.
        while (size >> level) & 1 == 1 {
            hash = RFC9162.nodeHash(peaks.removeLast(), hash)
            level += 1
            index >>= 1
            try onCompletedSubtree(level, index, hash)
        }
        peaks.append(hash)
        size += 1
    }

    /// The RFC 9162 `MTH` of the first `size` leaves (`RFC9162.emptyRoot` when empty).
    ///
    /// Folds the peaks right to left, which is exactly the RFC's recursive split (the right part
    /// of every split is the next smaller peak group): `peaks.count - 1` node hashes.
    public func rootHash() -> TreeHash {
        guard var root = peaks.last else { return RFC9162.emptyRoot }
        var i = peaks.count - 2
        while i >= 0 {
            root = RFC9162.nodeHash(peaks[i], root)
            i -= 1
        }
        return root
    }

    // MARK: Codable — `{"size": n, "peaks": ["hex", …]}`, validated on decode.

    private enum CodingKeys: String, CodingKey { case size, peaks }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let size = try container.decode(Int.self, forKey: .size)
        let peaks = try container.decode([TreeHash].self, forKey: .peaks)
        guard size >= 0, peaks.count == size.nonzeroBitCount else {
            throw DecodingError.dataCorruptedError(
                forKey: .peaks, in: container,
                debugDescription: "a frontier of size \(size) needs \(max(0, size).nonzeroBitCount) peaks")
        }
        self.init(size: size, peaks: peaks)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(size, forKey: .size)
        try container.encode(peaks, forKey: .peaks)
    }

    /// Enough for any `Int` size, so appends never reallocate the peak array.
    private static let peakCapacity = Int.bitWidth
}
