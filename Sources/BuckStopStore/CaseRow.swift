import Foundation
import BuckStopCalendar
import BuckStopDomain
import GRDB

/// Reads and writes the `case_state` projection row.
enum CaseRow {
    static let columns = """
        id, kind, procedure, title, lead_unit, collaborators, owner, status, due_date, original_due_date, rule_id,
        subject_ref, subject_hash, opened_at, updated_at, owner_since, consultations, action_count, supplement_requests,
        reschedules, extensions, decided, rating, closed_at
        """

    private static let names: [String] =
        (columns + ", last_idx").split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    /// Columns that an index covers (or filters on): updating them rewrites index entries.
    private static let indexed: Set<String> = ["owner", "due_date", "lead_unit", "status"]

    static let insertSQL =
        "INSERT INTO case_state (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ",")))"

    /// Every column but the key, bound in `names` order after the id, with the id last for WHERE.
    static let updateSQL = "UPDATE case_state SET \(names.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    /// The same without the indexed columns: SQLite then leaves the indexes alone.
    static let lightUpdateSQL =
        "UPDATE case_state SET \(names.dropFirst().filter { !indexed.contains($0) }.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    static func fetch(_ db: Database, id: CaseID) throws -> CaseState? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM case_state WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id.rawValue]) else { return nil }
        return try state(from: row)
    }

    /// Reads by position (the order of `columns`): name lookups cost more than the rest of the row.
    static func state(from row: Row) throws -> CaseState {
        func date(_ index: Int) throws -> CivilDate? { try (row[index] as String?).map { try CivilDate(iso: $0) } }
        let id: String = row[0]
        guard let kind = CaseKind(rawValue: row[1]), let status = CaseStatus(rawValue: row[7]) else {
            throw StoreError.database("case \(id): unknown kind or status in the projection")
        }
        var consultations: [UnitID: CivilDate] = [:]
        for line in (row[16] as String).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { consultations[UnitID(String(parts[0]))] = try CivilDate(iso: String(parts[1])) }
        }
        let subjectRef: String? = row[11]
        let subjectHash: String? = row[12]
        let collaborators: String = row[5]
        return CaseState(
            restoringID: CaseID(id), kind: kind, procedure: row[2], title: row[3], leadUnit: UnitID(row[4] as String),
            collaborators: collaborators.isEmpty ? [] : collaborators.split(separator: "\n").map { UnitID(String($0)) },
            owner: (row[6] as String?).map(OfficialID.init(rawValue:)), status: status, dueDate: try date(8),
            originalDueDate: try date(9), ruleID: row[10],
            subject: subjectRef.flatMap { ref in subjectHash.map { SubjectRef(ref: ref, hash: $0) } },
            openedAt: row[13], updatedAt: row[14], ownerSince: row[15], pendingConsultations: consultations,
            actionCount: row[17], supplementRequests: row[18], reschedules: row[19], extensions: row[20], decided: row[21],
            rating: row[22], closedAt: row[23])
    }

    /// Writes a case's projection: INSERT for a new case, otherwise an UPDATE that touches the
    /// indexes only when owner, due date, lead unit or status changed since `previous`.
    static func save(_ db: Database, _ s: CaseState, previous: CaseState?, lastIndex: Int64) throws {
        guard let previous else {
            var row = BoundStatement(try db.cachedStatement(sql: insertSQL))
            row.bind(s.id.rawValue)
            bindColumns(&row, s, lastIndex: lastIndex, includeIndexed: true)
            return try row.run(db)
        }
        let includeIndexed = previous.owner != s.owner || previous.dueDate != s.dueDate || previous.leadUnit != s.leadUnit
            || previous.status != s.status
        var row = BoundStatement(try db.cachedStatement(sql: includeIndexed ? updateSQL : lightUpdateSQL))
        bindColumns(&row, s, lastIndex: lastIndex, includeIndexed: includeIndexed)
        row.bind(s.id.rawValue)
        try row.run(db)
    }

    /// Binds every column after `id`, in `names` order.
    private static func bindColumns(_ row: inout BoundStatement, _ s: CaseState, lastIndex: Int64, includeIndexed: Bool) {
        row.bind(s.kind.rawValue)
        row.bind(s.procedure)
        row.bind(s.title)
        if includeIndexed { row.bind(s.leadUnit.rawValue) }
        row.bind(s.collaborators.map(\.rawValue).joined(separator: "\n"))
        if includeIndexed {
            row.bind(s.owner?.rawValue)
            row.bind(s.status.rawValue)
            row.bind(s.dueDate?.description)
        }
        row.bind(s.originalDueDate?.description)
        row.bind(s.ruleID)
        row.bind(s.subject?.ref)
        row.bind(s.subject?.hash)
        row.bind(s.openedAt)
        row.bind(s.updatedAt)
        row.bind(s.ownerSince)
        row.bind(s.pendingConsultations.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: "\n"))
        row.bind(s.actionCount)
        row.bind(s.supplementRequests)
        row.bind(s.reschedules)
        row.bind(s.extensions)
        row.bind(s.decided)
        row.bind(s.rating)
        row.bind(s.closedAt)
        row.bind(lastIndex)
    }
}
