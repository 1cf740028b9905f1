import Synchronization

/// Group commit without a background task: the first appender that finds no batch in flight becomes the leader and
/// flushes everything queued, on its own task; appenders arriving meanwhile queue up and wait. When the flush is
/// done the leader answers the followers of its batch and hands the lead to the first of the next queue (which then
/// flushes that queue), so every batch runs on the task of a caller that is waiting for it anyway.
final class LeaderCommit: Sendable {
    typealias Results = [Result<AppendReceipt, StoreError>]
    typealias Resume = @Sendable (@escaping @Sendable () -> Void) -> Void

    struct Ticket: Sendable {
        let id: UInt64
        let requests: [PreparedRequest]
        let continuation: CheckedContinuation<Wake, Never>?
        let wake: Resume?
    }

    enum Wake: Sendable {
        case done(Results)
        /// Flush these tickets (the woken caller's own among them).
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

    func submit(_ requests: [PreparedRequest], wake: Resume?, flush: ([PreparedRequest]) async -> Results) async -> Results {
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
                batch = [Ticket(id: id, requests: requests, continuation: nil, wake: nil)] + state.withLock { s in
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
            case .done(let results): return results
            case .retry: continue
            case .lead(let tickets):
                batch = tickets
            }
            break
        }
        while true {
            let results = await flush(batch.flatMap(\.requests))
            var mine: Results = []
            var offset = 0
            for ticket in batch {
                let part = Array(results[offset..<offset + ticket.requests.count])
                offset += ticket.requests.count
                if ticket.id == id {
                    mine = part
                } else if let continuation = ticket.continuation {
                    if let wake = ticket.wake { wake { continuation.resume(returning: .done(part)) } } else { continuation.resume(returning: .done(part)) }
                }
            }
            let next = state.withLock { s -> [Ticket] in
                if s.pending.isEmpty { s.leading = false }
                defer { s.pending = [] }
                return s.pending
            }
            // Hand the lead to the first waiting caller: it flushes the next batch on its own task.
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
