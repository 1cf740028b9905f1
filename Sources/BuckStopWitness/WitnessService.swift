import BuckStopLedger
import Foundation

/// A witness: its keys, the logs it follows, its storage. `handle(addCheckpoint:)` is the whole C2SP tlog-witness
/// `add-checkpoint` operation as bytes in and status and bytes out, so the HTTP routes and an in-process caller (the
/// demo, the tests) share it.
public struct WitnessService: Sendable {
    public let cosigners: [CosignatureSigner]
    public let logs: [String: WitnessedLog]
    public let store: WitnessStore

    public init(cosigners: [CosignatureSigner], logs: [WitnessedLog], store: WitnessStore) throws {
        guard !cosigners.isEmpty else { throw WitnessError.configuration("a witness needs a key") }
        self.cosigners = cosigners
        self.logs = Dictionary(logs.map { ($0.origin, $0) }, uniquingKeysWith: { first, _ in first })
        self.store = store
    }

    /// The witness's verifier keys, as the logs it follows configure them.
    public var verifierKeys: [NoteVerifierKey] { cosigners.map(\.verifierKey) }

    /// What to answer an `add-checkpoint` request.
    public struct Answer: Sendable {
        public let status: Int
        public let contentType: String?
        public let body: [UInt8]
    }

    public func handle(addCheckpoint body: [UInt8], now: Int64 = Int64(Date().timeIntervalSince1970)) -> Answer {
        do {
            switch try store.addCheckpoint(body: body, logs: logs, cosigners: cosigners, timestamp: now) {
            case .success(let cosigned):
                return Answer(status: 200, contentType: "text/plain; charset=utf-8", body: cosigned.response.body)
            case .failure(let refusal):
                return Answer(status: refusal.httpStatus, contentType: refusal.contentType, body: refusal.responseBody)
            }
        } catch {
            return Answer(status: 500, contentType: "text/plain; charset=utf-8", body: Array("the witness could not read or write its state\n".utf8))
        }
    }
}
