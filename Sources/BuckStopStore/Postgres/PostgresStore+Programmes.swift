import BuckStopCalendar
import BuckStopDomain
import PostgresNIO

extension PostgresStore {
    private static func parameter(_ n: Int) -> String { "$\(n)" }

    private static func query(_ sql: String, _ values: [any PostgresNonThrowingEncodable & PostgresDynamicTypeEncodable]) -> PostgresQuery {
        var b = PostgresBindings()
        for v in values { b.append(v) }
        return PostgresQuery(unsafeSQL: sql, binds: b)
    }

    public func programmes(limit: Int) async throws -> [CaseState] {
        try await rows(Self.query(ProgrammeSQL.roots(Self.parameter), [limit]), CaseRow.state(from:))
    }

    public func programmeBranches(root: CaseID) async throws -> [CaseState] {
        try await rows(Self.query(ProgrammeSQL.branches(Self.parameter), [root.rawValue]), CaseRow.state(from:))
    }

    public func programmeGroups(root: CaseID) async throws -> [TaskGroup] {
        try await rows(Self.query(ProgrammeSQL.groups(Self.parameter), [root.rawValue]), ProgrammeSQL.group(from:))
    }

    public func overdueTasks(root: CaseID, dueThrough last: CivilDate, limit: Int) async throws -> [TaskSummary] {
        try await rows(Self.query(ProgrammeSQL.overdue(Self.parameter), [root.rawValue, last.description, limit]), ProgrammeSQL.summary(from:))
    }

    public func programmeTasks(root: CaseID, limit: Int) async throws -> [TaskSummary] {
        try await rows(Self.query(ProgrammeSQL.tasks(Self.parameter), [root.rawValue, limit]), ProgrammeSQL.summary(from:))
    }
}
