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

    init(pool: DatabasePool, signer: CheckpointSigner, vault: PersonalDataVault, origin: String, checkpointInterval: Int, organization: Organization?) {
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

    /// Appends a batch in one transaction. Each request is first checked by the domain against the
    /// case as it stands (including earlier requests of the same batch); a refused request writes
    /// nothing, so there is nothing to roll back. Accepted ones are written, each touched case's
    /// projection is saved once, and the batch commits with one sync. Any database error fails the
    /// whole transaction and every request in it: nothing is half-written or acknowledged.
    func flush(_ requests: [PreparedRequest]) -> [Result<AppendReceipt, StoreError>] {
        guard let organization else { return requests.map { _ in .failure(.noOrganization) } }
        // Taken out, not copied, so that updating the case cache does not copy it.
        let cached = tree.withLock { state in defer { state = nil }; return state }
        let clock = ContinuousClock()
        let submitted = clock.now
        do {
            let (results, newTree, work) = try pool.write { db in
                let started = clock.now
                var state = try self.currentTree(db, cached: cached)
                var batch = BatchCases(cached: state.cases)
                state.cases = [:]
                var results: [Result<AppendReceipt, StoreError>] = []
                results.reserveCapacity(requests.count)
                for request in requests {
                    do {
                        results.append(.success(try self.apply(request, db: db, org: organization, frontier: &state.frontier, batch: &batch)))
                    } catch let error as DomainError {
                        results.append(.failure(.rejected(error)))
                    } catch let error as StoreError {
                        if case .database = error { throw error }
                        results.append(.failure(error))
                    }
                }
                for touched in batch.touched.values {
                    try CaseRow.save(db, touched.state, previous: touched.previous, lastIndex: touched.lastIndex)
                }
                if !batch.searchRows.isEmpty {
                    let insert = try db.cachedStatement(sql: "INSERT INTO case_search (case_id, text) VALUES (?, ?)")
                    for (caseID, text) in batch.searchRows { try insert.execute(arguments: [caseID.rawValue, text]) }
                }
                state.cases = batch.remembered()
                if state.frontier.size - state.lastCheckpointSize >= self.checkpointInterval {
                    try self.signCheckpoint(db, state: &state)
                }
                return (results, state, (queued: started - submitted, busy: clock.now - started))
            }
            let total = clock.now - submitted
            tree.withLock { $0 = newTree }
            stats.withLock {
                $0.transactions += 1
                $0.requests += requests.count
                $0.queued += work.queued
                $0.working += work.busy
                $0.committing += total - work.queued - work.busy
            }
            return results
        } catch {
            tree.withLock { $0 = nil }  // re-read from the database next time
            let failure = Self.storeError(error)
            return requests.map { _ in .failure(failure) }
        }
    }

    /// Cases changed by the batch so far: later requests see them, and each is saved once at the end.
    struct BatchCases {
        var cached: [CaseID: CaseState]
        /// Per case: its projection as stored before this batch (nil if the batch opened it) and now.
        var touched: [CaseID: (previous: CaseState?, state: CaseState, lastIndex: Int64)] = [:]
        /// Search rows of the cases the batch opened, written after their projection rows.
        var searchRows: [(CaseID, String)] = []

        func state(_ id: CaseID, db: Database) throws -> CaseState? {
            if let entry = touched[id] { return entry.state }
            if let state = cached[id] { return state }
            return try CaseRow.fetch(db, id: id)
        }

        mutating func record(_ state: CaseState, before: CaseState?, lastIndex: Int64) {
            let previous = touched[state.id].map(\.previous) ?? before
            touched[state.id] = (previous, state, lastIndex)
        }

        /// The cache for the next transaction: every case touched stays (a closed case still gets notes, ratings,
        /// reopenings), and it never grows past the limit.
        mutating func remembered() -> [CaseID: CaseState] {
            var cases: [CaseID: CaseState] = [:]
            swap(&cases, &cached)  // moved, not copied
            if cases.count > LedgerWriter.caseCacheLimit { cases.removeAll(keepingCapacity: true) }
            for (id, entry) in touched { cases[id] = entry.state }
            return cases
        }
    }

    func checkpointNow() async throws -> SignedCheckpoint? {
        let cached = tree.withLock { state in defer { state = nil }; return state }
        let (signed, newTree) = try await pool.write { db -> (SignedCheckpoint?, TreeState) in
            var state = try self.currentTree(db, cached: cached)
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
    private func currentTree(_ db: Database, cached: TreeState?) throws -> TreeState {
        let size = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entry") ?? 0
        let lastCheckpoint = try Int.fetchOne(db, sql: "SELECT MAX(size) FROM checkpoint") ?? 0
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

    /// Validates first (pure), then writes: a refused request never reaches the database.
    private func apply(
        _ prepared: PreparedRequest, db: Database, org: Organization, frontier: inout MerkleFrontier, batch: inout BatchCases
    ) throws -> AppendReceipt {
        let action: Action
        let state: CaseState
        var previousState: CaseState?
        var pendingSearch: (CaseID, String)?
        let encoded = prepared.entry
        switch prepared.request {
        case .action(let a):
            guard var current = try batch.state(a.caseID, db: db) else { throw StoreError.unknownCase(a.caseID) }
            previousState = current
            try current.apply(a, in: org)
            if a.body.isFindingWorkflow {
                try FindingTable.apply(a, index: Int64(frontier.size), observedAt: current.updatedAt, db: db, org: org)
            }
            action = a
            state = current
        case .open(var open, let actor, let at, let code, _, let via):
            open.subject = prepared.sealed.map { SubjectRef(ref: $0.ref, hash: $0.hash) }
            // Check the opening before a code is spent on it.
            _ = try CaseState(opening: Action(caseID: code ?? "(new)", actor: actor, at: at, body: .open(open), via: via), in: org)
            let caseID = try code ?? nextCode(db, unit: open.leadUnit, at: at, org: org)
            if try batch.state(caseID, db: db) != nil { throw DomainError.caseAlreadyExists(caseID) }
            if let sealed = prepared.sealed {
                var record = BoundStatement(try db.cachedStatement(sql: "INSERT INTO personal_data (ref, case_id, salt, sealed, created_at) VALUES (?,?,?,?,?)"))
                record.bind(sealed.ref)
                record.bind(caseID.rawValue)
                record.bind(blob: sealed.salt)
                record.bind(blob: sealed.sealed)
                record.bind(at)
                try record.run(db)
            }
            action = Action(caseID: caseID, actor: actor, at: at, body: .open(open), via: via)
            state = try CaseState(opening: action, in: org)
            pendingSearch = (caseID, SearchText.fold(caseID.rawValue + " " + open.title))
        }
        let index = Int64(frontier.size)
        let body = (encoded ?? LedgerEntryCodec.prepare(action)).bytes(index: index)
        let leaf = RFC9162.leafHash(body)
        var entry = BoundStatement(try db.cachedStatement(sql: "INSERT INTO ledger_entry (idx, case_id, type, at, body, leaf_hash) VALUES (?,?,?,?,?,?)"))
        entry.bind(index)
        entry.bind(action.caseID.rawValue)
        entry.bind(action.body.type.rawValue)
        entry.bind(action.at)
        entry.bind(blob: body)
        entry.bind(blob: leaf.bytes)
        try entry.run(db)
        try frontier.append(leafHash: leaf) { level, index, hash in
            guard DatabaseSubtrees.isStored(level: level) else { return }
            var node = BoundStatement(try db.cachedStatement(sql: "INSERT INTO merkle_node (level, idx, hash) VALUES (?,?,?)"))
            node.bind(level)
            node.bind(index)
            node.bind(blob: hash.bytes)
            try node.run(db)
        }
        batch.record(state, before: previousState, lastIndex: index)
        if let (caseID, text) = pendingSearch { batch.searchRows.append((caseID, text)) }
        return AppendReceipt(index: index, caseID: action.caseID, leafHash: leaf, state: state)
    }

    /// Next daily sequence number of the lead unit's agency code, in Vietnam time.
    private func nextCode(_ db: Database, unit: UnitID, at: Int64, org: Organization) throws -> CaseID {
        guard let agency = org.unit(unit)?.code else { throw StoreError.unknownUnit(unit) }
        let day = CivilDate(Date(timeIntervalSince1970: Double(at) / 1000))
        let sequence = try Int.fetchOne(
            db,
            sql: """
                INSERT INTO case_sequence (agency, day, last) VALUES (?, ?, 1)
                ON CONFLICT(agency, day) DO UPDATE SET last = last + 1 RETURNING last
                """, arguments: [agency, day.description]) ?? 1
        return CaseCode.make(agencyCode: agency, date: day, sequence: sequence)
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
    public var committing = Duration.zero
    public var meanBatch: Double { transactions == 0 ? 0 : Double(requests) / Double(transactions) }
}
