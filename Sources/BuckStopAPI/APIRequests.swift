import BuckStopCalendar
import BuckStopDomain
import Foundation
import OpenAPIRuntime

/// A request body refused as a document, before its meaning is looked at: which field, and what was expected.
public struct APIRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String?
    public let message: String

    public init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

extension APIRequestError {
    /// What the generated types' decoding (`Generated/`, `JSONDecoder`, the runtime's query decoder) found wrong,
    /// named by its position in the document: `applicant.fullName`, `units[0]`, or nil for the body as a whole.
    /// Read from the error's cases and coding path only, never from its text.
    public init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(field: Self.path(context.codingPath), "expected \(Self.kind(type))")
        case .valueNotFound(_, let context):
            self.init(field: Self.path(context.codingPath), "is required")
        case .keyNotFound(let key, let context):
            self.init(field: Self.path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(field: nil, "the body is not valid JSON")
            } else {
                // An unknown member (`additionalProperties: false`), a value outside an enum, a number out of range.
                self.init(field: Self.path(context.codingPath), "not a field of this request, or not a value the document allows there")
            }
        @unknown default:
            self.init(field: nil, "the body does not match the document")
        }
    }

    /// As `init(_:)`, with the body at hand: Foundation's decoder reports a number that does not fit the integer
    /// asked for (`"at": 1.5`) as a body that is "not valid JSON", without a position. The body is then read as a
    /// free-form object (the generated runtime's container) to name the first such number; a body that does not
    /// read even so is the one that is not JSON.
    public init(_ error: DecodingError, body: [UInt8]) {
        guard case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
            let object = try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(body)),
            let field = Self.fractionalNumber(in: object.value, at: "")
        else {
            self.init(error)
            return
        }
        self.init(field: field, "expected an integer, found a number with a fraction or out of range")
    }

    /// The path of the first number, depth first in key order, that the runtime's container holds as a `Double`
    /// (it keeps whole numbers that fit as integers).
    static func fractionalNumber(in value: (any Sendable)?, at path: String) -> String? {
        switch value {
        case is Double, is Float: return path.isEmpty ? nil : path
        case let object as [String: (any Sendable)?]:
            for key in object.keys.sorted() {
                if let found = fractionalNumber(in: object[key] ?? nil, at: path.isEmpty ? key : path + "." + key) { return found }
            }
            return nil
        case let array as [(any Sendable)?]:
            for (i, item) in array.enumerated() {
                if let found = fractionalNumber(in: item, at: "\(path)[\(i)]") { return found }
            }
            return nil
        default: return nil
        }
    }

    static func path(_ keys: [any CodingKey]) -> String? {
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out.isEmpty ? nil : out
    }

    static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// The limits of a request document, as `openapi.yaml` states them.
public enum APIRequestLimits {
    /// The largest body the API reads (a bigger one is answered 413 before it is parsed).
    public static let bodyBytes = 1 << 20
    /// Characters of one text field (a title, a proposal, an explanation).
    public static let textCharacters = 10_000
    /// Items of one list (units consulted, documents missing).
    public static let listItems = 200
    /// Characters of one identifier (official, unit, procedure).
    public static let identifierCharacters = 100
}

/// The body of `POST /api/v1/cases` (openCase).
public struct OpenCaseRequest: Sendable, Equatable {
    public var kind: CaseKind
    public var title: String
    public var leadUnit: UnitID
    public var owner: OfficialID
    /// Who receives it; a token that belongs to an official implies them.
    public var actor: OfficialID?
    public var procedure: String?
    /// Only an integration allowed to import history may give it.
    public var at: Int64?
    public var dueDate: CivilDate?
    public var collaborators: [UnitID]
    /// The documents received, as the receipt lists them; checked against the procedure's checklist when given.
    public var documents: [String]
    public var applicant: Applicant?
    /// What a complaint or denunciation concerns (the body complained of, the accused).
    public var concerning: Concerning?
    /// The programme or plan a task or plan belongs to.
    public var parent: CaseID?
    /// A task's expected product.
    public var product: String?
    /// The document that issued a programme or plan, or assigned a task.
    public var document: IssuingDocument?
    /// What a report request asks for.
    public var template: ReportTemplate?
    /// What an inspection covers.
    public var inspection: InspectionScope?

    public struct Applicant: Sendable, Equatable {
        public var fullName: String
        public var idNumber: String?
        public var address: String?
        public var phone: String?
        public var email: String?
    }

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        try self.init(try RequestDocument.decode(Components.Schemas.OpenCaseRequest.self, bytes))
    }

    /// The generated type checked its shape (members, types, enums); the limits and rules it cannot state are here.
    public init(_ body: Components.Schemas.OpenCaseRequest) throws(APIRequestError) {
        let check = FieldCheck(prefix: "")
        // The generated enum and the domain's carry the same raw values (the document lists the domain's kinds).
        guard let kind = CaseKind(rawValue: body.kind.rawValue) else {
            throw APIRequestError(
                field: "kind", "expected one of \(CaseKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(body.kind.rawValue)'")
        }
        self.kind = kind
        title = try check.text("title", body.title, nonEmpty: true)
        leadUnit = UnitID(try check.identifier("leadUnit", body.leadUnit))
        owner = OfficialID(try check.identifier("owner", body.owner))
        actor = try body.actor.map { v throws(APIRequestError) in OfficialID(try check.identifier("actor", v)) }
        procedure = try body.procedure.map { v throws(APIRequestError) in try check.identifier("procedure", v) }
        at = try body.at.map { v throws(APIRequestError) in try check.millis("at", v) }
        dueDate = try body.dueDate.map { v throws(APIRequestError) in try check.date("dueDate", v) }
        collaborators = try check.identifierList("collaborators", body.collaborators ?? []).map(UnitID.init(rawValue:))
        documents = try check.textList("documents", body.documents ?? [])
        let concernedUnit = try body.concerningUnit.map { v throws(APIRequestError) in UnitID(try check.identifier("concerningUnit", v)) }
        let concernedOfficial = try body.concerningOfficial.map { v throws(APIRequestError) in
            OfficialID(try check.identifier("concerningOfficial", v))
        }
        concerning = concernedUnit == nil && concernedOfficial == nil ? nil : Concerning(unit: concernedUnit, official: concernedOfficial)
        parent = try body.parent.map { v throws(APIRequestError) in CaseID(try check.identifier("parent", v)) }
        product = try check.optionalText("product", body.product)
        if let d = body.document {
            let inner = FieldCheck(prefix: "document.")
            document = IssuingDocument(
                number: try inner.text("number", d.number), date: try inner.date("date", d.date), signer: try inner.text("signer", d.signer))
        } else {
            document = nil
        }
        if let t = body.template {
            var figures: [ReportFigure] = []
            for (n, f) in t.figures.enumerated() {
                let inner = FieldCheck(prefix: "template.figures[\(n)].")
                figures.append(ReportFigure(code: try inner.text("code", f.code), label: try inner.text("label", f.label)))
            }
            let inner = FieldCheck(prefix: "template.")
            template = ReportTemplate(sections: try inner.textList("sections", t.sections), figures: figures)
        } else {
            template = nil
        }
        if let i = body.inspection {
            let inner = FieldCheck(prefix: "inspection.")
            inspection = InspectionScope(
                subjects: try inner.identifierList("subjects", i.subjects).map(UnitID.init(rawValue:)), from: try inner.date("from", i.from),
                to: try inner.date("to", i.to), fields: try inner.identifierList("fields", i.fields))
        } else {
            inspection = nil
        }
        if let a = body.applicant {
            let inner = FieldCheck(prefix: "applicant.")
            applicant = Applicant(
                fullName: try inner.text("fullName", a.fullName, nonEmpty: true), idNumber: try inner.optionalText("idNumber", a.idNumber),
                address: try inner.optionalText("address", a.address), phone: try inner.optionalText("phone", a.phone),
                email: try inner.optionalText("email", a.email))
        }
    }
}

/// The body of `POST /api/v1/cases/{code}/actions` (appendAction): `type`, the acting official when the token does
/// not imply one, the time for an import, and the fields of the action (`ActionInput` turns them into the domain's).
public struct ActionRequest: Sendable {
    public var input: ActionInput
    public var actor: OfficialID?
    public var at: Int64?

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        try self.init(try RequestDocument.decode(Components.Schemas.ActionRequest.self, bytes))
    }

    public init(_ body: Components.Schemas.ActionRequest) throws(APIRequestError) {
        let check = FieldCheck(prefix: "")
        let type = body._type.rawValue
        // The document's enum is `caseActionTypes`; a type it lists that the domain does not take here is refused alike.
        let allowed = ActionInput.acceptedTypes
        guard let parsed = ActionType(rawValue: type), allowed.contains(parsed) else {
            throw APIRequestError(field: "type", "expected one of \(allowed.map(\.rawValue).joined(separator: ", ")), found '\(type)'")
        }
        input = ActionInput(type: type)
        actor = try body.actor.map { v throws(APIRequestError) in OfficialID(try check.identifier("actor", v)) }
        at = try body.at.map { v throws(APIRequestError) in try check.millis("at", v) }
        let texts: [(String, String?)] = [
            ("to", body.to), ("note", body.note), ("reason", body.reason), ("proposal", body.proposal), ("instruction", body.instruction),
            ("question", body.question), ("dueDate", body.dueDate), ("unit", body.unit), ("text", body.text), ("newDueDate", body.newDueDate),
            ("apology", body.apology), ("legalBasis", body.legalBasis), ("competentUnit", body.competentUnit), ("decision", body.decision),
            ("rationale", body.rationale), ("result", body.result), ("outcome", body.outcome), ("ground", body.ground), ("body", body.body),
            ("duplicateOf", body.duplicateOf), ("letter", body.letter), ("part", body.part), ("continuing", body.continuing),
            ("participants", body.participants), ("minutes", body.minutes), ("day", body.day), ("receivedBy", body.receivedBy),
            ("attachment", body.attachment), ("draft", body.draft), ("document", body.document), ("field", body.field),
            ("conclusionNumber", body.conclusionNumber), ("conclusionDate", body.conclusionDate), ("signer", body.signer),
            ("summary", body.summary),
        ]
        for case (let key, let value?) in texts { input.strings[key] = try check.text(key, value) }
        for case (let key, let value?) in [
            ("units", body.units), ("missing", body.missing), ("matters", body.matters), ("cases", body.cases), ("evidenceCases", body.evidenceCases),
        ] {
            input.lists[key] = try check.textList(key, value)
        }
        if let attended = body.complainantAttended { input.strings["complainantAbsent"] = attended ? "false" : "true" }
        if let citizens = body.citizens { input.strings["citizens"] = String(citizens) }
        if let percent = body.percent { input.strings["percent"] = String(percent) }
        if let figures = body.figures?.additionalProperties {
            input.lists["figures"] = figures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        }
    }
}

/// The body of `POST /api/v1/findings/{id}/explanation`.
public struct ExplanationRequest: Sendable, Equatable {
    public var actor: OfficialID?
    public var text: String

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        try self.init(try RequestDocument.decode(Components.Schemas.ExplanationRequest.self, bytes))
    }

    public init(_ body: Components.Schemas.ExplanationRequest) throws(APIRequestError) {
        let check = FieldCheck(prefix: "")
        actor = try body.actor.map { v throws(APIRequestError) in OfficialID(try check.identifier("actor", v)) }
        text = try check.text("text", body.text, nonEmpty: true)
    }
}

/// The body of `POST /api/v1/findings/{id}/review`.
public struct ReviewRequest: Sendable, Equatable {
    public var actor: OfficialID?
    public var uphold: Bool
    public var note: String
    public var cause: String?
    /// The assessment against Nghị định 73/2023's criteria, when the case was acted on under an approved proposal.
    public var protection: ProtectionReview?

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        try self.init(try RequestDocument.decode(Components.Schemas.ReviewRequest.self, bytes))
    }

    public init(_ body: Components.Schemas.ReviewRequest) throws(APIRequestError) {
        let check = FieldCheck(prefix: "")
        actor = try body.actor.map { v throws(APIRequestError) in OfficialID(try check.identifier("actor", v)) }
        uphold = body.uphold
        note = try check.optionalText("note", body.note) ?? ""
        cause = try body.cause.map { v throws(APIRequestError) in try check.identifier("cause", v) }
        protection = try body.protection.map { p throws(APIRequestError) in
            var unmet: [String] = []
            for (n, code) in p.unmet.enumerated() { unmet.append(try check.identifier("protection.unmet[\(n)]", code)) }
            return ProtectionReview(proposal: CaseID(try check.identifier("protection.proposal", p.proposal)), unmet: unmet)
        }
    }
}

/// The body of `POST /api/v1/findings/{id}/consequences`.
public struct ConsequenceRequest: Sendable, Equatable {
    public var actor: OfficialID?
    public var measure: String
    public var text: String
    public var decisionNumber: String?
    public var remediationOwner: OfficialID?
    public var remediationDue: CivilDate?

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        try self.init(try RequestDocument.decode(Components.Schemas.ConsequenceRequest.self, bytes))
    }

    public init(_ body: Components.Schemas.ConsequenceRequest) throws(APIRequestError) {
        let check = FieldCheck(prefix: "")
        actor = try body.actor.map { v throws(APIRequestError) in OfficialID(try check.identifier("actor", v)) }
        measure = try check.identifier("measure", body.measure)
        text = try check.text("text", body.text, nonEmpty: true)
        decisionNumber = try body.decisionNumber.map { v throws(APIRequestError) in try check.identifier("decisionNumber", v) }
        remediationOwner = try body.remediationOwner.map { v throws(APIRequestError) in OfficialID(try check.identifier("remediationOwner", v)) }
        remediationDue = try body.remediationDue.map { v throws(APIRequestError) in try check.date("remediationDue", v) }
    }

    /// The decision it asks for (`ConsequenceDecision.requested`, as the finding's page asks).
    public func decision(finding: String, measures: [ConsequenceMeasure]) -> ConsequenceDecision {
        .requested(
            finding: finding, measure: measure, text: text, decisionNumber: decisionNumber, remediationOwner: remediationOwner,
            remediationDue: remediationDue, measures: measures)
    }
}

/// The body of `POST /api/v1/findings/{id}/remediation`.
public struct RemediationRequest: Sendable, Equatable {
    public var actor: OfficialID?
    public var text: String

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        try self.init(try RequestDocument.decode(Components.Schemas.RemediationRequest.self, bytes))
    }

    public init(_ body: Components.Schemas.RemediationRequest) throws(APIRequestError) {
        let check = FieldCheck(prefix: "")
        actor = try body.actor.map { v throws(APIRequestError) in OfficialID(try check.identifier("actor", v)) }
        text = try check.text("text", body.text, nonEmpty: true)
    }
}

/// A body decoded into its generated type the way the server's generated layer decodes it (`JSONDecoder`): for the
/// fuzz target and the tests, which read bodies without a server.
enum RequestDocument {
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws(APIRequestError) -> T {
        guard bytes.count <= APIRequestLimits.bodyBytes else {
            throw APIRequestError(field: nil, "the body has \(bytes.count) bytes, more than the limit of \(APIRequestLimits.bodyBytes)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw APIRequestError(error, body: bytes)
        } catch {
            throw APIRequestError(field: nil, "the body is not valid JSON")
        }
    }
}

/// The limits and rules of one object's members that a JSON schema states but the generated types do not check
/// (lengths, identifiers, non-blank text, dates, list sizes); `prefix` is the object's path in the body ("applicant.").
struct FieldCheck {
    let prefix: String

    func text(_ key: String, _ s: String, nonEmpty: Bool = false, limit: Int = APIRequestLimits.textCharacters) throws(APIRequestError) -> String {
        guard s.count <= limit else { throw APIRequestError(field: prefix + key, "\(s.count) characters, more than the limit of \(limit)") }
        if nonEmpty, s.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw APIRequestError(field: prefix + key, "must not be empty") }
        return s
    }

    func optionalText(_ key: String, _ s: String?) throws(APIRequestError) -> String? {
        guard let s else { return nil }
        return try text(key, s)
    }

    /// An id: non-empty, no control characters, within the identifier limit.
    func identifier(_ key: String, _ s: String) throws(APIRequestError) -> String {
        _ = try text(key, s, limit: APIRequestLimits.identifierCharacters)
        guard !s.isEmpty, !s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIRequestError(field: prefix + key, "expected an identifier (non-empty, no control characters), found '\(s.debugDescription)'")
        }
        return s
    }

    func millis(_ key: String, _ i: Int64) throws(APIRequestError) -> Int64 {
        guard i >= 0 else { throw APIRequestError(field: prefix + key, "expected milliseconds since 1970 (an integer ≥ 0)") }
        return i
    }

    func date(_ key: String, _ s: String) throws(APIRequestError) -> CivilDate {
        _ = try text(key, s, limit: 10)
        do { return try CivilDate(iso: s) } catch { throw APIRequestError(field: prefix + key, "expected a date YYYY-MM-DD, found '\(s)'") }
    }

    func textList(_ key: String, _ items: [String]) throws(APIRequestError) -> [String] {
        guard items.count <= APIRequestLimits.listItems else {
            throw APIRequestError(field: prefix + key, "\(items.count) items, more than the limit of \(APIRequestLimits.listItems)")
        }
        for (i, s) in items.enumerated() where s.count > APIRequestLimits.textCharacters {
            throw APIRequestError(field: "\(prefix)\(key)[\(i)]", "expected a string of at most \(APIRequestLimits.textCharacters) characters")
        }
        return items
    }

    func identifierList(_ key: String, _ items: [String]) throws(APIRequestError) -> [String] {
        _ = try textList(key, items)
        for (i, s) in items.enumerated() where s.isEmpty || s.count > APIRequestLimits.identifierCharacters {
            throw APIRequestError(
                field: "\(prefix)\(key)[\(i)]", "expected an identifier of 1 to \(APIRequestLimits.identifierCharacters) characters")
        }
        return items
    }
}
