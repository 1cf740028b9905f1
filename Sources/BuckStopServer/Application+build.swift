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
    router.add(middleware: RequestIdentityMiddleware(state: state))
    router.add(middleware: AuthMiddleware(state: state))
    router.add(middleware: UnreadMiddleware(state: state))
    // Every error below, whichever route or middleware threw it, is answered here (and nowhere else).
    router.add(middleware: ErrorMiddleware(state: state))
    router.add(middleware: MethodMiddleware(openAPI: state.openAPIDocument))
    OperationsRoutes(state: state).register(on: router)
    WebRoutes(state: state).register(on: router)
    CitizenRoutes(state: state).register(on: router)
    Open311Routes(state: state).register(on: router)
    APIRoutes(state: state).register(on: router.group("api/v1"))
    do {
        try TypedAPI.register(state: state, on: router)
    } catch {
        // Registration fails only for a malformed server URL, and the generated default ("/") is well-formed: a bug
        // of this server, not a condition to serve on without the API.
        preconditionFailure("the typed API could not be registered: \(error)")
    }
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
                && zip(entry.segments, segments).allSatisfy { template, given in (template.first == "{" && template.last == "}") || template == given
                }
        }
        return match?.methods
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let methods = allowed(request.uri.path) ?? [.get, .head, .post]
        guard !methods.contains(request.method) else { return try await next(request, context) }
        throw RequestRefusal.methodNotAllowed(allow: methods.map(\.rawValue).sorted().joined(separator: ", "))
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
