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

    static func fetch(_ db: Database, id: CaseID) throws -> CaseState? {
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM case_state WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id.rawValue]) else { return nil }
        return try state(from: row)
    }

    static func state(from row: Row) throws -> CaseState {
        func date(_ text: String?) throws -> CivilDate? { try text.map { try CivilDate(iso: $0) } }
        guard let kind = CaseKind(rawValue: row["kind"]), let status = CaseStatus(rawValue: row["status"]) else {
            throw StoreError.database("case \(row["id"] as String? ?? "?"): unknown kind or status in the projection")
        }
        var consultations: [UnitID: CivilDate] = [:]
        for line in (row["consultations"] as String).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { consultations[UnitID(String(parts[0]))] = try CivilDate(iso: String(parts[1])) }
        }
        let subjectRef: String? = row["subject_ref"]
        let subjectHash: String? = row["subject_hash"]
        return CaseState(
            restoringID: CaseID(row["id"] as String), kind: kind, procedure: row["procedure"], title: row["title"],
            leadUnit: UnitID(row["lead_unit"] as String),
            collaborators: (row["collaborators"] as String).split(separator: "\n").map { UnitID(String($0)) },
            owner: (row["owner"] as String?).map(OfficialID.init(rawValue:)), status: status, dueDate: try date(row["due_date"]),
            originalDueDate: try date(row["original_due_date"]), ruleID: row["rule_id"],
            subject: subjectRef.flatMap { ref in subjectHash.map { SubjectRef(ref: ref, hash: $0) } },
            openedAt: row["opened_at"], updatedAt: row["updated_at"], ownerSince: row["owner_since"],
            pendingConsultations: consultations, actionCount: row["action_count"], supplementRequests: row["supplement_requests"],
            reschedules: row["reschedules"], extensions: row["extensions"], decided: row["decided"], rating: row["rating"],
            closedAt: row["closed_at"])
    }

    static func save(_ db: Database, _ s: CaseState, lastIndex: Int64) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO case_state (\(columns), last_idx) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        let consultations = s.pendingConsultations.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }
            .joined(separator: "\n")
        let values: [(any DatabaseValueConvertible)?] = [
            s.id.rawValue, s.kind.rawValue, s.procedure, s.title, s.leadUnit.rawValue,
            s.collaborators.map(\.rawValue).joined(separator: "\n"), s.owner?.rawValue, s.status.rawValue,
            s.dueDate?.description, s.originalDueDate?.description, s.ruleID, s.subject?.ref, s.subject?.hash,
            s.openedAt, s.updatedAt, s.ownerSince, consultations, s.actionCount, s.supplementRequests, s.reschedules,
            s.extensions, s.decided, s.rating, s.closedAt, lastIndex,
        ]
        try statement.execute(arguments: StatementArguments(values))
    }
}
