import BuckStopStore
import Synchronization

/// Recently checked session and bearer tokens, so that a page or an append does not read the database to know who
/// is calling. An answer is reused for at most `ttlSeconds`: a session ended or a token revoked by another process
/// (`buckstop token revoke`, a second server) stops working within that time; one ended here (logout) stops at once.
/// Unknown tokens are not remembered, so a flood of guesses cannot fill the cache.
final class CredentialCache: Sendable {
    let ttlMillis: Int64
    let limit: Int
    private struct Entry: Sendable {
        var session: StoredSession?
        var apiToken: StoredAPIToken?
        var checkedAt: Int64
    }
    private let entries = Mutex<[String: Entry]>([:])

    init(ttlSeconds: Double = 2, limit: Int = 50_000) {
        self.ttlMillis = Int64(ttlSeconds * 1000)
        self.limit = limit
    }

    /// The session of a token, from the cache while fresh, else from `load` (nil: no such live session).
    func session(_ token: String, nowMillis: Int64, load: () async throws -> StoredSession?) async rethrows -> StoredSession? {
        if let hit = entries.withLock({ $0[token] }), nowMillis - hit.checkedAt < ttlMillis, let session = hit.session {
            return session.expiresAt > nowMillis / 1000 ? session : nil
        }
        let loaded = try await load()
        remember(token, Entry(session: loaded, apiToken: nil, checkedAt: nowMillis), keep: loaded != nil)
        return loaded
    }

    func apiToken(_ token: String, nowMillis: Int64, load: () async throws -> StoredAPIToken?) async rethrows -> StoredAPIToken? {
        if let hit = entries.withLock({ $0[token] }), nowMillis - hit.checkedAt < ttlMillis, let client = hit.apiToken {
            return client
        }
        let loaded = try await load()
        remember(token, Entry(session: nil, apiToken: loaded, checkedAt: nowMillis), keep: loaded != nil)
        return loaded
    }

    /// Forgets a token at once (logout).
    func forget(_ token: String) { _ = entries.withLock { $0.removeValue(forKey: token) } }

    private func remember(_ token: String, _ entry: Entry, keep: Bool) {
        entries.withLock { table in
            guard keep else {
                table[token] = nil
                return
            }
            if table.count >= limit { table.removeAll(keepingCapacity: true) }
            table[token] = entry
        }
    }
}
