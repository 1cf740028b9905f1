import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The head's record (trách nhiệm người đứng đầu): the unit's findings upheld and dismissed, their causes, what followed
/// and what the head did; the head above sees it in the roll-up and may open it; an official may not.
@Suite(.serialized) struct HeadRecordPagesTests {
    @Test func theHeadsRecordCountsWhatWasFoundWhatFollowedAndWhatTheHeadDid() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let store = fixture.store
        let live = fixture.state.live
        let code = ServerFixture.code
        for id in ["F-r1", "F-r2"] {
            let notice = FindingNotice(
                id: id, detector: "ping_pong", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "1", limit: "0",
                explanation: "Hồ sơ quay lại", explanationEn: "Went back")
            _ = try await store.append(
                .stamped(Action(caseID: code, actor: .system("detector"), at: LiveLedger.nowMillis(), body: .raiseFinding(notice), via: .server)))
        }
        func step(_ body: ActionBody) async throws {
            _ = try await live.appendWorkflow(
                Action(caseID: code, actor: .official("tp-hcbt"), at: LiveLedger.nowMillis(), body: body, via: .generated("test")))
        }
        try await step(.reviewFinding(id: "F-r1", uphold: true, note: "Đúng", cause: "qua-tai"))
        try await step(.reviewFinding(id: "F-r2", uphold: false, note: "Chuyển đúng quy trình"))
        try await step(
            .decideConsequence(
                ConsequenceDecision(finding: "F-r1", measure: "kiem-diem", kind: .closure, legalBasis: "", text: "Kiểm điểm trách nhiệm")))
        try await step(
            .decideConsequence(
                ConsequenceDecision(
                    finding: "F-r1", measure: "khac-phuc", kind: .closure, legalBasis: "", text: "Rà soát phân công", remediationOwner: "cv-an",
                    remediationDue: CivilDate(Date()).adding(days: 5))))
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            let page = try await head.get("/record").text
            for (id, n) in [
                ("record-upheld", 1), ("record-dismissed", 1), ("record-awaiting", 0), ("record-consequence-review", 1),
                ("record-consequence-remediation", 1), ("record-remediation-under-way", 1), ("record-remediation-late", 0),
                ("record-reviewed", 2), ("record-decided", 2),
            ] {
                #expect(page.contains("id=\"\(id)\"><strong>\(n)</strong>"), "\(id) = \(n)")
            }
            #expect(page.contains("id=\"record-causes\">"))
            // The head above: their own record rolls the unit below up, and opens it.
            var director = Browser(client)
            _ = try await director.login("gd-stp")
            let up = try await director.get("/record").text
            #expect(up.contains("<tr data-head=\"tp-hcbt\">"))
            #expect(up.contains("id=\"record-upheld\"><strong>1</strong>"), "the subtree's findings count for the head above")
            #expect(try await director.get("/record?head=tp-hcbt").status == .ok)
            #expect(try await director.get("/record?from=2026-13-01").status == .badRequest, "a bad date names its field")
            var an = Browser(client)
            _ = try await an.login("cv-an")
            #expect(try await an.get("/record?head=tp-hcbt").status == .forbidden)
            #expect(try await an.get("/record").status == .badRequest, "an official heads nothing")
        }
    }
}
