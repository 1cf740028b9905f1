import BuckStopStore
import Synchronization

/// Fans new findings out to the open server-sent-event streams. A slow subscriber loses the oldest findings
/// beyond its buffer rather than holding the append path back.
public final class FindingBroadcaster: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<StoredFinding>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    public func subscribe() -> (id: Int, stream: AsyncStream<StoredFinding>) {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<StoredFinding>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    public func unsubscribe(_ id: Int) {
        let removed = subscribers.withLock { $0.removeValue(forKey: id) }
        removed?.finish()
    }

    public func publish(_ finding: StoredFinding) {
        for c in subscribers.withLock({ Array($0.values) }) { c.yield(finding) }
    }

    /// Ends every stream (graceful shutdown).
    public func finishAll() {
        for c in subscribers.withLock({ s in
            defer { s = [:] }
            return Array(s.values)
        }) { c.finish() }
    }

    public var count: Int { subscribers.withLock { $0.count } }
}
