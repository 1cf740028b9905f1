import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Watches every database operation of a `PostgresStore` and gives up on the ones a dead database would keep waiting
/// forever: no connection leased while the database does not accept connections (the pool keeps retrying while
/// PostgreSQL is down; a TCP probe of the server tells "down" from "busy", so a slow lease on a loaded machine is not
/// mistaken for an outage); the leased connection closed under a query (PostgresNIO 1.33 has been seen never to
/// finish a query whose connection the server closed — the row stream is not failed); or the operation's deadline
/// passed (its connection is closed).
///
/// Why each operation runs in a task of its own: a task group would wait for a stuck child even after giving up on
/// it; an operation that may never finish must be left behind, so the caller waits on a continuation that either the
/// operation or this watch resumes, whichever comes first. The watch itself runs inside `PostgresStore.run()`.
final class OperationWatch: Sendable {
    private struct Entry {
        let started: ContinuousClock.Instant
        let deadline: Duration?
        let fail: @Sendable (StoreError) -> Void
        var connection: PostgresConnection?
        var task: Task<Void, Never>?
    }

    private let entries = Mutex<(next: UInt64, open: [UInt64: Entry], down: Bool)>((0, [:], false))
    /// A lease waited for this long makes the watch probe the server.
    let probeAfter: Duration
    /// A lease is given up after this long even when the server accepts connections (the pool is exhausted).
    let busyLimit: Duration
    /// While the database looks down (a probe failed or a connection closed, and nothing was leased since), a lease
    /// is waited for this long only: the requests queued behind a failed one fail fast too.
    let downLimit: Duration = .milliseconds(300)
    let interval: Duration
    let host: String
    let port: Int

    /// Where operations run (nil: wherever the global executor puts them).
    let executor: (any TaskExecutor)?

    init(
        host: String, port: Int, probeAfter: Duration, executor: (any TaskExecutor)? = nil, busyLimit: Duration = .seconds(60),
        interval: Duration = .milliseconds(200)
    ) {
        self.executor = executor
        self.host = host
        self.port = port
        self.probeAfter = probeAfter
        self.busyLimit = busyLimit
        self.interval = interval
    }

    /// Runs `operation` in its own task; the result arrives through `gate`, from the operation or from the watch.
    func start<T: Sendable>(
        deadline: Duration?, _ gate: Gate<T>,
        _ operation: @escaping @Sendable (_ leased: @escaping @Sendable (PostgresConnection) -> Void) async throws -> T
    ) {
        let id = entries.withLock { state in
            state.next += 1
            state.open[state.next] = Entry(started: .now, deadline: deadline, fail: { gate.fail($0) })
            return state.next
        }
        let task = Task(executorPreference: executor) {
            do {
                gate.succeed(try await operation { conn in self.leased(id, conn) })
            } catch {
                gate.fail(PostgresStore.storeError(error))
            }
            self.finish(id)
        }
        entries.withLock { state in state.open[id]?.task = task }
    }

    private func leased(_ id: UInt64, _ conn: PostgresConnection) {
        entries.withLock { state in
            state.open[id]?.connection = conn
            state.down = false
        }
    }

    /// Whether the database looked down at the last sweep and nothing has been leased since.
    var looksDown: Bool { entries.withLock { $0.down } }

    private func finish(_ id: UInt64) { _ = entries.withLock { $0.open.removeValue(forKey: id) } }

    /// Operations in flight (for tests and the operations page).
    var inFlight: Int { entries.withLock { $0.open.count } }

    /// Gives up on the operations that are stuck now; `reachable` is the last probe's answer (nil: none yet).
    func sweep(now: ContinuousClock.Instant = .now, reachable: Bool? = nil) {
        var tripped: [(Entry, StoreError, close: Bool)] = []
        entries.withLock { state in
            if let reachable { state.down = !reachable }
            let leaseLimit = state.down ? downLimit : busyLimit
            for (id, entry) in state.open {
                let waited = now - entry.started
                let verdict: (StoreError, Bool)?
                if let conn = entry.connection {
                    if conn.isClosed {
                        verdict = (.unavailable("the PostgreSQL connection closed during the operation"), false)
                    } else if let deadline = entry.deadline, waited >= deadline {
                        verdict = (.unavailable("PostgreSQL did not answer within \(deadline); the connection was closed"), true)
                    } else {
                        verdict = nil
                    }
                } else {
                    verdict =
                        waited >= leaseLimit
                        ? (
                            .unavailable(
                                state.down
                                    ? "PostgreSQL does not accept connections (\(host):\(port))" : "no PostgreSQL connection within \(leaseLimit)"),
                            false
                        )
                        : nil
                }
                if let (error, close) = verdict {
                    tripped.append((entry, error, close))
                    state.open[id] = nil
                    if entry.connection != nil, !close { state.down = true }
                }
            }
        }
        for (entry, error, close) in tripped {
            entry.fail(error)
            entry.task?.cancel()
            if close, let conn = entry.connection { conn.close().whenComplete { _ in } }
        }
    }

    /// Whether an operation has waited for a lease longer than `probeAfter`.
    func leaseOverdue(now: ContinuousClock.Instant = .now) -> Bool {
        entries.withLock { state in state.open.values.contains { $0.connection == nil && now - $0.started >= probeAfter } }
    }

    /// Sweeps every `interval` until cancelled, probing the server when a lease is overdue.
    func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            sweep(reachable: leaseOverdue() ? await probe() : nil)
        }
    }

    /// Whether the server accepts a TCP connection within a second (refused or silent: down).
    func probe() async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1))
                .connect(host: host, port: port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}

/// A continuation resumed once: by the operation or by the watch that gave up on it.
final class Gate<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

    func succeed(_ value: T) { take()?.resume(returning: value) }
    func fail(_ error: StoreError) { take()?.resume(throwing: error) }

    private func take() -> CheckedContinuation<T, any Error>? {
        continuation.withLock { c in
            defer { c = nil }
            return c
        }
    }
}
