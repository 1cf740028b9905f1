import BuckStopAPI
import Synchronization

/// Rendered pieces of pages that depend only on immutable or versioned data: a ledger entry's timeline row (entries
/// never change), a finding's block (keyed by the ledger index of its last change). The key also holds the page
/// language and the organisation's generation (names of officials and units), so a cached piece is always what
/// rendering it again would give. Bounded: past `limit` pieces it starts over.
final class FragmentCache<Key: Hashable & Sendable>: Sendable {
    let limit: Int
    private let pieces = Mutex<[Key: HTML]>([:])

    init(limit: Int) { self.limit = limit }

    func cached(_ key: Key) -> HTML? { pieces.withLock { $0[key] } }

    func html(_ key: Key, render: () -> HTML) -> HTML {
        if let hit = pieces.withLock({ $0[key] }) { return hit }
        let made = render()
        pieces.withLock { table in
            if table.count >= limit { table.removeAll(keepingCapacity: true) }
            table[key] = made
        }
        return made
    }
}

/// Per page (an official's inbox, say), the finding versions it showed last time: the candidates for what it can tell
/// the store it already has rendered (`PageReads.inboxPage(known:)`), so that only changed findings are read in full.
/// Bounded like the cache: past `limit` pages it starts over (a forgotten page reads its findings once more).
final class ShownVersions<Key: Hashable & Sendable>: Sendable {
    let limit: Int
    private let shown = Mutex<[Key: [String: Int64]]>([:])

    init(limit: Int) { self.limit = limit }

    func versions(_ key: Key) -> [String: Int64] { shown.withLock { $0[key] ?? [:] } }

    func remember(_ key: Key, _ versions: [(id: String, updatedIndex: Int64)]) {
        let latest = Dictionary(versions.map { ($0.id, $0.updatedIndex) }, uniquingKeysWith: { a, _ in a })
        shown.withLock { table in
            if table.count >= limit, table[key] == nil { table.removeAll(keepingCapacity: true) }
            table[key] = latest
        }
    }
}

/// A timeline row: one ledger entry, in one language, as the organisation named it.
struct TimelineRowKey: Hashable, Sendable {
    var index: Int64
    var language: Language
    var organization: Int
}

/// A finding's block as it stands after the ledger entry `updatedIndex`.
struct FindingBlockKey: Hashable, Sendable {
    var id: String
    var updatedIndex: Int64
    var language: Language
    var showCase: Bool
    var organization: Int
}
