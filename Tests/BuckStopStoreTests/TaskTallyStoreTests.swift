import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopStore

/// The task tally (migrations v10 / 10) on every backend: each step that moves a task between phases, due dates or lead
/// units moves its count, so the tally equals a recount of `case_state`; `verify` recounts it from the entries and
/// finds a tampered row; the migration's backfill builds it for tasks written before it. And a report request through
/// the store: submissions sent, returned, accepted and missing, in the requester's matrix.
@Suite struct TaskTallyStoreTests {
    static let h = SampleCity.hour
    static let t0 = SampleCity.t0

    static func open(_ fx: StoreFixture, _ code: CaseID, _ open: OpenCase, by actor: OfficialID, at n: Int64 = 0) async throws {
        _ = try await fx.store.append(
            .open(open, actor: .official(actor), at: t0 + n * h, code: code, personalData: nil, via: .generated("test")))
    }

    static func act(_ fx: StoreFixture, _ code: CaseID, _ body: ActionBody, by actor: OfficialID, at n: Int64) async throws {
        try await fx.store.append(.action(SampleCity.act(code, by: actor, at: t0 + n * h, body)))
    }

    static func programme(_ fx: StoreFixture, _ code: CaseID = "CT-1", level: PlanLevel = .programme, template: ReportTemplate? = nil)
        async throws
    {
        try await open(
            fx, code,
            OpenCase(
                kind: .programme, procedure: level.rawValue, title: "Chương trình \(code.rawValue)", leadUnit: "stp", owner: "gd-stp",
                dueDate: CivilDate(year: 2026, month: 12, day: 31), template: template), by: "gd-stp")
    }

    static func task(_ fx: StoreFixture, _ code: CaseID, parent: CaseID, lead: UnitID = "stp-hcbt", owner: OfficialID = "cv-an", due: CivilDate)
        async throws
    {
        try await open(
            fx, code,
            OpenCase(kind: .task, title: "Nhiệm vụ \(code.rawValue)", leadUnit: lead, owner: owner, dueDate: due, parent: parent, product: "Báo cáo"),
            by: "gd-stp", at: 1)
    }

    /// The tally as stored (rows still counting) and as `case_state` recounts it.
    static func tallies(_ fx: StoreFixture) async throws -> (stored: [TaskTally.Key: Int], recounted: [TaskTally.Key: Int]) {
        var stored: [TaskTally.Key: Int] = [:]
        var recounted: [TaskTally.Key: Int] = [:]
        for t in try await fx.store.programmeTasks(root: "CT-1", limit: 1000) {
            recounted[TaskTally.Key(parent: t.parent ?? "?", leadUnit: t.leadUnit, phase: t.phase, dueDate: t.dueDate), default: 0] += 1
        }
        for g in try await fx.store.programmeGroups(root: "CT-1") {
            // The groups are the tally's rows of the tree; one parent here.
            stored[TaskTally.Key(parent: "CT-1", leadUnit: g.leadUnit, phase: g.phase, dueDate: g.dueDate), default: 0] += g.count
        }
        return (stored, recounted)
    }

    @Test(arguments: StoreBackend.available) func theTallyFollowsEveryMoveAndVerifyRecountsIt(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            try await Self.programme(fx)
            let d1 = CivilDate(year: 2026, month: 2, day: 27)!
            let d2 = CivilDate(year: 2026, month: 3, day: 31)!
            for n in 1...4 { try await Self.task(fx, CaseID("T\(n)"), parent: "CT-1", due: d1) }
            try await Self.task(fx, "T5", parent: "CT-1", lead: "thanh-tra", owner: "ttv", due: d2)
            try await Self.act(fx, "T1", .accept(note: "Nhận"), by: "cv-an", at: 2)
            try await Self.act(fx, "T2", .submitDraft(to: "tp-hcbt", draft: "Dự thảo"), by: "cv-an", at: 2)
            try await Self.act(fx, "T2", .approveDraft(note: "Đồng ý"), by: "tp-hcbt", at: 3)
            try await Self.act(fx, "T3", .cancel(reason: "Trùng"), by: "gd-stp", at: 2)
            try await Self.act(fx, "T4", .accept(note: "Nhận"), by: "cv-an", at: 2)
            try await Self.act(fx, "T4", .extend(newDueDate: d2, legalBasis: "Văn bản 12/UBND đồng ý gia hạn"), by: "cv-an", at: 3)
            let (stored, recounted) = try await Self.tallies(fx)
            #expect(stored == recounted, "the tally is the recount")
            #expect(
                stored[TaskTally.Key(parent: "CT-1", leadUnit: "stp-hcbt", phase: .inProgress, dueDate: d2)] == 1, "the extension moved T4's count")
            #expect(stored[TaskTally.Key(parent: "CT-1", leadUnit: "stp-hcbt", phase: .done, dueDate: d1)] == 1)
            #expect(stored.values.reduce(0, +) == 5)
            var report = try await fx.verifyWithoutSecrets()
            #expect(report.isSound, "\(report.problems)")

            // A count edited behind the store's back is found by the recount from the entries.
            try await fx.execute("UPDATE task_tally SET n = n + 2 WHERE lead_unit = ? AND task_phase = 'done'", [.text("stp-hcbt")])
            report = try await fx.verifyWithoutSecrets()
            #expect(!report.isSound && report.problems.contains { $0.contains("task tally") && $0.contains("stored 3, the entries give 1") })

            // The migration's backfill builds the tally of tasks written before it.
            try await fx.execute("DELETE FROM task_tally")
            #expect(try await fx.store.programmeGroups(root: "CT-1").isEmpty)
            try await fx.execute(TaskTally.backfill)
            #expect(try await Self.tallies(fx).stored == recounted)
            report = try await fx.verifyWithoutSecrets()
            #expect(report.isSound, "\(report.problems)")
        }
    }

    /// A report request: one agency's report sent on time, returned and sent again, accepted; one sent late and waiting;
    /// one never sent. The matrix says so, counts the returns and adds up the accepted figures; a report missing a figure
    /// of the template is refused by the live writer (`LiveLedgerTests`), here the store only persists.
    @Test(arguments: StoreBackend.available) func aReportRequestsMatrix(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let template = ReportTemplate(sections: ["I. Tình hình"], figures: [ReportFigure(code: "tre_han", label: "Số hồ sơ trễ hạn")])
            try await Self.open(
                fx, "YC-1",
                OpenCase(
                    kind: .programme, procedure: PlanLevel.reportRequest.rawValue, title: "Báo cáo chuyên đề", leadUnit: "ubnd", owner: "chu-tich",
                    dueDate: CivilDate(year: 2025, month: 11, day: 24), template: template), by: "chu-tich")
            let due = CivilDate(year: 2025, month: 11, day: 24)!
            try await Self.open(
                fx, "YC-1-STP",
                OpenCase(
                    kind: .task, title: "Báo cáo của Sở Tư pháp", leadUnit: "stp", owner: "gd-stp", dueDate: due, parent: "YC-1", product: "Báo cáo"),
                by: "chu-tich", at: 1)
            try await Self.open(
                fx, "YC-1-TT",
                OpenCase(kind: .task, title: "Báo cáo của Thanh tra", leadUnit: "thanh-tra", owner: "ctt", dueDate: due, parent: "YC-1"),
                by: "chu-tich",
                at: 1)
            try await Self.open(
                fx, "YC-1-HC",
                OpenCase(kind: .task, title: "Báo cáo của phường", leadUnit: "p-hai-chau", owner: "ct-hc", dueDate: due, parent: "YC-1"),
                by: "chu-tich", at: 1)
            try await Self.act(
                fx, "YC-1-STP", .submitReport(to: "chu-tich", report: ReportSubmission(document: "12/BC-STP", figures: ["tre_han": 4])), by: "gd-stp",
                at: 2)
            try await Self.act(fx, "YC-1-STP", .returnDraft(reason: "Bổ sung vụ việc cụ thể"), by: "chu-tich", at: 3)
            #expect(try await fx.store.caseState("YC-1-STP")?.taskPhase == .inProgress)
            try await Self.act(
                fx, "YC-1-STP", .submitReport(to: "chu-tich", report: ReportSubmission(document: "15/BC-STP", figures: ["tre_han": 5])), by: "gd-stp",
                at: 4)
            try await Self.act(fx, "YC-1-STP", .approveDraft(note: "Tiếp nhận"), by: "chu-tich", at: 5)
            // Sent 10 days after the due date (t0 is 2025-11-20).
            try await Self.act(
                fx, "YC-1-TT", .submitReport(to: "chu-tich", report: ReportSubmission(document: "3/BC-TTr", figures: ["tre_han": 0])), by: "ctt",
                at: 240)

            let asOf = CivilDate(year: 2025, month: 12, day: 10)!
            let matrix = try #require(try await fx.store.reportMatrix(request: "YC-1", asOf: asOf, organization: SampleCity.organization))
            let byCase = Dictionary(uniqueKeysWithValues: matrix.rows.map { ($0.task.id, $0) })
            #expect(byCase["YC-1-STP"]?.status == .accepted && byCase["YC-1-STP"]?.returns == 1 && byCase["YC-1-STP"]?.late == false)
            #expect(byCase["YC-1-STP"]?.document == "15/BC-STP" && byCase["YC-1-STP"]?.figures == ["tre_han": 5], "the last report sent counts")
            #expect(byCase["YC-1-TT"]?.status == .sent && byCase["YC-1-TT"]?.late == true && byCase["YC-1-TT"]?.missing == false)
            #expect(byCase["YC-1-TT"]?.task.owner == "chu-tich", "a sent report waits on the requester")
            #expect(byCase["YC-1-HC"]?.status == .notStarted && byCase["YC-1-HC"]?.missing == true)
            #expect(matrix.onTime == 1 && matrix.late == 1 && matrix.missing == 1 && matrix.acceptedTotals == ["tre_han": 5])
            #expect(matrix.summaryVi == "3 cơ quan được yêu cầu: 1 gửi đúng hạn, 1 gửi muộn, 1 chưa gửi (quá hạn); 1 đã tiếp nhận")
            // A sent report is delivered: not overdue, whatever the date.
            let counts = try await fx.store.programmeCounts(root: "YC-1", asOf: asOf)
            #expect(counts.first { $0.phase == .submitted }?.overdue == 0 && counts.reduce(0) { $0 + $1.overdue } == 1)
            #expect(try await fx.store.reportMatrix(request: "YC-1-STP", asOf: asOf, organization: SampleCity.organization) == nil)
            let report = try await fx.verifyWithoutSecrets()
            #expect(report.isSound, "\(report.problems)")
        }
    }
}
