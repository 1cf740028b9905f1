import BuckStopCalendar
import BuckStopDomain
import GRDB

extension SQLiteStore {
    public func reminderSubjects(dueBy last: CivilDate, limit: Int) async throws -> [ReminderSubject] {
        try await pool.read { db in
            try db.cachedStatement(sql: ReminderSQL.due { _ in "?" }).decodeAll(arguments: [last.description, limit], ReminderSQL.subject(from:))
        }
    }
}
