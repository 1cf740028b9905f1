import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopServer
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The pages as people use them: refusals explained in their language, search without diacritics, the citizen's
/// PIN guarded against guessing, petitions, the finding workflow on the ledger.
@Suite(.serialized) struct WebFlowTests {
    static let casePath = "/cases/\(ServerFixture.code)"

    @Test func escalationWithoutProposalIsRefusedWithAClearMessage() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("cv-an")
            let before = try await fixture.store.ledgerSize()
            let r = try await b.post(
                Self.casePath + "/actions", form: [("type", "escalate"), ("to", "gd-stp"), ("proposal", "")], from: Self.casePath)
            // The refusal comes back at once (422) on the case page, the escalation form open with what was chosen.
            #expect(r.status.code == 422)
            #expect(try await fixture.store.ledgerSize() == before, "nothing written")
            let page = r
            #expect(page.text.contains("id=\"flash\" class=\"flash error\""))
            #expect(page.text.contains("Trình cấp trên: thiếu đề xuất — bắt buộc"), "the message names the field, in Vietnamese only")
            #expect(page.text.contains("<option value=\"gd-stp\" selected"), "the chosen superior is kept")
            #expect(page.text.contains("<details class=\"action\" open=\"open\"><summary>Trình cấp trên"), "the refused form is open")
            // A refusal of the domain keeps the words typed: an escalation sideways, with a proposal.
            let sideways = try await b.post(
                Self.casePath + "/actions", form: [("type", "escalate"), ("to", "cv-binh"), ("proposal", "Đề nghị cấp phiếu ngay trong tuần")],
                from: Self.casePath)
            #expect(sideways.status.code == 422)
            #expect(sideways.text.contains("không phải cấp trên"), "the domain's reason in Vietnamese")
            #expect(sideways.text.contains(">Đề nghị cấp phiếu ngay trong tuần</textarea>"), "the proposal is not lost")
            // In English the same refusal says so in English.
            _ = try await b.get(Self.casePath + "?lang=en")
            let english = try await b.post(
                Self.casePath + "/actions", form: [("type", "escalate"), ("to", "gd-stp"), ("proposal", " ")], from: Self.casePath)
            #expect(english.text.contains("field &#39;proposal&#39; is required"))
            #expect(english.text.contains("<html lang=\"en\">"))
            // With a proposal it goes through and the head holds it.
            _ = try await b.post(
                Self.casePath + "/actions", form: [("type", "escalate"), ("to", "gd-stp"), ("proposal", "Đề nghị cấp phiếu theo mẫu số 1")],
                from: Self.casePath)
            #expect(try await fixture.store.caseState(ServerFixture.code)?.owner == "gd-stp")
        }
    }

    @Test func searchIgnoresDiacritics() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ttv")
            let r = try await b.get("/search?q=nguyen+van")
            #expect(r.text.contains("Nguyễn Văn Thành"), "'nguyen van' finds 'Nguyễn Văn Thành'")
            #expect(!r.text.contains("Trần Thị Hoa"))
            let cases = try await b.get("/search?q=LY%20LICH%20tu%20phap")
            #expect(cases.text.contains("data-case") || cases.text.contains(ServerFixture.code.rawValue))
            let unit = try await b.get("/search?q=so+tu+phap")
            #expect(unit.text.contains("Sở Tư pháp"))
        }
    }

    @Test func citizenPINIsRateLimitedAndVerifies() async throws {
        let fixture = try await ServerFixture.make(pinAttempts: 3)
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let pin = fixture.state.live.citizenKeys.pin(for: ServerFixture.code)
        let wrong = pin == "000000" ? "111111" : "000000"
        try await fixture.test { client in
            var c = Browser(client)
            for _ in 0..<3 {
                let r = try await c.post("/track", form: [("code", ServerFixture.code.rawValue), ("pin", wrong)])
                #expect(r.status.code == 401)
                #expect(r.text.contains("flash error"))
            }
            // The right PIN is refused too now: guessing is stopped, not slowed.
            let blocked = try await c.post("/track", form: [("code", ServerFixture.code.rawValue), ("pin", pin)])
            #expect(blocked.status.code == 429)
            #expect(c.cookies["bs_citizen"] == nil)

            // Another case code from the same address still works (the per-address budget is larger).
            let other = try await fixture.state.live.open(
                OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ khác", leadUnit: "stp-hcbt", owner: "cv-binh"),
                actor: .official("cv-binh"),
                at: LiveLedger.nowMillis(), personalData: nil, via: .generated("test"))
            let code = other.receipt.caseID
            let ok = try await c.post("/track", form: [("code", code.rawValue.lowercased()), ("pin", try #require(other.pin))])
            #expect(ok.status.code == 303)
            let page = try await c.get("/track/\(code.rawValue)")
            #expect(page.status == .ok && page.text.contains("id=\"track-owner\" data-official=\"cv-binh\""))
            // Nothing is signed for the asking: before the scheduled, witnessed checkpoint the case is not verified yet.
            let early = try await c.get("/track/\(code.rawValue)/verify")
            #expect(early.text.contains("id=\"verify-result\" data-verified=\"false\""))
            try await fixture.checkpointAndWitness()
            let verify = try await c.get("/track/\(code.rawValue)/verify")
            #expect(verify.text.contains("id=\"verify-result\" data-verified=\"true\""))
            #expect(verify.text.contains("class=\"witness\" data-valid=\"true\""))
            // The grant is for that case only.
            let notMine = try await c.get("/track/\(ServerFixture.code.rawValue)")
            #expect(notMine.status.code == 303)
        }
    }

    @Test func petitionOpensACaseWithAReceipt() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var c = Browser(client)
            let r = try await c.post(
                "/petition", form: [("fullName", "Lê Thị Bé"), ("phone", "0905123456"), ("title", "Đèn đường hẻm 12 không sáng")])
            #expect(r.status == .ok)
            let code = try #require(r.text.range(of: "id=\"case-code\">").map { String(r.text[$0.upperBound...].prefix { $0 != "<" }) })
            let state = try #require(try await fixture.store.caseState(CaseID(code)))
            #expect(state.kind == .petition && state.owner != nil)
            let history = try await fixture.store.history(of: CaseID(code))
            #expect(history.first?.action.actor == .citizen)
            let entry = try #require(try await fixture.store.entry(at: history[0].index))
            #expect(!String(decoding: entry.body, as: UTF8.self).contains("Lê Thị Bé"), "the petitioner's name stays off the ledger")
            let page = try await c.get("/track/\(code)")
            #expect(page.status == .ok, "the receipt grants the petitioner their case")
        }
    }

    /// The inbox's findings are paged and filtered like the unit page's: an official with 23 late cases sees the cases
    /// first, then 20 findings with the way to the rest, and the behaviour filter narrows the list and the count.
    @Test func inboxFindingsArePagedAndFiltered() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let now = LiveLedger.nowMillis() - 60_000
        for i in 1...23 {
            let code = CaseID("STP-251120-\(String(1000 + i).suffix(4))")
            guard case .open(let open) = SampleCity.openDossier(code, owner: "cv-an", at: now, due: CivilDate(Date()).adding(days: 30)).body
            else { return }
            _ = try await fixture.store.append(
                .open(open, actor: .official("cv-an"), at: now, code: code, personalData: nil, via: .generated("test")))
        }
        // Ninety days on, every case is late: overdue (and more) for each, all about cv-an.
        _ = try await fixture.state.live.runSurvey(now: now + 90 * 86_400_000)
        let overdue = try await fixture.store.findings(FindingQuery(official: "cv-an", statuses: [.open], detector: "overdue")).total
        let all = try await fixture.store.findings(FindingQuery(official: "cv-an", statuses: [.open])).total
        #expect(overdue == 23 && all > overdue, "\(overdue) overdue of \(all)")
        try await fixture.test { client in
            var an = Browser(client)
            _ = try await an.login("cv-an")
            let first = try await an.get("/inbox").text
            #expect(first.range(of: "id=\"inbox\"")!.lowerBound < first.range(of: "id=\"my-findings\"")!.lowerBound, "the work first")
            #expect(first.contains("Phát hiện về tôi cần giải trình (\(all))"))
            #expect(first.components(separatedBy: "data-detector=").count - 1 == 20, "one page of 20")
            #expect(first.contains("href=\"/inbox?page=2&amp;status=open#my-findings\""))
            let filtered = try await an.get("/inbox?detector=overdue&page=2").text
            #expect(filtered.contains("Trang 2/2 · 23 phát hiện") && filtered.contains("<option value=\"overdue\" selected=\"selected\">"))
            let shown = filtered.components(separatedBy: "data-detector=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(shown.count == 3 && shown.allSatisfy { $0 == "overdue" }, "\(shown)")
            let dismissed = try await an.get("/inbox?status=dismissed").text
            #expect(dismissed.contains("Phát hiện về tôi (0)") && dismissed.contains("Không có phát hiện nào như vậy."))
        }
    }

    @Test func findingWorkflowOnThePages() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            var an = Browser(client)
            var binh = Browser(client)
            var head = Browser(client)
            _ = try await an.login("cv-an")
            _ = try await binh.login("cv-binh")
            _ = try await head.login("tp-hcbt")
            _ = try await an.post(
                Self.casePath + "/actions", form: [("type", "transfer"), ("to", "cv-binh"), ("reason", "Chuyển")], from: Self.casePath)
            let back = try await binh.post(
                Self.casePath + "/actions", form: [("type", "transfer"), ("to", "cv-an"), ("reason", "Trả lại")], from: Self.casePath)
            #expect(back.status.code == 303)
            // The official who now holds the case and the head see it on their next page load.
            #expect(try await an.get(Self.casePath).text.contains("data-detector=\"ping_pong\""))
            let unit = try await head.get("/unit")
            #expect(unit.text.contains("data-detector=\"ping_pong\" data-case=\"\(ServerFixture.code)\" data-official=\"cv-an\""))
            #expect(unit.text.contains("<svg class=\"chart\""))
            // The work comes first, then the per-official table, then the findings in their own section.
            let order = ["id=\"unit-cases\"", "id=\"unit-officials\"", "id=\"unit-findings\""].map { unit.text.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!)
            let anRow = try #require(
                unit.text.components(separatedBy: "<tr data-official=\"cv-an\">").dropFirst().first?.components(separatedBy: "</tr>").first)
            let anCells = anRow.components(separatedBy: "<td>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            #expect(anCells.count == 9 && anCells[2] == "1" && anCells[3] == "0" && anCells[5] == "1", "cv-an holds the case and has one finding")
            // Filters narrow the findings and keep the CSV link in step; the CSV opens in Excel (BOM) with the same rows.
            let none = try await head.get("/unit?detector=overdue")
            #expect(!none.text.contains("data-detector=\"ping_pong\"") && none.text.contains("<option value=\"overdue\" selected=\"selected\">"))
            #expect(none.text.contains("href=\"/unit/export.csv?list=findings&amp;status=open&amp;detector=overdue\""))
            #expect(try await head.get("/unit?detector=ping_pong&page=9").text.contains("Trang 1/1 · 1 phát hiện"))
            let csv = try await head.get("/unit/export.csv?list=findings&status=open&detector=ping_pong")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 2 && lines[0].hasPrefix("\u{FEFF}Mã phát hiện,Hành vi") && lines[1].contains("Đùn đẩy qua lại"))
            let officials = try await head.get("/unit/export.csv?list=officials").text
            #expect(officials.contains("Võ Thị An,Phòng Hành chính tư pháp,1,0,"))
            #expect(try await head.get("/unit/export.csv?list=nothing").status.code == 400, "an unknown list is a bad request naming list")
            // One return names the one it came back to (cv-an sent it to the wrong place), who is asked to explain.
            let inbox = try await an.get("/inbox")
            #expect(inbox.text.contains("id=\"my-findings\""), "cv-an is asked to explain")
            let f = try #require(try await fixture.store.findings(FindingQuery(caseID: ServerFixture.code)).findings.first)
            let page = "/findings/\(f.finding.id)"
            // The finding page: the rule in words, the value against the limit with its unit, and the evidence as the
            // case's timeline rows — who, what, when and the reason they gave — not bare entry numbers.
            let shown = try await head.get(page).text
            #expect(shown.contains("id=\"finding-rule\">Hồ sơ quay lại người hoặc đơn vị đã xử lý trước đó."))
            #expect(shown.contains("data-value=\"1\" data-limit=\"0\">1 lần — ngưỡng 0 lần<"))
            let evidence = try #require(shown.components(separatedBy: "id=\"finding-evidence\"").last)
            let rows = evidence.components(separatedBy: "<tr class=\"entry\"").dropFirst()
            #expect(rows.count == 2, "the two hand-offs are the evidence")
            #expect(rows.allSatisfy { $0.contains("data-type=\"transfer\"") })
            #expect(rows.last?.contains("Đặng Quốc Bình") == true && rows.last?.contains("Trả lại") == true)
            #expect(rows.first?.contains("Võ Thị An") == true)
            #expect(try await head.get(page + "?lang=en").text.contains(">1 time — limit 0 times<"), "English counts in words, singular for one")
            // The head may not explain for cv-an; cv-an may not review their own finding.
            _ = try await head.post(page + "/explain", form: [("text", "Thay mặt")], from: page)
            #expect(try await fixture.store.finding(id: f.finding.id)?.finding.status == .open)
            _ = try await an.post(page + "/explain", form: [("text", "Chuyển nhầm người, đã nhận lại ngay")], from: page)
            #expect(try await fixture.store.finding(id: f.finding.id)?.finding.status == .explained)
            _ = try await an.post(page + "/review", form: [("uphold", "false"), ("note", "")], from: page)
            #expect(try await fixture.store.finding(id: f.finding.id)?.finding.status == .explained)
            // Upholding names a cause from the rulebook's list; without one the finding stays as it was.
            #expect(
                try await head.get(page + "?lang=vi").text.contains(
                    "<option value=\"chuc-nang-khong-ro\">Chức năng, nhiệm vụ, thẩm quyền chưa rõ ràng</option>"))
            _ = try await head.post(page + "/review", form: [("uphold", "true"), ("note", "Đúng"), ("cause", "")], from: page)
            #expect(try await fixture.store.finding(id: f.finding.id)?.finding.status == .explained)
            _ = try await head.post(
                page + "/review", form: [("uphold", "true"), ("note", "Phân công chưa rõ, lỗi của phòng"), ("cause", "chuc-nang-khong-ro")],
                from: page)
            let done = try #require(try await fixture.store.finding(id: f.finding.id))
            #expect(done.finding.status == .upheld && done.reviewer == "tp-hcbt" && done.finding.cause == "chuc-nang-khong-ro")
            // (The page was last asked for in Vietnamese, which the session keeps.)
            #expect(try await head.get(page).text.contains("data-cause=\"chuc-nang-khong-ro\">Chức năng, nhiệm vụ, thẩm quyền chưa rõ ràng<"))
            // The unit's page counts causes by unit and behaviour.
            let unitPage = try await head.get("/unit").text
            #expect(unitPage.contains("<tr data-unit=\"stp-hcbt\" data-cause=\"chuc-nang-khong-ro\" data-count=\"1\">"))
            #expect(unitPage.contains("id=\"unit-cause-totals\">Chức năng, nhiệm vụ, thẩm quyền chưa rõ ràng: 1<"))
            let types = try await fixture.store.history(of: ServerFixture.code).map(\.action.body.type)
            #expect(
                types.filter { $0 == .explainFinding }.count == 1 && types.filter { $0 == .reviewFinding }.count == 1, "each step once, on the ledger"
            )
        }
    }

    @Test func operationsEndpoints() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/health/ready", method: .get).text.contains("\"ok\""))
            let css = try await client.execute(uri: "/static/style.css", method: .get)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            let login = try await client.execute(uri: "/login", method: .get)
            #expect(login.headers[values: .setCookie].contains { $0.contains("HttpOnly") && $0.contains("SameSite=Lax") })
        }
    }
}
