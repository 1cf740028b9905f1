import BuckStopCalendar
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopDomain

/// Every transition of a finding's consequences and who may take it (`Finding.decide`, `completeRemediation`).
@Suite struct ConsequenceTests {
    static let org = SampleCity.organization
    static let day = CivilDate(year: 2026, month: 12, day: 7)!

    static func upheld() throws -> Finding {
        var f = Finding(
            id: "F-1", detector: "ping_pong", caseID: "STP-251120-0001", official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt", severity: .minor,
            evidence: [1], explanation: "x")
        try f.review(by: try #require(org.official("tp-hcbt")), uphold: true, note: "", cause: "qua-tai", in: org)
        return f
    }

    static func decision(_ kind: ConsequenceKind, number: String? = nil, owner: OfficialID? = nil, due: CivilDate? = nil) -> ConsequenceDecision {
        ConsequenceDecision(
            finding: "F-1", measure: kind.rawValue, kind: kind, legalBasis: "căn cứ", text: "Nội dung", decisionNumber: number,
            remediationOwner: owner, remediationDue: due)
    }

    static func official(_ id: OfficialID) throws -> Official { try #require(org.official(id)) }

    @Test func onlyAnUpheldFindingHasConsequencesAndOnlyItsReviewersDecide() throws {
        var open = Finding(
            id: "F-1", detector: "ping_pong", caseID: "STP-251120-0001", official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt", severity: .minor,
            evidence: [1], explanation: "x")
        #expect(throws: DomainError.invalidField(action: "consequence_decided", field: "status", reason: .consequenceNeedsUpheld(status: "open"))) {
            try open.decide(Self.decision(.accountabilityReview), by: try Self.official("tp-hcbt"), on: Self.day, in: Self.org)
        }
        var f = try Self.upheld()
        for (who, reason) in [("cv-an", RefusalReason.onlyHeadOrInspectorReviews), ("cv-binh", .onlyHeadOrInspectorReviews)] {
            #expect(throws: DomainError.notPermitted(action: "consequence_decided", actor: who, reason: reason)) {
                try f.decide(Self.decision(.accountabilityReview), by: try Self.official(OfficialID(who)), on: Self.day, in: Self.org)
            }
        }
        // The head above the unit and an inspector may; the decisions are kept in order.
        try f.decide(Self.decision(.accountabilityReview), by: try Self.official("gd-stp"), on: Self.day, in: Self.org)
        try f.decide(Self.decision(.referral), by: try Self.official("ttv"), on: Self.day, in: Self.org)
        #expect(f.consequences.decided == [.accountabilityReview, .referral])
        var blank = Self.decision(.accountabilityReview)
        blank.text = " "
        #expect(throws: DomainError.missingField(action: "consequence_decided", field: "text")) {
            try f.decide(blank, by: try Self.official("tp-hcbt"), on: Self.day, in: Self.org)
        }
    }

    @Test func disciplineCitesItsDecisionAndIsOfANamedOfficial() throws {
        var f = try Self.upheld()
        let head = try Self.official("tp-hcbt")
        #expect(throws: DomainError.missingField(action: "consequence_decided", field: "decisionNumber")) {
            try f.decide(Self.decision(.discipline), by: head, on: Self.day, in: Self.org)
        }
        try f.decide(Self.decision(.discipline, number: "12/QĐ-STP"), by: head, on: Self.day, in: Self.org)
        var nobody = try Self.upheld()
        nobody.official = nil
        #expect(throws: DomainError.invalidField(action: "consequence_decided", field: "measure", reason: .disciplineNeedsOfficial)) {
            try nobody.decide(Self.decision(.discipline, number: "1"), by: head, on: Self.day, in: Self.org)
        }
    }

    @Test func aRemediationHasAnOwnerOfTheUnitADateOneAtATimeAndHoldsTheClosure() throws {
        var f = try Self.upheld()
        let head = try Self.official("tp-hcbt")
        let due = Self.day.adding(days: 10)
        #expect(throws: DomainError.missingField(action: "consequence_decided", field: "remediationOwner")) {
            try f.decide(Self.decision(.remediation, due: due), by: head, on: Self.day, in: Self.org)
        }
        #expect(throws: DomainError.missingField(action: "consequence_decided", field: "remediationDue")) {
            try f.decide(Self.decision(.remediation, owner: "cv-an"), by: head, on: Self.day, in: Self.org)
        }
        #expect(
            throws: DomainError.invalidField(action: "consequence_decided", field: "remediationOwner", reason: .remediationOwnerOutsideUnit("gd-stp"))
        ) {
            try f.decide(Self.decision(.remediation, owner: "gd-stp", due: due), by: head, on: Self.day, in: Self.org)
        }
        #expect(throws: DomainError.self) {
            try f.decide(Self.decision(.remediation, owner: "cv-an", due: Self.day.adding(days: -1)), by: head, on: Self.day, in: Self.org)
        }
        try f.decide(Self.decision(.remediation, owner: "cv-an", due: due), by: head, on: Self.day, in: Self.org)
        for kind in [ConsequenceKind.remediation, .closure] {
            #expect(throws: DomainError.invalidField(action: "consequence_decided", field: "measure", reason: .remediationPending)) {
                try f.decide(Self.decision(kind, owner: "cv-binh", due: due), by: head, on: Self.day, in: Self.org)
            }
        }
        // Late until done: the owner alone reports it, once.
        #expect(f.consequences.remediation?.isLate(on: due) == false)
        #expect(f.consequences.remediation?.isLate(on: due.adding(days: 1)) == true)
        #expect(throws: DomainError.notPermitted(action: "remediation_completed", actor: "tp-hcbt", reason: .onlyRemediationOwner("cv-an"))) {
            try f.completeRemediation(by: "tp-hcbt", at: 0, text: "xong")
        }
        let lateDay = try #require(ISO8601DateFormatter().date(from: "\(due.adding(days: 2))T10:00:00+07:00"))
        let lateAt = Int64(lateDay.timeIntervalSince1970 * 1000)
        try f.completeRemediation(by: "cv-an", at: lateAt, text: "Đã xong")
        #expect(f.consequences.remediation?.doneOnTime == false)
        #expect(throws: DomainError.invalidField(action: "remediation_completed", field: "finding", reason: .noRemediationPending)) {
            try f.completeRemediation(by: "cv-an", at: lateAt, text: "Đã xong")
        }
        try f.decide(Self.decision(.closure), by: head, on: Self.day, in: Self.org)
        #expect(f.consequences.isClosed)
        #expect(throws: DomainError.invalidField(action: "consequence_decided", field: "finding", reason: .consequencesClosed)) {
            try f.decide(Self.decision(.accountabilityReview), by: head, on: Self.day, in: Self.org)
        }
    }

    @Test func theWriterTakesKindAndBasisFromTheRulebook() throws {
        let measures = [
            ConsequenceMeasure(
                code: "canh-cao", kind: .discipline, nameVi: "Cảnh cáo", nameEn: "Warning", source: "Luật CBCC Đ.79", status: "unverified")
        ]
        var asked = Self.decision(.closure, number: "1")
        asked.measure = "canh-cao"
        let resolved = try asked.resolved(by: measures, action: "consequence_decided")
        #expect(resolved.kind == .discipline && resolved.legalBasis == "Luật CBCC Đ.79")
        asked.measure = "khong-co"
        #expect(
            throws: DomainError.invalidField(
                action: "consequence_decided", field: "measure", reason: .unknownMeasure("khong-co", known: ["canh-cao"]))
        ) { try asked.resolved(by: measures, action: "consequence_decided") }
    }

    /// A case's remediations from its entries: a completion goes to its finding's open one; days late count to the
    /// completion, or to today while it is not done.
    @Test func remediationTracksCountDaysLate() throws {
        let due = Self.day
        func at(_ d: CivilDate) throws -> Int64 {
            Int64(try #require(ISO8601DateFormatter().date(from: "\(d)T09:00:00+07:00")).timeIntervalSince1970 * 1000)
        }
        let order = Action(
            caseID: "X-1", actor: .official("tp-hcbt"), at: try at(due.adding(days: -5)),
            body: .decideConsequence(Self.decision(.remediation, owner: "cv-an", due: due)), via: .server)
        let other = Action(
            caseID: "X-1", actor: .official("tp-hcbt"), at: try at(due.adding(days: -5)), body: .completeRemediation(finding: "F-9", text: "x"),
            via: .server)
        let done = Action(
            caseID: "X-1", actor: .official("cv-an"), at: try at(due.adding(days: 3)), body: .completeRemediation(finding: "F-1", text: "Đã xong"),
            via: .server)
        let pending = RemediationTrack.all(in: [(4, order), (5, other)])
        #expect(pending == [RemediationTrack(finding: "F-1", owner: "cv-an", due: due, ordered: 4)], "a completion of another finding is not its")
        #expect(pending[0].daysLate(asOf: due) == nil && pending[0].daysLate(asOf: due.adding(days: 4)) == 4)
        let completed = RemediationTrack.all(in: [(4, order), (7, done)])
        #expect(completed[0].completed == 7 && completed[0].daysLate(asOf: due.adding(days: 40)) == 3, "counted to the completion")
    }
}
