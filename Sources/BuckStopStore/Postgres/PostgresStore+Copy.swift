import BuckStopLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Whole-store copies (see `StoreCopy`): reading every table for a backup, loading a store moved from SQLite.
extension PostgresStore {
    /// Every table, chunk by chunk, from one REPEATABLE READ snapshot: servers may go on appending, the copy is of
    /// one moment. The pool's lease watchdog does not apply (the copy may take minutes).
    public func readTables(_ sink: (StoreCopy.Chunk) async throws -> Void) async throws {
        let logger = self.logger
        do {
            try await client.withConnection { conn in
                try await conn.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                for table in StoreCopy.tables {
                    var offset = 0
                    while true {
                        let sql =
                            "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.order) LIMIT \(StoreCopy.chunkSize) OFFSET \(offset)"
                        let rows = try await Self.rows(conn, PostgresQuery(unsafeSQL: sql), logger: logger) { row in
                            try table.columns.indices.map { i -> StoreCopy.Value in
                                if try row.isNull(Int32(i)) { return .null }
                                switch table.columns[i].kind {
                                case .text: return .text(try row.string(Int32(i)))
                                case .int: return .int(try row.int64(Int32(i)))
                                case .blob: return .blob(try row.blob(Int32(i)))
                                case .bool: return .bool(try row.bool(Int32(i)))
                                }
                            }
                        }
                        if rows.isEmpty { break }
                        try await sink(StoreCopy.Chunk(table: table, rows: rows))
                        offset += rows.count
                        if rows.count < StoreCopy.chunkSize { break }
                    }
                }
                try await conn.query("COMMIT", logger: logger)
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Loads a whole store into this one, which must be empty (no organisation, no entries), in one transaction:
    /// all of it or nothing. The ledger must arrive in index order without gaps; `ledger_head` is computed from it.
    /// The source's signing key and origin must be this store's (the same key file).
    public func importTables(from produce: @escaping @Sendable ((StoreCopy.Chunk) async throws -> Void) async throws -> Void) async throws
        -> [String: Int]
    {
        let logger = self.logger
        let publicHex = publicKey.map { String(format: "%02x", $0) }.joined()
        let origin = self.origin
        let counts = try await transaction(bounded: false) { conn -> [String: Int] in
            let size = try await Self.rows(conn, "SELECT size FROM ledger_head WHERE id = 1 FOR UPDATE", logger: logger) { try $0.int64(0) }.first
            let units = try await Self.rows(conn, "SELECT COUNT(*) FROM unit", logger: logger) { try $0.int64(0) }.first
            guard size == 0, units == 0 else {
                throw StoreError.configurationMismatch("the target database is not empty (\(size ?? -1) ledger entries, \(units ?? -1) units)")
            }
            let load = ImportState()
            try await produce { chunk in
                try await load.add(chunk, conn: conn, logger: logger, publicHex: publicHex, origin: origin)
            }
            let peaks = ByteBuffer(bytes: load.frontier.peaks.flatMap(\.bytes))
            guard load.checkpointSize <= load.frontier.size else {
                throw StoreError.database("a checkpoint covers \(load.checkpointSize) entries but the ledger has \(load.frontier.size)")
            }
            try await conn.query(
                """
                UPDATE ledger_head SET size = \(Int64(load.frontier.size)), peaks = \(peaks), checkpoint_size = \(Int64(load.checkpointSize))
                WHERE id = 1
                """, logger: logger)
            return load.counts
        }
        let loaded = try await withConnection { conn in try await PostgresOrganization.load(conn, logger: logger) }
        org.withLock { $0 = loaded }
        writerState.withLock { $0 = nil }
        return counts
    }

    /// Drops the store's own schema (benchmarks' scratch stores); refuses when the store lives in `public`.
    public func dropSchema() async throws {
        guard let schema = location.schema else { throw StoreError.invalidLocation("the store has no schema of its own to drop") }
        try await execute(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
    }

    /// Rows per table, for comparing a copy with its source.
    public func rowCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in StoreCopy.tables {
            counts[table.name] = try await rows(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.name)")) { try $0.int(0) }.first ?? 0
        }
        return counts
    }
}

/// What an import has seen so far: the tree over the entries (for `ledger_head`), the last checkpoint, row counts.
private final class ImportState {
    var frontier = MerkleFrontier()
    var checkpointSize = 0
    var counts: [String: Int] = [:]

    func add(_ chunk: StoreCopy.Chunk, conn: PostgresConnection, logger: Logger, publicHex: String, origin: String) async throws {
        let table = chunk.table
        counts[table.name, default: 0] += chunk.rows.count
        if table.name == "meta" {
            // The target wrote its own key and origin when it was opened; the source's must be the same.
            for row in chunk.rows {
                guard case .text(let key) = row[0], case .text(let value) = row[1] else { continue }
                if key == "public_key", value != publicHex {
                    throw StoreError.configurationMismatch(
                        "the source's checkpoints are signed with key \(value.prefix(16))…, the target's key is \(publicHex.prefix(16))… (use the source's key file)"
                    )
                }
                if key == "origin", value != origin {
                    throw StoreError.configurationMismatch("the source's ledger origin is '\(value)', the target's is '\(origin)'")
                }
            }
        }
        if table.name == "ledger_entry" {
            for row in chunk.rows {
                guard case .int(let index) = row[0], case .blob(let leaf) = row[5], let hash = TreeHash(bytes: leaf) else {
                    throw StoreError.database("ledger_entry: a row without index or 32-byte leaf hash")
                }
                guard index == Int64(frontier.size) else {
                    throw StoreError.database("ledger_entry: expected entry \(frontier.size), found \(index)")
                }
                _ = frontier.append(leafHash: hash)
            }
        }
        if table.name == "checkpoint" {
            for row in chunk.rows { if case .int(let size) = row[0] { checkpointSize = max(checkpointSize, Int(size)) } }
        }
        let perStatement = max(1, 30_000 / table.columns.count)
        var start = 0
        while start < chunk.rows.count {
            let part = chunk.rows[start..<min(chunk.rows.count, start + perStatement)]
            var binds = PostgresBindings(capacity: part.count * table.columns.count)
            var values: [String] = []
            for row in part {
                var placeholders: [String] = []
                for value in row {
                    switch value {
                    case .null: binds.appendNull()
                    case .text(let s): binds.append(s)
                    case .int(let n): binds.append(n)
                    case .blob(let b): binds.append(ByteBuffer(bytes: b))
                    case .bool(let b): binds.append(b)
                    }
                    placeholders.append("$\(binds.count)")
                }
                values.append("(" + placeholders.joined(separator: ",") + ")")
            }
            let conflict = table.name == "meta" ? " ON CONFLICT (key) DO NOTHING" : ""
            let sql =
                "INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES \(values.joined(separator: ","))\(conflict)"
            try await conn.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            start += part.count
        }
    }
}
