import BuckStopLedger
import BuckStopStore
import BuckStopWitness
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// How the log reaches a witness: over HTTP (a witness run by someone else), or in this process (the demo's witness,
/// the tests).
public protocol WitnessTransport: Sendable {
    /// POST `add-checkpoint`: the status and body the witness answered.
    func addCheckpoint(_ body: [UInt8]) async throws -> (status: Int, body: [UInt8])
    /// The witness's latest cosigned note of a log, as it serves it (nil: none yet).
    func latestNote(origin: String) async throws -> String?
}

/// A witness at a URL (`https://witness.example/`), speaking C2SP tlog-witness.
public struct HTTPWitnessTransport: WitnessTransport {
    public let base: URL
    let timeout: TimeInterval

    public init(base: URL, timeout: TimeInterval = 10) {
        self.base = base
        self.timeout = timeout
    }

    public func addCheckpoint(_ body: [UInt8]) async throws -> (status: Int, body: [UInt8]) {
        var request = URLRequest(url: base.appendingPathComponent("add-checkpoint"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, Array(data))
    }

    public func latestNote(origin: String) async throws -> String? {
        let url = base.appendingPathComponent(TlogWitness.originHash(origin)).appendingPathComponent("checkpoint")
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: timeout))
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A witness in this process, with its own key and its own storage all the same.
public struct LocalWitnessTransport: WitnessTransport {
    public let service: WitnessService

    public init(service: WitnessService) { self.service = service }

    public func addCheckpoint(_ body: [UInt8]) async throws -> (status: Int, body: [UInt8]) {
        let answer = service.handle(addCheckpoint: body)
        return (answer.status, answer.body)
    }

    public func latestNote(origin: String) async throws -> String? { try service.store.latestNote(origin: origin) }
}

/// A witness this log submits its checkpoints to: whom we trust it to be (its verifier key) and how to reach it.
public struct WitnessEndpoint: Sendable {
    public let verifier: CosignatureVerifier
    public let transport: any WitnessTransport
    /// Where a person can look (its URL, or "in this process").
    public let location: String

    public init(verifier: CosignatureVerifier, transport: any WitnessTransport, location: String) {
        self.verifier = verifier
        self.transport = transport
        self.location = location
    }

    /// The witness's key name: its cosignatures are stored under it.
    public var name: String { verifier.keyName }
}

/// Submits the log's newest checkpoint to every witness that has not cosigned it, with a consistency proof from the
/// last checkpoint that witness cosigned, and keeps the cosignatures. A witness that refuses is logged and asked again
/// at the next tick; a witness that has cosigned a larger tree than this log holds is an alarm (history was cut).
public final class WitnessPublisher: Sendable {
    /// Checkpoints, proofs and cosignatures are all it reads and writes.
    public let store: any LedgerProofs
    public let witnesses: [WitnessEndpoint]
    let logVerifier: CheckpointVerifier
    let logger: Logger

    public init(store: any LedgerProofs, witnesses: [WitnessEndpoint], logger: Logger) throws {
        self.store = store
        self.witnesses = witnesses
        self.logVerifier = try CheckpointVerifier(publicKey: store.publicKey)
        self.logger = logger
    }

    /// What happened with one witness, for tests and logs.
    public enum Outcome: Sendable, Equatable {
        case alreadyCosigned
        case cosigned(size: Int)
        case refused(status: Int, reason: String)
        case unreachable
    }

    @discardableResult
    public func publishLatest() async throws -> [String: Outcome] {
        guard !witnesses.isEmpty, let latest = try await store.latestCheckpoint() else { return [:] }
        // Checkpoints signed before C2SP key ids carry the old id; the same signature is relabelled, no key needed.
        let signed = logVerifier.reidentified(latest) ?? latest
        let size = signed.checkpoint.size
        let have = try await store.cosignatures(size: size)
        let cosigned = try await store.cosignedSizes()
        var outcomes: [String: Outcome] = [:]
        for witness in witnesses {
            if have[witness.name] != nil {
                outcomes[witness.name] = .alreadyCosigned
                continue
            }
            outcomes[witness.name] = await publish(signed, to: witness, from: min(cosigned[witness.name] ?? 0, size))
        }
        return outcomes
    }

    private func publish(_ signed: SignedCheckpoint, to witness: WitnessEndpoint, from known: Int) async -> Outcome {
        let size = signed.checkpoint.size
        var old = known
        // At most one retry: a 409 tells the size the witness really holds.
        for _ in 0..<2 {
            do {
                let proof = (old == 0 || old == size) ? [] : try await store.consistencyProof(from: old, to: size)
                let request = try AddCheckpointRequest(oldSize: old, consistencyProof: proof, checkpoint: signed)
                let (status, body) = try await witness.transport.addCheckpoint(request.body)
                switch status {
                case 200:
                    let cosignature = try AddCheckpointResponse(body: body).cosignature(by: witness.verifier, for: signed.checkpoint)
                    try await store.saveCosignatures(size: size, [(witness.name, cosignature.line)])
                    return .cosigned(size: size)
                case 409:
                    let theirs = try TlogWitness.latestCosignedSize(conflictBody: body)
                    guard theirs <= size else {
                        logger.critical(
                            "a witness has cosigned a larger tree than this ledger holds: entries were removed",
                            metadata: ["witness": .string(witness.name), "witnessSize": .string(String(theirs)), "ledgerSize": .string(String(size))])
                        return .refused(status: 409, reason: "the witness holds size \(theirs), the ledger \(size)")
                    }
                    old = theirs
                default:
                    let reason = EscapingLogHandler.escape(String(decoding: body.prefix(300), as: UTF8.self))
                    logger.error(
                        "a witness refused the checkpoint",
                        metadata: [
                            "witness": .string(witness.name), "status": .string(String(status)), "size": .string(String(size)),
                            "reason": .string(reason),
                        ])
                    return .refused(status: status, reason: reason)
                }
            } catch {
                logger.warning(
                    "a witness could not be reached", metadata: ["witness": .string(witness.name), "error": .string(String(describing: error))])
                return .unreachable
            }
        }
        return .refused(status: 409, reason: "the witness's size kept changing")
    }
}
