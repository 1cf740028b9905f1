import Crypto

/// A 32-byte SHA-256 Merkle tree hash (leaf, interior node or root).
///
/// Why a dedicated type: it makes "32 bytes, exactly" a type-level fact, so proofs and
/// checkpoints cannot carry truncated or oversized hashes. The bytes live inline (four
/// machine words, no heap allocation), which keeps `MerkleFrontier.append` and proof
/// verification allocation-free per node and makes `==`/hashing cheap.
///
/// Text forms: `hex` (lowercase, 64 characters) is the canonical form used by `description`
/// and `Codable`; `base64` (standard alphabet, padded) is what checkpoints carry.
public struct TreeHash: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Number of bytes in a SHA-256 digest.
    public static let byteCount = 32

    /// Raw digest bytes in memory order (i.e. byte 0 of the digest first).
    @usableFromInline
    internal var storage: (UInt64, UInt64, UInt64, UInt64)

    @inlinable
    internal init(storage: (UInt64, UInt64, UInt64, UInt64)) {
        self.storage = storage
    }

    /// Wraps a SHA-256 digest without going through an `Array`.
    @inlinable
    internal init(digest: SHA256.Digest) {
        self.storage = digest.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
    }

    /// Creates a hash from exactly 32 raw bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.storage = bytes.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
    }

    /// Parses 64 hexadecimal characters (either case); `nil` otherwise.
    public init?(hex: String) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.byteCount)
        var high: UInt8? = nil
        for unit in hex.utf8 {
            guard let nibble = Self.nibble(unit) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
            if bytes.count > Self.byteCount { return nil }
        }
        guard high == nil else { return nil }
        self.init(bytes: bytes)
    }

    /// Parses standard padded base64 of exactly 32 bytes; `nil` otherwise.
    public init?(base64: String) {
        guard let bytes = Base64.decode(base64) else { return nil }
        self.init(bytes: bytes)
    }

    /// The 32 digest bytes.
    ///
    /// Computed from the inline storage (one small allocation per call); hot paths should use
    /// `withUnsafeBytes` instead.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Calls `body` with the 32 digest bytes, without allocating.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { try body($0) }
    }

    /// Lowercase hexadecimal, 64 characters.
    public var hex: String {
        withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: Self.byteCount * 2) { out in
                var i = 0
                for byte in raw {
                    out[i] = Self.hexDigits[Int(byte >> 4)]
                    out[i + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    i += 2
                }
                return i
            }
        }
    }

    /// Standard base64 with padding (44 characters), as used in checkpoint bodies.
    public var base64: String {
        withUnsafeBytes { Base64.encode($0) }
    }

    public var description: String { hex }

    public static func == (lhs: TreeHash, rhs: TreeHash) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Encodes as the lowercase hex string, so stored JSON stays human-auditable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = TreeHash(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected 64 hex characters for a SHA-256 tree hash")
        }
        self = value
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
