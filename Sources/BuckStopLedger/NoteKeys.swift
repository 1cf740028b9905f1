import Crypto

/// Signature type identifier bytes assigned by C2SP signed-note ("Signature types").
///
/// Why only these two: BuckStop signs checkpoints with plain Ed25519 notes and witnesses cosign with
/// timestamped Ed25519 (c2sp.org/tlog-cosignature); the spec asks implementations to support only
/// the types their design needs. Any other byte in a vkey is rejected, never guessed at.
public enum NoteSignatureType {
    /// `0x01`: Ed25519 over the note text (signed-note "Ed25519 signatures").
    public static let ed25519: UInt8 = 0x01
    /// `0x04`: timestamped Ed25519 checkpoint cosignatures (tlog-cosignature, cosignature/v1).
    public static let ed25519CosignatureV1: UInt8 = 0x04
}

/// Why a key was refused. Messages about private keys never echo key material.
public enum NoteKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// signed-note: key names are non-empty and contain no Unicode spaces and no `+`.
    case invalidKeyName(String)
    /// A verifier key was not `<name>+<8 lowercase hex>+<base64(type ‖ key)>`.
    case malformedVerifierKey(reason: String)
    /// A private key was not `PRIVATE+KEY+<name>+<8 lowercase hex>+<base64(type ‖ seed)>`.
    case malformedPrivateKey(reason: String)
    /// The key ID written in a key does not match SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4].
    case keyIDMismatch(expected: UInt32, found: UInt32)
    /// A signature type this code does not implement (or not the one the caller asked for).
    case unsupportedSignatureType(expected: [UInt8], found: UInt8)
    /// Ed25519 seeds and public keys are 32 bytes.
    case invalidKeyLength(expected: Int, found: Int)
    /// The cryptographic library refused to sign.
    case signingFailed(String)

    public var description: String {
        switch self {
        case .invalidKeyName(let name):
            return "invalid note key name \(name.debugDescription): expected non-empty, without spaces or '+'"
        case .malformedVerifierKey(let reason):
            return "malformed verifier key: \(reason)"
        case .malformedPrivateKey(let reason):
            return "malformed private key: \(reason)"
        case .keyIDMismatch(let expected, let found):
            return "key ID \(NoteKeyID.hex(found)) does not match the key (expected \(NoteKeyID.hex(expected)))"
        case .unsupportedSignatureType(let expected, let found):
            let list = expected.map { "0x" + NoteKeyID.hexByte($0) }.joined(separator: " or ")
            return "signature type 0x\(NoteKeyID.hexByte(found)) is not supported here (expected \(list))"
        case .invalidKeyLength(let expected, let found):
            return "Ed25519 key must be \(expected) bytes, got \(found)"
        case .signingFailed(let reason):
            return "signing failed: \(reason)"
        }
    }
}

/// The 32-bit key IDs of signed-note and their text forms.
public enum NoteKeyID {
    /// signed-note: `SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4]`, big-endian.
    ///
    /// Why the name and type are hashed in: the same public key under another name or for another
    /// signature type gets another ID, so a signature of one kind can never be checked as another.
    public static func compute(keyName: String, signatureType: UInt8, publicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(keyName.utf8))
        hasher.update(data: [0x0A, signatureType])
        hasher.update(data: publicKey)
        return hasher.finalize().withUnsafeBytes { raw in
            UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
        }
    }

    /// Fixed-length lowercase hex (signed-note "Conventions"): always 8 characters.
    public static func hex(_ id: UInt32) -> String {
        hexByte(UInt8(id >> 24)) + hexByte(UInt8(id >> 16 & 0xFF)) + hexByte(UInt8(id >> 8 & 0xFF)) + hexByte(UInt8(id & 0xFF))
    }

    /// Parses exactly 8 lowercase hex digits; `nil` for anything else (no case folding, so each ID
    /// has one text form).
    public static func parse(hex: some StringProtocol) -> UInt32? {
        let units = Array(hex.utf8)
        guard units.count == 8 else { return nil }
        var value: UInt32 = 0
        for u in units {
            let nibble: UInt8
            switch u {
            case 0x30...0x39: nibble = u - 0x30
            case 0x61...0x66: nibble = u - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }

    /// The four big-endian bytes that open a note signature.
    static func bytes(_ id: UInt32) -> [UInt8] {
        [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
    }

    static func read(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for b in bytes.prefix(4) { value = value << 8 | UInt32(b) }
        return value
    }

    static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0x0F)]], as: UTF8.self)
    }
}

/// Checks a signature over a note's text for one key, identified by (key name, key ID).
///
/// Why a protocol: a note can carry signatures of different types (the log's Ed25519 signature and
/// witnesses' cosignatures); `SignedNote.verifiedSignatures(by:)` matches each line to at most one
/// verifier by name and ID and lets that verifier decide what the signed message is.
public protocol NoteVerifier: Sendable {
    var keyName: String { get }
    var keyID: UInt32 { get }
    /// Whether `signature` (the bytes after the 4-byte key ID) is valid for `text` (the note text,
    /// final newline included, separating blank line excluded).
    func isValid(signature: [UInt8], text: [UInt8]) -> Bool
}

/// A signed-note verifier key ("vkey"): `<key name>+hex(key ID)+base64(signature type ‖ public key)`.
///
/// Why the key ID is checked on parse: for the Ed25519 types it is defined as a hash of the other
/// parts, so a vkey whose ID does not match is a copy-and-paste error or tampering, and accepting
/// it would make every signature under it "unknown" instead of failing loudly.
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    public let keyName: String
    public let keyID: UInt32
    public let signatureType: UInt8
    /// The key material after the type byte (32 bytes for both Ed25519 types).
    public let publicKey: [UInt8]

    /// - Throws: `NoteKeyError` for an invalid name, an unsupported type or a key that is not 32 bytes.
    public init(keyName: String, signatureType: UInt8, publicKey: [UInt8]) throws(NoteKeyError) {
        guard SignedNote.isValidKeyName(keyName) else { throw .invalidKeyName(keyName) }
        try Self.checkMaterial(signatureType: signatureType, publicKey: publicKey)
        self.keyName = keyName
        self.signatureType = signatureType
        self.publicKey = publicKey
        self.keyID = NoteKeyID.compute(keyName: keyName, signatureType: signatureType, publicKey: publicKey)
    }

    /// Parses the vkey text form strictly (lowercase hex, canonical padded base64).
    public init(parsing text: some StringProtocol) throws(NoteKeyError) {
        let units = Array(text.utf8)
        // The name contains no '+', so the first two '+' split the fields; base64 may contain '+'.
        guard let plus1 = units.firstIndex(of: 0x2B) else {
            throw .malformedVerifierKey(reason: "expected <name>+<key ID>+<key>, found no '+'")
        }
        guard let plus2 = units[(plus1 + 1)...].firstIndex(of: 0x2B) else {
            throw .malformedVerifierKey(reason: "expected <name>+<key ID>+<key>, found only one '+'")
        }
        let name = String(decoding: units[..<plus1], as: UTF8.self)
        guard SignedNote.isValidKeyName(name), name.utf8.elementsEqual(units[..<plus1]) else { throw .invalidKeyName(name) }
        guard let claimed = NoteKeyID.parse(hex: String(decoding: units[(plus1 + 1)..<plus2], as: UTF8.self)) else {
            throw .malformedVerifierKey(reason: "key ID must be 8 lowercase hex digits")
        }
        guard let material = Base64.decode(String(decoding: units[(plus2 + 1)...], as: UTF8.self)), let type = material.first
        else {
            throw .malformedVerifierKey(reason: "key must be canonical padded base64 of a type byte and the key")
        }
        try self.init(keyName: name, signatureType: type, publicKey: Array(material.dropFirst()))
        guard keyID == claimed else { throw .keyIDMismatch(expected: keyID, found: claimed) }
    }

    /// The vkey text form.
    public var text: String {
        keyName + "+" + NoteKeyID.hex(keyID) + "+" + Base64.encode([signatureType] + publicKey)
    }

    public var description: String { text }

    public static func == (a: Self, b: Self) -> Bool {
        a.keyName.utf8.elementsEqual(b.keyName.utf8) && a.keyID == b.keyID && a.signatureType == b.signatureType
            && a.publicKey == b.publicKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Array(keyName.utf8))
        hasher.combine(signatureType)
        hasher.combine(publicKey)
    }

    static func checkMaterial(signatureType: UInt8, publicKey: [UInt8]) throws(NoteKeyError) {
        switch signatureType {
        case NoteSignatureType.ed25519, NoteSignatureType.ed25519CosignatureV1:
            guard publicKey.count == 32 else { throw .invalidKeyLength(expected: 32, found: publicKey.count) }
        default:
            throw .unsupportedSignatureType(
                expected: [NoteSignatureType.ed25519, NoteSignatureType.ed25519CosignatureV1], found: signatureType)
        }
    }
}

/// A parsed private key in golang.org/x/mod/sumdb/note's text form
/// `PRIVATE+KEY+<key name>+hex(key ID)+base64(signature type ‖ 32-byte Ed25519 seed)`.
///
/// Why that form: it is what `note.GenerateKey` and transparency-dev/witness's `generate_keys`
/// write, so keys can move between BuckStop and the Go tooling. The key ID in it is that of the
/// *public* key, so it is checked after the public key is derived from the seed.
struct NotePrivateKey {
    let keyName: String
    let claimedKeyID: UInt32
    let signatureType: UInt8
    let seed: [UInt8]

    static let prefix = "PRIVATE+KEY+"

    init(parsing text: some StringProtocol) throws(NoteKeyError) {
        let units = Array(text.utf8)
        let prefix = Array(Self.prefix.utf8)
        guard units.starts(with: prefix) else {
            throw .malformedPrivateKey(reason: "expected it to start with \"PRIVATE+KEY+\"")
        }
        let rest = units[prefix.count...]
        guard let plus1 = rest.firstIndex(of: 0x2B), let plus2 = rest[(plus1 + 1)...].firstIndex(of: 0x2B) else {
            throw .malformedPrivateKey(reason: "expected PRIVATE+KEY+<name>+<key ID>+<key>")
        }
        let name = String(decoding: rest[..<plus1], as: UTF8.self)
        guard SignedNote.isValidKeyName(name), name.utf8.elementsEqual(rest[..<plus1]) else {
            throw .invalidKeyName(name)
        }
        guard let claimed = NoteKeyID.parse(hex: String(decoding: rest[(plus1 + 1)..<plus2], as: UTF8.self)) else {
            throw .malformedPrivateKey(reason: "key ID must be 8 lowercase hex digits")
        }
        guard let material = Base64.decode(String(decoding: rest[(plus2 + 1)...], as: UTF8.self)), let type = material.first else {
            throw .malformedPrivateKey(reason: "key must be canonical padded base64 of a type byte and the seed")
        }
        guard material.count == 33 else { throw .invalidKeyLength(expected: 32, found: material.count - 1) }
        keyName = name
        claimedKeyID = claimed
        signatureType = type
        seed = Array(material.dropFirst())
    }

    static func text(keyName: String, keyID: UInt32, signatureType: UInt8, seed: [UInt8]) -> String {
        prefix + keyName + "+" + NoteKeyID.hex(keyID) + "+" + Base64.encode([signatureType] + seed)
    }
}

/// Signs note texts with Ed25519 (signed-note type 0x01): the signature is over the text bytes,
/// final newline included.
public struct Ed25519NoteSigner: Sendable {
    private let privateKey: Curve25519.Signing.PrivateKey
    /// The matching verifier (name, key ID and public key).
    public let verifier: Ed25519NoteVerifier

    public var keyName: String { verifier.keyName }
    public var keyID: UInt32 { verifier.keyID }
    /// The 32-byte Ed25519 public key.
    public var publicKey: [UInt8] { verifier.publicKey }
    /// The vkey to hand to verifiers.
    public var verifierKey: NoteVerifierKey { verifier.verifierKey }

    /// - Throws: `NoteKeyError` unless `keyName` is a valid note key name and `seed` is 32 bytes.
    public init(keyName: String, seed: [UInt8]) throws(NoteKeyError) {
        privateKey = try Ed25519Keys.privateKey(seed: seed)
        verifier = try Ed25519NoteVerifier(keyName: keyName, publicKey: Array(privateKey.publicKey.rawRepresentation))
    }

    /// Parses `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ seed)>` and checks the key ID.
    public init(privateKey text: some StringProtocol) throws(NoteKeyError) {
        let parsed = try NotePrivateKey(parsing: text)
        guard parsed.signatureType == NoteSignatureType.ed25519 else {
            throw .unsupportedSignatureType(expected: [NoteSignatureType.ed25519], found: parsed.signatureType)
        }
        try self.init(keyName: parsed.keyName, seed: parsed.seed)
        guard keyID == parsed.claimedKeyID else { throw .keyIDMismatch(expected: keyID, found: parsed.claimedKeyID) }
    }

    /// The private key text form. Secret: anyone holding it can sign as this key.
    public var privateKeyText: String {
        NotePrivateKey.text(
            keyName: keyName, keyID: keyID, signatureType: NoteSignatureType.ed25519,
            seed: Array(privateKey.rawRepresentation))
    }

    /// The signature line for `text` (which must end with a newline, as every note text does).
    public func signature(for text: String) throws(NoteKeyError) -> NoteSignature {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else { throw .signingFailed("a note text must end with a newline") }
        return NoteSignature(checkedKeyName: keyName, keyID: keyID, signature: try Ed25519Keys.sign(bytes, with: privateKey))
    }

    /// A fresh random 32-byte seed from the system's cryptographic RNG.
    public static func generateSeed() -> [UInt8] {
        Array(Curve25519.Signing.PrivateKey().rawRepresentation)
    }
}

/// Verifies signed-note Ed25519 (type 0x01) signatures: Ed25519 over exactly the note text.
public struct Ed25519NoteVerifier: NoteVerifier {
    private let key: Curve25519.Signing.PublicKey
    public let verifierKey: NoteVerifierKey

    public var keyName: String { verifierKey.keyName }
    public var keyID: UInt32 { verifierKey.keyID }
    public var publicKey: [UInt8] { verifierKey.publicKey }

    public init(keyName: String, publicKey: [UInt8]) throws(NoteKeyError) {
        try self.init(try NoteVerifierKey(keyName: keyName, signatureType: NoteSignatureType.ed25519, publicKey: publicKey))
    }

    /// From a vkey text; only type 0x01 is accepted (a cosignature key is not a note-signing key).
    public init(verifierKey text: some StringProtocol) throws(NoteKeyError) {
        try self.init(try NoteVerifierKey(parsing: text))
    }

    public init(_ vkey: NoteVerifierKey) throws(NoteKeyError) {
        guard vkey.signatureType == NoteSignatureType.ed25519 else {
            throw .unsupportedSignatureType(expected: [NoteSignatureType.ed25519], found: vkey.signatureType)
        }
        key = try Ed25519Keys.publicKey(vkey.publicKey)
        verifierKey = vkey
    }

    public func isValid(signature: [UInt8], text: [UInt8]) -> Bool {
        signature.count == 64 && key.isValidSignature(signature, for: text)
    }
}

/// swift-crypto calls with their untyped errors mapped to `NoteKeyError`.
enum Ed25519Keys {
    static func privateKey(seed: [UInt8]) throws(NoteKeyError) -> Curve25519.Signing.PrivateKey {
        guard seed.count == 32 else { throw .invalidKeyLength(expected: 32, found: seed.count) }
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw .malformedPrivateKey(reason: "the Ed25519 seed was refused")
        }
    }

    static func publicKey(_ bytes: [UInt8]) throws(NoteKeyError) -> Curve25519.Signing.PublicKey {
        guard bytes.count == 32 else { throw .invalidKeyLength(expected: 32, found: bytes.count) }
        do {
            return try Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        } catch {
            throw .malformedVerifierKey(reason: "the Ed25519 public key was refused")
        }
    }

    static func sign(_ message: [UInt8], with key: Curve25519.Signing.PrivateKey) throws(NoteKeyError) -> [UInt8] {
        do {
            return Array(try key.signature(for: message))
        } catch {
            throw .signingFailed(String(describing: error))
        }
    }
}
