import BuckStopCalendar
import BuckStopDomain

/// A programme's roll-up as an Excel workbook, the form a tracking sheet is sent up in: the summary by agency
/// (Tổng hợp), the overdue tasks with their accountable officials (Quá hạn) and every task (Nhiệm vụ).
public enum ProgrammeWorkbook {
    public static func make(rollup: ProgrammeRollup, tasks: [TaskSummary], organization org: Organization, calendar: WorkingCalendar) -> Workbook {
        func unitName(_ id: UnitID) -> String { org.unit(id)?.name ?? id.rawValue }
        func official(_ id: OfficialID?) -> String { id.map { org.official($0)?.name ?? $0.rawValue } ?? "" }
        let phases: [TaskPhase] = [.done, .awaitingApproval, .inProgress, .notStarted, .cancelled]
        let summary = Sheet(
            name: "Tổng hợp",
            header: ["Cơ quan chủ trì", "Số nhiệm vụ được giao"] + phases.map(\.nameVi) + ["Quá hạn"],
            rows: (rollup.lines + [rollup.total]).map { line in
                [.text(line.agency.rawValue == "*" ? "Tổng cộng" : unitName(line.agency)), .integer(line.assigned)]
                    + phases.map { .integer(line.count($0)) } + [.integer(line.overdue)]
            })
        let overdue = Sheet(
            name: "Quá hạn",
            header: ["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Người chịu trách nhiệm", "Thời hạn", "Số ngày làm việc quá hạn", "Tình trạng"],
            rows: rollup.overdueTasks.map { t in
                [
                    .text(t.id.rawValue), .text(t.title), .text(unitName(ProgrammeRollup.agency(of: t.leadUnit, in: org))), .text(official(t.owner)),
                    t.dueDate.map { .text($0.dayMonthYear) } ?? .empty,
                    t.dueDate.map { .integer(calendar.workingDays(from: $0, to: rollup.asOf)) } ?? .empty, .text(t.phase.nameVi),
                ]
            })
        let all = Sheet(
            name: "Nhiệm vụ",
            header: ["Mã nhiệm vụ", "Thuộc", "Nhiệm vụ", "Cơ quan chủ trì", "Người chịu trách nhiệm", "Thời hạn", "Tình trạng", "Quá hạn"],
            rows: tasks.map { t in
                [
                    .text(t.id.rawValue), .text(t.parent?.rawValue ?? ""), .text(t.title), .text(unitName(t.leadUnit)), .text(official(t.owner)),
                    t.dueDate.map { .text($0.dayMonthYear) } ?? .empty, .text(t.phase.nameVi), .text(t.isOverdue(on: rollup.asOf) ? "Có" : ""),
                ]
            })
        return Workbook(sheets: [summary, overdue, all])
    }
}
