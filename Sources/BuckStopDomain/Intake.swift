import BuckStopCalendar

/// A ground on which the law lets a letter be refused acceptance (không thụ lý): a dated row of the rulebook, like a
/// deadline, with its legal source and status. A refusal (`ActionBody.refuseIntake`) names the row by its id, so the
/// ledger says exactly which ground of which period was used, and the citizen reads the ground in the law's words.
public struct RefusalGround: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    /// The kind of letter the ground is for (a complaint under Luật Khiếu nại Đ.11, a denunciation under Luật Tố cáo Đ.29).
    public var caseKind: CaseKind
    /// The ground in the law's words, in Vietnamese.
    public var ground: String
    public var groundEn: String
    public var source: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    /// verified / secondary / unverified / projected, as for deadline rules.
    public var status: String
    public var note: String?

    public init(
        id: String, caseKind: CaseKind, ground: String, groundEn: String, source: String, effectiveFrom: CivilDate,
        effectiveTo: CivilDate? = nil, status: String, note: String? = nil
    ) {
        self.id = id
        self.caseKind = caseKind
        self.ground = ground
        self.groundEn = groundEn
        self.source = source
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.status = status
        self.note = note
    }

    /// The kinds of letter the law lists grounds of refusal for.
    public static let refusableKinds: Set<CaseKind> = [.complaint, .denunciation]
}

extension Rulebook {
    /// The grounds of refusal for a kind of letter in force on a day (the day it was received), in the rulebook's order.
    public func refusalGrounds(for kind: CaseKind, on date: CivilDate) -> [RefusalGround] {
        refusalGrounds.filter { $0.caseKind == kind && $0.isInForce(on: date) }
    }

    /// The row a refusal names, checked: it exists, is for this kind of letter and was in force on the day the letter was
    /// received. Errors name the field `ground`.
    public func refusalGround(_ id: String, for kind: CaseKind, receivedOn date: CivilDate) throws(DomainError) -> RefusalGround {
        let name = ActionType.refuseIntake.rawValue
        guard let row = refusalGrounds.first(where: { $0.id == id }) else {
            throw .invalidField(action: name, field: "ground", reason: .intake(.unknownGround(id)))
        }
        guard row.caseKind == kind else {
            throw .invalidField(action: name, field: "ground", reason: .intake(.groundOfOtherKind(id, ground: row.caseKind, case: kind)))
        }
        guard row.isInForce(on: date) else {
            throw .invalidField(action: name, field: "ground", reason: .intake(.groundNotInForce(id, received: date)))
        }
        return row
    }

    /// Every refusal ground is well formed: a unique id, a kind the law lists grounds for, the ground in both languages, a
    /// legal source, a known status and a period that ends on or after it starts. Errors name the row.
    public func validateRefusalGrounds() throws(RulebookError) {
        var ids = Set<String>()
        for row in refusalGrounds {
            func refuse(_ expected: String, _ found: String) -> RulebookError {
                .incompleteRule(rule: "refusalGrounds.\(row.id)", expected: expected, found: found)
            }
            func blank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }
            guard !row.id.isEmpty, ids.insert(row.id).inserted else { throw refuse("a unique id", "'\(row.id)' again") }
            guard RefusalGround.refusableKinds.contains(row.caseKind) else {
                throw refuse("caseKind complaint or denunciation", row.caseKind.rawValue)
            }
            guard !blank(row.ground) else { throw refuse("the ground in Vietnamese", "none") }
            guard !blank(row.groundEn) else { throw refuse("the ground in English", "none") }
            guard !blank(row.source) else { throw refuse("a legal source", "none") }
            guard rulebookStatuses.contains(row.status) else {
                throw refuse("status verified, secondary, unverified or projected", "'\(row.status)'")
            }
            if let end = row.effectiveTo, end < row.effectiveFrom {
                throw refuse("effectiveTo on or after effectiveFrom \(row.effectiveFrom)", "\(end)")
            }
        }
    }
}

/// Why an intake outcome (refusal, guidance, duplicate) was refused, worded once per language.
public enum IntakeRefusal: Sendable, Equatable, CustomStringConvertible {
    case unknownGround(String)
    case groundOfOtherKind(String, ground: CaseKind, case: CaseKind)
    case groundNotInForce(String, received: CivilDate)
    /// Refusal is for complaints and denunciations (the kinds the law lists grounds for).
    case notRefusable(kind: CaseKind)
    /// Acceptance is refused before the letter is accepted (taken up).
    case alreadyTakenUp
    /// Guidance, forwarding and duplicates are for letters: complaints, denunciations, petitions.
    case notALetter(kind: CaseKind)
    /// Guidance sends the sender outside the organisation; a unit of it is reached by forwarding (decline).
    case guideInsideOrganisation(String)
    case duplicateOfItself
    case unknownCase(CaseID)
    case duplicateOfOtherKind(CaseID, kind: CaseKind, case: CaseKind)
    /// The link on the earlier case is written by the system beside the duplicate.
    case onlySystemLinks

    public var description: String { english }

    public var english: String {
        switch self {
        case .unknownGround(let id): "no refusal ground '\(id)' in the rulebook"
        case .groundOfOtherKind(let id, let ground, let kind): "ground \(id) is for a \(ground.rawValue), this case is a \(kind.rawValue)"
        case .groundNotInForce(let id, let received): "ground \(id) was not in force on \(received), the day the letter was received"
        case .notRefusable(let kind): "the law lists grounds of refusal for complaints and denunciations, this case is a \(kind.rawValue)"
        case .alreadyTakenUp: "acceptance is refused before the letter is taken up"
        case .notALetter(let kind): "guidance and duplicates are for complaints, denunciations and petitions, this case is a \(kind.rawValue)"
        case .guideInsideOrganisation(let unit): "\(unit) is a unit of this organisation: forward the letter to it (decline) instead"
        case .duplicateOfItself: "a case is not a duplicate of itself"
        case .unknownCase(let id): "no case \(id)"
        case .duplicateOfOtherKind(let id, let kind, let mine): "\(id) is a \(kind.rawValue), this case is a \(mine.rawValue)"
        case .onlySystemLinks: "the link to a duplicate is written by the system"
        }
    }

    public var vietnamese: String {
        switch self {
        case .unknownGround(let id): "bộ quy tắc không có căn cứ không thụ lý '\(id)'"
        case .groundOfOtherKind(let id, let ground, let kind): "căn cứ \(id) dành cho \(ground.nameVi), hồ sơ này là \(kind.nameVi)"
        case .groundNotInForce(let id, let received): "căn cứ \(id) không có hiệu lực ngày \(received), ngày nhận đơn"
        case .notRefusable(let kind): "pháp luật quy định trường hợp không thụ lý cho khiếu nại và tố cáo, hồ sơ này là \(kind.nameVi)"
        case .alreadyTakenUp: "chỉ không thụ lý khi đơn chưa được thụ lý"
        case .notALetter(let kind): "hướng dẫn và đơn trùng dành cho khiếu nại, tố cáo, kiến nghị, phản ánh; hồ sơ này là \(kind.nameVi)"
        case .guideInsideOrganisation(let unit): "\(unit) là đơn vị trong hệ thống: hãy chuyển đơn (từ chối, chuyển thẩm quyền)"
        case .duplicateOfItself: "hồ sơ không thể trùng với chính nó"
        case .unknownCase(let id): "không có hồ sơ \(id)"
        case .duplicateOfOtherKind(let id, let kind, let mine): "\(id) là \(kind.nameVi), hồ sơ này là \(mine.nameVi)"
        case .onlySystemLinks: "liên kết đơn trùng do hệ thống ghi"
        }
    }
}

extension ActionBody {
    /// An intake outcome that ends the letter's case: refusal, guidance, duplicate.
    public var endsAtIntake: Bool {
        switch self {
        case .refuseIntake, .guide, .markDuplicate: true
        default: false
        }
    }

    /// An entry after which the case is closed by itself: a closing, an intake outcome, a withdrawal of the whole letter
    /// that ends the handling. (A decline outside the organisation ends it too, but only the organisation can tell.)
    public var endsCase: Bool {
        switch self {
        case .close, .refuseIntake, .guide, .markDuplicate, .cancel: true
        case .withdraw(let withdrawal): withdrawal.endsCase
        default: false
        }
    }

    /// The case this entry links to as a duplicate or the original: (the other case, whether this one is the duplicate).
    public var duplicateLink: (other: CaseID, isDuplicate: Bool)? {
        switch self {
        case .markDuplicate(let other, _): (other, true)
        case .duplicateLinked(let duplicate): (duplicate, false)
        default: nil
        }
    }
}

extension CaseState {
    /// The kinds that arrive as letters (đơn) and get an intake outcome.
    static let letterKinds: Set<CaseKind> = [.complaint, .denunciation, .petition]

    /// A duplicate names an earlier case that exists and is of the same kind; checked by the writer, which reads the
    /// other case, before the duplicate is appended (`apply` checks it is not the case itself).
    public func checkDuplicate(of other: CaseID, found: CaseState?) throws(DomainError) {
        let name = ActionType.duplicate.rawValue
        guard other != id else { throw .invalidField(action: name, field: "duplicateOf", reason: .intake(.duplicateOfItself)) }
        guard let found else { throw .invalidField(action: name, field: "duplicateOf", reason: .intake(.unknownCase(other))) }
        guard found.kind == kind else {
            throw .invalidField(action: name, field: "duplicateOf", reason: .intake(.duplicateOfOtherKind(other, kind: found.kind, case: kind)))
        }
    }

    /// The intake outcomes: refusal, guidance, duplicate (each ends the case), and the link on the earlier case.
    /// Returns whether the case closes.
    func applyIntake(_ body: ActionBody, name: String, action: Action, actorID: OfficialID?, in org: Organization?) throws(DomainError)
        -> Bool
    {
        switch body {
        case .refuseIntake(let ground, let reason):
            try requireOwner(actorID, action: name, actor: action.actor)
            try Self.requireText(ground, action: name, field: "ground")
            try Self.requireText(reason, action: name, field: "reason")
            guard RefusalGround.refusableKinds.contains(kind) else {
                throw .invalidField(action: name, field: "case", reason: .intake(.notRefusable(kind: kind)))
            }
            guard status == .received, !isSuspended else {
                throw .invalidField(action: name, field: "case", reason: .intake(.alreadyTakenUp))
            }
            return true
        case .guide(let body, let legalBasis, _):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(body, action: name, field: "body")
            try Self.requireText(legalBasis, action: name, field: "legalBasis")
            guard Self.letterKinds.contains(kind) else { throw .invalidField(action: name, field: "case", reason: .intake(.notALetter(kind: kind))) }
            if let org, org.unit(UnitID(body)) != nil {
                throw .invalidField(action: name, field: "body", reason: .intake(.guideInsideOrganisation(body)))
            }
            return true
        case .markDuplicate(let other, let note):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(note, action: name, field: "note")
            guard Self.letterKinds.contains(kind) else { throw .invalidField(action: name, field: "case", reason: .intake(.notALetter(kind: kind))) }
            guard other != id else { throw .invalidField(action: name, field: "duplicateOf", reason: .intake(.duplicateOfItself)) }
            return true
        case .duplicateLinked(let duplicate):
            guard case .system = action.actor else {
                throw .notPermitted(action: name, actor: action.actor.stored, reason: .intake(.onlySystemLinks))
            }
            guard duplicate != id else { throw .invalidField(action: name, field: "duplicate", reason: .intake(.duplicateOfItself)) }
            return false
        default:
            return false
        }
    }
}
