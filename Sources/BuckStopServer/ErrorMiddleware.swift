import BuckStopAPI
import BuckStopDomain
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The id of a request, in the log and on every answer (`X-Request-ID`, and `requestId` in a problem): an error's
/// details stay in the log, and the id is what a client quotes to find them.
enum RequestID {
    // A constant name, valid by construction.
    static let header = HTTPField.Name("X-Request-ID")!

    /// A well-formed id a trusted proxy sent (exactly one header), else a new one: a client cannot choose the id its
    /// log lines carry.
    static func resolve(given: [String], peer: String, trusted: Set<String>) -> String {
        if trusted.contains(peer), given.count == 1, isWellFormed(given[0]) { return given[0] }
        return Tokens.random(bytes: 12)
    }

    /// 1 to 128 characters of letters, digits and `-_.:+/=` (UUIDs, hex and base64 ids): nothing that could forge a
    /// log line or break out of a header, an attribute or a JSON string.
    static func isWellFormed(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
                || b == 0x2B || b == 0x2F || b == 0x3D
        }
    }
}

/// First on every request: its id, the client's address and the language; the id goes back on every answer, and
/// a `?lang=` choice is remembered in a cookie. The API and Open311 also read `Accept-Language` (pages keep Vietnamese
/// unless English is chosen).
struct RequestIdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    static let languageCookie = "bs_lang"
    // A constant name, valid by construction.
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let trusted = state.configuration.trustedProxies
        context.requestID = RequestID.resolve(given: request.headers[values: RequestID.header], peer: context.remoteAddress, trusted: trusted)
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        context.clientAddress = ClientAddress.resolve(
            peer: context.remoteAddress, forwardedFor: request.headers[values: Self.forwardedFor], trusted: trusted)
        var languageCookie: String?
        if let lang = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:)) {
            context.language = lang
            languageCookie = state.cookies.set(Self.languageCookie, lang.rawValue, maxAge: 365 * 86_400, httpOnly: false)
        } else if let lang = request.cookie(Self.languageCookie).flatMap(Language.init(rawValue:)) {
            context.language = lang
        } else if request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix(Open311Routes.root + "/"),
            let lang = Self.accepted(request.headers[values: .acceptLanguage])
        {
            context.language = lang
        }
        var response = try await next(request, context)
        response.headers[RequestID.header] = context.requestID
        if let languageCookie { response.headers.append(HTTPField(name: .setCookie, value: languageCookie)) }
        return response
    }

    /// The preferred of Vietnamese and English in an `Accept-Language` list (highest weight, first on a tie).
    static func accepted(_ values: [String]) -> Language? {
        var best: (lang: Language, q: Double)?
        for item in values.flatMap({ $0.split(separator: ",") }) {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let lang = Language(rawValue: primary) else { continue }
            var q = 1.0
            for p in parts.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            if q > 0, q > (best?.q ?? 0) { best = (lang, q) }
        }
        return best?.lang
    }
}

/// The one place an error becomes an answer, for every route: `Problem` maps it (status, problem type, message in
/// the request's language); under `/api/` the answer is `application/problem+json`, under `/open311/v2/` GeoReport's
/// error array, elsewhere the error page. A
/// failure of the service is logged here with the request id and the error's own text, which never leaves the server.
/// A thrown `Guard.Redirect` (a page that needs a login) is a redirect, not an error.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            // Who is calling could not be found out (the database is down): answered here like any other failure.
            if let failure = context.identificationFailure { throw failure }
            return try await next(request, context)
        } catch let redirect as Guard.Redirect {
            return state.redirect(redirect.location)
        } catch {
            return answer(error, request: request, context: context)
        }
    }

    func answer(_ error: any Error, request: Request, context: Context) -> Response {
        let problem = Problem(error)
        var metadata: Logger.Metadata = [
            "request_id": .string(context.requestID), "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(problem.status.code), "category": .string(problem.category.rawValue),
        ]
        if problem.category.isServerFailure {
            metadata["error"] = .string(String(describing: error))
            state.logger.error("request failed", metadata: metadata)
        } else {
            state.logger.debug("request refused", metadata: metadata)
        }
        if request.uri.path.hasPrefix("/api/") {
            return problem.json(lang: context.language, requestID: context.requestID, instance: request.uri.path)
        }
        if request.uri.path.hasPrefix(Open311Routes.root + "/") {
            return problem.open311(lang: context.language)
        }
        let lang = context.language
        let layout = Layout(state: state, context: context, path: request.uri.path)
        var response = layout.page(
            problem.title(lang), status: problem.status,
            HTML.el("p", [("id", "problem-detail")], text: problem.detail(lang))
                + Self.waysBack(problem, official: context.official, referer: request.headers[.referer], host: request.head.authority, lang: lang)
                + HTML.el(
                    "p", [("class", "muted")], HTML.text(lang.t("Mã yêu cầu (khi cần báo lỗi): ", "Request id (to report the error): ")),
                    HTML.el("code", [("id", "request-id")], text: context.requestID)))
        response.headers.append(contentsOf: problem.headers)
        return response
    }
}

extension ErrorMiddleware {
    /// Where to go from an error page: back to the page that linked here (same site only), the person's own start
    /// page, and for a page that needs another account, the login.
    static func waysBack(_ problem: Problem, official: Official?, referer: String?, host: String?, lang: Language) -> HTML {
        var links: [HTML] = []
        if let referer, let url = URL(string: referer), url.host != nil, let host,
            url.host.map({ h in url.port.map { "\(h):\($0)" } ?? h }) == host, !url.path.isEmpty
        {
            let back = url.path + (url.query.map { "?" + $0 } ?? "")
            links.append(
                HTML.el("a", [("id", "problem-back"), ("href", back)], text: lang.t("← Quay lại trang trước", "← Back to the previous page")))
        }
        if let official {
            links.append(HTML.el("a", [("id", "problem-home"), ("href", "/inbox")], text: lang.t("Việc cần xử lý của tôi", "My inbox")))
            if problem.status == .forbidden, official.roles.contains(.head) {
                links.append(HTML.el("a", [("href", "/unit")], text: lang.t("Trang đơn vị", "My unit")))
            }
        } else {
            links.append(HTML.el("a", [("id", "problem-home"), ("href", "/track")], text: lang.t("Tra cứu hồ sơ", "Track a case")))
            if problem.status == .forbidden || problem.status == .unauthorized {
                links.append(HTML.el("a", [("href", "/login")], text: lang.t("Cán bộ đăng nhập", "Officials' login")))
            }
        }
        if problem.category.isServerFailure {
            links.append(
                HTML.el(
                    "p", [("class", "muted")],
                    text: lang.t(
                        "Lỗi này không do Ông/Bà gây ra và đã được ghi lại. Vui lòng thử lại sau ít phút.",
                        "This error is not yours and has been logged. Please try again in a few minutes.")))
        }
        return HTML.el("nav", [("id", "problem-ways"), ("aria-label", lang.t("Đi tiếp", "Where to go"))], children: links)
    }
}

extension Problem {
    /// A refusal as the flash message of the page a form came from. A failure of the service is not the user's to
    /// fix: it is thrown on, and `ErrorMiddleware` answers with the error page and the request id.
    static func flash(_ error: any Error, _ lang: Language) throws -> Flash {
        let problem = Problem(error)
        guard !problem.category.isServerFailure else { throw error }
        return Flash(problem.detail(lang), isError: true)
    }
}
