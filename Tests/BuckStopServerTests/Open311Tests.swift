import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopServer
import BuckStopStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Open311 GeoReport v2 as a citizen-report app speaks it: services, a form-encoded POST, the request by id and in
/// lists, its status following the case; the spec's errors; nothing personal in what anyone can read.
@Suite(.serialized) struct Open311Tests {
    /// A GeoReport client: form-encoded POST (RFC 1866 encoding, spaces as `+`), JSON answers.
    struct GeoReportClient {
        let client: any TestClientProtocol
        static let root = "/open311/v2"

        func get(_ path: String, language: String? = nil) async throws -> TestResponse {
            var h: HTTPFields = [:]
            if let language { h[.acceptLanguage] = language }
            return try await client.execute(uri: Self.root + path, method: .get, headers: h, body: nil)
        }

        func post(_ fields: [(String, String)]) async throws -> TestResponse {
            let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
            return try await client.execute(
                uri: Self.root + "/requests.json", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body))
        }

        static func encode(_ s: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._*")
            allowed.insert(" ")
            return (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: " ", with: "+")
        }
    }

    static let petitioner: [(String, String)] = [
        ("first_name", "Trần Thị"), ("last_name", "Hồng Nhung"), ("phone", "0905 111 222"), ("email", "nhung@example.vn"),
        ("device_id", "device-42"), ("account_id", "acct-7"),
    ]
    static let report: [(String, String)] =
        [
            ("service_code", "petition"), ("description", "Cống thoát nước đường Lê Lợi bị tắc, nước tràn lên vỉa hè"),
            ("lat", "16.0678"), ("long", "108.2208"), ("address_string", "Lê Lợi, Hải Châu, Đà Nẵng"),
            ("media_url", "https://example.vn/anh/cong.jpg"), ("attribute[loai]", "x"),
        ] + petitioner

    static func array(_ r: TestResponse) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [[String: Any]], "\(r.text)")
    }

    /// The one error of a GeoReport error answer.
    static func error(_ r: TestResponse) throws -> (code: Int, description: String) {
        let e = try #require(try array(r).first)
        return (try #require(e["code"] as? Int), try #require(e["description"] as? String))
    }

    @Test func aGeoReportClientFilesAndFollowsAPetition() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let geo = GeoReportClient(client: client)
            // 1. The services: the petition, in Vietnamese first.
            let services = try await geo.get("/services.json")
            #expect(services.status == .ok)
            #expect(services.headers[.contentType]?.hasPrefix("application/json") == true)
            let list = try Self.array(services)
            let petition = try #require(list.first { $0["service_code"] as? String == "petition" })
            #expect(petition["service_name"] as? String == "Kiến nghị, phản ánh")
            #expect(petition["metadata"] as? Bool == false)
            #expect(petition["type"] as? String == "realtime")
            #expect((petition["keywords"] as? String)?.contains("phản ánh") == true)
            #expect(petition["group"] as? String != nil)
            // The answer time and its source are the rule the web form's due date comes from.
            let rule = try #require(fixture.state.live.dueDate(kind: .petition, procedure: nil, at: Date())?.rule)
            let described = try #require(petition["description"] as? String)
            #expect(described.contains("\(rule.duration) ngày") && described.contains(rule.source), "\(described)")
            let english = try Self.array(try await geo.get("/services.json", language: "en"))
            #expect(english.first?["service_name"] as? String == "Petition or feedback")

            // 2. POST, form-encoded, no api_key, no CSRF token.
            let before = try await fixture.store.ledgerSize()
            let filed = try await geo.post(Self.report)
            #expect(filed.status == .created, "\(filed.text)")
            let answer = try #require(try Self.array(filed).first)
            let code = try #require(answer["service_request_id"] as? String)
            #expect(answer.keys.contains("account_id") && answer["account_id"] is NSNull)
            let notice = try #require(answer["service_notice"] as? String)
            let pin = try #require(notice.range(of: "mã PIN để tra cứu: ").map { String(notice[$0.upperBound...].prefix(6)) })
            #expect(fixture.state.live.citizenKeys.check(pin: pin, for: CaseID(code)), "the filer gets the PIN to follow the case on the web")
            #expect(try await fixture.store.ledgerSize() == before + 1)

            // The case: a petition opened by the citizen through Open311, due when the web form says.
            let state = try #require(try await fixture.store.caseState(CaseID(code)))
            #expect(state.kind == .petition && state.owner != nil)
            #expect(state.title.contains("Cống thoát nước") && state.title.contains("Lê Lợi, Hải Châu"), "the place goes to the handler")
            let due = try #require(fixture.state.live.dueDate(kind: .petition, procedure: nil, at: Date())?.date)
            #expect(state.dueDate == due)
            #expect(notice.contains("Hạn trả lời: " + Self.dateText(due)))
            let history = try await fixture.store.history(of: CaseID(code))
            #expect(history.first?.action.actor == .citizen)
            #expect(history.first?.action.via == .open311)
            let stored = try #require(try await fixture.store.entry(at: history[0].index))
            let entry = String(decoding: stored.body, as: UTF8.self)
            for secret in ["Trần Thị", "Hồng Nhung", "0905", "111 222", "nhung@example.vn", "device-42", "acct-7"] {
                #expect(!entry.contains(secret), "\(secret) stays off the ledger")
            }
            let ref = try #require(state.subject?.ref)
            let sealed = try #require(try await fixture.store.personalData(ref: ref))
            #expect(sealed.fullName == "Trần Thị Hồng Nhung" && sealed.phone == "0905111222" && sealed.email == "nhung@example.vn")

            // 3. The request by id, and in lists.
            let one = try await geo.get("/requests/\(code).json")
            #expect(one.status == .ok)
            let request = try #require(try Self.array(one).first)
            #expect(request["service_request_id"] as? String == code)
            #expect(request["status"] as? String == "open")
            #expect(request["service_code"] as? String == "petition")
            #expect(request["service_name"] as? String == "Kiến nghị, phản ánh")
            #expect((request["agency_responsible"] as? String)?.isEmpty == false)
            #expect((request["expected_datetime"] as? String)?.hasPrefix(due.description + "T") == true)
            #expect((request["requested_datetime"] as? String)?.hasSuffix("+07:00") == true)
            #expect(request["updated_datetime"] is String)
            for key in ["status_notes", "description", "service_notice", "address", "lat", "long", "media_url"] {
                #expect(request.keys.contains(key), "\(key) is in the representation")
            }
            for body in [one.text, try await geo.get("/requests.json").text] {
                for secret in ["Trần", "Nhung", "0905", "nhung@", "device-42", "acct-7", "Cống thoát", "Lê Lợi", "16.0678", "cong.jpg", pin] {
                    #expect(!body.contains(secret), "\(secret) is not public")
                }
            }
            let byID = try Self.array(try await geo.get("/requests.json?service_request_id=\(code),NO-SUCH-1"))
            #expect(byID.map { $0["service_request_id"] as? String } == [code])
            #expect(try Self.array(try await geo.get("/requests.json?status=open")).contains { $0["service_request_id"] as? String == code })
            #expect(try Self.array(try await geo.get("/requests.json?status=closed")).isEmpty)
            #expect(try Self.array(try await geo.get("/requests.json?service_code=petition")).count == 1)
            let today = CivilDate(Date()).description
            #expect(try Self.array(try await geo.get("/requests.json?start_date=\(today)&status=open,closed")).count == 1)
            let tomorrow = CivilDate(Date()).adding(days: 1).description
            #expect(try Self.array(try await geo.get("/requests.json?start_date=\(tomorrow)T00:00:00%2B07:00")).isEmpty)
            #expect(try Self.array(try await geo.get("/requests.json?end_date=2020-01-01T00:00:00Z")).isEmpty)

            // 4. The official answers the petition: it is closed for GeoReport.
            let owner = try #require(state.owner)
            _ = try await fixture.state.live.append(
                Action(
                    caseID: CaseID(code), actor: .official(owner), at: LiveLedger.nowMillis(),
                    body: .resolve(result: "Đã nạo vét cống"), via: .generated("test")), serverTime: true)
            let resolved = try #require(try Self.array(try await geo.get("/requests/\(code).json")).first)
            #expect(resolved["status"] as? String == "closed")
            #expect(resolved["status_notes"] as? String == "Đã giải quyết")
            #expect(try Self.array(try await geo.get("/requests.json?status=closed")).count == 1)
            #expect(try Self.array(try await geo.get("/requests.json?status=open")).isEmpty)
        }
    }

    static func dateText(_ d: CivilDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return two(d.day) + "/" + two(d.month) + "/" + String(d.year)
    }

    @Test func errorsAreGeoReportsAndNameTheField() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            let geo = GeoReportClient(client: client)
            let before = try await fixture.store.ledgerSize()
            let cases: [(fields: [(String, String)], status: Int, field: String)] = [
                (Self.report.filter { $0.0 != "service_code" }, 400, "service_code"),
                (Self.report.filter { $0.0 != "service_code" } + [("service_code", "no-such")], 400, "service_code"),
                (Self.report.filter { $0.0 != "description" }, 400, "description"),
                (Self.report.filter { $0.0 != "description" } + [("description", "   ")], 400, "description"),
                (Self.report.filter { $0.0 != "description" } + [("description", "Trần Thị Hồng Nhung báo cống tắc")], 400, "description"),
                (Self.report.filter { $0.0 != "lat" }, 400, "lat"),
                (Self.report.filter { $0.0 != "lat" } + [("lat", "91")], 400, "lat"),
                (Self.report.filter { $0.0 != "first_name" && $0.0 != "last_name" }, 400, "first_name"),
                (Self.report.filter { $0.0 != "phone" } + [("phone", "12345")], 400, "phone"),
                (Self.report.filter { $0.0 != "email" } + [("email", "not-an-email")], 400, "email"),
                (Self.report.filter { $0.0 != "media_url" } + [("media_url", "javascript:alert(1)")], 400, "media_url"),
                (Self.report + [("api_key", "bst_no_such_key")], 403, "api_key"),
                (Self.report + [("api_key", fixture.tokens["reader"] ?? "")], 403, "api_key"),
            ]
            for c in cases {
                let r = try await geo.post(c.fields)
                #expect(Int(r.status.code) == c.status, "\(c.field): \(r.text)")
                let e = try Self.error(r)
                #expect(e.code == c.status)
                #expect(e.description.hasPrefix(c.field + ": "), "\(e.description)")
            }
            #expect(try await fixture.store.ledgerSize() == before, "nothing written")
            // A key is a secret: never echoed.
            let keyed = try await geo.post(Self.report + [("api_key", fixture.tokens["reader"] ?? "")])
            #expect(!keyed.text.contains(fixture.tokens["reader"] ?? "-"))

            let unknown = try await geo.get("/requests/PET-000000-0001.json")
            #expect(unknown.status == .notFound)
            #expect(try Self.error(unknown).code == 404)
            // A case of another kind is not a petition: not found, not shown.
            let dossier = try await geo.get("/requests/\(ServerFixture.code.rawValue).json")
            #expect(dossier.status == .notFound)
            #expect(try Self.array(try await geo.get("/requests.json?service_request_id=\(ServerFixture.code.rawValue)")).isEmpty)

            for (query, field) in [
                ("status=pending", "status"), ("service_code=no-such", "service_code"), ("start_date=yesterday", "start_date"),
                ("start_date=2025-01-01&end_date=2025-06-01", "end_date"), ("start_date=2025-02-01&end_date=2025-01-01", "end_date"),
            ] {
                let r = try await geo.get("/requests.json?" + query)
                #expect(r.status == .badRequest, "\(query)")
                #expect(try Self.error(r).description.hasPrefix(field + ": "), "\(query)")
            }
            let xml = try await geo.get("/requests.xml")
            #expect(xml.status == .notFound)
            #expect(try Self.error(xml).code == 404)
            let wrongType = try await client.execute(
                uri: "/open311/v2/requests.json", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"service_code":"petition"}"#))
            #expect(wrongType.status == .badRequest)
        }
    }

    @Test func withoutAKeyFilingIsLimitedPerAddressLikeTheWebForm() async throws {
        let fixture = try await ServerFixture.make(configure: { $0.pinAttemptsPerAddress = 2 })
        defer { fixture.remove() }
        let client = StoredAPIToken(name: "gopy-app", scopes: [Open311Scope.write], subject: .integration(actsFor: [], importsHistory: false))
        let key = "bst_test_gopy_" + UUID().uuidString
        try await fixture.store.createAPIToken(token: key, client: client, now: 0)
        try await fixture.test { client in
            let geo = GeoReportClient(client: client)
            // The web form and Open311 share the address's budget.
            var web = Browser(client)
            let first = try await web.post("/petition", form: [("fullName", "Lê Văn Tư"), ("title", "Cây đổ chắn đường")])
            #expect(first.status == .ok)
            #expect(try await geo.post(Self.report).status == .created)
            let limited = try await geo.post(Self.report)
            #expect(limited.status == .tooManyRequests)
            #expect(try Self.error(limited).code == 429)
            #expect(limited.headers[.retryAfter] != nil)
            // A registered app's key is not limited per address, and the entry names the app.
            let keyed = try await geo.post(Self.report + [("api_key", key)])
            #expect(keyed.status == .created, "\(keyed.text)")
            let code = try #require(try Self.array(keyed).first?["service_request_id"] as? String)
            #expect(try await fixture.store.history(of: CaseID(code)).first?.action.via == .apiToken(name: "gopy-app"))
            // The web form is limited too, and keeps what was typed.
            let webLimited = try await web.post("/petition", form: [("fullName", "Lê Văn Tư"), ("title", "Cây đổ chắn đường lần hai")])
            #expect(webLimited.status == .tooManyRequests)
            #expect(webLimited.text.contains("Cây đổ chắn đường lần hai"))
        }
    }

    @Test func theWebFormStillNeedsItsCSRFTokenAndGivesTheSameDueDate() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var web = Browser(client)
            let forged = try await web.post("/petition", form: [("fullName", "Lê Văn Tư"), ("title", "Cây đổ")], csrf: false)
            #expect(forged.status == .forbidden)
            let page = try await web.post("/petition", form: [("fullName", "Lê Văn Tư"), ("title", "Cây đổ chắn đường")])
            let webDue = try #require(page.text.range(of: "id=\"case-due\">").map { String(page.text[$0.upperBound...].prefix { $0 != "<" }) })
            let geo = GeoReportClient(client: client)
            let filed = try Self.array(try await geo.post(Self.report))
            let code = try #require(filed.first?["service_request_id"] as? String)
            let request = try #require(try Self.array(try await geo.get("/requests/\(code).json")).first)
            let expected = try #require(request["expected_datetime"] as? String)
            let parts = expected.prefix(10).split(separator: "-")
            #expect(parts.count == 3)
            #expect(webDue == "\(parts[2])/\(parts[1])/\(parts[0])", "Open311 and the web receipt give one due date")
            #expect((request["service_notice"] as? String)?.contains(webDue) == true)
        }
    }
}
