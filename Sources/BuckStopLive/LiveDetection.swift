import BuckStopDetectors
import BuckStopDomain
import BuckStopStore
import Synchronization

/// The live detector as the store's `AppendObserver`: every action is replayed through the detectors inside its own
/// append transaction, and the findings it shows that are not on the ledger yet are written in that transaction, right
/// after it. Replays are kept between appends (`ReplayCache`), so an append folds one entry, not its case's history.
public final class LiveDetection: AppendObserver {
    /// The detector and its generation: replays kept in `replays` are valid only for the model they were built with.
    private let detector: Mutex<(live: LiveDetector, generation: Int)>
    let replays = ReplayCache()
    /// How many history imports are running (`LiveLedger.importHistory`): while any is, batches are not judged here.
    private let imports = Mutex<Int>(0)

    public init(model: LiveModel) {
        detector = Mutex((LiveDetector(model: model, limits: PeerLimits(thresholds: model.thresholds)), 0))
    }

    public var current: (live: LiveDetector, generation: Int) { detector.withLock { $0 } }

    /// Installs a new model and peer limits (after a survey); every kept replay is stale from now on.
    public func replace(_ live: LiveDetector) {
        detector.withLock { $0 = (live, $0.generation + 1) }
    }

    public func beginBatch(now: Int64) -> any BatchObservation {
        // A batch of history is judged by the survey, as of now and against peers, not entry by entry at the moment it
        // lands; a live append that shares the writer meanwhile is detected after its commit (`receipt.observed`).
        if imports.withLock({ $0 }) > 0 { return Unjudged() }
        let (live, generation) = current
        return BatchReplays(replays: replays, detector: live, generation: generation, now: now)
    }

    func beginImport() { imports.withLock { $0 += 1 } }
    func endImport() { imports.withLock { $0 -= 1 } }

    /// Makes sure the writer will find the case's replay: reads its entries only when none is kept. An append whose
    /// case is not warm is still written — its findings are then detected after the commit.
    func warm(_ caseID: CaseID, store: any LedgerEntries) async {
        let (live, generation) = current
        guard replays.get(caseID, generation: generation) == nil,
            let records = try? await store.entries(of: caseID, after: -1), !records.isEmpty
        else { return }
        var replay = CaseReplay(trace: LedgerTrace(caseIndex: 0, model: live.model), findingsOnLedger: [])
        for record in records { replay.fold(record, model: live.model) }
        replays.put(caseID, replay, generation: generation)
    }
}

/// One batch's replays: copies of the kept ones, extended entry by entry, put back only when the batch commits.
final class BatchReplays: BatchObservation {
    let replays: ReplayCache
    let detector: LiveDetector
    let generation: Int
    let now: Int64
    /// Touched by the writer only (one batch, one thread); the lock is uncontended.
    private let local = Mutex<[CaseID: CaseReplay]>([:])

    init(replays: ReplayCache, detector: LiveDetector, generation: Int, now: Int64) {
        self.replays = replays
        self.detector = detector
        self.generation = generation
        self.now = now
    }

    func planned(_ record: LedgerRecord, state: CaseState) -> [Action]? {
        let caseID = record.action.caseID
        return local.withLock { local -> [Action]? in
            var replay: CaseReplay
            if let kept = local[caseID] ?? replays.get(caseID, generation: generation) {
                replay = kept
            } else if state.actionCount == 1 {
                replay = CaseReplay(trace: LedgerTrace(caseIndex: 0, model: detector.model), findingsOnLedger: [])
            } else {
                return nil
            }
            // The replay must hold every entry of the case before this one, or what it shows is not the case.
            guard replay.entries + 1 == state.actionCount, record.index > replay.trace.lastIndex else { return nil }
            replay.fold(record, model: detector.model)
            local[caseID] = replay
            // Explaining or reviewing a finding is not a step of the handling: nothing to detect.
            guard !record.action.body.isRecordKeeping else { return [] }
            let at = max(now, state.updatedAt)
            return detector.findings(caseID: caseID, replay: replay.trace, now: now)
                .filter { !replay.findingsOnLedger.contains($0.id) }
                .map { Action(caseID: caseID, actor: .system("detector"), at: at, body: .raiseFinding($0), via: .server) }
        }
    }

    func committed() {
        for (caseID, replay) in local.withLock({ $0 }) { replays.put(caseID, replay, generation: generation) }
    }
}

/// A batch the observer does not judge: every entry is left to whoever detects after the commit.
final class Unjudged: BatchObservation {
    func planned(_ record: LedgerRecord, state: CaseState) -> [Action]? { nil }
    func committed() {}
}

/// One case's replay as the live detector last left it, and the finding ids already on its ledger.
struct CaseReplay: Sendable {
    var trace: LedgerTrace
    var findingsOnLedger: Set<String>
    /// Entries folded so far: with the projection's action count it tells whether any entry is missing.
    var entries = 0

    mutating func fold(_ record: LedgerRecord, model: LiveModel) {
        if case .raiseFinding(let f) = record.action.body { findingsOnLedger.insert(f.id) }
        trace.add(index: record.index, action: record.action, model: model)
        entries += 1
    }
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
