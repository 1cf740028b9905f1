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
        case (.overdue, true): return "Trễ hạn \(v) ngày (theo lịch); người đang xử lý hồ sơ vào ngày đến hạn: \(who)."
        case (.overdue, false): return "Finished or still open \(v) calendar days past the due date; holder on the due date: \(who)."
        case (.noApology, true):
            return "Trễ hạn \(v) ngày (theo lịch) mà không gửi văn bản xin lỗi, hẹn lại trước hạn ít nhất \(l) ngày; người đang xử lý: \(who)."
        case (.noApology, false):
            return "\(v) calendar days late with no apology and new date sent at least \(l) day(s) before the due date; holder: \(who)."
        case (.repeatReschedule, true): return "Hẹn lại \(v) lần (tối đa \(l)); người hẹn: \(who)."
        case (.repeatReschedule, false): return "New appointment date given \(times) (at most \(l)); by \(who)."
        case (.repeatSupplement, true): return "Yêu cầu bổ sung \(v) lần (tối đa \(l)); người yêu cầu: \(who)."
        case (.repeatSupplement, false): return "Supplements requested \(times) (at most \(l)); by \(who)."
        case (.jurisdictionRefusal, true):
            return "Từ chối hoặc chuyển đi dù đơn vị có thẩm quyền, hoặc trả ngược lại ngay nơi vừa chuyển đến; người từ chối/chuyển: \(who)."
        case (.jurisdictionRefusal, false): return "Declined or transferred though competent, or sent straight back where it came from; by \(who)."
        case (.lateIntake, true): return "Chậm tiếp nhận/chuyển \(v) ngày làm việc so với hạn; người đang xử lý: \(who)."
        case (.lateIntake, false): return "Intake or forwarding \(v) working days past its deadline; holder: \(who)."
        case (.extensionAbuse, true): return "Gia hạn \(v) lần\(f.limit >= 0 ? " (cho phép \(l))" : "") hoặc dài hơn quy định; người gia hạn: \(who)."
        case (.extensionAbuse, false): return "Extended \(times)\(f.limit >= 0 ? " (allowed \(l))" : "") or longer than the rule; by \(who)."
        case (.accumulation, true):
            return
                "\(who) có \(v) lần chậm chuyển hồ sơ trong một khung thời gian (ngưỡng \(l) lần): cảnh báo sớm cho người đứng đầu; một phát hiện cho cả đợt, trên hồ sơ chậm sau cùng."
        case (.accumulation, false):
            return
                "\(who) forwarded \(v) dossiers late within one window (threshold \(l)): an early warning to the head; one finding for the run, on its last late dossier."
        case (.overlap, true):
            return
                "Chồng chéo: \(v) nhiệm vụ đang thực hiện cùng một sản phẩm ở cùng đơn vị chủ trì, cùng một nhiệm vụ do nhiều đơn vị chủ trì, hoặc cuộc kiểm tra, thanh tra đang tiến hành cùng đơn vị, nội dung và thời kỳ; việc giao, mở sau do \(who) chịu trách nhiệm."
        case (.overlap, false):
            return
                "Overlap: \(v) tasks in force with the same product for the same lead unit, the same task led by several units, or inspections under way of the same unit, field and period; the later one is held by \(who)."
        case (.selfInspectionMiss, true):
            return
                "Tự kiểm tra không phát hiện: đoàn kiểm tra, thanh tra từ bên ngoài phát hiện \(v) vi phạm ở đơn vị, lĩnh vực và thời kỳ mà cuộc tự kiểm tra này đã bao quát và kết luận không có; người đứng đầu ký kết luận: \(who)."
        case (.selfInspectionMiss, false):
            return
                "Self-inspection missed it: an outside inspection found \(v) violation\(f.value == 1 ? "" : "s") in units, fields and days this self-inspection covered and concluded clean; the head who signed its conclusion: \(who)."
        case (.rework, true): return "Cùng một bước được làm lại \(v) lần trong hồ sơ."
        case (.rework, false): return "The same step was done \(times) in this case."
        case (.conflictOfInterest, true):
            return "Vụ việc do chính người bị tố cáo, bị khiếu nại hoặc cấp dưới của họ xử lý, quyết định (\(v) lần); người đầu tiên: \(who)."
        case (.conflictOfInterest, false):
            return "The case was held or decided by the official it concerns or someone under them (\(times)); the first: \(who)."
        case (.wrongLevel, true): return "Quyết định giải quyết do \(who) ký, không phải người đứng đầu (hoặc cấp phó) cơ quan có thẩm quyền."
        case (.wrongLevel, false): return "The decision was signed by \(who), not the head (or a deputy) of the body the law names."
        case (.receptionSkipped, true):
            return "Thiếu \(v) ngày tiếp công dân định kỳ so với lịch luật định (yêu cầu \(l) ngày trong các kỳ thiếu); người đứng đầu: \(who)."
        case (.receptionSkipped, false):
            return "\(v) periodic reception day(s) short of the schedule the law sets (\(l) required in the short periods); head: \(who)."
        case (.receptionDelegated, true):
            return "\(v) buổi tiếp công dân định kỳ do cấp phó tiếp thay khi luật không cho phép ủy quyền; người đứng đầu: \(who)."
        case (.receptionDelegated, false):
            return "\(v) periodic reception session(s) received by a deputy where the law allows no delegation; head: \(who)."
        case (.lateRemediation, true):
            return "Biện pháp khắc phục sau kết luận chưa hoàn thành (hoặc hoàn thành trễ) \(v) ngày sau hạn; người được giao khắc phục: \(who)."
        case (.lateRemediation, false):
            return "The remediation ordered after the finding was upheld was \(v) day\(f.value == 1 ? "" : "s") past its due date; its owner: \(who)."
        case (_, true): return "\(f.detector.nameVi): \(who)."
        case (_, false): return "\(f.detector.nameEn): \(who)."
        }
    }

    public static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.1f", x)
    }
}

/// The rule a finding fired, in words, and what its measured value counts — for the finding page, so a reader sees
/// the rule, the value against the limit and its unit (working days and calendar days are never left unsaid).
extension Explanation {
    public static func rule(_ d: DetectorID, vietnamese: Bool) -> String {
        switch (d, vietnamese) {
        case (.transfers, true):
            return "Hồ sơ đổi người chịu trách nhiệm nhiều hơn hẳn mức thông thường của loại hồ sơ này (ngưỡng tính từ trung vị của loại hồ sơ)."
        case (.transfers, false): return "The case changed owner far more often than is usual for its type (the limit follows that type's median)."
        case (.pingPong, true):
            return
                "Hồ sơ quay lại người hoặc đơn vị đã xử lý trước đó. Người bị nêu tên: nếu biết thẩm quyền, người chuyển hồ sơ ra ngoài thẩm quyền; nếu không, người chuyển nhầm khi hồ sơ chỉ bị trả lại một lần, người trả lại đầu tiên khi qua lại nhiều lần."
        case (.pingPong, false):
            return
                "The case came back to an owner or unit that had held it. Named: where the mandate is known, whoever sent it outside the mandate; otherwise the one who misrouted it when it came back once, and the first to send it back when it went back and forth."
        case (.upwardPush, true):
            return
                "Vụ việc được trình lên kèm đề xuất nhưng cấp trên giao trả xuống khi chưa có quyết định; người bị nêu tên là cấp trên đã trả xuống."
        case (.upwardPush, false):
            return "A matter escalated with a proposal was sent back down by the superior without a decision; the superior is named."
        case (.shuttle, true): return "Vụ việc được trình lên rồi giao xuống nhiều vòng; người bị nêu tên là cấp trên."
        case (.shuttle, false): return "The matter went up and was handed back down several times; the superior is named."
        case (.consultationRounds, true):
            return "Lấy ý kiến quá số vòng cho phép, hoặc đơn vị được hỏi trả lời sau hạn đã ghi trong văn bản hỏi ý kiến."
        case (.consultationRounds, false):
            return "More consultation rounds than allowed, or a consulted unit answered after the date the request set."
        case (.stalling, true): return "Người đang xử lý giữ hồ sơ không có thao tác nào lâu hơn ngưỡng (tính bằng ngày làm việc)."
        case (.stalling, false): return "The holder left the case without any action for longer than the limit (in working days)."
        case (.overdue, true):
            return "Hồ sơ hoàn thành sau hạn, hoặc còn mở khi đã quá hạn; người bị nêu tên là người đang xử lý hồ sơ vào ngày đến hạn."
        case (.overdue, false): return "Finished after its due date, or still open past it; the holder on the due date is named."
        case (.noApology, true): return "Trễ hạn mà không gửi văn bản xin lỗi và hẹn lại trước hạn đủ số ngày quy định (NĐ 61/2018)."
        case (.noApology, false):
            return "Late without a written apology and new date sent the required number of days before the due date (Decree 61/2018)."
        case (.repeatReschedule, true): return "Hẹn lại ngày trả kết quả nhiều hơn số lần quy định."
        case (.repeatReschedule, false): return "The return date was moved more times than the rules allow."
        case (.repeatSupplement, true): return "Yêu cầu bổ sung hồ sơ nhiều hơn số lần quy định."
        case (.repeatSupplement, false): return "Supplements were requested more times than the rules allow."
        case (.jurisdictionRefusal, true):
            return
                "Từ chối hồ sơ mà đơn vị mình có thẩm quyền giải quyết, chuyển ra ngoài thẩm quyền, hoặc trả ngược ngay nơi vừa chuyển đến. Chuyển đơn đến nơi có thẩm quyền về nội dung không bị tính."
        case (.jurisdictionRefusal, false):
            return
                "Declined a case one's own agency is competent for, moved it outside the mandate, or sent it straight back where it came from. Forwarding a letter to the body competent for its content does not count."
        case (.lateIntake, true): return "Tiếp nhận, chuyển xử lý hoặc thụ lý sau hạn của bước tiếp nhận (tính bằng ngày làm việc)."
        case (.lateIntake, false): return "Intake, forwarding or acceptance after the intake step's deadline (in working days)."
        case (.extensionAbuse, true): return "Gia hạn nhiều lần hơn, hoặc dài hơn, quy định cho phép."
        case (.extensionAbuse, false): return "Extended more often, or for longer, than the rules allow."
        case (.accumulation, true): return "Nhiều lần chậm chuyển hồ sơ của cùng một người trong một khung thời gian: cảnh báo sớm."
        case (.accumulation, false): return "Several late hand-overs by one official within one window: an early warning."
        case (.overlap, true):
            return
                "Hai nhiệm vụ đang thực hiện trùng sản phẩm ở cùng đơn vị, một nhiệm vụ có nhiều đơn vị chủ trì, hoặc hai cuộc kiểm tra, thanh tra trùng đơn vị, nội dung và thời kỳ."
        case (.overlap, false):
            return
                "Two tasks in force with the same product for the same unit, one task with more than one lead unit, or two inspections of the same unit, field and period."

        case (.selfInspectionMiss, true):
            return
                "Cuộc tự kiểm tra kết luận không có vi phạm ở nơi mà kiểm tra, thanh tra từ bên ngoài sau đó phát hiện: người đứng đầu chịu trách nhiệm."
        case (.selfInspectionMiss, false):
            return "A self-inspection concluded clean where an outside inspection then found violations: the head answers for it."
        case (.rework, true): return "Cùng một bước (quyết định, kết quả) được làm lại."
        case (.rework, false): return "The same step (decision, result) was done again."
        case (.conflictOfInterest, true):
            return "Người bị tố cáo, cấp dưới của họ, hoặc người có quyết định bị khiếu nại không được xử lý, giải quyết vụ việc."
        case (.conflictOfInterest, false):
            return "The accused, their subordinates, or the official whose act is complained of must not handle or decide the case."
        case (.wrongLevel, true):
            return "Chỉ người đứng đầu cơ quan có thẩm quyền (hoặc cấp phó ký thay) ký quyết định giải quyết khiếu nại, kết luận tố cáo."
        case (.wrongLevel, false): return "Only the head of the competent body (or a deputy signing for them) decides a complaint or denunciation."
        case (.receptionSkipped, true):
            return
                "Người đứng đầu tiếp công dân định kỳ ít ngày hơn lịch luật định cho cấp của mình trong một tuần hoặc một tháng (theo quy định có hiệu lực trong kỳ đó); buổi cấp phó tiếp thay vẫn được tính là đã tiếp."
        case (.receptionSkipped, false):
            return
                "The head received citizens on fewer periodic days than the law sets for their level in a week or month (by the rule in force for that period); a session a deputy held counts as held."
        case (.receptionDelegated, true):
            return
                "Buổi tiếp công dân định kỳ do người khác (cấp phó) tiếp thay người đứng đầu trong thời gian luật không cho phép ủy quyền; người bị nêu tên là người đứng đầu."
        case (.receptionDelegated, false):
            return
                "A periodic reception session was received by someone else (a deputy) for the head while the law allows no delegation; the head is named."
        case (.lateRemediation, true):
            return "Biện pháp khắc phục được giao sau khi phát hiện được giữ nguyên không hoàn thành đúng hạn; người được giao khắc phục bị nêu tên."
        case (.lateRemediation, false):
            return "The remediation ordered after a finding was upheld was not done by its due date; the official it was given to is named."
        case (_, true): return d.nameVi
        case (_, false): return d.nameEn
        }
    }

    /// What the measured value and the limit count; `one` for the singular ("1 time", never "1 times").
    public static func unit(_ d: DetectorID, vietnamese: Bool, one: Bool = false) -> String {
        if vietnamese {
            switch d {
            case .stalling, .lateIntake: return "ngày làm việc"
            case .overdue: return "ngày (theo lịch) trễ hạn"
            case .noApology: return "ngày (theo lịch)"
            case .shuttle, .consultationRounds: return "vòng"
            case .overlap: return "nhiệm vụ, cuộc kiểm tra"
            case .accumulation: return "lần chậm"
            case .receptionSkipped: return "ngày tiếp công dân"
            case .receptionDelegated: return "buổi"
            case .lateRemediation: return "ngày (theo lịch) quá hạn"
            case .selfInspectionMiss: return "vi phạm"
            default: return "lần"
            }
        }
        let (singular, plural): (String, String) =
            switch d {
            case .stalling, .lateIntake: ("working day", "working days")
            case .overdue: ("calendar day late", "calendar days late")
            case .noApology: ("calendar day", "calendar days")
            case .shuttle, .consultationRounds: ("round", "rounds")
            case .overlap: ("task or inspection", "tasks or inspections")
            case .accumulation: ("late hand-over", "late hand-overs")
            case .receptionSkipped: ("reception day", "reception days")
            case .receptionDelegated: ("session", "sessions")
            case .lateRemediation: ("calendar day late", "calendar days late")
            case .selfInspectionMiss: ("violation", "violations")
            default: ("time", "times")
            }
        return one ? singular : plural
    }
}
