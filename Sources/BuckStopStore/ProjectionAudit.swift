import BuckStopDomain
import Foundation

/// The second half of `verify`: the projections are rebuilt from the entries alone and compared with what is stored.
///
/// Why: the tree check proves the entries' bytes, but the pages, the inbox and the findings are read from the
/// projection rows, and an insider with database access could edit a case's owner, title or due date, flip a finding
/// from upheld to dismissed, or move an entry to another case by its `case_id` column — none of which touches an
/// entry's bytes. So every entry is decoded, its case, type and time columns are compared with its bytes, each case
/// is replayed (`CaseState.replay`: the transitions without the checks that depend on today's organisation) and the
/// result is compared field by field with the stored row; the same for each finding. The stores feed the entries
/// ordered by (case, index) and hand over the stored rows of each case as it ends; memory stays one case.
struct ProjectionAudit {
    /// The rebuilt finding: what the entries determine (the head is derived from the organisation when it was
    /// raised, so it is not compared).
    struct RebuiltFinding: Equatable {
        var id: String
        var caseID: CaseID
        var detector: String
        var official: OfficialID?
        var unit: UnitID?
        var severity: Severity
        var evidence: [Int64]
        var value: String
        var limit: String
        var explanation: String
        var explanationEn: String
        var status: FindingStatus
        var response: String?
        var reviewer: OfficialID?
        var reviewNote: String?
        var cause: String? = nil
        var consequences = ConsequenceState()
        var protectedBy: CaseID? = nil
        var observedAt: Int64
        var raisedAt: Int64
        var raisedIndex: Int64
        var updatedIndex: Int64

        init(_ stored: StoredFinding) {
            let f = stored.finding
            self.init(
                id: f.id, caseID: f.caseID, detector: f.detector, official: f.official, unit: f.unit, severity: f.severity,
                evidence: f.evidence, value: stored.value, limit: stored.limit, explanation: f.explanation, explanationEn: stored.explanationEn,
                status: f.status, response: f.response, reviewer: stored.reviewer, reviewNote: stored.reviewNote, observedAt: stored.observedAt,
                raisedAt: stored.raisedAt, raisedIndex: stored.raisedIndex, updatedIndex: stored.updatedIndex)
            cause = f.cause
            consequences = f.consequences
            protectedBy = f.protectedBy
        }

        init(
            id: String, caseID: CaseID, detector: String, official: OfficialID?, unit: UnitID?, severity: Severity, evidence: [Int64],
            value: String, limit: String, explanation: String, explanationEn: String, status: FindingStatus, response: String?,
            reviewer: OfficialID?, reviewNote: String?, observedAt: Int64, raisedAt: Int64, raisedIndex: Int64, updatedIndex: Int64
        ) {
            self.id = id
            self.caseID = caseID
            self.detector = detector
            self.official = official
            self.unit = unit
            self.severity = severity
            self.evidence = evidence
            self.value = value
            self.limit = limit
            self.explanation = explanation
            self.explanationEn = explanationEn
            self.status = status
            self.response = response
            self.reviewer = reviewer
            self.reviewNote = reviewNote
            self.observedAt = observedAt
            self.raisedAt = raisedAt
            self.raisedIndex = raisedIndex
            self.updatedIndex = updatedIndex
        }
    }

    /// Read only for declines written before entries named their receiver.
    let organization: Organization?
    private(set) var problems: [String] = []
    private(set) var entries: Int64 = 0
    private(set) var cases = 0
    private(set) var findings = 0
    /// Problems past this many are counted, not described: one tampered table could otherwise fill memory.
    static let problemLimit = 200
    private(set) var unreported = 0

    private var caseID: String?
    private var state: CaseState?
    private var broken = false
    private var rebuilt: [String: RebuiltFinding] = [:]
    /// The task tally the replayed cases make (`TaskTally`): one entry per distinct key, fewer than the tasks.
    private var tally: [TaskTally.Key: Int] = [:]

    init(organization: Organization?) {
        self.organization = organization
    }

    /// The case whose entries are being read, if any: the store hands its stored rows to `finishCase`.
    var currentCase: String? { caseID }

    private mutating func problem(_ text: String) {
        if problems.count < Self.problemLimit { problems.append(text) } else { unreported += 1 }
    }

    /// The next entry in (case column, index) order. Returns the id of a case that ended before this entry — the
    /// caller then passes that case's stored rows to `finishCase` before adding the next.
    mutating func add(caseColumn: String, index: Int64, typeColumn: String, atColumn: Int64, body: [UInt8]) {
        entries += 1
        if caseID != caseColumn {
            caseID = caseColumn
            state = nil
            broken = false
            rebuilt = [:]
        }
        let action: Action
        do {
            let decoded = try LedgerEntryCodec.decode(body)
            action = decoded.action
        } catch {
            problem("entry \(index): its bytes are not a ledger entry (\(error))")
            broken = true
            return
        }
        // The writer only ever writes the canonical encoding: other bytes (whitespace, a field the action does not
        // have) were not written by it, even if they hash to the stored leaf.
        if LedgerEntryCodec.encode(action, index: index) != body {
            problem("entry \(index): its bytes are not the canonical encoding of the action they hold")
        }
        if action.caseID.rawValue != caseColumn {
            problem("entry \(index): stored under case \(caseColumn), its bytes say case \(action.caseID.rawValue) (moved between cases)")
        }
        if action.body.type.rawValue != typeColumn {
            problem("entry \(index): stored as type \(typeColumn), its bytes say \(action.body.type.rawValue)")
        }
        if action.at != atColumn {
            problem("entry \(index): stored at time \(atColumn), its bytes say \(action.at)")
        }
        guard !broken else { return }
        do {
            if var current = state {
                try current.replay(action, organization: organization)
                state = current
            } else {
                state = try CaseState(replayingOpening: action)
            }
            if let current = state { try foldFinding(action, index: index, caseUpdatedAt: current.updatedAt) }
        } catch {
            problem("case \(caseColumn): entry \(index) does not follow from the entries before it (\(error))")
            broken = true
        }
    }

    private mutating func foldFinding(_ action: Action, index: Int64, caseUpdatedAt: Int64) throws {
        switch action.body {
        case .raiseFinding(let n):
            rebuilt[n.id] = RebuiltFinding(
                id: n.id, caseID: action.caseID, detector: n.detector, official: n.official, unit: n.unit, severity: n.severity,
                evidence: n.evidence, value: n.value, limit: n.limit, explanation: n.explanation, explanationEn: n.explanationEn, status: .open,
                response: nil, reviewer: nil, reviewNote: nil, observedAt: caseUpdatedAt, raisedAt: action.at, raisedIndex: index,
                updatedIndex: index)
        case .explainFinding(let id, let text):
            guard var f = rebuilt[id] else { throw StoreError.unknownFinding(id) }
            f.status = .explained
            f.response = text
            f.updatedIndex = index
            rebuilt[id] = f
        case .reviewFinding(let id, let uphold, let note, let cause, let protection):
            guard var f = rebuilt[id] else { throw StoreError.unknownFinding(id) }
            f.status = uphold ? .upheld : .dismissed
            f.reviewer = action.actor.officialID
            f.reviewNote = note
            f.cause = cause
            f.protectedBy = protection.flatMap { $0.isProtected ? $0.proposal : nil }
            f.updatedIndex = index
            rebuilt[id] = f
        case .decideConsequence(let d):
            guard var f = rebuilt[d.finding] else { throw StoreError.unknownFinding(d.finding) }
            f.consequences.decided.append(d.kind)
            if d.kind == .remediation, let owner = d.remediationOwner, let due = d.remediationDue {
                f.consequences.remediation = Remediation(owner: owner, due: due)
            }
            f.updatedIndex = index
            rebuilt[d.finding] = f
        case .completeRemediation(let id, _):
            guard var f = rebuilt[id] else { throw StoreError.unknownFinding(id) }
            f.consequences.remediation?.doneAt = action.at
            f.updatedIndex = index
            rebuilt[id] = f
        default:
            break
        }
    }

    /// Compares the case that just ended with its stored projection and findings.
    mutating func finishCase(stored: CaseState?, storedFindings: [StoredFinding]) {
        guard let id = caseID else { return }
        caseID = nil
        cases += 1
        findings += rebuilt.count
        defer {
            state = nil
            rebuilt = [:]
        }
        guard !broken, let state else { return }
        if let key = TaskTally.Key(state) { tally[key, default: 0] += 1 }
        guard let stored else {
            problem("case \(id): entries on the ledger but no projection row")
            return
        }
        let differences = Self.differences(stored, state)
        if !differences.isEmpty {
            problem("case \(id): the stored projection differs from its entries — \(differences.joined(separator: "; "))")
        }
        var unmatched = rebuilt
        for s in storedFindings {
            guard let expected = unmatched.removeValue(forKey: s.finding.id) else {
                problem("finding \(s.finding.id) of case \(id): stored, but no entry raised it")
                continue
            }
            var found = RebuiltFinding(s)
            // A finding names its official and unit only if the organisation knew them when it was raised.
            if found.official == nil { found.official = expected.official }
            if found.unit == nil { found.unit = expected.unit }
            let differences = Self.differences(found, expected)
            if !differences.isEmpty {
                problem("finding \(s.finding.id) of case \(id): the stored row differs from its entries — \(differences.joined(separator: "; "))")
            }
        }
        for missing in unmatched.keys.sorted() {
            problem("finding \(missing) of case \(id): raised on the ledger but missing from the findings table")
        }
    }

    /// The totals must match too: a projection row or finding row no entry accounts for, and the task tally (its rows
    /// still counting) against the replayed tasks.
    mutating func finish(storedCases: Int, storedFindings: Int, storedTally: [(key: TaskTally.Key, count: Int)]) {
        var expected = tally
        for row in storedTally {
            let rebuilt = expected.removeValue(forKey: row.key) ?? 0
            if rebuilt != row.count { problem("task tally \(Self.describe(row.key)): stored \(row.count), the entries give \(rebuilt)") }
        }
        for (key, count) in expected.sorted(by: { $0.key < $1.key }) {
            problem("task tally \(Self.describe(key)): stored 0, the entries give \(count)")
        }
        if storedCases != cases {
            problem("\(storedCases) cases have a projection row, the ledger's entries make \(cases)")
        }
        if storedFindings != findings {
            problem("\(storedFindings) findings are stored, the ledger's entries raise \(findings)")
        }
        if unreported > 0 { problems.append("… and \(unreported) more projection problems") }
    }

    static func describe(_ key: TaskTally.Key) -> String {
        "(\(key.parent.rawValue), \(key.leadUnit.rawValue), \(key.phase.rawValue), \(key.dueDate?.description ?? "no due date"))"
    }

    /// Field by field, as "name: stored 'a', entries give 'b'".
    static func differences<T: Equatable>(_ stored: T, _ rebuilt: T) -> [String] {
        guard stored != rebuilt else { return [] }
        return zip(Mirror(reflecting: stored).children, Mirror(reflecting: rebuilt).children).compactMap { a, b in
            if let x = a.value as? AnyHashable, let y = b.value as? AnyHashable, x == y { return nil }
            return "\(a.label ?? "?"): stored \(String(describing: a.value)), entries give \(String(describing: b.value))"
        }
    }
}
