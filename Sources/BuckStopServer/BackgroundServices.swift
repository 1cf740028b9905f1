import BuckStopStore
import Logging
import ServiceLifecycle

/// Runs the survey (cross-case detectors, findings time alone brings) at start and then on a schedule, until
/// graceful shutdown.
public struct SurveyService: Service {
    let live: LiveLedger
    let interval: Duration
    let logger: Logger

    public init(live: LiveLedger, interval: Duration, logger: Logger) {
        self.live = live
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                // A survey of a province takes minutes; shutdown does not wait for it (the next start runs it again).
                _ = try await cancelWhenGracefulShutdown { try await live.runSurvey() }
            } catch is CancellationError {
                return
            } catch {
                logger.error("survey failed", metadata: ["error": "\(error)"])
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }
}

/// Signs a checkpoint every few seconds when entries are not covered yet, so that any acknowledged action is under
/// a signed tree head within that delay (what RFC 9162 calls the maximum merge delay).
public struct CheckpointService: Service {
    let store: any LedgerStore
    let interval: Duration
    let logger: Logger

    public init(store: any LedgerStore, interval: Duration, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
            do { _ = try await store.checkpoint() } catch { logger.error("checkpoint failed", metadata: ["error": "\(error)"]) }
        }
        // The last entries are covered before the process ends.
        do { _ = try await store.checkpoint() } catch { logger.error("final checkpoint failed", metadata: ["error": "\(error)"]) }
    }
}

/// Ends the server-sent-event streams when shutdown begins, so the HTTP server can finish its open responses.
public struct EventStreamCloser: Service {
    let broadcaster: FindingBroadcaster

    public init(broadcaster: FindingBroadcaster) { self.broadcaster = broadcaster }

    public func run() async throws {
        try? await gracefulShutdown()
        broadcaster.finishAll()
    }
}
