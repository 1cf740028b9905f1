import BuckStopLedger
import Testing

/// C2SP tlog-cosignature (cosignature/v1, Ed25519): known answers, round trips, refusals.
@Suite struct CosignatureTests {
    // MARK: A real cosigned checkpoint
    //
    // From github.com/florolf/tlog-scales, file tests/test_signing.py (TestCheckpointVerification)
    // at commit 92102757f0a1f1098063f3c0fc2c52353bc11528 (present since dfd5c4bf3b0c9703a6760e52e80e2515ee53f86e):
    // a checkpoint of the arche2025h1 staging CT log as served, with the log's Ed25519 signature,
    // its RFC 6962 STH signature (another type under the same name), and cosignatures by four
    // witnesses; the test publishes the vkeys of the log and of the remora.n621.de witness (the
    // latter also in transparency-dev/formats note/note_cosigv1_test.go). Checked independently
    // with Python `cryptography` 48.0.0 before use.
    static let archeText = "arche2025h1.staging.ct.transparency.dev\n1432088532\nU7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n"
    static let archeNote =
        archeText + "\n" + """
            \u{2014} arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
            \u{2014} arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
            \u{2014} transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
            \u{2014} witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==
            \u{2014} remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
            \u{2014} witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==

            """
    static let archeLogVKey = "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f"
    static let remoraVKey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    static let remoraLine =
        "\u{2014} remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n"

    // MARK: A BuckStop vector cross-checked with another implementation
    //
    // Witness seed 0x20…0x3f, name "witness.buckstop.example/w1", time 1700000100, cosigning the
    // CheckpointTests checkpoint. Computed with Python `cryptography` 48.0.0 (not with this code):
    //
    //   w = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
    //   kid = hashlib.sha256(b"witness.buckstop.example/w1\n\x04" + wpub).digest()[:4]
    //   msg = b"cosignature/v1\ntime 1700000100\n" + body
    //   base64.b64encode(kid + (1700000100).to_bytes(8, "big") + w.sign(msg))
    static let witnessSeed: [UInt8] = Array(32..<64)
    static let witnessName = "witness.buckstop.example/w1"
    static let witnessVKey = "witness.buckstop.example/w1+f360acc9+BCmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X"
    static let witnessLine =
        "\u{2014} witness.buckstop.example/w1 82CsyQAAAABlU/FkjiWoyo2+ERWcEIbGs/CNgNg/tHR07hmL1iy4DfiF2eVSodnYu+lpuW1yTm7BvFOm8alg7N6MVs2CVSkWUi9qCg==\n"
    static let checkpoint = CheckpointTests.checkpoint

    @Test func realWitnessCosignatureVerifies() throws {
        let remora = try CosignatureVerifier(verifierKey: Self.remoraVKey)
        #expect(remora.keyID == 0xda77_ade7, "key ID uses the cosignature type byte 0x04")
        #expect(remora.verifierKey.signatureType == 0x04)
        let checkpoint = try TlogCheckpoint(text: Array(Self.archeText.utf8))
        #expect(checkpoint.origin == "arche2025h1.staging.ct.transparency.dev" && checkpoint.size == 1_432_088_532)
        #expect(checkpoint.extensionLines.isEmpty)

        let cosignature = try remora.verify(line: Self.remoraLine, for: checkpoint)
        #expect(cosignature.timestamp == 1_779_573_024)
        #expect(cosignature.line == Self.remoraLine)

        // The whole note: log key and witness key both vouch; the other lines are ignored, the
        // RFC 6962 STH line (same name, other key ID) included.
        let note = try SignedNote(parsing: Self.archeNote)
        #expect(note.serialized == Self.archeNote)
        #expect(note.signatures.count == 6)
        let log = try Ed25519NoteVerifier(verifierKey: Self.archeLogVKey)
        let verified = try note.verifiedSignatures(by: [log, remora])
        #expect(verified.map(\.keyName) == ["arche2025h1.staging.ct.transparency.dev", "remora.n621.de"])

        // Any change to the checkpoint breaks the cosignature (tlog-scales's "clobbered" test).
        let clobbered = try TlogCheckpoint(origin: checkpoint.origin, size: 42, rootHash: checkpoint.rootHash)
        #expect(throws: CosignatureError.invalidSignature(keyName: "remora.n621.de", keyID: 0xda77_ade7)) {
            try remora.verify(line: Self.remoraLine, for: clobbered)
        }
        // A cosignature is not a log signature: the same key read as type 0x01 gets another ID.
        #expect(throws: SignedNoteError.noVerifiedSignature) {
            try note.verifiedSignatures(by: [try Ed25519NoteVerifier(keyName: "remora.n621.de", publicKey: remora.publicKey)])
        }
        // "verifiers MAY reject cosignatures with timestamps in the future".
        #expect(throws: CosignatureError.timestampInFuture(found: 1_779_573_024, limit: 1_779_573_023)) {
            try remora.verify(line: Self.remoraLine, for: checkpoint, notAfter: 1_779_573_023)
        }
    }

    @Test func crossCheckedVectorSignsAndVerifiesByteForByte() throws {
        let signer = try CosignatureSigner(keyName: Self.witnessName, seed: Self.witnessSeed)
        #expect(signer.verifierKey.text == Self.witnessVKey)
        let verifier = try CosignatureVerifier(verifierKey: Self.witnessVKey)
        #expect(try verifier.verify(line: Self.witnessLine, for: Self.checkpoint).timestamp == 1_700_000_100)
        #if !canImport(Darwin)
            // Deterministic Ed25519 (BoringSSL): our signature is the independent one exactly.
            #expect(try signer.cosign(Self.checkpoint, timestamp: 1_700_000_100).line == Self.witnessLine)
        #endif
        #expect(
            Cosignature.signedMessage(timestamp: 1_700_000_100, checkpointText: Self.checkpoint.body)
                == Array(("cosignature/v1\ntime 1700000100\n" + CheckpointTests.body).utf8))
    }

    @Test func roundTripAndTampering() throws {
        let signer = try CosignatureSigner(keyName: "w.example/1", seed: CosignatureSigner.generateSeed())
        let verifier = signer.verifier
        let c = try signer.cosign(Self.checkpoint, timestamp: 1_700_000_000)
        #expect(try verifier.verify(line: c.line, for: Self.checkpoint) == c)
        #expect(try Cosignature(line: c.line) == c)
        #expect(try CosignatureVerifier(verifierKey: signer.verifierKey.text).verify(line: c.line, for: Self.checkpoint) == c)

        // Every bit of the decoded line matters: key ID (→ other key), timestamp (→ other message),
        // signature.
        var raw = c.noteSignature.signature
        for i in raw.indices {
            raw[i] ^= 0x01
            let line = try NoteSignature(keyName: c.keyName, keyID: c.keyID, signature: raw).line
            #expect(throws: CosignatureError.self, "byte \(i + 4)") { try verifier.verify(line: line, for: Self.checkpoint) }
            raw[i] ^= 0x01
        }
        let otherID = try NoteSignature(keyName: c.keyName, keyID: c.keyID ^ 1, signature: raw).line
        #expect(
            throws: CosignatureError.otherKey(expectedName: "w.example/1", expectedKeyID: c.keyID, foundName: "w.example/1", foundKeyID: c.keyID ^ 1)
        ) {
            try verifier.verify(line: otherID, for: Self.checkpoint)
        }
        // The timestamp extension line of the body is covered (tlog-cosignature: extension lines
        // MUST be included in the cosigned message).
        let later = Checkpoint(origin: Self.checkpoint.origin, size: 8, rootHash: Self.checkpoint.rootHash, timestamp: 1_700_000_001)
        #expect(throws: CosignatureError.invalidSignature(keyName: "w.example/1", keyID: c.keyID)) {
            try verifier.verify(line: c.line, for: later)
        }
        // A note verifier sees the same: the cosignature line verifies under the witness key.
        let note = try SignedNote(text: Self.checkpoint.bodyText, signatures: [c.noteSignature])
        #expect(try note.verifiedSignatures(by: [verifier]).count == 1)
    }

    @Test func malformedCosignaturesGiveTypedErrors() throws {
        let verifier = try CosignatureVerifier(verifierKey: Self.witnessVKey)
        let id = verifier.keyID
        func line(_ bytes: [UInt8]) throws -> String {
            try NoteSignature(keyName: Self.witnessName, keyID: id, signature: bytes).line
        }
        #expect(throws: CosignatureError.wrongLength(expected: 76, found: 68)) {
            try verifier.verify(line: try line(Array(repeating: 1, count: 64)), for: Self.checkpoint)
        }
        #expect(throws: CosignatureError.zeroTimestamp) {
            try verifier.verify(line: try line(Array(repeating: 0, count: 8) + Array(repeating: 1, count: 64)), for: Self.checkpoint)
        }
        #expect(throws: CosignatureError.timestampOutOfRange(0x8000_0000_0000_0000)) {
            try verifier.verify(line: try line([0x80] + Array(repeating: 0, count: 7) + Array(repeating: 1, count: 64)), for: Self.checkpoint)
        }
        #expect(throws: CosignatureError.malformedLine(.malformedSignatureLine(line: 1, reason: "signature is not canonical padded base64"))) {
            try Cosignature(line: "\u{2014} w x")
        }
        #expect(throws: CosignatureError.self) { try Cosignature(line: "") }
        #expect(throws: CosignatureError.self) { try Cosignature(line: Self.witnessLine + "extra") }
        // The signer refuses to omit the timestamp.
        let signer = try CosignatureSigner(keyName: Self.witnessName, seed: Self.witnessSeed)
        #expect(throws: CosignatureError.zeroTimestamp) { try signer.cosign(Self.checkpoint, timestamp: 0) }
        #expect(throws: CosignatureError.self) { try signer.cosign(Self.checkpoint, timestamp: -1) }
    }

    @Test func keyForms() throws {
        // transparency-dev/witness witness/witness_test.go at commit
        // 54dbcdd14f829a301b24b59f7c547c7dceebafa8: the witness key as the Go tooling writes it, a
        // type 0x01 private key (note.GenerateKey) whose public key is used with the 0x04 key ID.
        let wSK = "PRIVATE+KEY+witness+f13a86db+AaLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA"
        let wPK = "witness+f13a86db+AdYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN"
        let signer = try CosignatureSigner(privateKey: wSK)
        #expect(try NoteVerifierKey(parsing: wPK).publicKey == signer.publicKey)
        // What transparency-dev/formats VKeyToCosignatureV1 makes of wPK (recomputed with Python).
        #expect(signer.verifierKey.text == "witness+24b37851+BNYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN")
        // Our own private key form uses type 0x04 and round-trips.
        let again = try CosignatureSigner(privateKey: signer.privateKeyText)
        #expect(again.verifierKey == signer.verifierKey)
        #expect(signer.privateKeyText.hasPrefix("PRIVATE+KEY+witness+24b37851+B"))
        // A 0x01 vkey is a note-signing key, not a cosigning one.
        #expect(throws: NoteKeyError.unsupportedSignatureType(expected: [0x04], found: 0x01)) { try CosignatureVerifier(verifierKey: wPK) }
        // A private key whose written key ID does not match is refused.
        #expect(throws: NoteKeyError.keyIDMismatch(expected: 0xf13a_86db, found: 0xf13a_86dc)) {
            try CosignatureSigner(privateKey: "PRIVATE+KEY+witness+f13a86dc+AaLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA")
        }
        #expect(throws: NoteKeyError.self) { try CosignatureSigner(privateKey: "PRIVATE+KEY+witness+f13a86db+AaLa") }
    }
}
