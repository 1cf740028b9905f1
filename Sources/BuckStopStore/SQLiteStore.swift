import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import Foundation
import GRDB
import Synchronization

/// Where the store lives and the secrets it uses. Read once at the edge and passed in.
public struct StoreConfiguration: Sendable {
    public var path: String
    public var keys: StoreKeys
    /// Names this ledger in its signed checkpoints (printable ASCII, no spaces).
    public var origin: String
    /// A checkpoint is signed in the same transaction once this many entries are uncovered.
    public var checkpointInterval: Int

    public init(path: String, keys: StoreKeys, origin: String = "buckstop.local/ledger", checkpointInterval: Int = 1024) {
        self.path = path
        self.keys = keys
        self.origin = origin
        self.checkpointInterval = checkpointInterval
    }
}

/// The embedded store: SQLite in WAL mode through GRDB. Appending an action and updating every
/// projection is one transaction; concurrent appends share one commit (group commit).
///
/// Durability: an append is acknowledged only after its commit reached the disk. The writer runs with
/// `synchronous = NORMAL` (GRDB's setting for WAL pools) and, after each batch's commit, syncs the WAL
/// itself outside the write lock (`WALSync`), which is as safe as `synchronous = FULL` (see there).
/// Group commit makes that one `fdatasync` per batch instead of per action.
public final class SQLiteStore: Sendable {
    let pool: DatabasePool
    let writer: LedgerWriter
    let walSync: WALSync
    private let durable = DurableWatermark()
    let histories = CaseHistoryCache()
    private let commits: GroupCommit<PreparedRequest, Result<AppendReceipt, StoreError>>
    public let publicKey: [UInt8]
    public var origin: String { writer.origin }

    public init(configuration: StoreConfiguration) throws {
        guard Checkpoint.isValidOrigin(configuration.origin) else {
            throw StoreError.invalidKey("origin '\(configuration.origin)': expected printable ASCII without spaces")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Statement journals and sorts stay in memory instead of temporary files.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        try PrivateFile.prepare(configuration.path)
        pool = try DatabasePool(path: configuration.path, configuration: config)
        walSync = WALSync(databasePath: configuration.path)
        try Schema.migrator.migrate(pool)
        let signer = try CheckpointSigner(privateKeySeed: configuration.keys.signingSeed)
        publicKey = signer.publicKey
        let origin = configuration.origin
        try pool.write { db in
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'public_key'")
            let storedOrigin = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'")
            let hexKey = signer.publicKey.map { String(format: "%02x", $0) }.joined()
            if let stored, stored != hexKey {
                throw StoreError.configurationMismatch(
                    "the database's checkpoints are signed with key \(stored.prefix(16))…, the configured key is \(hexKey.prefix(16))…")
            }
            if let storedOrigin, storedOrigin != origin {
                throw StoreError.configurationMismatch("the ledger origin is '\(storedOrigin)', the configuration says '\(origin)'")
            }
            try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('public_key', ?), ('origin', ?)", arguments: [hexKey, origin])
        }
        // Synchronous reads here: opening the store is startup work, off the event loops.
        let org = try pool.read { db in try OrganizationTables.load(db) }
        writer = LedgerWriter(
            pool: pool, signer: signer, vault: PersonalDataVault(dataKey: configuration.keys.dataKey), origin: origin,
            checkpointInterval: max(1, configuration.checkpointInterval), organization: org)
        // What survived to this open is on disk.
        durable.raise(to: try pool.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entry") ?? 0 })
        let writer = self.writer
        let walSync = self.walSync
        let durable = self.durable
        commits = GroupCommit(
            flush: { requests in writer.flush(requests) },
            durable: { committed, deliver in Self.makeDurable(committed, walSync: walSync, durable: durable, deliver: deliver) })
    }

    /// Syncs the WAL after a commit; if that fails, nothing of the batch is acknowledged.
    static func makeDurable(
        _ committed: [Result<AppendReceipt, StoreError>], walSync: WALSync, durable: DurableWatermark
    ) async -> [Result<AppendReceipt, StoreError>] {
        await withCheckedContinuation { continuation in
            makeDurable(committed, walSync: walSync, durable: durable) { continuation.resume(returning: $0) }
        }
    }

    /// The same, answering through `deliver` on the sync's thread (see `WALSync.sync(completion:)`).
    static func makeDurable(
        _ committed: [Result<AppendReceipt, StoreError>], walSync: WALSync, durable: DurableWatermark,
        deliver: @escaping @Sendable ([Result<AppendReceipt, StoreError>]) -> Void
    ) {
        let written = committed.compactMap { try? $0.get().index }
        guard let last = written.max() else { return deliver(committed) }
        walSync.sync { outcome in
            switch outcome {
            case .success:
                durable.raise(to: Int(last) + 1)
                deliver(committed)
            case .failure(let error):
                let failure = StoreError.database("committed but not known to be on disk: \(error)")
                deliver(committed.map { result in result.flatMap { _ in .failure(failure) } })
            }
        }
    }

    /// For the baseline, which relies on SQLite's own sync: GRDB opens WAL pools with
    /// `synchronous = NORMAL`; this sets the writer to FULL and checks it.
    static func requireFullSync(_ pool: DatabasePool) throws {
        let level = try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        guard level == 2 else { throw StoreError.database("could not set synchronous = FULL on the writer (found \(level ?? -1))") }
    }

    /// The writer connection's `PRAGMA synchronous` (1 = NORMAL: the store syncs the WAL itself, see `WALSync`).
    /// Synchronous: a diagnostic for tests and tools, never called from a request.
    public func synchronousLevel() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    // MARK: - Organisation

    /// Synchronous because it reads no database: the organisation is held in memory.
    public func organization() throws -> Organization {
        guard let org = writer.organization else { throw StoreError.noOrganization }
        return org
    }

    /// Installs or restructures the organisation. Units and officials that cases refer to cannot disappear.
    public func saveOrganization(_ org: Organization) async throws {
        try await pool.write { db in try OrganizationTables.save(db, org) }
        try await walSync.sync()
        writer.setOrganization(org)
    }

    // MARK: - Appending

    /// Appends one request; returns once it is durable. Concurrent callers share commits. `resumeOn`, when given,
    /// runs the caller's wake-up (see `ResumeCaller`: the task resumes where it writes its answer instead of on the
    /// sync's thread).
    public func append(_ request: AppendRequest, resumeOn: ResumeCaller? = nil) async throws(StoreError) -> AppendReceipt {
        let prepared: PreparedRequest
        do { prepared = try PreparedRequest(request, vault: writer.vault, organization: writer.organization) } catch {
            throw LedgerWriter.storeError(error)
        }
        return try await commits.submit(prepared, wake: resumeOn).get()
    }

    public func observeAppends(with observer: (any AppendObserver)?) { writer.setObserver(observer) }

    /// Appends many requests in one transaction (imports, the demo); each succeeds or fails on its own.
    public func appendBatch(_ requests: [AppendRequest]) async -> [Result<AppendReceipt, StoreError>] {
        var prepared: [PreparedRequest] = []
        var failures: [Int: StoreError] = [:]
        for (i, request) in requests.enumerated() {
            do { prepared.append(try PreparedRequest(request, vault: writer.vault, organization: writer.organization)) } catch {
                failures[i] = LedgerWriter.storeError(error)
            }
        }
        let durable = await commits.submitBatch(prepared)
        guard !failures.isEmpty else { return durable }
        var written = durable[...]
        return requests.indices.map { i in failures[i].map { .failure($0) } ?? written.popFirst()! }
    }

    public var commitStatistics: CommitStatistics { writer.statistics }

    /// Completed WAL syncs since this store was opened.
    public var walSyncCount: Int { walSync.count }

    /// Seconds spent in the WAL syncs so far.
    public var walSyncSeconds: Double { walSync.seconds }

    /// Signs a checkpoint over everything appended so far, if anything is uncovered.
    @discardableResult
    public func checkpoint() async throws -> SignedCheckpoint? {
        let signed = try await writer.checkpointNow()
        if signed != nil { try await walSync.sync() }
        return signed
    }

    // MARK: - Reading

    // Where a read runs. A read that scans — a search, a trend, counts over a table, a list with its total, the walk of
    // the whole ledger — runs on GRDB's reader queues (`try await pool.read`) while the caller suspends, so no event
    // loop waits on it. A key read — a primary-key or index lookup whose rows are bounded by one case, one official's
    // work or one page (`keyRead`, `keyStatement`) — runs on the caller's thread: moving it costs two thread hops, and
    // on the 2-core machine the hops cost more than the read (measured: inbox 6,461–7,615 → 2,984–2,987 req/s, case
    // pages 5,449–6,802 → 2,555–3,117, docs/BENCHMARKS.md, "Where a read runs"). Synchronous reads also remain where
    // no request waits: opening the store (`init`, `verifier(path:)`) and inside the writer's transaction.

    /// A key read in a read transaction, on the caller's thread (see "Where a read runs").
    func keyRead<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// A key read of one statement on the caller's thread, without GRDB's read transaction: one SELECT is consistent on
    /// its own, and BEGIN/COMMIT cost as much as the statement on these hot reads.
    func keyStatement<T>(_ body: (Database) throws -> T) throws -> T { try pool.unsafeRead(body) }

    public func ledgerSize() async throws -> Int64 {
        try keyRead { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entry") ?? 0 }
    }

    public func caseState(_ id: CaseID) async throws -> CaseState? {
        try keyStatement { db in try CaseRow.fetch(db, id: id) }
    }

    /// Every entry of one case, in ledger order. Decoded entries are kept (`CaseHistoryCache`): only those after the
    /// last one held are read and decoded.
    public func history(of id: CaseID) async throws -> [LedgerRecord] {
        let known = histories.prefix(of: id)
        return histories.extend(id, known: known, with: try await entries(of: id, after: known.last?.index ?? -1))
    }

    /// The entries of one case after a ledger index, in ledger order: what a reader that already holds the case up
    /// to that index still needs (the live detector after each append).
    public func entries(of id: CaseID, after index: Int64) async throws -> [LedgerRecord] {
        try keyStatement { db in try Self.entries(db, of: id, after: index) }
    }

    static func entries(_ db: Database, of id: CaseID, after index: Int64) throws -> [LedgerRecord] {
        try db.cachedStatement(sql: "SELECT idx, body, leaf_hash FROM ledger_entry WHERE case_id = ? AND idx > ? ORDER BY idx")
            .decodeAll(arguments: [id.rawValue, index]) { row in
                let index = row.int64(0)
                let decoded = try LedgerEntryCodec.decode(row.blob(1))
                guard let leaf = TreeHash(bytes: row.blob(2)) else {
                    throw StoreError.database("entry \(index): leaf hash is not 32 bytes")
                }
                return LedgerRecord(index: index, action: decoded.action, leafHash: leaf)
            }
    }

    /// An official's open cases, most urgent (earliest due) first.
    public func inbox(of official: OfficialID) async throws -> [CaseState] {
        try keyStatement { db in try Self.inbox(db, of: official) }
    }

    static func inbox(_ db: Database, of official: OfficialID) throws -> [CaseState] {
        try db.cachedStatement(
            sql: """
                SELECT \(CaseRow.columns) FROM case_state WHERE owner = ?
                ORDER BY due_date IS NULL, due_date, owner_since
                """
        ).decodeAll(arguments: [official.rawValue], CaseRow.state(from:))
    }

    public func cases(limit: Int = 20, status: CaseStatus? = nil) async throws -> [CaseState] {
        try await pool.read { db in
            let filter = status == nil ? "" : "WHERE status = ?"
            let arguments: StatementArguments = status.map { [$0.rawValue, limit] } ?? [limit]
            return try db.makeStatement(sql: "SELECT \(CaseRow.columns) FROM case_state \(filter) ORDER BY updated_at DESC LIMIT ?")
                .decodeAll(arguments: arguments, CaseRow.state(from:))
        }
    }

    public func caseCount() async throws -> [CaseStatus: Int] {
        try await pool.read { db in
            var counts: [CaseStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM case_state GROUP BY status") {
                if let status = CaseStatus(rawValue: try row.decode(String.self, forColumn: "status")) {
                    counts[status] = try row.decode(forColumn: "n")
                }
            }
            return counts
        }
    }

    /// The newest signed checkpoint, made durable before it is handed out: a commit is visible a
    /// moment before its WAL sync completes, and a signed tree head must never be shown for entries
    /// a power cut could still take back (that would look like a forked ledger). Syncing here costs
    /// nothing when the checkpoint is already known to be on disk.
    public func latestCheckpoint() async throws -> SignedCheckpoint? {
        guard let latest = try keyRead({ db in try CheckpointTable.latest(db) }) else { return nil }
        if latest.checkpoint.size > durable.size {
            try await walSync.sync()
            durable.raise(to: latest.checkpoint.size)
        }
        return latest
    }

    public func checkpoint(size: Int) async throws -> SignedCheckpoint? {
        guard let found = try keyRead({ db in try CheckpointTable.at(db, size: size) }) else { return nil }
        try await makeDurable(found)
        return found
    }

    /// A checkpoint is handed out only once its commit is on disk (see `latestCheckpoint`).
    private func makeDurable(_ signed: SignedCheckpoint) async throws {
        if signed.checkpoint.size > durable.size {
            try await walSync.sync()
            durable.raise(to: signed.checkpoint.size)
        }
    }

    public func saveCosignatures(size: Int, _ lines: [(witness: String, line: String)]) async throws {
        guard !lines.isEmpty else { return }
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO checkpoint_cosignature (size, witness, line) VALUES (?, ?, ?)")
            for (witness, line) in lines { try insert.execute(arguments: [size, witness, line]) }
        }
        try await walSync.sync()
    }

    public func cosignatures(size: Int) async throws -> [String: String] {
        try keyRead { db in try CheckpointTable.cosignatures(db, size: size) }
    }

    public func latestCheckpoint(cosignedBy witnesses: [String]) async throws -> (checkpoint: SignedCheckpoint, cosignatures: [String: String])? {
        let found = try await pool.read { db -> (SignedCheckpoint, [String: String])? in
            guard let signed = try CheckpointTable.latest(db, cosignedBy: witnesses) else { return nil }
            return (signed, try CheckpointTable.cosignatures(db, size: signed.checkpoint.size))
        }
        guard let found else { return nil }
        try await makeDurable(found.0)
        return (found.0, found.1)
    }

    public func cosignedSizes() async throws -> [String: Int] {
        try await pool.read { db in
            var sizes: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT witness, MAX(size) FROM checkpoint_cosignature GROUP BY witness") {
                sizes[try row.decode(String.self, atIndex: 0)] = try row.decode(Int.self, atIndex: 1)
            }
            return sizes
        }
    }

    public func inclusionProof(leafIndex: Int, treeSize: Int) async throws -> [TreeHash] {
        try await pool.read { db in try MerkleProofs.inclusionProof(leafIndex: leafIndex, treeSize: treeSize, source: DatabaseSubtrees(db: db)) }
    }

    public func consistencyProof(from oldSize: Int, to newSize: Int) async throws -> [TreeHash] {
        try await pool.read { db in try MerkleProofs.consistencyProof(from: oldSize, to: newSize, source: DatabaseSubtrees(db: db)) }
    }

    // MARK: - Personal data

    /// Opens a sealed record; nil if there is none, an error if it was erased.
    public func personalData(ref: String) async throws -> PersonalData? {
        guard let row = try keyRead({ db in try Row.fetchOne(db, sql: "SELECT sealed FROM personal_data WHERE ref = ?", arguments: [ref]) })
        else { return nil }
        guard let sealed = try row.decode(Data?.self, forColumn: "sealed") else { throw StoreError.personalDataErased(ref: ref) }
        return try writer.vault.open(ref: ref, sealed: [UInt8](sealed))
    }

    /// Whether a sealed record still matches the salted hash its case carries on the ledger: the
    /// holder of the key can prove which person a ledger entry refers to without publishing them.
    public func personalDataMatchesLedger(ref: String) async throws -> Bool {
        guard
            let row = try keyRead({ db in
                try Row.fetchOne(
                    db, sql: "SELECT p.salt, p.sealed, c.subject_hash FROM personal_data p JOIN case_state c ON c.id = p.case_id WHERE p.ref = ?",
                    arguments: [ref])
            })
        else { return false }
        guard let salt = try row.decode(Data?.self, atIndex: 0), let sealed = try row.decode(Data?.self, atIndex: 1) else {
            throw StoreError.personalDataErased(ref: ref)
        }
        let record = try writer.vault.open(ref: ref, sealed: [UInt8](sealed))
        return PersonalDataVault.hash(salt: [UInt8](salt), data: record) == (try row.decode(String?.self, atIndex: 2))
    }

    /// Erases a record: ciphertext and salt go, so the hash on the ledger can no longer be linked to anyone.
    public func erasePersonalData(ref: String, at time: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE personal_data SET sealed = NULL, salt = NULL, erased_at = ? WHERE ref = ? AND erased_at IS NULL",
                arguments: [time, ref])
        }
        try await walSync.sync()
    }

    // MARK: - Demo ground truth

    public func saveLabels(_ labels: [(CaseID, String)]) async throws {
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO demo_label (case_id, behaviour) VALUES (?, ?)")
            for (caseID, behaviour) in labels { try statement.execute(arguments: [caseID.rawValue, behaviour]) }
        }
        try await walSync.sync()
    }

    public func labels() async throws -> [(CaseID, String)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT case_id, behaviour FROM demo_label ORDER BY case_id, behaviour").map {
                (CaseID(try $0.decode(String.self, forColumn: "case_id")), try $0.decode(String.self, forColumn: "behaviour"))
            }
        }
    }

    /// A verifier over this database.
    public func verifier(publicKey: [UInt8]? = nil, witnesses: WitnessRequirement? = nil) -> LedgerVerifier {
        LedgerVerifier(pool: pool, publicKey: publicKey ?? self.publicKey, origin: origin, witnesses: witnesses)
    }
}

extension SQLiteStore {
    /// Streams the ledger case by case (each case's entries in ledger order), for exports, the survey and reports: pages
    /// of cases read ahead (`CasePages`), the body between pages free to let other tasks run.
    public func forEachCase<T: Sendable>(
        transform: @escaping @Sendable (CaseID, [(index: Int64, action: Action)]) throws -> T, _ body: (T) throws -> Void
    ) async throws {
        // Two readers at once: the pool allows concurrent reads.
        try await CasePages.scan(
            nextPage: { after in
                let ids = try await pool.read { db in
                    try String.fetchAll(
                        db, sql: "SELECT id FROM case_state WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, CasePages.size])
                }
                return ids.first.flatMap { first in ids.last.map { (first, $0) } }
            },
            read: { [pool] first, last in try await Self.page(pool, first: first, last: last, transform) }, body)
    }

    /// The cases from `first` to `last` (ids in order), each case's entries decoded in ledger order and transformed.
    private static func page<T: Sendable>(
        _ pool: DatabasePool, first: String, last: String, _ transform: @Sendable (CaseID, [(index: Int64, action: Action)]) throws -> T
    ) async throws -> [T] {
        try await pool.read { db in
            // Columns read through the C API: GRDB's `Data` decoding copied each body twice before the parser saw it.
            let statement = try db.cachedStatement(
                sql: "SELECT case_id, body FROM ledger_entry WHERE case_id BETWEEN ? AND ? ORDER BY case_id, idx")
            let cursor = try Row.fetchCursor(statement, arguments: [first, last])
            let row = ColumnReader(statement)
            return try CasePages.group(next: { try cursor.next() != nil ? (row.string(0), row.blob(1)) : nil }, transform)
        }
    }

    /// A verifier that needs no secrets: it opens the database read-only and trusts only the
    /// public key given (or, failing that, the one recorded in the database). Reads synchronously: opening is the
    /// command line's startup work, off any event loop (the verification itself is async).
    public static func verifier(path: String, publicKeyHex: String?, witnesses: WitnessRequirement? = nil) throws -> LedgerVerifier {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.database("no database at \(path)") }
        var config = Configuration()
        config.readonly = true
        let pool = try DatabasePool(path: path, configuration: config)
        let (storedKey, origin) = try pool.read { db in
            (
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'public_key'"),
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'")
            )
        }
        guard let hex = publicKeyHex ?? storedKey, let key = TreeHash(hex: hex)?.bytes else {
            throw StoreError.invalidKey("no public key: pass one or use a database that records its own")
        }
        guard let origin else { throw StoreError.database("the database records no ledger origin") }
        return LedgerVerifier(pool: pool, publicKey: key, origin: origin, witnesses: witnesses)
    }
}

/// Entries below `size` are known to be on disk: synced by this process, or found at open.
final class DurableWatermark: Sendable {
    private let value = Mutex(0)
    var size: Int { value.withLock { $0 } }
    func raise(to size: Int) { value.withLock { $0 = max($0, size) } }
}
