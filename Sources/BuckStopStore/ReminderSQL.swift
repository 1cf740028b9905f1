import BuckStopCalendar
import BuckStopDomain

/// What the scheduled reminders read of `case_state`, written once for both stores (a parameter is `?` in SQLite, `$n` in
/// PostgreSQL: the caller's `parameter`). Which of the rows are reminded, and how, is `ReminderPlanner`'s decision; the
/// query only bounds the read: cases with an owner (the open ones: the `case_inbox` index holds exactly these, keyed by
/// owner and due date), in a status their clock can run in, due on or before the planner's horizon.
enum ReminderSQL {
    static let running = ReminderSubject.runningStatuses.map { "'\($0.rawValue)'" }.joined(separator: ",")

    /// Earliest due first, so that a capped read keeps the most urgent. Binds: last due date, limit.
    static func due(_ parameter: (Int) -> String) -> String {
        """
        SELECT id, kind, owner, due_date, status, task_phase, suspended_since FROM case_state
        WHERE owner IS NOT NULL AND due_date <= \(parameter(1)) AND status IN (\(running))
        ORDER BY due_date, id LIMIT \(parameter(2))
        """
    }

    static func subject(from row: some RowColumns) throws -> ReminderSubject {
        let id = try row.string(0)
        guard let kind = CaseKind(rawValue: try row.string(1)), let status = CaseStatus(rawValue: try row.string(4)) else {
            throw StoreError.database("case \(id): unknown kind or status in the projection")
        }
        return ReminderSubject(
            id: CaseID(id), kind: kind, owner: OfficialID(try row.string(2)), dueDate: try CivilDate(iso: try row.string(3)), status: status,
            taskPhase: try CaseRow.phase(row.optionalString(5), case: id), suspended: !(try row.isNull(6)))
    }
}
