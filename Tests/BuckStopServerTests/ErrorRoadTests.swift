import BuckStopDefaults
import BuckStopDomain
import BuckStopLive
import BuckStopTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

@testable import BuckStopServer
@testable import BuckStopStore

/// One error road: every error, whichever layer threw it, is answered through one mapping — `application/problem+json`
/// under /api/, the error page elsewhere — with the request's id in the answer and, for a failure of the service, the
/// real error only in the log under that id.
@Suite struct ErrorRoadTests {
    static let requestID = HTTPField.Name("X-Request-ID")!

    /// The log lines of a fixture's server.
    static func capturingLogger() -> (Logger, LineBox) {
        let lines = LineBox()
        return (Logger(label: "test") { _ in CapturingHandler(lines: lines) }, lines)
    }

    /// A problem answer: its media type, the standard members consistent with the status, the stable code in the
    /// type, the request id as in the header, and no member of the old `{"error": …}` envelope.
    @discardableResult
    static func expectProblem(_ r: TestResponse, status: Int, code: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [String: Any]
    {
        #expect(Int(r.status.code) == status, "\(path): \(r.status.code) \(r.text.prefix(300))", sourceLocation: sourceLocation)
        #expect(r.headers[.contentType] == "application/problem+json", "\(path): \(r.headers[.contentType] ?? "-")", sourceLocation: sourceLocation)
        let body = try r.json()
        #expect(body["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(body["code"] as? String == code, "\(path): \(body)", sourceLocation: sourceLocation)
        #expect(body["type"] as? String == "/problems/" + code, sourceLocation: sourceLocation)
        #expect((body["title"] as? String)?.isEmpty == false && (body["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(body["instance"] as? String == String(path.split(separator: "?")[0]), sourceLocation: sourceLocation)
        #expect(body.keys.contains("field") && body["error"] == nil, sourceLocation: sourceLocation)
        let id = try #require(r.headers[requestID], "\(path): no X-Request-ID", sourceLocation: sourceLocation)
        #expect(body["requestId"] as? String == id, sourceLocation: sourceLocation)
        return body
    }

    @Test func everyAPIErrorIsAProblemWithTheRequestID() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let all = fixture.tokens["all"]
        let reader = fixture.tokens["reader"]
        try await fixture.test { client in
            let document = try OpenAPIDocument(yaml: try await client.execute(uri: "/openapi.yaml", method: .get).text)
            struct Row: @unchecked Sendable {
                var method: HTTPRequest.Method
                var path: String
                var token: String?
                var body: [String: Any]?
                var status: Int
                var code: String
                var field: String?
                var documented = true
            }
            let actions = "/api/v1/cases/\(ServerFixture.code)/actions"
            let rows: [Row] = [
                Row(method: .get, path: "/api/v1/cases?limit=0", token: all, status: 400, code: "bad_request", field: "limit"),
                Row(method: .get, path: "/api/v1/cases?status=lost", token: all, status: 400, code: "bad_request", field: "status"),
                Row(method: .get, path: "/api/v1/cases", token: nil, status: 401, code: "unauthorized"),
                Row(method: .get, path: "/api/v1/findings", token: reader, status: 403, code: "forbidden"),
                Row(method: .get, path: "/api/v1/cases/NO-SUCH", token: all, status: 404, code: "not_found"),
                Row(
                    method: .post, path: actions, token: all, body: ["type": "comment", "actor": "cv-an"], status: 400, code: "bad_request",
                    field: "text"),
                Row(
                    method: .post, path: actions, token: all, body: ["type": "escalate", "actor": "cv-an", "to": "tp-hcbt", "proposal": " "],
                    status: 422,
                    code: "rejected", field: "proposal"),
                Row(method: .post, path: actions, token: all, body: ["type": "comment", "text": "x"], status: 422, code: "rejected", field: "actor"),
                Row(method: .get, path: "/api/v1/ledger/proofs/consistency?from=1&to=9", token: nil, status: 404, code: "not_found"),
                Row(method: .delete, path: "/api/v1/cases", token: all, status: 405, code: "method_not_allowed", documented: false),
                Row(method: .get, path: "/api/v1/nowhere", token: all, status: 404, code: "not_found", documented: false),
            ]
            for row in rows {
                let r = try await client.api(row.method, row.path, token: row.token, json: row.body)
                let body = try Self.expectProblem(r, status: row.status, code: row.code, path: row.path)
                #expect(body["field"] as? String == row.field, "\(row.path): \(body)")
                if row.documented {
                    let template = try #require(document.templatePath(for: row.path))
                    let violations = document.validate(
                        json: body, path: template, method: row.method.rawValue, status: row.status, contentType: r.headers[.contentType])
                    #expect(violations.isEmpty, "\(row.method) \(row.path): \(violations)")
                }
            }
            // A method a resource does not serve still names the ones it does; a 401 says how to authenticate.
            let wrongMethod = try await client.api(.delete, "/api/v1/cases", token: all)
            #expect(wrongMethod.headers[.allow] == "GET, HEAD, POST")
            #expect(try await client.api(.get, "/api/v1/cases", token: nil).headers[.wwwAuthenticate] == "Bearer")
            // An oversized body.
            let big = try await client.execute(
                uri: actions, method: .post, headers: [.authorization: "Bearer " + (all ?? ""), .contentType: "application/json"],
                body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 << 20))
            try Self.expectProblem(big, status: 413, code: "payload_too_large", path: actions)
        }
    }

    @Test func messagesAreVietnameseUnlessEnglishIsAsked() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let token = try #require(fixture.tokens["all"])
        let path = "/api/v1/cases/\(ServerFixture.code)/actions"
        try await fixture.test { client in
            let escalate: [String: Any] = ["type": "escalate", "actor": "cv-an", "to": "tp-hcbt", "proposal": " "]
            let vi = try Self.expectProblem(
                try await client.api(.post, path, token: token, json: escalate), status: 422, code: "rejected", path: path)
            #expect((vi["detail"] as? String)?.contains("thiếu đề xuất") == true, "\(vi)")
            #expect((vi["detail"] as? String)?.contains("proposal") == false, "no English inside the Vietnamese message: \(vi)")
            #expect(vi["title"] as? String == "Yêu cầu bị từ chối")
            // The domain's reason is worded in Vietnamese too, not only the field.
            let sideways: [String: Any] = ["type": "escalate", "actor": "cv-an", "to": "cv-binh", "proposal": "Đề nghị cấp theo hồ sơ đã đủ"]
            let notAbove = try Self.expectProblem(
                try await client.api(.post, path, token: token, json: sideways), status: 422, code: "rejected", path: path)
            #expect((notAbove["detail"] as? String)?.contains("cv-binh không phải cấp trên của cv-an") == true, "\(notAbove)")
            #expect((notAbove["detail"] as? String)?.contains("organisation") == false, "no English reason: \(notAbove)")
            var headers: HTTPFields = [
                .authorization: "Bearer " + token, .contentType: "application/json", .acceptLanguage: "en-GB,en;q=0.9,vi;q=0.5",
            ]
            let english = try await client.execute(
                uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: escalate)))
            let en = try Self.expectProblem(english, status: 422, code: "rejected", path: path)
            #expect((en["detail"] as? String)?.contains("field 'proposal' is required") == true, "\(en)")
            #expect(english.headers[.contentLanguage] == "en")
            headers[.acceptLanguage] = "vi, en;q=0.8"
            let preferVi = try await client.execute(
                uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: escalate)))
            #expect(try preferVi.json()["title"] as? String == "Yêu cầu bị từ chối")
            let query = try await client.api(.post, path + "?lang=en", token: token, json: escalate)
            #expect(try query.json()["title"] as? String == "Refused")
        }
    }

    /// The SQLite store's write fails inside the database (a trigger raising, as a full or damaged disk would): the
    /// API answers 503 problem+json with the request id and nothing of SQLite's text, the page answers the error page
    /// with the id, and the log carries the id with the real error.
    @Test func aDatabaseFailureIsA503WithTheRequestIDAndTheCauseOnlyInTheLog() async throws {
        let (logger, lines) = Self.capturingLogger()
        let fixture = try await ServerFixture.make(logger: logger)
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let secret = "disk quota exceeded in ledger_entry"
        let side = try DatabaseQueue(path: fixture.directory + "/s.sqlite")
        try await side.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_entries BEFORE INSERT ON ledger_entry BEGIN SELECT RAISE(ABORT, '\(secret)'); END")
        }
        let size = try await fixture.store.ledgerSize()
        let path = "/api/v1/cases/\(ServerFixture.code)/actions"
        try await fixture.test { client in
            let r = try await client.api(.post, path, token: fixture.tokens["all"], json: ["type": "comment", "actor": "cv-an", "text": "Ghi chú"])
            let body = try Self.expectProblem(r, status: 503, code: "unavailable", path: path)
            #expect(body["field"] is NSNull)
            for leak in [secret, "SQLite", "sqlite", "INSERT", "ledger_entry", "trigger", "database error", "SQL"] {
                #expect(!r.text.contains(leak), "the answer shows '\(leak)': \(r.text)")
            }
            let document = try OpenAPIDocument(yaml: fixture.state.openAPIDocument)
            #expect(
                document.validate(json: body, path: "/api/v1/cases/{code}/actions", method: "POST", status: 503, contentType: r.headers[.contentType])
                    == [])
            let id = try #require(body["requestId"] as? String)
            let logged = lines.all.filter { $0.contains(id) }
            #expect(logged.contains { $0.contains(secret) && $0.hasPrefix("error") }, "the log has the id with the cause: \(lines.all)")

            // The same failure from a page: the error page, 503, with the id shown and no database text.
            var b = Browser(client)
            _ = try await b.login("cv-an")
            let page = try await b.post(
                "/cases/\(ServerFixture.code)/actions", form: [("type", "comment"), ("text", "Ghi chú")], from: "/cases/\(ServerFixture.code)")
            #expect(page.status.code == 503)
            let pageID = try #require(page.headers[Self.requestID])
            #expect(page.text.contains("id=\"request-id\">\(pageID)<"), "the page shows the request id")
            #expect(page.text.contains("Tạm thời không phục vụ được"))
            for leak in [secret, "SQLite", "INSERT", "ledger_entry"] { #expect(!page.text.contains(leak)) }
            #expect(lines.all.contains { $0.contains(pageID) && $0.contains(secret) })
        }
        #expect(try await fixture.store.ledgerSize() == size, "nothing was written")
    }

    /// A PostgreSQL store whose server cannot be reached: asking who calls fails, and the answer is a 503 problem
    /// (API) or the error page, never the driver's text.
    @Test(.timeLimit(.minutes(3))) func anUnreachablePostgreSQLIsA503WithoutTheDriversText() async throws {
        let (logger, lines) = Self.capturingLogger()
        var quiet = Logger(label: "test.postgres")
        quiet.logLevel = .critical
        let location = try PostgresLocation(url: "postgres://nobody:secret@127.0.0.1:9/none")
        let keys = StoreKeys.generate()
        let store = try PostgresStore(
            configuration: PostgresStoreConfiguration(location: location, keys: keys, connectTimeout: .seconds(1)), logger: quiet)
        // As a server that was up holds it.
        store.org.withLock { $0 = ServerFixture.organization }
        let live = try LiveLedger(
            store: store, rulebook: try Defaults.rulebook(), calendar: try Defaults.workingCalendar(),
            citizenKeys: CitizenKeys(dataKey: keys.dataKey),
            logger: logger)
        let state = try ServerState(live: live, configuration: ServerConfiguration(), metrics: PrometheusCollectorRegistry(), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.runPool() }
            defer { group.cancelAll() }
            try await buildApplication(state: state).test(.router) { client in
                for (path, token) in [("/api/v1/cases", "bst_some_token"), ("/api/v1/ledger/checkpoint", nil)] {
                    let r = try await client.api(.get, path, token: token)
                    let body = try Self.expectProblem(r, status: 503, code: "unavailable", path: path)
                    for leak in ["PostgreSQL", "Postgres", "127.0.0.1", "nobody", "secret", "connection", "PSQL"] {
                        #expect(!r.text.contains(leak), "the answer shows '\(leak)': \(r.text)")
                    }
                    let id = try #require(body["requestId"] as? String)
                    #expect(lines.all.contains { $0.contains(id) && $0.contains("PostgreSQL") }, "\(lines.all)")
                }
                let page = try await client.execute(uri: "/inbox", method: .get, headers: [.cookie: "bs_session=whatever"], body: nil)
                #expect(page.status.code == 503)
                #expect(page.text.contains("id=\"request-id\">\(page.headers[Self.requestID] ?? "?")<"))
                #expect(!page.text.contains("PostgreSQL") && !page.text.contains("127.0.0.1"))
            }
        }
    }

    /// Every answer carries an id; one sent by the client is kept only from a trusted proxy and only if well formed.
    @Test func everyAnswerHasARequestIDThatOnlyATrustedProxyChooses() async throws {
        #expect(RequestID.resolve(given: ["abc-123"], peer: "203.0.113.9", trusted: []) != "abc-123")
        #expect(RequestID.resolve(given: ["abc-123"], peer: "10.0.0.2", trusted: ["10.0.0.2"]) == "abc-123")
        #expect(RequestID.resolve(given: ["abc-123", "def"], peer: "10.0.0.2", trusted: ["10.0.0.2"]) != "abc-123", "two ids: neither")
        for bad in ["", "a b", "x\ny", "<script>", String(repeating: "a", count: 129), "é"] {
            #expect(!RequestID.isWellFormed(bad), "\(bad)")
            #expect(RequestID.resolve(given: [bad], peer: "10.0.0.2", trusted: ["10.0.0.2"]) != bad)
        }
        for good in ["0f8fad5b-d9cb-469f-a165-70867728950e", "Root=1-67891233-abcdef012345678912345678", "dGVzdA=="] {
            #expect(RequestID.isWellFormed(good), "\(good)")
        }
        let generated = RequestID.resolve(given: [], peer: "203.0.113.9", trusted: [])
        #expect(RequestID.isWellFormed(generated) && generated != RequestID.resolve(given: [], peer: "203.0.113.9", trusted: []))

        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var ids: Set<String> = []
            for path in ["/health/live", "/", "/track", "/nowhere", "/openapi.yaml", "/api/v1/ledger/checkpoint"] {
                let r = try await client.execute(uri: path, method: .get, headers: [Self.requestID: "chosen-by-client"], body: nil)
                let id = try #require(r.headers[Self.requestID], "\(path) has no X-Request-ID")
                #expect(id != "chosen-by-client" && RequestID.isWellFormed(id))
                ids.insert(id)
            }
            #expect(ids.count == 6, "a new id for each request")
            // A missing page is the error page, with its id.
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status.code == 404 && missing.text.contains("id=\"request-id\">\(missing.headers[Self.requestID] ?? "?")<"))
        }
        // The router's test client has no address ("unknown"): trusted as a proxy, its id is kept.
        let proxied = try await ServerFixture.make { $0.trustedProxies = ["unknown"] }
        defer { proxied.remove() }
        try await proxied.test { client in
            let r = try await client.execute(uri: "/api/v1/cases", method: .get, headers: [Self.requestID: "edge-42"], body: nil)
            #expect(r.headers[Self.requestID] == "edge-42")
            #expect(try r.json()["requestId"] as? String == "edge-42")
            let forged = try await client.execute(uri: "/health/live", method: .get, headers: [Self.requestID: "a\u{7f}b"], body: nil)
            #expect(forged.headers[Self.requestID] != "a\u{7f}b")
        }
    }

    @Test func problemTypesAreDocumentedPages() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let index = try await client.execute(uri: "/problems?lang=en", method: .get)
            #expect(index.status.code == 200)
            for category in FailureCategory.allCases {
                let type = Problem.typeURI(category.answer.code)
                #expect(index.text.contains("href=\"\(type)\""), "\(type) listed")
                let page = try await client.execute(uri: type, method: .get)
                #expect(page.status.code == 200 && page.text.contains(String(category.answer.status.code)), "\(type)")
            }
            #expect(try await client.execute(uri: "/problems/nope", method: .get).status.code == 404)
        }
    }

    /// The mapping itself: every category has one status, one code and messages in both languages; a failure of the
    /// service shows only its category's message, whatever the error says.
    @Test func theMappingHidesWhatAServerFailureSays() {
        for category in FailureCategory.allCases {
            let answer = category.answer
            #expect(answer.status.code >= 400 && !answer.title.vi.isEmpty && !answer.title.en.isEmpty && !answer.summary.vi.isEmpty)
            #expect(category.isServerFailure == (answer.status.code >= 500), "\(category)")
        }
        let failures: [any Error] = [
            StoreError.database("SQLite error 19: SELECT secret FROM x"), StoreError.unavailable("PostgreSQL 08006: secret host"),
            StoreError.configurationMismatch("secret key id"), DatabaseError(resultCode: .SQLITE_IOERR, message: "secret io"),
            CancellationError(), PetitionsUnrouted(),
        ]
        for error in failures {
            let problem = Problem(error)
            #expect(problem.category.isServerFailure)
            #expect(!problem.detail.vi.contains("secret") && !problem.detail.en.contains("secret") && problem.field == nil, "\(error)")
        }
        #expect(Problem(DatabaseError(resultCode: .SQLITE_BUSY)).category == .unavailable)
        #expect(Problem(StoreError.rejected(.missingField(action: "escalate", field: "proposal"))).field == "proposal")
        #expect(Problem(StoreError.unknownCase("X")).status == .notFound)
        #expect(Problem(StoreError.findingExists("F")).status == .conflict)
        #expect(Problem(HTTPError(.notFound)).code == "not_found")
    }
}

/// The error pages a person lands on (404, 403) say what happened and offer the way back.
@Suite struct ErrorPageTests {
    @Test func errorPagesOfferTheWayBack() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let missing = try await b.get("/no-such-page")
            #expect(missing.status.code == 404)
            #expect(missing.text.contains("id=\"problem-ways\"") && missing.text.contains("id=\"problem-home\" href=\"/track\""), "\(missing.text)")
            _ = try await b.login("cv-an")
            let noCase = try await b.get("/cases/KHONG-CO-0001")
            #expect(noCase.status.code == 404)
            #expect(noCase.text.contains("id=\"problem-home\" href=\"/inbox\""))
            let forbidden = try await b.get("/inspect")
            #expect(forbidden.status.code == 403, "an official who is no inspector")
            #expect(forbidden.text.contains("id=\"problem-ways\"") && forbidden.text.contains("id=\"request-id\""))
            // A link back only to this site.
            let elsewhere = try await client.execute(
                uri: "/no-such-page", method: .get, headers: [.referer: "https://evil.example/x"], body: nil)
            #expect(!elsewhere.text.contains("problem-back"))
        }
    }
}
