import BuckStopCalendar
import BuckStopDefaults
import BuckStopDetectors
import BuckStopDomain
import Foundation
import Testing

/// The statutory limits are dated rows of the rulebook: a case is judged by the rows in force on the day it was
/// received, so a change in the law applies to cases received from its first day and not to those before.
struct DatedLimitTests {
    let a: UInt32 = 1, b: UInt32 = 2

    /// The default rulebook, with every limit changed on 2026-01-01.
    static func changedRulebook() throws -> Rulebook {
        let text = try Defaults.rulebookYAML()
        let start = try #require(text.range(of: "\nlimits:\n"))
        let end = try #require(text.range(of: "\nthresholds:\n"))
        return try YAMLLoading.rulebook(
            from: text.replacingCharacters(
                in: start.lowerBound..<end.lowerBound,
                with: """

                    limits:
                      - {id: reschedule.max.2018, limit: reschedule.max, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", effectiveTo: "2025-12-31", status: secondary}
                      - {id: reschedule.max.2026, limit: reschedule.max, value: 2, source: "a later decree (test)", effectiveFrom: "2026-01-01", status: unverified}
                      - {id: supplement.max.2018, limit: supplement.max, value: 1, source: "NĐ 61/2018 Đ.15(3)", effectiveFrom: "2018-08-21", effectiveTo: "2025-12-31", status: secondary}
                      - {id: supplement.max.2026, limit: supplement.max, value: 2, source: "a later decree (test)", effectiveFrom: "2026-01-01", status: unverified}
                      - {id: apology.2018, limit: apology.minDaysBeforeDue, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", effectiveTo: "2025-12-31", status: secondary}
                      - {id: apology.2026, limit: apology.minDaysBeforeDue, value: 3, source: "a later decree (test)", effectiveFrom: "2026-01-01", status: unverified}
                      - {id: cutoff.2015, limit: intake.cutoffHour, value: 15, source: "NĐ 23/2015 Đ.7; NĐ 61/2018 Đ.18", effectiveFrom: "2015-04-10", effectiveTo: "2025-12-31", status: secondary}
                      - {id: cutoff.2026, limit: intake.cutoffHour, value: 17, source: "a later decree (test)", effectiveFrom: "2026-01-01", status: unverified}
                      - {id: reminder.2000, limit: reminder.workingDaysBeforeDue, value: 3, source: "the agency's working rule (test)", effectiveFrom: "2000-01-01", status: local-policy}
                    """))
    }

    /// Mondays on either side of the change, as offsets from the fixture's Monday (2025-11-17): 2025-12-29 and
    /// 2026-01-12, no holiday in the days used.
    static let before = 42, after = 56

    @Test func theChangeDateIsWhereTheFixtureThinksItIs() {
        #expect(F.monday.adding(days: Self.before) == CivilDate(year: 2025, month: 12, day: 29)!)
        #expect(F.monday.adding(days: Self.after) == CivilDate(year: 2026, month: 1, day: 12)!)
    }

    /// Two new appointment dates: too many while the law allows one, fine once it allows two.
    @Test func rescheduleMax() throws {
        let f = try F(asOf: F.monday.adding(days: 90), rulebook: try Self.changedRulebook())
        func run(_ d: Int) -> CaseOutcome {
            f.run([
                F.event(d, .open, actor: a, owner: a, due: d + 20), F.event(d + 1, .reschedule, actor: a, owner: a, due: d + 22),
                F.event(d + 2, .reschedule, actor: a, owner: a, due: d + 24), F.event(d + 3, .resolution, actor: a, owner: a, status: .resolved),
            ])
        }
        let old = try #require(run(Self.before).finding(.repeatReschedule))
        #expect(old.value == 2 && old.limit == 1)
        #expect(run(Self.after).finding(.repeatReschedule) == nil)
    }

    @Test func supplementMax() throws {
        let f = try F(asOf: F.monday.adding(days: 90), rulebook: try Self.changedRulebook())
        func run(_ d: Int) -> CaseOutcome {
            f.run([
                F.event(d, .open, actor: a, owner: a, due: d + 20),
                F.event(d + 1, .supplementRequest, actor: a, owner: a, status: .awaitingSupplement),
                F.event(d + 2, .supplementReceived, actor: a, owner: a),
                F.event(d + 3, .supplementRequest, actor: a, owner: a, status: .awaitingSupplement),
                F.event(d + 4, .supplementReceived, actor: a, owner: a), F.event(d + 5, .resolution, actor: a, owner: a, status: .resolved),
            ])
        }
        let old = try #require(run(Self.before).finding(.repeatSupplement))
        #expect(old.value == 2 && old.limit == 1)
        #expect(run(Self.after).finding(.repeatSupplement) == nil)
    }

    /// Due Friday, the apology sent Wednesday (two days before), resolved the Monday after: early enough while the law
    /// asks for one day, too late once it asks for three.
    @Test func apologyMinDaysBeforeDue() throws {
        let f = try F(asOf: F.monday.adding(days: 90), rulebook: try Self.changedRulebook())
        func run(_ d: Int) -> CaseOutcome {
            f.run([
                F.event(d, .open, actor: a, owner: a, due: d + 4), F.event(d + 2, .reschedule, actor: a, owner: a, due: d + 8),
                F.event(d + 7, .resolution, actor: a, owner: a, status: .resolved),
            ])
        }
        let old = run(Self.before)
        #expect(old.finding(.overdue) != nil && old.finding(.noApology) == nil)
        let new = run(Self.after)
        #expect(new.finding(.overdue) != nil && new.finding(.noApology)?.limit == 3)
    }

    /// Received Monday 16:00 and forwarded Tuesday: on time after a 15:00 cut-off (due Tuesday), late after a 17:00 one
    /// (due Monday).
    @Test func intakeCutoffHour() throws {
        let f = try F(asOf: F.monday.adding(days: 90), rulebook: try Self.changedRulebook())
        func run(_ d: Int) -> CaseOutcome {
            f.run([F.event(d, hour: 16, .open, actor: a, owner: a), F.event(d + 1, .transfer, actor: a, owner: b, target: b)])
        }
        #expect(run(Self.before).finding(.lateIntake) == nil)
        let late = try #require(run(Self.after).finding(.lateIntake))
        #expect(late.day == F.day(Self.after))
    }

    /// Before the first row the rulebook has (NĐ 61/2018 from 2018-08-21), there is no limit to judge by: two
    /// reschedules in January 2018 are not a finding, and nothing falls back to a number of its own.
    @Test func noLimitBeforeTheFirstRow() throws {
        let f = try F()
        let d = CivilDate(year: 2018, month: 1, day: 15)!.julianDayNumber - F.monday.julianDayNumber
        let o = f.run([
            F.event(d, .open, actor: a, owner: a, due: d + 20), F.event(d + 1, .reschedule, actor: a, owner: a, due: d + 22),
            F.event(d + 2, .reschedule, actor: a, owner: a, due: d + 24), F.event(d + 3, .resolution, actor: a, owner: a, status: .resolved),
        ])
        #expect(o.finding(.repeatReschedule) == nil)
    }

    /// The severity scale is the rulebook's too, and lateness weighs against the time allotted: three calendar days
    /// late on four allotted is 0.75 — low under the default scale (> 1.5 medium, > 2 high), high once the rulebook's
    /// `severity.highFactor` is 0.5; the same three days late on one allotted day is high by default.
    @Test func overdueSeverityFollowsTheRulebook() throws {
        let full = try Defaults.rulebook()
        let strict = try Rulebook(
            id: "t", title: "t", rules: full.rules, procedures: full.procedures,
            thresholds: full.thresholds.map { $0.id == "severity.highFactor" ? Threshold(id: $0.id, value: 0.5, source: "test") : $0 },
            limits: full.limits)
        let events = [F.event(0, .open, actor: a, owner: a, due: 4), F.event(7, .resolution, actor: a, owner: a, status: .resolved)]
        #expect(try F().run(events).finding(.overdue)?.severity == .low)
        #expect(try F(rulebook: strict).run(events).finding(.overdue)?.severity == .high)
        let short = [F.event(0, .open, actor: a, owner: a, due: 1), F.event(4, .resolution, actor: a, owner: a, status: .resolved)]
        let late = try #require(try F().run(short).finding(.overdue))
        #expect(late.value == 3 && late.severity == .high)
    }

    /// A rulebook built in code without a threshold or limit cannot become detector thresholds: the error names it.
    @Test func thresholdsFromAnIncompleteRulebookAreRefused() throws {
        let full = try Defaults.rulebook()
        let partial = try Rulebook(
            id: "t", title: "t", rules: full.rules, procedures: full.procedures,
            thresholds: full.thresholds.filter { $0.id != "stalling.idleWorkingDays" },
            limits: full.limits)
        #expect(
            throws: RulebookError.missingRule(
                rule: "stalling.idleWorkingDays", expected: "a threshold under thresholds: \(ThresholdID.stallingIdleWorkingDays.expected)")
        ) {
            try Thresholds(rulebook: partial)
        }
        let noLimits = try Rulebook(id: "t", title: "t", rules: full.rules, procedures: full.procedures, thresholds: full.thresholds)
        #expect { try Thresholds(rulebook: noLimits) } throws: { ($0 as? RulebookError)?.rule == "reschedule.max" }
    }
}
