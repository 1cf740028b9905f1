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
        // A reception book has no deadline: its schedule is a `receptionSchedules:` row (ReceptionScheduleTests). A programme's
        // due date is the end of the period its issuing document sets. A proposal's authority answers it without a statutory
        // time limit the rulebook could cite (NĐ 73/2023 sets none it has verified); sitting on it is judged as on any case.
        for kind in CaseKind.allCases where kind != .dossier && kind != .reception && kind != .programme && kind != .proposal {
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
        // Luật Tiếp công dân Đ.28: petitions answered in 10 working days — their one clock (QĐ 766's 15 days is a
        // scoring criterion of an index, not a deadline, and no rule of its own).
        #expect(book.rule(for: .petition, procedure: nil, on: day)?.duration == 10)
        #expect(book.rule(for: .petition, procedure: nil, on: day)?.unit == .workingDays)
        #expect(book.rules.allSatisfy { $0.caseKind != .petition || $0.step == .resolve })
    }

    @Test func dueDateCountsWorkingDaysAcrossTet() throws {
        let book = try Defaults.rulebook()
        let calendar = try Defaults.workingCalendar()
        // A petition received Monday 2026-02-09 08:00 (UTC+7). Tết 2026 (decision file): Mon 16/2 – Fri 20/2 off.
        // 10 working days after 9/2: 10, 11, 12, 13, 23, 24, 25, 26, 27/2, 2/3 → 2026-03-02.
        let received = CivilDate(year: 2026, month: 2, day: 9)!.startInstant().addingTimeInterval(8 * 3600)
        // The one answer deadline: what the citizen is shown and what `overdue` judges.
        let due = try #require(book.dueDate(for: .petition, procedure: nil, receivedAt: received, calendar: calendar))
        #expect(due.rule.id == "petition.resolve.2014" && due.rule.duration == 10)
        #expect(due.date == CivilDate(year: 2026, month: 3, day: 2))
    }

    /// A complaint's and a denunciation's resolution clock starts on acceptance (thụ lý), under the rule in force
    /// that day: received, they have no resolution due date; accepted, they get one counted from that day.
    @Test func resolutionClocksOfComplaintsAndDenunciationsStartOnAcceptance() throws {
        let book = try Defaults.rulebook()
        let calendar = try Defaults.workingCalendar()
        // Received Friday 2026-06-26 (old law), accepted Thursday 2026-07-02 (Luật 136/2025/QH15 in force from 1/7).
        let received = CivilDate(year: 2026, month: 6, day: 26)!.startInstant().addingTimeInterval(9 * 3600)
        let accepted = CivilDate(year: 2026, month: 7, day: 2)!.startInstant().addingTimeInterval(9 * 3600)
        for kind in [CaseKind.complaint, .denunciation] {
            #expect(book.dueDate(for: kind, procedure: nil, receivedAt: received, calendar: calendar) == nil, "\(kind): no clock on receipt")
            let due = try #require(book.dueDate(for: kind, procedure: nil, acceptedAt: accepted, calendar: calendar))
            #expect(due.rule.id.hasSuffix(".2026"), "the rule in force on the day of acceptance, found \(due.rule.id)")
            // 30 days from 2/7 → 1/8 (Saturday) → the next working day, Monday 3/8 (BLDS 2015 Đ.148(5)).
            #expect(due.date == CivilDate(year: 2026, month: 8, day: 3), "\(kind): \(due.date)")
        }
        // Second-instance complaints too (45 days), by their procedure's rule.
        let second = try #require(book.dueDate(for: .complaint, procedure: "KN-L2", acceptedAt: accepted, calendar: calendar))
        #expect(second.rule.procedure == "KN-L2" && second.date == CivilDate(year: 2026, month: 8, day: 17))
        // A dossier's clock starts on receipt: acceptance starts nothing.
        #expect(book.dueDate(for: .dossier, procedure: "LLTP-CAPPHIEU", acceptedAt: accepted, calendar: calendar) == nil)
        #expect(book.dueDate(for: .dossier, procedure: "LLTP-CAPPHIEU", receivedAt: received, calendar: calendar) != nil)
    }

    /// The time suspended does not count: the due date moves on by it, counted as the case's rule counts — across Tết.
    @Test func resumingMovesTheDueDateOnByTheTimeSuspended() throws {
        let book = try Defaults.rulebook()
        let calendar = try Defaults.workingCalendar()
        // A complaint (calendar days) due Friday 27/2/2026, suspended Tuesday 10/2, resumed Tuesday 24/2: 14 days, so
        // 27/2 + 14 = Friday 13/3.
        let complaint = book.dueDate(
            resuming: CivilDate(year: 2026, month: 2, day: 27)!, suspendedOn: CivilDate(year: 2026, month: 2, day: 10)!,
            resumedOn: CivilDate(year: 2026, month: 2, day: 24)!, kind: .complaint, procedure: nil, calendar: calendar)
        #expect(complaint == CivilDate(year: 2026, month: 3, day: 13))
        // Counted in working days (a petition's rule): suspended Monday 9/2, resumed Monday 23/2 — 10, 11, 12, 13 and
        // 23/2 are worked (Tết 16–20/2 is not) — so 5 working days on from 2/3: 3, 4, 5, 6, 9/3.
        let workingDays = book.dueDate(
            resuming: CivilDate(year: 2026, month: 3, day: 2)!, suspendedOn: CivilDate(year: 2026, month: 2, day: 9)!,
            resumedOn: CivilDate(year: 2026, month: 2, day: 23)!, kind: .petition, procedure: nil, calendar: calendar)
        #expect(workingDays == CivilDate(year: 2026, month: 3, day: 9))
        // Resumed the day it was suspended: nothing moves.
        let same = CivilDate(year: 2026, month: 2, day: 10)!
        #expect(
            book.dueDate(resuming: same.adding(days: 20), suspendedOn: same, resumedOn: same, kind: .complaint, procedure: nil, calendar: calendar)
                == same.adding(days: 20))
    }

    @Test func aClockStartingOnAcceptanceIsOnlyForResolveRules() throws {
        let rule = DeadlineRule(
            id: "x", caseKind: .complaint, procedure: nil, step: .accept, duration: 7, unit: .workingDays, source: "s",
            effectiveFrom: CivilDate(year: 2026, month: 1, day: 1)!, effectiveTo: nil, status: "verified", clockStarts: .acceptance)
        #expect(throws: DomainError.self) { try Rulebook(id: "r", title: "t", rules: [rule], procedures: [], thresholds: []) }
    }

    /// Every procedure of the default rulebook sits in one inspection field by its code's prefix (so causes and risk are
    /// counted by field), complaints and denunciations in theirs, land in land; a prefix listed by two fields is refused.
    @Test func everyDefaultProcedureSitsInOneInspectionFieldAndAPrefixInOneField() throws {
        let book = try Defaults.rulebook()
        let fields = book.inspectionFields
        let unplaced = book.procedures.filter { fields.field(ofProcedure: $0.code) == nil }.map(\.code)
        #expect(unplaced.isEmpty, "procedures in no field: \(unplaced)")
        #expect(fields.field(ofProcedure: "KN-L2-PHUCTAP")?.code == "khieu-nai-to-cao")
        #expect(fields.field(ofProcedure: "TC-GIAIQUYET")?.code == "khieu-nai-to-cao")
        #expect(fields.field(ofProcedure: "DD-CAPDOI")?.proneToCorruption == true)
        func field(_ code: String, _ prefixes: [String]) -> InspectionField {
            InspectionField(code: code, nameVi: code, nameEn: code, proneToCorruption: false, source: "s", status: "t", procedures: prefixes)
        }
        #expect(throws: DomainError.invalidRulebook("procedure prefix 'DD-' is listed by inspection fields a and b")) {
            try Rulebook(
                id: "r", title: "t", rules: [], procedures: [], thresholds: [], inspectionFields: [field("a", ["DD-"]), field("b", ["X-", "DD-"])])
        }
    }
}
