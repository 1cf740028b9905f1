import NIOCore
import NIOPosix

/// The event loop of this process's PostgreSQL connections, and a task executor on it.
///
/// Why a loop of its own: a transaction holds `ledger_head`'s row lock from its `SELECT … FOR UPDATE` to its COMMIT,
/// and every other writer — in this process and in the other servers — waits for it. On the HTTP event loops each step
/// of that transaction (a query's answer arriving, the batch being checked, the next query being sent) queued behind
/// request parsing, rendering and live detection, and the lock was held mostly while waiting for its turn. Running
/// the store's operations on a loop that does nothing else keeps each step's wait short.
public final class DatabaseLoop: TaskExecutor {
    public let group: MultiThreadedEventLoopGroup
    let loop: any EventLoop

    /// One per process, like NIO's own singletons: it lives as long as the process.
    public static let shared = DatabaseLoop()

    private init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
