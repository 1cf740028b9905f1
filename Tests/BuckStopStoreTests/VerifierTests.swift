import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

/// The attacker owns the database: each kind of tampering must be caught and the first bad entry named, on every
/// backend, by the verifier that needs no secrets (`buckstop verify`).
@Suite struct VerifierTests {
    /// 30 entries, checkpoints at 8, 16, 24 and 30.
    func withSeeded(_ backend: StoreBackend, _ body: (StoreFixture) async throws -> Void) async throws {
        try await StoreFixture.with(backend, checkpointInterval: 8) { fx in
            try await fx.seed(cases: 10)
            try await fx.store.checkpoint()
            try await body(fx)
        }
    }

    func verify(_ fx: StoreFixture) async throws -> VerificationReport {
        try await fx.verifyWithoutSecrets()
    }

    @Test(arguments: StoreBackend.available) func untouchedLedgerIsSound(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let report = try await verify(fx)
            #expect(report.isSound, "\(report.problems)")
            #expect(report.entries == 30 && report.checkpoints == 4 && report.consistencyProofsChecked == 3)
        }
    }

    @Test(arguments: StoreBackend.available) func changedByteIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            // Flip one byte in the middle of entry 13's body.
            var bytes = try #require(try await fx.blob("SELECT body FROM ledger_entry WHERE idx = 13"))
            bytes[bytes.count / 2] ^= 0x01
            try await fx.execute("UPDATE ledger_entry SET body = ? WHERE idx = 13", [.blob(bytes)], tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.firstBadIndex == 13)
        }
    }

    @Test(arguments: StoreBackend.available) func changedEntryWithRecomputedLeafHashIsCaughtByTheSignedRoot(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            // A careful attacker rewrites entry 13 and its leaf hash; the signed checkpoint at 16 still disagrees.
            let forged = LedgerEntryCodec.encode(
                Action(
                    caseID: "STP-251120-0005", actor: .official("cv-an"), at: SampleCity.t0, body: .comment(text: "giả mạo"), via: .generated("test")),
                index: 13)
            try await fx.execute(
                "UPDATE ledger_entry SET body = ?, leaf_hash = ? WHERE idx = 13", [.blob(forged), .blob(BuckStopLedgerLeaf.hash(forged))],
                tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.firstBadIndex == 8, "the bad entry lies after the last good checkpoint (size 8)")
            #expect(report.problems.contains { $0.contains("checkpoint at size 16") })
        }
    }

    @Test(arguments: StoreBackend.available) func deletedEntryIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            try await fx.execute("DELETE FROM ledger_entry WHERE idx = 21", tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.firstBadIndex == 21)
        }
    }

    @Test(arguments: StoreBackend.available) func deletedTailIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            try await fx.execute("DELETE FROM ledger_entry WHERE idx >= 28", tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.firstBadIndex == 28, "the checkpoint at 30 covers entries that are gone")
        }
    }

    @Test(arguments: StoreBackend.available) func reorderedEntriesAreCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            // Swap entries 4 and 9 completely (body and leaf hash), as if history were rearranged.
            try await fx.execute(
                """
                UPDATE ledger_entry SET idx = 1000000 WHERE idx = 4;
                UPDATE ledger_entry SET idx = 4 WHERE idx = 9;
                UPDATE ledger_entry SET idx = 9 WHERE idx = 1000000;
                """, tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.firstBadIndex == 4)
        }
    }

    @Test(arguments: StoreBackend.available) func forgedCheckpointSignatureIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            try await fx.execute("UPDATE checkpoint SET timestamp = timestamp + 1 WHERE size = 16", tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.problems.contains { $0.contains("size 16") && $0.contains("signature") })
        }
    }

    @Test(arguments: StoreBackend.available) func alteredTreeNodeIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            try await fx.execute(
                "UPDATE merkle_node SET hash = ? WHERE level = 4 AND idx = 0", [.blob([UInt8](repeating: 0, count: 32))], tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.problems.contains { $0.contains("level 4, index 0") })
            #expect(report.firstBadIndex == nil, "the entries themselves are intact")
        }
    }

    /// What a crash between writing an entry and its projection would leave (impossible with one transaction per
    /// batch, and exactly what the crash tests look for): the case's row no longer counts its entries.
    @Test(arguments: StoreBackend.available) func halfWrittenProjectionIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let id = try #require(try await fx.store.cases(limit: 1).first?.id)
            #expect(try await verify(fx).casesChecked == 10)
            try await fx.execute("UPDATE case_state SET action_count = action_count - 1 WHERE id = ?", [.text(id.rawValue)], tampering: true)
            let report = try await verify(fx)
            #expect(!report.isSound)
            #expect(report.problems.contains { $0.contains("case \(id.rawValue)") && $0.contains("half-written") }, "\(report.problems)")
        }
    }

    /// An insider edits a case's projection row — who holds it, its title, its due date, its status — without
    /// touching an entry: verify rebuilds every projection from the entries and names the field.
    @Test(arguments: StoreBackend.available) func editedProjectionIsCaught(_ backend: StoreBackend) async throws {
        let edits: [(sql: String, field: String)] = [
            ("UPDATE case_state SET owner = 'cv-binh' WHERE id = ?", "owner"),
            ("UPDATE case_state SET title = 'Hồ sơ khác' WHERE id = ?", "title"),
            ("UPDATE case_state SET due_date = '2099-01-01' WHERE id = ?", "dueDate"),
            ("UPDATE case_state SET status = 'processing' WHERE id = ?", "status"),
        ]
        for edit in edits {
            try await withSeeded(backend) { fx in
                let id = try #require(try await fx.store.cases(limit: 1).first?.id)
                #expect(try await verify(fx).isSound)
                try await fx.execute(edit.sql, [.text(id.rawValue)], tampering: true)
                let report = try await verify(fx)
                #expect(!report.isSound, "\(edit.sql)")
                #expect(
                    report.problems.contains { $0.contains("case \(id.rawValue)") && $0.contains("\(edit.field): stored") },
                    "\(edit.field): \(report.problems)")
                #expect(report.firstBadIndex == nil, "the entries themselves are intact")
            }
        }
    }

    /// Moving an entry to another case by its `case_id` column, or changing its time column, leaves its bytes alone.
    @Test(arguments: StoreBackend.available) func entryColumnsMustMatchTheirBytes(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let own = try #require(try await fx.store.entry(at: 13)?.record.action.caseID)
            let other = try #require(try await fx.store.cases(limit: 2).map(\.id).first { $0 != own })
            try await fx.execute("UPDATE ledger_entry SET case_id = ? WHERE idx = 13", [.text(other.rawValue)], tampering: true)
            let moved = try await verify(fx)
            #expect(!moved.isSound)
            #expect(moved.problems.contains { $0.contains("entry 13") && $0.contains("moved between cases") }, "\(moved.problems)")
        }
        try await withSeeded(backend) { fx in
            try await fx.execute("UPDATE ledger_entry SET at = at + 86400000 WHERE idx = 7", tampering: true)
            let retimed = try await verify(fx)
            #expect(retimed.problems.contains { $0.contains("entry 7") && $0.contains("stored at time") }, "\(retimed.problems)")
        }
    }

    /// Bytes the writer never writes — an extra field, or whitespace — are named even when their leaf hash is recomputed.
    @Test(arguments: StoreBackend.available) func nonCanonicalEntryIsNamed(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let body = try #require(try await fx.blob("SELECT body FROM ledger_entry WHERE idx = 13"))
            let text = String(decoding: body, as: UTF8.self)
            let padded = Array(text.replacingOccurrences(of: ",\"index\":", with: ",\"extra\":1,\"index\":").utf8)
            try await fx.execute(
                "UPDATE ledger_entry SET body = ?, leaf_hash = ? WHERE idx = 13", [.blob(padded), .blob(BuckStopLedgerLeaf.hash(padded))],
                tampering: true)
            let report = try await verify(fx)
            #expect(report.problems.contains { $0.contains("entry 13") && $0.contains("not the canonical encoding") }, "\(report.problems)")
        }
    }

    /// A finding upheld on the ledger but flipped to "dismissed" in its table is caught too.
    @Test(arguments: StoreBackend.available) func editedFindingIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let id = try #require(try await fx.store.cases(limit: 1).first?.id)
            let notice = FindingNotice(
                id: "F-test-1", detector: "stalling", official: "tp-hcbt", unit: "stp", severity: .major, evidence: [2], value: "7", limit: "5",
                explanation: "Giữ hồ sơ 7 ngày làm việc", explanationEn: "Held for 7 working days")
            let late = SampleCity.t0 + 10_000_000
            try await fx.store.append(.action(Action(caseID: id, actor: .system("detector"), at: late, body: .raiseFinding(notice), via: .server)))
            try await fx.store.append(
                .action(SampleCity.act(id, by: "ctt", at: late + 1, .reviewFinding(id: "F-test-1", uphold: true, note: "Đúng", cause: "qua-tai"))))
            let sound = try await verify(fx)
            #expect(sound.isSound, "\(sound.problems)")
            #expect(sound.findingsChecked == 1)
            // The status and the cause rewritten in the table are both named.
            try await fx.execute("UPDATE finding SET status = 'dismissed', cause = 'nang-luc' WHERE id = 'F-test-1'", tampering: true)
            let report = try await verify(fx)
            #expect(
                report.problems.contains {
                    $0.contains("finding F-test-1") && $0.contains("status: stored dismissed, entries give upheld") && $0.contains("cause: stored")
                },
                "\(report.problems)")
        }
    }

    /// A finding reviewed as protected (NĐ 73/2023) keeps the proposal in its row on both stores; the protection removed
    /// from the table is caught.
    @Test(arguments: StoreBackend.available) func removedProtectionIsCaught(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let id = try #require(try await fx.store.cases(limit: 1).first?.id)
            let notice = FindingNotice(
                id: "F-test-2", detector: "overdue", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [2], value: "3", limit: "0",
                explanation: "Quá hạn 3 ngày", explanationEn: "3 days late")
            let late = SampleCity.t0 + 10_000_000
            try await fx.store.append(.action(Action(caseID: id, actor: .system("detector"), at: late, body: .raiseFinding(notice), via: .server)))
            try await fx.store.append(
                .action(
                    SampleCity.act(
                        id, by: "tp-hcbt", at: late + 1,
                        .reviewFinding(
                            id: "F-test-2", uphold: true, note: "Theo đề xuất", cause: "qua-tai",
                            protection: ProtectionReview(proposal: "STPHC-251101-0001", unmet: [])))))
            #expect(try await fx.store.finding(id: "F-test-2")?.finding.protectedBy == "STPHC-251101-0001")
            #expect(try await verify(fx).isSound)
            try await fx.execute("UPDATE finding SET protected_by = NULL WHERE id = 'F-test-2'", tampering: true)
            let report = try await verify(fx)
            #expect(report.problems.contains { $0.contains("finding F-test-2") && $0.contains("protectedBy") }, "\(report.problems)")
        }
    }

    @Test(arguments: StoreBackend.available) func pinnedPublicKeyMustMatch(_ backend: StoreBackend) async throws {
        try await withSeeded(backend) { fx in
            let other = try await fx.verifyWithoutSecrets(publicKeyHex: String(repeating: "ab", count: 32))
            #expect(!other.isSound)
        }
    }
}

enum BuckStopLedgerLeaf {
    static func hash(_ body: [UInt8]) -> [UInt8] { RFC9162.leafHash(body).bytes }
}
