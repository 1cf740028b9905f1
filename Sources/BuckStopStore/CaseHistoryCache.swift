import BuckStopDomain
import Synchronization

/// Decoded histories of recently read cases. Ledger entries never change and a case's new entries always take
/// larger indices (they are allocated under the write lock, in commit order), so a cached history stays a correct
/// prefix: a reader asks the database only for the entries after the last one it holds. That keeps the answer
/// exact even when another process appends to the same database, and turns the live detector's read after each
/// append from "decode the whole case" into "decode the one new entry".
final class CaseHistoryCache: Sendable {
    /// Bound on the records held (all cases together); past it the cache starts over, which costs one full read per
    /// case touched again — simpler and cheaper to keep than an LRU list on every hit.
    let recordLimit: Int
    private let state = Mutex<(cases: [CaseID: [LedgerRecord]], records: Int)>(([:], 0))

    init(recordLimit: Int = 400_000) {
        self.recordLimit = recordLimit
    }

    /// The cached prefix of a case's history (possibly empty).
    func prefix(of id: CaseID) -> [LedgerRecord] {
        state.withLock { $0.cases[id] ?? [] }
    }

    /// `known` (this cache's prefix) followed by the entries read after its last index, remembered for next time.
    func extend(_ id: CaseID, known: [LedgerRecord], with newer: [LedgerRecord]) -> [LedgerRecord] {
        guard !newer.isEmpty else { return known }
        let history = known + newer
        store(history, for: id)
        return history
    }

    /// Records what a reader now knows of a case. A shorter history than the one cached (a concurrent reader got
    /// further) is ignored.
    func store(_ history: [LedgerRecord], for id: CaseID) {
        state.withLock { s in
            let held = s.cases[id]?.count ?? 0
            guard history.count > held else { return }
            if s.records - held + history.count > recordLimit {
                s.cases.removeAll(keepingCapacity: true)
                s.records = 0
                guard history.count <= recordLimit else { return }
                s.cases[id] = history
                s.records = history.count
                return
            }
            s.cases[id] = history
            s.records += history.count - held
        }
    }
}
