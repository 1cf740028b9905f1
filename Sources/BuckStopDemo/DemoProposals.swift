import BuckStopDomain

/// The demo city's innovative and bold proposals (NĐ 73/2023): officials who proposed a way round an obstacle before
/// acting, each addressed to the head of their unit. Three were approved and each proposer then acted under theirs on a
/// case they hold — a case that went on to run late, so the nightly survey raises a finding the head must review against
/// the decree's criteria; one was declined with its reason; one still awaits its head. Pure: the seeder hands over the
/// candidate cases and writes the plan through the live ledger, like any official's steps.
public enum DemoProposals {
    /// An open case its holder could act on under a proposal: its holder, their unit and the head who would decide, and
    /// the earliest time a step on it may carry (its last action).
    public struct Candidate: Sendable, Equatable {
        public var caseID: CaseID
        public var owner: OfficialID
        public var unit: UnitID
        public var authority: OfficialID
        public var notBefore: Int64

        public init(caseID: CaseID, owner: OfficialID, unit: UnitID, authority: OfficialID, notBefore: Int64) {
            self.caseID = caseID
            self.owner = owner
            self.unit = unit
            self.authority = authority
            self.notBefore = notBefore
        }
    }

    /// An official who may propose, with the head who would decide.
    public struct Proposer: Sendable, Equatable {
        public var official: OfficialID
        public var unit: UnitID
        public var authority: OfficialID

        public init(official: OfficialID, unit: UnitID, authority: OfficialID) {
            self.official = official
            self.unit = unit
            self.authority = authority
        }
    }

    /// One proposal: who proposes what to whom, when; the decision if there is one; the case acted on under it if any.
    public struct Planned: Sendable, Equatable {
        public var proposer: OfficialID
        public var authority: OfficialID
        public var unit: UnitID
        public var title: String
        public var proposal: BoldProposal
        public var openedAt: Int64
        public var decision: Decision?
        public var reliance: Reliance?

        public struct Decision: Sendable, Equatable {
            public var approve: Bool
            public var note: String
            public var at: Int64
        }

        public struct Reliance: Sendable, Equatable {
            public var caseID: CaseID
            public var note: String
            public var at: Int64
        }

        /// The opening, as the proposer writes it.
        public var open: OpenCase { OpenCase(kind: .proposal, title: title, leadUnit: unit, owner: authority, proposal: proposal) }
    }

    static let day: Int64 = 86_400_000

    /// Candidates by case id (the same city gets the same proposals), one proposal per official: up to three approved and
    /// acted under on a candidate case; then, by other officials (by id), one declined and one awaiting its head. Every time
    /// lies before `now`.
    public static func plan(_ candidates: [Candidate], proposers: [Proposer], now: Int64) -> [Planned] {
        var seen = Set<OfficialID>()
        var out: [Planned] = []
        for c in candidates.sorted(by: { $0.caseID.rawValue < $1.caseID.rawValue }) where out.count < 3 && seen.insert(c.owner).inserted {
            let story = stories[out.count]
            // Acted on half an hour after the case's last step (and never after now), approved days before that.
            let relyAt = min(c.notBefore + 30 * 60_000, now - day)
            out.append(
                Planned(
                    proposer: c.owner, authority: c.authority, unit: c.unit, title: story.title, proposal: story.proposal,
                    openedAt: relyAt - 6 * day, decision: .init(approve: true, note: story.decisionNote, at: relyAt - 3 * day),
                    reliance: .init(caseID: c.caseID, note: story.relianceNote, at: relyAt)))
        }
        let others = proposers.sorted { $0.official.rawValue < $1.official.rawValue }.filter { !seen.contains($0.official) }
        if let p = others.first {
            let story = stories[3]
            out.append(
                Planned(
                    proposer: p.official, authority: p.authority, unit: p.unit, title: story.title, proposal: story.proposal,
                    openedAt: now - 12 * day, decision: .init(approve: false, note: story.decisionNote, at: now - 10 * day)))
        }
        if others.count > 1 {
            let p = others[others.count / 2]
            let story = stories[4]
            out.append(
                Planned(
                    proposer: p.official, authority: p.authority, unit: p.unit, title: story.title, proposal: story.proposal, openedAt: now - 2 * day)
            )
        }
        return out
    }

    struct Story {
        var title: String
        var proposal: BoldProposal
        var decisionNote: String
        var relianceNote: String
    }

    static let stories: [Story] = [
        Story(
            title: "Trả kết quả qua dịch vụ bưu chính công ích cho người cao tuổi, người ở xa",
            proposal: BoldProposal(
                problem: "Người cao tuổi, người ở xã xa phải đến nhận kết quả lần thứ hai; nhiều trường hợp không đến được đúng hẹn.",
                action: "Chủ động gửi kết quả qua dịch vụ bưu chính công ích khi người dân đồng ý khi nộp hồ sơ, không thu thêm phí.",
                basis: "Quyết định 45/2016/QĐ-TTg về tiếp nhận, trả kết quả qua bưu chính công ích; quy trình nội bộ chưa quy định.",
                benefit: "Giảm một lần đi lại cho người dân; giảm hồ sơ tồn chưa trả tại bộ phận một cửa.",
                risks: "Thất lạc, chậm phát: gửi bảo đảm có báo phát, ghi số hiệu bưu gửi vào nhật ký xử lý."),
            decisionNote: "Đồng ý thực hiện thí điểm 3 tháng; báo cáo kết quả khi kết thúc.",
            relianceNote: "Người dân đồng ý nhận kết quả qua bưu điện; thực hiện theo đề xuất đã được chấp thuận."),
        Story(
            title: "Tiếp nhận bản điện tử khi Cổng dịch vụ công gián đoạn, bổ sung bản giấy sau",
            proposal: BoldProposal(
                problem: "Cổng dịch vụ công gián đoạn nhiều ngày, hồ sơ đến hạn không tiếp nhận được, người dân phải quay lại.",
                action: "Tiếp nhận bản chụp qua thư điện tử công vụ, ghi nhận ngày nhận, bổ sung bản giấy khi trả kết quả.",
                basis: "Nghị định 45/2020/NĐ-CP về thủ tục hành chính trên môi trường điện tử; chưa có hướng dẫn cho trường hợp gián đoạn.",
                benefit: "Không để hồ sơ quá hạn vì sự cố kỹ thuật; người dân không phải đi lại.",
                risks: "Giấy tờ giả: đối chiếu bản chính khi trả kết quả; chỉ áp dụng trong thời gian gián đoạn có xác nhận."),
            decisionNote: "Đồng ý, áp dụng trong thời gian Cổng gián đoạn có thông báo của Trung tâm.",
            relianceNote: "Cổng gián đoạn; tiếp nhận bản điện tử theo đề xuất đã được chấp thuận."),
        Story(
            title: "Thẩm định song song với lấy ý kiến các phòng chuyên môn",
            proposal: BoldProposal(
                problem: "Hồ sơ phải chờ đủ ý kiến các phòng rồi mới thẩm định, thường kéo dài quá thời hạn.",
                action: "Thẩm định song song trong khi chờ ý kiến; chỉ điều chỉnh phần liên quan khi có ý kiến khác.",
                basis: "Quy chế làm việc của cơ quan không cấm thẩm định song song; Nghị quyết 02/NQ-CP về cải thiện môi trường kinh doanh.",
                benefit: "Rút ngắn thời gian giải quyết khoảng một phần ba.",
                risks: "Phải làm lại khi ý kiến các phòng khác nhau: ghi rõ phần đã thẩm định, báo cáo lãnh đạo khi phát sinh."),
            decisionNote: "Đồng ý; lưu ý ghi rõ phần đã thẩm định trước khi có ý kiến.",
            relianceNote: "Thẩm định song song theo đề xuất đã được chấp thuận."),
        Story(
            title: "Cho phép chuyên viên ký văn bản trả lời kiến nghị đơn giản",
            proposal: BoldProposal(
                problem: "Văn bản trả lời kiến nghị đơn giản phải chờ lãnh đạo phòng ký, chậm vài ngày.",
                action: "Chuyên viên được giao ký trả lời các kiến nghị chỉ hỏi thông tin, lãnh đạo phòng kiểm tra sau.",
                basis: "Quy chế làm việc chưa phân cấp ký trả lời kiến nghị cho chuyên viên.",
                benefit: "Trả lời nhanh hơn 2–3 ngày.",
                risks: "Nội dung trả lời sai thẩm quyền: chỉ áp dụng với kiến nghị hỏi thông tin."),
            decisionNote:
                "Không chấp thuận: thẩm quyền ký văn bản do quy chế làm việc quy định; đề nghị rút ngắn thời gian trình ký thay vì phân cấp ký.",
            relianceNote: ""),
        Story(
            title: "Hẹn trả kết quả theo khung giờ để giảm chờ đợi tại bộ phận một cửa",
            proposal: BoldProposal(
                problem: "Người dân đến nhận kết quả tập trung buổi sáng, phải chờ lâu.",
                action: "Hẹn trả kết quả theo khung giờ, nhắn tin nhắc trước một ngày.",
                basis: "Quy định về bộ phận một cửa cho phép bố trí thời gian trả kết quả; chưa có quy định về khung giờ.",
                benefit: "Giảm thời gian chờ đợi; phân bổ đều công việc trong ngày.",
                risks: "Người dân không đến đúng khung giờ: vẫn trả kết quả trong giờ hành chính."),
            decisionNote: "", relianceNote: ""),
    ]
}
