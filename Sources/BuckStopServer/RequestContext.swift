import BuckStopAPI
import BuckStopDomain
import BuckStopStore
import Hummingbird
import NIOCore

/// Who is calling: an official with a web session, an API client with a bearer token, or nobody (a citizen).
public enum Principal: Sendable {
    case official(Official, session: StoredSession)
    case apiClient(StoredAPIToken)

    public var official: Official? {
        if case .official(let o, _) = self { return o }
        return nil
    }
}

/// The request context: the language, the principal found by the auth middleware and the peer's address (for
/// rate limiting the citizen's PIN).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var language: Language = .vi
    /// The TCP peer.
    public let remoteAddress: String
    /// Who the request is from, for limits and logs: the peer, or the client a trusted proxy names (`ClientAddress`).
    public var clientAddress: String
    /// The session token of the cookie, when one was presented and valid.
    public var sessionToken: String?
    /// The pre-session CSRF token (forms shown before login).
    public var preSessionToken: String?
    /// This request's id (`RequestID`): in the log lines about it and on its answer.
    public var requestID = ""
    /// What arrived for the official since their last inbox visit (`UnreadMiddleware`), for the navigation badge.
    var unread: Unread?
    /// Why the caller could not be identified (the database could not be asked); `ErrorMiddleware` answers it.
    var identificationFailure: (any Error)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        clientAddress = remoteAddress
    }

    public var official: Official? { principal?.official }

    /// The credential an entry written by this request records: the web session or the API token.
    public var credential: Credential? {
        switch principal {
        case .official?: sessionToken.map { .session(id: StoreTokens.sessionID($0)) }
        case .apiClient(let client)?: .apiToken(name: client.name)
        case nil: nil
        }
    }
    public var session: StoredSession? {
        if case .official(_, let s) = principal { return s }
        return nil
    }
}
