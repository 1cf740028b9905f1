import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import Foundation
import NIOCore
import PostgresNIO

/// What the writer of this process remembers between transactions. Valid only while `ledger_head` still says the
/// size and checkpoint size recorded here — otherwise another process appended, and the cases are read again.
struct PostgresWriterState: Sendable {
    var frontier: MerkleFrontier
    var checkpointSize: Int
    var cases: [CaseID: CaseState]
}

extension PostgresStore {
    public func append(_ request: AppendRequest, resumeOn: ResumeCaller? = nil) async throws(StoreError) -> AppendReceipt {
        let prepared: PreparedRequest
        do { prepared = try PreparedRequest(request, vault: vault, organization: org.withLock { $0 }) } catch { throw LedgerWriter.storeError(error) }
        let results = await commits.submit([prepared], wake: resumeOn) { batch in await self.flush(batch) }
        return try results[0].get()
    }

    public func observeAppends(with observer: (any AppendObserver)?) { appendObserver.withLock { $0 = observer } }

    public func appendBatch(_ requests: [AppendRequest]) async -> [Result<AppendReceipt, StoreError>] {
        var prepared: [PreparedRequest] = []
        var failures: [Int: StoreError] = [:]
        for (i, request) in requests.enumerated() {
            do { prepared.append(try PreparedRequest(request, vault: vault, organization: org.withLock { $0 })) } catch {
                failures[i] = LedgerWriter.storeError(error)
            }
        }
        let written = prepared.isEmpty ? [] : await commits.submit(prepared, wake: nil) { batch in await self.flush(batch) }
        guard !failures.isEmpty else { return written }
        var rest = written[...]
        return requests.indices.map { i in failures[i].map { .failure($0) } ?? rest.popFirst()! }
    }

    @discardableResult
    public func checkpoint() async throws -> SignedCheckpoint? {
        let (signed, state) = try await transaction { conn -> (SignedCheckpoint?, PostgresWriterState) in
            var (state, cases) = try await self.lockHead(conn, cached: self.takeWriterState(), cases: [])
            state.cases = cases  // the writer's memory of cases stays for the next batch
            guard state.frontier.size > state.checkpointSize else { return (nil, state) }
            let signed = try await self.signCheckpoint(conn, state: &state)
            try await self.saveHead(conn, state)
            return (signed, state)
        }
        writerState.withLock { $0 = state }
        return signed
    }

    /// One batch, one transaction: lock the head, read the cases and findings the batch needs, check every request
    /// with the domain (a refused one writes nothing), then write entries, tree nodes and projections and move the
    /// head. Any database error fails the whole batch — nothing of it is acknowledged.
    func flush(_ requests: [PreparedRequest]) async -> [Result<AppendReceipt, StoreError>] {
        guard let organization = org.withLock({ $0 }) else { return requests.map { _ in .failure(.noOrganization) } }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let (results, state, working, observation) = try await transaction { conn in
                let (results, state, observation) = try await self.write(
                    requests, conn: conn, org: organization, cached: self.takeWriterState())
                return (results, state, clock.now - started, observation)
            }
            observation?.committed()
            writerState.withLock { $0 = state }
            let total = clock.now - started
            stats.withLock {
                $0.transactions += 1
                $0.requests += requests.count
                $0.working += working
                $0.committing += total - working
            }
            return results
        } catch {
            let failure = Self.storeError(error)
            return requests.map { _ in .failure(failure) }
        }
    }

    /// Locks `ledger_head` for the rest of the transaction and returns the tree state it holds, with the cases among
    /// `cases` as they are now — in the same round trip (see migration 2): the writer's own memory of them when no
    /// other writer moved the head since its last transaction, read from `case_state` otherwise.
    /// The writer's state, taken out rather than copied, inside the transaction's closure: a copy held anywhere makes the
    /// planner's first change to the case cache copy all of it (see `LedgerWriter.takeCachedTree`). A transaction that
    /// fails leaves none, and the next one reads the head from the database.
    func takeWriterState() -> PostgresWriterState? {
        writerState.withLock { s in
            defer { s = nil }
            return s
        }
    }

    func lockHead(
        _ conn: PostgresConnection, cached: consuming PostgresWriterState?, cases: Set<String>
    ) async throws -> (PostgresWriterState, [CaseID: CaseState]) {
        let statement = LockHeadAndCasesStatement(
            knownSize: cached.map { Int64($0.frontier.size) } ?? -1, knownCheckpoint: cached.map { Int64($0.checkpointSize) } ?? -1,
            missing: cases.filter { cached?.cases[CaseID(rawValue: $0)] == nil }, batch: Array(cases))
        var head: (size: Int64, peaks: [UInt8], checkpointSize: Int64, moved: Bool)?
        var read: [CaseID: CaseState] = [:]
        for row in try await Self.rows(conn, statement, logger: logger, { $0 }) {
            if head == nil { head = (try row.int64(0), try row.blob(1), try row.int64(2), try row.bool(3)) }
            let columns = PostgresColumns(cells: Array(row.cells.dropFirst(LockHeadAndCasesStatement.caseColumnsFrom)))
            if try !columns.isNull(0) {
                let state = try CaseRow.state(from: columns)
                read[state.id] = state
            }
        }
        guard let head else { throw StoreError.database("lock_ledger_head returned no row: the schema is damaged") }
        if var state = cached, !head.moved {
            // The writer's own memory, moved out of its state and updated in place (merging would copy it whole).
            var known: [CaseID: CaseState] = [:]
            swap(&known, &state.cases)
            for (id, fresh) in read { known[id] = fresh }
            return (state, known)
        }
        return (try Self.writerState(size: head.size, peakBytes: head.peaks, checkpointSize: head.checkpointSize), read)
    }

    /// The tree state a head row describes (no cases remembered).
    static func writerState(size: Int64, peakBytes: [UInt8], checkpointSize: Int64) throws -> PostgresWriterState {
        let peaks = stride(from: 0, to: peakBytes.count, by: 32).compactMap { TreeHash(bytes: Array(peakBytes[$0..<min($0 + 32, peakBytes.count)])) }
        guard peakBytes.count % 32 == 0, peaks.count == Int(size).nonzeroBitCount else {
            throw StoreError.database("ledger_head: \(peakBytes.count / 32) peaks stored for size \(size), expected \(Int(size).nonzeroBitCount)")
        }
        return PostgresWriterState(frontier: MerkleFrontier(size: Int(size), peaks: peaks), checkpointSize: Int(checkpointSize), cases: [:])
    }

    func saveHead(_ conn: PostgresConnection, _ state: PostgresWriterState) async throws {
        let peaks = ByteBuffer(bytes: state.frontier.peaks.flatMap(\.bytes))
        try await conn.query(
            "UPDATE ledger_head SET size = \(Int64(state.frontier.size)), peaks = \(peaks), checkpoint_size = \(Int64(state.checkpointSize)) WHERE id = 1",
            logger: logger)
    }

    @discardableResult
    func signCheckpoint(_ conn: PostgresConnection, state: inout PostgresWriterState) async throws -> SignedCheckpoint {
        let checkpoint = Checkpoint(
            origin: origin, size: state.frontier.size, rootHash: state.frontier.rootHash(), timestamp: Int64(Date().timeIntervalSince1970))
        let signed = try signer.sign(checkpoint)
        try await conn.query(
            """
            INSERT INTO checkpoint (size, origin, root, timestamp, key_id, signature)
            VALUES (\(Int64(checkpoint.size)), \(checkpoint.origin), \(ByteBuffer(bytes: checkpoint.rootHash.bytes)), \(checkpoint.timestamp),
                    \(signed.keyID), \(ByteBuffer(bytes: signed.signature)))
            """, logger: logger)
        state.checkpointSize = state.frontier.size
        return signed
    }

    /// Reads what the batch refers to — the cases with the head's lock (one round trip), then fresh case codes and the
    /// findings explanations and reviews name — lets `AppendPlanner` decide every request, and persists the plan.
    private func write(
        _ requests: [PreparedRequest], conn: PostgresConnection, org: Organization, cached: consuming PostgresWriterState?
    ) async throws -> ([Result<AppendReceipt, StoreError>], PostgresWriterState, (any BatchObservation)?) {
        let references = AppendPlanner.references(requests)
        var (state, cases) = try await lockHead(conn, cached: consume cached, cases: Set(references.cases.map(\.rawValue)))
        try await raiseCodes(conn, AppendPlanner.codesGiven(requests))
        var codes: [CodeSeries: ClosedRange<Int>] = [:]
        for (series, count) in AppendPlanner.codeSeries(requests, organization: org) {
            codes[series] = try await allocateCodes(conn, series, count: count)
        }
        let fresh = AppendPlanner.references([], codes: codes).cases.filter { cases[$0] == nil }
        for found in try await fetchCases(fresh, conn: conn) { cases[found.id] = found }
        let findings = try await fetchFindings(references.findings, conn: conn)

        let observation = appendObserver.withLock { $0 }?.beginBatch(now: Int64(Date().timeIntervalSince1970 * 1000))
        // `consume`: the planner holds the only reference to the case cache, so its changes never copy it whole.
        var planner = AppendPlanner(
            organization: org, frontier: state.frontier, cases: consume cases, findings: findings, codes: codes, observation: observation)
        let results = planner.plan(requests, checkpointInterval: checkpointInterval, lastCheckpointSize: state.checkpointSize)
        state.frontier = planner.frontier
        if planner.plan.checkpointDue { try await signCheckpoint(conn, state: &state) }
        if planner.plan.entries.isEmpty {
            try await saveHead(conn, state)
        } else {
            try await persist(planner.plan, head: state, conn: conn)
        }
        state.cases = planner.remembered(limit: LedgerWriter.caseCacheLimit)
        return (results, state, observation)
    }

    /// Counts the numbers codes brought with them as taken (`AppendPlanner.codesGiven`), every series in one statement.
    private func raiseCodes(_ conn: PostgresConnection, _ highest: [CodeSeries: Int]) async throws {
        guard !highest.isEmpty else { return }
        let rows = highest.sorted { ($0.key.agency, $0.key.day) < ($1.key.agency, $1.key.day) }  // one lock order for all writers
        let agencies = rows.map(\.key.agency)
        let days = rows.map(\.key.day.description)
        let numbers = rows.map { Int64($0.value) }
        _ = try await Self.rows(
            conn,
            """
            INSERT INTO case_sequence (agency, day, last)
            SELECT * FROM UNNEST(\(agencies)::text[], \(days)::text[], \(numbers)::bigint[])
            ON CONFLICT (agency, day) DO UPDATE SET last = GREATEST(case_sequence.last, EXCLUDED.last)
            """, logger: logger
        ) { _ in () }
    }

    /// Takes `count` numbers of a code series in one upsert (the row lock keeps writers from sharing a number).
    private func allocateCodes(_ conn: PostgresConnection, _ series: CodeSeries, count: Int) async throws -> ClosedRange<Int> {
        let last =
            try await Self.rows(
                conn,
                """
                INSERT INTO case_sequence (agency, day, last) VALUES (\(series.agency), \(series.day.description), \(count))
                ON CONFLICT (agency, day) DO UPDATE SET last = case_sequence.last + EXCLUDED.last RETURNING last
                """, logger: logger
            ) { try $0.int(0) }.first ?? count
        return (last - count + 1)...last
    }

    /// Cases by id, in one query (none: no query).
    private func fetchCases(_ ids: Set<CaseID>, conn: PostgresConnection) async throws -> [CaseState] {
        guard !ids.isEmpty else { return [] }
        var q = QueryBuilder("")
        q.sql = "SELECT \(CaseRow.columns) FROM case_state WHERE id = ANY(\(q.bind(ids.map(\.rawValue))))"
        return try await Self.rows(conn, q.query, logger: logger, CaseRow.state(from:))
    }

    /// The findings the batch's explanations and reviews refer to (rare: one query when there are any).
    private func fetchFindings(_ ids: Set<String>, conn: PostgresConnection) async throws -> [String: StoredFinding] {
        guard !ids.isEmpty else { return [:] }
        var q = QueryBuilder("")
        q.sql = "SELECT \(FindingTable.columns) FROM finding WHERE id = ANY(\(q.bind(Array(ids))))"
        var found: [String: StoredFinding] = [:]
        for finding in try await Self.rows(conn, q.query, logger: logger, FindingTable.decode) { found[finding.finding.id] = finding }
        return found
    }

    /// Writes a plan and moves the head in one statement (`WriteBatchStatement`) — entries, tree nodes, sealed personal
    /// data, case projections and search rows as data-modifying CTEs, the head update as the main statement — so a
    /// batch costs one round trip whatever its size. The projections' reference to their last entry is checked at the
    /// end of the statement, when the entries are in. Findings (rare) follow one statement each.
    private func persist(_ plan: AppendPlan, head state: PostgresWriterState, conn: PostgresConnection) async throws {
        try await Self.run(conn, WriteBatchStatement(plan, head: state), logger: logger)
        for (change, index) in plan.findings {
            switch change {
            case .raise(let f):
                let g = f.finding
                try await conn.query(
                    """
                    INSERT INTO finding (\(unescaped: FindingTable.columns))
                    VALUES (\(g.id), \(g.caseID.rawValue), \(g.detector), \(g.official?.rawValue), \(g.unit?.rawValue), \(g.head?.rawValue),
                            \(g.severity.rawValue), \(g.evidence.map(String.init).joined(separator: ",")), \(f.value), \(f.limit),
                            \(g.explanation), \(f.explanationEn), 'open', NULL, NULL, NULL, \(f.observedAt), \(f.raisedAt), \(f.raisedIndex),
                            \(f.updatedIndex), NULL, '', NULL, NULL, NULL, NULL)
                    """, logger: logger)
            case .explain(let id, let status, let text):
                try await conn.query(
                    "UPDATE finding SET status = \(status.rawValue), response = \(text), updated_idx = \(index) WHERE id = \(id)", logger: logger)
            case .review(let id, let status, let reviewer, let note, let cause, let protectedBy):
                try await conn.query(
                    """
                    UPDATE finding SET status = \(status.rawValue), reviewer = \(reviewer.rawValue), review_note = \(note), cause = \(cause),
                        protected_by = \(protectedBy?.rawValue), updated_idx = \(index)
                    WHERE id = \(id)
                    """, logger: logger)
            case .consequences(let id, let state):
                let c = FindingTable.consequenceColumns(state)
                try await conn.query(
                    """
                    UPDATE finding SET consequences = \(c.decided), remediation_owner = \(c.owner), remediation_due = \(c.due),
                        remediation_done_at = \(c.doneAt), updated_idx = \(index)
                    WHERE id = \(id)
                    """, logger: logger)
            }
        }
    }
}

/// The `case_state` rows of a batch in PostgreSQL: one JSON array, read back with `jsonb_to_recordset`, upserted in
/// one statement (see `CaseRow` for the SQLite twin): opened cases from JSON, changed ones from arrays.
enum PostgresCaseRow {
    static let types: [(String, String)] = [
        ("id", "text"), ("kind", "text"), ("procedure", "text"), ("title", "text"), ("lead_unit", "text"), ("collaborators", "text"),
        ("owner", "text"), ("status", "text"), ("due_date", "text"), ("original_due_date", "text"), ("rule_id", "text"),
        ("subject_ref", "text"), ("subject_hash", "text"), ("opened_at", "bigint"), ("updated_at", "bigint"), ("owner_since", "bigint"),
        ("consultations", "text"), ("action_count", "bigint"), ("supplement_requests", "bigint"), ("reschedules", "bigint"),
        ("extensions", "bigint"), ("decided", "boolean"), ("rating", "bigint"), ("closed_at", "bigint"), ("suspended_since", "bigint"),
        ("concerning_unit", "text"), ("concerning_official", "text"), ("deciding_body", "text"), ("parent_id", "text"), ("product", "text"),
        ("task_phase", "text"), ("drafter", "text"), ("last_idx", "bigint"),
    ]

    /// What actions change; the rest is fixed when the case is opened.
    static let mutable = [
        "lead_unit", "owner", "status", "due_date", "updated_at", "owner_since", "consultations", "action_count", "supplement_requests",
        "reschedules", "extensions", "decided", "rating", "closed_at", "suspended_since", "task_phase", "drafter", "last_idx",
    ]

    /// Cases opened by the batch: every column, from JSON (rare; a conflict means the case exists — the batch fails).
    static func insertFromJSON(_ placeholder: String) -> String {
        let names = types.map(\.0).joined(separator: ", ")
        return """
            INSERT INTO case_state (\(names))
            SELECT \(names) FROM jsonb_to_recordset(\(placeholder)::jsonb) AS c(\(types.map { "\($0.0) \($0.1)" }.joined(separator: ", ")))
            """
    }

    /// Cases the batch changed: the mutable columns, from one array per column (`first` is the id array's
    /// placeholder number, the columns' follow in `mutable` order). Arrays cost PostgreSQL less than JSON to read.
    static func updateFromArrays(first: Int) -> String {
        let columns = ["id"] + mutable
        let arrays = columns.enumerated().map { n, name in "$\(first + n)::\(type(of: name))[]" }
        return """
            UPDATE case_state AS s SET \(mutable.map { "\($0) = u.\($0)" }.joined(separator: ", "))
            FROM UNNEST(\(arrays.joined(separator: ", "))) AS u(\(columns.joined(separator: ", ")))
            WHERE s.id = u.id
            """
    }

    static func type(of column: String) -> String { types.first { $0.0 == column }!.1 }

    /// The mutable columns of `rows` as arrays, in `updateFromArrays` order.
    static func appendArrays(_ rows: [(CaseState, Int64)], to b: inout PostgresBindings) {
        b.append(rows.map(\.0.id.rawValue))
        b.append(rows.map(\.0.leadUnit.rawValue))
        b.append(NullableArray(rows.map { $0.0.owner?.rawValue }))
        b.append(rows.map(\.0.status.rawValue))
        b.append(NullableArray(rows.map { $0.0.dueDate?.description }))
        b.append(rows.map(\.0.updatedAt))
        b.append(NullableArray(rows.map(\.0.ownerSince)))
        b.append(rows.map { consultations($0.0) })
        b.append(rows.map { Int64($0.0.actionCount) })
        b.append(rows.map { Int64($0.0.supplementRequests) })
        b.append(rows.map { Int64($0.0.reschedules) })
        b.append(rows.map { Int64($0.0.extensions) })
        b.append(rows.map(\.0.decided))
        b.append(NullableArray(rows.map { $0.0.rating.map(Int64.init) }))
        b.append(NullableArray(rows.map(\.0.closedAt)))
        b.append(NullableArray(rows.map(\.0.suspendedSince)))
        b.append(NullableArray(rows.map { $0.0.taskPhase?.rawValue }))
        b.append(NullableArray(rows.map { $0.0.drafter?.rawValue }))
        b.append(rows.map(\.1))
    }

    /// Pending consultations as stored: `unit=due` lines in unit order.
    static func consultations(_ s: CaseState) -> String {
        s.pendingConsultations.isEmpty
            ? "" : s.pendingConsultations.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: "\n")
    }

    /// The rows as a JSON array of objects keyed by column. Built as UTF-8 bytes: it is made while the head is locked.
    static func json(_ rows: [(CaseState, Int64)]) -> String {
        var out = JSONBytes()
        out.bytes.reserveCapacity(rows.count * 640)
        out.raw("[")
        for (n, (s, lastIndex)) in rows.enumerated() {
            if n > 0 { out.raw(",") }
            out.first = true
            out.text("id", s.id.rawValue)
            out.text("kind", s.kind.rawValue)
            out.text("procedure", s.procedure)
            out.text("title", s.title)
            out.text("lead_unit", s.leadUnit.rawValue)
            out.text("collaborators", s.collaborators.map(\.rawValue).joined(separator: "\n"))
            out.text("owner", s.owner?.rawValue)
            out.text("status", s.status.rawValue)
            out.text("due_date", s.dueDate?.description)
            out.text("original_due_date", s.originalDueDate?.description)
            out.text("rule_id", s.ruleID)
            out.text("subject_ref", s.subject?.ref)
            out.text("subject_hash", s.subject?.hash)
            out.int("opened_at", s.openedAt)
            out.int("updated_at", s.updatedAt)
            out.int("owner_since", s.ownerSince)
            out.text("consultations", consultations(s))
            out.int("action_count", Int64(s.actionCount))
            out.int("supplement_requests", Int64(s.supplementRequests))
            out.int("reschedules", Int64(s.reschedules))
            out.int("extensions", Int64(s.extensions))
            out.field("decided", s.decided ? "true" : "false")
            out.int("rating", s.rating.map(Int64.init))
            out.int("closed_at", s.closedAt)
            out.int("suspended_since", s.suspendedSince)
            out.text("concerning_unit", s.concerning?.unit?.rawValue)
            out.text("concerning_official", s.concerning?.official?.rawValue)
            out.text("deciding_body", s.decidingBody?.rawValue)
            out.text("parent_id", s.parent?.rawValue)
            out.text("product", s.product)
            out.text("task_phase", s.taskPhase?.rawValue)
            out.text("drafter", s.drafter?.rawValue)
            out.int("last_idx", lastIndex)
            out.raw("}")
        }
        out.raw("]")
        return String(decoding: out.bytes, as: UTF8.self)
    }
}

/// A JSON object writer over UTF-8 bytes (keys are plain ASCII names).
struct JSONBytes {
    var bytes: [UInt8] = []
    /// No field written yet in the current object.
    var first = true

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func field(_ name: StaticString, _ value: StaticString) {
        key(name)
        raw(value)
    }

    mutating func key(_ name: StaticString) {
        bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        first = false
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    mutating func text(_ name: StaticString, _ value: String?) {
        key(name)
        guard let value else { return raw("null") }
        JSONText.append(value, to: &bytes)
    }

    mutating func int(_ name: StaticString, _ value: Int64?) {
        key(name)
        guard let value else { return raw("null") }
        bytes.append(contentsOf: String(value).utf8)
    }
}

/// JSON string literals (RFC 8259): quotes, backslashes and control characters escaped; everything else (valid
/// UTF-8, as every Swift string is) copied byte for byte.
enum JSONText {
    static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"):
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "t"))
            case ..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
