/// What kind of failure an error is: the one classification every edge maps from — the server to an HTTP status,
/// problem type and message (`Problem` in BuckStopServer), the command line to an exit code (`ExitStatus` in
/// `buckstop`). Decisions are taken on the category, never on an error's text or its type's name.
public enum FailureCategory: String, Sendable, CaseIterable {
    /// Input that does not parse or is out of range: a request document or parameter, a flag's value, a file's content.
    case invalidInput
    /// The domain refused: who may do what, a required field, the case's state, a date out of bounds.
    case rejected
    /// No such case, finding, official, unit, entry, file or database.
    case notFound
    /// It exists already (a finding raised twice, a case code taken).
    case conflict
    /// No credential, or one that is unknown or revoked.
    case unauthenticated
    /// A credential that may not do this.
    case forbidden
    /// A body larger than the limit.
    case tooLarge
    /// Too many attempts or requests; try later.
    case rateLimited
    /// A method the resource does not serve.
    case methodNotAllowed
    /// The database cannot be reached right now (refused or lost connection, shutting down); nothing was acknowledged
    /// and the request may be retried.
    case unavailable
    /// The database or a file failed while reading or writing (read-only, full, a constraint or trigger, I/O).
    case storageFailure
    /// Keys, settings or the organisation do not fit the database: the operator must act.
    case misconfigured
    /// Anything else: a bug or data that should not exist. Its text is for the log only.
    case internalError

    /// A failure of the service rather than of the request: its details never leave the server.
    public var isServerFailure: Bool {
        switch self {
        case .unavailable, .storageFailure, .misconfigured, .internalError: true
        default: false
        }
    }
}

/// An error that knows its category and, when one is to blame, the input field.
public protocol CategorizedError: Error {
    var category: FailureCategory { get }
    /// The request field, parameter or option to blame, if any.
    var field: String? { get }
}

extension CategorizedError {
    public var field: String? { nil }
}

extension DomainError: CategorizedError {
    public var category: FailureCategory {
        switch self {
        case .missingField, .invalidField, .notPermitted, .invalidTransition, .unknownOfficial, .inactiveOfficial, .unknownUnit: .rejected
        case .caseAlreadyExists: .conflict
        case .unknownCase: .notFound
        case .invalidOrganization, .invalidYAML, .invalidRulebook: .invalidInput
        }
    }

    public var field: String? {
        switch self {
        case .missingField(_, let field), .invalidField(_, let field, _): field
        case .invalidTransition: "type"
        case .unknownOfficial, .inactiveOfficial: "to"
        case .unknownUnit: "unit"
        case .notPermitted, .caseAlreadyExists, .unknownCase, .invalidOrganization, .invalidYAML, .invalidRulebook: nil
        }
    }
}
