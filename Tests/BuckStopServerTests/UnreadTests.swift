import BuckStopDomain
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The web app's notice (issue 15): a count beside "Việc cần xử lý" of what came since the last inbox visit.
@Suite(.serialized) struct UnreadTests {
    @Test func newCasesAreCountedUntilTheInboxIsOpened() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var an = Browser(client)
            _ = try await an.login("cv-an")
            let quiet = try await an.get("/search")
            #expect(!quiet.text.contains("id=\"unread-count\""), "nothing new right after logging in")
            try await Task.sleep(for: .milliseconds(5))
            // Another official receives a dossier for cv-an's unit and makes cv-an accountable.
            var desk = Browser(client)
            _ = try await desk.login("mc-hc")
            let opened = try await desk.post(
                "/cases",
                form: [("kind", "dossier"), ("procedure", ""), ("title", "Hồ sơ chuyển đến"), ("leadUnit", "stp-hcbt"), ("owner", "cv-an")],
                from: "/cases/new")
            #expect(opened.status.code == 303)
            let badge = try await an.get("/search")
            #expect(badge.text.contains("id=\"unread-count\" class=\"unread\" data-cases=\"1\" data-findings=\"0\""), "\(badge.text.prefix(1500))")
            let inbox = try await an.get("/inbox")
            #expect(inbox.text.contains("class=\"new\""), "the new case is marked in the inbox")
            let after = try await an.get("/search")
            #expect(!after.text.contains("id=\"unread-count\""), "opening the inbox clears the count")
            // Another official in the same browser does not see cv-an's count.
            #expect(Unread.Seen(cookie: "cv-an.5.10", official: "cv-binh") == nil)
            #expect(Unread.Seen(cookie: "cv-an.5.10", official: "cv-an") == Unread.Seen(index: 5, at: 10))
            #expect(Unread.Seen(cookie: "cv-an.x.10", official: "cv-an") == nil)
        }
    }
}
