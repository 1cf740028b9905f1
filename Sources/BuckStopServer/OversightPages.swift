import BuckStopAPI
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopStore
import Foundation
import Hummingbird

/// The head's page (everything the unit holds, overdue and stalled items, findings about its people, trends) and
/// the inspector's (the same across units, ranked).
struct OversightPages {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/unit") { request, context in try await unitPage(request, context) }
        router.get("/inspect") { request, context in try await inspectPage(request, context) }
    }

    /// Open cases idle this long (working days since the owner last acted) are listed as stalled.
    static let stalledWorkingDays = 5

    func unitPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/unit")
        try Guard.role(me, [.head])
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = context.language
        let units = Visibility(official: me, organization: state.organization).units
        let title = lang.t("Đơn vị: ", "Unit: ") + l.unitName(me.unit)
        let body = try await overview(units: units, layout: l, idPrefix: "unit", ranking: false)
        return l.page(title, request: request, body)
    }

    func inspectPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/inspect")
        try Guard.role(me, [.inspector, .admin])
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = context.language
        let all = state.organization.units.keys.sorted()
        let body = try await overview(units: all, layout: l, idPrefix: "inspect", ranking: true)
        return l.page(lang.t("Thanh tra, giám sát: toàn thành phố", "Inspection: all units"), request: request, body)
    }

    /// Officials by findings not dismissed per 100 cases they have held — a raw count ranks the busiest first, not
    /// the ones to look at — among those who held at least `minimum` cases (a few cases make a rate say nothing).
    static func perHundredHandled(
        _ counts: [(official: OfficialID, unit: UnitID?, open: Int, total: Int)], handled: [OfficialID: Int], minimum: Int
    ) -> (rows: [(official: OfficialID, unit: UnitID?, open: Int, handled: Int, perHundred: Int)], minimum: Int) {
        let rows = counts.compactMap { c -> (official: OfficialID, unit: UnitID?, open: Int, handled: Int, perHundred: Int)? in
            guard c.open > 0, let n = handled[c.official], n >= max(1, minimum) else { return nil }
            return (c.official, c.unit, c.open, n, Int((Double(c.open) * 100 / Double(n)).rounded()))
        }
        return (rows.sorted { ($0.perHundred, $0.open, $1.official.rawValue) > ($1.perHundred, $1.open, $0.official.rawValue) }, minimum)
    }

    func overview(units: [UnitID], layout l: Layout, idPrefix: String, ranking: Bool) async throws -> HTML {
        let lang = l.lang
        let store = state.store
        let org = state.organization
        let today = CivilDate(Date())
        let cases = try await store.openCases(heldIn: units, limit: 5000)
        let calendar = state.live.calendar
        let overdue = cases.filter { c in c.dueDate.map { $0 < today } ?? false }
        let stalled = cases.filter { c in
            calendar.workingDays(from: CivilDate(Date(timeIntervalSince1970: Double(c.updatedAt) / 1000)), to: today) > Self.stalledWorkingDays
        }
        let findings = try await store.findings(FindingQuery(units: units, statuses: [.open, .explained], limit: 50))
        let sinceMillis = Int64(Date().timeIntervalSince1970 * 1000) - 365 * 86_400_000
        let trend = try await store.findingTrend(units: units, sinceMillis: sinceMillis)
        let closed = try await store.closedTrend(units: units, sinceMillis: sinceMillis)

        var body = HTML.el(
            "div", [("class", "grid")],
            stat(lang.t("Đang giữ", "Open cases held"), cases.count, id: "\(idPrefix)-open"),
            stat(lang.t("Quá hạn", "Overdue"), overdue.count, id: "\(idPrefix)-overdue"),
            stat(
                lang.t("Chậm xử lý quá \(Self.stalledWorkingDays) ngày làm việc", "Idle > \(Self.stalledWorkingDays) working days"), stalled.count,
                id: "\(idPrefix)-stalled"),
            stat(lang.t("Phát hiện chưa kết luận", "Findings under review"), findings.total, id: "\(idPrefix)-findings-count"))

        body += HTML.el("h2", text: lang.t("Phát hiện về cán bộ", "Findings about officials"))
        body += HTML.el(
            "section", [("id", "\(idPrefix)-findings")],
            children: findings.findings.isEmpty
                ? [HTML.el("p", [("class", "muted")], text: lang.t("Không có phát hiện chờ xử lý.", "No findings awaiting review."))]
                : findings.findings.map { FindingView(layout: l).item($0) })

        // Trends by month: findings per detector family, cases closed and late.
        let months = Self.lastMonths(12)
        var perDetector: [String: [Int]] = [:]
        for row in trend where months.contains(row.month) {
            perDetector[row.detector, default: Array(repeating: 0, count: months.count)][months.firstIndex(of: row.month)!] += row.count
        }
        let topDetectors = perDetector.sorted { $0.value.reduce(0, +) > $1.value.reduce(0, +) }.prefix(6)
        let view = FindingView(layout: l)
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
            let counts = try await store.findingCountsByOfficial(units: nil)
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
            for row in try await store.findingCountsByOfficial(units: nil) {
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

        body += HTML.el("h2", text: lang.t("Hồ sơ đang giữ (quá hạn và chậm trước)", "Open cases (overdue and idle first)"))
        let ordered =
            overdue + stalled.filter { s in !overdue.contains { $0.id == s.id } }
            + cases.filter { c in
                !overdue.contains { $0.id == c.id } && !stalled.contains { $0.id == c.id }
            }
        body += HTML.el(
            "div", [("class", "table-wrap")],
            HTML.el(
                "table", [("id", "\(idPrefix)-cases")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", text: lang.t("Mã", "Code")), HTML.el("th", text: lang.t("Tiêu đề", "Title")),
                        HTML.el("th", text: lang.t("Người đang xử lý", "Held by")), HTML.el("th", text: lang.t("Hạn", "Due")),
                        HTML.el("th", [("class", "optional")], text: lang.t("Cập nhật", "Last action")))),
                HTML.el(
                    "tbody", [],
                    children: ordered.prefix(200).map { c in
                        HTML.el(
                            "tr", [("data-case", c.id.rawValue)], HTML.el("td", [], l.caseLink(c.id)), HTML.el("td", text: c.title),
                            HTML.el("td", text: l.officialName(c.owner)), HTML.el("td", [], l.dueBadge(c.dueDate, open: true)),
                            HTML.el("td", [("class", "optional")], text: Layout.timeText(c.updatedAt)))
                    })))
        if ordered.count > 200 {
            body += HTML.el("p", [("class", "muted")], text: lang.t("200 hồ sơ đầu trong \(ordered.count).", "First 200 of \(ordered.count)."))
        }
        return body
    }

    func stat(_ label: String, _ value: Int, id: String) -> HTML {
        HTML.el(
            "div", [("class", "card")], HTML.el("div", [("class", "muted")], text: label),
            HTML.el("div", [("id", id), ("style", nil)], HTML.el("strong", text: String(value))))
    }

    static func agency(_ unit: UnitID, _ org: Organization) -> UnitID {
        var cursor = unit
        while let u = org.unit(cursor), u.kind == .division, let parent = u.parent { cursor = parent }
        return cursor
    }

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
