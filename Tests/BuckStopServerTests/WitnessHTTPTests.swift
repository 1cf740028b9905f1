import BuckStopLedger
import BuckStopServer
import BuckStopStore
import BuckStopTestSupport
import BuckStopWitness
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The witness as a separate HTTP service (`buckstop witness serve`): the log submits over real HTTP, the witness
/// answers per C2SP tlog-witness, and its latest cosigned checkpoint is served for anyone to fetch.
@Suite(.serialized) struct WitnessHTTPTests {
    @Test func aLogIsWitnessedOverHTTP() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.store.checkpoint()
        let key = try CosignatureSigner(keyName: "thanhtra.example/witness", seed: [UInt8](repeating: 9, count: 32))
        let logKey = try CheckpointVerifier(publicKey: fixture.store.publicKey).noteVerifier(origin: fixture.store.origin)
        let witness = try WitnessService(
            cosigners: [key], logs: [try WitnessedLog(origin: fixture.store.origin, verifiers: [logKey])],
            store: try WitnessStore(path: fixture.directory + "/http-witness.sqlite"))
        let app = Application(router: WitnessRoutes.router(witness, logger: Logger(label: "test")))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = try #require(URL(string: "http://127.0.0.1:\(port)/"))
            let endpoint = WitnessEndpoint(verifier: key.verifier, transport: HTTPWitnessTransport(base: base), location: base.absoluteString)
            let publisher = try WitnessPublisher(store: fixture.store, witnesses: [endpoint], logger: Logger(label: "test"))
            let size = Int(try await fixture.store.ledgerSize())
            #expect(try await publisher.publishLatest()[key.keyName] == .cosigned(size: size))
            #expect(try await publisher.publishLatest()[key.keyName] == .alreadyCosigned)
            // The cosigned checkpoint as the witness serves it carries the log's signature and the witness's.
            let served = try #require(try await HTTPWitnessTransport(base: base).latestNote(origin: fixture.store.origin))
            let note = try SignedNote(parsing: served)
            #expect(note.signatures.count == 2)
            #expect(try SignedCheckpoint(note: note).checkpoint.size == size)
            // A malformed body is refused with 400, an unknown log with 404.
            let bad = try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: "old 0\n"))
            #expect(bad.status.code == 400)
            let page = try await client.execute(uri: "/", method: .get)
            #expect(String(buffer: page.body).contains(key.verifierKey.text))
        }
    }
}
