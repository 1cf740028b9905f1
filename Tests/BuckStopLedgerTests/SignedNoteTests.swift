import BuckStopLedger
import Testing

/// C2SP signed-note: known-answer vectors from the two reference sources, then the format's
/// edges. Provenance of every vector is given where it is defined.
@Suite struct SignedNoteTests {
    // MARK: golang.org/x/mod/sumdb/note vectors
    //
    // From github.com/golang/mod, file sumdb/note/note_test.go (TestNewVerifier, TestNewSigner,
    // TestSign, TestOpen, TestVerifierList) at commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db.

    static let peterVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochVKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig =
        "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig =
        "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    // MARK: C2SP signed-note example
    //
    // From github.com/C2SP/C2SP, file signed-note.md ("Verifier keys", "Example") at commit
    // 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9.

    static let specVKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let specNote =
        "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"

    @Test func goSignerProducesTheGoSignatureByteForByte() throws {
        let signer = try Ed25519NoteSigner(privateKey: Self.peterSKey)
        #expect(signer.keyName == "PeterNeumann")
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.verifierKey.text == Self.peterVKey, "the vkey derived from the private key is Go's")
        #expect(signer.privateKeyText == Self.peterSKey, "the private key text round-trips")
        // Ed25519 (RFC 8032) is deterministic, so the signature is Go's exactly.
        let note = try SignedNote(text: Self.text, signatures: [try signer.signature(for: Self.text)])
        #expect(note.serialized == Self.text + "\n" + Self.peterSig)
    }

    @Test func goNotesOpenAsGoOpensThem() throws {
        let peter = try Ed25519NoteVerifier(verifierKey: Self.peterVKey)
        let enoch = try Ed25519NoteVerifier(verifierKey: Self.enochVKey)
        #expect(peter.keyName == "PeterNeumann" && peter.keyID == 0xc74f_20a3)
        #expect(enoch.keyName == "EnochRoot" && enoch.keyID == 0xaf0c_fe78)
        #expect(peter.verifierKey.text == Self.peterVKey)

        let both = try SignedNote(parsing: Self.text + "\n" + Self.peterSig + Self.enochSig)
        #expect(both.text == Self.text)
        #expect(both.signatures.map(\.keyName) == ["PeterNeumann", "EnochRoot"])
        #expect(both.signatures.map(\.keyID) == [0xc74f_20a3, 0xaf0c_fe78])
        #expect(both.serialized == Self.text + "\n" + Self.peterSig + Self.enochSig)

        // One known key: its signature is verified, the other is kept but not trusted.
        #expect(try both.verifiedSignatures(by: [peter]).map(\.keyName) == ["PeterNeumann"])
        #expect(try both.verifiedSignatures(by: [peter, enoch]).map(\.keyName) == ["PeterNeumann", "EnochRoot"])
        #expect(throws: SignedNoteError.noVerifiedSignature) { try both.verifiedSignatures(by: []) }

        // Go's "Invalid signature": four characters inserted into Peter's base64.
        let bad = Self.peterSig.prefix(60) + "ABCD" + Self.peterSig.dropFirst(60)
        let tampered = try SignedNote(parsing: Self.text + "\n" + bad)
        #expect(throws: SignedNoteError.invalidSignature(keyName: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try tampered.verifiedSignatures(by: [peter])
        }
        // Duplicated lines: each trusted key is reported once.
        let dup = try SignedNote(parsing: Self.text + "\n" + Self.peterSig + Self.peterSig + Self.enochSig + Self.enochSig)
        #expect(try dup.verifiedSignatures(by: [peter]).count == 1)
        #expect(dup.serialized == Self.text + "\n" + Self.peterSig + Self.peterSig + Self.enochSig + Self.enochSig)
        // Stricter than Go, as signed-note asks: a second, bad line by a trusted key is not hidden
        // behind a good one (Go skips repeated lines by a verified key without checking them).
        let goodThenBad = try SignedNote(parsing: Self.text + "\n" + Self.peterSig + bad)
        #expect(throws: SignedNoteError.invalidSignature(keyName: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try goodThenBad.verifiedSignatures(by: [peter])
        }
        // Go's "Check duplicated verifier": two trusted keys with one name and ID.
        let enochOnly = try SignedNote(parsing: Self.text + "\n" + Self.enochSig)
        #expect(throws: SignedNoteError.ambiguousKey(keyName: "EnochRoot", keyID: 0xaf0c_fe78)) {
            try enochOnly.verifiedSignatures(by: [enoch, peter, enoch])
        }
        // ... but an unused duplicate does not matter.
        #expect(try SignedNote(parsing: Self.text + "\n" + Self.peterSig).verifiedSignatures(by: [enoch, peter, enoch]).count == 1)
    }

    @Test func goRejectsWhatWeReject() {
        // Go's TestOpen "Invalid encoded message syntax" list, plus its 101-signature case.
        let bad: [(String, SignedNoteError)] = [
            (Self.text, .missingBlankLine),
            (Self.text + "\n", .noSignatureLines),
            (Self.text + "\n" + String(Self.peterSig.dropLast()), .missingFinalNewline),
            ("\u{01}" + Self.text + "\n" + Self.peterSig, .controlCharacter(offset: 0, byte: 0x01)),
            (
                Self.text + "\n" + "\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                .missingFinalNewline
            ),
            (
                Self.text + "\n" + "\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
                .malformedSignatureLine(line: 1, reason: "signature is not canonical padded base64")
            ),
            (
                Self.text + "\n" + Self.peterSig + "Unexpected line.\n",
                .malformedSignatureLine(line: 2, reason: "expected it to start with an em dash (U+2014) and a space")
            ),
            (Self.text + "\n" + String(repeating: Self.peterSig, count: 101), .tooManySignatures(limit: 100)),
        ]
        for (note, expected) in bad {
            #expect(throws: expected, "\(note.debugDescription)") { try SignedNote(parsing: note) }
        }
        // "\xff" + text: not UTF-8 (needs raw bytes; a Swift String cannot hold it).
        #expect(throws: SignedNoteError.invalidUTF8(offset: 0)) {
            try SignedNote(bytes: [0xFF] + Array((Self.text + "\n" + Self.peterSig).utf8))
        }
        // 100 signatures are accepted (the spec's floor is 16).
        #expect((try? SignedNote(parsing: Self.text + "\n" + String(repeating: Self.peterSig, count: 100)))?.signatures.count == 100)
    }

    @Test func goVerifierKeyManglingsAreRejected() throws {
        // Go's TestNewVerifier: every proper substring and every single-byte increment fails.
        _ = try NoteVerifierKey(parsing: Self.peterVKey)
        let bytes = Array(Self.peterVKey.utf8)
        var accepted = [String]()
        for i in 0...bytes.count {
            for j in (i + 1)..<(bytes.count + 1) where !(i == 0 && j == bytes.count) {
                let s = String(decoding: bytes[i..<j], as: UTF8.self)
                if (try? NoteVerifierKey(parsing: s)) != nil { accepted.append(s) }
            }
        }
        for i in bytes.indices {
            var b = bytes
            b[i] &+= 1
            let s = String(decoding: b, as: UTF8.self)
            if (try? NoteVerifierKey(parsing: s)) != nil { accepted.append(s) }
        }
        #expect(accepted.isEmpty)
        // Go's "wrong length key, with adjusted key hash" and "unknown algorithm, with adjusted key hash".
        // (Go's lenient base64 decodes the first one's non-zero trailing bits; our strict decoder
        // refuses the text before its length is even looked at.)
        #expect(throws: NoteKeyError.malformedVerifierKey(reason: "key must be canonical padded base64 of a type byte and the key")) {
            try NoteVerifierKey(parsing: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: NoteKeyError.invalidKeyLength(expected: 32, found: 33)) {
            try NoteVerifierKey(parsing: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAA==")
        }
        #expect(throws: NoteKeyError.unsupportedSignatureType(expected: [0x01, 0x04], found: 0x65)) {
            try NoteVerifierKey(parsing: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test func goPrivateKeyManglingsAreRejected() throws {
        // Go's TestNewSigner: every proper substring and every single-byte increment fails.
        let bytes = Array(Self.peterSKey.utf8)
        var accepted = [Int]()
        for i in 0...bytes.count {
            for j in (i + 1)..<(bytes.count + 1) where !(i == 0 && j == bytes.count) {
                if (try? Ed25519NoteSigner(privateKey: String(decoding: bytes[i..<j], as: UTF8.self))) != nil { accepted.append(i * 1000 + j) }
            }
        }
        for i in bytes.indices {
            var b = bytes
            b[i] &+= 1
            if (try? Ed25519NoteSigner(privateKey: String(decoding: b, as: UTF8.self))) != nil { accepted.append(-i) }
        }
        #expect(accepted.isEmpty)
    }

    @Test func specExampleVerifies() throws {
        let vkey = try NoteVerifierKey(parsing: Self.specVKey)
        #expect(vkey.keyName == "example.com/foo" && vkey.keyID == 0x530d_903a && vkey.signatureType == 0x01)
        #expect(vkey.publicKey == hexBytes("e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4"))
        #expect(vkey.text == Self.specVKey)
        let note = try SignedNote(parsing: Self.specNote)
        #expect(note.text == "This is an example message.\n")
        #expect(try note.verifiedSignatures(by: [try Ed25519NoteVerifier(vkey)]).count == 1)
        #expect(note.serialized == Self.specNote)
        // The spec's first example (quasimodo) has blank lines inside its text: the text ends at
        // the *last* blank line. (No key is published for it, so only the split is checked.)
        let poem = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned\u{E8} subito sera.\n"
        let quasimodo = try SignedNote(
            parsing: poem
                + "\n\u{2014} quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
        )
        #expect(quasimodo.text == poem)
        #expect(quasimodo.signatures.first?.keyID == 0x367b_a04b)
    }

    @Test func keyNamesFollowTheSpec() {
        for good in ["a", "example.com/foo", "Nguy\u{1EC5}n", "a-b_c.d/e:f"] {
            #expect(SignedNote.isValidKeyName(good), "\(good)")
        }
        for bad in ["", "a b", "a+b", "a\u{00A0}b", "a\u{3000}b", "a\tb", "a\u{2028}b", "a\u{85}b"] {
            #expect(!SignedNote.isValidKeyName(bad), "\(bad.debugDescription)")
            #expect(throws: NoteKeyError.invalidKeyName(bad)) { try Ed25519NoteSigner(keyName: bad, seed: Array(repeating: 1, count: 32)) }
        }
        #expect(throws: SignedNoteError.invalidKeyName("a\u{00A0}b")) {
            try SignedNote(parsing: "t\n\n\u{2014} a\u{00A0}b AAAAAAA=\n")
        }
        #expect(throws: SignedNoteError.invalidKeyName("a+b")) {
            try SignedNote(parsing: "t\n\n\u{2014} a+b AAAAAAA=\n")
        }
    }

    @Test func malformedNotesGiveTypedErrors() throws {
        let line = Self.peterSig
        let cases: [(String, SignedNoteError)] = [
            ("", .missingBlankLine),
            ("\n\n", .noSignatureLines),
            ("t\n\n\u{2014} PeterNeumann\n", .malformedSignatureLine(line: 1, reason: "expected \"<key name> <base64>\", found no space")),
            (
                "t\n\n\u{2014} PeterNeumann \n",
                .malformedSignatureLine(line: 1, reason: "expected a 4-byte key ID and at least one signature byte, found 0 bytes")
            ),
            ("t\n\n\u{2014}  x08g\n", .invalidKeyName("")),
            (
                "t\n\n\u{2014} P AAAA\n",
                .malformedSignatureLine(line: 1, reason: "expected a 4-byte key ID and at least one signature byte, found 3 bytes")
            ),
            (
                "t\n\n\u{2014} P AAAAAA==\n",
                .malformedSignatureLine(line: 1, reason: "expected a 4-byte key ID and at least one signature byte, found 4 bytes")
            ),
            ("t\n\n\u{2014} P AAAAAAA\n", .malformedSignatureLine(line: 1, reason: "signature is not canonical padded base64")),
            ("t\n\n\u{2014} P AAAAAAB=\n", .malformedSignatureLine(line: 1, reason: "signature is not canonical padded base64")),
            ("t\n\n- P AAAAAAA=\n", .malformedSignatureLine(line: 1, reason: "expected it to start with an em dash (U+2014) and a space")),
            ("t\n\n\u{2014}P AAAAAAA=\n", .malformedSignatureLine(line: 1, reason: "expected it to start with an em dash (U+2014) and a space")),
            ("t\n\n" + line + "\n", .noSignatureLines),  // the last blank line is now after the signature
            ("t\r\n\n" + line, .controlCharacter(offset: 1, byte: 0x0D)),
            ("t\n\n" + line.replacingOccurrences(of: " x08", with: "\tx08"), .controlCharacter(offset: 19, byte: 0x09)),
        ]
        for (note, expected) in cases {
            #expect(throws: expected, "\(note.debugDescription)") { try SignedNote(parsing: note) }
        }
        // Over-long: one byte past the limit is refused before anything is scanned.
        let long = String(repeating: "a", count: SignedNote.maxBytes) + "\n\n" + line
        #expect(throws: SignedNoteError.tooLarge(limit: SignedNote.maxBytes, found: long.utf8.count)) { try SignedNote(parsing: long) }
        // Overlong UTF-8 encoding of "/" and a lone surrogate are not UTF-8.
        #expect(throws: SignedNoteError.invalidUTF8(offset: 1)) { try SignedNote(bytes: [0x74, 0xC0, 0xAF, 0x0A, 0x0A] + Array(line.utf8)) }
        #expect(throws: SignedNoteError.invalidUTF8(offset: 0)) { try SignedNote(bytes: [0xED, 0xA0, 0x80, 0x0A, 0x0A] + Array(line.utf8)) }
        // Building a note checks the same rules.
        let sig = try NoteSignature(line: line)
        #expect(throws: SignedNoteError.textMustEndWithNewline) { try SignedNote(text: "no newline", signatures: [sig]) }
        #expect(throws: SignedNoteError.noSignatureLines) { try SignedNote(text: "t\n", signatures: []) }
        #expect(throws: SignedNoteError.controlCharacter(offset: 1, byte: 0)) { try SignedNote(text: "t\u{0}\n", signatures: [sig]) }
        #expect(throws: SignedNoteError.tooManySignatures(limit: 100)) {
            try SignedNote(text: "t\n", signatures: Array(repeating: sig, count: 101))
        }
        #expect(throws: SignedNoteError.invalidKeyName("a b")) { try NoteSignature(keyName: "a b", keyID: 1, signature: [1]) }
    }

    @Test func parsingAndSerialisingAreInverse() throws {
        // Texts with blank lines, non-ASCII, and notes with several signatures.
        let signer = try Ed25519NoteSigner(keyName: "buckstop.example/ledger", seed: Array(0..<32))
        for text in ["x\n", "\n", "a\n\nb\n", "Ch\u{00E0}o th\u{1EBF} gi\u{1EDB}i\n\n\n", "a\nb\nc\n"] {
            let note = try SignedNote(text: text, signatures: [try signer.signature(for: text), try NoteSignature(line: Self.enochSig)])
            let again = try SignedNote(parsing: note.serialized)
            #expect(again == note)
            #expect(again.serialized == note.serialized)
            #expect(try again.verifiedSignatures(by: [signer.verifier]).count == 1)
        }
        // `adding` appends and skips lines already present.
        let one = try SignedNote(text: Self.text, signatures: [try NoteSignature(line: Self.peterSig)])
        let two = try one.adding([try NoteSignature(line: Self.enochSig), try NoteSignature(line: Self.peterSig)])
        #expect(two.serialized == Self.text + "\n" + Self.peterSig + Self.enochSig)
    }

    @Test func keyIDsAndTextForms() throws {
        #expect(NoteKeyID.hex(0x0000_00ab) == "000000ab")
        #expect(NoteKeyID.parse(hex: "c74f20a3") == 0xc74f_20a3)
        for bad in ["C74F20A3", "c74f20a", "c74f20a30", "+74f20a3", "c74f20ag", ""] {
            #expect(NoteKeyID.parse(hex: bad) == nil, "\(bad)")
        }
        // A vkey for another type than the signer/verifier accepts is refused with a typed error.
        let cosignKey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
        #expect(throws: NoteKeyError.unsupportedSignatureType(expected: [0x01], found: 0x04)) {
            try Ed25519NoteVerifier(verifierKey: cosignKey)
        }
        #expect(throws: NoteKeyError.keyIDMismatch(expected: 0xc74f_20a3, found: 0xc74f_20a4)) {
            try NoteVerifierKey(parsing: "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
        #expect(throws: NoteKeyError.keyIDMismatch(expected: 0xc74f_20a3, found: 0xc74f_20a4)) {
            try Ed25519NoteSigner(privateKey: "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
        }
        // transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1NewVerifier, "works: convert
        // from algEd25519") at commit 0b850f1a7b4a5b70deeacac6535e4b8023809d21: a type 0x01 vkey.
        let test = try NoteVerifierKey(parsing: "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6")
        #expect(test.keyID == 0x7997_405c && test.signatureType == 0x01)
        // Same file, "invalid algo" / "invalid base64" / "wrong number of parts".
        #expect(throws: NoteKeyError.self) { try NoteVerifierKey(parsing: "rekor.sigstore.dev+12345678+AwEB") }
        #expect(throws: NoteKeyError.self) { try NoteVerifierKey(parsing: "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!") }
        #expect(throws: NoteKeyError.self) { try NoteVerifierKey(parsing: "bananas.sigstore.dev+12344556") }
    }
}
