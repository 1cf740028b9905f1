import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopStore
import Foundation
import Logging
import Synchronization

/// What an accepted append returns once its findings are on the ledger too.
public struct AppendOutcome: Sendable {
    public var receipt: AppendReceipt
    /// Findings this append raised (new ids only), already stored and on the ledger.
    public var findings: [StoredFinding]
    /// The citizen's PIN of a case this append opened.
    public var pin: String?
}

/// The live ledger, the one way an entry is written (server, CLI, seeder): every append goes to the store with
/// `LiveDetection` installed as its observer, so the case is replayed through the detectors inside the append's
/// transaction and the findings it shows are committed with it — before the caller gets its answer. New findings are
/// published to subscribers (server-sent events).
public final class LiveLedger: Sendable {
    public let store: any LedgerStore
    public let rulebook: Rulebook
    public let calendar: WorkingCalendar
    public let citizenKeys: CitizenKeys
    /// What times and dates are accepted from outside (from the rulebook).
    public let bounds: InputBounds
    public let broadcaster = FindingBroadcaster()
    /// The reminders `ReminderDispatch` sends, for the same event streams as the findings.
    public let reminders = ReminderBroadcaster()
    let logger: Logger
    /// The detectors, run inside every append transaction of `store`.
    let detection: LiveDetection
    /// What the last survey measured across all cases: the cases each official held and each detector's base rate.
    private let workload = Mutex<(handled: [OfficialID: Int], baseRate: BaseRate, goodWork: GoodWorkTally)>(
        ([:], BaseRate(cases: 0, flagged: [:], plausibleShare: 1), GoodWorkTally()))

    public init(store: any LedgerStore, rulebook: Rulebook, calendar: WorkingCalendar, citizenKeys: CitizenKeys, logger: Logger) throws {
        self.store = store
        self.rulebook = rulebook
        self.calendar = calendar
        self.citizenKeys = citizenKeys
        self.logger = logger
        self.bounds = try InputBounds(rulebook: rulebook)
        // A new database has no organisation until `installOrganization` (`org load`, the demo); the store refuses every
        // append until then, so an empty model judges nothing.
        let organization: Organization
        do { organization = try store.organization() } catch StoreError.noOrganization {
            organization = try Organization(units: [], officials: [], mandates: [])
        }
        let model = LiveModel(organization: organization, rulebook: rulebook, calendar: calendar, thresholds: try Thresholds(rulebook: rulebook))
        detection = LiveDetection(model: model)
        store.observeAppends(with: detection)
    }

    public var organization: Organization { detection.current.live.model.organization }
    /// Changes whenever the model (and so possibly the organisation's names) is rebuilt.
    public var modelGeneration: Int { detection.current.generation }
    /// Cases each official has held, as of the last survey: what rankings divide by (per 100 cases handled).
    public var casesHandled: [OfficialID: Int] { workload.withLock { $0.handled } }
    /// How many cases each detector flagged at the last survey: pages withhold an implausible detector from rankings
    /// and say why (the same check as `analyze`'s).
    public var baseRate: BaseRate { workload.withLock { $0.baseRate } }
    /// The good deeds on every case, by official, as of the last survey (`GoodDeed`): shown beside the findings.
    public var goodWork: GoodWorkTally { workload.withLock { $0.goodWork } }

    /// Where a waiting caller resumes (a server passes its connection's event loop); nil: wherever the commit ends.
    public typealias Wake = ResumeCaller

    public static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Appends an action on an existing case with the findings it raises. With `serverTime` the action's time was
    /// taken by this server when the request arrived, and the writer moves it up to the case's last action if a
    /// concurrent append on the same case committed a later time first (`AppendRequest.stamped`). Otherwise the time
    /// was given (an import) and must lie within `bounds`; the dates the action carries always must.
    public func append(_ action: Action, serverTime: Bool = false, resumeOn wake: Wake? = nil) async throws(StoreError) -> AppendOutcome {
        let action = try await resolvingReliance(await startingClock(action))
        try await checkBounds(action, timeGiven: !serverTime)
        try await checkIntake(action)
        try await checkComplaintStep(action)
        try await checkReport(action)
        try await checkInspectionStep(action)
        if case .markDuplicate(let other, _) = action.body { return try await appendDuplicate(action, of: other, serverTime: serverTime) }
        if case .actUnderProposal(let proposal, _, _) = action.body {
            return try await appendReliance(action, on: proposal, serverTime: serverTime)
        }
        await detection.warm(action.caseID, store: store)
        let receipt = try await store.append(serverTime ? .stamped(action) : .action(action), resumeOn: wake)
        var written = action
        written.at = receipt.at
        return AppendOutcome(receipt: receipt, findings: await findings(of: receipt, appended: written), pin: nil)
    }

    /// The findings an append raised: written in its transaction when the observer could judge it (the usual case),
    /// otherwise detected now and written in a transaction of their own.
    func findings(of receipt: AppendReceipt, appended action: Action) async -> [StoredFinding] {
        guard receipt.observed else {
            return await raiseFindings(
                for: receipt.caseID, state: receipt.state, appended: LedgerRecord(index: receipt.index, action: action, leafHash: receipt.leafHash))
        }
        for f in receipt.findings { broadcaster.publish(f) }
        return receipt.findings
    }

    /// Opens a case (the store allocates its code) and gives the citizen's PIN for it. `timeGiven`: `at` came from
    /// outside (an import) rather than from this server's clock, and must lie within `bounds`.
    public func open(
        _ open: OpenCase, actor: Actor, at: Int64, timeGiven: Bool = false, personalData: PersonalData?, via: Credential
    ) async throws(StoreError) -> AppendOutcome {
        try await checkBounds(Action(caseID: "(new)", actor: actor, at: at, body: .open(open), via: via), timeGiven: timeGiven)
        let open = try await namingDecider(open, at: at)
        try await checkParent(of: open)
        try checkInspectionScope(open)
        let receipt = try await store.append(.open(open, actor: actor, at: at, code: nil, personalData: personalData, via: via))
        let opening = Action(caseID: receipt.caseID, actor: actor, at: at, body: .open(open), via: via)
        return AppendOutcome(receipt: receipt, findings: await findings(of: receipt, appended: opening), pin: citizenKeys.pin(for: receipt.caseID))
    }

    /// An acceptance (thụ lý) of a case whose resolution clock the law starts on acceptance carries the due date the
    /// rulebook gives from that day, so the date is on the ledger with the act that started it and every reader — the
    /// citizen's page, the detectors, an export — sees the same one. A case that already has its due date (its clock
    /// started on receipt, or it was accepted before) gets none.
    ///
    /// A resumption after a suspension likewise carries the due date moved on by the time suspended
    /// (`Rulebook.dueDate(resuming:…)`).
    func startingClock(_ action: Action) async -> Action {
        let at = Date(timeIntervalSince1970: Double(action.at) / 1000)
        switch action.body {
        case .accept(let note, nil):
            guard let state = try? await store.caseState(action.caseID), state.dueDate == nil,
                let due = rulebook.dueDate(for: state.kind, procedure: state.procedure, acceptedAt: at, calendar: calendar)
            else { return action }
            var started = action
            started.body = .accept(note: note, dueDate: due.date)
            return started
        case .resume(let note, nil):
            guard let state = try? await store.caseState(action.caseID), let since = state.suspendedSince, let due = state.dueDate else {
                return action
            }
            var resumed = action
            resumed.body = .resume(
                note: note,
                newDueDate: rulebook.dueDate(
                    resuming: due, suspendedOn: CivilDate(Date(timeIntervalSince1970: Double(since) / 1000)), resumedOn: CivilDate(at),
                    kind: state.kind, procedure: state.procedure, calendar: calendar))
            return resumed
        default:
            return action
        }
    }

    /// A complaint or denunciation that says what it concerns is opened with the body whose head decides it, as the
    /// rulebook's competence row in force that day names it (`Rulebook.decidingBody(for:on:in:)`).
    func namingDecider(_ open: OpenCase, at: Int64) async throws(StoreError) -> OpenCase {
        guard open.concerning != nil else { return open }
        let org = detection.current.live.model.organization
        do {
            guard let named = try rulebook.decidingBody(for: open, on: CivilDate(Date(timeIntervalSince1970: Double(at) / 1000)), in: org)
            else { return open }
            var decided = open
            decided.decidingBody = named.body
            decided.competenceRuleID = named.rule.id
            return decided
        } catch {
            throw .rejected(error)
        }
    }

    /// Refuses a time or date out of `bounds` before anything is written; an extension is judged against its case.
    func checkBounds(_ action: Action, timeGiven: Bool) async throws(StoreError) {
        do {
            if timeGiven { try bounds.checkGivenTime(action.at, now: Self.nowMillis(), action: action.body.type.rawValue) }
            var state: CaseState?
            switch action.body {
            case .extend, .suspend: state = try? await store.caseState(action.caseID)
            default: break
            }
            try bounds.checkDates(of: action.body, at: action.at, case: state, rulebook: rulebook, calendar: calendar)
        } catch {
            throw .rejected(error)
        }
    }

    /// The due date the rulebook gives a case received now.
    public func dueDate(kind: CaseKind, procedure: String?, at: Date) -> (date: CivilDate, rule: DeadlineRule)? {
        rulebook.dueDate(for: kind, procedure: procedure, receivedAt: at, calendar: calendar)
    }

    /// The intake deadline the rulebook gives a case received now (accept a complaint, classify a denunciation…).
    public func intakeDeadline(kind: CaseKind, procedure: String?, at: Date) -> (date: CivilDate, rule: DeadlineRule)? {
        rulebook.intakeDeadline(for: kind, procedure: procedure, receivedAt: at, calendar: calendar)
    }

    /// Replays the case and appends the findings that are new. A failure here is logged, never thrown: the
    /// action itself is already acknowledged by the store, and the next survey raises what was missed.
    /// The replay is kept between appends (`ReplayCache`): only the entries after the last one replayed are added.
    /// `appended`, when given, is the entry the caller just wrote: if the replay holds every entry of the case before
    /// it (the projection counts one more), it is folded without reading the ledger — a round trip saved per append.
    func raiseFindings(for caseID: CaseID, state: CaseState, appended: LedgerRecord? = nil) async -> [StoredFinding] {
        do {
            let now = Self.nowMillis()
            let detector = detection.current
            var replay =
                detection.replays.get(caseID, generation: detector.generation)
                ?? CaseReplay(trace: LedgerTrace(caseIndex: 0, model: detector.live.model), findingsOnLedger: [])
            // Only the entries the replay has not seen yet (usually just this append's).
            let unseen: [LedgerRecord]
            if let appended, appended.index > replay.trace.lastIndex, replay.entries + 1 == state.actionCount {
                unseen = [appended]
            } else {
                unseen = try await store.entries(of: caseID, after: replay.trace.lastIndex)
            }
            for record in unseen { replay.fold(record, model: detector.live.model) }
            let notices = detector.live.findings(caseID: caseID, replay: replay.trace, now: now)
            let fresh = notices.filter { !replay.findingsOnLedger.contains($0.id) }
            detection.replays.put(caseID, replay, generation: detector.generation)
            guard !fresh.isEmpty else { return [] }
            return try await write(fresh.map { (caseID, $0) }, at: max(now, state.updatedAt))
        } catch {
            logger.error("live detection failed", metadata: ["case": "\(caseID.rawValue)", "error": "\(error)"])
            return []
        }
    }

    /// Writes finding entries; ids already on the ledger (a concurrent append raised them first) are skipped.
    func write(_ notices: [(CaseID, FindingNotice)], at time: Int64) async throws -> [StoredFinding] {
        guard !notices.isEmpty else { return [] }
        let requests = notices.map { caseID, notice in
            AppendRequest.action(Action(caseID: caseID, actor: .system("detector"), at: time, body: .raiseFinding(notice), via: .server))
        }
        var written: [StoredFinding] = []
        for (result, (_, notice)) in zip(await store.appendBatch(requests), notices) {
            switch result {
            case .success:
                if let stored = try await store.finding(id: notice.id) { written.append(stored) }
            case .failure(.findingExists):
                continue
            case .failure(let error):
                throw error
            }
        }
        for f in written { broadcaster.publish(f) }
        return written
    }

    /// Installs an organisation (`org load`, a restructuring, the demo): stored, and the detectors' model rebuilt on it so
    /// that the next append is judged against the new units, heads and mandates. Replays kept for the old model are
    /// stale from now on (a new generation); the peer limits stay until the next survey.
    public func installOrganization(_ organization: Organization) async throws {
        try await store.saveOrganization(organization)
        let current = detection.current.live
        let model = LiveModel(organization: organization, rulebook: rulebook, calendar: calendar, thresholds: current.model.thresholds)
        detection.replace(LiveDetector(model: model, limits: current.limits))
    }

    /// Appends a stretch of history (the demo's, an agency's past) in one transaction; each request succeeds or fails
    /// on its own. Its entries are not judged one by one as they land, at a "now" that is not theirs and against no
    /// peers: the survey (`runSurvey`, which the server runs at start and on its schedule) judges every case as of now
    /// and against its peers, as `analyze` judges an exported log.
    public func importHistory(_ requests: [AppendRequest]) async -> [Result<AppendReceipt, StoreError>] {
        detection.beginImport()
        defer { detection.endImport() }
        return await store.appendBatch(requests)
    }

    /// The finding workflow — an explanation, a review, a consequence, a remediation reported done — checked by the domain
    /// where the finding is stored.
    public func appendWorkflow(_ action: Action) async throws(StoreError) -> (receipt: AppendReceipt, finding: StoredFinding?) {
        // The domain wants a cause when a finding is upheld; the writer, which holds the rulebook, that it is a known one.
        if case .reviewFinding(_, _, _, let cause?, _) = action.body, rulebook.findingCause(cause) == nil {
            throw .rejected(
                .invalidField(
                    action: action.body.type.rawValue, field: "cause",
                    reason: .unknownCause(cause, known: rulebook.findingCauses.map(\.code))))
        }
        try await checkProtection(action)
        var action = action
        // A consequence names its measure; the kind and the legal basis written on the entry are the rulebook's.
        if case .decideConsequence(let decision) = action.body {
            do {
                action.body = .decideConsequence(try decision.resolved(by: rulebook.consequenceMeasures, action: action.body.type.rawValue))
            } catch {
                throw .rejected(error)
            }
        }
        let receipt = try await store.append(.stamped(action))
        var id: String?
        switch action.body {
        case .explainFinding(let f, _), .reviewFinding(let f, _, _, _, _), .completeRemediation(let f, _): id = f
        case .decideConsequence(let d): id = d.finding
        default: id = nil
        }
        guard let id else { return (receipt, nil) }
        return (receipt, try? await store.finding(id: id))
    }

    /// Folds every case as of now: raises what time alone brought (idle cases, passed deadlines), the cross-case
    /// findings (transfers and stalling against peers, accumulation, overlapping leads), and freezes new peer
    /// limits for live replays.
    public func runSurvey(now: Int64 = LiveLedger.nowMillis()) async throws -> SurveyReport {
        let started = ContinuousClock.now
        let model = LiveModel(
            organization: try store.organization(), rulebook: rulebook, calendar: calendar, thresholds: try Thresholds(rulebook: rulebook))
        // Minutes of CPU on a province's ledger: the store hands the cases over a page at a time and lets other tasks
        // (the requests', on the same event loops) run between pages.
        var survey = PeerSurvey(model: model, now: now)
        var onLedger: Set<String> = []
        var lastTime: [CaseID: Int64] = [:]
        try await store.forEachCase { caseID, records in
            for r in records {
                if case .raiseFinding(let f) = r.action.body { onLedger.insert(f.id) }
            }
            lastTime[caseID] = records.last?.action.at
            survey.add(caseID: caseID, records: records)
        }
        let result = survey.finish()
        detection.replace(LiveDetector(model: model, limits: result.limits))
        workload.withLock { $0 = (result.handled, result.baseRate, result.goodWork) }
        let fresh = result.notices.filter { !onLedger.contains($0.notice.id) }
        // One write per case time so an entry is never earlier than its case's last action.
        var raised = 0
        for chunk in stride(from: 0, to: fresh.count, by: 1000) {
            let part = Array(fresh[chunk..<min(fresh.count, chunk + 1000)])
            let latest = part.map { lastTime[$0.caseID] ?? now }.max() ?? now
            raised += try await write(part.map { ($0.caseID, $0.notice) }, at: max(now, latest)).count
        }
        let report = SurveyReport(
            at: now, cases: result.cases, findingsRaised: raised, seconds: (ContinuousClock.now - started).seconds)
        logger.info(
            "survey finished",
            metadata: ["cases": "\(report.cases)", "raised": "\(report.findingsRaised)", "seconds": "\(String(format: "%.2f", report.seconds))"])
        return report
    }
}

public struct SurveyReport: Sendable {
    public var at: Int64
    public var cases: Int
    public var findingsRaised: Int
    public var seconds: Double

    public init(at: Int64, cases: Int, findingsRaised: Int, seconds: Double) {
        self.at = at
        self.cases = cases
        self.findingsRaised = findingsRaised
        self.seconds = seconds
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
