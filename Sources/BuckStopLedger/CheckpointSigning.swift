import Crypto

/// Signs checkpoints with an Ed25519 key (RFC 8032, pure Ed25519 over `Checkpoint.body`).
///
/// Why a 32-byte seed: it is the whole private key, easy to store and back up, and the same seed
/// always yields the same public key and key ID. On Linux (BoringSSL) signatures are also
/// deterministic; Apple's CryptoKit randomises them, which is equally valid to verifiers.
///
/// ## Key name and key ID (C2SP signed-note)
///
/// The note key name of a checkpoint signature is the checkpoint's origin (tlog-checkpoint: "The
/// log's key name in its signature line SHOULD match the origin line"), and its key ID is
/// SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. Why not a configurable name: the stored
/// checkpoint rows carry origin, key ID and signature but no name, so any other name could not be
/// reproduced after a reload; with name = origin a witness is configured with one vkey
/// (`verifierKey(origin:)`) and every stored checkpoint yields the same C2SP note again.
public struct CheckpointSigner: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey
    /// The 32-byte Ed25519 public key to publish for verifiers.
    public let publicKey: [UInt8]
    /// BuckStop's key ID before C2SP notes: hex of SHA-256(public key)[:4]. Checkpoints signed
    /// before the change carry it; `CheckpointVerifier` still accepts it.
    public let legacyKeyID: String

    /// - Throws: `CheckpointError.invalidKeyLength` unless the seed is 32 bytes.
    public init(privateKeySeed: [UInt8]) throws(CheckpointError) {
        guard privateKeySeed.count == 32 else {
            throw .invalidKeyLength(expected: 32, actual: privateKeySeed.count)
        }
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKeySeed)
        } catch {
            throw .signingFailed("the Ed25519 seed was refused: \(error)")
        }
        publicKey = Array(privateKey.publicKey.rawRepresentation)
        legacyKeyID = CheckpointVerifier.keyID(publicKey: publicKey)
    }

    /// A fresh random 32-byte seed from the system's cryptographic RNG.
    public static func generateSeed() -> [UInt8] {
        Array(Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// The C2SP note key ID of this key for checkpoints of `origin`, as 8 lowercase hex digits.
    public func keyID(origin: String) -> String { NoteKeyID.hex(noteKeyID(origin: origin)) }

    /// The C2SP note key ID of this key for checkpoints of `origin`.
    public func noteKeyID(origin: String) -> UInt32 {
        NoteKeyID.compute(keyName: origin, signatureType: NoteSignatureType.ed25519, publicKey: publicKey)
    }

    /// The vkey witnesses and verifiers are configured with for this log.
    public func verifierKey(origin: String) throws(CheckpointError) -> NoteVerifierKey {
        try CheckpointVerifier.verifierKey(origin: origin, publicKey: publicKey)
    }

    /// Signs `checkpoint.body`; the result carries the C2SP key ID for `checkpoint.origin`.
    ///
    /// - Throws: `CheckpointError.originNotAKeyName` if the origin contains `+` (a note key name
    ///   cannot), or `.signingFailed`.
    public func sign(_ checkpoint: Checkpoint) throws(CheckpointError) -> SignedCheckpoint {
        guard SignedNote.isValidKeyName(checkpoint.origin) else { throw .originNotAKeyName(checkpoint.origin) }
        let signature: [UInt8]
        do {
            signature = Array(try privateKey.signature(for: checkpoint.body))
        } catch {
            throw .signingFailed(String(describing: error))
        }
        return SignedCheckpoint(checkpoint: checkpoint, signature: signature, keyID: keyID(origin: checkpoint.origin))
    }
}

/// Checks signed checkpoints against one trusted Ed25519 public key.
public struct CheckpointVerifier: Sendable {
    private let key: Curve25519.Signing.PublicKey
    /// The trusted 32-byte public key.
    public let publicKey: [UInt8]
    /// The pre-C2SP key ID (see `CheckpointSigner.legacyKeyID`).
    public let legacyKeyID: String

    /// - Throws: `CheckpointError.invalidKeyLength` unless the key is 32 bytes.
    public init(publicKey: [UInt8]) throws(CheckpointError) {
        guard publicKey.count == 32 else {
            throw .invalidKeyLength(expected: 32, actual: publicKey.count)
        }
        do {
            key = try Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        } catch {
            throw .signingFailed("the Ed25519 public key was refused: \(error)")
        }
        self.publicKey = publicKey
        legacyKeyID = Self.keyID(publicKey: publicKey)
    }

    /// The C2SP note key ID for checkpoints of `origin`, as 8 lowercase hex digits.
    public func keyID(origin: String) -> String { NoteKeyID.hex(noteKeyID(origin: origin)) }

    /// The C2SP note key ID for checkpoints of `origin`.
    public func noteKeyID(origin: String) -> UInt32 {
        NoteKeyID.compute(keyName: origin, signatureType: NoteSignatureType.ed25519, publicKey: publicKey)
    }

    /// `<origin>+<key ID>+base64(0x01 ‖ public key)`: what a witness is configured with.
    public func verifierKey(origin: String) throws(CheckpointError) -> NoteVerifierKey {
        try Self.verifierKey(origin: origin, publicKey: publicKey)
    }

    /// This key as a signed-note verifier for `origin`'s checkpoints (for `SignedNote` and
    /// `WitnessedLog`).
    public func noteVerifier(origin: String) throws(CheckpointError) -> Ed25519NoteVerifier {
        let vkey = try verifierKey(origin: origin)
        do {
            return try Ed25519NoteVerifier(vkey)
        } catch {
            throw .signingFailed("the Ed25519 public key was refused: \(error)")
        }
    }

    /// `true` only if the signature is a valid Ed25519 signature by this key over exactly
    /// `signed.checkpoint.body` and the key ID names this key: the C2SP key ID for the
    /// checkpoint's origin, or the pre-C2SP `legacyKeyID` that checkpoints stored before the
    /// change carry (both are hints; the signature is the check).
    public func isValid(_ signed: SignedCheckpoint) -> Bool {
        guard signed.keyID == keyID(origin: signed.checkpoint.origin) || signed.keyID == legacyKeyID,
            signed.signature.count == 64
        else { return false }
        return key.isValidSignature(signed.signature, for: signed.checkpoint.body)
    }

    /// The same signature labelled with the C2SP key ID, if valid; `nil` otherwise. Why: a
    /// checkpoint stored before the change carries the legacy key ID, and its `text` must carry the
    /// C2SP one before a witness or a generic note verifier can match it to the log's vkey. The
    /// signature over the body is unchanged, so re-labelling needs no private key.
    public func reidentified(_ signed: SignedCheckpoint) -> SignedCheckpoint? {
        guard isValid(signed), SignedNote.isValidKeyName(signed.checkpoint.origin) else { return nil }
        return SignedCheckpoint(checkpoint: signed.checkpoint, signature: signed.signature, keyID: keyID(origin: signed.checkpoint.origin))
    }

    /// The pre-C2SP key ID: first 8 lowercase hex characters of SHA-256(publicKey).
    public static func keyID(publicKey: [UInt8]) -> String {
        let digest = TreeHash(digest: SHA256.hash(data: publicKey))
        return String(digest.hex.prefix(8))
    }

    /// Whether `keyID` has the shape of a key ID (8 lowercase hex digits, legacy or C2SP).
    public static func isWellFormedKeyID(_ keyID: String) -> Bool {
        NoteKeyID.parse(hex: keyID) != nil
    }

    static func verifierKey(origin: String, publicKey: [UInt8]) throws(CheckpointError) -> NoteVerifierKey {
        do {
            return try NoteVerifierKey(keyName: origin, signatureType: NoteSignatureType.ed25519, publicKey: publicKey)
        } catch {
            throw .originNotAKeyName(origin)
        }
    }
}
