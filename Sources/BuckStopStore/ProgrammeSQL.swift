import BuckStopCalendar
import BuckStopDomain

/// What a programme's roll-up asks of `case_state`, written once for both stores: the SQL differs only in how a
/// parameter is written (`?` in SQLite, `$n` in PostgreSQL), which the caller's `parameter` gives. The tree is walked by
/// a recursive query from the root through programme cases (plans under programmes, to any depth); tasks are the rows
/// with a phase, counted off the `case_programme` index (parent, lead unit, phase, due date, owner). The walk steps to
/// children without a phase — only programmes and plans have a parent and no phase (`CaseState.checkParent`) — so each
/// step is a lookup in that index; naming the kind instead made SQLite scan every programme case at each step.
enum ProgrammeSQL {
    /// Every phase, quoted for a CHECK; and the list of migration 9, which migration 10 extended with 'submitted'.
    static let phases = TaskPhase.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
    static let phasesBefore10 = "'not_started','in_progress','awaiting_approval','done','cancelled'"

    /// `task_tally` (see `TaskTally`), with the count column's type of the store.
    static func tallySchema(count: String) -> String {
        """
        CREATE TABLE task_tally (
            parent_id TEXT NOT NULL, lead_unit TEXT NOT NULL, task_phase TEXT NOT NULL, due_date TEXT NOT NULL,
            n \(count) NOT NULL CHECK (n >= 0),
            PRIMARY KEY (parent_id, lead_unit, task_phase, due_date))
        """
    }

    /// Since migration 10 the counts come from the tally, so the index serves the two reads left: a tree's walk through
    /// programmes and plans (`case_branch`: only rows without a phase, a few hundred in a national set), and a tree's
    /// tasks by phase and due date (`case_task`: the overdue list reads the first of them and no more).
    static let indexesSince10 = [
        "DROP INDEX case_programme",
        "CREATE INDEX case_branch ON case_state(parent_id) WHERE parent_id IS NOT NULL AND task_phase IS NULL",
        "CREATE INDEX case_task ON case_state(parent_id, task_phase, due_date) WHERE parent_id IS NOT NULL",
    ]

    /// The phases a task can be overdue in: overdue means one of these with the due date before the day asked, the same
    /// rule as `TaskPhase.isOverdue`.
    static let overduePhases = TaskPhase.allCases.filter(\.canBeOverdue).map { "'\($0.rawValue)'" }.joined(separator: ",")

    /// `WITH RECURSIVE tree(id)`: the root (if it is a programme) and every programme case under it. Binds the root first.
    static func tree(_ parameter: (Int) -> String) -> String {
        """
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM case_state WHERE id = \(parameter(1)) AND kind = 'programme'
            UNION ALL
            SELECT c.id FROM case_state c JOIN tree t ON c.parent_id = t.id WHERE c.parent_id IS NOT NULL AND c.task_phase IS NULL
        )
        """
    }

    /// Tasks counted by lead unit, phase and due date: the tally's rows of the tree's programmes and plans (`TaskTally`);
    /// which of them are overdue on a day is then `TaskCount.tally`'s decision. Binds: root.
    static func groups(_ parameter: (Int) -> String) -> String {
        tree(parameter) + """
            SELECT lead_unit, task_phase, NULLIF(due_date, ''), n FROM task_tally WHERE parent_id IN (SELECT id FROM tree) AND n > 0
            """
    }

    /// The phase of every task written before tasks had one (migrations v9 / 9), as replaying its entries gives it: before
    /// then a task could only be accepted, resolved, closed or reopened (`CaseState.followPhase`), so a finished one is
    /// done, and an open one is in progress once it was ever accepted or reopened, else not started. `verify` rebuilds
    /// the projection by replay and would find a task without its phase.
    static let backfillPhases = """
        UPDATE case_state SET task_phase = CASE
            WHEN status IN ('resolved', 'closed') THEN 'done'
            WHEN EXISTS (SELECT 1 FROM ledger_entry e WHERE e.case_id = case_state.id AND e.type IN ('accept', 'reopen')) THEN 'in_progress'
            ELSE 'not_started' END
        WHERE kind = 'task' AND task_phase IS NULL
        """

    static let summaryColumns = "id, title, parent_id, lead_unit, owner, task_phase, due_date"

    /// The overdue tasks due on or before a date (`TaskGroup.overdueCutoff` of the day asked, from the tally), earliest
    /// due first: off the `case_task` index, each of the tree's parents and overdue phases is a range read that stops at
    /// the cutoff, so a list of the first 200 reads about 200 entries however many are late. Binds: root, cutoff, limit.
    static func overdue(_ parameter: (Int) -> String) -> String {
        tree(parameter) + """
            SELECT \(summaryColumns) FROM case_state
            WHERE parent_id IN (SELECT id FROM tree) AND task_phase IN (\(overduePhases)) AND due_date <= \(parameter(2))
            ORDER BY due_date, id LIMIT \(parameter(3))
            """
    }

    /// Every task under the root, by parent then due date. Binds: root, limit.
    static func tasks(_ parameter: (Int) -> String) -> String {
        tree(parameter) + """
            SELECT \(summaryColumns) FROM case_state WHERE parent_id IN (SELECT id FROM tree) AND task_phase IS NOT NULL
            ORDER BY parent_id, due_date, id LIMIT \(parameter(2))
            """
    }

    /// The root and the programme cases under it, oldest first. Binds: root.
    static func branches(_ parameter: (Int) -> String) -> String {
        tree(parameter) + "SELECT \(CaseRow.columns) FROM case_state WHERE id IN (SELECT id FROM tree) ORDER BY opened_at, id"
    }

    /// Programmes at the root of their tree, newest first. Binds: limit.
    static func roots(_ parameter: (Int) -> String) -> String {
        "SELECT \(CaseRow.columns) FROM case_state WHERE kind = 'programme' AND parent_id IS NULL ORDER BY opened_at DESC, id LIMIT \(parameter(1))"
    }

    static func group(from row: some RowColumns) throws -> TaskGroup {
        let unit = try row.string(0)
        guard let phase = try CaseRow.phase(row.string(1), case: unit) else { throw StoreError.database("a task count without a phase") }
        return TaskGroup(
            leadUnit: UnitID(unit), phase: phase, dueDate: try row.optionalString(2).map { try CivilDate(iso: $0) }, count: try row.int(3))
    }

    static func summary(from row: some RowColumns) throws -> TaskSummary {
        let id = try row.string(0)
        guard let phase = try CaseRow.phase(row.string(5), case: id) else { throw StoreError.database("task \(id) without a phase") }
        return TaskSummary(
            id: CaseID(id), title: try row.string(1), parent: try row.optionalString(2).map(CaseID.init(rawValue:)),
            leadUnit: UnitID(try row.string(3)), owner: try row.optionalString(4).map(OfficialID.init(rawValue:)), phase: phase,
            dueDate: try row.optionalString(6).map { try CivilDate(iso: $0) })
    }
}
