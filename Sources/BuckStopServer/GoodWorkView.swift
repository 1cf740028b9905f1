import BuckStopAPI
import BuckStopDomain

/// Counting the good on the pages: an official's good deeds with what each is worth under the rulebook's points scheme,
/// and the scheme itself with its source and status — shown wherever findings about people are, so that a page about a
/// person is never only a list of faults.
struct GoodWorkView {
    let layout: Layout
    var lang: Language { layout.lang }
    var rules: [GoodWorkRule] { layout.state.live.rulebook.goodWork }

    /// One official's (or a unit's) deeds: each with its count and points, and the total; "none yet" when there are none.
    func deeds(_ deeds: [GoodDeed: Int], id: String) -> HTML {
        let points = GoodWorkTally.points(deeds, rules: rules)
        let items = GoodDeed.allCases.compactMap { deed -> HTML? in
            guard let n = deeds[deed], n > 0 else { return nil }
            let worth = rules.first { $0.deed == deed }.map { $0.points * n } ?? 0
            return HTML.el(
                "li", [("data-deed", deed.rawValue), ("data-count", String(n))],
                text: lang.t("\(deed.nameVi): \(n) lần (\(worth) điểm)", "\(deed.nameEn): \(n) (\(worth) points)"))
        }
        guard !items.isEmpty else {
            return HTML.el(
                "p", [("id", id), ("data-points", "0")], text: lang.t("Chưa ghi nhận việc làm tốt nào.", "No good deed recorded yet."))
        }
        return HTML.el(
            "div", [("id", id), ("data-points", String(points))],
            HTML.el("p", [], HTML.el("strong", text: lang.t("\(points) điểm việc làm tốt", "\(points) good-work points"))),
            HTML.el("ul", [], children: items))
    }

    /// The scheme in force: each deed's points and the rule that sets them.
    func scheme() -> HTML {
        HTML.el(
            "p", [("class", "muted"), ("id", "good-work-scheme")],
            text: lang.t(
                "Điểm việc làm tốt (đọc từ nhật ký xử lý; mức điểm là mặc định do cơ quan quy định, không phải quy định của luật): ",
                "Good-work points (read from the ledger; the points are a default each agency sets, not law): ")
                + rules.map { r in
                    lang.t("\(r.deed.nameVi) \(r.points) — \(r.source) [\(r.status)]", "\(r.deed.nameEn) \(r.points) — \(r.source) [\(r.status)]")
                }.joined(separator: "; "))
    }
}
