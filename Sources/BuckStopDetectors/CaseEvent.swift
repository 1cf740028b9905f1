/// What an activity means for accountability. A log's own activity names are mapped onto these roles
/// (`LogMapping`); BuckStop's own actions have a fixed mapping. Detectors read roles, never names.
public enum ActivityRole: UInt8, Sendable, CaseIterable, Hashable {
    case other
    case open, assignment, acceptance, transfer, escalation, delegation, consultation, opinion
    case supplementRequest, supplementReceived, reschedule, `extension`, decline, decision, resolution, closing, reopen
    /// Tạm đình chỉ and tiếp tục giải quyết: the clock stands still in between.
    case suspension, resumption
    /// A periodic citizen-reception session of the head's schedule (tiếp công dân định kỳ), in a reception book; who
    /// received is the event's target, else its actor.
    case reception
    /// Không thụ lý: the letter is refused acceptance on a ground the law allows; the case ends. An intake outcome.
    case refusal
    /// Hướng dẫn: the sender is told to go to the competent body outside; the case ends. An intake outcome.
    case guidance
    /// Đơn trùng: closed as a duplicate of an earlier case, whose matter is judged there. An intake outcome; nothing
    /// after intake is judged on the duplicate.
    case duplicate
    /// Rút đơn: the whole letter withdrawn, the handling ends (đình chỉ). Like a closing it finishes the case's clocks,
    /// and before acceptance it ends the intake step.
    case withdrawal
    /// Trình dự thảo: a task's draft goes up to its approver, who holds it (and its wait) until approving or returning
    /// it. An approval round trip is review, not avoidance: the owner-sequence detectors leave it out.
    case submission
    /// Trả lại dự thảo: the approver sends the draft back to its drafter for revision.
    case revision

    /// A step of a draft's approval round trip, which moves the owner without being a hand-over.
    public var isApprovalTrip: Bool { self == .submission || self == .revision }

    /// The intake outcomes that end a letter's case (refusal, guidance, duplicate).
    public var endsAtIntake: Bool {
        switch self {
        case .refusal, .guidance, .duplicate: true
        default: false
        }
    }

    /// The key used in mapping files.
    public var mappingKey: String {
        switch self {
        case .other: "other"
        case .open: "open"
        case .assignment: "assignment"
        case .acceptance: "acceptance"
        case .transfer: "transfer"
        case .escalation: "escalation"
        case .delegation: "delegation"
        case .consultation: "consultation"
        case .opinion: "opinion"
        case .supplementRequest: "supplement_request"
        case .supplementReceived: "supplement_received"
        case .reschedule: "reschedule"
        case .`extension`: "extension"
        case .decline: "decline"
        case .decision: "decision"
        case .resolution: "resolution"
        case .closing: "closing"
        case .reopen: "reopen"
        case .suspension: "suspension"
        case .resumption: "resumption"
        case .reception: "reception"
        case .refusal: "refusal"
        case .guidance: "guidance"
        case .duplicate: "duplicate"
        case .withdrawal: "withdrawal"
        case .submission: "submission"
        case .revision: "revision"
        }
    }

    public init?(mappingKey: String) {
        guard let role = Self.allCases.first(where: { $0.mappingKey == mappingKey }) else { return nil }
        self = role
    }
}

/// Status of a case after an event, as far as the detectors need it.
public enum TraceStatus: UInt8, Sendable {
    case open, processing, awaitingSupplement, resolved, closed
    /// The handling is suspended (tạm đình chỉ): no clock runs, no idle time counts.
    case suspended

    public var isOpen: Bool { self != .closed }
    /// Still being worked on: neither resolved (a task done, a decision made) nor closed — what `overlap` counts as a task
    /// in force.
    public var isInForce: Bool { self != .closed && self != .resolved }
}

/// One event of one case as the detectors see it. Values are ids in the analysis' string table (0 = absent).
public struct CaseEvent: Sendable {
    /// Milliseconds since the Unix epoch (UTC).
    public var time: Int64
    /// Local civil day (days since 1970-01-01) in the log's time zone.
    public var day: Int32
    public var activity: UInt32
    public var role: ActivityRole
    /// Who acted (0 when the log does not say).
    public var actor: UInt32
    /// The accountable owner after the event: the owner attribute, else the previous owner; 0 once closed.
    public var owner: UInt32
    public var status: TraceStatus
    /// A date the event carries (opening due date, extension's new date…), as a local day; `CaseEvent.noDay` if none.
    public var due: Int32
    /// Whom the event sends the case to (an owner), or the unit(s) it consults / that answer.
    public var target: UInt32

    public static let noDay = Int32.min

    public init(
        time: Int64, day: Int32, activity: UInt32, role: ActivityRole, actor: UInt32, owner: UInt32, status: TraceStatus,
        due: Int32 = CaseEvent.noDay, target: UInt32 = 0
    ) {
        self.time = time
        self.day = day
        self.activity = activity
        self.role = role
        self.actor = actor
        self.owner = owner
        self.status = status
        self.due = due
        self.target = target
    }
}

/// One case: who it is, what kind, and its events in time order. Event 0 is the opening.
public struct CaseTrace: Sendable {
    /// Position of the case in the log (0-based), the key of its findings.
    public var index: Int
    public var name: UInt32
    /// The value of the case-type attribute (relative thresholds compare like with like); 0 when none.
    public var caseType: UInt32
    public var kind: CaseKindCode?
    public var procedure: String?
    public var events: [CaseEvent]
    /// The official the case is about (a complaint) or accuses (a denunciation); 0 when not known.
    public var concerning: UInt32
    /// The unit whose head decides (thẩm quyền giải quyết); 0 when not known.
    public var decidingBody: UInt32

    public init(
        index: Int, name: UInt32, caseType: UInt32, kind: CaseKindCode?, procedure: String?, events: [CaseEvent], concerning: UInt32 = 0,
        decidingBody: UInt32 = 0
    ) {
        self.index = index
        self.name = name
        self.caseType = caseType
        self.kind = kind
        self.procedure = procedure
        self.events = events
        self.concerning = concerning
        self.decidingBody = decidingBody
    }
}
