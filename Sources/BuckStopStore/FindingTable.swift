import BuckStopCalendar
import BuckStopDomain
import Foundation
import GRDB

/// A finding as stored: the domain's `Finding` plus where and when it was raised and who reviewed it.
public struct StoredFinding: Sendable, Hashable {
    public var finding: Finding
    public var explanationEn: String
    public var value: String
    public var limit: String
    public var reviewer: OfficialID?
    public var reviewNote: String?
    /// When the behaviour happened (the last evidence entry), milliseconds since the epoch; trends count by this.
    public var observedAt: Int64
    /// When the finding's entry was written, and its ledger index.
    public var raisedAt: Int64
    public var raisedIndex: Int64
    /// The ledger index of the finding's latest workflow entry.
    public var updatedIndex: Int64
}

/// Filters for listing findings; nil means "any".
public struct FindingQuery: Sendable {
    public var caseID: CaseID?
    public var official: OfficialID?
    /// Findings about officials of these units (a head's subtree); nil = every unit.
    public var units: [UnitID]?
    public var statuses: [FindingStatus]?
    public var detector: String?
    /// Only findings raised after this ledger index (for "new since").
    public var raisedAfter: Int64?
    public var limit: Int
    public var offset: Int

    public init(
        caseID: CaseID? = nil, official: OfficialID? = nil, units: [UnitID]? = nil, statuses: [FindingStatus]? = nil,
        detector: String? = nil, raisedAfter: Int64? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.caseID = caseID
        self.official = official
        self.units = units
        self.statuses = statuses
        self.detector = detector
        self.raisedAfter = raisedAfter
        self.limit = limit
        self.offset = offset
    }
}

/// The `finding` projection: written in the same transaction as the finding's ledger entry, after the
/// workflow rules of `Finding` accepted it.
enum FindingTable {
    static let columns = """
        id, case_id, detector, official, unit, head, severity, evidence, value, limit_value, explanation, explanation_en, status,
        response, reviewer, review_note, observed_at, raised_at, raised_idx, updated_idx, cause, consequences, remediation_owner,
        remediation_due, remediation_done_at, protected_by
        """

    /// What a finding-workflow entry does to the `finding` projection, once the workflow rules accepted it.
    enum Change {
        /// A new finding, open: the columns of `columns` up to `status` are in `values`, then observed/raised/index.
        case raise(StoredFinding)
        case explain(id: String, status: FindingStatus, response: String)
        case review(id: String, status: FindingStatus, reviewer: OfficialID, note: String?, cause: String?, protectedBy: CaseID?)
        /// A consequence decided or a remediation reported done: the finding's consequences as they now stand.
        case consequences(id: String, ConsequenceState)
    }

    /// Checks the workflow step against the finding as stored (`existing`; nil if there is none) — pure, so both
    /// stores apply the same rules. Nil for actions that are not about findings.
    static func plan(_ action: Action, index: Int64, observedAt: Int64, existing: StoredFinding?, org: Organization) throws -> Change? {
        switch action.body {
        case .raiseFinding(let notice):
            if existing != nil { throw StoreError.findingExists(notice.id) }
            let head = notice.unit.flatMap { org.accountableHead(of: $0) }
            let official = notice.official.flatMap { org.official($0) == nil ? nil : $0 }
            let unit = notice.unit.flatMap { org.unit($0) == nil ? nil : $0 }
            let finding = Finding(
                id: notice.id, detector: notice.detector, caseID: action.caseID, official: official, unit: unit, head: head,
                severity: notice.severity, evidence: notice.evidence, explanation: notice.explanation, status: .open, response: nil)
            return .raise(
                StoredFinding(
                    finding: finding, explanationEn: notice.explanationEn, value: notice.value, limit: notice.limit, reviewer: nil,
                    reviewNote: nil, observedAt: observedAt, raisedAt: action.at, raisedIndex: index, updatedIndex: index))
        case .explainFinding(let id, let text):
            guard var stored = existing, stored.finding.caseID == action.caseID else { throw StoreError.unknownFinding(id) }
            guard let actor = action.actor.officialID else {
                throw DomainError.notPermitted(action: "finding_explained", actor: action.actor.stored, reason: .onlyOfficialExplains)
            }
            try stored.finding.explain(by: actor, text: text)
            return .explain(id: id, status: stored.finding.status, response: text)
        case .reviewFinding(let id, let uphold, let note, let cause, let protection):
            guard var stored = existing, stored.finding.caseID == action.caseID else { throw StoreError.unknownFinding(id) }
            guard let actorID = action.actor.officialID, let actor = org.official(actorID) else {
                throw DomainError.notPermitted(action: "finding_reviewed", actor: action.actor.stored, reason: .onlyOfficialReviews)
            }
            try stored.finding.review(by: actor, uphold: uphold, note: note, cause: cause, protection: protection, in: org)
            return .review(
                id: id, status: stored.finding.status, reviewer: actorID, note: note, cause: cause, protectedBy: stored.finding.protectedBy)
        case .decideConsequence(let decision):
            guard var stored = existing, stored.finding.caseID == action.caseID else { throw StoreError.unknownFinding(decision.finding) }
            guard let actorID = action.actor.officialID, let actor = org.official(actorID) else {
                throw DomainError.notPermitted(action: action.body.type.rawValue, actor: action.actor.stored, reason: .onlyOfficialReviews)
            }
            try stored.finding.decide(decision, by: actor, on: CivilDate(Date(timeIntervalSince1970: Double(action.at) / 1000)), in: org)
            return .consequences(id: decision.finding, stored.finding.consequences)
        case .completeRemediation(let id, let text):
            guard var stored = existing, stored.finding.caseID == action.caseID else { throw StoreError.unknownFinding(id) }
            guard let actorID = action.actor.officialID else {
                throw DomainError.notPermitted(action: action.body.type.rawValue, actor: action.actor.stored, reason: .onlyOfficialActs)
            }
            try stored.finding.completeRemediation(by: actorID, at: action.at, text: text)
            return .consequences(id: id, stored.finding.consequences)
        default:
            return nil
        }
    }

    /// The id of the finding an action is about, if it is a finding-workflow action.
    static func findingID(of action: Action) -> String? {
        switch action.body {
        case .raiseFinding(let notice): notice.id
        case .explainFinding(let id, _), .reviewFinding(let id, _, _, _, _), .completeRemediation(let id, _): id
        case .decideConsequence(let d): d.finding
        default: nil
        }
    }

    /// Writes a change `plan` accepted (SQLite; PostgreSQL writes the same change in its own dialect).
    static func persist(_ change: Change, index: Int64, db: Database) throws {
        switch change {
        case .raise(let f):
            try db.execute(
                sql: """
                    INSERT INTO finding (\(columns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open',NULL,NULL,NULL,?,?,?,?,NULL,'',NULL,NULL,NULL,NULL)
                    """,
                arguments: [
                    f.finding.id, f.finding.caseID.rawValue, f.finding.detector, f.finding.official?.rawValue, f.finding.unit?.rawValue,
                    f.finding.head?.rawValue, f.finding.severity.rawValue, f.finding.evidence.map(String.init).joined(separator: ","), f.value,
                    f.limit, f.finding.explanation, f.explanationEn, f.observedAt, f.raisedAt, f.raisedIndex, f.updatedIndex,
                ])
        case .explain(let id, let status, let text):
            try db.execute(
                sql: "UPDATE finding SET status = ?, response = ?, updated_idx = ? WHERE id = ?", arguments: [status.rawValue, text, index, id])
        case .review(let id, let status, let reviewer, let note, let cause, let protectedBy):
            try db.execute(
                sql: "UPDATE finding SET status = ?, reviewer = ?, review_note = ?, cause = ?, protected_by = ?, updated_idx = ? WHERE id = ?",
                arguments: [status.rawValue, reviewer.rawValue, note, cause, protectedBy?.rawValue, index, id])
        case .consequences(let id, let state):
            let columns = consequenceColumns(state)
            try db.execute(
                sql: """
                    UPDATE finding SET consequences = ?, remediation_owner = ?, remediation_due = ?, remediation_done_at = ?, updated_idx = ?
                    WHERE id = ?
                    """,
                arguments: [columns.decided, columns.owner, columns.due, columns.doneAt, index, id])
        }
    }

    /// A finding's consequences as its columns hold them (both stores write these).
    static func consequenceColumns(_ state: ConsequenceState) -> (decided: String, owner: String?, due: String?, doneAt: Int64?) {
        (
            state.decided.map(\.rawValue).joined(separator: ","), state.remediation?.owner.rawValue, state.remediation?.due.description,
            state.remediation?.doneAt
        )
    }

    static func consequenceState(id: String, decided: String, owner: String?, due: String?, doneAt: Int64?) throws -> ConsequenceState {
        var kinds: [ConsequenceKind] = []
        for part in decided.split(separator: ",") {
            guard let kind = ConsequenceKind(rawValue: String(part)) else {
                throw StoreError.database("finding \(id): consequence '\(part)' unknown")
            }
            kinds.append(kind)
        }
        var remediation: Remediation?
        if let owner, let due {
            guard let date = try? CivilDate(iso: due) else { throw StoreError.database("finding \(id): remediation due '\(due)' is not a date") }
            remediation = Remediation(owner: OfficialID(owner), due: date, doneAt: doneAt)
        }
        return ConsequenceState(decided: kinds, remediation: remediation)
    }

    static func fetch(_ db: Database, id: String) throws -> StoredFinding? {
        try db.cachedStatement(sql: "SELECT \(columns) FROM finding WHERE id = ?").decodeAll(arguments: [id], decode).first
    }

    static func list(_ db: Database, _ query: FindingQuery) throws -> (findings: [StoredFinding], total: Int) {
        guard let (filter, arguments) = filter(query) else { return ([], 0) }
        let total = try count(db, query)
        let findings = try db.cachedStatement(sql: "SELECT \(columns) FROM finding \(filter) ORDER BY raised_idx DESC LIMIT ? OFFSET ?")
            .decodeAll(arguments: StatementArguments(arguments + [query.limit, query.offset]), decode)
        return (findings, total)
    }

    /// How many findings the query matches, whatever its page.
    static func count(_ db: Database, _ query: FindingQuery) throws -> Int {
        guard let (filter, arguments) = filter(query) else { return 0 }
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM finding \(filter)"), arguments: StatementArguments(arguments)) ?? 0
    }

    /// The ids and versions (ledger index of the last change) of the findings `list` would give, in its order:
    /// a page that keeps rendered findings then decodes only those it has not rendered at this version.
    static func versions(_ db: Database, _ query: FindingQuery) throws -> [(id: String, updatedIndex: Int64)] {
        guard let (filter, arguments) = filter(query) else { return [] }
        return try db.cachedStatement(sql: "SELECT id, updated_idx FROM finding \(filter) ORDER BY raised_idx DESC LIMIT ? OFFSET ?")
            .decodeAll(arguments: StatementArguments(arguments + [query.limit, query.offset])) { row in (row.string(0), row.int64(1)) }
    }

    static func fetch(_ db: Database, ids: [String]) throws -> [StoredFinding] {
        guard !ids.isEmpty else { return [] }
        return try db.makeStatement(sql: "SELECT \(columns) FROM finding WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))")
            .decodeAll(arguments: StatementArguments(ids), decode)
    }

    /// The WHERE clause of a query and its arguments; nil when the query can match nothing.
    private static func filter(_ query: FindingQuery) -> (String, [any DatabaseValueConvertible])? {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let c = query.caseID {
            conditions.append("case_id = ?")
            arguments.append(c.rawValue)
        }
        if let o = query.official {
            conditions.append("official = ?")
            arguments.append(o.rawValue)
        }
        if let units = query.units {
            if units.isEmpty { return nil }
            conditions.append("unit IN (\(units.map { _ in "?" }.joined(separator: ",")))")
            arguments += units.map(\.rawValue)
        }
        if let statuses = query.statuses, !statuses.isEmpty {
            conditions.append("status IN (\(statuses.map { _ in "?" }.joined(separator: ",")))")
            arguments += statuses.map(\.rawValue)
        }
        if let d = query.detector {
            conditions.append("detector = ?")
            arguments.append(d)
        }
        if let after = query.raisedAfter {
            conditions.append("raised_idx > ?")
            arguments.append(after)
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// By column position (the order of `columns`): looking columns up by name costs more than the rest of the decode.
    static func decode(_ row: some RowColumns) throws -> StoredFinding {
        let id = try row.string(0)
        let severityText = try row.string(6)
        let statusText = try row.string(12)
        guard let severity = Severity(rawValue: severityText), let status = FindingStatus(rawValue: statusText) else {
            throw StoreError.database("finding \(id): severity '\(severityText)' or status '\(statusText)' unknown")
        }
        let finding = Finding(
            id: id, detector: try row.string(2), caseID: CaseID(try row.string(1)),
            official: try row.optionalString(3).map(OfficialID.init(rawValue:)), unit: try row.optionalString(4).map(UnitID.init(rawValue:)),
            head: try row.optionalString(5).map(OfficialID.init(rawValue:)), severity: severity,
            evidence: try row.string(7).split(separator: ",").compactMap { Int64($0) }, explanation: try row.string(10), status: status,
            response: try row.optionalString(13), cause: try row.optionalString(20),
            consequences: try consequenceState(
                id: id, decided: try row.string(21), owner: try row.optionalString(22), due: try row.optionalString(23),
                doneAt: try row.optionalInt64(24)),
            protectedBy: try row.optionalString(25).map(CaseID.init(rawValue:)))
        return StoredFinding(
            finding: finding, explanationEn: try row.string(11), value: try row.string(8), limit: try row.string(9),
            reviewer: try row.optionalString(14).map(OfficialID.init(rawValue:)), reviewNote: try row.optionalString(15),
            observedAt: try row.int64(16), raisedAt: try row.int64(17), raisedIndex: try row.int64(18), updatedIndex: try row.int64(19))
    }
}
