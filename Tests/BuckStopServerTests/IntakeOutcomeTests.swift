import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The intake outcomes of issue 16 through the case page's forms and the live ledger (SQLite): a duplicate linked both
/// ways, a refusal on a ground of the rulebook and guidance to a body outside, each shown to the citizen in Vietnamese.
@Suite(.serialized) struct IntakeOutcomeServerTests {
    @Test func theHolderRecordsDuplicatesRefusalsAndGuidanceThroughTheForms() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let now = LiveLedger.nowMillis() - 60_000
        func open(_ title: String) async throws -> CaseID {
            let open = OpenCase(kind: .complaint, title: title, leadUnit: "thanh-tra", owner: "ttv")
            return try await live.open(open, actor: .official("ttv"), at: now, personalData: nil, via: .generated("test")).receipt.caseID
        }
        let first = try await open("Khiếu nại quyết định thu hồi đất")
        let repeated = try await open("Khiếu nại quyết định thu hồi đất (gửi lại)")
        let unsigned = try await open("Khiếu nại không ký tên")
        let court = try await open("Khiếu nại bản án")
        let ground = try #require(live.rulebook.refusalGrounds(for: .complaint, on: CivilDate(Date())).first { $0.id.contains(".unsigned.") })
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ttv")
            let path = "/cases/\(repeated.rawValue)"
            let page = try await b.get(path).text
            for action in ["refuse_intake", "guide", "duplicate"] { #expect(page.contains("data-action=\"\(action)\""), "\(action) form") }
            #expect(page.contains(ground.ground), "the grounds are offered in the law's words")
            // A duplicate of itself is refused, naming the field; then linked to the first letter.
            let itself = try await b.post(
                path + "/actions", form: [("type", "duplicate"), ("duplicateOf", repeated.rawValue), ("note", "Cùng nội dung")], from: path)
            #expect(itself.status.code == 422 && itself.text.contains("hồ sơ không thể trùng với chính nó"), "\(itself.text.prefix(300))")
            let missing = try await b.post(path + "/actions", form: [("type", "duplicate"), ("duplicateOf", "KN-NONE"), ("note", "x")], from: path)
            #expect(missing.status.code == 422 && missing.text.contains("không có hồ sơ KN-NONE"))
            let linked = try await b.post(
                path + "/actions", form: [("type", "duplicate"), ("duplicateOf", first.rawValue), ("note", "Cùng nội dung, cùng người gửi")],
                from: path)
            #expect(linked.status.code == 303)
            let original = try await b.get("/cases/\(first.rawValue)").text
            #expect(original.contains("id=\"duplicates\"") && original.contains(">\(repeated.rawValue)<"), "the earlier case lists its duplicate")
            let duplicatePage = try await b.get(path).text
            #expect(duplicatePage.contains("Trùng với hồ sơ") && duplicatePage.contains(">\(first.rawValue)<"))
            // A refusal with a ground the rulebook does not have, then with one it has.
            let uPath = "/cases/\(unsigned.rawValue)"
            let unknown = try await b.post(uPath + "/actions", form: [("type", "refuse_intake"), ("ground", "nope"), ("reason", "x")], from: uPath)
            #expect(unknown.status.code == 422 && unknown.text.contains("bộ quy tắc không có căn cứ không thụ lý"))
            let refused = try await b.post(
                uPath + "/actions", form: [("type", "refuse_intake"), ("ground", ground.id), ("reason", "Đơn không có chữ ký của người khiếu nại")],
                from: uPath)
            #expect(refused.status.code == 303)
            // Guidance to a body outside the organisation.
            let cPath = "/cases/\(court.rawValue)"
            let guided = try await b.post(
                cPath + "/actions",
                form: [("type", "guide"), ("body", "Tòa án nhân dân thành phố"), ("legalBasis", "Luật Khiếu nại 2011 Đ.11(9)"), ("note", "")],
                from: cPath)
            #expect(guided.status.code == 303)
        }
        // On the ledger: the duplicate closed, the link on the earlier case, the refusal and the guidance closed.
        #expect(try await fixture.store.caseState(repeated)?.status == .closed)
        #expect(try await fixture.store.caseState(first)?.status == .received)
        #expect(try await fixture.store.history(of: first).last?.action.body == .duplicateLinked(duplicate: repeated))
        #expect(try await fixture.store.caseState(unsigned)?.status == .closed)
        #expect(try await fixture.store.caseState(court)?.status == .closed)
        // The citizen reads the outcome in Vietnamese: the ground in the law's words, the body to go to, the duplicate.
        try await fixture.test { client in
            for (code, expected) in [
                (unsigned, "Không thụ lý đơn. Căn cứ: \(ground.ground)"), (court, "Hướng dẫn Ông/Bà gửi đơn đến Tòa án nhân dân thành phố"),
                (repeated, "Đơn trùng nội dung với hồ sơ \(first.rawValue)"),
            ] {
                var citizen = Browser(client)
                _ = try await citizen.post("/track", form: [("code", code.rawValue), ("pin", live.citizenKeys.pin(for: code))])
                let page = try await citizen.get("/track/\(code.rawValue)").text
                #expect(page.contains(expected), "\(code): \(expected)")
            }
        }
    }
}
