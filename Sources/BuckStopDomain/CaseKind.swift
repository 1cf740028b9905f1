/// The kinds of work item the law treats differently (deadlines, confidentiality, who may hold them), and the two registers
/// that hold others (reception books, programmes).
public enum CaseKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Hồ sơ thủ tục hành chính.
    case dossier
    /// Nhiệm vụ được giao.
    case task
    /// Khiếu nại.
    case complaint
    /// Tố cáo — the denouncer's identity is confidential (Luật Tố cáo 2018 Đ.47).
    case denunciation
    /// Kiến nghị, phản ánh.
    case petition
    /// Sổ tiếp công dân: a unit's reception book for a year, held by its head; each session is an entry
    /// (`ActionBody.receptionHeld`), judged against the reception schedule of the head's level (`ReceptionSchedule`).
    case reception
    /// Chương trình, đề án, kế hoạch: the root or a branch of a programme tree (`PlanLevel` is its procedure); its tasks
    /// (and plans) name it as their parent. Held by the official who coordinates it; judged by no avoidance detector
    /// itself — its tasks are.
    case programme
    /// Đề xuất đổi mới, sáng tạo (NĐ 73/2023): opened by the proposer in their unit, held by the authority who decides it
    /// (`BoldProposal`).
    case proposal

    public var nameVi: String {
        switch self {
        case .dossier: "Hồ sơ thủ tục hành chính"
        case .task: "Nhiệm vụ được giao"
        case .complaint: "Khiếu nại"
        case .denunciation: "Tố cáo"
        case .petition: "Kiến nghị, phản ánh"
        case .reception: "Sổ tiếp công dân"
        case .programme: "Chương trình, kế hoạch"
        case .proposal: "Đề xuất đổi mới, sáng tạo"
        }
    }

    /// The Vietnamese name inside a sentence ("rút khiếu nại", not "rút Khiếu nại").
    public var nameViInSentence: String { nameVi.prefix(1).lowercased() + nameVi.dropFirst() }
}

/// Where a case stands. Every status except `closed` has exactly one accountable owner.
public enum CaseStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case received
    case processing
    /// Returned to the applicant for supplements; the statutory clock restarts on receipt (NĐ 61/2018 Đ.19.4).
    case awaitingSupplement = "awaiting_supplement"
    /// A decision or result exists; it still has an owner until the result is returned and the case closed.
    case resolved
    case closed

    public var isOpen: Bool { self != .closed }

    public var nameVi: String {
        switch self {
        case .received: "Đã tiếp nhận"
        case .processing: "Đang xử lý"
        case .awaitingSupplement: "Chờ bổ sung"
        case .resolved: "Đã giải quyết"
        case .closed: "Đã đóng"
        }
    }
}
