import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import Foundation
import Testing

/// Every statutory number is a dated rule of the rulebook, and a rulebook without one does not load: the error names
/// the rule and says what was expected.
@Suite struct RulebookRequirementTests {
    /// The default rulebook's text without the list entries (`  - id: …` blocks) whose id `drop` selects.
    static func defaultYAML(dropping drop: (String) -> Bool) throws -> String {
        var out: [Substring] = []
        var skipping = false
        for line in try Defaults.rulebookYAML().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - ") {
                let id = line.firstRange(of: "id: \"").map { line[$0.upperBound...].prefix { $0 != "\"" } }
                skipping = id.map { drop(String($0)) } ?? false
            } else if !line.hasPrefix("    ") {
                skipping = false
            }
            if !skipping { out.append(line) }
        }
        return out.joined(separator: "\n")
    }

    /// The default rulebook's text with its `limits:` section replaced.
    static func defaultYAML(limits: String) throws -> String {
        let text = try Defaults.rulebookYAML()
        let start = try #require(text.range(of: "\nlimits:\n"))
        let end = try #require(text.range(of: "\nthresholds:\n"))
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "\n" + limits)
    }

    static func loadError(_ yaml: String) -> RulebookError? {
        do {
            _ = try YAMLLoading.rulebook(from: yaml)
            return nil
        } catch {
            return error
        }
    }

    /// The names of everything a rulebook must give.
    static let required: [String] =
        CaseKind.allCases.compactMap { kind in kind.intakeStep.map { "\(kind.rawValue).\($0.rawValue)" } }
        + CaseKind.allCases.filter(\.requiresResolveRule).map { "\($0.rawValue).resolve" }
        + LimitID.allCases.map(\.rawValue) + ThresholdID.allCases.map(\.rawValue)

    @Test func theDefaultRulebookHasEveryRequiredRule() throws {
        #expect(Self.required.count == 3 + 3 + 5 + 17)
        let book = try Defaults.rulebook()
        try book.requireComplete()
        #expect(Self.loadError(try Self.defaultYAML { _ in false }) == nil)
    }

    @Test("a rulebook without a required rule fails to load, naming it", arguments: Self.required)
    func missingRuleFailsAtLoad(_ name: String) throws {
        // Rows are named after their rule (complaint.accept.2012, reschedule.max.2018, transfers.min).
        let yaml = try Self.defaultYAML { $0 == name || $0.hasPrefix(name + ".") }
        let error = try #require(Self.loadError(yaml))
        guard case .missingRule(let rule, let expected) = error else {
            Issue.record("expected a missing rule, found \(error)")
            return
        }
        #expect(rule == name)
        #expect(!expected.isEmpty)
        #expect("\(error)".contains(name))
    }

    @Test func aLimitWrittenAsAnUndatedThresholdIsRefused() throws {
        let text = try Self.defaultYAML { $0.hasPrefix("reschedule.max.") }
            .replacingOccurrences(
                of: "\nthresholds:\n", with: "\nthresholds:\n  - {id: reschedule.max, value: 1, source: \"NĐ 61/2018 Đ.19(9)\"}\n")
        let limitRow = """
              - {id: reschedule.max.2018, limit: reschedule.max, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", status: secondary}
            """
        #expect(Self.loadError(text)?.rule == "reschedule.max")
        let both = text.replacingOccurrences(of: "\nlimits:\n", with: "\nlimits:\n\(limitRow)\n")
        guard case .incompleteRule(let rule, _, let found) = Self.loadError(both) else {
            Issue.record("an undated reschedule.max beside a dated one must be refused")
            return
        }
        #expect(rule == "reschedule.max" && found == "an undated threshold")
    }

    @Test func aGapBetweenPeriodsIsRefused() throws {
        let error = Self.loadError(try Self.defaultYAML { $0 == "complaint.accept.2020" })
        guard case .incompleteRule(let rule, _, let found) = error else {
            Issue.record("expected a gap, found \(String(describing: error))")
            return
        }
        #expect(rule == "complaint.accept")
        #expect(found.contains("2020-12-05") && found.contains("2026-06-30"))
    }

    @Test func theLastPeriodMustStillBeInForce() throws {
        let error = Self.loadError(try Self.defaultYAML { $0 == "intake.cutoffHour.2025" })
        guard case .incompleteRule(let rule, _, let found) = error else {
            Issue.record("expected an ended rule, found \(String(describing: error))")
            return
        }
        #expect(rule == "intake.cutoffHour" && found.contains("2025-06-30"))
    }

    @Test func theCutoffHourCoversEverySameDayRule() throws {
        // Without its 2015 row the cut-off starts in 2018, after the same-day certification rules (2015-04-10).
        let error = Self.loadError(try Self.defaultYAML { $0 == "intake.cutoffHour.2015" })
        guard case .incompleteRule(let rule, let expected, _) = error else {
            Issue.record("expected the cut-off to be refused, found \(String(describing: error))")
            return
        }
        #expect(rule == "intake.cutoffHour" && expected.contains("2015-04-10"))
    }

    @Test func aLimitOutOfRangeIsRefused() throws {
        let yaml = try Self.defaultYAML { _ in false }.replacingOccurrences(of: "    value: 15\n", with: "    value: 25\n")
        guard case .invalid(.invalidRulebook(let why)) = Self.loadError(yaml) else {
            Issue.record("a cut-off hour of 25 must be refused")
            return
        }
        #expect(why.contains("intake.cutoffHour"))
    }

    /// Rows named by a code — a finding cause twice, a consequence measure without its source — are refused naming them.
    @Test func aRepeatedCauseOrAnUnsourcedMeasureIsRefused() throws {
        let base = try Self.defaultYAML { _ in false }
        let twice = base.replacingOccurrences(of: "  - code: \"qua-tai\"", with: "  - code: \"nang-luc\"")
        #expect(twice != base)
        guard case .invalid(.invalidRulebook(let why)) = Self.loadError(twice) else {
            Issue.record("a cause given twice must be refused")
            return
        }
        #expect(why == "finding cause 'nang-luc' appears twice")
        let unsourced = base.replacingOccurrences(
            of: "    source: \"Quy chế làm việc của cơ quan (kết thúc theo dõi, xử lý sau kết luận)\"", with: "    source: \"\"")
        #expect(unsourced != base)
        guard case .invalid(.invalidRulebook(let because)) = Self.loadError(unsourced) else {
            Issue.record("a measure without a source must be refused")
            return
        }
        #expect(because == "consequence measure ket-thuc: a source is required")
    }

    /// reschedule.max 1 until 2025-12-31, 2 from 2026-01-01; the cut-off hour 15 until then, 16 after.
    static let changedLimits = """
        limits:
          - {id: reschedule.max.2018, limit: reschedule.max, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", effectiveTo: "2025-12-31", status: secondary}
          - {id: reschedule.max.2026, limit: reschedule.max, value: 2, source: "a later decree (test)", effectiveFrom: "2026-01-01", status: unverified}
          - {id: supplement.max, limit: supplement.max, value: 1, source: "NĐ 61/2018 Đ.15(3)", effectiveFrom: "2018-08-21", status: secondary}
          - {id: apology.minDaysBeforeDue, limit: apology.minDaysBeforeDue, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", status: secondary}
          - {id: intake.cutoffHour.2015, limit: intake.cutoffHour, value: 15, source: "NĐ 23/2015 Đ.7; NĐ 61/2018 Đ.18", effectiveFrom: "2015-04-10", effectiveTo: "2025-12-31", status: secondary}
          - {id: intake.cutoffHour.2026, limit: intake.cutoffHour, value: 16, source: "a later decree (test)", effectiveFrom: "2026-01-01", status: unverified}
          - {id: reminder.workingDaysBeforeDue, limit: reminder.workingDaysBeforeDue, value: 3, source: "the agency's working rule (test)", effectiveFrom: "2000-01-01", status: local-policy}
        """

    @Test func aLimitChangedOnADateAppliesFromThatDate() throws {
        let book = try YAMLLoading.rulebook(from: try Self.defaultYAML(limits: Self.changedLimits))
        let before = CivilDate(year: 2025, month: 12, day: 31)!
        let after = CivilDate(year: 2026, month: 1, day: 1)!
        #expect(book.limit(.rescheduleMax, on: before)?.value == 1 && book.limit(.rescheduleMax, on: before)?.id == "reschedule.max.2018")
        #expect(book.limit(.rescheduleMax, on: after)?.value == 2 && book.limit(.rescheduleMax, on: after)?.source == "a later decree (test)")
        #expect(book.limit(.rescheduleMax, on: CivilDate(year: 2018, month: 8, day: 20)!) == nil)
        #expect(book.limit(.supplementMax, on: after)?.value == 1)
    }

    /// A birth registration (same day) received at 15:30: before the change (cut-off 15:00) it is due the next working
    /// day; after it (cut-off 16:00) the same day. Tue 2025-12-30 → Wed 2025-12-31; Tue 2026-01-06 → itself.
    @Test func aChangedCutoffHourMovesSameDayDueDates() throws {
        let book = try YAMLLoading.rulebook(from: try Self.defaultYAML(limits: Self.changedLimits))
        let calendar = try Defaults.workingCalendar()
        func due(_ date: CivilDate) -> CivilDate? {
            let received = date.startInstant().addingTimeInterval(15.5 * 3600)
            return book.dueDate(for: .dossier, procedure: "HT-KHAISINH", receivedAt: received, calendar: calendar)?.date
        }
        #expect(due(CivilDate(year: 2025, month: 12, day: 30)!) == CivilDate(year: 2025, month: 12, day: 31)!)
        #expect(due(CivilDate(year: 2026, month: 1, day: 6)!) == CivilDate(year: 2026, month: 1, day: 6)!)
        // The default rulebook: 15:00 on both days.
        let shipped = try Defaults.rulebook()
        let received = CivilDate(year: 2026, month: 1, day: 6)!.startInstant().addingTimeInterval(15.5 * 3600)
        #expect(
            shipped.dueDate(for: .dossier, procedure: "HT-KHAISINH", receivedAt: received, calendar: calendar)?.date == CivilDate(
                year: 2026, month: 1, day: 7)!)
    }

    @Test func overlappingLimitPeriodsAreRefused() throws {
        let overlapping = Self.changedLimits.replacingOccurrences(
            of: "effectiveTo: \"2025-12-31\", status: secondary}\n  - {id: reschedule.max.2026",
            with: "effectiveTo: \"2026-01-01\", status: secondary}\n  - {id: reschedule.max.2026")
        #expect(overlapping != Self.changedLimits)
        guard case .invalid(.invalidRulebook(let why)) = Self.loadError(try Self.defaultYAML(limits: overlapping)) else {
            Issue.record("two reschedule.max rows in force on 2026-01-01 must be refused")
            return
        }
        #expect(why.contains("reschedule.max.2018") && why.contains("reschedule.max.2026"))
    }
}
