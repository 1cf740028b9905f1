import BuckStopCalendar

/// What a citizen may see of one ledger entry about their case: the steps of the case, who holds it, the due date,
/// apologies and new dates, and the result — never findings, their explanations and reviews, internal notes,
/// proposals, instructions, questions to other units or their opinions (DESIGN.md, "Fairness of findings": citizens
/// never see findings, explanations or internal proposals about their case; a finding is not yet a violation).
///
/// One decision, here, so that the tracking page and anything else shown to a citizen cannot differ; a step carries
/// only the public fields, so a page cannot show an internal one by mistake.
public enum CitizenStep: Sendable, Hashable {
    case received(owner: OfficialID, dueDate: CivilDate?)
    /// Given to, handed to, passed up or down to this official (the internal note, reason, proposal or instruction
    /// left out).
    case handedTo(OfficialID, ActionType)
    /// Taken up; for a complaint or a denunciation, accepted (thụ lý) with the due date that starts.
    case accepted(dueDate: CivilDate?)
    /// Other units were asked for their opinion (the question and the answers are internal).
    case consulting(units: [UnitID], until: CivilDate)
    case supplementRequested(missing: [String])
    case supplementReceived(newDueDate: CivilDate?)
    case rescheduled(newDueDate: CivilDate, apology: String)
    case extended(newDueDate: CivilDate, legalBasis: String)
    /// The decision to suspend is sent to the complainant or denouncer (NĐ 155/2026 Đ.28b): so is its reason.
    case suspended(legalBasis: String, reason: String)
    case resumed(newDueDate: CivilDate?)
    case declined(competentUnit: String, legalBasis: String, reason: String)
    case decided(decision: String)
    case resolved(result: String)
    case closed(outcome: String)
    case reopened(reason: String)
    case rated(score: Int)
    /// Not accepted (không thụ lý): the ground (a rulebook row's id, which the page words in the law's terms) and the
    /// reason given for this letter — the law requires the sender be told why.
    case refused(ground: String, reason: String)
    /// The sender is guided to the competent body outside the organisation (hướng dẫn), on this legal basis.
    case guided(body: String, legalBasis: String, note: String)
    /// The letter repeats an earlier case's matter and is handled there.
    case duplicateOf(CaseID)
    /// The sender's withdrawal as recorded: of a part (`part`) or of the whole; `continues` when the handling goes on
    /// despite it (the reason, which may be about the accused's conduct, stays internal).
    case withdrawn(part: String?, continues: Bool)
    /// A dialogue was held (or the complainant invited did not come), with its outcome, as the minutes the complainant
    /// signs record it.
    case dialogueHeld(outcome: String, attended: Bool)

    /// The public step of an action, or nil when the action is internal.
    public init?(_ body: ActionBody) {
        switch body {
        case .open(let o): self = .received(owner: o.owner, dueDate: o.dueDate)
        case .assign(let to, _): self = .handedTo(to, .assign)
        case .transfer(let to, _): self = .handedTo(to, .transfer)
        case .escalate(let to, _): self = .handedTo(to, .escalate)
        case .delegate(let to, _): self = .handedTo(to, .delegate)
        case .accept(_, let due): self = .accepted(dueDate: due)
        case .consult(let units, _, let due): self = .consulting(units: units, until: due)
        case .requestSupplement(let missing): self = .supplementRequested(missing: missing)
        case .supplementReceived(_, let due): self = .supplementReceived(newDueDate: due)
        case .reschedule(let due, let apology): self = .rescheduled(newDueDate: due, apology: apology)
        case .extend(let due, let basis): self = .extended(newDueDate: due, legalBasis: basis)
        case .suspend(let basis, let reason): self = .suspended(legalBasis: basis, reason: reason)
        case .resume(_, let due): self = .resumed(newDueDate: due)
        case .decline(let basis, let unit, let reason, _): self = .declined(competentUnit: unit, legalBasis: basis, reason: reason)
        // The rationale can name officials and internal deliberation; the decision is the citizen's answer.
        case .decide(let decision, _): self = .decided(decision: decision)
        case .resolve(let result): self = .resolved(result: result)
        case .close(let outcome): self = .closed(outcome: outcome)
        case .reopen(_, let reason): self = .reopened(reason: reason)
        case .rate(let score, _): self = .rated(score: score)
        case .refuseIntake(let ground, let reason): self = .refused(ground: ground, reason: reason)
        case .guide(let body, let basis, let note): self = .guided(body: body, legalBasis: basis, note: note)
        case .markDuplicate(let other, _): self = .duplicateOf(other)
        case .withdraw(let w): self = .withdrawn(part: w.part, continues: w.continuing != nil)
        case .dialogue(let d): self = .dialogueHeld(outcome: d.outcome, attended: d.complainantAttended)
        // A reception book is the unit's register, not a citizen's case: nothing of it is a public step.
        // Tasks, programmes, inspections and proposals have no citizen: their steps are internal, and so is the note that a
        // case is acted on under a proposal.
        case .opinion, .comment, .raiseFinding, .explainFinding, .reviewFinding, .decideConsequence, .completeRemediation, .revealIdentity,
            .receptionHeld,
            .duplicateLinked, .progress, .submitDraft, .approveDraft, .returnDraft, .cancel, .submitReport, .recordViolation,
            .concludeInspection, .decideProposal, .actUnderProposal, .proposalApplied:
            return nil
        }
    }
}
