import BuckStopLedger
import Testing

/// C2SP tlog-witness: the add-checkpoint codecs and every branch of the witness's decision.
@Suite struct TlogWitnessTests {
    static let origin = "buckstop.example/ledger"
    static let logSeed: [UInt8] = Array(0..<32)
    static let now: Int64 = 1_700_000_500

    struct Fixture {
        let logSigner: CheckpointSigner
        let log: WitnessedLog
        let witness: CosignatureSigner
        var tree = InMemoryMerkleTree()

        init() throws {
            logSigner = try CheckpointSigner(privateKeySeed: TlogWitnessTests.logSeed)
            let vkey = try logSigner.verifierKey(origin: TlogWitnessTests.origin)
            log = try WitnessedLog(origin: TlogWitnessTests.origin, verifiers: [try Ed25519NoteVerifier(verifierKey: vkey.text)])
            witness = try CosignatureSigner(keyName: "witness.buckstop.example/w1", seed: Array(32..<64))
        }

        mutating func append(_ count: Int, tag: String = "") {
            for _ in 0..<count { tree.append(entry: Array("entry \(tree.size)\(tag)".utf8)) }
        }

        func signed(size: Int? = nil, timestamp: Int64 = 1_700_000_000) throws -> SignedCheckpoint {
            let n = size ?? tree.size
            let checkpoint = Checkpoint(origin: TlogWitnessTests.origin, size: n, rootHash: try tree.rootHash(treeSize: n), timestamp: timestamp)
            return try logSigner.sign(checkpoint)
        }

        func request(old: Int, to signed: SignedCheckpoint, proof: [TreeHash]? = nil) throws -> AddCheckpointRequest {
            let p = try proof ?? tree.consistencyProof(from: old, to: signed.checkpoint.size)
            return try AddCheckpointRequest(oldSize: old, consistencyProof: old == 0 ? (proof ?? []) : p, checkpoint: signed)
        }

        func submit(_ request: AddCheckpointRequest, state: WitnessLogState?) throws(WitnessRefusal) -> WitnessCosigning {
            try TlogWitness.addCheckpoint(request, log: log, state: state, cosigners: [witness], timestamp: TlogWitnessTests.now)
        }
    }

    // MARK: - Codecs

    @Test func requestBodyRoundTripsAndMatchesTheSpecGrammar() throws {
        var fx = try Fixture()
        fx.append(13)
        let signed = try fx.signed()
        let request = try fx.request(old: 5, to: signed)
        let body = String(decoding: request.body, as: UTF8.self)
        let proofLines = request.consistencyProof.map { $0.base64 + "\n" }.joined()
        #expect(body == "old 5\n" + proofLines + "\n" + signed.text)
        let parsed = try AddCheckpointRequest(body: request.body)
        #expect(parsed == request)
        #expect(parsed.checkpoint.origin == Self.origin && parsed.checkpoint.size == 13)
        #expect(parsed.checkpoint.extensionLines == ["1700000000"])
        #expect(try SignedCheckpoint(note: parsed.note) == signed)
    }

    @Test func specExampleRequestParses() throws {
        // From github.com/C2SP/C2SP, file tlog-witness.md ("add-checkpoint", example request body)
        // at commit 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9. (Its signatures are by unpublished
        // keys; this checks the grammar.)
        let body = """
            old 20852014
            PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
            jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
            5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
            /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

            example.com/behind-the-sofa
            20852163
            CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

            \u{2014} example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
            \u{2014} example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

            """
        let request = try AddCheckpointRequest(body: Array(body.utf8))
        #expect(request.oldSize == 20_852_014)
        #expect(request.consistencyProof.count == 4)
        #expect(request.checkpoint.origin == "example.com/behind-the-sofa" && request.checkpoint.size == 20_852_163)
        #expect(request.note.signatures.count == 2)
        #expect(String(decoding: request.body, as: UTF8.self) == body)

        // The example response body (same file) parses as three lines.
        let response = """
            \u{2014} witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==
            \u{2014} witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==
            \u{2014} witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==

            """
        let parsed = try AddCheckpointResponse(body: Array(response.utf8))
        #expect(parsed.signatures.map(\.keyName) == ["witness.example/w1", "witness.example/w1", "witness.example/w2"])
        #expect(String(decoding: parsed.body, as: UTF8.self) == response)
    }

    @Test func malformedRequestsGiveTypedErrors() throws {
        var fx = try Fixture()
        fx.append(8)
        let note = String(decoding: try fx.signed().note().bytes, as: UTF8.self)
        let hash = RFC9162.emptyRoot.base64
        let cases: [(String, WitnessProtocolError)] = [
            ("", .malformedOldSizeLine(reason: "expected a newline within 24 bytes")),
            ("old 5", .malformedOldSizeLine(reason: "expected a newline within 24 bytes")),
            ("old 1234567890123456789012\n\n" + note, .malformedOldSizeLine(reason: "expected a newline within 24 bytes")),
            ("new 5\n\n" + note, .malformedOldSizeLine(reason: "expected it to start with \"old \"")),
            ("old 05\n\n" + note, .malformedOldSizeLine(reason: "size must be a canonical non-negative decimal")),
            ("old -5\n\n" + note, .malformedOldSizeLine(reason: "size must be a canonical non-negative decimal")),
            ("old  5\n\n" + note, .malformedOldSizeLine(reason: "size must be a canonical non-negative decimal")),
            ("old 5\r\n\n" + note, .malformedOldSizeLine(reason: "size must be a canonical non-negative decimal")),
            ("old 99999999999999999999\n\n" + note, .malformedOldSizeLine(reason: "expected a newline within 24 bytes")),
            ("old 9999999999999999999\n\n" + note, .malformedOldSizeLine(reason: "size must be a canonical non-negative decimal")),
            ("old 5\n" + hash + "\n", .missingBlankLine),
            ("old 5\n" + hash + "\n" + note, .malformedProofLine(line: 2, reason: "expected canonical padded base64 of a 32-byte hash")),
            ("old 5\n" + hash + hash + "\n\n" + note, .malformedProofLine(line: 1, reason: "expected 44 base64 characters and a newline")),
            ("old 5\n" + "AAAA\n\n" + note, .malformedProofLine(line: 1, reason: "expected canonical padded base64 of a 32-byte hash")),
            (
                "old 5\n" + String(hash.dropLast()) + "\n\n" + note,
                .malformedProofLine(line: 1, reason: "expected canonical padded base64 of a 32-byte hash")
            ),
            ("old 5\n" + String(repeating: hash + "\n", count: 64) + "\n" + note, .tooManyProofLines(limit: 63)),
            ("old 5\n\n", .malformedNote(.missingBlankLine)),
            ("old 5\n\n" + note.replacingOccurrences(of: "\n\n", with: "\n"), .malformedNote(.missingBlankLine)),
            ("old 5\n\n" + String(note.dropLast()), .malformedNote(.missingFinalNewline)),
            (
                "old 5\n\n" + note.replacingOccurrences(of: "\n8\n", with: "\n08\n"),
                .malformedCheckpoint(.malformedBody(line: 2, reason: "tree size must be a canonical non-negative decimal"))
            ),
            (
                "old 5\n\n" + "o\n1\n\n\u{2014} k AAAAAAA=\n",
                .malformedCheckpoint(.malformedBody(line: 3, reason: "expected origin, size and root hash lines, found 2 lines"))
            ),
        ]
        for (body, expected) in cases {
            #expect(throws: expected, "\(body.prefix(80).debugDescription)") { try AddCheckpointRequest(body: Array(body.utf8)) }
            #expect(throws: WitnessRefusal.malformedRequest(expected)) {
                try TlogWitness.addCheckpoint(
                    body: Array(body.utf8), log: { _ in fx.log }, state: { _ in nil }, cosigners: [fx.witness], timestamp: Self.now)
            }
            #expect(WitnessRefusal.malformedRequest(expected).httpStatus == 400)
        }
        // 63 proof lines are allowed.
        #expect(
            (try? AddCheckpointRequest(body: Array(("old 5\n" + String(repeating: hash + "\n", count: 63) + "\n" + note).utf8)))?.consistencyProof
                .count == 63)
        // Over-long bodies and too many signatures.
        let huge = Array(("old 5\n\n" + note).utf8) + Array(repeating: 0x41, count: AddCheckpointRequest.maxBodyBytes)
        #expect(throws: WitnessProtocolError.tooLarge(limit: AddCheckpointRequest.maxBodyBytes, found: huge.count)) {
            try AddCheckpointRequest(body: huge)
        }
        let line = String(note.split(separator: "\n").last!) + "\n"
        #expect(throws: WitnessProtocolError.malformedNote(.tooManySignatures(limit: 100))) {
            try AddCheckpointRequest(body: Array(("old 5\n\n" + note + String(repeating: line, count: 100)).utf8))
        }
        // Not UTF-8 inside the note.
        #expect(throws: WitnessProtocolError.malformedNote(.invalidUTF8(offset: 0))) {
            try AddCheckpointRequest(body: Array("old 5\n\n".utf8) + [0xFF] + Array(note.utf8))
        }
    }

    @Test func responseAndConflictCodecs() throws {
        #expect(try TlogWitness.latestCosignedSize(conflictBody: Array("42\n".utf8)) == 42)
        #expect(try TlogWitness.latestCosignedSize(conflictBody: Array("0\n".utf8)) == 0)
        for bad in ["", "42", "042\n", "-1\n", "4 2\n", "99999999999999999999\n", "42\n\n"] {
            #expect(throws: WitnessProtocolError.self, "\(bad.debugDescription)") {
                try TlogWitness.latestCosignedSize(conflictBody: Array(bad.utf8))
            }
        }
        for (bad, expected) in [
            ("", WitnessProtocolError.malformedResponse(.noSignatureLines)),
            ("\u{2014} w AAAAAAA=", .malformedResponse(.missingFinalNewline)),
            (
                "\u{2014} w AAAAAAA=\n\n",
                .malformedResponse(.malformedSignatureLine(line: 2, reason: "expected it to start with an em dash (U+2014) and a space"))
            ),
            (
                "\u{2014} w AAAA\n",
                .malformedResponse(
                    .malformedSignatureLine(line: 1, reason: "expected a 4-byte key ID and at least one signature byte, found 3 bytes"))
            ),
            ("\u{2014} w AAAAAAA=\r\n", .malformedResponse(.controlCharacter(offset: 14, byte: 0x0D))),
            (String(repeating: "\u{2014} w AAAAAAA=\n", count: 101), .malformedResponse(.tooManySignatures(limit: 100))),
        ] {
            #expect(throws: expected, "\(bad.prefix(40).debugDescription)") { try AddCheckpointResponse(body: Array(bad.utf8)) }
        }
        #expect(TlogWitness.originHash("example.com/behind-the-sofa").count == 64)
    }

    // MARK: - The witness's decision

    @Test func firstSubmissionIsTrustOnFirstUseThenProofsAreRequired() throws {
        var fx = try Fixture()
        fx.append(5)
        let first = try fx.signed()
        let accepted = try fx.submit(try fx.request(old: 0, to: first), state: nil)
        #expect(accepted.newState == WitnessLogState(size: 5, rootHash: first.checkpoint.rootHash))
        #expect(accepted.cosignatures.count == 1 && accepted.cosignatures[0].timestamp == Self.now)

        // The client check (log server) on the response body, and on the stored line.
        let response = try AddCheckpointResponse(body: accepted.response.body)
        let verifier = fx.witness.verifier
        let cosignature = try response.cosignature(by: verifier, for: first.checkpoint)
        #expect(cosignature == accepted.cosignatures[0])
        #expect(try verifier.verify(line: cosignature.line, for: first.checkpoint) == cosignature)
        // What the witness serves to monitors: log signature and cosignature on the checkpoint.
        let served = try SignedNote(parsing: accepted.cosignedNote.serialized)
        #expect(try served.verifiedSignatures(by: fx.log.verifiers + [verifier]).count == 2)
        #expect(try SignedCheckpoint(note: served) == first)

        // Growing: 5 → 13 with the proof.
        fx.append(8)
        let second = try fx.signed()
        let next = try fx.submit(try fx.request(old: 5, to: second), state: accepted.newState)
        #expect(next.newState.size == 13)
        // Re-submitting the same size with the same root is cosigned again (freshness).
        let again = try fx.submit(try fx.request(old: 13, to: second, proof: []), state: next.newState)
        #expect(again.newState == next.newState)
        // A later timestamp line at the same size and root is the same tree: cosigned too.
        let relabelled = try fx.signed(timestamp: 1_700_000_200)
        #expect(try fx.submit(try fx.request(old: 13, to: relabelled, proof: []), state: next.newState).newState == next.newState)
    }

    @Test func rewrittenLedgerIsRefusedWithAConsistencyFailure() throws {
        // The attack from the security review: an insider rewrites entry 3, recomputes the tree,
        // deletes later checkpoints and has the server sign a fresh checkpoint. The log key signs
        // it happily; the witness, holding the root it cosigned, refuses.
        var honest = try Fixture()
        honest.append(8)
        let cosignedAt8 = try honest.submit(try honest.request(old: 0, to: try honest.signed()), state: nil).newState

        var forged = try Fixture()
        forged.append(3)
        forged.append(1, tag: " (rewritten)")  // entry 3 differs
        forged.append(8)
        #expect(try forged.tree.rootHash(treeSize: 8) != cosignedAt8.rootHash)
        let forgedCheckpoint = try forged.signed()
        #expect(try CheckpointVerifier(publicKey: forged.logSigner.publicKey).isValid(forgedCheckpoint), "the log key signed it")

        // The forger's own proof from 8 is consistent with *its* tree, not with the cosigned one.
        let forgedProof = try forged.tree.consistencyProof(from: 8, to: 12)
        #expect(throws: WitnessRefusal.inconsistent(oldSize: 8, newSize: 12)) {
            try forged.submit(try AddCheckpointRequest(oldSize: 8, consistencyProof: forgedProof, checkpoint: forgedCheckpoint), state: cosignedAt8)
        }
        #expect(WitnessRefusal.inconsistent(oldSize: 8, newSize: 12).httpStatus == 422)
        // Nor does the honest tree's proof help: it proves the honest extension, not this root.
        var honest12 = honest
        honest12.append(4)
        #expect(throws: WitnessRefusal.inconsistent(oldSize: 8, newSize: 12)) {
            try forged.submit(
                try AddCheckpointRequest(
                    oldSize: 8, consistencyProof: try honest12.tree.consistencyProof(from: 8, to: 12), checkpoint: forgedCheckpoint),
                state: cosignedAt8)
        }
        // Re-signing the rewritten tree at the cosigned size is a fork: refused too.
        #expect(throws: WitnessRefusal.rootMismatch(size: 8, cosigned: cosignedAt8.rootHash, submitted: try forged.tree.rootHash(treeSize: 8))) {
            try forged.submit(try forged.request(old: 8, to: try forged.signed(size: 8), proof: []), state: cosignedAt8)
        }
        // Pretending the witness never saw the log gets a 409 with the size it did cosign.
        let fromZero = try forged.request(old: 0, to: forgedCheckpoint)
        do {
            _ = try forged.submit(fromZero, state: cosignedAt8)
            Issue.record("expected a refusal")
        } catch {
            #expect(error == .oldSizeMismatch(requested: 0, latestCosigned: 8))
            #expect(error.httpStatus == 409)
            #expect(error.responseBody == Array("8\n".utf8))
            #expect(error.contentType == "text/x.tlog.size")
            #expect(try TlogWitness.latestCosignedSize(conflictBody: error.responseBody) == 8)
        }
        // The honest extension is still accepted.
        #expect(try honest12.submit(try honest12.request(old: 8, to: try honest12.signed()), state: cosignedAt8).newState.size == 12)
    }

    @Test func everyRefusalMapsToTheSpecStatus() throws {
        var fx = try Fixture()
        // Cosigned at 6 (not a power of two, so the proof to 13 has several hashes), submitted 13.
        fx.append(6)
        let at6 = try fx.signed()
        let state6 = WitnessLogState(size: 6, rootHash: at6.checkpoint.rootHash)
        fx.append(7)
        let at13 = try fx.signed()

        func refusal(_ body: () throws -> WitnessCosigning) -> WitnessRefusal? {
            do {
                _ = try body()
                return nil
            } catch let error as WitnessRefusal {
                return error
            } catch {
                Issue.record("unexpected error \(error)")
                return nil
            }
        }

        // 404: unknown origin (no configuration, or configuration for another origin).
        let unknown = refusal {
            try TlogWitness.addCheckpoint(try fx.request(old: 6, to: at13), log: nil, state: state6, cosigners: [fx.witness], timestamp: Self.now)
        }
        #expect(unknown == .unknownLog(origin: Self.origin) && unknown?.httpStatus == 404)
        let other = try WitnessedLog(origin: "other.example/log", verifiers: fx.log.verifiers)
        #expect(
            refusal {
                try TlogWitness.addCheckpoint(
                    try fx.request(old: 6, to: at13), log: other, state: state6, cosigners: [fx.witness], timestamp: Self.now)
            }
                == .unknownLog(origin: Self.origin))

        // 403: signed by an untrusted key only; a trusted key's line that fails; no signature by
        // the trusted key at all (only a cosignature).
        let stranger = try CheckpointSigner(privateKeySeed: Array(repeating: 9, count: 32)).sign(at13.checkpoint)
        let noTrusted = refusal { try fx.submit(try fx.request(old: 6, to: stranger), state: state6) }
        #expect(noTrusted == .noTrustedLogSignature(origin: Self.origin) && noTrusted?.httpStatus == 403)
        var badSignature = at13.signature
        badSignature[0] ^= 1
        let forgedLine = SignedCheckpoint(checkpoint: at13.checkpoint, signature: badSignature, keyID: at13.keyID)
        let invalid = refusal { try fx.submit(try fx.request(old: 6, to: forgedLine), state: state6) }
        #expect(invalid == .invalidLogSignature(keyName: Self.origin, keyID: fx.logSigner.noteKeyID(origin: Self.origin)))
        #expect(invalid?.httpStatus == 403)
        // A good line followed by a bad one by the same key is still 403 (signed-note: reject).
        let goodThenBad = try at13.note(cosignatures: [forgedLine.noteSignature!])
        #expect(
            refusal {
                try fx.submit(
                    try AddCheckpointRequest(oldSize: 6, consistencyProof: try fx.tree.consistencyProof(from: 6, to: 13), note: goodThenBad),
                    state: state6)
            }
                == .invalidLogSignature(keyName: Self.origin, keyID: fx.logSigner.noteKeyID(origin: Self.origin)))
        // A legacy-ID signature (pre-C2SP) is not a note signature of the log's vkey.
        let legacy = SignedCheckpoint(checkpoint: at13.checkpoint, signature: at13.signature, keyID: fx.logSigner.legacyKeyID)
        #expect(refusal { try fx.submit(try fx.request(old: 6, to: legacy), state: state6) } == .noTrustedLogSignature(origin: Self.origin))
        // ... until it is relabelled (no private key needed).
        let relabelled = try #require(try CheckpointVerifier(publicKey: fx.logSigner.publicKey).reidentified(legacy))
        #expect(refusal { try fx.submit(try fx.request(old: 6, to: relabelled), state: state6) } == nil)

        // 400: old size beyond the checkpoint.
        let beyond = refusal { try fx.submit(try AddCheckpointRequest(oldSize: 14, consistencyProof: [], checkpoint: at13), state: state6) }
        #expect(beyond == .oldSizeBeyondCheckpoint(oldSize: 14, checkpointSize: 13) && beyond?.httpStatus == 400)
        // A checkpoint smaller than the cosigned one: old = cosigned size > checkpoint size → 400,
        // old = its own size → 409 (tlog-witness's two rules).
        let smaller = try fx.signed(size: 5)
        #expect(
            refusal { try fx.submit(try AddCheckpointRequest(oldSize: 6, consistencyProof: [], checkpoint: smaller), state: state6) }
                == .oldSizeBeyondCheckpoint(oldSize: 6, checkpointSize: 5))
        #expect(
            refusal { try fx.submit(try AddCheckpointRequest(oldSize: 5, consistencyProof: [], checkpoint: smaller), state: state6) }
                == .oldSizeMismatch(requested: 5, latestCosigned: 6))

        // 409: old size is not what the witness cosigned (also when it cosigned nothing).
        let stale = refusal { try fx.submit(try fx.request(old: 5, to: at13), state: state6) }
        #expect(stale == .oldSizeMismatch(requested: 5, latestCosigned: 6) && stale?.httpStatus == 409)
        #expect(stale?.responseBody == Array("6\n".utf8))
        #expect(refusal { try fx.submit(try fx.request(old: 6, to: at13), state: nil) } == .oldSizeMismatch(requested: 6, latestCosigned: 0))
        #expect(WitnessRefusal.oldSizeMismatch(requested: 8, latestCosigned: 0).responseBody == Array("0\n".utf8))

        // 422: size-0 checkpoint with a non-empty root.
        let badEmpty = try fx.logSigner.sign(Checkpoint(origin: Self.origin, size: 0, rootHash: at6.checkpoint.rootHash, timestamp: 1))
        let empty422 = refusal { try fx.submit(try AddCheckpointRequest(oldSize: 0, consistencyProof: [], checkpoint: badEmpty), state: nil) }
        #expect(empty422 == .emptyTreeRootMismatch(found: at6.checkpoint.rootHash) && empty422?.httpStatus == 422)
        let goodEmpty = try fx.logSigner.sign(Checkpoint(origin: Self.origin, size: 0, rootHash: RFC9162.emptyRoot, timestamp: 1))
        #expect(refusal { try fx.submit(try AddCheckpointRequest(oldSize: 0, consistencyProof: [], checkpoint: goodEmpty), state: nil) } == nil)
        // 422: a proof sent with old size 0.
        let withProof = refusal {
            try fx.submit(try AddCheckpointRequest(oldSize: 0, consistencyProof: [at6.checkpoint.rootHash], checkpoint: at13), state: nil)
        }
        #expect(withProof == .proofMustBeEmpty(lines: 1) && withProof?.httpStatus == 422)
        // 422: same size, other root.
        let forkRoot = try fx.logSigner.sign(Checkpoint(origin: Self.origin, size: 6, rootHash: RFC9162.emptyRoot, timestamp: 1))
        let fork = refusal { try fx.submit(try AddCheckpointRequest(oldSize: 6, consistencyProof: [], checkpoint: forkRoot), state: state6) }
        #expect(fork == .rootMismatch(size: 6, cosigned: at6.checkpoint.rootHash, submitted: RFC9162.emptyRoot) && fork?.httpStatus == 422)
        // 422: same size and root but a (pointless) proof.
        #expect(
            refusal { try fx.submit(try AddCheckpointRequest(oldSize: 6, consistencyProof: [RFC9162.emptyRoot], checkpoint: at6), state: state6) }
                == .inconsistent(oldSize: 6, newSize: 6))
        // 422: missing, truncated, extended, reordered or corrupted proofs.
        let proof = try fx.tree.consistencyProof(from: 6, to: 13)
        #expect(proof.count == 4)
        for bad in [
            [], Array(proof.dropLast()), proof + [RFC9162.emptyRoot], Array(proof.reversed()), [flipping(proof[0], byte: 0)] + proof.dropFirst(),
        ] {
            let r = refusal { try fx.submit(try AddCheckpointRequest(oldSize: 6, consistencyProof: bad, checkpoint: at13), state: state6) }
            #expect(r == .inconsistent(oldSize: 6, newSize: 13) && r?.httpStatus == 422, "\(bad.count) lines")
        }
        #expect(refusal { try fx.submit(try AddCheckpointRequest(oldSize: 6, consistencyProof: proof, checkpoint: at13), state: state6) } == nil)

        // 500: a witness without a key.
        let noKey = refusal {
            try TlogWitness.addCheckpoint(try fx.request(old: 6, to: at13), log: fx.log, state: state6, cosigners: [], timestamp: Self.now)
        }
        #expect(noKey?.httpStatus == 500)
        let badClock = refusal {
            try TlogWitness.addCheckpoint(try fx.request(old: 6, to: at13), log: fx.log, state: state6, cosigners: [fx.witness], timestamp: 0)
        }
        #expect(badClock == .cosigningFailed(.zeroTimestamp) && badClock?.httpStatus == 500)

        // Misconfiguration is caught when the log is configured.
        let v = fx.log.verifiers[0]
        #expect(throws: SignedNoteError.ambiguousKey(keyName: v.keyName, keyID: v.keyID)) {
            try WitnessedLog(origin: Self.origin, verifiers: [v, v])
        }
        #expect(throws: SignedNoteError.noVerifiedSignature) { try WitnessedLog(origin: Self.origin, verifiers: []) }
    }

    @Test func goWitnessVectorsAreAccepted() throws {
        // From github.com/transparency-dev/witness, file witness/witness_test.go (mPK, mInit, mNext,
        // consProof; TestUpdate "vanilla consistency happy path") at commit
        // 54dbcdd14f829a301b24b59f7c547c7dceebafa8: a log "monkeys", checkpoints of size 5 and 8
        // signed by it, and an RFC 6962 consistency proof between them.
        let mPK = "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT"
        let mInit =
            "monkeys\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n\u{2014} monkeys 202fftzGl3LVoqjXfwCFZZXs8I+5G22+Ek2K0AOyBuSJ/8/CZawNF+6fNlTKOCd622pbzJNkkJFWuw9DbicZCkEx9AY=\n"
        let mNext =
            "monkeys\n8\nV8K9aklZ4EPB+RMOk1/8VsJUdFZR77GDtZUQq84vSbo=\n\n\u{2014} monkeys 202ffoUEboiQYpHzICeaFmoy3RNviHTpAxYrq/eO4QQVQMvu9UebKBMX2MJC76NLthZaKsnKbCA8GxrjePZhvDCH7Ag=\n"
        let consProof = [
            th("b9e1d62618f7fee8034e4c5010f727ab24d8e4705cb296c374bf2025a87a10d2"),
            th("aac66cd7a79ce4012d80762fe8eec3a77f22d1ca4145c3f4cee022e7efcd599d"),
            th("89d0f753f66a290c483b39cd5e9eafb12021293395fad3d4a2ad053cfbcfdc9e"),
            th("29e40bb79c966f4c6fe96aff6f30acfce5f3e8d84c02215175d6e018a5dee833"),
        ]
        let log = try WitnessedLog(origin: "monkeys", verifiers: [try Ed25519NoteVerifier(verifierKey: mPK)])
        let witness = try CosignatureSigner(privateKey: "PRIVATE+KEY+witness+f13a86db+AaLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA")
        let first = try TlogWitness.addCheckpoint(
            body: Array(("old 0\n\n" + mInit).utf8), log: { $0 == "monkeys" ? log : nil }, state: { _ in nil }, cosigners: [witness],
            timestamp: Self.now)
        #expect(first.newState == WitnessLogState(size: 5, rootHash: th("e35b268c1522014ef412d2a54fa94838862d453631617b0307e5c77dcbeefc11")))
        let body = "old 5\n" + consProof.map { $0.base64 + "\n" }.joined() + "\n" + mNext
        let second = try TlogWitness.addCheckpoint(
            body: Array(body.utf8), log: { _ in log }, state: { _ in first.newState }, cosigners: [witness], timestamp: Self.now)
        #expect(second.newState.size == 8)
        #expect(try second.response.cosignature(by: witness.verifier, checkpointText: try SignedNote(parsing: mNext).textBytes).timestamp == Self.now)
        // TestUpdate "submit smaller checkpoint": old 8 with the size-5 checkpoint → 400.
        #expect(throws: WitnessRefusal.oldSizeBeyondCheckpoint(oldSize: 8, checkpointSize: 5)) {
            try TlogWitness.addCheckpoint(
                body: Array(("old 8\n" + consProof.map { $0.base64 + "\n" }.joined() + "\n" + mInit).utf8), log: { _ in log },
                state: { _ in second.newState }, cosigners: [witness], timestamp: Self.now)
        }
        // Unknown origin via the lookup → 404.
        #expect(throws: WitnessRefusal.unknownLog(origin: "monkeys")) {
            try TlogWitness.addCheckpoint(
                body: Array(("old 0\n\n" + mInit).utf8), log: { _ in nil }, state: { _ in nil }, cosigners: [witness], timestamp: Self.now)
        }
    }

    @Test func legacyTextStillParses() throws {
        // The pre-C2SP form BuckStop published (CheckpointTests' fixed-seed vector before the change).
        let legacy =
            CheckpointTests.body + "\n\u{2014} 56475aa7 "
            + "w04JVCLDXLGIoXePoFDCPxi+GfSN+05aZS24up97DIb6KK453PcFP7vvjydE0QFe1ZQe6L50BXdKScRkLkcbDA==\n"
        let signed = try SignedCheckpoint(legacyText: legacy)
        #expect(signed.keyID == "56475aa7" && signed.signature == CheckpointTests.signature)
        let verifier = try CheckpointVerifier(publicKey: CheckpointTests.publicKey)
        #expect(verifier.isValid(signed))
        // Not a C2SP note: its "key name" is the hex ID and the base64 has no key ID prefix.
        #expect(throws: CheckpointError.self) { try SignedCheckpoint(text: legacy) }
        // A C2SP text with witness lines parses; the cosignature is ignored by SignedCheckpoint.
        let c2sp = try #require(verifier.reidentified(signed))
        let withCosignature = try c2sp.note(cosignatures: [try NoteSignature(line: CosignatureTests.witnessLine)])
        #expect(try SignedCheckpoint(text: withCosignature.serialized) == c2sp)
    }
}
