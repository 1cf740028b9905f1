import BuckStopAPI
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
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
        func day(_ name: String, _ fallback: CivilDate) throws -> CivilDate {
            guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return fallback }
            guard let d = try? CivilDate(iso: text) else {
                throw RequestRefusal.invalid(Bilingual("\(name) không phải ngày (YYYY-MM-DD)", "\(name) is not a date (YYYY-MM-DD)"), field: name)
            }
            return d
        }
        let from = try day("from", CivilDate(year: today.year, month: 1, day: 1) ?? today)
        let to = try day("to", today)
        guard from <= to else { throw RequestRefusal.invalid(Bilingual("Từ ngày sau đến ngày", "from is after to"), field: "from") }
        guard to - from <= 5 * 366 else {
            throw RequestRefusal.invalid(Bilingual("Kỳ số liệu dài quá 5 năm", "the period is longer than 5 years"), field: "to")
        }
        return (from, to)
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
        let made = PublicFigures(
            cases: cases, upheld: upheld, organization: state.organization, from: from, to: to, today: CivilDate(Date()),
            minimumCount: Int(state.live.rulebook.threshold(.publicMinimumCount) ?? 5))
        PublicFiguresCache.shared.keep(key, made)
        return made
    }

    static func publicHeaders(_ response: inout Response) {
        response.headers[.cacheControl] = "public, max-age=\(maxAge)"
    }

    /// The columns of the table and of the open data, in order: key, Vietnamese, English, what it means.
    static let columns: [(key: String, vi: String, en: String, meaning: String)] = [
        ("received", "Hồ sơ tiếp nhận", "Cases received", "Hồ sơ, khiếu nại, tố cáo, kiến nghị do cơ quan chủ trì, tiếp nhận trong kỳ"),
        ("settled", "Đã giải quyết", "Settled", "Trong số đó, đã có kết quả (đã giải quyết hoặc đã đóng)"),
        ("settled_on_time", "Giải quyết đúng hạn", "Settled on time", "Đã giải quyết không muộn hơn hạn giải quyết"),
        (
            "on_time_percent", "Tỷ lệ đúng hạn (%)", "On time (%)",
            "Giải quyết đúng hạn trên đã giải quyết; để trống khi một trong hai số bị ẩn hoặc bằng 0"
        ),
        ("open_overdue", "Đang quá hạn", "Open past due", "Tiếp nhận trong kỳ, chưa giải quyết, đã quá hạn"),
        (
            "complaints", "Khiếu nại, tố cáo liên quan", "Complaints and denunciations about it",
            "Khiếu nại, tố cáo tiếp nhận trong kỳ về cơ quan hoặc cán bộ của cơ quan"
        ),
        (
            "complaints_settled_on_time", "Trong đó giải quyết đúng hạn", "Of them settled on time",
            "Khiếu nại, tố cáo liên quan đã giải quyết đúng hạn"
        ),
    ]

    static func cells(_ row: PublicFigures.Row) -> [PublicFigures.Count?] {
        [row.received, row.settled, row.settledOnTime, nil, row.openOverdue, row.complaints, row.complaintsSettledOnTime]
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
        let header = [lang.t("Cơ quan", "Body")] + Self.columns.map { lang.t($0.vi, $0.en) }
        body += HTML.el("h2", [("id", "public-bodies-h")], text: lang.t("Giải quyết hồ sơ theo cơ quan", "Cases by body"))
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "public-bodies"), ("aria-labelledby", "public-bodies-h")],
                HTML.el("thead", [], HTML.el("tr", [], children: header.map { HTML.el("th", [("scope", "col")], text: $0) })),
                HTML.el(
                    "tbody", [],
                    children: f.rows.map { row in
                        let cells = Self.cells(row).enumerated().map { n, count in
                            HTML.el(
                                "td", [("data-col", Self.columns[n].key)],
                                text: count.map { Self.text($0, k: k) } ?? row.onTimePercent.map { "\($0) %" } ?? "—")
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
        let detectors = DetectorID.allCases.map(\.rawValue)
        var headers = HTTPFields()
        let buffer: ByteBuffer
        if csv {
            let header = ["from", "to", "body", "body_name"] + Self.columns.map(\.key) + detectors.map { "upheld_" + $0 }
            let rows = f.rows.map { row -> [String] in
                let counts = Self.cells(row).map { c -> String in
                    guard let c else { return row.onTimePercent.map(String.init) ?? "" }
                    return c.number.map(String.init) ?? ""
                }
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
                for (n, c) in Self.cells(row).enumerated() {
                    o[Self.camel(Self.columns[n].key)] = c.map(value) ?? (row.onTimePercent.map { $0 as Any } ?? NSNull())
                }
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
        rows += Self.columns.map { ($0.key, lang.t("số", "number"), lang.t($0.meaning, $0.en)) }
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
