import BuckStopCalendar

/// Rút khiếu nại, rút tố cáo: the citizen's written withdrawal (a letter or a signed record), entered by the official
/// handling the case. Three outcomes, each its own entry type so a reader of the ledger or of an exported log needs no
/// field to know whether the case ended:
/// - the whole letter withdrawn and the handling ends (`withdrawal`: đình chỉ việc giải quyết);
/// - part of it withdrawn, the rest handled on the same clock (`withdrawal_partial`, `part` says what was withdrawn);
/// - the whole withdrawn but the handling continues (`withdrawal_continued`, `continuing` says why: for a denunciation
///   the conduct appears unlawful, the withdrawal was coerced, or the denunciation was used to slander — Luật Tố cáo
///   2018 Đ.33, NĐ 156/2026).
/// Which of these the law allows for a kind on a day is the rulebook's `withdrawal:` rows (`WithdrawalRule`).
public struct Withdrawal: Sendable, Hashable {
    /// The withdrawal letter or signed record, as received (đơn rút, biên bản ghi nhận việc rút).
    public var letter: String
    /// What was withdrawn when only part of the letter is; nil for the whole.
    public var part: String?
    /// Why the handling continues although the whole was withdrawn; nil when it ends or only part was withdrawn.
    public var continuing: String?

    public init(letter: String, part: String? = nil, continuing: String? = nil) {
        self.letter = letter
        self.part = part
        self.continuing = continuing
    }

    public var type: ActionType {
        if part != nil { return .withdrawalPartial }
        return continuing != nil ? .withdrawalContinued : .withdrawal
    }

    /// Whether the case ends with it.
    public var endsCase: Bool { part == nil && continuing == nil }
}

/// Đối thoại: the meeting the person resolving a complaint holds with the complainant, the person complained of and
/// those concerned (Luật Khiếu nại 2011 Đ.30 at first instance, where the complainant's demands and the verification
/// differ; at second instance always). Recorded by the official handling the case, with who took part, what came of it
/// and the minutes' reference — no personal data, which stays sealed with the case's subject.
public struct Dialogue: Sendable, Hashable {
    /// Who took part, by role or body (người khiếu nại, đại diện Phòng …, Thanh tra …).
    public var participants: String
    /// What was agreed and what remains disputed.
    public var outcome: String
    /// The minutes (biên bản đối thoại): number, date, where it is kept.
    public var minutes: String
    /// False when the complainant was invited and did not come: from 1 July 2026 the resolution then continues
    /// (Luật Khiếu nại Đ.30(6) as amended by Luật 136/2025/QH15), which the rulebook's `dialogue:` row says.
    public var complainantAttended: Bool

    public init(participants: String, outcome: String, minutes: String, complainantAttended: Bool = true) {
        self.participants = participants
        self.outcome = outcome
        self.minutes = minutes
        self.complainantAttended = complainantAttended
    }
}

/// What the law lets a citizen withdraw, and what follows, for a kind of letter in a period: a dated rulebook row.
public struct WithdrawalRule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    public var caseKind: CaseKind
    /// Part of the letter may be withdrawn, the rest handled on.
    public var partial: Bool
    /// The handler may continue although the whole was withdrawn (and must then say why).
    public var mayContinue: Bool
    public var source: String
    public var status: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    public var note: String?

    public init(
        id: String, caseKind: CaseKind, partial: Bool, mayContinue: Bool, source: String, status: String, effectiveFrom: CivilDate,
        effectiveTo: CivilDate? = nil, note: String? = nil
    ) {
        self.id = id
        self.caseKind = caseKind
        self.partial = partial
        self.mayContinue = mayContinue
        self.source = source
        self.status = status
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.note = note
    }
}

/// Where the law requires a dialogue before the decision (second-instance complaints), a dated rulebook row naming the
/// procedures it covers, and whether a complainant who was invited and did not come counts as the dialogue held.
public struct DialogueRule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    public var caseKind: CaseKind
    /// The procedures whose decision needs a recorded dialogue first.
    public var procedures: [String]
    /// A dialogue the complainant was invited to and did not attend satisfies the requirement.
    public var absenceSuffices: Bool
    public var source: String
    public var status: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    public var note: String?

    public init(
        id: String, caseKind: CaseKind, procedures: [String], absenceSuffices: Bool, source: String, status: String,
        effectiveFrom: CivilDate, effectiveTo: CivilDate? = nil, note: String? = nil
    ) {
        self.id = id
        self.caseKind = caseKind
        self.procedures = procedures
        self.absenceSuffices = absenceSuffices
        self.source = source
        self.status = status
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.note = note
    }
}

/// Why a withdrawal or a dialogue was refused, worded once per language.
public enum ComplaintStepRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Withdrawal is for complaints and denunciations.
    case notWithdrawable(kind: CaseKind)
    /// The decision (or the conclusion of a denunciation) is already issued.
    case decidedAlready
    /// The rulebook has no withdrawal row for the kind in force on the day.
    case withdrawalNotInForce(kind: CaseKind, on: CivilDate)
    /// Part of a letter withdrawn before the law allowed it (a complaint: from 1 July 2026); `from` is the first day a
    /// row allows it, nil if none does.
    case partialNotInForce(kind: CaseKind, from: CivilDate?)
    /// Handling continued after a whole withdrawal where the law does not allow it.
    case continuingNotAllowed(kind: CaseKind)
    /// A withdrawal is of the whole or of a part; the two fields together say neither.
    case partAndContinuing
    /// Dialogue is a step of complaint resolution.
    case dialogueForComplaints(kind: CaseKind)
    /// The decision of this procedure needs a recorded dialogue first (the rule's id).
    case dialogueRequired(rule: String, procedure: String)
    /// The only dialogue recorded was one the complainant did not attend, which satisfies the rule only from a later
    /// period.
    case dialogueNotAttended(rule: String)

    public var description: String { english }

    public var english: String {
        switch self {
        case .notWithdrawable(let kind): "a complaint or a denunciation may be withdrawn, this case is a \(kind.rawValue)"
        case .decidedAlready: "the decision or conclusion is already issued; nothing is left to withdraw or to discuss"
        case .withdrawalNotInForce(let kind, let day): "the rulebook has no withdrawal rule for a \(kind.rawValue) in force on \(day)"
        case .partialNotInForce(let kind, let from?):
            "the law lets part of a \(kind.rawValue) be withdrawn from \(from); found a partial withdrawal before that day"
        case .partialNotInForce(let kind, nil): "the law does not let part of a \(kind.rawValue) be withdrawn"
        case .continuingNotAllowed(let kind): "the law does not let the handling of a \(kind.rawValue) continue after it is withdrawn"
        case .partAndContinuing: "give either the part withdrawn or why the handling continues, not both"
        case .dialogueForComplaints(let kind): "a dialogue is a step of resolving a complaint, this case is a \(kind.rawValue)"
        case .dialogueRequired(let rule, let procedure):
            "a decision under \(procedure) needs a recorded dialogue with the complainant first (rule \(rule)); none is on the case"
        case .dialogueNotAttended(let rule):
            "the complainant did not attend the only dialogue recorded; under rule \(rule) that does not count as the dialogue held"
        }
    }

    public var vietnamese: String {
        switch self {
        case .notWithdrawable(let kind): "chỉ khiếu nại, tố cáo mới rút được; hồ sơ này là \(kind.nameViInSentence)"
        case .decidedAlready: "đã ban hành quyết định hoặc kết luận; không còn gì để rút hoặc đối thoại"
        case .withdrawalNotInForce(let kind, let day): "bộ quy tắc không có quy định về rút \(kind.nameViInSentence) có hiệu lực ngày \(day)"
        case .partialNotInForce(let kind, let from?):
            "pháp luật cho rút một phần \(kind.nameViInSentence) từ ngày \(from); việc rút một phần này trước ngày đó"
        case .partialNotInForce(let kind, nil): "pháp luật không cho rút một phần \(kind.nameViInSentence)"
        case .continuingNotAllowed(let kind): "pháp luật không cho tiếp tục giải quyết \(kind.nameViInSentence) sau khi đã rút toàn bộ"
        case .partAndContinuing: "chỉ ghi phần nội dung rút hoặc lý do tiếp tục giải quyết, không ghi cả hai"
        case .dialogueForComplaints(let kind): "đối thoại là bước giải quyết khiếu nại; hồ sơ này là \(kind.nameViInSentence)"
        case .dialogueRequired(let rule, let procedure):
            "quyết định theo thủ tục \(procedure) phải có đối thoại với người khiếu nại trước (quy định \(rule)); hồ sơ chưa ghi buổi đối thoại nào"
        case .dialogueNotAttended(let rule):
            "người khiếu nại không đến buổi đối thoại duy nhất đã ghi; theo quy định \(rule) như vậy chưa được tính là đã đối thoại"
        }
    }
}

extension Rulebook {
    /// The withdrawal row for a kind in force on a day (the day of the withdrawal: NĐ 155/2026 Đ.22(1) applies the new
    /// withdrawal rules to complaints accepted before 1 July 2026).
    public func withdrawalRule(for kind: CaseKind, on day: CivilDate) -> WithdrawalRule? {
        withdrawal.first { $0.caseKind == kind && $0.isInForce(on: day) }
    }

    /// The dialogue row that covers a procedure on a day, if the law requires a dialogue before its decision.
    public func dialogueRule(for kind: CaseKind, procedure: String?, on day: CivilDate) -> DialogueRule? {
        guard let procedure else { return nil }
        return dialogue.first { $0.caseKind == kind && $0.procedures.contains(procedure) && $0.isInForce(on: day) }
    }

    /// A withdrawal checked against the row in force on its day: partial and continued withdrawals only where it allows
    /// them. Errors name the field.
    public func checkWithdrawal(_ withdrawal: Withdrawal, kind: CaseKind, on day: CivilDate) throws(DomainError) {
        let name = withdrawal.type.rawValue
        guard let row = withdrawalRule(for: kind, on: day) else {
            throw .invalidField(action: name, field: "case", reason: .complaintStep(.withdrawalNotInForce(kind: kind, on: day)))
        }
        if withdrawal.part != nil, !row.partial {
            let first = self.withdrawal.filter { $0.caseKind == kind && $0.partial && $0.effectiveFrom > day }.map(\.effectiveFrom).min()
            throw .invalidField(action: name, field: "part", reason: .complaintStep(.partialNotInForce(kind: kind, from: first)))
        }
        if withdrawal.continuing != nil, !row.mayContinue {
            throw .invalidField(action: name, field: "continuing", reason: .complaintStep(.continuingNotAllowed(kind: kind)))
        }
    }

    /// A decision checked against the dialogue the law requires before it: `dialogues` are those recorded on the case.
    public func checkDialogueHeld(
        before decisionDay: CivilDate, kind: CaseKind, procedure: String?, dialogues: [Dialogue]
    ) throws(DomainError) {
        guard let procedure, let row = dialogueRule(for: kind, procedure: procedure, on: decisionDay) else { return }
        let name = ActionType.decide.rawValue
        guard !dialogues.isEmpty else {
            throw .invalidField(action: name, field: "case", reason: .complaintStep(.dialogueRequired(rule: row.id, procedure: procedure)))
        }
        guard row.absenceSuffices || dialogues.contains(where: \.complainantAttended) else {
            throw .invalidField(action: name, field: "case", reason: .complaintStep(.dialogueNotAttended(rule: row.id)))
        }
    }

    /// Withdrawal and dialogue rows: unique ids, complaints and denunciations only (dialogue: complaints), a legal source,
    /// known procedures, a period that ends on or after it starts, and no two rows of a kind (or a procedure) in force on
    /// one day. Errors name the row.
    func validateComplaintSteps(ids: inout Set<String>) throws(DomainError) {
        for row in withdrawal {
            try row.checkDated(id: row.id, source: row.source, ids: &ids)
            guard row.caseKind == .complaint || row.caseKind == .denunciation else {
                throw .invalidRulebook("rule \(row.id): withdrawal rows are for complaints and denunciations, found \(row.caseKind.rawValue)")
            }
        }
        for (i, a) in withdrawal.enumerated() {
            for b in withdrawal[(i + 1)...] where a.caseKind == b.caseKind && a.overlaps(b) {
                throw .invalidRulebook("rules \(a.id) and \(b.id) are both in force on \(max(a.effectiveFrom, b.effectiveFrom))")
            }
        }
        for row in dialogue {
            try row.checkDated(id: row.id, source: row.source, ids: &ids)
            guard row.caseKind == .complaint else {
                throw .invalidRulebook("rule \(row.id): dialogue rows are for complaints, found \(row.caseKind.rawValue)")
            }
            guard !row.procedures.isEmpty else { throw .invalidRulebook("rule \(row.id): name the procedures whose decision needs a dialogue") }
            for code in row.procedures where procedure(code) == nil {
                throw .invalidRulebook("rule \(row.id): procedure '\(code)' is not in the procedures list")
            }
        }
        for (i, a) in dialogue.enumerated() {
            for b in dialogue[(i + 1)...] where a.overlaps(b) {
                if let shared = a.procedures.first(where: b.procedures.contains) {
                    throw .invalidRulebook(
                        "rules \(a.id) and \(b.id) both cover \(shared) on \(max(a.effectiveFrom, b.effectiveFrom))")
                }
            }
        }
    }
}

extension CaseState {
    /// A withdrawal or a dialogue, checked against the case itself (the rulebook's rows are checked by the writer,
    /// `Rulebook.checkWithdrawal`, `Rulebook.checkDialogueHeld`). Returns whether the case ends.
    func applyComplaintStep(_ body: ActionBody, name: String, action: Action, actorID: OfficialID?) throws(DomainError) -> Bool {
        switch body {
        case .withdraw(let withdrawal):
            // A withdrawal may come while the case is suspended: the complainant's letter ends what the suspension paused.
            try requireOwner(actorID, action: name, actor: action.actor)
            guard kind == .complaint || kind == .denunciation else {
                throw .invalidField(action: name, field: "case", reason: .complaintStep(.notWithdrawable(kind: kind)))
            }
            guard !decided, status != .resolved else {
                throw .invalidField(action: name, field: "case", reason: .complaintStep(.decidedAlready))
            }
            try Self.requireText(withdrawal.letter, action: name, field: "letter")
            if withdrawal.part != nil, withdrawal.continuing != nil {
                throw .invalidField(action: name, field: "continuing", reason: .complaintStep(.partAndContinuing))
            }
            if let part = withdrawal.part { try Self.requireText(part, action: name, field: "part") }
            if let continuing = withdrawal.continuing { try Self.requireText(continuing, action: name, field: "continuing") }
            return withdrawal.endsCase
        case .dialogue(let dialogue):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            guard kind == .complaint else {
                throw .invalidField(action: name, field: "case", reason: .complaintStep(.dialogueForComplaints(kind: kind)))
            }
            guard !decided else { throw .invalidField(action: name, field: "case", reason: .complaintStep(.decidedAlready)) }
            try Self.requireText(dialogue.participants, action: name, field: "participants")
            try Self.requireText(dialogue.outcome, action: name, field: "outcome")
            try Self.requireText(dialogue.minutes, action: name, field: "minutes")
            return false
        default:
            return false
        }
    }
}
