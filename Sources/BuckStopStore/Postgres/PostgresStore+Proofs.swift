import BuckStopDomain
import BuckStopLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Checkpoints, Merkle proofs and verification on PostgreSQL. The proof algorithms (`MerkleProofs`) ask for subtree
/// hashes synchronously; which subtrees a proof needs depends only on the sizes, so a first pass records the
/// requests, the hashes are read, and a second pass computes the proof from them.
extension PostgresStore {
    public func latestCheckpoint() async throws -> SignedCheckpoint? {
        // PostgreSQL's COMMIT returned only once the checkpoint was durable: no sync to add here.
        try await rows("SELECT size, origin, root, timestamp, key_id, signature FROM checkpoint ORDER BY size DESC LIMIT 1", Self.checkpoint).first
    }

    static func checkpoint(_ row: PostgresColumns) throws -> SignedCheckpoint {
        let size = try row.int(0)
        guard let root = TreeHash(bytes: try row.blob(2)) else { throw StoreError.database("checkpoint \(size): root is not 32 bytes") }
        return SignedCheckpoint(
            checkpoint: Checkpoint(origin: try row.string(1), size: size, rootHash: root, timestamp: try row.int64(3)),
            signature: try row.blob(5), keyID: try row.string(4))
    }

    public func inclusionProof(leafIndex: Int, treeSize: Int) async throws -> [TreeHash] {
        try await withSubtrees { try MerkleProofs.inclusionProof(leafIndex: leafIndex, treeSize: treeSize, source: $0) }
    }

    public func consistencyProof(from oldSize: Int, to newSize: Int) async throws -> [TreeHash] {
        try await withSubtrees { try MerkleProofs.consistencyProof(from: oldSize, to: newSize, source: $0) }
    }

    func withSubtrees<T>(_ compute: (any SubtreeHashSource) throws -> T) async throws -> T {
        let recorder = RecordingSubtrees()
        _ = try compute(recorder)
        var known: [SubtreeKey: TreeHash] = [:]
        for key in recorder.requested where known[key] == nil {
            known[key] = try await subtreeHash(level: key.level, index: key.index)
        }
        return try compute(KnownSubtrees(hashes: known))
    }

    /// As `DatabaseSubtrees.subtreeHash`: stored levels are read, the levels between computed from the one below.
    func subtreeHash(level: Int, index: Int) async throws -> TreeHash {
        let base = level - level % DatabaseSubtrees.tileHeight
        let span = 1 << (level - base)
        let first = Int64(index * span)
        let last = first + Int64(span) - 1
        let rows =
            base == 0
            ? try await rows("SELECT leaf_hash FROM ledger_entry WHERE idx BETWEEN \(first) AND \(last) ORDER BY idx") { try $0.blob(0) }
            : try await rows("SELECT hash FROM merkle_node WHERE level = \(base) AND idx BETWEEN \(first) AND \(last) ORDER BY idx") { try $0.blob(0) }
        var hashes = rows.compactMap { TreeHash(bytes: $0) }
        guard rows.count == span, hashes.count == span else { throw MerkleError.missingSubtree(level: level, index: index) }
        while hashes.count > 1 {
            hashes = stride(from: 0, to: hashes.count, by: 2).map { RFC9162.nodeHash(hashes[$0], hashes[$0 + 1]) }
        }
        return hashes[0]
    }

    /// Reads the ledger in chunks of `chunk` entries (with the subtree hashes those entries complete) through the
    /// same checks as the SQLite verifier. One REPEATABLE READ transaction: the whole run sees one state.
    public func verify(publicKey: [UInt8]? = nil) async throws -> VerificationReport {
        try await verify(publicKey: publicKey ?? self.publicKey, origin: origin)
    }

    /// Verification that needs no secrets: the public key given, else the one the database records.
    public static func verify(location: PostgresLocation, publicKeyHex: String?, logger: Logger) async throws -> VerificationReport {
        // The keys only construct the client side; nothing is signed and `open()` (which checks them) is not run.
        let store = try PostgresStore(configuration: PostgresStoreConfiguration(location: location, keys: StoreKeys.generate()), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.client.run() }
            defer { group.cancelAll() }
            var meta: [String: String] = [:]
            do {
                for (key, value) in try await store.rows("SELECT key, value FROM meta", { (try $0.string(0), try $0.string(1)) }) { meta[key] = value }
            } catch StoreError.database(let why) {
                throw StoreError.database("no BuckStop ledger at \(location) (\(why))")
            }
            guard let hex = publicKeyHex ?? meta["public_key"], let key = TreeHash(hex: hex)?.bytes else {
                throw StoreError.invalidKey("no public key: pass one or use a database that records its own")
            }
            guard let origin = meta["origin"] else { throw StoreError.database("the database records no ledger origin") }
            return try await store.verify(publicKey: key, origin: origin)
        }
    }

    func verify(publicKey: [UInt8], origin: String) async throws -> VerificationReport {
        let verifier = try CheckpointVerifier(publicKey: publicKey)
        let chunk: Int64 = 20_000
        return try await transaction { conn in
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            let checkpoints = try await Self.rows(
                conn, "SELECT size, origin, root, timestamp, key_id, signature FROM checkpoint ORDER BY size", logger: self.logger, Self.checkpoint)
            var audit = LedgerAudit(checkpoints: checkpoints, verifier: verifier, origin: origin)
            var start: Int64 = 0
            reading: while true {
                let entries = try await Self.rows(
                    conn, "SELECT idx, body, leaf_hash FROM ledger_entry WHERE idx >= \(start) ORDER BY idx LIMIT \(chunk)", logger: self.logger
                ) { row in (try row.int64(0), Data(try row.blob(1)), Data(try row.blob(2))) }
                guard let lastIndex = entries.last?.0 else { break }
                // The nodes these entries complete: node (level, i) is complete when leaf (i + 1) · 2^level − 1 is appended.
                var nodes: [SubtreeKey: Data] = [:]
                for (level, index, hash) in try await Self.rows(
                    conn,
                    """
                    SELECT level, idx, hash FROM merkle_node
                    WHERE ((idx + 1) << level) - 1 BETWEEN \(entries[0].0) AND \(lastIndex)
                    """, logger: self.logger, { (try $0.int(0), try $0.int(1), Data(try $0.blob(2))) })
                {
                    nodes[SubtreeKey(level: level, index: index)] = hash
                }
                for (index, body, leaf) in entries {
                    let keepGoing = try audit.add(index: index, body: body, storedLeaf: leaf) { level, nodeIndex in
                        nodes[SubtreeKey(level: level, index: nodeIndex)]
                    }
                    if !keepGoing { break reading }
                }
                start = lastIndex + 1
            }
            audit.finishEntries()
            if audit.report.problems.isEmpty {
                for (old, new) in audit.consistencyPairs {
                    audit.checkConsistency(old: old, new: new, proof: try await self.consistencyProof(from: old.size, to: new.size))
                }
            }
            return audit.finalReport
        }
    }
}

struct SubtreeKey: Hashable {
    let level: Int
    let index: Int
}

/// Notes which subtrees a proof asks for; the hashes it returns are placeholders.
final class RecordingSubtrees: SubtreeHashSource {
    var requested: [SubtreeKey] = []

    func subtreeHash(level: Int, index: Int) throws -> TreeHash {
        requested.append(SubtreeKey(level: level, index: index))
        return TreeHash(bytes: [UInt8](repeating: 0, count: 32))!
    }
}

/// Subtree hashes read beforehand.
struct KnownSubtrees: SubtreeHashSource {
    let hashes: [SubtreeKey: TreeHash]

    func subtreeHash(level: Int, index: Int) throws -> TreeHash {
        guard let hash = hashes[SubtreeKey(level: level, index: index)] else { throw MerkleError.missingSubtree(level: level, index: index) }
        return hash
    }
}
