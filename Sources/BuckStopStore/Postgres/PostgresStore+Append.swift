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
    public func append(
        _ request: AppendRequest, resumeOn: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = nil
    ) async throws(StoreError) -> AppendReceipt {
        let prepared: PreparedRequest
        do { prepared = try PreparedRequest(request, vault: vault, organization: org.withLock { $0 }) } catch { throw LedgerWriter.storeError(error) }
        let results = await commits.submit([prepared], wake: resumeOn) { batch in await self.flush(batch) }
        return try results[0].get()
    }

    public func appendBatch(_ requests: [AppendRequest]) async -> [Result<AppendReceipt, StoreError>] {
        var prepared: [PreparedRequest] = []
        var failures: [Int: StoreError] = [:]
        for (i, request) in requests.enumerated() {
            do { prepared.append(try PreparedRequest(request, vault: vault, organization: org.withLock { $0 })) } catch { failures[i] = LedgerWriter.storeError(error) }
        }
        let written = prepared.isEmpty ? [] : await commits.submit(prepared, wake: nil) { batch in await self.flush(batch) }
        guard !failures.isEmpty else { return written }
        var rest = written[...]
        return requests.indices.map { i in failures[i].map { .failure($0) } ?? rest.popFirst()! }
    }

    @discardableResult
    public func checkpoint() async throws -> SignedCheckpoint? {
        let cached = writerState.withLock { s in defer { s = nil }; return s }
        let (signed, state) = try await transaction { conn -> (SignedCheckpoint?, PostgresWriterState) in
            var (state, _) = try await self.lockHead(conn, cached: cached, cases: [])
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
        let cached = writerState.withLock { s in defer { s = nil }; return s }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let (results, state, working) = try await transaction { conn in
                let (results, state) = try await self.write(requests, conn: conn, org: organization, cached: cached)
                return (results, state, clock.now - started)
            }
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
    func lockHead(
        _ conn: PostgresConnection, cached: PostgresWriterState?, cases: Set<String>
    ) async throws -> (PostgresWriterState, [CaseID: CaseState]) {
        let known = cached?.cases ?? [:]
        let statement = LockHeadAndCasesStatement(
            knownSize: cached.map { Int64($0.frontier.size) } ?? -1, knownCheckpoint: cached.map { Int64($0.checkpointSize) } ?? -1,
            missing: cases.filter { known[CaseID(rawValue: $0)] == nil }, batch: Array(cases))
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
        if let cached, !head.moved { return (cached, known.merging(read) { _, fresh in fresh }) }
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

    private func write(
        _ requests: [PreparedRequest], conn: PostgresConnection, org: Organization, cached: PostgresWriterState?
    ) async throws -> ([Result<AppendReceipt, StoreError>], PostgresWriterState) {
        let (caseIDs, findingIDs) = PostgresBatch.references(requests)
        let (head, stored) = try await lockHead(conn, cached: cached, cases: caseIDs)
        var state = head
        var batch = PostgresBatch(stored: stored)
        try await batch.prefetchFindings(findingIDs, conn: conn, logger: logger)

        var results: [Result<AppendReceipt, StoreError>] = []
        results.reserveCapacity(requests.count)
        for request in requests {
            do {
                results.append(.success(try await apply(request, conn: conn, org: org, frontier: &state.frontier, batch: &batch)))
            } catch let error as DomainError {
                results.append(.failure(.rejected(error)))
            } catch let error as StoreError {
                if case .database = error { throw error }
                if case .unavailable = error { throw error }
                results.append(.failure(error))
            }
        }
        if state.frontier.size - state.checkpointSize >= checkpointInterval {
            try await signCheckpoint(conn, state: &state)
        }
        if batch.entries.isEmpty {
            try await saveHead(conn, state)
        } else {
            try await batch.write(head: state, conn: conn, logger: logger)
        }
        state.cases = batch.remembered()
        return (results, state)
    }

    /// Validates first (pure, against the batch's view of the cases), then records the rows to write.
    private func apply(
        _ prepared: PreparedRequest, conn: PostgresConnection, org: Organization, frontier: inout MerkleFrontier, batch: inout PostgresBatch
    ) async throws -> AppendReceipt {
        let action: Action
        let state: CaseState
        var previous: CaseState?
        let encoded = prepared.entry
        var findingChange: FindingTable.Change?
        switch prepared.request {
        case .action(let a):
            guard var current = batch.state(a.caseID) else { throw StoreError.unknownCase(a.caseID) }
            previous = current
            try current.apply(a, in: org)
            if let id = FindingTable.findingID(of: a) {
                findingChange = try FindingTable.plan(a, index: Int64(frontier.size), observedAt: current.updatedAt, existing: batch.findings[id], org: org)
            }
            action = a
            state = current
        case .open(var open, let actor, let at, let code, _, let via):
            open.subject = prepared.sealed.map { SubjectRef(ref: $0.ref, hash: $0.hash) }
            _ = try CaseState(opening: Action(caseID: code ?? "(new)", actor: actor, at: at, body: .open(open), via: via), in: org)
            let caseID: CaseID
            if let code {
                caseID = code
            } else {
                caseID = try await nextCode(conn, unit: open.leadUnit, at: at, org: org)
                try await batch.fetchIfUnknown(caseID, conn: conn, logger: logger)
            }
            if batch.state(caseID) != nil { throw DomainError.caseAlreadyExists(caseID) }
            if let sealed = prepared.sealed { batch.personalData.append((sealed, caseID, at)) }
            action = Action(caseID: caseID, actor: actor, at: at, body: .open(open), via: via)
            state = try CaseState(opening: action, in: org)
            batch.search.append((caseID.rawValue, SearchText.fold(caseID.rawValue + " " + open.title)))
        }
        let index = Int64(frontier.size)
        let body = (encoded ?? LedgerEntryCodec.prepare(action)).bytes(index: index)
        let leaf = RFC9162.leafHash(body)
        batch.entries.append((index, action.caseID.rawValue, action.body.type.rawValue, action.at, body, leaf.bytes))
        try frontier.append(leafHash: leaf) { level, nodeIndex, hash in
            guard DatabaseSubtrees.isStored(level: level) else { return }
            batch.nodes.append((level, Int64(nodeIndex), hash.bytes))
        }
        if let findingChange { batch.record(findingChange, index: index) }
        batch.record(state, before: previous, lastIndex: index)
        return AppendReceipt(index: index, caseID: action.caseID, leafHash: leaf, state: state)
    }

    /// Next daily sequence number of the lead unit's agency code, in Vietnam time (row-locked by the upsert).
    private func nextCode(_ conn: PostgresConnection, unit: UnitID, at: Int64, org: Organization) async throws -> CaseID {
        guard let agency = org.unit(unit)?.code else { throw StoreError.unknownUnit(unit) }
        let day = CivilDate(Date(timeIntervalSince1970: Double(at) / 1000))
        let sequence = try await Self.rows(
            conn,
            """
            INSERT INTO case_sequence (agency, day, last) VALUES (\(agency), \(day.description), 1)
            ON CONFLICT (agency, day) DO UPDATE SET last = case_sequence.last + 1 RETURNING last
            """, logger: logger
        ) { try $0.int(0) }.first ?? 1
        return CaseCode.make(agencyCode: agency, date: day, sequence: sequence)
    }
}

/// The rows one batch writes, and the cases and findings as the batch has changed them so far.
struct PostgresBatch {
    /// Cases as stored before this batch (from the writer's memory or read at its start).
    var stored: [CaseID: CaseState]
    var touched: [CaseID: (previous: CaseState?, state: CaseState, lastIndex: Int64)] = [:]
    var findings: [String: StoredFinding] = [:]
    var findingChanges: [(FindingTable.Change, index: Int64)] = []
    var entries: [(index: Int64, caseID: String, type: String, at: Int64, body: [UInt8], leaf: [UInt8])] = []
    var nodes: [(level: Int, index: Int64, hash: [UInt8])] = []
    var personalData: [(PersonalDataVault.Sealed, CaseID, Int64)] = []
    var search: [(String, String)] = []

    init(stored: [CaseID: CaseState]) { self.stored = stored }

    func state(_ id: CaseID) -> CaseState? { touched[id]?.state ?? stored[id] }

    /// The cases and findings the requests refer to (actions' cases, cases opened under a given code).
    static func references(_ requests: [PreparedRequest]) -> (cases: Set<String>, findings: Set<String>) {
        var caseIDs = Set<String>()
        var findingIDs = Set<String>()
        for request in requests {
            switch request.request {
            case .action(let a):
                caseIDs.insert(a.caseID.rawValue)
                if let id = FindingTable.findingID(of: a) { findingIDs.insert(id) }
            case .open(_, _, _, let code?, _, _):
                caseIDs.insert(code.rawValue)
            case .open:
                break
            }
        }
        return (caseIDs, findingIDs)
    }

    /// Reads the findings the batch's explanations and reviews refer to (rare: one query when there are any).
    mutating func prefetchFindings(_ findingIDs: Set<String>, conn: PostgresConnection, logger: Logger) async throws {
        if !findingIDs.isEmpty {
            var q = QueryBuilder("")
            q.sql = "SELECT \(FindingTable.columns) FROM finding WHERE id = ANY(\(q.bind(Array(findingIDs))))"
            for finding in try await PostgresStore.rows(conn, q.query, logger: logger, FindingTable.decode) { findings[finding.finding.id] = finding }
        }
    }

    mutating func fetchIfUnknown(_ id: CaseID, conn: PostgresConnection, logger: Logger) async throws {
        guard state(id) == nil else { return }
        var q = QueryBuilder("")
        q.sql = "SELECT \(CaseRow.columns) FROM case_state WHERE id = \(q.bind(id.rawValue))"
        if let found = try await PostgresStore.rows(conn, q.query, logger: logger, CaseRow.state(from:)).first { stored[id] = found }
    }

    mutating func record(_ state: CaseState, before: CaseState?, lastIndex: Int64) {
        let previous = touched[state.id].map(\.previous) ?? before
        touched[state.id] = (previous, state, lastIndex)
    }

    /// Keeps the finding as the batch changed it, so a later request of the same batch sees the change.
    mutating func record(_ change: FindingTable.Change, index: Int64) {
        findingChanges.append((change, index))
        switch change {
        case .raise(let f):
            findings[f.finding.id] = f
        case .explain(let id, let status, let response):
            findings[id]?.finding.status = status
            findings[id]?.finding.response = response
            findings[id]?.updatedIndex = index
        case .review(let id, let status, let reviewer, let note):
            findings[id]?.finding.status = status
            findings[id]?.reviewer = reviewer
            findings[id]?.reviewNote = note
            findings[id]?.updatedIndex = index
        }
    }

    /// The writer's case memory for the next transaction (bounded like the SQLite writer's).
    mutating func remembered() -> [CaseID: CaseState] {
        var cases: [CaseID: CaseState] = [:]
        swap(&cases, &stored)
        if cases.count > LedgerWriter.caseCacheLimit { cases.removeAll(keepingCapacity: true) }
        for (id, entry) in touched { cases[id] = entry.state }
        return cases
    }

    /// Writes the batch and moves the head in one statement (`WriteBatchStatement`) — entries, tree nodes, sealed
    /// personal data, case projections and search rows as data-modifying CTEs, the head update as the main statement
    /// — so a batch costs one round trip whatever its size. The projections' reference to their last entry is checked
    /// at the end of the statement, when the entries are in. Findings (rare) follow one statement each.
    func write(head state: PostgresWriterState, conn: PostgresConnection, logger: Logger) async throws {
        let statement = WriteBatchStatement(self, head: state)
        try await PostgresStore.run(conn, statement, logger: logger)
        for (change, index) in findingChanges {
            switch change {
            case .raise(let f):
                let g = f.finding
                try await conn.query(
                    """
                    INSERT INTO finding (\(unescaped: FindingTable.columns))
                    VALUES (\(g.id), \(g.caseID.rawValue), \(g.detector), \(g.official?.rawValue), \(g.unit?.rawValue), \(g.head?.rawValue),
                            \(g.severity.rawValue), \(g.evidence.map(String.init).joined(separator: ",")), \(f.value), \(f.limit),
                            \(g.explanation), \(f.explanationEn), 'open', NULL, NULL, NULL, \(f.observedAt), \(f.raisedAt), \(f.raisedIndex),
                            \(f.updatedIndex))
                    """, logger: logger)
            case .explain(let id, let status, let text):
                try await conn.query(
                    "UPDATE finding SET status = \(status.rawValue), response = \(text), updated_idx = \(index) WHERE id = \(id)", logger: logger)
            case .review(let id, let status, let reviewer, let note):
                try await conn.query(
                    """
                    UPDATE finding SET status = \(status.rawValue), reviewer = \(reviewer.rawValue), review_note = \(note), updated_idx = \(index)
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
        ("extensions", "bigint"), ("decided", "boolean"), ("rating", "bigint"), ("closed_at", "bigint"), ("last_idx", "bigint"),
    ]

    /// What actions change; the rest is fixed when the case is opened.
    static let mutable = [
        "lead_unit", "owner", "status", "due_date", "updated_at", "owner_since", "consultations", "action_count", "supplement_requests",
        "reschedules", "extensions", "decided", "rating", "closed_at", "last_idx",
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
        b.append(rows.map(\.1))
    }

    /// Pending consultations as stored: `unit=due` lines in unit order.
    static func consultations(_ s: CaseState) -> String {
        s.pendingConsultations.isEmpty ? "" : s.pendingConsultations.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: "\n")
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
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(byte)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
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
