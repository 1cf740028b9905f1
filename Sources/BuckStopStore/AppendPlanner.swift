import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import Foundation

/// One agency's case codes for one day (Vietnam time): the sequence a new case's code is numbered in.
struct CodeSeries: Hashable, Sendable {
    let agency: String
    let day: CivilDate

    /// The series an opening without a code is numbered in; nil when its lead unit has no agency code (the planner
    /// then refuses the opening).
    init?(opening open: OpenCase, at: Int64, in org: Organization) {
        guard let agency = org.unit(open.leadUnit)?.code else { return nil }
        self.agency = agency
        self.day = CivilDate(Date(timeIntervalSince1970: Double(at) / 1000))
    }

    init(agency: String, day: CivilDate) {
        self.agency = agency
        self.day = day
    }
}

/// One ledger entry as a batch writes it.
struct PlannedEntry: Sendable {
    let index: Int64
    let caseID: CaseID
    let type: String
    let at: Int64
    let body: [UInt8]
    let leaf: TreeHash
}

/// A case projection as the batch leaves it: `previous` is the row as stored before the batch (nil when the batch
/// opened the case), so a store can write an INSERT or an UPDATE of only what changed.
struct CaseChange: Sendable {
    var previous: CaseState?
    var state: CaseState
    var lastIndex: Int64
}

/// Everything one batch writes, decided before anything is written. Both stores persist exactly this — SQLite with
/// cached statements, PostgreSQL in one statement — and nothing else: what the batch means is decided once, here.
struct AppendPlan: Sendable {
    var entries: [PlannedEntry] = []
    /// Complete subtrees the tree keeps (`DatabaseSubtrees.isStored`).
    var nodes: [(level: Int, index: Int64, hash: TreeHash)] = []
    var personalData: [(sealed: PersonalDataVault.Sealed, caseID: CaseID, at: Int64)] = []
    /// Search rows of the cases the batch opened (written after their projection rows).
    var search: [(caseID: CaseID, text: String)] = []
    var cases: [CaseID: CaseChange] = [:]
    /// Changes to the `finding` projection, in ledger order, with the index of the entry that made each.
    var findings: [(change: FindingTable.Change, index: Int64)] = []
    /// Whether the batch leaves enough entries uncovered that a checkpoint is due.
    var checkpointDue = false
}

/// The pure decision of an append batch, shared by both stores (the way `FindingTable.plan` is for findings): each
/// request is checked by the domain against its case as it stands — including earlier requests of the batch — then
/// given its index, canonical entry, leaf hash, tree nodes and projection rows. A refused request adds nothing to
/// the plan, so there is nothing to roll back; the batch's transaction only persists what the plan says.
///
/// What depends on the database is handed in before planning, read inside the store's transaction: the tree's
/// frontier, the cases and findings the batch refers to (`references`), and fresh code numbers for openings without a
/// code (`codeSeries`, allocated by the store's sequence table so that codes never repeat across writers).
struct AppendPlanner {
    let organization: Organization
    private(set) var frontier: MerkleFrontier
    /// Cases as stored before the batch (the writer's memory plus what the store read for this batch).
    private var stored: [CaseID: CaseState]
    private var findings: [String: StoredFinding]
    /// Allocated sequence numbers per series, in the order openings take them.
    private var codes: [CodeSeries: ArraySlice<Int>]
    /// Detection inside the transaction (live servers); nil for imports and stores without one.
    private let observation: (any BatchObservation)?
    private(set) var plan = AppendPlan()

    init(
        organization: Organization, frontier: MerkleFrontier, cases: [CaseID: CaseState], findings: [String: StoredFinding],
        codes: [CodeSeries: ClosedRange<Int>] = [:], observation: (any BatchObservation)? = nil
    ) {
        self.observation = observation
        self.organization = organization
        self.frontier = frontier
        self.stored = cases
        self.findings = findings
        self.codes = codes.mapValues { ArraySlice(Array($0)) }
    }

    // MARK: Before planning: what the store reads or allocates

    /// How many new codes each series needs: one per opening without a code that the domain accepts (a refused
    /// opening spends no code).
    static func codeSeries(_ requests: [PreparedRequest], organization: Organization) -> [CodeSeries: Int] {
        var counts: [CodeSeries: Int] = [:]
        for request in requests {
            guard case .open(let open, let actor, let at, nil, _, let via) = request.request,
                (try? CaseState(opening: Action(caseID: "(new)", actor: actor, at: at, body: .open(open), via: via), in: organization)) != nil,
                let series = CodeSeries(opening: open, at: at, in: organization)
            else { continue }
            counts[series, default: 0] += 1
        }
        return counts
    }

    /// The highest number per series among openings that bring their own code in the store's form (an import, the
    /// demo): the store raises its sequence to it before allocating, so a code it gives later is never one already taken
    /// (a 110 000-case demo once had a proposal refused as 'TKHE-261118-0001 already exists').
    static func codesGiven(_ requests: [PreparedRequest]) -> [CodeSeries: Int] {
        var highest: [CodeSeries: Int] = [:]
        for request in requests {
            guard case .open(_, _, _, let code?, _, _) = request.request, let parsed = CaseCode.parse(code) else { continue }
            let series = CodeSeries(agency: parsed.agencyCode, day: parsed.date)
            highest[series] = max(highest[series] ?? 0, parsed.sequence)
        }
        return highest
    }

    /// The cases and findings the requests refer to: actions' cases and findings, codes given to openings, and the
    /// codes just allocated (a case already under one is refused, not overwritten).
    static func references(
        _ requests: [PreparedRequest], codes: [CodeSeries: ClosedRange<Int>] = [:]
    ) -> (cases: Set<CaseID>, findings: Set<String>) {
        var cases = Set<CaseID>()
        var findings = Set<String>()
        for request in requests {
            switch request.request {
            case .action(let a):
                cases.insert(a.caseID)
                if let id = FindingTable.findingID(of: a) { findings.insert(id) }
            case .open(_, _, _, let code?, _, _):
                cases.insert(code)
            case .open, .stamped:
                break
            }
        }
        for (series, numbers) in codes {
            for n in numbers { cases.insert(CaseCode.make(agencyCode: series.agency, date: series.day, sequence: n)) }
        }
        return (cases, findings)
    }

    // MARK: Planning

    /// Plans every request in order; each is accepted or refused on its own.
    mutating func plan(_ requests: [PreparedRequest], checkpointInterval: Int, lastCheckpointSize: Int) -> [Result<AppendReceipt, StoreError>] {
        var results: [Result<AppendReceipt, StoreError>] = []
        results.reserveCapacity(requests.count)
        for request in requests {
            do {
                results.append(.success(try plan(request)))
            } catch let error as DomainError {
                results.append(.failure(.rejected(error)))
            } catch let error as StoreError {
                results.append(.failure(error))
            } catch {
                results.append(.failure(.database("append planning: \(error)")))
            }
        }
        plan.checkpointDue = frontier.size - lastCheckpointSize >= checkpointInterval
        return results
    }

    /// Checks one request and adds what it writes to the plan — with the findings the observer raises for it — or
    /// throws, adding nothing, when it is refused.
    mutating func plan(_ prepared: PreparedRequest) throws -> AppendReceipt {
        var receipt: AppendReceipt
        switch prepared.request {
        case .action(var action), .stamped(var action):
            guard let previous = state(action.caseID) else { throw StoreError.unknownCase(action.caseID) }
            var entry = prepared.entry
            if prepared.stampsTime, action.at < previous.updatedAt {
                // A later append on this case committed first: this one happened after it, as far as the ledger knows.
                action.at = previous.updatedAt
                entry = nil
            }
            receipt = try planAction(action, entry: entry, previous: previous)
            observe(&receipt, action: action)
        case .open(var open, let actor, let at, let code, _, let via):
            open.subject = prepared.sealed.map { SubjectRef(ref: $0.ref, hash: $0.hash) }
            // Checked before a code is spent on it.
            _ = try CaseState(opening: Action(caseID: code ?? "(new)", actor: actor, at: at, body: .open(open), via: via), in: organization)
            let caseID = try code ?? nextCode(for: open, at: at)
            if state(caseID) != nil { throw DomainError.caseAlreadyExists(caseID) }
            let action = Action(caseID: caseID, actor: actor, at: at, body: .open(open), via: via)
            let state = try CaseState(opening: action, in: organization)
            if let sealed = prepared.sealed { plan.personalData.append((sealed, caseID, at)) }
            receipt = record(action, entry: prepared.entry, state: state, previous: nil)
            plan.search.append(
                (caseID, SearchText.searchRow(code: caseID.rawValue, foldedTitle: prepared.foldedTitle ?? SearchText.fold(open.title))))
            observe(&receipt, action: action)
        }
        return receipt
    }

    /// The domain's and the finding workflow's checks, then the entry.
    private mutating func planAction(_ action: Action, entry: PreparedEntry?, previous: CaseState) throws -> AppendReceipt {
        var state = previous
        try state.apply(action, in: organization)
        let findingChange = try FindingTable.findingID(of: action).flatMap { id in
            try FindingTable.plan(action, index: Int64(frontier.size), observedAt: state.updatedAt, existing: findings[id], org: organization)
        }
        let receipt = record(action, entry: entry, state: state, previous: previous)
        if let findingChange { record(findingChange, index: receipt.index) }
        return receipt
    }

    /// Shows the entry to the observer and plans the findings it raises right after it. A finding already on the
    /// ledger (raised by an earlier request) is skipped; the observer sees each finding entry that is planned.
    private mutating func observe(_ receipt: inout AppendReceipt, action: Action) {
        guard let observation,
            let raised = observation.planned(LedgerRecord(index: receipt.index, action: action, leafHash: receipt.leafHash), state: receipt.state)
        else { return }
        receipt.observed = true
        for finding in raised {
            guard let current = state(finding.caseID),
                let planned = try? planAction(finding, entry: nil, previous: current)
            else { continue }
            if let last = plan.findings.last, last.index == planned.index, case .raise(let stored) = last.change {
                receipt.findings.append(stored)
            }
            _ = observation.planned(LedgerRecord(index: planned.index, action: finding, leafHash: planned.leafHash), state: planned.state)
        }
    }

    /// The case as the batch has left it so far.
    func state(_ id: CaseID) -> CaseState? { plan.cases[id]?.state ?? stored[id] }

    private mutating func nextCode(for open: OpenCase, at: Int64) throws -> CaseID {
        guard let series = CodeSeries(opening: open, at: at, in: organization) else { throw StoreError.unknownUnit(open.leadUnit) }
        guard let sequence = codes[series]?.popFirst() else {
            // `codeSeries` counts every opening this accepts; running short means the two disagree.
            throw StoreError.database("no case code allocated for agency \(series.agency) on \(series.day)")
        }
        return CaseCode.make(agencyCode: series.agency, date: series.day, sequence: sequence)
    }

    /// Gives the action the next index and adds its entry, tree nodes and projection row.
    private mutating func record(_ action: Action, entry: PreparedEntry?, state: CaseState, previous: CaseState?) -> AppendReceipt {
        let index = Int64(frontier.size)
        let body = (entry ?? LedgerEntryCodec.prepare(action)).bytes(index: index)
        let leaf = RFC9162.leafHash(body)
        plan.entries.append(PlannedEntry(index: index, caseID: action.caseID, type: action.body.type.rawValue, at: action.at, body: body, leaf: leaf))
        frontier.append(leafHash: leaf) { level, nodeIndex, hash in
            if DatabaseSubtrees.isStored(level: level) { plan.nodes.append((level, Int64(nodeIndex), hash)) }
        }
        let before = plan.cases[state.id].map(\.previous) ?? previous
        plan.cases[state.id] = CaseChange(previous: before, state: state, lastIndex: index)
        return AppendReceipt(index: index, caseID: action.caseID, leafHash: leaf, state: state, at: action.at)
    }

    /// Keeps the finding as the batch changed it, so that a later request of the batch sees the change.
    private mutating func record(_ change: FindingTable.Change, index: Int64) {
        plan.findings.append((change, index))
        switch change {
        case .raise(let f):
            findings[f.finding.id] = f
        case .explain(let id, let status, let response):
            findings[id]?.finding.status = status
            findings[id]?.finding.response = response
            findings[id]?.updatedIndex = index
        case .review(let id, let status, let reviewer, let note, let cause, let protectedBy):
            findings[id]?.finding.status = status
            findings[id]?.finding.cause = cause
            findings[id]?.finding.protectedBy = protectedBy
            findings[id]?.reviewer = reviewer
            findings[id]?.reviewNote = note
            findings[id]?.updatedIndex = index
        case .consequences(let id, let state):
            findings[id]?.finding.consequences = state
            findings[id]?.updatedIndex = index
        }
    }

    // MARK: After planning

    /// The writer's memory of cases for its next transaction: every case the batch touched stays (a closed case still
    /// gets notes, ratings, reopenings), and it never grows past `limit`.
    mutating func remembered(limit: Int = 50_000) -> [CaseID: CaseState] {
        var cases: [CaseID: CaseState] = [:]
        swap(&cases, &stored)  // moved, not copied
        if cases.count > limit { cases.removeAll(keepingCapacity: true) }
        for (id, change) in plan.cases { cases[id] = change.state }
        return cases
    }
}
