import BuckStopCalendar

/// What a complaint or a denunciation is about, inside the organisation: the body whose decision or act is complained
/// of (khiếu nại), or the official accused (tố cáo: người bị tố cáo). It decides who has the competence to decide the
/// case and who must not handle it (conflict of interest). Ids only: the names are in the organisation.
public struct Concerning: Sendable, Hashable, Codable {
    /// The unit that issued the decision or did the act complained of; for a denunciation, the accused's unit.
    public var unit: UnitID?
    /// The official whose act is complained of, or who is accused.
    public var official: OfficialID?

    public init(unit: UnitID? = nil, official: OfficialID? = nil) {
        self.unit = unit
        self.official = official
    }

    public var isEmpty: Bool { unit == nil && official == nil }
}

/// Whose head the law gives the decision to, relative to what the case concerns.
public enum DecidingBody: String, Sendable, Codable, Hashable, CaseIterable {
    /// The body that issued the decision or whose official acted (first-instance complaint: Luật Khiếu nại 2011 Đ.17–21).
    case issuingBody = "issuing_body"
    /// The body directly above it (second-instance complaint: Luật Khiếu nại 2011 Đ.21(2)).
    case superiorBody = "superior_body"
    /// The body that manages the accused; for its head or a deputy head, the body directly above (Luật Tố cáo 2018 Đ.12).
    case managingBody = "managing_body"
}

/// Thẩm quyền giải quyết: for a kind (and procedure), which head decides, with its legal source and period of force.
/// Rows are data in the rulebook; a case uses the row in force on the day it is opened.
public struct CompetenceRule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    public var caseKind: CaseKind
    /// Nil: every procedure of the kind without its own row.
    public var procedure: String?
    public var decidedBy: DecidingBody
    public var source: String
    public var status: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    public var note: String?

    public init(
        id: String, caseKind: CaseKind, procedure: String? = nil, decidedBy: DecidingBody, source: String, status: String,
        effectiveFrom: CivilDate, effectiveTo: CivilDate? = nil, note: String? = nil
    ) {
        self.id = id
        self.caseKind = caseKind
        self.procedure = procedure
        self.decidedBy = decidedBy
        self.source = source
        self.status = status
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.note = note
    }

}

/// Why no deciding body can be named for a case.
public enum CompetenceGap: Sendable, Hashable, Error {
    /// The rule needs the accused official (a denunciation) and none is named.
    case accusedNotNamed
    /// The rule needs the body complained of and neither a unit nor an official is named.
    case bodyNotNamed
    /// The body the law names is above the top of this organisation (a ministry, a court): the case is not decided here.
    case aboveOrganisation(UnitID)
}

extension Organization {
    /// The body (cơ quan) a unit belongs to: itself, or the nearest unit above a division (phòng, ban).
    public func body(of unit: UnitID) -> UnitID {
        var cursor = unit
        while let u = self.unit(cursor), u.kind == .division, let parent = u.parent { cursor = parent }
        return cursor
    }

    /// The body directly above a body, if the organisation holds it.
    public func superiorBody(of body: UnitID) -> UnitID? { unit(body)?.parent.map { self.body(of: $0) } }

    /// Whether an official leads a unit: its head or one of its deputies (a deputy signs for the head: ký thay).
    public func leads(_ official: OfficialID, _ unit: UnitID) -> Bool {
        guard let u = self.unit(unit) else { return false }
        return u.head == official || u.deputies.contains(official)
    }

    /// The units an official heads or deputises.
    public func unitsLed(by official: OfficialID) -> [UnitID] {
        units.values.filter { $0.head == official || $0.deputies.contains(official) }.map(\.id).sorted()
    }

    /// Whether `official` works under `superior`: in a unit, or below a unit, that `superior` heads or deputises and
    /// `official` does not lead too (a head is not under their own deputy).
    public func isSubordinate(_ official: OfficialID, of superior: OfficialID) -> Bool {
        guard official != superior, let unit = self.official(official)?.unit else { return false }
        return chain(from: unit).contains { leads(superior, $0) && !leads(official, $0) }
    }

    /// The body whose head decides a case, by the rule and what the case concerns.
    public func decidingBody(_ rule: DecidingBody, concerning: Concerning) -> Result<UnitID, CompetenceGap> {
        switch rule {
        case .issuingBody, .superiorBody:
            guard let unit = concerning.unit ?? concerning.official.flatMap({ official($0)?.unit }) else { return .failure(.bodyNotNamed) }
            let issuing = body(of: unit)
            if rule == .issuingBody { return .success(issuing) }
            guard let above = superiorBody(of: issuing) else { return .failure(.aboveOrganisation(issuing)) }
            return .success(above)
        case .managingBody:
            guard let accused = concerning.official, let unit = official(accused)?.unit else { return .failure(.accusedNotNamed) }
            let managing = body(of: unit)
            guard leads(accused, managing) else { return .success(managing) }
            guard let above = superiorBody(of: managing) else { return .failure(.aboveOrganisation(managing)) }
            return .success(above)
        }
    }
}

extension Rulebook {
    /// The deciding body of a complaint or denunciation opened on `day` about `open.concerning`, with the competence row
    /// that names it; nil when the case concerns nothing named (a letter not yet classified) or no row is in force.
    /// One decision for every writer: the live ledger fills it in, the demo generator records it, both through here.
    public func decidingBody(
        for open: OpenCase, on day: CivilDate, in org: Organization
    ) throws(DomainError) -> (body: UnitID, rule: CompetenceRule)? {
        guard let concerning = open.concerning, !concerning.isEmpty,
            let rule = competence(for: open.kind, procedure: open.procedure, on: day)
        else { return nil }
        switch org.decidingBody(rule.decidedBy, concerning: concerning) {
        case .success(let body):
            if let given = open.decidingBody, given != body {
                throw .invalidField(action: "open", field: "decidingBody", reason: .wrongDecidingBody(expected: body, found: given))
            }
            return (body, rule)
        case .failure(.accusedNotNamed): throw .missingField(action: "open", field: "concerning.official")
        case .failure(.bodyNotNamed): throw .missingField(action: "open", field: "concerning.unit")
        case .failure(.aboveOrganisation(let top)):
            throw .invalidField(action: "open", field: "concerning", reason: .decidedOutside(top))
        }
    }
}
