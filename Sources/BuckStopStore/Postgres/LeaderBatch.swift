import Synchronization

/// Batching without a background task, for group commit and for coalesced reads: the first caller that finds no
/// batch in flight becomes the leader and runs everything queued, on its own task; callers arriving meanwhile queue up
/// and wait. When the run is done the leader answers the followers of its batch and hands the lead to the first of
/// the next queue (which then runs that queue), so every batch runs on the task of a caller that is waiting for it
/// anyway. `run` must return one outcome per request, in order.
///
/// The PostgreSQL store's group commit and coalesced reads use it because their batches are awaited network round
/// trips: a task that waits for its own answer anyway is the natural place to await them, and the hand-off costs
/// little beside a round trip. The SQLite store's batches are blocking and short, and run on a dispatch queue instead
/// (`GroupCommit` says why).
final class LeaderBatch<Request: Sendable, Outcome: Sendable>: Sendable {
    typealias Resume = ResumeCaller

    struct Ticket: Sendable {
        let id: UInt64
        let requests: [Request]
        let continuation: CheckedContinuation<Wake, Never>?
        let wake: Resume?
    }

    enum Wake: Sendable {
        case done([Outcome])
        /// Run these tickets (the woken caller's own among them).
        case lead([Ticket])
        /// The leader finished before this caller queued: try again.
        case retry
    }

    private struct State {
        var pending: [Ticket] = []
        var leading = false
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Runs `requests` in the current or the next batch. `wake`, when given, is where a follower is resumed (the
    /// caller's event loop), instead of the leader's task.
    func submit(_ requests: [Request], wake: Resume?, run: ([Request]) async -> [Outcome]) async -> [Outcome] {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        var batch: [Ticket]
        while true {
            let lead = state.withLock { s in
                if s.leading { return false }
                s.leading = true
                return true
            }
            if lead {
                batch =
                    [Ticket(id: id, requests: requests, continuation: nil, wake: nil)]
                    + state.withLock { s in
                        defer { s.pending = [] }
                        return s.pending
                    }
                break
            }
            let woken = await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
                let queued = state.withLock { s in
                    guard s.leading else { return false }
                    s.pending.append(Ticket(id: id, requests: requests, continuation: continuation, wake: wake))
                    return true
                }
                if !queued { continuation.resume(returning: .retry) }
            }
            switch woken {
            case .done(let outcomes): return outcomes
            case .retry: continue
            case .lead(let tickets):
                batch = tickets
            }
            break
        }
        while true {
            let outcomes = await run(batch.flatMap(\.requests))
            precondition(outcomes.count == batch.reduce(0) { $0 + $1.requests.count }, "LeaderBatch: one outcome per request")
            var mine: [Outcome] = []
            var offset = 0
            for ticket in batch {
                let part = Array(outcomes[offset..<offset + ticket.requests.count])
                offset += ticket.requests.count
                if ticket.id == id {
                    mine = part
                } else if let continuation = ticket.continuation {
                    if let wake = ticket.wake {
                        wake { continuation.resume(returning: .done(part)) }
                    } else {
                        continuation.resume(returning: .done(part))
                    }
                }
            }
            let next = state.withLock { s -> [Ticket] in
                if s.pending.isEmpty { s.leading = false }
                defer { s.pending = [] }
                return s.pending
            }
            // Hand the lead to the first waiting caller: it runs the next batch on its own task.
            if let first = next.first, let continuation = first.continuation {
                continuation.resume(returning: .lead(next))
            } else if !next.isEmpty {
                batch = next
                continue
            }
            return mine
        }
    }
}
