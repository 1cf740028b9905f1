import BuckStopCalendar
import BuckStopDomain
import BuckStopReport
import BuckStopStore
import Synchronization

/// The QĐ 766 index for the pages and the API: the dossiers' digests are read from the ledger once per store and ledger
/// size (any append changes the size, so kept digests are always what reading again would give), and the index of any
/// period and unit is computed from them by the report's own `PeriodReport.ServiceIndex` — the same figures as
/// `buckstop report`'s tables 5–6.
struct ServiceIndexSource {
    let state: ServerState

    func index(_ scope: ReportScope) async throws -> PeriodReport.ServiceIndex {
        let digests = try await DossierDigestCache.shared.digests(store: state.store)
        return PeriodReport.ServiceIndex(digests: digests, scope: scope, groups: state.live.rulebook.serviceIndex, organization: state.organization)
    }
}

/// The last ledger's dossier digests, per store: one entry, since a server serves one store and the digests of an older
/// size are never asked for again.
final class DossierDigestCache: Sendable {
    struct Key: Hashable, Sendable {
        var store: ObjectIdentifier
        var ledger: Int64
    }

    static let shared = DossierDigestCache()
    private let kept = Mutex<(key: Key, digests: [CaseDigest])?>(nil)

    func digests(store: any LedgerStore) async throws -> [CaseDigest] {
        let key = Key(store: ObjectIdentifier(store as AnyObject), ledger: try await store.ledgerSize())
        if let hit = kept.withLock({ $0?.key == key ? $0?.digests : nil }) { return hit }
        let digests = try await LedgerReport.dossierDigests(store: store)
        kept.withLock { $0 = (key, digests) }
        return digests
    }
}
