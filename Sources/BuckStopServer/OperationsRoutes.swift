import Foundation
import Hummingbird
import NIOCore

/// Health for the orchestrator, metrics for Prometheus, the API description and the stylesheet.
struct OperationsRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/health/live") { _, _ in Self.json(["status": "ok"]) }
        router.get("/health/ready") { _, _ -> Response in
            do {
                try await state.store.ping()
                return Self.json(["status": "ok"])
            } catch {
                // The reason is logged, not sent: an internal error's text never leaves the server.
                state.logger.warning("readiness: database unavailable", metadata: ["error": .string(String(describing: error))])
                return Self.json(["status": "unavailable", "reason": "database"], status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { request, context -> Response in
            // Request counts by route and status tell an outsider how the service is used: only for the monitoring
            // system (its token) or on this machine.
            if let token = state.configuration.metricsToken {
                let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
                guard Guard.constantTimeEqual(given, token) else {
                    return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"], body: .init(byteBuffer: ByteBuffer(string: "a bearer token is required\n")))
                }
            } else if !ClientAddress.isLocal(peer: context.remoteAddress, trusted: state.configuration.trustedProxies) {
                return Response(status: .forbidden, body: .init(byteBuffer: ByteBuffer(string: "metrics are served on this machine only (or set metrics_token)\n")))
            }
            var buffer: [UInt8] = []
            state.metrics.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: state.openAPIDocument)))
        }
        router.get("/static/style.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: state.stylesheet)))
        }
    }

    static func json(_ object: [String: String], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
