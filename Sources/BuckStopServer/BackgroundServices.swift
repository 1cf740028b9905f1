import BuckStopCalendar
import BuckStopLive
import BuckStopStore
import Foundation
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
/// a signed tree head within that delay (what RFC 9162 calls the maximum merge delay), and submits the newest
/// checkpoint to the witnesses that have not cosigned it (`publisher`). Checkpoints are signed only here, on this
/// schedule — never because someone asked for a page.
public struct CheckpointService: Service {
    /// It only signs checkpoints.
    let store: any LedgerAppending
    let publisher: WitnessPublisher?
    let interval: Duration
    let logger: Logger

    public init(store: any LedgerAppending, publisher: WitnessPublisher? = nil, interval: Duration, logger: Logger) {
        self.store = store
        self.publisher = publisher
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await tick()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
        }
        // The last entries are covered (and witnessed, if the witnesses answer) before the process ends.
        await tick()
    }

    func tick() async {
        do { _ = try await store.checkpoint() } catch { logger.error("checkpoint failed", metadata: ["error": .string(String(describing: error))]) }
        do { try await publisher?.publishLatest() } catch {
            logger.error("witnessing failed", metadata: ["error": .string(String(describing: error))])
        }
    }
}

/// Sends the day's reminders (`ReminderDispatch`) at start and then every `interval`, until graceful shutdown. Each run
/// sends only what this process has not sent that day, so the interval sets how soon a case that comes within its lead
/// time (or a new owner) is reminded, not how often anyone is.
public struct ReminderService: Service {
    let dispatch: ReminderDispatch
    let interval: Duration
    let logger: Logger
    /// The day in Vietnam (due dates are its civil dates); a test gives its own.
    let today: @Sendable () -> CivilDate

    public init(
        dispatch: ReminderDispatch, interval: Duration, logger: Logger, today: @escaping @Sendable () -> CivilDate = { CivilDate(Date()) }
    ) {
        self.dispatch = dispatch
        self.interval = interval
        self.logger = logger
        self.today = today
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await tick()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }

    func tick() async {
        do {
            let run = try await dispatch.run(on: today())
            if !run.delivered.isEmpty || run.failed > 0 {
                logger.info(
                    "reminders sent",
                    metadata: ["planned": "\(run.planned)", "delivered": "\(run.delivered.count)", "failed": "\(run.failed)"])
            }
        } catch {
            logger.error("reminders failed", metadata: ["error": .string(String(describing: error))])
        }
    }
}

/// Ends the server-sent-event streams when shutdown begins, so the HTTP server can finish its open responses.
public struct EventStreamCloser: Service {
    let broadcaster: FindingBroadcaster
    let reminders: ReminderBroadcaster?

    public init(broadcaster: FindingBroadcaster, reminders: ReminderBroadcaster? = nil) {
        self.broadcaster = broadcaster
        self.reminders = reminders
    }

    public func run() async throws {
        try? await gracefulShutdown()
        broadcaster.finishAll()
        reminders?.finishAll()
    }
}
