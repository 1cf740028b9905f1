import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopStore

/// What the scheduled reminders read, the same on every backend: open cases in a running status due up to a day,
/// earliest due first, with what the planner needs (owner, phase, status) — not the finished, the closed, those waiting
/// on the applicant, nor those due later.
@Suite struct ReminderStoreTests {
    static let h = SampleCity.hour

    static func date(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: 2025, month: month, day: day)! }

    @Test(arguments: StoreBackend.available) func theCasesDueUpToADayAreRead(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let t0 = SampleCity.t0
            var n: Int64 = 0
            func at() -> Int64 {
                n += 1
                return t0 + n * Self.h
            }
            func act(_ code: CaseID, _ body: ActionBody, by actor: OfficialID) async throws {
                try await fx.store.append(.action(SampleCity.act(code, by: actor, at: at(), body)))
            }
            func task(_ code: CaseID, owner: OfficialID, due: CivilDate) async throws {
                let open = OpenCase(
                    kind: .task, title: "Nhiệm vụ \(code.rawValue)", leadUnit: "stp-hcbt", owner: owner, dueDate: due, product: "Báo cáo")
                _ = try await fx.store.append(.open(open, actor: .official(owner), at: at(), code: code, personalData: nil, via: .generated("test")))
            }
            func dossier(_ code: CaseID, due: CivilDate) async throws {
                let open = OpenCase(
                    kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ \(code.rawValue)", leadUnit: "stp", owner: "cv-an", dueDate: due)
                _ = try await fx.store.append(
                    .open(open, actor: .official("cv-an"), at: at(), code: code, personalData: nil, via: .generated("test")))
            }
            try await task("T-LATE", owner: "cv-an", due: Self.date(12, 1))
            try await act("T-LATE", .accept(note: "Nhận"), by: "cv-an")
            try await task("T-SOON", owner: "cv-binh", due: Self.date(12, 5))
            try await act("T-SOON", .submitDraft(to: "tp-hcbt", draft: "Dự thảo"), by: "cv-binh")
            try await task("T-FAR", owner: "cv-an", due: Self.date(12, 8))
            try await task("T-DONE", owner: "cv-an", due: Self.date(12, 1))
            try await act("T-DONE", .resolve(result: "Đã gửi báo cáo"), by: "cv-an")
            try await dossier("STP-251120-0001", due: Self.date(12, 4))
            try await dossier("STP-251120-0002", due: Self.date(12, 4))
            try await act("STP-251120-0002", .requestSupplement(missing: ["Tờ khai"]), by: "cv-an")
            try await dossier("STP-251120-0003", due: Self.date(12, 2))
            try await act("STP-251120-0003", .resolve(result: "Đã cấp"), by: "cv-an")
            try await act("STP-251120-0003", .close(outcome: "Đã trả kết quả"), by: "cv-an")

            let read = try await fx.store.reminderSubjects(dueBy: Self.date(12, 5), limit: 10)
            #expect(read.map(\.id) == ["T-LATE", "STP-251120-0001", "T-SOON"], "\(read.map(\.id))")
            let soon = try #require(read.last)
            #expect(soon.owner == "tp-hcbt" && soon.taskPhase == .awaitingApproval && soon.kind == .task && soon.status == .processing)
            #expect(read[1] == ReminderSubject(id: "STP-251120-0001", kind: .dossier, owner: "cv-an", dueDate: Self.date(12, 4), status: .received))
            #expect(read[0].taskPhase == .inProgress && read[0].dueDate == Self.date(12, 1))
            #expect(
                try await fx.store.reminderSubjects(dueBy: Self.date(12, 4), limit: 10).map(\.id) == ["T-LATE", "STP-251120-0001"],
                "the day is included")
            #expect(try await fx.store.reminderSubjects(dueBy: Self.date(12, 5), limit: 1).map(\.id) == ["T-LATE"], "the earliest due first")

        }
    }
}
