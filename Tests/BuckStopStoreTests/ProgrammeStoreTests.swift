import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopStore

/// A programme tree (SQLite migration v9, PostgreSQL migration 9) and its roll-up, the same on every backend: tasks under
/// the root and under its plans counted by agency and phase, overdue ones named with their owners, cancelled ones left
/// out of what was assigned, tasks outside the tree not counted.
@Suite struct ProgrammeStoreTests {
    static let h = SampleCity.hour
    static let asOf = CivilDate(year: 2026, month: 3, day: 1)!

    @Test(arguments: StoreBackend.available) func aProgrammeRollsUpByAgencyAndPhase(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let t0 = SampleCity.t0
            func open(_ code: CaseID, _ open: OpenCase, by actor: OfficialID, at n: Int64 = 0) async throws {
                _ = try await fx.store.append(
                    .open(open, actor: .official(actor), at: t0 + n * Self.h, code: code, personalData: nil, via: .generated("test")))
            }
            func act(_ code: CaseID, _ body: ActionBody, by actor: OfficialID, at n: Int64) async throws {
                try await fx.store.append(.action(SampleCity.act(code, by: actor, at: t0 + n * Self.h, body)))
            }
            let document = IssuingDocument(number: "01/CTr-UBND", date: CivilDate(year: 2025, month: 11, day: 1)!, signer: "Chủ tịch UBND thành phố")
            try await open(
                "CT-1",
                OpenCase(
                    kind: .programme, procedure: PlanLevel.programme.rawValue, title: "Chương trình cải cách hành chính", leadUnit: "stp",
                    owner: "gd-stp", dueDate: CivilDate(year: 2026, month: 12, day: 31), document: document), by: "gd-stp")
            try await open(
                "KH-Q1",
                OpenCase(
                    kind: .programme, procedure: PlanLevel.quarter.rawValue, title: "Kế hoạch quý I", leadUnit: "stp", owner: "gd-stp",
                    dueDate: CivilDate(year: 2026, month: 3, day: 31), parent: "CT-1"), by: "gd-stp", at: 1)
            func task(_ code: CaseID, parent: CaseID?, lead: UnitID, owner: OfficialID, due: CivilDate) async throws {
                try await open(
                    code,
                    OpenCase(
                        kind: .task, title: "Nhiệm vụ \(code.rawValue)", leadUnit: lead, owner: owner, dueDate: due, parent: parent,
                        product: "Báo cáo"), by: owner, at: 2)
            }
            let past = CivilDate(year: 2026, month: 2, day: 10)!
            let earlier = CivilDate(year: 2026, month: 1, day: 20)!
            try await task("T1", parent: "CT-1", lead: "stp-hcbt", owner: "cv-an", due: past)
            try await act("T1", .accept(note: "Nhận"), by: "cv-an", at: 3)
            try await task("T2", parent: "KH-Q1", lead: "stp-hcbt", owner: "cv-binh", due: earlier)
            try await act("T2", .submitDraft(to: "tp-hcbt", draft: "Dự thảo báo cáo"), by: "cv-binh", at: 3)
            try await task("T3", parent: "KH-Q1", lead: "p-hai-chau", owner: "mc-hc", due: earlier)
            try await act("T3", .resolve(result: "Đã gửi báo cáo"), by: "mc-hc", at: 3)
            try await task("T4", parent: "KH-Q1", lead: "thanh-tra", owner: "ttv", due: CivilDate(year: 2026, month: 6, day: 30)!)
            try await task("T5", parent: "KH-Q1", lead: "stp-hcbt", owner: "cv-an", due: earlier)
            try await act("T5", .cancel(reason: "Trùng nhiệm vụ T1"), by: "gd-stp", at: 3)
            try await task("T6", parent: nil, lead: "stp-hcbt", owner: "cv-an", due: earlier)

            let counts = Set(try await fx.store.programmeCounts(root: "CT-1", asOf: Self.asOf))
            #expect(
                counts
                    == [
                        TaskCount(leadUnit: "stp-hcbt", phase: .inProgress, count: 1, overdue: 1),
                        TaskCount(leadUnit: "stp-hcbt", phase: .awaitingApproval, count: 1, overdue: 1),
                        TaskCount(leadUnit: "stp-hcbt", phase: .cancelled, count: 1, overdue: 0),
                        TaskCount(leadUnit: "p-hai-chau", phase: .done, count: 1, overdue: 0),
                        TaskCount(leadUnit: "thanh-tra", phase: .notStarted, count: 1, overdue: 0),
                    ])
            // Due on the day asked is still on time.
            #expect(try await fx.store.programmeCounts(root: "CT-1", asOf: earlier).reduce(0) { $0 + $1.overdue } == 0)
            #expect(try await fx.store.programmeCounts(root: "KH-Q1", asOf: Self.asOf).reduce(0) { $0 + $1.count } == 4, "a plan is a root too")
            #expect(try await fx.store.programmeCounts(root: "T1", asOf: Self.asOf).isEmpty, "a task is no root")

            let overdue = try await fx.store.overdueTasks(root: "CT-1", asOf: Self.asOf, limit: 10)
            #expect(overdue.map(\.id) == ["T2", "T1"] && overdue.map(\.owner) == ["tp-hcbt", "cv-an"], "earliest due first, the approver named")
            #expect(try await fx.store.overdueTasks(root: "CT-1", asOf: Self.asOf, limit: 1).map(\.id) == ["T2"])
            let tasks = try await fx.store.programmeTasks(root: "CT-1", limit: 100)
            #expect(Set(tasks.map(\.id)) == ["T1", "T2", "T3", "T4", "T5"])
            #expect(tasks.first { $0.id == "T2" }?.parent == "KH-Q1")
            #expect(try await fx.store.programmeBranches(root: "CT-1").map(\.id) == ["CT-1", "KH-Q1"])
            #expect(try await fx.store.programmeBranches(root: "T1").isEmpty)
            #expect(try await fx.store.programmes(limit: 10).map(\.id) == ["CT-1"])

            let rollup = try await fx.store.rollup(root: "CT-1", asOf: Self.asOf, organization: SampleCity.organization)
            #expect(rollup.lines.map(\.agency) == ["stp", "p-hai-chau", "thanh-tra"], "a division rolls up into its agency; most overdue first")
            #expect(rollup.lines[0].assigned == 2 && rollup.lines[0].overdue == 2 && rollup.total.assigned == 4)
            #expect(
                rollup.summaryVi == "4 nhiệm vụ giao 3 cơ quan: 1 hoàn thành, 1 dự thảo chờ phê duyệt, 1 đang thực hiện, 1 chưa triển khai; 2 quá hạn"
            )
            // The projection carries the phase and the drafter, as `apply` left them.
            let t2 = try #require(try await fx.store.caseState("T2"))
            #expect(t2.taskPhase == .awaitingApproval && t2.drafter == "cv-binh" && t2.parent == "KH-Q1" && t2.product == "Báo cáo")
        }
    }

    /// Tasks written before tasks had a phase (a database upgraded to v9 / 9) are given the phase replaying their entries
    /// gives, so `verify` — which rebuilds every projection by replay — still finds the store sound.
    @Test(arguments: StoreBackend.available) func tasksFromBeforeProgrammesGetThePhaseReplayGives(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let t0 = SampleCity.t0
            func task(_ code: CaseID, _ steps: [ActionBody]) async throws {
                _ = try await fx.store.append(
                    .open(
                        OpenCase(kind: .task, title: "Nhiệm vụ \(code.rawValue)", leadUnit: "stp-hcbt", owner: "cv-an"), actor: .official("tp-hcbt"),
                        at: t0, code: code, personalData: nil, via: .generated("test")))
                for (n, body) in steps.enumerated() {
                    let by: OfficialID = if case .reopen = body { "gd-stp" } else { "cv-an" }
                    try await fx.store.append(.action(SampleCity.act(code, by: by, at: t0 + Int64(n + 1) * Self.h, body)))
                }
            }
            try await task("OLD-1", [])
            try await task("OLD-2", [.accept(note: "Nhận")])
            try await task("OLD-3", [.accept(note: "Nhận"), .resolve(result: "Xong")])
            try await task("OLD-4", [.accept(note: "Nhận"), .close(outcome: "Xong"), .reopen(to: "cv-an", reason: "Làm lại")])
            try await task("OLD-5", [.assign(to: "cv-binh", note: "Giao")])
            let expected: [CaseID: TaskPhase] = [
                "OLD-1": .notStarted, "OLD-2": .inProgress, "OLD-3": .done, "OLD-4": .inProgress, "OLD-5": .notStarted,
            ]
            for (code, phase) in expected { #expect(try await fx.store.caseState(code)?.taskPhase == phase, "\(code)") }
            // As the projection stood before v9, then the migration's backfill.
            try await fx.execute("UPDATE case_state SET task_phase = NULL WHERE kind = 'task'")
            #expect(try await fx.verifyWithoutSecrets().isSound == false, "a task without its phase is not what replay gives")
            try await fx.execute(ProgrammeSQL.backfillPhases)
            for (code, phase) in expected { #expect(try await fx.store.caseState(code)?.taskPhase == phase, "\(code) after the backfill") }
            let report = try await fx.verifyWithoutSecrets()
            #expect(report.isSound, "\(report.problems)")
        }
    }
}
