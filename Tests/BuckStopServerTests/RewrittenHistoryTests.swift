import BuckStopDomain
import BuckStopLedger
import BuckStopLive
import BuckStopServer
import BuckStopStore
import BuckStopTestSupport
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// The attack of the security review (item 4), end to end: an insider with write access to the database rewrites an
/// entry, recomputes its leaf hash and every stored subtree hash, and deletes the checkpoints (and cosignatures) signed
/// after it. The log's own signature then covers the forged tree — but the witness refuses to cosign it, `verify` with
/// the witness's key or its checkpoint refuses it, and the citizen's page does not say "verified".
@Suite(.serialized) struct RewrittenHistoryTests {
    @Test func rewriteRecomputeAndDeleteLaterCheckpointsIsRefusedEverywhere() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let code = ServerFixture.code
        for i in 0..<6 {
            _ = try await fixture.state.live.append(
                SampleCity.act(code, by: "cv-an", at: LiveLedger.nowMillis(), .comment(text: "Ghi chú \(i)")), serverTime: true)
        }
        let outcome = try await fixture.checkpointAndWitness()
        let size = Int(try await fixture.store.ledgerSize())
        #expect(outcome["witness.test"] == .cosigned(size: size))
        let witnessKey = fixture.state.witnesses[0].verifier
        let sound = try await fixture.store.verify(publicKey: nil, witnesses: WitnessRequirement(verifiers: [witnessKey]))
        #expect(sound.isSound, "\(sound.problems)")
        #expect(sound.witnessedSize == size && sound.cosignaturesChecked >= 1)
        let keptByWitness = try SignedCheckpoint(
            note: try SignedNote(parsing: try #require(try fixture.witness.store.latestNote(origin: fixture.store.origin))))

        // The attack, behind the store's back.
        let path = fixture.directory + "/s.sqlite"
        try Self.rewrite(path: path, index: 2, checkpointsFrom: 2)

        // The server signs the forged tree at its next scheduled checkpoint; the witness refuses it (422).
        let after = try await fixture.checkpointAndWitness()
        guard case .refused(let status, _)? = after["witness.test"] else {
            Issue.record("the witness cosigned a rewritten history: \(after)")
            return
        }
        #expect(status == 422)
        // verify with the witness's key: the newest checkpoint carries no cosignature of it.
        let withKey = try await fixture.store.verify(publicKey: nil, witnesses: WitnessRequirement(verifiers: [witnessKey]))
        #expect(!withKey.isSound)
        #expect(withKey.problems.contains { $0.contains("no checkpoint that every witness cosigned") }, "\(withKey.problems)")
        // verify with the checkpoint the witness holds: the recomputed root at that size differs.
        let withCheckpoint = try await fixture.store.verify(
            publicKey: nil, witnesses: WitnessRequirement(verifiers: [witnessKey], witnessedCheckpoints: [keptByWitness]))
        #expect(
            withCheckpoint.problems.contains { $0.contains("checkpoint at size \(size)") && $0.contains("recomputed root differs") },
            "\(withCheckpoint.problems)")
        // Without the witness, the tree and the log's signatures alone look sound: this is why witnesses are required.
        let alone = try await fixture.store.verify()
        #expect(alone.isSound, "the forgery is self-consistent: \(alone.problems)")

        // The citizen's page: not verified.
        try await fixture.test { client in
            var c = Browser(client)
            let pin = fixture.state.live.citizenKeys.pin(for: code)
            _ = try await c.post("/track", form: [("code", code.rawValue), ("pin", pin)])
            let page = try await c.get("/track/\(code.rawValue)/verify")
            #expect(page.text.contains("id=\"verify-result\" data-verified=\"false\""), "\(page.text.prefix(400))")
            // A citizen who kept the earlier checkpoint finds it inconsistent with what the ledger now serves.
            let ledger = try await c.get("/ledger?size=\(keptByWitness.checkpoint.size)&root=\(keptByWitness.checkpoint.rootHash.hex)")
            #expect(!ledger.text.contains("data-consistent=\"true\""))
        }
    }

    /// Rewrites entry `index` (a different comment), recomputes its leaf hash and every stored subtree hash, and
    /// deletes the checkpoints of size > `checkpointsFrom` with their cosignatures.
    static func rewrite(path: String, index: Int64, checkpointsFrom: Int) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS ledger_entry_no_update; DROP TRIGGER IF EXISTS ledger_entry_no_delete")
            let body = try #require(try Data.fetchOne(db, sql: "SELECT body FROM ledger_entry WHERE idx = ?", arguments: [index]))
            let decoded = try LedgerEntryCodec.decode([UInt8](body))
            var forged = decoded.action
            forged.body = .comment(text: "Nội dung đã bị sửa")
            let bytes = LedgerEntryCodec.encode(forged, index: index)
            try db.execute(
                sql: "UPDATE ledger_entry SET body = ?, leaf_hash = ?, type = 'comment' WHERE idx = ?",
                arguments: [Data(bytes), Data(RFC9162.leafHash(bytes).bytes), index])
            var tree = InMemoryMerkleTree()
            for row in try Row.fetchAll(db, sql: "SELECT body FROM ledger_entry ORDER BY idx") {
                tree.append(entry: [UInt8](try row.decode(Data.self, atIndex: 0)))
            }
            for row in try Row.fetchAll(db, sql: "SELECT level, idx FROM merkle_node") {
                let level: Int = try row.decode(atIndex: 0)
                let i: Int = try row.decode(atIndex: 1)
                try db.execute(
                    sql: "UPDATE merkle_node SET hash = ? WHERE level = ? AND idx = ?",
                    arguments: [Data(try tree.subtreeHash(level: level, index: i).bytes), level, i])
            }
            try db.execute(sql: "DELETE FROM checkpoint_cosignature WHERE size > ?", arguments: [checkpointsFrom])
            try db.execute(sql: "DELETE FROM checkpoint WHERE size > ?", arguments: [checkpointsFrom])
        }
    }
}

/// The public ledger page: the keys anyone needs, and a consistency check from a checkpoint a citizen kept.
@Suite(.serialized) struct LedgerPageTests {
    @Test func keysAndConsistencyFromAKeptCheckpoint() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.checkpointAndWitness()
        let kept = try #require(try await fixture.store.latestCheckpoint()).checkpoint
        for i in 0..<5 {
            _ = try await fixture.state.live.append(
                SampleCity.act(ServerFixture.code, by: "cv-an", at: LiveLedger.nowMillis(), .comment(text: "Ghi chú \(i)")), serverTime: true)
        }
        try await fixture.checkpointAndWitness()
        try await fixture.test { client in
            var c = Browser(client)
            let page = try await c.get("/ledger")
            let logKey = try CheckpointVerifier(publicKey: fixture.store.publicKey).verifierKey(origin: fixture.store.origin).text
            #expect(page.text.contains(logKey) && page.text.contains(fixture.state.witnesses[0].verifier.verifierKey.text))
            #expect(page.text.contains("id=\"witnessed-note\""))
            let consistent = try await c.get("/ledger?size=\(kept.size)&root=\(kept.rootHash.hex)")
            #expect(consistent.text.contains("data-consistent=\"true\""))
            let forged = String(repeating: "0", count: 64)
            let inconsistent = try await c.get("/ledger?size=\(kept.size)&root=\(forged)")
            #expect(inconsistent.text.contains("data-consistent=\"false\""))
            let nonsense = try await c.get("/ledger?size=999999&root=xyz")
            #expect(nonsense.text.contains("data-consistent=\"unknown\""))
        }
    }
}
