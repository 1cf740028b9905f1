import BuckStopAPI
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopOffice
import BuckStopStore
import Foundation
import Hummingbird

/// The head's page (everything the unit holds, overdue and stalled items, findings about its people, trends) and
/// the inspector's (the same across units, ranked).
struct OversightPages {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/unit") { request, context in try await unitPage(request, context) }
        router.get("/unit/export.csv") { request, context in try await export(request, context, inspector: false, format: .csv) }
        router.get("/unit/export.xlsx") { request, context in try await export(request, context, inspector: false, format: .xlsx) }
        router.get("/inspect") { request, context in try await inspectPage(request, context) }
        router.get("/inspect/export.csv") { request, context in try await export(request, context, inspector: true, format: .csv) }
        router.get("/inspect/export.xlsx") { request, context in try await export(request, context, inspector: true, format: .xlsx) }
    }

    func unitPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/unit")
        try Guard.role(me, [.head])
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = context.language
        let units = Visibility(official: me, organization: state.organization).units
        let title = lang.t("Đơn vị: ", "Unit: ") + l.unitName(me.unit)
        var body = HTML.el(
            "p", [], HTML.el("a", [("id", "unit-record"), ("href", "/record")], text: lang.t("Trách nhiệm người đứng đầu", "The head's record")))
        body += try await overview(units: units, layout: l, idPrefix: "unit", ranking: false, filter: FindingFilter(request, path: "/unit"))
        body += try await ReceptionRecord(state: state).section(unit: me.unit, layout: l)
        return l.page(title, request: request, body)
    }

    func inspectPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/inspect")
        try Guard.role(me, [.inspector, .admin])
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = context.language
        let all = state.organization.units.keys.sorted()
        let body = try await overview(units: all, layout: l, idPrefix: "inspect", ranking: true, filter: FindingFilter(request, path: "/inspect"))
        return l.page(lang.t("Thanh tra, giám sát: toàn thành phố", "Inspection: all units"), request: request, body)
    }

    /// The lists of the page as CSV (UTF-8 with a byte-order mark, so Excel opens the Vietnamese correctly) or as an
    /// XLSX workbook (counts and measurements as numbers a spreadsheet can sum): `list=cases`, `officials` or
    /// `findings` (with the page's filters, every page). Both formats encode the one table built here, so they
    /// cannot disagree about which rows a list has.
    func export(_ request: Request, _ context: AppRequestContext, inspector: Bool, format: ExportFormat) async throws -> Response {
        let me = try Guard.official(context, path: request.uri.path)
        try Guard.role(me, inspector ? [.inspector, .admin] : [.head])
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = context.language
        let units = inspector ? state.organization.units.keys.sorted() : Visibility(official: me, organization: state.organization).units
        let list = request.uri.queryParameters.get("list") ?? "cases"
        guard ["cases", "officials", "findings"].contains(list) else {
            throw RequestRefusal.invalid(
                Bilingual("Danh sách cần xuất phải là cases, officials hoặc findings", "list must be cases, officials or findings"), field: "list")
        }
        let data = try await workload(units: units)
        var header: [String]
        var rows: [[ExportCell]] = []
        let sheetName: String
        switch list {
        case "cases":
            sheetName = lang.t("Hồ sơ", "Cases")
            header = [
                lang.t("Mã", "Code"), lang.t("Tiêu đề", "Title"), lang.t("Người đang xử lý", "Held by"), lang.t("Hạn", "Due"),
                lang.t("Ngày làm việc còn lại", "Working days left"), lang.t("Cập nhật", "Last action"),
            ]
            for c in data.ordered {
                rows.append([
                    .text(c.id.rawValue), .text(c.title), .text(l.officialName(c.owner)), .text(Layout.dateText(c.dueDate)),
                    .count(l.workingDaysLeft(c.dueDate)), .text(Layout.timeText(c.updatedAt)),
                ])
            }
        case "officials":
            sheetName = lang.t("Cán bộ", "Officials")
            header = Self.officialColumns(lang)
            for row in data.officials { rows.append(Self.officialExportCells(row, l)) }
        default:  // findings
            sheetName = lang.t("Phát hiện", "Findings")
            let filter = FindingFilter(request, path: request.uri.path)
            var query = filter.query(units: units)
            query.limit = 10_000
            query.offset = 0
            let view = FindingView(layout: l)
            header = [
                lang.t("Mã phát hiện", "Finding"), lang.t("Hành vi", "Behaviour"), lang.t("Mức độ", "Severity"),
                lang.t("Trạng thái", "Status"), lang.t("Hồ sơ", "Case"), lang.t("Cán bộ", "Official"), lang.t("Đơn vị", "Unit"),
                lang.t("Giá trị", "Value"), lang.t("Ngưỡng", "Limit"), lang.t("Thời điểm", "When"), lang.t("Diễn giải", "Explanation"),
            ]
            for f in try await state.store.findings(query).findings {
                rows.append([
                    .text(f.finding.id), .text(view.detectorName(f.finding.detector)), .text(view.severityName(f.finding.severity)),
                    .text(view.statusName(f.finding.status)), .text(f.finding.caseID.rawValue), .text(l.officialName(f.finding.official)),
                    .text(l.unitName(f.finding.unit)), .measured(f.value), .measured(f.limit), .text(Layout.timeText(f.observedAt)),
                    .text(lang == .vi ? f.finding.explanation : f.explanationEn),
                ])
            }
        }
        let filename = "buckstop-\(inspector ? "inspect" : "unit")-\(list).\(format.rawValue)"
        var headers = HTTPFields()
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        let body: ByteBuffer
        switch format {
        case .csv:
            headers[.contentType] = "text/csv; charset=utf-8"
            body = ByteBuffer(string: CSVTable.text([header] + rows.map { $0.map(\.text) }))
        case .xlsx:
            headers[.contentType] = ExportFormat.xlsxContentType
            let sheet = Sheet(name: sheetName, header: header, rows: rows.map { $0.map(\.cell) })
            body = ByteBuffer(bytes: try Workbook(sheets: [sheet]).data())
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// Officials by findings not dismissed per 100 cases they have held — a raw count ranks the busiest first, not
    /// the ones to look at — among those who held at least `minimum` cases (a few cases make a rate say nothing).
    /// The base-rate guard on the live pages (the same rule as `analyze`'s, `BaseRate`): a behaviour found in more
    /// than `analysis.plausibleShare` of all cases at the last survey is named here with its share, and its findings
    /// are left out of the per-official counts and the ranking until a person has looked at the rule or the data.
    static func baseRateNotice(_ rate: BaseRate, idPrefix: String, lang: Language) -> HTML {
        let withheld = rate.withheld
        guard !withheld.isEmpty else { return "" }
        let limit = Int((rate.plausibleShare * 100).rounded())
        let items = withheld.map { d -> HTML in
            let share = String(format: "%.0f", rate.share(d) * 100)
            let n = rate.flagged[d] ?? 0
            return HTML.el(
                "li", [("data-detector", d.rawValue)],
                text: lang.t(
                    "\(d.nameVi): \(n)/\(rate.cases) hồ sơ (\(share) %)", "\(d.nameEn): \(n) of \(rate.cases) cases (\(share) %)"))
        }
        return HTML.el(
            "section", [("id", "\(idPrefix)-base-rate"), ("class", "card notice"), ("role", "note")],
            HTML.el("h2", text: lang.t("Phát hiện tạm không tính", "Findings set aside")),
            HTML.el(
                "p",
                text: lang.t(
                    "Các hành vi dưới đây xuất hiện ở hơn \(limit) % số hồ sơ trong lần rà soát gần nhất. Tỷ lệ như vậy thường do quy định (ngưỡng) hoặc dữ liệu chưa đúng, không phải do từng cán bộ; phát hiện của chúng tạm không tính vào số liệu theo cán bộ và xếp hạng cho đến khi được kiểm tra.",
                    "The behaviours below were found in more than \(limit) % of the cases at the last survey. A rate like that usually comes from a rule (a threshold) or the data, not from each official; their findings are left out of the per-official counts and the ranking until someone has checked."
                )),
            HTML.el("ul", [], children: items))
    }

    static func perHundredHandled(
        _ counts: [(official: OfficialID, unit: UnitID?, open: Int, total: Int)], handled: [OfficialID: Int], minimum: Int
    ) -> (rows: [(official: OfficialID, unit: UnitID?, open: Int, handled: Int, perHundred: Int)], minimum: Int) {
        let rows = counts.compactMap { c -> (official: OfficialID, unit: UnitID?, open: Int, handled: Int, perHundred: Int)? in
            guard c.open > 0, let n = handled[c.official], n >= max(1, minimum) else { return nil }
            return (c.official, c.unit, c.open, n, Int((Double(c.open) * 100 / Double(n)).rounded()))
        }
        return (rows.sorted { ($0.perHundred, $0.open, $1.official.rawValue) > ($1.perHundred, $1.open, $0.official.rawValue) }, minimum)
    }

    /// One official's load as a head reads it: what they hold, how much of it is late, the longest any of it has sat
    /// idle, and their findings per 100 cases handled (nil below the ranking minimum, where a rate says nothing).
    struct OfficialLoad: Equatable {
        var official: OfficialID
        var unit: UnitID
        var held: Int
        var overdue: Int
        var longestIdle: Int
        var findings: Int
        var handled: Int
        var perHundred: Int?
        /// The good deeds read from the ledger, in the rulebook's points (`GoodDeed`, `GoodWorkRule`): beside the findings,
        /// so a row about a person is never only their faults.
        var goodPoints: Int = 0
    }

    /// Every official of the units with their load, the most overdue first, then the most held.
    static func officialLoads(
        officials: [Official], cases: [CaseState], findings: [OfficialID: Int], handled: [OfficialID: Int], minimum: Int, today: CivilDate,
        goodPoints: [OfficialID: Int] = [:], idleDays: (CaseState) -> Int
    ) -> [OfficialLoad] {
        var rows: [OfficialID: OfficialLoad] = [:]
        for o in officials {
            let n = handled[o.id] ?? 0
            let f = findings[o.id] ?? 0
            rows[o.id] = OfficialLoad(
                official: o.id, unit: o.unit, held: 0, overdue: 0, longestIdle: 0, findings: f, handled: n,
                perHundred: n >= max(1, minimum) ? Int((Double(f) * 100 / Double(n)).rounded()) : nil, goodPoints: goodPoints[o.id] ?? 0)
        }
        for c in cases {
            guard let owner = c.owner, var row = rows[owner] else { continue }
            row.held += 1
            if let due = c.dueDate, due < today { row.overdue += 1 }
            row.longestIdle = max(row.longestIdle, idleDays(c))
            rows[owner] = row
        }
        return rows.values.sorted {
            ($0.overdue, $0.held, $0.longestIdle, $1.official.rawValue) > ($1.overdue, $1.held, $1.longestIdle, $0.official.rawValue)
        }
    }

    static func officialColumns(_ lang: Language) -> [String] {
        [
            lang.t("Cán bộ", "Official"), lang.t("Đơn vị", "Unit"), lang.t("Đang giữ", "Held"), lang.t("Quá hạn", "Overdue"),
            lang.t("Lâu nhất chưa xử lý (ngày làm việc)", "Longest idle (working days)"), lang.t("Phát hiện chưa bác bỏ", "Findings not dismissed"),
            lang.t("Hồ sơ đã xử lý", "Cases handled"), lang.t("Phát hiện trên 100 hồ sơ", "Findings per 100 cases"),
            lang.t("Điểm việc làm tốt", "Good-work points"),
        ]
    }

    static func officialCells(_ r: OfficialLoad, _ l: Layout) -> [String] {
        officialExportCells(r, l).map(\.text)
    }

    /// The page's row with its counts as numbers; below the ranking minimum the rate is a dash, not a zero.
    static func officialExportCells(_ r: OfficialLoad, _ l: Layout) -> [ExportCell] {
        [
            .text(l.officialName(r.official)), .text(l.unitName(r.unit)), .count(r.held), .count(r.overdue), .count(r.longestIdle),
            .count(r.findings), .count(r.handled), r.perHundred.map { ExportCell.count($0) } ?? .text("—"), .count(r.goodPoints),
        ]
    }

    /// What the unit holds, read once for the page and its exports.
    struct Workload {
        var cases: [CaseState]
        var overdue: [CaseState]
        var stalled: [CaseState]
        /// Overdue first, then idle, then the rest: the order a head works in.
        var ordered: [CaseState]
        var officials: [OfficialLoad]
        var idleLimit: Int
    }

    func workload(units: [UnitID]) async throws -> Workload {
        let org = state.organization
        let today = CivilDate(Date())
        let calendar = state.live.calendar
        // A reception book is the head's register, not work waiting: it is shown in its own section.
        let cases = try await state.store.openCases(heldIn: units, limit: 5000).filter { $0.kind != .reception }
        // "Idle" uses the rulebook's stalling limit, so the page and the stalling detector count the same days.
        let idleLimit = Int(state.live.rulebook.threshold(.stallingIdleWorkingDays) ?? 0)
        func idle(_ c: CaseState) -> Int {
            max(0, calendar.workingDays(from: CivilDate(Date(timeIntervalSince1970: Double(c.updatedAt) / 1000)), to: today))
        }
        let overdue = cases.filter { c in c.dueDate.map { $0 < today } ?? false }
        let overdueIDs = Set(overdue.map(\.id))
        let stalled = cases.filter { idle($0) > idleLimit }
        let stalledIDs = Set(stalled.map(\.id))
        let ordered =
            overdue + stalled.filter { !overdueIDs.contains($0.id) } + cases.filter { !overdueIDs.contains($0.id) && !stalledIDs.contains($0.id) }
        let unitSet = Set(units)
        var findings: [OfficialID: Int] = [:]
        let withheld = state.live.baseRate.withheld.map(\.rawValue)
        for row in try await state.store.findingCountsByOfficial(units: units, excludingDetectors: withheld) { findings[row.official] = row.open }
        let good = state.live.goodWork
        let rules = state.live.rulebook.goodWork
        let unitOfficials = org.officials.values.filter { unitSet.contains($0.unit) }
        let loads = Self.officialLoads(
            officials: unitOfficials, cases: cases, findings: findings, handled: state.live.casesHandled,
            minimum: Int(state.live.rulebook.threshold(.rankingMinCasesHandled) ?? 0), today: today,
            goodPoints: Dictionary(uniqueKeysWithValues: unitOfficials.map { ($0.id, GoodWorkTally.points(good.deeds(of: [$0.id]), rules: rules)) }),
            idleDays: idle)
        return Workload(cases: cases, overdue: overdue, stalled: stalled, ordered: ordered, officials: loads, idleLimit: idleLimit)
    }

    func overview(units: [UnitID], layout l: Layout, idPrefix: String, ranking: Bool, filter: FindingFilter) async throws -> HTML {
        let lang = l.lang
        let store = state.store
        let org = state.organization
        let data = try await workload(units: units)
        let findings = try await store.findings(filter.query(units: units))
        let sinceMillis = Int64(Date().timeIntervalSince1970 * 1000) - 365 * 86_400_000
        let trend = try await store.findingTrend(units: units, sinceMillis: sinceMillis)
        let closed = try await store.closedTrend(units: units, sinceMillis: sinceMillis)
        let exportBase = "/\(idPrefix == "unit" ? "unit" : "inspect")/export"
        // Every list offers both formats side by side: CSV for any tool, XLSX for Excel with numbers as numbers.
        func downloads(_ id: String, _ query: String) -> [HTML] {
            [
                HTML.el(
                    "a", [("id", "\(idPrefix)-\(id)-csv"), ("href", exportBase + ".csv?list=" + query)], text: lang.t("Tải CSV", "Download CSV")),
                HTML.text(" · "),
                HTML.el(
                    "a", [("id", "\(idPrefix)-\(id)-xlsx"), ("href", exportBase + ".xlsx?list=" + query)], text: lang.t("Tải XLSX", "Download XLSX")),
            ]
        }

        var body = HTML.el(
            "div", [("class", "grid")],
            stat(lang.t("Đang giữ", "Open cases held"), data.cases.count, id: "\(idPrefix)-open"),
            stat(lang.t("Quá hạn", "Overdue"), data.overdue.count, id: "\(idPrefix)-overdue"),
            stat(
                lang.t("Chậm xử lý quá \(data.idleLimit) ngày làm việc", "Idle > \(data.idleLimit) working days"), data.stalled.count,
                id: "\(idPrefix)-stalled"),
            stat(lang.t("Phát hiện chưa kết luận", "Findings under review"), findings.total, id: "\(idPrefix)-findings-count"))

        body += Self.baseRateNotice(state.live.baseRate, idPrefix: idPrefix, lang: lang)
        // The work first: what the unit holds, the most urgent on top.
        body += HTML.el("h2", text: lang.t("Việc đang giữ (quá hạn và chậm trước)", "Open cases (overdue and idle first)"))
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "\(idPrefix)-cases")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Mã", "Code")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Tiêu đề", "Title")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Người đang xử lý", "Held by")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Hạn · ngày làm việc còn lại", "Due · working days left")),
                        HTML.el("th", [("scope", "col"), ("class", "optional")], text: lang.t("Cập nhật", "Last action")))),
                HTML.el(
                    "tbody", [],
                    children: data.ordered.prefix(200).map { c in
                        HTML.el(
                            "tr", [("data-case", c.id.rawValue)], HTML.el("td", [], l.caseLink(c.id)), HTML.el("td", text: c.title),
                            HTML.el("td", text: l.officialName(c.owner)), HTML.el("td", [], l.dueBadge(c.dueDate, open: true)),
                            HTML.el("td", [("class", "optional")], text: Layout.timeText(c.updatedAt)))
                    })))
        var more: [HTML] = []
        if data.ordered.count > 200 {
            more.append(HTML.text(lang.t("200 hồ sơ đầu trong \(data.ordered.count). ", "First 200 of \(data.ordered.count). ")))
        }
        more += downloads("cases", "cases")
        body += HTML.el("p", [("class", "muted")], children: more)

        if !ranking {
            body += HTML.el("h2", text: lang.t("Theo cán bộ", "By official"))
            body += HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "\(idPrefix)-officials")],
                    HTML.el("thead", [], HTML.el("tr", [], children: Self.officialColumns(lang).map { HTML.el("th", [("scope", "col")], text: $0) })),
                    HTML.el(
                        "tbody", [],
                        children: data.officials.map { r in
                            HTML.el(
                                "tr", [("data-official", r.official.rawValue)], children: Self.officialCells(r, l).map { HTML.el("td", text: $0) })
                        })))
            body += HTML.el(
                "p", [("class", "muted")],
                children: [
                    HTML.text(
                        lang.t(
                            "Phát hiện trên 100 hồ sơ chỉ tính cho người đã xử lý từ \(Int(state.live.rulebook.threshold(.rankingMinCasesHandled) ?? 0)) hồ sơ. ",
                            "Findings per 100 cases only for officials who handled at least \(Int(state.live.rulebook.threshold(.rankingMinCasesHandled) ?? 0)) cases. "
                        ))
                ] + downloads("officials", "officials"))
            body += GoodWorkView(layout: l).scheme()
        }

        // Findings in their own section: filterable, paged, collapsible.
        let view = FindingView(layout: l)
        var section: [HTML] = [
            HTML.el("summary", text: lang.t("Phát hiện cần xem xét (\(findings.total))", "Findings to review (\(findings.total))")),
            filter.form(detectors: DetectorID.allCases.map { ($0.rawValue, view.detectorName($0.rawValue)) }, lang: lang, idPrefix: idPrefix),
        ]
        if findings.findings.isEmpty {
            section.append(HTML.el("p", [("class", "muted")], text: lang.t("Không có phát hiện chờ xử lý.", "No findings awaiting review.")))
        } else {
            section.append(HTML.el("div", [("id", "\(idPrefix)-findings")], children: findings.findings.map { view.item($0) }))
        }
        section.append(filter.pager(total: findings.total, lang: lang, idPrefix: idPrefix))
        section.append(HTML.el("p", [("class", "muted")], children: downloads("findings", "findings" + filter.queryTail)))
        body += HTML.el("details", [("class", "findings"), ("open", "open")], children: section)

        body += try await causes(units: units, layout: l, idPrefix: idPrefix)

        // Trends by month: findings per detector family, cases closed and late.
        let months = Self.lastMonths(12)
        var perDetector: [String: [Int]] = [:]
        for row in trend where months.contains(row.month) {
            perDetector[row.detector, default: Array(repeating: 0, count: months.count)][months.firstIndex(of: row.month)!] += row.count
        }
        let topDetectors = perDetector.sorted { $0.value.reduce(0, +) > $1.value.reduce(0, +) }.prefix(6)
        body += HTML.el("h2", text: lang.t("Xu hướng theo tháng", "Trends by month"))
        body += Charts.monthlyBars(
            id: "\(idPrefix)-trend-findings", title: lang.t("Phát hiện theo tháng và loại hành vi", "Findings per month by behaviour"),
            months: months,
            series: topDetectors.map { (view.detectorName($0.key), $0.value) })
        var closedOnTime = Array(repeating: 0, count: months.count)
        var late = Array(repeating: 0, count: months.count)
        for row in closed where months.contains(row.month) {
            let i = months.firstIndex(of: row.month)!
            closedOnTime[i] = row.closed - row.late
            late[i] = row.late
        }
        body += Charts.monthlyBars(
            id: "\(idPrefix)-trend-closed",
            title: lang.t("Hồ sơ hoàn thành theo tháng: đúng hạn và trễ hạn", "Cases finished per month: on time and late"),
            months: months, series: [(lang.t("Trễ hạn", "Late"), late), (lang.t("Đúng hạn", "On time"), closedOnTime)])

        if ranking {
            let counts = try await store.findingCountsByOfficial(units: nil, excludingDetectors: state.live.baseRate.withheld.map(\.rawValue))
            let ranked = Self.perHundredHandled(
                counts, handled: state.live.casesHandled, minimum: Int(state.live.rulebook.threshold(.rankingMinCasesHandled) ?? 0))
            body += HTML.el(
                "h2", text: lang.t("Xếp hạng cán bộ theo phát hiện trên 100 hồ sơ đã xử lý", "Officials ranked by findings per 100 cases handled"))
            body += HTML.el(
                "p", [("class", "muted")],
                text: lang.t(
                    "Phát hiện chưa bác bỏ trên 100 hồ sơ cán bộ đã từng được giao xử lý; chỉ xếp hạng người đã xử lý từ \(ranked.minimum) hồ sơ (theo lần rà soát gần nhất).",
                    "Findings not dismissed per 100 cases the official has held; only officials who handled at least \(ranked.minimum) cases are ranked (as of the last survey)."
                ))
            body += Charts.horizontalBars(
                id: "\(idPrefix)-ranking", title: lang.t("Phát hiện trên 100 hồ sơ đã xử lý", "Findings per 100 cases handled"),
                rows: ranked.rows.prefix(15).map {
                    ("\(l.officialName($0.official)) · \(l.unitName($0.unit)) (\($0.open)/\($0.handled))", $0.perHundred)
                })
            var perUnit: [UnitID: Int] = [:]
            for row in counts {
                if let u = row.unit { perUnit[Self.agency(u, org), default: 0] += row.open }
            }
            body += Charts.horizontalBars(
                id: "\(idPrefix)-units", title: lang.t("Phát hiện theo cơ quan", "Findings by agency"),
                rows: perUnit.sorted { $0.value > $1.value }.prefix(15).map { (l.unitName($0.key), $0.value) })
            let overlaps = Self.mandateOverlaps(org)
            body += HTML.el("h2", text: lang.t("Chồng chéo chức năng (theo phân công thẩm quyền)", "Overlapping mandates"))
            body += HTML.el(
                "ul", [("id", "mandate-overlaps")],
                children: overlaps.isEmpty
                    ? [
                        HTML.el(
                            "li",
                            text: lang.t(
                                "Không có thủ tục nào giao cho hai đơn vị cùng cấp.", "No procedure is given to two units of the same level."))
                    ]
                    : overlaps.map { HTML.el("li", text: "\(l.unitName($0.first)) — \(l.unitName($0.second)): \($0.matter)") })
        }
        return body
    }

    /// Causes of the upheld findings (nguyên nhân) by unit and behaviour, most first, with the causes' totals above: where
    /// which causes are found, counted rather than read out of notes.
    func causes(units: [UnitID], layout l: Layout, idPrefix: String) async throws -> HTML {
        let lang = l.lang
        let rows = try await state.store.findingCauses(units: units)
        var out = HTML.el("h2", text: lang.t("Nguyên nhân của các phát hiện đã giữ nguyên", "Causes of the upheld findings"))
        guard !rows.isEmpty else {
            return out
                + HTML.el(
                    "p", [("class", "muted"), ("id", "\(idPrefix)-causes-none")],
                    text: lang.t("Chưa có phát hiện nào được giữ nguyên.", "No finding has been upheld yet."))
        }
        var totals: [String: Int] = [:]
        for row in rows { totals[row.cause, default: 0] += row.count }
        out += HTML.el(
            "p", [("id", "\(idPrefix)-cause-totals")],
            text: totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\(l.causeName($0.key)): \($0.value)" }.joined(separator: " · "))
        let view = FindingView(layout: l)
        out += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "\(idPrefix)-causes")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Đơn vị", "Unit")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Hành vi", "Behaviour")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Nguyên nhân", "Cause")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Số phát hiện", "Findings")))),
                HTML.el(
                    "tbody", [],
                    children: rows.prefix(100).map { row in
                        HTML.el(
                            "tr", [("data-unit", row.unit?.rawValue), ("data-cause", row.cause), ("data-count", String(row.count))],
                            HTML.el("td", text: row.unit.map { l.unitName($0) } ?? "—"), HTML.el("td", text: view.detectorName(row.detector)),
                            HTML.el("td", text: l.causeName(row.cause)), HTML.el("td", text: String(row.count)))
                    })))
        return out
    }

    func stat(_ label: String, _ value: Int, id: String) -> HTML {
        HTML.el(
            "div", [("class", "card")], HTML.el("div", [("class", "muted")], text: label),
            HTML.el("div", [("id", id), ("style", nil)], HTML.el("strong", text: String(value))))
    }

    static func agency(_ unit: UnitID, _ org: Organization) -> UnitID { org.body(of: unit) }

    /// The last `n` months as "YYYY-MM", oldest first (Vietnam time).
    static func lastMonths(_ n: Int) -> [String] {
        let today = CivilDate(Date())
        var (y, m) = (today.year, today.month)
        var out: [String] = []
        for _ in 0..<n {
            out.append(String(format: "%04d-%02d", y, m))
            m -= 1
            if m == 0 {
                m = 12
                y -= 1
            }
        }
        return out.reversed()
    }

    /// Pairs of units of the same kind and parent that the mandates both make competent for the same procedure (or
    /// the same kind of case): chồng chéo, as concrete pairs someone can act on. Tasks are left out — every department
    /// takes tasks, and a task led by two units at once is the live `overlap` finding — and so are wards and communes,
    /// which share their procedures by law, each for its own area.
    static func mandateOverlaps(_ org: Organization) -> [(matter: String, first: UnitID, second: UnitID)] {
        var groups: [String: Set<UnitID>] = [:]
        for m in org.mandates where m.caseKind != .task {
            guard let unit = org.unit(m.unit), unit.kind != .ward, unit.kind != .commune else { continue }
            let key = "\(m.caseKind.nameVi)" + (m.procedure.map { " · \($0)" } ?? "") + "|\(unit.kind.rawValue)|\(unit.parent?.rawValue ?? "")"
            groups[key, default: []].insert(m.unit)
        }
        var pairs: [(matter: String, first: UnitID, second: UnitID)] = []
        for (key, units) in groups where units.count > 1 {
            let matter = String(key.split(separator: "|")[0])
            let sorted = units.sorted()
            for i in sorted.indices {
                for j in sorted.indices where j > i { pairs.append((matter, sorted[i], sorted[j])) }
            }
        }
        return pairs.sorted { ($0.matter, $0.first.rawValue, $0.second.rawValue) < ($1.matter, $1.first.rawValue, $1.second.rawValue) }
    }
}

/// What an export is encoded as; the raw value is the file name's extension.
enum ExportFormat: String {
    case csv
    case xlsx

    static let xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

/// One cell of an exported list: the text the page and the CSV show, and for a count or a measurement the number a
/// spreadsheet can sum and sort. Keeping both means the CSV stays exactly the text it was, and the XLSX never turns
/// a code such as "0012" or a date into a number by guessing.
struct ExportCell: Equatable {
    var text: String
    var number: Double?

    static func text(_ s: String) -> ExportCell { ExportCell(text: s, number: nil) }

    static func count(_ n: Int) -> ExportCell { ExportCell(text: String(n), number: Double(n)) }

    /// No value (no due date, say) is an empty cell, not a zero.
    static func count(_ n: Int?) -> ExportCell { n.map { (n: Int) in count(n) } ?? text("") }

    /// A finding's measured value or limit, stored as decimal text: a number where it reads as one.
    static func measured(_ s: String) -> ExportCell {
        guard let x = Double(s), x.isFinite else { return text(s) }
        return ExportCell(text: s, number: x)
    }

    var cell: Cell {
        if let number { return .number(number) }
        return text.isEmpty ? .empty : .text(text)
    }
}
