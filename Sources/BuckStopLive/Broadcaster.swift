import BuckStopDomain
import BuckStopStore
import Synchronization

/// Fans events out to the open server-sent-event streams: new findings (`FindingBroadcaster`) and the day's reminders
/// (`ReminderBroadcaster`), one instance each, so a stream subscribes to what its client may read. A slow subscriber
/// loses the oldest events beyond its buffer rather than holding the append path (or the reminder run) back.
public final class Broadcaster<Element: Sendable>: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Element>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    public func subscribe() -> (id: Int, stream: AsyncStream<Element>) {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(256))
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    public func unsubscribe(_ id: Int) {
        let removed = subscribers.withLock { $0.removeValue(forKey: id) }
        removed?.finish()
    }

    public func publish(_ element: Element) {
        for c in subscribers.withLock({ Array($0.values) }) { c.yield(element) }
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

public typealias FindingBroadcaster = Broadcaster<StoredFinding>
public typealias ReminderBroadcaster = Broadcaster<Reminder>
