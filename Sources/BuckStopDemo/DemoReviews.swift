import BuckStopCalendar
import BuckStopDomain
import Foundation

/// How far the demo city has got with its findings: some explained by the official named, most of those upheld by the
/// head with a cause, a few dismissed with a reason, the rest still open for a user to take up. Pure: the seeder hands
/// over the survey's findings and writes the steps through the live ledger, like any official's.
public enum DemoReviews {
    /// A finding as the plan needs it.
    public struct Subject: Sendable {
        public var id: String
        public var caseID: CaseID
        public var detector: String
        public var official: OfficialID?
        public var head: OfficialID?
        public var raisedAt: Int64
        /// The approved proposal the official acted under on this case (NĐ 73/2023), if any: the review assesses the
        /// decree's criteria.
        public var proposal: CaseID?

        public init(
            id: String, caseID: CaseID, detector: String, official: OfficialID?, head: OfficialID?, raisedAt: Int64, proposal: CaseID? = nil
        ) {
            self.id = id
            self.caseID = caseID
            self.detector = detector
            self.official = official
            self.head = head
            self.raisedAt = raisedAt
            self.proposal = proposal
        }
    }

    /// One workflow step, by whom and when.
    public struct Step: Sendable, Equatable {
        public var caseID: CaseID
        public var actor: OfficialID
        public var at: Int64
        public var body: ActionBody
    }

    static let day: Int64 = 86_400_000

    /// Every fourth finding (by id, so the same city gets the same reviews) up to `limit`, and every conflict of
    /// interest; of those, one in five is dismissed (never a conflict of interest) and one in three is reviewed without an
    /// explanation (a head may decide on an open finding). Causes are the demo's story per behaviour, taken only when the
    /// rulebook knows them (its first cause otherwise; no upholding at all under a rulebook without causes). Nothing is
    /// dated after `now` or before the finding. After an upheld review, what follows in turn: an accountability review
    /// then closure, a remediation done on time, a remediation still under way (or due the same day, so late from the
    /// next), a discipline with its decision, a review of the unit — and a referral for a conflict of interest; each only
    /// where the rulebook has the measure.
    ///
    /// A finding on a case acted on under an approved proposal is always reviewed, upheld, and assessed against the
    /// decree's `criteria`: the first every criterion met (protected, and closed with no discipline), the next with the
    /// last criterion not met (kiểm điểm, then closed), in turn.
    public static func plan(
        _ findings: [Subject], causes: [String], measures: [String] = [], criteria: [String] = [], organization org: Organization, now: Int64,
        limit: Int = 60
    ) -> [Step] {
        let inspector = org.officials.values.filter { $0.roles.contains(.inspector) }.map(\.id).min()
        var steps: [Step] = []
        var upheld = 0
        var turn = -1
        var assessed = 0
        for (n, f) in findings.sorted(by: { $0.id < $1.id }).enumerated() {
            // Conflicts of interest are always among them, and upheld: the investigators get them.
            let conflict = f.detector == "conflict_of_interest"
            if let proposal = f.proposal {
                steps += protectionSteps(
                    f, proposal: proposal, turn: assessed, causes: causes, measures: measures, criteria: criteria, org: org, now: now)
                assessed += 1
                continue
            }
            guard conflict || (n % 4 == 0 && turn + 1 < limit) else { continue }
            turn += 1
            // Nobody reviews a finding about themselves: a head's own finding goes to an inspector.
            guard let reviewer = f.head.flatMap({ $0 == f.official ? nil : $0 }) ?? inspector, reviewer != f.official else { continue }
            // Minutes after the finding (the seeder's nightly survey raised it last evening), never after now.
            let explainedAt = max(f.raisedAt, min(f.raisedAt + 60_000, now))
            let reviewedAt = max(explainedAt, min(f.raisedAt + 120_000, now))
            if let official = f.official, turn % 3 != 2 {
                steps.append(Step(caseID: f.caseID, actor: official, at: explainedAt, body: .explainFinding(id: f.id, text: explanation(f.detector))))
            }
            if turn % 5 == 4 && !conflict {
                steps.append(
                    Step(
                        caseID: f.caseID, actor: reviewer, at: reviewedAt,
                        body: .reviewFinding(
                            id: f.id, uphold: false,
                            note: "Đã đối chiếu hồ sơ: các bước đúng quy trình, lý do ghi trong nhật ký là xác đáng; không có lỗi của cán bộ.")))
            } else if let cause = cause(f.detector, known: causes) {
                steps.append(
                    Step(
                        caseID: f.caseID, actor: reviewer, at: reviewedAt,
                        body: .reviewFinding(id: f.id, uphold: true, note: "Giữ nguyên phát hiện; yêu cầu rút kinh nghiệm.", cause: cause)))
                steps += consequences(of: f, turn: upheld, by: reviewer, at: reviewedAt, measures: measures)
                upheld += 1
            }
        }
        return steps
    }

    /// The review of a finding on a case acted on under `proposal`: explained by the official, upheld by the head with the
    /// decree's criteria assessed — every one met on even turns, the last not met on odd ones — then closed (after a
    /// kiểm điểm when not protected).
    static func protectionSteps(
        _ f: Subject, proposal: CaseID, turn: Int, causes: [String], measures: [String], criteria: [String], org: Organization, now: Int64
    ) -> [Step] {
        let inspector = org.officials.values.filter { $0.roles.contains(.inspector) }.map(\.id).min()
        guard let official = f.official, let reviewer = f.head.flatMap({ $0 == official ? nil : $0 }) ?? inspector, reviewer != official,
            let cause = cause(f.detector, known: causes)
        else { return [] }
        let explainedAt = max(f.raisedAt, min(f.raisedAt + 60_000, now))
        let reviewedAt = max(explainedAt, min(f.raisedAt + 120_000, now))
        // The note below says what was not met: risks not reported as they arose.
        let unmet = turn % 2 == 0 ? [] : criteria.contains("bao-cao-rui-ro") ? ["bao-cao-rui-ro"] : Array(criteria.suffix(1))
        var steps = [
            Step(
                caseID: f.caseID, actor: official, at: explainedAt,
                body: .explainFinding(
                    id: f.id,
                    text: "Tôi thực hiện theo đề xuất \(proposal.rawValue) đã được chấp thuận; thời gian kéo dài do phải phối hợp với đơn vị ngoài.")),
            Step(
                caseID: f.caseID, actor: reviewer, at: reviewedAt,
                body: .reviewFinding(
                    id: f.id, uphold: true,
                    note: unmet.isEmpty
                        ? "Hồ sơ chậm do thực hiện đề xuất đã chấp thuận; đủ điều kiện bảo vệ theo Nghị định 73/2023."
                        : "Thực hiện theo đề xuất nhưng không báo cáo kịp thời khi phát sinh chậm trễ.",
                    cause: cause, protection: ProtectionReview(proposal: proposal, unmet: unmet))),
        ]
        func decide(_ measure: String, _ text: String) {
            guard measures.contains(measure) else { return }
            steps.append(
                Step(
                    caseID: f.caseID, actor: reviewer, at: reviewedAt,
                    body: .decideConsequence(ConsequenceDecision(finding: f.id, measure: measure, kind: .closure, legalBasis: "", text: text))))
        }
        if !unmet.isEmpty { decide("kiem-diem", "Yêu cầu cán bộ kiểm điểm về việc không báo cáo kịp thời khi phát sinh rủi ro.") }
        decide("ket-thuc", "Ghi nhận để hoàn thiện quy trình; kết thúc xử lý phát hiện.")
        return steps
    }

    /// The consequences of the `turn`-th upheld finding, decided at `at` (the kind and basis are the writer's to fill in).
    static func consequences(of f: Subject, turn: Int, by decider: OfficialID, at: Int64, measures: [String]) -> [Step] {
        let today = CivilDate(Date(timeIntervalSince1970: Double(at) / 1000))
        func decide(_ measure: String, _ text: String, number: String? = nil, owner: OfficialID? = nil, due: CivilDate? = nil) -> Step? {
            guard measures.contains(measure) else { return nil }
            return Step(
                caseID: f.caseID, actor: decider, at: at,
                body: .decideConsequence(
                    ConsequenceDecision(
                        finding: f.id, measure: measure, kind: .closure, legalBasis: "", text: text, decisionNumber: number,
                        remediationOwner: owner, remediationDue: due)))
        }
        var out: [Step?] = []
        // A conflict of interest upheld is a matter for the investigators.
        if f.detector == "conflict_of_interest" {
            return [decide("chuyen-co-quan-dieu-tra", "Chuyển hồ sơ vụ việc có dấu hiệu tội phạm sang Cơ quan Cảnh sát điều tra.")].compactMap { $0 }
        }
        switch turn % 5 {
        case 0:
            out = [
                decide("kiem-diem", "Yêu cầu cán bộ kiểm điểm trách nhiệm, nêu rõ nguyên nhân và cam kết không tái diễn."),
                decide("ket-thuc", "Cán bộ đã kiểm điểm; kết thúc xử lý phát hiện."),
            ]
        case 1, 2:
            guard let owner = f.official else { return [] }
            // One in two of the remediations not yet done was due the day it was ordered: late from the next day on.
            let due = today.adding(days: turn % 5 == 1 ? 10 : (turn % 10 == 2 ? 0 : 7))
            out = [decide("khac-phuc", "Rà soát lại quy trình, phân công và báo cáo kết quả khắc phục.", owner: owner, due: due)]
            if turn % 5 == 1, out[0] != nil {
                out.append(
                    Step(
                        caseID: f.caseID, actor: owner, at: at,
                        body: .completeRemediation(finding: f.id, text: "Đã rà soát, điều chỉnh phân công và báo cáo.")))
            }
        case 3:
            guard f.official != nil else { return [] }
            out = [decide("khien-trach", "Kỷ luật khiển trách do vi phạm lặp lại sau khi đã nhắc nhở.", number: "\(turn + 10)/QĐ-KL")]
        default:
            out = [decide("kiem-diem-tap-the", "Yêu cầu đơn vị và người đứng đầu kiểm điểm trách nhiệm tập thể.")]
        }
        return out.compactMap { $0 }
    }

    /// The cause the demo tells for a behaviour.
    static func cause(_ detector: String, known: [String]) -> String? {
        let story: String =
            switch detector {
            case "ping_pong", "transfers", "jurisdiction_refusal", "wrong_level", "overlap": "chuc-nang-khong-ro"
            case "upward_push", "shuttle", "consultation_rounds": "so-trach-nhiem"
            case "stalling", "overdue", "accumulation", "late_intake": "qua-tai"
            case "no_apology", "repeat_supplement", "repeat_reschedule", "rework", "extension_abuse": "nang-luc"
            case "conflict_of_interest": "xung-dot-loi-ich"
            case "self_inspection_miss": "thieu-kiem-tra"
            default: "phoi-hop-kem"
            }
        return known.contains(story) ? story : known.first
    }

    static func explanation(_ detector: String) -> String {
        switch detector {
        case "ping_pong", "transfers", "jurisdiction_refusal", "wrong_level":
            "Hồ sơ liên quan đến nhiều lĩnh vực, phân công giữa các phòng chưa rõ nên phải chuyển lại để xác định đúng nơi giải quyết."
        case "upward_push", "shuttle", "consultation_rounds":
            "Nội dung vướng quy định chưa thống nhất, tôi xin ý kiến cấp trên để bảo đảm đúng pháp luật."
        case "stalling", "overdue", "accumulation", "late_intake":
            "Trong thời gian này phòng thiếu người, tôi phải xử lý cùng lúc nhiều hồ sơ đến hạn."
        default:
            "Tôi đã rà soát lại hồ sơ và tiếp thu, sẽ rút kinh nghiệm trong các lần xử lý sau."
        }
    }
}
