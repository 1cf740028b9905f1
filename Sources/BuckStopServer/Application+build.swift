import BuckStopAPI
import BuckStopDomain
import BuckStopStore
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization
import Yams

/// Builds the application: routes, middleware and the services that live beside the HTTP server (the scheduled
/// survey). `buckstop serve` runs it; tests drive its router directly.
public func buildApplication(state: ServerState, services: [any Service] = [], onListening: (@Sendable (Int) async -> Void)? = nil)
    -> some ApplicationProtocol
{
    let router = buildRouter(state: state)
    let configuration = ApplicationConfiguration(
        address: .hostname(state.configuration.host, port: state.configuration.port), serverName: "BuckStop")
    // Hummingbird's idle timeout counts from the last complete request part: a client that trickles a request head
    // byte by byte never completes one and is cut off after `headerTimeoutSeconds`.
    return Application(
        router: router, server: .http1(configuration: .init(idleTimeout: .seconds(Int64(state.configuration.headerTimeoutSeconds)))),
        configuration: configuration, services: services,
        onServerRunning: { channel in
            if let port = channel.localAddress?.port { await onListening?(port) }
        },
        logger: state.logger)
}

public func buildRouter(state: ServerState) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: MethodMiddleware(openAPI: state.openAPIDocument))
    router.add(middleware: AuthMiddleware(state: state))
    router.add(middleware: ErrorPageMiddleware(state: state))
    OperationsRoutes(state: state).register(on: router)
    WebRoutes(state: state).register(on: router)
    CitizenRoutes(state: state).register(on: router)
    APIRoutes(state: state).register(on: router.group("api/v1"))
    return router
}

/// A method a resource does not serve is 405 with the methods it does (`Allow`), not a "not found". The API's
/// resources and their methods are read from the OpenAPI document the server serves (one source of truth); every
/// other route is GET or POST, HEAD with GET.
struct MethodMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let documented: [(segments: [Substring], methods: Set<HTTPRequest.Method>)]

    init(openAPI document: String) {
        var table: [(segments: [Substring], methods: Set<HTTPRequest.Method>)] = []
        if let root = try? Yams.load(yaml: document) as? [String: Any], let paths = root["paths"] as? [String: Any] {
            for (template, item) in paths {
                guard let operations = item as? [String: Any] else { continue }
                // A path item also holds `parameters`, `summary`…: only the HTTP methods count.
                let verbs: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
                var methods = Set(operations.keys.filter(verbs.contains).compactMap { HTTPRequest.Method($0.uppercased()) })
                if methods.contains(.get) { methods.insert(.head) }
                table.append((template.split(separator: "/"), methods))
            }
        }
        documented = table
    }

    func allowed(_ path: String) -> Set<HTTPRequest.Method>? {
        let segments = path.split(separator: "/")
        let match = documented.first { entry in
            entry.segments.count == segments.count
                && zip(entry.segments, segments).allSatisfy { template, given in (template.first == "{" && template.last == "}") || template == given }
        }
        return match?.methods
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let methods = allowed(request.uri.path) ?? [.get, .head, .post]
        guard !methods.contains(request.method) else { return try await next(request, context) }
        let allow = methods.map(\.rawValue).sorted().joined(separator: ", ")
        let headers: HTTPFields = [.allow: allow, .contentType: "application/json; charset=utf-8"]
        let body = #"{"error":{"code":"method_not_allowed","field":null,"message":"this resource answers \#(allow) only"}}"#
        return Response(status: .methodNotAllowed, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Counts requests and their latency by route into the Prometheus registry (swift-metrics).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let instruments = RequestInstruments()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let (counter, timer) = instruments.for(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status)
            counter.increment()
            timer.recordInterval(since: started)
        }
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            status = Int(error.status.code)
            throw error
        }
    }
}

/// The counter and timer of each (method, route, status), made once: asking the metrics factory for them on every
/// request cost a registry lookup under a lock each time.
final class RequestInstruments: Sendable {
    private struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    private let made = Mutex<[Key: (Metrics.Counter, Metrics.Timer)]>([:])

    func `for`(method: String, route: String, status: Int) -> (Metrics.Counter, Metrics.Timer) {
        let key = Key(method: method, route: route, status: status)
        if let hit = made.withLock({ $0[key] }) { return hit }
        let pair = (
            Metrics.Counter(label: "buckstop_http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))]),
            Metrics.Timer(label: "buckstop_http_request_duration_seconds", dimensions: [("method", method), ("route", route)])
        )
        made.withLock { $0[key] = pair }
        return pair
    }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let d = ContinuousClock.now - start
        recordNanoseconds(Int64(d.components.seconds) * 1_000_000_000 + Int64(d.components.attoseconds / 1_000_000_000))
    }
}

/// Turns thrown redirects and errors on pages into responses: a login redirect, or an error page in the user's
/// language. API routes answer with their own JSON errors.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as Guard.Redirect {
            return state.redirect(redirect.location)
        } catch let error as HTTPError where !request.uri.path.hasPrefix("/api/") {
            let layout = Layout(state: state, context: context, path: request.uri.path)
            let lang = context.language
            let title: String
            switch error.status {
            case .notFound: title = lang.t("Không tìm thấy", "Not found")
            case .forbidden: title = lang.t("Không có quyền truy cập", "Forbidden")
            case .tooManyRequests: title = lang.t("Quá nhiều lần thử", "Too many attempts")
            default: title = lang.t("Có lỗi", "Error")
            }
            return layout.page(title, status: error.status, HTML.el("p", text: error.body ?? ""))
        } catch let error as StoreError {
            return Self.storeFailure(error, request: request, context: context, state: state)
        } catch is NIOTooManyBytesError where !request.uri.path.hasPrefix("/api/") {
            let layout = Layout(state: state, context: context, path: request.uri.path)
            return layout.page(
                context.language.t("Nội dung gửi lên quá lớn", "Too large"), status: .contentTooLarge,
                HTML.el("p", text: context.language.t("Biểu mẫu gửi lên vượt quá giới hạn cho phép.", "The form sent is larger than allowed.")))
        } catch let error where !(error is Guard.Redirect) && !(error is HTTPResponseError) && !request.uri.path.hasPrefix("/api/") {
            // Never an internal error's text on a page: logged here, the visitor sees that it failed.
            state.logger.error("page failed", metadata: ["path": .string(request.uri.path), "error": .string(String(describing: error))])
            let layout = Layout(state: state, context: context, path: request.uri.path)
            return layout.page(
                context.language.t("Có lỗi", "Error"), status: .internalServerError,
                HTML.el("p", text: context.language.t("Không xử lý được yêu cầu; lỗi đã được ghi lại.", "The request failed; it has been logged.")))
        }
    }

    /// A store failure as the caller's kind of answer: JSON under /api/, an error page otherwise (503 when the
    /// database cannot be reached).
    static func storeFailure(_ error: StoreError, request: Request, context: Context, state: ServerState) -> Response {
        let refusal = error.refusal(context.language)
        if request.uri.path.hasPrefix("/api/") { return APIRepresentation.error(refusal) }
        let layout = Layout(state: state, context: context, path: request.uri.path)
        let title = context.language.t("Tạm thời không phục vụ được", "Temporarily unavailable")
        return layout.page(title, status: HTTPResponse.Status(code: refusal.status), HTML.el("p", text: refusal.message))
    }
}
