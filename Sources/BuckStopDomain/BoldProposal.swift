/// Đề xuất đổi mới, sáng tạo (Nghị định 73/2023/NĐ-CP): an official who wants to act where the rules are silent, unclear or
/// in the way says so before acting — the problem, what they propose to do, on what legal basis or which gap it fills, the
/// benefit expected and the risks — and the competent authority approves or declines it on the ledger. The signed,
/// timestamped approval is what later protects them: a finding on a case they acted on under it is reviewed against the
/// decree's criteria (`ProtectionReview`), and while every criterion holds, no discipline follows.
///
/// A proposal is a case of kind `proposal`: opened by the proposer, held from the start by the authority who must decide
/// (so sitting on a proposal is sitting on a case), closed by the decision.
public struct BoldProposal: Sendable, Hashable {
    /// Vấn đề: what stands in the way today.
    public var problem: String
    /// Giải pháp đề xuất: what the official proposes to do.
    public var action: String
    /// Căn cứ pháp lý hoặc khoảng trống: the rule it relies on, or the gap in the rules it fills.
    public var basis: String
    /// Hiệu quả dự kiến.
    public var benefit: String
    /// Rủi ro và biện pháp phòng ngừa.
    public var risks: String

    public init(problem: String, action: String, basis: String, benefit: String, risks: String) {
        self.problem = problem
        self.action = action
        self.basis = basis
        self.benefit = benefit
        self.risks = risks
    }

    /// Every part is written: an approval of half a proposal protects nothing anyone can later check.
    func check(action name: String) throws(DomainError) {
        for (field, text) in [("problem", problem), ("action", action), ("basis", basis), ("benefit", benefit), ("risks", risks)] {
            try CaseState.requireText(text, action: name, field: "proposal.\(field)")
        }
    }
}

/// The review of a finding against the decree's criteria, written with the review (`ActionBody.reviewFinding`): the
/// proposal the case was acted on under and the criteria the reviewer found not met. Every criterion met is protection:
/// the finding may be upheld (what happened, happened) but no discipline or referral follows it (`Finding.decide`).
public struct ProtectionReview: Sendable, Hashable {
    public var proposal: CaseID
    /// Codes of the rulebook's `ProtectionCriterion`s not met; empty when all are.
    public var unmet: [String]

    public init(proposal: CaseID, unmet: [String]) {
        self.proposal = proposal
        self.unmet = unmet
    }

    public var isProtected: Bool { unmet.isEmpty }
}

/// Why a step of a proposal, or a reliance on one, was refused.
public enum ProposalRefusal: Sendable, Equatable, CustomStringConvertible {
    case proposalRequired
    case proposalOnlyForProposals
    /// The authority is a head of the proposer's unit or of a unit above it.
    case authorityNotAbove(OfficialID, proposer: String)
    case notAProposal(CaseID)
    case alreadyDecided
    /// A proposal ends by its decision, not as a case does.
    case endsByDecision
    case proposalNotApproved(CaseID)
    /// Only the official who made the proposal acts under it: the protection is theirs.
    case onlyProposerActsUnder(proposer: OfficialID?)
    case cannotActUnder(kind: CaseKind)
    case alreadyActingUnder(CaseID)
    /// The finding's case was acted on under an approved proposal of the official concerned: the review says whether
    /// the decree's criteria hold.
    case protectionReviewRequired(proposal: CaseID)
    case noProposalToReview
    case wrongProposal(expected: CaseID, found: CaseID)
    case unknownCriterion(String, known: [String])
    case repeatedCriterion(String)
    /// Every criterion held: the official is protected, and no discipline or referral follows.
    case protected(proposal: CaseID)

    public var description: String { english }

    public var english: String {
        switch self {
        case .proposalRequired: "a proposal case carries the proposal: problem, action, basis, benefit and risks"
        case .proposalOnlyForProposals: "only a case of kind proposal carries a proposal"
        case .authorityNotAbove(let authority, let proposer):
            "\(authority.rawValue) is not a head of \(proposer)'s unit or of a unit above it, so cannot decide the proposal"
        case .notAProposal(let id): "\(id.rawValue) is not a proposal"
        case .alreadyDecided: "the proposal has been decided"
        case .endsByDecision: "a proposal is answered by approving or declining it (proposal_decided), not by this step"
        case .proposalNotApproved(let id): "proposal \(id.rawValue) has not been approved"
        case .onlyProposerActsUnder(let proposer): "only the proposer (\(proposer?.rawValue ?? "unknown")) acts under a proposal"
        case .cannotActUnder(let kind): "a case of kind \(kind.rawValue) is not acted on under a proposal"
        case .alreadyActingUnder(let id): "this case is already acted on under proposal \(id.rawValue)"
        case .protectionReviewRequired(let id):
            "the case was acted on under approved proposal \(id.rawValue): the review assesses the decree's criteria (protection)"
        case .noProposalToReview: "the case was not acted on under an approved proposal of the official concerned; there is no protection to assess"
        case .wrongProposal(let expected, let found): "the case was acted on under proposal \(expected.rawValue), not \(found.rawValue)"
        case .unknownCriterion(let code, let known): "the rulebook has no protection criterion \(code); it has \(known)"
        case .repeatedCriterion(let code): "criterion \(code) is named twice"
        case .protected(let id): "the official acted under approved proposal \(id.rawValue) and every criterion held: no discipline or referral"
        }
    }

    public var vietnamese: String {
        switch self {
        case .proposalRequired: "đề xuất phải ghi đủ: vấn đề, giải pháp, căn cứ, hiệu quả dự kiến và rủi ro"
        case .proposalOnlyForProposals: "chỉ hồ sơ đề xuất đổi mới, sáng tạo mới có nội dung đề xuất"
        case .authorityNotAbove(let authority, let proposer):
            "\(authority.rawValue) không phải người đứng đầu đơn vị của \(proposer) hoặc cấp trên, không có thẩm quyền quyết định đề xuất"
        case .notAProposal(let id): "\(id.rawValue) không phải đề xuất đổi mới, sáng tạo"
        case .alreadyDecided: "đề xuất đã được quyết định"
        case .endsByDecision: "đề xuất được trả lời bằng quyết định chấp thuận hoặc không chấp thuận, không bằng bước này"
        case .proposalNotApproved(let id): "đề xuất \(id.rawValue) chưa được chấp thuận"
        case .onlyProposerActsUnder(let proposer): "chỉ người đề xuất (\(proposer?.rawValue ?? "không rõ")) mới thực hiện theo đề xuất"
        case .cannotActUnder(let kind): "hồ sơ loại \(kind.nameViInSentence) không thực hiện theo đề xuất"
        case .alreadyActingUnder(let id): "hồ sơ đã được ghi thực hiện theo đề xuất \(id.rawValue)"
        case .protectionReviewRequired(let id):
            "hồ sơ được thực hiện theo đề xuất đã chấp thuận \(id.rawValue): kết luận phải đánh giá các tiêu chí bảo vệ"
        case .noProposalToReview: "hồ sơ không thực hiện theo đề xuất đã chấp thuận của người liên quan; không có tiêu chí bảo vệ để đánh giá"
        case .wrongProposal(let expected, let found): "hồ sơ thực hiện theo đề xuất \(expected.rawValue), không phải \(found.rawValue)"
        case .unknownCriterion(let code, let known): "bộ quy tắc không có tiêu chí \(code); các tiêu chí: \(known.joined(separator: ", "))"
        case .repeatedCriterion(let code): "tiêu chí \(code) bị ghi hai lần"
        case .protected(let id):
            "cán bộ thực hiện theo đề xuất đã chấp thuận \(id.rawValue) và đáp ứng mọi tiêu chí: không xử lý kỷ luật, không chuyển cơ quan điều tra"
        }
    }
}

extension CaseState {
    /// The authority decides a proposal, once: approved or declined, with a note; the proposal is then closed — the
    /// decision is its result, and the official acts (or not) on their own cases.
    mutating func applyProposalDecision(
        approve: Bool, note: String, name: String, action: Action, actorID: OfficialID?, in org: Organization?
    ) throws(DomainError) {
        try requireOwner(actorID, action: name, actor: action.actor)
        guard kind == .proposal else { throw .invalidField(action: name, field: "case", reason: .proposal(.notAProposal(id))) }
        guard !decided else { throw .invalidField(action: name, field: "case", reason: .proposal(.alreadyDecided)) }
        try requireActive(name)
        // Whoever holds it now (it may have gone up, or been assigned), the decision is a head's over the proposer's unit.
        if let org, let actorID {
            guard let actor = org.official(actorID), actor.roles.contains(.head), org.isWithin(leadUnit, subtreeOf: actor.unit) else {
                throw .notPermitted(
                    action: name, actor: actorID.rawValue, reason: .proposal(.authorityNotAbove(actorID, proposer: leadUnit.rawValue)))
            }
        }
        // A decline says why: the proposer reads it, and an inspector later weighs whether fear of responsibility spoke.
        if !approve || !Self.isBlank(note) { try Self.requireText(note, action: name, field: "note") }
        decided = true
        close(at: action.at)
    }

    /// A proposal ends by its decision (`decideProposal`): it is not decided, resolved or closed as a case is, which would
    /// end it with no answer to the proposer. Other steps (consulting, going up, a note) are its authority's to take.
    func requireFitsProposal(_ body: ActionBody, action name: String) throws(DomainError) {
        guard kind == .proposal else { return }
        switch body {
        case .decide, .resolve, .close, .requestSupplement, .reschedule, .extend, .suspend, .refuseIntake, .guide, .markDuplicate, .withdraw,
            .dialogue, .progress, .submitDraft, .approveDraft, .returnDraft, .cancel, .submitReport, .recordViolation, .concludeInspection,
            .actUnderProposal:
            throw .invalidField(action: name, field: "case", reason: .proposal(.endsByDecision))
        default:
            return
        }
    }

    /// The proposer sits in the lead unit; the authority holding the proposal is a head of that unit or of one above it,
    /// and not the proposer.
    static func requireProposalAuthority(_ open: OpenCase, actor: Actor, in org: Organization) throws(DomainError) {
        let name = ActionType.open.rawValue
        guard let proposerID = actor.officialID, let proposer = org.official(proposerID) else {
            throw .notPermitted(action: name, actor: actor.stored, reason: .onlyOfficialActs)
        }
        guard org.isWithin(proposer.unit, subtreeOf: open.leadUnit) else {
            throw .invalidField(action: name, field: "leadUnit", reason: .ownerOutsideLeadUnit(proposerID, lead: open.leadUnit))
        }
        guard let authority = org.official(open.owner), authority.roles.contains(.head), authority.id != proposerID,
            org.isWithin(open.leadUnit, subtreeOf: authority.unit)
        else {
            throw .invalidField(action: name, field: "owner", reason: .proposal(.authorityNotAbove(open.owner, proposer: proposerID.rawValue)))
        }
    }

    /// The owner of a case records that they act on it under an approved proposal; whether the proposal is approved and
    /// theirs is the writer's check (it reads the proposal's entries, `ProposalRecord`).
    func checkActUnder(note: String, name: String, action: Action, actorID: OfficialID?) throws(DomainError) {
        try requireOwner(actorID, action: name, actor: action.actor)
        try requireActive(name)
        guard [.dossier, .task, .complaint, .denunciation, .petition].contains(kind) else {
            throw .invalidField(action: name, field: "case", reason: .proposal(.cannotActUnder(kind: kind)))
        }
        try Self.requireText(note, action: name, field: "note")
    }
}

/// A proposal as its ledger tells it: the proposal, who made it and when, the authority, and the decision with its entry's
/// index (the record that protects). Pure, like `InspectionRecord`: the writer, the pages and the demo read it.
public struct ProposalRecord: Sendable, Hashable {
    public var caseID: CaseID
    public var title: String
    public var proposal: BoldProposal
    public var proposer: OfficialID?
    public var unit: UnitID
    public var authority: OfficialID
    public var openedAt: Int64
    public var decision: Decision?
    /// The cases acted on under it, in the order they said so (`ActionBody.proposalApplied`).
    public var applied: [CaseID] = []

    public struct Decision: Sendable, Hashable {
        public var approved: Bool
        public var note: String
        public var by: OfficialID?
        public var at: Int64
        public var index: Int64
    }

    public var isApproved: Bool { decision?.approved == true }

    /// The record of one case's entries, in order; nil unless the first opens a proposal.
    public init?(caseID: CaseID, records: [(index: Int64, action: Action)]) {
        guard let first = records.first, case .open(let open) = first.action.body, open.kind == .proposal, let proposal = open.proposal
        else { return nil }
        self.caseID = caseID
        title = open.title
        self.proposal = proposal
        proposer = first.action.actor.officialID
        unit = open.leadUnit
        authority = open.owner
        openedAt = first.action.at
        for (index, action) in records.dropFirst() {
            switch action.body {
            case .decideProposal(let approve, let note):
                decision = Decision(approved: approve, note: note, by: action.actor.officialID, at: action.at, index: index)
            case .proposalApplied(let other):
                applied.append(other)
            default:
                break
            }
        }
    }
}

extension ActionBody {
    /// The proposal a case is acted on under, if this entry says so.
    public var proposalRelied: CaseID? {
        if case .actUnderProposal(let proposal, _, _) = self { return proposal }
        return nil
    }
}
