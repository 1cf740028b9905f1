import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopServer

/// Rankings divide by workload (DESIGN.md, fairness of findings: "rankings are per 100 cases handled").
@Suite struct RankingTests {
    @Test func rankedPerHundredCasesHandledAmongThoseWhoHandledEnough() {
        let counts: [(official: OfficialID, unit: UnitID?, open: Int, total: Int)] = [
            ("busy", "a", 30, 31),  // 30 findings over 1,000 cases: 3 per 100
            ("careless", "a", 12, 12),  // 12 over 40: 30 per 100
            ("new", "b", 2, 2),  // 2 over 3 cases: too few cases to rank
            ("cleared", "b", 0, 5),  // every finding dismissed: not ranked
            ("unknown", "b", 4, 4),  // held no case in the survey: not ranked
        ]
        let ranked = OversightPages.perHundredHandled(
            counts, handled: ["busy": 1_000, "careless": 40, "new": 3, "cleared": 50], minimum: 20)
        #expect(ranked.rows.map(\.official) == ["careless", "busy"])
        #expect(ranked.rows.map(\.perHundred) == [30, 3])
        #expect(ranked.rows.map(\.handled) == [40, 1_000])
    }

    /// The live pages' base-rate guard: a survey long after the due date finds the only case overdue — 100 % of the
    /// cases — so the inspector's page sets overdue aside with its share and the counts per official leave it out.
    @Test func implausibleDetectorsAreSetAsideOnTheLivePages() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let live = fixture.state.live
        _ = try await live.runSurvey(now: LiveLedger.nowMillis() + 90 * 86_400_000)
        #expect(live.baseRate.withheld.contains(.overdue), "\(live.baseRate)")
        #expect(live.baseRate.cases == 1 && live.baseRate.share(.overdue) == 1)
        #expect(try await fixture.store.findingCountsByOfficial(units: nil).contains { $0.official == "cv-an" }, "the findings are on the ledger")
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ctt")
            let page = try await b.get("/inspect")
            #expect(page.text.contains("id=\"inspect-base-rate\""), "\(page.text.prefix(3000))")
            #expect(page.text.contains("<li data-detector=\"overdue\">Trễ hạn: 1/1 hồ sơ (100 %)</li>"))
        }
    }

    /// The survey counts, per official, the cases they held at any point (not only the ones they hold now).
    @Test func surveyCountsTheCasesEachOfficialHeld() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let live = fixture.state.live
        let t = LiveLedger.nowMillis()
        _ = try await live.append(
            Action(
                caseID: ServerFixture.code, actor: .official("cv-an"), at: t, body: .transfer(to: "cv-binh", reason: "Chuyển"),
                via: .generated("test")))
        _ = try await live.runSurvey()
        #expect(live.casesHandled["cv-an"] == 1 && live.casesHandled["cv-binh"] == 1)
        #expect(live.casesHandled["tp-hcbt"] == nil)
    }

    /// Overlapping mandates are listed as the pairs that collide; tasks (every department's) and wards (each its own
    /// area) are not overlaps.
    @Test func mandateOverlapsArePairs() throws {
        let base = SampleCity.organization
        var units = Array(base.units.values)
        units.append(Unit(id: "stc", name: "Sở Tài chính", kind: .department, parent: "ubnd", code: "STC"))
        units.append(Unit(id: "sxd", name: "Sở Xây dựng", kind: .department, parent: "ubnd", code: "SXD"))
        let mandates =
            base.mandates + [
                Mandate(unit: "stc", caseKind: .dossier, procedure: "LLTP-CAPPHIEU"),
                Mandate(unit: "stc", caseKind: .task), Mandate(unit: "sxd", caseKind: .task), Mandate(unit: "stp", caseKind: .task),
            ]
        let org = try Organization(units: units, officials: Array(base.officials.values), mandates: mandates)
        let pairs = OversightPages.mandateOverlaps(org)
        #expect(pairs.map { "\($0.first)-\($0.second)" } == ["stc-stp"])
        #expect(pairs.first?.matter.hasSuffix("LLTP-CAPPHIEU") == true)
    }
}
