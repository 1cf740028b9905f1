import BuckStopAPI
import BuckStopDomain
import BuckStopStore

/// A refusal in the user's language, with the field it concerns.
public struct Refusal: Sendable {
    public var message: String
    public var field: String?
    public var code: String
    public var status: Int

    init(message: String, field: String?, code: String, status: Int) {
        self.message = message
        self.field = field
        self.code = code
        self.status = status
    }
}

public protocol StoreErrorLike { func refusal(_ lang: Language) -> Refusal }

extension StoreError: StoreErrorLike {
    /// The HTTP status, error code, field and localised message of a store refusal.
    public func refusal(_ lang: Language) -> Refusal {
        switch self {
        case .rejected(let domain): domain.refusal(lang)
        case .unknownCase(let id): Refusal(message: lang.t("Không có hồ sơ \(id)", "unknown case \(id)"), field: "case", code: "not_found", status: 404)
        case .unknownUnit(let id): Refusal(message: lang.t("Không có đơn vị \(id)", "unknown unit \(id)"), field: "leadUnit", code: "rejected", status: 422)
        case .findingExists(let id): Refusal(message: lang.t("Phát hiện \(id) đã có", "finding \(id) already exists"), field: nil, code: "conflict", status: 409)
        case .unknownFinding(let id): Refusal(message: lang.t("Không có phát hiện \(id)", "unknown finding \(id)"), field: "finding", code: "not_found", status: 404)
        case .noOrganization, .invalidKey, .configurationMismatch, .personalDataErased, .personalDataUnreadable, .database, .unavailable, .invalidLocation:
            Refusal(message: lang.t("Hệ thống tạm thời không ghi được, vui lòng thử lại", "the store is unavailable, try again"), field: nil, code: "unavailable", status: 503)
        }
    }
}

extension DomainError: StoreErrorLike {
    public func refusal(_ lang: Language) -> Refusal {
        switch self {
        case .missingField(let action, let field):
            Refusal(
                message: lang.t("\(ActionType(rawValue: action)?.nameVi ?? action): thiếu \(FieldNames.vi(field)) (\(field)) — bắt buộc", description),
                field: field, code: "rejected", status: 422)
        case .invalidField(_, let field, let reason):
            Refusal(message: lang.t("Trường \(FieldNames.vi(field)) (\(field)) không hợp lệ: \(reason)", description), field: field, code: "rejected", status: 422)
        case .notPermitted(_, _, let reason):
            Refusal(message: lang.t("Không được phép: \(reason)", description), field: nil, code: "rejected", status: 422)
        case .invalidTransition(let action, let from):
            Refusal(
                message: lang.t("Không thể \(ActionType(rawValue: action)?.nameVi.lowercased() ?? action) khi hồ sơ đang ở trạng thái \(from.nameVi.lowercased())", description),
                field: "type", code: "rejected", status: 422)
        case .unknownOfficial(let id):
            Refusal(message: lang.t("Không có cán bộ \(id)", description), field: "to", code: "rejected", status: 422)
        case .inactiveOfficial(let id):
            Refusal(message: lang.t("Cán bộ \(id) không còn công tác", description), field: "to", code: "rejected", status: 422)
        case .unknownUnit(let id):
            Refusal(message: lang.t("Không có đơn vị \(id)", description), field: "unit", code: "rejected", status: 422)
        case .caseAlreadyExists, .unknownCase, .invalidOrganization, .invalidYAML, .invalidRulebook:
            Refusal(message: description, field: nil, code: "rejected", status: 422)
        }
    }
}

extension ActionInput.Problem: StoreErrorLike {
    public func refusal(_ lang: Language) -> Refusal {
        Refusal(message: message(lang), field: field, code: "bad_request", status: 400)
    }
}
