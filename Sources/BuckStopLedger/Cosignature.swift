import Crypto

/// Why a cosignature was refused or could not be made.
public enum CosignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is not a signed-note signature line.
    case malformedLine(SignedNoteError)
    /// The line is by another key than the witness key it was checked against.
    case otherKey(expectedName: String, expectedKeyID: UInt32, foundName: String, foundKeyID: UInt32)
    /// tlog-cosignature Ed25519: key ID, 8-byte timestamp and 64-byte signature, 76 bytes in all.
    case wrongLength(expected: Int, found: Int)
    /// tlog-witness: a cosignature MUST NOT omit the timestamp (zero).
    case zeroTimestamp
    /// tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1.
    case timestampOutOfRange(UInt64)
    /// The timestamp is later than the caller's bound (verifiers MAY reject future timestamps).
    case timestampInFuture(found: Int64, limit: Int64)
    /// Ed25519 rejected the signature over the cosigned message.
    case invalidSignature(keyName: String, keyID: UInt32)
    /// A witness response had no line by the witness key.
    case noCosignatureByKey(keyName: String, keyID: UInt32)
    /// The signing key failed.
    case signing(NoteKeyError)

    public var description: String {
        switch self {
        case .malformedLine(let error):
            return "malformed cosignature line: \(error)"
        case .otherKey(let expectedName, let expectedKeyID, let foundName, let foundKeyID):
            return "expected a cosignature by \(expectedName)+\(NoteKeyID.hex(expectedKeyID)), found one by \(foundName)+\(NoteKeyID.hex(foundKeyID))"
        case .wrongLength(let expected, let found):
            return "expected \(expected) decoded bytes (key ID, timestamp, Ed25519 signature), found \(found)"
        case .zeroTimestamp:
            return "cosignature timestamp is zero; witnesses must timestamp their cosignatures"
        case .timestampOutOfRange(let value):
            return "cosignature timestamp \(value) exceeds 2^63 - 1"
        case .timestampInFuture(let found, let limit):
            return "cosignature timestamp \(found) is after the allowed \(limit)"
        case .invalidSignature(let name, let keyID):
            return "cosignature by \(name)+\(NoteKeyID.hex(keyID)) does not verify for this checkpoint"
        case .noCosignatureByKey(let name, let keyID):
            return "expected a cosignature line by \(name)+\(NoteKeyID.hex(keyID)), found none"
        case .signing(let error):
            return "cannot cosign: \(error)"
        }
    }
}

/// One Ed25519 checkpoint cosignature (c2sp.org/tlog-cosignature, cosignature/v1): the witness
/// states that, as of `timestamp`, the checkpoint is the largest consistent tree head it has seen
/// for the log.
///
/// On the wire it is a note signature line `— <witness name> base64(key ID ‖ u64be timestamp ‖
/// Ed25519 signature)`; the signature is over
///
/// ```text
/// cosignature/v1\n
/// time <timestamp>\n
/// <the checkpoint's whole note text, extension lines and final newline included>
/// ```
///
/// The message does not contain the witness name, so one Ed25519 key must never serve two
/// witness names (tlog-cosignature).
public struct Cosignature: Sendable, Hashable, CustomStringConvertible {
    public let keyName: String
    /// SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4].
    public let keyID: UInt32
    /// POSIX seconds, 1…2^63 - 1.
    public let timestamp: Int64
    /// 64-byte Ed25519 signature over `Cosignature.signedMessage`.
    public let signature: [UInt8]

    /// Reads a note signature line as a cosignature (shape only; nothing is verified).
    public init(_ line: NoteSignature) throws(CosignatureError) {
        guard line.signature.count == 72 else { throw .wrongLength(expected: 76, found: line.signature.count + 4) }
        var raw: UInt64 = 0
        for b in line.signature[0..<8] { raw = raw << 8 | UInt64(b) }
        guard raw <= UInt64(Int64.max) else { throw .timestampOutOfRange(raw) }
        guard raw != 0 else { throw .zeroTimestamp }
        self.init(keyName: line.keyName, keyID: line.keyID, timestamp: Int64(raw), signature: Array(line.signature[8...]))
    }

    /// Parses one signature line (with or without its newline) as a cosignature.
    public init(line: some StringProtocol) throws(CosignatureError) {
        let parsed: NoteSignature
        do {
            parsed = try NoteSignature(line: line)
        } catch {
            throw .malformedLine(error)
        }
        try self.init(parsed)
    }

    init(keyName: String, keyID: UInt32, timestamp: Int64, signature: [UInt8]) {
        self.keyName = keyName
        self.keyID = keyID
        self.timestamp = timestamp
        self.signature = signature
    }

    /// As a signed-note signature line.
    public var noteSignature: NoteSignature {
        var bytes = [UInt8]()
        bytes.reserveCapacity(72)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: UInt64(timestamp) >> UInt64(shift))) }
        bytes += signature
        return NoteSignature(checkedKeyName: keyName, keyID: keyID, signature: bytes)
    }

    /// The line, newline included, as a witness returns it and as it is stored.
    public var line: String { noteSignature.line }

    public var description: String { noteSignature.description }

    public static func == (a: Self, b: Self) -> Bool { a.noteSignature == b.noteSignature }
    public func hash(into hasher: inout Hasher) { hasher.combine(noteSignature) }

    /// The exact bytes an Ed25519 cosigner signs (tlog-cosignature "Ed25519 signed message").
    public static func signedMessage(timestamp: Int64, checkpointText: [UInt8]) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + checkpointText
    }
}

/// A witness's Ed25519 cosigning key (tlog-cosignature, signature type 0x04).
public struct CosignatureSigner: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey
    /// The matching verifier, i.e. what logs and clients are configured with.
    public let verifier: CosignatureVerifier

    public var keyName: String { verifier.keyName }
    public var keyID: UInt32 { verifier.keyID }
    public var publicKey: [UInt8] { verifier.publicKey }
    /// `<name>+<key ID>+base64(0x04 ‖ public key)`.
    public var verifierKey: NoteVerifierKey { verifier.verifierKey }

    /// - Throws: `NoteKeyError` unless `keyName` is a valid key name and `seed` is 32 bytes.
    public init(keyName: String, seed: [UInt8]) throws(NoteKeyError) {
        privateKey = try Ed25519Keys.privateKey(seed: seed)
        verifier = try CosignatureVerifier(keyName: keyName, publicKey: Array(privateKey.publicKey.rawRepresentation))
    }

    /// Parses `PRIVATE+KEY+<name>+<key ID>+base64(type ‖ seed)` with type 0x04 (as
    /// `privateKeyText` writes) or 0x01 (as golang.org/x/mod/sumdb/note `GenerateKey`, and hence
    /// transparency-dev/witness's `generate_keys`, write witness keys). The key ID is checked for
    /// the type written; cosignatures always carry the 0x04 key ID.
    public init(privateKey text: some StringProtocol) throws(NoteKeyError) {
        let parsed = try NotePrivateKey(parsing: text)
        let accepted = [NoteSignatureType.ed25519CosignatureV1, NoteSignatureType.ed25519]
        guard accepted.contains(parsed.signatureType) else {
            throw .unsupportedSignatureType(expected: accepted, found: parsed.signatureType)
        }
        try self.init(keyName: parsed.keyName, seed: parsed.seed)
        let expected = NoteKeyID.compute(keyName: keyName, signatureType: parsed.signatureType, publicKey: publicKey)
        guard expected == parsed.claimedKeyID else { throw .keyIDMismatch(expected: expected, found: parsed.claimedKeyID) }
    }

    /// The private key text form (type 0x04). Secret.
    public var privateKeyText: String {
        NotePrivateKey.text(
            keyName: keyName, keyID: keyID, signatureType: NoteSignatureType.ed25519CosignatureV1,
            seed: Array(privateKey.rawRepresentation))
    }

    /// Cosigns a checkpoint's note text at `timestamp` (POSIX seconds, > 0).
    ///
    /// Whether the checkpoint deserves it (its log signature, consistency with what this witness
    /// cosigned before) is `TlogWitness.addCheckpoint`'s job; this only signs.
    public func cosign(_ checkpoint: TlogCheckpoint, timestamp: Int64) throws(CosignatureError) -> Cosignature {
        try cosign(text: checkpoint.textBytes, timestamp: timestamp)
    }

    /// Cosigns a BuckStop checkpoint (its body, timestamp extension line included).
    public func cosign(_ checkpoint: Checkpoint, timestamp: Int64) throws(CosignatureError) -> Cosignature {
        try cosign(text: checkpoint.body, timestamp: timestamp)
    }

    func cosign(text: [UInt8], timestamp: Int64) throws(CosignatureError) -> Cosignature {
        guard timestamp != 0 else { throw .zeroTimestamp }
        guard timestamp > 0 else { throw .timestampOutOfRange(UInt64(bitPattern: timestamp)) }
        let message = Cosignature.signedMessage(timestamp: timestamp, checkpointText: text)
        let signature: [UInt8]
        do {
            signature = try Ed25519Keys.sign(message, with: privateKey)
        } catch {
            throw .signing(error)
        }
        return Cosignature(keyName: keyName, keyID: keyID, timestamp: timestamp, signature: signature)
    }

    /// A fresh random 32-byte seed from the system's cryptographic RNG.
    public static func generateSeed() -> [UInt8] { Ed25519NoteSigner.generateSeed() }
}

/// Checks cosignatures by one witness key: the log server on what a witness returned, and
/// `buckstop verify` or a citizen on what the log publishes.
public struct CosignatureVerifier: NoteVerifier {
    private let key: Curve25519.Signing.PublicKey
    public let verifierKey: NoteVerifierKey

    public var keyName: String { verifierKey.keyName }
    public var keyID: UInt32 { verifierKey.keyID }
    public var publicKey: [UInt8] { verifierKey.publicKey }

    public init(keyName: String, publicKey: [UInt8]) throws(NoteKeyError) {
        try self.init(
            try NoteVerifierKey(keyName: keyName, signatureType: NoteSignatureType.ed25519CosignatureV1, publicKey: publicKey))
    }

    /// From a vkey of type 0x04 (tlog-cosignature: "Ed25519 public keys MAY be encoded as vkeys
    /// with signature type 0x04"). A type 0x01 vkey is refused: it names a note-signing key, and
    /// reading it as a cosigning key would silently change its key ID.
    public init(verifierKey text: some StringProtocol) throws(NoteKeyError) {
        try self.init(try NoteVerifierKey(parsing: text))
    }

    public init(_ vkey: NoteVerifierKey) throws(NoteKeyError) {
        guard vkey.signatureType == NoteSignatureType.ed25519CosignatureV1 else {
            throw .unsupportedSignatureType(expected: [NoteSignatureType.ed25519CosignatureV1], found: vkey.signatureType)
        }
        key = try Ed25519Keys.publicKey(vkey.publicKey)
        verifierKey = vkey
    }

    /// signed-note view: `signature` is the timestamp and the Ed25519 signature.
    public func isValid(signature: [UInt8], text: [UInt8]) -> Bool {
        guard let cosignature = try? Cosignature(NoteSignature(checkedKeyName: keyName, keyID: keyID, signature: signature))
        else { return false }
        return isValid(cosignature, checkpointText: text)
    }

    /// Whether `cosignature` is by this key and valid for `checkpointText`.
    public func isValid(_ cosignature: Cosignature, checkpointText: [UInt8]) -> Bool {
        guard cosignature.keyID == keyID, cosignature.keyName.utf8.elementsEqual(keyName.utf8),
            cosignature.signature.count == 64
        else { return false }
        let message = Cosignature.signedMessage(timestamp: cosignature.timestamp, checkpointText: checkpointText)
        return key.isValidSignature(cosignature.signature, for: message)
    }

    /// The client check: `line` (a stored or returned signature line) is this witness's valid
    /// cosignature of `checkpoint`, made no later than `notAfter` if given.
    public func verify(line: some StringProtocol, for checkpoint: Checkpoint, notAfter: Int64? = nil) throws(CosignatureError) -> Cosignature {
        try verify(try Cosignature(line: line), checkpointText: checkpoint.body, notAfter: notAfter)
    }

    /// As `verify(line:for:notAfter:)` for any C2SP checkpoint text.
    public func verify(line: some StringProtocol, for checkpoint: TlogCheckpoint, notAfter: Int64? = nil) throws(CosignatureError) -> Cosignature {
        try verify(try Cosignature(line: line), checkpointText: checkpoint.textBytes, notAfter: notAfter)
    }

    /// Checks an already parsed cosignature; returns it for chaining.
    @discardableResult
    public func verify(_ cosignature: Cosignature, checkpointText: [UInt8], notAfter: Int64? = nil) throws(CosignatureError) -> Cosignature {
        guard cosignature.keyID == keyID, cosignature.keyName.utf8.elementsEqual(keyName.utf8) else {
            throw .otherKey(expectedName: keyName, expectedKeyID: keyID, foundName: cosignature.keyName, foundKeyID: cosignature.keyID)
        }
        if let notAfter, cosignature.timestamp > notAfter {
            throw .timestampInFuture(found: cosignature.timestamp, limit: notAfter)
        }
        guard isValid(cosignature, checkpointText: checkpointText) else {
            throw .invalidSignature(keyName: keyName, keyID: keyID)
        }
        return cosignature
    }
}
