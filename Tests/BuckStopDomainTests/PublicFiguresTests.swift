import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

/// The public page's figures (issue 19), worked by hand: counted by body (a division's cases for its department), only
/// citizens' kinds opened in the period, settled on time against the due date, counts from 1 to k−1 suppressed and no
/// share computed from a suppressed count; complaints for the body they concern; only upheld findings observed in the
/// period.
@Suite struct PublicFiguresTests {
    typealias C = PublicFigures.Count
    let org = SampleCity.organization
    let from = CivilDate(year: 2026, month: 1, day: 1)!
    let to = CivilDate(year: 2026, month: 3, day: 31)!

    func at(_ m: Int, _ d: Int, year: Int = 2026) -> Int64 {
        Int64(CivilDate(year: year, month: m, day: d)!.startInstant().timeIntervalSince1970 * 1000) + 3 * 3_600_000
    }

    func c(
        _ id: CaseID, kind: CaseKind = .dossier, lead: UnitID = "stp-hcbt", opened: Int64, due: CivilDate?, status: CaseStatus,
        closed: Int64? = nil, concerning: Concerning? = nil
    ) -> CaseState {
        CaseState(
            restoringID: id, kind: kind, procedure: nil, title: "x", leadUnit: lead, collaborators: [], owner: status == .closed ? nil : "cv-an",
            status: status, dueDate: due, originalDueDate: due, ruleID: nil, subject: nil, openedAt: opened, updatedAt: closed ?? opened,
            ownerSince: opened, pendingConsultations: [:], actionCount: 1, supplementRequests: 0, reschedules: 0, extensions: 0, decided: false,
            rating: nil, closedAt: closed, concerning: concerning)
    }

    @Test func countsByBodySuppressedBelowKWorkedByHand() {
        let due = CivilDate(year: 2026, month: 2, day: 20)!
        var cases = (1...5).map { c(CaseID("S\($0)"), opened: at(2, 1), due: due, status: .closed, closed: at(2, 10)) }
        cases.append(c("S6", opened: at(2, 1), due: due, status: .closed, closed: at(3, 1)))  // late
        cases += (7...8).map { c(CaseID("S\($0)"), opened: at(2, 2), due: CivilDate(year: 2026, month: 3, day: 1)!, status: .processing) }
        cases.append(c("OLD", opened: at(12, 20, year: 2025), due: due, status: .processing))  // before the period
        cases.append(c("TASK", kind: .task, opened: at(2, 1), due: due, status: .processing))  // the administration's own
        cases += (1...3).map {
            c(CaseID("W\($0)"), lead: "p-hai-chau", opened: at(1, 5), due: CivilDate(year: 2026, month: 5, day: 1)!, status: .received)
        }
        cases.append(
            c(
                "K1", kind: .complaint, lead: "thanh-tra", opened: at(3, 2), due: CivilDate(year: 2026, month: 5, day: 1)!, status: .received,
                concerning: Concerning(unit: "stp")))
        func finding(_ id: String, _ detector: String, _ status: FindingStatus) -> Finding {
            Finding(
                id: id, detector: detector, caseID: "S1", official: "cv-an", unit: "stp-hcbt", head: nil, severity: .minor, evidence: [],
                explanation: "", status: status)
        }
        var upheld = (1...5).map { (finding: finding("P\($0)", "ping_pong", .upheld), observedAt: at(2, 15)) }
        upheld.append((finding("T1", "stalling", .upheld), at(2, 15)))
        upheld.append((finding("D1", "stalling", .dismissed), at(2, 15)))
        upheld.append((finding("O1", "stalling", .upheld), at(12, 1, year: 2025)))

        let f = PublicFigures(
            cases: cases, upheld: upheld, organization: org, from: from, to: to, today: CivilDate(year: 2026, month: 4, day: 15)!, minimumCount: 5)
        #expect(f.rows.map(\.body) == ["p-hai-chau", "stp", "thanh-tra"])
        let stp = f.rows[1]
        #expect(stp.received == C.value(8) && stp.settled == C.value(6) && stp.settledOnTime == C.value(5) && stp.onTimePercent == 83)
        #expect(stp.openOverdue == C.suppressed && stp.complaints == C.suppressed && stp.complaintsSettledOnTime == C.value(0))
        #expect(stp.upheld == ["ping_pong": C.value(5), "stalling": C.suppressed])
        let ward = f.rows[0]
        #expect(ward.received == C.suppressed && ward.settled == C.value(0) && ward.onTimePercent == nil && ward.openOverdue == C.value(0))
        #expect(f.rows[2].received == C.suppressed && f.rows[2].complaints == C.value(0))

        // A share is not published when its numerator is suppressed: 6 settled, 3 on time.
        let few = (1...6).map { n in
            c(CaseID("F\(n)"), opened: at(2, 1), due: due, status: .closed, closed: n <= 3 ? at(2, 10) : at(3, 1))
        }
        let g = PublicFigures(
            cases: few, upheld: [], organization: org, from: from, to: to, today: CivilDate(year: 2026, month: 4, day: 15)!, minimumCount: 5)
        #expect(g.rows.first?.settledOnTime == C.suppressed && g.rows.first?.onTimePercent == nil)
    }

    /// The QĐ 766 columns by body, by hand: a division's counts join its department's; a score is the group's points times
    /// the share, one decimal, published only when base and numerator are; a group with no measure has no score; a body
    /// known only from the index still gets a row.
    @Test func serviceIndexByBodyScoredAndSuppressedWorkedByHand() {
        let groups = [
            ServiceIndexGroup(
                code: "tien-do", nameVi: "Tiến độ", nameEn: "Progress", points: 20, measure: .onTimeShare, source: "QĐ 766", status: "x"),
            ServiceIndexGroup(
                code: "hai-long", nameVi: "Hài lòng", nameEn: "Satisfaction", points: 18, measure: .satisfiedShare, satisfiedFrom: 4,
                source: "QĐ 766",
                status: "x"),
            ServiceIndexGroup(
                code: "cong-khai", nameVi: "Công khai", nameEn: "Transparency", points: 18, measure: nil, source: "QĐ 766", status: "x"),
        ]
        let index: [UnitID: PublicFigures.IndexCounts] = [
            // The department: 8 + 4 settled (10 on time), 7 + 0 ratings (6 satisfied).
            "stp": .init(settled: 8, onTime: 8, ratings: 7, satisfied: 6),
            "stp-hcbt": .init(settled: 4, onTime: 2, ratings: 0, satisfied: 0),
            // The ward: 6 settled, 3 on time (suppressed numerator); 2 ratings (suppressed base).
            "p-hai-chau": .init(settled: 6, onTime: 3, ratings: 2, satisfied: 2),
        ]
        let f = PublicFigures(
            cases: [], upheld: [], organization: org, from: from, to: to, today: CivilDate(year: 2026, month: 4, day: 15)!, minimumCount: 5,
            index: index, indexGroups: groups)
        #expect(f.rows.map(\.body) == ["p-hai-chau", "stp"])
        let stp = f.rows[1]
        #expect(stp.indexSettled == C.value(12) && stp.ratings == C.value(7) && stp.satisfiedPercent == 86)
        // 20 × 10/12 = 16.67 → 16.7; 18 × 6/7 = 15.43 → 15.4; transparency is not scored.
        #expect(stp.indexScores == ["tien-do": 16.7, "hai-long": 15.4])
        #expect(stp.received == C.value(0) && stp.onTimePercent == nil)
        let ward = f.rows[0]
        #expect(ward.indexSettled == C.value(6) && ward.ratings == C.suppressed && ward.satisfiedPercent == nil)
        #expect(ward.indexScores.isEmpty, "3 of 6 on time is a suppressed count; 2 ratings a suppressed base")
    }
}
