import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import Foundation
import Hummingbird
import HTTPTypes

/// The citizen's side, without an account: look a case up by code and PIN (rate limited), follow it, verify its
/// history against the signed ledger, rate it when finished, and send a petition.
struct CitizenRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/track") { request, context in trackForm(request, context) }
        router.post("/track") { request, context in try await lookUp(request, context) }
        router.get("/track/:code") { request, context in try await trackPage(request, context) }
        router.get("/track/:code/verify") { request, context in try await verifyPage(request, context) }
        router.post("/track/:code/rate") { request, context in try await rate(request, context) }
        router.get("/petition") { request, context in petitionForm(request, context) }
        router.post("/petition") { request, context in try await petition(request, context) }
    }

    func layout(_ request: Request, _ context: AppRequestContext) -> Layout {
        Layout(state: state, context: context, path: request.uri.path)
    }

    func trackForm(_ request: Request, _ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let l = layout(request, context)
        let lang = context.language
        let body = HTML.el(
            "form", [("id", "track-form"), ("class", "card"), ("method", "post"), ("action", "/track")], l.csrfField(),
            HTML.el("label", [("for", "code")], text: lang.t("Mã hồ sơ (trên phiếu hẹn)", "Case code (on your receipt)")),
            HTML.el("input", [("id", "code"), ("name", "code"), ("required", "required"), ("autocomplete", "off")]),
            HTML.el("label", [("for", "pin")], text: lang.t("Mã PIN (6 chữ số)", "PIN (6 digits)")),
            HTML.el("input", [("id", "pin"), ("name", "pin"), ("required", "required"), ("inputmode", "numeric"), ("pattern", "[0-9]{6}"), ("autocomplete", "off")]),
            HTML.el("button", [("type", "submit")], text: lang.t("Tra cứu", "Look up")))
        return l.page(lang.t("Tra cứu hồ sơ", "Track your case"), flash: error.map { Flash($0, isError: true) }, request: request, status: status, body)
    }

    func lookUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let code = CaseID((form["code"] ?? "").trimmingCharacters(in: .whitespaces).uppercased())
        let now = Int64(Date().timeIntervalSince1970)
        let caseKey = "pin-case:" + code.rawValue, addressKey = "pin-ip:" + context.clientAddress
        guard state.pinPerCase.allows(caseKey, now: now), state.pinPerAddress.allows(addressKey, now: now) else {
            state.logger.notice("citizen lookup rate limited", metadata: ["case": .string(code.rawValue), "address": .string(context.clientAddress)])
            return trackForm(request, context, error: lang.t("Đã nhập sai quá nhiều lần. Vui lòng thử lại sau \(state.configuration.pinWindowSeconds / 60) phút.",
                "Too many wrong attempts. Please try again in \(state.configuration.pinWindowSeconds / 60) minutes."), status: .tooManyRequests)
        }
        guard state.live.citizenKeys.check(pin: form["pin"] ?? "", for: code), try await state.store.caseState(code) != nil else {
            state.pinPerCase.recordFailure(caseKey, now: now)
            state.pinPerAddress.recordFailure(addressKey, now: now)
            return trackForm(request, context, error: lang.t("Mã hồ sơ hoặc mã PIN không đúng.", "The case code or PIN is wrong."), status: .unauthorized)
        }
        state.pinPerCase.reset(caseKey)
        let expires = now + 3600
        var response = state.redirect("/track/" + Paths.segment(code.rawValue))
        response.headers.append(HTTPField(name: .setCookie, value: state.cookies.set(AuthMiddleware.citizenCookie, state.live.citizenKeys.grant(code, expires: expires), maxAge: 3600)))
        return response
    }

    /// The case the citizen's cookie grants, or a redirect to the lookup form.
    func grantedCase(_ request: Request, _ context: AppRequestContext) throws -> CaseID {
        guard let raw = context.parameters.get("code") else { throw HTTPError(.badRequest) }
        let code = CaseID(raw.removingPercentEncoding ?? raw)
        let now = Int64(Date().timeIntervalSince1970)
        guard let cookie = request.cookie(AuthMiddleware.citizenCookie), state.live.citizenKeys.granted(cookie, now: now) == code else {
            throw Guard.Redirect(location: "/track")
        }
        return code
    }

    func trackPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try grantedCase(request, context)
        guard let c = try await state.store.caseState(code) else { throw Guard.Redirect(location: "/track") }
        let history = try await state.store.history(of: code)
        let l = layout(request, context)
        let lang = context.language
        let owner = c.owner.flatMap { state.organization.official($0) }
        var body = HTML.el(
            "section", [("class", "card")],
            HTML.el(
                "dl", [("class", "kv")],
                HTML.el("dt", text: lang.t("Hồ sơ", "Case")), HTML.el("dd", text: "\(code.rawValue) — \(c.title)"),
                HTML.el("dt", text: lang.t("Trạng thái", "Status")), HTML.el("dd", [("id", "track-status"), ("data-status", c.status.rawValue)], text: l.statusName(c.status)),
                HTML.el("dt", text: lang.t("Đơn vị, người đang xử lý", "Unit and official holding it")),
                HTML.el("dd", [("id", "track-owner"), ("data-official", c.owner?.rawValue ?? "")],
                    text: owner.map { "\($0.name), \($0.position) — \(l.unitName($0.unit)) · " + lang.t("từ ", "since ") + Layout.timeText(c.ownerSince) } ?? lang.t("đã xong", "finished")),
                HTML.el("dt", text: lang.t("Hẹn trả kết quả", "Due")), HTML.el("dd", [("id", "track-due")], l.dueBadge(c.dueDate, open: c.status.isOpen))),
            HTML.el("a", [("id", "verify-link"), ("class", "button"), ("href", "/track/" + Paths.segment(code.rawValue) + "/verify")],
                text: lang.t("Xác minh lịch sử với sổ cái đã ký", "Verify the history against the signed ledger")))
        body += HTML.el("h2", text: lang.t("Diễn biến", "Timeline"))
        body += Timeline(layout: l).table(history, citizen: true)
        if (c.status == .resolved || c.status == .closed) && c.rating == nil {
            body += HTML.el(
                "form", [("id", "rate-form"), ("class", "card"), ("method", "post"), ("action", "/track/" + Paths.segment(code.rawValue) + "/rate")], l.csrfField(),
                HTML.el("label", [("for", "score")], text: lang.t("Mức độ hài lòng (1–5)", "Satisfaction (1–5)")),
                HTML.el("select", [("id", "score"), ("name", "score")], children: (1...5).reversed().map { HTML.el("option", [("value", String($0))], text: String($0)) }),
                HTML.el("label", [("for", "comment")], text: lang.t("Góp ý (không bắt buộc)", "Comment (optional)")),
                HTML.el("textarea", [("id", "comment"), ("name", "comment")], text: ""),
                HTML.el("button", [("type", "submit")], text: lang.t("Gửi đánh giá", "Send rating")))
        } else if let rating = c.rating {
            body += HTML.el("p", [("id", "track-rating")], text: lang.t("Bạn đã đánh giá \(rating)/5. Cảm ơn!", "You rated it \(rating)/5. Thank you!"))
        }
        return l.page(lang.t("Hồ sơ của bạn", "Your case"), request: request, body)
    }

    func verifyPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try grantedCase(request, context)
        let l = layout(request, context)
        let lang = context.language
        guard let proof = try await CaseProof.make(code, store: state.store) else { throw Guard.Redirect(location: "/track") }
        let cp = proof.checkpoint.checkpoint
        var body = HTML.el(
            "section", [("class", "card"), ("id", "verify-result"), ("data-verified", proof.allVerified ? "true" : "false")],
            HTML.el("p", [], HTML.el("strong", text: proof.allVerified
                ? lang.t("Đã xác minh: mọi mục của hồ sơ nằm trong sổ cái đã ký, không bị sửa.", "Verified: every entry of the case is in the signed ledger, unaltered.")
                : lang.t("KHÔNG xác minh được — hãy báo cho cơ quan thanh tra.", "NOT verified — please tell the inspectorate."))),
            HTML.el(
                "dl", [("class", "kv")],
                HTML.el("dt", text: lang.t("Điểm kiểm tra (số mục)", "Checkpoint (tree size)")), HTML.el("dd", [("id", "checkpoint-size")], text: String(cp.size)),
                HTML.el("dt", text: lang.t("Gốc cây Merkle", "Merkle root")), HTML.el("dd", [("class", "mono")], text: cp.rootHash.hex),
                HTML.el("dt", text: lang.t("Ký lúc", "Signed at")), HTML.el("dd", text: Layout.timeText(cp.timestamp * 1000)),
                HTML.el("dt", text: lang.t("Chữ ký Ed25519", "Ed25519 signature")), HTML.el("dd", text: proof.signatureValid ? lang.t("hợp lệ", "valid") : lang.t("KHÔNG hợp lệ", "INVALID")),
                HTML.el("dt", text: lang.t("Khóa công khai", "Public key")), HTML.el("dd", [("class", "mono")], text: proof.publicKey.map { String(format: "%02x", $0) }.joined())))
        body += HTML.el(
            "div", [("class", "table-wrap")],
            HTML.el(
                "table", [("id", "proofs")],
                HTML.el("thead", [], HTML.el("tr", [], HTML.el("th", text: "#"), HTML.el("th", text: lang.t("Mã băm lá", "Leaf hash")),
                    HTML.el("th", text: lang.t("Đường kiểm chứng", "Audit path")), HTML.el("th", text: lang.t("Kết quả", "Result")))),
                HTML.el("tbody", [], children: proof.entries.map { e in
                    HTML.el("tr", [("data-index", String(e.index)), ("data-verified", e.verified ? "true" : "false")],
                        HTML.el("td", text: String(e.index)), HTML.el("td", [("class", "mono")], text: e.leafHash.hex),
                        HTML.el("td", [("class", "mono")], text: e.path.map { String($0.hex.prefix(8)) }.joined(separator: " ")),
                        HTML.el("td", text: e.verified ? "✓" : "✗"))
                })))
        body += HTML.el("p", [("class", "muted")], text: lang.t(
            "Cách tự kiểm tra: băm SHA-256(0x00 ‖ mục) ra mã băm lá; ghép lần lượt với đường kiểm chứng theo RFC 9162 §2.1.3.2 ra gốc; gốc và kích thước được ký bằng khóa công khai trên (API: /api/v1/ledger/checkpoint, /api/v1/ledger/proofs/inclusion).",
            "Check it yourself: SHA-256(0x00 ‖ entry) is the leaf hash; combining it with the audit path per RFC 9162 §2.1.3.2 gives the root; root and size are signed with the public key above (API: /api/v1/ledger/checkpoint, /api/v1/ledger/proofs/inclusion)."))
        return l.page(lang.t("Xác minh hồ sơ \(code.rawValue)", "Verify case \(code.rawValue)"), request: request, body)
    }

    func rate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try grantedCase(request, context)
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let back = "/track/" + Paths.segment(code.rawValue)
        guard let score = Int(form["score"] ?? "") else {
            return state.redirect(back, flash: Flash(lang.t("Chọn điểm từ 1 đến 5", "Choose a score from 1 to 5"), isError: true))
        }
        do {
            _ = try await state.live.append(
                Action(caseID: code, actor: .citizen, at: LiveLedger.nowMillis(), body: .rate(score: score, comment: form["comment"] ?? ""), via: .citizenPIN),
                serverTime: true)
            return state.redirect(back, flash: Flash(lang.t("Cảm ơn bạn đã đánh giá.", "Thank you for your rating.")))
        } catch {
            return state.redirect(back, flash: Flash(error.refusal(lang).message, isError: true))
        }
    }

    // MARK: - Petition

    func petitionForm(_ request: Request, _ context: AppRequestContext) -> Response {
        let l = layout(request, context)
        let lang = context.language
        let body = HTML.el(
            "form", [("id", "petition-form"), ("class", "card"), ("method", "post"), ("action", "/petition")], l.csrfField(),
            HTML.el("label", [("for", "fullName")], text: lang.t("Họ và tên", "Full name")),
            HTML.el("input", [("id", "fullName"), ("name", "fullName"), ("required", "required"), ("autocomplete", "name")]),
            HTML.el("label", [("for", "phone")], text: lang.t("Số điện thoại (không bắt buộc)", "Phone (optional)")),
            HTML.el("input", [("id", "phone"), ("name", "phone"), ("autocomplete", "tel")]),
            HTML.el("label", [("for", "title")], text: lang.t("Nội dung phản ánh, kiến nghị", "What is your petition about")),
            HTML.el("textarea", [("id", "title"), ("name", "title"), ("required", "required"), ("maxlength", "300")], text: ""),
            HTML.el("p", [("class", "muted")], text: lang.t(
                "Họ tên và số điện thoại được lưu mã hóa, không ghi lên sổ cái công khai.", "Your name and phone are stored encrypted, never on the public ledger.")),
            HTML.el("button", [("type", "submit")], text: lang.t("Gửi", "Send")))
        return l.page(lang.t("Gửi phản ánh, kiến nghị", "Send a petition"), request: request, body)
    }

    func petition(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let now = Int64(Date().timeIntervalSince1970)
        guard state.pinPerAddress.allows("petition:" + context.clientAddress, now: now) else {
            throw HTTPError(.tooManyRequests, message: lang.t("Bạn đã gửi quá nhiều kiến nghị; thử lại sau.", "Too many petitions; try again later."))
        }
        let name = (form["fullName"] ?? "").trimmingCharacters(in: .whitespaces)
        let title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, !title.isEmpty else {
            return state.redirect("/petition", flash: Flash(lang.t("Cần họ tên và nội dung.", "Name and content are required."), isError: true))
        }
        let org = state.organization
        guard let unit = org.competentUnits(for: .petition, procedure: nil).first ?? org.units.values.first(where: { $0.parent == nil })?.id,
            let receiver = org.accountableHead(of: unit)
        else { throw HTTPError(.serviceUnavailable, message: "no unit receives petitions") }
        let due = state.live.dueDate(kind: .petition, procedure: nil, at: Date())
        let open = OpenCase(kind: .petition, title: String(title.prefix(300)), leadUnit: unit, owner: receiver, dueDate: due?.date, ruleID: due?.rule.id)
        state.pinPerAddress.recordFailure("petition:" + context.clientAddress, now: now)  // counts petitions per address
        do {
            let phone = (form["phone"] ?? "").trimmingCharacters(in: .whitespaces)
            let outcome = try await state.live.open(
                open, actor: .citizen, at: LiveLedger.nowMillis(), personalData: PersonalData(fullName: name, phone: phone.isEmpty ? nil : phone),
                via: .publicForm)
            let code = outcome.receipt.caseID
            let l = layout(request, context)
            var response = l.page(
                lang.t("Đã nhận phản ánh, kiến nghị", "Petition received"), request: request,
                HTML.el(
                    "section", [("class", "card")],
                    HTML.el("dl", [("class", "kv")],
                        HTML.el("dt", text: lang.t("Mã hồ sơ", "Case code")), HTML.el("dd", [("id", "case-code")], text: code.rawValue),
                        HTML.el("dt", text: lang.t("Mã PIN", "PIN")), HTML.el("dd", [("id", "case-pin"), ("class", "mono")], text: outcome.pin ?? ""),
                        HTML.el("dt", text: lang.t("Đơn vị tiếp nhận", "Received by")), HTML.el("dd", text: l.unitName(unit)),
                        HTML.el("dt", text: lang.t("Hạn trả lời", "Answer due")), HTML.el("dd", text: Layout.dateText(due?.date))),
                    HTML.el("p", text: lang.t("Hãy lưu mã hồ sơ và mã PIN để tra cứu.", "Keep the code and PIN to follow your petition."))))
            response.headers.append(HTTPField(name: .setCookie, value: state.cookies.set(AuthMiddleware.citizenCookie, state.live.citizenKeys.grant(code, expires: now + 3600), maxAge: 3600)))
            return response
        } catch {
            return state.redirect("/petition", flash: Flash(error.refusal(lang).message, isError: true))
        }
    }
}
