import Foundation
import GRDB

/// The limit for the ledger benchmark: plain SQLite inserts of rows the same size as ledger
/// entries, with the same durability (WAL, synchronous = FULL), and nothing else.
public struct RawInsertBaseline: Sendable {
    let pool: DatabasePool

    public init(path: String) throws {
        pool = try DatabasePool(path: path, configuration: Configuration())
        try SQLiteStore.requireFullSync(pool)
        try pool.write { db in
            try db.execute(
                sql: "CREATE TABLE IF NOT EXISTS raw (idx INTEGER PRIMARY KEY, case_id TEXT NOT NULL, body BLOB NOT NULL, hash BLOB NOT NULL)")
        }
    }

    /// Inserts the rows in transactions of `batchSize`; returns rows per second.
    public func insert(_ rows: [(caseID: String, body: Data, hash: Data)], batchSize: Int) async throws -> Double {
        let start = Date()
        var next = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM raw") ?? 0 }
        for chunkStart in stride(from: 0, to: rows.count, by: max(1, batchSize)) {
            let chunk = Array(rows[chunkStart..<min(rows.count, chunkStart + max(1, batchSize))])
            let first = next
            try await pool.write { db in
                let statement = try db.cachedStatement(sql: "INSERT INTO raw (idx, case_id, body, hash) VALUES (?,?,?,?)")
                for (offset, row) in chunk.enumerated() {
                    try statement.execute(arguments: [first + offset, row.caseID, row.body, row.hash])
                }
            }
            next += chunk.count
        }
        return Double(rows.count) / Date().timeIntervalSince(start)
    }
}

extension SQLiteStore {
    /// Entries as stored, for building a baseline of the same sizes.
    public func rawEntries(limit: Int) throws -> [(caseID: String, body: Data, hash: Data)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, body, leaf_hash FROM ledger_entry ORDER BY idx LIMIT ?", arguments: [limit]).map {
                ($0[0], $0[1], $0[2])
            }
        }
    }
}
