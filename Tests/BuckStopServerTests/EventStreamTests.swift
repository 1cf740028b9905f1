import BuckStopDomain
import BuckStopLive
import BuckStopServer
import BuckStopStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `/api/v1/events`: a subscriber receives each new finding as a server-sent event, and the stream ends when the
/// server shuts down (the broadcaster is finished).
@Suite struct EventStreamTests {
    @Test func newFindingsAreStreamed() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let token = fixture.tokens["findings"]!
        let live = fixture.state.live
        try await fixture.test { client in
            async let streamed = client.execute(uri: "/api/v1/events", method: .get, headers: [.authorization: "Bearer " + token])
            // Wait until the stream has subscribed, then make a finding through the live path.
            for _ in 0..<200 where live.broadcaster.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(live.broadcaster.count == 1)
            let t = LiveLedger.nowMillis()
            _ = try await live.append(
                Action(
                    caseID: ServerFixture.code, actor: .official("cv-an"), at: t, body: .transfer(to: "cv-binh", reason: "Chuyển"),
                    via: .generated("test")))
            let back = try await live.append(
                Action(
                    caseID: ServerFixture.code, actor: .official("cv-binh"), at: t + 1, body: .transfer(to: "cv-an", reason: "Trả"),
                    via: .generated("test")))
            let id = try #require(back.findings.first { $0.finding.detector == "ping_pong" }?.finding.id)
            live.broadcaster.finishAll()
            let response = try await streamed
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let text = String(buffer: response.body)
            #expect(text.contains("event: finding\nid: "))
            let data = try #require(text.split(separator: "\n").first { $0.hasPrefix("data: ") && $0.contains(id) })
            let json = try #require(try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any])
            #expect(json["detector"] as? String == "ping_pong" && json["official"] as? String == "cv-an")
            #expect(live.broadcaster.count == 0, "the subscription is gone with the stream")
        }
    }

    @Test func eventsNeedTheFindingsScope() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/api/v1/events", method: .get).status == .unauthorized)
            let r = try await client.execute(uri: "/api/v1/events", method: .get, headers: [.authorization: "Bearer " + fixture.tokens["reader"]!])
            #expect(r.status == .forbidden)
        }
    }
}
