import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import GRDB
import Testing

/// The attacker has the database file: each kind of tampering must be caught and the first bad entry named.
@Suite struct VerifierTests {
    func seeded() async throws -> StoreFixture {
        let fx = try await StoreFixture.make(checkpointInterval: 8)
        try await fx.seed(cases: 10)  // 30 entries, checkpoints at 8, 16, 24
        try await fx.store.checkpoint()  // and 30
        return fx
    }

    func verify(_ fx: StoreFixture) throws -> VerificationReport {
        try SQLiteStore.verifier(path: fx.path, publicKeyHex: nil).verify()
    }

    @Test func untouchedLedgerIsSound() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        let report = try verify(fx)
        #expect(report.isSound, "\(report.problems)")
        #expect(report.entries == 30 && report.checkpoints == 4 && report.consistencyProofsChecked == 3)
    }

    @Test func changedByteIsCaught() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        // Flip one byte in the middle of entry 13's body.
        let body = try await DatabaseQueue(path: fx.path).read { try Data.fetchOne($0, sql: "SELECT body FROM ledger_entry WHERE idx = 13")! }
        var bytes = [UInt8](body)
        bytes[bytes.count / 2] ^= 0x01
        try fx.tamper("UPDATE ledger_entry SET body = ? WHERE idx = 13", [Data(bytes)])
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.firstBadIndex == 13)
    }

    @Test func changedEntryWithRecomputedLeafHashIsCaughtByTheSignedRoot() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        // A careful attacker rewrites entry 13 and its leaf hash; the signed checkpoint at 16 still disagrees.
        let forged = LedgerEntryCodec.encode(
            Action(caseID: "STP-251120-0005", actor: .official("cv-an"), at: SampleCity.t0, body: .comment(text: "giả mạo")), index: 13)
        try fx.tamper("UPDATE ledger_entry SET body = ?, leaf_hash = ? WHERE idx = 13", [Data(forged), Data(BuckStopLedgerLeaf.hash(forged))])
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.firstBadIndex == 8, "the bad entry lies after the last good checkpoint (size 8)")
        #expect(report.problems.contains { $0.contains("checkpoint at size 16") })
    }

    @Test func deletedEntryIsCaught() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        try fx.tamper("DELETE FROM ledger_entry WHERE idx = 21")
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.firstBadIndex == 21)
    }

    @Test func deletedTailIsCaught() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        try fx.tamper("DELETE FROM ledger_entry WHERE idx >= 28")
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.firstBadIndex == 28, "the checkpoint at 30 covers entries that are gone")
    }

    @Test func reorderedEntriesAreCaught() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        // Swap entries 4 and 9 completely (body and leaf hash), as if history were rearranged.
        try fx.tamper(
            """
            UPDATE ledger_entry SET idx = 1000000 WHERE idx = 4;
            UPDATE ledger_entry SET idx = 4 WHERE idx = 9;
            UPDATE ledger_entry SET idx = 9 WHERE idx = 1000000;
            """)
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.firstBadIndex == 4)
    }

    @Test func forgedCheckpointSignatureIsCaught() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        try fx.tamper("UPDATE checkpoint SET timestamp = timestamp + 1 WHERE size = 16")
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.problems.contains { $0.contains("size 16") && $0.contains("signature") })
    }

    @Test func alteredTreeNodeIsCaught() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        try fx.tamper("UPDATE merkle_node SET hash = zeroblob(32) WHERE level = 4 AND idx = 0")
        let report = try verify(fx)
        #expect(!report.isSound)
        #expect(report.problems.contains { $0.contains("level 4, index 0") })
        #expect(report.firstBadIndex == nil, "the entries themselves are intact")
    }

    @Test func pinnedPublicKeyMustMatch() async throws {
        let fx = try await seeded()
        defer { fx.remove() }
        let other = try SQLiteStore.verifier(path: fx.path, publicKeyHex: String(repeating: "ab", count: 32)).verify()
        #expect(!other.isSound)
    }
}

import BuckStopLedger

enum BuckStopLedgerLeaf {
    static func hash(_ body: [UInt8]) -> [UInt8] { RFC9162.leafHash(body).bytes }
}
