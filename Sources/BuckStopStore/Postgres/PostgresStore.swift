import BuckStopDomain
import BuckStopLedger
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization
import _ConnectionPoolModule

/// Where a PostgreSQL store lives and the secrets it uses. Read once at the edge and passed in.
public struct PostgresStoreConfiguration: Sendable {
    public var location: PostgresLocation
    public var keys: StoreKeys
    public var origin: String
    public var checkpointInterval: Int
    /// Connections this process keeps at most (each server process has its own pool).
    public var maximumConnections: Int
    /// How long an operation may take once it has a connection before it is given up (its connection closed); long
    /// reads (verify, copies, migrations) are not bounded.
    public var operationDeadline: Duration
    /// How long to try to open a connection; a request waiting half as long for one makes the store probe the server,
    /// and fails as unavailable (503) when the server does not accept connections.
    public var connectTimeout: Duration
    /// How long a request waits for a connection while the server accepts connections (the pool is busy) before it
    /// fails as unavailable.
    public var leaseLimit: Duration

    public init(
        location: PostgresLocation, keys: StoreKeys, origin: String = "buckstop.local/ledger", checkpointInterval: Int = 1024,
        maximumConnections: Int = 16, connectTimeout: Duration = .seconds(2), operationDeadline: Duration = .seconds(30),
        leaseLimit: Duration = .seconds(60)
    ) {
        self.location = location
        self.keys = keys
        self.origin = origin
        self.checkpointInterval = checkpointInterval
        self.maximumConnections = maximumConnections
        self.connectTimeout = connectTimeout
        self.operationDeadline = operationDeadline
        self.leaseLimit = leaseLimit
    }
}

/// The production store: PostgreSQL through PostgresNIO, for several `buckstop serve` processes on one database.
///
/// The ledger stays one gap-free sequence across processes because every append transaction first locks the single
/// row of `ledger_head` (`SELECT … FOR UPDATE`). That row holds the size and the Merkle frontier (the peaks), so the
/// lock, the next index and the tree state come from one read, and the next writer waits for the commit and then
/// reads exactly the frontier the previous one left. An advisory lock would serialise too, but the frontier would
/// then have to be recomputed from `merkle_node` or kept somewhere else without the row lock's guarantee that it is
/// the committed one. Concurrent appends of one process share a transaction (group commit); PostgreSQL's COMMIT with
/// `synchronous_commit = on` is the durability point, so an append is acknowledged only after its commit returned.
///
/// `run()` runs the connection pool (a `Service`); `open()` applies the migrations and loads the organisation.
public final class PostgresStore: LedgerStore, DemoLabels, Service {
    let client: PostgresClient
    let logger: Logger
    let signer: CheckpointSigner
    let vault: PersonalDataVault
    let checkpointInterval: Int
    let location: PostgresLocation
    public let publicKey: [UInt8]
    public let origin: String
    public var backend: String { "postgresql" }

    let watch: OperationWatch
    let operationDeadline: Duration
    let org = Mutex<Organization?>(nil)
    let histories = CaseHistoryCache()
    let writerState = Mutex<PostgresWriterState?>(nil)
    let commits = LeaderBatch<PreparedRequest, Result<AppendReceipt, StoreError>>()
    let entryReads = LeaderBatch<EntryRead, Result<[LedgerRecord], StoreError>>()
    let stats = Mutex(CommitStatistics())
    /// Detection inside the append transaction (see `AppendObserver`).
    let appendObserver = Mutex<(any AppendObserver)?>(nil)

    public init(configuration: PostgresStoreConfiguration, logger: Logger) throws {
        guard Checkpoint.isValidOrigin(configuration.origin) else {
            throw StoreError.invalidKey("origin '\(configuration.origin)': expected printable ASCII without spaces")
        }
        let location = configuration.location
        var clientConfiguration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database,
            tls: .disable)
        clientConfiguration.options.maximumConnections = max(2, configuration.maximumConnections)
        clientConfiguration.options.connectTimeout = configuration.connectTimeout
        // No keep-alive queries on idle connections: `OperationWatch` finds a dead connection when it is used, idle ones
        // are closed after the pool's idle timeout anyway, and a keep-alive query that PostgresNIO 1.33 leaves unfinished
        // on a connection closed under it (the same fault the watch works around for our own queries) would keep the
        // pool — and a stopped server's process — from ever finishing its shutdown.
        clientConfiguration.options.keepAliveBehavior = nil
        if let schema = location.schema {
            guard PostgresLocation.isPlainName(schema) else { throw StoreError.invalidLocation("schema '\(schema)': expected letters, digits and _") }
            // A run-time parameter in the startup message: every pooled connection resolves table names in this schema.
            clientConfiguration.options.additionalStartupParameters = [("search_path", schema)]
        }
        // The pool logs every failed reconnection attempt at info level (several a second while the database is down).
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        client = PostgresClient(configuration: clientConfiguration, eventLoopGroup: DatabaseLoop.shared.group, backgroundLogger: background)
        self.logger = logger
        self.location = location
        signer = try CheckpointSigner(privateKeySeed: configuration.keys.signingSeed)
        publicKey = signer.publicKey
        vault = PersonalDataVault(dataKey: configuration.keys.dataKey)
        origin = configuration.origin
        checkpointInterval = max(1, configuration.checkpointInterval)
        operationDeadline = configuration.operationDeadline
        watch = OperationWatch(
            host: location.host, port: location.port, probeAfter: configuration.connectTimeout / 2, executor: DatabaseLoop.shared,
            busyLimit: configuration.leaseLimit)
    }

    /// Runs the connection pool and the operation watch until the task is cancelled or graceful shutdown.
    public func run() async {
        await cancelWhenGracefulShutdown { await self.runPool() }
    }

    func runPool() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.watch.run() }
        }
    }

    /// Runs `body` with an opened store whose pool runs alongside, then stops the pool: for commands and tests.
    public static func withStore<T>(
        _ configuration: PostgresStoreConfiguration, logger: Logger, _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let store = try PostgresStore(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.runPool() }
            defer { group.cancelAll() }
            try await store.open()
            return try await body(store)
        }
    }

    /// Applies pending migrations (once, under an advisory lock), records or checks the signing key and origin, and
    /// loads the organisation. Needs `run()` running.
    public func open() async throws {
        if let schema = location.schema {
            try await execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
        }
        // Waiting for another server's migration is normal: no deadline.
        try await transaction(bounded: false) { conn in
            try await conn.query(
                "SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock), hashtext(current_schema()))", logger: self.logger)
            try await conn.query(
                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: self.logger)
            var applied: Set<Int> = []
            for try await version in try await conn.query("SELECT version FROM schema_version", logger: self.logger).decode(Int.self) {
                applied.insert(version)
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.sql { try await conn.query(PostgresQuery(unsafeSQL: statement), logger: self.logger) }
                try await conn.query(
                    "INSERT INTO schema_version (version, name) VALUES (\(migration.version), \(migration.name))", logger: self.logger)
                self.logger.info("applied migration", metadata: ["version": "\(migration.version)", "db": "\(self.location)"])
            }
            let hexKey = self.publicKey.map { String(format: "%02x", $0) }.joined()
            var stored: [String: String] = [:]
            for try await (key, value) in try await conn.query("SELECT key, value FROM meta", logger: self.logger).decode((String, String).self) {
                stored[key] = value
            }
            if let key = stored["public_key"], key != hexKey {
                throw StoreError.configurationMismatch(
                    "the database's checkpoints are signed with key \(key.prefix(16))…, the configured key is \(hexKey.prefix(16))…")
            }
            if let storedOrigin = stored["origin"], storedOrigin != self.origin {
                throw StoreError.configurationMismatch("the ledger origin is '\(storedOrigin)', the configuration says '\(self.origin)'")
            }
            try await conn.query(
                "INSERT INTO meta (key, value) VALUES ('public_key', \(hexKey)), ('origin', \(self.origin)) ON CONFLICT (key) DO NOTHING",
                logger: self.logger)
        }
        let loaded = try await withConnection { conn in try await PostgresOrganization.load(conn, logger: self.logger) }
        org.withLock { $0 = loaded }
    }

    // MARK: - Running queries

    /// Runs `body` on one pooled connection, watched by `OperationWatch`: a lease the server cannot grant (it is
    /// down), a connection that closes under the operation, or the operation deadline passed (unless `bounded` is
    /// false: verify, copies, migrations) end it with `StoreError.unavailable` (the server answers 503).
    func withConnection<T: Sendable>(
        bounded: Bool = true, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let deadline = bounded ? operationDeadline : nil
        let client = self.client
        do {
            return try await withCheckedThrowingContinuation { continuation in
                watch.start(deadline: deadline, Gate(continuation)) { leased in
                    try await client.withConnection { conn in
                        leased(conn)
                        return try await body(conn)
                    }
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` in one transaction (BEGIN … COMMIT on one connection; ROLLBACK when it throws).
    func transaction<T: Sendable>(
        bounded: Bool = true, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let logger = self.logger
        return try await withConnection(bounded: bounded) { conn in
            try await conn.query("BEGIN", logger: logger)
            do {
                let value = try await body(conn)
                try await conn.query("COMMIT", logger: logger)
                return value
            } catch {
                // A failed ROLLBACK means the connection is gone; the pool drops it.
                _ = try? await conn.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Every row of a query decoded by position.
    func rows<T: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresColumns) throws -> T) async throws(StoreError) -> [T] {
        let logger = self.logger
        return try await withConnection { conn in try await Self.rows(conn, query, logger: logger, decode) }
    }

    static func rows<T>(_ conn: PostgresConnection, _ query: PostgresQuery, logger: Logger, _ decode: (PostgresColumns) throws -> T) async throws
        -> [T]
    {
        var out: [T] = []
        for try await row in try await conn.query(query, logger: logger) { out.append(try decode(PostgresColumns(row))) }
        return out
    }

    func execute(_ query: PostgresQuery) async throws(StoreError) {
        let logger = self.logger
        try await withConnection { conn in _ = try await conn.query(query, logger: logger) }
    }

    /// PostgreSQL errors as the store's: a lost or refused connection (or a server shutting down) is `unavailable`
    /// — the caller may retry, a server answers 503 — anything else is a database error with the server's message.
    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let e as StoreError: return e
        case let e as DomainError: return .rejected(e)
        case let e as PostgresTransactionError:
            return storeError(e.closureError ?? e.commitError ?? e.beginError ?? e.rollbackError ?? StoreError.database("transaction failed"))
        case let e as PSQLError:
            switch e.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return .unavailable("PostgreSQL connection: \(e.code)")
            case .server:
                let state = e.serverInfo?[.sqlState] ?? "?"
                let message = e.serverInfo?[.message] ?? "no message"
                // Class 08: connection exception; 57P0x: the server is shutting down or starting; 53: out of resources.
                if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53") {
                    return .unavailable("PostgreSQL \(state): \(message)")
                }
                return .database("PostgreSQL \(state): \(message)")
            default:
                return .database("PostgreSQL client: \(e.code)")
            }
        case is CancellationError: return .unavailable("cancelled (shutting down)")
        case let e as PostgresDecodingError:
            return .database("PostgreSQL column \(e.columnName) of type \(e.postgresType): cannot decode as \(e.targetType)")
        case is ChannelError: return .unavailable("PostgreSQL connection: \(error)")
        // The pool's own errors that PostgresClient does not turn into a PSQLError: its circuit breaker after a long outage.
        case let e as ConnectionPoolError: return .unavailable("PostgreSQL connection pool: \(e)")
        default: return .database("\(error)")
        }
    }

    // MARK: - Organisation

    public func organization() throws -> Organization {
        guard let org = org.withLock({ $0 }) else { throw StoreError.noOrganization }
        return org
    }

    /// Installs or restructures the organisation (every server re-reads it when it restarts).
    public func saveOrganization(_ new: Organization) async throws {
        try await transaction { conn in try await PostgresOrganization.save(conn, new, logger: self.logger) }
        org.withLock { $0 = new }
    }

    public var commitStatistics: CommitStatistics { stats.withLock { $0 } }

    // MARK: - Cases and ledger

    public func ledgerSize() async throws -> Int64 {
        try await rows("SELECT size FROM ledger_head WHERE id = 1") { try $0.int64(0) }.first ?? 0
    }

    public func caseState(_ id: CaseID) async throws -> CaseState? {
        try await rows(
            PostgresQuery(unsafeSQL: "SELECT \(CaseRow.columns) FROM case_state WHERE id = $1", binds: binds(id.rawValue)), CaseRow.state(from:)
        ).first
    }

    public func history(of id: CaseID) async throws -> [LedgerRecord] {
        let known = histories.prefix(of: id)
        return histories.extend(id, known: known, with: try await entries(of: id, after: known.last?.index ?? -1))
    }

    /// Concurrent calls share one query (`LeaderBatch`): after a group commit every request of the batch reads the
    /// entries of its case that another server wrote (for its live replay), and one round trip then serves them all.
    public func entries(of id: CaseID, after index: Int64) async throws -> [LedgerRecord] {
        try await entryReads.submit([EntryRead(caseID: id, after: index)], wake: nil) { reads in await self.readEntries(reads) }[0].get()
    }

    /// The entries of every read in one query, each read's in ledger order; a row that does not decode fails only
    /// the read it belongs to.
    func readEntries(_ reads: [EntryRead]) async -> [Result<[LedgerRecord], StoreError>] {
        let rows: [(Int, Result<LedgerRecord, StoreError>)]
        do {
            let logger = self.logger
            rows = try await withConnection { conn in
                try await Self.rows(conn, EntryReadStatement(reads: reads), logger: logger) { row in
                    let record = Result<LedgerRecord, StoreError> { () throws(StoreError) in
                        do { return try Self.record(row, from: 1) } catch { throw Self.storeError(error) }
                    }
                    return (try row.int(0) - 1, record)
                }
            }
        } catch {
            return reads.map { _ in .failure(error) }
        }
        var results = reads.map { _ in Result<[LedgerRecord], StoreError>.success([]) }
        for (n, record) in rows where results.indices.contains(n) {
            switch (results[n], record) {
            case (.success(var list), .success(let r)):
                list.append(r)
                results[n] = .success(list)
            case (.success, .failure(let error)):
                results[n] = .failure(error)
            case (.failure, _):
                continue
            }
        }
        return results
    }

    /// An entry from the columns idx, body, leaf_hash starting at `first`.
    static func record(_ row: PostgresColumns, from first: Int32 = 0) throws -> LedgerRecord {
        let index = try row.int64(first)
        let decoded = try LedgerEntryCodec.decode(try row.blob(first + 1))
        guard let leaf = TreeHash(bytes: try row.blob(first + 2)) else { throw StoreError.database("entry \(index): leaf hash is not 32 bytes") }
        return LedgerRecord(index: index, action: decoded.action, leafHash: leaf)
    }

    public func entry(at index: Int64) async throws -> (body: [UInt8], record: LedgerRecord)? {
        try await rows("SELECT idx, body, leaf_hash FROM ledger_entry WHERE idx = \(index)") { row in
            (try row.blob(1), try Self.record(row))
        }.first
    }

    /// Streams case by case in pages of cases, so a national ledger never sits in memory at once; two pages in flight,
    /// each on a connection of its own: the server reads one while the other is decoded.
    public func forEachCase<T: Sendable>(
        transform: @escaping @Sendable (CaseID, [(index: Int64, action: Action)]) throws -> T, _ body: (T) throws -> Void
    ) async throws {
        try await CasePages.scan(
            nextPage: { after in
                let ids = try await rows("SELECT id FROM case_state WHERE id > \(after) ORDER BY id LIMIT \(CasePages.size)") {
                    try $0.string(0)
                }
                return ids.first.flatMap { first in ids.last.map { (first, $0) } }
            },
            read: { [self] first, last in
                let entries = try await rows(
                    "SELECT case_id, body FROM ledger_entry WHERE case_id >= \(first) AND case_id <= \(last) ORDER BY case_id, idx"
                ) { row in (try row.string(0), try row.blob(1)) }
                var next = entries.makeIterator()
                return try CasePages.group(next: { next.next() }, transform)
            }, body)
    }

    public func inbox(of official: OfficialID) async throws -> [CaseState] {
        try await rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(CaseRow.columns) FROM case_state WHERE owner = $1 ORDER BY due_date IS NULL, due_date, owner_since",
                binds: binds(official.rawValue)), CaseRow.state(from:))
    }

    public func cases(limit: Int = 20, status: CaseStatus? = nil) async throws -> [CaseState] {
        var q = QueryBuilder("SELECT \(CaseRow.columns) FROM case_state")
        if let status { q.append(" WHERE status = \(q.bind(status.rawValue))") }
        q.append(" ORDER BY updated_at DESC LIMIT \(q.bind(limit))")
        return try await rows(q.query, CaseRow.state(from:))
    }

    public func caseCount() async throws -> [CaseStatus: Int] {
        var counts: [CaseStatus: Int] = [:]
        for (status, n) in try await rows("SELECT status, COUNT(*) FROM case_state GROUP BY status", { (try $0.string(0), try $0.int(1)) }) {
            if let status = CaseStatus(rawValue: status) { counts[status] = n }
        }
        return counts
    }

    public func listCases(status: CaseStatus?, unit: UnitID?, owner: OfficialID?, search: String?, limit: Int) async throws
        -> (cases: [CaseState], total: Int)
    {
        var q = QueryBuilder("")
        var conditions: [String] = []
        var from = "case_state c"
        if let status { conditions.append("c.status = \(q.bind(status.rawValue))") }
        if let unit { conditions.append("c.lead_unit = \(q.bind(unit.rawValue))") }
        if let owner { conditions.append("c.owner = \(q.bind(owner.rawValue))") }
        if let search {
            let words = SearchText.fold(search).split(separator: " ").prefix(8)
            if !words.isEmpty {
                from += " JOIN case_search s ON s.case_id = c.id"
                for w in words { conditions.append("s.text LIKE \(q.bind("%" + SQLiteStore.escapeLike(String(w)) + "%")) ESCAPE '\\'") }
            }
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let count = QueryBuilder("SELECT COUNT(*) FROM \(from) \(filter)", binds: q.binds)
        let total = try await rows(count.query) { try $0.int(0) }.first ?? 0
        q.append("SELECT \(CaseRow.prefixedColumns) FROM \(from) \(filter) ORDER BY c.updated_at DESC LIMIT \(q.bind(limit))")
        return (try await rows(q.query, CaseRow.state(from:)), total)
    }

    public func cases(
        kind: CaseKind, procedure: ProcedureFilter, openedFrom: Int64, openedBefore: Int64, statuses: [CaseStatus]?, limit: Int
    ) async throws -> [CaseState] {
        var q = QueryBuilder("")
        var conditions = [
            "kind = \(q.bind(kind.rawValue))", "opened_at >= \(q.bind(openedFrom))", "opened_at < \(q.bind(openedBefore))",
        ]
        switch procedure {
        case .any: break
        case .none: conditions.append("procedure IS NULL")
        case .code(let code): conditions.append("procedure = \(q.bind(code))")
        }
        if let statuses {
            guard !statuses.isEmpty else { return [] }
            conditions.append("status = ANY(\(q.bind(statuses.map(\.rawValue))))")
        }
        q.append(
            "SELECT \(CaseRow.columns) FROM case_state WHERE \(conditions.joined(separator: " AND ")) ORDER BY opened_at DESC LIMIT \(q.bind(limit))")
        return try await rows(q.query, CaseRow.state(from:))
    }

    public func openCases(heldIn units: [UnitID], limit: Int = 500) async throws -> [CaseState] {
        guard !units.isEmpty else { return [] }
        var q = QueryBuilder("")
        q.append(
            """
            SELECT \(CaseRow.prefixedColumns) FROM case_state c JOIN official o ON o.id = c.owner
            WHERE c.owner IS NOT NULL AND o.unit = ANY(\(q.bind(units.map(\.rawValue))))
            ORDER BY c.due_date IS NULL, c.due_date, c.owner_since LIMIT \(q.bind(limit))
            """)
        return try await rows(q.query, CaseRow.state(from:))
    }

    public func searchCases(_ query: String, limit: Int = 50) async throws -> [CaseState] {
        let words = SearchText.fold(query).split(separator: " ").prefix(8)
        guard !words.isEmpty else { return [] }
        var q = QueryBuilder("")
        let conditions = words.map { "s.text LIKE \(q.bind("%" + SQLiteStore.escapeLike(String($0)) + "%")) ESCAPE '\\'" }
        q.append(
            """
            SELECT \(CaseRow.prefixedColumns) FROM case_search s JOIN case_state c ON c.id = s.case_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.updated_at DESC LIMIT \(q.bind(limit))
            """)
        return try await rows(q.query, CaseRow.state(from:))
    }

    public func openCaseCounts() async throws -> [OfficialID: Int] {
        var out: [OfficialID: Int] = [:]
        for (owner, n) in try await rows(
            "SELECT owner, COUNT(*) FROM case_state WHERE owner IS NOT NULL GROUP BY owner", { (try $0.string(0), try $0.int(1)) })
        {
            out[OfficialID(owner)] = n
        }
        return out
    }

    public func closedTrend(units: [UnitID]?, sinceMillis: Int64) async throws -> [(month: String, closed: Int, late: Int)] {
        var q = QueryBuilder("")
        var sql = """
            SELECT to_char(to_timestamp(closed_at / 1000 + 7 * 3600) AT TIME ZONE 'UTC', 'YYYY-MM') AS month, COUNT(*),
                   COUNT(*) FILTER (WHERE due_date IS NOT NULL
                       AND to_char(to_timestamp(closed_at / 1000 + 7 * 3600) AT TIME ZONE 'UTC', 'YYYY-MM-DD') > due_date)
            FROM case_state WHERE closed_at IS NOT NULL AND closed_at >= \(q.bind(sinceMillis))
            """
        if let units {
            if units.isEmpty { return [] }
            sql += " AND lead_unit = ANY(\(q.bind(units.map(\.rawValue))))"
        }
        q.append(sql + " GROUP BY month ORDER BY month")
        return try await rows(q.query) { (try $0.string(0), try $0.int(1), try $0.int(2)) }
    }

    // MARK: - Demo ground truth

    public func saveLabels(_ labels: [(CaseID, String)]) async throws {
        guard !labels.isEmpty else { return }
        var q = QueryBuilder("")
        q.append(
            "INSERT INTO demo_label (case_id, behaviour) SELECT * FROM UNNEST(\(q.bind(labels.map(\.0.rawValue)))::text[], \(q.bind(labels.map(\.1)))::text[]) ON CONFLICT DO NOTHING"
        )
        try await execute(q.query)
    }

    public func labels() async throws -> [(CaseID, String)] {
        try await rows("SELECT case_id, behaviour FROM demo_label ORDER BY case_id, behaviour") { (CaseID(try $0.string(0)), try $0.string(1)) }
    }
}

/// Binds for a query written as SQL text (column lists shared with the SQLite store).
func binds(_ values: String...) -> PostgresBindings {
    var b = PostgresBindings()
    for v in values { b.append(v) }
    return b
}

/// Dynamic SQL with numbered parameters: `bind` appends a value and returns its placeholder.
struct QueryBuilder {
    var sql: String
    var binds: PostgresBindings

    init(_ sql: String, binds: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.binds = binds
    }

    mutating func append(_ text: String) { sql += text }

    mutating func bind(_ value: some PostgresNonThrowingEncodable & PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

/// One coalesced read of a case's entries after an index.
struct EntryRead: Sendable {
    var caseID: CaseID
    var after: Int64
}

/// A PostgreSQL row read by position, for the decoders shared with the SQLite store.
struct PostgresColumns: RowColumns {
    let cells: [PostgresCell]

    init(_ row: PostgresRow) { cells = Array(row) }
    init(cells: [PostgresCell]) { self.cells = cells }

    private func cell(_ i: Int32) throws -> PostgresCell {
        guard Int(i) < cells.count else { throw StoreError.database("column \(i) missing: the row has \(cells.count)") }
        return cells[Int(i)]
    }

    func isNull(_ i: Int32) throws -> Bool { try cell(i).bytes == nil }
    func int64(_ i: Int32) throws -> Int64 { try cell(i).decode(Int64.self) }
    func int(_ i: Int32) throws -> Int { try cell(i).decode(Int.self) }
    func bool(_ i: Int32) throws -> Bool { try cell(i).decode(Bool.self) }
    func string(_ i: Int32) throws -> String { try cell(i).decode(String.self) }
    func blob(_ i: Int32) throws -> [UInt8] {
        guard let bytes = try cell(i).bytes else { return [] }
        return Array(bytes.readableBytesView)
    }
}

extension CaseRow {
    /// The column list with the `c.` prefix of queries that join `case_state c`.
    static let prefixedColumns = columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        .joined(separator: ", ")
}
