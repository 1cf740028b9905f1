import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Logging
import Synchronization
import Testing

/// The reminders' way out: the log channel writes each notice as a line without a title, and the dispatch sends each
/// reminder of a day once, publishes it on the event stream once, retries what a channel refused, and sends nothing on a
/// day off. Dates as in `ReminderPlannerTests`: Monday 4 May 2026 follows the 30/4–1/5 break.
@Suite struct ReminderDispatchTests {
    static func date(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: 2026, month: month, day: day)! }
    static let monday = date(5, 4)

    /// The store part the dispatch reads, holding the cases given.
    final class Cases: ReminderQueries {
        let subjects: Mutex<[ReminderSubject]>
        let reads = Atomic<Int>(0)
        init(_ subjects: [ReminderSubject]) { self.subjects = Mutex(subjects) }
        func reminderSubjects(dueBy last: CivilDate, limit: Int) async throws -> [ReminderSubject] {
            reads.add(1, ordering: .relaxed)
            return Array(subjects.withLock { $0 }.filter { $0.dueDate <= last }.sorted { $0.dueDate < $1.dueDate }.prefix(limit))
        }
    }

    /// Records what it is handed; refuses everything while `refusing`.
    final class Recorder: NotificationChannel {
        let notices = Mutex<[ReminderNotice]>([])
        let refusing = Atomic<Bool>(false)
        func deliver(_ notice: ReminderNotice) async throws(NotificationError) {
            if refusing.load(ordering: .relaxed) { throw .undelivered(channel: "test", reason: "gateway down") }
            notices.withLock { $0.append(notice) }
        }
        var all: [ReminderNotice] { notices.withLock { $0 } }
    }

    final class Lines: Sendable {
        let lines = Mutex<[(Logger.Level, String, Logger.Metadata)]>([])
        var all: [(Logger.Level, String, Logger.Metadata)] { lines.withLock { $0 } }
    }

    struct Capture: LogHandler {
        let sink: Lines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.lines.withLock { $0.append((event.level, "\(event.message)", self.metadata.merging(event.metadata ?? [:]) { $1 })) }
        }
    }

    static func task(_ id: CaseID, due: CivilDate, owner: OfficialID = "cv-an", phase: TaskPhase = .inProgress) -> ReminderSubject {
        ReminderSubject(id: id, kind: .task, owner: owner, dueDate: due, status: .processing, taskPhase: phase)
    }

    static func dispatch(_ cases: Cases, _ channel: any NotificationChannel, broadcaster: ReminderBroadcaster = ReminderBroadcaster())
        throws -> ReminderDispatch
    {
        ReminderDispatch(
            store: cases, planner: ReminderPlanner(rulebook: try Defaults.rulebook(), calendar: try Defaults.workingCalendar()),
            channel: channel, broadcaster: broadcaster, logger: Logger(label: "test"))
    }

    @Test func theLogChannelWritesEachNoticeAsALineWithoutATitle() async throws {
        let lines = Lines()
        let channel = LogNotificationChannel(logger: Logger(label: "reminders") { _ in Capture(sink: lines) })
        let reminder = Reminder(
            caseID: "NV-7", kind: .task, owner: "cv-an", dueDate: Self.date(4, 29), due: .overdue(workingDaysLate: 1), day: Self.monday)
        try await channel.deliver(ReminderNotice(reminder))
        let logged = lines.all
        try #require(logged.count == 1)
        let (level, message, metadata) = logged[0]
        #expect(level == .notice && message == "reminder")
        #expect(metadata["case"] == "NV-7" && metadata["owner"] == "cv-an" && metadata["kind"] == "task")
        #expect(metadata["reminder"] == "overdue" && metadata["workingDays"] == "1" && metadata["due"] == "2026-04-29")
        #expect(metadata["day"] == "2026-05-04")
        #expect(metadata["message"] == "NV-7: Overdue by 1 working day (due 29/04/2026)")
        #expect(ReminderNotice(reminder).vietnamese == "NV-7: Quá hạn 1 ngày làm việc (hạn 29/04/2026)")
    }

    @Test func eachReminderOfADayIsSentOnce() async throws {
        let cases = Cases([
            Self.task("LATE", due: Self.date(4, 29)), Self.task("SOON", due: Self.date(5, 6), owner: "tp-hcbt"),
            Self.task("FAR", due: Self.date(5, 20)), Self.task("DONE", due: Self.date(4, 20), phase: .done),
        ])
        let channel = Recorder()
        let broadcaster = ReminderBroadcaster()
        let (_, stream) = broadcaster.subscribe()
        let dispatch = try Self.dispatch(cases, channel, broadcaster: broadcaster)

        let first = try await dispatch.run(on: Self.monday)
        #expect(first.planned == 2 && first.failed == 0)
        #expect(channel.all.map(\.reminder.caseID) == ["LATE", "SOON"])
        #expect(channel.all.map(\.reminder.due) == [.overdue(workingDaysLate: 1), .dueSoon(workingDaysLeft: 2)])
        #expect(channel.all.map(\.reminder.owner) == ["cv-an", "tp-hcbt"])

        let second = try await dispatch.run(on: Self.monday)
        #expect(second.planned == 2 && second.delivered.isEmpty && second.published.isEmpty, "no duplicate the same day")
        #expect(channel.all.count == 2)

        // A new case coming into the lead time is sent on its own.
        cases.subjects.withLock { $0.append(Self.task("NEW", due: Self.date(5, 5))) }
        #expect(try await dispatch.run(on: Self.monday).delivered.map(\.caseID) == ["NEW"])

        // The next working day, again (one more day late, one fewer left).
        let tuesday = try await dispatch.run(on: Self.date(5, 5))
        #expect(tuesday.delivered.map(\.caseID) == ["LATE", "NEW", "SOON"])
        #expect(tuesday.delivered.first?.due == .overdue(workingDaysLate: 2))

        broadcaster.finishAll()
        var streamed: [CaseID] = []
        for await r in stream { streamed.append(r.caseID) }
        #expect(streamed == ["LATE", "SOON", "NEW", "LATE", "NEW", "SOON"], "the event stream got each once a day")
    }

    @Test func nothingIsSentOnADayOff() async throws {
        let cases = Cases([Self.task("LATE", due: Self.date(4, 29))])
        let channel = Recorder()
        let dispatch = try Self.dispatch(cases, channel)
        for day in [Self.date(5, 1), Self.date(5, 2), Self.date(5, 3)] {
            #expect(try await dispatch.run(on: day).planned == 0, "\(day)")
        }
        #expect(channel.all.isEmpty && cases.reads.load(ordering: .relaxed) == 0)
    }

    @Test func aRefusedNoticeIsTriedAgainButPublishedOnce() async throws {
        let channel = Recorder()
        channel.refusing.store(true, ordering: .relaxed)
        let broadcaster = ReminderBroadcaster()
        let (_, stream) = broadcaster.subscribe()
        let dispatch = try Self.dispatch(Cases([Self.task("LATE", due: Self.date(4, 29))]), channel, broadcaster: broadcaster)
        let refused = try await dispatch.run(on: Self.monday)
        #expect(refused.failed == 1 && refused.delivered.isEmpty && refused.published.count == 1)
        channel.refusing.store(false, ordering: .relaxed)
        let retried = try await dispatch.run(on: Self.monday)
        #expect(retried.delivered.map(\.caseID) == ["LATE"] && retried.published.isEmpty)
        #expect(try await dispatch.run(on: Self.monday).delivered.isEmpty)
        broadcaster.finishAll()
        var streamed = 0
        for await _ in stream { streamed += 1 }
        #expect(streamed == 1)
    }
}
