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

    public func checkpoint(size: Int) async throws -> SignedCheckpoint? {
        try await rows(
            "SELECT size, origin, root, timestamp, key_id, signature FROM checkpoint WHERE size = \(Int64(size))", Self.checkpoint
        ).first
    }

    public func saveCosignatures(size: Int, _ lines: [(witness: String, line: String)]) async throws {
        guard !lines.isEmpty else { return }
        try await execute(
            """
            INSERT INTO checkpoint_cosignature (size, witness, line)
            SELECT \(Int64(size)), w, l FROM UNNEST(\(lines.map(\.witness))::text[], \(lines.map(\.line))::text[]) AS t(w, l)
            ON CONFLICT (size, witness) DO UPDATE SET line = excluded.line
            """)
    }

    public func cosignatures(size: Int) async throws -> [String: String] {
        var lines: [String: String] = [:]
        for (witness, line) in try await rows(
            "SELECT witness, line FROM checkpoint_cosignature WHERE size = \(Int64(size))", { (try $0.string(0), try $0.string(1)) })
        {
            lines[witness] = line
        }
        return lines
    }

    public func latestCheckpoint(cosignedBy witnesses: [String]) async throws -> (checkpoint: SignedCheckpoint, cosignatures: [String: String])? {
        let found: SignedCheckpoint?
        if witnesses.isEmpty {
            found = try await latestCheckpoint()
        } else {
            found = try await rows(
                """
                SELECT size, origin, root, timestamp, key_id, signature FROM checkpoint c
                WHERE (SELECT COUNT(DISTINCT s.witness) FROM checkpoint_cosignature s WHERE s.size = c.size AND s.witness = ANY(\(witnesses)))
                      = \(witnesses.count)
                ORDER BY c.size DESC LIMIT 1
                """, Self.checkpoint
            ).first
        }
        guard let found else { return nil }
        return (found, try await cosignatures(size: found.checkpoint.size))
    }

    public func cosignedSizes() async throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for (witness, size) in try await rows(
            "SELECT witness, MAX(size) FROM checkpoint_cosignature GROUP BY witness", { (try $0.string(0), try $0.int(1)) })
        {
            sizes[witness] = size
        }
        return sizes
    }

    static func checkpoint(_ row: PostgresColumns) throws -> SignedCheckpoint {
        let size = try row.int(0)
        guard let root = TreeHash(bytes: try row.blob(2)) else { throw StoreError.database("checkpoint \(size): root is not 32 bytes") }
        let origin = try row.string(1)
        let timestamp = try row.int64(3)
        // A row no checkpoint could have produced (written by hand) is an error, never a trap.
        guard Checkpoint.isValidOrigin(origin), size >= 0, timestamp >= 0 else {
            throw StoreError.database("checkpoint \(size): origin, size or timestamp out of range")
        }
        return SignedCheckpoint(
            checkpoint: Checkpoint(origin: origin, size: size, rootHash: root, timestamp: timestamp),
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
        return try compute(KnownSubtrees(hashes: try await subtreeHashes(Set(recorder.requested))))
    }

    /// The hashes of the given complete subtrees, from two queries whatever their number: the leaves and the stored
    /// nodes they are computed from (as `DatabaseSubtrees.subtreeHash` does, one subtree at a time).
    func subtreeHashes(_ keys: Set<SubtreeKey>) async throws -> [SubtreeKey: TreeHash] {
        guard !keys.isEmpty else { return [:] }
        var leafIndices: [Int64] = []
        var nodeLevels: [Int64] = []
        var nodeIndices: [Int64] = []
        for key in keys {
            let base = key.level - key.level % DatabaseSubtrees.tileHeight
            let span = 1 << (key.level - base)
            for i in key.index * span..<(key.index + 1) * span {
                if base == 0 {
                    leafIndices.append(Int64(i))
                } else {
                    nodeLevels.append(Int64(base))
                    nodeIndices.append(Int64(i))
                }
            }
        }
        var stored: [SubtreeKey: TreeHash] = [:]
        if !leafIndices.isEmpty {
            for (index, hash) in try await rows(
                "SELECT idx, leaf_hash FROM ledger_entry WHERE idx = ANY(\(leafIndices))", { (try $0.int(0), try $0.blob(1)) })
            {
                stored[SubtreeKey(level: 0, index: index)] = TreeHash(bytes: hash)
            }
        }
        if !nodeLevels.isEmpty {
            for (level, index, hash) in try await rows(
                """
                SELECT m.level, m.idx, m.hash FROM merkle_node m
                JOIN UNNEST(\(nodeLevels)::bigint[], \(nodeIndices)::bigint[]) AS k(level, idx) ON m.level = k.level AND m.idx = k.idx
                """, { (try $0.int(0), try $0.int(1), try $0.blob(2)) })
            {
                stored[SubtreeKey(level: level, index: index)] = TreeHash(bytes: hash)
            }
        }
        var hashes: [SubtreeKey: TreeHash] = [:]
        for key in keys {
            let base = key.level - key.level % DatabaseSubtrees.tileHeight
            let span = 1 << (key.level - base)
            var level = (key.index * span..<(key.index + 1) * span).compactMap { stored[SubtreeKey(level: base, index: $0)] }
            guard level.count == span else { throw MerkleError.missingSubtree(level: key.level, index: key.index) }
            while level.count > 1 {
                level = stride(from: 0, to: level.count, by: 2).map { RFC9162.nodeHash(level[$0], level[$0 + 1]) }
            }
            hashes[key] = level[0]
        }
        return hashes
    }

    /// Reads the ledger in chunks of `chunk` entries (with the subtree hashes those entries complete) through the
    /// same checks as the SQLite verifier. One REPEATABLE READ transaction: the whole run sees one state.
    public func verify(publicKey: [UInt8]? = nil, witnesses: WitnessRequirement?) async throws -> VerificationReport {
        try await verify(publicKey: publicKey ?? self.publicKey, origin: origin, witnesses: witnesses)
    }

    /// Verification that needs no secrets: the public key given, else the one the database records.
    public static func verify(
        location: PostgresLocation, publicKeyHex: String?, witnesses: WitnessRequirement? = nil, logger: Logger
    ) async throws -> VerificationReport {
        // The keys only construct the client side; nothing is signed and `open()` (which checks them) is not run.
        let store = try PostgresStore(configuration: PostgresStoreConfiguration(location: location, keys: StoreKeys.generate()), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.runPool() }
            defer { group.cancelAll() }
            var meta: [String: String] = [:]
            do {
                for (key, value) in try await store.rows("SELECT key, value FROM meta", { (try $0.string(0), try $0.string(1)) }) {
                    meta[key] = value
                }
            } catch StoreError.database(let why) {
                throw StoreError.database("no BuckStop ledger at \(location) (\(why))")
            }
            guard let hex = publicKeyHex ?? meta["public_key"], let key = TreeHash(hex: hex)?.bytes else {
                throw StoreError.invalidKey("no public key: pass one or use a database that records its own")
            }
            guard let origin = meta["origin"] else { throw StoreError.database("the database records no ledger origin") }
            return try await store.verify(publicKey: key, origin: origin, witnesses: witnesses)
        }
    }

    func verify(publicKey: [UInt8], origin: String, witnesses: WitnessRequirement?) async throws -> VerificationReport {
        let verifier = try CheckpointVerifier(publicKey: publicKey)
        let chunk: Int64 = 20_000
        return try await transaction(bounded: false) { conn in
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
            let checkpoints = try await Self.rows(
                conn, "SELECT size, origin, root, timestamp, key_id, signature FROM checkpoint ORDER BY size", logger: self.logger, Self.checkpoint)
            var audit = LedgerAudit(checkpoints: checkpoints, verifier: verifier, origin: origin, external: witnesses?.witnessedCheckpoints ?? [])
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
            if let witnesses {
                var lines: [Int: [String: String]] = [:]
                for (size, witness, line) in try await Self.rows(
                    conn, "SELECT size, witness, line FROM checkpoint_cosignature", logger: self.logger,
                    { (try $0.int(0), try $0.string(1), try $0.string(2)) })
                {
                    lines[size, default: [:]][witness] = line
                }
                audit.checkWitnesses(witnesses, cosignatures: lines)
            }
            audit.checkProjections(try await self.projections(conn, chunk: chunk))
            let cases = try await Self.rows(conn, "SELECT COUNT(*) FROM case_state", logger: self.logger) { try $0.int(0) }.first ?? 0
            let mismatches = try await Self.rows(conn, PostgresQuery(unsafeSQL: LedgerAudit.projectionMismatchSQL), logger: self.logger) { row in
                LedgerAudit.ProjectionMismatch(
                    caseID: try row.string(0), actionCount: try row.optionalInt64(1), lastIndex: try row.optionalInt64(2),
                    entries: try row.optionalInt64(3), lastEntry: try row.optionalInt64(4))
            }
            audit.checkProjections(cases: cases, mismatches: mismatches)
            if audit.report.problems.isEmpty {
                for (old, new) in audit.consistencyPairs {
                    audit.checkConsistency(old: old, new: new, proof: try await self.consistencyProof(from: old.size, to: new.size))
                }
            }
            return audit.finalReport
        }
    }
}

extension PostgresStore {
    /// Every entry in (case, index) order through `ProjectionAudit`, a chunk at a time (keyset pagination), with the
    /// stored rows of the chunk's cases read in two queries.
    func projections(_ conn: PostgresConnection, chunk: Int64) async throws -> ProjectionAudit {
        var audit = ProjectionAudit(organization: try await PostgresOrganization.load(conn, logger: logger))
        var after: (caseID: String, index: Int64)?
        while true {
            var q = QueryBuilder("SELECT case_id, idx, type, at, body FROM ledger_entry")
            if let after { q.append(" WHERE (case_id, idx) > (\(q.bind(after.caseID)), \(q.bind(after.index)))") }
            q.append(" ORDER BY case_id, idx LIMIT \(q.bind(chunk))")
            let entries = try await Self.rows(conn, q.query, logger: logger) { row in
                (caseID: try row.string(0), index: try row.int64(1), type: try row.string(2), at: try row.int64(3), body: try row.blob(4))
            }
            guard let last = entries.last else { break }
            // The case the previous chunk ended in is finished in this one: its rows are read with this chunk's.
            var ids = audit.currentCase.map { [$0] } ?? []
            for e in entries where ids.last != e.caseID { ids.append(e.caseID) }
            var cases = QueryBuilder("")
            cases.sql = "SELECT \(CaseRow.columns) FROM case_state WHERE id = ANY(\(cases.bind(ids)))"
            var stored: [String: CaseState] = [:]
            for state in try await Self.rows(conn, cases.query, logger: logger, CaseRow.state(from:)) { stored[state.id.rawValue] = state }
            var findings = QueryBuilder("")
            findings.sql = "SELECT \(FindingTable.columns) FROM finding WHERE case_id = ANY(\(findings.bind(ids)))"
            var storedFindings: [String: [StoredFinding]] = [:]
            for f in try await Self.rows(conn, findings.query, logger: logger, FindingTable.decode) {
                storedFindings[f.finding.caseID.rawValue, default: []].append(f)
            }
            for e in entries {
                if let current = audit.currentCase, current != e.caseID {
                    audit.finishCase(stored: stored[current], storedFindings: storedFindings[current] ?? [])
                }
                audit.add(caseColumn: e.caseID, index: e.index, typeColumn: e.type, atColumn: e.at, body: e.body)
            }
            // The last case of the chunk may go on in the next; it is finished when its last entry has been read.
            after = (last.caseID, last.index)
            if Int64(entries.count) < chunk, let current = audit.currentCase {
                audit.finishCase(stored: stored[current], storedFindings: storedFindings[current] ?? [])
            }
        }
        if let current = audit.currentCase {
            // The final chunk was exactly full: the last case still needs its rows.
            let state = try await Self.rows(
                conn, PostgresQuery(unsafeSQL: "SELECT \(CaseRow.columns) FROM case_state WHERE id = $1", binds: binds(current)), logger: logger,
                CaseRow.state(from:)
            ).first
            var findings = QueryBuilder("")
            findings.sql = "SELECT \(FindingTable.columns) FROM finding WHERE case_id = \(findings.bind(current))"
            audit.finishCase(stored: state, storedFindings: try await Self.rows(conn, findings.query, logger: logger, FindingTable.decode))
        }
        let storedCases = try await Self.rows(conn, "SELECT COUNT(*) FROM case_state", logger: logger) { try $0.int(0) }.first ?? 0
        let storedFindings = try await Self.rows(conn, "SELECT COUNT(*) FROM finding", logger: logger) { try $0.int(0) }.first ?? 0
        let storedTally = try await Self.rows(conn, PostgresQuery(unsafeSQL: TaskTally.stored), logger: logger, TaskTally.row(from:))
        audit.finish(storedCases: storedCases, storedFindings: storedFindings, storedTally: storedTally)
        return audit
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
