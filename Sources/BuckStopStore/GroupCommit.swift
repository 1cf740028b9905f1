import Dispatch
import Synchronization

/// Group commit on one writer queue: callers queue their requests and wait; the queue writes everything pending in
/// one transaction, hands the batch to the sync (WAL `fdatasync`, on its own thread) and goes straight on with what
/// arrived meanwhile, so the next batch's work overlaps the previous batch's sync. Nobody is answered before their
/// sync, and the answers come from the sync's thread.
///
/// Why a queue here and a leader task (`LeaderBatch`) for PostgreSQL: SQLite's batch is blocking work — GRDB's
/// synchronous transaction and an `fdatasync` of the WAL — that must not run on a task of the cooperative pool or an
/// event loop, and is short: an earlier design that handed leadership from task to task paid two scheduling hops per
/// batch, and on a busy server those hops, not the disk or the transaction, set the pace of commits. A dispatch queue
/// runs the batch on a thread of its own with no hops.
/// PostgreSQL's batch is asynchronous network I/O (PostgresNIO): it needs a task to await the round trips, blocks no
/// thread while it waits, and a round trip plus the server's commit sync dwarfs the hops. The queue only runs while
/// there is something to write (it is started by the request that finds it idle), so there is no loop to stop at
/// shutdown.
final class GroupCommit<Request: Sendable, Response: Sendable>: Sendable {
    /// Writes a batch in one transaction (synchronously, on the writer queue); one response per request.
    typealias Flush = @Sendable ([Request]) -> [Response]
    /// Makes a committed batch durable, then calls `deliver` with the responses to give (failures if the sync failed).
    typealias Durable = @Sendable ([Response], _ deliver: @escaping @Sendable ([Response]) -> Void) -> Void

    /// Runs a closure where the waiting caller wants to resume (its connection's event loop, say).
    typealias Wake = ResumeCaller

    private struct Ticket: Sendable {
        let request: Request
        let continuation: CheckedContinuation<Response, Never>
        let wake: Wake?

        func answer(_ response: Response) {
            if let wake { wake { continuation.resume(returning: response) } } else { continuation.resume(returning: response) }
        }
    }

    private let pending = Mutex<(tickets: [Ticket], draining: Bool)>(([], false))
    private let writerQueue = DispatchQueue(label: "buckstop.group-commit", qos: .userInitiated)
    private let maxBatch: Int
    private let flush: Flush
    private let durable: Durable

    init(maxBatch: Int = 4096, flush: @escaping Flush, durable: @escaping Durable) {
        self.maxBatch = maxBatch
        self.flush = flush
        self.durable = durable
    }

    /// Queues a request and waits for its durable answer; with `wake`, the caller is resumed through it.
    func submit(_ request: Request, wake: Wake? = nil) async -> Response {
        await withCheckedContinuation { continuation in
            let start = pending.withLock { p -> Bool in
                p.tickets.append(Ticket(request: request, continuation: continuation, wake: wake))
                if p.draining { return false }
                p.draining = true
                return true
            }
            if start { writerQueue.async { self.drain() } }
        }
    }

    /// Runs a batch of its own on the writer queue, after whatever group commits are in progress (imports, the
    /// demo, findings raised by a survey): one transaction, one sync.
    func submitBatch(_ requests: [Request]) async -> [Response] {
        await withCheckedContinuation { continuation in
            writerQueue.async {
                let committed = self.flush(requests)
                self.durable(committed) { continuation.resume(returning: $0) }
            }
        }
    }

    private func drain() {
        while true {
            let batch = pending.withLock { p -> [Ticket] in
                let taken = Array(p.tickets.prefix(maxBatch))
                p.tickets.removeFirst(taken.count)
                if taken.isEmpty { p.draining = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            let committed = flush(batch.map(\.request))
            precondition(committed.count == batch.count, "flush must answer every request")
            durable(committed) { responses in
                for (ticket, response) in zip(batch, responses) { ticket.answer(response) }
            }
        }
    }
}
