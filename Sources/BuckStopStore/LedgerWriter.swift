import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import Foundation
import GRDB
import Synchronization

/// Writes batches of requests: validate with the domain, append the entry, extend the Merkle tree,
/// update the projections, and sign a checkpoint when due — all in one transaction.
final class LedgerWriter: Sendable {
    /// What the writer remembers between transactions. Valid only while the database still ends
    /// where `frontier` says; otherwise another writer appended and all of it is re-read.
    struct TreeState: Sendable {
        var frontier: MerkleFrontier
        var lastCheckpointSize: Int
        /// Recently written cases, so an append usually needs no read.
        var cases: [CaseID: CaseState] = [:]
    }

    static let caseCacheLimit = 50_000

    let pool: DatabasePool
    let signer: CheckpointSigner
    let vault: PersonalDataVault
    let origin: String
    let checkpointInterval: Int
    private let tree = Mutex<TreeState?>(nil)
    private let org: Mutex<Organization?>
    private let stats = Mutex<CommitStatistics>(CommitStatistics())
    private let observer = Mutex<(any AppendObserver)?>(nil)

    init(pool: DatabasePool, signer: CheckpointSigner, vault: PersonalDataVault, origin: String, checkpointInterval: Int, organization: Organization?)
    {
        self.pool = pool
        self.signer = signer
        self.vault = vault
        self.origin = origin
        self.checkpointInterval = checkpointInterval
        self.org = Mutex(organization)
    }

    var organization: Organization? { org.withLock { $0 } }
    var statistics: CommitStatistics { stats.withLock { $0 } }
    func setOrganization(_ new: Organization) { org.withLock { $0 = new } }
    func setObserver(_ new: (any AppendObserver)?) { observer.withLock { $0 = new } }

    /// Appends a batch in one transaction: reads what the batch refers to, lets `AppendPlanner` decide every request
    /// (a refused one writes nothing, so there is nothing to roll back), persists the plan, and signs a checkpoint
    /// when due. The batch commits with one sync. Any database error fails the whole transaction and every request in
    /// it: nothing is half-written or acknowledged.
    func flush(_ requests: [PreparedRequest]) -> [Result<AppendReceipt, StoreError>] {
        guard let organization else { return requests.map { _ in .failure(.noOrganization) } }
        let clock = ContinuousClock()
        let submitted = clock.now
        let observer = observer.withLock { $0 }
        do {
            let (results, newTree, work, observation) = try pool.write { db in
                let started = clock.now
                let startedCPU = ThreadCPUTime.now()
                var state = try self.currentTree(db, cached: self.takeCachedTree())
                var cases: [CaseID: CaseState] = [:]
                swap(&cases, &state.cases)
                for (series, highest) in AppendPlanner.codesGiven(requests) { try Self.raiseCodes(db, series, to: highest) }
                var codes: [CodeSeries: ClosedRange<Int>] = [:]
                for (series, count) in AppendPlanner.codeSeries(requests, organization: organization) {
                    codes[series] = try Self.allocateCodes(db, series, count: count)
                }
                let references = AppendPlanner.references(requests, codes: codes)
                for (id, found) in try CaseRow.fetch(db, ids: Array(references.cases.filter { cases.index(forKey: $0) == nil })) { cases[id] = found }
                var findings: [String: StoredFinding] = [:]
                for id in references.findings {
                    if let found = try FindingTable.fetch(db, id: id) { findings[id] = found }
                }
                let observation = observer?.beginBatch(now: Int64(Date().timeIntervalSince1970 * 1000))
                // `consume`: the planner must hold the only reference to the case cache, or its first change copies all of
                // it (up to `caseCacheLimit` cases) — perf showed that copy as the largest part of the writer's work per batch.
                var planner = AppendPlanner(
                    organization: organization, frontier: state.frontier, cases: consume cases, findings: findings, codes: codes,
                    observation: observation)
                let results = planner.plan(requests, checkpointInterval: self.checkpointInterval, lastCheckpointSize: state.lastCheckpointSize)
                try Self.persist(planner.plan, db: db)
                state.frontier = planner.frontier
                state.cases = planner.remembered(limit: Self.caseCacheLimit)
                if planner.plan.checkpointDue { try self.signCheckpoint(db, state: &state) }
                return (results, state, (queued: started - submitted, busy: clock.now - started, cpu: ThreadCPUTime.now() - startedCPU), observation)
            }
            observation?.committed()
            let total = clock.now - submitted
            tree.withLock { $0 = newTree }
            stats.withLock {
                $0.transactions += 1
                $0.requests += requests.count
                $0.queued += work.queued
                $0.working += work.busy
                $0.workingCPU += work.cpu
                $0.committing += total - work.queued - work.busy
            }
            return results
        } catch {
            tree.withLock { $0 = nil }  // re-read from the database next time
            let failure = Self.storeError(error)
            return requests.map { _ in .failure(failure) }
        }
    }

    /// Writes a plan with cached statements, rows in an order the immediate foreign keys accept (entries before the
    /// projections that point at them).
    static func persist(_ plan: AppendPlan, db: Database) throws {
        for p in plan.personalData {
            var record = BoundStatement(
                try db.cachedStatement(sql: "INSERT INTO personal_data (ref, case_id, salt, sealed, created_at) VALUES (?,?,?,?,?)"))
            record.bind(p.sealed.ref)
            record.bind(p.caseID.rawValue)
            record.bind(blob: p.sealed.salt)
            record.bind(blob: p.sealed.sealed)
            record.bind(p.at)
            try record.run(db)
        }
        for e in plan.entries {
            var entry = BoundStatement(
                try db.cachedStatement(sql: "INSERT INTO ledger_entry (idx, case_id, type, at, body, leaf_hash) VALUES (?,?,?,?,?,?)"))
            entry.bind(e.index)
            entry.bind(e.caseID.rawValue)
            entry.bind(e.type)
            entry.bind(e.at)
            entry.bind(blob: e.body)
            entry.bind(blob: e.leaf.bytes)
            try entry.run(db)
        }
        for n in plan.nodes {
            var node = BoundStatement(try db.cachedStatement(sql: "INSERT INTO merkle_node (level, idx, hash) VALUES (?,?,?)"))
            node.bind(n.level)
            node.bind(n.index)
            node.bind(blob: n.hash.bytes)
            try node.run(db)
        }
        for change in plan.cases.values {
            try CaseRow.save(db, change.state, previous: change.previous, lastIndex: change.lastIndex)
        }
        for (key, delta) in TaskTally.deltas(plan.cases.values) {
            if delta > 0 {
                try db.cachedStatement(sql: TaskTally.upsert).execute(
                    arguments: [key.parent.rawValue, key.leadUnit.rawValue, key.phase.rawValue, key.dueColumn, delta])
            } else {
                try db.cachedStatement(sql: TaskTally.subtract).execute(
                    arguments: [delta, key.parent.rawValue, key.leadUnit.rawValue, key.phase.rawValue, key.dueColumn])
            }
        }
        if !plan.search.isEmpty {
            let insert = try db.cachedStatement(sql: "INSERT INTO case_search (case_id, text) VALUES (?, ?)")
            for (caseID, text) in plan.search { try insert.execute(arguments: [caseID.rawValue, text]) }
        }
        for (change, index) in plan.findings { try FindingTable.persist(change, index: index, db: db) }
    }

    /// Takes `count` numbers of a code series in one upsert.
    static func allocateCodes(_ db: Database, _ series: CodeSeries, count: Int) throws -> ClosedRange<Int> {
        let last =
            try Int.fetchOne(
                db,
                sql: """
                    INSERT INTO case_sequence (agency, day, last) VALUES (?, ?, ?)
                    ON CONFLICT(agency, day) DO UPDATE SET last = last + excluded.last RETURNING last
                    """, arguments: [series.agency, series.day.description, count]) ?? count
        return (last - count + 1)...last
    }

    /// Counts the numbers a series' codes brought with them as taken (`AppendPlanner.codesGiven`).
    static func raiseCodes(_ db: Database, _ series: CodeSeries, to highest: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO case_sequence (agency, day, last) VALUES (?, ?, ?)
                ON CONFLICT(agency, day) DO UPDATE SET last = max(last, excluded.last)
                """, arguments: [series.agency, series.day.description, highest])
    }

    func checkpointNow() async throws -> SignedCheckpoint? {
        let (signed, newTree) = try await pool.write { db -> (SignedCheckpoint?, TreeState) in
            var state = try self.currentTree(db, cached: self.takeCachedTree())
            guard state.frontier.size > state.lastCheckpointSize else {
                return (nil, state)
            }
            return (try self.signCheckpoint(db, state: &state), state)
        }
        tree.withLock { $0 = newTree }
        return signed
    }

    /// The in-memory frontier is trusted only if the database still ends where it says;
    /// otherwise (another process appended, or a failed transaction) it is rebuilt from the stored peaks.
    /// The writer's state, taken out rather than copied, and taken inside the write closure: a copy held anywhere (a
    /// constant the closure captures, say) makes the planner's first change to the case cache copy all of it — perf
    /// showed that copy as the largest part of the writer's work per batch.
    private func takeCachedTree() -> TreeState? {
        tree.withLock { state in
            defer { state = nil }
            return state
        }
    }

    private func currentTree(_ db: Database, cached: consuming TreeState?) throws -> TreeState {
        // Cached statements: this runs once per batch, and preparing the two statements cost more than running them.
        let size = try Int.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entry")) ?? 0
        let lastCheckpoint = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(size) FROM checkpoint")) ?? 0
        if let cached, cached.frontier.size == size, cached.lastCheckpointSize == lastCheckpoint { return cached }
        return TreeState(frontier: try MerkleFrontier(size: size, source: DatabaseSubtrees(db: db)), lastCheckpointSize: lastCheckpoint)
    }

    @discardableResult
    private func signCheckpoint(_ db: Database, state: inout TreeState) throws -> SignedCheckpoint {
        let checkpoint = Checkpoint(
            origin: origin, size: state.frontier.size, rootHash: state.frontier.rootHash(),
            timestamp: Int64(Date().timeIntervalSince1970))
        let signed = try signer.sign(checkpoint)
        try CheckpointTable.insert(db, signed)
        state.lastCheckpointSize = state.frontier.size
        return signed
    }

    static func storeError(_ error: any Error) -> StoreError {
        switch error {
        case let e as StoreError: e
        case let e as DatabaseError: .database(e.description)
        case let e as DomainError: .rejected(e)
        default: .database("\(error)")
        }
    }
}

/// How many write transactions carried how many requests: the group-commit batching actually achieved.
public struct CommitStatistics: Sendable {
    public var transactions = 0
    public var requests = 0
    /// Waiting for the database writer, doing the batch's work, and committing (the sync).
    public var queued = Duration.zero
    public var working = Duration.zero
    /// The CPU time the writer's thread spent on the batches' work: `working` less the time it waited for a core
    /// (on a small machine the clients' own preparation competes with the writer).
    public var workingCPU = Duration.zero
    public var committing = Duration.zero
    public var meanBatch: Double { transactions == 0 ? 0 : Double(requests) / Double(transactions) }
}

/// The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
enum ThreadCPUTime {
    static func now() -> Duration {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return .zero }
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }
}
