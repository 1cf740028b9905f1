import BuckStopAPI
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopReport
import BuckStopStore
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Số liệu công khai: the page for oversight bodies and the press (HĐND, MTTQ, báo chí), no login — per body and period,
/// how many cases were received and settled on time, complaints about it, findings upheld by behaviour; the same as
/// open data (CSV, JSON) with a data dictionary. Counts only (`PublicFigures`: no name, no case code, small counts
/// suppressed), computed once per period and ledger size and kept (`PublicFiguresCache`), sent with a public cache
/// lifetime so a proxy in front can serve it.
struct PublicPages {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/public") { request, context in try await page(request, context) }
        router.get("/public/data.csv") { request, context in try await data(request, context, csv: true) }
        router.get("/public/data.json") { request, context in try await data(request, context, csv: false) }
        router.get("/public/dictionary") { request, context in dictionary(request, context) }
    }

    /// Seconds a browser or proxy may keep a public answer: the figures move with the ledger, not by the second.
    static let maxAge = 300

    /// The period asked for (from, to; YYYY-MM-DD), by default this year to today; a period of more than 5 years is
    /// refused (it would read everything for nothing a person can use).
    static func period(_ request: Request, today: CivilDate) throws -> (from: CivilDate, to: CivilDate) {
        let query = request.uri.queryParameters
        return try PeriodQuery.parse(from: query["from"].map(String.init), to: query["to"].map(String.init), today: today)
    }

    func figures(from: CivilDate, to: CivilDate) async throws -> PublicFigures {
        let store = state.store
        let key = PublicFiguresCache.Key(store: ObjectIdentifier(store as AnyObject), from: from, to: to, ledger: try await store.ledgerSize())
        if let hit = PublicFiguresCache.shared.figures(key) { return hit }
        let start = Int64(from.startInstant().timeIntervalSince1970 * 1000)
        let end = Int64(to.adding(days: 1).startInstant().timeIntervalSince1970 * 1000)
        var cases: [CaseState] = []
        for kind in PublicFigures.publicKinds.sorted(by: { $0.rawValue < $1.rawValue }) {
            cases += try await store.cases(kind: kind, procedure: .any, openedFrom: start, openedBefore: end, statuses: nil, limit: 10_000_000)
        }
        let upheld = try await store.findings(FindingQuery(statuses: [.upheld], limit: Int.max)).findings.map { ($0.finding, $0.observedAt) }
        // The QĐ 766 index by body, as the report and the API compute it; suppressed and scored by PublicFigures.
        let index = try await ServiceIndexSource(state: state).index(ReportScope(from: from, to: to))
        var counts: [UnitID: PublicFigures.IndexCounts] = [:]
        for u in index.units {
            counts[UnitID(u.key)] = PublicFigures.IndexCounts(settled: u.settled, onTime: u.onTime, ratings: u.ratings, satisfied: u.satisfied)
        }
        let made = PublicFigures(
            cases: cases, upheld: upheld, organization: state.organization, from: from, to: to, today: CivilDate(Date()),
            minimumCount: Int(state.live.rulebook.threshold(.publicMinimumCount) ?? 5), index: counts,
            indexGroups: state.live.rulebook.serviceIndex)
        PublicFiguresCache.shared.keep(key, made)
        return made
    }

    static func publicHeaders(_ response: inout Response) {
        response.headers[.cacheControl] = "public, max-age=\(maxAge)"
    }

    /// A published cell: a count (perhaps suppressed), or a figure derived from counts — a percentage, an index score —
    /// which is nil when it is not published (a base suppressed or zero).
    enum Cell {
        case count(PublicFigures.Count)
        case derived(Double?, decimals: Int)
    }

    /// One column of the table and of the open data: key, Vietnamese, English, what it means, and its cell in a row.
    struct Column {
        var key: String
        var vi: String
        var en: String
        var meaning: String
        var cell: (PublicFigures.Row) -> Cell
    }

    /// The columns, in order; the QĐ 766 index's score columns are the rulebook's measured groups.
    static func columns(_ groups: [ServiceIndexGroup]) -> [Column] {
        func percent(_ x: Int?) -> Cell { .derived(x.map(Double.init), decimals: 0) }
        var columns = [
            Column(
                key: "received", vi: "Hồ sơ tiếp nhận", en: "Cases received",
                meaning: "Hồ sơ, khiếu nại, tố cáo, kiến nghị do cơ quan chủ trì, tiếp nhận trong kỳ", cell: { .count($0.received) }),
            Column(
                key: "settled", vi: "Đã giải quyết", en: "Settled", meaning: "Trong số đó, đã có kết quả (đã giải quyết hoặc đã đóng)",
                cell: { .count($0.settled) }),
            Column(
                key: "settled_on_time", vi: "Giải quyết đúng hạn", en: "Settled on time", meaning: "Đã giải quyết không muộn hơn hạn giải quyết",
                cell: { .count($0.settledOnTime) }),
            Column(
                key: "on_time_percent", vi: "Tỷ lệ đúng hạn (%)", en: "On time (%)",
                meaning: "Giải quyết đúng hạn trên đã giải quyết; để trống khi một trong hai số bị ẩn hoặc bằng 0",
                cell: { percent($0.onTimePercent) }),
            Column(
                key: "open_overdue", vi: "Đang quá hạn", en: "Open past due", meaning: "Tiếp nhận trong kỳ, chưa giải quyết, đã quá hạn",
                cell: { .count($0.openOverdue) }),
            Column(
                key: "complaints", vi: "Khiếu nại, tố cáo liên quan", en: "Complaints and denunciations about it",
                meaning: "Khiếu nại, tố cáo tiếp nhận trong kỳ về cơ quan hoặc cán bộ của cơ quan", cell: { .count($0.complaints) }),
            Column(
                key: "complaints_settled_on_time", vi: "Trong đó giải quyết đúng hạn", en: "Of them settled on time",
                meaning: "Khiếu nại, tố cáo liên quan đã giải quyết đúng hạn", cell: { .count($0.complaintsSettledOnTime) }),
            Column(
                key: "index_settled", vi: "Hồ sơ TTHC giải quyết xong (QĐ 766)", en: "Dossiers settled (Decision 766)",
                meaning:
                    "Hồ sơ thủ tục hành chính do cơ quan chủ trì, giải quyết xong trong kỳ (theo ngày giải quyết): cơ sở của điểm tiến độ theo Quyết định 766/QĐ-TTg",
                cell: { .count($0.indexSettled) }),
            Column(
                key: "ratings", vi: "Lượt đánh giá của người dân", en: "Citizens' ratings",
                meaning: "Lượt đánh giá (1–5) người dân gửi trong kỳ về hồ sơ thủ tục hành chính của cơ quan: cỡ mẫu của tỷ lệ hài lòng",
                cell: { .count($0.ratings) }),
            Column(
                key: "satisfied_percent", vi: "Tỷ lệ hài lòng (%)", en: "Satisfied (%)",
                meaning: "Lượt đánh giá đạt mức hài lòng của Bộ quy tắc trên tổng lượt đánh giá; để trống khi một trong hai số bị ẩn hoặc bằng 0",
                cell: { percent($0.satisfiedPercent) }),
        ]
        for g in groups where g.measure != nil {
            let code = g.code
            columns.append(
                Column(
                    key: "index_" + code.replacingOccurrences(of: "-", with: "_"),
                    vi: "Điểm \(g.nameVi.lowercased()) (tối đa \(Self.points(g.points)))",
                    en: "\(g.nameEn) score (of \(Self.points(g.points)))",
                    meaning:
                        "Điểm nhóm “\(g.nameVi)” (\(g.source)) theo cách tính của BuckStop: điểm tối đa nhân tỷ lệ; để trống khi tỷ lệ không được công bố",
                    cell: { .derived($0.indexScores[code], decimals: 1) }))
        }
        return columns
    }

    static func points(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }

    var columns: [Column] { Self.columns(state.live.rulebook.serviceIndex) }

    /// A cell as the page shows it: a count or "<k", a derived figure or "—".
    static func text(_ cell: Cell, k: Int, percent: Bool) -> String {
        switch cell {
        case .count(let c): text(c, k: k)
        case .derived(let x?, let decimals): String(format: "%.\(decimals)f", x) + (percent ? " %" : "")
        case .derived(nil, _): "—"
        }
    }

    /// A cell as the CSV has it: the number, or empty when not published.
    static func csv(_ cell: Cell) -> String {
        switch cell {
        case .count(let c): c.number.map(String.init) ?? ""
        case .derived(let x?, let decimals): decimals == 0 ? String(Int(x)) : String(format: "%.\(decimals)f", x)
        case .derived(nil, _): ""
        }
    }

    /// A cell as the JSON has it: the number, or null when not published.
    static func json(_ cell: Cell) -> Any {
        switch cell {
        case .count(let c): c.number.map { $0 as Any } ?? NSNull()
        case .derived(let x?, let decimals): decimals == 0 ? Int(x) as Any : x as Any
        case .derived(nil, _): NSNull()
        }
    }

    static func text(_ count: PublicFigures.Count, k: Int) -> String {
        switch count {
        case .value(let n): String(n)
        case .suppressed: "<\(k)"
        }
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let l = Layout(state: state, context: context, path: "/public")
        let lang = context.language
        let (from, to) = try Self.period(request, today: CivilDate(Date()))
        let f = try await figures(from: from, to: to)
        let k = f.minimumCount
        let query = "from=\(from)&to=\(to)"
        var body = HTML.el(
            "p", [("class", "muted")],
            text: lang.t(
                "Số liệu tổng hợp theo cơ quan từ nhật ký xử lý của BuckStop, dành cho Hội đồng nhân dân, Mặt trận Tổ quốc, báo chí và người dân. Không có thông tin cá nhân; các số từ 1 đến \(k - 1) được ẩn (ghi <\(k)). Phát hiện chỉ tính những phát hiện đã được kết luận là đúng.",
                "Figures by body from BuckStop's ledger, for elected councils, the Fatherland Front, the press and the public. No personal data; counts from 1 to \(k - 1) are suppressed (shown <\(k)). Findings count only those upheld on review."
            ))
        body += HTML.el(
            "form", [("class", "filters"), ("method", "get"), ("action", "/public")],
            HTML.el("label", [("for", "public-from")], text: lang.t("Từ ngày", "From")),
            HTML.el("input", [("id", "public-from"), ("name", "from"), ("type", "date"), ("value", from.description)]),
            HTML.el("label", [("for", "public-to")], text: lang.t("Đến ngày", "To")),
            HTML.el("input", [("id", "public-to"), ("name", "to"), ("type", "date"), ("value", to.description)]),
            HTML.el("button", [("type", "submit"), ("class", "secondary")], text: lang.t("Xem", "Show")))
        let columns = self.columns
        let header = [lang.t("Cơ quan", "Body")] + columns.map { lang.t($0.vi, $0.en) }
        body += HTML.el("h2", [("id", "public-bodies-h")], text: lang.t("Giải quyết hồ sơ theo cơ quan", "Cases by body"))
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "public-bodies"), ("aria-labelledby", "public-bodies-h")],
                HTML.el("thead", [], HTML.el("tr", [], children: header.map { HTML.el("th", [("scope", "col")], text: $0) })),
                HTML.el(
                    "tbody", [],
                    children: f.rows.map { row in
                        let cells = columns.map { c in
                            HTML.el("td", [("data-col", c.key)], text: Self.text(c.cell(row), k: k, percent: c.key.hasSuffix("_percent")))
                        }
                        return HTML.el(
                            "tr", [("data-body", row.body.rawValue)],
                            children: [HTML.el("th", [("scope", "row")], text: l.unitName(row.body))] + cells)
                    })))
        let detectors = DetectorID.allCases.filter { d in f.rows.contains { $0.upheld[d.rawValue] != nil } }
        body += HTML.el("h2", [("id", "public-findings-h")], text: lang.t("Hành vi được xác nhận theo cơ quan", "Upheld behaviours by body"))
        if detectors.isEmpty {
            body += HTML.el(
                "p", [("class", "muted"), ("id", "public-findings-none")],
                text: lang.t("Không có phát hiện được xác nhận trong kỳ.", "No upheld finding in the period."))
        } else {
            body += HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "public-findings"), ("aria-labelledby", "public-findings-h")],
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [],
                            children: [HTML.el("th", [("scope", "col")], text: lang.t("Cơ quan", "Body"))]
                                + detectors.map { HTML.el("th", [("scope", "col")], text: lang == .vi ? $0.nameVi : $0.nameEn) })),
                    HTML.el(
                        "tbody", [],
                        children: f.rows.filter { !$0.upheld.isEmpty }.map { row in
                            HTML.el(
                                "tr", [("data-body", row.body.rawValue)],
                                children: [HTML.el("th", [("scope", "row")], text: l.unitName(row.body))]
                                    + detectors.map { d in
                                        HTML.el("td", [("data-col", d.rawValue)], text: row.upheld[d.rawValue].map { Self.text($0, k: k) } ?? "0")
                                    })
                        })))
        }
        body += HTML.el(
            "p", [("id", "public-downloads")], HTML.text(lang.t("Dữ liệu mở: ", "Open data: ")),
            HTML.el("a", [("href", "/public/data.csv?" + query)], text: "CSV"), HTML.text(" · "),
            HTML.el("a", [("href", "/public/data.json?" + query)], text: "JSON"), HTML.text(" · "),
            HTML.el("a", [("href", "/public/dictionary")], text: lang.t("Mô tả dữ liệu", "Data dictionary")))
        var response = l.page(lang.t("Số liệu công khai", "Public figures"), request: request, body)
        Self.publicHeaders(&response)
        return response
    }

    func data(_ request: Request, _ context: AppRequestContext, csv: Bool) async throws -> Response {
        let (from, to) = try Self.period(request, today: CivilDate(Date()))
        let f = try await figures(from: from, to: to)
        let org = state.organization
        let columns = self.columns
        let detectors = DetectorID.allCases.map(\.rawValue)
        var headers = HTTPFields()
        let buffer: ByteBuffer
        if csv {
            let header = ["from", "to", "body", "body_name"] + columns.map(\.key) + detectors.map { "upheld_" + $0 }
            let rows = f.rows.map { row -> [String] in
                let counts = columns.map { Self.csv($0.cell(row)) }
                return [from.description, to.description, row.body.rawValue, org.unit(row.body)?.name ?? row.body.rawValue] + counts
                    + detectors.map { row.upheld[$0].map { $0.number.map(String.init) ?? "" } ?? "0" }
            }
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"buckstop-public-\(from)-\(to).csv\""
            buffer = ByteBuffer(string: CSVTable.text([header] + rows))
        } else {
            func value(_ c: PublicFigures.Count) -> Any { c.number.map { $0 as Any } ?? NSNull() }
            let bodies: [Any] = f.rows.map { row in
                var o: [String: Any] = ["body": row.body.rawValue, "bodyName": org.unit(row.body)?.name ?? row.body.rawValue]
                for c in columns { o[Self.camel(c.key)] = Self.json(c.cell(row)) }
                o["upheld"] = Dictionary(uniqueKeysWithValues: row.upheld.map { ($0.key, value($0.value)) })
                return o
            }
            let document: [String: Any] = [
                "from": from.description, "to": to.description, "minimumCount": f.minimumCount,
                "suppressed": "null: a count from 1 to minimumCount - 1, not published", "dictionary": "/public/dictionary", "bodies": bodies,
            ]
            var b = ByteBuffer()
            try JSONWriter.write(document, into: &b)
            headers[.contentType] = "application/json; charset=utf-8"
            buffer = b
        }
        var response = Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
        Self.publicHeaders(&response)
        return response
    }

    static func camel(_ key: String) -> String {
        let parts = key.split(separator: "_")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    func dictionary(_ request: Request, _ context: AppRequestContext) -> Response {
        let l = Layout(state: state, context: context, path: "/public/dictionary")
        let lang = context.language
        let k = Int(state.live.rulebook.threshold(.publicMinimumCount) ?? 5)
        var rows: [(String, String, String)] = [
            ("from, to", "YYYY-MM-DD", lang.t("Kỳ số liệu (theo ngày tiếp nhận)", "The period (by day received)")),
            ("body", lang.t("mã", "id"), lang.t("Mã cơ quan (sở, ngành, UBND cấp xã…)", "The body's id (department, ward…)")),
            ("body_name", lang.t("chữ", "text"), lang.t("Tên cơ quan", "The body's name")),
        ]
        rows += columns.map { ($0.key, lang.t("số", "number"), lang.t($0.meaning, $0.en)) }
        rows += DetectorID.allCases.map {
            (
                "upheld_" + $0.rawValue, lang.t("số", "number"),
                lang.t("Phát hiện được xác nhận: ", "Upheld findings: ") + (lang == .vi ? $0.nameVi : $0.nameEn)
            )
        }
        var body = HTML.el(
            "p", [("id", "dictionary-suppression")],
            text: lang.t(
                "Ô để trống (CSV) hoặc null (JSON): số từ 1 đến \(k - 1), không công bố để không chỉ ra một người cụ thể. Số 0 được công bố.",
                "An empty cell (CSV) or null (JSON): a count from 1 to \(k - 1), not published so that no one person can be pointed at. Zero is published."
            ))
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "dictionary")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Trường", "Field")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Kiểu", "Type")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Ý nghĩa", "Meaning")))),
                HTML.el(
                    "tbody", [],
                    children: rows.map { key, type, meaning in
                        HTML.el(
                            "tr", [("data-field", key)], HTML.el("td", [], HTML.el("code", text: key)), HTML.el("td", text: type),
                            HTML.el("td", text: meaning))
                    })))
        var response = l.page(lang.t("Mô tả dữ liệu mở", "Open data dictionary"), request: request, body)
        Self.publicHeaders(&response)
        return response
    }
}

/// The public figures per store, period and ledger size: any append changes the size, so a kept answer is always what
/// computing it again would give. Bounded: past `limit` answers it starts over.
final class PublicFiguresCache: Sendable {
    struct Key: Hashable, Sendable {
        var store: ObjectIdentifier
        var from: CivilDate
        var to: CivilDate
        var ledger: Int64
    }

    static let shared = PublicFiguresCache(limit: 64)
    let limit: Int
    private let kept = Mutex<[Key: PublicFigures]>([:])

    init(limit: Int) { self.limit = limit }

    func figures(_ key: Key) -> PublicFigures? { kept.withLock { $0[key] } }

    func keep(_ key: Key, _ figures: PublicFigures) {
        kept.withLock { table in
            if table.count >= limit { table.removeAll(keepingCapacity: true) }
            table[key] = figures
        }
    }
}
