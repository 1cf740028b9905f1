/// Why a signed note was refused, with what was expected and what was found.
public enum SignedNoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The note is longer than `SignedNote.maxBytes`.
    case tooLarge(limit: Int, found: Int)
    /// signed-note: notes MUST be valid UTF-8.
    case invalidUTF8(offset: Int)
    /// signed-note: no ASCII control characters other than newline.
    case controlCharacter(offset: Int, byte: UInt8)
    /// The note text is empty or does not end with a newline.
    case textMustEndWithNewline
    /// No blank line separates the text from the signatures.
    case missingBlankLine
    /// Nothing follows the blank line; a signed note has one or more signature lines.
    case noSignatureLines
    /// The last signature line is not newline-terminated.
    case missingFinalNewline
    /// More signature lines than `SignedNote.maxSignatures`.
    case tooManySignatures(limit: Int)
    /// Signature line `line` (1-based, counted from the first signature line) is not
    /// `— <key name> <base64(key ID ‖ signature)>`.
    case malformedSignatureLine(line: Int, reason: String)
    /// signed-note: key names are non-empty, with no Unicode spaces and no `+`.
    case invalidKeyName(String)
    /// A line whose key name and ID match a trusted key did not verify; signed-note says to
    /// reject the whole note.
    case invalidSignature(keyName: String, keyID: UInt32)
    /// Two trusted keys share a name and key ID, so a signature cannot be attributed.
    case ambiguousKey(keyName: String, keyID: UInt32)
    /// No signature from a trusted key: the note text must be ignored.
    case noVerifiedSignature

    public var description: String {
        switch self {
        case .tooLarge(let limit, let found):
            return "note is \(found) bytes, more than the limit of \(limit)"
        case .invalidUTF8(let offset):
            return "note is not valid UTF-8 at byte \(offset)"
        case .controlCharacter(let offset, let byte):
            return "note contains control character 0x\(NoteKeyID.hexByte(byte)) at byte \(offset); only newline is allowed"
        case .textMustEndWithNewline:
            return "note text must be non-empty and end with a newline"
        case .missingBlankLine:
            return "expected a blank line between the note text and its signatures, found none"
        case .noSignatureLines:
            return "expected one or more signature lines after the blank line, found none"
        case .missingFinalNewline:
            return "expected the last signature line to end with a newline"
        case .tooManySignatures(let limit):
            return "note has more than \(limit) signature lines"
        case .malformedSignatureLine(let line, let reason):
            return "signature line \(line): \(reason)"
        case .invalidKeyName(let name):
            return "invalid key name \(name.debugDescription): expected non-empty, without spaces or '+'"
        case .invalidSignature(let name, let keyID):
            return "signature by trusted key \(name)+\(NoteKeyID.hex(keyID)) does not verify"
        case .ambiguousKey(let name, let keyID):
            return "more than one trusted key is named \(name)+\(NoteKeyID.hex(keyID))"
        case .noVerifiedSignature:
            return "note has no signature from a trusted key"
        }
    }
}

/// One signature line of a signed note: `— <key name> base64(key ID ‖ signature)`.
///
/// It says nothing until a trusted verifier with the same name *and* key ID has checked it.
public struct NoteSignature: Sendable, Hashable, CustomStringConvertible {
    public let keyName: String
    /// The 32-bit key ID (big-endian first four bytes of the decoded signature).
    public let keyID: UInt32
    /// The bytes after the key ID (for Ed25519 the 64-byte signature; for cosignature/v1 the
    /// 8-byte timestamp and then the signature).
    public let signature: [UInt8]

    /// - Throws: `SignedNoteError.invalidKeyName`, or `.malformedSignatureLine` for an empty signature.
    public init(keyName: String, keyID: UInt32, signature: [UInt8]) throws(SignedNoteError) {
        guard SignedNote.isValidKeyName(keyName) else { throw .invalidKeyName(keyName) }
        guard !signature.isEmpty else { throw .malformedSignatureLine(line: 1, reason: "signature bytes are empty") }
        self.init(checkedKeyName: keyName, keyID: keyID, signature: signature)
    }

    init(checkedKeyName: String, keyID: UInt32, signature: [UInt8]) {
        self.keyName = checkedKeyName
        self.keyID = keyID
        self.signature = signature
    }

    /// Parses one line; the final newline may be present or not, nothing else may follow it.
    public init(line: some StringProtocol) throws(SignedNoteError) {
        var bytes = Array(line.utf8)
        if bytes.last == 0x0A { bytes.removeLast() }
        if let offset = bytes.firstIndex(where: { $0 < 0x20 }) {
            throw .controlCharacter(offset: offset, byte: bytes[offset])
        }
        self = try Self.parse(bytes[...], lineNumber: 1)
    }

    /// `base64(key ID ‖ signature)`, as it appears on the line.
    public var base64: String { Base64.encode(NoteKeyID.bytes(keyID) + signature) }

    /// The whole line, newline included.
    public var line: String { "\u{2014} " + keyName + " " + base64 + "\n" }

    public var description: String { String(line.dropLast()) }

    public static func == (a: Self, b: Self) -> Bool {
        a.keyID == b.keyID && a.signature == b.signature && a.keyName.utf8.elementsEqual(b.keyName.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Array(keyName.utf8))
        hasher.combine(keyID)
        hasher.combine(signature)
    }

    /// Whether this line is by the key (name, ID) — compared byte for byte, never by Unicode
    /// equivalence, because the key ID hashes the name's bytes.
    public func isBy(keyName name: String, keyID id: UInt32) -> Bool {
        keyID == id && keyName.utf8.elementsEqual(name.utf8)
    }

    static let prefix: [UInt8] = Array("\u{2014} ".utf8)

    /// `bytes` is one line without its newline, already checked for UTF-8 and control characters.
    static func parse(_ bytes: ArraySlice<UInt8>, lineNumber: Int) throws(SignedNoteError) -> NoteSignature {
        guard bytes.starts(with: prefix) else {
            throw .malformedSignatureLine(line: lineNumber, reason: "expected it to start with an em dash (U+2014) and a space")
        }
        let rest = bytes.dropFirst(prefix.count)
        guard let space = rest.firstIndex(of: 0x20) else {
            throw .malformedSignatureLine(line: lineNumber, reason: "expected \"<key name> <base64>\", found no space")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard SignedNote.isValidKeyName(name) else { throw .invalidKeyName(name) }
        let encoded = rest[(space + 1)...]
        guard let raw = Base64.decode(String(decoding: encoded, as: UTF8.self)) else {
            throw .malformedSignatureLine(line: lineNumber, reason: "signature is not canonical padded base64")
        }
        guard raw.count >= 5 else {
            throw .malformedSignatureLine(
                line: lineNumber, reason: "expected a 4-byte key ID and at least one signature byte, found \(raw.count) bytes")
        }
        return NoteSignature(checkedKeyName: name, keyID: NoteKeyID.read(raw[0..<4]), signature: Array(raw[4...]))
    }
}

/// A C2SP signed note (c2sp.org/signed-note): a text, a blank line, one or more signature lines.
///
/// Why its own type: the signatures are over the text's exact bytes, so parsing keeps those bytes
/// unchanged and serialising gives back exactly what was parsed (`SignedNote(parsing: s).serialized
/// == s` whenever parsing succeeds). Parsing checks only the format; which signatures count is
/// decided by `verifiedSignatures(by:)` against keys the caller trusts. Lines from unknown keys are
/// kept (they are other parties' signatures, e.g. witness cosignatures) but never trusted.
public struct SignedNote: Sendable, Hashable {
    /// signed-note: verifiers SHOULD limit the number of signatures and MUST accept at least 16;
    /// 100 is the limit of golang.org/x/mod/sumdb/note.
    public static let maxSignatures = 100
    /// A bound on the whole note, so a hostile note cannot make the parser walk megabytes. Room for
    /// 16 post-quantum signatures (nearly 5 kB each) and a long text.
    public static let maxBytes = 256 * 1024

    /// The note text, final newline included, separating blank line excluded: the signed bytes.
    public let text: String
    /// The signature lines in their order in the note.
    public let signatures: [NoteSignature]

    /// - Throws: `SignedNoteError` unless `text` is non-empty, ends with a newline, has no control
    ///   characters but newline, and there are 1…`maxSignatures` signatures.
    public init(text: String, signatures: [NoteSignature]) throws(SignedNoteError) {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else { throw .textMustEndWithNewline }
        if let offset = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw .controlCharacter(offset: offset, byte: bytes[offset])
        }
        guard !signatures.isEmpty else { throw .noSignatureLines }
        guard signatures.count <= Self.maxSignatures else { throw .tooManySignatures(limit: Self.maxSignatures) }
        self.text = text
        self.signatures = signatures
        let size = serializedByteCount
        guard size <= Self.maxBytes else { throw .tooLarge(limit: Self.maxBytes, found: size) }
    }

    /// Parses a note exactly per signed-note: valid UTF-8, no control characters but newline, the
    /// text separated from the signatures by the *last* blank line (the text may contain blank
    /// lines), each signature line `— <name> <base64>\n`.
    public init(parsing note: some StringProtocol) throws(SignedNoteError) {
        try self.init(bytes: Array(note.utf8))
    }

    /// As `init(parsing:)`, from raw bytes (for example an HTTP body), checking UTF-8 too.
    public init(bytes: [UInt8]) throws(SignedNoteError) {
        guard bytes.count <= Self.maxBytes else { throw .tooLarge(limit: Self.maxBytes, found: bytes.count) }
        try Self.checkCharacters(bytes)
        guard let split = Self.lastBlankLine(bytes) else { throw .missingBlankLine }
        let textBytes = bytes[...split]
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else { throw .noSignatureLines }
        guard block.last == 0x0A else { throw .missingFinalNewline }
        var signatures = [NoteSignature]()
        var start = block.startIndex
        while start < block.endIndex {
            // The block ends with "\n", so every line has one.
            let end = block[start...].firstIndex(of: 0x0A) ?? block.endIndex
            guard signatures.count < Self.maxSignatures else { throw .tooManySignatures(limit: Self.maxSignatures) }
            signatures.append(try NoteSignature.parse(block[start..<end], lineNumber: signatures.count + 1))
            start = end + 1
        }
        text = String(decoding: textBytes, as: UTF8.self)
        self.signatures = signatures
    }

    /// The note in its wire form: text, blank line, signature lines.
    public var serialized: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// `serialized` as bytes.
    public var bytes: [UInt8] { Array(serialized.utf8) }

    /// The signed bytes.
    public var textBytes: [UInt8] { Array(text.utf8) }

    /// A copy with `more` appended after the existing lines, skipping any line already present.
    public func adding(_ more: [NoteSignature]) throws(SignedNoteError) -> SignedNote {
        var all = signatures
        for s in more where !all.contains(s) { all.append(s) }
        return try SignedNote(text: text, signatures: all)
    }

    /// The signatures that trusted keys vouch for, each key once, in note order.
    ///
    /// signed-note: a line whose (name, key ID) matches no verifier is ignored; a line that matches
    /// one must verify, and if it does not the whole note is rejected (so a second, bad signature
    /// by a trusted key is never hidden behind a good one); if none verifies the note is rejected.
    ///
    /// - Throws: `.invalidSignature`, `.ambiguousKey` (two verifiers share name and ID), or
    ///   `.noVerifiedSignature`.
    public func verifiedSignatures(by verifiers: [any NoteVerifier]) throws(SignedNoteError) -> [NoteSignature] {
        let message = textBytes
        var verified = [NoteSignature]()
        for line in signatures {
            let matching = verifiers.filter { line.isBy(keyName: $0.keyName, keyID: $0.keyID) }
            guard let verifier = matching.first else { continue }
            guard matching.count == 1 else { throw .ambiguousKey(keyName: line.keyName, keyID: line.keyID) }
            guard verifier.isValid(signature: line.signature, text: message) else {
                throw .invalidSignature(keyName: line.keyName, keyID: line.keyID)
            }
            if !verified.contains(where: { $0.isBy(keyName: line.keyName, keyID: line.keyID) }) { verified.append(line) }
        }
        guard !verified.isEmpty else { throw .noVerifiedSignature }
        return verified
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.text.utf8.elementsEqual(b.text.utf8) && a.signatures == b.signatures
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Array(text.utf8))
        hasher.combine(signatures)
    }

    /// signed-note: non-empty, no Unicode spaces (the White_Space property, as Go's
    /// `unicode.IsSpace`), no `+`, and — since it sits on one line of a note — no control characters.
    public static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0 != "+" && $0.value >= 0x20 }
    }

    // MARK: - Internals

    private var serializedByteCount: Int {
        text.utf8.count + 1 + signatures.reduce(0) { $0 + $1.line.utf8.count }
    }

    /// Valid UTF-8 (Swift's decoder rejects overlong forms, surrogates and values past U+10FFFF)
    /// and no byte below 0x20 except newline.
    static func checkCharacters(_ bytes: [UInt8]) throws(SignedNoteError) {
        if let offset = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw .controlCharacter(offset: offset, byte: bytes[offset])
        }
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                break loop
            case .error:
                throw .invalidUTF8(offset: offset)
            }
        }
    }

    /// Index of the first newline of the last "\n\n" in `bytes`.
    static func lastBlankLine(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i }
            i -= 1
        }
        return nil
    }
}
