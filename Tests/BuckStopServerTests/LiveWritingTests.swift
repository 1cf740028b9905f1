import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

/// The live ledger is the one way an entry is written: an imported history and a new organisation go through it too,
/// and come out judged the way the rest of the system expects.
@Suite struct LiveWritingTests {
    /// A history (the demo, an agency's past) is appended without judging each entry at a moment that is not its
    /// own; the survey then judges it as of now, and finds what the history holds.
    @Test func anImportedHistoryIsJudgedByTheSurveyNotEntryByEntry() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let code: CaseID = "STP-251120-0009"
        let now = LiveLedger.nowMillis()
        let opening = SampleCity.openDossier(code, owner: "cv-an", at: now - 3 * SampleCity.hour, due: CivilDate(Date()).adding(days: 30))
        guard case .open(let open) = opening.body else {
            Issue.record("the sample opening is not an opening")
            return
        }
        let requests: [AppendRequest] = [
            .open(open, actor: .official("cv-an"), at: opening.at, code: code, personalData: nil, via: .generated("test")),
            .action(SampleCity.act(code, by: "cv-an", at: now - 2 * SampleCity.hour, .transfer(to: "cv-binh", reason: "Chuyển phòng chuyên môn"))),
            .action(SampleCity.act(code, by: "cv-binh", at: now - SampleCity.hour, .transfer(to: "cv-an", reason: "Trả lại"))),
        ]
        let results = await live.importHistory(requests)
        #expect(results.count == 3)
        for result in results {
            let receipt = try result.get()
            #expect(!receipt.observed && receipt.findings.isEmpty, "an imported entry is not judged as it lands")
        }
        let pingPong = FindingQuery(caseID: code, detector: "ping_pong")
        #expect(try await fixture.store.findings(pingPong).findings.isEmpty)

        let survey = try await live.runSurvey()
        #expect(survey.findingsRaised >= 1)
        let raised = try await fixture.store.findings(pingPong).findings
        #expect(raised.count == 1)
        #expect(raised.first?.finding.official == "cv-an", "one return names the one it came back to")
    }

    /// A new organisation reaches the detectors at once: a return by an official who did not exist before is raised
    /// against that official, by name.
    @Test func aNewOrganisationIsWhatTheNextAppendIsJudgedAgainst() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let live = fixture.state.live
        let generation = live.modelGeneration
        var officials = Array(ServerFixture.organization.officials.values)
        officials.append(Official(id: "cv-moi", name: "Lê Thị Mới", unit: "stp-hcbt", position: "Chuyên viên", roles: [.official]))
        let base = ServerFixture.organization
        try await live.installOrganization(try Organization(units: Array(base.units.values), officials: officials, mandates: base.mandates))
        #expect(live.modelGeneration > generation)
        #expect(live.organization.officials["cv-moi"] != nil)
        #expect(try fixture.store.organization().officials["cv-moi"] != nil)

        try await fixture.openSampleCase()
        let code = ServerFixture.code
        // an → mới → bình → mới: it came back once, to Mới, who had sent it to the wrong place (the misrouter is named).
        _ = try await live.append(
            SampleCity.act(code, by: "cv-an", at: LiveLedger.nowMillis(), .transfer(to: "cv-moi", reason: "Chuyển xử lý")), serverTime: true)
        _ = try await live.append(
            SampleCity.act(code, by: "cv-moi", at: LiveLedger.nowMillis(), .transfer(to: "cv-binh", reason: "Chuyển tiếp")), serverTime: true)
        let back = try await live.append(
            SampleCity.act(code, by: "cv-binh", at: LiveLedger.nowMillis(), .transfer(to: "cv-moi", reason: "Chuyển nhầm người, trả lại")),
            serverTime: true)
        let pingPong = try #require(back.findings.first { $0.finding.detector == "ping_pong" })
        #expect(pingPong.finding.official == "cv-moi")
        #expect(pingPong.finding.explanation.contains("Lê Thị Mới"))
    }
}
