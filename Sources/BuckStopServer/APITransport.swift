import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Serves the generated operations as routes of a Hummingbird router group, as swift-openapi-hummingbird's transport
/// does, with one difference: a response body of known length (every JSON answer) is collected into one buffer and
/// returned as such, so Hummingbird writes the head and the body together. The package's transport streams every
/// body through an async writer; perf of the comment run (POST /api/v1/cases/CODE/actions) showed that streaming —
/// a writer task, a yield and a separate socket write per response — as the largest part of the CPU the typed API
/// added per request.
struct APITransport: ServerTransport {
    let routes: RouterGroup<AppRequestContext>

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        routes.on(RouterPath(path), method: method) { request, context in
            let length: HTTPBody.Length =
                if let header = request.headers[.contentLength], let declared = Int64(header) { .known(declared) } else { .unknown }
            // Streamed as it arrives: `TypedAPIGate` checks access before reading it, then reads at most its limit.
            let body = HTTPBody(request.body.map { [UInt8](buffer: $0) }, length: length, iterationBehavior: .single)
            let parameters = [String: Substring](context.parameters.map { (String($0.0), $0.1) }) { first, _ in first }
            let (response, responseBody) = try await handler(request.head, body, ServerRequestMetadata(pathParameters: parameters))
            return Response(status: response.status, headers: response.headerFields, body: try await Self.responseBody(responseBody))
        }
    }

    static func responseBody(_ body: HTTPBody?) async throws -> ResponseBody {
        guard let body else { return ResponseBody(byteBuffer: ByteBuffer()) }
        guard case .known(let length) = body.length else { return ResponseBody(asyncSequence: body.map { ByteBuffer(bytes: $0) }) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(Int(clamping: length))
        for try await chunk in body { buffer.writeBytes(chunk) }
        return ResponseBody(byteBuffer: buffer)
    }
}
