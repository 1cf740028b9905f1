import BuckStopCalendar

/// Tasks of one lead unit in one phase due on one day, as a store counts them off its index.
public struct TaskGroup: Sendable, Hashable {
    public var leadUnit: UnitID
    public var phase: TaskPhase
    public var dueDate: CivilDate?
    public var count: Int

    public init(leadUnit: UnitID, phase: TaskPhase, dueDate: CivilDate?, count: Int) {
        self.leadUnit = leadUnit
        self.phase = phase
        self.dueDate = dueDate
        self.count = count
    }
}

extension TaskPhase {
    /// The phases in the order of the tracking sheet's sentence ("24 hoàn thành, 10 dự thảo chờ phê duyệt, …").
    public static let sheetOrder: [TaskPhase] = [.done, .submitted, .awaitingApproval, .inProgress, .notStarted]

    /// Past its due date and not finished, as of a day: due yesterday or before (due today is still on time). The one
    /// rule of overdue for tasks; the stores' list of overdue tasks selects the same (`ProgrammeSQL.overdue`).
    public func isOverdue(due: CivilDate?, on day: CivilDate) -> Bool {
        guard let due, canBeOverdue else { return false }
        return due < day
    }
}

/// How many tasks of one lead unit stand in one phase, and how many of them are overdue on the day asked: one row of
/// what a store counts for a roll-up (`ProgrammeQueries.programmeCounts`).
public struct TaskCount: Sendable, Hashable {
    public var leadUnit: UnitID
    public var phase: TaskPhase
    public var count: Int
    /// Of `count`, those unfinished with their due date before the day asked (always 0 for done and cancelled).
    public var overdue: Int

    public init(leadUnit: UnitID, phase: TaskPhase, count: Int, overdue: Int) {
        self.leadUnit = leadUnit
        self.phase = phase
        self.count = count
        self.overdue = overdue
    }

    /// The groups a store counted, summed by lead unit and phase with the overdue on `day`, in a stable order.
    public static func tally(_ groups: [TaskGroup], asOf day: CivilDate) -> [TaskCount] {
        var out: [TaskCount] = []
        var at: [String: Int] = [:]
        for g in groups {
            let key = g.leadUnit.rawValue + "|" + g.phase.rawValue
            let late = g.phase.isOverdue(due: g.dueDate, on: day) ? g.count : 0
            if let i = at[key] {
                out[i].count += g.count
                out[i].overdue += late
            } else {
                at[key] = out.count
                out.append(TaskCount(leadUnit: g.leadUnit, phase: g.phase, count: g.count, overdue: late))
            }
        }
        return out
    }
}

extension TaskGroup {
    /// The latest due date among the first `limit` overdue tasks on `day`, earliest due first — so that a store lists
    /// them by reading the tasks due up to that date and no further (ties on the last date may add a few); nil when no
    /// task is overdue.
    public static func overdueCutoff(_ groups: [TaskGroup], asOf day: CivilDate, limit: Int) -> CivilDate? {
        var late: [CivilDate: Int] = [:]
        for g in groups where g.phase.isOverdue(due: g.dueDate, on: day) {
            if let due = g.dueDate { late[due, default: 0] += g.count }
        }
        var seen = 0
        let dates = late.keys.sorted()
        for date in dates {
            seen += late[date] ?? 0
            if seen >= limit { return date }
        }
        return dates.last
    }
}

/// The roll-up of a programme, the shape of the tracking sheet officials keep ("34 nhiệm vụ giao 11 cơ quan: 24 hoàn
/// thành, 10 dự thảo chờ phê duyệt"): per agency and in total, tasks by phase and how many are overdue, with the
/// overdue tasks and their named owners. Pure: built from what the store counted, so pages, the API and the command line
/// say the same numbers.
public struct ProgrammeRollup: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The agency (the lead unit, or the unit above it when the lead is a division of an agency).
        public var agency: UnitID
        public var byPhase: [TaskPhase: Int]
        public var overdue: Int

        public var total: Int { byPhase.values.reduce(0, +) }
        /// Tasks that count towards the programme: all but the cancelled.
        public var assigned: Int { total - (byPhase[.cancelled] ?? 0) }
        public func count(_ phase: TaskPhase) -> Int { byPhase[phase] ?? 0 }
    }

    public var asOf: CivilDate
    /// Agencies with at least one task, most overdue first, then by name of the unit id.
    public var lines: [Line]
    public var total: Line
    /// Overdue tasks, earliest due first, as the store listed them (at most the limit it was asked for).
    public var overdueTasks: [TaskSummary]

    public init(counts: [TaskCount], overdue: [TaskSummary], asOf: CivilDate, organization: Organization) {
        self.asOf = asOf
        var byAgency: [UnitID: Line] = [:]
        var total = Line(agency: UnitID("*"), byPhase: [:], overdue: 0)
        for row in counts {
            let agency = Self.agency(of: row.leadUnit, in: organization)
            var line = byAgency[agency] ?? Line(agency: agency, byPhase: [:], overdue: 0)
            line.byPhase[row.phase, default: 0] += row.count
            line.overdue += row.overdue
            byAgency[agency] = line
            total.byPhase[row.phase, default: 0] += row.count
            total.overdue += row.overdue
        }
        self.lines = byAgency.values.sorted { ($0.overdue, $1.agency.rawValue) > ($1.overdue, $0.agency.rawValue) }
        self.total = total
        self.overdueTasks = overdue
    }

    /// The agency a unit answers through: a division (phòng) rolls up into the agency it belongs to.
    public static func agency(of unit: UnitID, in organization: Organization) -> UnitID { organization.body(of: unit) }

    /// Agencies that hold at least one task that was not cancelled.
    public var agencyCount: Int { lines.filter { $0.assigned > 0 }.count }

    /// The sentence of the tracking sheet, in Vietnamese: "34 nhiệm vụ giao 11 cơ quan: 24 hoàn thành, 10 dự thảo chờ phê
    /// duyệt; 3 quá hạn". Phases with no task are left out.
    public var summaryVi: String {
        let parts = TaskPhase.sheetOrder.compactMap { phase -> String? in
            let n = total.count(phase)
            return n == 0 ? nil : "\(n) \(phase.nameVi.lowercased())"
        }
        var text = "\(total.assigned) nhiệm vụ giao \(agencyCount) cơ quan"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if total.overdue > 0 { text += "; \(total.overdue) quá hạn" }
        return text
    }

    public var summaryEn: String {
        let parts = TaskPhase.sheetOrder.compactMap { phase -> String? in
            let n = total.count(phase)
            return n == 0 ? nil : "\(n) \(phase.nameEn.lowercased())"
        }
        var text = "\(total.assigned) tasks assigned to \(agencyCount) agencies"
        if !parts.isEmpty { text += ": " + parts.joined(separator: ", ") }
        if total.overdue > 0 { text += "; \(total.overdue) overdue" }
        return text
    }
}
