import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

/// Times and dates from outside are bounded by the rulebook (security issue item 1: a year-9999 time crashed pages).
@Suite struct InputBoundsTests {
    let rulebook: Rulebook
    let calendar: WorkingCalendar
    let bounds: InputBounds

    init() throws {
        rulebook = try Defaults.rulebook()
        calendar = try Defaults.workingCalendar()
        bounds = try InputBounds(rulebook: rulebook)
    }

    let now: Int64 = 1_764_000_000_000  // 2025-11-24

    /// The refusal of a check, if any (plain do/catch: no typed-throws closure handed to the testing library).
    func refusal(time at: Int64) -> DomainError? {
        do {
            try bounds.checkGivenTime(at, now: now, action: "comment")
            return nil
        } catch { return error }
    }

    func refusal(dates body: ActionBody, case state: CaseState? = nil) -> DomainError? {
        do {
            try bounds.checkDates(of: body, at: now, case: state, rulebook: rulebook, calendar: calendar)
            return nil
        } catch { return error }
    }

    @Test func importedTimesLieBetweenTheFirstRuleAndTheClockPlusSkew() throws {
        #expect(refusal(time: now) == nil)
        #expect(refusal(time: now + bounds.futureSkewMillis) == nil)
        #expect(refusal(time: now + bounds.futureSkewMillis + 1) != nil)
        let first = Int64(bounds.earliestDay.startInstant().timeIntervalSince1970 * 1000)
        #expect(refusal(time: first) == nil)
        #expect(refusal(time: first - 1) != nil)
        guard case .invalidField(_, let field, _)? = refusal(time: 253_402_300_799_000) else {
            Issue.record("a year-9999 time was not refused as an invalid field")
            return
        }
        #expect(field == "at")
        #expect(bounds.earliestDay == rulebook.rules.map(\.effectiveFrom).min())
    }

    @Test func datesLieBetweenTheActionsDayAndTheHorizon() throws {
        let today = CivilDate(Date(timeIntervalSince1970: Double(now) / 1000))
        let ok = today.adding(days: bounds.maxDaysAhead)
        #expect(refusal(dates: .reschedule(newDueDate: ok, apology: "x")) == nil)
        for body: ActionBody in [
            .reschedule(newDueDate: ok.adding(days: 1), apology: "x"), .reschedule(newDueDate: today.adding(days: -1), apology: "x"),
            .consult(units: ["stp"], question: "?", dueDate: CivilDate(year: 9999, month: 12, day: 31)!),
            .supplementReceived(note: "", newDueDate: CivilDate(year: 1, month: 1, day: 1)!),
            .open(OpenCase(kind: .task, title: "x", leadUnit: "stp", owner: "cv-an", dueDate: CivilDate(year: 9999, month: 12, day: 31)!)),
        ] {
            #expect(refusal(dates: body) != nil, "\(body)")
        }
        // Actions without dates pass whatever they say.
        #expect(refusal(dates: .comment(text: "x")) == nil)
    }

    /// A denunciation's extension may not go past what Luật Tố cáo allows for one extension (30 days); a dossier, which
    /// has no extension rule, is held to the general horizon.
    @Test func anExtensionStaysWithinItsRule() throws {
        let open = Action(
            caseID: "TTTP-1", actor: .official("ttv"), at: now,
            body: .open(
                OpenCase(
                    kind: .denunciation, title: "Tố cáo", leadUnit: "thanh-tra", owner: "ttv", dueDate: CivilDate(year: 2025, month: 12, day: 24))),
            via: .generated("test"))
        let state = try CaseState(opening: open, in: SampleCity.organization)
        let due = try #require(state.dueDate)
        let rule = try #require(rulebook.rule(for: .denunciation, procedure: nil, step: .extension, on: due))
        #expect(rule.duration == 30 && rule.unit == .days)
        let limit = calendar.nextWorkingDay(onOrAfter: due.adding(days: 30))
        #expect(refusal(dates: .extend(newDueDate: limit, legalBasis: "Luật Tố cáo Đ.30"), case: state) == nil)
        #expect(refusal(dates: .extend(newDueDate: limit.adding(days: 1), legalBasis: "Luật Tố cáo Đ.30"), case: state) != nil)
    }

    /// A complaint may be suspended only from 1 July 2026 (the rulebook's `suspension:` rows); a denunciation since 2019.
    @Test func suspensionOnlyOnceTheLawAllowsIt() throws {
        func state(_ kind: CaseKind) throws -> CaseState {
            try CaseState(
                opening: Action(
                    caseID: "TTTP-1", actor: .official("ttv"), at: now,
                    body: .open(OpenCase(kind: kind, title: "Đơn", leadUnit: "thanh-tra", owner: "ttv")), via: .generated("test")),
                in: SampleCity.organization)
        }
        func refusal(_ kind: CaseKind, on day: CivilDate) throws -> DomainError? {
            let at = Int64(day.startInstant().timeIntervalSince1970 * 1000) + 3 * 3_600_000
            let held = try state(kind)
            do {
                try bounds.checkDates(
                    of: .suspend(legalBasis: "Luật", reason: "Chờ giám định"), at: at, case: held, rulebook: rulebook, calendar: calendar)
                return nil
            } catch { return error }
        }
        let before = try #require(CivilDate(year: 2026, month: 6, day: 30))
        let from = try #require(CivilDate(year: 2026, month: 7, day: 1))
        #expect(
            try refusal(.complaint, on: before)
                == .invalidField(action: "suspend", field: "case", reason: .suspensionNotInForce(kind: .complaint, from: from)))
        #expect(try refusal(.complaint, on: from) == nil)
        #expect(try refusal(.denunciation, on: try #require(CivilDate(year: 2025, month: 3, day: 3))) == nil)
    }

    @Test func aRulebookWithoutTheBoundsIsRefused() throws {
        let bare = try Rulebook(id: "t", title: "t", rules: rulebook.rules, procedures: rulebook.procedures, thresholds: [])
        #expect((try? InputBounds(rulebook: bare)) == nil)
    }
}
