import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// What follows an upheld finding, on the finding's page: the decisions taken (each with its legal basis and who
/// decided), the remediation and whether it was done on time, the form to decide the next one and the owner's form to
/// report the remediation done. Discipline details are shown only to the official concerned, heads above the unit and
/// inspectors; each time someone other than the official concerned is shown them, the store keeps who, which decision and
/// when (`DisciplineView`), and the official concerned sees that list on the page.
extension CasePages {
    func consequences(_ f: StoredFinding, history: [LedgerRecord], me: Official, mayReview: Bool, layout l: Layout) async throws -> HTML {
        let lang = l.lang
        let id = f.finding.id
        let entitled = me.id == f.finding.official || mayReview
        var shown: [Int64] = []
        var out = HTML.el("h2", text: lang.t("Xử lý sau kết luận", "Consequences"))
        let rows: [HTML] = history.compactMap { record in
            switch record.action.body {
            case .decideConsequence(let d) where d.finding == id:
                let restricted = d.kind == .discipline && !entitled
                var detail = restricted ? lang.t("Thông tin hạn chế.", "Restricted.") : l.measureName(d.measure) + " — " + d.text
                if d.kind == .discipline, !restricted {
                    detail += lang.t(" — Quyết định số ", " — Decision no. ") + (d.decisionNumber ?? "")
                    if me.id != f.finding.official { shown.append(record.index) }
                }
                if d.kind == .remediation, let owner = d.remediationOwner, let due = d.remediationDue {
                    detail += lang.t(
                        " — giao \(l.officialName(owner)), hạn \(Layout.dateText(due))", " — to \(l.officialName(owner)), due \(Layout.dateText(due))"
                    )
                }
                return HTML.el(
                    "tr", [("class", "consequence"), ("data-kind", d.kind.rawValue), ("data-index", String(record.index))],
                    HTML.el("td", text: Layout.timeText(record.action.at)), HTML.el("td", text: l.officialName(record.action.actor.officialID)),
                    HTML.el("td", text: lang.t(d.kind.nameVi, d.kind.nameEn)), HTML.el("td", text: detail),
                    HTML.el("td", [("class", "optional")], text: restricted ? "—" : d.legalBasis))
            case .completeRemediation(let finding, let text) where finding == id:
                return HTML.el(
                    "tr", [("class", "consequence"), ("data-kind", "remediation-done"), ("data-index", String(record.index))],
                    HTML.el("td", text: Layout.timeText(record.action.at)), HTML.el("td", text: l.officialName(record.action.actor.officialID)),
                    HTML.el("td", text: lang.t("Hoàn thành khắc phục", "Remediation done")), HTML.el("td", text: text),
                    HTML.el("td", [("class", "optional")], text: ""))
            default:
                return nil
            }
        }
        if rows.isEmpty {
            out += HTML.el(
                "p", [("class", "muted"), ("id", "consequences-none")], text: lang.t("Chưa có quyết định xử lý.", "No consequence decided yet."))
        } else {
            out += HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "consequences")],
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Thời điểm", "When")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Người quyết định", "Decided by")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Hình thức", "Kind")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Nội dung", "What")),
                            HTML.el("th", [("scope", "col"), ("class", "optional")], text: lang.t("Căn cứ", "Legal basis")))),
                    HTML.el("tbody", [], children: rows)))
        }
        if let r = f.finding.consequences.remediation {
            let today = CivilDate(Date())
            let (key, vi, en): (String, String, String) =
                switch (r.doneOnTime, r.isLate(on: today)) {
                case (true?, _): ("on-time", "Khắc phục xong đúng hạn", "Remediation done on time")
                case (false?, _): ("late", "Khắc phục xong nhưng trễ hạn", "Remediation done late")
                case (nil, true): ("overdue", "Quá hạn khắc phục", "Remediation overdue")
                case (nil, false): ("pending", "Đang khắc phục", "Remediation under way")
                }
            out += HTML.el("p", [("id", "remediation-status"), ("data-status", key)], text: lang.t(vi, en))
        }
        let now = LiveLedger.nowMillis()
        for entry in shown { try await state.store.recordDisciplineView(DisciplineView(finding: id, viewer: me.id, entry: entry, at: now)) }
        if me.id == f.finding.official, f.finding.consequences.decided.contains(.discipline) {
            out += disciplineViews(try await state.store.disciplineViews(finding: id), layout: l)
        }
        let csrf = l.csrfField()
        let action = "/findings/" + Paths.segment(id)
        if mayReview && f.finding.status == .upheld && !f.finding.consequences.isClosed {
            out += decisionForm(f, action: action + "/consequence", csrf: csrf, layout: l)
        }
        if let r = f.finding.consequences.remediation, r.doneAt == nil, r.owner == me.id {
            out += HTML.el(
                "form", [("id", "remediation-form"), ("class", "card"), ("method", "post"), ("action", action + "/remediation")], csrf,
                HTML.el("label", [("for", "remediation-text")], text: lang.t("Kết quả khắc phục", "What was done")),
                HTML.el("textarea", [("id", "remediation-text"), ("name", "text"), ("required", "required")], text: ""),
                HTML.el("button", [("type", "submit")], text: lang.t("Báo cáo hoàn thành khắc phục", "Report the remediation done")))
        }
        return out
    }

    /// Who has been shown the official's discipline details, for the official concerned: each reader and when, newest first.
    func disciplineViews(_ views: [DisciplineView], layout l: Layout) -> HTML {
        let lang = l.lang
        let title = HTML.el("h3", [("id", "discipline-views-h")], text: lang.t("Ai đã xem thông tin kỷ luật", "Who has seen the discipline details"))
        guard !views.isEmpty else {
            return title
                + HTML.el(
                    "p", [("id", "discipline-views"), ("class", "muted"), ("data-count", "0")],
                    text: lang.t("Chưa ai ngoài bạn xem.", "Nobody but you has seen them."))
        }
        return title
            + HTML.el(
                "ul", [("id", "discipline-views"), ("data-count", String(views.count)), ("aria-labelledby", "discipline-views-h")],
                children: views.reversed().map { v in
                    HTML.el("li", [("data-viewer", v.viewer.rawValue)], text: l.officialName(v.viewer) + " — " + Layout.timeText(v.at))
                })
    }

    /// The form a head above the unit or an inspector decides the next consequence with: the rulebook's measures by kind;
    /// a remediation names an official of the unit and a date, a discipline its decision's number.
    private func decisionForm(_ f: StoredFinding, action: String, csrf: HTML, layout l: Layout) -> HTML {
        let lang = l.lang
        let measures = state.live.rulebook.consequenceMeasures
        let groups = ConsequenceKind.allCases.compactMap { kind -> HTML? in
            let rows = measures.filter { $0.kind == kind }
            guard !rows.isEmpty else { return nil }
            return HTML.el(
                "optgroup", [("label", lang.t(kind.nameVi, kind.nameEn))],
                children: rows.map { HTML.el("option", [("value", $0.code)], text: lang.t($0.nameVi, $0.nameEn)) })
        }
        let owners = OfficialOptions(organization: state.organization)
        return HTML.el(
            "form", [("id", "consequence-form"), ("class", "card"), ("method", "post"), ("action", action)], csrf,
            field(
                "consequence-measure", lang.t("Biện pháp", "Measure"),
                HTML.el("select", [("id", "consequence-measure"), ("name", "measure")], children: groups)),
            field(
                "consequence-text", lang.t("Nội dung quyết định", "What is decided"),
                HTML.el("textarea", [("id", "consequence-text"), ("name", "text"), ("required", "required")], text: "")),
            field(
                "consequence-decision", lang.t("Số quyết định (kỷ luật)", "Decision number (discipline)"),
                HTML.el("input", [("id", "consequence-decision"), ("name", "decisionNumber")])),
            field(
                "remediationOwner", lang.t("Người khắc phục (khắc phục)", "Remediation owner (remediation)"),
                owners.select(
                    name: "remediationOwner", id: "remediationOwner", selected: f.finding.official, excluding: nil,
                    scope: f.finding.unit.map { .subtree($0) } ?? .everyone)),
            field(
                "consequence-due", lang.t("Hạn khắc phục (khắc phục)", "Remediation due (remediation)"),
                HTML.el("input", [("id", "consequence-due"), ("name", "remediationDue"), ("type", "date")])),
            HTML.el("button", [("type", "submit")], text: lang.t("Ghi quyết định xử lý", "Record the decision")))
    }

    /// A consequence decided, or the remediation reported done, from the finding's page.
    func consequenceStep(_ request: Request, _ context: AppRequestContext, remediationDone: Bool) async throws -> Response {
        let measures = state.live.rulebook.consequenceMeasures
        return try await findingWorkflow(
            request, context,
            done: remediationDone
                ? Bilingual("Đã ghi hoàn thành khắc phục vào nhật ký xử lý.", "Remediation reported done on the ledger.")
                : Bilingual("Đã ghi quyết định xử lý vào nhật ký xử lý.", "Decision recorded on the ledger.")
        ) { form, id in
            if remediationDone { return .completeRemediation(finding: id, text: form["text"] ?? "") }
            func given(_ name: String) -> String? { form[name].flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 } }
            var due: CivilDate?
            if let text = given("remediationDue") {
                guard let day = try? CivilDate(iso: text) else {
                    throw RequestRefusal.invalid(
                        Bilingual("Hạn khắc phục không phải ngày (YYYY-MM-DD)", "remediationDue is not a date (YYYY-MM-DD)"), field: "remediationDue")
                }
                due = day
            }
            // The form posts every field; only those of the measure's kind are its decision's. The writer refuses a measure
            // the rulebook lacks, naming it.
            return .decideConsequence(
                ConsequenceDecision.requested(
                    finding: id, measure: given("measure") ?? "", text: form["text"] ?? "", decisionNumber: given("decisionNumber"),
                    remediationOwner: given("remediationOwner").map(OfficialID.init(rawValue:)), remediationDue: due, measures: measures))
        }
    }
}
