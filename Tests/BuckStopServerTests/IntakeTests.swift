import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// Intake at the counter (issue 15): the procedure's checklist, the applicant's contact, the owner in the lead unit,
/// the title from the procedure, and a form that keeps what was typed when something is refused.
@Suite(.serialized) struct IntakeTests {
    static let birth = "HT-KHAISINH"
    static let form = "Tờ khai đăng ký khai sinh theo mẫu"
    static let certificate = "Giấy chứng sinh (không có thì văn bản xác nhận của người làm chứng)"

    static func fields(_ extra: [(String, String)]) -> [(String, String)] {
        var base: [String: String] = [
            "kind": "dossier", "procedure": birth, "title": "", "leadUnit": "p-hai-chau", "owner": "mc-hc", "applicantName": "Phạm Văn Hùng",
            "applicantPhone": "0912 345 678", "otherDocuments": "",
        ]
        var list: [(String, String)] = []
        for (k, v) in extra where k != "documents" { base[k] = v }
        for (k, v) in base.sorted(by: { $0.key < $1.key }) { list.append((k, v)) }
        return list + extra.filter { $0.0 == "documents" }
    }

    @Test func theChecklistFollowsTheProcedureAndTheTitleComesFromIt() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("mc-hc")
            let page = try await b.get("/cases/new?procedure=\(Self.birth)")
            #expect(page.status.code == 200)
            #expect(page.text.contains("data-procedure=\"\(Self.birth)\""))
            #expect(page.text.contains("value=\"\(Self.form)\"") && page.text.contains("Luật Hộ tịch 2014 Đ.16(1)"))
            #expect(page.text.contains("id=\"title\" name=\"title\" maxlength=\"300\" value=\"Đăng ký khai sinh\""), "title from the procedure")
            // Complete: both documents ticked and one more in words; the title left empty takes the procedure's name.
            let before = try await fixture.store.ledgerSize()
            let r = try await b.post(
                "/cases",
                form: Self.fields([("documents", Self.form), ("documents", Self.certificate), ("otherDocuments", "Bản sao sổ hộ khẩu\n ")]),
                from: "/cases/new?procedure=\(Self.birth)")
            #expect(r.status.code == 303, "\(r.text.prefix(400))")
            #expect(try await fixture.store.ledgerSize() == before + 1)
            let code = try #require(r.location?.split(separator: "/").dropFirst().first.map(String.init))
            let history = try await fixture.store.history(of: CaseID(code))
            guard case .open(let open)? = history.first?.action.body else {
                Issue.record("no opening entry for \(code)")
                return
            }
            #expect(open.title == "Đăng ký khai sinh")
            #expect(open.documents == [Self.form, Self.certificate, "Bản sao sổ hộ khẩu"])
            let ref = try #require(open.subject?.ref)
            let person = try #require(try await fixture.store.personalData(ref: ref))
            #expect(person.fullName == "Phạm Văn Hùng" && person.phone == "0912345678", "the phone is kept as digits")
        }
    }

    @Test func refusalsKeepWhatWasTyped() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("mc-hc")
            let before = try await fixture.store.ledgerSize()
            // Incomplete dossier: not received, the missing document named, everything typed still there.
            let incomplete = try await b.post(
                "/cases", form: Self.fields([("documents", Self.form), ("title", "Khai sinh cho cháu Hùng")]), from: "/cases/new")
            #expect(incomplete.status.code == 422)
            #expect(incomplete.text.contains("Hồ sơ chưa đủ thành phần") && incomplete.text.contains("thiếu Giấy chứng sinh"))
            #expect(incomplete.text.contains("value=\"Khai sinh cho cháu Hùng\"") && incomplete.text.contains("value=\"Phạm Văn Hùng\""))
            #expect(incomplete.text.contains("value=\"\(Self.form)\" checked"), "the ticked document stays ticked")
            // A phone number nobody can call back.
            let phone = try await b.post(
                "/cases", form: Self.fields([("documents", Self.form), ("documents", Self.certificate), ("applicantPhone", "12345")]),
                from: "/cases/new")
            #expect(phone.status.code == 422)
            #expect(phone.text.contains("Số điện thoại &quot;12345&quot; không hợp lệ") && phone.text.contains("value=\"12345\""))
            // The owner from another unit: the domain refuses, in Vietnamese, and the form keeps the choice.
            let owner = try await b.post(
                "/cases",
                form: Self.fields([
                    ("documents", Self.form), ("documents", Self.certificate), ("leadUnit", "stp-hcbt"), ("owner", "ct-hc"),
                ]), from: "/cases/new")
            #expect(owner.status.code == 422)
            #expect(owner.text.contains("không thuộc đơn vị chủ trì stp-hcbt"), "\(owner.text.prefix(2000))")
            #expect(owner.text.contains("<option value=\"stp-hcbt\" selected"))
            // A document of another procedure is not silently dropped.
            let stranger = try await b.post(
                "/cases", form: Self.fields([("documents", "Bản chính giấy tờ, văn bản cần chứng thực bản sao")]), from: "/cases/new")
            #expect(stranger.status.code == 422 && stranger.text.contains("không thuộc thành phần hồ sơ của thủ tục đã chọn"))
            #expect(try await fixture.store.ledgerSize() == before, "nothing refused was written")
        }
    }

    /// An integration sends the documents it received: the same checklist rule as the counter (one function in the
    /// domain), the refusal naming the field and the missing document, and the list kept on the opening entry.
    @Test func theAPITakesTheDocumentsAndRefusesAnIncompleteDossier() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let token = try #require(fixture.tokens["all"])
        try await fixture.test { client in
            let document = try OpenAPIDocument(yaml: try await client.execute(uri: "/openapi.yaml", method: .get).text)
            var body: [String: Any] = [
                "kind": "dossier", "procedure": Self.birth, "title": "Đăng ký khai sinh", "leadUnit": "p-hai-chau", "owner": "mc-hc",
                "actor": "mc-hc", "documents": [Self.form],
            ]
            let incomplete = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(incomplete.status.code == 422)
            try LiveAPITests.conforms(incomplete, "post", "/api/v1/cases", document: document)
            #expect(try incomplete.errorField() == "documents")
            #expect(incomplete.text.contains("Medical birth certificate") || incomplete.text.contains("Giấy chứng sinh"), "\(incomplete.text)")
            #expect(try await fixture.store.ledgerSize() == 0, "nothing refused was written")

            body["documents"] = [Self.certificate, Self.form, "Bản sao sổ hộ khẩu"]
            let opened = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(opened.status.code == 201, "\(opened.text.prefix(400))")
            try LiveAPITests.conforms(opened, "post", "/api/v1/cases", document: document)
            let code = try #require((try opened.json()["case"] as? [String: Any])?["code"] as? String)
            guard case .open(let open)? = try await fixture.store.history(of: CaseID(code)).first?.action.body else {
                Issue.record("no opening entry for \(code)")
                return
            }
            #expect(open.documents == [Self.certificate, Self.form, "Bản sao sổ hộ khẩu"], "kept as sent, extras included")

            // A blank item is refused by the document's own pattern, naming the item.
            body["documents"] = [Self.form, Self.certificate, "  "]
            let blank = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(blank.status.code == 422 || blank.status.code == 400)
            #expect(try blank.errorField()?.hasPrefix("documents") == true, "\(blank.text)")
        }
    }

    /// A complaint received at the counter has no resolution due date (the law counts it from acceptance); its
    /// acceptance through the live ledger — the one way entries are written — carries the due date the rulebook gives
    /// from that day, on the ledger entry itself, and the case takes it.
    @Test func aComplaintsClockStartsWhenItIsAccepted() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let now = LiveLedger.nowMillis() - 60_000
        #expect(live.dueDate(kind: .complaint, procedure: nil, at: Date()) == nil)
        let open = OpenCase(kind: .complaint, title: "Khiếu nại quyết định xử phạt", leadUnit: "thanh-tra", owner: "ttv", dueDate: nil)
        let opened = try await live.open(open, actor: .official("ttv"), at: now, personalData: nil, via: .generated("test"))
        let code = opened.receipt.caseID
        #expect(opened.receipt.state.dueDate == nil)
        let accepted = try await live.append(
            Action(caseID: code, actor: .official("ttv"), at: now + 1000, body: .accept(note: "Thụ lý"), via: .generated("test")))
        let expected = try #require(
            live.rulebook.dueDate(
                for: .complaint, procedure: nil, acceptedAt: Date(timeIntervalSince1970: Double(now + 1000) / 1000), calendar: live.calendar))
        #expect(accepted.receipt.state.dueDate == expected.date)
        let entry = try #require(try await fixture.store.history(of: code).last)
        guard case .accept(_, let written) = entry.action.body else {
            Issue.record("expected the acceptance, found \(entry.action.body.type)")
            return
        }
        #expect(written == expected.date, "the date is on the ledger entry, not only in the projection")
    }

    /// Suspension through the live ledger: the resumption carries the due date moved on by the time suspended, on the
    /// entry itself; meanwhile the case page says it is suspended and offers only what may happen.
    @Test func aResumptionMovesTheDueDateOnByTheTimeSuspended() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let day: Int64 = 86_400_000
        let start = LiveLedger.nowMillis() - 60 * day
        let open = OpenCase(kind: .complaint, title: "Khiếu nại quyết định thu hồi đất", leadUnit: "thanh-tra", owner: "ttv")
        let code = try await live.open(open, actor: .official("ttv"), at: start, personalData: nil, via: .generated("test")).receipt.caseID
        func act(_ at: Int64, _ body: ActionBody) async throws -> AppendOutcome {
            try await live.append(Action(caseID: code, actor: .official("ttv"), at: at, body: body, via: .generated("test")))
        }
        let accepted = try await act(start + day, .accept(note: "Thụ lý"))
        let due = try #require(accepted.receipt.state.dueDate)
        _ = try await act(start + 5 * day, .suspend(legalBasis: "Luật Khiếu nại Đ.11a", reason: "Chờ kết quả giám định"))
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ttv")
            let page = try await b.get("/cases/\(code.rawValue)").text
            #expect(page.contains("data-status=\"suspended\">Tạm đình chỉ<") && page.contains("data-action=\"resume\""))
            #expect(!page.contains("data-action=\"decide\""), "no work while suspended")
        }
        let resumed = try await act(start + 25 * day, .resume(note: "Đã có kết quả giám định"))
        let toDate = { (ms: Int64) in CivilDate(Date(timeIntervalSince1970: Double(ms) / 1000)) }
        let expected = live.rulebook.dueDate(
            resuming: due, suspendedOn: toDate(start + 5 * day), resumedOn: toDate(start + 25 * day), kind: .complaint, procedure: nil,
            calendar: live.calendar)
        #expect(expected > due && resumed.receipt.state.dueDate == expected && !resumed.receipt.state.isSuspended)
        guard case .resume(_, let written)? = try await fixture.store.history(of: code).last?.action.body else {
            Issue.record("expected the resumption on the ledger")
            return
        }
        #expect(written == expected)
    }

    @Test func phoneNumbers() {
        #expect(ApplicantContact.vietnamesePhone("0912 345 678") == "0912345678")
        #expect(ApplicantContact.vietnamesePhone("+84 912.345.678") == "0912345678")
        #expect(ApplicantContact.vietnamesePhone("024 3825 1234") == "02438251234")
        #expect(ApplicantContact.vietnamesePhone("912345678") == nil, "no leading 0 or +84")
        #expect(ApplicantContact.vietnamesePhone("0912 345 67") == nil, "too short")
        #expect(ApplicantContact.vietnamesePhone("０912345678") == nil, "full-width digits are not ASCII")
    }
}
