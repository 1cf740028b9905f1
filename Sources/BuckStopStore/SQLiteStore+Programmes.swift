import BuckStopCalendar
import BuckStopDomain
import GRDB

extension SQLiteStore {
    private static func parameter(_: Int) -> String { "?" }

    public func programmes(limit: Int) async throws -> [CaseState] {
        try await pool.read { db in
            try db.cachedStatement(sql: ProgrammeSQL.roots(Self.parameter)).decodeAll(arguments: [limit], CaseRow.state(from:))
        }
    }

    public func programmeBranches(root: CaseID) async throws -> [CaseState] {
        try await pool.read { db in
            try db.cachedStatement(sql: ProgrammeSQL.branches(Self.parameter)).decodeAll(arguments: [root.rawValue], CaseRow.state(from:))
        }
    }

    public func programmeGroups(root: CaseID) async throws -> [TaskGroup] {
        try await pool.read { db in
            try db.cachedStatement(sql: ProgrammeSQL.groups(Self.parameter)).decodeAll(arguments: [root.rawValue], ProgrammeSQL.group(from:))
        }
    }

    public func overdueTasks(root: CaseID, dueThrough last: CivilDate, limit: Int) async throws -> [TaskSummary] {
        try await pool.read { db in
            try db.cachedStatement(sql: ProgrammeSQL.overdue(Self.parameter)).decodeAll(
                arguments: [root.rawValue, last.description, limit], ProgrammeSQL.summary(from:))
        }
    }

    public func programmeTasks(root: CaseID, limit: Int) async throws -> [TaskSummary] {
        try await pool.read { db in
            try db.cachedStatement(sql: ProgrammeSQL.tasks(Self.parameter)).decodeAll(arguments: [root.rawValue, limit], ProgrammeSQL.summary(from:))
        }
    }
}
