import BuckStopCalendar
import BuckStopDomain
import Foundation
import GRDB

/// Reads and writes the `case_state` projection row.
enum CaseRow {
    static let columns = """
        id, kind, procedure, title, lead_unit, collaborators, owner, status, due_date, original_due_date, rule_id,
        subject_ref, subject_hash, opened_at, updated_at, owner_since, consultations, action_count, supplement_requests,
        reschedules, extensions, decided, rating, closed_at, suspended_since, concerning_unit, concerning_official, deciding_body,
        parent_id, product, task_phase, drafter
        """

    private static let names: [String] =
        (columns + ", last_idx").split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    /// Columns that an index covers (or filters on): updating them rewrites index entries.
    private static let indexed: Set<String> = ["owner", "due_date", "lead_unit", "status", "task_phase"]
    /// Columns fixed when the case is opened; an update never rewrites them.
    private static let fixedAtOpening: Set<String> = [
        "kind", "procedure", "title", "collaborators", "original_due_date", "rule_id", "subject_ref", "subject_hash", "opened_at",
        "concerning_unit", "concerning_official", "deciding_body", "parent_id", "product",
    ]

    static let insertSQL =
        "INSERT INTO case_state (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ",")))"

    private static func updateSQL(including columns: [String]) -> String {
        "UPDATE case_state SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"
    }

    /// What actions change, in `names` order (see `bindChanging`).
    static let updateSQL = updateSQL(including: names.dropFirst().filter { !fixedAtOpening.contains($0) })

    /// The same without the indexed columns: SQLite then leaves the indexes alone.
    static let lightUpdateSQL = updateSQL(including: names.dropFirst().filter { !fixedAtOpening.contains($0) && !indexed.contains($0) })

    static let selectByID = "SELECT \(columns) FROM case_state WHERE id = ?"

    static func fetch(_ db: Database, id: CaseID) throws -> CaseState? {
        try db.cachedStatement(sql: selectByID).decodeAll(arguments: [id.rawValue], state(from:)).first
    }

    /// How many ids one lookup statement takes: the statement is cached, so its text never varies; a short chunk is
    /// padded by repeating an id.
    private static let lookupChunk = 16
    private static let selectByIDs =
        "SELECT \(columns) FROM case_state WHERE id IN (\((0..<lookupChunk).map { _ in "?" }.joined(separator: ",")))"

    /// The stored cases among `ids`, read with one statement per `lookupChunk` ids instead of one per id (the ledger
    /// writer reads every case a batch refers to that its memory lacks).
    static func fetch(_ db: Database, ids: [CaseID]) throws -> [CaseID: CaseState] {
        var found: [CaseID: CaseState] = [:]
        var start = ids.startIndex
        while start < ids.endIndex {
            let chunk = ids[start..<min(start + lookupChunk, ids.endIndex)]
            start = chunk.endIndex
            var lookup = BoundStatement(try db.cachedStatement(sql: selectByIDs))
            for i in 0..<lookupChunk { lookup.bind(chunk[min(chunk.startIndex + i, chunk.endIndex - 1)].rawValue) }
            for state in try lookup.rows(db, state(from:)) { found[state.id] = state }
        }
        return found
    }

    /// Reads by position (the order of `columns`): name lookups cost more than the rest of the row.
    static func state(from row: some RowColumns) throws -> CaseState {
        func date(_ index: Int32) throws -> CivilDate? { try row.optionalString(index).map { try CivilDate(iso: $0) } }
        let id = try row.string(0)
        guard let kind = CaseKind(rawValue: try row.string(1)), let status = CaseStatus(rawValue: try row.string(7)) else {
            throw StoreError.database("case \(id): unknown kind or status in the projection")
        }
        var consultations: [UnitID: CivilDate] = [:]
        for line in try row.string(16).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { consultations[UnitID(String(parts[0]))] = try CivilDate(iso: String(parts[1])) }
        }
        let subjectRef = try row.optionalString(11)
        let subjectHash = try row.optionalString(12)
        let collaborators = try row.string(5)
        return CaseState(
            restoringID: CaseID(id), kind: kind, procedure: try row.optionalString(2), title: try row.string(3), leadUnit: UnitID(try row.string(4)),
            collaborators: collaborators.isEmpty ? [] : collaborators.split(separator: "\n").map { UnitID(String($0)) },
            owner: try row.optionalString(6).map(OfficialID.init(rawValue:)), status: status, dueDate: try date(8),
            originalDueDate: try date(9), ruleID: try row.optionalString(10),
            subject: subjectRef.flatMap { ref in subjectHash.map { SubjectRef(ref: ref, hash: $0) } },
            openedAt: try row.int64(13), updatedAt: try row.int64(14), ownerSince: try row.int64(15), pendingConsultations: consultations,
            actionCount: try row.int(17), supplementRequests: try row.int(18), reschedules: try row.int(19), extensions: try row.int(20),
            decided: try row.bool(21),
            rating: try row.optionalInt(22), closedAt: try row.optionalInt64(23), suspendedSince: try row.optionalInt64(24),
            concerning: Concerning(
                unit: try row.optionalString(25).map(UnitID.init(rawValue:)), official: try row.optionalString(26).map(OfficialID.init(rawValue:))),
            decidingBody: try row.optionalString(27).map(UnitID.init(rawValue:)), parent: try row.optionalString(28).map(CaseID.init(rawValue:)),
            product: try row.optionalString(29), taskPhase: try phase(row.optionalString(30), case: id),
            drafter: try row.optionalString(31).map(OfficialID.init(rawValue:)))
    }

    static func phase(_ text: String?, case id: String) throws -> TaskPhase? {
        guard let text else { return nil }
        guard let phase = TaskPhase(rawValue: text) else { throw StoreError.database("case \(id): unknown task phase '\(text)' in the projection") }
        return phase
    }

    /// Writes a case's projection: INSERT for a new case, otherwise an UPDATE of what actions can
    /// change, touching the indexes only when owner, due date, lead unit or status changed since `previous`.
    static func save(_ db: Database, _ s: CaseState, previous: CaseState?, lastIndex: Int64) throws {
        guard let previous else {
            var row = BoundStatement(try db.cachedStatement(sql: insertSQL))
            row.bind(s.id.rawValue)
            row.bind(s.kind.rawValue)
            row.bind(s.procedure)
            row.bind(s.title)
            row.bind(s.leadUnit.rawValue)
            row.bind(s.collaborators.map(\.rawValue).joined(separator: "\n"))
            row.bind(s.owner?.rawValue)
            row.bind(s.status.rawValue)
            row.bind(s.dueDate?.description)
            row.bind(s.originalDueDate?.description)
            row.bind(s.ruleID)
            row.bind(s.subject?.ref)
            row.bind(s.subject?.hash)
            row.bind(s.openedAt)
            bindChanging(&row, s, lastIndex: lastIndex, includeIndexed: false, afterOpenedAt: true)
            return try row.run(db)
        }
        let includeIndexed =
            previous.owner != s.owner || previous.dueDate != s.dueDate || previous.leadUnit != s.leadUnit
            || previous.status != s.status || previous.taskPhase != s.taskPhase
        var row = BoundStatement(try db.cachedStatement(sql: includeIndexed ? updateSQL : lightUpdateSQL))
        bindChanging(&row, s, lastIndex: lastIndex, includeIndexed: includeIndexed, afterOpenedAt: false)
        row.bind(s.id.rawValue)
        try row.run(db)
    }

    /// Binds the columns actions change, in `names` order; with `afterOpenedAt` only those that
    /// follow `opened_at` (the INSERT has bound the rest itself).
    private static func bindChanging(_ row: inout BoundStatement, _ s: CaseState, lastIndex: Int64, includeIndexed: Bool, afterOpenedAt: Bool) {
        if includeIndexed {
            row.bind(s.leadUnit.rawValue)
            row.bind(s.owner?.rawValue)
            row.bind(s.status.rawValue)
            row.bind(s.dueDate?.description)
        }
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
        row.bind(s.suspendedSince)
        if afterOpenedAt {
            row.bind(s.concerning?.unit?.rawValue)
            row.bind(s.concerning?.official?.rawValue)
            row.bind(s.decidingBody?.rawValue)
            row.bind(s.parent?.rawValue)
            row.bind(s.product)
        }
        if includeIndexed || afterOpenedAt { row.bind(s.taskPhase?.rawValue) }
        row.bind(s.drafter?.rawValue)
        row.bind(lastIndex)
    }
}
