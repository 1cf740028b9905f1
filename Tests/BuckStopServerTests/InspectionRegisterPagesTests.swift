import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The inspection register (issue 18) as its users meet it: the inspectorate's head registers an outside inspection of the
/// Sở Tư pháp from the page (a period given wrong and an inspection of itself refused, naming the field); its holder
/// concludes and records a recommendation — refused before the conclusion, from anyone else, or to a unit not inspected —
/// which becomes a task held by the Sở's head, who hands it to an official, who completes it; the register and the
/// inspection's page show it done. Officials who do not plan inspections see the register without the form or the ranking.
@Suite(.serialized) struct InspectionRegisterPagesTests {
    @Test func aRegisteredInspectionsRecommendationIsAssignedByTheHeadAndCompletedByTheOfficial() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let today = CivilDate(Date())
        try await fixture.test { client in
            var official = Browser(client)
            _ = try await official.login("cv-an")
            let readOnly = try await official.get("/inspections")
            #expect(readOnly.status.code == 200 && readOnly.text.contains("id=\"inspections-none\""), "\(readOnly.text.prefix(400))")
            #expect(!readOnly.text.contains("id=\"inspection-form\"") && !readOnly.text.contains("id=\"risk\""))

            var chief = Browser(client)
            _ = try await chief.login("ctt")
            let page = try await chief.get("/inspections").text
            #expect(page.contains("id=\"inspection-form\"") && page.contains("id=\"nav-inspections\""))
            #expect(page.contains("<tr class=\"risk\" data-unit=\"stp\"") && page.contains("data-unit=\"p-hai-chau\""), "the bodies are ranked")
            var form: [(String, String)] = [
                ("title", "Thanh tra việc giải quyết thủ tục hành chính tại Sở Tư pháp"), ("form", "external"), ("subjects", "stp"),
                ("from", today.adding(days: -90).description), ("to", "30/02/2026"), ("fields", "thu-tuc-hanh-chinh"),
                ("decisionNumber", "12/QĐ-TTr"), ("decisionDate", today.adding(days: -3).description), ("signer", "Chánh Thanh tra"),
                ("leader", "ttv"), ("dueDate", today.adding(days: 30).description),
            ]
            let badDate = try await chief.post("/inspections", form: form, from: "/inspections")
            #expect(badDate.status.code == 422 && badDate.text.contains("to phải là ngày (YYYY-MM-DD)"), "\(badDate.text.prefix(600))")
            form[4].1 = today.adding(days: -10).description
            form[2].1 = "thanh-tra"
            let itself = try await chief.post("/inspections", form: form, from: "/inspections")
            #expect(
                itself.status.code == 422 && itself.text.contains("thanh-tra vừa chủ trì vừa là đối tượng"), "\(itself.text.prefix(600))")
            #expect(itself.text.contains("12/QĐ-TTr"), "what was typed is kept")
            form[2].1 = "stp"
            #expect(try await official.post("/inspections", form: form, from: "/inspections").status.code == 403)
            let registered = try await chief.post("/inspections", form: form, from: "/inspections")
            #expect(registered.status.code == 303, "\(registered.text.prefix(600))")
            let path = try #require(registered.headers[.location])
            let code = CaseID(String(path.dropFirst("/cases/".count)))
            let inspection = try #require(try await store.caseState(code))
            #expect(
                inspection.isInspection && inspection.inspectionForm == .external && inspection.owner == "ttv" && inspection.leadUnit == "thanh-tra")

            var inspector = Browser(client)
            _ = try await inspector.login("ttv")
            let recommend: [(String, String)] = [
                ("unit", "stp"), ("text", "Chấn chỉnh việc xin lỗi khi hồ sơ quá hạn"), ("dueDate", today.adding(days: 15).description),
            ]
            _ = try await inspector.post(path + "/recommendations", form: recommend, from: path)
            #expect(try await store.programmeTasks(root: code, limit: 10).isEmpty, "no recommendation before the conclusion")
            #expect(!(try await inspector.get(path).text.contains("id=\"recommendation-form\"")))
            #expect(
                try await inspector.post(
                    path + "/actions",
                    form: [
                        ("type", "record_violation"), ("unit", "stp"), ("field", "thu-tuc-hanh-chinh"), ("text", "Hồ sơ quá hạn không xin lỗi"),
                    ], from: path
                ).status.code == 303)
            #expect(
                try await inspector.post(
                    path + "/actions",
                    form: [
                        ("type", "conclude_inspection"), ("conclusionNumber", "KL-12/TTr"), ("conclusionDate", today.description),
                        ("signer", "Chánh Thanh tra"), ("summary", "Có vi phạm; kiến nghị chấn chỉnh"),
                    ], from: path
                ).status.code == 303)
            #expect(try await inspector.get(path).text.contains("id=\"recommendation-form\""))
            #expect(try await official.post(path + "/recommendations", form: recommend, from: path).status.code == 403)
            var outside = recommend
            outside[0].1 = "p-hai-chau"
            _ = try await inspector.post(path + "/recommendations", form: outside, from: path)
            #expect(try await store.programmeTasks(root: code, limit: 10).isEmpty, "a recommendation goes to a unit inspected")
            #expect(try await inspector.post(path + "/recommendations", form: recommend, from: path).status.code == 303)
            let tasks = try await store.programmeTasks(root: code, limit: 10)
            let task = try #require(tasks.first)
            #expect(tasks.count == 1 && task.owner == "gd-stp" && task.leadUnit == "stp" && task.phase == .notStarted)
            let taskHistory = try await store.history(of: task.id)
            guard case .open(let opened)? = taskHistory.first?.action.body else {
                Issue.record("no opening")
                return
            }
            #expect(opened.document?.number == "KL-12/TTr" && opened.parent == code && taskHistory.first?.action.actor == .official("ttv"))

            // The head hands it to an official, who completes it; the inspection's page and the register say so.
            var head = Browser(client)
            _ = try await head.login("gd-stp")
            let taskPath = "/cases/\(task.id.rawValue)"
            #expect(
                try await head.post(
                    taskPath + "/actions", form: [("type", "delegate"), ("to", "cv-an"), ("instruction", "Chủ trì thực hiện")], from: taskPath
                )
                .status.code == 303)
            #expect(
                try await official.post(
                    taskPath + "/actions", form: [("type", "resolve"), ("result", "Đã chấn chỉnh, ban hành quy trình xin lỗi")], from: taskPath
                )
                .status.code == 303)
            #expect(try await store.caseState(task.id)?.taskPhase == .done)
            let done = try await inspector.get(path).text
            #expect(done.contains("data-case=\"\(task.id.rawValue)\" data-phase=\"done\" data-official=\"cv-an\""), "\(done.prefix(200))")
            let register = try await chief.get("/inspections").text
            #expect(register.contains("data-case=\"\(code.rawValue)\" data-form=\"external\" data-concluded=\"true\""))
            #expect(register.contains("<td data-col=\"recommendations\">1 / 1</td>"))
        }
    }
}
