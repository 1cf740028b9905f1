import BuckStopCalendar

/// The document that issues a programme or plan, or assigns a task (văn bản giao): its number, its date and who signed
/// it. What an official points to when asked "who gave you this, and when".
public struct IssuingDocument: Sendable, Hashable, Codable {
    /// Số, ký hiệu: "125/KH-UBND".
    public var number: String
    public var date: CivilDate
    /// Người ký, as printed (name and position): the signer may sit outside the organisation (a ministry, the
    /// Government), so this is text, not an official's id.
    public var signer: String

    public init(number: String, date: CivilDate, signer: String) {
        self.number = number
        self.date = date
        self.signer = signer
    }
}

/// Where a programme item stands, as the roll-up counts it ("34 nhiệm vụ giao 11 cơ quan: 24 hoàn thành, 10 dự thảo
/// chờ phê duyệt"). Kept on the case (and its projection) by `CaseState.apply`, so a roll-up counts a column instead of
/// replaying ledgers. Overdue is not a phase: a task in any unfinished phase is overdue once its due date has passed, and
/// the roll-up counts that beside the phase.
public enum TaskPhase: String, Sendable, Codable, CaseIterable, Hashable {
    /// Assigned, not yet taken up by its accountable official.
    case notStarted = "not_started"
    case inProgress = "in_progress"
    /// The draft product is with the approver: the approver's wait, not the drafter's — the owner and the clock move.
    case awaitingApproval = "awaiting_approval"
    /// A report submission (yêu cầu báo cáo) signed by the agency's head and sent: the requester's wait to accept or return
    /// it. Delivered, so not overdue whatever the date; whether it came late is the date of the sending.
    case submitted
    case done
    case cancelled

    public var isFinished: Bool { self == .done || self == .cancelled }

    /// Whether a task in this phase is overdue once its due date has passed: unfinished and not yet delivered.
    public var canBeOverdue: Bool { !isFinished && self != .submitted }

    public var nameVi: String {
        switch self {
        case .notStarted: "Chưa triển khai"
        case .inProgress: "Đang thực hiện"
        case .awaitingApproval: "Dự thảo chờ phê duyệt"
        case .submitted: "Đã gửi, chờ tiếp nhận"
        case .done: "Hoàn thành"
        case .cancelled: "Hủy bỏ"
        }
    }

    public var nameEn: String {
        switch self {
        case .notStarted: "Not started"
        case .inProgress: "In progress"
        case .awaitingApproval: "Draft awaiting approval"
        case .submitted: "Sent, awaiting acceptance"
        case .done: "Done"
        case .cancelled: "Cancelled"
        }
    }
}

/// The levels of a programme tree, as the `procedure` of a case of kind `programme`: a programme or scheme (chương trình,
/// đề án) and its plans by year, quarter and month (kế hoạch năm, quý, tháng).
public enum PlanLevel: String, Sendable, Codable, CaseIterable, Hashable {
    case programme
    case year = "plan-year"
    case quarter = "plan-quarter"
    case month = "plan-month"
    /// Yêu cầu báo cáo: a body asks agencies for a report by a date, to a template (`ReportTemplate`); each agency's
    /// submission is a task under it.
    case reportRequest = "report-request"
    /// Tự kiểm tra: a unit's inspection of its own work (`InspectionScope`); its recommendations are tasks under it.
    case selfInspection = "self-inspection"
    /// Kiểm tra, thanh tra by a superior or an inspectorate: the same register, by someone else.
    case inspection

    /// Why an inspection is a programme case: its recommendations (kiến nghị) have owners and due dates and must be
    /// followed up, which is what a programme's tasks already are — rolled up, reminded, overdue — so they are tasks under
    /// it rather than a second tree. Nil for the other levels.
    public var inspectionForm: InspectionForm? {
        switch self {
        case .selfInspection: .selfInspection
        case .inspection: .external
        default: nil
        }
    }

    public var nameVi: String {
        switch self {
        case .programme: "Chương trình, đề án"
        case .year: "Kế hoạch năm"
        case .quarter: "Kế hoạch quý"
        case .month: "Kế hoạch tháng"
        case .reportRequest: "Yêu cầu báo cáo"
        case .selfInspection: "Tự kiểm tra"
        case .inspection: "Kiểm tra, thanh tra"
        }
    }
}

/// A progress report on a task (báo cáo tiến độ): how far, in words, and where the supporting document is.
public struct TaskProgress: Sendable, Hashable {
    /// 0…100.
    public var percent: Int
    public var text: String
    /// A reference to the attached document (số văn bản, a file name in the document system); never its content.
    public var attachment: String?

    public init(percent: Int, text: String, attachment: String? = nil) {
        self.percent = percent
        self.text = text
        self.attachment = attachment
    }
}

/// Why a programme or task step was refused, worded once per language.
public enum ProgrammeRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Drafts, approvals and progress are steps of tasks (and progress also of programmes and plans).
    case notATask(kind: CaseKind, action: String)
    case percentOutOfRange(found: Int)
    /// Approving or returning a draft needs one awaiting approval.
    case noDraftAwaiting
    /// A draft is already with an approver.
    case draftAlreadyAwaiting(approver: OfficialID?)
    /// The approver must stand above the drafter.
    case approverNotAbove(OfficialID, drafter: OfficialID)
    /// A task or plan belongs to a programme or plan; `found` is what the parent is.
    case parentNotAProgramme(CaseID, found: CaseKind?)
    case parentClosed(CaseID)
    /// A programme (the tree's root) has no parent; a plan or task has one.
    case parentRequired(kind: CaseKind)
    case programmeHasParent(CaseID)
    /// Only a head of the lead unit or above cancels.
    case onlyHeadCancels
    /// Only tasks and plans belong to a programme.
    case parentOnlyForProgrammeItems(kind: CaseKind)
    /// A programme case's procedure names its level.
    case unknownLevel(String?)
    /// A report request carries a template (sections, figures); nothing else does.
    case templateRequired
    case templateOnlyForReportRequests
    case emptyTemplate
    case badFigureCode(String)
    case repeatedFigure(String)
    /// A submission answers each figure of the template, with a count, and no other.
    case figureMissing(String)
    case figureUnknown(String, known: [String])
    case negativeFigure(String, found: Int)
    /// Only a head of the lead unit or above signs and sends a report.
    case onlyHeadSends

    public var description: String { english }

    public var english: String {
        switch self {
        case .notATask(let kind, let action): "\(action) is a step of a task; this case is a \(kind.rawValue)"
        case .percentOutOfRange(let found): "progress is a percentage 0…100; found \(found)"
        case .noDraftAwaiting: "no draft is awaiting approval on this task"
        case .draftAlreadyAwaiting(let approver): "a draft is already awaiting approval by \(approver?.rawValue ?? "someone")"
        case .approverNotAbove(let approver, let drafter): "\(approver.rawValue) is not above \(drafter.rawValue): a draft goes up for approval"
        case .parentNotAProgramme(let id, let found):
            "\(id.rawValue) must be a programme or plan; found \(found.map { "a \($0.rawValue)" } ?? "no such case")"
        case .parentClosed(let id): "\(id.rawValue) is closed: nothing more is added to it"
        case .parentRequired(let kind): "a \(kind.rawValue) of a programme names the programme or plan it belongs to"
        case .programmeHasParent(let id): "a programme is the root of its tree; found parent \(id.rawValue)"
        case .onlyHeadCancels: "only a head of the lead unit or of a unit above it cancels a task"
        case .parentOnlyForProgrammeItems(let kind): "only tasks and plans belong to a programme; this case is a \(kind.rawValue)"
        case .unknownLevel(let found): "a programme's procedure is one of \(PlanLevel.allCases.map(\.rawValue)); found \(found ?? "none")"
        case .templateRequired: "a report request carries its template: the sections and the figures asked for"
        case .templateOnlyForReportRequests: "only a report request carries a template"
        case .emptyTemplate: "a template names at least one section or figure"
        case .badFigureCode(let code): "a figure's code is 1–40 letters, digits, '_' or '-'; found '\(code)'"
        case .repeatedFigure(let code): "figure \(code) is named twice"
        case .figureMissing(let code): "the request asks for figure \(code); the report does not give it"
        case .figureUnknown(let code, let known): "the request asks for no figure \(code); it asks for \(known)"
        case .negativeFigure(let code, let found): "figure \(code) is a count, 0 or more; found \(found)"
        case .onlyHeadSends: "only a head of the lead unit or of a unit above it signs and sends the report"
        }
    }

    public var vietnamese: String {
        switch self {
        case .notATask(let kind, let action): "\(action) là bước của nhiệm vụ; đây là \(kind.nameViInSentence)"
        case .percentOutOfRange(let found): "tiến độ là tỷ lệ phần trăm từ 0 đến 100; nhận \(found)"
        case .noDraftAwaiting: "nhiệm vụ không có dự thảo nào đang chờ phê duyệt"
        case .draftAlreadyAwaiting(let approver): "đã có dự thảo đang chờ \(approver?.rawValue ?? "người có thẩm quyền") phê duyệt"
        case .approverNotAbove(let approver, let drafter):
            "\(approver.rawValue) không phải cấp trên của \(drafter.rawValue): dự thảo trình cấp trên phê duyệt"
        case .parentNotAProgramme(let id, let found):
            "\(id.rawValue) phải là chương trình hoặc kế hoạch; \(found.map { "đây là \($0.nameViInSentence)" } ?? "không có hồ sơ này")"
        case .parentClosed(let id): "\(id.rawValue) đã kết thúc, không giao thêm"
        case .parentRequired(let kind): "\(kind.nameVi) thuộc chương trình phải ghi chương trình hoặc kế hoạch mà nó thuộc về"
        case .programmeHasParent(let id): "chương trình là gốc, không thuộc \(id.rawValue)"
        case .onlyHeadCancels: "chỉ người đứng đầu đơn vị chủ trì hoặc cấp trên mới hủy nhiệm vụ"
        case .parentOnlyForProgrammeItems(let kind): "chỉ nhiệm vụ và kế hoạch thuộc chương trình; đây là \(kind.nameViInSentence)"
        case .unknownLevel(let found): "cấp của chương trình, kế hoạch không hợp lệ: \(found ?? "trống")"
        case .templateRequired: "yêu cầu báo cáo phải kèm đề cương: các phần và số liệu cần báo cáo"
        case .templateOnlyForReportRequests: "chỉ yêu cầu báo cáo mới kèm đề cương"
        case .emptyTemplate: "đề cương phải có ít nhất một phần hoặc một chỉ tiêu số liệu"
        case .badFigureCode(let code): "mã chỉ tiêu gồm 1–40 chữ, số, '_' hoặc '-'; nhận '\(code)'"
        case .repeatedFigure(let code): "chỉ tiêu \(code) bị lặp"
        case .figureMissing(let code): "yêu cầu báo cáo chỉ tiêu \(code) nhưng báo cáo chưa có"
        case .figureUnknown(let code, let known): "yêu cầu không có chỉ tiêu \(code); các chỉ tiêu: \(known.joined(separator: ", "))"
        case .negativeFigure(let code, let found): "chỉ tiêu \(code) là số đếm, không âm; nhận \(found)"
        case .onlyHeadSends: "chỉ người đứng đầu đơn vị chủ trì hoặc cấp trên mới ký gửi báo cáo"
        }
    }
}

extension CaseState {
    /// The parent a task or plan names, checked by the writer, which reads it: a programme case, still open. A plan must
    /// name one; a programme must not; a task or a report request may stand alone (a leader's ad hoc assignment).
    public static func checkParent(of open: OpenCase, found: CaseState?) throws(DomainError) {
        let name = ActionType.open.rawValue
        guard let parent = open.parent else {
            // A programme is a root; so may a report request or an inspection be (a body's own, or under a programme or
            // an inspection plan).
            let level = PlanLevel(rawValue: open.procedure ?? "")
            if open.kind == .programme, level != .programme, level != .reportRequest, level?.inspectionForm == nil {
                throw .invalidField(action: name, field: "parent", reason: .programme(.parentRequired(kind: open.kind)))
            }
            return
        }
        if open.kind == .programme, open.procedure == PlanLevel.programme.rawValue {
            throw .invalidField(action: name, field: "parent", reason: .programme(.programmeHasParent(parent)))
        }
        guard let found, found.kind == .programme else {
            throw .invalidField(action: name, field: "parent", reason: .programme(.parentNotAProgramme(parent, found: found?.kind)))
        }
        guard found.status.isOpen else { throw .invalidField(action: name, field: "parent", reason: .programme(.parentClosed(parent))) }
    }

    /// The steps of a task: progress, a draft up for approval, its approval or return, cancellation.
    mutating func applyTaskStep(_ body: ActionBody, name: String, action: Action, actorID: OfficialID?, in org: Organization?)
        throws(DomainError)
    {
        switch body {
        case .progress(let progress):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            guard kind == .task || kind == .programme else {
                throw .invalidField(action: name, field: "case", reason: .programme(.notATask(kind: kind, action: name)))
            }
            guard (0...100).contains(progress.percent) else {
                throw .invalidField(action: name, field: "percent", reason: .programme(.percentOutOfRange(found: progress.percent)))
            }
            try Self.requireText(progress.text, action: name, field: "text")
            if let attachment = progress.attachment { try Self.requireText(attachment, action: name, field: "attachment") }
            if taskPhase == .notStarted { taskPhase = .inProgress }
            if status == .received { status = .processing }
        case .submitDraft(let to, let draft):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try requireTask(name)
            try Self.requireText(draft, action: name, field: "draft")
            guard taskPhase != .awaitingApproval else {
                throw .invalidField(action: name, field: "case", reason: .programme(.draftAlreadyAwaiting(approver: owner)))
            }
            try requireNewOwner(to, action: name, in: org)
            if let org, let actorID, org.authorityLevel(of: to) >= org.authorityLevel(of: actorID) {
                throw .invalidField(action: name, field: "to", reason: .programme(.approverNotAbove(to, drafter: actorID)))
            }
            drafter = actorID
            taskPhase = .awaitingApproval
            moveOwner(to: to, at: action.at)
            status = .processing
        case .approveDraft(let note):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireTask(name)
            try Self.requireText(note, action: name, field: "note")
            guard taskPhase == .awaitingApproval || taskPhase == .submitted else {
                throw .invalidField(action: name, field: "case", reason: .programme(.noDraftAwaiting))
            }
            drafter = nil
            taskPhase = .done
            status = .resolved
        case .returnDraft(let reason):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireTask(name)
            try Self.requireText(reason, action: name, field: "reason")
            guard taskPhase == .awaitingApproval || taskPhase == .submitted, let back = drafter else {
                throw .invalidField(action: name, field: "case", reason: .programme(.noDraftAwaiting))
            }
            if let org { try Self.requireActive(back, in: org) }
            drafter = nil
            taskPhase = .inProgress
            moveOwner(to: back, at: action.at)
            status = .processing
        case .submitReport(let to, let report):
            try applySubmitReport(to: to, report: report, name: name, action: action, actorID: actorID, in: org)
        case .cancel(let reason):
            try requireOpen(name)
            try Self.requireText(reason, action: name, field: "reason")
            guard kind == .task || kind == .programme else {
                throw .invalidField(action: name, field: "case", reason: .programme(.notATask(kind: kind, action: name)))
            }
            guard let actorID else { throw .notPermitted(action: name, actor: action.actor.stored, reason: .onlyOfficialActs) }
            if let org {
                guard let actor = org.official(actorID), !actor.roles.isDisjoint(with: [.head, .admin]),
                    org.isWithin(leadUnit, subtreeOf: actor.unit)
                else {
                    throw .notPermitted(action: name, actor: actorID.rawValue, reason: .programme(.onlyHeadCancels))
                }
            }
            drafter = nil
            taskPhase = .cancelled
            close(at: action.at)
        default:
            return
        }
    }

    private func requireTask(_ name: String) throws(DomainError) {
        guard kind == .task else { throw .invalidField(action: name, field: "case", reason: .programme(.notATask(kind: kind, action: name))) }
    }

    /// The phase an ordinary action leaves a task or programme item in (the programme steps set theirs themselves).
    mutating func followPhase(after body: ActionBody) {
        guard taskPhase != nil else { return }
        switch body {
        case .accept: if taskPhase == .notStarted { taskPhase = .inProgress }
        case .resolve: taskPhase = .done
        case .close: if taskPhase != .cancelled { taskPhase = .done }
        case .reopen: taskPhase = .inProgress
        default: break
        }
    }
}

/// One task as a roll-up reads it from the projection.
public struct TaskSummary: Sendable, Hashable {
    public var id: CaseID
    public var title: String
    public var parent: CaseID?
    public var leadUnit: UnitID
    public var owner: OfficialID?
    public var phase: TaskPhase
    public var dueDate: CivilDate?

    public init(id: CaseID, title: String, parent: CaseID?, leadUnit: UnitID, owner: OfficialID?, phase: TaskPhase, dueDate: CivilDate?) {
        self.id = id
        self.title = title
        self.parent = parent
        self.leadUnit = leadUnit
        self.owner = owner
        self.phase = phase
        self.dueDate = dueDate
    }

    /// Past its due date and not finished, as of a day: due yesterday or before (due today is still on time).
    public func isOverdue(on day: CivilDate) -> Bool { phase.isOverdue(due: dueDate, on: day) }
}
