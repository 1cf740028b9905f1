import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Testing

@testable import BuckStopDemo

/// The demo's finding reviews (`DemoReviews`): steps a real official and head could take — the right people, in order,
/// a cause the rulebook knows on every upheld finding, nothing dated after now.
@Suite struct DemoReviewsTests {
    static let now: Int64 = 1_780_000_000_000
    static let day: Int64 = 86_400_000

    static func subjects(_ n: Int) -> [DemoReviews.Subject] {
        (0..<n).map { i in
            // Every tenth finding is about the head itself (as self_inspection_miss is).
            let official: OfficialID = i % 10 == 0 ? "tp-hcbt" : (i % 2 == 0 ? "cv-an" : "cv-binh")
            return DemoReviews.Subject(
                id: String(format: "F%03d", i), caseID: CaseID("STP-2601\(String(format: "%02d", i % 28 + 1))-0001"),
                detector: ["ping_pong", "stalling", "upward_push", "self_inspection_miss", "no_apology"][i % 5], official: official,
                head: "tp-hcbt", raisedAt: now - Int64(i % 7 + 1) * day)
        }
    }

    @Test func stepsAreOnesTheRightPeopleTakeInOrder() throws {
        let subjects = Self.subjects(40)
        let known = ["chuc-nang-khong-ro", "qua-tai", "so-trach-nhiem", "thieu-kiem-tra", "nang-luc", "phoi-hop-kem"]
        let steps = DemoReviews.plan(subjects, causes: known, organization: SampleCity.organization, now: Self.now)
        let byID = Dictionary(uniqueKeysWithValues: subjects.map { ($0.id, $0) })
        var reviewed: [String: DemoReviews.Step] = [:]
        var explained: [String: DemoReviews.Step] = [:]
        for step in steps {
            switch step.body {
            case .explainFinding(let id, let text):
                let f = try #require(byID[id])
                #expect(step.actor == f.official, "only the official named explains")
                #expect(text.contains { !$0.isWhitespace })
                explained[id] = step
            case .reviewFinding(let id, let uphold, let note, let cause, _):
                let f = try #require(byID[id])
                #expect(step.actor != f.official, "nobody reviews a finding about themselves")
                #expect(step.actor == (f.official == "tp-hcbt" ? "ctt" : "tp-hcbt"), "the head, or an inspector for the head's own")
                if uphold {
                    #expect(cause.map(known.contains) == true)
                } else {
                    #expect(cause == nil && note.unicodeScalars.contains(where: \.properties.isAlphabetic))
                }
                reviewed[id] = step
            default:
                Issue.record("unexpected \(step.body.type)")
            }
            let f = try #require(byID[step.bodyFindingID])
            #expect(step.caseID == f.caseID, "on the finding's case")
            #expect(step.at >= f.raisedAt && step.at <= Self.now)
        }
        #expect(reviewed.count == 10, "every fourth of 40")
        #expect(reviewed.values.filter { if case .reviewFinding(_, false, _, _, _) = $0.body { true } else { false } }.count == 2)
        #expect(!explained.isEmpty && explained.count < reviewed.count, "some are decided without an explanation")
        for (id, explanation) in explained { #expect((reviewed[id]?.at ?? 0) >= explanation.at, "\(id): explained, then reviewed") }
        #expect(reviewed["F003"] == nil, "the rest stay open for a user")
    }

    /// After an upheld review come its consequences, by the reviewer; a remediation is the official's, reported by them.
    @Test func consequencesFollowUpheldFindingsByTheirReviewer() throws {
        let measures = ["kiem-diem", "ket-thuc", "khac-phuc", "khien-trach", "kiem-diem-tap-the"]
        let steps = DemoReviews.plan(
            Self.subjects(80), causes: ["qua-tai"], measures: measures, organization: SampleCity.organization, now: Self.now)
        var reviewer: [String: OfficialID] = [:]
        var measured: Set<String> = []
        for step in steps {
            switch step.body {
            case .reviewFinding(let id, true, _, _, _): reviewer[id] = step.actor
            case .decideConsequence(let d):
                #expect(reviewer[d.finding] == step.actor, "decided by whoever upheld it, after upholding")
                measured.insert(d.measure)
                if d.measure == "khac-phuc" {
                    #expect(d.remediationOwner != nil && (d.remediationDue.map { $0 > CivilDate(year: 2026, month: 1, day: 1)! } ?? false))
                }
                if d.measure == "khien-trach" { #expect(d.decisionNumber?.isEmpty == false) }
            case .completeRemediation(let id, _):
                let order = steps.compactMap { s -> OfficialID? in
                    if case .decideConsequence(let d) = s.body, d.finding == id { d.remediationOwner } else { nil }
                }
                #expect(order.first == step.actor, "only the remediation's owner reports it done")
            default: break
            }
        }
        #expect(measured == Set(measures), "every kind the rulebook has appears")
    }

    @Test func aRulebookWithoutCausesUpholdsNothing() {
        let steps = DemoReviews.plan(Self.subjects(40), causes: [], organization: SampleCity.organization, now: Self.now)
        #expect(!steps.contains { if case .reviewFinding(_, true, _, _, _) = $0.body { true } else { false } })
        #expect(steps.contains { if case .reviewFinding(_, false, _, _, _) = $0.body { true } else { false } })
    }
}

extension DemoReviews.Step {
    fileprivate var bodyFindingID: String {
        switch body {
        case .explainFinding(let id, _), .reviewFinding(let id, _, _, _, _): id
        default: ""
        }
    }
}
