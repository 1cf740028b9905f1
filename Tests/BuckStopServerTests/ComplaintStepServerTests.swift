import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// Withdrawal, dialogue and reception sessions through the case page's forms and the API, against the live writer's
/// checks of the rulebook's rows (SQLite): a second-instance decision waits for a dialogue, a partial withdrawal is
/// refused on a day before the law allowed it, the citizen reads each step.
@Suite(.serialized) struct ComplaintStepServerTests {
    @Test func theHolderRecordsADialogueBeforeASecondInstanceDecisionAndWithdrawalsThroughTheForms() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let now = LiveLedger.nowMillis() - 60_000
        func open(_ title: String, procedure: String?) async throws -> CaseID {
            let open = OpenCase(kind: .complaint, procedure: procedure, title: title, leadUnit: "thanh-tra", owner: "ttv")
            return try await live.open(open, actor: .official("ttv"), at: now, personalData: nil, via: .generated("test")).receipt.caseID
        }
        let second = try await open("Khiếu nại lần hai quyết định bồi thường", procedure: "KN-L2")
        let first = try await open("Khiếu nại quyết định thu hồi đất", procedure: "KN-L1")
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ttv")
            let path = "/cases/\(second.rawValue)"
            _ = try await b.post(path + "/actions", form: [("type", "accept"), ("note", "Thụ lý")], from: path)
            let page = try await b.get(path).text
            for action in ["withdrawal", "withdrawal_partial", "dialogue"] { #expect(page.contains("data-action=\"\(action)\""), "\(action) form") }
            #expect(!page.contains("data-action=\"withdrawal_continued\""), "a complaint's handling does not continue after it is withdrawn")
            let decide = [("type", "decide"), ("decision", "Giữ nguyên quyết định lần đầu"), ("rationale", "Kết quả xác minh")]
            let early = try await b.post(path + "/actions", form: decide, from: path)
            #expect(early.status.code == 422 && early.text.contains("phải có đối thoại với người khiếu nại trước"), "\(early.text.prefix(400))")
            let dialogue = try await b.post(
                path + "/actions",
                form: [
                    ("type", "dialogue"), ("participants", "Người khiếu nại, đại diện Sở Tư pháp"), ("outcome", "Còn khác nhau về đơn giá"),
                    ("minutes", "Biên bản số 12/BB-TTr"), ("complainantAbsent", "on"),
                ], from: path)
            #expect(dialogue.status.code == 303)
            let decided = try await b.post(path + "/actions", form: decide, from: path)
            #expect(decided.status.code == 303, "absence after an invitation counts from 1 July 2026")
            // A part withdrawn, then the whole: the case ends.
            let fPath = "/cases/\(first.rawValue)"
            let part = try await b.post(
                fPath + "/actions",
                form: [("type", "withdrawal_partial"), ("letter", "Đơn rút một phần ngày 01/12"), ("part", "Yêu cầu bồi thường")],
                from: fPath)
            #expect(part.status.code == 303)
            let continued = try await b.post(
                fPath + "/actions", form: [("type", "withdrawal_continued"), ("letter", "Đơn rút"), ("continuing", "Vi phạm")], from: fPath)
            #expect(continued.status.code == 422 && continued.text.contains("pháp luật không cho tiếp tục giải quyết khiếu nại"), "\(continued.text)")
            let whole = try await b.post(
                fPath + "/actions", form: [("type", "withdrawal"), ("letter", "Đơn xin rút khiếu nại ngày 02/12")], from: fPath)
            #expect(whole.status.code == 303)
        }
        #expect(try await fixture.store.caseState(first)?.status == .closed)
        let onLedger = try await fixture.store.history(of: second).map(\.action.body.type)
        #expect(onLedger.suffix(2) == [.dialogue, .decide])
        try await fixture.test { client in
            var citizen = Browser(client)
            _ = try await citizen.post("/track", form: [("code", first.rawValue), ("pin", live.citizenKeys.pin(for: first))])
            let page = try await citizen.get("/track/\(first.rawValue)").text
            #expect(page.contains("Ông/Bà rút một phần nội dung: Yêu cầu bồi thường"))
            #expect(page.contains("Ông/Bà đã rút đơn; đình chỉ việc giải quyết."))
            var other = Browser(client)
            _ = try await other.post("/track", form: [("code", second.rawValue), ("pin", live.citizenKeys.pin(for: second))])
            #expect(try await other.get("/track/\(second.rawValue)").text.contains("Ông/Bà được mời đối thoại nhưng không đến"))
        }
    }

    /// Through the API: a partial withdrawal imported on a day before 1 July 2026 is refused naming `part`; a dialogue with
    /// `complainantAttended`; a reception session entered in a book.
    @Test func theAPITakesWithdrawalsDialoguesAndReceptionSessions() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let june = Int64(CivilDate(year: 2026, month: 6, day: 15)!.startInstant().timeIntervalSince1970 * 1000) + 3 * 3_600_000
        let open = OpenCase(kind: .complaint, procedure: "KN-L1", title: "Khiếu nại quyết định xử phạt", leadUnit: "thanh-tra", owner: "ttv")
        let code = try await live.open(open, actor: .official("ttv"), at: june, timeGiven: true, personalData: nil, via: .generated("test"))
            .receipt.caseID
        let book: CaseID = "PHC-TCD-2026"
        _ = try await fixture.store.append(
            .open(
                OpenCase(kind: .reception, procedure: "commune_chair", title: "Sổ tiếp công dân", leadUnit: "p-hai-chau", owner: "ct-hc"),
                actor: .official("ct-hc"), at: LiveLedger.nowMillis() - 3_600_000, code: book, personalData: nil, via: .generated("test")))
        let importer = try #require(fixture.tokens["importer"])
        let all = try #require(fixture.tokens["all"])
        try await fixture.test { client in
            let path = "/api/v1/cases/\(code.rawValue)/actions"
            let part: [String: Any] = [
                "type": "withdrawal_partial", "actor": "ttv", "at": june + 3_600_000, "letter": "Đơn rút một phần", "part": "Bồi thường",
            ]
            let refused = try await client.api(.post, path, token: importer, json: part)
            let problem = try refused.json()
            #expect(refused.status.code == 422 && problem["field"] as? String == "part", "\(problem)")
            #expect((problem["detail"] as? String)?.contains("từ ngày 2026-07-01") == true, "\(problem)")
            let dialogue: [String: Any] = [
                "type": "dialogue", "actor": "ttv", "participants": "Người khiếu nại, đại diện UBND phường", "outcome": "Thống nhất",
                "minutes": "BB 3/BB-TTr", "complainantAttended": false,
            ]
            #expect(try await client.api(.post, path, token: all, json: dialogue).status.code == 201)
            let session: [String: Any] = [
                "type": "reception_periodic", "actor": "mc-hc", "day": CivilDate(Date()).description, "receivedBy": "ct-hc", "citizens": 2,
                "matters": ["Phản ánh lấn chiếm vỉa hè"], "cases": [],
            ]
            let written = try await client.api(.post, "/api/v1/cases/\(book.rawValue)/actions", token: all, json: session)
            #expect(written.status.code == 201, "\(written.text.prefix(300))")
            let negative = try await client.api(
                .post, "/api/v1/cases/\(book.rawValue)/actions", token: all, json: session.merging(["citizens": -1]) { $1 })
            let field = try negative.json()["field"] as? String
            #expect(negative.status.code == 422 && field == "citizens", "\(negative.text.prefix(300))")
        }
        guard case .dialogue(let d) = try await fixture.store.history(of: code).last?.action.body else {
            Issue.record("no dialogue on the ledger")
            return
        }
        #expect(!d.complainantAttended && d.minutes == "BB 3/BB-TTr")
        guard case .receptionHeld(let s) = try await fixture.store.history(of: book).last?.action.body else {
            Issue.record("no reception session on the ledger")
            return
        }
        #expect(s.periodic && s.citizens == 2 && s.receivedBy == "ct-hc")
    }
}
