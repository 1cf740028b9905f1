import BuckStopCalendar
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopDomain

/// Proposals (đề xuất đổi mới, sáng tạo, NĐ 73/2023): every transition and who may take it — the proposal is whole and
/// addressed to a head over the proposer's unit; only the head holding it decides, once, a decline with its reason; it is
/// answered by its decision, never closed or reopened as a case; a case is acted on under one by its holder only with the
/// writer's approval index; a review with every criterion met protects the finding from discipline and referral.
@Suite struct ProposalTests {
    static let org = SampleCity.organization
    static let code: CaseID = "STPHC-251120-0001"
    static let proposal = BoldProposal(
        problem: "Đi lại hai lần", action: "Gửi kết quả qua bưu điện", basis: "QĐ 45/2016/QĐ-TTg", benefit: "Bớt một lần đi lại",
        risks: "Thất lạc: gửi bảo đảm")

    static func opening(by proposer: OfficialID = "cv-an", to authority: OfficialID = "tp-hcbt", proposal: BoldProposal? = Self.proposal)
        -> Action
    {
        Action(
            caseID: code, actor: .official(proposer), at: SampleCity.t0,
            body: .open(OpenCase(kind: .proposal, title: "Trả kết quả qua bưu điện", leadUnit: "stp-hcbt", owner: authority, proposal: proposal)),
            via: .generated("test"))
    }

    static func act(_ by: OfficialID, _ body: ActionBody, hours: Int64 = 1) -> Action {
        SampleCity.act(code, by: by, at: SampleCity.t0 + hours * SampleCity.hour, body)
    }

    @Test func aProposalIsWholeAndAddressedToAHeadOverTheProposer() throws {
        #expect(throws: DomainError.invalidField(action: "open", field: "proposal", reason: .proposal(.proposalRequired))) {
            _ = try CaseState(opening: Self.opening(proposal: nil), in: Self.org)
        }
        var blank = Self.proposal
        blank.risks = "  "
        #expect(throws: DomainError.missingField(action: "open", field: "proposal.risks")) {
            _ = try CaseState(opening: Self.opening(proposal: blank), in: Self.org)
        }
        // To a colleague, or to oneself as head: refused, naming the owner.
        for (proposer, authority) in [("cv-an", "cv-binh"), ("tp-hcbt", "tp-hcbt"), ("cv-an", "ct-hc")] {
            #expect(throws: DomainError.self) {
                _ = try CaseState(opening: Self.opening(by: OfficialID(proposer), to: OfficialID(authority)), in: Self.org)
            }
        }
        let state = try CaseState(opening: Self.opening(), in: Self.org)
        #expect(state.owner == "tp-hcbt" && state.leadUnit == "stp-hcbt")
        // The head of the department above may decide it too (owner outside the lead unit, above it).
        #expect(try CaseState(opening: Self.opening(to: "gd-stp"), in: Self.org).owner == "gd-stp")
        // A dossier carries no proposal.
        var dossier = SampleCity.openDossier()
        if case .open(var o) = dossier.body {
            o.proposal = Self.proposal
            dossier.body = .open(o)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "proposal", reason: .proposal(.proposalOnlyForProposals))) {
            _ = try CaseState(opening: dossier, in: Self.org)
        }
    }

    @Test func onlyItsHeadDecidesOnceAndADeclineSaysWhy() throws {
        var state = try CaseState(opening: Self.opening(), in: Self.org)
        #expect(throws: DomainError.notPermitted(action: "proposal_decided", actor: "cv-binh", reason: .heldBy("tp-hcbt"))) {
            try state.apply(Self.act("cv-binh", .decideProposal(approve: true, note: "")), in: Self.org)
        }
        #expect(throws: DomainError.missingField(action: "proposal_decided", field: "note")) {
            try state.apply(Self.act("tp-hcbt", .decideProposal(approve: false, note: " ")), in: Self.org)
        }
        // Answered by its decision: not closed, resolved or decided as a case.
        for body: ActionBody in [.close(outcome: "Đóng"), .resolve(result: "Xong"), .decide(decision: "Có", rationale: "Vì")] {
            #expect(throws: DomainError.invalidField(action: body.type.rawValue, field: "case", reason: .proposal(.endsByDecision))) {
                try state.apply(Self.act("tp-hcbt", body), in: Self.org)
            }
        }
        // Passed to a colleague who is not a head, it cannot be decided by them.
        var passed = state
        try passed.apply(Self.act("tp-hcbt", .transfer(to: "cv-binh", reason: "Nghiên cứu")), in: Self.org)
        #expect(throws: DomainError.self) {
            try passed.apply(Self.act("cv-binh", .decideProposal(approve: true, note: ""), hours: 2), in: Self.org)
        }
        try state.apply(Self.act("tp-hcbt", .decideProposal(approve: true, note: "")), in: Self.org)
        #expect(state.status == .closed && state.owner == nil)
        #expect(throws: DomainError.self) {
            try state.apply(Self.act("tp-hcbt", .decideProposal(approve: false, note: "Đổi ý"), hours: 2), in: Self.org)
        }
        #expect(throws: DomainError.invalidField(action: "reopen", field: "case", reason: .proposal(.alreadyDecided))) {
            try state.apply(Self.act("ctt", .reopen(to: "tp-hcbt", reason: "Xem lại"), hours: 2), in: Self.org)
        }
        // Only the system records a case acted on under it, after the decision.
        #expect(throws: DomainError.self) {
            try state.apply(Self.act("cv-an", .proposalApplied(case: "STP-251120-0001"), hours: 3), in: Self.org)
        }
        try state.apply(
            Action(
                caseID: Self.code, actor: .system("proposal"), at: SampleCity.t0 + 3 * SampleCity.hour,
                body: .proposalApplied(case: "STP-251120-0001"), via: .server), in: Self.org)
        let entries: [(index: Int64, action: Action)] = [
            (4, Self.opening()), (7, Self.act("tp-hcbt", .decideProposal(approve: true, note: "Thí điểm"))),
            (9, Action(caseID: Self.code, actor: .system("proposal"), at: 0, body: .proposalApplied(case: "STP-251120-0001"), via: .server)),
        ]
        let record = try #require(ProposalRecord(caseID: Self.code, records: entries))
        #expect(record.proposer == "cv-an" && record.authority == "tp-hcbt" && record.isApproved && record.decision?.index == 7)
        #expect(record.applied == ["STP-251120-0001"])
        #expect(ProposalRecord(caseID: "STP-251120-0001", records: [(1, SampleCity.openDossier())]) == nil)
    }

    @Test func aCaseIsActedOnUnderAProposalByItsHolderWithTheApproval() throws {
        var dossier = try CaseState(opening: SampleCity.openDossier(), in: Self.org)
        let rely = ActionBody.actUnderProposal(proposal: Self.code, note: "Theo đề xuất")
        #expect(throws: DomainError.notPermitted(action: "acted_under_proposal", actor: "cv-binh", reason: .heldBy("cv-an"))) {
            try dossier.apply(SampleCity.act(by: "cv-binh", at: SampleCity.t0 + SampleCity.hour, rely), in: Self.org)
        }
        #expect(throws: DomainError.missingField(action: "acted_under_proposal", field: "approval")) {
            try dossier.apply(SampleCity.act(by: "cv-an", at: SampleCity.t0 + SampleCity.hour, rely), in: Self.org)
        }
        try dossier.apply(
            SampleCity.act(
                by: "cv-an", at: SampleCity.t0 + SampleCity.hour, .actUnderProposal(proposal: Self.code, note: "Theo đề xuất", approval: 7)),
            in: Self.org)
        #expect(dossier.updatedAt == SampleCity.t0, "a record, not a step: the case has not moved")
    }

    @Test func everyCriterionMetProtectsTheFindingFromDisciplineAndReferral() throws {
        func reviewed(_ unmet: [String]) throws -> Finding {
            var f = Finding(
                id: "F-1", detector: "overdue", caseID: "STP-251120-0001", official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt", severity: .major,
                evidence: [1], explanation: "x")
            try f.review(
                by: try #require(Self.org.official("tp-hcbt")), uphold: true, note: "", cause: "qua-tai",
                protection: ProtectionReview(proposal: Self.code, unmet: unmet), in: Self.org)
            return f
        }
        let day = CivilDate(year: 2026, month: 12, day: 7)!
        let head = try #require(Self.org.official("tp-hcbt"))
        var protected = try reviewed([])
        #expect(protected.protectedBy == Self.code && protected.status == .upheld)
        for kind in [ConsequenceKind.discipline, .referral] {
            let d = ConsequenceDecision(
                finding: "F-1", measure: kind.rawValue, kind: kind, legalBasis: "b", text: "Nội dung", decisionNumber: "1/QĐ")
            #expect(
                throws: DomainError.invalidField(action: "consequence_decided", field: "measure", reason: .proposal(.protected(proposal: Self.code)))
            ) {
                try protected.decide(d, by: head, on: day, in: Self.org)
            }
        }
        try protected.decide(
            ConsequenceDecision(finding: "F-1", measure: "kiem-diem", kind: .accountabilityReview, legalBasis: "b", text: "Rút kinh nghiệm"),
            by: head,
            on: day, in: Self.org)
        #expect(protected.consequences.decided == [.accountabilityReview])
        var exposed = try reviewed(["bao-cao-rui-ro"])
        #expect(exposed.protectedBy == nil)
        try exposed.decide(
            ConsequenceDecision(
                finding: "F-1", measure: "khien-trach", kind: .discipline, legalBasis: "b", text: "Khiển trách", decisionNumber: "1/QĐ"),
            by: head, on: day, in: Self.org)
        #expect(exposed.consequences.decided == [.discipline])
    }
}
