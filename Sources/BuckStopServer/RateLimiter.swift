import Synchronization

/// Counts failures per key in a sliding window: the citizen's PIN is six digits, so guessing is stopped by
/// allowing only a few wrong tries per case code and per client address.
public final class RateLimiter: Sendable {
    let limit: Int
    let windowSeconds: Int64
    private let failures = Mutex<[String: [Int64]]>([:])

    public init(limit: Int, windowSeconds: Int) {
        self.limit = limit
        self.windowSeconds = Int64(windowSeconds)
    }

    /// Whether another attempt is allowed now.
    public func allows(_ key: String, now: Int64) -> Bool {
        failures.withLock { table in
            let recent = (table[key] ?? []).filter { $0 > now - windowSeconds }
            table[key] = recent.isEmpty ? nil : recent
            return recent.count < limit
        }
    }

    public func recordFailure(_ key: String, now: Int64) {
        failures.withLock { table in
            var recent = (table[key] ?? []).filter { $0 > now - windowSeconds }
            recent.append(now)
            table[key] = recent
            // Bounded memory under a flood of distinct keys: forget the stalest half.
            if table.count > 100_000 {
                for k in table.keys.prefix(50_000) { table[k] = nil }
            }
        }
    }

    /// Checks and counts an attempt in one step: concurrent tries cannot all pass the check before any is counted
    /// (40 simultaneous wrong passwords would otherwise each get a bcrypt check). `reset` forgives it on success.
    public func attempt(_ key: String, now: Int64) -> Bool {
        failures.withLock { table in
            var recent = (table[key] ?? []).filter { $0 > now - windowSeconds }
            guard recent.count < limit else {
                table[key] = recent
                return false
            }
            recent.append(now)
            table[key] = recent
            if table.count > 100_000 {
                for k in table.keys.prefix(50_000) where k != key { table[k] = nil }
            }
            return true
        }
    }

    public func reset(_ key: String) { failures.withLock { $0[key] = nil } }
}
