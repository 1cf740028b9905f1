import BuckStopDetectors
import BuckStopDomain

/// Replays one case through the same folds as `buckstop analyze` and says which findings it shows now. The
/// relative judgements (transfers, stalling) use the peer limits of the last `PeerSurvey`.
public struct LiveDetector: Sendable {
    public let model: LiveModel
    public let limits: PeerLimits

    public init(model: LiveModel, limits: PeerLimits) {
        self.model = model
        self.limits = limits
    }

    /// The findings of a case as of `now` (milliseconds), evidence as ledger indices. The caller writes those whose
    /// id is not on the ledger yet.
    public func findings(caseID: CaseID, records: [(index: Int64, action: Action)], now: Int64) -> [FindingNotice] {
        findings(caseID: caseID, replay: LedgerTrace(caseIndex: 0, records: records, model: model), now: now)
    }

    /// The same, for a replay kept up to date entry by entry (built with this detector's `model`).
    public func findings(caseID: CaseID, replay: LedgerTrace, now: Int64) -> [FindingNotice] {
        guard !replay.trace.events.isEmpty else { return [] }
        var context = model.context(asOf: now)
        for (k, v) in replay.targetLists { context.targetLists[k] = v }
        let outcome = CaseFold.analyze(replay.trace, context: context)
        let all = outcome.findings + limits.findings(for: outcome, enabled: context.enabled)
        var seen: Set<String> = []
        var out: [FindingNotice] = []
        for f in all {
            let notice = FindingNotices.notice(
                f, caseID: caseID, ownerName: replay.name(f.owner, model: model), indices: replay.indices, model: model)
            if seen.insert(notice.id).inserted { out.append(notice) }
        }
        return out
    }
}
