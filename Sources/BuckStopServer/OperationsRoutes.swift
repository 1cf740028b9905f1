import BuckStopDomain
import Foundation
import Hummingbird
import NIOCore

/// Health for the orchestrator, metrics for Prometheus, the API description and the stylesheet.
struct OperationsRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/health/live") { _, _ in Self.health(Self.healthOK) }
        router.get("/health/ready") { _, _ -> Response in
            do {
                try await state.store.ping()
                return Self.health(Self.healthOK)
            } catch {
                // The reason is logged, not sent: an internal error's text never leaves the server.
                state.logger.warning("readiness: database unavailable", metadata: ["error": .string(String(describing: error))])
                return Self.health(Self.healthUnavailable, status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { request, context -> Response in
            // Request counts by route and status tell an outsider how the service is used: only for the monitoring
            // system (its token) or on this machine.
            if let token = state.configuration.metricsToken {
                let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
                guard Guard.constantTimeEqual(given, token) else {
                    return Response(
                        status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                        body: .init(byteBuffer: ByteBuffer(string: "a bearer token is required\n")))
                }
            } else if !ClientAddress.isLocal(peer: context.remoteAddress, trusted: state.configuration.trustedProxies) {
                return Response(
                    status: .forbidden,
                    body: .init(byteBuffer: ByteBuffer(string: "metrics are served on this machine only (or set metrics_token)\n")))
            }
            var buffer: [UInt8] = []
            state.metrics.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: state.openAPIDocument)))
        }
        // The problem types an error answer names (`type` of `application/problem+json`).
        router.get("/problems") { request, context in problemTypes(request, context, only: nil) }
        router.get("/problems/:code") { request, context -> Response in
            guard let code = context.parameters.get("code"), let category = FailureCategory.allCases.first(where: { $0.answer.code == code }) else {
                throw RequestRefusal.notFound(Bilingual("Không có loại lỗi này", "No such problem type"))
            }
            return problemTypes(request, context, only: category.answer.code)
        }
        router.get("/static/style.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: state.stylesheet)))
        }
    }

    /// One problem type, or all of them: status, code and meaning in the page's language.
    func problemTypes(_ request: Request, _ context: AppRequestContext, only code: String?) -> Response {
        let lang = context.language
        var seen: Set<String> = []
        var rows: [HTML] = []
        for category in FailureCategory.allCases {
            let answer = category.answer
            guard code == nil || answer.code == code, seen.insert(answer.code).inserted else { continue }
            rows.append(
                HTML.el(
                    "section", [("class", "card"), ("id", "problem-" + answer.code)],
                    HTML.el("h2", [], HTML.el("a", [("href", Problem.typeURI(answer.code))], text: answer.title(lang))),
                    HTML.el(
                        "dl", [("class", "kv")], HTML.el("dt", text: "HTTP"), HTML.el("dd", text: String(answer.status.code)),
                        HTML.el("dt", text: "code"), HTML.el("dd", [("class", "mono")], text: answer.code)),
                    HTML.el("p", text: answer.summary(lang))))
        }
        let layout = Layout(state: state, context: context, path: request.uri.path)
        let title = code == nil ? lang.t("Các loại lỗi của API", "Problem types of the API") : rows.isEmpty ? "" : lang.t("Loại lỗi", "Problem type")
        return layout.page(title, request: request, HTML.join(rows))
    }

    /// The health answers (`HealthOK`, `HealthUnavailable` in the document) are constants: nothing to encode.
    static let healthOK = #"{"status":"ok"}"#
    static let healthUnavailable = #"{"reason":"database","status":"unavailable"}"#

    static func health(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
