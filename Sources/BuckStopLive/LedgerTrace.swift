import BuckStopDetectors
import BuckStopDomain
import BuckStopEventLog

/// One case's ledger entries as the detectors' events, with the ledger index of each event so that evidence
/// positions become ledger indices. Finding entries are skipped: they are about the handling, not steps of it.
public struct LedgerTrace: Sendable {
    public var trace: CaseTrace
    /// Ledger index of each event, by position.
    public var indices: [Int64]
    /// Target lists (several consulted units) this case introduced, to add to the context.
    var targetLists: [UInt32: [UInt32]]
    /// Strings of this case that are not in the model (external actors, joined unit lists), by id.
    var extraNames: [UInt32: String]

    /// The replay's state after the last entry added, so that later entries can be added without starting over.
    private var state: CaseState?
    private var owner: UInt32 = 0
    private var status = TraceStatus.open
    private var extraIDs: [String: UInt32] = [:]
    private var nextExtra: UInt32
    /// Ledger index of the last entry added (finding entries included), -1 before any.
    public private(set) var lastIndex: Int64 = -1

    /// Replays the domain to know the owner and status after each entry, as `LedgerExport` does for exports.
    public init(caseIndex: Int, records: [(index: Int64, action: Action)], model: LiveModel) {
        self.init(caseIndex: caseIndex, model: model)
        for (index, action) in records { add(index: index, action: action, model: model) }
    }

    /// An empty replay, to which entries are added in ledger order.
    public init(caseIndex: Int, model: LiveModel) {
        trace = CaseTrace(index: caseIndex, name: 0, caseType: 0, kind: nil, procedure: nil, events: [])
        indices = []
        targetLists = [:]
        extraNames = [:]
        nextExtra = UInt32(model.names.count)
    }

    private mutating func id(_ s: String, model: LiveModel) -> UInt32 {
        let known = model.id(s)
        if known != 0 { return known }
        if let e = extraIDs[s] { return e }
        nextExtra += 1
        extraIDs[s] = nextExtra
        extraNames[nextExtra] = s
        return nextExtra
    }

    /// Adds the next entry of the case (entries must come in ledger order; finding entries are only counted).
    public mutating func add(index: Int64, action: Action, model: LiveModel) {
        lastIndex = index
        guard !action.body.isRecordKeeping else { return }
        let org = model.organization
        if case .open(let open) = action.body {
            state = try? CaseState(opening: action, in: org)
            trace.kind = open.kind
            trace.procedure = open.procedure
            trace.caseType = model.id(open.kind.rawValue)
            trace.concerning = open.concerning?.official.map { id($0.rawValue, model: model) } ?? 0
            trace.decidingBody = open.decidingBody.map { id($0.rawValue, model: model) } ?? 0
            owner = id(open.owner.rawValue, model: model)
            status = .open
        } else if var replayed = state, (try? replayed.apply(action, in: org)) != nil {
            state = replayed
            owner = replayed.owner.map { id($0.rawValue, model: model) } ?? 0
            status = replayed.isSuspended ? .suspended : Self.traceStatus(replayed.status)
        } else {
            state = nil
            if action.body.endsCase {
                owner = 0
                status = .closed
            } else {
                if let to = action.body.newOwner { owner = id(to.rawValue, model: model) }
                switch action.body.type {
                case .requestSupplement: status = .awaitingSupplement
                case .supplementReceived, .reopen, .resume: status = .processing
                case .suspend: status = .suspended
                case .resolve: status = .resolved
                default: break
                }
            }
        }
        let due = LogVocabulary.due(of: action.body).map(WorkingDayIndex.day) ?? CaseEvent.noDay
        var target: UInt32 = 0
        if case .consult(let units, _, _) = action.body, units.count > 1 {
            target = id(units.map(\.rawValue).joined(separator: ","), model: model)
            targetLists[target] = units.map { id($0.rawValue, model: model) }
        } else if let t = LogVocabulary.target(of: action.body) {
            target = id(t, model: model)
        }
        let activity = model.id(action.body.type.rawValue)
        trace.events.append(
            CaseEvent(
                time: action.at, day: model.localDay(action.at), activity: activity, role: Self.role(action.body.type),
                actor: id(action.actor.stored, model: model), owner: owner, status: status, due: due, target: target))
        indices.append(index)
    }

    static func traceStatus(_ status: CaseStatus) -> TraceStatus {
        switch status {
        case .received: .open
        case .processing: .processing
        case .awaitingSupplement: .awaitingSupplement
        case .resolved: .resolved
        case .closed: .closed
        }
    }

    /// The roles of BuckStop's own actions (the same table as the synthetic mapping file).
    static func role(_ type: ActionType) -> ActivityRole {
        switch type {
        case .open: .open
        case .assign: .assignment
        case .accept: .acceptance
        case .transfer: .transfer
        case .escalate: .escalation
        case .delegate: .delegation
        case .consult: .consultation
        case .opinion: .opinion
        case .requestSupplement: .supplementRequest
        case .supplementReceived: .supplementReceived
        case .reschedule: .reschedule
        case .extend: .extension
        case .decline: .decline
        case .decide: .decision
        case .resolve: .resolution
        case .close: .closing
        case .reopen: .reopen
        case .suspend: .suspension
        case .resume: .resumption
        case .receptionPeriodic: .reception
        case .refuseIntake: .refusal
        case .guide: .guidance
        case .duplicate: .duplicate
        case .withdrawal: .withdrawal
        // A draft goes up to its approver: the owner and the wait move, but as review, not as a hand-over or a push up.
        case .submitDraft, .submitReport: .submission
        case .returnDraft: .revision
        case .approveDraft: .resolution
        case .cancel: .closing
        case .progress, .recordViolation: .other
        // The conclusion is the inspection's result.
        case .concludeInspection: .resolution
        // A proposal's decision is its result.
        case .decideProposal: .resolution
        case .duplicateLinked,
            .comment, .rate, .raiseFinding, .explainFinding, .reviewFinding, .decideConsequence, .completeRemediation, .revealIdentity,
            .receptionOther, .withdrawalPartial,
            .withdrawalContinued, .dialogue, .actUnderProposal, .proposalApplied:
            .other
        }
    }

    /// The name behind an id of this trace (model strings or this case's own).
    func name(_ id: UInt32, model: LiveModel) -> String { extraNames[id] ?? model.name(id) }
}
