import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// A report request in SampleCity through the pages: the head of Sở Tư pháp sends the report from the task's page (a
/// report missing a figure of the template is refused naming it), the requester returns it, it is sent again and
/// accepted; the request's roll-up page shows the matrix — accepted, missing — and the figures added up.
@Suite(.serialized) struct ReportRequestPagesTests {
    static let request: CaseID = "YC-2026-01"

    @Test func theHeadSendsTheRequesterAcceptsAndTheMatrixSaysSo() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let today = CivilDate(Date())
        var at = LiveLedger.nowMillis() - 3_600_000
        func next() -> Int64 {
            at += 1000
            return at
        }
        let template = ReportTemplate(
            sections: ["I. Tình hình", "II. Vụ việc cụ thể"],
            figures: [ReportFigure(code: "tre_han", label: "Số hồ sơ trễ hạn"), ReportFigure(code: "day_dua", label: "Số vụ việc đùn đẩy")])
        _ = try await store.append(
            .open(
                OpenCase(
                    kind: .programme, procedure: PlanLevel.reportRequest.rawValue, title: "Báo cáo chuyên đề về né tránh trách nhiệm",
                    leadUnit: "ubnd", owner: "chu-tich", dueDate: today.adding(days: 10), template: template), actor: .official("chu-tich"),
                at: next(), code: Self.request, personalData: nil, via: .generated("test")))
        for (code, lead, owner, due) in [("YC-STP", "stp", "gd-stp", 10), ("YC-TT", "thanh-tra", "ctt", -5)] as [(CaseID, UnitID, OfficialID, Int)] {
            _ = try await store.append(
                .open(
                    OpenCase(
                        kind: .task, title: "Báo cáo chuyên đề — \(lead.rawValue)", leadUnit: lead, owner: owner, dueDate: today.adding(days: due),
                        parent: Self.request, product: "Báo cáo"), actor: .official("chu-tich"), at: next(), code: code, personalData: nil,
                    via: .generated("test")))
        }
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("gd-stp")
            let path = "/cases/YC-STP"
            let page = try await head.get(path).text
            #expect(page.contains("data-action=\"submit_report\""), "the head may send the report")
            #expect(page.contains("name=\"figure.tre_han\"") && page.contains("name=\"figure.day_dua\"") && page.contains("Số hồ sơ trễ hạn"))
            let missing = try await head.post(
                path + "/actions", form: [("type", "submit_report"), ("to", "chu-tich"), ("document", "12/BC-STP"), ("figure.tre_han", "4")],
                from: path)
            #expect(missing.status.code == 422 && missing.text.contains("figures.day_dua"), "\(missing.text.prefix(600))")
            let sent = try await head.post(
                path + "/actions",
                form: [("type", "submit_report"), ("to", "chu-tich"), ("document", "12/BC-STP"), ("figure.tre_han", "4"), ("figure.day_dua", "1")],
                from: path)
            #expect(sent.status.code == 303, "\(sent.text.prefix(600))")
            #expect(try await store.caseState("YC-STP")?.taskPhase == .submitted)

            var requester = Browser(client)
            _ = try await requester.login("chu-tich")
            let waiting = try await requester.get(path).text
            for action in ["approve_draft", "return_draft"] { #expect(waiting.contains("data-action=\"\(action)\""), "\(action) form") }
            #expect(waiting.contains("báo cáo số 12/BC-STP"), "the timeline shows the report sent")
            let returned = try await requester.post(path + "/actions", form: [("type", "return_draft"), ("reason", "Bổ sung vụ việc")], from: path)
            #expect(returned.status.code == 303)
            #expect(try await store.caseState("YC-STP")?.owner == "gd-stp", "back to the head who sent it")
            _ = try await head.post(
                path + "/actions",
                form: [("type", "submit_report"), ("to", "chu-tich"), ("document", "15/BC-STP"), ("figure.tre_han", "5"), ("figure.day_dua", "2")],
                from: path)
            let accepted = try await requester.post(path + "/actions", form: [("type", "approve_draft"), ("note", "Tiếp nhận")], from: path)
            #expect(accepted.status.code == 303)

            let rollup = try await requester.get("/programmes/\(Self.request.rawValue)").text
            #expect(rollup.contains("id=\"report-matrix\""), "\(rollup.prefix(400))")
            #expect(rollup.contains("data-case=\"YC-STP\" data-status=\"accepted\""))
            #expect(rollup.contains("data-case=\"YC-TT\" data-status=\"not_started\" data-missing=\"true\""))
            #expect(rollup.contains("2 cơ quan được yêu cầu: 1 gửi đúng hạn, 0 gửi muộn, 1 chưa gửi (quá hạn); 1 đã tiếp nhận"))
            #expect(rollup.contains("<tr data-figure=\"tre_han\"><td>tre_han</td><td>Số hồ sơ trễ hạn</td><td class=\"num\">5</td></tr>"))
            #expect(rollup.contains("II. Vụ việc cụ thể"))
            let en = try await requester.get("/programmes/\(Self.request.rawValue)?lang=en").text
            #expect(en.contains("2 agencies asked: 1 sent on time, 0 sent late, 1 not sent (overdue); 1 accepted") && en.contains("Report template"))

            // The API's roll-up carries the same matrix, in the document's shape.
            let reader = try #require(fixture.tokens["reader"])
            let document = try OpenAPIDocument(yaml: try await client.execute(uri: "/openapi.yaml", method: .get).text)
            let apiPath = "/api/v1/programmes/\(Self.request.rawValue)"
            let r = try await client.api(.get, apiPath, token: reader)
            #expect(r.status.code == 200, "\(r.text.prefix(300))")
            try LiveAPITests.conforms(r, "get", apiPath, document: document)
            let submissions = try #require(try r.json()["submissions"] as? [String: Any])
            #expect(submissions["onTime"] as? Int == 1 && submissions["missing"] as? Int == 1 && submissions["accepted"] as? Int == 1)
            #expect((submissions["acceptedTotals"] as? [String: Any])?["tre_han"] as? Int == 5)
            let rows = try #require(submissions["rows"] as? [[String: Any]])
            let stp = try #require(rows.first { $0["code"] as? String == "YC-STP" })
            #expect(stp["status"] as? String == "accepted" && stp["returns"] as? Int == 1 && stp["document"] as? String == "15/BC-STP")
            let tt = try #require(rows.first { $0["code"] as? String == "YC-TT" })
            #expect(tt["firstSent"] is NSNull && tt["missing"] as? Bool == true && tt["ownerName"] as? String == "Ngô Văn Sơn")
            #expect(((submissions["template"] as? [String: Any])?["figures"] as? [Any])?.count == 2)
        }
    }

    /// Through the API: a report request opened with its template (kept on the opening entry), refused without one or
    /// with a figure's code repeated, and a template on a plain programme refused — each naming the field.
    @Test func theAPIOpensAReportRequestWithItsTemplate() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let token = try #require(fixture.tokens["all"])
        try await fixture.test { client in
            let document = try OpenAPIDocument(yaml: try await client.execute(uri: "/openapi.yaml", method: .get).text)
            var body: [String: Any] = [
                "kind": "programme", "procedure": "report-request", "title": "Báo cáo chuyên đề", "leadUnit": "ubnd", "owner": "chu-tich",
                "actor": "chu-tich", "dueDate": CivilDate(Date()).adding(days: 20).description,
            ]
            let without = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(try without.status.code == 422 && without.errorField() == "template", "\(without.text.prefix(300))")
            try LiveAPITests.conforms(without, "post", "/api/v1/cases", document: document)
            body["template"] = [
                "sections": ["I. Tình hình"], "figures": [["code": "tre_han", "label": "Số hồ sơ trễ hạn"], ["code": "tre_han", "label": "Lặp"]],
            ]
            let repeated = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(try repeated.status.code == 422 && repeated.errorField() == "template.figures[1].code", "\(repeated.text.prefix(300))")
            body["template"] = ["sections": ["I. Tình hình"], "figures": [["code": "tre_han", "label": "Số hồ sơ trễ hạn"]]]
            let opened = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(opened.status.code == 201, "\(opened.text.prefix(400))")
            try LiveAPITests.conforms(opened, "post", "/api/v1/cases", document: document)
            let code = try #require((try opened.json()["case"] as? [String: Any])?["code"] as? String)
            #expect(
                try await fixture.state.live.reportTemplate(of: CaseID(code))
                    == ReportTemplate(sections: ["I. Tình hình"], figures: [ReportFigure(code: "tre_han", label: "Số hồ sơ trễ hạn")]))
            body["procedure"] = "programme"
            let misplaced = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(try misplaced.status.code == 422 && misplaced.errorField() == "template", "\(misplaced.text.prefix(300))")
        }
    }
}
