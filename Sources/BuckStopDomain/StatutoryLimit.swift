import BuckStopCalendar

/// A statutory limit that is not a time limit: how many times something may happen, how many days ahead, from which
/// hour. Each is law in a period, like a deadline rule, so the rulebook holds it as dated rows (`LimitRule`). The
/// reminder lead time sits with them although no statute sets it: it is the agency's own working rule (quy chế làm
/// việc), which changes on a date like a decree does, so it is dated the same way and its row says it is local policy.
public enum LimitID: String, Sendable, Codable, CaseIterable, Hashable {
    /// How many new appointment dates a case may get (NĐ 61/2018 Đ.19(9): "không quá một lần").
    case rescheduleMax = "reschedule.max"
    /// How many times supplements may be requested (NĐ 61/2018 Đ.15(3): once, in full).
    case supplementMax = "supplement.max"
    /// How many days before the due date the apology and new date must be sent (NĐ 61/2018 Đ.19(9)).
    case apologyMinDaysBeforeDue = "apology.minDaysBeforeDue"
    /// The local hour after which a same-day step moves to the next working day (NĐ 61/2018 Đ.18).
    case intakeCutoffHour = "intake.cutoffHour"
    /// How many working days before its due date the owner of an open case is reminded (the agency's working rule).
    case reminderWorkingDaysBeforeDue = "reminder.workingDaysBeforeDue"

    /// What a row of this limit must give, for the rulebook's error messages.
    public var expected: String {
        switch self {
        case .rescheduleMax: "the most new appointment dates (reschedules) a case may get, a whole number ≥ 0"
        case .supplementMax: "the most supplement requests a case may get, a whole number ≥ 0"
        case .apologyMinDaysBeforeDue: "the days before the due date by which the apology and new date must be sent, a whole number ≥ 0"
        case .intakeCutoffHour: "the local hour (0…24) after which a same-day step moves to the next working day"
        case .reminderWorkingDaysBeforeDue:
            "the working days before a due date from which its owner is reminded, a whole number 0…250 (the agency's own rule, not a statute)"
        }
    }

    /// The values a row may hold.
    var range: ClosedRange<Int> {
        switch self {
        case .rescheduleMax, .supplementMax: 0...1_000
        case .apologyMinDaysBeforeDue: 0...3_650
        case .intakeCutoffHour: 0...24
        case .reminderWorkingDaysBeforeDue: 0...250
        }
    }
}

/// One period of a statutory limit: its value, legal source and status, like a `DeadlineRule`. A change in the law is
/// a new row starting the day the old one ends; a case is judged by the row in force on the day it was received.
public struct LimitRule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    public var limit: LimitID
    public var value: Int
    public var source: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    /// verified / secondary / unverified / projected, as for deadline rules.
    public var status: String
    public var note: String?

    public init(
        id: String, limit: LimitID, value: Int, source: String, effectiveFrom: CivilDate, effectiveTo: CivilDate?, status: String,
        note: String? = nil
    ) {
        self.id = id
        self.limit = limit
        self.value = value
        self.source = source
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.status = status
        self.note = note
    }

}

/// The undated thresholds a rulebook must give: BuckStop's own detection settings and input bounds, each with its
/// source. Statutory limits are not among them: they are `LimitID`, dated.
public enum ThresholdID: String, Sendable, CaseIterable, Hashable {
    case transfersMin = "transfers.min"
    case transfersMedianFactor = "transfers.medianFactor"
    case pingPongSevereAlternations = "ping_pong.severeAlternations"
    case shuttleRoundTrips = "shuttle.roundTrips"
    case consultationRounds = "consultation.rounds"
    case stallingIdleWorkingDays = "stalling.idleWorkingDays"
    case stallingPeerMedianFactor = "stalling.peerMedianFactor"
    case stallingAllottedShare = "stalling.allottedShare"
    case accumulationMinorFindings = "accumulation.minorFindings"
    case accumulationWindowDays = "accumulation.windowDays"
    case severityMediumFactor = "severity.mediumFactor"
    case severityHighFactor = "severity.highFactor"
    case rankingMinCasesHandled = "ranking.minCasesHandled"
    case publicMinimumCount = "public.minimumCount"
    case analysisPlausibleShare = "analysis.plausibleShare"
    case inputFutureSkewSeconds = "input.futureSkewSeconds"
    case inputMaxDaysAhead = "input.maxDaysAhead"

    /// What the threshold means, for the rulebook's error messages.
    public var expected: String {
        switch self {
        case .transfersMin: "the fewest transfers of a case that can be too many (transfers > max(this, factor × median))"
        case .transfersMedianFactor: "the factor on the median transfers of like cases (transfers > max(min, this × median))"
        case .pingPongSevereAlternations: "consecutive alternations between two owners that make a ping-pong severe"
        case .shuttleRoundTrips: "up-and-down round trips that make a shuttle"
        case .consultationRounds: "consultation rounds that are too many"
        case .stallingIdleWorkingDays: "working days an owner may leave a case idle"
        case .stallingPeerMedianFactor: "the factor on the peers' median idle time for the same step"
        case .stallingAllottedShare: "the share (0…1) of the allotted time an owner may leave a case idle"
        case .accumulationMinorFindings: "minor findings in the window that warn the head"
        case .accumulationWindowDays: "the length of the rolling window of minor findings, in days"
        case .severityMediumFactor: "the ratio of a finding's value to its reference above which it is of medium severity (else low)"
        case .severityHighFactor: "the ratio of a finding's value to its reference above which it is of high severity"
        case .rankingMinCasesHandled: "the fewest cases an official must have handled to be ranked by findings per 100 cases"
        case .publicMinimumCount: "the smallest count the public page shows as a number (1 to this − 1 are suppressed)"
        case .analysisPlausibleShare: "the largest share (0…1) of a log's cases a detector may flag before analyze withholds it as implausible"
        case .inputFutureSkewSeconds: "seconds an imported time may lie ahead of the server's clock (0…86400)"
        case .inputMaxDaysAhead: "days a date may lie after its action (1…36500)"
        }
    }
}

/// What a loaded rulebook lacks, named so that whoever maintains it can add the row: which rule, what was expected
/// of it and, when something is there but does not serve, what was found.
public enum RulebookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a rulebook, or its rules contradict one another.
    case invalid(DomainError)
    /// A rule, limit or threshold BuckStop judges by is absent.
    case missingRule(rule: String, expected: String)
    /// It is there but leaves days uncovered or stands in the wrong place.
    case incompleteRule(rule: String, expected: String, found: String)

    /// The name of the rule at fault; nil when the text itself is wrong.
    public var rule: String? {
        switch self {
        case .invalid: nil
        case .missingRule(let rule, _), .incompleteRule(let rule, _, _): rule
        }
    }

    public var description: String {
        switch self {
        case .invalid(let error): "\(error)"
        case .missingRule(let rule, let expected): "invalid rulebook: rule \(rule) is missing; expected \(expected)"
        case .incompleteRule(let rule, let expected, let found):
            "invalid rulebook: rule \(rule): expected \(expected), found \(found)"
        }
    }
}
