import BuckStopLedger
import Foundation
import GRDB

/// Copying a whole store between backends, table by table: `buckstop backup` of a PostgreSQL store (into a SQLite
/// file, the one backup format) and `buckstop migrate` (SQLite → PostgreSQL). Both schemas have the same tables and
/// columns; only the types differ (SQLite keeps booleans as integers).
public enum StoreCopy {
    public enum Kind: Sendable { case text, int, blob, bool }

    public struct Table: Sendable {
        public let name: String
        public let columns: [(name: String, kind: Kind)]
        /// Primary-key order, so chunks are stable and the ledger is read in index order.
        public let order: String
    }

    public enum Value: Sendable, Equatable {
        case null
        case text(String)
        case int(Int64)
        case blob([UInt8])
        case bool(Bool)
    }

    /// Rows of one table in transit, in its column order.
    public struct Chunk: Sendable {
        public let table: Table
        public var rows: [[Value]]
    }

    /// Every table, parents before children.
    public static let tables: [Table] = [
        Table(name: "meta", columns: [("key", .text), ("value", .text)], order: "key"),
        Table(
            name: "unit",
            columns: [
                ("id", .text), ("name", .text), ("name_en", .text), ("kind", .text), ("parent", .text), ("code", .text), ("head", .text),
                ("deputies", .text),
            ],
            order: "id"),
        Table(
            name: "official", columns: [("id", .text), ("name", .text), ("unit", .text), ("position", .text), ("roles", .text), ("active", .bool)],
            order: "id"),
        Table(name: "mandate", columns: [("unit", .text), ("case_kind", .text), ("procedure", .text)], order: "unit, case_kind, procedure"),
        Table(
            name: "ledger_entry", columns: [("idx", .int), ("case_id", .text), ("type", .text), ("at", .int), ("body", .blob), ("leaf_hash", .blob)],
            order: "idx"),
        Table(name: "merkle_node", columns: [("level", .int), ("idx", .int), ("hash", .blob)], order: "level, idx"),
        Table(
            name: "checkpoint",
            columns: [("size", .int), ("origin", .text), ("root", .blob), ("timestamp", .int), ("key_id", .text), ("signature", .blob)],
            order: "size"),
        Table(
            name: "case_state",
            columns: [
                ("id", .text), ("kind", .text), ("procedure", .text), ("title", .text), ("lead_unit", .text), ("collaborators", .text),
                ("owner", .text),
                ("status", .text), ("due_date", .text), ("original_due_date", .text), ("rule_id", .text), ("subject_ref", .text),
                ("subject_hash", .text),
                ("opened_at", .int), ("updated_at", .int), ("owner_since", .int), ("consultations", .text), ("action_count", .int),
                ("supplement_requests", .int), ("reschedules", .int), ("extensions", .int), ("decided", .bool), ("rating", .int), ("closed_at", .int),
                ("suspended_since", .int), ("concerning_unit", .text), ("concerning_official", .text), ("deciding_body", .text),
                ("parent_id", .text), ("product", .text), ("task_phase", .text), ("drafter", .text), ("last_idx", .int),
            ],
            order: "id"),
        Table(name: "checkpoint_cosignature", columns: [("size", .int), ("witness", .text), ("line", .text)], order: "size, witness"),
        Table(name: "case_sequence", columns: [("agency", .text), ("day", .text), ("last", .int)], order: "agency, day"),
        Table(
            name: "personal_data",
            columns: [("ref", .text), ("case_id", .text), ("salt", .blob), ("sealed", .blob), ("created_at", .int), ("erased_at", .int)], order: "ref"
        ),
        Table(name: "demo_label", columns: [("case_id", .text), ("behaviour", .text)], order: "case_id, behaviour"),
        Table(
            name: "finding",
            columns: [
                ("id", .text), ("case_id", .text), ("detector", .text), ("official", .text), ("unit", .text), ("head", .text), ("severity", .text),
                ("evidence", .text), ("value", .text), ("limit_value", .text), ("explanation", .text), ("explanation_en", .text), ("status", .text),
                ("response", .text), ("reviewer", .text), ("review_note", .text), ("observed_at", .int), ("raised_at", .int), ("raised_idx", .int),
                ("updated_idx", .int), ("cause", .text), ("consequences", .text), ("remediation_owner", .text), ("remediation_due", .text),
                ("remediation_done_at", .int), ("protected_by", .text),
            ],
            order: "id"),
        Table(name: "case_search", columns: [("case_id", .text), ("text", .text)], order: "case_id"),
        Table(
            name: "task_tally", columns: [("parent_id", .text), ("lead_unit", .text), ("task_phase", .text), ("due_date", .text), ("n", .int)],
            order: "parent_id, lead_unit, task_phase, due_date"),
        Table(name: "account", columns: [("official", .text), ("password_hash", .text), ("updated_at", .int)], order: "official"),
        Table(
            name: "session", columns: [("token_hash", .blob), ("official", .text), ("csrf", .text), ("created_at", .int), ("expires_at", .int)],
            order: "token_hash"),
        Table(
            name: "api_token",
            columns: [
                ("token_hash", .blob), ("name", .text), ("scopes", .text), ("official", .text), ("acts_for", .text), ("imports_history", .bool),
                ("created_at", .int), ("revoked_at", .int),
            ],
            order: "token_hash"),
        Table(
            name: "discipline_view", columns: [("finding", .text), ("viewer", .text), ("entry", .int), ("at", .int)],
            order: "finding, at, entry, viewer"),
    ]

    static let chunkSize = 2_000

    // MARK: - SQLite

    /// Reads a SQLite store's tables chunk by chunk from one snapshot (writers may go on; the copy is of one moment).
    public static func readSQLite(path: String, _ sink: (Chunk) async throws -> Void) async throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.database("no database at \(path)") }
        var config = Configuration()
        config.readonly = true
        let pool = try DatabasePool(path: path, configuration: config)
        let snapshot = try pool.makeSnapshot()
        for table in tables {
            var offset = 0
            while true {
                let from = offset
                let rows = try await snapshot.read { db in
                    try Row.fetchAll(
                        db,
                        sql:
                            "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.order) LIMIT ? OFFSET ?",
                        arguments: [chunkSize, from]
                    ).map { row in try table.columns.indices.map { try value(row, $0, table.columns[$0].kind, table: table.name) } }
                }
                if rows.isEmpty { break }
                try await sink(Chunk(table: table, rows: rows))
                offset += rows.count
                if rows.count < chunkSize { break }
            }
        }
    }

    private static func value(_ row: Row, _ i: Int, _ kind: Kind, table: String) throws -> Value {
        let raw: DatabaseValue = row[i]
        if raw.isNull { return .null }
        switch kind {
        case .text:
            guard let s = String.fromDatabaseValue(raw) else { throw StoreError.database("\(table).\(row.columnNames.map { $0 }[i]): expected text") }
            return .text(s)
        case .int, .bool:
            guard let n = Int64.fromDatabaseValue(raw) else {
                throw StoreError.database("\(table).\(row.columnNames.map { $0 }[i]): expected an integer")
            }
            return kind == .bool ? .bool(n != 0) : .int(n)
        case .blob:
            guard let d = Data.fromDatabaseValue(raw) else { throw StoreError.database("\(table).\(row.columnNames.map { $0 }[i]): expected a blob") }
            return .blob([UInt8](d))
        }
    }

    /// A new SQLite store file (the SQLite schema, then the rows), written as PATH.partial and renamed when complete.
    public final class SQLiteFileWriter {
        let path: String
        let partial: String
        let queue: DatabaseQueue
        public private(set) var rowsWritten: [String: Int] = [:]

        public init(path: String) throws {
            guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.database("\(path) exists; a backup never overwrites a file") }
            self.path = path
            partial = path + ".partial"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
            var config = Configuration()
            config.foreignKeysEnabled = false  // parents and children arrive in order, but a unit's head is an official
            try PrivateFile.prepare(partial)
            queue = try DatabaseQueue(path: partial, configuration: config)
            try Schema.migrator.migrate(queue)
        }

        public func write(_ chunk: Chunk) throws {
            let table = chunk.table
            try queue.write { db in
                let statement = try db.makeStatement(
                    sql:
                        "INSERT INTO \(table.name) (\(table.columns.map(\.name).joined(separator: ", "))) VALUES (\(table.columns.map { _ in "?" }.joined(separator: ",")))"
                )
                for row in chunk.rows {
                    try statement.execute(
                        arguments: StatementArguments(
                            row.map { v -> (any DatabaseValueConvertible)? in
                                switch v {
                                case .null: nil
                                case .text(let s): s
                                case .int(let n): n
                                case .blob(let b): Data(b)
                                case .bool(let b): b ? 1 : 0
                                }
                            }))
                }
            }
            rowsWritten[table.name, default: 0] += chunk.rows.count
        }

        /// Checks the foreign keys once everything is in, then moves the file into place.
        public func finish() throws {
            let violations = try queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
            guard violations == 0 else { throw StoreError.database("the copy has \(violations) rows whose references do not resolve") }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        }

        public func abandon() {
            try? queue.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        }
    }
}

extension SQLiteStore {
    /// An online, consistent copy of the database (SQLite's backup API, in one step under a read transaction: appends
    /// go on meanwhile and are simply not in the copy), written as PATH.partial and renamed when complete.
    public static func backup(path: String, to out: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.database("no database at \(path)") }
        guard !FileManager.default.fileExists(atPath: out) else { throw StoreError.database("\(out) exists; a backup never overwrites a file") }
        let partial = out + ".partial"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        var config = Configuration()
        config.readonly = true
        let source = try DatabasePool(path: path, configuration: config)
        do {
            try PrivateFile.prepare(partial)
            let destination = try DatabaseQueue(path: partial)
            try source.backup(to: destination)
            try destination.close()
            try FileManager.default.moveItem(atPath: partial, toPath: out)
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
            throw error
        }
    }

    /// Rows per table, for comparing a copy with its source.
    public static func rowCounts(path: String) throws -> [String: Int] {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        return try queue.read { db in
            var counts: [String: Int] = [:]
            for table in StoreCopy.tables { counts[table.name] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
            return counts
        }
    }
}
