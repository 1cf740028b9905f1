/// Why the domain refused something; every case says what was expected and what was found.
public enum DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidOrganization(String)
    case unknownOfficial(OfficialID)
    case unknownUnit(UnitID)
    case inactiveOfficial(OfficialID)
    /// A required field of an action is missing or empty (e.g. an escalation without a proposal).
    case missingField(action: String, field: String)
    case invalidField(action: String, field: String, reason: RefusalReason)
    /// The actor may not take this action on the case in its current state.
    case notPermitted(action: String, actor: String, reason: RefusalReason)
    case invalidTransition(action: String, from: CaseStatus)
    case caseAlreadyExists(CaseID)
    case unknownCase(CaseID)
    case invalidYAML(path: String, reason: String)
    case invalidRulebook(String)

    public var description: String {
        switch self {
        case .invalidOrganization(let why): "invalid organisation: \(why)"
        case .unknownOfficial(let id): "unknown official '\(id)'"
        case .unknownUnit(let id): "unknown unit '\(id)'"
        case .inactiveOfficial(let id): "official '\(id)' is no longer active"
        case .missingField(let action, let field): "\(action): field '\(field)' is required and was empty"
        case .invalidField(let action, let field, let reason): "\(action): field '\(field)' is invalid: \(reason)"
        case .notPermitted(let action, let actor, let reason): "\(action) by '\(actor)' is not permitted: \(reason)"
        case .invalidTransition(let action, let from): "\(action) is not allowed while the case is \(from.rawValue)"
        case .caseAlreadyExists(let id): "case '\(id)' already exists"
        case .unknownCase(let id): "unknown case '\(id)'"
        case .invalidYAML(let path, let reason): "YAML at \(path): \(reason)"
        case .invalidRulebook(let why): "invalid rulebook: \(why)"
        }
    }
}
