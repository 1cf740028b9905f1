import BuckStopCalendar
import BuckStopDomain

/// `task_tally`: how many tasks each programme or plan holds per (lead unit, phase, due date), kept by the append path so
/// that a roll-up sums a few hundred rows instead of reading every task. Why: a national programme set (10^5 tasks) read
/// off the best index still cost 25 ms per roll-up on SQLite and 80 ms on PostgreSQL (docs/BENCHMARKS.md), over the
/// 50 ms limit; the tally is one row per distinct key, and each batch moves each task it changed from its old key to its
/// new one.
///
/// The change is decided once, here, from the batch's case changes (`AppendPlan.cases`, each with its row as stored
/// before the batch), and both stores only add the deltas (as `FindingTable.plan` decides findings). Rows whose count
/// fell to zero stay (the key may be used again) and are never read: readers ask for `n > 0`. `verify` recounts the tally
/// from the replayed cases (`ProjectionAudit`).
enum TaskTally {
    /// One row of the tally. A task without a due date is stored under '' (a key column cannot be NULL in PostgreSQL).
    struct Key: Hashable, Comparable, Sendable {
        var parent: CaseID
        var leadUnit: UnitID
        var phase: TaskPhase
        var dueDate: CivilDate?

        /// The key of a case, if it is counted: a task with a phase in a programme or plan.
        init?(_ state: CaseState) {
            guard let parent = state.parent, let phase = state.taskPhase else { return nil }
            self.init(parent: parent, leadUnit: state.leadUnit, phase: phase, dueDate: state.dueDate)
        }

        init(parent: CaseID, leadUnit: UnitID, phase: TaskPhase, dueDate: CivilDate?) {
            self.parent = parent
            self.leadUnit = leadUnit
            self.phase = phase
            self.dueDate = dueDate
        }

        var dueColumn: String { dueDate?.description ?? "" }

        static func < (a: Key, b: Key) -> Bool {
            (a.parent.rawValue, a.leadUnit.rawValue, a.phase.rawValue, a.dueColumn)
                < (b.parent.rawValue, b.leadUnit.rawValue, b.phase.rawValue, b.dueColumn)
        }
    }

    /// What a batch does to the tally: each changed case leaves its key as stored before the batch and joins the key it
    /// ends in; keys whose moves cancel out are left alone. In key order, so writers touch rows in one order.
    static func deltas(_ changes: some Sequence<CaseChange>) -> [(key: Key, delta: Int)] {
        var sum: [Key: Int] = [:]
        for change in changes {
            let before = change.previous.flatMap(Key.init)
            let after = Key(change.state)
            guard before != after else { continue }
            if let before { sum[before, default: 0] -= 1 }
            if let after { sum[after, default: 0] += 1 }
        }
        return sum.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The counts `case_state` holds, for migrations and for the audit: the same rows the deltas add up to.
    static let recount = """
        SELECT parent_id, lead_unit, task_phase, COALESCE(due_date, ''), COUNT(*) FROM case_state
        WHERE parent_id IS NOT NULL AND task_phase IS NOT NULL
        GROUP BY parent_id, lead_unit, task_phase, COALESCE(due_date, '')
        """

    /// Fills the tally of a store whose tasks were written before it existed (migrations v10 / 10).
    static let backfill = "INSERT INTO task_tally (parent_id, lead_unit, task_phase, due_date, n) " + recount

    /// Adds a positive delta (SQLite: one row per statement, cached).
    static let upsert = """
        INSERT INTO task_tally (parent_id, lead_unit, task_phase, due_date, n) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (parent_id, lead_unit, task_phase, due_date) DO UPDATE SET n = task_tally.n + excluded.n
        """

    /// Takes a negative delta off its row, which the task's earlier change put there. Not an upsert: both databases check
    /// a row's CHECK before they find the conflict, so an insert of -1 fails even where the row exists.
    static let subtract = "UPDATE task_tally SET n = n + ? WHERE parent_id = ? AND lead_unit = ? AND task_phase = ? AND due_date = ?"

    /// The stored rows still counting, for the audit.
    static let stored = "SELECT parent_id, lead_unit, task_phase, due_date, n FROM task_tally WHERE n > 0"

    static func row(from row: some RowColumns) throws -> (key: Key, count: Int) {
        let parent = try row.string(0)
        guard let phase = try CaseRow.phase(row.string(2), case: parent) else { throw StoreError.database("a task tally row without a phase") }
        let due = try row.string(3)
        return (
            Key(parent: CaseID(parent), leadUnit: UnitID(try row.string(1)), phase: phase, dueDate: due.isEmpty ? nil : try CivilDate(iso: due)),
            try row.int(4)
        )
    }
}
