import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// What arrived for an official since they last opened their inbox: cases that came to them and findings about them,
/// shown as a count beside "Việc cần xử lý" on every page (the web app's notice; API clients have the event stream).
/// "Last opened" is a cookie per browser naming the official, the ledger size and the time of that visit — no
/// table to keep, and a browser shared by two officials never shows one the other's count.
struct Unread: Sendable, Equatable {
    var cases: Int
    var findings: Int
    var total: Int { cases + findings }

    static let cookie = "bs_seen"

    /// The last inbox visit recorded for `official` in the cookie's value (`official.index.millis`), or nil.
    struct Seen: Equatable {
        var index: Int64
        var at: Int64

        init(index: Int64, at: Int64) {
            self.index = index
            self.at = at
        }

        init?(cookie: String, official: OfficialID) {
            let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, String(parts[0]) == Self.encode(official), let index = Int64(parts[1]), let at = Int64(parts[2]) else {
                return nil
            }
            self.index = index
            self.at = at
        }

        func value(for official: OfficialID) -> String { "\(Self.encode(official)).\(index).\(at)" }

        /// Official ids are letters, digits and dashes; anything else is hex-escaped so the cookie stays one token.
        static func encode(_ official: OfficialID) -> String {
            official.rawValue.unicodeScalars.map { s in
                s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_") ? String(s) : String(format: "~%X", s.value)
            }.joined()
        }
    }

    /// Counts for `official` since `seen`: cases they now hold that came to them after it, open findings about them
    /// raised after it (at most 99 counted: the badge says "99+").
    static func count(store: any LedgerStore, official: OfficialID, seen: Seen) async throws -> Unread {
        let cases = try await store.inbox(of: official).filter { $0.ownerSince > seen.at }.count
        let findings = try await store.findingVersions(FindingQuery(official: official, statuses: [.open], raisedAfter: seen.index, limit: 100))
        return Unread(cases: cases, findings: findings.count)
    }
}

/// Fills `context.unread` for an official's page views (GET, not the API, not static files), after authentication.
struct UnreadMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.method == .get, let me = context.official, !request.uri.path.hasPrefix("/api/"), !request.uri.path.hasPrefix("/static/"),
            let raw = request.cookie(Unread.cookie), let seen = Unread.Seen(cookie: raw, official: me.id)
        {
            // A page still renders if the count cannot be read: the badge is a convenience, not the page's content.
            context.unread = try? await Unread.count(store: state.store, official: me.id, seen: seen)
        }
        return try await next(request, context)
    }
}
