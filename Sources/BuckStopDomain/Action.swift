import BuckStopCalendar

/// Who took an action: an official, the citizen (e.g. a rating), or the system itself (e.g. a detector).
public enum Actor: Sendable, Hashable, Codable, CustomStringConvertible {
    case official(OfficialID)
    case citizen
    case system(String)

    /// Stored form: an official id, `@citizen`, or `@system:NAME`. Official ids never start with "@".
    public var stored: String {
        switch self {
        case .official(let id): id.rawValue
        case .citizen: "@citizen"
        case .system(let name): "@system:\(name)"
        }
    }

    public init?(stored: String) {
        if stored == "@citizen" {
            self = .citizen
        } else if stored.hasPrefix("@system:") {
            self = .system(String(stored.dropFirst("@system:".count)))
        } else if !stored.isEmpty, !stored.hasPrefix("@") {
            self = .official(OfficialID(stored))
        } else {
            return nil
        }
    }

    public var officialID: OfficialID? {
        if case .official(let id) = self { return id }
        return nil
    }

    public var description: String { stored }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let actor = Actor(stored: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad actor '\(text)'"))
        }
        self = actor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }
}

/// A pointer to personal data kept off the ledger: `ref` finds the encrypted record,
/// `hash` is a salted SHA-256 that lets the holder of the record prove it matches without the ledger revealing it.
public struct SubjectRef: Sendable, Hashable, Codable {
    public var ref: String
    public var hash: String
    public init(ref: String, hash: String) {
        self.ref = ref
        self.hash = hash
    }
}

/// The opening of a case: kind, procedure, who leads it and who holds it first.
public struct OpenCase: Sendable, Hashable {
    public var kind: CaseKind
    public var procedure: String?
    public var title: String
    public var leadUnit: UnitID
    public var collaborators: [UnitID]
    public var owner: OfficialID
    /// Computed from the rulebook in force at opening; recorded so replay never depends on today's rules.
    public var dueDate: CivilDate?
    public var ruleID: String?
    public var subject: SubjectRef?
    /// The documents received at intake (thành phần hồ sơ), in words: what the receipt lists and the applicant can
    /// later point to; never personal data (the applicant's details are sealed apart).
    public var documents: [String]
    /// What a complaint or denunciation is about inside the organisation (the body complained of, the accused).
    public var concerning: Concerning?
    /// The body whose head (or a deputy signing for them) decides, named from `concerning` by the rulebook's competence
    /// row in force at opening (`competenceRuleID`); recorded, like the due date, so replay never depends on today's rules.
    public var decidingBody: UnitID?
    public var competenceRuleID: String?
    /// The programme or plan a task or plan belongs to (a case of kind `programme`).
    public var parent: CaseID?
    /// The expected product of a task (sản phẩm: văn bản trình, báo cáo, đề án…).
    public var product: String?
    /// The document that issued a programme or plan, or assigned a task (số, ngày, người ký).
    public var document: IssuingDocument?
    /// What a report request asks for (only a programme case of level `report-request` carries one).
    public var template: ReportTemplate?
    /// What an inspection covers (only a programme case of an inspection level carries one).
    public var inspection: InspectionScope?
    /// What an innovative or bold proposal says (only a case of kind `proposal` carries one, NĐ 73/2023).
    public var proposal: BoldProposal?

    public init(
        kind: CaseKind, procedure: String? = nil, title: String, leadUnit: UnitID, collaborators: [UnitID] = [],
        owner: OfficialID, dueDate: CivilDate? = nil, ruleID: String? = nil, subject: SubjectRef? = nil, documents: [String] = [],
        concerning: Concerning? = nil, decidingBody: UnitID? = nil, competenceRuleID: String? = nil, parent: CaseID? = nil,
        product: String? = nil, document: IssuingDocument? = nil, template: ReportTemplate? = nil,
        inspection: InspectionScope? = nil, proposal: BoldProposal? = nil
    ) {
        self.kind = kind
        self.procedure = procedure
        self.title = title
        self.leadUnit = leadUnit
        self.collaborators = collaborators
        self.owner = owner
        self.dueDate = dueDate
        self.ruleID = ruleID
        self.subject = subject
        self.documents = documents
        self.concerning = concerning
        self.decidingBody = decidingBody
        self.competenceRuleID = competenceRuleID
        self.parent = parent
        self.product = product
        self.document = document
        self.template = template
        self.inspection = inspection
        self.proposal = proposal
    }
}

/// The closed set of things that can happen to a case. Fields the law requires are not optional here.
public enum ActionBody: Sendable, Hashable {
    case open(OpenCase)
    /// A head or the owner gives the case to someone.
    case assign(to: OfficialID, note: String)
    /// The new owner acknowledges it (tiếp nhận); for a complaint or a denunciation, acceptance (thụ lý), which starts
    /// the resolution clock: `dueDate` is the due date the rulebook gives from that day (`Rulebook.dueDate(acceptedAt:)`),
    /// filled in by the writer; nil where the clock started on receipt.
    case accept(note: String, dueDate: CivilDate? = nil)
    /// Hand to a peer, with the reason.
    case transfer(to: OfficialID, reason: String)
    /// Move up; the mover must state their own proposal (no empty escalations).
    case escalate(to: OfficialID, proposal: String)
    /// Hand down to a subordinate with an instruction.
    case delegate(to: OfficialID, instruction: String)
    /// Ask other units for an opinion by a date (lấy ý kiến).
    case consult(units: [UnitID], question: String, dueDate: CivilDate)
    /// A consulted unit answers.
    case opinion(unit: UnitID, text: String)
    /// Everything missing, listed at once (NĐ 61/2018 Đ.15.3).
    case requestSupplement(missing: [String])
    /// Supplements arrived; the clock restarts with a new due date.
    case supplementReceived(note: String, newDueDate: CivilDate?)
    /// Apology and a new appointment date (xin lỗi, hẹn lại), at most once by law.
    case reschedule(newDueDate: CivilDate, apology: String)
    /// Statutory extension, with its legal basis.
    case extend(newDueDate: CivilDate, legalBasis: String)
    /// Tạm đình chỉ: the handling of a complaint or a denunciation stops while something it depends on is settled
    /// elsewhere (Luật Tố cáo 2018 Đ.34; Luật Khiếu nại as amended by Luật 136/2025/QH15 from 1 July 2026); the time it
    /// stays suspended does not count towards the time limit.
    case suspend(legalBasis: String, reason: String)
    /// Tiếp tục giải quyết: the handling resumes; `newDueDate` is the due date moved on by the time suspended, filled in
    /// by the writer (nil when the case had no due date yet).
    case resume(note: String, newDueDate: CivilDate? = nil)
    /// Not competent: the legal basis and the unit that is. Inside the organisation the case goes to that unit's
    /// accountable head, recorded as `receiver` (`resolved(in:)` fills it in) so that replaying the entry never depends
    /// on who heads the unit later; outside it the case ends here and `receiver` is nil.
    case decline(legalBasis: String, competentUnit: String, reason: String, receiver: OfficialID? = nil)
    case decide(decision: String, rationale: String)
    case resolve(result: String)
    case close(outcome: String)
    case reopen(to: OfficialID, reason: String)
    case comment(text: String)
    /// Citizen's satisfaction, 1–5.
    case rate(score: Int, comment: String)
    /// A detector's finding about this case, raised by the system (phát hiện).
    case raiseFinding(FindingNotice)
    /// The responsible official's account of a finding (giải trình).
    case explainFinding(id: String, text: String)
    /// The head of the unit or an inspector upholds or dismisses a finding, with a note; an upheld finding names its cause
    /// (the code of a rulebook `FindingCause`), a dismissed one none. Entries written before causes existed carry none.
    /// A finding on a case acted on under an approved proposal of the official concerned carries the review against the
    /// decree's criteria (`ProtectionReview`), any other none.
    case reviewFinding(id: String, uphold: Bool, note: String, cause: String? = nil, protection: ProtectionReview? = nil)
    /// What follows an upheld finding (kiểm điểm, khắc phục, kỷ luật, chuyển cơ quan điều tra, kết thúc), decided by a
    /// head above the unit or an inspector, with the rulebook's legal basis.
    case decideConsequence(ConsequenceDecision)
    /// The official given a finding's remediation reports it done.
    case completeRemediation(finding: String, text: String)
    /// The official handling a denunciation opens the denouncer's sealed identity (xem danh tính người tố cáo). The law
    /// keeps it confidential (Luật Tố cáo 2018 Đ.47): only the handler may see it, and each time they do, why is on the
    /// ledger — so every reveal can be accounted for.
    case revealIdentity(reason: String)
    /// A citizen-reception session entered in the unit's reception book (sổ tiếp công dân): who received, how many
    /// citizens, the matters raised and the cases opened from them — never the citizens' names.
    case receptionHeld(ReceptionSession)
    /// Không thụ lý: the letter is refused acceptance on a ground the law allows, kept as a dated row of the rulebook
    /// (`RefusalGround`; `ground` is the row's id), with the holder's reason for this letter. The case ends here.
    case refuseIntake(ground: String, reason: String)
    /// Hướng dẫn: the letter belongs to a body outside the organisation; the sender is told where to go (`body`) and on
    /// what legal basis. Unlike a decline (chuyển đơn) nothing is sent on: the case ends here.
    case guide(body: String, legalBasis: String, note: String)
    /// Đơn trùng: the letter repeats the matter of an earlier case of the same kind (`of`); it is closed as such and the
    /// matter is counted once.
    case markDuplicate(of: CaseID, note: String)
    /// Written by the system on the earlier case beside a `markDuplicate`, so the link is on both cases' ledgers.
    case duplicateLinked(duplicate: CaseID)
    /// Rút khiếu nại, rút tố cáo: the citizen's written withdrawal, entered by the holder (`Withdrawal`: whole and the case
    /// ends, part, or whole with the handling continued).
    case withdraw(Withdrawal)
    /// Đối thoại with the complainant and those concerned (`Dialogue`).
    case dialogue(Dialogue)
    /// Báo cáo tiến độ on a task or programme item (`TaskProgress`).
    case progress(TaskProgress)
    /// Trình dự thảo: the task's draft product goes up to `to` for approval; the owner (and the wait) move with it.
    case submitDraft(to: OfficialID, draft: String)
    /// Phê duyệt: the approver approves the draft; the task is done.
    case approveDraft(note: String)
    /// Trả lại để chỉnh sửa: the approver sends the draft back to its drafter, saying what to change.
    case returnDraft(reason: String)
    /// Hủy nhiệm vụ: a head of the lead unit or above cancels a task or programme item, with the reason; it ends.
    case cancel(reason: String)
    /// Gửi báo cáo: a head of the lead unit signs and sends the task's report (or product) to `to` at the body that asked
    /// for it, who accepts it (`approveDraft`) or returns it (`returnDraft`); the owner and the wait move with it.
    case submitReport(to: OfficialID, report: ReportSubmission)
    /// Ghi nhận vi phạm: the inspection's holder records a violation found, before the conclusion.
    case recordViolation(InspectionViolation)
    /// Kết luận kiểm tra, thanh tra: the inspection is concluded; a self-inspection's is signed by the unit's head.
    case concludeInspection(InspectionConclusion)
    /// The authority holding a proposal (`BoldProposal`) approves or declines it; the proposal is closed by it.
    case decideProposal(approve: Bool, note: String)
    /// The owner of a case records that they act on it under their approved proposal; `approval` is the index of the
    /// approving entry, filled in by the writer, so the case's own ledger points at the record that protects.
    case actUnderProposal(proposal: CaseID, note: String, approval: Int64? = nil)
    /// Written by the system on the proposal beside an `actUnderProposal`, so the proposal's own ledger lists the cases
    /// acted on under it (its outcomes) — as a duplicate's link is on both cases.
    case proposalApplied(case: CaseID)

    public var type: ActionType {
        switch self {
        case .open: .open
        case .assign: .assign
        case .accept: .accept
        case .transfer: .transfer
        case .escalate: .escalate
        case .delegate: .delegate
        case .consult: .consult
        case .opinion: .opinion
        case .requestSupplement: .requestSupplement
        case .supplementReceived: .supplementReceived
        case .reschedule: .reschedule
        case .extend: .extend
        case .suspend: .suspend
        case .resume: .resume
        case .decline: .decline
        case .decide: .decide
        case .resolve: .resolve
        case .close: .close
        case .reopen: .reopen
        case .comment: .comment
        case .rate: .rate
        case .raiseFinding: .raiseFinding
        case .explainFinding: .explainFinding
        case .reviewFinding: .reviewFinding
        case .decideConsequence: .decideConsequence
        case .completeRemediation: .completeRemediation
        case .revealIdentity: .revealIdentity
        case .receptionHeld(let session): session.periodic ? .receptionPeriodic : .receptionOther
        case .refuseIntake: .refuseIntake
        case .guide: .guide
        case .markDuplicate: .duplicate
        case .duplicateLinked: .duplicateLinked
        case .withdraw(let withdrawal): withdrawal.type
        case .dialogue: .dialogue
        case .progress: .progress
        case .submitDraft: .submitDraft
        case .approveDraft: .approveDraft
        case .returnDraft: .returnDraft
        case .cancel: .cancel
        case .submitReport: .submitReport
        case .recordViolation: .recordViolation
        case .concludeInspection: .concludeInspection
        case .decideProposal: .decideProposal
        case .actUnderProposal: .actUnderProposal
        case .proposalApplied: .proposalApplied
        }
    }

    /// Entries about the handling of a finding rather than of the case itself; replaying a case for detection skips them.
    public var isFindingWorkflow: Bool {
        switch self {
        case .raiseFinding, .explainFinding, .reviewFinding, .decideConsequence, .completeRemediation: true
        default: false
        }
    }

    /// Entries about the record rather than the work on the case — the finding workflow, identity reveals and the note that
    /// a case is acted on under a proposal: replay for
    /// detection and exported logs skip them, and they do not count as the case moving (a handler cannot look busy by
    /// opening the file).
    public var isRecordKeeping: Bool {
        switch self {
        case .raiseFinding, .explainFinding, .reviewFinding, .decideConsequence, .completeRemediation, .revealIdentity, .duplicateLinked,
            .actUnderProposal, .proposalApplied:
            true
        default: false
        }
    }

    /// The official who holds the case after this action, when the action moves it.
    public var newOwner: OfficialID? {
        switch self {
        case .open(let o): o.owner
        case .assign(let to, _), .transfer(let to, _), .escalate(let to, _), .delegate(let to, _), .reopen(let to, _), .submitDraft(let to, _),
            .submitReport(let to, _):
            to
        case .decline(_, _, _, let receiver): receiver
        default: nil
        }
    }

    /// The body with what the organisation decides filled in: a decline to a unit of the organisation names the
    /// unit's accountable head as its receiver. `CaseState.apply` checks the receiver against the organisation.
    public func resolved(in org: Organization) -> ActionBody {
        guard case .decline(let basis, let competent, let reason, nil) = self, let unit = org.unit(UnitID(competent)) else { return self }
        return .decline(legalBasis: basis, competentUnit: competent, reason: reason, receiver: org.accountableHead(of: unit.id))
    }
}

/// How an action reached the ledger: the credential that wrote it, beside the actor in whose name it was taken.
/// An entry written through an API token or a web session thus says who pressed the button, and an entry
/// forged in an official's name by a system that may act for them still names that system.
public enum Credential: Sendable, Hashable, CustomStringConvertible {
    /// A web session; `id` is the first 16 hex digits of the SHA-256 of the session cookie (what the store keeps).
    case session(id: String)
    /// A bearer token of the API, by its name.
    case apiToken(name: String)
    /// The command line, run by this operating-system user.
    case commandLine(user: String)
    /// A citizen holding the case's code and PIN.
    case citizenPIN
    /// The public petition form (no credential at all).
    case publicForm
    /// The Open311 GeoReport v2 endpoint without an API key (no credential at all, like the public form): a citizen's
    /// app filed it. With a registered app's key the entry names the key (`apiToken`).
    case open311
    /// The server itself: detectors and the scheduled survey.
    case server
    /// Generated history (the demo seeder, benchmarks), named so nobody mistakes it for real work.
    case generated(String)

    public var stored: String {
        switch self {
        case .session(let id): "session:\(id)"
        case .apiToken(let name): "token:\(name)"
        case .commandLine(let user): "cli:\(user)"
        case .citizenPIN: "citizen-pin"
        case .publicForm: "public-form"
        case .open311: "open311"
        case .server: "server"
        case .generated(let what): "generated:\(what)"
        }
    }

    public init?(stored: String) {
        // What follows the prefix, when something does: counting the whole string's characters to know that was a
        // twentieth of decoding a ledger entry.
        func rest(_ prefix: String) -> String? {
            guard stored.hasPrefix(prefix) else { return nil }
            let rest = stored.dropFirst(prefix.count)
            return rest.isEmpty ? nil : String(rest)
        }
        if let id = rest("session:") {
            self = .session(id: id)
        } else if let name = rest("token:") {
            self = .apiToken(name: name)
        } else if let user = rest("cli:") {
            self = .commandLine(user: user)
        } else if let what = rest("generated:") {
            self = .generated(what)
        } else {
            switch stored {
            case "citizen-pin": self = .citizenPIN
            case "public-form": self = .publicForm
            case "open311": self = .open311
            case "server": self = .server
            default: return nil
            }
        }
    }

    public var description: String { stored }
}

/// Action type names as they appear on the ledger and in exported logs.
public enum ActionType: String, Sendable, Codable, CaseIterable, Hashable {
    case open, assign, accept, transfer, escalate, delegate, consult, opinion
    case requestSupplement = "request_supplement"
    case supplementReceived = "supplement_received"
    case reschedule, extend, suspend, resume, decline, decide, resolve, close, reopen, comment, rate
    case raiseFinding = "finding"
    case explainFinding = "finding_explained"
    case reviewFinding = "finding_reviewed"
    case decideConsequence = "consequence_decided"
    case completeRemediation = "remediation_completed"
    case revealIdentity = "identity_revealed"
    /// A periodic session of the head's reception schedule (tiếp công dân định kỳ).
    case receptionPeriodic = "reception_periodic"
    /// Any other reception session: ad hoc (đột xuất) or the regular reception desk (thường xuyên).
    case receptionOther = "reception_other"
    /// Không thụ lý (từ chối thụ lý) on a ground of the rulebook.
    case refuseIntake = "refuse_intake"
    /// Hướng dẫn người gửi đến cơ quan có thẩm quyền.
    case guide
    /// Đơn trùng: closed as a duplicate of an earlier case.
    case duplicate
    /// The earlier case's record of a duplicate linked to it.
    case duplicateLinked = "duplicate_linked"
    /// Rút toàn bộ: the whole letter withdrawn; the handling ends (đình chỉ việc giải quyết).
    case withdrawal
    /// Rút một phần: part withdrawn, the rest handled on the same clock.
    case withdrawalPartial = "withdrawal_partial"
    /// Rút toàn bộ nhưng vẫn tiếp tục giải quyết (a denunciation whose conduct appears unlawful, or a coerced withdrawal).
    case withdrawalContinued = "withdrawal_continued"
    /// Đối thoại.
    case dialogue
    /// Báo cáo tiến độ.
    case progress
    /// Trình dự thảo.
    case submitDraft = "submit_draft"
    /// Phê duyệt dự thảo.
    case approveDraft = "approve_draft"
    /// Trả lại dự thảo.
    case returnDraft = "return_draft"
    /// Hủy nhiệm vụ.
    case cancel
    /// Gửi báo cáo.
    case submitReport = "submit_report"
    /// Ghi nhận vi phạm.
    case recordViolation = "record_violation"
    /// Kết luận kiểm tra.
    case concludeInspection = "conclude_inspection"
    /// Quyết định đề xuất đổi mới, sáng tạo (chấp thuận hoặc không).
    case decideProposal = "proposal_decided"
    /// Thực hiện theo đề xuất đã được chấp thuận.
    case actUnderProposal = "acted_under_proposal"
    /// The proposal's record of a case acted on under it.
    case proposalApplied = "proposal_applied"

    public var nameVi: String {
        switch self {
        case .open: "Tiếp nhận"
        case .assign: "Phân công"
        case .accept: "Nhận xử lý"
        case .transfer: "Chuyển xử lý"
        case .escalate: "Trình cấp trên"
        case .delegate: "Giao cấp dưới"
        case .consult: "Lấy ý kiến"
        case .opinion: "Cho ý kiến"
        case .requestSupplement: "Yêu cầu bổ sung"
        case .supplementReceived: "Nhận bổ sung"
        case .reschedule: "Xin lỗi, hẹn lại"
        case .extend: "Gia hạn"
        case .suspend: "Tạm đình chỉ"
        case .resume: "Tiếp tục giải quyết"
        case .decline: "Từ chối, chuyển thẩm quyền"
        case .decide: "Quyết định"
        case .resolve: "Giải quyết xong"
        case .close: "Đóng hồ sơ"
        case .reopen: "Mở lại"
        case .comment: "Ghi chú"
        case .rate: "Đánh giá"
        case .raiseFinding: "Phát hiện"
        case .explainFinding: "Giải trình"
        case .reviewFinding: "Kết luận phát hiện"
        case .decideConsequence: "Quyết định xử lý sau kết luận"
        case .completeRemediation: "Hoàn thành khắc phục"
        case .revealIdentity: "Xem danh tính người tố cáo"
        case .receptionPeriodic: "Tiếp công dân định kỳ"
        case .receptionOther: "Tiếp công dân đột xuất, thường xuyên"
        case .refuseIntake: "Không thụ lý"
        case .guide: "Hướng dẫn đến cơ quan có thẩm quyền"
        case .duplicate: "Đơn trùng"
        case .duplicateLinked: "Có đơn trùng"
        case .withdrawal: "Rút đơn, đình chỉ giải quyết"
        case .withdrawalPartial: "Rút một phần nội dung"
        case .withdrawalContinued: "Rút đơn, vẫn tiếp tục giải quyết"
        case .dialogue: "Đối thoại"
        case .progress: "Báo cáo tiến độ"
        case .submitDraft: "Trình dự thảo"
        case .approveDraft: "Phê duyệt dự thảo"
        case .returnDraft: "Trả lại dự thảo"
        case .cancel: "Hủy nhiệm vụ"
        case .submitReport: "Gửi báo cáo"
        case .recordViolation: "Ghi nhận vi phạm"
        case .concludeInspection: "Kết luận kiểm tra"
        case .decideProposal: "Quyết định đề xuất đổi mới, sáng tạo"
        case .actUnderProposal: "Thực hiện theo đề xuất đã chấp thuận"
        case .proposalApplied: "Hồ sơ thực hiện theo đề xuất"
        }
    }
}

/// One thing that happened to one case, by one actor, at one time, through one credential. The ledger entry is this
/// plus its index.
public struct Action: Sendable, Hashable {
    public var caseID: CaseID
    public var actor: Actor
    /// Milliseconds since the Unix epoch, UTC.
    public var at: Int64
    public var body: ActionBody
    /// The credential that wrote it; nil only for entries written before credentials were recorded (version 1).
    /// Stores refuse to append an action without one.
    public var via: Credential?

    public init(caseID: CaseID, actor: Actor, at: Int64, body: ActionBody, via: Credential?) {
        self.caseID = caseID
        self.actor = actor
        self.at = at
        self.body = body
        self.via = via
    }
}

/// A finding as it is written on the ledger: which detector, about whom, how serious, the evidence (ledger
/// indices) and the measured value against its limit, with the explanation in Vietnamese and English.
public struct FindingNotice: Sendable, Hashable {
    /// Stable for (case, detector, official): the same behaviour is raised once per case and official.
    public var id: String
    public var detector: String
    public var official: OfficialID?
    public var unit: UnitID?
    public var severity: Severity
    public var evidence: [Int64]
    /// The measured value and the limit it went past, as decimal text (the ledger's JSON has integers only).
    public var value: String
    public var limit: String
    public var explanation: String
    public var explanationEn: String

    public init(
        id: String, detector: String, official: OfficialID?, unit: UnitID?, severity: Severity, evidence: [Int64], value: String,
        limit: String, explanation: String, explanationEn: String
    ) {
        self.id = id
        self.detector = detector
        self.official = official
        self.unit = unit
        self.severity = severity
        self.evidence = evidence
        self.value = value
        self.limit = limit
        self.explanation = explanation
        self.explanationEn = explanationEn
    }
}
