import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import BuckStopServer

/// Reminders in the server (issue 17): the scheduled service sends the day's reminders once through the channel and on
/// the event stream (to a token that may read cases), and the owner's inbox says them in words.
@Suite struct ReminderServerTests {
    final class Recorder: NotificationChannel {
        let notices = Mutex<[ReminderNotice]>([])
        func deliver(_ notice: ReminderNotice) async throws(NotificationError) { notices.withLock { $0.append(notice) } }
        var all: [ReminderNotice] { notices.withLock { $0 } }
    }

    /// Tasks held by cv-an: one overdue, one due in two working days, one far off, one done though past due; and a dossier
    /// of cv-binh's overdue.
    static func seed(_ fixture: ServerFixture, day: CivilDate) async throws -> (late: CivilDate, soon: CivilDate) {
        let calendar = fixture.state.live.calendar
        var at = LiveLedger.nowMillis() - 3_600_000
        func next() -> Int64 {
            at += 1000
            return at
        }
        func open(_ code: CaseID, kind: CaseKind = .task, owner: OfficialID = "cv-an", due: CivilDate) async throws {
            let open =
                kind == .task
                ? OpenCase(kind: .task, title: "Nhiệm vụ \(code.rawValue)", leadUnit: "stp-hcbt", owner: owner, dueDate: due, product: "Báo cáo")
                : OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ \(code.rawValue)", leadUnit: "stp", owner: owner, dueDate: due)
            _ = try await fixture.store.append(
                .open(open, actor: .official(owner), at: next(), code: code, personalData: nil, via: .generated("test")))
        }
        let late = day.adding(days: -10)
        let soon = calendar.addingWorkingDays(2, to: day)
        try await open("NV-LATE", due: late)
        try await open("NV-SOON", due: soon)
        try await open("NV-FAR", due: calendar.addingWorkingDays(10, to: day))
        try await open("NV-DONE", due: late)
        _ = try await fixture.store.append(.action(SampleCity.act("NV-DONE", by: "cv-an", at: next(), .resolve(result: "Đã gửi báo cáo"))))
        try await open("STP-251120-0009", kind: .dossier, owner: "cv-binh", due: late)
        return (late, soon)
    }

    @Test func theServiceSendsEachReminderOnceADay() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let calendar = fixture.state.live.calendar
        let day = calendar.nextWorkingDay(onOrAfter: CivilDate(Date()))
        let (late, _) = try await Self.seed(fixture, day: day)
        let channel = Recorder()
        let service = ReminderService(
            dispatch: ReminderDispatch(live: fixture.state.live, channel: channel, logger: Logger(label: "test")), interval: .seconds(60),
            logger: Logger(label: "test"), today: { day })
        await service.tick()
        let sent = channel.all.map(\.reminder)
        #expect(sent.map(\.caseID) == ["NV-LATE", "STP-251120-0009", "NV-SOON"], "the most late first (ties by code), then the nearest due")
        let overdue = try #require(sent.first { $0.caseID == "NV-LATE" })
        #expect(overdue.due == .overdue(workingDaysLate: calendar.workingDays(from: late, to: day)) && overdue.owner == "cv-an")
        #expect(sent.first { $0.caseID == "STP-251120-0009" }?.owner == "cv-binh")
        #expect(sent.first { $0.caseID == "NV-SOON" }?.due == .dueSoon(workingDaysLeft: 2))
        await service.tick()
        #expect(channel.all.count == 3, "the second run of the day sends nothing again")
    }

    @Test func theIntervalIsASettingReadOnce() throws {
        var configuration = ServerConfiguration()
        #expect(configuration.reminderSeconds == 900)
        try configuration.apply(environment: ["BUCKSTOP_REMINDER_SECONDS": "60"])
        #expect(configuration.reminderSeconds == 60)
        #expect(throws: ServerConfiguration.Problem.self) { try configuration.set("reminder_seconds", "0", source: "test") }
        #expect(configuration.reminderSeconds == 60)
    }

    @Test func remindersGoOnTheEventStreamToATokenThatReadsCases() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let day = live.calendar.nextWorkingDay(onOrAfter: CivilDate(Date()))
        let (_, soon) = try await Self.seed(fixture, day: day)
        try await fixture.test { client in
            async let all = client.execute(uri: "/api/v1/events", method: .get, headers: [.authorization: "Bearer " + fixture.tokens["all"]!])
            async let findingsOnly = client.execute(
                uri: "/api/v1/events", method: .get, headers: [.authorization: "Bearer " + fixture.tokens["findings"]!])
            for _ in 0..<200 where live.broadcaster.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(live.broadcaster.count == 2 && live.reminders.count == 1, "only the token with cases:read hears reminders")
            try await ReminderDispatch(live: live, channel: Recorder(), logger: Logger(label: "test")).run(on: day)
            // Let the stream write what it was handed before it is ended.
            try await Task.sleep(for: .milliseconds(500))
            live.broadcaster.finishAll()
            let text = String(buffer: try await all.body)
            let data = try #require(text.split(separator: "\n").first { $0.hasPrefix("data: ") && $0.contains("NV-SOON") })
            #expect(text.contains("event: reminder\ndata: "))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any])
            #expect(json["reminder"] as? String == "due_soon" && json["workingDays"] as? Int == 2 && json["owner"] as? String == "cv-an")
            #expect(json["dueDate"] as? String == soon.description && json["kind"] as? String == "task")
            #expect(json["message"] as? String == "NV-SOON: Sắp đến hạn: còn 2 ngày làm việc (hạn \(soon.dayMonthYear))")
            #expect(json["title"] == nil && !text.contains("Nhiệm vụ NV-SOON"), "no title on the stream")
            #expect(!String(buffer: try await findingsOnly.body).contains("event: reminder"))
            #expect(live.reminders.count == 0, "the subscription is gone with the stream")
        }
    }

    @Test func theOwnersInboxSaysTheReminders() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let calendar = fixture.state.live.calendar
        // The page plans for the day it is shown.
        let today = CivilDate(Date())
        let (late, soon) = try await Self.seed(fixture, day: today)
        let lateBy = max(1, calendar.workingDays(from: late, to: today))
        try await fixture.test { client in
            var an = Browser(client)
            _ = try await an.login("cv-an")
            let page = try await an.get("/inbox").text
            let section = try #require(page.range(of: "<section id=\"reminders\"").map { String(page[$0.lowerBound...].prefix { $0 != "\n" }) })
            let list = String(section.prefix(upTo: section.range(of: "</section>")?.upperBound ?? section.endIndex))
            #expect(list.contains("Nhắc hạn (2)"), "\(list)")
            #expect(list.contains("data-case=\"NV-LATE\" data-reminder=\"overdue\" data-working-days=\"\(lateBy)\""))
            #expect(list.contains("Quá hạn \(lateBy) ngày làm việc"))
            #expect(list.contains("data-case=\"NV-SOON\" data-reminder=\"due_soon\" data-working-days=\"2\""))
            #expect(list.contains("Sắp đến hạn: còn 2 ngày làm việc") && list.contains("hạn \(soon.dayMonthYear)"))
            for absent in ["NV-FAR", "NV-DONE", "STP-251120-0009"] { #expect(!list.contains(absent), "\(absent)") }
            #expect(list.range(of: "NV-LATE")!.lowerBound < list.range(of: "NV-SOON")!.lowerBound, "the most urgent first")

            let english = try await an.get("/inbox?lang=en").text
            #expect(english.contains("Reminders (2)") && english.contains("Due soon: 2 working days left"))
            #expect(english.contains("Overdue by \(lateBy) working day\(lateBy == 1 ? "" : "s")"))

            var binh = Browser(client)
            _ = try await binh.login("cv-binh")
            let other = try await binh.get("/inbox").text
            #expect(other.contains("data-case=\"STP-251120-0009\" data-reminder=\"overdue\"") && !other.contains("NV-SOON"))
        }
    }
}
