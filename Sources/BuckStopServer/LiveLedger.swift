import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
import BuckStopStore
import Foundation
import Logging
import NIOPosix
import Synchronization

/// What an accepted append returns once its findings are on the ledger too.
public struct AppendOutcome: Sendable {
    public var receipt: AppendReceipt
    /// Findings this append raised (new ids only), already stored and on the ledger.
    public var findings: [StoredFinding]
    /// The citizen's PIN of a case this append opened.
    public var pin: String?
}

/// The live ledger: every append goes to the store, the case is then replayed through the detectors and the
/// findings it shows that are not on the ledger yet are appended — all before the caller gets its answer.
/// New findings are published to subscribers (server-sent events).
public final class LiveLedger: Sendable {
    public let store: any LedgerStore
    public let rulebook: Rulebook
    public let calendar: WorkingCalendar
    public let citizenKeys: CitizenKeys
    /// What times and dates are accepted from outside (from the rulebook).
    public let bounds: InputBounds
    public let broadcaster = FindingBroadcaster()
    let logger: Logger
    /// The detector and its generation: replays kept in `replays` are valid only for the model they were built with.
    private let detector: Mutex<(live: LiveDetector, generation: Int)>
    private let replays = ReplayCache()

    public init(store: any LedgerStore, rulebook: Rulebook, calendar: WorkingCalendar, citizenKeys: CitizenKeys, logger: Logger) throws {
        self.store = store
        self.rulebook = rulebook
        self.calendar = calendar
        self.citizenKeys = citizenKeys
        self.logger = logger
        self.bounds = try InputBounds(rulebook: rulebook)
        let model = LiveModel(
            organization: try store.organization(), rulebook: rulebook, calendar: calendar, thresholds: try Thresholds(rulebook: rulebook))
        detector = Mutex((LiveDetector(model: model, limits: PeerLimits(thresholds: model.thresholds)), 0))
    }

    public var organization: Organization { detector.withLock { $0.live.model.organization } }
    /// Changes whenever the model (and so possibly the organisation's names) is rebuilt.
    public var modelGeneration: Int { detector.withLock { $0.generation } }

    public static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Appends an action on an existing case, then its findings. With `serverTime` the action's time was taken by
    /// this server when the request arrived; if a concurrent append on the same case committed a later time first,
    /// the time is moved up to the case's last action instead of refusing the request. Otherwise the time was given
    /// (an import) and must lie within `bounds`; the dates the action carries always must.
    public func append(_ action: Action, serverTime: Bool = false) async throws(StoreError) -> AppendOutcome {
        try await checkBounds(action, timeGiven: !serverTime)
        var action = action
        var attempts = 0
        let receipt: AppendReceipt
        while true {
            do {
                receipt = try await store.append(.action(action), resumeOn: Self.currentEventLoop())
                break
            } catch .rejected(.invalidField(_, "at", let reason)) where serverTime && attempts < 5 {
                attempts += 1
                let last = (try? await store.caseState(action.caseID))?.updatedAt ?? action.at
                action.at = max(Self.nowMillis(), last)
                logger.debug("append time moved up after a concurrent append", metadata: ["case": "\(action.caseID.rawValue)", "reason": "\(reason)"])
            }
        }
        let appended = LedgerRecord(index: receipt.index, action: action, leafHash: receipt.leafHash)
        let findings = await raiseFindings(for: receipt.caseID, state: receipt.state, appended: appended)
        return AppendOutcome(receipt: receipt, findings: findings, pin: nil)
    }

    /// The event loop this task runs on, as a way to resume there (nil off the event loops).
    static func currentEventLoop() -> (@Sendable (@escaping @Sendable () -> Void) -> Void)? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return { work in loop.execute(work) }
    }

    /// Opens a case (the store allocates its code) and gives the citizen's PIN for it. `timeGiven`: `at` came from
    /// outside (an import) rather than from this server's clock, and must lie within `bounds`.
    public func open(
        _ open: OpenCase, actor: Actor, at: Int64, timeGiven: Bool = false, personalData: PersonalData?, via: Credential
    ) async throws(StoreError) -> AppendOutcome {
        try await checkBounds(Action(caseID: "(new)", actor: actor, at: at, body: .open(open), via: via), timeGiven: timeGiven)
        let receipt = try await store.append(.open(open, actor: actor, at: at, code: nil, personalData: personalData, via: via))
        let findings = await raiseFindings(for: receipt.caseID, state: receipt.state)
        return AppendOutcome(receipt: receipt, findings: findings, pin: citizenKeys.pin(for: receipt.caseID))
    }

    /// Refuses a time or date out of `bounds` before anything is written; an extension is judged against its case.
    func checkBounds(_ action: Action, timeGiven: Bool) async throws(StoreError) {
        do {
            if timeGiven { try bounds.checkGivenTime(action.at, now: Self.nowMillis(), action: action.body.type.rawValue) }
            var state: CaseState?
            if case .extend = action.body { state = try? await store.caseState(action.caseID) }
            try bounds.checkDates(of: action.body, at: action.at, case: state, rulebook: rulebook, calendar: calendar)
        } catch {
            throw .rejected(error)
        }
    }

    /// The due date the rulebook gives a case received now.
    public func dueDate(kind: CaseKind, procedure: String?, at: Date) -> (date: CivilDate, rule: DeadlineRule)? {
        rulebook.dueDate(for: kind, procedure: procedure, receivedAt: at, calendar: calendar)
    }

    /// Replays the case and appends the findings that are new. A failure here is logged, never thrown: the
    /// action itself is already acknowledged by the store, and the next survey raises what was missed.
    /// The replay is kept between appends (`ReplayCache`): only the entries after the last one replayed are added.
    /// `appended`, when given, is the entry the caller just wrote: if the replay holds every entry of the case before
    /// it (the projection counts one more), it is folded without reading the ledger — a round trip saved per append.
    func raiseFindings(for caseID: CaseID, state: CaseState, appended: LedgerRecord? = nil) async -> [StoredFinding] {
        do {
            let now = Self.nowMillis()
            let detector = detector.withLock { $0 }
            var replay = replays.get(caseID, generation: detector.generation)
                ?? CaseReplay(trace: LedgerTrace(caseIndex: 0, model: detector.live.model), findingsOnLedger: [])
            // Only the entries the replay has not seen yet (usually just this append's).
            let unseen: [LedgerRecord]
            if let appended, appended.index > replay.trace.lastIndex, replay.entries + 1 == state.actionCount {
                unseen = [appended]
            } else {
                unseen = try await store.entries(of: caseID, after: replay.trace.lastIndex)
            }
            for record in unseen {
                if case .raiseFinding(let f) = record.action.body { replay.findingsOnLedger.insert(f.id) }
                replay.trace.add(index: record.index, action: record.action, model: detector.live.model)
                replay.entries += 1
            }
            let notices = detector.live.findings(caseID: caseID, replay: replay.trace, now: now)
            let fresh = notices.filter { !replay.findingsOnLedger.contains($0.id) }
            replays.put(caseID, replay, generation: detector.generation)
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

    /// The finding workflow: an explanation or a review, checked by the domain where the finding is stored.
    public func appendWorkflow(_ action: Action) async throws(StoreError) -> (receipt: AppendReceipt, finding: StoredFinding?) {
        var action = action
        if let last = (try? await store.caseState(action.caseID))?.updatedAt { action.at = max(action.at, last) }
        let receipt = try await store.append(.action(action))
        var id: String?
        switch action.body {
        case .explainFinding(let f, _), .reviewFinding(let f, _, _): id = f
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
        detector.withLock { $0 = (LiveDetector(model: model, limits: result.limits), $0.generation + 1) }
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
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// One case's replay as the live detector last left it, and the finding ids already on its ledger.
struct CaseReplay: Sendable {
    var trace: LedgerTrace
    var findingsOnLedger: Set<String>
    /// Entries folded so far: with the projection's action count it tells whether any entry is missing.
    var entries = 0
}

/// Replays of recently appended cases. A request extends a copy and puts it back; the arrays it extends are plain
/// values (events, indices), so the copy costs a memory copy, and concurrent appends on one case never wait for each
/// other nor start over. Bounded: past `limit` cases it starts over.
final class ReplayCache: Sendable {
    let limit: Int
    private let state = Mutex<(generation: Int, cases: [CaseID: CaseReplay])>((0, [:]))

    init(limit: Int = 20_000) { self.limit = limit }

    func get(_ id: CaseID, generation: Int) -> CaseReplay? {
        state.withLock { s in s.generation == generation ? s.cases[id] : nil }
    }

    func put(_ id: CaseID, _ replay: CaseReplay, generation: Int) {
        state.withLock { s in
            if s.generation != generation {
                // A newer model makes every kept replay stale; an older one makes this one stale.
                guard generation > s.generation else { return }
                s = (generation, [:])
            }
            if s.cases.count >= limit, s.cases[id] == nil { s.cases.removeAll(keepingCapacity: true) }
            if let held = s.cases[id], held.trace.lastIndex >= replay.trace.lastIndex { return }
            s.cases[id] = replay
        }
    }
}
