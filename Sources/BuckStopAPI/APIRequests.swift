import BuckStopCalendar
import BuckStopDomain
import Foundation

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
    public var applicant: Applicant?

    public struct Applicant: Sendable, Equatable {
        public var fullName: String
        public var idNumber: String?
        public var address: String?
        public var phone: String?
        public var email: String?
    }

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        let o = try JSONDocumentReader(bytes: bytes, allowed: [
            "kind", "title", "leadUnit", "owner", "actor", "procedure", "at", "dueDate", "collaborators", "applicant",
        ])
        let kindText = try o.identifier("kind", required: true) ?? ""
        guard let kind = CaseKind(rawValue: kindText) else {
            throw APIRequestError(field: "kind", "expected one of \(CaseKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(kindText)'")
        }
        self.kind = kind
        title = try o.text("title", required: true, nonEmpty: true) ?? ""
        leadUnit = UnitID(try o.identifier("leadUnit", required: true) ?? "")
        owner = OfficialID(try o.identifier("owner", required: true) ?? "")
        actor = try o.identifier("actor").map(OfficialID.init(rawValue:))
        procedure = try o.identifier("procedure")
        at = try o.millis("at")
        dueDate = try o.date("dueDate")
        collaborators = (try o.identifierList("collaborators") ?? []).map(UnitID.init(rawValue:))
        if let a = try o.object("applicant", allowed: ["fullName", "idNumber", "address", "phone", "email"]) {
            applicant = Applicant(
                fullName: try a.text("fullName", required: true, nonEmpty: true) ?? "", idNumber: try a.text("idNumber"),
                address: try a.text("address"), phone: try a.text("phone"), email: try a.text("email"))
        }
    }
}

/// The body of `POST /api/v1/cases/{code}/actions` (appendAction): `type`, the acting official when the token does
/// not imply one, the time for an import, and the fields of the action (`ActionInput` turns them into the domain's).
public struct ActionRequest: Sendable {
    public var input: ActionInput
    public var actor: OfficialID?
    public var at: Int64?

    /// Fields that hold a list; every other action field is a string.
    static let listFields: Set<String> = ["units", "missing"]
    static let textFields: Set<String> = [
        "to", "note", "reason", "proposal", "instruction", "question", "dueDate", "unit", "text", "newDueDate", "apology", "legalBasis",
        "competentUnit", "decision", "rationale", "result", "outcome",
    ]

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        let o = try JSONDocumentReader(bytes: bytes, allowed: Self.listFields.union(Self.textFields).union(["type", "actor", "at"]))
        let type = try o.identifier("type", required: true) ?? ""
        guard let parsed = ActionType(rawValue: type), ActionInput.caseActionTypes.contains(parsed) else {
            throw APIRequestError(field: "type", "expected one of \(ActionInput.caseActionTypes.map(\.rawValue).joined(separator: ", ")), found '\(type)'")
        }
        input = ActionInput(type: type)
        actor = try o.identifier("actor").map(OfficialID.init(rawValue:))
        at = try o.millis("at")
        for key in Self.textFields { if let value = try o.text(key) { input.strings[key] = value } }
        for key in Self.listFields { if let value = try o.textList(key) { input.lists[key] = value } }
    }
}

/// The body of `POST /api/v1/findings/{id}/explanation`.
public struct ExplanationRequest: Sendable, Equatable {
    public var actor: OfficialID?
    public var text: String

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        let o = try JSONDocumentReader(bytes: bytes, allowed: ["actor", "text"])
        actor = try o.identifier("actor").map(OfficialID.init(rawValue:))
        text = try o.text("text", required: true, nonEmpty: true) ?? ""
    }
}

/// The body of `POST /api/v1/findings/{id}/review`.
public struct ReviewRequest: Sendable, Equatable {
    public var actor: OfficialID?
    public var uphold: Bool
    public var note: String

    public init(json bytes: [UInt8]) throws(APIRequestError) {
        let o = try JSONDocumentReader(bytes: bytes, allowed: ["actor", "uphold", "note"])
        actor = try o.identifier("actor").map(OfficialID.init(rawValue:))
        uphold = try o.bool("uphold", required: true) ?? false
        note = try o.text("note") ?? ""
    }
}

/// Any JSON value, as `JSONDecoder` reads it: a number that is a whole number in range is an integer.
enum JSONDocument: Decodable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONDocument].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONDocument].self))
        }
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Reads the members of one JSON object by name, each of the type and within the limits the document states; a
/// member the document does not name is refused (the schemas say `additionalProperties: false`), so a typo in a field
/// name is an error rather than a field silently missing.
struct JSONDocumentReader {
    let members: [String: JSONDocument]
    /// The path of this object inside the body ("applicant."), for error messages.
    let prefix: String

    init(bytes: [UInt8], allowed: Set<String>) throws(APIRequestError) {
        guard bytes.count <= APIRequestLimits.bodyBytes else {
            throw APIRequestError(field: nil, "the body has \(bytes.count) bytes, more than the limit of \(APIRequestLimits.bodyBytes)")
        }
        let document: JSONDocument
        do { document = try JSONDecoder().decode(JSONDocument.self, from: Data(bytes)) } catch {
            throw APIRequestError(field: nil, "the body is not valid JSON")
        }
        guard case .object(let members) = document else { throw APIRequestError(field: nil, "expected a JSON object, found \(document.kind)") }
        try self.init(members: members, allowed: allowed, prefix: "")
    }

    init(members: [String: JSONDocument], allowed: Set<String>, prefix: String) throws(APIRequestError) {
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIRequestError(field: prefix + unknown, "not a field of this request (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
        self.members = members
        self.prefix = prefix
    }

    /// The member, nil when absent; `null` counts as absent.
    private func value(_ key: String, required: Bool) throws(APIRequestError) -> JSONDocument? {
        switch members[key] {
        case nil, .null?:
            if required { throw APIRequestError(field: prefix + key, "is required") }
            return nil
        case let value?:
            return value
        }
    }

    func text(_ key: String, required: Bool = false, nonEmpty: Bool = false, limit: Int = APIRequestLimits.textCharacters) throws(APIRequestError) -> String? {
        guard let v = try value(key, required: required) else { return nil }
        guard case .string(let s) = v else { throw APIRequestError(field: prefix + key, "expected a string, found \(v.kind)") }
        guard s.count <= limit else { throw APIRequestError(field: prefix + key, "\(s.count) characters, more than the limit of \(limit)") }
        if nonEmpty, s.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw APIRequestError(field: prefix + key, "must not be empty") }
        return s
    }

    /// An id: non-empty, no control characters, within the identifier limit.
    func identifier(_ key: String, required: Bool = false) throws(APIRequestError) -> String? {
        guard let s = try text(key, required: required, limit: APIRequestLimits.identifierCharacters) else { return nil }
        guard !s.isEmpty, !s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIRequestError(field: prefix + key, "expected an identifier (non-empty, no control characters), found '\(s.debugDescription)'")
        }
        return s
    }

    func millis(_ key: String) throws(APIRequestError) -> Int64? {
        guard let v = try value(key, required: false) else { return nil }
        guard case .integer(let i) = v, i >= 0 else { throw APIRequestError(field: prefix + key, "expected milliseconds since 1970 (an integer ≥ 0)") }
        return i
    }

    func bool(_ key: String, required: Bool = false) throws(APIRequestError) -> Bool? {
        guard let v = try value(key, required: required) else { return nil }
        guard case .bool(let b) = v else { throw APIRequestError(field: prefix + key, "expected true or false, found \(v.kind)") }
        return b
    }

    func date(_ key: String) throws(APIRequestError) -> CivilDate? {
        guard let s = try text(key, limit: 10) else { return nil }
        do { return try CivilDate(iso: s) } catch { throw APIRequestError(field: prefix + key, "expected a date YYYY-MM-DD, found '\(s)'") }
    }

    func textList(_ key: String) throws(APIRequestError) -> [String]? {
        guard let v = try value(key, required: false) else { return nil }
        guard case .array(let items) = v else { throw APIRequestError(field: prefix + key, "expected an array of strings, found \(v.kind)") }
        guard items.count <= APIRequestLimits.listItems else {
            throw APIRequestError(field: prefix + key, "\(items.count) items, more than the limit of \(APIRequestLimits.listItems)")
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item, s.count <= APIRequestLimits.textCharacters else {
                throw APIRequestError(field: "\(prefix)\(key)[\(i)]", "expected a string of at most \(APIRequestLimits.textCharacters) characters")
            }
            out.append(s)
        }
        return out
    }

    func identifierList(_ key: String) throws(APIRequestError) -> [String]? {
        guard let items = try textList(key) else { return nil }
        for (i, s) in items.enumerated() where s.isEmpty || s.count > APIRequestLimits.identifierCharacters {
            throw APIRequestError(field: "\(prefix)\(key)[\(i)]", "expected an identifier of 1 to \(APIRequestLimits.identifierCharacters) characters")
        }
        return items
    }

    func object(_ key: String, allowed: Set<String>) throws(APIRequestError) -> JSONDocumentReader? {
        guard let v = try value(key, required: false) else { return nil }
        guard case .object(let members) = v else { throw APIRequestError(field: prefix + key, "expected an object, found \(v.kind)") }
        return try JSONDocumentReader(members: members, allowed: allowed, prefix: prefix + key + ".")
    }
}
