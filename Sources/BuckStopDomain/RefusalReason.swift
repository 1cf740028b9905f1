import BuckStopCalendar

/// Why the domain refused an action, as data rather than a sentence: an official reads the refusal in Vietnamese, an
/// integrator in English, the log in English — so each reason is worded once per language here, beside the rule,
/// and no English reason leaks into a Vietnamese message.
public enum RefusalReason: Sendable, Equatable, CustomStringConvertible {
    // Findings
    case findingNotOpen(status: String)
    case findingAlreadyReviewed(status: String)
    case onlyResponsibleExplains(OfficialID?)
    case onlyHeadOrInspectorReviews
    case noReviewOfOneself
    case onlyOfficialExplains
    case onlyOfficialReviews
    case onlySystemRaisesFindings
    /// A dismissed finding was given a cause.
    case causeOnlyWhenUpheld
    /// An upheld finding's cause is not one of the rulebook's.
    case unknownCause(String, known: [String])
    // Consequences of upheld findings
    case consequenceNeedsUpheld(status: String)
    case consequencesClosed
    case unknownMeasure(String, known: [String])
    case disciplineNeedsOfficial
    case remediationOwnerOutsideUnit(OfficialID)
    case remediationPending
    case noRemediationPending
    case onlyRemediationOwner(OfficialID)
    // Opening and ownership
    case leadUnitCollaborates(UnitID)
    case noSingleOwner
    case ownerOutsideLeadUnit(OfficialID, lead: UnitID)
    case titleCarriesPersonalData(detail: String)
    case heldBy(OfficialID?)
    case onlyOfficialActs
    case alreadyHolds(OfficialID)
    case onlyOwnerOrHeadAssigns
    // Order and time
    case wrongCase(expected: CaseID, found: CaseID)
    case beforeLastAction(at: Int64, last: Int64)
    case laterThanClock(latest: Int64, skewSeconds: Int64, found: Int64)
    case beforeFirstRule(earliest: CivilDate, found: Int64)
    case dateOutOfRange(from: CivilDate, to: CivilDate, found: CivilDate)
    case dateNotAfter(due: CivilDate, found: CivilDate)
    /// An acceptance that would start a clock the case already runs against.
    case clockAlreadyRunning(due: CivilDate, found: CivilDate)
    /// A reveal asked of a case that seals no denouncer's identity.
    case noSealedIdentity(kind: CaseKind)
    /// Suspension is for complaints and denunciations.
    case notSuspendable(kind: CaseKind)
    /// A resumption of a case that is not suspended.
    case notSuspended
    /// Work on a suspended case.
    case suspended
    /// A decision by someone who neither heads the body the law names nor is one of its deputies.
    case notCompetent(OfficialID, body: UnitID)
    /// The accused official may not hold, nor see the denouncer of, a denunciation against them (Luật Tố cáo 2018 Đ.47).
    case accusedHandles(OfficialID)
    /// What the case concerns names a unit or official the organisation does not have.
    case unknownConcerned(String)
    /// The deciding body recorded on an opening differs from the one the rulebook's competence row names.
    case wrongDecidingBody(expected: UnitID, found: UnitID)
    /// The body the law names to decide is above this organisation (a ministry, the Government): not decided here.
    case decidedOutside(UnitID)
    /// A suspension before the law allowed one for this kind of case.
    case suspensionNotInForce(kind: CaseKind, from: CivilDate)
    // Citizens
    case onlyCitizenRates
    case scoreOutOfRange(found: Int)
    case alreadyRated(score: Int)
    // Escalation, assignment, consultation
    case onlyHeadReopens
    case proposalWithoutWords
    case notAbove(OfficialID, actor: String)
    case notBelow(OfficialID, actor: String)
    case noPendingConsultation(UnitID)
    case onlyUnitAnswers(UnitID)
    case emptyListItem
    case dossierIncomplete(missing: [RequiredDocument])
    // Declining
    case decliningUnitNamed(String)
    case competentUnitHasNoHead(String)
    case receiverNotTheHead(expected: OfficialID, unit: String, found: OfficialID?)
    case receiverOutside(unit: String, receiver: OfficialID)
    // Citizen reception
    case reception(ReceptionRefusal)
    // Intake outcomes (refusal, guidance, duplicates)
    case intake(IntakeRefusal)
    // Withdrawal and dialogue
    case complaintStep(ComplaintStepRefusal)
    // Programmes and tasks
    case programme(ProgrammeRefusal)
    // Inspections
    case inspection(InspectionRefusal)
    // Proposals (NĐ 73/2023)
    case proposal(ProposalRefusal)

    public var description: String { english }

    public var english: String {
        switch self {
        case .findingNotOpen(let status): "finding is \(status), expected open"
        case .findingAlreadyReviewed(let status): "finding is already \(status)"
        case .onlyResponsibleExplains(let official): "only \(official?.rawValue ?? "the responsible official") explains"
        case .onlyHeadOrInspectorReviews: "only the unit's head or an inspector reviews findings"
        case .noReviewOfOneself: "nobody reviews a finding about themselves"
        case .onlyOfficialExplains: "only an official explains"
        case .onlyOfficialReviews: "only an official reviews"
        case .causeOnlyWhenUpheld: "only an upheld finding has a cause"
        case .consequenceNeedsUpheld(let status): "consequences follow an upheld finding; this one is \(status)"
        case .consequencesClosed: "the finding's consequences are closed"
        case .unknownMeasure(let code, let known): "measure '\(code)' is not in the rulebook (known: \(known.joined(separator: ", ")))"
        case .disciplineNeedsOfficial: "discipline is of a named official; this finding names none"
        case .remediationOwnerOutsideUnit(let owner): "\(owner.rawValue) is not an official of the finding's unit"
        case .remediationPending: "a remediation is still pending"
        case .noRemediationPending: "no remediation is pending on this finding"
        case .onlyRemediationOwner(let owner): "only \(owner.rawValue), who owns the remediation, reports it done"
        case .unknownCause(let code, let known): "cause '\(code)' is not in the rulebook (known: \(known.joined(separator: ", ")))"
        case .onlySystemRaisesFindings: "only the system's detectors raise findings"
        case .leadUnitCollaborates(let unit): "the lead unit \(unit) cannot also collaborate"
        case .noSingleOwner: "the case would have no single owner"
        case .ownerOutsideLeadUnit(let owner, let lead):
            "\(owner) is neither an official of the lead unit \(lead) nor of a public service centre receiving for it"
        case .titleCarriesPersonalData(let detail):
            "it contains the applicant's \(detail); personal data is sealed off the ledger, so the title must not carry it"
        case .heldBy(let owner): "the case is held by \(owner?.rawValue ?? "nobody")"
        case .onlyOfficialActs: "only an official takes this action"
        case .alreadyHolds(let to): "\(to) already holds the case"
        case .onlyOwnerOrHeadAssigns: "only the owner or a head above the owner assigns"
        case .wrongCase(let expected, let found): "expected \(expected), found \(found)"
        case .beforeLastAction(let at, let last): "time \(at) is before the case's last action at \(last)"
        case .laterThanClock(let latest, let skew, let found):
            "expected a time no later than \(latest) (the server's clock plus \(skew) s), found \(found)"
        case .beforeFirstRule(let earliest, let found): "expected a time on or after \(earliest) (the rulebook's first rule), found \(found)"
        case .dateOutOfRange(let from, let to, let found): "expected a date from \(from) to \(to), found \(found)"
        case .dateNotAfter(let due, let found): "expected a date after \(due), found \(found)"
        case .clockAlreadyRunning(let due, let found):
            "expected no due date on an acceptance of a case whose clock already runs (due \(due)), found \(found)"
        case .noSealedIdentity(let kind): "expected a denunciation whose denouncer's identity is sealed, found a \(kind.rawValue) without one"
        case .notSuspendable(let kind): "expected a complaint or a denunciation (the law lets those be suspended), found a \(kind.rawValue)"
        case .notSuspended: "expected a suspended case, found one whose handling runs"
        case .suspended: "the handling is suspended: resume it first"
        case .notCompetent(let who, let body):
            "expected the head of \(body) or a deputy signing for them (the competence the law names), found \(who)"
        case .accusedHandles(let who): "\(who) is the official the denunciation accuses"
        case .unknownConcerned(let id): "expected a unit or official of the organisation, found '\(id)'"
        case .wrongDecidingBody(let expected, let found): "the competence rule names \(expected) to decide, found \(found)"
        case .decidedOutside(let top): "the body above \(top) decides, and it is outside this organisation"
        case .suspensionNotInForce(let kind, let from):
            "the law lets a \(kind.rawValue) be suspended from \(from); found a suspension before that day"
        case .onlyCitizenRates: "only the citizen rates a case"
        case .scoreOutOfRange(let found): "expected 1…5, found \(found)"
        case .alreadyRated(let score): "the case was already rated (\(score)/5)"
        case .onlyHeadReopens: "only a head, inspector or admin reopens a case"
        case .proposalWithoutWords: "it must state the escalating official's own proposal in words"
        case .notAbove(let to, let actor): "\(to) is not above \(actor) in the organisation"
        case .notBelow(let to, let actor): "\(to) is not below \(actor) in the organisation"
        case .noPendingConsultation(let unit): "\(unit) has no pending consultation on this case"
        case .onlyUnitAnswers(let unit): "only an official of \(unit) answers for it"
        case .emptyListItem: "an item of the list is empty"
        case .dossierIncomplete(let missing):
            "the dossier is incomplete and not received: missing \(missing.map(\.nameEn).joined(separator: "; ")); tell the applicant everything that is missing at once"
        case .decliningUnitNamed(let unit): "\(unit) is the unit declining"
        case .competentUnitHasNoHead(let unit): "\(unit) has no head to receive it"
        case .receiverNotTheHead(let expected, let unit, let found): "expected \(expected), the head of \(unit), found \(found?.rawValue ?? "")"
        case .receiverOutside(let unit, let receiver): "\(unit) is outside the organisation, yet \(receiver) is named to receive it"
        case .reception(let why): why.english
        case .intake(let why): why.english
        case .complaintStep(let why): why.english
        case .programme(let why): why.english
        case .inspection(let why): why.english
        case .proposal(let why): why.english
        }
    }

    /// The same reason in Vietnamese, as an official reads it (ids stay as they are: they are what the forms show).
    public var vietnamese: String {
        switch self {
        case .findingNotOpen(let status):
            "phát hiện đang ở trạng thái \(Self.findingStatusVi(status)); chỉ giải trình được phát hiện đang chờ giải trình"
        case .findingAlreadyReviewed(let status): "phát hiện đã được xem xét (\(Self.findingStatusVi(status)))"
        case .onlyResponsibleExplains(let official):
            "chỉ \(official.map { "cán bộ \($0.rawValue)" } ?? "cán bộ được nêu tên") giải trình phát hiện này"
        case .onlyHeadOrInspectorReviews: "chỉ người đứng đầu đơn vị hoặc thanh tra viên xem xét phát hiện"
        case .noReviewOfOneself: "không ai tự xem xét phát hiện về chính mình"
        case .onlyOfficialExplains: "chỉ cán bộ mới giải trình"
        case .onlyOfficialReviews: "chỉ cán bộ mới xem xét phát hiện"
        case .causeOnlyWhenUpheld: "chỉ phát hiện được kết luận là đúng mới ghi nguyên nhân"
        case .consequenceNeedsUpheld(let status):
            "chỉ xử lý sau khi phát hiện được giữ nguyên; phát hiện này đang ở trạng thái \(Self.findingStatusVi(status))"
        case .consequencesClosed: "việc xử lý phát hiện này đã kết thúc"
        case .unknownMeasure(let code, let known): "biện pháp '\(code)' không có trong bộ quy tắc (có: \(known.joined(separator: ", ")))"
        case .disciplineNeedsOfficial: "kỷ luật phải gắn với một cán bộ cụ thể; phát hiện này không nêu tên cán bộ"
        case .remediationOwnerOutsideUnit(let owner): "\(owner.rawValue) không phải cán bộ của đơn vị có phát hiện"
        case .remediationPending: "biện pháp khắc phục trước chưa hoàn thành"
        case .noRemediationPending: "phát hiện này không có biện pháp khắc phục đang chờ"
        case .onlyRemediationOwner(let owner): "chỉ \(owner.rawValue), người được giao khắc phục, báo cáo hoàn thành"
        case .unknownCause(let code, let known): "nguyên nhân '\(code)' không có trong bộ quy tắc (có: \(known.joined(separator: ", ")))"
        case .onlySystemRaisesFindings: "chỉ bộ phát hiện của hệ thống mới ghi phát hiện"
        case .leadUnitCollaborates(let unit): "đơn vị chủ trì \(unit) không thể đồng thời là đơn vị phối hợp"
        case .noSingleOwner: "hồ sơ sẽ không còn một người chịu trách nhiệm duy nhất"
        case .ownerOutsideLeadUnit(let owner, let lead):
            "cán bộ \(owner) không thuộc đơn vị chủ trì \(lead) cũng không thuộc Trung tâm Phục vụ hành chính công tiếp nhận thay"
        case .titleCarriesPersonalData(let detail):
            "tiêu đề chứa \(Self.personalDetailVi(detail)) của người nộp; dữ liệu cá nhân được lưu mã hóa ngoài nhật ký xử lý nên không được ghi vào tiêu đề"
        case .heldBy(let owner): owner.map { "hồ sơ đang do cán bộ \($0.rawValue) xử lý" } ?? "hồ sơ không có người đang xử lý"
        case .onlyOfficialActs: "chỉ cán bộ mới thực hiện thao tác này"
        case .alreadyHolds(let to): "cán bộ \(to) đang xử lý hồ sơ này rồi"
        case .onlyOwnerOrHeadAssigns: "chỉ người đang xử lý hoặc người đứng đầu cấp trên mới phân công"
        case .wrongCase(let expected, let found): "cần hồ sơ \(expected), nhận được \(found)"
        case .beforeLastAction(let at, let last): "thời điểm \(at) trước thao tác gần nhất của hồ sơ (\(last))"
        case .laterThanClock(let latest, let skew, let found):
            "thời điểm \(found) muộn hơn giờ của máy chủ cộng \(skew) giây (\(latest))"
        case .beforeFirstRule(let earliest, let found): "thời điểm \(found) trước ngày \(earliest), ngày bắt đầu của quy định đầu tiên"
        case .dateOutOfRange(let from, let to, let found): "ngày \(found) phải từ \(from) đến \(to)"
        case .dateNotAfter(let due, let found): "ngày hẹn mới \(found) phải sau ngày hẹn hiện tại \(due)"
        case .clockAlreadyRunning(let due, let found):
            "hồ sơ đã có hạn giải quyết \(due); lần thụ lý này không được đặt hạn mới (\(found))"
        case .noSealedIdentity(let kind): "chỉ đơn tố cáo có danh tính người tố cáo được niêm phong mới có thể xem (hồ sơ này: \(kind.nameVi))"
        case .notSuspendable(let kind): "chỉ khiếu nại, tố cáo mới được tạm đình chỉ giải quyết (hồ sơ này: \(kind.nameVi))"
        case .notSuspended: "hồ sơ không bị tạm đình chỉ"
        case .suspended: "việc giải quyết đang tạm đình chỉ: cần quyết định tiếp tục giải quyết trước"
        case .notCompetent(let who, let body):
            "\(who) không có thẩm quyền: chỉ người đứng đầu \(body) hoặc cấp phó ký thay mới được quyết định"
        case .accusedHandles(let who): "\(who) là người bị tố cáo trong vụ việc này"
        case .unknownConcerned(let id): "'\(id)' không phải đơn vị hay cán bộ trong tổ chức"
        case .wrongDecidingBody(let expected, let found): "theo quy tắc thẩm quyền, \(expected) quyết định, không phải \(found)"
        case .decidedOutside(let top): "cơ quan cấp trên của \(top) có thẩm quyền giải quyết, nằm ngoài tổ chức này"
        case .suspensionNotInForce(let kind, let from):
            "luật cho phép tạm đình chỉ giải quyết \(kind.nameVi.lowercased()) từ ngày \(from)"
        case .onlyCitizenRates: "chỉ công dân mới đánh giá hồ sơ"
        case .scoreOutOfRange(let found): "điểm phải từ 1 đến 5, nhận được \(found)"
        case .alreadyRated(let score): "hồ sơ đã được đánh giá (\(score)/5)"
        case .onlyHeadReopens: "chỉ người đứng đầu, thanh tra viên hoặc quản trị viên mới mở lại hồ sơ"
        case .proposalWithoutWords: "phải nêu rõ bằng lời đề xuất của chính người trình"
        case .notAbove(let to, let actor): "\(to) không phải cấp trên của \(actor) trong tổ chức"
        case .notBelow(let to, let actor): "\(to) không phải cấp dưới của \(actor) trong tổ chức"
        case .noPendingConsultation(let unit): "đơn vị \(unit) không có yêu cầu lấy ý kiến nào đang chờ trả lời trong hồ sơ này"
        case .onlyUnitAnswers(let unit): "chỉ cán bộ của đơn vị \(unit) mới trả lời thay đơn vị"
        case .emptyListItem: "danh sách có mục để trống"
        case .dossierIncomplete(let missing):
            "hồ sơ chưa đủ thành phần, chưa tiếp nhận: thiếu \(missing.map(\.nameVi).joined(separator: "; ")); hướng dẫn người nộp bổ sung một lần đầy đủ"
        case .decliningUnitNamed(let unit): "\(unit) chính là đơn vị đang từ chối"
        case .competentUnitHasNoHead(let unit): "đơn vị \(unit) chưa có người đứng đầu để nhận hồ sơ"
        case .receiverNotTheHead(let expected, let unit, let found):
            "người nhận phải là \(expected), người đứng đầu \(unit), nhận được \(found?.rawValue ?? "(để trống)")"
        case .receiverOutside(let unit, let receiver): "\(unit) nằm ngoài tổ chức, không thể chỉ định \(receiver) nhận hồ sơ"
        case .reception(let why): why.vietnamese
        case .intake(let why): why.vietnamese
        case .complaintStep(let why): why.vietnamese
        case .programme(let why): why.vietnamese
        case .inspection(let why): why.vietnamese
        case .proposal(let why): why.vietnamese
        }
    }

    static func findingStatusVi(_ status: String) -> String {
        switch FindingStatus(rawValue: status) {
        case .open: "chờ giải trình"
        case .explained: "đã giải trình"
        case .upheld: "giữ nguyên"
        case .dismissed: "bác bỏ"
        case nil: status
        }
    }

    /// The personal details `PersonalData.detail(appearingIn:)` reports, in Vietnamese.
    static func personalDetailVi(_ detail: String) -> String {
        switch detail {
        case "fullName": "họ tên"
        case "phone": "số điện thoại"
        case "email": "thư điện tử"
        case "idNumber": "số định danh cá nhân"
        default: "thông tin cá nhân"
        }
    }
}
