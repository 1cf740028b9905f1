import BuckStopDomain

/// Why the store refused or failed. A rejected action leaves nothing behind. Each case has its `category`, which is
/// all an edge decides on; the associated texts (a database's own message) are for logs and the operator only.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible, CategorizedError {
    /// The domain refused the action (who may do what, required fields).
    case rejected(DomainError)
    case unknownCase(CaseID)
    case unknownUnit(UnitID)
    case noOrganization
    case invalidKey(String)
    case configurationMismatch(String)
    case personalDataErased(ref: String)
    /// The record does not open with the configured data key (another key, or the sealed bytes were changed).
    case personalDataUnreadable(ref: String)
    /// A finding with this id (same case, detector and official) is already on the ledger.
    case findingExists(String)
    case unknownFinding(String)
    case database(String)
    /// The database cannot be reached right now (connection refused or lost, server shutting down); the request
    /// may be retried. Nothing of it was acknowledged.
    case unavailable(String)
    /// A database location (URL) that cannot be used.
    case invalidLocation(String)

    public var description: String {
        switch self {
        case .rejected(let error): "rejected: \(error)"
        case .unknownCase(let id): "unknown case '\(id)'"
        case .unknownUnit(let id): "unknown unit '\(id)'"
        case .noOrganization: "the database has no organisation yet (run `buckstop demo` or `buckstop org load FILE`)"
        case .invalidKey(let why): "invalid key: \(why)"
        case .configurationMismatch(let why): "configuration does not match the database: \(why)"
        case .personalDataErased(let ref): "personal data \(ref) has been erased"
        case .personalDataUnreadable(let ref):
            "personal data \(ref) does not open with the configured data key (another key, or the record was altered)"
        case .findingExists(let id): "finding \(id) is already on the ledger"
        case .unknownFinding(let id): "unknown finding '\(id)' on this case"
        case .database(let why): "database error: \(why)"
        case .unavailable(let why): "database unavailable: \(why)"
        case .invalidLocation(let why): "database location: \(why)"
        }
    }

    public var category: FailureCategory {
        switch self {
        case .rejected(let domain): domain.category
        case .unknownCase, .unknownFinding, .personalDataErased: .notFound
        case .unknownUnit: .rejected
        case .findingExists: .conflict
        case .noOrganization, .invalidKey, .configurationMismatch, .personalDataUnreadable, .invalidLocation: .misconfigured
        case .database: .storageFailure
        case .unavailable: .unavailable
        }
    }

    public var field: String? {
        switch self {
        case .rejected(let domain): domain.field
        case .unknownCase: "case"
        case .unknownUnit: "leadUnit"
        case .unknownFinding: "finding"
        default: nil
        }
    }
}
