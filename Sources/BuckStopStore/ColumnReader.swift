import GRDB
import GRDBSQLite

/// A result row read by column position. Projection rows (cases, findings) decode through this on both stores, so
/// the mapping from columns to domain values is written once.
protocol RowColumns {
    func isNull(_ i: Int32) throws -> Bool
    func int64(_ i: Int32) throws -> Int64
    func int(_ i: Int32) throws -> Int
    func bool(_ i: Int32) throws -> Bool
    func string(_ i: Int32) throws -> String
    func blob(_ i: Int32) throws -> [UInt8]
}

extension RowColumns {
    func optionalString(_ i: Int32) throws -> String? { try isNull(i) ? nil : try string(i) }
    func optionalInt64(_ i: Int32) throws -> Int64? { try isNull(i) ? nil : try int64(i) }
    func optionalInt(_ i: Int32) throws -> Int? { try isNull(i) ? nil : try int(i) }
}

/// Reads the current row of a stepping statement through the SQLite C API, by column position. On the hot reads
/// (inbox, findings, a case's entries) GRDB's generic `row[i]` decoding cost more than the query itself.
struct ColumnReader: RowColumns {
    let handle: OpaquePointer

    init(_ statement: Statement) { handle = statement.sqliteStatement }

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
    func bool(_ i: Int32) -> Bool { sqlite3_column_int64(handle, i) != 0 }

    func string(_ i: Int32) -> String {
        // sqlite3_column_text before sqlite3_column_bytes, as SQLite's documentation requires.
        guard let text = sqlite3_column_text(handle, i) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func blob(_ i: Int32) -> [UInt8] {
        guard let data = sqlite3_column_blob(handle, i) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, i))
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }
}

extension Statement {
    /// Runs the statement and decodes each row with `decode`; GRDB binds, steps and reports errors.
    func decodeAll<T>(arguments: StatementArguments, _ decode: (ColumnReader) throws -> T) throws -> [T] {
        let cursor = try Row.fetchCursor(self, arguments: arguments)
        let reader = ColumnReader(self)
        var out: [T] = []
        while try cursor.next() != nil { out.append(try decode(reader)) }
        return out
    }
}
