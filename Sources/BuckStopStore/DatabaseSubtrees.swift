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

    static func all(_ db: Database) throws -> [SignedCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT * FROM checkpoint ORDER BY size").map(signed(from:))
    }

    static func signed(from row: Row) throws -> SignedCheckpoint {
        guard let root = TreeHash(bytes: [UInt8](row["root"] as Data)) else {
            throw StoreError.database("checkpoint \(row["size"] as Int): root is not 32 bytes")
        }
        let checkpoint = Checkpoint(origin: row["origin"], size: row["size"], rootHash: root, timestamp: row["timestamp"])
        return SignedCheckpoint(checkpoint: checkpoint, signature: [UInt8](row["signature"] as Data), keyID: row["key_id"])
    }

    static func insert(_ db: Database, _ signed: SignedCheckpoint) throws {
        let c = signed.checkpoint
        try db.execute(
            sql: "INSERT INTO checkpoint (size, origin, root, timestamp, key_id, signature) VALUES (?,?,?,?,?,?)",
            arguments: [c.size, c.origin, Data(c.rootHash.bytes), c.timestamp, signed.keyID, Data(signed.signature)])
    }
}
