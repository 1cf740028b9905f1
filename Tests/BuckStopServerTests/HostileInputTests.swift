import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import BuckStopServer

/// The attacks of the security review against the running server, each kept as a test so it cannot come back:
/// open redirects, a raced login limit, oversized bodies, forged log lines, metrics for outsiders, a spoofed
/// client address, a second rating, injection into search and pages.
@Suite(.serialized) struct HostileInputTests {
    @Test(arguments: [
        ("/\\evil.example/", "/"), ("/\t/evil.example/", "/"), ("//evil.example/", "/"), ("https://evil.example/", "/"),
        ("/%2f/evil.example", "/"), ("/%5Cevil.example", "/"), ("/\n/evil.example", "/"), ("", "/"), ("/inbox", "/inbox"),
        ("/cases/STP-251120-0001?lang=en", "/cases/STP-251120-0001?lang=en"),
    ]) func loginNeverLeavesTheSite(next: String, expected: String) async throws {
        #expect(SafeRedirect.path(next) == expected, "\(next.debugDescription)")
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let r = try await b.post("/login", form: [("official", "cv-an"), ("password", ServerFixture.password), ("next", next)], from: "/login")
            #expect(r.status.code == 303)
            #expect(r.location == expected, "next=\(next.debugDescription) → \(r.location ?? "nil")")
        }
    }

    /// 40 wrong passwords at once: at most the limit of them get a password check, the rest are refused unchecked.
    @Test func concurrentWrongPasswordsCannotSlipUnderTheLimit() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let form = try await b.get("/login")
            let csrf = try #require(Browser.csrf(in: form.text))
            let cookies = b.headers()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        var h = cookies
                        h[.contentType] = "application/x-www-form-urlencoded"
                        let body = "official=cv-an&password=sai-\(i)&_csrf=" + Browser.encode(csrf)
                        return Int(try await client.execute(uri: "/login", method: .post, headers: h, body: ByteBuffer(string: body)).status.code)
                    }
                }
                var all: [Int] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(statuses.filter { $0 == 401 }.count <= 10, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count >= 30)
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 })
        }
    }

    @Test func oversizedBodiesAre413WithoutInternalText() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 << 20)
            let api = try await client.execute(
                uri: "/api/v1/cases/\(ServerFixture.code)/actions", method: .post,
                headers: [.authorization: "Bearer " + (fixture.tokens["an"] ?? ""), .contentType: "application/json"], body: big)
            #expect(api.status.code == 413)
            #expect(try api.json()["code"] != nil && !api.text.contains("NIO") && !api.text.contains("Error("))
            var b = Browser(client)
            _ = try await b.login("cv-an")
            let page = try await b.post(
                "/cases/\(ServerFixture.code)/actions", form: [("type", "comment"), ("text", String(repeating: "x", count: 100_000))],
                from: "/cases/\(ServerFixture.code)")
            #expect(page.status.code == 413)
            #expect(!page.text.contains("NIO"))
        }
    }

    /// A newline in a login id or a case code must not forge a log line.
    @Test func logLinesAreEscaped() {
        let lines = LineBox()
        var logger = Logger(label: "test") { _ in EscapingLogHandler(CapturingHandler(lines: lines)) }
        logger.logLevel = .info
        logger.notice(
            "login failed\nFAKE ok", metadata: ["official": .string("cv-an\n2026-01-01 admin login ok"), "list": .array([.string("a\rb")])])
        let captured = lines.all
        #expect(captured.count == 1)
        #expect(captured.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
        #expect(captured.first?.contains("cv-an\\n2026-01-01") == true)
        #expect(EscapingLogHandler.escape("a\u{2028}b\u{1b}[31m") == "a\\u{2028}b\\u{1b}[31m")
    }

    @Test func metricsAreForTheMonitoringSystemOnly() async throws {
        let open = try await ServerFixture.make()
        defer { open.remove() }
        try await open.test { client in
            // The test client has no loopback peer: an outsider.
            let outsider = try await client.execute(uri: "/metrics", method: .get)
            #expect(outsider.status.code == 403)
        }
        let guarded = try await ServerFixture.make { $0.metricsToken = "a-long-metrics-token-123" }
        defer { guarded.remove() }
        try await guarded.test { client in
            let none = try await client.execute(uri: "/metrics", method: .get)
            #expect(none.status.code == 401)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong-token-wrong-token"])
            #expect(wrong.status.code == 401)
            let ok = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer a-long-metrics-token-123"])
            #expect(ok.status.code == 200 && ok.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
        #expect(ClientAddress.isLocal(peer: "127.0.0.1", trusted: []))
        #expect(!ClientAddress.isLocal(peer: "127.0.0.1", trusted: ["127.0.0.1"]), "through the local proxy is not local")
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() {
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: []) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["1.2.3.4, 198.51.100.7"], trusted: ["10.0.0.2"]) == "198.51.100.7")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.7, 10.0.0.3"], trusted: ["10.0.0.2", "10.0.0.3"]) == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: [], trusted: ["10.0.0.2"]) == "10.0.0.2")
    }

    /// A citizen rates once; a second rating is refused and the first stands.
    @Test func aCaseIsRatedOnce() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        _ = try await fixture.state.live.append(
            SampleCity.act(ServerFixture.code, by: "cv-an", at: LiveLedger.nowMillis(), .resolve(result: "Đã cấp phiếu")), serverTime: true)
        try await fixture.test { client in
            var c = Browser(client)
            let code = ServerFixture.code.rawValue
            _ = try await c.post("/track", form: [("code", code), ("pin", fixture.state.live.citizenKeys.pin(for: ServerFixture.code))])
            _ = try await c.post("/track/\(code)/rate", form: [("score", "2"), ("comment", "")], from: "/track/\(code)")
            #expect(try await fixture.store.caseState(ServerFixture.code)?.rating == 2)
            let size = try await fixture.store.ledgerSize()
            // A forged second form post (the page no longer offers one).
            let again = try await c.post("/track/\(code)/rate", form: [("score", "5"), ("comment", "")], from: "/track")
            #expect(again.status.code == 303)
            #expect(try await fixture.store.caseState(ServerFixture.code)?.rating == 2)
            #expect(try await fixture.store.ledgerSize() == size)
        }
    }

    /// The official who received a dossier for another unit can still print its receipt and PIN.
    @Test func receiptAfterIntakeIntoAnotherUnit() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("mc-hc")
            let r = try await b.post(
                "/cases",
                form: [("kind", "dossier"), ("procedure", ""), ("title", "Hồ sơ nộp tại phường"), ("leadUnit", "stp-hcbt"), ("owner", "cv-an")],
                from: "/cases/new")
            #expect(r.status.code == 303, "\(r.text.prefix(300))")
            let receipt = try #require(r.location)
            let page = try await b.get(receipt)
            #expect(page.status.code == 200, "\(receipt): \(page.status.code)")
            #expect(page.text.contains("id=\"case-pin\""))
        }
    }

    /// Search text is bound, never spliced into SQL; titles are escaped on every page.
    @Test func injectionIntoSearchAndPagesIsInert() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        _ = try await fixture.state.live.open(
            OpenCase(
                kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "<script>alert(1)</script> %' OR 1=1 --", leadUnit: "stp-hcbt", owner: "cv-an"),
            actor: .official("cv-an"), at: LiveLedger.nowMillis(), personalData: nil, via: .generated("test"))
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ctt")
            for q in ["%25", "_", "%27%20OR%201%3D1%20--", "%5C", "script"] {
                let r = try await b.get("/search?q=\(q)")
                #expect(r.status.code == 200)
                #expect(!r.text.contains("<script>alert(1)</script>"), "escaped in search results")
            }
            let api = try await client.api(.get, "/api/v1/cases?q=%25%27%20OR%201%3D1%20--&limit=5", token: fixture.tokens["all"])
            #expect(api.status.code == 200)
        }
    }
}

final class LineBox: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingHandler: LogHandler {
    let lines: LineBox
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let meta = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append("\(level) \(message) \(meta)")
    }
}
