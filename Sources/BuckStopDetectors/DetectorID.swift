import BuckStopDomain

/// The behaviour catalogue of DESIGN.md, in report order.
public enum DetectorID: String, Sendable, CaseIterable, Hashable, Codable {
    case transfers
    case pingPong = "ping_pong"
    case upwardPush = "upward_push"
    case shuttle
    case consultationRounds = "consultation_rounds"
    case stalling
    case overdue
    case noApology = "no_apology"
    case repeatReschedule = "repeat_reschedule"
    case repeatSupplement = "repeat_supplement"
    case jurisdictionRefusal = "jurisdiction_refusal"
    case lateIntake = "late_intake"
    case extensionAbuse = "extension_abuse"
    case overlap
    case selfInspectionMiss = "self_inspection_miss"
    case accumulation
    case rework
    case conflictOfInterest = "conflict_of_interest"
    case wrongLevel = "wrong_level"
    case receptionSkipped = "reception_skipped"
    case receptionDelegated = "reception_delegated"
    /// The remediation ordered on an upheld finding was not done by its due date (judged live: it is part of the finding
    /// workflow, which exported logs leave out).
    case lateRemediation = "late_remediation"

    public var nameVi: String {
        switch self {
        case .transfers: "Chuyển xử lý nhiều lần"
        case .pingPong: "Đùn đẩy qua lại"
        case .upwardPush: "Đẩy trách nhiệm lên trên"
        case .shuttle: "Trình lên trình xuống"
        case .consultationRounds: "Lấy ý kiến nhiều vòng"
        case .stalling: "Làm việc cầm chừng"
        case .overdue: "Trễ hạn"
        case .noApology: "Trễ hạn không xin lỗi"
        case .repeatReschedule: "Hẹn lại nhiều lần"
        case .repeatSupplement: "Yêu cầu bổ sung nhiều lần"
        case .jurisdictionRefusal: "Từ chối, chuyển sai thẩm quyền"
        case .lateIntake: "Chậm tiếp nhận, chậm chuyển"
        case .extensionAbuse: "Gia hạn vượt quy định"
        case .overlap: "Chồng chéo"
        case .selfInspectionMiss: "Tự kiểm tra không phát hiện"
        case .accumulation: "Chậm trễ nhỏ lặp lại"
        case .rework: "Làm lại"
        case .conflictOfInterest: "Xung đột lợi ích"
        case .wrongLevel: "Quyết định sai thẩm quyền"
        case .receptionSkipped: "Không tiếp công dân định kỳ đủ số ngày"
        case .receptionDelegated: "Ủy quyền cho cấp phó tiếp công dân định kỳ khi luật không cho phép"
        case .lateRemediation: "Chậm khắc phục sau kết luận"
        }
    }

    public var nameEn: String {
        switch self {
        case .transfers: "Many transfers"
        case .pingPong: "Ping-pong between owners"
        case .upwardPush: "Pushed upward undecided"
        case .shuttle: "Up-and-down shuttle"
        case .consultationRounds: "Endless consultation"
        case .stalling: "Stalling"
        case .overdue: "Overdue"
        case .noApology: "Overdue without apology"
        case .repeatReschedule: "Repeated reschedules"
        case .repeatSupplement: "Repeated supplement requests"
        case .jurisdictionRefusal: "Refusing jurisdiction"
        case .lateIntake: "Late intake or forwarding"
        case .extensionAbuse: "Extension beyond the rules"
        case .overlap: "Overlap"
        case .selfInspectionMiss: "Self-inspection missed it"
        case .accumulation: "Minor delays piling up"
        case .rework: "Rework"
        case .conflictOfInterest: "Conflict of interest"
        case .wrongLevel: "Decided without competence"
        case .receptionSkipped: "Scheduled citizen reception skipped"
        case .receptionDelegated: "Citizen reception handed to a deputy"
        case .lateRemediation: "Remediation late"
        }
    }
}

public enum Severity: UInt8, Sendable, Comparable, Codable, CaseIterable {
    case low, medium, high

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    /// The weight a stored finding carries (live findings and reports over a log alike).
    public var findingSeverity: BuckStopDomain.Severity {
        switch self {
        case .low: .minor
        case .medium: .major
        case .high: .severe
        }
    }

    public var name: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        }
    }
}

/// Why a finding names the official it names (DESIGN.md, "Fairness of findings"): each detector states whom it
/// holds responsible, and the reader of a finding sees which rule chose the person.
public enum Attribution: UInt8, Sendable, Equatable, CaseIterable {
    /// The official who held the case, or acted, when the behaviour happened (most detectors).
    case holder
    /// ping_pong: the case came back to the official who had sent it out — to someone outside the mandate, or (without
    /// a mandate to tell) once only; sending it back corrected a misrouting, so the misrouter is the one to look at.
    case misrouted
    /// ping_pong: the case went back and forth; the first official who sent it back — inside the mandate, or more
    /// than once without a mandate to tell.
    case sentBack
    /// upward_push: a superior sent an escalation (which carries the subordinate's proposal) back down without deciding.
    case returnedUndecided
    /// upward_push on a task: its holder handed it to someone above without an escalation (which would carry a
    /// proposal) — the work went back up with no position taken.
    case pushedUpWithoutProposal
}

/// A place to look, with evidence. Numbers, not sentences: `Explanation` renders the one-line text.
public struct DetectorFinding: Sendable, Equatable {
    public var detector: DetectorID
    /// `CaseTrace.index` of the case.
    public var caseIndex: Int
    /// The owner responsible at the time (string id; 0 when unknown).
    public var owner: UInt32
    public var severity: Severity
    /// Positions (0-based) of the events that are the evidence, in the case's time-ordered events.
    public var evidence: [Int32]
    /// The measured value (a count, working days…) and the limit it went past.
    public var value: Double
    public var limit: Double
    /// The local day the finding concerns (for accumulation windows); `CaseEvent.noDay` if none.
    public var day: Int32
    /// Which rule chose `owner`.
    public var attribution: Attribution

    public init(
        detector: DetectorID, caseIndex: Int, owner: UInt32, severity: Severity, evidence: [Int32], value: Double, limit: Double,
        day: Int32 = CaseEvent.noDay, attribution: Attribution = .holder
    ) {
        self.detector = detector
        self.caseIndex = caseIndex
        self.owner = owner
        self.severity = severity
        self.evidence = evidence
        self.value = value
        self.limit = limit
        self.day = day
        self.attribution = attribution
    }
}
