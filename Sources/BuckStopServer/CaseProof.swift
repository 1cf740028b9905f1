import BuckStopDomain
import BuckStopLedger
import BuckStopStore

/// A case's inclusion proofs against the latest signed checkpoint, each checked here: the leaf hash recomputed from
/// the entry's bytes, the audit path up to the signed root, and the checkpoint's signature. Entries newer than the
/// latest checkpoint get a fresh one signed first, so a just-changed case can be verified at once.
struct CaseProof: Sendable {
    struct Entry: Sendable {
        var index: Int64
        var leafHash: TreeHash
        var path: [TreeHash]
        /// The bytes hash to the stored leaf hash and the path leads to the signed root.
        var verified: Bool
    }

    var checkpoint: SignedCheckpoint
    var signatureValid: Bool
    var entries: [Entry]
    var publicKey: [UInt8]

    var allVerified: Bool { signatureValid && !entries.isEmpty && entries.allSatisfy(\.verified) }

    static func make(_ code: CaseID, store: any LedgerStore) async throws -> CaseProof? {
        let history = try await store.history(of: code)
        guard let last = history.last else { return nil }
        var latest = try await store.latestCheckpoint()
        if latest == nil || latest!.checkpoint.size <= Int(last.index) {
            _ = try await store.checkpoint()
            latest = try await store.latestCheckpoint()
        }
        guard let signed = latest else { return nil }
        let size = signed.checkpoint.size
        var entries: [Entry] = []
        for record in history where record.index < size {
            let bytes = try await store.entry(at: record.index)?.body ?? []
            let recomputed = RFC9162.leafHash(bytes)
            let path = try await store.inclusionProof(leafIndex: Int(record.index), treeSize: size)
            let ok = recomputed == record.leafHash
                && MerkleProofs.verifyInclusion(leafHash: recomputed, leafIndex: Int(record.index), treeSize: size, proof: path, root: signed.checkpoint.rootHash)
            entries.append(Entry(index: record.index, leafHash: record.leafHash, path: path, verified: ok))
        }
        let verifier = try CheckpointVerifier(publicKey: store.publicKey)
        return CaseProof(checkpoint: signed, signatureValid: verifier.isValid(signed), entries: entries, publicKey: store.publicKey)
    }
}
