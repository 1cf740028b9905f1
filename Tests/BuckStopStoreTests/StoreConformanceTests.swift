import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import BuckStopTestSupport
import Foundation
import GRDB
import Testing

/// What every store must do, run against each backend (`StoreBackend.available`: SQLite, and PostgreSQL when a
/// server is configured).
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreBackend.available) func appendUpdatesLedgerAndProjectionsTogether(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let opened = try await fx.store.append(
                .open(
                    OpenCase(
                        kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Cấp phiếu LLTP", leadUnit: "stp", owner: "cv-an",
                        dueDate: .init(year: 2025, month: 12, day: 4)),
                    actor: .official("cv-an"), at: SampleCity.t0, code: nil, personalData: nil, via: .generated("test")))
            #expect(opened.index == 0)
            #expect(opened.caseID.rawValue == "STP-251120-0001", "agency code + Vietnam date + daily sequence")
            #expect(try await fx.store.inbox(of: "cv-an").map(\.id) == [opened.caseID])

            let moved = try await fx.store.append(
                .action(SampleCity.act(opened.caseID, by: "cv-an", at: SampleCity.t0 + 1, .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp"))))
            #expect(moved.index == 1)
            #expect(try await fx.store.inbox(of: "cv-an").isEmpty)
            #expect(try await fx.store.inbox(of: "tp-hcbt").map(\.id) == [opened.caseID])
            let state = try #require(try await fx.store.caseState(opened.caseID))
            #expect(state.owner == "tp-hcbt" && state.actionCount == 2 && state.dueDate == .init(year: 2025, month: 12, day: 4))
            let history = try await fx.store.history(of: opened.caseID)
            #expect(history.map(\.index) == [0, 1])
            #expect(history[1].leafHash == RFC9162.leafHash(LedgerEntryCodec.encode(history[1].action, index: 1)))

            let second = try await fx.store.append(
                .open(
                    OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ 2", leadUnit: "stp", owner: "cv-binh"),
                    actor: .official("cv-binh"), at: SampleCity.t0 + 5, code: nil, personalData: nil, via: .generated("test")))
            #expect(second.caseID.rawValue == "STP-251120-0002")
        }
    }

    /// A scan case by case (`forEachCase`, what exports, surveys and reports read) gives every case once, in id order, with
    /// all its entries in ledger order, across several pages of cases read ahead; the transform runs on each case and its
    /// results come back in the same order.
    @Test(arguments: StoreBackend.available) func aScanCaseByCaseGivesEveryEntryOnceInOrder(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let count = 1_234
            let opens = (0..<count).map { n in
                AppendRequest.open(
                    OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ \(n)", leadUnit: "stp", owner: "cv-an"),
                    actor: .official("cv-an"), at: SampleCity.t0 + Int64(n), code: nil, personalData: nil, via: .generated("test"))
            }
            let opened = try await fx.store.appendBatch(opens).map { try $0.get() }
            let moves = opened.enumerated().filter { $0.offset % 3 == 0 }.map { n, receipt in
                AppendRequest.action(
                    SampleCity.act(receipt.caseID, by: "cv-an", at: SampleCity.t0 + 10_000 + Int64(n), .escalate(to: "tp-hcbt", proposal: "Đề xuất")))
            }
            for result in await fx.store.appendBatch(moves) { _ = try result.get() }

            var seen: [(id: CaseID, indices: [Int64])] = []
            try await fx.store.forEachCase { id, entries in seen.append((id, entries.map(\.index))) }
            #expect(seen.count == count && seen.map(\.id) == opened.map(\.caseID).sorted { $0.rawValue < $1.rawValue })
            #expect(seen.allSatisfy { $0.indices == $0.indices.sorted() && $0.indices.allSatisfy { $0 >= 0 } })
            #expect(Set(seen.flatMap(\.indices)) == Set(0..<Int64(count + moves.count)), "every entry once")
            #expect(seen.filter { $0.indices.count == 2 }.count == moves.count)

            var transformed: [String] = []
            try await fx.store.forEachCase(
                transform: { id, entries in "\(id.rawValue):\(entries.count):\(entries.last?.action.body.type.rawValue ?? "")" },
                { transformed.append($0) })
            #expect(transformed == seen.map { "\($0.id.rawValue):\($0.indices.count):\($0.indices.count == 2 ? "escalate" : "open")" })
        }
    }

    /// An imported case that brings its own code in the store's form takes that number: the next code the store gives in
    /// the series comes after it, even when the import came first, in another batch or in the same one.
    @Test(arguments: StoreBackend.available) func aCodeBroughtByAnImportIsNeverGivenAgain(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            func opening(_ code: CaseID?, at: Int64) -> AppendRequest {
                .open(
                    OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ", leadUnit: "stp", owner: "cv-an"),
                    actor: .official("cv-an"), at: at, code: code, personalData: nil, via: .generated("test"))
            }
            _ = try await fx.store.append(opening("STP-251120-0003", at: SampleCity.t0))
            let next = try await fx.store.append(opening(nil, at: SampleCity.t0 + 1))
            #expect(next.caseID.rawValue == "STP-251120-0004", "after the imported 0003, not 0001")
            let batch = await fx.store.appendBatch([opening("STP-251120-0009", at: SampleCity.t0 + 2), opening(nil, at: SampleCity.t0 + 3)])
            #expect(try batch.map { try $0.get().caseID.rawValue } == ["STP-251120-0009", "STP-251120-0010"])
            let otherForm = try await fx.store.append(opening("STP-MIGRATED-7", at: SampleCity.t0 + 4))
            #expect(otherForm.caseID.rawValue == "STP-MIGRATED-7")
            #expect(try await fx.store.append(opening(nil, at: SampleCity.t0 + 5)).caseID.rawValue == "STP-251120-0011")
        }
    }

    /// The ranking's counts per official, with a detector the base-rate check withholds left out.
    @Test(arguments: StoreBackend.available) func findingCountsCanLeaveOutWithheldDetectors(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let ids = try await fx.seed(cases: 1)
            let late = SampleCity.t0 + 10_000_000
            for (i, detector) in ["stalling", "ping_pong", "stalling"].enumerated() {
                let notice = FindingNotice(
                    id: "F-count-\(i)", detector: detector, official: "cv-an", unit: "stp-hcbt", severity: .minor, evidence: [0], value: "2",
                    limit: "1", explanation: "x", explanationEn: "x")
                try await fx.store.append(
                    .action(Action(caseID: ids[0], actor: .system("detector"), at: late + Int64(i), body: .raiseFinding(notice), via: .server)))
            }
            let all = try await fx.store.findingCountsByOfficial(units: nil).first { $0.official == "cv-an" }
            #expect(all?.total == 3)
            let kept = try await fx.store.findingCountsByOfficial(units: nil, excludingDetectors: ["stalling"]).first { $0.official == "cv-an" }
            #expect(kept?.total == 1 && kept?.open == 1)
            let none = try await fx.store.findingCountsByOfficial(units: ["stp-hcbt"], excludingDetectors: ["stalling", "ping_pong"])
            #expect(none.allSatisfy { $0.official != "cv-an" })
        }
    }

    /// The Open311 list: cases of one kind received in a window, by procedure (any, none, one) and status, newest first.
    @Test(arguments: StoreBackend.available) func casesOfAKindByWindowProcedureAndStatus(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let t0 = SampleCity.t0
            var codes: [CaseID] = []
            for (i, procedure) in [nil, nil, "KN-L2", nil].enumerated() {
                let open = OpenCase(kind: .petition, procedure: procedure, title: "Kiến nghị \(i)", leadUnit: "thanh-tra", owner: "ttv")
                let at = t0 + Int64(i) * 60_000
                codes.append(
                    try await fx.store.append(.open(open, actor: .citizen, at: at, code: nil, personalData: nil, via: .publicForm)).caseID)
            }
            _ = try await fx.seed(cases: 1)  // a dossier in the same window: another kind
            try await fx.store.append(.action(SampleCity.act(codes[1], by: "ttv", at: t0 + 600_000, .close(outcome: "Đã trả lời"))))
            func list(_ procedure: ProcedureFilter, _ from: Int64, _ before: Int64, _ statuses: [CaseStatus]?, limit: Int = 10) async throws
                -> [CaseID]
            {
                try await fx.store.cases(
                    kind: .petition, procedure: procedure, openedFrom: from, openedBefore: before, statuses: statuses, limit: limit
                ).map(\.id)
            }
            let end = t0 + 3_600_000
            #expect(try await list(.any, t0, end, nil) == codes.reversed(), "newest first, every petition, no dossier")
            #expect(try await list(.none, t0, end, nil) == [codes[3], codes[1], codes[0]])
            #expect(try await list(.code("KN-L2"), t0, end, nil) == [codes[2]])
            #expect(try await list(.any, t0, end, [.closed]) == [codes[1]])
            #expect(try await list(.any, t0 + 60_000, t0 + 180_000, nil) == [codes[2], codes[1]], "from inclusive, before exclusive")
            #expect(try await list(.any, t0, end, nil, limit: 2) == [codes[3], codes[2]])
        }
    }

    /// Decoded histories are cached and only newer entries are read. A second store on the same database file stands
    /// for a second server process: what it appends must show up in the first store's next read, in ledger order,
    /// and equal what a store with an empty cache reads.
    @Test(arguments: StoreBackend.available) func cachedHistoryPicksUpEntriesAppendedByAnotherProcess(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let ids = try await fx.seed(cases: 2)
            let first = try await fx.store.history(of: ids[0])
            #expect(first.count >= 2)
            let t = SampleCity.t0 + 10 * SampleCity.hour
            try await fx.withReopened { other in
                try await other.append(.action(SampleCity.act(ids[0], by: "cv-an", at: t, .comment(text: "từ máy chủ thứ hai"))))
                try await fx.store.append(.action(SampleCity.act(ids[1], by: "cv-an", at: t, .comment(text: "hồ sơ khác"))))
                try await other.append(.action(SampleCity.act(ids[0], by: "cv-an", at: t + 1, .comment(text: "lần nữa"))))
            }
            let again = try await fx.store.history(of: ids[0])
            #expect(again.count == first.count + 2)
            #expect(again.map(\.index) == again.map(\.index).sorted())
            #expect(Array(again.prefix(first.count)).map(\.index) == first.map(\.index))
            let fresh = try await fx.withReopened { try await $0.history(of: ids[0]) }
            #expect(again.map(\.index) == fresh.map(\.index))
            #expect(again.map(\.leafHash) == fresh.map(\.leafHash))
            // Only what comes after a given index.
            let newer = try await fx.store.entries(of: ids[0], after: first.last!.index)
            #expect(newer.map(\.index) == Array(again.suffix(2)).map(\.index))
            if case .comment(let text) = newer.last?.action.body { #expect(text == "lần nữa") } else { Issue.record("expected the comment") }
            #expect(try await fx.store.entries(of: ids[0], after: again.last!.index).isEmpty)
        }
    }

    /// Two writers on one ledger (two server processes): each remembers the cases it wrote, and that memory is stale
    /// once the other wrote. A writer must check every action against the case as the other left it — an escalation
    /// made through the second writer moves the case, so the first may no longer let the old holder resolve it — and
    /// the projection, the sequence and the tree must come out as if one writer had done everything.
    @Test(arguments: StoreBackend.available) func writersSeeEachOthersChangesToTheSameCase(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let id = try await fx.store.append(
                .open(
                    OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hai máy chủ", leadUnit: "stp", owner: "cv-an"),
                    actor: .official("cv-an"), at: SampleCity.t0, code: nil, personalData: nil, via: .generated("test"))
            ).caseID
            let t = SampleCity.t0 + SampleCity.hour
            try await fx.store.append(.action(SampleCity.act(id, by: "cv-an", at: t, .comment(text: "máy một"))))
            try await fx.withReopened { other in
                try await other.append(.action(SampleCity.act(id, by: "cv-an", at: t + 1, .comment(text: "máy hai"))))
                let moved = try await other.append(
                    .action(SampleCity.act(id, by: "cv-an", at: t + 2, .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp"))))
                #expect(moved.state.owner == "tp-hcbt" && moved.index == 3)
            }
            await #expect(
                throws: StoreError.self, "the first writer's memory says cv-an holds the case (so could escalate it); the ledger says tp-hcbt"
            ) {
                try await fx.store.append(.action(SampleCity.act(id, by: "cv-an", at: t + 3, .escalate(to: "tp-hcbt", proposal: "Lần nữa"))))
            }
            let decided = try await fx.store.append(
                .action(SampleCity.act(id, by: "tp-hcbt", at: t + 4, .decide(decision: "Cấp", rationale: "Đủ điều kiện"))))
            #expect(decided.index == 4, "the next index after the other writer's entries: \(decided.index)")
            #expect(decided.state.actionCount == 5 && decided.state.owner == "tp-hcbt" && decided.state.decided)
            // The first writer now remembers the case as the other left it plus its own step; the other writer's memory is
            // stale again and must be refreshed in turn.
            try await fx.withReopened { other in
                let resolved = try await other.append(.action(SampleCity.act(id, by: "tp-hcbt", at: t + 5, .resolve(result: "Đã cấp"))))
                #expect(resolved.index == 5 && resolved.state.actionCount == 6)
            }
            let closed = try await fx.store.append(.action(SampleCity.act(id, by: "tp-hcbt", at: t + 6, .close(outcome: "Đã trả"))))
            #expect(closed.index == 6 && closed.state.actionCount == 7 && closed.state.owner == nil)
            let fresh = try await fx.withReopened { try await $0.caseState(id) }
            #expect(fresh == closed.state, "a store with no memory reads the projection the last writer computed")
            #expect(try await fx.store.history(of: id).map(\.index) == Array(0...6))
            let report = try await fx.store.verify()
            #expect(report.isSound, "\(report)")
        }
    }

    /// Concurrent reads of different cases' entries (the live replays after a group commit) may be served together
    /// (PostgreSQL answers them in one query); each caller must get exactly its own case's entries after its index.
    @Test(arguments: StoreBackend.available) func concurrentEntryReadsEachGetTheirOwnCase(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let ids = try await fx.seed(cases: 6)
            var expected: [(CaseID, Int64, [Int64])] = []
            for (n, id) in ids.enumerated() {
                let history = try await fx.store.history(of: id)
                let after = n % 2 == 0 ? -1 : history[history.count / 2].index
                expected.append((id, after, history.map(\.index).filter { $0 > after }))
            }
            expected.append((CaseID(rawValue: "NO-SUCH-CASE"), -1, []))
            let reads = expected
            let results = try await withThrowingTaskGroup(of: (Int, [LedgerRecord]).self) { group in
                for _ in 0..<4 {
                    for (n, read) in reads.enumerated() {
                        group.addTask { (n, try await fx.store.entries(of: read.0, after: read.1)) }
                    }
                }
                var all: [(Int, [LedgerRecord])] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == reads.count * 4)
            for (n, records) in results {
                #expect(records.map(\.index) == reads[n].2, "case \(reads[n].0.rawValue) after \(reads[n].1)")
                #expect(records.allSatisfy { $0.action.caseID == reads[n].0 })
            }
        }
    }

    /// The stored projection row must read back exactly as the domain computed it, whichever
    /// write (insert, full update, index-free update) saved it.
    @Test(arguments: StoreBackend.available) func storedProjectionEqualsTheDomainsStateAfterEveryKindOfAction(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let opened = try await fx.store.append(
                .open(
                    OpenCase(
                        kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Cấp phiếu — \"đặc biệt\"", leadUnit: "stp", collaborators: ["thanh-tra"],
                        owner: "cv-an", dueDate: .init(year: 2025, month: 12, day: 4), ruleID: "LLTP-CAPPHIEU.resolve"),
                    actor: .official("cv-an"), at: SampleCity.t0, code: nil, personalData: PersonalData(fullName: "Lê Thị Dân"),
                    via: .generated("test")))
            #expect(try await fx.store.caseState(opened.caseID) == opened.state)
            let id = opened.caseID
            let steps: [(OfficialID, ActionBody)] = [
                ("cv-an", .comment(text: "Đã kiểm tra hồ sơ")),
                ("cv-an", .accept(note: "")),
                ("cv-an", .consult(units: ["thanh-tra", "p-hai-chau"], question: "Có vướng mắc?", dueDate: .init(year: 2025, month: 11, day: 27)!)),
                ("ttv", .opinion(unit: "thanh-tra", text: "Không")),
                ("cv-an", .reschedule(newDueDate: .init(year: 2025, month: 12, day: 9)!, apology: "Xin lỗi")),
                ("cv-an", .requestSupplement(missing: ["Tờ khai"])),
                ("cv-an", .supplementReceived(note: "", newDueDate: .init(year: 2025, month: 12, day: 12))),
                ("cv-an", .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp")),
                ("tp-hcbt", .decide(decision: "Cấp", rationale: "Đủ điều kiện")),
                ("tp-hcbt", .resolve(result: "Đã cấp")),
                ("tp-hcbt", .close(outcome: "Đã trả kết quả")),
            ]
            for (n, (actor, body)) in steps.enumerated() {
                let receipt = try await fx.store.append(
                    .action(SampleCity.act(id, by: actor, at: SampleCity.t0 + Int64(n + 1) * SampleCity.hour, body)))
                #expect(try await fx.store.caseState(id) == receipt.state, "after \(body.type.rawValue)")
            }
            let rated = try await fx.store.append(
                .action(
                    Action(
                        caseID: id, actor: .citizen, at: SampleCity.t0 + 20 * SampleCity.hour, body: .rate(score: 4, comment: ""),
                        via: .generated("test"))))
            #expect(try await fx.store.caseState(id) == rated.state)
            #expect(rated.state.rating == 4 && rated.state.pendingConsultations.isEmpty, "closing ends pending consultations")
        }
    }

    /// A suspension (tạm đình chỉ) is on the projection (`suspended_since`) and off it again on resumption, on both
    /// backends, equal to the domain's state after each step.
    @Test(arguments: StoreBackend.available) func suspensionIsOnTheProjection(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let opened = try await fx.store.append(
                .open(
                    OpenCase(kind: .complaint, title: "Khiếu nại quyết định xử phạt", leadUnit: "thanh-tra", owner: "ttv"), actor: .official("ttv"),
                    at: SampleCity.t0, code: nil, personalData: nil, via: .generated("test")))
            let id = opened.caseID
            let steps: [ActionBody] = [
                .accept(note: "Thụ lý", dueDate: .init(year: 2025, month: 12, day: 22)),
                .suspend(legalBasis: "Luật Khiếu nại Đ.11a", reason: "Chờ kết quả giám định"),
                .comment(text: "Đã nhận công văn của cơ quan giám định"),
                .resume(note: "Đã có kết quả giám định", newDueDate: .init(year: 2025, month: 12, day: 29)),
            ]
            var states: [CaseState] = []
            for (n, body) in steps.enumerated() {
                let receipt = try await fx.store.append(
                    .action(SampleCity.act(id, by: "ttv", at: SampleCity.t0 + Int64(n + 1) * SampleCity.hour, body)))
                #expect(try await fx.store.caseState(id) == receipt.state, "after \(body.type.rawValue)")
                states.append(receipt.state)
            }
            #expect(states[1].suspendedSince == SampleCity.t0 + 2 * SampleCity.hour && states[2].isSuspended)
            #expect(!states[3].isSuspended && states[3].dueDate == .init(year: 2025, month: 12, day: 29))
        }
    }

    /// What a denunciation concerns and its deciding body are on the projection (`concerning_unit`, `concerning_official`,
    /// `deciding_body`), so the domain's competence checks read the same from either backend; a decision by the
    /// inspector who holds it is refused and leaves the ledger as it was.
    @Test(arguments: StoreBackend.available) func competenceIsOnTheProjection(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let opened = try await fx.store.append(
                .open(
                    OpenCase(
                        kind: .denunciation, title: "Tố cáo vi phạm trong cấp phiếu lý lịch tư pháp", leadUnit: "thanh-tra", owner: "ttv",
                        concerning: Concerning(unit: "stp", official: "gd-stp"), decidingBody: "ubnd",
                        competenceRuleID: "denunciation.competence.2019"),
                    actor: .official("ttv"), at: SampleCity.t0, code: nil, personalData: nil, via: .generated("test")))
            let stored = try #require(try await fx.store.caseState(opened.caseID))
            #expect(stored == opened.state && stored.decidingBody == "ubnd" && stored.concerning?.official == "gd-stp")
            let size = try await fx.store.ledgerSize()
            await #expect(throws: StoreError.self) {
                try await fx.store.append(
                    .action(
                        SampleCity.act(
                            opened.caseID, by: "ttv", at: SampleCity.t0 + SampleCity.hour, .decide(decision: "Kết luận", rationale: "Xác minh"))))
            }
            #expect(try await fx.store.ledgerSize() == size)
        }
    }

    @Test(arguments: StoreBackend.available) func rejectedActionLeavesNothingBehind(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let ids = try await fx.seed(cases: 3)
            let sizeBefore = try await fx.store.ledgerSize()
            let stateBefore = try await fx.store.caseState(ids[0])
            await #expect(throws: StoreError.self) {
                try await fx.store.append(
                    .action(SampleCity.act(ids[0], by: "tp-hcbt", at: SampleCity.t0 + 5000, .escalate(to: "gd-stp", proposal: ""))))
            }
            await #expect(throws: StoreError.self, "the holder is tp-hcbt, not cv-an") {
                try await fx.store.append(.action(SampleCity.act(ids[0], by: "cv-an", at: SampleCity.t0 + 5000, .resolve(result: "xong"))))
            }
            await #expect(throws: StoreError.self) {
                try await fx.store.append(.action(SampleCity.act("NO-SUCH-CASE", by: "cv-an", at: SampleCity.t0 + 5000, .comment(text: "x"))))
            }
            // A duplicate open with personal data must not leave a sealed record behind either.
            await #expect(throws: StoreError.self) {
                try await fx.store.append(
                    .open(
                        OpenCase(kind: .dossier, title: "trùng", leadUnit: "stp", owner: "cv-an"), actor: .official("cv-an"), at: SampleCity.t0,
                        code: ids[1], personalData: PersonalData(fullName: "Nguyễn Văn Trùng"), via: .generated("test")))
            }
            #expect(try await fx.store.ledgerSize() == sizeBefore)
            #expect(try await fx.store.caseState(ids[0]) == stateBefore)
            #expect(try await fx.count("SELECT COUNT(*) FROM personal_data") == 0)

            // In a batch, the bad request fails alone and the good ones commit.
            let results = await fx.store.appendBatch([
                .action(SampleCity.act(ids[1], by: "tp-hcbt", at: SampleCity.t0 + 6000, .decide(decision: "Cấp", rationale: "Đủ điều kiện"))),
                .action(SampleCity.act(ids[1], by: "cv-an", at: SampleCity.t0 + 6001, .decide(decision: "Cấp", rationale: "không phải người giữ"))),
                .action(SampleCity.act(ids[2], by: "tp-hcbt", at: SampleCity.t0 + 6002, .resolve(result: "Đã cấp"))),
            ])
            #expect(results.map { (try? $0.get()) != nil } == [true, false, true])
            #expect(try results[2].get().index == sizeBefore + 1, "indices stay gap-free around a rejected request")
            #expect(try await fx.store.verify().isSound)
        }
    }

    @Test(arguments: StoreBackend.available) func schemaEnforcesTheOneOwnerInvariantAndAppendOnlyLedger(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let ids = try await fx.seed(cases: 1)
            let id: [RawValue] = [.text(ids[0].rawValue)]
            #expect(await fx.violation("UPDATE case_state SET owner = NULL WHERE id = ?", id) == .check, "an open case without an owner")
            #expect(await fx.violation("UPDATE case_state SET status = 'closed' WHERE id = ?", id) == .check, "a closed case with an owner")
            #expect(await fx.violation("UPDATE ledger_entry SET at = 0 WHERE idx = 0") == .appendOnly, "ledger entries are append-only")
            #expect(await fx.violation("DELETE FROM ledger_entry WHERE idx = 0") == .appendOnly)
            #expect(await fx.violation("UPDATE case_state SET owner = 'ghost' WHERE id = ?", id) == .foreignKey, "an owner must be a known official")
            #expect(
                await fx.violation("UPDATE case_state SET status = 'processing' WHERE id = ?", id) == nil, "a statement that breaks no rule passes")
            #expect(try await fx.count("SELECT COUNT(*) FROM ledger_entry") == 3, "nothing was changed")
        }
    }

    @Test(arguments: StoreBackend.available) func concurrentAppendsShareCommitsAndStayGapFree(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend, checkpointInterval: 64) { fx in
            let ids = try await fx.seed(cases: 32)
            let before = fx.store.commitStatistics
            let receipts = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for (n, id) in ids.enumerated() {
                    group.addTask {
                        var indices: [Int64] = []
                        for k in 0..<10 {
                            let r = try await fx.store.append(
                                .action(SampleCity.act(id, by: "tp-hcbt", at: SampleCity.t0 + 10_000 + Int64(k), .comment(text: "Ghi chú \(n)-\(k)")))
                            )
                            indices.append(r.index)
                        }
                        return indices
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            let size = try await fx.store.ledgerSize()
            #expect(receipts.count == 320)
            #expect(Set(receipts).count == 320, "every acknowledged append has its own index")
            #expect(Set(receipts) == Set((size - 320)..<size), "and together they fill the tail without gaps")
            let stats = fx.store.commitStatistics
            #expect(stats.requests - before.requests == 320)
            for id in ids { #expect(try await fx.store.caseState(id)?.actionCount == 13) }
            try await fx.store.checkpoint()
            let report = try await fx.store.verify()
            #expect(report.isSound, "\(report.problems)")
            #expect(report.checkpoints >= 2)
        }
    }

    @Test(arguments: StoreBackend.available) func reopenedStoreContinuesTheSameTree(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend, checkpointInterval: 5) { fx in
            let ids = try await fx.seed(cases: 4)
            try await fx.withReopened(checkpointInterval: 5) { reopened in
                for (i, id) in ids.enumerated() {
                    try await reopened.append(
                        .action(SampleCity.act(id, by: "tp-hcbt", at: SampleCity.t0 + 9000 + Int64(i), .decide(decision: "Cấp", rationale: "Đủ"))))
                }
                try await reopened.checkpoint()
                let report = try await reopened.verify()
                #expect(report.isSound, "\(report.problems)")
                #expect(report.entries == 16)
                // Another store instance on the same file appending in between is noticed and the frontier rebuilt.
                try await fx.store.append(.action(SampleCity.act(ids[0], by: "tp-hcbt", at: SampleCity.t0 + 9999, .resolve(result: "Đã cấp"))))
                try await reopened.append(.action(SampleCity.act(ids[1], by: "tp-hcbt", at: SampleCity.t0 + 9999, .resolve(result: "Đã cấp"))))
                try await reopened.checkpoint()
                #expect(try await reopened.verify().isSound)
                // Both instances act on the same case in turn: neither may trust what it remembers of it.
                try await fx.store.append(
                    .action(SampleCity.act(ids[2], by: "tp-hcbt", at: SampleCity.t0 + 10_000, .delegate(to: "cv-binh", instruction: "Xử lý tiếp"))))
                try await reopened.append(
                    .action(SampleCity.act(ids[2], by: "cv-binh", at: SampleCity.t0 + 10_001, .transfer(to: "cv-an", reason: "Đúng lĩnh vực"))))
                try await fx.store.append(.action(SampleCity.act(ids[2], by: "cv-an", at: SampleCity.t0 + 10_002, .comment(text: "Đã nhận"))))
                #expect(try await fx.store.caseState(ids[2])?.owner == "cv-an")
            }
        }
    }

    @Test(arguments: StoreBackend.available) func wrongSigningKeyIsRefused(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            try await fx.seed(cases: 1)
            await #expect(throws: StoreError.self) {
                try await fx.withReopened(keys: StoreKeys.generate()) { _ in }
            }
        }
    }

    @Test(arguments: StoreBackend.available) func proofsFromTheStoreVerifyAgainstSignedCheckpoints(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend, checkpointInterval: 7) { fx in
            try await fx.seed(cases: 10)
            try await fx.store.checkpoint()
            let checkpoint = try #require(try await fx.store.latestCheckpoint())
            #expect(try CheckpointVerifier(publicKey: fx.store.publicKey).isValid(checkpoint))
            let size = checkpoint.checkpoint.size
            #expect(size == 30)
            for id in try await fx.store.cases(limit: 100).map(\.id) {
                for record in try await fx.store.history(of: id) {
                    let proof = try await fx.store.inclusionProof(leafIndex: Int(record.index), treeSize: size)
                    #expect(
                        MerkleProofs.verifyInclusion(
                            leafHash: record.leafHash, leafIndex: Int(record.index), treeSize: size, proof: proof,
                            root: checkpoint.checkpoint.rootHash))
                }
            }
            let proof = try await fx.store.consistencyProof(from: 7, to: size)
            let root7 = try await fx.checkpointRoot(size: 7)
            #expect(MerkleProofs.verifyConsistency(oldSize: 7, newSize: size, oldRoot: root7, newRoot: checkpoint.checkpoint.rootHash, proof: proof))
        }
    }
}

extension StoreConformanceTests {
    /// Only every 4th tree level is stored; proofs must still be exactly the RFC's, for every leaf.
    @Test(arguments: StoreBackend.available) func storedTreeGivesTheSameProofsAsAnInMemoryTree(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend, checkpointInterval: 1_000_000) { fx in
            let ids = try await fx.seed(cases: 1)
            let results = await fx.store.appendBatch(
                (0..<297).map { n in
                    .action(SampleCity.act(ids[0], by: "tp-hcbt", at: SampleCity.t0 + 10_000 + Int64(n), .comment(text: "Ghi chú \(n)")))
                })
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            var reference = InMemoryMerkleTree()
            for record in try await fx.store.history(of: ids[0]) { reference.append(leafHash: record.leafHash) }
            let size = 300
            #expect(reference.size == size)
            for leaf in 0..<size {
                #expect(
                    try await fx.store.inclusionProof(leafIndex: leaf, treeSize: size) == reference.inclusionProof(leafIndex: leaf, treeSize: size))
            }
            for (m, n) in [(1, 300), (16, 300), (17, 256), (255, 257), (100, 299), (299, 300)] {
                #expect(try await fx.store.consistencyProof(from: m, to: n) == reference.consistencyProof(from: m, to: n), "\(m) → \(n)")
            }
            try await fx.store.checkpoint()
            #expect(try await fx.store.verify().isSound)
        }
    }
}

extension StoreConformanceTests {
    /// The PostgreSQL half of this suite is gated by `POSTGRES_*` locally; in CI it must never be skipped silently.
    @Test func postgresIsConfiguredInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(StoreBackend.postgres != nil, "CI runs every store test on PostgreSQL too: .ci/run must start a cluster and export POSTGRES_*")
        }
    }
}

/// Witness cosignatures are kept per checkpoint; the newest checkpoint every required witness cosigned is found.
@Suite struct CosignatureStorageTests {
    @Test(arguments: StoreBackend.available) func newestCheckpointCosignedByEveryWitness(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend, checkpointInterval: 3) { fx in
            try await fx.seed(cases: 3)  // 9 entries: checkpoints at 3, 6, 9
            let sizes = [3, 6, 9]
            for size in sizes { #expect(try await fx.store.checkpoint(size: size)?.checkpoint.size == size) }
            #expect(try await fx.store.checkpoint(size: 4) == nil)
            try await fx.store.saveCosignatures(size: 3, [("w1", "— w1 AAAA"), ("w2", "— w2 BBBB")])
            try await fx.store.saveCosignatures(size: 6, [("w1", "— w1 CCCC")])
            #expect(try await fx.store.cosignatures(size: 3) == ["w1": "— w1 AAAA", "w2": "— w2 BBBB"])
            #expect(try await fx.store.latestCheckpoint(cosignedBy: ["w1"])?.checkpoint.checkpoint.size == 6)
            let both = try #require(try await fx.store.latestCheckpoint(cosignedBy: ["w1", "w2"]))
            #expect(both.checkpoint.checkpoint.size == 3 && both.cosignatures.count == 2)
            #expect(try await fx.store.latestCheckpoint(cosignedBy: ["w3"]) == nil)
            #expect(try await fx.store.latestCheckpoint(cosignedBy: [])?.checkpoint.checkpoint.size == 9)
            #expect(try await fx.store.cosignedSizes() == ["w1": 6, "w2": 3])
        }
    }
}
