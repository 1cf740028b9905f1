import BuckStopCalendar
import BuckStopDomain
import BuckStopStore

/// What the roll-up page of a report request (yêu cầu báo cáo) adds: the template asked for, and the requester's matrix —
/// agencies × where each submission stands, what came late and what is still missing, with the official who holds each
/// — and the figures of the accepted reports added up. The numbers are `ReportMatrix`'s, as the API and the command line
/// give them.
extension ProgrammePages {
    func reportRequest(_ matrix: ReportMatrix, template: ReportTemplate, _ l: Layout) -> HTML {
        let lang = l.lang
        var out = HTML.el(
            "section", [("aria-labelledby", "matrix-h")], HTML.el("h2", [("id", "matrix-h")], text: lang.t("Tình hình gửi báo cáo", "Submissions")),
            HTML.el("p", [("id", "matrix-summary"), ("class", "summary")], text: lang.t(matrix.summaryVi, matrix.summaryEn)),
            HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "report-matrix")],
                    HTML.el("caption", text: lang.t("Cơ quan được yêu cầu và tình trạng báo cáo", "Agencies asked and where each report stands")),
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Cơ quan", "Agency")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Tình trạng", "Status")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Người chịu trách nhiệm", "Accountable official")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Hạn", "Due")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Ngày gửi", "Sent on")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Đúng hạn?", "On time?")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Số lần trả lại", "Returned")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Số văn bản", "Report no.")))),
                    HTML.el("tbody", [], children: matrix.rows.map { row($0, l) }))))
        out += HTML.el(
            "section", [("aria-labelledby", "template-h")],
            HTML.el("h2", [("id", "template-h")], text: lang.t("Đề cương báo cáo", "Report template")),
            HTML.el("ol", [("id", "template-sections")], children: template.sections.map { HTML.el("li", text: $0) }),
            figures(template, totals: matrix.acceptedTotals, accepted: matrix.count(.accepted), l))
        return out
    }

    private func row(_ r: ReportMatrix.Row, _ l: Layout) -> HTML {
        let lang = l.lang
        let timeliness: String
        if r.missing {
            timeliness = lang.t("Chưa gửi, quá hạn", "Not sent, overdue")
        } else if r.late {
            timeliness = lang.t("Gửi muộn", "Sent late")
        } else if r.firstSent != nil {
            timeliness = lang.t("Đúng hạn", "On time")
        } else {
            timeliness = lang.t("Chưa đến hạn", "Not yet due")
        }
        return HTML.el(
            "tr",
            [
                ("data-agency", r.agency.rawValue), ("data-case", r.task.id.rawValue), ("data-status", r.status.rawValue),
                ("data-late", r.late ? "true" : nil), ("data-missing", r.missing ? "true" : nil),
            ],
            HTML.el("th", [("scope", "row")], text: l.unitName(r.agency)),
            HTML.el("td", [], l.caseLink(r.task.id), HTML.text(" " + lang.t(r.status.nameVi, r.status.nameEn))),
            HTML.el("td", text: r.task.owner.map { "\(l.officialName($0)) (\($0.rawValue))" } ?? "—"),
            HTML.el("td", text: Layout.dateText(r.task.dueDate)),
            HTML.el("td", text: r.firstSent.map { Layout.dateText($0) } ?? "—"),
            HTML.el("td", [("class", r.missing || r.late ? "late" : nil)], text: timeliness),
            HTML.el("td", [("class", "num")], text: String(r.returns)),
            HTML.el("td", text: r.document ?? "—"))
    }

    private func figures(_ template: ReportTemplate, totals: [String: Int], accepted: Int, _ l: Layout) -> HTML {
        let lang = l.lang
        guard !template.figures.isEmpty else { return "" }
        return HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "report-figures")],
                HTML.el(
                    "caption",
                    text: lang.t(
                        "Chỉ tiêu số liệu, cộng từ \(accepted) báo cáo đã tiếp nhận", "Figures asked for, added up over \(accepted) accepted reports")
                ),
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Mã", "Code")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Chỉ tiêu", "Figure")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Tổng", "Total")))),
                HTML.el(
                    "tbody", [],
                    children: template.figures.map { f in
                        HTML.el(
                            "tr", [("data-figure", f.code)], HTML.el("td", text: f.code), HTML.el("td", text: f.label),
                            HTML.el("td", [("class", "num")], text: String(totals[f.code] ?? 0)))
                    })))
    }
}
