import BuckStopCalendar
import BuckStopLedger
import Foundation

/// One citizen-reception session as the reception book (sổ tiếp công dân) records it. Personal data stays off the
/// ledger: the entry says how many citizens came, what they raised and which cases were opened from it, never who
/// they are.
public struct ReceptionSession: Sendable, Hashable {
    /// The day citizens were received (it may be entered a little later).
    public var day: CivilDate
    /// Người tiếp: the official who received them — for a periodic session the head or, where the law allows it, a
    /// deputy.
    public var receivedBy: OfficialID
    /// A session of the head's periodic schedule (định kỳ), as opposed to ad hoc (đột xuất) or the regular desk.
    public var periodic: Bool
    /// How many citizens were received (a count, never names).
    public var citizens: Int
    /// The matters raised, in words (no names, addresses or identity numbers).
    public var matters: [String]
    /// Cases opened from the session (a complaint, a denunciation, a petition…).
    public var cases: [CaseID]

    public init(day: CivilDate, receivedBy: OfficialID, periodic: Bool, citizens: Int, matters: [String], cases: [CaseID] = []) {
        self.day = day
        self.receivedBy = receivedBy
        self.periodic = periodic
        self.citizens = citizens
        self.matters = matters
        self.cases = cases
    }
}

/// Why a reception entry or a reception book was refused.
public enum ReceptionRefusal: Sendable, Equatable, CustomStringConvertible {
    /// A session entered in a case that is not a reception book.
    case notAReceptionBook(kind: CaseKind)
    /// Case work (acceptance, escalation, a decision…) asked of a reception book.
    case notForReceptionBook(action: String)
    /// A reception book is held by the head of its unit.
    case bookNotHeldByHead(OfficialID, unit: UnitID)
    /// Only officials of the unit (its head, deputies, reception staff) write in its book.
    case actorOutsideUnit(OfficialID, unit: UnitID)
    /// A periodic session is received by the head, or a deputy.
    case periodicNotByHeadOrDeputy(OfficialID, unit: UnitID)
    /// Any other session is received by an official of the unit.
    case receiverOutsideUnit(OfficialID, unit: UnitID)
    case noCitizens(found: Int)

    public var description: String { english }

    public var english: String {
        switch self {
        case .notAReceptionBook(let kind): "sessions are entered in a reception book, this case is a \(kind.rawValue)"
        case .notForReceptionBook(let action): "a reception book records sessions, notes and hand-overs, not \(action)"
        case .bookNotHeldByHead(let owner, let unit): "a reception book is held by the head of \(unit), found \(owner)"
        case .actorOutsideUnit(let actor, let unit): "\(actor) is not an official of \(unit), whose book this is"
        case .periodicNotByHeadOrDeputy(let official, let unit):
            "a periodic session is received by the head of \(unit) or a deputy, found \(official)"
        case .receiverOutsideUnit(let official, let unit): "\(official) is not an official of \(unit)"
        case .noCitizens(let found): "at least one citizen is received in a session, found \(found)"
        }
    }

    public var vietnamese: String {
        switch self {
        case .notAReceptionBook(let kind): "buổi tiếp công dân được ghi vào sổ tiếp công dân, hồ sơ này là \(kind.nameVi)"
        case .notForReceptionBook(let action): "sổ tiếp công dân chỉ ghi buổi tiếp, ghi chú và bàn giao sổ, không ghi thao tác \(action)"
        case .bookNotHeldByHead(let owner, let unit): "sổ tiếp công dân do người đứng đầu \(unit) giữ, không phải \(owner)"
        case .actorOutsideUnit(let actor, let unit): "\(actor) không phải cán bộ của \(unit), đơn vị có sổ này"
        case .periodicNotByHeadOrDeputy(let official, let unit):
            "buổi tiếp định kỳ do người đứng đầu \(unit) hoặc cấp phó tiếp, không phải \(official)"
        case .receiverOutsideUnit(let official, let unit): "\(official) không phải cán bộ của \(unit)"
        case .noCitizens(let found): "mỗi buổi tiếp có ít nhất một công dân, nhận được \(found)"
        }
    }
}

extension CaseState {
    /// A reception book records sessions, notes, its hand-over to a new head, its closing and reopening — nothing of
    /// the work on a case — and sessions are recorded nowhere else.
    func requireFitsReceptionBook(_ body: ActionBody, action name: String) throws(DomainError) {
        switch body {
        case .receptionHeld:
            guard kind == .reception else {
                throw .invalidField(action: name, field: "case", reason: .reception(.notAReceptionBook(kind: kind)))
            }
        case .comment, .assign, .close, .reopen, .raiseFinding, .explainFinding, .reviewFinding, .decideConsequence, .completeRemediation, .open:
            return
        default:
            guard kind != .reception else {
                throw .invalidField(action: name, field: "case", reason: .reception(.notForReceptionBook(action: name)))
            }
        }
    }

    /// The opening of a reception book: the level whose schedule judges it (its procedure) and the unit's own head.
    static func requireReceptionBook(_ open: OpenCase, in org: Organization?) throws(DomainError) {
        guard open.kind == .reception else { return }
        guard open.procedure != nil else { throw .missingField(action: "open", field: "procedure") }
        if let org, org.unit(open.leadUnit)?.head != open.owner {
            throw .invalidField(action: "open", field: "owner", reason: .reception(.bookNotHeldByHead(open.owner, unit: open.leadUnit)))
        }
    }

    /// Who may write a session in the book and who may have received citizens in it (checked against the organisation
    /// when there is one), and that the session is whole.
    mutating func applyReception(_ session: ReceptionSession, action: Action, actorID: OfficialID?, in org: Organization?) throws(DomainError) {
        let name = action.body.type.rawValue
        guard status.isOpen else { throw .invalidTransition(action: name, from: status) }
        guard let actorID else { throw .notPermitted(action: name, actor: action.actor.stored, reason: .onlyOfficialActs) }
        guard session.citizens >= 1 else {
            throw .invalidField(action: name, field: "citizens", reason: .reception(.noCitizens(found: session.citizens)))
        }
        guard !session.matters.isEmpty else { throw .missingField(action: name, field: "matters") }
        if let blank = session.matters.firstIndex(where: Self.isBlank) {
            throw .invalidField(action: name, field: "matters[\(blank)]", reason: .emptyListItem)
        }
        if let blank = session.cases.firstIndex(where: { Self.isBlank($0.rawValue) }) {
            throw .invalidField(action: name, field: "cases[\(blank)]", reason: .emptyListItem)
        }
        let opened = CivilDate(Date(timeIntervalSince1970: Double(openedAt) / 1000))
        let written = CivilDate(Date(timeIntervalSince1970: Double(action.at) / 1000))
        guard opened <= session.day, session.day <= written else {
            throw .invalidField(action: name, field: "day", reason: .dateOutOfRange(from: opened, to: written, found: session.day))
        }
        if let org {
            guard let actor = org.official(actorID), org.isWithin(actor.unit, subtreeOf: leadUnit) else {
                throw .notPermitted(action: name, actor: actorID.rawValue, reason: .reception(.actorOutsideUnit(actorID, unit: leadUnit)))
            }
            guard let receiver = org.official(session.receivedBy) else { throw .unknownOfficial(session.receivedBy) }
            if session.periodic {
                let unit = org.unit(leadUnit)
                guard unit?.head == receiver.id || unit?.deputies.contains(receiver.id) == true else {
                    throw .invalidField(
                        action: name, field: "receivedBy", reason: .reception(.periodicNotByHeadOrDeputy(receiver.id, unit: leadUnit)))
                }
            } else if !org.isWithin(receiver.unit, subtreeOf: leadUnit) {
                throw .invalidField(action: name, field: "receivedBy", reason: .reception(.receiverOutsideUnit(receiver.id, unit: leadUnit)))
            }
        }
        status = .processing
    }
}

extension LedgerEntryCodec {
    static func receptionFields(_ session: ReceptionSession) -> [(String, JSONValue)] {
        var result: [(String, JSONValue)] = [
            ("day", .string(session.day.description)), ("receivedBy", .string(session.receivedBy.rawValue)),
            ("citizens", .int(Int64(session.citizens))), ("matters", .array(session.matters.map { .string($0) })),
        ]
        if !session.cases.isEmpty { result.append(("cases", .array(session.cases.map { .string($0.rawValue) }))) }
        return result
    }

    static func receptionSession(_ reader: FieldReader, periodic: Bool) throws(LedgerEntryError) -> ReceptionSession {
        let citizens = try reader.int("citizens")
        guard let count = Int(exactly: citizens) else {
            throw .invalidField(field: "citizens", expected: "a whole number", found: "\(citizens)")
        }
        return ReceptionSession(
            day: try reader.date("day"), receivedBy: OfficialID(try reader.string("receivedBy")), periodic: periodic, citizens: count,
            matters: try reader.stringArray("matters"), cases: try reader.stringArray("cases", optional: true).map(CaseID.init(rawValue:)))
    }
}
