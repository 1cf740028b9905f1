import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger

// What the rest of BuckStop needs from a store, by concern: each protocol below is what one kind of consumer reads or
// writes (the credential code needs `AccessStore`, a proof needs `LedgerProofs` and `LedgerEntries`), so a consumer
// can say which part of the store it depends on, and a test double needs only that part. `LedgerStore` composes them
// for the wiring at the edge. Two stores implement all of them — `SQLiteStore` (one machine, embedded) and
// `PostgresStore` (several servers on one database) — and one conformance suite runs against both.
//
// Every read is `async`: a server calls them from its event loops, and a store does its work elsewhere (GRDB's
// reader queues, PostgresNIO's connections) while the caller suspends.

/// Everything a store is: the composition the server, the live ledger and the command line are wired with.
/// Demo ground truth (`DemoLabels`) is not part of it: production code never reads it.
public protocol LedgerStore:
    StoreIdentity, OrganizationStore, LedgerAppending, LedgerEntries, LedgerProofs, CaseQueries, FindingQueries, PageReads,
    PersonalDataStore, AccessStore, ProgrammeQueries, ReminderQueries
{}

/// How a waiting caller wants to be resumed once its append is durable: the closure is handed the wake-up and runs it
/// where the caller wants to continue. A server passes one that runs it on the event loop of the request's connection
/// (so the task answers there instead of hopping from wherever the commit finished); the store knows only a closure,
/// never an event loop.
public typealias ResumeCaller = @Sendable (@escaping @Sendable () -> Void) -> Void

/// Which store this is, and whether it answers (logs, the operations page, readiness).
public protocol StoreIdentity: AnyObject, Sendable {
    /// "sqlite" or "postgresql", for logs and the operations page.
    var backend: String { get }
    /// A cheap query that fails when the database cannot be reached (readiness).
    func ping() async throws
}

/// The organisation the store validates appends against.
public protocol OrganizationStore: AnyObject, Sendable {
    /// The organisation as installed (held in memory, so no database read; `saveOrganization` replaces it).
    func organization() throws -> Organization
    func saveOrganization(_ org: Organization) async throws
}

/// Writing the ledger. Every append is durable before it is acknowledged; a batch is one transaction, so an entry and
/// its projections are both there or both absent.
public protocol LedgerAppending: AnyObject, Sendable {
    /// Appends one request; returns once it is durable. Concurrent callers share commits. `resumeOn`, when given,
    /// runs the caller's wake-up (see `ResumeCaller`).
    func append(_ request: AppendRequest, resumeOn: ResumeCaller?) async throws(StoreError) -> AppendReceipt
    /// Installs the detection that runs inside every append transaction from now on (nil: none).
    func observeAppends(with observer: (any AppendObserver)?)
    /// Appends many requests in one transaction (imports, the demo); each succeeds or fails on its own.
    func appendBatch(_ requests: [AppendRequest]) async -> [Result<AppendReceipt, StoreError>]
    /// Signs a checkpoint over everything appended so far, if anything is uncovered.
    @discardableResult func checkpoint() async throws -> SignedCheckpoint?
    var commitStatistics: CommitStatistics { get }
}

extension LedgerAppending {
    public func append(_ request: AppendRequest) async throws(StoreError) -> AppendReceipt {
        try await append(request, resumeOn: nil)
    }
}

/// Reading the ledger's entries.
public protocol LedgerEntries: AnyObject, Sendable {
    func ledgerSize() async throws -> Int64
    /// Every entry of one case, in ledger order.
    func history(of id: CaseID) async throws -> [LedgerRecord]
    /// The entries of one case after a ledger index, in ledger order.
    func entries(of id: CaseID, after index: Int64) async throws -> [LedgerRecord]
    /// One entry's canonical bytes and leaf hash.
    func entry(at index: Int64) async throws -> (body: [UInt8], record: LedgerRecord)?
    /// The ledger case by case (each case's entries in ledger order), for exports and surveys.
    func forEachCase(_ body: (CaseID, [(index: Int64, action: Action)]) throws -> Void) async throws
    /// The same, with `transform` run where the entries are decoded — on the store's readers, several cases at once (both
    /// stores read ahead, `CasePages`) — and `body` given the results in case order: a report's per-case digest built on
    /// both cores.
    func forEachCase<T: Sendable>(
        transform: @escaping @Sendable (CaseID, [(index: Int64, action: Action)]) throws -> T, _ body: (T) throws -> Void
    ) async throws
}

extension LedgerEntries {
    /// The scan with nothing to transform: each case's entries as they are decoded.
    public func forEachCase(_ body: (CaseID, [(index: Int64, action: Action)]) throws -> Void) async throws {
        try await forEachCase(transform: { id, entries in (id, entries) }, { id, entries in try body(id, entries) })
    }
}

/// Signed checkpoints, witnesses' cosignatures, Merkle proofs and the whole-ledger audit: with `LedgerEntries`,
/// everything a proof for a citizen or a witness is made of.
public protocol LedgerProofs: AnyObject, Sendable {
    /// The checkpoint signing key's public half.
    var publicKey: [UInt8] { get }
    /// Names this ledger in its checkpoints.
    var origin: String { get }
    /// The newest signed checkpoint, durable before it is handed out.
    func latestCheckpoint() async throws -> SignedCheckpoint?
    /// The checkpoint signed at exactly this size, if there is one.
    func checkpoint(size: Int) async throws -> SignedCheckpoint?
    /// Keeps the cosignatures witnesses returned for the checkpoint at `size` (C2SP signature lines, by witness name).
    func saveCosignatures(size: Int, _ lines: [(witness: String, line: String)]) async throws
    /// The cosignature lines kept for the checkpoint at `size`, by witness name.
    func cosignatures(size: Int) async throws -> [String: String]
    /// The newest checkpoint every one of `witnesses` has cosigned, with their lines (nil when there is none).
    func latestCheckpoint(cosignedBy witnesses: [String]) async throws -> (checkpoint: SignedCheckpoint, cosignatures: [String: String])?
    /// Per witness, the largest checkpoint size it has cosigned.
    func cosignedSizes() async throws -> [String: Int]
    func inclusionProof(leafIndex: Int, treeSize: Int) async throws -> [TreeHash]
    func consistencyProof(from oldSize: Int, to newSize: Int) async throws -> [TreeHash]
    /// Recomputes the tree from the entries and checks every checkpoint, with `publicKey` (default: the store's), and
    /// the witnesses' cosignatures when `witnesses` says which are required.
    func verify(publicKey: [UInt8]?, witnesses: WitnessRequirement?) async throws -> VerificationReport
}

extension LedgerProofs {
    public func verify() async throws -> VerificationReport { try await verify(publicKey: nil, witnesses: nil) }
    public func verify(publicKey: [UInt8]?) async throws -> VerificationReport { try await verify(publicKey: publicKey, witnesses: nil) }
}

/// The case projection: cases as they stand after their last entry.
public protocol CaseQueries: AnyObject, Sendable {
    func caseState(_ id: CaseID) async throws -> CaseState?
    /// An official's open cases, most urgent (earliest due) first.
    func inbox(of official: OfficialID) async throws -> [CaseState]
    func cases(limit: Int, status: CaseStatus?) async throws -> [CaseState]
    func caseCount() async throws -> [CaseStatus: Int]
    /// Cases filtered by status, lead unit or owner, or found by a diacritic-insensitive search; most recently
    /// changed first, with the total matching.
    func listCases(status: CaseStatus?, unit: UnitID?, owner: OfficialID?, search: String?, limit: Int) async throws
        -> (cases: [CaseState], total: Int)
    /// Cases of one kind received in `[openedFrom, openedBefore)` (Unix milliseconds), of one procedure or of none
    /// (`procedure`), in one of `statuses` (nil: any); newest first. The Open311 endpoint's list.
    func cases(kind: CaseKind, procedure: ProcedureFilter, openedFrom: Int64, openedBefore: Int64, statuses: [CaseStatus]?, limit: Int)
        async throws -> [CaseState]
    /// Open cases held by officials of the given units, earliest due first.
    func openCases(heldIn units: [UnitID], limit: Int) async throws -> [CaseState]
    /// Cases whose code or title contains every word of the query, diacritics ignored.
    func searchCases(_ query: String, limit: Int) async throws -> [CaseState]
    /// Open cases per owner.
    func openCaseCounts() async throws -> [OfficialID: Int]
    /// Cases closed per month (Vietnam time) with how many were late, for the given lead units (nil = all).
    func closedTrend(units: [UnitID]?, sinceMillis: Int64) async throws -> [(month: String, closed: Int, late: Int)]
}

/// Programmes, plans and their tasks (issue 17), read off the case projection for roll-ups (`ProgrammeRollup`).
public protocol ProgrammeQueries: AnyObject, Sendable {
    /// Programmes at the root of their tree (no parent), newest first.
    func programmes(limit: Int) async throws -> [CaseState]
    /// The root and every programme or plan under it, oldest first; empty when `root` is not a programme.
    func programmeBranches(root: CaseID) async throws -> [CaseState]
    /// The tasks under a root (at any depth of plans) counted by lead unit, phase and due date (`TaskCount.tally` sums
    /// them with the overdue of a day).
    func programmeGroups(root: CaseID) async throws -> [TaskGroup]
    /// The tasks under a root that can be overdue (`TaskPhase.canBeOverdue`) due on or before `last`, earliest first, at
    /// most `limit`. `overdueTasks(root:asOf:limit:)` chooses `last` so that these are the overdue tasks of a day.
    func overdueTasks(root: CaseID, dueThrough last: CivilDate, limit: Int) async throws -> [TaskSummary]
    /// The tasks under a root, by parent then due date, at most `limit`.
    func programmeTasks(root: CaseID, limit: Int) async throws -> [TaskSummary]
}

extension ProgrammeQueries {
    /// The tasks under a root by lead unit and phase, with how many are overdue on `day`.
    public func programmeCounts(root: CaseID, asOf day: CivilDate) async throws -> [TaskCount] {
        TaskCount.tally(try await programmeGroups(root: root), asOf: day)
    }

    /// The first `limit` tasks under a root overdue on `day`, earliest due first.
    public func overdueTasks(root: CaseID, asOf day: CivilDate, limit: Int) async throws -> [TaskSummary] {
        try await overdueTasks(root: root, groups: programmeGroups(root: root), asOf: day, limit: limit)
    }

    private func overdueTasks(root: CaseID, groups: [TaskGroup], asOf day: CivilDate, limit: Int) async throws -> [TaskSummary] {
        guard limit > 0, let last = TaskGroup.overdueCutoff(groups, asOf: day, limit: limit) else { return [] }
        return try await overdueTasks(root: root, dueThrough: last, limit: limit)
    }

    /// The roll-up of a programme as of a day: counts by agency and phase, and the first `overdueLimit` overdue tasks —
    /// read up to the due date the counts say covers them.
    public func rollup(root: CaseID, asOf day: CivilDate, organization: Organization, overdueLimit: Int = 200) async throws -> ProgrammeRollup {
        let groups = try await programmeGroups(root: root)
        let overdue = try await overdueTasks(root: root, groups: groups, asOf: day, limit: overdueLimit)
        return ProgrammeRollup(
            counts: TaskCount.tally(groups, asOf: day), overdue: overdue, asOf: day, organization: organization)
    }
}

/// What the scheduled reminders read (issue 17); `ReminderPlanner` decides which of these are reminded and how.
public protocol ReminderQueries: AnyObject, Sendable {
    /// Open cases in a status their clock can run in (`ReminderSubject.runningStatuses`) due on or before `last`, earliest
    /// due first, at most `limit`.
    func reminderSubjects(dueBy last: CivilDate, limit: Int) async throws -> [ReminderSubject]
}

/// Which procedure a case list asks for: any, cases of the kind's own (no procedure), or one procedure's.
public enum ProcedureFilter: Sendable, Hashable {
    case any
    case none
    case code(String)
}

extension CaseQueries {
    /// The most recently changed cases, any status.
    public func cases(limit: Int) async throws -> [CaseState] { try await cases(limit: limit, status: nil) }
}

/// The findings projection: each finding as it stands after its last entry.
public protocol FindingQueries: AnyObject, Sendable {
    func findings(_ query: FindingQuery) async throws -> (findings: [StoredFinding], total: Int)
    /// Ids and versions (the ledger index of the last change) of the findings `findings(query)` gives, in the same order.
    func findingVersions(_ query: FindingQuery) async throws -> [(id: String, updatedIndex: Int64)]
    /// Findings by id (any order; unknown ids are left out).
    func findings(ids: [String]) async throws -> [StoredFinding]
    func finding(id: String) async throws -> StoredFinding?
    /// Findings per month (of the behaviour, Vietnam time) and detector, for officials of the given units (nil = all).
    func findingTrend(units: [UnitID]?, sinceMillis: Int64) async throws -> [(month: String, detector: String, count: Int)]
    /// Open findings per official (nil units = everywhere), most first.
    func findingCountsByOfficial(units: [UnitID]?, excludingDetectors: [String]) async throws -> [(
        official: OfficialID, unit: UnitID?, open: Int, total: Int
    )]
    /// Upheld findings per unit, detector and cause (nil units = everywhere), most first: where which causes are found.
    func findingCauses(units: [UnitID]?) async throws -> [FindingCauseCount]
}

/// Upheld findings of one unit and behaviour given one cause (`LedgerStore.findingCauses`).
public struct FindingCauseCount: Sendable, Hashable {
    public var unit: UnitID?
    public var detector: String
    public var cause: String
    public var count: Int

    public init(unit: UnitID?, detector: String, cause: String, count: Int) {
        self.unit = unit
        self.detector = detector
        self.cause = cause
        self.count = count
    }
}

/// What one page shows, read together. The defaults read one after another (a store with cheap reads needs nothing
/// more); SQLite reads each page in one read transaction, so the page sees one state of the database.
public protocol PageReads: CaseQueries, FindingQueries, LedgerEntries {
    /// A case page: the case, its entries and the findings of `findings`.
    func casePage(_ id: CaseID, findings: FindingQuery) async throws -> (state: CaseState?, history: [LedgerRecord], findings: [StoredFinding])
    /// An official's inbox and the findings of `findings` (ids and versions), with the full rows of those whose
    /// version differs from `known` (the versions the caller has already rendered, by finding id): a page that keeps
    /// rendered findings reads only the changed ones. `total` counts every finding the query matches, for the pager.
    func inboxPage(of official: OfficialID, findings: FindingQuery, known: [String: Int64]) async throws
        -> (inbox: [CaseState], versions: [(id: String, updatedIndex: Int64)], findings: [StoredFinding], total: Int)
}

extension PageReads {
    public func casePage(_ id: CaseID, findings: FindingQuery) async throws -> (state: CaseState?, history: [LedgerRecord], findings: [StoredFinding])
    {
        (try await caseState(id), try await history(of: id), try await self.findings(findings).findings)
    }

    public func inboxPage(of official: OfficialID, findings: FindingQuery, known: [String: Int64]) async throws
        -> (inbox: [CaseState], versions: [(id: String, updatedIndex: Int64)], findings: [StoredFinding], total: Int)
    {
        let versions = try await findingVersions(findings)
        let missing = Self.unknown(versions, known: known)
        var counting = findings
        counting.limit = 0
        counting.offset = 0
        return (
            try await inbox(of: official), versions, missing.isEmpty ? [] : try await self.findings(ids: missing),
            try await self.findings(counting).total
        )
    }

    /// The ids among `versions` not known at that version: those whose full rows a page still needs.
    static func unknown(_ versions: [(id: String, updatedIndex: Int64)], known: [String: Int64]) -> [String] {
        versions.filter { known[$0.id] != $0.updatedIndex }.map(\.id)
    }
}

/// Sealed personal data of applicants and denouncers, referred to from the ledger by ref and salted hash.
public protocol PersonalDataStore: AnyObject, Sendable {
    /// Opens a sealed record; nil if there is none, an error if it was erased.
    func personalData(ref: String) async throws -> PersonalData?
    /// Whether a sealed record still matches the salted hash its case carries on the ledger.
    func personalDataMatchesLedger(ref: String) async throws -> Bool
    /// Erases a record: ciphertext and salt go, so the hash on the ledger can no longer be linked to anyone.
    func erasePersonalData(ref: String, at time: Int64) async throws
}

/// Passwords, web sessions and API tokens (only hashes of tokens are kept).
public protocol AccessStore: AnyObject, Sendable {
    func setPasswordHash(_ hash: String, for official: OfficialID, at time: Int64) async throws
    /// Sets the same hash for many officials in one transaction (the demo's shared password).
    func setPasswordHash(_ hash: String, for officials: [OfficialID], at time: Int64) async throws
    func passwordHash(of official: OfficialID) async throws -> String?
    func createSession(token: String, official: OfficialID, csrf: String, now: Int64, expiresAt: Int64) async throws
    func session(token: String, now: Int64) async throws -> StoredSession?
    func deleteSession(token: String) async throws
    func createAPIToken(token: String, client: StoredAPIToken, now: Int64) async throws
    func apiToken(token: String) async throws -> StoredAPIToken?
    /// Revokes every live token of that name; how many were revoked.
    func revokeAPIToken(name: String, at time: Int64) async throws -> Int
    /// Discipline details (kỷ luật) were shown to someone other than the official concerned: kept, not only logged, so the
    /// official concerned can see who has read them (issue 18: restricted and logged).
    func recordDisciplineView(_ view: DisciplineView) async throws
    /// The showings of a finding's discipline details, oldest first.
    func disciplineViews(finding: String) async throws -> [DisciplineView]
}

/// One showing of a finding's discipline details: to whom, which decision's entry, when.
public struct DisciplineView: Sendable, Hashable {
    public var finding: String
    public var viewer: OfficialID
    public var entry: Int64
    public var at: Int64

    public init(finding: String, viewer: OfficialID, entry: Int64, at: Int64) {
        self.finding = finding
        self.viewer = viewer
        self.entry = entry
        self.at = at
    }
}

/// The demo's ground truth: which behaviours each generated case truly shows, kept beside its ledger (and copied with
/// it) so detectors can be scored against it. Only the demo seeder writes it and no production path reads it, hence
/// not part of `LedgerStore`; both stores conform.
public protocol DemoLabels: AnyObject, Sendable {
    func saveLabels(_ labels: [(CaseID, String)]) async throws
    func labels() async throws -> [(CaseID, String)]
}

extension FindingQueries {
    /// Findings per official, every detector counted.
    public func findingCountsByOfficial(units: [UnitID]?) async throws -> [(official: OfficialID, unit: UnitID?, open: Int, total: Int)] {
        try await findingCountsByOfficial(units: units, excludingDetectors: [])
    }
}
