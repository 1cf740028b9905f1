import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
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

/// The live ledger: every append goes to the store, the case is then replayed through the detectors and the
/// findings it shows that are not on the ledger yet are appended — all before the caller gets its answer.
/// New findings are published to subscribers (server-sent events).
public final class LiveLedger: Sendable {
    public let store: SQLiteStore
    public let rulebook: Rulebook
    public let calendar: WorkingCalendar
    public let citizenKeys: CitizenKeys
    public let broadcaster = FindingBroadcaster()
    let logger: Logger
    private let detector: Mutex<LiveDetector>

    public init(store: SQLiteStore, rulebook: Rulebook, calendar: WorkingCalendar, citizenKeys: CitizenKeys, logger: Logger) throws {
        self.store = store
        self.rulebook = rulebook
        self.calendar = calendar
        self.citizenKeys = citizenKeys
        self.logger = logger
        let model = LiveModel(
            organization: try store.organization(), rulebook: rulebook, calendar: calendar, thresholds: Thresholds(rulebook: rulebook))
        detector = Mutex(LiveDetector(model: model, limits: PeerLimits(thresholds: model.thresholds)))
    }

    public var organization: Organization { detector.withLock { $0.model.organization } }

    public static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Appends an action on an existing case, then its findings. With `serverTime` the action's time was taken by
    /// this server when the request arrived; if a concurrent append on the same case committed a later time first,
    /// the time is moved up to the case's last action instead of refusing the request.
    public func append(_ action: Action, serverTime: Bool = false) async throws(StoreError) -> AppendOutcome {
        var action = action
        var attempts = 0
        let receipt: AppendReceipt
        while true {
            do {
                receipt = try await store.append(.action(action))
                break
            } catch .rejected(.invalidField(_, "at", let reason)) where serverTime && attempts < 5 {
                attempts += 1
                let last = (try? store.caseState(action.caseID))?.updatedAt ?? action.at
                action.at = max(Self.nowMillis(), last)
                logger.debug("append time moved up after a concurrent append", metadata: ["case": "\(action.caseID.rawValue)", "reason": "\(reason)"])
            }
        }
        let findings = await raiseFindings(for: receipt.caseID, state: receipt.state)
        return AppendOutcome(receipt: receipt, findings: findings, pin: nil)
    }

    /// Opens a case (the store allocates its code) and gives the citizen's PIN for it.
    public func open(_ open: OpenCase, actor: Actor, at: Int64, personalData: PersonalData?) async throws(StoreError) -> AppendOutcome {
        let receipt = try await store.append(.open(open, actor: actor, at: at, code: nil, personalData: personalData))
        let findings = await raiseFindings(for: receipt.caseID, state: receipt.state)
        return AppendOutcome(receipt: receipt, findings: findings, pin: citizenKeys.pin(for: receipt.caseID))
    }

    /// The due date the rulebook gives a case received now.
    public func dueDate(kind: CaseKind, procedure: String?, at: Date) -> (date: CivilDate, rule: DeadlineRule)? {
        rulebook.dueDate(for: kind, procedure: procedure, receivedAt: at, calendar: calendar)
    }

    /// Replays the case and appends the findings that are new. A failure here is logged, never thrown: the
    /// action itself is already acknowledged by the store, and the next survey raises what was missed.
    func raiseFindings(for caseID: CaseID, state: CaseState) async -> [StoredFinding] {
        do {
            let history = try store.history(of: caseID)
            let now = Self.nowMillis()
            let notices = detector.withLock { $0 }.findings(caseID: caseID, records: history.map { ($0.index, $0.action) }, now: now)
            guard !notices.isEmpty else { return [] }
            let onLedger = Set(history.compactMap { record -> String? in
                if case .raiseFinding(let f) = record.action.body { return f.id }
                return nil
            })
            let fresh = notices.filter { !onLedger.contains($0.id) }
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
            AppendRequest.action(Action(caseID: caseID, actor: .system("detector"), at: time, body: .raiseFinding(notice)))
        }
        var written: [StoredFinding] = []
        for (result, (_, notice)) in zip(await store.appendBatch(requests), notices) {
            switch result {
            case .success:
                if let stored = try store.finding(id: notice.id) { written.append(stored) }
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
        if let last = (try? store.caseState(action.caseID))?.updatedAt { action.at = max(action.at, last) }
        let receipt = try await store.append(.action(action))
        var id: String?
        switch action.body {
        case .explainFinding(let f, _), .reviewFinding(let f, _, _): id = f
        default: id = nil
        }
        do { return (receipt, try id.flatMap { try store.finding(id: $0) }) } catch { return (receipt, nil) }
    }

    /// Folds every case as of now: raises what time alone brought (idle cases, passed deadlines), the cross-case
    /// findings (transfers and stalling against peers, accumulation, overlapping leads), and freezes new peer
    /// limits for live replays.
    public func runSurvey(now: Int64 = LiveLedger.nowMillis()) async throws -> SurveyReport {
        let started = ContinuousClock.now
        let model = LiveModel(
            organization: try store.organization(), rulebook: rulebook, calendar: calendar, thresholds: Thresholds(rulebook: rulebook))
        var survey = PeerSurvey(model: model, now: now)
        var onLedger: Set<String> = []
        var lastTime: [CaseID: Int64] = [:]
        try store.forEachCase { caseID, records in
            for r in records {
                if case .raiseFinding(let f) = r.action.body { onLedger.insert(f.id) }
            }
            lastTime[caseID] = records.last?.action.at
            survey.add(caseID: caseID, records: records)
        }
        let result = survey.finish()
        detector.withLock { $0 = LiveDetector(model: model, limits: result.limits) }
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
