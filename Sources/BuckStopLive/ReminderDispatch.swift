import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Logging
import Synchronization

/// Sends the reminders of a day (issue 17): reads the open cases due up to the planner's horizon, plans them
/// (`ReminderPlanner`), publishes each on the event stream and hands it to the notification channel — each (case, kind,
/// owner) of a day once. `ReminderService` runs it on a schedule; the inbox plans the same reminders itself when it is
/// shown, so nothing is stored.
///
/// What was sent is remembered in memory, per process, for the current day only. That is enough: a reminder is a nudge,
/// not a record (the ledger and the inbox are), so a restart that sends a day's reminders a second time costs one more
/// message, and a second server over the same database sends its own copies the same way — neither loses one. Keeping
/// it in the database would need a table, that is a migration, for no gain in accountability.
public final class ReminderDispatch: Sendable {
    /// What one run did.
    public struct Run: Sendable, Equatable {
        /// The reminders of the day, as planned (sent before or now).
        public var planned: Int
        /// Published on the event stream by this run (not before).
        public var published: [Reminder]
        /// Handed to the channel by this run (not before).
        public var delivered: [Reminder]
        /// The channel refused these; the next run tries them again.
        public var failed: Int
    }

    private struct Key: Hashable {
        var caseID: CaseID
        var due: String
        var owner: OfficialID
    }

    private struct Sent {
        var day: CivilDate?
        var published: Set<Key> = []
        var delivered: Set<Key> = []
    }

    let store: any ReminderQueries
    let planner: ReminderPlanner
    let channel: any NotificationChannel
    let broadcaster: ReminderBroadcaster
    let logger: Logger
    /// The most cases one run reads (the earliest due first): a bound on one run's memory, far above a day's reminders.
    let limit: Int
    private let sent = Mutex(Sent())

    public init(
        store: any ReminderQueries, planner: ReminderPlanner, channel: any NotificationChannel, broadcaster: ReminderBroadcaster,
        logger: Logger, limit: Int = 100_000
    ) {
        self.store = store
        self.planner = planner
        self.channel = channel
        self.broadcaster = broadcaster
        self.logger = logger
        self.limit = limit
    }

    /// The dispatch of a live ledger: its store, rulebook, calendar and event stream.
    public convenience init(live: LiveLedger, channel: any NotificationChannel, logger: Logger) {
        self.init(
            store: live.store, planner: ReminderPlanner(rulebook: live.rulebook, calendar: live.calendar), channel: channel,
            broadcaster: live.reminders, logger: logger)
    }

    /// Plans `day`'s reminders and sends those not sent yet. Nothing on a day off: nobody is at work to act on a reminder,
    /// and the next working day's run has every one of them again.
    @discardableResult
    public func run(on day: CivilDate) async throws -> Run {
        guard planner.calendar.isWorkingDay(day) else { return Run(planned: 0, published: [], delivered: [], failed: 0) }
        let subjects = try await store.reminderSubjects(dueBy: planner.horizon(on: day), limit: limit)
        let reminders = planner.plan(subjects, on: day)
        let fresh: [(Reminder, Key)] = sent.withLock { sent in
            if sent.day != day { sent = Sent(day: day) }
            return reminders.map { ($0, Key(caseID: $0.caseID, due: $0.due.code, owner: $0.owner)) }
                .filter { !sent.delivered.contains($0.1) }
        }
        var run = Run(planned: reminders.count, published: [], delivered: [], failed: 0)
        for (reminder, key) in fresh {
            if sent.withLock({ $0.published.insert(key).inserted }) {
                broadcaster.publish(reminder)
                run.published.append(reminder)
            }
            do {
                try await channel.deliver(ReminderNotice(reminder))
                sent.withLock { _ = $0.delivered.insert(key) }
                run.delivered.append(reminder)
            } catch {
                run.failed += 1
                logger.warning("reminder not delivered", metadata: ["case": .string(reminder.caseID.rawValue), "error": .string("\(error)")])
            }
        }
        return run
    }
}
