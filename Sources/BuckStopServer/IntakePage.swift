import BuckStopAPI
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// Intake (tiếp nhận hồ sơ) at the counter: the procedure's document checklist ticked off, the applicant's contact
/// sealed off the ledger, the title taken from the procedure when left empty, and — after any refusal — the form
/// again with everything that was typed.
extension CasePages {
    func intakeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/cases/new")
        var values = FormFields("")
        if let picked = request.uri.queryParameters.get("procedure") { values = FormFields("procedure=" + Paths.segment(picked)) }
        return intakePage(request, context, me: me, values: values, refusal: nil)
    }

    /// The form, filled with `values` (a chosen procedure from `?procedure=`, or what was typed before a refusal).
    func intakePage(_ request: Request, _ context: AppRequestContext, me: Official, values: FormFields, refusal: Flash?) -> Response {
        let l = Layout(state: state, context: context, path: "/cases/new")
        let lang = context.language
        let procedures = state.live.rulebook.procedures.sorted { $0.code < $1.code }
        let units = state.organization.units.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        let chosen = values["procedure"].flatMap { state.live.rulebook.procedure($0) }
        let procedureOptions =
            [("", lang.t("— không theo thủ tục hành chính —", "— not an administrative procedure —"))]
            + procedures.map { ($0.code, "\($0.code) — \(lang == .vi ? $0.nameVi : ($0.nameEn ?? $0.nameVi))") }
        // Without scripts the checklist follows the procedure through a GET: the picker reloads the form for it.
        let picker = HTML.el(
            "form", [("id", "procedure-picker"), ("class", "card"), ("method", "get"), ("action", "/cases/new")],
            field(
                "pick-procedure", lang.t("Thủ tục hành chính", "Administrative procedure"),
                HTML.el(
                    "select", [("id", "pick-procedure"), ("name", "procedure")],
                    children: procedureOptions.map { value, text in
                        HTML.el("option", [("value", value), ("selected", value == (chosen?.code ?? "") ? "selected" : nil)], text: text)
                    })),
            HTML.el("button", [("type", "submit"), ("class", "secondary")], text: lang.t("Hiện thành phần hồ sơ", "Show the documents required")))
        let kind = values["kind"] ?? chosen?.caseKind.rawValue ?? CaseKind.dossier.rawValue
        var body = picker
        body += HTML.el(
            "form", [("id", "intake-form"), ("class", "card"), ("method", "post"), ("action", "/cases")],
            l.csrfField(),
            field("kind", lang.t("Loại hồ sơ", "Kind"), select("kind", CaseKind.allCases.map { ($0.rawValue, l.kindName($0)) }, selected: kind)),
            field(
                "procedure", lang.t("Thủ tục hành chính (nếu có)", "Administrative procedure (if any)"),
                select("procedure", procedureOptions, selected: chosen?.code ?? values["procedure"] ?? "")),
            checklist(chosen, values: values, lang: lang),
            field(
                "title", lang.t("Tiêu đề (để trống: lấy tên thủ tục)", "Title (empty: the procedure's name)"),
                HTML.el(
                    "input",
                    [
                        ("id", "title"), ("name", "title"), ("maxlength", "300"),
                        ("value", values["title"] ?? chosen.map { lang == .vi ? $0.nameVi : ($0.nameEn ?? $0.nameVi) }),
                    ])),
            field(
                "leadUnit", lang.t("Đơn vị chủ trì", "Lead unit"),
                select("leadUnit", units.map { ($0.id.rawValue, $0.name) }, selected: values["leadUnit"] ?? me.unit.rawValue)),
            field(
                "owner", lang.t("Người chịu trách nhiệm xử lý (thuộc đơn vị chủ trì)", "Accountable official (of the lead unit)"),
                officialSelect("owner", selected: OfficialID(values["owner"] ?? me.id.rawValue))),
            HTML.el(
                "fieldset", [("id", "applicant")],
                HTML.el(
                    "legend",
                    text: lang.t(
                        "Người nộp — lưu mã hóa, không ghi vào nhật ký xử lý", "Applicant — kept encrypted, never on the ledger")),
                field(
                    "applicantName", lang.t("Họ tên", "Full name"),
                    HTML.el(
                        "input", [("id", "applicantName"), ("name", "applicantName"), ("autocomplete", "off"), ("value", values["applicantName"])])),
                field(
                    "applicantPhone", lang.t("Số điện thoại (ví dụ 0912 345 678)", "Phone (e.g. 0912 345 678)"),
                    HTML.el(
                        "input",
                        [
                            ("id", "applicantPhone"), ("name", "applicantPhone"), ("type", "tel"), ("autocomplete", "off"),
                            ("value", values["applicantPhone"]),
                        ])),
                field(
                    "applicantEmail", lang.t("Thư điện tử (không bắt buộc)", "Email (optional)"),
                    HTML.el(
                        "input",
                        [
                            ("id", "applicantEmail"), ("name", "applicantEmail"), ("type", "email"), ("autocomplete", "off"),
                            ("value", values["applicantEmail"]),
                        ])),
                field(
                    "applicantAddress", lang.t("Địa chỉ (không bắt buộc)", "Address (optional)"),
                    HTML.el(
                        "input",
                        [("id", "applicantAddress"), ("name", "applicantAddress"), ("autocomplete", "off"), ("value", values["applicantAddress"])]))),
            HTML.el("button", [("type", "submit")], text: lang.t("Tiếp nhận và in giấy tiếp nhận", "Receive and print the receipt")))
        return l.page(
            lang.t("Tiếp nhận hồ sơ", "Receive a case"), flash: refusal, request: refusal == nil ? request : nil,
            status: refusal == nil ? .ok : .unprocessableContent, body)
    }

    /// The procedure's documents as checkboxes (a complete dossier has them all), and the other documents in words.
    func checklist(_ procedure: Procedure?, values: FormFields, lang: Language) -> HTML {
        let ticked = Set(values.all("documents"))
        var parts: [HTML] = [
            HTML.el(
                "legend",
                text: procedure?.documents == nil
                    ? lang.t("Giấy tờ đã nhận", "Documents received")
                    : lang.t("Thành phần hồ sơ đã nhận (đủ mới tiếp nhận)", "Documents received (all are needed)"))
        ]
        if let list = procedure?.documents {
            for (i, item) in list.items.enumerated() {
                let id = "document-\(i)"
                parts.append(
                    HTML.el(
                        "div", [("class", "check")],
                        HTML.el(
                            "input",
                            [
                                ("type", "checkbox"), ("id", id), ("name", "documents"), ("value", item.nameVi),
                                ("checked", ticked.contains(item.nameVi) ? "checked" : nil),
                            ]),
                        HTML.el("label", [("for", id)], text: lang == .vi ? item.nameVi : item.nameEn)))
            }
            parts.append(HTML.el("p", [("class", "muted")], text: lang.t("Căn cứ: ", "Basis: ") + list.basis))
        }
        parts.append(
            field(
                "otherDocuments", lang.t("Giấy tờ khác (mỗi dòng một giấy tờ)", "Other documents (one per line)"),
                HTML.el("textarea", [("id", "otherDocuments"), ("name", "otherDocuments"), ("rows", "3")], text: values["otherDocuments"] ?? "")))
        return HTML.el("fieldset", [("id", "documents"), ("data-procedure", procedure?.code)], children: parts)
    }

    func intake(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/cases/new")
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        func refuse(_ vi: String, _ en: String) -> Response {
            intakePage(request, context, me: me, values: form, refusal: Flash(lang.t(vi, en), isError: true))
        }
        guard let kind = CaseKind(rawValue: form["kind"] ?? "") else {
            return refuse("Loại hồ sơ không hợp lệ", "Invalid kind")
        }
        let procedureCode = (form["procedure"] ?? "").isEmpty ? nil : form["procedure"]
        let procedure = procedureCode.flatMap { state.live.rulebook.procedure($0) }
        if let procedureCode, procedure == nil {
            return refuse("Không có thủ tục \(procedureCode) trong bộ quy định", "No procedure \(procedureCode) in the rulebook")
        }
        let intake: IntakeDocuments
        do {
            intake = try IntakeDocuments(ticked: form.all("documents"), other: form["otherDocuments"] ?? "", procedure: procedure)
        } catch {
            return refuse(error.vietnamese, error.english)
        }
        var title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty, let procedure { title = procedure.nameVi }
        guard !title.isEmpty else {
            return refuse("Thiếu tiêu đề — bắt buộc khi không theo thủ tục hành chính", "A title is required when there is no procedure")
        }
        let applicant: PersonalData?
        do {
            applicant = try ApplicantContact(
                name: form["applicantName"] ?? "", phone: form["applicantPhone"] ?? "", email: form["applicantEmail"] ?? "",
                address: form["applicantAddress"] ?? ""
            ).personalData
        } catch {
            return refuse(error.vietnamese, error.english)
        }
        let now = Date()
        let due = state.live.dueDate(kind: kind, procedure: procedureCode, at: now)
        let open = OpenCase(
            kind: kind, procedure: procedureCode, title: title, leadUnit: UnitID(form["leadUnit"] ?? ""),
            owner: OfficialID(form["owner"] ?? me.id.rawValue), dueDate: due?.date, ruleID: due?.rule.id, documents: intake.documents)
        do {
            let outcome = try await state.live.open(
                open, actor: .official(me.id), at: Int64(now.timeIntervalSince1970 * 1000), personalData: applicant,
                via: try Guard.credential(context))
            return state.redirect("/cases/" + Paths.segment(outcome.receipt.caseID.rawValue) + "/receipt")
        } catch {
            return intakePage(request, context, me: me, values: form, refusal: try Problem.flash(error, lang))
        }
    }
}

/// The documents received at intake: every item of the procedure's checklist must be ticked (a dossier is received
/// only when complete — otherwise the applicant is told once what is missing, NĐ 61/2018 Đ.15), ticked items must be
/// the procedure's own, and other documents are one per line.
struct IntakeDocuments {
    var documents: [String]

    struct Problem: Error {
        var vietnamese: String
        var english: String
    }

    init(ticked: [String], other: String, procedure: Procedure?) throws(Problem) {
        let items = procedure?.documents?.items ?? []
        let known = Set(items.map(\.nameVi))
        if let stranger = ticked.first(where: { !known.contains($0) }) {
            throw Problem(
                vietnamese: "Giấy tờ \"\(stranger)\" không thuộc thành phần hồ sơ của thủ tục đã chọn; chọn lại thủ tục để hiện đúng danh mục",
                english: "\"\(stranger)\" is not a document of the chosen procedure; pick the procedure again to show its list")
        }
        if let missing = procedure?.documents?.missing(from: ticked), !missing.isEmpty {
            let reason = RefusalReason.dossierIncomplete(missing: missing)
            let vi = reason.vietnamese
            throw Problem(vietnamese: vi.prefix(1).uppercased() + String(vi.dropFirst()), english: reason.english)
        }
        let extra = other.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        documents = items.map(\.nameVi) + extra
    }
}

/// The applicant's contact as typed at the counter, checked before anything is written: a phone number must be one
/// a Vietnamese agency can call back, and contact details need a name to belong to.
struct ApplicantContact {
    var name: String
    var phone: String
    var email: String
    var address: String

    struct Problem: Error {
        var vietnamese: String
        var english: String
    }

    init(name: String, phone: String, email: String, address: String) {
        func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        self.name = trim(name)
        self.phone = trim(phone)
        self.email = trim(email)
        self.address = trim(address)
    }

    /// Sealed personal data, or nil when nothing was given.
    var personalData: PersonalData? {
        get throws(Problem) {
            if name.isEmpty {
                guard phone.isEmpty, email.isEmpty, address.isEmpty else {
                    throw Problem(
                        vietnamese: "Thiếu họ tên người nộp: số điện thoại, thư điện tử và địa chỉ phải kèm họ tên",
                        english: "The applicant's name is missing: a phone, email or address needs a name")
                }
                return nil
            }
            var normalisedPhone: String?
            if !phone.isEmpty {
                guard let p = Self.vietnamesePhone(phone) else {
                    throw Problem(
                        vietnamese: "Số điện thoại \"\(phone)\" không hợp lệ: cần 10 hoặc 11 chữ số bắt đầu bằng 0, hoặc +84",
                        english: "Phone \"\(phone)\" is invalid: expected 10 or 11 digits starting with 0, or +84")
                }
                normalisedPhone = p
            }
            if !email.isEmpty {
                let parts = email.split(separator: "@", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
                    !email.contains(where: \.isWhitespace)
                else {
                    throw Problem(
                        vietnamese: "Thư điện tử \"\(email)\" không hợp lệ", english: "Email \"\(email)\" is invalid: expected name@domain")
                }
            }
            return PersonalData(
                fullName: name, address: address.isEmpty ? nil : address, phone: normalisedPhone, email: email.isEmpty ? nil : email)
        }
    }

    /// A Vietnamese number with spaces, dots and dashes removed: 0 and 9–10 more digits (mobile 10, landline 11), or
    /// the same with +84 / 84 in place of the 0; nil otherwise.
    static func vietnamesePhone(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84"), digits.count >= 11 {
            digits = "0" + digits.dropFirst(2)
        }
        guard digits.hasPrefix("0"), (10...11).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return nil
        }
        return digits
    }
}
