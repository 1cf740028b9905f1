import BuckStopAPI
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HTTPTypes
import Hummingbird

/// The officials' pages: login, inbox, search; the case pages and the oversight pages are in their own files.
struct WebRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context -> Response in
            guard let o = context.official else { return state.redirect("/track") }
            if o.roles.contains(.inspector) { return state.redirect("/inspect") }
            if o.roles.contains(.head) { return state.redirect("/unit") }
            return state.redirect("/inbox")
        }
        router.get("/login") { request, context in try await loginPage(request, context) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        router.get("/inbox") { request, context in try await inbox(request, context) }
        router.get("/search") { request, context in try await search(request, context) }
        CasePages(state: state).register(on: router)
        ProposalPages(state: state).register(on: router)
        InspectionRegisterPages(state: state).register(on: router)
        PublicPages(state: state).register(on: router)
        OversightPages(state: state).register(on: router)
        HeadRecordPages(state: state).register(on: router)
        ProgrammePages(state: state).register(on: router)
    }

    func layout(_ request: Request, _ context: AppRequestContext) -> Layout {
        Layout(state: state, context: context, path: request.uri.path)
    }

    // MARK: - Login

    func loginPage(_ request: Request, _ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let l = layout(request, context)
        let lang = context.language
        let next = request.uri.queryParameters.get("next") ?? "/"
        var body = HTML.el(
            "form", [("id", "login-form"), ("class", "card"), ("method", "post"), ("action", "/login")],
            l.csrfField(), HTML.el("input", [("type", "hidden"), ("name", "next"), ("value", next)]),
            HTML.el("label", [("for", "official")], text: lang.t("Mã cán bộ", "Official id")),
            HTML.el("input", [("id", "official"), ("name", "official"), ("autocomplete", "username"), ("required", "required")]),
            HTML.el("label", [("for", "password")], text: lang.t("Mật khẩu", "Password")),
            HTML.el(
                "input",
                [("id", "password"), ("name", "password"), ("type", "password"), ("autocomplete", "current-password"), ("required", "required")]),
            HTML.el("button", [("type", "submit")], text: lang.t("Đăng nhập", "Log in")))
        if !state.demoAccounts.isEmpty, let password = state.demoPassword {
            var items: [HTML] = []
            for a in state.demoAccounts {
                items.append(
                    HTML.el(
                        "li", [("data-id", a.id.rawValue), ("data-role", a.role), ("data-unit", a.unit.rawValue)],
                        HTML.el("code", text: a.id.rawValue), HTML.text(" — \(a.name) · \(roleName(a.role, lang)) · \(l.unitName(a.unit))")))
            }
            body += HTML.el(
                "section", [("class", "card"), ("aria-labelledby", "demo-h")],
                HTML.el("h2", [("id", "demo-h")], text: lang.t("Tài khoản dùng thử", "Demo accounts")),
                HTML.el(
                    "p", [], HTML.text(lang.t("Mật khẩu chung: ", "Shared password: ")), HTML.el("code", [("id", "demo-password")], text: password)),
                HTML.el("ul", [("id", "demo-accounts")], children: items))
        }
        return l.page(lang.t("Đăng nhập", "Log in"), flash: error.map { Flash($0, isError: true) }, request: request, status: status, body)
    }

    func roleName(_ role: String, _ lang: Language) -> String {
        switch role {
        case "head": lang.t("người đứng đầu đơn vị", "head of unit")
        case "inspector": lang.t("thanh tra", "inspector")
        case "admin": lang.t("quản trị", "administrator")
        default: lang.t("chuyên viên", "official")
        }
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let id = OfficialID((form["official"] ?? "").trimmingCharacters(in: .whitespaces))
        let now = Int64(Date().timeIntervalSince1970)
        let keys = ["login:" + id.rawValue, "login-ip:" + context.clientAddress]
        // Counted before the password is checked, so concurrent guesses cannot all slip under the limit.
        let allowed = keys.map { state.loginLimiter.attempt($0, now: now) }
        guard allowed.allSatisfy({ $0 }) else {
            return try await loginPage(
                request, context,
                error: lang.t("Quá nhiều lần đăng nhập sai; thử lại sau ít phút.", "Too many failed logins; try again in a few minutes."),
                status: .tooManyRequests)
        }
        let password = form["password"] ?? ""
        let hash = try await state.store.passwordHash(of: id)
        // Verify against a fixed hash when the account does not exist, so timing does not tell which ids exist.
        let ok = try await Passwords.verify(password, hash: hash ?? Self.decoyHash)
        guard ok, hash != nil, let official = state.organization.official(id), official.active else {
            state.logger.notice("login failed", metadata: ["official": .string(id.rawValue), "address": .string(context.clientAddress)])
            return try await loginPage(
                request, context, error: lang.t("Sai mã cán bộ hoặc mật khẩu.", "Wrong official id or password."), status: .unauthorized)
        }
        for k in keys { state.loginLimiter.reset(k) }
        let token = Tokens.random(bytes: 32)
        let ttl = Int64(state.configuration.sessionHours) * 3600
        try await state.store.createSession(token: token, official: id, csrf: Tokens.random(bytes: 24), now: now, expiresAt: now + ttl)
        state.logger.info("login", metadata: ["official": .string(id.rawValue)])
        var response = state.redirect(SafeRedirect.path(form["next"]))
        response.headers.append(HTTPField(name: .setCookie, value: state.cookies.set(AuthMiddleware.sessionCookie, token, maxAge: Int(ttl))))
        // What is new counts from this official's last inbox visit in this browser; a first login starts from now.
        if request.cookie(Unread.cookie).flatMap({ Unread.Seen(cookie: $0, official: id) }) == nil {
            response.headers.append(HTTPField(name: .setCookie, value: try await seenCookie(id)))
        }
        return response
    }

    /// The inbox-visit cookie for `official` at the ledger's present size and time (a year: it outlives sessions).
    func seenCookie(_ official: OfficialID) async throws -> String {
        let seen = Unread.Seen(index: try await state.store.ledgerSize(), at: LiveLedger.nowMillis())
        return state.cookies.set(Unread.cookie, seen.value(for: official), maxAge: 365 * 86_400)
    }

    /// bcrypt of a random string: checked when an id has no account.
    static let decoyHash = "$2b$11$C6UzMDM.H6dfI/f/IKcEeO5vQ3JZL0aQ2L8kq2Zb0x0yGkq4lWQ2e"

    func logout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        if let token = context.sessionToken {
            try await state.store.deleteSession(token: token)
            state.credentials.forget(token)
        }
        var response = state.redirect("/login", flash: Flash(context.language.t("Đã đăng xuất.", "Logged out.")))
        response.headers.append(HTTPField(name: .setCookie, value: state.cookies.clear(AuthMiddleware.sessionCookie)))
        return response
    }

    // MARK: - Inbox

    func inbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/inbox")
        let l = layout(request, context)
        let lang = context.language
        // Findings by id and version first: only those not rendered at their version yet are read in full. The blocks
        // this inbox showed last time (and the cache still holds) are what it already knows.
        let view = FindingView(layout: l)
        var filter = FindingFilter(request, path: "/inbox", awaiting: [.open])
        filter.fragment = "my-findings"
        let page = try await state.store.inboxPage(
            of: me.id, findings: filter.query(official: me.id), known: view.rendered(state.inboxFindings.versions(me.id)))
        let held = page.inbox
        let findings = view.items(page.versions, loaded: page.findings)
        state.inboxFindings.remember(me.id, page.versions)
        let seen = request.cookie(Unread.cookie).flatMap { Unread.Seen(cookie: $0, official: me.id) }
        let cases = held.map { ($0, l.workingDaysLeft($0.dueDate)) }
            .sorted { a, b in (a.1 ?? Int.max, a.0.ownerSince) < (b.1 ?? Int.max, b.0.ownerSince) }
        // What is due soon or late first, in words (the notices' words), then the whole list.
        let reminders = ReminderView(layout: l)
        var body = reminders.section(
            reminders.reminders(of: held, on: CivilDate(Date())), titles: Dictionary(held.map { ($0.id, $0.title) }) { a, _ in a })
        let rows = cases.map { state, _ in
            let isNew = seen.map { state.ownerSince > $0.at } ?? false
            return HTML.el(
                "tr", [("data-case", state.id.rawValue), ("class", isNew ? "new" : nil)],
                HTML.el("td", [], l.caseLink(state.id) + (isNew ? HTML.el("span", [("class", "new-mark")], text: lang.t("mới", "new")) : "")),
                HTML.el("td", text: state.title),
                HTML.el("td", [("class", "optional")], text: l.kindName(state.kind)), HTML.el("td", text: l.statusName(of: state)),
                HTML.el("td", [], l.dueBadge(state.dueDate, open: true)),
                HTML.el("td", [("class", "optional")], text: l.duration(LiveLedger.nowMillis() - state.ownerSince)))
        }
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "inbox")],
                HTML.el(
                    "caption", [("class", "muted")],
                    text: lang.t(
                        "Hồ sơ tôi đang chịu trách nhiệm, gấp nhất trước (ngày làm việc còn lại)",
                        "Cases I am accountable for, most urgent first (working days left)")),
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Mã hồ sơ", "Code")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Tiêu đề", "Title")),
                        HTML.el("th", [("scope", "col"), ("class", "optional")], text: lang.t("Loại", "Kind")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Trạng thái", "Status")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Hạn", "Due")),
                        HTML.el("th", [("scope", "col"), ("class", "optional")], text: lang.t("Đã giữ", "Held for")))),
                HTML.el("tbody", [], children: rows)))
        if cases.isEmpty { body += HTML.el("p", [("class", "muted")], text: lang.t("Không có hồ sơ nào đang chờ.", "Nothing waiting.")) }
        // The work first; the findings about me after it, in their own collapsible section, filtered and paged like the
        // unit page's (issue 15). An official with nothing found and no filter set sees no empty section.
        if page.total > 0 || filter.status != "open" || filter.detector != nil || filter.page > 1 {
            var section: [HTML] = [
                HTML.el(
                    "summary",
                    text: filter.status == "open"
                        ? lang.t("Phát hiện về tôi cần giải trình (\(page.total))", "Findings about me awaiting my explanation (\(page.total))")
                        : lang.t("Phát hiện về tôi (\(page.total))", "Findings about me (\(page.total))")),
                filter.form(detectors: DetectorID.allCases.map { ($0.rawValue, view.detectorName($0.rawValue)) }, lang: lang, idPrefix: "inbox"),
            ]
            if findings.isEmpty {
                section.append(HTML.el("p", [("class", "muted")], text: lang.t("Không có phát hiện nào như vậy.", "No such findings.")))
            } else {
                section.append(HTML.el("div", [("id", "inbox-findings")], children: findings))
            }
            section.append(filter.pager(total: page.total, lang: lang, idPrefix: "inbox"))
            body += HTML.el("details", [("class", "findings"), ("id", "my-findings"), ("open", "open")], children: section)
        }
        // Seen now: the badge counts from this visit (this page still marks what was new).
        var response = l.page(lang.t("Việc cần xử lý của \(me.name)", "\(me.name)'s inbox"), request: request, body)
        response.headers.append(HTTPField(name: .setCookie, value: try await seenCookie(me.id)))
        return response
    }

    // MARK: - Search

    func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/search")
        let l = layout(request, context)
        let lang = context.language
        // An HTML GET form sends spaces as "+", which the query parser leaves as is.
        let q = (request.uri.queryParameters.get("q") ?? "").replacingOccurrences(of: "+", with: " ")
        var body = HTML.el(
            "form", [("id", "search-form"), ("method", "get"), ("action", "/search"), ("role", "search"), ("class", "card")],
            HTML.el(
                "label", [("for", "q")],
                text: lang.t("Tìm hồ sơ, cán bộ, đơn vị (không cần dấu)", "Search cases, officials, units (accents optional)")),
            HTML.el("input", [("id", "q"), ("name", "q"), ("value", q), ("type", "search")]),
            HTML.el("button", [("type", "submit")], text: lang.t("Tìm", "Search")))
        if !q.trimmingCharacters(in: .whitespaces).isEmpty {
            let org = state.organization
            let visible = Visibility(official: me, organization: org)
            let cases = try await state.store.searchCases(q, limit: 200).filter { visible.canSee($0) }.prefix(50)
            let officials = org.officials.values.filter { SearchText.matches(q, in: $0.name + " " + $0.id.rawValue + " " + $0.position) }
                .sorted { $0.name < $1.name }.prefix(50)
            let units = org.units.values.filter { SearchText.matches(q, in: $0.name + " " + ($0.nameEn ?? "") + " " + $0.code) }.prefix(30)
            body += HTML.el("h2", text: lang.t("Hồ sơ (\(cases.count))", "Cases (\(cases.count))"))
            body += HTML.el(
                "ul", [("id", "search-cases")],
                children: cases.map { c in HTML.el("li", [], l.caseLink(c.id), HTML.text(" — \(c.title) · \(l.statusName(of: c))")) })
            body += HTML.el("h2", text: lang.t("Cán bộ (\(officials.count))", "Officials (\(officials.count))"))
            body += HTML.el(
                "ul", [("id", "search-officials")],
                children: officials.map { o in
                    HTML.el("li", [("data-id", o.id.rawValue)], text: "\(o.name) (\(o.id.rawValue)) — \(o.position), \(l.unitName(o.unit))")
                })
            body += HTML.el("h2", text: lang.t("Đơn vị (\(units.count))", "Units (\(units.count))"))
            body += HTML.el("ul", [("id", "search-units")], children: units.map { u in HTML.el("li", text: "\(u.name) (\(u.code))") })
        }
        return l.page(lang.t("Tìm kiếm", "Search"), request: request, body)
    }
}

/// Who may see which case: an official their own cases and their unit's; a head the unit's subtree; inspectors and
/// admins everything.
struct Visibility {
    let official: Official
    let organization: Organization

    var seesEverything: Bool { official.roles.contains(.inspector) || official.roles.contains(.admin) }

    /// The units whose work this official oversees: the whole subtree for a head, the own unit otherwise.
    var units: [UnitID] {
        if official.roles.contains(.head) {
            return organization.units.keys.filter { organization.isWithin($0, subtreeOf: official.unit) }.sorted()
        }
        return [official.unit]
    }

    func canSee(_ state: CaseState) -> Bool {
        if seesEverything { return true }
        if state.owner == official.id { return true }
        let scope = Set(units)
        if let owner = state.owner, let ownerUnit = organization.official(owner)?.unit, scope.contains(ownerUnit) { return true }
        if scope.contains(state.leadUnit) || state.collaborators.contains(where: scope.contains) { return true }
        return false
    }

    /// Whether the official handled the case at some point (they may still look at a case they passed on).
    func handled(_ history: [LedgerRecord]) -> Bool {
        history.contains { $0.action.actor.officialID == official.id || $0.action.body.newOwner == official.id }
    }
}
