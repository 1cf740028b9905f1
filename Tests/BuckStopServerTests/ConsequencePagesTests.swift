import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// What follows an upheld finding, on its page (issue 18): the head orders a remediation (an official of the unit, a
/// date), cannot close while it is pending, decides a discipline only with its decision's number; the legal basis on each
/// entry is the rulebook's; the owner (and only the owner) reports the remediation done, on time; then the head closes
/// it and no form is left. The case's timeline says a discipline was decided, never its form or number.
@Suite(.serialized) struct ConsequencePagesTests {
    /// The same steps through the typed API: a head's token orders a remediation (an unknown measure refused with 422
    /// naming `measure`, a remediation for someone outside the unit naming `remediationOwner`); only the owner reports
    /// it done; the finding's document carries what followed — the kinds, the remediation and its status — and a
    /// discipline's number never.
    @Test func theAPIDecidesAndCompletesWhatFollowsAFinding() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let notice = FindingNotice(
            id: "F-api-1", detector: "ping_pong", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "1", limit: "0",
            explanation: "Hồ sơ quay lại", explanationEn: "Went back")
        let code = ServerFixture.code
        try await fixture.openSampleCase()
        _ = try await store.append(
            .stamped(Action(caseID: code, actor: .system("detector"), at: LiveLedger.nowMillis(), body: .raiseFinding(notice), via: .server)))
        let token = try #require(fixture.tokens["all"])
        let due = CivilDate(Date()).adding(days: 10).description
        try await fixture.test { client in
            let path = "/api/v1/findings/F-api-1"
            let early = try await client.api(
                .post, path + "/consequences", token: token, json: ["actor": "tp-hcbt", "measure": "kiem-diem", "text": "x"])
            #expect(early.status.code == 422, "nothing follows a finding not upheld: \(early.text.prefix(300))")
            let upheld = try await client.api(
                .post, path + "/review", token: token, json: ["actor": "tp-hcbt", "uphold": true, "note": "Đúng", "cause": "qua-tai"])
            #expect(upheld.status.code == 200, "\(upheld.text.prefix(300))")
            let unknown = try await client.api(
                .post, path + "/consequences", token: token, json: ["actor": "tp-hcbt", "measure": "bay-bong", "text": "x"])
            #expect(try unknown.status.code == 422 && unknown.errorField() == "measure", "\(unknown.text.prefix(300))")
            let outsider = try await client.api(
                .post, path + "/consequences", token: token,
                json: ["actor": "tp-hcbt", "measure": "khac-phuc", "text": "Rà soát", "remediationOwner": "ttv", "remediationDue": due])
            #expect(try outsider.status.code == 422 && outsider.errorField() == "remediationOwner", "\(outsider.text.prefix(300))")
            let ordered = try await client.api(
                .post, path + "/consequences", token: token,
                json: ["actor": "tp-hcbt", "measure": "khac-phuc", "text": "Rà soát phân công", "remediationOwner": "cv-an", "remediationDue": due])
            #expect(ordered.status.code == 200, "\(ordered.text.prefix(300))")
            let followed = try #require(try ordered.json()["consequences"] as? [String: Any])
            #expect(followed["decided"] as? [String] == ["remediation"] && followed["remediationOwner"] as? String == "cv-an")
            #expect(followed["remediationDue"] as? String == due && followed["remediationStatus"] as? String == "pending")
            let notOwner = try await client.api(.post, path + "/remediation", token: token, json: ["actor": "cv-binh", "text": "Đã làm"])
            #expect(notOwner.status.code == 422, "\(notOwner.text.prefix(300))")
            let done = try await client.api(.post, path + "/remediation", token: token, json: ["actor": "cv-an", "text": "Đã phân công lại"])
            #expect(done.status.code == 200, "\(done.text.prefix(300))")
            let after = try #require(try done.json()["consequences"] as? [String: Any])
            #expect(after["remediationStatus"] as? String == "on-time" && after["remediationDoneAt"] is Int)
            let discipline = try await client.api(
                .post, path + "/consequences", token: token,
                json: ["actor": "tp-hcbt", "measure": "khien-trach", "text": "Khiển trách", "decisionNumber": "21/QĐ-STP"])
            #expect(discipline.status.code == 200, "\(discipline.text.prefix(300))")
            #expect(!discipline.text.contains("21/QĐ-STP"), "the API never sends a discipline's number")
            let read = try await client.api(.get, path, token: token)
            #expect(((try read.json()["consequences"] as? [String: Any])?["decided"] as? [String]) == ["remediation", "discipline"])
            #expect(try await store.finding(id: "F-api-1")?.finding.consequences.decided == [.remediation, .discipline])
        }
    }

    @Test func theHeadDecidesTheOfficialRemediesAndDisciplineStaysRestricted() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let live = fixture.state.live
        let notice = FindingNotice(
            id: "F-cq-1", detector: "ping_pong", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "1", limit: "0",
            explanation: "Hồ sơ quay lại", explanationEn: "Went back")
        let code = ServerFixture.code
        try await fixture.openSampleCase()
        _ = try await store.append(
            .stamped(Action(caseID: code, actor: .system("detector"), at: LiveLedger.nowMillis(), body: .raiseFinding(notice), via: .server)))
        _ = try await live.appendWorkflow(
            Action(
                caseID: code, actor: .official("tp-hcbt"), at: LiveLedger.nowMillis(),
                body: .reviewFinding(id: "F-cq-1", uphold: true, note: "Đúng", cause: "chuc-nang-khong-ro"), via: .generated("test")))
        let today = CivilDate(Date())
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            var an = Browser(client)
            _ = try await an.login("cv-an")
            var binh = Browser(client)
            _ = try await binh.login("cv-binh")
            let page = "/findings/F-cq-1"
            let shown = try await head.get(page + "?lang=vi").text
            #expect(shown.contains("id=\"consequence-form\"") && shown.contains("id=\"consequences-none\""))
            #expect(shown.contains("<optgroup label=\"Kỷ luật\"><option value=\"khien-trach\">Khiển trách</option>"))
            #expect(try await !an.get(page).text.contains("id=\"consequence-form\""), "the official concerned decides nothing")

            func decide(_ fields: [(String, String)]) async throws -> ConsequenceState {
                _ = try await head.post(page + "/consequence", form: fields, from: page)
                return try #require(try await store.finding(id: "F-cq-1")).finding.consequences
            }
            // A remediation names an official of the unit and a date not in the past.
            var state = try await decide([
                ("measure", "khac-phuc"), ("text", "Rà soát phân công"), ("remediationOwner", "cv-an"),
                ("remediationDue", today.adding(days: -1).description),
            ])
            #expect(state.decided.isEmpty, "a due date in the past is refused")
            state = try await decide([
                ("measure", "khac-phuc"), ("text", "Rà soát phân công"), ("remediationOwner", "gd-stp"), ("remediationDue", today.description),
            ])
            #expect(state.decided.isEmpty, "the owner must be of the finding's unit")
            let due = today.adding(days: 10)
            state = try await decide([
                ("measure", "khac-phuc"), ("text", "Rà soát, ban hành lại phân công xử lý hồ sơ lý lịch tư pháp"), ("remediationOwner", "cv-an"),
                ("remediationDue", due.description), ("decisionNumber", "ignored"),
            ])
            #expect(state.decided == [.remediation] && state.remediation == Remediation(owner: "cv-an", due: due))
            #expect(try await decide([("measure", "ket-thuc"), ("text", "Kết thúc")]).decided == [.remediation], "not closed while pending")
            // Discipline cites its decision.
            #expect(try await decide([("measure", "canh-cao"), ("text", "Kỷ luật cảnh cáo")]).decided == [.remediation])
            #expect(
                try await decide([("measure", "canh-cao"), ("text", "Kỷ luật cảnh cáo"), ("decisionNumber", "12/QĐ-STP")]).decided == [
                    .remediation, .discipline,
                ])
            #expect(try await decide([("measure", "khong-co"), ("text", "x")]).decided.count == 2, "an unknown measure is refused")
            let entries = try await store.history(of: code).compactMap { r -> ConsequenceDecision? in
                if case .decideConsequence(let d) = r.action.body { d } else { nil }
            }
            let rulebook = live.rulebook.consequenceMeasures
            #expect(entries.map(\.measure) == ["khac-phuc", "canh-cao"])
            #expect(
                entries.allSatisfy { d in rulebook.first { $0.code == d.measure }.map { $0.source == d.legalBasis && $0.kind == d.kind } == true })
            #expect(entries[0].decisionNumber == nil, "only a discipline keeps a decision number")

            // The API's timeline carries the entries too, a discipline without its number.
            let detail = try await client.api(.get, "/api/v1/cases/\(code.rawValue)", token: try #require(fixture.tokens["all"]))
            #expect(detail.status.code == 200, "\(detail.text.prefix(300))")
            #expect(detail.text.contains("consequence_decided") && !detail.text.contains("12/QĐ-STP"))
            // Only the owner reports the remediation done.
            #expect(try await !binh.get("/cases/\(code.rawValue)").text.contains("12/QĐ-STP"), "the timeline never shows the discipline's number")
            let anPage = try await an.get(page).text
            #expect(anPage.contains("id=\"remediation-form\"") && anPage.contains("12/QĐ-STP"), "the official concerned sees every step")
            _ = try await head.post(page + "/remediation", form: [("text", "Đã làm")], from: page)
            #expect(try #require(try await store.finding(id: "F-cq-1")).finding.consequences.remediation?.doneAt == nil)
            _ = try await an.post(page + "/remediation", form: [("text", "Đã ban hành Quyết định phân công mới")], from: page)
            let done = try #require(try await store.finding(id: "F-cq-1")).finding.consequences
            #expect(done.remediation?.doneOnTime == true)
            #expect(try await head.get(page).text.contains("id=\"remediation-status\" data-status=\"on-time\""))
            #expect(try await decide([("measure", "ket-thuc"), ("text", "Kết thúc xử lý")]).isClosed)
            #expect(try await !head.get(page).text.contains("id=\"consequence-form\""), "nothing follows a closure")
            // Restricted and logged: every showing of the discipline to the head is kept; another official is shown none and
            // leaves no trace; the official concerned sees who read it, and only they see that list.
            let binhPage = try await binh.get(page).text
            #expect(!binhPage.contains("12/QĐ-STP") && !binhPage.contains("id=\"discipline-views\""))
            let views = try await store.disciplineViews(finding: "F-cq-1")
            #expect(!views.isEmpty && views.allSatisfy { $0.viewer == "tp-hcbt" }, "\(views)")
            let anFinal = try await an.get(page).text
            #expect(anFinal.contains("id=\"discipline-views\" data-count=\"\(views.count)\"") && anFinal.contains("<li data-viewer=\"tp-hcbt\">"))
            #expect(try await store.disciplineViews(finding: "F-cq-1").count == views.count, "the official concerned reading leaves no trace")
            #expect(try await !head.get(page).text.contains("id=\"discipline-views\""), "only the official concerned sees the list")
        }
        let audit = try await store.verify()
        #expect(audit.isSound, "\(audit.problems)")
    }

    /// A remediation past its due date is itself a finding (`late_remediation`), raised by the survey against the
    /// official it was given to, with the decision that ordered it as evidence; once raised it is not raised again.
    @Test func aLateRemediationIsAFindingAgainstItsOwner() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let live = fixture.state.live
        let day: Int64 = 86_400_000
        let start = LiveLedger.nowMillis() - 10 * day
        let code: CaseID = "STP-LATE-1"
        var open = SampleCity.openDossier(code, owner: "cv-an", at: start, due: CivilDate(Date()).adding(days: 30))
        open.at = start
        guard case .open(let opening) = open.body else { return }
        _ = try await store.append(.open(opening, actor: .official("cv-an"), at: start, code: code, personalData: nil, via: .generated("test")))
        let notice = FindingNotice(
            id: "F-late-1", detector: "ping_pong", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "1", limit: "0",
            explanation: "Hồ sơ quay lại", explanationEn: "Went back")
        _ = try await store.append(
            .action(Action(caseID: code, actor: .system("detector"), at: start + day, body: .raiseFinding(notice), via: .server)))
        func step(_ by: OfficialID, _ at: Int64, _ body: ActionBody) async throws {
            _ = try await live.appendWorkflow(Action(caseID: code, actor: .official(by), at: at, body: body, via: .generated("test")))
        }
        try await step("tp-hcbt", start + 2 * day, .reviewFinding(id: "F-late-1", uphold: true, note: "Đúng", cause: "qua-tai"))
        let orderedOn = CivilDate(Date(timeIntervalSince1970: Double(start + 2 * day) / 1000))
        try await step(
            "tp-hcbt", start + 2 * day,
            .decideConsequence(
                ConsequenceDecision(
                    finding: "F-late-1", measure: "khac-phuc", kind: .closure, legalBasis: "", text: "Rà soát phân công",
                    remediationOwner: "cv-an", remediationDue: orderedOn.adding(days: 2))))
        let ordered = try #require(try await store.history(of: code).last?.index)
        let survey = try await live.runSurvey()
        #expect(survey.findingsRaised >= 1)
        let late = try await store.findings(FindingQuery(caseID: code, detector: "late_remediation")).findings
        #expect(late.count == 1)
        let f = try #require(late.first)
        #expect(f.finding.official == "cv-an" && f.finding.evidence == [ordered])
        #expect(f.value == String(CivilDate(Date()) - orderedOn.adding(days: 2)), "calendar days past the due date, today")
        #expect(f.finding.explanation.contains("Võ Thị An"))
        _ = try await live.runSurvey()
        #expect(try await store.findings(FindingQuery(caseID: code, detector: "late_remediation")).total == 1, "raised once")
    }
}
