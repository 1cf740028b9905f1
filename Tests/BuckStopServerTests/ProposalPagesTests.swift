import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// Protecting those who dare (issue 18, NĐ 73/2023), through the pages: an official registers a proposal addressed to
/// the head of their division — not to a colleague; the head approves it on the ledger; the official says their case is
/// acted on under it (once, and only their own approved proposal); a finding on that case about them is reviewed
/// against the decree's criteria — the review must answer each — and, every criterion met, the finding is protected: no
/// discipline follows it. A declined proposal protects nothing. The proposals register and the head's record count it.
@Suite(.serialized) struct ProposalPagesTests {
    @Test func aProposalApprovedBeforeActingProtectsTheOfficial() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let code = ServerFixture.code
        try await fixture.openSampleCase()
        try await fixture.test { client in
            var an = Browser(client)
            _ = try await an.login("cv-an")
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            var binh = Browser(client)
            _ = try await binh.login("cv-binh")

            let fields: [(String, String)] = [
                ("title", "Trả kết quả lý lịch tư pháp qua bưu điện khi người dân yêu cầu"),
                ("problem", "Người dân ở xa phải đến hai lần"), ("action", "Gửi kết quả qua bưu chính công ích"),
                ("basis", "Quyết định 45/2016/QĐ-TTg; quy trình nội bộ chưa quy định"), ("benefit", "Giảm một lần đi lại"),
                ("risks", "Thất lạc: gửi bảo đảm, có báo phát"),
            ]
            // Addressed to a colleague, not a head over the division: refused, naming the field.
            let refused = try await an.post("/proposals", form: fields + [("authority", "cv-binh")], from: "/proposals")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("owner") || refused.text.contains("thẩm quyền"), "\(refused.text.prefix(400))")
            #expect(try await store.cases(kind: .proposal, procedure: .any, openedFrom: 0, openedBefore: .max, statuses: nil, limit: 10).isEmpty)

            let made = try await an.post("/proposals", form: fields + [("authority", "tp-hcbt")], from: "/proposals")
            #expect(made.status == .seeOther || made.status == .found, "\(made.text.prefix(300))")
            let proposals = try await store.cases(kind: .proposal, procedure: .any, openedFrom: 0, openedBefore: .max, statuses: nil, limit: 10)
            let proposal = try #require(proposals.first)
            #expect(proposal.owner == "tp-hcbt" && proposal.leadUnit == "stp-hcbt", "held by the authority, in the proposer's unit")
            let proposalPage = "/cases/\(proposal.id.rawValue)"

            // Before the decision the official cannot act under it.
            #expect(try await !an.get("/cases/\(code.rawValue)").text.contains("data-action=\"acted_under_proposal\""))
            // Only its holder decides; a decline needs its reason.
            _ = try await binh.post(
                proposalPage + "/actions", form: [("type", "proposal_decided"), ("decision", "approve"), ("note", "")], from: proposalPage)
            #expect(try await store.caseState(proposal.id)?.status == .received)
            #expect(try await head.get(proposalPage + "?lang=vi").text.contains("data-action=\"proposal_decided\""))
            _ = try await head.post(
                proposalPage + "/actions", form: [("type", "proposal_decided"), ("decision", "decline"), ("note", " ")], from: proposalPage)
            #expect(try await store.caseState(proposal.id)?.status == .received, "a decline without a reason is refused")
            // A proposal is answered by its decision, not closed as a case.
            _ = try await head.post(proposalPage + "/actions", form: [("type", "close"), ("outcome", "Đóng")], from: proposalPage)
            #expect(try await store.caseState(proposal.id)?.status == .received)
            _ = try await head.post(
                proposalPage + "/actions", form: [("type", "proposal_decided"), ("decision", "approve"), ("note", "Làm thử 3 tháng")],
                from: proposalPage)
            #expect(try await store.caseState(proposal.id)?.status == .closed)
            let record = try #require(try await fixture.state.live.proposal(proposal.id))
            #expect(record.isApproved && record.proposer == "cv-an" && record.decision?.by == "tp-hcbt")

            // The official's own case, acted on under it: the entry names the approval's index; the proposal lists the case.
            let casePage = "/cases/\(code.rawValue)"
            #expect(try await an.get(casePage).text.contains("data-action=\"acted_under_proposal\""))
            _ = try await an.post(
                casePage + "/actions", form: [("type", "acted_under_proposal"), ("proposal", proposal.id.rawValue), ("note", "Gửi qua bưu điện")],
                from: casePage)
            let reliance = try await store.history(of: code).compactMap { r -> Int64?? in
                if case .actUnderProposal(let p, _, let approval) = r.action.body, p == proposal.id { approval } else { nil }
            }
            #expect(reliance == [record.decision?.index], "the reliance points at the approving entry")
            #expect(try #require(try await fixture.state.live.proposal(proposal.id)).applied == [code])
            #expect(try await !an.get(casePage).text.contains("data-action=\"acted_under_proposal\""), "once")

            // A finding about cv-an on that case: the review must assess the criteria.
            let notice = FindingNotice(
                id: "F-nd73", detector: "overdue", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "2", limit: "0",
                explanation: "Quá hạn", explanationEn: "Overdue")
            _ = try await store.append(
                .stamped(Action(caseID: code, actor: .system("detector"), at: LiveLedger.nowMillis(), body: .raiseFinding(notice), via: .server)))
            let findingPage = "/findings/F-nd73"
            let shown = try await head.get(findingPage + "?lang=vi").text
            #expect(shown.contains("id=\"protection\" data-proposal=\"\(proposal.id.rawValue)\""))
            let criteria = fixture.state.live.rulebook.protectionCriteria
            #expect(criteria.count >= 4 && criteria.allSatisfy { shown.contains("data-criterion=\"\($0.code)\"") })
            let review: [(String, String)] = [
                ("uphold", "true"), ("note", "Trễ 2 ngày do bưu điện"), ("cause", "qua-tai"), ("protectionProposal", proposal.id.rawValue),
            ]
            // One criterion unanswered: refused, naming it.
            let partial = try await head.post(
                findingPage + "/review", form: review + criteria.dropFirst().map { ("criterion-" + $0.code, "met") }, from: findingPage)
            #expect(try await store.finding(id: "F-nd73")?.finding.status == .open)
            #expect(partial.status.code >= 300)
            _ = try await head.post(findingPage + "/review", form: review + criteria.map { ("criterion-" + $0.code, "met") }, from: findingPage)
            let reviewed = try #require(try await store.finding(id: "F-nd73")).finding
            #expect(reviewed.status == .upheld && reviewed.protectedBy == proposal.id)
            #expect(try await an.get(findingPage).text.contains("id=\"finding-protection\" data-proposal=\"\(proposal.id.rawValue)\""))
            // Protected: no discipline; a remediation still may follow.
            _ = try await head.post(
                findingPage + "/consequence", form: [("measure", "khien-trach"), ("text", "Khiển trách"), ("decisionNumber", "1/QĐ")],
                from: findingPage)
            #expect(try await store.finding(id: "F-nd73")?.finding.consequences.decided.isEmpty == true)
            _ = try await head.post(findingPage + "/consequence", form: [("measure", "kiem-diem"), ("text", "Rút kinh nghiệm")], from: findingPage)
            #expect(try await store.finding(id: "F-nd73")?.finding.consequences.decided == [.accountabilityReview])

            // The register and the head's record count it.
            let register = try await an.get("/proposals?lang=vi").text
            #expect(register.contains("id=\"proposals-mine\"") && register.contains("data-decision=\"approved\""))
            #expect(register.contains("1 hồ sơ thực hiện theo đề xuất") && register.contains("1 được bảo vệ"), "\(register)")
            let headRecord = try await head.get("/record?lang=vi").text
            #expect(headRecord.contains("id=\"record-proposals-approved\"><strong>1</strong>"))
            #expect(headRecord.contains("id=\"record-proposals-protected\"><strong>1</strong>"))
            #expect(headRecord.contains("id=\"record-proposals-decided\"><strong>1</strong>"))
        }
    }

    @Test func aReviewOfAFindingNotUnderAProposalAssessesNoCriteria() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let code = ServerFixture.code
        try await fixture.openSampleCase()
        let notice = FindingNotice(
            id: "F-plain", detector: "overdue", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "2", limit: "0",
            explanation: "Quá hạn", explanationEn: "Overdue")
        _ = try await fixture.store.append(
            .stamped(Action(caseID: code, actor: .system("detector"), at: LiveLedger.nowMillis(), body: .raiseFinding(notice), via: .server)))
        await #expect(throws: StoreError.self) {
            _ = try await fixture.state.live.appendWorkflow(
                Action(
                    caseID: code, actor: .official("tp-hcbt"), at: LiveLedger.nowMillis(),
                    body: .reviewFinding(
                        id: "F-plain", uphold: true, note: "Đúng", cause: "qua-tai", protection: ProtectionReview(proposal: "X-1", unmet: [])),
                    via: .generated("test")))
        }
        #expect(try await fixture.store.finding(id: "F-plain")?.finding.status == .open)
    }
}
