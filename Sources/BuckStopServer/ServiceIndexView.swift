import BuckStopAPI
import BuckStopDomain
import BuckStopReport

/// The QĐ 766 index on a page (the head's record): each group of the rulebook with its points, how it is measured, the
/// share and its base, and the score — or "not computable from BuckStop's record" — then the figures per unit below.
/// The same numbers as the period report's tables 5–6 and `GET /api/v1/index`.
enum ServiceIndexView {
    static func share(_ x: Double?, _ lang: Language) -> String {
        guard let x else { return "—" }
        let text = String(format: "%.1f", x * 100)
        return (lang == .vi ? text.replacingOccurrences(of: ".", with: ",") : text) + "%"
    }

    static func points(_ x: Double?, _ lang: Language) -> String {
        guard let x else { return "—" }
        let text = String(format: "%.1f", x)
        return lang == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    static func section(_ index: PeriodReport.ServiceIndex, id: String, _ l: Layout) -> HTML {
        let lang = l.lang
        func th(_ vi: String, _ en: String) -> HTML { HTML.el("th", [("scope", "col")], text: lang.t(vi, en)) }
        func num(_ text: String) -> HTML { HTML.el("td", [("class", "num")], text: text) }
        let groups = HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "\(id)-groups")],
                HTML.el(
                    "caption",
                    text: lang.t(
                        "Các nhóm chỉ số, điểm tối đa theo Quyết định 766/QĐ-TTg và kết quả tính từ sổ xử lý",
                        "The index's groups, their points under Decision 766/QĐ-TTg and what the record gives")),
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], th("Nhóm chỉ số", "Group"), th("Điểm tối đa", "Points"), th("Cách tính", "Measure"),
                        th("Kết quả", "Result"), th("Điểm", "Score"), th("Nguồn", "Source"))),
                HTML.el(
                    "tbody", [],
                    children: index.groups.map { g in
                        let measure: String
                        var result = "—"
                        switch g.group.measure {
                        case .onTimeShare?:
                            measure = lang.t("Tỷ lệ hồ sơ giải quyết đúng hạn", "Share of dossiers settled on time")
                            if g.share != nil {
                                result = lang.t("\(share(g.share, lang)) của \(g.base) hồ sơ", "\(share(g.share, lang)) of \(g.base) dossiers")
                            }
                        case .satisfiedShare?:
                            let from = g.group.satisfiedFrom ?? 0
                            measure = lang.t("Tỷ lệ đánh giá từ mức \(from)/5", "Share of ratings of \(from)/5 or more")
                            if g.share != nil {
                                result = lang.t("\(share(g.share, lang)) của \(g.base) lượt", "\(share(g.share, lang)) of \(g.base) ratings")
                            }
                        case nil:
                            measure = lang.t("Không tính được từ sổ xử lý của BuckStop", "Not computable from BuckStop's record")
                        }
                        return HTML.el(
                            "tr", [("data-group", g.group.code)], HTML.el("th", [("scope", "row")], text: lang.t(g.group.nameVi, g.group.nameEn)),
                            num(points(g.group.points, lang)), HTML.el("td", text: measure), HTML.el("td", text: result),
                            num(points(g.score, lang)), HTML.el("td", [("class", "muted")], text: "\(g.group.source) (\(g.group.status))"))
                    })))
        guard !index.units.isEmpty else { return groups }
        let units = HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "\(id)-units")],
                HTML.el("caption", text: lang.t("Tiến độ và mức độ hài lòng theo đơn vị", "Progress and satisfaction by unit")),
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], th("Đơn vị", "Unit"), th("Giải quyết xong", "Settled"), th("Tỷ lệ đúng hạn", "On time"),
                        th("Quá hạn", "Late"), th("Quá hạn có xin lỗi", "Late with an apology"),
                        th("Bổ sung hơn 1 lần", "Supplements more than once"),
                        th("Lượt đánh giá", "Ratings"), th("Tỷ lệ hài lòng", "Satisfied"))),
                HTML.el(
                    "tbody", [],
                    children: index.units.map { u in
                        HTML.el(
                            "tr", [("data-unit", u.key)], HTML.el("th", [("scope", "row")], text: l.unitName(UnitID(u.key))),
                            num(String(u.settled)), num(share(u.onTimeShare, lang)), num(String(u.late)), num(String(u.lateWithApology)),
                            num(String(u.repeatedSupplements)), num(String(u.ratings)), num(share(u.satisfiedShare, lang)))
                    })))
        return groups + units
    }
}
