import NIOCore
import PostgresNIO

/// The statements of the append path and the live replay, run as named prepared statements: each connection parses
/// and plans them once instead of on every call. The batch write alone took about 1.2 ms of parsing and planning per
/// transaction, all of it while `ledger_head`'s row lock was held and every other writer waited.
///
/// A statement's name is its type's; the server keeps it per connection (PostgresNIO prepares it on first use), and
/// table names resolve through the connection's `search_path`, so one name serves every schema.
protocol HotStatement: PostgresPreparedStatement where Row == PostgresRow {
    var bindings: PostgresBindings { get }
}

extension HotStatement {
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

extension PostgresStore {
    /// Every row of a hot statement decoded by position.
    static func rows<S: HotStatement, T>(
        _ conn: PostgresConnection, _ statement: S, logger: Logger, _ decode: (PostgresColumns) throws -> T
    ) async throws -> [T] {
        var out: [T] = []
        for try await row in try await conn.execute(statement, logger: logger) { out.append(try decode(PostgresColumns(row))) }
        return out
    }

    static func run<S: HotStatement>(_ conn: PostgresConnection, _ statement: S, logger: Logger) async throws {
        for try await _ in try await conn.execute(statement, logger: logger) {}
    }
}

/// Locks the ledger head and reads the cases a batch needs, in one round trip (migration 2's `lock_ledger_head`).
struct LockHeadAndCasesStatement: HotStatement {
    static let sql = """
        SELECT l.head_size, l.head_peaks, l.head_checkpoint, l.head_moved, \(
            CaseRow.columns.split(separator: ",").map { "(l.c)." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
        FROM lock_ledger_head($1, $2, $3, $4) AS l
        """
    /// Columns before the case's.
    static let caseColumnsFrom = 4
    static let bindingDataTypes: [PostgresDataType] = [.int8, .int8, .textArray, .textArray]
    /// The head as this writer left it (-1: unknown, so the head counts as moved).
    var knownSize: Int64
    var knownCheckpoint: Int64
    /// Cases of the batch the writer does not hold, and all of them.
    var missing: [String]
    var batch: [String]
    var bindings: PostgresBindings {
        var b = PostgresBindings(capacity: 4)
        b.append(knownSize)
        b.append(knownCheckpoint)
        b.append(missing)
        b.append(batch)
        return b
    }
}

/// The entries of several cases after an index each, for the live replays (see `PostgresStore.readEntries`). The
/// ordered LATERAL subquery keeps the plan an index scan per case: as a plain join the planner hashed the whole
/// ledger (12 ms instead of 0.4 ms with 50,000 entries).
struct EntryReadStatement: HotStatement {
    static let sql = """
        SELECT r.n, e.idx, e.body, e.leaf_hash
        FROM UNNEST($1::text[], $2::bigint[]) WITH ORDINALITY AS r(case_id, after, n)
        CROSS JOIN LATERAL (SELECT idx, body, leaf_hash FROM ledger_entry WHERE case_id = r.case_id AND idx > r.after ORDER BY idx) e
        ORDER BY r.n, e.idx
        """
    var reads: [EntryRead]
    var bindings: PostgresBindings {
        var b = PostgresBindings(capacity: 2)
        b.append(reads.map(\.caseID.rawValue))
        b.append(reads.map(\.after))
        return b
    }
}

/// A batch's rows and the new head in one statement (see `PostgresStore.persist`).
struct WriteBatchStatement: HotStatement {
    static let sql = """
        WITH entries AS (
            INSERT INTO ledger_entry (idx, case_id, type, at, body, leaf_hash)
            SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bytea[], $6::bytea[])
        ), nodes AS (
            INSERT INTO merkle_node (level, idx, hash) SELECT * FROM UNNEST($7::bigint[], $8::bigint[], $9::bytea[])
        ), personal AS (
            INSERT INTO personal_data (ref, case_id, salt, sealed, created_at)
            SELECT * FROM UNNEST($10::text[], $11::text[], $12::bytea[], $13::bytea[], $14::bigint[])
        ), opened AS (
            \(PostgresCaseRow.insertFromJSON("$15"))
        ), changed AS (
            \(PostgresCaseRow.updateFromArrays(first: 21))
        ), search AS (
            INSERT INTO case_search (case_id, text) SELECT * FROM UNNEST($16::text[], $17::text[])
        ), tally_added AS (
            INSERT INTO task_tally (parent_id, lead_unit, task_phase, due_date, n)
            SELECT * FROM UNNEST($\(tallyFirst)::text[], $\(tallyFirst + 1)::text[], $\(tallyFirst + 2)::text[], $\(tallyFirst + 3)::text[],
                                 $\(tallyFirst + 4)::bigint[]) AS d(parent_id, lead_unit, task_phase, due_date, n)
            WHERE d.n > 0
            ON CONFLICT (parent_id, lead_unit, task_phase, due_date) DO UPDATE SET n = task_tally.n + excluded.n
        ), tally_taken AS (
            UPDATE task_tally AS t SET n = t.n + d.n
            FROM UNNEST($\(tallyFirst)::text[], $\(tallyFirst + 1)::text[], $\(tallyFirst + 2)::text[], $\(tallyFirst + 3)::text[],
                        $\(tallyFirst + 4)::bigint[]) AS d(parent_id, lead_unit, task_phase, due_date, n)
            WHERE d.n < 0 AND t.parent_id = d.parent_id AND t.lead_unit = d.lead_unit AND t.task_phase = d.task_phase AND t.due_date = d.due_date
        )
        UPDATE ledger_head SET size = $18, peaks = $19, checkpoint_size = $20 WHERE id = 1
        """
    var bindings: PostgresBindings
    /// The tally's arrays follow the changed cases' (`TaskTally.deltas`).
    static let tallyFirst = 21 + PostgresCaseRow.mutable.count + 1

    init(_ plan: AppendPlan, head state: PostgresWriterState) {
        var b = PostgresBindings(capacity: Self.tallyFirst + 4)
        b.append(plan.entries.map(\.index))
        b.append(plan.entries.map(\.caseID.rawValue))
        b.append(plan.entries.map(\.type))
        b.append(plan.entries.map(\.at))
        b.append(plan.entries.map { ByteBuffer(bytes: $0.body) })
        b.append(plan.entries.map { ByteBuffer(bytes: $0.leaf.bytes) })
        b.append(plan.nodes.map { Int64($0.level) })
        b.append(plan.nodes.map(\.index))
        b.append(plan.nodes.map { ByteBuffer(bytes: $0.hash.bytes) })
        b.append(plan.personalData.map(\.sealed.ref))
        b.append(plan.personalData.map(\.caseID.rawValue))
        b.append(plan.personalData.map { ByteBuffer(bytes: $0.sealed.salt) })
        b.append(plan.personalData.map { ByteBuffer(bytes: $0.sealed.sealed) })
        b.append(plan.personalData.map(\.at))
        let opened = plan.cases.values.filter { $0.previous == nil }.map { ($0.state, $0.lastIndex) }
        let changed = plan.cases.values.filter { $0.previous != nil }.map { ($0.state, $0.lastIndex) }
        b.append(PostgresCaseRow.json(opened))
        b.append(plan.search.map(\.caseID.rawValue))
        b.append(plan.search.map(\.text))
        b.append(Int64(state.frontier.size))
        b.append(ByteBuffer(bytes: state.frontier.peaks.flatMap(\.bytes)))
        b.append(Int64(state.checkpointSize))
        PostgresCaseRow.appendArrays(changed, to: &b)
        let tally = TaskTally.deltas(plan.cases.values)
        b.append(tally.map(\.key.parent.rawValue))
        b.append(tally.map(\.key.leadUnit.rawValue))
        b.append(tally.map(\.key.phase.rawValue))
        b.append(tally.map(\.key.dueColumn))
        b.append(tally.map { Int64($0.delta) })
        bindings = b
    }
}

/// A one-dimensional PostgreSQL array whose elements may be NULL, in the binary array format (PostgresNIO encodes
/// arrays of non-optional elements only).
struct NullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable {
    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    var elements: [Element?]

    init(_ elements: [Element?]) { self.elements = elements }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)  // dimensions
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)  // has NULLs
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))  // length of the dimension
        buffer.writeInteger(1, as: Int32.self)  // its lower bound
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let start = buffer.writerIndex
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthAt)
        }
    }
}
