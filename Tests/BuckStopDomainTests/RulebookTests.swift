import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import Foundation
import Testing

@Suite struct RulebookTests {
    func rule(_ id: String, from: String, to: String?, days: Int) -> DeadlineRule {
        DeadlineRule(
            id: id, caseKind: .complaint, procedure: nil, step: .resolve, duration: days, unit: .days, source: "Luật Khiếu nại 2011 Đ.28",
            effectiveFrom: try! CivilDate(iso: from), effectiveTo: try! to.map { try CivilDate(iso: $0) }, status: "verified", maxCount: nil,
            note: nil)
    }

    @Test func aCaseUsesTheRuleInForceWhenOpened() throws {
        let book = try Rulebook(
            id: "t", title: "t",
            rules: [rule("old", from: "2012-07-01", to: "2026-06-30", days: 30), rule("new", from: "2026-07-01", to: nil, days: 20)],
            procedures: [], thresholds: [])
        #expect(book.rule(for: .complaint, procedure: nil, on: CivilDate(year: 2026, month: 6, day: 30)!)?.id == "old")
        #expect(book.rule(for: .complaint, procedure: nil, on: CivilDate(year: 2026, month: 7, day: 1)!)?.id == "new")
        #expect(book.rule(for: .complaint, procedure: nil, on: CivilDate(year: 2010, month: 1, day: 1)!) == nil)
    }

    @Test func overlappingPeriodsAreRefused() {
        #expect(throws: DomainError.self) {
            try Rulebook(
                id: "t", title: "t", rules: [rule("a", from: "2012-07-01", to: nil, days: 30), rule("b", from: "2026-07-01", to: nil, days: 20)],
                procedures: [], thresholds: [])
        }
    }

    @Test func defaultRulebookLoadsAndCitesEveryRule() throws {
        let book = try Defaults.rulebook()
        #expect(book.rules.count >= 20)
        #expect(book.procedures.count >= 30)
        #expect(book.rules.allSatisfy { !$0.source.isEmpty })
        let day = CivilDate(year: 2025, month: 11, day: 20)!
        for kind in CaseKind.allCases where kind != .dossier {
            #expect(book.rule(for: kind, procedure: nil, on: day) != nil, "a resolve rule for \(kind) in force on \(day)")
        }
        // Dossiers have no statutory default: every procedure carries its own time limit, in force today.
        let today = CivilDate(year: 2026, month: 11, day: 23)!
        for procedure in book.procedures {
            #expect(book.rule(for: procedure.caseKind, procedure: procedure.code, on: today) != nil, "a resolve rule for \(procedure.code)")
        }
        // Luật Tố cáo 2018 Đ.30: 30 days, extendable.
        let denunciation = try #require(book.rule(for: .denunciation, procedure: nil, on: day))
        #expect(denunciation.duration == 30 && denunciation.unit == .days)
        // Luật Tiếp công dân Đ.28: petitions answered in 10 working days; QĐ 766: handled in 15.
        #expect(book.rule(for: .petition, procedure: nil, step: .answer, on: day)?.duration == 10)
        #expect(book.rule(for: .petition, procedure: nil, on: day)?.unit == .workingDays)
    }

    @Test func dueDateCountsWorkingDaysAcrossTet() throws {
        let book = try Defaults.rulebook()
        let calendar = try Defaults.workingCalendar()
        // A petition received Monday 2026-02-09 08:00 (UTC+7). Tết 2026 (decision file): Mon 16/2 – Fri 20/2 off.
        // 10 working days after 9/2: 10, 11, 12, 13, 23, 24, 25, 26, 27/2, 2/3 → 2026-03-02.
        let received = CivilDate(year: 2026, month: 2, day: 9)!.startInstant().addingTimeInterval(8 * 3600)
        let answer = try #require(book.rule(for: .petition, procedure: nil, step: .answer, on: CivilDate(received)))
        let cutoff = book.limit(.intakeCutoffHour, on: CivilDate(received))?.value
        #expect(
            calendar.deadline(receivedAt: received, duration: answer.duration, unit: answer.unit, cutoffHour: cutoff)
                == CivilDate(year: 2026, month: 3, day: 2))
        // The resolve clock (QĐ 766, 15 working days) is what dueDate uses: 3, 4, 5, 6, 9/3 → 2026-03-09.
        let due = try #require(book.dueDate(for: .petition, procedure: nil, receivedAt: received, calendar: calendar))
        #expect(due.rule.duration == 15)
        #expect(due.date == CivilDate(year: 2026, month: 3, day: 9))
    }
}
