import Crypto

/// Signs checkpoints with an Ed25519 key (RFC 8032, pure Ed25519 over `Checkpoint.body`).
///
/// Why a 32-byte seed: it is the whole private key, easy to store and back up, and the same seed
/// always yields the same public key and key ID. On Linux (BoringSSL) signatures are also
/// deterministic; Apple's CryptoKit randomises them, which is equally valid to verifiers.
public struct CheckpointSigner: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey
    /// The 32-byte Ed25519 public key to publish for verifiers.
    public let publicKey: [UInt8]
    /// `CheckpointVerifier.keyID(publicKey:)` of `publicKey`.
    public let keyID: String

    /// - Throws: `CheckpointError.invalidKeyLength` unless the seed is 32 bytes.
    public init(privateKeySeed: [UInt8]) throws {
        guard privateKeySeed.count == 32 else {
            throw CheckpointError.invalidKeyLength(expected: 32, actual: privateKeySeed.count)
        }
        privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeySeed)
        publicKey = Array(privateKey.publicKey.rawRepresentation)
        keyID = CheckpointVerifier.keyID(publicKey: publicKey)
    }

    /// A fresh random 32-byte seed from the system's cryptographic RNG.
    public static func generateSeed() -> [UInt8] {
        Array(Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// Signs `checkpoint.body`.
    public func sign(_ checkpoint: Checkpoint) throws -> SignedCheckpoint {
        let signature = try privateKey.signature(for: checkpoint.body)
        return SignedCheckpoint(checkpoint: checkpoint, signature: Array(signature), keyID: keyID)
    }
}

/// Checks signed checkpoints against one trusted Ed25519 public key.
public struct CheckpointVerifier: Sendable {
    private let key: Curve25519.Signing.PublicKey
    /// The trusted 32-byte public key.
    public let publicKey: [UInt8]
    /// Its key ID, which a valid `SignedCheckpoint` must carry.
    public let keyID: String

    /// - Throws: `CheckpointError.invalidKeyLength` unless the key is 32 bytes.
    public init(publicKey: [UInt8]) throws {
        guard publicKey.count == 32 else {
            throw CheckpointError.invalidKeyLength(expected: 32, actual: publicKey.count)
        }
        key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        self.publicKey = publicKey
        keyID = Self.keyID(publicKey: publicKey)
    }

    /// `true` only if the key ID is this verifier's and the signature is a valid Ed25519 signature
    /// by this key over exactly `signed.checkpoint.body`.
    public func isValid(_ signed: SignedCheckpoint) -> Bool {
        guard signed.keyID == keyID, signed.signature.count == 64 else { return false }
        return key.isValidSignature(signed.signature, for: signed.checkpoint.body)
    }

    /// First 8 lowercase hex characters of SHA-256(publicKey): short enough to print, long
    /// enough to tell a handful of trusted keys apart (it is a hint, never a trust decision).
    public static func keyID(publicKey: [UInt8]) -> String {
        let digest = TreeHash(digest: SHA256.hash(data: publicKey))
        return String(digest.hex.prefix(8))
    }

    /// Whether `keyID` has the shape `keyID(publicKey:)` produces.
    public static func isWellFormedKeyID(_ keyID: String) -> Bool {
        keyID.utf8.count == 8
            && keyID.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
