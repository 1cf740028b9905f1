/// A tree head: "the log named `origin` had `size` entries with root `rootHash` at `timestamp`".
///
/// Why a text body: the signature covers exactly these bytes, and a text form that a person can
/// read (and that other transparency tooling can parse) is what gets published and witnessed.
///
/// ## Body format (signed bytes)
///
/// UTF-8 text of exactly four lines, each terminated by a single `\n` (0x0A), nothing else:
///
/// ```text
/// <origin>\n
/// <size>\n
/// <base64(rootHash)>\n
/// <timestamp>\n
/// ```
///
/// - `origin`: the log's identity, 1+ printable ASCII characters (0x21–0x7E, so no spaces).
/// - `size`: tree size in decimal ASCII, no sign, no leading zeros (`0` for the empty tree).
/// - `rootHash`: RFC 4648 standard base64 with `=` padding of the 32-byte root (44 characters).
/// - `timestamp`: Unix time in whole seconds, decimal ASCII, no sign, no leading zeros.
///
/// The first three lines are the C2SP `tlog-checkpoint` body; the timestamp is its first (and
/// only) extension line, so generic checkpoint parsers accept it. Parsing is strict: any other
/// shape is rejected, so `Checkpoint(body: b).body == b` whenever parsing succeeds.
///
/// Example (the RFC 6962 reference tree of 8 leaves):
///
/// ```text
/// buckstop.example/ledger
/// 8
/// XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=
/// 1700000000
/// ```
public struct Checkpoint: Hashable, Sendable, Codable {
    public let origin: String
    public let size: Int
    public let rootHash: TreeHash
    /// Unix seconds.
    public let timestamp: Int64

    /// - Precondition: `Checkpoint.isValidOrigin(origin)`, `size >= 0`, `timestamp >= 0`; anything
    ///   else could not round-trip through the signed body. Validate untrusted origins first.
    public init(origin: String, size: Int, rootHash: TreeHash, timestamp: Int64) {
        precondition(Self.isValidOrigin(origin), "checkpoint origin must be 1+ printable ASCII characters without spaces")
        precondition(size >= 0, "checkpoint size must be non-negative")
        precondition(timestamp >= 0, "checkpoint timestamp must be non-negative Unix seconds")
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.timestamp = timestamp
    }

    /// Parses a body in the exact format above.
    public init(body: [UInt8]) throws(CheckpointError) {
        var lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // A well-formed body ends in "\n", so splitting yields a trailing empty piece.
        guard lines.count == 5, lines[4].isEmpty else {
            throw CheckpointError.malformedBody(
                line: min(lines.count, 5), reason: "expected exactly 4 newline-terminated lines")
        }
        lines.removeLast()
        guard !lines[0].isEmpty, lines[0].allSatisfy(Self.isOriginByte) else {
            throw CheckpointError.malformedBody(line: 1, reason: "origin must be printable ASCII without spaces")
        }
        let origin = String(decoding: lines[0], as: UTF8.self)
        guard let size = Self.parseDecimal(lines[1]), size <= Int64(Int.max) else {
            throw CheckpointError.malformedBody(line: 2, reason: "size must be a canonical non-negative decimal")
        }
        guard let root = TreeHash(base64: String(decoding: lines[2], as: UTF8.self)) else {
            throw CheckpointError.malformedBody(line: 3, reason: "root hash must be canonical base64 of 32 bytes")
        }
        guard let timestamp = Self.parseDecimal(lines[3]) else {
            throw CheckpointError.malformedBody(line: 4, reason: "timestamp must be canonical non-negative Unix seconds")
        }
        self.init(origin: origin, size: Int(size), rootHash: root, timestamp: timestamp)
    }

    /// The exact bytes that are signed (see the type documentation).
    public var body: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(origin.utf8.count + 20 + 45 + 20 + 4)
        out.append(contentsOf: origin.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: String(size).utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: rootHash.base64.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: String(timestamp).utf8)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// `body` as a `String` (it is always valid UTF-8).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether `origin` can be used: non-empty, printable ASCII (0x21–0x7E) only, so it can never
    /// inject a line break into the signed body and has a single byte representation.
    public static func isValidOrigin(_ origin: String) -> Bool {
        !origin.isEmpty && origin.utf8.allSatisfy(isOriginByte)
    }

    private static func isOriginByte(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }

    private static func parseDecimal(_ digits: ArraySlice<UInt8>) -> Int64? {
        CheckpointDecimal.parse(digits)
    }

    // MARK: Codable — `{"origin", "size", "rootHash" (hex), "timestamp"}`, validated on decode.

    private enum CodingKeys: String, CodingKey { case origin, size, rootHash, timestamp }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let origin = try c.decode(String.self, forKey: .origin)
        let size = try c.decode(Int.self, forKey: .size)
        let root = try c.decode(TreeHash.self, forKey: .rootHash)
        let timestamp = try c.decode(Int64.self, forKey: .timestamp)
        guard Self.isValidOrigin(origin) else {
            throw DecodingError.dataCorruptedError(forKey: .origin, in: c, debugDescription: "invalid checkpoint origin")
        }
        guard size >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .size, in: c, debugDescription: "negative checkpoint size")
        }
        guard timestamp >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .timestamp, in: c, debugDescription: "negative timestamp")
        }
        self.init(origin: origin, size: size, rootHash: root, timestamp: timestamp)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(origin, forKey: .origin)
        try c.encode(size, forKey: .size)
        try c.encode(rootHash, forKey: .rootHash)
        try c.encode(timestamp, forKey: .timestamp)
    }
}

/// A checkpoint plus an Ed25519 signature over its `body`, and the ID of the signing key.
///
/// Why `keyID` travels with it: a verifier holding several trusted keys (rotation, witnesses)
/// picks the right one without trial verification. It is *not* trusted on its own —
/// `CheckpointVerifier.isValid` checks it against the verifier's key.
///
/// `keyID` is the C2SP signed-note key ID of the signing key under the key name `checkpoint.origin`
/// (8 lowercase hex digits of SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ public key)[:4]; see
/// `CheckpointSigner`). Checkpoints signed before BuckStop used C2SP notes carry the legacy ID
/// (SHA-256(public key)[:4]) instead; the signature itself, Ed25519 over `checkpoint.body`, is the
/// same in both, and `CheckpointVerifier.reidentified` relabels an old one.
///
/// ## Text form (`text`)
///
/// A C2SP signed note (c2sp.org/signed-note, c2sp.org/tlog-checkpoint): the body, one blank
/// line, then one signature line
///
/// ```text
/// — <origin> <base64(4-byte key ID ‖ 64-byte signature)>\n
/// ```
///
/// starting with U+2014 EM DASH and a space, so any signed-note verifier holding the log's vkey
/// (`CheckpointVerifier.verifierKey(origin:)`) can check it, and witnesses can cosign it.
public struct SignedCheckpoint: Hashable, Sendable, Codable {
    public let checkpoint: Checkpoint
    /// 64-byte Ed25519 signature over `checkpoint.body`.
    public let signature: [UInt8]
    /// 8 lowercase hex digits: the C2SP note key ID (or, for old checkpoints, the legacy key ID).
    public let keyID: String

    public init(checkpoint: Checkpoint, signature: [UInt8], keyID: String) {
        self.checkpoint = checkpoint
        self.signature = signature
        self.keyID = keyID
    }

    /// The note key name of the signature: always the origin.
    public var keyName: String { checkpoint.origin }

    /// The log's signature line. Only a checkpoint with a malformed `keyID` (not 8 lowercase hex)
    /// or an empty signature has none; `CheckpointSigner` never makes one.
    public var noteSignature: NoteSignature? {
        guard let id = NoteKeyID.parse(hex: keyID), SignedNote.isValidKeyName(keyName), !signature.isEmpty else { return nil }
        return NoteSignature(checkedKeyName: keyName, keyID: id, signature: signature)
    }

    /// The C2SP signed note: the body and the log's signature line, then `cosignatures` (witness
    /// lines, e.g. as stored or as returned by `add-checkpoint`).
    public func note(cosignatures: [NoteSignature] = []) throws(SignedNoteError) -> SignedNote {
        guard let line = noteSignature else {
            throw .malformedSignatureLine(line: 1, reason: "the checkpoint's key ID is not 8 lowercase hex digits or its origin is not a key name")
        }
        return try SignedNote(text: checkpoint.bodyText, signatures: [line] + cosignatures)
    }

    /// The C2SP signed-note text form (see the type documentation). For a checkpoint whose `keyID`
    /// is not 8 lowercase hex digits the key ID bytes are written as zero, so the text never
    /// verifies, as such a checkpoint never does.
    public var text: String {
        let id = NoteKeyID.parse(hex: keyID) ?? 0
        return checkpoint.bodyText + "\n" + Self.signaturePrefix + keyName + " " + Base64.encode(NoteKeyID.bytes(id) + signature) + "\n"
    }

    /// Parses a C2SP signed note whose text is a BuckStop checkpoint body. Does not verify.
    ///
    /// Exactly one signature line must be by the origin's key name with a 64-byte Ed25519
    /// signature; other lines (witness cosignatures, other keys) are allowed and ignored here —
    /// read them with `SignedNote(parsing:)`.
    public init(text: String) throws(CheckpointError) {
        let note: SignedNote
        do {
            note = try SignedNote(parsing: text)
        } catch {
            throw .malformedSignedText(reason: error.description)
        }
        try self.init(note: note)
    }

    /// As `init(text:)` from an already parsed note.
    public init(note: SignedNote) throws(CheckpointError) {
        let checkpoint = try Checkpoint(body: note.textBytes)
        let candidates = note.signatures.filter { $0.keyName.utf8.elementsEqual(checkpoint.origin.utf8) && $0.signature.count == 64 }
        guard let line = candidates.first else {
            throw .malformedSignedText(
                reason: "expected a signature line by key name \(checkpoint.origin) with a 64-byte Ed25519 signature, found none")
        }
        guard candidates.count == 1 else {
            throw .malformedSignedText(reason: "expected one Ed25519 signature line by \(checkpoint.origin), found \(candidates.count)")
        }
        self.init(checkpoint: checkpoint, signature: line.signature, keyID: NoteKeyID.hex(line.keyID))
    }

    /// Parses the pre-C2SP text form `<body>\n— <legacy keyID> <base64(64-byte signature)>\n`
    /// that BuckStop published before, so notes saved from it can still be checked.
    public init(legacyText text: String) throws(CheckpointError) {
        let utf8 = Array(text.utf8)
        // The body ends at the first blank line ("\n\n"); the body itself has no empty lines.
        guard let split = Self.firstBlankLine(utf8) else {
            throw .malformedSignedText(reason: "missing blank line after the body")
        }
        let checkpoint = try Checkpoint(body: Array(utf8[..<(split + 1)]))
        let sigLine = String(decoding: utf8[(split + 2)...], as: UTF8.self)
        guard sigLine.hasPrefix(Self.signaturePrefix), sigLine.hasSuffix("\n") else {
            throw .malformedSignedText(reason: "signature line must be \"— <keyID> <base64>\\n\"")
        }
        let fields = sigLine.dropFirst(Self.signaturePrefix.count).dropLast()
            .split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, CheckpointVerifier.isWellFormedKeyID(String(fields[0])) else {
            throw .malformedSignedText(reason: "signature line must be \"— <keyID> <base64>\\n\"")
        }
        guard let signature = Base64.decode(fields[1]), signature.count == 64 else {
            throw .malformedSignedText(reason: "signature must be canonical base64 of 64 bytes")
        }
        self.init(checkpoint: checkpoint, signature: signature, keyID: String(fields[0]))
    }

    private static let signaturePrefix = "\u{2014} "

    private static func firstBlankLine(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    // MARK: Codable — `{"checkpoint": {…}, "signature": base64, "keyID": "…"}`.

    private enum CodingKeys: String, CodingKey { case checkpoint, signature, keyID }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let checkpoint = try c.decode(Checkpoint.self, forKey: .checkpoint)
        let sigText = try c.decode(String.self, forKey: .signature)
        guard let signature = Base64.decode(sigText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .signature, in: c, debugDescription: "signature must be canonical base64")
        }
        let keyID = try c.decode(String.self, forKey: .keyID)
        self.init(checkpoint: checkpoint, signature: signature, keyID: keyID)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(Base64.encode(signature), forKey: .signature)
        try c.encode(keyID, forKey: .keyID)
    }
}
