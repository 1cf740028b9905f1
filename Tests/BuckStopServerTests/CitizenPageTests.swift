import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The citizen's tracking page shows the steps of their case and nothing internal (DESIGN.md, fairness of findings).
@Suite struct CitizenPageTests {
    @Test func trackingPageShowsStepsButNoFindingsNotesOrProposals() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let live = fixture.state.live
        let code = ServerFixture.code
        let t = LiveLedger.nowMillis()
        func act(_ by: OfficialID, _ at: Int64, _ body: ActionBody) async throws -> [StoredFinding] {
            try await live.append(Action(caseID: code, actor: .official(by), at: at, body: body, via: .generated("test"))).findings
        }
        _ = try await act("cv-an", t, .transfer(to: "cv-binh", reason: "Chuyển phòng chuyên môn"))
        let raised = try await act("cv-binh", t + 1, .transfer(to: "cv-an", reason: "Trả lại vì thiếu hồ sơ gốc"))
        let finding = try #require(raised.first { $0.finding.detector == "ping_pong" })
        _ = try await act("cv-an", t + 2, .explainFinding(id: finding.finding.id, text: "GIẢI-TRÌNH-NỘI-BỘ"))
        _ = try await act("cv-an", t + 3, .comment(text: "GHI-CHÚ-NỘI-BỘ"))
        _ = try await act("cv-an", t + 4, .escalate(to: "tp-hcbt", proposal: "ĐỀ-XUẤT-NỘI-BỘ: cấp phiếu"))
        let pin = live.citizenKeys.pin(for: code)

        try await fixture.test { client in
            var citizen = Browser(client)
            let granted = try await citizen.post("/track", form: [("code", code.rawValue), ("pin", pin)])
            #expect(granted.status.code == 303)
            let page = try await citizen.get("/track/\(code.rawValue)")
            #expect(page.status == .ok)
            // The public steps are there, in order: received, passed to cv-binh, passed back, sent up to the head.
            let types = page.text.components(separatedBy: "class=\"step\" data-type=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(types == ["open", "transfer", "transfer", "escalate"])
            #expect(page.text.contains("Trình Hoàng Văn Nam xem xét, quyết định."))
            // Nothing internal: no finding, its explanation, the note, the proposal or the transfer reasons.
            for secret in [
                "GIẢI-TRÌNH-NỘI-BỘ", "GHI-CHÚ-NỘI-BỘ", "ĐỀ-XUẤT-NỘI-BỘ", "Trả lại vì thiếu", finding.finding.id, "ping_pong", "Đùn đẩy", "đùn đẩy",
                "data-type=\"finding", "id=\"timeline\"",
            ] {
                #expect(!page.text.contains(secret), "the citizen's page shows \(secret)")
            }
        }
    }

    /// After a decline to another unit of the city, "who held it" ends with that unit's head, as the header says.
    @Test func holdersAfterADeclineNameTheNewHolder() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let live = fixture.state.live
        _ = try await live.append(
            Action(
                caseID: ServerFixture.code, actor: .official("cv-an"), at: LiveLedger.nowMillis(),
                body: .decline(
                    legalBasis: "Luật Hộ tịch 2014, Điều 13", competentUnit: "p-hai-chau", reason: "Đăng ký khai sinh do phường thực hiện"),
                via: .generated("test")))
        #expect(try await fixture.store.caseState(ServerFixture.code)?.owner == "ct-hc")
        try await fixture.test { client in
            var inspector = Browser(client)
            _ = try await inspector.login("ctt")
            let page = try await inspector.get("/cases/\(ServerFixture.code.rawValue)")
            #expect(page.status == .ok)
            let holders = try #require(page.text.range(of: "id=\"holders\"").map { String(page.text[$0.upperBound...]) })
            let table = holders.components(separatedBy: "</table>")[0]
            let rows = table.components(separatedBy: "<tr").dropFirst(2)  // the header row
            #expect(rows.count == 2, "cv-an, then the ward's head")
            #expect(rows.last?.contains("Bùi Ngọc Lan") == true, "the last holder is the ward's head: \(rows.last ?? "")")
        }
    }
}
