import BuckStopLedger
import Foundation
import GRDB

/// Complete-subtree hashes from the database: leaves from `ledger_entry`, higher levels from `merkle_node`.
struct DatabaseSubtrees: SubtreeHashSource {
    let db: Database

    func subtreeHash(level: Int, index: Int) throws -> TreeHash {
        let data: Data?
        if level == 0 {
            data = try Data.fetchOne(db.cachedStatement(sql: "SELECT leaf_hash FROM ledger_entry WHERE idx = ?"), arguments: [index])
        } else {
            data = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT hash FROM merkle_node WHERE level = ? AND idx = ?"), arguments: [level, index])
        }
        guard let data, let hash = TreeHash(bytes: [UInt8](data)) else { throw MerkleError.missingSubtree(level: level, index: index) }
        return hash
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
