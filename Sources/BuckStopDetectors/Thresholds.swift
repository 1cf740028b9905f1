import BuckStopCalendar
import BuckStopDomain

/// The numbers the detectors compare against, read once from a loaded rulebook (and command-line overrides). None has
/// a value of its own here: a rulebook without one fails to load (`Rulebook.requireComplete`).
public struct Thresholds: Sendable, Equatable {
    public var transfersMin: Double
    public var transfersMedianFactor: Double
    public var pingPongSevereAlternations: Double
    public var shuttleRoundTrips: Double
    public var consultationRounds: Double
    public var stallingIdleWorkingDays: Double
    public var stallingPeerMedianFactor: Double
    public var stallingAllottedShare: Double
    public var accumulationMinorFindings: Double
    public var accumulationWindowDays: Double
    public var severityMediumFactor: Double
    public var severityHighFactor: Double
    /// Above this share of a log's cases a detector's findings are withheld by `analyze` as implausible.
    public var analysisPlausibleShare: Double
    /// The statutory limits by the period each row is law in; a case is judged by the rows in force on its first day.
    public let limits: LimitPeriods

    /// Threshold ids as the rulebook names them, with the property each sets.
    nonisolated(unsafe) public static let ids: [(ThresholdID, WritableKeyPath<Thresholds, Double>)] = [
        (.transfersMin, \.transfersMin), (.transfersMedianFactor, \.transfersMedianFactor),
        (.pingPongSevereAlternations, \.pingPongSevereAlternations), (.shuttleRoundTrips, \.shuttleRoundTrips),
        (.consultationRounds, \.consultationRounds), (.stallingIdleWorkingDays, \.stallingIdleWorkingDays),
        (.stallingPeerMedianFactor, \.stallingPeerMedianFactor), (.stallingAllottedShare, \.stallingAllottedShare),
        (.accumulationMinorFindings, \.accumulationMinorFindings), (.accumulationWindowDays, \.accumulationWindowDays),
        (.severityMediumFactor, \.severityMediumFactor), (.severityHighFactor, \.severityHighFactor),
        (.analysisPlausibleShare, \.analysisPlausibleShare),
    ]

    /// The thresholds of a rulebook; throws, naming the rule, if it lacks one (a rulebook built in code rather than loaded).
    public init(rulebook: Rulebook) throws(RulebookError) {
        try rulebook.requireComplete()
        func value(_ id: ThresholdID) throws(RulebookError) -> Double {
            guard let v = rulebook.threshold(id) else { throw .missingRule(rule: id.rawValue, expected: id.expected) }
            return v
        }
        transfersMin = try value(.transfersMin)
        transfersMedianFactor = try value(.transfersMedianFactor)
        pingPongSevereAlternations = try value(.pingPongSevereAlternations)
        shuttleRoundTrips = try value(.shuttleRoundTrips)
        consultationRounds = try value(.consultationRounds)
        stallingIdleWorkingDays = try value(.stallingIdleWorkingDays)
        stallingPeerMedianFactor = try value(.stallingPeerMedianFactor)
        stallingAllottedShare = try value(.stallingAllottedShare)
        accumulationMinorFindings = try value(.accumulationMinorFindings)
        accumulationWindowDays = try value(.accumulationWindowDays)
        severityMediumFactor = try value(.severityMediumFactor)
        severityHighFactor = try value(.severityHighFactor)
        analysisPlausibleShare = try value(.analysisPlausibleShare)
        limits = LimitPeriods(rulebook)
    }

    /// The one severity scale every detector grades by.
    public var severity: SeverityScale { SeverityScale(mediumFactor: severityMediumFactor, highFactor: severityHighFactor) }

    /// Whether `--threshold` may override this id: a detector threshold, not a statutory limit (those are dated rows
    /// of a rulebook) nor an input bound.
    public static func isOverridable(_ id: String) -> Bool { ids.contains { $0.0.rawValue == id } }

    /// Sets a threshold by its rulebook id; false when the id is not an overridable threshold.
    public mutating func set(_ id: String, _ value: Double) -> Bool {
        guard let path = Self.ids.first(where: { $0.0.rawValue == id })?.1 else { return false }
        self[keyPath: path] = value
        return true
    }
}

/// The rows of every statutory limit as spans of detection days (`WorkingDayIndex.day`), for a lookup per case
/// without dates or scans of the rulebook.
public struct LimitPeriods: Sendable, Equatable {
    struct Period: Sendable, Equatable {
        var from: Int32
        var to: Int32
        var value: Double
    }

    private var periods: [LimitID: [Period]] = [:]

    init(_ rulebook: Rulebook) {
        for row in rulebook.limits {
            periods[row.limit, default: []].append(
                Period(
                    from: WorkingDayIndex.day(row.effectiveFrom), to: row.effectiveTo.map(WorkingDayIndex.day) ?? .max,
                    value: Double(row.value)))
        }
    }

    /// The limit in force on a day; nil before the first row the rulebook has (no law to judge the case by).
    @inline(__always) public func value(_ id: LimitID, onDay day: Int32) -> Double? {
        guard let rows = periods[id] else { return nil }
        for row in rows where row.from <= day && day <= row.to { return row.value }
        return nil
    }
}

/// DESIGN.md, "Fairness of findings": one severity scale for every detector — the measured value against its
/// reference, and repetition. The reference is the limit the value went past (a count of returns against 0, idle days
/// against the idle limit, reschedules against the most allowed), counted as at least one unit of the measure so that a
/// limit of 0 does not make the first unit "infinitely" over; for lateness it is the time the step was allotted, so
/// three days late weighs more on a three-day procedure than on a sixty-day one. A behaviour that repeats within the
/// case in its severe form (consecutive alternations, many rounds that were also late) is one grade up.
public struct SeverityScale: Sendable, Equatable {
    public var mediumFactor: Double
    public var highFactor: Double

    public init(mediumFactor: Double, highFactor: Double) {
        self.mediumFactor = mediumFactor
        self.highFactor = highFactor
    }

    public func grade(value: Double, reference: Double, repeated: Bool = false) -> Severity {
        let ratio = value / max(reference, 1)
        let base: Severity = ratio > highFactor ? .high : ratio > mediumFactor ? .medium : .low
        guard repeated else { return base }
        return base == .low ? .medium : .high
    }
}
