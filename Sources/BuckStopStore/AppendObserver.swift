import BuckStopDomain

/// Detection inside the writer's transaction, so that the findings an action raises are on the ledger in the same
/// commit as the action — one transaction and one sync, and no moment at which the action is visible without them.
/// The store knows nothing of detectors: BuckStopLive implements this, and the store calls it from the planner.
public protocol AppendObserver: Sendable {
    /// Starts one batch's observation at the writer's clock (`now`, milliseconds). What it learns is kept only if the
    /// batch commits (`BatchObservation.committed`): a failed batch leaves nothing behind.
    func beginBatch(now: Int64) -> any BatchObservation
}

/// One batch as the observer sees it, entry by entry in ledger order. Called on the writer, under its lock: quick,
/// and never touching the store.
public protocol BatchObservation: AnyObject, Sendable {
    /// An entry the batch plans, with its case as the entry leaves it. Returns the findings it raises — `raise_finding`
    /// actions, which the planner appends right after it in the same transaction (and shows to this method in turn) —
    /// or nil when the observer cannot tell from what it holds (the caller then detects after the commit).
    func planned(_ record: LedgerRecord, state: CaseState) -> [Action]?
    /// The batch committed.
    func committed()
}
