import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain

/// What an imported log's values mean: which activities are escalations, consultations…, which attributes
/// carry the owner, the case kind or a due date, and where owners sit in the organisation. Without one, the
/// detectors that need it are skipped and say why — they never guess.
public struct LogMapping: Codable, Sendable, Equatable {
    /// The day the log was observed (open cases are judged as of it); default: the day of the last event.
    public var asOf: CivilDate?
    /// Role key (`escalation`, `supplement_request`…) → activity names.
    public var activities: [String: [String]]?
    public var attributes: Attributes?
    /// The case kind when the log holds one kind only and has no kind attribute.
    public var defaultKind: CaseKind?
    /// Owner value → placement.
    public var owners: [String: Owner]?
    /// Owner values written `ID<qualifier>SUFFIX` (officials of several organisations built alike — a province's
    /// copy of the same structure) take the placement of `ID`.
    public var ownerQualifier: String?
    public var competent: [Competence]?
    /// Unit → the unit above it, so that who works under whom can be told (conflict of interest); units absent here
    /// stand alone with their agency.
    public var unitParents: [String: String]?

    public struct Attributes: Codable, Sendable, Equatable {
        public var owner: String?
        public var actor: String?
        public var caseType: String?
        public var kind: String?
        public var procedure: String?
        public var due: String?
        public var target: String?
        public var status: String?
        /// The official a complaint is about or a denunciation accuses (an owner value).
        public var concerning: String?
        /// The unit whose head decides the case (thẩm quyền giải quyết).
        public var decidingBody: String?
        /// A task's lead unit, its expected product and its title: what `overlap` compares across tasks.
        public var leadUnit: String?
        public var product: String?
        public var title: String?
        /// An inspection's scope and violations (`InspectionLogText`): what `self_inspection_miss` compares.
        public var inspection: String?

        public init(
            owner: String? = nil, actor: String? = nil, caseType: String? = nil, kind: String? = nil, procedure: String? = nil,
            due: String? = nil, target: String? = nil, status: String? = nil, concerning: String? = nil, decidingBody: String? = nil,
            leadUnit: String? = nil, product: String? = nil, title: String? = nil, inspection: String? = nil
        ) {
            self.inspection = inspection
            self.owner = owner
            self.actor = actor
            self.caseType = caseType
            self.kind = kind
            self.procedure = procedure
            self.due = due
            self.target = target
            self.status = status
            self.concerning = concerning
            self.decidingBody = decidingBody
            self.leadUnit = leadUnit
            self.product = product
            self.title = title
        }

        enum CodingKeys: String, CodingKey {
            case owner, actor, kind, procedure, due, target, status, concerning, product, title, inspection
            case caseType = "case_type"
            case leadUnit = "lead_unit"
            case decidingBody = "deciding_body"
        }
    }

    public struct Owner: Codable, Sendable, Equatable {
        public var unit: String?
        public var agency: String?
        public var level: Int?
        /// Units the official heads or deputises.
        public var leads: [String]?
        public init(unit: String? = nil, agency: String? = nil, level: Int? = nil, leads: [String]? = nil) {
            self.unit = unit
            self.agency = agency
            self.level = level
            self.leads = leads
        }
    }

    public struct Competence: Codable, Sendable, Equatable {
        public var kind: CaseKind
        public var procedure: String?
        public var agencies: [String]
        public init(kind: CaseKind, procedure: String?, agencies: [String]) {
            self.kind = kind
            self.procedure = procedure
            self.agencies = agencies
        }
    }

    enum CodingKeys: String, CodingKey {
        case activities, attributes, owners, competent
        case unitParents = "unit_parents"
        case asOf = "as_of"
        case defaultKind = "default_kind"
        case ownerQualifier = "owner_qualifier"
    }

    public init(
        asOf: CivilDate? = nil, activities: [String: [String]]? = nil, attributes: Attributes? = nil, defaultKind: CaseKind? = nil,
        owners: [String: Owner]? = nil, ownerQualifier: String? = nil, competent: [Competence]? = nil, unitParents: [String: String]? = nil
    ) {
        self.unitParents = unitParents
        self.ownerQualifier = ownerQualifier
        self.asOf = asOf
        self.activities = activities
        self.attributes = attributes
        self.defaultKind = defaultKind
        self.owners = owners
        self.competent = competent
    }

    /// Reads a mapping file's text; errors name the path in the document and unknown role keys.
    public static func load(yaml: String) throws(AnalysisError) -> LogMapping {
        let mapping: LogMapping
        do {
            mapping = try YAMLLoading.decode(LogMapping.self, from: yaml)
        } catch {
            throw .mapping("\(error)")
        }
        for key in (mapping.activities ?? [:]).keys.sorted() where ActivityRole(mappingKey: key) == nil || key == "other" {
            let known = ActivityRole.allCases.filter { $0 != .other }.map(\.mappingKey).joined(separator: ", ")
            throw .mapping("activities.\(key): unknown role; expected one of \(known)")
        }
        return mapping
    }

    /// Activity name → role.
    public var roles: [String: ActivityRole] {
        var out: [String: ActivityRole] = [:]
        for (key, names) in activities ?? [:] {
            guard let role = ActivityRole(mappingKey: key) else { continue }
            for name in names { out[name] = role }
        }
        return out
    }

    public func maps(_ role: ActivityRole) -> Bool { !(activities?[role.mappingKey] ?? []).isEmpty }
}

public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    case mapping(String)
    case option(String)
    case input(String)

    public var description: String {
        switch self {
        case .mapping(let m): "mapping file: \(m)"
        case .option(let m): m
        case .input(let m): m
        }
    }
}
