import Foundation
import GRDB
import GRDBSQLite

/// Binds and steps a GRDB-prepared statement through the SQLite C API. On the append path this
/// replaces `StatementArguments`, whose boxed values cost more than the insert itself.
/// Values are bound positionally (1-based) and copied by SQLite (`SQLITE_TRANSIENT`).
struct BoundStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private var position: Int32 = 0

    init(_ statement: Statement) {
        self.statement = statement
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private mutating func next() -> Int32 {
        position += 1
        return position
    }

    mutating func bind(_ value: Int64) { sqlite3_bind_int64(handle, next(), value) }
    mutating func bind(_ value: Int) { sqlite3_bind_int64(handle, next(), Int64(value)) }
    mutating func bind(_ value: Bool) { sqlite3_bind_int64(handle, next(), value ? 1 : 0) }

    mutating func bind(_ value: String) {
        let index = next()
        var text = value
        text.withUTF8 { buffer in
            // An empty string must bind as '' (not NULL), so it needs a non-null pointer.
            let pointer = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(handle, index, pointer, Int32(buffer.count), Self.transient)
        }
    }

    mutating func bind(_ value: String?) {
        if let value { bind(value) } else { sqlite3_bind_null(handle, next()) }
    }

    mutating func bind(_ value: Int64?) {
        if let value { bind(value) } else { sqlite3_bind_null(handle, next()) }
    }

    mutating func bind(_ value: Int?) {
        if let value { bind(Int64(value)) } else { sqlite3_bind_null(handle, next()) }
    }

    mutating func bind(blob bytes: some ContiguousBytes) {
        let index = next()
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), Self.transient)
        }
    }

    /// Steps to completion; a constraint violation or I/O error becomes a `DatabaseError` naming the statement.
    func run(_ db: Database) throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw failure(code, db) }
    }

    /// Steps through the result rows, decoding each by column position (no `StatementArguments`, whose generic
    /// building showed in the writer's profile); an error becomes a `DatabaseError` as in `run`.
    func rows<T>(_ db: Database, _ decode: (ColumnReader) throws -> T) throws -> [T] {
        defer { sqlite3_reset(handle) }
        let reader = ColumnReader(statement)
        var out: [T] = []
        while true {
            let code = sqlite3_step(handle)
            guard code == SQLITE_ROW else {
                guard code == SQLITE_DONE else { throw failure(code, db) }
                return out
            }
            out.append(try decode(reader))
        }
    }

    private func failure(_ code: Int32, _ db: Database) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
