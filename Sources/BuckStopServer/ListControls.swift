import BuckStopAPI
import BuckStopDetectors
import BuckStopDomain
import BuckStopStore
import Hummingbird

/// The findings list's filters and page, read from the query string (`detector`, `status`, `page`), so a head can
/// narrow a long list, page through it, and keep both in the address (and in the CSV link).
struct FindingFilter: Sendable, Equatable {
    static let pageSize = 20

    var path: String
    var detector: String?
    /// `open` (awaiting an explanation or a review: the default), `upheld`, `dismissed` or `all`.
    var status: String
    var page: Int
    /// What `open` means on this page: awaiting an explanation or a review for those who review (the default), only
    /// awaiting an explanation in the inbox of the official who owes it.
    var awaiting: [FindingStatus]
    /// The section's anchor (`#my-findings`), kept by the pager and the filter form so a page below other lists
    /// opens at the findings, not at the top.
    var fragment: String?

    init(path: String, detector: String? = nil, status: String = "open", page: Int = 1, awaiting: [FindingStatus] = [.open, .explained]) {
        self.path = path
        self.detector = detector
        self.status = status
        self.page = page
        self.awaiting = awaiting
    }

    /// Unknown values fall back to no filter and page 1: a hand-edited address still shows a page.
    init(_ request: Request, path: String, awaiting: [FindingStatus] = [.open, .explained]) {
        let q = request.uri.queryParameters
        let detector = q.get("detector").flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            path: path, detector: detector.flatMap { d in DetectorID(rawValue: d) == nil ? nil : d },
            status: q.get("status").flatMap { ["open", "upheld", "dismissed", "all"].contains($0) ? $0 : nil } ?? "open",
            page: q.get("page").flatMap(Int.init).map { max(1, min($0, 100_000)) } ?? 1, awaiting: awaiting)
    }

    var statuses: [FindingStatus]? {
        switch status {
        case "upheld": [.upheld]
        case "dismissed": [.dismissed]
        case "all": nil
        default: awaiting
        }
    }

    func query(units: [UnitID]) -> FindingQuery {
        FindingQuery(
            units: units, statuses: statuses, detector: detector, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
    }

    func query(official: OfficialID) -> FindingQuery {
        FindingQuery(
            official: official, statuses: statuses, detector: detector, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
    }

    /// `&detector=…&status=…` for links that keep the filters.
    var queryTail: String {
        var tail = "&status=" + status
        if let detector { tail += "&detector=" + detector }
        return tail
    }

    func link(page: Int) -> String { path + "?page=\(page)" + queryTail + (fragment.map { "#" + $0 } ?? "") }

    func form(detectors: [(id: String, name: String)], lang: Language, idPrefix: String) -> HTML {
        let awaitingName =
            awaiting == [.open]
            ? lang.t("Chờ tôi giải trình", "Awaiting my explanation") : lang.t("Chờ giải trình, kết luận", "Awaiting explanation or review")
        let statusChoices = [
            ("open", awaitingName), ("upheld", lang.t("Đã giữ nguyên", "Upheld")),
            ("dismissed", lang.t("Đã bác bỏ", "Dismissed")), ("all", lang.t("Tất cả", "All")),
        ]
        return HTML.el(
            "form",
            [("id", "\(idPrefix)-findings-filter"), ("class", "filters"), ("method", "get"), ("action", path + (fragment.map { "#" + $0 } ?? ""))],
            HTML.el("label", [("for", "\(idPrefix)-filter-detector")], text: lang.t("Hành vi", "Behaviour")),
            HTML.el(
                "select", [("id", "\(idPrefix)-filter-detector"), ("name", "detector")],
                children: [HTML.el("option", [("value", "")], text: lang.t("Tất cả", "All"))]
                    + detectors.map { d in
                        HTML.el("option", [("value", d.id), ("selected", d.id == detector ? "selected" : nil)], text: d.name)
                    }),
            HTML.el("label", [("for", "\(idPrefix)-filter-status")], text: lang.t("Trạng thái", "Status")),
            HTML.el(
                "select", [("id", "\(idPrefix)-filter-status"), ("name", "status")],
                children: statusChoices.map { c in
                    HTML.el("option", [("value", c.0), ("selected", c.0 == status ? "selected" : nil)], text: c.1)
                }),
            HTML.el("button", [("type", "submit"), ("class", "secondary")], text: lang.t("Lọc", "Filter")))
    }

    /// "Trang 2/5" with the way back and forward, saying how many there are in all.
    func pager(total: Int, lang: Language, idPrefix: String) -> HTML {
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        var parts: [HTML] = []
        if page > 1 { parts.append(HTML.el("a", [("rel", "prev"), ("href", link(page: page - 1))], text: lang.t("← Trang trước", "← Previous"))) }
        parts.append(
            HTML.el(
                "span", [("class", "muted")],
                text: lang.t(
                    " Trang \(min(page, pages))/\(pages) · \(total) phát hiện ", " Page \(min(page, pages)) of \(pages) · \(total) findings ")))
        if page < pages { parts.append(HTML.el("a", [("rel", "next"), ("href", link(page: page + 1))], text: lang.t("Trang sau →", "Next →"))) }
        return HTML.el("nav", [("id", "\(idPrefix)-findings-pages"), ("class", "pager"), ("aria-label", lang.t("Trang", "Pages"))], children: parts)
    }
}

/// RFC 4180 text for a spreadsheet: a byte-order mark so Excel reads UTF-8, cells quoted when they need it, and a
/// cell that would start a formula (=, +, -, @) prefixed with an apostrophe so an export never runs as one.
enum CSVTable {
    static func text(_ rows: [[String]]) -> String {
        var out = "\u{FEFF}"
        for row in rows {
            out += row.map(cell).joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
