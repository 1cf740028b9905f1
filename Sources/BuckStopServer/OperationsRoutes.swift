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
                return Self.json(["status": "unavailable", "reason": "database: \(error)"], status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, _ -> Response in
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
