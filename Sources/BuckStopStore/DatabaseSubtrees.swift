import BuckStopLedger
import Foundation
import GRDB

/// Complete-subtree hashes from the database. Leaves live in `ledger_entry`; of the levels above,
/// only every `tileHeight`-th is stored (`merkle_node`), and the ones between are computed from the
/// stored level below — at most 2^(tileHeight-1) hashes. Appends then write one node per
/// 2^tileHeight entries instead of about one per entry, while a proof still needs only O(log n) reads.
struct DatabaseSubtrees: SubtreeHashSource {
    static let tileHeight = 4

    let db: Database

    static func isStored(level: Int) -> Bool { level > 0 && level % tileHeight == 0 }

    func subtreeHash(level: Int, index: Int) throws -> TreeHash {
        let base = level - level % Self.tileHeight
        let span = 1 << (level - base)
        let first = index * span
        let rows: [Data]
        if base == 0 {
            rows = try Data.fetchAll(
                db.cachedStatement(sql: "SELECT leaf_hash FROM ledger_entry WHERE idx BETWEEN ? AND ? ORDER BY idx"),
                arguments: [first, first + span - 1])
        } else {
            rows = try Data.fetchAll(
                db.cachedStatement(sql: "SELECT hash FROM merkle_node WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx"),
                arguments: [base, first, first + span - 1])
        }
        var hashes = rows.compactMap { TreeHash(bytes: [UInt8]($0)) }
        guard rows.count == span, hashes.count == span else { throw MerkleError.missingSubtree(level: level, index: index) }
        while hashes.count > 1 {
            hashes = stride(from: 0, to: hashes.count, by: 2).map { RFC9162.nodeHash(hashes[$0], hashes[$0 + 1]) }
        }
        return hashes[0]
    }
}

enum CheckpointTable {
    static func latest(_ db: Database) throws -> SignedCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT * FROM checkpoint ORDER BY size DESC LIMIT 1").map(signed(from:))
    }

    static func at(_ db: Database, size: Int) throws -> SignedCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT * FROM checkpoint WHERE size = ?", arguments: [size]).map(signed(from:))
    }

    /// The newest checkpoint that every one of `witnesses` cosigned (the newest of all when none is asked for).
    static func latest(_ db: Database, cosignedBy witnesses: [String]) throws -> SignedCheckpoint? {
        guard !witnesses.isEmpty else { return try latest(db) }
        let marks = witnesses.map { _ in "?" }.joined(separator: ",")
        return try Row.fetchOne(
            db,
            sql: """
                SELECT * FROM checkpoint c
                WHERE (SELECT COUNT(DISTINCT s.witness) FROM checkpoint_cosignature s WHERE s.size = c.size AND s.witness IN (\(marks))) = ?
                ORDER BY c.size DESC LIMIT 1
                """, arguments: StatementArguments(witnesses + [witnesses.count])
        ).map(signed(from:))
    }

    static func cosignatures(_ db: Database, size: Int) throws -> [String: String] {
        var lines: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT witness, line FROM checkpoint_cosignature WHERE size = ?", arguments: [size]) {
            lines[try row.decode(String.self, atIndex: 0)] = try row.decode(String.self, atIndex: 1)
        }
        return lines
    }

    static func all(_ db: Database) throws -> [SignedCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT * FROM checkpoint ORDER BY size").map(signed(from:))
    }

    /// A stored checkpoint row; a row no checkpoint could have produced (someone wrote the table by hand) is an error,
    /// never a trap.
    static func signed(from row: Row) throws -> SignedCheckpoint {
        let size: Int = try row.decode(forColumn: "size")
        let origin: String = try row.decode(forColumn: "origin")
        let timestamp: Int64 = try row.decode(forColumn: "timestamp")
        guard let root = TreeHash(bytes: [UInt8](try row.decode(Data.self, forColumn: "root"))) else {
            throw StoreError.database("checkpoint \(size): root is not 32 bytes")
        }
        guard Checkpoint.isValidOrigin(origin), size >= 0, timestamp >= 0 else {
            throw StoreError.database("checkpoint \(size): origin, size or timestamp out of range")
        }
        let checkpoint = Checkpoint(origin: origin, size: size, rootHash: root, timestamp: timestamp)
        return SignedCheckpoint(
            checkpoint: checkpoint, signature: [UInt8](try row.decode(Data.self, forColumn: "signature")), keyID: try row.decode(forColumn: "key_id"))
    }

    static func insert(_ db: Database, _ signed: SignedCheckpoint) throws {
        let c = signed.checkpoint
        try db.execute(
            sql: "INSERT INTO checkpoint (size, origin, root, timestamp, key_id, signature) VALUES (?,?,?,?,?,?)",
            arguments: [c.size, c.origin, Data(c.rootHash.bytes), c.timestamp, signed.keyID, Data(signed.signature)])
    }
}
