import BuckStopCalendar
import BuckStopDomain

/// Field values of an action as they arrive from a web form or a JSON body. The same parser serves both, so a
/// rule (an escalation needs a proposal) is enforced once, by the domain, whichever door the action came through.
public struct ActionInput: Sendable {
    public var type: String
    public var strings: [String: String]
    public var lists: [String: [String]]

    public init(type: String, strings: [String: String] = [:], lists: [String: [String]] = [:]) {
        self.type = type
        self.strings = strings
        self.lists = lists
    }

    /// Bad input before the domain sees it: an unknown type, a field that is absent or not a date.
    public enum Problem: Error, Sendable, Equatable {
        case unknownType(String)
        case notAllowed(String)
        case missing(field: String)
        case invalid(field: String, expected: String, found: String)

        public var field: String? {
            switch self {
            case .unknownType, .notAllowed: "type"
            case .missing(let f), .invalid(let f, _, _): f
            }
        }

        public func message(_ lang: Language) -> String {
            switch self {
            case .unknownType(let t):
                lang.t("Loại hành động không hợp lệ: '\(t)'", "unknown action type '\(t)'")
            case .notAllowed(let t):
                lang.t("Hành động '\(t)' không thực hiện qua đây", "action '\(t)' is not taken here")
            case .missing(let f):
                lang.t("Thiếu trường bắt buộc: \(FieldNames.vi(f)) (\(f))", "field '\(f)' is required")
            case .invalid(let f, let expected, let found):
                lang.t(
                    "Trường \(FieldNames.vi(f)) (\(f)) không hợp lệ: cần \(expected), nhận '\(found)'",
                    "field '\(f)': expected \(expected), found '\(found)'")
            }
        }
    }

    /// Types an official (or a system pushing on their behalf) takes on a case; open, rate and the finding
    /// workflow have their own routes.
    public static let caseActionTypes: [ActionType] = [
        .accept, .assign, .transfer, .escalate, .delegate, .consult, .opinion, .requestSupplement, .supplementReceived, .reschedule,
        .extend, .suspend, .resume, .decline, .decide, .resolve, .close, .reopen, .comment,
    ]

    public func body() throws(Problem) -> ActionBody {
        guard let type = ActionType(rawValue: type) else { throw .unknownType(self.type) }
        guard Self.acceptedTypes.contains(type) else {
            throw .notAllowed(self.type)
        }
        switch type {
        case .assign: return .assign(to: OfficialID(try text("to")), note: strings["note"] ?? "")
        case .accept: return .accept(note: strings["note"] ?? "")
        case .transfer: return .transfer(to: OfficialID(try text("to")), reason: try text("reason"))
        case .escalate: return .escalate(to: OfficialID(try text("to")), proposal: try text("proposal"))
        case .delegate: return .delegate(to: OfficialID(try text("to")), instruction: try text("instruction"))
        case .consult:
            return .consult(units: try list("units").map(UnitID.init(rawValue:)), question: try text("question"), dueDate: try date("dueDate"))
        case .opinion: return .opinion(unit: UnitID(try text("unit")), text: try text("text"))
        case .requestSupplement: return .requestSupplement(missing: try list("missing"))
        case .supplementReceived: return .supplementReceived(note: strings["note"] ?? "", newDueDate: try optionalDate("newDueDate"))
        case .reschedule: return .reschedule(newDueDate: try date("newDueDate"), apology: try text("apology"))
        case .extend: return .extend(newDueDate: try date("newDueDate"), legalBasis: try text("legalBasis"))
        case .suspend: return .suspend(legalBasis: try text("legalBasis"), reason: try text("reason"))
        // The new due date is the writer's to compute (the time suspended added on), never the client's.
        case .resume: return .resume(note: strings["note"] ?? "")
        case .decline: return .decline(legalBasis: try text("legalBasis"), competentUnit: try text("competentUnit"), reason: try text("reason"))
        case .decide: return .decide(decision: try text("decision"), rationale: try text("rationale"))
        case .resolve: return .resolve(result: try text("result"))
        case .close: return .close(outcome: try text("outcome"))
        case .reopen: return .reopen(to: OfficialID(try text("to")), reason: try text("reason"))
        case .comment: return .comment(text: try text("text"))
        // A reveal has its own page (`/cases/{code}/reveal`), which shows what it opened; the API never returns an identity.
        case .open, .rate, .raiseFinding, .explainFinding, .reviewFinding, .decideConsequence, .completeRemediation, .revealIdentity:
            throw .notAllowed(self.type)
        case .refuseIntake: return .refuseIntake(ground: try text("ground").trimmingCharacters(in: .whitespaces), reason: try text("reason"))
        case .guide: return .guide(body: try text("body"), legalBasis: try text("legalBasis"), note: strings["note"] ?? "")
        case .duplicate:
            return .markDuplicate(of: CaseID(try text("duplicateOf").trimmingCharacters(in: .whitespaces)), note: try text("note"))
        // The link on the earlier case is written by the system beside the duplicate, never asked for.
        case .duplicateLinked: throw .notAllowed(self.type)
        case .receptionPeriodic, .receptionOther: return .receptionHeld(try receptionSession(periodic: type == .receptionPeriodic))
        case .withdrawal: return .withdraw(Withdrawal(letter: try text("letter")))
        case .withdrawalPartial: return .withdraw(Withdrawal(letter: try text("letter"), part: try text("part")))
        case .withdrawalContinued: return .withdraw(Withdrawal(letter: try text("letter"), continuing: try text("continuing")))
        case .dialogue:
            return .dialogue(
                Dialogue(
                    participants: try text("participants"), outcome: try text("outcome"), minutes: try text("minutes"),
                    complainantAttended: !flag("complainantAbsent")))
        case .progress:
            let text = try self.text("percent").trimmingCharacters(in: .whitespaces)
            guard let percent = Int(text) else { throw .invalid(field: "percent", expected: "a whole number 0…100", found: text) }
            let attachment = strings["attachment"].flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            return .progress(TaskProgress(percent: percent, text: try self.text("text"), attachment: attachment))
        case .submitDraft: return .submitDraft(to: OfficialID(try text("to")), draft: try text("draft"))
        case .approveDraft: return .approveDraft(note: try text("note"))
        case .returnDraft: return .returnDraft(reason: try text("reason"))
        case .cancel: return .cancel(reason: try text("reason"))
        case .submitReport:
            return .submitReport(to: OfficialID(try text("to")), report: ReportSubmission(document: try text("document"), figures: try figures()))
        case .recordViolation:
            return .recordViolation(
                InspectionViolation(
                    unit: UnitID(try text("unit").trimmingCharacters(in: .whitespaces)),
                    field: try text("field").trimmingCharacters(in: .whitespaces),
                    text: try text("text"),
                    cases: (lists["evidenceCases"] != nil || strings["evidenceCases"] != nil ? try list("evidenceCases") : []).map {
                        CaseID($0.trimmingCharacters(in: .whitespaces))
                    }))
        case .concludeInspection:
            return .concludeInspection(
                InspectionConclusion(
                    document: IssuingDocument(number: try text("conclusionNumber"), date: try date("conclusionDate"), signer: try text("signer")),
                    summary: try text("summary")))
        case .decideProposal:
            let verdict = try text("decision").trimmingCharacters(in: .whitespaces)
            guard verdict == "approve" || verdict == "decline" else {
                throw .invalid(field: "decision", expected: "approve or decline", found: verdict)
            }
            return .decideProposal(approve: verdict == "approve", note: strings["note"] ?? "")
        // The approving entry's index is the writer's to find, never the client's.
        case .actUnderProposal:
            return .actUnderProposal(proposal: CaseID(try text("proposal").trimmingCharacters(in: .whitespaces)), note: try text("note"))
        // The proposal's record of the case is written by the system beside the reliance, never asked for.
        case .proposalApplied: throw .notAllowed(self.type)
        }
    }

    /// A report's figures: one `code=number` per item (a JSON array, or a form's lines), split at the last '=' so that any
    /// code the API's object allows comes through to the domain, which names an unknown one; none when absent.
    func figures() throws(Problem) -> [String: Int] {
        guard lists["figures"] != nil || strings["figures"] != nil else { return [:] }
        var out: [String: Int] = [:]
        for (n, item) in try list("figures").enumerated() {
            guard let equals = item.lastIndex(of: "="), let value = Int(item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            else {
                throw .invalid(field: "figures[\(n)]", expected: "code=number", found: item)
            }
            let code = String(item[..<equals])
            guard out.updateValue(value, forKey: code) == nil else {
                throw .invalid(field: "figures[\(n)]", expected: "each figure once", found: code)
            }
        }
        return out
    }

    /// A text field: absent is an error here; present but blank is left to the domain, which names it.
    func text(_ key: String) throws(Problem) -> String {
        guard let value = strings[key] else { throw .missing(field: key) }
        return value
    }

    /// A list: a JSON array, or one item per line of a form's text area.
    func list(_ key: String) throws(Problem) -> [String] {
        if let items = lists[key] { return items }
        guard let text = strings[key] else { throw .missing(field: key) }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A checkbox or a JSON boolean passed as text: on when "true", "on" or "1".
    func flag(_ key: String) -> Bool {
        guard let value = strings[key]?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return ["true", "on", "1"].contains(value)
    }

    func date(_ key: String) throws(Problem) -> CivilDate {
        guard let d = try optionalDate(key) else { throw .missing(field: key) }
        return d
    }

    func optionalDate(_ key: String) throws(Problem) -> CivilDate? {
        guard let text = strings[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        do { return try CivilDate(iso: text) } catch { throw .invalid(field: key, expected: "YYYY-MM-DD", found: text) }
    }
}

/// Vietnamese names of action fields, for messages and form labels.
public enum FieldNames {
    static let vietnamese: [String: String] = [
        "to": "chuyển cho", "note": "ghi chú", "reason": "lý do", "proposal": "đề xuất", "instruction": "chỉ đạo",
        "units": "đơn vị", "question": "nội dung hỏi", "dueDate": "hạn", "unit": "đơn vị", "text": "nội dung",
        "missing": "giấy tờ còn thiếu", "newDueDate": "hạn mới", "apology": "lời xin lỗi", "legalBasis": "căn cứ pháp lý",
        "competentUnit": "đơn vị có thẩm quyền", "decision": "quyết định", "rationale": "lý do quyết định", "result": "kết quả",
        "outcome": "kết quả", "title": "tiêu đề", "owner": "người xử lý", "leadUnit": "đơn vị chủ trì", "kind": "loại",
        "actor": "người thực hiện", "password": "mật khẩu", "official": "mã cán bộ", "code": "mã hồ sơ", "pin": "mã PIN",
        "score": "điểm", "uphold": "kết luận", "status": "trạng thái", "via": "kênh ghi", "at": "thời điểm", "subject": "chủ thể",
        "collaborators": "đơn vị phối hợp", "procedure": "thủ tục",
        "day": "ngày tiếp", "receivedBy": "người tiếp", "citizens": "số công dân", "matters": "nội dung phản ánh, đề nghị",
        "cases": "hồ sơ phát sinh",
        "ground": "căn cứ không thụ lý", "body": "cơ quan có thẩm quyền", "duplicateOf": "trùng với hồ sơ",
        "letter": "đơn rút, biên bản ghi nhận việc rút", "part": "nội dung rút", "continuing": "lý do vẫn tiếp tục giải quyết",
        "percent": "tiến độ (%)", "attachment": "văn bản kèm theo", "draft": "dự thảo", "document": "số văn bản báo cáo",
        "figures": "số liệu báo cáo",
        "field": "lĩnh vực", "evidenceCases": "hồ sơ có vi phạm", "conclusionNumber": "số kết luận", "conclusionDate": "ngày kết luận",
        "signer": "người ký", "summary": "nội dung kết luận",
        "participants": "thành phần đối thoại", "minutes": "biên bản đối thoại", "complainantAbsent": "người khiếu nại vắng mặt",
    ]

    public static func vi(_ field: String) -> String { vietnamese[field] ?? field }
    public static func label(_ field: String, _ lang: Language) -> String {
        guard lang == .en else { return vi(field) }
        // "newDueDate" → "new due date"
        var out = ""
        for c in field {
            if c.isUppercase { out += " " + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

extension ActionInput {
    /// The intake outcomes of a letter besides acceptance and forwarding: refusal to accept (không thụ lý), guidance to the
    /// competent body outside (hướng dẫn), a duplicate of an earlier case (đơn trùng).
    public static let intakeActionTypes: [ActionType] = [.refuseIntake, .guide, .duplicate]

    /// The steps of resolving a complaint or a denunciation the citizen's letter or presence makes: withdrawal (rút, whole,
    /// part or with the handling continued) and dialogue (đối thoại).
    public static let complaintStepActionTypes: [ActionType] = [.withdrawal, .withdrawalPartial, .withdrawalContinued, .dialogue]

    /// The steps of a task of a programme: progress reports, a draft up for approval, its approval or return, cancellation.
    /// And a report signed and sent to the body that asked for it.
    public static let taskActionTypes: [ActionType] = [.progress, .submitDraft, .approveDraft, .returnDraft, .cancel, .submitReport]

    /// The steps of an inspection: a violation found, and the conclusion.
    public static let inspectionActionTypes: [ActionType] = [.recordViolation, .concludeInspection]

    /// A proposal's decision by its authority (NĐ 73/2023), and the note on a case that it is acted on under one.
    public static let proposalActionTypes: [ActionType] = [.decideProposal, .actUnderProposal]

    /// Every type a form or the API may ask for: the one list both read, so a step added to one is taken by the other.
    public static let acceptedTypes: [ActionType] =
        caseActionTypes + intakeActionTypes + complaintStepActionTypes + receptionActionTypes + taskActionTypes + inspectionActionTypes
        + proposalActionTypes

    /// A session entered in a reception book (sổ tiếp công dân), from the unit's page: periodic (định kỳ) or not.
    public static let receptionActionTypes: [ActionType] = [.receptionPeriodic, .receptionOther]

    func receptionSession(periodic: Bool) throws(Problem) -> ReceptionSession {
        let count = try text("citizens").trimmingCharacters(in: .whitespaces)
        guard let citizens = Int(count) else { throw .invalid(field: "citizens", expected: "a whole number", found: count) }
        let cases = (try? list("cases")) ?? []
        return ReceptionSession(
            day: try date("day"), receivedBy: OfficialID(try text("receivedBy").trimmingCharacters(in: .whitespaces)), periodic: periodic,
            citizens: citizens, matters: try list("matters"), cases: cases.map(CaseID.init(rawValue:)))
    }
}
