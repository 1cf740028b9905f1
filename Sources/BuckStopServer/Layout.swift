import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The page shell (navigation by role, language switch, flash message) and the bits of display every page uses.
struct Layout {
    let state: ServerState
    let context: AppRequestContext
    let path: String
    var lang: Language { context.language }

    static let flashCookie = "bs_flash"

    func page(_ title: String, flash: Flash? = nil, request: Request? = nil, status: HTTPResponse.Status = .ok, _ body: HTML) -> Response {
        var shown = flash
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        if shown == nil, let request, let cookie = request.cookie(Self.flashCookie), let decoded = Flash(cookie: cookie) {
            shown = decoded
            headers.append(HTTPField(name: .setCookie, value: state.cookies.clear(Self.flashCookie)))
        }
        headers.append(
            HTTPField(
                name: .contentSecurityPolicy,
                value: "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"))
        headers.append(HTTPField(name: .init("X-Content-Type-Options")!, value: "nosniff"))
        var html: HTML = "<!doctype html>"
        html += HTML.el(
            "html", [("lang", lang.rawValue)],
            HTML.el(
                "head", [],
                "<meta charset=\"utf-8\">", "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                HTML.el("title", text: title + " · BuckStop"), "<link rel=\"stylesheet\" href=\"/static/style.css\">"),
            HTML.el(
                "body", [],
                HTML.el("a", [("class", "skip"), ("href", "#main")], text: lang.t("Bỏ qua điều hướng", "Skip to content")),
                nav(),
                HTML.el(
                    "main", [("id", "main")],
                    shown.map { f in
                        HTML.el("div", [("id", "flash"), ("class", f.isError ? "flash error" : "flash"), ("role", "status")], text: f.message)
                    }
                        ?? "",
                    HTML.el("h1", text: title), body)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: html.bytes)))
    }

    private func nav() -> HTML {
        var items: [HTML] = [HTML.el("a", [("class", "brand"), ("href", "/")], text: "BuckStop")]
        if let o = context.official {
            var inbox = HTML.text(lang.t("Việc cần xử lý", "Inbox"))
            if let unread = context.unread, unread.total > 0 {
                let shown = unread.total > 99 ? "99+" : String(unread.total)
                inbox += HTML.el(
                    "span",
                    [
                        ("id", "unread-count"), ("class", "unread"), ("data-cases", String(unread.cases)), ("data-findings", String(unread.findings)),
                        (
                            "title",
                            lang.t(
                                "\(unread.cases) hồ sơ mới, \(unread.findings) phát hiện mới từ lần xem trước",
                                "\(unread.cases) new case\(unread.cases == 1 ? "" : "s"), \(unread.findings) new finding\(unread.findings == 1 ? "" : "s") since your last visit"
                            )
                        ),
                    ], text: shown)
                inbox += HTML.el("span", [("class", "visually-hidden")], text: lang.t(" mới", " new"))
            }
            items.append(HTML.el("a", [("id", "nav-inbox"), ("href", "/inbox")], inbox))
            items.append(HTML.el("a", [("id", "nav-intake"), ("href", "/cases/new")], text: lang.t("Tiếp nhận", "New case")))
            if o.roles.contains(.head) { items.append(HTML.el("a", [("id", "nav-unit"), ("href", "/unit")], text: lang.t("Đơn vị", "My unit"))) }
            if o.roles.contains(.inspector) || o.roles.contains(.admin) {
                items.append(HTML.el("a", [("id", "nav-inspect"), ("href", "/inspect")], text: lang.t("Thanh tra", "Inspection")))
            }
            items.append(
                HTML.el("a", [("id", "nav-programmes"), ("href", "/programmes")], text: lang.t("Chương trình, kế hoạch", "Programmes and plans")))
            if InspectionRegisterPages.mayRegister(o) {
                items.append(HTML.el("a", [("id", "nav-inspections"), ("href", "/inspections")], text: lang.t("Sổ kiểm tra", "Inspection register")))
            }
            items.append(HTML.el("a", [("id", "nav-proposals"), ("href", "/proposals")], text: lang.t("Đề xuất đổi mới", "Proposals")))
            items.append(HTML.el("a", [("id", "nav-search"), ("href", "/search")], text: lang.t("Tìm kiếm", "Search")))
        } else {
            items.append(HTML.el("a", [("id", "nav-track"), ("href", "/track")], text: lang.t("Tra cứu hồ sơ", "Track a case")))
            items.append(HTML.el("a", [("id", "nav-petition"), ("href", "/petition")], text: lang.t("Gửi đơn, kiến nghị", "Send a letter")))
            items.append(HTML.el("a", [("id", "nav-ledger"), ("href", "/ledger")], text: lang.t("Nhật ký và nhân chứng", "Ledger and witnesses")))
            items.append(HTML.el("a", [("id", "nav-public"), ("href", "/public")], text: lang.t("Số liệu công khai", "Public figures")))
            items.append(HTML.el("a", [("id", "nav-login"), ("href", "/login")], text: lang.t("Cán bộ đăng nhập", "Officials' login")))
        }
        items.append(
            HTML.el(
                "a",
                [
                    ("id", "lang-switch"), ("href", path + (path.contains("?") ? "&" : "?") + "lang=" + lang.other.rawValue),
                    ("hreflang", lang.other.rawValue),
                ], text: lang.switchLabel))
        if let o = context.official {
            items.append(
                HTML.el(
                    "form", [("id", "logout-form"), ("method", "post"), ("action", "/logout")], csrfField(),
                    HTML.el("button", [("type", "submit"), ("title", o.name)], text: lang.t("Đăng xuất", "Log out"))))
        }
        return HTML.el(
            "header", [("class", "top")], HTML.el("nav", [("aria-label", lang.t("Điều hướng chính", "Main")), ("class", "top")], children: items))
    }

    func csrfField() -> HTML {
        HTML.el("input", [("type", "hidden"), ("name", "_csrf"), ("value", context.session?.csrf ?? context.preSessionToken ?? "")])
    }

    // MARK: - Display

    func officialName(_ id: OfficialID?) -> String {
        guard let id else { return "—" }
        return state.organization.official(id)?.name ?? id.rawValue
    }

    func unitName(_ id: UnitID?) -> String {
        guard let id else { return "—" }
        guard let u = state.organization.unit(id) else { return id.rawValue }
        return lang == .en ? (u.nameEn ?? u.name) : u.name
    }

    func actor(_ a: Actor) -> String {
        switch a {
        case .official(let id): officialName(id)
        case .citizen: lang.t("Công dân", "Citizen")
        case .system(let name): name == "detector" ? lang.t("Hệ thống phát hiện", "Detector") : name
        }
    }

    static func dateText(_ d: CivilDate?) -> String {
        guard let d else { return "—" }
        return d.dayMonthYear
    }

    static func timeText(_ ms: Int64) -> String {
        let seconds = ms / 1000 + 7 * 3600
        let day = CivilDate(julianDayNumber: Int(seconds / 86_400) + 2_440_588)
        let rem = Int(seconds % 86_400)
        return dateText(day) + " " + twoDigits(rem / 3600) + ":" + twoDigits(rem % 3600 / 60)
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }

    func duration(_ ms: Int64) -> String {
        let hours = ms / 3_600_000
        if hours < 24 { return lang.t("\(hours) giờ", "\(hours) h") }
        return lang.t("\(hours / 24) ngày", "\(hours / 24) days")
    }

    func statusName(_ s: CaseStatus) -> String {
        lang == .vi ? s.nameVi : String(s.rawValue.map { $0 == "_" ? " " : $0 })
    }

    /// A case's status as people say it: a suspended case is "tạm đình chỉ", whatever step it stood at.
    func statusName(of c: CaseState) -> String {
        c.isSuspended ? lang.t("Tạm đình chỉ", "suspended") : statusName(c.status)
    }

    func kindName(_ k: CaseKind) -> String {
        guard lang == .en else { return k.nameVi }
        return switch k {
        case .dossier: "Administrative dossier"
        case .task: "Assigned task"
        case .complaint: "Complaint"
        case .denunciation: "Denunciation"
        case .petition: "Petition or feedback"
        case .reception: "Citizen reception book"
        case .programme: "Programme or plan"
        case .proposal: "Innovative or bold proposal"
        }
    }

    func actionName(_ t: ActionType) -> String { lang == .vi ? t.nameVi : String(t.rawValue.map { $0 == "_" ? " " : $0 }) }

    /// Working days left until the due date (negative when late), counted from today in Vietnam.
    func workingDaysLeft(_ due: CivilDate?) -> Int? {
        guard let due else { return nil }
        return state.live.calendar.workingDays(from: CivilDate(Date()), to: due)
    }

    func dueBadge(_ due: CivilDate?, open: Bool) -> HTML {
        guard open, let left = workingDaysLeft(due) else { return HTML.text(Self.dateText(due)) }
        let cls = left < 0 ? "badge late" : (left <= 2 ? "badge soon" : "badge ok")
        let text =
            left < 0
            ? lang.t("trễ \(-left) ngày làm việc", "\(-left) working day\(-left == 1 ? "" : "s") late")
            : left == 0
                ? lang.t("đến hạn hôm nay", "due today")
                : lang.t("còn \(left) ngày làm việc", "\(left) working day\(left == 1 ? "" : "s") left")
        return HTML.text(Self.dateText(due) + " ") + HTML.el("span", [("class", cls)], text: text)
    }

    func caseLink(_ id: CaseID) -> HTML {
        HTML.el("a", [("class", "case-link"), ("href", "/cases/" + Paths.segment(id.rawValue))], text: id.rawValue)
    }
}

/// A one-line message shown at the top of the next page (after a redirect).
struct Flash: Sendable {
    var message: String
    var isError: Bool

    init(_ message: String, isError: Bool = false) {
        self.message = message
        self.isError = isError
    }

    init?(cookie: String) {
        guard let data = Data(base64URL: cookie), let text = String(data: data, encoding: .utf8), text.count > 2 else { return nil }
        isError = text.hasPrefix("E|")
        message = String(text.dropFirst(2))
    }

    var cookieValue: String { Data(((isError ? "E|" : "I|") + message).utf8).base64URL }
}

enum Paths {
    static let unreserved: CharacterSet = {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    /// A path segment with everything but unreserved characters percent-encoded (case codes contain "-", and "/"
    /// in synthetic copies).
    static func segment(_ s: String) -> String {
        // Case codes are almost always plain ASCII letters, digits and "-": nothing to encode.
        let plain = s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
        }
        if plain { return s }
        return s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
}

extension ServerState {
    /// 303 See Other to a page, with a flash message for it.
    func redirect(_ location: String, flash: Flash? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let flash { headers.append(HTTPField(name: .setCookie, value: cookies.set(Layout.flashCookie, flash.cookieValue, maxAge: 60))) }
        return Response(status: .seeOther, headers: headers)
    }
}
