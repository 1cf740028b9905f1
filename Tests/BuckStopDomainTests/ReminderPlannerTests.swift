import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import Foundation
import Testing

/// Reminders counted by hand over the 2026 Reunification Day break: Monday 27 April is off (the Hùng Kings' day fell on
/// Sunday 26), Tuesday 28 and Wednesday 29 are worked, Thursday 30 April and Friday 1 May are holidays, then the weekend;
/// Monday 4 May is the next working day. The default rulebook reminds 3 working days ahead.
@Suite struct ReminderPlannerTests {
    static func date(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: 2026, month: month, day: day)! }

    static let tuesday = date(4, 28)
    static let monday = date(5, 4)

    static func planner(_ book: Rulebook? = nil) throws -> ReminderPlanner {
        ReminderPlanner(rulebook: try book ?? Defaults.rulebook(), calendar: try Defaults.workingCalendar())
    }

    static func task(_ id: CaseID, due: CivilDate, phase: TaskPhase = .inProgress, owner: OfficialID = "cv-an") -> ReminderSubject {
        ReminderSubject(id: id, kind: .task, owner: owner, dueDate: due, status: phase == .done ? .resolved : .processing, taskPhase: phase)
    }

    @Test func theLeadTimeIsTheRulebooksAndSaysItIsLocalPolicy() throws {
        let book = try Defaults.rulebook()
        let row = try #require(book.limit(.reminderWorkingDaysBeforeDue, on: Self.tuesday))
        #expect(row.value == 3 && row.status == "local-policy" && row.source.contains("không phải văn bản quy phạm pháp luật"))
        #expect(try Self.planner().leadWorkingDays(on: Self.tuesday) == 3)
    }

    /// From Tuesday 28 April: Wed 29 is 1, the break adds nothing, Mon 4 May is 2, Tue 5 is 3, Wed 6 is 4 (too far).
    @Test func dueSoonCountsWorkingDaysAcrossTheHolidayAndTheWeekend() throws {
        let p = try Self.planner()
        func due(_ d: CivilDate) -> ReminderDue? { p.reminder(for: Self.task("T", due: d), on: Self.tuesday)?.due }
        #expect(due(Self.tuesday) == .dueSoon(workingDaysLeft: 0))
        #expect(due(Self.date(4, 29)) == .dueSoon(workingDaysLeft: 1))
        #expect(due(Self.date(5, 1)) == .dueSoon(workingDaysLeft: 1), "a holiday due date has no working day of its own")
        #expect(due(Self.monday) == .dueSoon(workingDaysLeft: 2))
        #expect(due(Self.date(5, 5)) == .dueSoon(workingDaysLeft: 3))
        #expect(due(Self.date(5, 6)) == nil)
        // What a store reads up to: the last day three working days away, Tuesday 5 May.
        #expect(p.horizon(on: Self.tuesday) == Self.date(5, 5))
        // Across a plain weekend: from Thursday 7 May, Fri 8 (1), Mon 11 (2), Tue 12 (3); Sunday 10 still has 1 left.
        #expect(p.horizon(on: Self.date(5, 7)) == Self.date(5, 12))
        #expect(p.reminder(for: Self.task("T", due: Self.date(5, 10)), on: Self.date(5, 7))?.due == .dueSoon(workingDaysLeft: 1))
    }

    /// On Monday 4 May: due Wed 29 April is one working day late (30/4, 1/5 and the weekend are off); due Friday 24 April
    /// three (27 April off; 28, 29 April and 4 May). On Saturday 2 May, due Wed 29, no working day has passed: still late.
    @Test func overdueCountsWorkingDaysLate() throws {
        let p = try Self.planner()
        #expect(p.reminder(for: Self.task("T", due: Self.date(4, 29)), on: Self.monday)?.due == .overdue(workingDaysLate: 1))
        #expect(p.reminder(for: Self.task("T", due: Self.date(4, 24)), on: Self.monday)?.due == .overdue(workingDaysLate: 3))
        #expect(p.reminder(for: Self.task("T", due: Self.date(4, 29)), on: Self.date(5, 2))?.due == .overdue(workingDaysLate: 1))
    }

    /// Overdue is `TaskPhase.isOverdue`'s rule for tasks; other kinds only while their clock runs.
    @Test func onlyCasesWhoseClockRunsAreReminded() throws {
        let p = try Self.planner()
        let past = Self.date(4, 24)
        for phase in TaskPhase.allCases {
            let reminded = p.reminder(for: Self.task("T", due: past, phase: phase), on: Self.monday) != nil
            #expect(reminded == phase.isOverdue(due: past, on: Self.monday), "\(phase)")
        }
        func subject(_ kind: CaseKind, _ status: CaseStatus, suspended: Bool = false) -> ReminderSubject {
            ReminderSubject(id: "C", kind: kind, owner: "cv-an", dueDate: past, status: status, suspended: suspended)
        }
        #expect(p.reminder(for: subject(.dossier, .processing), on: Self.monday) != nil)
        #expect(p.reminder(for: subject(.complaint, .received), on: Self.monday) != nil)
        #expect(p.reminder(for: subject(.dossier, .awaitingSupplement), on: Self.monday) == nil, "the applicant holds the clock")
        #expect(p.reminder(for: subject(.dossier, .resolved), on: Self.monday) == nil)
        #expect(p.reminder(for: subject(.denunciation, .processing, suspended: true), on: Self.monday) == nil)
        #expect(p.reminder(for: subject(.programme, .processing), on: Self.monday) == nil)
        #expect(p.reminder(for: subject(.reception, .processing), on: Self.monday) == nil)
    }

    @Test func thePlanPutsTheMostUrgentFirstAndNamesTheOwner() throws {
        let plan = try Self.planner().plan(
            [
                Self.task("A", due: Self.date(5, 5)), Self.task("B", due: Self.date(4, 24), owner: "tp-hcbt"), Self.task("C", due: Self.tuesday),
                Self.task("D", due: Self.date(4, 29), phase: .done), Self.task("E", due: Self.date(5, 6)),
            ], on: Self.tuesday)
        #expect(plan.map(\.caseID) == ["B", "C", "A"])
        #expect(plan.map(\.due) == [.overdue(workingDaysLate: 1), .dueSoon(workingDaysLeft: 0), .dueSoon(workingDaysLeft: 3)])
        #expect(plan[0].owner == "tp-hcbt" && plan.allSatisfy { $0.day == Self.tuesday })
    }

    /// The agency shortens its lead time to 1 working day from 1 May 2026: from then on, and not before.
    @Test func aChangedLeadTimeAppliesFromItsDay() throws {
        let rows = """
            limits:
              - {id: reminder.2000, limit: reminder.workingDaysBeforeDue, value: 3, source: "quy chế làm việc (test)", effectiveFrom: "2000-01-01", effectiveTo: "2026-04-30", status: local-policy}
              - {id: reminder.2026, limit: reminder.workingDaysBeforeDue, value: 1, source: "quy chế làm việc sửa đổi (test)", effectiveFrom: "2026-05-01", status: local-policy}

            """
        let yaml = try RulebookRequirementTests.defaultYAML { $0.hasPrefix("reminder.") }.replacingOccurrences(of: "\nlimits:\n", with: "\n" + rows)
        let p = try Self.planner(try YAMLLoading.rulebook(from: yaml))
        #expect(p.reminder(for: Self.task("T", due: Self.date(5, 5)), on: Self.tuesday)?.due == .dueSoon(workingDaysLeft: 3))
        #expect(p.reminder(for: Self.task("T", due: Self.date(5, 5)), on: Self.monday)?.due == .dueSoon(workingDaysLeft: 1))
        #expect(p.reminder(for: Self.task("T", due: Self.date(5, 6)), on: Self.monday) == nil)
        #expect(p.horizon(on: Self.monday) == Self.date(5, 5))
    }

    @Test func theWordsAreVietnameseFirstAndEnglishComplete() {
        #expect(ReminderDue.dueSoon(workingDaysLeft: 2).vietnamese == "Sắp đến hạn: còn 2 ngày làm việc")
        #expect(ReminderDue.dueSoon(workingDaysLeft: 1).english == "Due soon: 1 working day left")
        #expect(ReminderDue.overdue(workingDaysLate: 3).vietnamese == "Quá hạn 3 ngày làm việc")
        #expect(ReminderDue.overdue(workingDaysLate: 3).english == "Overdue by 3 working days")
        #expect(ReminderDue.dueSoon(workingDaysLeft: 0).vietnamese == "Đến hạn hôm nay")
    }
}
