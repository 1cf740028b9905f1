import Crypto
import Foundation

/// The RFC 9162 (Certificate Transparency v2, §2.1.1) Merkle tree hashing scheme with SHA-256.
///
/// Why these exact prefixes: a leaf is hashed as `SHA-256(0x00 || entry)` and an interior node as
/// `SHA-256(0x01 || left || right)`. The distinct domain-separation bytes make it impossible to
/// present an interior node as a leaf (second-preimage attack), which is what lets a 32-byte root
/// commit to the whole ordered log. The scheme is byte-identical to RFC 6962, so the published
/// RFC 6962 test vectors and tooling (transparency-dev, CT) apply unchanged.
public enum RFC9162 {
    /// Domain-separation prefix for leaves.
    public static let leafPrefix: UInt8 = 0x00
    /// Domain-separation prefix for interior nodes.
    public static let nodePrefix: UInt8 = 0x01

    /// `MTH({d(0)}) = SHA-256(0x00 || d(0))`.
    ///
    /// Inlinable so callers passing `[UInt8]` or `Data` get a specialised, copy-free path: the entry
    /// is fed to SHA-256 region by region, never concatenated with the prefix.
    @inlinable
    public static func leafHash<D: DataProtocol>(_ entry: D) -> TreeHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: leafPrefix) { hasher.update(bufferPointer: $0) }
        hasher.update(data: entry)
        return TreeHash(digest: hasher.finalize())
    }

    /// `leafHash` for an entry already in contiguous memory.
    public static func leafHash(bytes entry: UnsafeRawBufferPointer) -> TreeHash {
        var hasher = SHA256()
        Swift.withUnsafeBytes(of: leafPrefix) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: entry)
        return TreeHash(digest: hasher.finalize())
    }

    /// `MTH(D[n]) = SHA-256(0x01 || MTH(left) || MTH(right))`.
    ///
    /// The 65-byte preimage is assembled in a stack buffer and hashed with one update.
    public static func nodeHash(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * TreeHash.byteCount, alignment: 8) { buffer in
            buffer[0] = nodePrefix
            left.withUnsafeBytes { l in
                UnsafeMutableRawBufferPointer(rebasing: buffer[1..<33]).copyMemory(from: l)
            }
            right.withUnsafeBytes { r in
                UnsafeMutableRawBufferPointer(rebasing: buffer[33..<65]).copyMemory(from: r)
            }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return TreeHash(digest: hasher.finalize())
        }
    }

    /// `MTH({}) = SHA-256()`, the root of the empty tree
    /// (e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855).
    public static let emptyRoot: TreeHash = TreeHash(digest: SHA256().finalize())
}
