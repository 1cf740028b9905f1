import BuckStopAPI
import BuckStopDomain
import BuckStopStore
import Foundation
import Hummingbird
import NIOCore
import OpenAPIRuntime

/// A text in Vietnamese and English; the request's language picks one.
struct Bilingual: Sendable {
    var vi: String
    var en: String

    init(_ vi: String, _ en: String) {
        self.vi = vi
        self.en = en
    }

    func callAsFunction(_ lang: Language) -> String { lang.t(vi, en) }
}

/// A refusal the server's own routes decide — access, parameters, limits, what is not there — with its category and
/// its message in both languages. Thrown like any other error: `Problem` turns it into the answer.
struct RequestRefusal: Error, CategorizedError {
    var category: FailureCategory
    var message: Bilingual
    var field: String?
    /// Headers the answer needs (`Allow`, `Retry-After`, `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    static func invalid(_ message: Bilingual, field: String?) -> Self { Self(category: .invalidInput, message: message, field: field) }
    static func rejected(_ message: Bilingual, field: String?) -> Self { Self(category: .rejected, message: message, field: field) }
    static func notFound(_ message: Bilingual, field: String? = nil) -> Self { Self(category: .notFound, message: message, field: field) }
    static func forbidden(_ message: Bilingual, field: String? = nil) -> Self { Self(category: .forbidden, message: message, field: field) }
    static func tooLarge(_ message: Bilingual) -> Self { Self(category: .tooLarge, message: message) }
    static func rateLimited(_ message: Bilingual) -> Self { Self(category: .rateLimited, message: message) }
    static func unauthenticated(_ message: Bilingual) -> Self {
        Self(category: .unauthenticated, message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    static func methodNotAllowed(allow: String) -> Self {
        Self(
            category: .methodNotAllowed, message: Bilingual("Tài nguyên này chỉ nhận \(allow).", "this resource answers \(allow) only"),
            headers: [.allow: allow])
    }
}

/// An error as a client sees it: the one mapping from the taxonomy (`FailureCategory`) to HTTP. The status, problem
/// type, stable `code` and title come from the category alone; the message from what the error says a client may
/// read. A failure of the service (database, configuration, a bug) shows only its category's message: the error's
/// own text is logged with the request id, and the client gets the id.
struct Problem {
    var category: FailureCategory
    var detail: Bilingual
    var field: String?
    var headers: HTTPFields = [:]

    init(category: FailureCategory, detail: Bilingual, field: String? = nil) {
        self.category = category
        self.detail = category.isServerFailure ? category.answer.summary : detail
        self.field = category.isServerFailure ? nil : field
    }

    init(_ error: any Error) {
        switch error {
        case let e as RequestRefusal:
            self.init(category: e.category, detail: e.message, field: e.field)
            headers = e.headers
        case let e as StoreError:
            self.init(category: e.category, detail: Self.message(e), field: e.field)
        case let e as DomainError:
            self.init(category: e.category, detail: Self.message(e), field: e.field)
        case let e as ActionInput.Problem:
            self.init(category: e.category, detail: Bilingual(e.message(.vi), e.message(.en)), field: e.field)
        case let e as APIRequestError:
            self.init(category: e.category, detail: Bilingual("Nội dung yêu cầu không hợp lệ: \(e.description)", e.description), field: e.field)
        case let e as any CategorizedError:
            // Another layer's error: its category decides, the category's own message is shown.
            self.init(category: e.category, detail: e.category.answer.summary, field: e.field)
        case let e as ServerError:
            // Thrown by the generated layer (`Generated/Server.swift`), which wraps every error. A handler's or the
            // gate's own error is underneath (status 500 there: the runtime does not know it), answered as if thrown
            // directly; a bug is an internal error as anywhere. Otherwise the layer refused the request itself.
            if e.httpStatus == .internalServerError {
                self.init(e.underlyingError)
            } else {
                self.init(TypedAPI.refusal(e))
            }
        case is NIOTooManyBytesError:
            self.init(category: .tooLarge, detail: FailureCategory.tooLarge.answer.summary)
        case let e as HTTPError:
            // Thrown by Hummingbird itself (no route, a body it cannot read): its status decides.
            let category =
                FailureCategory.allCases.first { $0.answer.status == e.status }
                ?? (e.status.kind == .clientError ? .invalidInput : .internalError)
            self.init(category: category, detail: category.answer.summary)
            headers = e.headers
        default:
            self.init(category: .internalError, detail: FailureCategory.internalError.answer.summary)
        }
    }

    var status: HTTPResponse.Status { category.answer.status }
    var code: String { category.answer.code }
    var type: String { Self.typeURI(code) }
    var title: Bilingual { category.answer.title }

    /// Problem types are documented at `/problems/<code>` on the server that answered.
    static func typeURI(_ code: String) -> String { "/problems/" + code }

    /// RFC 9457 `application/problem+json`: the standard members, the stable `code`, the `field` to blame (or null)
    /// and the request id (also in `X-Request-ID`).
    func json(lang: Language, requestID: String, instance: String) -> Response {
        let object: [String: Any] = [
            "type": type, "title": title(lang), "status": Int(status.code), "detail": detail(lang), "instance": instance, "code": code,
            "field": field ?? NSNull(), "requestId": requestID,
        ]
        // Every value is a string, an integer or null: the writer cannot fail on it.
        let body = (try? JSONWriter.data(object)) ?? ByteBuffer(string: "{}")
        var fields: HTTPFields = [.contentType: "application/problem+json", .contentLanguage: lang.rawValue, .cacheControl: "no-store"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    // MARK: - What a client may read

    static func message(_ error: StoreError) -> Bilingual {
        switch error {
        case .rejected(let domain): message(domain)
        case .unknownCase(let id): Bilingual("Không có hồ sơ \(id)", "unknown case \(id)")
        case .unknownUnit(let id): Bilingual("Không có đơn vị \(id)", "unknown unit \(id)")
        case .findingExists(let id): Bilingual("Phát hiện \(id) đã có", "finding \(id) already exists")
        case .unknownFinding(let id): Bilingual("Không có phát hiện \(id)", "unknown finding \(id)")
        case .personalDataErased: Bilingual("Dữ liệu cá nhân này đã được xóa", "this personal data has been erased")
        case .noOrganization, .invalidKey, .configurationMismatch, .personalDataUnreadable, .database, .unavailable, .invalidLocation:
            error.category.answer.summary
        }
    }

    static func message(_ error: DomainError) -> Bilingual {
        let en = error.description
        switch error {
        case .missingField(let action, let field):
            return Bilingual("\(ActionType(rawValue: action)?.nameVi ?? action): thiếu \(FieldNames.vi(field)) — bắt buộc", en)
        case .invalidField(_, let field, let reason):
            return Bilingual("Trường \(FieldNames.vi(field)) không hợp lệ: \(reason.vietnamese)", en)
        case .notPermitted(_, _, let reason):
            return Bilingual("Không được phép: \(reason.vietnamese)", en)
        case .invalidTransition(let action, let from):
            return Bilingual(
                "Không thể \(ActionType(rawValue: action)?.nameVi.lowercased() ?? action) khi hồ sơ đang ở trạng thái \(from.nameVi.lowercased())", en
            )
        case .unknownOfficial(let id): return Bilingual("Không có cán bộ \(id)", en)
        case .inactiveOfficial(let id): return Bilingual("Cán bộ \(id) không còn công tác", en)
        case .unknownUnit(let id): return Bilingual("Không có đơn vị \(id)", en)
        case .caseAlreadyExists(let id): return Bilingual("Hồ sơ \(id) đã có", en)
        case .unknownCase(let id): return Bilingual("Không có hồ sơ \(id)", en)
        case .invalidOrganization, .invalidYAML, .invalidRulebook: return Bilingual(en, en)
        }
    }
}

/// The HTTP side of each category: status, stable code (the problem type is `/problems/<code>`), title and the
/// message shown when the error has none a client may read.
struct CategoryAnswer {
    var status: HTTPResponse.Status
    var code: String
    var title: Bilingual
    var summary: Bilingual
}

extension FailureCategory {
    var answer: CategoryAnswer {
        switch self {
        case .invalidInput:
            CategoryAnswer(
                status: .badRequest, code: "bad_request", title: Bilingual("Yêu cầu không hợp lệ", "Bad request"),
                summary: Bilingual(
                    "Yêu cầu không đúng định dạng hoặc có giá trị ngoài phạm vi.", "The request is malformed or has a value out of range."))
        case .rejected:
            CategoryAnswer(
                status: .unprocessableContent, code: "rejected", title: Bilingual("Yêu cầu bị từ chối", "Refused"),
                summary: Bilingual(
                    "Quy định không cho phép thao tác này: thiếu trường bắt buộc, không đúng thẩm quyền hoặc trạng thái hồ sơ không cho phép.",
                    "The rules do not allow this: a required field is missing, the actor may not act, or the case's state does not allow it."))
        case .notFound:
            CategoryAnswer(
                status: .notFound, code: "not_found", title: Bilingual("Không tìm thấy", "Not found"),
                summary: Bilingual("Không có trang hoặc dữ liệu này.", "There is no such page or resource."))
        case .conflict:
            CategoryAnswer(
                status: .conflict, code: "conflict", title: Bilingual("Xung đột với dữ liệu hiện có", "Conflict"),
                summary: Bilingual("Dữ liệu này đã có.", "It exists already."))
        case .unauthenticated:
            CategoryAnswer(
                status: .unauthorized, code: "unauthorized", title: Bilingual("Cần xác thực", "Unauthorized"),
                summary: Bilingual("Cần mã truy cập (bearer token) hợp lệ.", "A valid bearer token is required."))
        case .forbidden:
            CategoryAnswer(
                status: .forbidden, code: "forbidden", title: Bilingual("Không có quyền truy cập", "Forbidden"),
                summary: Bilingual("Bạn không có quyền thực hiện việc này.", "You may not do this."))
        case .tooLarge:
            CategoryAnswer(
                status: .contentTooLarge, code: "payload_too_large", title: Bilingual("Nội dung gửi lên quá lớn", "Too large"),
                summary: Bilingual("Nội dung gửi lên vượt quá giới hạn cho phép.", "The body sent is larger than allowed."))
        case .rateLimited:
            CategoryAnswer(
                status: .tooManyRequests, code: "rate_limited", title: Bilingual("Quá nhiều lần thử", "Too many attempts"),
                summary: Bilingual("Quá nhiều yêu cầu; vui lòng thử lại sau.", "Too many requests; try again later."))
        case .methodNotAllowed:
            CategoryAnswer(
                status: .methodNotAllowed, code: "method_not_allowed", title: Bilingual("Phương thức không được hỗ trợ", "Method not allowed"),
                summary: Bilingual("Tài nguyên này không nhận phương thức này.", "This resource does not answer this method."))
        case .unavailable, .storageFailure, .misconfigured:
            CategoryAnswer(
                status: .serviceUnavailable, code: "unavailable", title: Bilingual("Tạm thời không phục vụ được", "Temporarily unavailable"),
                summary: Bilingual(
                    "Hệ thống tạm thời không xử lý được yêu cầu; vui lòng thử lại sau.",
                    "The service cannot handle the request right now; try again later."))
        case .internalError:
            CategoryAnswer(
                status: .internalServerError, code: "internal", title: Bilingual("Có lỗi", "Error"),
                summary: Bilingual("Không xử lý được yêu cầu; lỗi đã được ghi lại.", "The request failed; it has been logged."))
        }
    }
}
