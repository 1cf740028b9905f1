import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The scope a registered citizen-report app's API token needs to file through Open311 with its `api_key`.
public enum Open311Scope {
    public static let write = "open311:write"
}

/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), JSON only, for petitions (kiến nghị, phản ánh): existing
/// citizen-report apps list the services, file a petition and follow it. `service_request_id` is the case code.
///
/// Filing goes through `PetitionIntake`, the web form's own way: the same routing, due date, sealing of the
/// petitioner's name and contact, and limit per address (without an `api_key`; a registered app's key with
/// `open311:write` is not limited per address and its name is recorded on the entry). Errors are GeoReport's
/// `[{"code": <HTTP status>, "description": "<field>: <message>"}]`, written by `ErrorMiddleware` (one error road).
///
/// What a GET shows — to anyone, without code or PIN (docs/OPEN311.md): the code, the service, open or closed and the
/// status in words, the unit responsible, the dates (received, last changed, due). Never the petitioner's name,
/// phone or email, never the petition's text or place (the citizen's own words, which may name them or others: only
/// the holder of the code and PIN reads them on /track), never the official's notes, findings or proposals.
struct Open311Routes {
    let state: ServerState

    static let root = "/open311/v2"

    func register(on router: Router<AppRequestContext>) {
        router.get("/open311/v2/services.json") { request, context in try services(request, context) }
        router.get("/open311/v2/services/{code}.json") { request, context in try serviceDefinition(request, context) }
        router.get("/open311/v2/requests.json") { request, context in try await requests(request, context) }
        router.post("/open311/v2/requests.json") { request, context in try await create(request, context) }
        router.get("/open311/v2/requests/{id}.json") { request, context in try await oneRequest(request, context) }
    }

    // MARK: - Services

    /// A GeoReport service: the petition in general, and each procedure the rulebook lists for petitions.
    struct Service {
        var code: String
        var name: Bilingual
        var procedure: String?
    }

    /// The services BuckStop has: `petition` (the case kind, what the web form files) and every rulebook procedure of
    /// kind petition, by code.
    func catalogue() -> [Service] {
        var list = [Service(code: CaseKind.petition.rawValue, name: Bilingual(CaseKind.petition.nameVi, "Petition or feedback"), procedure: nil)]
        for p in state.live.rulebook.procedures.filter({ $0.caseKind == .petition }).sorted(by: { $0.code < $1.code })
        where p.code != CaseKind.petition.rawValue {
            list.append(Service(code: p.code, name: Bilingual(p.nameVi, p.nameEn ?? p.nameVi), procedure: p.code))
        }
        return list
    }

    func service(code: String) -> Service? { catalogue().first { $0.code == code } }

    func services(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let lang = context.language
        let intake = PetitionIntake(state: state)
        let now = Date()
        var list: [Any] = []
        for s in catalogue() {
            var description = lang.t("Gửi phản ánh, kiến nghị đến cơ quan nhà nước.", "Send a petition or feedback to the authorities.")
            if let (unit, _) = try? intake.receiver(procedure: s.procedure) {
                description += " " + lang.t("Đơn vị tiếp nhận: ", "Received by: ") + unitName(unit, lang) + "."
            }
            if let due = intake.dueDate(procedure: s.procedure, at: now) {
                description +=
                    " " + lang.t("Thời hạn trả lời: ", "Answer due within ") + Self.duration(due.rule, lang) + " (" + due.rule.source + ")."
            }
            list.append(
                [
                    "service_code": s.code, "service_name": s.name(lang), "description": description, "metadata": false, "type": "realtime",
                    "keywords": "kiến nghị,phản ánh,petition,feedback", "group": lang.t(CaseKind.petition.nameVi, "Petitions and feedback"),
                ] as [String: Any])
        }
        return try json(list, lang)
    }

    /// Only services with `metadata: true` have a definition; none of BuckStop's has attributes.
    func serviceDefinition(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard service(code: code) != nil else {
            throw RequestRefusal.notFound(Bilingual("Không có dịch vụ \(code)", "no service \(code)"), field: "service_code")
        }
        throw RequestRefusal.notFound(
            Bilingual("Dịch vụ \(code) không có thuộc tính bổ sung (metadata: false)", "service \(code) has no attributes (metadata: false)"),
            field: "service_code")
    }

    static func duration(_ rule: DeadlineRule, _ lang: Language) -> String {
        switch rule.unit {
        case .workingDays: lang.t("\(rule.duration) ngày làm việc", "\(rule.duration) working days")
        case .days: lang.t("\(rule.duration) ngày", "\(rule.duration) days")
        case .sameDay: lang.t("trong ngày", "the same day")
        }
    }

    // MARK: - Filing

    /// POST requests.json, `application/x-www-form-urlencoded` as the spec says. Answers
    /// `[{"service_request_id", "service_notice", "account_id": null}]`; the notice gives the PIN, which only the filer
    /// receives (it is never in a GET), with the due date and where to follow the case.
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let lang = context.language
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            throw RequestRefusal.invalid(
                Bilingual("Nội dung phải là application/x-www-form-urlencoded", "the body must be application/x-www-form-urlencoded"),
                field: "Content-Type")
        }
        let form = try await FormFields.read(request)
        // The key first: a refused key is refused whatever else the request says. Never logged.
        var channel = PetitionIntake.Channel(clientAddress: context.clientAddress, via: .open311, limitedPerAddress: true)
        if let key = form["api_key"], !key.isEmpty {
            let access: any AccessStore = state.store
            guard
                let client = try await state.credentials.apiToken(
                    key, nowMillis: LiveLedger.nowMillis(), load: { try await access.apiToken(token: key) }),
                client.scopes.contains(Open311Scope.write)
            else {
                throw RequestRefusal.forbidden(
                    Bilingual("api_key không hợp lệ hoặc không có quyền \(Open311Scope.write)", "invalid api_key, or without \(Open311Scope.write)"),
                    field: "api_key")
            }
            channel = PetitionIntake.Channel(clientAddress: context.clientAddress, via: .apiToken(name: client.name), limitedPerAddress: false)
        }
        guard let code = Self.given(form["service_code"]) else {
            throw RequestRefusal.invalid(Bilingual("Thiếu service_code — bắt buộc", "service_code is required"), field: "service_code")
        }
        guard let service = service(code: code) else {
            throw RequestRefusal.invalid(
                Bilingual("Không có dịch vụ \(code); xem services.json", "no service \(code); see services.json"), field: "service_code")
        }
        guard let description = Self.given(form["description"]) else {
            throw RequestRefusal.invalid(Bilingual("Thiếu description — bắt buộc", "description is required"), field: "description")
        }
        let place = try Self.place(form)
        var text = description
        if let place { text += " — " + lang.t("Địa điểm: ", "Place: ") + place }
        if let media = Self.given(form["media_url"]) {
            guard media.count <= 2000, let url = URL(string: media), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else {
                throw RequestRefusal.invalid(Bilingual("media_url phải là địa chỉ http(s)", "media_url must be an http(s) URL"), field: "media_url")
            }
            text += " — " + lang.t("Ảnh, tệp: ", "Media: ") + media
        }
        let name = [form["first_name"], form["last_name"]].compactMap { Self.given($0) }.joined(separator: " ")
        let petition = PetitionIntake.Petition(
            text: text, fullName: name, phone: form["phone"] ?? "", email: form["email"] ?? "", procedure: service.procedure)
        let filed: PetitionIntake.Filed
        do {
            filed = try await PetitionIntake(state: state).file(petition, channel: channel)
        } catch let problem as PetitionIntake.Problem {
            let field =
                switch problem.part {
                case .text: "description"
                case .fullName: "first_name"
                case .phone: "phone"
                case .email: "email"
                // Open311 files petitions, which name no body complained of.
                case .concerning: "description"
                }
            throw RequestRefusal.invalid(problem.message, field: field)
        } catch {
            // The domain's refusal of the title (it carries the petitioner's name, which would then be on the ledger
            // for ever) is about the description here.
            let problem = Problem(error)
            guard !problem.category.isServerFailure, problem.field == "title" else { throw error }
            throw RequestRefusal.invalid(problem.detail, field: "description")
        }
        let caseCode = filed.code.rawValue
        var notice = lang.t("Đã tiếp nhận phản ánh, kiến nghị \(caseCode)", "Petition \(caseCode) received")
        if let pin = filed.pin {
            let track = (state.configuration.publicURL ?? "") + "/track?code=" + Paths.segment(caseCode)
            notice += lang.t(
                "; mã PIN để tra cứu: \(pin) (chỉ gửi một lần, hãy lưu lại; tra cứu tại \(track))",
                "; PIN to follow it: \(pin) (sent only this once, keep it; follow it at \(track))")
        }
        notice += ". " + Self.dueNotice(filed.due, lang)
        let body: [Any] = [["service_request_id": caseCode, "service_notice": notice, "account_id": NSNull()] as [String: Any]]
        return try json(body, lang, status: .created)
    }

    /// Where the petition is about, as the spec asks: lat and long together, or `address_string`, or `address_id`;
    /// nil only when none is given (BuckStop's petitions need no place: one about a rule has none).
    static func place(_ form: FormFields) throws -> String? {
        var parts: [String] = []
        let lat = given(form["lat"])
        let long = given(form["long"])
        if lat != nil || long != nil {
            guard let lat else { throw RequestRefusal.invalid(Bilingual("Có long thì cần lat", "lat is required with long"), field: "lat") }
            guard let long else { throw RequestRefusal.invalid(Bilingual("Có lat thì cần long", "long is required with lat"), field: "long") }
            guard let y = Double(lat), y.isFinite, (-90...90).contains(y) else {
                throw RequestRefusal.invalid(Bilingual("lat phải là số từ -90 đến 90", "lat must be a number from -90 to 90"), field: "lat")
            }
            guard let x = Double(long), x.isFinite, (-180...180).contains(x) else {
                throw RequestRefusal.invalid(Bilingual("long phải là số từ -180 đến 180", "long must be a number from -180 to 180"), field: "long")
            }
            parts.append("\(y), \(x)")
        }
        for name in ["address_string", "address_id"] {
            if let value = given(form[name]) {
                guard value.count <= 500 else {
                    throw RequestRefusal.invalid(Bilingual("\(name) dài quá 500 ký tự", "\(name) is longer than 500 characters"), field: name)
                }
                parts.append(value)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func given(_ value: String?) -> String? {
        guard let v = value?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    static func dueNotice(_ due: CivilDate?, _ lang: Language) -> String {
        guard let due else { return lang.t("Chưa có hạn trả lời.", "No answer date set.") }
        return lang.t("Hạn trả lời: ", "Answer due: ") + Layout.dateText(due) + "."
    }

    // MARK: - Reading

    /// GET requests/{id}.json: one petition, as an array of one (the spec's shape). Any other kind of case (a
    /// denunciation above all) is "not found", as is an unknown code.
    func oneRequest(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let raw = context.parameters.get("id") ?? ""
        let code = CaseID((raw.removingPercentEncoding ?? raw).trimmingCharacters(in: .whitespaces).uppercased())
        guard let c = try await state.store.caseState(code), c.kind == .petition else {
            throw RequestRefusal.notFound(
                Bilingual("Không có phản ánh, kiến nghị \(code.rawValue)", "no petition \(code.rawValue)"), field: "service_request_id")
        }
        return try json([representation(c, context.language)], context.language)
    }

    /// GET requests.json with the spec's filters: `service_request_id` (comma-separated; overrides the others),
    /// `service_code`, `start_date` / `end_date` (ISO 8601; at most 90 days apart; the last 90 days by default),
    /// `status` (`open`, `closed`, comma-separated); newest first, at most 1000.
    func requests(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let lang = context.language
        if let ids = Self.given(q.get("service_request_id")) {
            let codes = ids.split(separator: ",").map { CaseID($0.trimmingCharacters(in: .whitespaces).uppercased()) }.filter { !$0.rawValue.isEmpty }
            guard codes.count <= Self.maxResults else {
                throw RequestRefusal.invalid(
                    Bilingual("Tối đa \(Self.maxResults) mã", "at most \(Self.maxResults) ids"), field: "service_request_id")
            }
            var found: [Any] = []
            var seen = Set<CaseID>()
            for code in codes where seen.insert(code).inserted {
                if let c = try await state.store.caseState(code), c.kind == .petition { found.append(representation(c, lang)) }
            }
            return try json(found, lang)
        }
        var procedure = ProcedureFilter.any
        if let code = Self.given(q.get("service_code")) {
            guard let s = service(code: code) else {
                throw RequestRefusal.invalid(
                    Bilingual("Không có dịch vụ \(code); xem services.json", "no service \(code); see services.json"), field: "service_code")
            }
            procedure = s.procedure.map(ProcedureFilter.code) ?? .none
        }
        var statuses: [CaseStatus]?
        if let given = Self.given(q.get("status")) {
            var chosen = Set<CaseStatus>()
            for word in given.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                switch word {
                case "open": chosen.formUnion(CaseStatus.allCases.filter { !Self.isClosed($0) })
                case "closed": chosen.formUnion(CaseStatus.allCases.filter(Self.isClosed))
                default:
                    throw RequestRefusal.invalid(Bilingual("status chỉ nhận open, closed", "status takes open, closed"), field: "status")
                }
            }
            statuses = CaseStatus.allCases.filter(chosen.contains)
        }
        let window = Self.windowMillis
        let start = try Self.given(q.get("start_date")).map { try Self.instant($0, field: "start_date") }
        let end = try Self.given(q.get("end_date")).map { try Self.instant($0, field: "end_date") }
        let from: Int64
        let until: Int64
        switch (start, end) {
        case (nil, nil):
            until = LiveLedger.nowMillis()
            from = until - window
        case (let s?, nil):
            from = s
            until = s + window
        case (nil, let e?):
            until = e
            from = e - window
        case (let s?, let e?):
            guard s <= e else {
                throw RequestRefusal.invalid(Bilingual("end_date trước start_date", "end_date is before start_date"), field: "end_date")
            }
            guard e - s <= window else {
                throw RequestRefusal.invalid(
                    Bilingual("Khoảng start_date–end_date tối đa 90 ngày", "start_date to end_date may span at most 90 days"), field: "end_date")
            }
            from = s
            until = e
        }
        let cases = try await state.store.cases(
            kind: .petition, procedure: procedure, openedFrom: from, openedBefore: until + 1, statuses: statuses, limit: Self.maxResults)
        return try json(cases.map { representation($0, lang) }, lang)
    }

    static let maxResults = 1000
    static let windowMillis: Int64 = 90 * 86_400_000

    /// Resolved (answered) or closed is GeoReport's "closed"; received, processing or awaiting supplements is "open".
    static func isClosed(_ status: CaseStatus) -> Bool { status == .resolved || status == .closed }

    /// One petition as GeoReport's service request: only what anyone may read (see the type's comment).
    func representation(_ c: CaseState, _ lang: Language) -> [String: Any] {
        let s = c.procedure.flatMap { service(code: $0) } ?? catalogue()[0]
        let status = lang == .vi ? c.status.nameVi : String(c.status.rawValue.map { $0 == "_" ? " " : $0 })
        return [
            "service_request_id": c.id.rawValue, "status": Self.isClosed(c.status) ? "closed" : "open", "status_notes": status,
            "service_name": s.name(lang), "service_code": s.code, "description": NSNull(), "agency_responsible": unitName(c.leadUnit, lang),
            "service_notice": Self.dueNotice(c.dueDate, lang), "requested_datetime": Self.iso(c.openedAt),
            "updated_datetime": Self.iso(c.updatedAt), "expected_datetime": c.dueDate.map(Self.endOfDay) ?? NSNull(), "address": NSNull(),
            "address_id": NSNull(), "zipcode": NSNull(), "lat": NSNull(), "long": NSNull(), "media_url": NSNull(),
        ]
    }

    func unitName(_ id: UnitID, _ lang: Language) -> String {
        guard let u = state.organization.unit(id) else { return id.rawValue }
        return lang == .en ? (u.nameEn ?? u.name) : u.name
    }

    // MARK: - Dates (Vietnam time, UTC+7)

    static let offsetSeconds: Int64 = 7 * 3600

    /// `2026-02-10T09:30:00+07:00`.
    static func iso(_ millis: Int64) -> String {
        let local = Int64((Double(millis) / 1000).rounded(.down)) + offsetSeconds
        let days = Int((Double(local) / 86_400).rounded(.down))
        let rem = Int(local - Int64(days) * 86_400)
        let day = CivilDate(julianDayNumber: days + 2_440_588)
        return day.description + "T" + Layout.twoDigits(rem / 3600) + ":" + Layout.twoDigits(rem % 3600 / 60) + ":"
            + Layout.twoDigits(rem % 60) + "+07:00"
    }

    /// The last second of the due day, Vietnam time: the day the web receipt shows, as an instant.
    static func endOfDay(_ day: CivilDate) -> String { day.description + "T23:59:59+07:00" }

    /// An ISO 8601 instant (with `Z` or an offset, seconds' fractions allowed) or a date (midnight, Vietnam time), as
    /// Unix milliseconds.
    static func instant(_ text: String, field: String) throws -> Int64 {
        let withFractions = ISO8601DateFormatter()
        withFractions.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) ?? withFractions.date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
            let d = Int(parts[2]), let day = CivilDate(year: y, month: m, day: d)
        {
            return Int64(day.startInstant().timeIntervalSince1970 * 1000)
        }
        throw RequestRefusal.invalid(
            Bilingual("\(field) phải theo ISO 8601, ví dụ 2026-01-31T08:00:00+07:00", "\(field) must be ISO 8601, e.g. 2026-01-31T08:00:00+07:00"),
            field: field)
    }

    func json(_ value: Any, _ lang: Language, status: HTTPResponse.Status = .ok) throws -> Response {
        let body = try JSONWriter.data(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLanguage: lang.rawValue, .cacheControl: "no-store"],
            body: .init(byteBuffer: body))
    }
}

extension Problem {
    /// GeoReport v2's error shape: an array of `{code, description}`, the code being the HTTP status; the field to
    /// blame starts the description.
    func open311(lang: Language) -> Response {
        let text = (field.map { $0 + ": " } ?? "") + detail(lang)
        let body = (try? JSONWriter.data([["code": Int(status.code), "description": text] as [String: Any]])) ?? ByteBuffer(string: "[]")
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8", .contentLanguage: lang.rawValue, .cacheControl: "no-store"]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }
}
