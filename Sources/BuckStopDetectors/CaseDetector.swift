/// A detector is a fold over one case's events in time order: `init` sees the opening (event 0), `step` each
/// later event with the one before it, `finish` the last. Batch analysis folds every case of a log; the live
/// server replays the case it just changed through the same code.
public protocol CaseDetector {
    init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext)
    mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext)
    mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome)
}

/// The case-level facts a detector may read besides its events.
public struct CaseHeader: Sendable {
    public var index: Int
    public var caseType: UInt32
    public var kind: CaseKindCode?
    public var procedure: String?
    public var eventCount: Int
    /// The official a complaint is about or a denunciation accuses (string id; 0 when not known).
    public var concerning: UInt32
    /// The unit whose head (or a deputy) the law names to decide (string id; 0 when not known).
    public var decidingBody: UInt32

    public init(
        index: Int, caseType: UInt32, kind: CaseKindCode?, procedure: String?, eventCount: Int, concerning: UInt32 = 0, decidingBody: UInt32 = 0
    ) {
        self.index = index
        self.caseType = caseType
        self.kind = kind
        self.procedure = procedure
        self.eventCount = eventCount
        self.concerning = concerning
        self.decidingBody = decidingBody
    }
}

/// An idle period long enough to be a stalling candidate; whether it is one depends on the peer median of its
/// step, known only when every case has been seen.
public struct StallCandidate: Sendable, Equatable {
    public var idle: Int32
    /// Activity of the event that started the idle period (the "step").
    public var step: UInt32
    public var from: Int32
    public var to: Int32
    public var owner: UInt32
    /// Over the allotted-time share on its own (no peer comparison needed).
    public var overShare: Bool
    public var allotted: Int32
}

/// What folding one case produced: findings decided on the case alone, and the facts that cross-case
/// judgements (relative thresholds, accumulation) need.
public struct CaseOutcome: Sendable {
    public var caseIndex: Int
    public var caseType: UInt32
    public var events: Int
    public var durationMillis: Int64
    public var findings: [DetectorFinding] = []
    /// Owner changes (|H| − 1), with the positions where the owner changed and the owner who passed it on most.
    public var transfers: Int = 0
    public var transferEvidence: [Int32] = []
    public var transferOwner: UInt32 = 0
    /// Returns to an earlier owner (person or unit level, whichever is more).
    public var pingPongs: Int = 0
    /// Idle periods (working days) by step, for the peer medians; and the candidates.
    public var idle: [(step: UInt32, days: Int32)] = []
    public var stallCandidates: [StallCandidate] = []
    /// A minor finding (a dossier held at intake past the forwarding deadline) counted for accumulation.
    public var minor: (owner: UInt32, day: Int32, position: Int32)?

    public init(caseIndex: Int, caseType: UInt32, events: Int, durationMillis: Int64) {
        self.caseIndex = caseIndex
        self.caseType = caseType
        self.events = events
        self.durationMillis = durationMillis
    }
}

extension CaseEvent {
    /// The owner changed with this event (a closing is not a move).
    @inline(__always) func moved(from previous: CaseEvent) -> Bool { owner != 0 && owner != previous.owner }
    @inline(__always) func closes(after previous: CaseEvent) -> Bool { status == .closed && previous.status != .closed }
}
