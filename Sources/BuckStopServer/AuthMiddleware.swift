import BuckStopAPI
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Finds who is calling (session cookie or bearer token) and the page language, for every request. It never
/// refuses: the routes say what they require (`Guard`).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    static let sessionCookie = "bs_session"
    static let preSessionCookie = "bs_pre"
    static let citizenCookie = "bs_citizen"

    /// Who is calling: a web session (cookie) or an API client (bearer token), answers cached briefly.
    private func identify(_ request: Request, _ context: inout Context, nowMillis: Int64) async throws {
        // Sessions and tokens are all identification reads from the store.
        let access: any AccessStore = state.store
        let now = nowMillis / 1000
        if let token = request.cookie(Self.sessionCookie),
            let session = try await state.credentials.session(
                token, nowMillis: nowMillis, load: { try await access.session(token: token, now: now) }),
            let official = state.organization.official(session.official), official.active
        {
            context.principal = .official(official, session: session)
            context.sessionToken = token
        } else if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            let token = String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            if let client = try await state.credentials.apiToken(token, nowMillis: nowMillis, load: { try await access.apiToken(token: token) }) {
                context.principal = .apiClient(client)
            }
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var setCookies: [String] = []
        let nowMillis = LiveLedger.nowMillis()
        do {
            try await identify(request, &context, nowMillis: nowMillis)
        } catch {
            // The database cannot be asked who is calling (PostgreSQL down): `ErrorMiddleware` answers (503) rather
            // than the request going on as a stranger's.
            context.identificationFailure = error
        }
        // Forms shown before login (login, citizen lookup) carry a token that must match this cookie.
        // Open311 is an API without forms: no cookie there.
        if context.principal == nil, request.cookie(Self.preSessionCookie) == nil, request.method == .get,
            !request.uri.path.hasPrefix(Open311Routes.root + "/")
        {
            let token = Tokens.random(bytes: 18)
            context.preSessionToken = token
            setCookies.append(state.cookies.set(Self.preSessionCookie, token, maxAge: 86_400))
        } else {
            context.preSessionToken = request.cookie(Self.preSessionCookie)
        }
        var response = try await next(request, context)
        for c in setCookies { response.headers.append(HTTPField(name: .setCookie, value: c)) }
        return response
    }
}

enum Tokens {
    /// A URL-safe random token: `bytes` bytes from the system's generator in unpadded base64url (`Data.base64URL`).
    static func random(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var raw = Data()
        raw.reserveCapacity(bytes + 7)
        while raw.count < bytes { withUnsafeBytes(of: generator.next() as UInt64) { raw.append(contentsOf: $0) } }
        return Data(raw.prefix(max(0, bytes))).base64URL
    }
}

/// The checks routes make. Pages redirect to the login page; a refusal is thrown (`ErrorMiddleware` answers it).
enum Guard {
    struct Redirect: Error { let location: String }

    /// The logged-in official, or a redirect to the login page.
    static func official(_ context: AppRequestContext, path: String) throws -> Official {
        guard let o = context.official else {
            throw Redirect(location: "/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        return o
    }

    /// The session that writes an official's entry from a page (every logged-in official has one).
    static func credential(_ context: AppRequestContext) throws -> Credential {
        guard let credential = context.credential else { throw RequestRefusal.forbidden(Bilingual("Chưa có phiên làm việc", "no session")) }
        return credential
    }

    static func role(_ official: Official, _ roles: Set<Role>) throws {
        guard !official.roles.isDisjoint(with: roles) else {
            let names = roles.map(\.rawValue).sorted()
            throw RequestRefusal.forbidden(
                Bilingual("Cần vai trò \(names.joined(separator: " hoặc "))", "requires role \(names.joined(separator: " or "))"))
        }
    }

    /// The CSRF token of a form must equal the session's (or, before login, the pre-session cookie's).
    static func csrf(_ form: FormFields, _ context: AppRequestContext) throws {
        let expected = context.session?.csrf ?? context.preSessionToken
        guard let expected, let given = form["_csrf"], !given.isEmpty, constantTimeEqual(given, expected) else {
            throw RequestRefusal.forbidden(
                Bilingual(
                    "Mã bảo mật của biểu mẫu bị thiếu hoặc đã cũ; hãy tải lại trang và thử lại.",
                    "the form's security token is missing or stale; reload the page and try again"))
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in 0..<x.count { d |= x[i] ^ y[i] }
        return d == 0
    }
}
