import BuckStopDomain
import BuckStopServer
import BuckStopStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every role against every route: what must be refused is refused, and what is allowed answers.
/// The case is the sample dossier of Phòng Hành chính tư pháp (stp-hcbt), held by cv-an; after cv-an → cv-binh →
/// cv-an it carries a ping-pong finding about cv-an (one return names the one it came back to, who misrouted it).
@Suite(.serialized) struct AccessMatrixTests {
    enum Who: String, CaseIterable {
        case anonymous, citizen
        case owner = "cv-an"
        case colleague = "cv-binh"
        case head = "tp-hcbt"
        case outsider = "mc-hc"
        case otherHead = "ct-hc"
        case inspector = "ttv"
        case admin = "admin-1"
    }

    /// 200 = shown; 303 = sent to log in (or to the citizen lookup); 403 = refused.
    static let pages: [(path: String, expected: [Who: Int])] = [
        (
            "/inbox",
            [.anonymous: 303, .citizen: 303, .owner: 200, .colleague: 200, .head: 200, .outsider: 200, .otherHead: 200, .inspector: 200, .admin: 200]
        ),
        (
            "/cases/new",
            [.anonymous: 303, .citizen: 303, .owner: 200, .colleague: 200, .head: 200, .outsider: 200, .otherHead: 200, .inspector: 200, .admin: 200]
        ),
        (
            "/unit",
            [.anonymous: 303, .citizen: 303, .owner: 403, .colleague: 403, .head: 200, .outsider: 403, .otherHead: 200, .inspector: 403, .admin: 403]
        ),
        (
            "/unit/export.csv?list=officials",
            [.anonymous: 303, .citizen: 303, .owner: 403, .colleague: 403, .head: 200, .outsider: 403, .otherHead: 200, .inspector: 403, .admin: 403]
        ),
        (
            "/inspect/export.csv?list=findings",
            [.anonymous: 303, .citizen: 303, .owner: 403, .colleague: 403, .head: 403, .outsider: 403, .otherHead: 403, .inspector: 200, .admin: 200]
        ),
        (
            "/unit/export.xlsx?list=cases",
            [.anonymous: 303, .citizen: 303, .owner: 403, .colleague: 403, .head: 200, .outsider: 403, .otherHead: 200, .inspector: 403, .admin: 403]
        ),
        (
            "/inspect/export.xlsx?list=officials",
            [.anonymous: 303, .citizen: 303, .owner: 403, .colleague: 403, .head: 403, .outsider: 403, .otherHead: 403, .inspector: 200, .admin: 200]
        ),
        (
            "/inspect",
            [.anonymous: 303, .citizen: 303, .owner: 403, .colleague: 403, .head: 403, .outsider: 403, .otherHead: 403, .inspector: 200, .admin: 200]
        ),
        (
            "/cases/\(ServerFixture.code)",
            [.anonymous: 303, .citizen: 303, .owner: 200, .colleague: 200, .head: 200, .outsider: 403, .otherHead: 403, .inspector: 200, .admin: 200]
        ),
        (
            "/cases/\(ServerFixture.code)/receipt",
            [.anonymous: 303, .citizen: 303, .owner: 200, .colleague: 200, .head: 200, .outsider: 403, .otherHead: 403, .inspector: 200, .admin: 200]
        ),
        (
            "/programmes",
            [.anonymous: 303, .citizen: 303, .owner: 200, .colleague: 200, .head: 200, .outsider: 200, .otherHead: 200, .inspector: 200, .admin: 200]
        ),
        (
            "/search?q=ly+lich",
            [.anonymous: 303, .citizen: 303, .owner: 200, .colleague: 200, .head: 200, .outsider: 200, .otherHead: 200, .inspector: 200, .admin: 200]
        ),
        (
            "/track/\(ServerFixture.code)",
            [.anonymous: 303, .citizen: 200, .owner: 303, .colleague: 303, .head: 303, .outsider: 303, .otherHead: 303, .inspector: 303, .admin: 303]
        ),
        (
            "/track/\(ServerFixture.code)/verify",
            [.anonymous: 303, .citizen: 200, .owner: 303, .colleague: 303, .head: 303, .outsider: 303, .otherHead: 303, .inspector: 303, .admin: 303]
        ),
        (
            "/track",
            [.anonymous: 200, .citizen: 200, .owner: 200, .colleague: 200, .head: 200, .outsider: 200, .otherHead: 200, .inspector: 200, .admin: 200]
        ),
        (
            "/login",
            [.anonymous: 200, .citizen: 200, .owner: 200, .colleague: 200, .head: 200, .outsider: 200, .otherHead: 200, .inspector: 200, .admin: 200]
        ),
    ]

    func browser(_ who: Who, _ client: any TestClientProtocol, fixture: ServerFixture) async throws -> Browser {
        var b = Browser(client)
        switch who {
        case .anonymous: break
        case .citizen:
            let pin = fixture.state.live.citizenKeys.pin(for: ServerFixture.code)
            let r = try await b.post("/track", form: [("code", ServerFixture.code.rawValue), ("pin", pin)])
            #expect(r.status.code == 303, "citizen lookup with the right PIN")
        default:
            let r = try await b.login(who.rawValue)
            #expect(r.status.code == 303 && b.cookies["bs_session"] != nil, "\(who) logs in")
        }
        return b
    }

    @Test func everyRoleAgainstEveryPage() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            // Make a finding: the owner passes it to a colleague who sends it straight back.
            var owner = try await browser(.owner, client, fixture: fixture)
            _ = try await owner.post(
                "/cases/\(ServerFixture.code)/actions", form: [("type", "transfer"), ("to", "cv-binh"), ("reason", "Chuyển xem xét")],
                from: "/cases/\(ServerFixture.code)")
            var colleague = try await browser(.colleague, client, fixture: fixture)
            _ = try await colleague.post(
                "/cases/\(ServerFixture.code)/actions", form: [("type", "transfer"), ("to", "cv-an"), ("reason", "Trả lại")],
                from: "/cases/\(ServerFixture.code)")
            let finding = try #require(
                try await fixture.store.findings(FindingQuery(caseID: ServerFixture.code, detector: "ping_pong")).findings.first)
            let findingPage = "/findings/\(finding.finding.id)"
            let findingExpected: [Who: Int] = [
                .anonymous: 303, .citizen: 303, .owner: 200, .colleague: 403, .head: 200, .outsider: 403, .otherHead: 403, .inspector: 200,
                .admin: 200,
            ]
            for who in Who.allCases {
                var b = try await browser(who, client, fixture: fixture)
                for (path, expected) in Self.pages + [(findingPage, findingExpected)] {
                    let response = try await b.get(path)
                    let want = try #require(expected[who])
                    #expect(Int(response.status.code) == want, "\(who.rawValue) GET \(path): expected \(want), got \(response.status.code)")
                    if want == 303 && path != "/login" {
                        let target = response.location ?? ""
                        #expect(target.hasPrefix("/login") || target == "/track", "\(who.rawValue) GET \(path) redirects to \(target)")
                    }
                }
            }
        }
    }

    /// Acting on a case: only who may see it; and the domain decides the rest (a colleague is not the owner).
    @Test func actingIsRefusedOutsideTheRemit() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            let path = "/cases/\(ServerFixture.code)/actions"
            for who in Who.allCases {
                var b = try await browser(who, client, fixture: fixture)
                let before = try await fixture.store.ledgerSize()
                let response = try await b.post(
                    path, form: [("type", "comment"), ("text", "Ghi chú của \(who.rawValue)")],
                    from: who == .anonymous || who == .citizen ? "/track" : "/inbox")
                let after = try await fixture.store.ledgerSize()
                switch who {
                case .anonymous, .citizen:
                    #expect(response.status.code == 303 && (response.location ?? "").hasPrefix("/login"), "\(who) is sent to log in")
                    #expect(after == before)
                case .outsider, .otherHead:
                    #expect(response.status.code == 403, "\(who) may not act on a case outside their remit")
                    #expect(after == before, "nothing written for \(who)")
                default:
                    #expect(response.status.code == 303, "\(who) comments")
                    #expect(after == before + 1, "\(who)'s comment is on the ledger")
                }
            }
            // Without the form's token nothing is written, even for the owner.
            var owner = try await browser(.owner, client, fixture: fixture)
            let before = try await fixture.store.ledgerSize()
            let forged = try await owner.post(path, form: [("type", "comment"), ("text", "giả mạo")], csrf: false)
            #expect(forged.status.code == 403)
            #expect(try await fixture.store.ledgerSize() == before)
        }
    }

    /// The API: bearer tokens with scopes; a web session is not an API credential; the ledger's proofs are public.
    @Test func apiScopes() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        _ = try await fixture.store.checkpoint()
        let all = fixture.tokens["all"]!
        let reader = fixture.tokens["reader"]!
        let findings = fixture.tokens["findings"]!
        let comment: [String: Any] = ["type": "comment", "actor": "cv-an", "text": "Đồng bộ từ hệ thống một cửa"]
        struct Row: @unchecked Sendable {  // immutable test data; the body is read only
            var method: HTTPRequest.Method
            var path: String
            var body: [String: Any]?
            var expected: [(String?, Int)]
        }
        let cases: [Row] = [
            Row(method: .get, path: "/api/v1/cases", expected: [(nil, 401), (reader, 200), (findings, 403), (all, 200), ("bst_wrong", 401)]),
            Row(method: .get, path: "/api/v1/cases/\(ServerFixture.code)", expected: [(nil, 401), (reader, 200), (findings, 403), (all, 200)]),
            Row(
                method: .post, path: "/api/v1/cases/\(ServerFixture.code)/actions", body: comment,
                expected: [(nil, 401), (reader, 403), (findings, 403), (all, 201)]),
            Row(method: .get, path: "/api/v1/findings", expected: [(nil, 401), (reader, 403), (findings, 200), (all, 200)]),
            Row(method: .get, path: "/api/v1/programmes", expected: [(nil, 401), (reader, 200), (findings, 403), (all, 200)]),
            Row(method: .get, path: "/api/v1/index", expected: [(nil, 401), (reader, 200), (findings, 403), (all, 200)]),
            Row(method: .get, path: "/api/v1/org/units", expected: [(nil, 401), (reader, 403), (findings, 403), (all, 200)]),
            Row(method: .get, path: "/api/v1/ledger/entries/0", expected: [(nil, 401), (reader, 403), (findings, 403), (all, 200)]),
            Row(method: .get, path: "/api/v1/ledger/checkpoint", expected: [(nil, 200), (reader, 200), (findings, 200), (all, 200)]),
            Row(method: .get, path: "/api/v1/ledger/proofs/inclusion?index=0&size=1", expected: [(nil, 200), (reader, 200), (all, 200)]),
        ]
        try await fixture.test { client in
            for row in cases {
                let (method, path) = (row.method, row.path)
                for (token, want) in row.expected {
                    let r = try await client.api(method, path, token: token, json: row.body)
                    #expect(
                        Int(r.status.code) == want,
                        "\(method) \(path) with \(token.map { String($0.prefix(14)) } ?? "no token"): expected \(want), got \(r.status.code)")
                    if want >= 400 {
                        #expect(try r.json()["code"] as? String == (want == 401 ? "unauthorized" : "forbidden"))
                    }
                }
            }
            // A logged-in official's session cookie does not open the API.
            var b = Browser(client)
            _ = try await b.login("cv-an")
            let r = try await client.execute(uri: "/api/v1/cases", method: .get, headers: b.headers(), body: nil)
            #expect(r.status.code == 401)
        }
    }
}
