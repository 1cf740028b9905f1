import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// An inspection in SampleCity through the API and the pages (issue 18): the inspectorate opens an outside inspection of
/// the Sở Tư pháp with its scope (an unknown field refused, naming it); its holder records a violation from the case page
/// (outside the scope refused, naming the unit) and concludes; the Sở's head assigns the recommendation and the official
/// completes it; the Sở's own self-inspection, concluded clean by its head, is then a `self_inspection_miss` against him,
/// with both inspections as evidence.
@Suite(.serialized) struct InspectionPagesTests {
    @Test func anInspectorRecordsAndConcludesTheHeadAssignsTheRemedyAndTheMissIsFound() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let today = CivilDate(Date())
        let from = today.adding(days: -120)
        let to = today.adding(days: -30)
        var at = LiveLedger.nowMillis() - 3_600_000
        func next() -> Int64 {
            at += 1000
            return at
        }
        // The Sở's own look at the same months, concluded clean by its head.
        let selfCode: CaseID = "STP-TKT-1"
        _ = try await store.append(
            .open(
                OpenCase(
                    kind: .programme, procedure: PlanLevel.selfInspection.rawValue, title: "Tự kiểm tra công tác hộ tịch", leadUnit: "stp",
                    owner: "gd-stp", inspection: InspectionScope(subjects: ["stp"], from: from, to: to, fields: ["thu-tuc-hanh-chinh"])),
                actor: .official("gd-stp"), at: next(), code: selfCode, personalData: nil, via: .generated("test")))
        let conclusion = InspectionConclusion(
            document: IssuingDocument(number: "05/KL-STP", date: today.adding(days: -20), signer: "Giám đốc Sở Tư pháp"), summary: "Không có vi phạm")
        _ = try await fixture.state.live.append(
            Action(caseID: selfCode, actor: .official("gd-stp"), at: next(), body: .concludeInspection(conclusion), via: .generated("test")))

        let token = try #require(fixture.tokens["all"])
        try await fixture.test { client in
            var body: [String: Any] = [
                "kind": "programme", "procedure": "inspection", "title": "Thanh tra giải quyết thủ tục hành chính tại Sở Tư pháp",
                "leadUnit": "thanh-tra", "owner": "ttv", "actor": "ctt",
                "inspection": ["subjects": ["stp"], "from": from.description, "to": to.description, "fields": ["thu-tuc-hanh-chinh", "bay-bong"]],
            ]
            let unknown = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(try unknown.status.code == 422 && unknown.errorField() == "inspection.fields[1]", "\(unknown.text.prefix(300))")
            body["inspection"] = ["subjects": ["stp"], "from": from.description, "to": to.description, "fields": ["thu-tuc-hanh-chinh"]]
            let opened = try await client.api(.post, "/api/v1/cases", token: token, json: body)
            #expect(opened.status.code == 201, "\(opened.text.prefix(300))")
            let code = try #require((try opened.json()["case"] as? [String: Any])?["code"] as? String)
            let path = "/cases/\(code)"

            var inspector = Browser(client)
            _ = try await inspector.login("ttv")
            let page = try await inspector.get(path).text
            #expect(page.contains("data-action=\"record_violation\"") && page.contains("data-action=\"conclude_inspection\""))
            #expect(page.contains("id=\"inspection-scope\" data-form=\"external\"") && page.contains("Giải quyết thủ tục hành chính"))
            let outside = try await inspector.post(
                path + "/actions", form: [("type", "record_violation"), ("unit", "p-hai-chau"), ("field", "thu-tuc-hanh-chinh"), ("text", "x")],
                from: path)
            #expect(outside.status.code == 422 && outside.text.contains("p-hai-chau"), "\(outside.text.prefix(600))")
            let recorded = try await inspector.post(
                path + "/actions",
                form: [
                    ("type", "record_violation"), ("unit", "stp"), ("field", "thu-tuc-hanh-chinh"), ("text", "Hồ sơ quá hạn không xin lỗi"),
                    ("evidenceCases", "STP-1\nSTP-2"),
                ], from: path)
            #expect(recorded.status.code == 303, "\(recorded.text.prefix(600))")
            let concluded = try await inspector.post(
                path + "/actions",
                form: [
                    ("type", "conclude_inspection"), ("conclusionNumber", "KL-09/TTTP"), ("conclusionDate", today.description),
                    ("signer", "Chánh Thanh tra"), ("summary", "Có vi phạm; kiến nghị chấn chỉnh"),
                ], from: path)
            #expect(concluded.status.code == 303, "\(concluded.text.prefix(600))")
            #expect(try await store.caseState(CaseID(code))?.status == .resolved)
            let after = try await inspector.get(path).text
            #expect(after.contains("data-unit=\"stp\" data-field=\"thu-tuc-hanh-chinh\"") && after.contains("KL-09/TTTP"))
            #expect(!after.contains("data-action=\"record_violation\""), "nothing more is recorded after the conclusion")

            // The recommendation: a task under the inspection, held by the Sở's head, who assigns it; the official does it.
            let rec = try await client.api(
                .post, "/api/v1/cases", token: token,
                json: [
                    "kind": "task", "title": "Chấn chỉnh việc xin lỗi khi hồ sơ quá hạn", "leadUnit": "stp", "owner": "gd-stp", "actor": "ctt",
                    "parent": code, "dueDate": today.adding(days: 15).description, "product": "Báo cáo khắc phục",
                ])
            #expect(rec.status.code == 201, "\(rec.text.prefix(300))")
            let recCode = try #require((try rec.json()["case"] as? [String: Any])?["code"] as? String)
            var head = Browser(client)
            _ = try await head.login("gd-stp")
            let recPath = "/cases/\(recCode)"
            #expect(
                try await head.post(recPath + "/actions", form: [("type", "assign"), ("to", "cv-an"), ("note", "Thực hiện")], from: recPath)
                    .status.code == 303)
            var official = Browser(client)
            _ = try await official.login("cv-an")
            #expect(try await official.post(recPath + "/actions", form: [("type", "accept"), ("note", "")], from: recPath).status.code == 303)
            #expect(
                try await official.post(
                    recPath + "/actions", form: [("type", "submit_draft"), ("to", "gd-stp"), ("draft", "Báo cáo khắc phục")], from: recPath
                )
                .status.code == 303)
            #expect(
                try await head.post(recPath + "/actions", form: [("type", "approve_draft"), ("note", "Đồng ý")], from: recPath).status.code == 303)
            #expect(try await store.caseState(CaseID(recCode))?.taskPhase == .done)
            // The API's roll-up carries the inspection: its scope, the violation with its cases, the conclusion.
            let api = try await client.api(.get, "/api/v1/programmes/\(code)", token: token)
            let inspection = try #require(try api.json()["inspection"] as? [String: Any], "\(api.text.prefix(400))")
            #expect(inspection["form"] as? String == "external" && inspection["subjects"] as? [String] == ["stp"])
            let violations = try #require(inspection["violations"] as? [[String: Any]])
            #expect(
                violations.count == 1 && violations.first?["unit"] as? String == "stp"
                    && violations.first?["cases"] as? [String] == ["STP-1", "STP-2"])
            #expect(inspection["conclusionNumber"] as? String == "KL-09/TTTP" && inspection["concluded"] is Int)
            let selfRollup = try await client.api(.get, "/api/v1/programmes/\(selfCode.rawValue)", token: token)
            #expect(((try selfRollup.json()["inspection"] as? [String: Any])?["violations"] as? [Any])?.isEmpty == true)
            let rollup = try await head.get("/programmes/\(code)").text
            #expect(rollup.contains("id=\"inspection-scope\"") && rollup.contains(recCode), "\(rollup.prefix(400))")

            // The survey finds the self-inspection's miss, against the head who signed it, with both inspections' entries.
            _ = try await fixture.state.live.runSurvey()
            let findings = try await store.findings(FindingQuery(caseID: selfCode)).findings.map(\.finding)
            let miss = try #require(findings.first { $0.detector == "self_inspection_miss" }, "\(findings.map(\.detector))")
            #expect(miss.official == "gd-stp" && miss.evidence.count == 2)
            let violationIndex = try #require(try await store.history(of: CaseID(code)).first { $0.action.body.type == .recordViolation }?.index)
            #expect(miss.evidence.contains(violationIndex))
        }
    }
}
