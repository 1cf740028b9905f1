import BuckStopDomain
import GRDB

/// SQLite's errors that leave the store as GRDB's own (opening the file, reads) have a category like every
/// `StoreError`, decided on SQLite's result code: a database busy or locked by another process may be retried, any
/// other failure (read-only, full, corrupt, a constraint or trigger, I/O) is the storage's. Their text (SQL, the
/// file's path) is for the log only.
extension DatabaseError: CategorizedError {
    public var category: FailureCategory {
        switch resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: .unavailable
        default: .storageFailure
        }
    }
}
