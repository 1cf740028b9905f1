import BuckStopDomain

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

        public init(id: String, caseID: CaseID, detector: String, official: OfficialID?, head: OfficialID?, raisedAt: Int64) {
            self.id = id
            self.caseID = caseID
            self.detector = detector
            self.official = official
            self.head = head
            self.raisedAt = raisedAt
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

    /// Every fourth finding (by id, so the same city gets the same reviews) up to `limit`; of those, one in five is
    /// dismissed and one in three is reviewed without an explanation (a head may decide on an open finding). Causes
    /// are the demo's story per behaviour, taken only when the rulebook knows them (its first cause otherwise; no
    /// upholding at all under a rulebook without causes). Nothing is dated after `now` or before the finding.
    public static func plan(_ findings: [Subject], causes: [String], organization org: Organization, now: Int64, limit: Int = 60) -> [Step] {
        let inspector = org.officials.values.filter { $0.roles.contains(.inspector) }.map(\.id).min()
        var steps: [Step] = []
        for (n, f) in findings.sorted(by: { $0.id < $1.id }).enumerated() where n % 4 == 0 && n / 4 < limit {
            let turn = n / 4
            // Nobody reviews a finding about themselves: a head's own finding goes to an inspector.
            guard let reviewer = f.head.flatMap({ $0 == f.official ? nil : $0 }) ?? inspector, reviewer != f.official else { continue }
            // A few days after the finding, but never after now (the survey raises a fresh city's findings now).
            let explainedAt = max(f.raisedAt, min(f.raisedAt + 2 * day, now))
            let reviewedAt = max(explainedAt, min(f.raisedAt + 5 * day, now))
            if let official = f.official, turn % 3 != 2 {
                steps.append(Step(caseID: f.caseID, actor: official, at: explainedAt, body: .explainFinding(id: f.id, text: explanation(f.detector))))
            }
            if turn % 5 == 4 {
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
            }
        }
        return steps
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
