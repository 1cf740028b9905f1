import BuckStopDetectors

/// The one line a head of unit reads for a finding, in Vietnamese and in English.
public enum Explanation {
    public static func text(_ f: DetectorFinding, owner: String, vietnamese: Bool) -> String {
        let v = number(f.value)
        let l = number(f.limit)
        // "once", "twice", "3 times": never "1 times" in the English line.
        let times = f.value == 1 ? "once" : f.value == 2 ? "twice" : "\(v) times"
        let who = owner.isEmpty ? (vietnamese ? "(không rõ)" : "(unknown)") : owner
        switch (f.detector, vietnamese) {
        case (.transfers, true): return "Hồ sơ đổi người chịu trách nhiệm \(v) lần, vượt ngưỡng \(l) của loại hồ sơ này; \(who) chuyển đi nhiều nhất."
        case (.transfers, false): return "Owner changed \(times), above the limit of \(l) for this case type; \(who) passed it on most."
        case (.pingPong, true):
            let back = f.severity == .high ? " (qua lại liên tiếp)" : ""
            if f.attribution == .misrouted {
                return "Hồ sơ quay lại người/đơn vị đã xử lý trước \(v) lần: \(who) chuyển đi nơi không đúng và được trả lại\(back)."
            }
            return "Hồ sơ quay lại người/đơn vị đã xử lý trước \(v) lần; \(who) trả lại đầu tiên\(back)."
        case (.pingPong, false):
            let back = f.severity == .high ? " (repeated back-and-forth)" : ""
            if f.attribution == .misrouted {
                return "Case went back to an earlier owner \(times): \(who) had sent it to the wrong place and it was sent back\(back)."
            }
            return "Case went back to an earlier owner \(times); \(who) sent it back first\(back)."
        case (.upwardPush, true): return "Hồ sơ trình lên kèm đề xuất nhưng \(who) giao trả xuống mà chưa quyết định (\(v) lần)."
        case (.upwardPush, false): return "It was escalated with a proposal and \(who) sent it back down without deciding (\(times))."
        case (.shuttle, true): return "Hồ sơ trình lên rồi giao xuống \(v) vòng (ngưỡng \(l)); cấp trên: \(who)."
        case (.shuttle, false): return "Escalated and sent back down \(times) (limit \(l)); superior: \(who)."
        case (.consultationRounds, true): return "Lấy ý kiến \(v) vòng (ngưỡng \(l)) hoặc đơn vị được hỏi trả lời quá hạn; người hỏi: \(who)."
        case (.consultationRounds, false): return "\(v) consultation rounds (limit \(l)) or a consulted unit answered late; asked by \(who)."
        case (.stalling, true): return "\(who) giữ hồ sơ \(v) ngày làm việc không xử lý (ngưỡng \(l))."
        case (.stalling, false): return "\(who) held the case idle for \(v) working days (limit \(l))."
        case (.overdue, true): return "Trễ hạn \(v) ngày; người giữ hồ sơ đến hạn: \(who)."
        case (.overdue, false): return "Finished or still open \(v) days past the due date; holder on the due date: \(who)."
        case (.noApology, true): return "Trễ hạn \(v) ngày mà không gửi văn bản xin lỗi, hẹn lại trước hạn ít nhất \(l) ngày; người giữ: \(who)."
        case (.noApology, false): return "\(v) days late with no apology and new date sent at least \(l) day(s) before the due date; holder: \(who)."
        case (.repeatReschedule, true): return "Hẹn lại \(v) lần (tối đa \(l)); người hẹn: \(who)."
        case (.repeatReschedule, false): return "New appointment date given \(times) (at most \(l)); by \(who)."
        case (.repeatSupplement, true): return "Yêu cầu bổ sung \(v) lần (tối đa \(l)); người yêu cầu: \(who)."
        case (.repeatSupplement, false): return "Supplements requested \(times) (at most \(l)); by \(who)."
        case (.jurisdictionRefusal, true):
            return "Từ chối hoặc chuyển đi dù đơn vị có thẩm quyền, hoặc trả ngược lại ngay nơi vừa chuyển đến; người từ chối/chuyển: \(who)."
        case (.jurisdictionRefusal, false): return "Declined or transferred though competent, or sent straight back where it came from; by \(who)."
        case (.lateIntake, true): return "Chậm tiếp nhận/chuyển \(v) ngày làm việc so với hạn; người giữ: \(who)."
        case (.lateIntake, false): return "Intake or forwarding \(v) working days past its deadline; holder: \(who)."
        case (.extensionAbuse, true): return "Gia hạn \(v) lần\(f.limit >= 0 ? " (cho phép \(l))" : "") hoặc dài hơn quy định; người gia hạn: \(who)."
        case (.extensionAbuse, false): return "Extended \(times)\(f.limit >= 0 ? " (allowed \(l))" : "") or longer than the rule; by \(who)."
        case (.accumulation, true):
            return
                "\(who) có \(v) lần chậm chuyển hồ sơ trong một khung thời gian (ngưỡng \(l) lần): cảnh báo sớm cho người đứng đầu; một phát hiện cho cả đợt, trên hồ sơ chậm sau cùng."
        case (.accumulation, false):
            return
                "\(who) forwarded \(v) dossiers late within one window (threshold \(l)): an early warning to the head; one finding for the run, on its last late dossier."
        case (.overlap, true): return "Cùng một nhiệm vụ do \(v) đơn vị cùng chủ trì (chồng chéo); đơn vị giao sau: \(who)."
        case (.overlap, false): return "The same task is led by \(v) units at once (overlap); the later lead: \(who)."
        case (.rework, true): return "Cùng một bước được làm lại \(v) lần trong hồ sơ."
        case (.rework, false): return "The same step was done \(times) in this case."
        case (_, true): return "\(f.detector.nameVi): \(who)."
        case (_, false): return "\(f.detector.nameEn): \(who)."
        }
    }

    public static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.1f", x)
    }
}
