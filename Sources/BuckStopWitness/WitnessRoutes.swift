import BuckStopLedger
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The witness over HTTP: `POST /add-checkpoint` (C2SP tlog-witness), `GET /<hex SHA-256 of the origin>/checkpoint`
/// (the latest cosigned checkpoint of a log, for citizens, auditors and `buckstop verify --witness-url`) and `GET /`
/// (which logs it follows and its keys, in plain text).
public enum WitnessRoutes {
    public static func router(_ witness: WitnessService, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.post("/add-checkpoint") { request, _ -> Response in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: AddCheckpointRequest.maxBodyBytes)
            } catch {
                return text(.contentTooLarge, "the body is larger than \(AddCheckpointRequest.maxBodyBytes) bytes\n")
            }
            let answer = witness.handle(addCheckpoint: Array(body.readableBytesView))
            if answer.status != 200 {
                logger.notice("add-checkpoint refused", metadata: ["status": .string(String(answer.status))])
            }
            var headers = HTTPFields()
            if let type = answer.contentType { headers[.contentType] = type }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        router.get("/:hash/checkpoint") { _, context -> Response in
            guard let hash = context.parameters.get("hash"),
                let origin = witness.logs.keys.first(where: { TlogWitness.originHash($0) == hash }),
                let note = try witness.store.latestNote(origin: origin)
            else { return text(.notFound, "no cosigned checkpoint for that log\n") }
            return text(.ok, note)
        }
        router.get("/") { _, _ -> Response in
            var out = "BuckStop witness (C2SP tlog-witness)\n\nkeys:\n"
            for key in witness.verifierKeys { out += "  \(key.text)\n" }
            out += "\nlogs:\n"
            let sizes = try witness.store.sizes()
            for origin in witness.logs.keys.sorted() {
                out += "  \(origin)  cosigned size \(sizes[origin] ?? 0)  GET /\(TlogWitness.originHash(origin))/checkpoint\n"
            }
            return text(.ok, out)
        }
        return router
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
