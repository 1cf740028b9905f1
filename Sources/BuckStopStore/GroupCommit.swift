import Synchronization

/// Leader/follower group commit: concurrent callers queue their requests; one of them (the
/// leader) writes everything queued in one transaction, hands leadership to the next waiting
/// request, then makes its batch durable (one sync) and hands the results back. The next batch's
/// work thus overlaps the previous batch's sync, and nobody is answered before their sync.
/// No background task: the work is done by the callers themselves, so shutdown has nothing to stop.
final class GroupCommit<Request: Sendable, Response: Sendable>: Sendable {
    typealias Flush = @Sendable ([Request]) async -> [Response]
    /// Makes a committed batch durable, then calls `deliver` with the responses to give (failures if the sync
    /// failed). Called back rather than awaited so that the waiters are woken from the sync's thread.
    typealias Durable = @Sendable ([Response], _ deliver: @escaping @Sendable ([Response]) -> Void) -> Void

    private enum Signal: Sendable {
        case lead
        case done(Response)
    }

    /// A mailbox of signals for one caller; signals may arrive before the caller waits.
    private final class Mailbox: Sendable {
        private let state = Mutex<(buffer: [Signal], waiter: CheckedContinuation<Signal, Never>?)>(([], nil))

        func post(_ signal: Signal) {
            let waiter = state.withLock { s -> CheckedContinuation<Signal, Never>? in
                if let w = s.waiter {
                    s.waiter = nil
                    return w
                }
                s.buffer.append(signal)
                return nil
            }
            waiter?.resume(returning: signal)
        }

        func next() async -> Signal {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { s -> Signal? in
                    if !s.buffer.isEmpty { return s.buffer.removeFirst() }
                    s.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    private struct Ticket: Sendable {
        let request: Request
        let mailbox: Mailbox
    }

    private let queue = Mutex<(tickets: [Ticket], leaderActive: Bool)>(([], false))
    private let maxBatch: Int
    private let flush: Flush
    private let durable: Durable

    init(maxBatch: Int = 4096, flush: @escaping Flush, durable: @escaping Durable) {
        self.maxBatch = maxBatch
        self.flush = flush
        self.durable = durable
    }

    func submit(_ request: Request) async -> Response {
        let mailbox = Mailbox()
        let leads = queue.withLock { q -> Bool in
            q.tickets.append(Ticket(request: request, mailbox: mailbox))
            if q.leaderActive { return false }
            q.leaderActive = true
            return true
        }
        var signal: Signal = leads ? .lead : await mailbox.next()
        while true {
            switch signal {
            case .done(let response):
                return response
            case .lead:
                let batch = queue.withLock { q -> [Ticket] in
                    let taken = Array(q.tickets.prefix(maxBatch))
                    q.tickets.removeFirst(taken.count)
                    return taken
                }
                let committed = await flush(batch.map(\.request))
                precondition(committed.count == batch.count, "flush must answer every request")
                queue.withLock { q in
                    if let next = q.tickets.first { next.mailbox.post(.lead) } else { q.leaderActive = false }
                }
                durable(committed) { responses in
                    for (ticket, response) in zip(batch, responses) { ticket.mailbox.post(.done(response)) }
                }
                signal = await mailbox.next()
            }
        }
    }
}
