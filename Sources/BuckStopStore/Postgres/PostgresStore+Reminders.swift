import BuckStopCalendar
import BuckStopDomain
import PostgresNIO

extension PostgresStore {
    public func reminderSubjects(dueBy last: CivilDate, limit: Int) async throws -> [ReminderSubject] {
        var b = PostgresBindings()
        b.append(last.description)
        b.append(limit)
        return try await rows(PostgresQuery(unsafeSQL: ReminderSQL.due { "$\($0)" }, binds: b), ReminderSQL.subject(from:))
    }
}
