import BuckStopAPI
import BuckStopDomain
import BuckStopLedger
import BuckStopStore

/// A case's inclusion proofs against the newest checkpoint every configured witness has cosigned, each checked here:
/// the leaf hash recomputed from the entry's bytes, the audit path up to the signed root, the log's signature and each
/// witness's cosignature. Nothing is signed for the asking — checkpoints are signed on a schedule and witnessed — so
/// the newest entries may wait a few seconds for the next witnessed checkpoint (`pending`).
///
/// Why witnesses: an insider who rewrites an entry and recomputes the tree can have the server sign the rewritten
/// tree, but no witness cosigns a tree that does not extend the one it cosigned before.
struct CaseProof: Sendable {
    struct Entry: Sendable {
        var index: Int64
        var leafHash: TreeHash
        var path: [TreeHash]
        /// The bytes hash to the stored leaf hash and the path leads to the signed root.
        var verified: Bool
        /// Appended after the witnessed checkpoint: covered by the next one.
        var pending: Bool
    }

    struct Witnessing: Sendable {
        var name: String
        var location: String
        var line: String?
        /// The cosignature verifies with the witness's key over this checkpoint.
        var valid: Bool
        /// When the witness cosigned (Unix seconds).
        var timestamp: Int64?
    }

    /// The witnessed checkpoint the proofs are against (nil: no checkpoint has been cosigned by every witness yet).
    var checkpoint: SignedCheckpoint?
    var signatureValid: Bool
    var witnesses: [Witnessing]
    var entries: [Entry]
    var publicKey: [UInt8]

    /// Verified: witnesses are configured and every one cosigned, the log's signature holds, and every entry the
    /// checkpoint covers is proven (at least one).
    var allVerified: Bool {
        checkpoint != nil && signatureValid && !witnesses.isEmpty && witnesses.allSatisfy(\.valid)
            && entries.contains { !$0.pending } && entries.allSatisfy { $0.pending || $0.verified }
    }

    var pendingCount: Int { entries.filter(\.pending).count }

    /// The newest witnessed checkpoint as a receipt or a tracking page shows it ("size · root"), so that the citizen
    /// keeps what they saw and can later ask `/ledger` for a consistency proof from it. Nil before any is witnessed.
    static func witnessedCheckpoint(_ state: ServerState) async throws -> Checkpoint? {
        guard !state.witnesses.isEmpty else { return nil }
        return try await state.store.latestCheckpoint(cosignedBy: state.witnesses.map(\.name))?.checkpoint.checkpoint
    }

    static func checkpointRows(_ checkpoint: Checkpoint?, _ lang: Language) -> HTML {
        guard let checkpoint else { return "" }
        return HTML.el("dt", text: lang.t("Điểm kiểm tra của nhật ký (lưu lại để đối chiếu)", "Ledger checkpoint (keep it to check later)"))
            + HTML.el("dd", [("class", "mono"), ("id", "seen-checkpoint")], text: "\(checkpoint.size) · \(checkpoint.rootHash.hex)")
    }

    static func make(_ code: CaseID, store: any LedgerEntries & LedgerProofs, witnesses: [WitnessEndpoint]) async throws -> CaseProof? {
        let history = try await store.history(of: code)
        guard !history.isEmpty else { return nil }
        let logVerifier = try CheckpointVerifier(publicKey: store.publicKey)
        guard !witnesses.isEmpty, let witnessed = try await store.latestCheckpoint(cosignedBy: witnesses.map(\.name)) else {
            let pending = history.map { Entry(index: $0.index, leafHash: $0.leafHash, path: [], verified: false, pending: true) }
            return CaseProof(
                checkpoint: nil, signatureValid: false,
                witnesses: witnesses.map { Witnessing(name: $0.name, location: $0.location, line: nil, valid: false, timestamp: nil) },
                entries: pending, publicKey: store.publicKey)
        }
        let signed = witnessed.checkpoint
        let size = signed.checkpoint.size
        var entries: [Entry] = []
        for record in history {
            guard record.index < size else {
                entries.append(Entry(index: record.index, leafHash: record.leafHash, path: [], verified: false, pending: true))
                continue
            }
            let bytes = try await store.entry(at: record.index)?.body ?? []
            let recomputed = RFC9162.leafHash(bytes)
            let path = try await store.inclusionProof(leafIndex: Int(record.index), treeSize: size)
            let ok =
                recomputed == record.leafHash
                && MerkleProofs.verifyInclusion(
                    leafHash: recomputed, leafIndex: Int(record.index), treeSize: size, proof: path, root: signed.checkpoint.rootHash)
            entries.append(Entry(index: record.index, leafHash: record.leafHash, path: path, verified: ok, pending: false))
        }
        let cosigned = witnesses.map { w -> Witnessing in
            guard let line = witnessed.cosignatures[w.name] else {
                return Witnessing(name: w.name, location: w.location, line: nil, valid: false, timestamp: nil)
            }
            let cosignature = try? w.verifier.verify(line: line, for: signed.checkpoint)
            return Witnessing(name: w.name, location: w.location, line: line, valid: cosignature != nil, timestamp: cosignature?.timestamp)
        }
        return CaseProof(
            checkpoint: signed, signatureValid: logVerifier.isValid(signed), witnesses: cosigned, entries: entries, publicKey: store.publicKey)
    }
}
