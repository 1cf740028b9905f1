import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a printable document, laid out like the form of Thông tư
/// 01/2018/TT-VPCP (Mẫu số 01): the national header beside the receiving agency, the title, the case code and the PIN
/// in the same large type, the applicant, when and by whom it was received, the procedure, the documents received,
/// the appointment for the result, and a QR code of the public tracking address. The PIN is printed, never put in the
/// address: addresses end up in logs, proxies and browser histories; the tracking page asks for it.
extension CasePages {
    /// Officials only: those who may see the case, and whoever received it even when it went straight to another unit.
    func receipt(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: request.uri.path)
        let code = try caseID(context)
        guard let c = try await state.store.caseState(code) else {
            throw RequestRefusal.notFound(Bilingual("Không có hồ sơ \(code)", "No case \(code)"))
        }
        let history = try await state.store.history(of: code)
        let visibility = Visibility(official: me, organization: state.organization)
        guard visibility.canSee(c) || visibility.handled(history) else {
            throw RequestRefusal.forbidden(Bilingual("Hồ sơ này không thuộc phạm vi của bạn.", "This case is outside your remit."))
        }
        let l = layout(request, context)
        let lang = context.language
        let opening = history.first { if case .open = $0.action.body { true } else { false } }
        var opened: OpenCase?
        if case .open(let o) = opening?.action.body { opened = o }
        let receiver = opening?.action.actor.officialID
        let agency = opened?.leadUnit ?? c.leadUnit
        let tracking = trackingURL(code, request)
        let pin = state.live.citizenKeys.pin(for: code)

        var rows: [HTML] = try await applicantRows(c, lang)
        rows.append(row(lang.t("Thời điểm tiếp nhận", "Received"), id: "receipt-received", text: Self.receivedText(c.openedAt, lang)))
        rows.append(row(lang.t("Tên thủ tục, vụ việc", "Procedure or matter"), id: "receipt-procedure", text: procedureText(c, lang)))
        rows += documentRows(opened?.documents ?? [], lang)
        rows.append(row(lang.t("Hẹn trả kết quả", "Result due"), id: "receipt-due", text: Self.dueText(opened?.dueDate ?? c.originalDueDate, lang)))
        if let now = c.dueDate, now != (opened?.dueDate ?? c.originalDueDate) {
            rows.append(
                row(
                    lang.t("Ngày hẹn hiện nay (đã hẹn lại)", "Due date now (rescheduled)"), id: "receipt-due-now",
                    text: Self.dueText(now, lang)))
        }
        rows.append(row(lang.t("Người tiếp nhận", "Received by"), id: "receipt-official", text: officialText(receiver, l)))
        rows.append(row(lang.t("Người đang xử lý", "Now handled by"), id: "receipt-owner", text: l.officialName(c.owner)))
        rows.append(CaseProof.checkpointRows(try await CaseProof.witnessedCheckpoint(state), lang))

        let body =
            HTML.el(
                "article", [("id", "receipt"), ("class", "card receipt")],
                header(agency, lang),
                HTML.el("h2", [("id", "receipt-title"), ("class", "receipt-title")], text: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
                lang == .en
                    ? HTML.el("p", [("class", "receipt-subtitle"), ("lang", "en")], text: "Receipt of the dossier and appointment for the result")
                    : "",
                HTML.el(
                    "div", [("class", "receipt-numbers")],
                    HTML.el(
                        "p", [],
                        HTML.el("span", [("class", "receipt-label")], text: lang.t("Mã hồ sơ", "Case code")),
                        HTML.el("span", [("id", "case-code"), ("class", "receipt-number mono")], text: code.rawValue)),
                    HTML.el(
                        "p", [],
                        HTML.el("span", [("class", "receipt-label")], text: lang.t("Mã PIN tra cứu", "Lookup PIN")),
                        HTML.el("span", [("id", "case-pin"), ("class", "receipt-number mono")], text: pin))),
                HTML.el("dl", [("class", "kv receipt-rows")], children: rows),
                trackingBlock(tracking, lang),
                HTML.el(
                    "div", [("class", "receipt-signature")],
                    HTML.el("p", text: lang.t("NGƯỜI TIẾP NHẬN", "RECEIVED BY")),
                    HTML.el("p", [("class", "muted")], text: lang.t("(Ký và ghi rõ họ tên)", "(Signature and full name)")),
                    HTML.el("p", [("class", "receipt-signer")], text: receiver.map { l.officialName($0) } ?? "")))
            + HTML.el(
                "div", [("class", "no-print receipt-actions")],
                HTML.el(
                    "p", [("id", "print-hint"), ("class", "muted")],
                    text: lang.t(
                        "In giấy tiếp nhận: nhấn Ctrl+P (⌘P trên máy Mac) hoặc chọn In trong trình duyệt; trang in chỉ gồm giấy tiếp nhận, vừa một trang A4 hoặc A5.",
                        "Print the receipt: press Ctrl+P (⌘P on a Mac) or choose Print in the browser; the printout holds the receipt only, on one A4 or A5 page."
                    )),
                HTML.el(
                    "a", [("id", "open-case"), ("class", "button"), ("href", "/cases/" + Paths.segment(code.rawValue))],
                    text: lang.t("Mở hồ sơ", "Open the case")))
        return l.page(lang.t("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment for the result"), request: request, body)
    }

    /// The national header (Quốc hiệu, tiêu ngữ) on the right and the receiving agency on the left: the superior body's
    /// name above the agency's own, in capitals, as on administrative documents.
    private func header(_ agency: UnitID, _ lang: Language) -> HTML {
        let org = state.organization
        let unit = org.unit(agency)
        let parent = unit?.parent.flatMap { org.unit($0) }
        let name = unit?.name ?? agency.rawValue
        return HTML.el(
            "header", [("class", "receipt-head")],
            HTML.el(
                "div", [("id", "receipt-agency"), ("class", "receipt-agency")],
                parent.map { HTML.el("p", [("class", "receipt-superior")], text: $0.name.uppercased(with: Self.vietnamese)) } ?? "",
                HTML.el("p", [("class", "receipt-agency-name")], text: name.uppercased(with: Self.vietnamese)),
                (lang == .en ? unit?.nameEn : nil).map { HTML.el("p", [("class", "muted"), ("lang", "en")], text: $0) } ?? ""),
            HTML.el(
                "div", [("id", "national-header"), ("class", "receipt-nation")],
                HTML.el("p", [("class", "receipt-nation-name")], text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                HTML.el("p", [("class", "receipt-motto")], text: "Độc lập - Tự do - Hạnh phúc"),
                lang == .en
                    ? HTML.el("p", [("class", "muted"), ("lang", "en")], text: "Socialist Republic of Viet Nam — Independence, Freedom, Happiness")
                    : ""))
    }

    private func row(_ label: String, id: String, text: String) -> HTML {
        HTML.el("dt", text: label) + HTML.el("dd", [("id", id)], text: text)
    }

    /// The applicant's name and contact, opened from the sealed record, for an official who may print the receipt.
    /// Never for a denunciation: the denouncer's identity is confidential (Luật Tố cáo 2018 Đ.47) and shown only to its
    /// handlers with every reveal on the ledger, which this page does not do. Nothing when there is no record or it
    /// was erased.
    private func applicantRows(_ c: CaseState, _ lang: Language) async throws -> [HTML] {
        guard c.kind != .denunciation, let ref = c.subject?.ref else { return [] }
        let person: PersonalData?
        do {
            person = try await state.store.personalData(ref: ref)
        } catch StoreError.personalDataErased {
            return []
        }
        guard let person, !person.fullName.isEmpty else { return [] }
        var rows = [row(lang.t("Tiếp nhận hồ sơ của Ông/Bà", "Received from"), id: "receipt-applicant", text: person.fullName)]
        if let phone = person.phone, !phone.isEmpty {
            rows.append(row(lang.t("Số điện thoại", "Phone"), id: "receipt-applicant-phone", text: phone))
        }
        if let email = person.email, !email.isEmpty {
            rows.append(row(lang.t("Thư điện tử", "Email"), id: "receipt-applicant-email", text: email))
        }
        if let address = person.address, !address.isEmpty {
            rows.append(row(lang.t("Địa chỉ", "Address"), id: "receipt-applicant-address", text: address))
        }
        return rows
    }

    /// The documents received at intake, as the opening entry lists them (one numbered item each); no row when none
    /// were listed.
    func documentRows(_ documents: [String], _ lang: Language) -> [HTML] {
        guard !documents.isEmpty else { return [] }
        return [
            HTML.el("dt", text: lang.t("Thành phần hồ sơ đã nhận", "Documents received"))
                + HTML.el("dd", [], HTML.el("ol", [("id", "receipt-documents")], children: documents.map { HTML.el("li", text: $0) }))
        ]
    }

    private func procedureText(_ c: CaseState, _ lang: Language) -> String {
        guard let code = c.procedure else { return c.title }
        guard let procedure = state.live.rulebook.procedure(code) else { return "\(c.title) (\(code))" }
        let name = lang == .vi ? procedure.nameVi : (procedure.nameEn ?? procedure.nameVi)
        return name == c.title || procedure.nameVi == c.title ? name : "\(name) — \(c.title)"
    }

    private func officialText(_ id: OfficialID?, _ l: Layout) -> String {
        guard let id, let official = state.organization.official(id) else { return l.officialName(id) }
        return "\(official.name), \(official.position)"
    }

    /// "10 giờ 32 phút, ngày 20/11/2025" — Vietnam time (UTC+7, no daylight saving), the day as on the calendar.
    static func receivedText(_ ms: Int64, _ lang: Language) -> String {
        let seconds = ms / 1000 + 7 * 3600
        let day = CivilDate(julianDayNumber: Int(seconds.quotientRoundingDown(86_400)) + 2_440_588)
        let inDay = Int(seconds - seconds.quotientRoundingDown(86_400) * 86_400)
        let hour = inDay / 3600
        let minute = inDay % 3600 / 60
        return lang.t(
            "\(hour) giờ \(Layout.twoDigits(minute)) phút, ngày \(Layout.dateText(day))",
            "\(Layout.dateText(day)) at \(Layout.twoDigits(hour)):\(Layout.twoDigits(minute)) (Vietnam time, UTC+7)")
    }

    static func dueText(_ date: CivilDate?, _ lang: Language) -> String {
        guard let date else { return lang.t("Chưa có ngày hẹn theo quy định", "No due date set by the rules") }
        return lang.t("Hẹn trả kết quả ngày \(Layout.dateText(date))", "Result due on \(Layout.dateText(date))")
    }

    /// The absolute address of the public tracking page for `code`, with the code and without the PIN.
    ///
    /// The base is `public_url` when configured. Without it, the request's Host header with the scheme http: right
    /// when officials reach the server at the address citizens use, wrong behind a TLS proxy (the scheme) or a proxy
    /// that rewrites Host (an internal name on paper), and a client can send any Host (it only misleads its own page,
    /// which is not cached). Production sets `public_url`; the fallback keeps a plain `buckstop serve` working.
    func trackingURL(_ code: CaseID, _ request: Request) -> String {
        var base =
            state.configuration.publicURL
            ?? "http://" + (request.head.authority.flatMap(Self.hostHeader) ?? "\(state.configuration.host):\(state.configuration.port)")
        // `set` normalises a configured URL; one assigned in code may still end in a slash.
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/track?code=" + Paths.segment(code.rawValue)
    }

    /// A Host header worth printing: a host name or address with an optional port, nothing else.
    static func hostHeader(_ value: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard !value.isEmpty, value.count <= 255, value.allSatisfy(allowed.contains) else { return nil }
        return value.lowercased()
    }

    /// The QR code of the tracking address (level M: it stays readable with a smudge or a fold), the address in
    /// text, and what the citizen does with it.
    private func trackingBlock(_ url: String, _ lang: Language) -> HTML {
        let label = lang.t("Mã QR địa chỉ tra cứu hồ sơ: \(url)", "QR code of the case's tracking address: \(url)")
        let symbol: HTML
        do {
            symbol = HTML(raw: try QRCode.encode(url, errorCorrection: .medium).svg(label: label, id: "receipt-qr"))
        } catch {
            // Cannot happen for a configured base of at most 200 characters and a stored case code; the address
            // below is still printed.
            state.logger.error("receipt QR code not made", metadata: ["error": .string("\(error)")])
            symbol = ""
        }
        return HTML.el(
            "section", [("id", "receipt-tracking"), ("class", "receipt-tracking")],
            HTML.el("div", [("class", "receipt-qr")], symbol),
            HTML.el(
                "div", [],
                HTML.el(
                    "p",
                    text: lang.t(
                        "Ông/Bà theo dõi hồ sơ bằng cách quét mã QR hoặc mở địa chỉ dưới đây. Trang tra cứu sẽ hỏi mã PIN in trên giấy này; mã PIN không có trong mã QR. Ông/Bà giữ kín mã PIN.",
                        "Follow the case by scanning the QR code or opening the address below. The tracking page asks for the PIN printed on this receipt; the PIN is not in the QR code. Keep the PIN to yourself."
                    )),
                HTML.el("p", [("id", "tracking-url"), ("class", "mono")], text: url),
                HTML.el(
                    "p", [("class", "muted")],
                    text: lang.t(
                        "Trên trang tra cứu, Ông/Bà xem được ai đang xử lý hồ sơ, từ khi nào, ngày hẹn trả, và xác minh lịch sử hồ sơ với nhật ký xử lý có chữ ký số.",
                        "The tracking page shows who holds the case, since when and the due date, and verifies its history against the signed ledger."
                    ))))
    }

    private static let vietnamese = Locale(identifier: "vi_VN")
}

extension Int64 {
    fileprivate func quotientRoundingDown(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
