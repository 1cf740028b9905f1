import BuckStopLedger
import Foundation
import PropertyBased
import Testing

@Suite struct CheckpointTests {
    static let root8 = th("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")  // RFC 6962 size-8 root
    static let checkpoint = Checkpoint(
        origin: "buckstop.example/ledger", size: 8, rootHash: root8, timestamp: 1_700_000_000)

    // MARK: Fixed-seed vector
    //
    // Produced once with this code (CheckpointSigner(privateKeySeed: 0x00...0x1f).sign(checkpoint),
    // swift-crypto/BoringSSL on Linux) and cross-checked with Python's `cryptography` 48.0.0:
    //
    //   from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    //   from cryptography.hazmat.primitives import serialization
    //   import hashlib
    //   k = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    //   pub = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    //   body = b"buckstop.example/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n"
    //   pub.hex(), hashlib.sha256(pub).hexdigest()[:8], k.sign(body).hex()
    //
    // which printed the same public key, key ID and signature (Ed25519 is deterministic), and
    // `Ed25519PublicKey.from_public_bytes(pub).verify(sig, body)` accepted it.
    //
    // Since checkpoints are C2SP signed notes, the key ID a signed checkpoint carries is the
    // signed-note one, SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ pub)[:4], and the text form changed; the
    // signature over the body did not. The new values were computed with the same Python:
    //
    //   kid = hashlib.sha256(b"buckstop.example/ledger" + b"\n\x01" + pub).digest()[:4]
    //   kid.hex(), base64.b64encode(kid + k.sign(body))
    static let seed: [UInt8] = Array(0..<32)
    static let publicKey = hexBytes("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8")
    static let keyID = "7c0caa24"
    static let legacyKeyID = "56475aa7"
    static let body = "buckstop.example/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n"
    static let signature = hexBytes(
        "c34e095422c35cb188a1778fa050c23f18be19f48dfb4e5a652db8ba9f7b0c86"
            + "fa28ae39dcf7053fbbef8f2744d1015ed5941ee8be7405774a49c4642e471b0c")

    @Test func fixedSeedVector() throws {
        let signer = try CheckpointSigner(privateKeySeed: Self.seed)
        #expect(signer.publicKey == Self.publicKey)
        #expect(signer.legacyKeyID == Self.legacyKeyID)
        #expect(signer.keyID(origin: Self.checkpoint.origin) == Self.keyID)
        #expect(
            try signer.verifierKey(origin: Self.checkpoint.origin).text
                == "buckstop.example/ledger+7c0caa24+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4")
        #expect(Self.checkpoint.body == Array(Self.body.utf8))
        #expect(Self.checkpoint.bodyText == Self.body)

        let signed = try signer.sign(Self.checkpoint)
        #expect(signed.keyID == Self.keyID)
        #if !canImport(Darwin)
            // BoringSSL's Ed25519 is deterministic (RFC 8032); Apple's CryptoKit randomises signatures.
            #expect(signed.signature == Self.signature)
            #expect(
                signed.text == Self.body + "\n\u{2014} buckstop.example/ledger "
                    + "fAyqJMNOCVQiw1yxiKF3j6BQwj8Yvhn0jftOWmUtuLqfewyG+iiuOdz3BT+7748nRNEBXtWUHui+dAV3SknEZC5HGww=\n")
        #endif
        // The published signature verifies everywhere.
        let verifier = try CheckpointVerifier(publicKey: Self.publicKey)
        #expect(verifier.keyID(origin: Self.checkpoint.origin) == Self.keyID)
        #expect(verifier.legacyKeyID == Self.legacyKeyID)
        #expect(verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: Self.keyID)))
        #expect(verifier.isValid(signed))
        // A checkpoint stored before the C2SP change (legacy key ID) still verifies, and can be
        // relabelled into the C2SP form without the private key.
        let old = SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: Self.legacyKeyID)
        #expect(verifier.isValid(old))
        #expect(verifier.reidentified(old) == SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: Self.keyID))
        // The text any signed-note verifier holding the log's vkey accepts.
        let note = try SignedNote(parsing: SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: Self.keyID).text)
        let vkey = try Ed25519NoteVerifier(verifierKey: "buckstop.example/ledger+7c0caa24+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4")
        #expect(try note.verifiedSignatures(by: [vkey]).count == 1)
    }

    @Test func signAndVerifyWithGeneratedKey() throws {
        let seed = CheckpointSigner.generateSeed()
        #expect(seed.count == 32)
        #expect(seed != CheckpointSigner.generateSeed())
        let signer = try CheckpointSigner(privateKeySeed: seed)
        let again = try CheckpointSigner(privateKeySeed: seed)
        #expect(signer.publicKey == again.publicKey && signer.legacyKeyID == again.legacyKeyID)
        #expect(CheckpointVerifier.isWellFormedKeyID(signer.legacyKeyID))
        let signed = try signer.sign(Self.checkpoint)
        #expect(CheckpointVerifier.isWellFormedKeyID(signed.keyID))
        #expect(signed.signature.count == 64)
        #expect(try CheckpointVerifier(publicKey: signer.publicKey).isValid(signed))
    }

    @Test func anyChangedSignatureByteFails() throws {
        let verifier = try CheckpointVerifier(publicKey: Self.publicKey)
        let good = SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: Self.keyID)
        #expect(verifier.isValid(good))
        for i in Self.signature.indices {
            var sig = Self.signature
            sig[i] ^= 0x01
            #expect(
                !verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: sig, keyID: Self.keyID)),
                "signature byte \(i)")
        }
        #expect(!verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: Array(Self.signature.dropLast()), keyID: Self.keyID)))
        #expect(!verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature + [0], keyID: Self.keyID)))
        #expect(!verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: [], keyID: Self.keyID)))
    }

    @Test func anyChangedBodyByteFails() throws {
        let verifier = try CheckpointVerifier(publicKey: Self.publicKey)
        let body = Self.checkpoint.body
        var parsedVariants = 0
        for i in body.indices {
            for bit in 0..<8 {
                var changed = body
                changed[i] ^= UInt8(1) << UInt8(bit)
                // A changed body either no longer parses, or parses to a checkpoint whose
                // signature check fails.
                guard let other = try? Checkpoint(body: changed) else { continue }
                parsedVariants += 1
                #expect(other.body == changed)
                #expect(
                    !verifier.isValid(SignedCheckpoint(checkpoint: other, signature: Self.signature, keyID: Self.keyID)),
                    "body byte \(i) bit \(bit)")
            }
        }
        #expect(parsedVariants > 100)  // the loop really exercised the verifier
        // Field-level changes.
        for other in [
            Checkpoint(origin: "buckstop.example/ledgeR", size: 8, rootHash: Self.root8, timestamp: 1_700_000_000),
            Checkpoint(origin: "buckstop.example/ledger", size: 9, rootHash: Self.root8, timestamp: 1_700_000_000),
            Checkpoint(origin: "buckstop.example/ledger", size: 8, rootHash: flipping(Self.root8, byte: 31), timestamp: 1_700_000_000),
            Checkpoint(origin: "buckstop.example/ledger", size: 8, rootHash: Self.root8, timestamp: 1_700_000_001),
        ] {
            #expect(!verifier.isValid(SignedCheckpoint(checkpoint: other, signature: Self.signature, keyID: Self.keyID)))
        }
    }

    @Test func differentKeyOrKeyIDFails() throws {
        let other = try CheckpointSigner(privateKeySeed: Array(repeating: 7, count: 32))
        let signedByOther = try other.sign(Self.checkpoint)
        let verifier = try CheckpointVerifier(publicKey: Self.publicKey)
        #expect(!verifier.isValid(signedByOther))
        // Even when it claims the trusted key's ID.
        #expect(!verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: signedByOther.signature, keyID: Self.keyID)))
        // A valid signature presented under another key ID is rejected too.
        #expect(!verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: other.legacyKeyID)))
        #expect(!verifier.isValid(SignedCheckpoint(checkpoint: Self.checkpoint, signature: Self.signature, keyID: signedByOther.keyID)))
        #expect(try CheckpointVerifier(publicKey: other.publicKey).isValid(signedByOther))
    }

    @Test func keyLengthsAreChecked() {
        #expect(throws: CheckpointError.invalidKeyLength(expected: 32, actual: 31)) {
            try CheckpointSigner(privateKeySeed: Array(repeating: 0, count: 31))
        }
        #expect(throws: CheckpointError.invalidKeyLength(expected: 32, actual: 33)) {
            try CheckpointVerifier(publicKey: Array(repeating: 0, count: 33))
        }
    }

    @Test func bodyParsingIsStrict() throws {
        #expect(try Checkpoint(body: Array(Self.body.utf8)) == Self.checkpoint)
        let empty = Checkpoint(origin: "o", size: 0, rootHash: RFC9162.emptyRoot, timestamp: 0)
        #expect(empty.bodyText == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n0\n")
        #expect(try Checkpoint(body: empty.body) == empty)

        let cases: [(String, Int)] = [
            ("", 1),
            ("buckstop.example/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000", 4),  // no final newline
            ("buckstop.example/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n\n", 5),  // extra line
            ("buckstop.example/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\nx\n", 5),  // extension line
            ("\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n", 1),  // empty origin
            ("bad origin\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n", 1),  // space
            ("o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n", 2),  // leading zero
            ("o\n-8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n", 2),
            ("o\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n", 2),
            ("o\n99999999999999999999\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1700000000\n", 2),
            ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n1700000000\n", 3),  // no padding
            ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n1700000000\n", 3),  // non-zero trailing bits
            ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQ==\n1700000000\n", 3),  // wrong length
            ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n 1700000000\n", 4),
            ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n1.5\n", 4),
        ]
        for (text, line) in cases {
            #expect(throws: CheckpointError.self, "\(text.debugDescription)") { try Checkpoint(body: Array(text.utf8)) }
            do {
                _ = try Checkpoint(body: Array(text.utf8))
            } catch let CheckpointError.malformedBody(errorLine, _) {
                #expect(errorLine == line, "\(text.debugDescription)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(Checkpoint.isValidOrigin("buckstop.example/ledger"))
        #expect(!Checkpoint.isValidOrigin("a\nb"))
        #expect(!Checkpoint.isValidOrigin("Nguyễn"))
        #expect(!Checkpoint.isValidOrigin(""))
    }

    @Test func bodyRoundTripsForRandomFields() async {
        let origin = Gen<UInt8>.value(in: 0x21...0x7E).array(of: 1...40)
        await propertyCheck(
            count: 200, input: origin, Gen<Int>.value(in: 0...Int.max), Gen<Int64>.value(in: 0...Int64.max),
            Gen<UInt8>.value(in: 0...255).array(of: 32)
        ) { originBytes, size, timestamp, root in
            let checkpoint = Checkpoint(
                origin: String(decoding: originBytes, as: UTF8.self), size: size, rootHash: TreeHash(bytes: root)!,
                timestamp: timestamp)
            #expect(try Checkpoint(body: checkpoint.body) == checkpoint)
            let json = try JSONEncoder().encode(checkpoint)
            #expect(try JSONDecoder().decode(Checkpoint.self, from: json) == checkpoint)
        }
    }

    @Test func signedCheckpointTextAndJSONRoundTrip() throws {
        let signer = try CheckpointSigner(privateKeySeed: Self.seed)
        let signed = try signer.sign(Self.checkpoint)
        #expect(try SignedCheckpoint(text: signed.text) == signed)
        let json = try JSONEncoder().encode(signed)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["signature"] as? String == Data(signed.signature).base64EncodedString())
        #expect((object["checkpoint"] as? [String: Any])?["rootHash"] as? String == Self.root8.hex)
        #expect(try JSONDecoder().decode(SignedCheckpoint.self, from: json) == signed)

        // The C2SP text form (this changed from the pre-C2SP form; the cases follow it).
        let text = signed.text
        for bad in [
            text.replacingOccurrences(of: "\n\n", with: "\n"),
            text.replacingOccurrences(of: "\u{2014} ", with: "- "),
            text.replacingOccurrences(of: "ledger ", with: "ledger  "),  // empty-looking base64
            text.replacingOccurrences(of: "\u{2014} buckstop", with: "\u{2014} Buckstop"),  // not the origin's key name
            text.replacingOccurrences(of: "=\n", with: "\n"),  // padding removed
            String(text.dropLast()),
            text + "\u{2014} 56475aa7 AAAA\n",  // 3 bytes: no room for a key ID and a signature
            text + String(text.split(separator: "\n").last!) + "\n",  // two signatures by the origin's name
        ] {
            #expect(throws: CheckpointError.self, "\(bad.debugDescription)") { try SignedCheckpoint(text: bad) }
        }
    }
}
