import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

/// The head's reception record beside the unit's cases: the schedule the law sets for their level today (Lịch tiếp
/// công dân định kỳ), and for each month of the unit's reception books (Sổ tiếp công dân) the days of periodic
/// sessions the head held in person, those a deputy held for them (Ủy quyền cho cấp phó), other sessions, and what
/// the row in force asked for. Findings about it are among the unit's findings (`reception_skipped`,
/// `reception_delegated`).
struct ReceptionRecord {
    let state: ServerState

    func section(unit: UnitID, layout l: Layout) async throws -> HTML {
        let lang = l.lang
        let org = state.organization
        let rulebook = state.live.rulebook
        let today = CivilDate(Date())
        var body = HTML.el("h2", [("id", "reception")], text: lang.t("Tiếp công dân", "Citizen reception"))
        guard let kind = org.unit(unit)?.kind, let schedule = rulebook.receptionSchedule(forHeadOf: kind, on: today) else {
            return body
                + HTML.el(
                    "p", [("class", "muted")],
                    text: lang.t(
                        "Bộ quy tắc không đặt lịch tiếp công dân định kỳ cho người đứng đầu đơn vị này.",
                        "The rulebook sets no periodic reception schedule for the head of this unit."))
        }
        body += HTML.el(
            "p", [("id", "reception-schedule")],
            text: lang.t(
                "Lịch tiếp công dân định kỳ (\(schedule.nameVi)): ít nhất \(schedule.days) ngày mỗi \(schedule.per.nameVi), tại \(schedule.place). Ủy quyền cho cấp phó: \(schedule.delegationAllowed ? "được" : "không được"). Căn cứ: \(schedule.source) (\(Self.statusVi(schedule.status))).",
                "Periodic reception schedule (\(schedule.nameVi)): at least \(schedule.days) day(s) per \(schedule.per.nameEn), at \(schedule.place). Handing it to a deputy: \(schedule.delegationAllowed ? "allowed" : "not allowed"). Source: \(schedule.source) (\(schedule.status))."
            ))
        let yearAgo = Int64(Date().timeIntervalSince1970 * 1000) - 400 * 86_400_000
        let books = try await state.store.cases(
            kind: .reception, procedure: .any, openedFrom: yearAgo, openedBefore: Int64.max, statuses: nil, limit: 200
        ).filter { $0.leadUnit == unit }.sorted { $0.openedAt > $1.openedAt }
        guard !books.isEmpty else {
            return body
                + HTML.el(
                    "p", [("class", "muted"), ("id", "reception-none")],
                    text: lang.t(
                        "Đơn vị chưa mở sổ tiếp công dân trong năm qua.", "The unit has opened no reception book in the past year."))
        }
        var rows: [HTML] = []
        for book in books.prefix(2) {
            let head = book.owner
            var months: [String: (inPerson: Set<CivilDate>, deputy: Set<CivilDate>, other: Int)] = [:]
            for record in try await state.store.history(of: book.id) {
                guard case .receptionHeld(let s) = record.action.body else { continue }
                let month = String(s.day.description.prefix(7))
                var m = months[month] ?? ([], [], 0)
                if !s.periodic {
                    m.other += 1
                } else if s.receivedBy == head {
                    m.inPerson.insert(s.day)
                } else {
                    m.deputy.insert(s.day)
                }
                months[month] = m
            }
            // Every month of the book up to today (or its closing), sessions or not: a month without one is the record
            // the head answers for, not a gap in the table.
            let opened = CivilDate(Date(timeIntervalSince1970: Double(book.openedAt) / 1000))
            let last = book.closedAt.map { CivilDate(Date(timeIntervalSince1970: Double($0) / 1000)) }.map { min($0, today) } ?? today
            var bookMonths: [String] = []
            var cursor = CivilDate(year: opened.year, month: opened.month, day: 1)
            while let month = cursor, month <= last, bookMonths.count < 24 {
                bookMonths.append(String(month.description.prefix(7)))
                cursor =
                    month.month == 12
                    ? CivilDate(year: month.year + 1, month: 1, day: 1) : CivilDate(year: month.year, month: month.month + 1, day: 1)
            }
            for month in Set(bookMonths).union(months.keys).sorted(by: >) {
                guard let first = try? CivilDate(iso: month + "-01") else { continue }
                let m = months[month] ?? ([], [], 0)
                let row = book.procedure.flatMap { rulebook.receptionSchedule(level: $0, on: first) }
                let required = row.map { lang.t("\($0.days) ngày/\($0.per.nameVi)", "\($0.days) day(s)/\($0.per.nameEn)") } ?? "—"
                let handedOver = m.deputy.count
                let allowed = row?.delegationAllowed ?? true
                // A whole month past with fewer periodic days than a monthly schedule asks (or none under a weekly one).
                let monthOver =
                    first.month == 12
                    ? CivilDate(year: first.year + 1, month: 1, day: 1) : CivilDate(year: first.year, month: first.month + 1, day: 1)
                let held = m.inPerson.count + handedOver
                let short =
                    (monthOver.map { $0 <= today } ?? false) && row.map { $0.per == .month ? held < $0.days : held == 0 } ?? false
                rows.append(
                    HTML.el(
                        "tr", [("data-month", month), ("data-short", short ? "true" : nil)], HTML.el("td", [], l.caseLink(book.id)),
                        HTML.el("td", text: month),
                        HTML.el("td", [("class", short ? "late" : nil)], text: String(m.inPerson.count)),
                        HTML.el("td", [("class", handedOver > 0 && !allowed ? "late" : nil)], text: String(handedOver)),
                        HTML.el("td", text: String(m.other)), HTML.el("td", text: required),
                        HTML.el("td", text: allowed ? lang.t("được", "allowed") : lang.t("không được", "not allowed"))))
            }
        }
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "reception-record")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [],
                        children: [
                            lang.t("Sổ tiếp công dân", "Reception book"), lang.t("Tháng", "Month"),
                            lang.t("Ngày người đứng đầu trực tiếp tiếp", "Days received by the head in person"),
                            lang.t("Ngày cấp phó tiếp thay", "Days a deputy received"), lang.t("Buổi đột xuất, thường xuyên", "Other sessions"),
                            lang.t("Lịch luật định", "Schedule by law"), lang.t("Ủy quyền cho cấp phó", "Deputy allowed"),
                        ].map { HTML.el("th", [("scope", "col")], text: $0) })),
                HTML.el("tbody", [], children: rows)))
        body += HTML.el(
            "p", [("class", "muted")],
            text: lang.t(
                "Ghi buổi tiếp (Người tiếp, số công dân, nội dung, hồ sơ phát sinh) trên trang sổ. Phát hiện về tiếp công dân nằm trong danh sách phát hiện của đơn vị.",
                "Record a session (who received, how many citizens, the matters, cases opened) on the book's page. Findings about reception are among the unit's findings."
            ))
        return body
    }

    /// How sure the rulebook is of a row, in Vietnamese (the rows keep the English word the data files use).
    static func statusVi(_ status: String) -> String {
        switch status {
        case "verified": "đã đối chiếu văn bản"
        case "secondary": "nguồn thứ cấp"
        case "unverified": "chưa xác minh"
        case "projected": "dự kiến"
        default: status
        }
    }
}
