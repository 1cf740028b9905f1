import BuckStopDomain
import GRDB

/// Several reads that see one state of the database: a page's case, its history and its findings come from the
/// same snapshot, and cost one read transaction instead of one each (taking a reader from GRDB's pool and
/// BEGIN/COMMIT cost about as much as a small query).
public struct StoreSnapshot {
    let db: Database
    let histories: CaseHistoryCache

    public func caseState(_ id: CaseID) throws -> CaseState? { try CaseRow.fetch(db, id: id) }

    /// The case's entries in ledger order; decoded entries come from the history cache.
    public func history(of id: CaseID) throws -> [LedgerRecord] {
        let known = histories.prefix(of: id)
        let newer = try SQLiteStore.entries(db, of: id, after: known.last?.index ?? -1)
        guard !newer.isEmpty else { return known }
        let history = known + newer
        histories.store(history, for: id)
        return history
    }

    public func findings(_ query: FindingQuery) throws -> (findings: [StoredFinding], total: Int) { try FindingTable.list(db, query) }

    /// Ids and versions of the findings `findings(query)` gives, in the same order.
    public func findingVersions(_ query: FindingQuery) throws -> [(id: String, updatedIndex: Int64)] { try FindingTable.versions(db, query) }

    /// Findings by id (any order; unknown ids are left out).
    public func findings(ids: [String]) throws -> [StoredFinding] { try FindingTable.fetch(db, ids: ids) }

    public func inbox(of official: OfficialID) throws -> [CaseState] { try SQLiteStore.inbox(db, of: official) }
}

extension SQLiteStore {
    /// Runs `body` on one read transaction.
    public func snapshot<T>(_ body: (StoreSnapshot) throws -> T) throws -> T {
        try pool.read { db in try body(StoreSnapshot(db: db, histories: histories)) }
    }
}
