import BuckStopDomain

/// The numbers the detectors compare against, read once from the rulebook (and command-line overrides).
public struct Thresholds: Sendable, Equatable {
    public var transfersMin = 3.0
    public var transfersMedianFactor = 3.0
    public var pingPongSevereAlternations = 3.0
    public var shuttleRoundTrips = 2.0
    public var consultationRounds = 2.0
    public var stallingIdleWorkingDays = 5.0
    public var stallingPeerMedianFactor = 3.0
    public var stallingAllottedShare = 0.5
    public var rescheduleMax = 1.0
    public var supplementMax = 1.0
    public var apologyMinDaysBeforeDue = 1.0
    public var intakeCutoffHour = 15.0
    public var accumulationMinorFindings = 3.0
    public var accumulationWindowDays = 90.0

    /// Threshold ids as the rulebook names them, with the property each sets.
    nonisolated(unsafe) public static let ids: [(String, WritableKeyPath<Thresholds, Double>)] = [
        ("transfers.min", \.transfersMin), ("transfers.medianFactor", \.transfersMedianFactor),
        ("ping_pong.severeAlternations", \.pingPongSevereAlternations), ("shuttle.roundTrips", \.shuttleRoundTrips),
        ("consultation.rounds", \.consultationRounds), ("stalling.idleWorkingDays", \.stallingIdleWorkingDays),
        ("stalling.peerMedianFactor", \.stallingPeerMedianFactor), ("stalling.allottedShare", \.stallingAllottedShare),
        ("reschedule.max", \.rescheduleMax), ("supplement.max", \.supplementMax),
        ("apology.minDaysBeforeDue", \.apologyMinDaysBeforeDue), ("intake.cutoffHour", \.intakeCutoffHour),
        ("accumulation.minorFindings", \.accumulationMinorFindings), ("accumulation.windowDays", \.accumulationWindowDays),
    ]

    public init() {}

    public init(rulebook: Rulebook) {
        for (id, path) in Self.ids { if let v = rulebook.threshold(id) { self[keyPath: path] = v } }
    }

    /// Sets a threshold by its rulebook id; false when the id is unknown.
    public mutating func set(_ id: String, _ value: Double) -> Bool {
        guard let path = Self.ids.first(where: { $0.0 == id })?.1 else { return false }
        self[keyPath: path] = value
        return true
    }
}
