import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// Sổ theo dõi kiểm tra, thanh tra: every inspection with its form, units, period, violations, conclusion and its
/// recommendations done; for heads and inspectors, the ranking of bodies by risk an inspection plan starts from
/// (`InspectionRisk`) and the form that registers an inspection from its decision. An inspection is a case
/// (`/cases/{code}`): its holder (the team's leader) records violations and the conclusion there, then its
/// recommendations, each a task held by the head of the unit it is addressed to.
struct InspectionRegisterPages {
    let state: ServerState

    /// How many inspections the register lists, newest first.
    static let listLimit = 500

    func register(on router: Router<AppRequestContext>) {
        router.get("/inspections") { request, context in try await listPage(request, context) }
        router.post("/inspections") { request, context in try await registerInspection(request, context) }
        router.post("/cases/:code/recommendations") { request, context in try await recommend(request, context) }
    }

    /// Heads, inspectors and administrators plan and register inspections; every official may read the register.
    static func mayRegister(_ o: Official) -> Bool { !o.roles.isDisjoint(with: [.head, .inspector, .admin]) }

    func listPage(_ request: Request, _ context: AppRequestContext, values: FormFields? = nil, refusal: Flash? = nil) async throws -> Response {
        let me = try Guard.official(context, path: "/inspections")
        let l = Layout(state: state, context: context, path: "/inspections")
        let lang = context.language
        let today = CivilDate(Date())
        var inspections: [(record: InspectionRecord, state: CaseState, recommendations: [TaskSummary])] = []
        for p in try await state.store.programmes(limit: Self.listLimit) where p.isInspection {
            guard let record = try await state.live.inspection(p.id) else { continue }
            inspections.append((record, p, try await state.store.programmeTasks(root: p.id, limit: 200)))
        }
        inspections.sort { ($0.record.openedAt, $1.record.caseID.rawValue) > ($1.record.openedAt, $0.record.caseID.rawValue) }
        var body = HTML.el(
            "p", [("class", "muted")],
            text: lang.t(
                "Mỗi cuộc kiểm tra, thanh tra là một hồ sơ trên nhật ký: trưởng đoàn ghi vi phạm và kết luận; mỗi kiến nghị là một "
                    + "nhiệm vụ giao người đứng đầu đơn vị được kiểm tra, theo dõi đến khi hoàn thành.",
                "Each inspection is a case on the ledger: the team's leader records the violations and the conclusion; each "
                    + "recommendation is a task held by the head of the unit inspected, tracked until done."))
        body += HTML.el("h2", [("id", "inspections-h")], text: lang.t("Các cuộc kiểm tra, thanh tra", "Inspections"))
        body += table(inspections, today: today, l)
        if Self.mayRegister(me) {
            body += try await riskSection(today: today, l)
            body += registerForm(me: me, values: values ?? FormFields(""), l)
        }
        return l.page(
            lang.t("Sổ theo dõi kiểm tra, thanh tra", "Inspection register"), flash: refusal, request: request,
            status: refusal == nil ? .ok : .unprocessableContent, body)
    }

    private func table(_ rows: [(record: InspectionRecord, state: CaseState, recommendations: [TaskSummary])], today: CivilDate, _ l: Layout)
        -> HTML
    {
        let lang = l.lang
        guard !rows.isEmpty else {
            return HTML.el("p", [("class", "muted"), ("id", "inspections-none")], text: lang.t("Chưa có cuộc nào.", "None yet."))
        }
        let head = [
            lang.t("Mã", "Code"), lang.t("Cuộc kiểm tra", "Inspection"), lang.t("Hình thức", "Form"), lang.t("Đối tượng", "Units inspected"),
            lang.t("Thời kỳ", "Period"), lang.t("Vi phạm", "Violations"), lang.t("Kết luận", "Conclusion"),
            lang.t("Kiến nghị hoàn thành / tổng", "Recommendations done / all"), lang.t("Kiến nghị quá hạn", "Recommendations overdue"),
        ]
        return HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "inspections"), ("aria-labelledby", "inspections-h")],
                HTML.el("thead", [], HTML.el("tr", [], children: head.map { HTML.el("th", [("scope", "col")], text: $0) })),
                HTML.el(
                    "tbody", [],
                    children: rows.map { record, c, recs in
                        let done = recs.filter { $0.phase == .done }.count
                        let overdue = recs.filter { $0.isOverdue(on: today) }.count
                        return HTML.el(
                            "tr",
                            [
                                ("class", "inspection"), ("data-case", record.caseID.rawValue), ("data-form", record.form.rawValue),
                                ("data-concluded", record.conclusion == nil ? "false" : "true"),
                            ],
                            HTML.el("td", [], l.caseLink(record.caseID)), HTML.el("td", text: record.title),
                            HTML.el("td", text: lang.t(record.form.nameVi, record.form.nameEn)),
                            HTML.el("td", text: record.scope.subjects.map { l.unitName($0) }.joined(separator: "; ")),
                            HTML.el("td", text: Layout.dateText(record.scope.from) + " – " + Layout.dateText(record.scope.to)),
                            HTML.el("td", [("data-col", "violations")], text: String(record.violations.count)),
                            HTML.el(
                                "td",
                                text: record.conclusion.map { ProgrammePages.documentText($0.conclusion.document, lang) }
                                    ?? lang.t("Chưa kết luận", "Not concluded")),
                            HTML.el("td", [("data-col", "recommendations")], text: "\(done) / \(recs.count)"),
                            HTML.el("td", [("data-col", "overdue")], text: String(overdue)))
                    })))
    }

    /// The bodies ranked by risk for the next plan, each sign shown so the order can be read and argued with.
    private func riskSection(today: CivilDate, _ l: Layout) async throws -> HTML {
        let lang = l.lang
        let org = state.organization
        let bodies = org.units.values.filter { $0.kind != .division && $0.parent != nil }.map(\.id)
        let upheld = try await state.store.findings(FindingQuery(statuses: [.upheld], limit: Int.max)).findings.map(\.finding)
        let open = try await state.store.openCases(heldIn: Array(org.units.keys), limit: 100_000).filter {
            $0.kind != .reception && $0.kind != .programme
        }
        let yearAgo = today.adding(days: -365)
        let from = Int64(yearAgo.startInstant().timeIntervalSince1970 * 1000)
        var letters: [CaseState] = []
        for kind in [CaseKind.complaint, .denunciation] {
            letters += try await state.store.cases(
                kind: kind, procedure: .any, openedFrom: from, openedBefore: Int64.max, statuses: nil, limit: 100_000)
        }
        let fields = state.live.rulebook.inspectionFields
        let risk = InspectionRisk(
            InspectionRisk.signs(bodies: bodies, upheld: upheld, openCases: open, letters: letters, organization: org, fields: fields, today: today))
        let prone = fields.filter(\.proneToCorruption)
        var out = HTML.el("h2", [("id", "risk-h")], text: lang.t("Xếp hạng rủi ro để lập kế hoạch", "Risk ranking for planning"))
        out += HTML.el(
            "p", [("class", "muted"), ("id", "risk-method")],
            text: lang.t(
                "Mỗi dấu hiệu được xếp hạng giữa các cơ quan (tỷ lệ cơ quan có giá trị thấp hơn, bằng nhau tính một nửa); điểm là "
                    + "trung bình cộng của bốn thứ hạng — BuckStop không tự đặt trọng số. Khiếu nại, tố cáo tính trong 365 ngày qua. "
                    + "Lĩnh vực dễ phát sinh tham nhũng theo bộ quy tắc: "
                    + prone.map(\.nameVi).joined(separator: "; ") + " (" + (prone.first?.source ?? "") + ", " + (prone.first?.status ?? "") + ").",
                "Each sign is ranked among the bodies (the share with a lower value, a tie counting half); the score is the plain "
                    + "mean of the four ranks — BuckStop sets no weight of its own. Complaints and denunciations count over the last "
                    + "365 days. Fields prone to corruption per the rulebook: " + prone.map(\.nameEn).joined(separator: "; ") + "."))
        let head = [
            lang.t("Thứ tự", "Rank"), lang.t("Cơ quan", "Body"), lang.t("Phát hiện được giữ nguyên", "Findings upheld"),
            lang.t("Hồ sơ đang giải quyết", "Open work"), lang.t("Trong đó quá hạn", "Of it overdue"),
            lang.t("Khiếu nại, tố cáo liên quan", "Complaints and denunciations about it"),
            lang.t("Hồ sơ thuộc lĩnh vực dễ tham nhũng", "Open work in fields prone to corruption"), lang.t("Điểm rủi ro", "Risk score"),
        ]
        out += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "risk"), ("aria-labelledby", "risk-h")],
                HTML.el("thead", [], HTML.el("tr", [], children: head.map { HTML.el("th", [("scope", "col")], text: $0) })),
                HTML.el(
                    "tbody", [],
                    children: risk.rows.enumerated().map { n, row in
                        let s = row.signs
                        let share = s.overdueShare.map { " (\(Int(($0 * 100).rounded())) %)" } ?? ""
                        return HTML.el(
                            "tr", [("class", "risk"), ("data-unit", row.body.rawValue), ("data-score", String(format: "%.3f", row.score))],
                            HTML.el("td", text: String(n + 1)), HTML.el("td", text: l.unitName(row.body)),
                            HTML.el("td", [("data-col", "upheld")], text: String(s.upheld)),
                            HTML.el("td", [("data-col", "open")], text: String(s.open)),
                            HTML.el("td", [("data-col", "overdue")], text: String(s.overdue) + share),
                            HTML.el("td", [("data-col", "complaints")], text: String(s.complaints)),
                            HTML.el("td", [("data-col", "prone")], text: String(s.proneOpen)),
                            HTML.el("td", [("data-col", "score")], text: String(Int((row.score * 100).rounded()))))
                    })))
        return out
    }

    private func registerForm(me: Official, values: FormFields, _ l: Layout) -> HTML {
        let lang = l.lang
        let org = state.organization
        func input(_ name: String, _ vi: String, _ en: String, type: String = "text") -> HTML {
            let id = "inspection-" + name
            return HTML.el(
                "div", [], HTML.el("label", [("for", id)], text: lang.t(vi, en) + " *"),
                HTML.el("input", [("id", id), ("name", name), ("type", type), ("required", "required"), ("value", values[name])]))
        }
        let chosenUnits = Set(values.all("subjects"))
        let units = org.units.values.sorted { $0.name < $1.name }
        let chosenFields = Set(values.all("fields"))
        let form = values["form"] ?? InspectionForm.external.rawValue
        let leaders = OfficialOptions(organization: org).select(
            name: "leader", id: "inspection-leader", selected: values["leader"].map(OfficialID.init(rawValue:)) ?? me.id, excluding: nil,
            scope: .subtree(me.unit))
        return HTML.el("h2", [("id", "register-h")], text: lang.t("Đăng ký cuộc kiểm tra, thanh tra", "Register an inspection"))
            + HTML.el(
                "form", [("id", "inspection-form"), ("class", "card"), ("method", "post"), ("action", "/inspections")], l.csrfField(),
                HTML.el(
                    "p", [("class", "muted")],
                    text: lang.t(
                        "Đơn vị chủ trì: \(l.unitName(me.unit)). Tự kiểm tra chỉ xem công việc của chính đơn vị; kiểm tra từ bên ngoài xem đơn vị khác.",
                        "Lead unit: \(l.unitName(me.unit)). A self-inspection looks at the unit's own work; an external one at other units.")),
                input("title", "Tên cuộc kiểm tra", "Title"),
                HTML.el(
                    "div", [], HTML.el("label", [("for", "inspection-form-kind")], text: lang.t("Hình thức", "Form") + " *"),
                    HTML.el(
                        "select", [("id", "inspection-form-kind"), ("name", "form")],
                        children: InspectionForm.allCases.map {
                            HTML.el(
                                "option", [("value", $0.rawValue), ("selected", $0.rawValue == form ? "selected" : nil)],
                                text: lang.t($0.nameVi, $0.nameEn))
                        })),
                HTML.el(
                    "div", [],
                    HTML.el("label", [("for", "inspection-subjects")], text: lang.t("Đơn vị được kiểm tra", "Units inspected") + " *"),
                    HTML.el(
                        "select", [("id", "inspection-subjects"), ("name", "subjects"), ("multiple", "multiple"), ("size", "6")],
                        children: units.map {
                            HTML.el(
                                "option", [("value", $0.id.rawValue), ("selected", chosenUnits.contains($0.id.rawValue) ? "selected" : nil)],
                                text: $0.name)
                        })),
                input("from", "Thời kỳ kiểm tra từ ngày", "Period inspected from", type: "date"),
                input("to", "đến ngày", "to", type: "date"),
                HTML.el(
                    "fieldset", [("id", "inspection-fields")],
                    children: [HTML.el("legend", text: lang.t("Nội dung (lĩnh vực) *", "Fields *"))]
                        + state.live.rulebook.inspectionFields.map { f in
                            let id = "inspection-field-" + f.code
                            return HTML.el(
                                "div", [],
                                HTML.el(
                                    "input",
                                    [
                                        ("type", "checkbox"), ("id", id), ("name", "fields"), ("value", f.code),
                                        ("checked", chosenFields.contains(f.code) ? "checked" : nil),
                                    ]), HTML.el("label", [("for", id)], text: lang.t(f.nameVi, f.nameEn)))
                        }),
                input("decisionNumber", "Số quyết định kiểm tra, thanh tra", "Decision number"),
                input("decisionDate", "Ngày quyết định", "Decision date", type: "date"),
                input("signer", "Người ký quyết định", "Signed by"),
                HTML.el("div", [], HTML.el("label", [("for", "inspection-leader")], text: lang.t("Trưởng đoàn", "Team leader") + " *"), leaders),
                input("dueDate", "Hạn kết thúc", "Due date", type: "date"),
                HTML.el("button", [("type", "submit")], text: lang.t("Ghi vào nhật ký", "Record on the ledger")))
    }

    /// A date a form sent, or a refusal naming the field.
    static func date(_ form: FormFields, _ name: String) throws -> CivilDate {
        guard let text = form[name], let day = try? CivilDate(iso: text.trimmingCharacters(in: .whitespaces)) else {
            throw RequestRefusal.invalid(Bilingual("\(name) phải là ngày (YYYY-MM-DD)", "\(name) must be a date (YYYY-MM-DD)"), field: name)
        }
        return day
    }

    func registerInspection(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/inspections")
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        guard Self.mayRegister(me) else {
            throw RequestRefusal.forbidden(
                Bilingual("Chỉ người đứng đầu, thanh tra viên đăng ký cuộc kiểm tra.", "Only heads and inspectors register inspections."))
        }
        do {
            let inspectionForm = InspectionForm(rawValue: form["form"] ?? "") ?? .external
            let open = OpenCase(
                kind: .programme,
                procedure: (inspectionForm == .selfInspection ? PlanLevel.selfInspection : PlanLevel.inspection).rawValue,
                title: (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), leadUnit: me.unit,
                owner: OfficialID(form["leader"] ?? me.id.rawValue), dueDate: try Self.date(form, "dueDate"),
                document: IssuingDocument(
                    number: form["decisionNumber"] ?? "", date: try Self.date(form, "decisionDate"), signer: form["signer"] ?? ""),
                inspection: InspectionScope(
                    subjects: form.all("subjects").map(UnitID.init(rawValue:)), from: try Self.date(form, "from"), to: try Self.date(form, "to"),
                    fields: form.all("fields")))
            let outcome = try await state.live.open(
                open, actor: .official(me.id), at: LiveLedger.nowMillis(), personalData: nil, via: try Guard.credential(context))
            return state.redirect(
                "/cases/" + Paths.segment(outcome.receipt.caseID.rawValue),
                flash: Flash(lang.t("Đã ghi cuộc kiểm tra vào nhật ký xử lý.", "Inspection recorded on the ledger.")))
        } catch {
            return try await listPage(request, context, values: form, refusal: try Problem.flash(error, lang))
        }
    }

    /// Kiến nghị: after the conclusion, its holder addresses a recommendation to a unit inspected; it becomes a task under
    /// the inspection held by that unit's accountable head, assigned by the conclusion, due when the holder says.
    func recommend(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: request.uri.path)
        let code = CaseID(context.parameters.get("code") ?? "")
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        guard let c = try await state.store.caseState(code), c.isInspection, let record = try await state.live.inspection(code) else {
            throw RequestRefusal.notFound(Bilingual("Không có cuộc kiểm tra \(code.rawValue)", "not found: inspection \(code.rawValue)"))
        }
        let back = "/cases/" + Paths.segment(code.rawValue)
        guard c.owner == me.id else {
            throw RequestRefusal.forbidden(
                Bilingual("Chỉ trưởng đoàn đang giữ cuộc kiểm tra ghi kiến nghị.", "Only the inspection's holder records its recommendations."))
        }
        do {
            guard let conclusion = record.conclusion, c.status == .resolved else {
                throw RequestRefusal.invalid(
                    Bilingual("Kiến nghị được ghi sau khi có kết luận.", "Recommendations follow the conclusion."), field: "case")
            }
            let unit = UnitID(form["unit"] ?? "")
            guard record.scope.subjects.contains(unit) else {
                throw RequestRefusal.invalid(
                    Bilingual("Kiến nghị gửi một đơn vị được kiểm tra.", "A recommendation is addressed to a unit inspected."), field: "unit")
            }
            guard let head = state.organization.accountableHead(of: unit) else {
                throw RequestRefusal.invalid(Bilingual("Đơn vị chưa có người đứng đầu.", "The unit has no head."), field: "unit")
            }
            let open = OpenCase(
                kind: .task, title: (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), leadUnit: unit, owner: head,
                dueDate: try Self.date(form, "dueDate"), parent: code, document: conclusion.conclusion.document)
            let outcome = try await state.live.open(
                open, actor: .official(me.id), at: LiveLedger.nowMillis(), personalData: nil, via: try Guard.credential(context))
            return state.redirect(
                back,
                flash: Flash(
                    lang.t(
                        "Đã ghi kiến nghị \(outcome.receipt.caseID.rawValue), giao \(state.organization.official(head)?.name ?? head.rawValue).",
                        "Recommendation \(outcome.receipt.caseID.rawValue) recorded, held by \(state.organization.official(head)?.name ?? head.rawValue)."
                    )))
        } catch {
            return state.redirect(back, flash: try Problem.flash(error, lang))
        }
    }
}

extension Layout {
    /// An inspection's recommendations (the tasks under it) with who holds each and where it stands; after the conclusion,
    /// the form its holder records one with.
    func recommendations(_ record: InspectionRecord, tasks: [TaskSummary], holder: Bool, concluded: Bool) -> HTML {
        let today = CivilDate(Date())
        var out = HTML.el("h3", [("id", "recommendations-h")], text: lang.t("Kiến nghị (\(tasks.count))", "Recommendations (\(tasks.count))"))
        if tasks.isEmpty {
            out += HTML.el("p", [("class", "muted"), ("id", "recommendations-none")], text: lang.t("Chưa có kiến nghị.", "No recommendation yet."))
        } else {
            out += HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "recommendations"), ("aria-labelledby", "recommendations-h")],
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [],
                            children: [
                                lang.t("Mã", "Code"), lang.t("Kiến nghị", "Recommendation"), lang.t("Đơn vị", "Unit"), lang.t("Người giữ", "Held by"),
                                lang.t("Hạn", "Due"), lang.t("Tình trạng", "Phase"),
                            ].map { HTML.el("th", [("scope", "col")], text: $0) })),
                    HTML.el(
                        "tbody", [],
                        children: tasks.map { t in
                            HTML.el(
                                "tr",
                                [
                                    ("class", "recommendation"), ("data-case", t.id.rawValue), ("data-phase", t.phase.rawValue),
                                    ("data-official", t.owner?.rawValue), ("data-overdue", t.isOverdue(on: today) ? "true" : "false"),
                                ],
                                HTML.el("td", [], caseLink(t.id)), HTML.el("td", text: t.title), HTML.el("td", text: unitName(t.leadUnit)),
                                HTML.el("td", text: officialName(t.owner)), HTML.el("td", text: Layout.dateText(t.dueDate)),
                                HTML.el("td", text: lang.t(t.phase.nameVi, t.phase.nameEn)))
                        })))
        }
        guard holder && concluded else { return out }
        let units = record.scope.subjects
        return out
            + HTML.el(
                "form",
                [
                    ("id", "recommendation-form"), ("class", "card"), ("method", "post"),
                    ("action", "/cases/\(Paths.segment(record.caseID.rawValue))/recommendations"),
                ],
                csrfField(), HTML.el("h4", text: lang.t("Ghi kiến nghị", "Record a recommendation")),
                HTML.el("label", [("for", "recommendation-unit")], text: lang.t("Đơn vị thực hiện", "Addressed to") + " *"),
                HTML.el(
                    "select", [("id", "recommendation-unit"), ("name", "unit")],
                    children: units.map { HTML.el("option", [("value", $0.rawValue)], text: unitName($0)) }),
                HTML.el("label", [("for", "recommendation-text")], text: lang.t("Nội dung kiến nghị", "Recommendation") + " *"),
                HTML.el("textarea", [("id", "recommendation-text"), ("name", "text"), ("required", "required")]),
                HTML.el("label", [("for", "recommendation-due")], text: lang.t("Hạn thực hiện", "Due date") + " *"),
                HTML.el("input", [("id", "recommendation-due"), ("name", "dueDate"), ("type", "date"), ("required", "required")]),
                HTML.el(
                    "p", [("class", "muted")],
                    text: lang.t(
                        "Kiến nghị thành nhiệm vụ do người đứng đầu đơn vị giữ, theo dõi như mọi nhiệm vụ.",
                        "The recommendation becomes a task held by the unit's head, tracked like any task.")),
                HTML.el("button", [("type", "submit")], text: lang.t("Ghi kiến nghị", "Record the recommendation")))
    }
}
