import BuckStopCalendar

/// Where a case stands against its due date on the day a reminder is for, in working days (the unit officials' deadlines
/// are counted in, and the one the inbox shows).
public enum ReminderDue: Sendable, Hashable {
    /// Due within the lead time (`reminder.workingDaysBeforeDue`): working days left, 0 when it is due today.
    case dueSoon(workingDaysLeft: Int)
    /// Past its due date: working days since it, at least 1.
    case overdue(workingDaysLate: Int)

    /// "due_soon" or "overdue": what a notice, an event and a test name the kind by.
    public var code: String {
        switch self {
        case .dueSoon: "due_soon"
        case .overdue: "overdue"
        }
    }

    public var workingDays: Int {
        switch self {
        case .dueSoon(let left): left
        case .overdue(let late): late
        }
    }

    public var vietnamese: String {
        switch self {
        case .dueSoon(0): "Đến hạn hôm nay"
        case .dueSoon(let left): "Sắp đến hạn: còn \(left) ngày làm việc"
        case .overdue(let late): "Quá hạn \(late) ngày làm việc"
        }
    }

    public var english: String {
        switch self {
        case .dueSoon(0): "Due today"
        case .dueSoon(let left): "Due soon: \(left) working day\(left == 1 ? "" : "s") left"
        case .overdue(let late): "Overdue by \(late) working day\(late == 1 ? "" : "s")"
        }
    }
}

/// What the reminder planner needs to know of an open case: who answers for it, by when, and whether its clock runs.
/// Built from the projection (`init?(_:)`), so the inbox and the scheduled reminders read the same fields.
public struct ReminderSubject: Sendable, Hashable {
    public var id: CaseID
    public var kind: CaseKind
    public var owner: OfficialID
    public var dueDate: CivilDate
    public var status: CaseStatus
    /// A task's phase; nil for the other kinds.
    public var taskPhase: TaskPhase?
    public var suspended: Bool

    public init(
        id: CaseID, kind: CaseKind, owner: OfficialID, dueDate: CivilDate, status: CaseStatus, taskPhase: TaskPhase? = nil,
        suspended: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.dueDate = dueDate
        self.status = status
        self.taskPhase = taskPhase
        self.suspended = suspended
    }

    /// Nil for a case nobody can be reminded of: closed (no owner) or without a due date.
    public init?(_ state: CaseState) {
        guard let owner = state.owner, let due = state.dueDate else { return nil }
        self.init(
            id: state.id, kind: state.kind, owner: owner, dueDate: due, status: state.status, taskPhase: state.taskPhase,
            suspended: state.isSuspended)
    }

    /// Whether the owner still owes something by the due date. A task by its phase, the one rule the roll-up counts
    /// overdue by (`TaskPhase.isOverdue`; an unfinished task is received or processing). Any other work item while it is
    /// being handled: a decision made (resolved), a dossier back with the applicant for supplements, or a suspended case
    /// has its clock stopped (NĐ 61/2018 Đ.19(4); Luật Tố cáo Đ.34), so nothing is due from the owner. The two registers
    /// (reception books, programmes and plans) hold others' work: their items are reminded, not the register.
    public var clockRuns: Bool {
        guard Self.runningStatuses.contains(status) else { return false }
        if let taskPhase { return taskPhase.canBeOverdue }
        switch kind {
        case .reception, .programme: return false
        case .dossier, .task, .complaint, .denunciation, .petition, .proposal: return !suspended
        }
    }

    /// The statuses a case's clock can run in (an unfinished task is in one of them too): the stores read only these,
    /// so they never read a row this rule would drop for its status.
    public static let runningStatuses: [CaseStatus] = [.received, .processing]
}

/// One reminder: which case, to whom, how it stands, and the day it is for.
public struct Reminder: Sendable, Hashable {
    public var caseID: CaseID
    public var kind: CaseKind
    public var owner: OfficialID
    public var dueDate: CivilDate
    public var due: ReminderDue
    public var day: CivilDate

    public init(caseID: CaseID, kind: CaseKind, owner: OfficialID, dueDate: CivilDate, due: ReminderDue, day: CivilDate) {
        self.caseID = caseID
        self.kind = kind
        self.owner = owner
        self.dueDate = dueDate
        self.due = due
        self.day = day
    }
}

/// Which open cases their owners are reminded of on a day (issue 17): those due within the lead time the rulebook gives
/// (`reminder.workingDaysBeforeDue`, the row in force that day: an agency that changes its working rule changes the
/// reminders from that day on) and those past their due date. Pure: the stores read the candidates, the inbox and the
/// scheduled reminders both ask this.
public struct ReminderPlanner: Sendable {
    public let rulebook: Rulebook
    public let calendar: WorkingCalendar

    public init(rulebook: Rulebook, calendar: WorkingCalendar) {
        self.rulebook = rulebook
        self.calendar = calendar
    }

    /// The lead time in force on `day`; nil before the rulebook's first row (nothing is reminded ahead then).
    public func leadWorkingDays(on day: CivilDate) -> Int? {
        rulebook.limit(.reminderWorkingDaysBeforeDue, on: day)?.value
    }

    /// The latest due date a case reminded of on `day` can have: the day before the working day just past the lead time
    /// (a Saturday or holiday before it has no more working days left than that working day). What a store reads up to.
    public func horizon(on day: CivilDate) -> CivilDate {
        guard let lead = leadWorkingDays(on: day) else { return day.adding(days: -1) }
        return calendar.addingWorkingDays(lead + 1, to: day).adding(days: -1)
    }

    /// The reminder for one case on `day`, if any.
    public func reminder(for subject: ReminderSubject, on day: CivilDate) -> Reminder? {
        guard subject.clockRuns else { return nil }
        let due: ReminderDue
        if subject.dueDate < day {
            // Late from the day after the due date (the roll-up's rule); on a day off right after it no working day has
            // passed yet, but the case is late and the next working day is its first one late.
            due = .overdue(workingDaysLate: max(1, calendar.workingDays(from: subject.dueDate, to: day)))
        } else {
            guard let lead = leadWorkingDays(on: day) else { return nil }
            let left = calendar.workingDays(from: day, to: subject.dueDate)
            guard left <= lead else { return nil }
            due = .dueSoon(workingDaysLeft: left)
        }
        return Reminder(caseID: subject.id, kind: subject.kind, owner: subject.owner, dueDate: subject.dueDate, due: due, day: day)
    }

    /// The reminders of `day`: the most overdue first, then the fewest working days left; ties by case id.
    public func plan(_ subjects: [ReminderSubject], on day: CivilDate) -> [Reminder] {
        subjects.compactMap { reminder(for: $0, on: day) }.sorted { a, b in
            (Self.urgency(a.due), a.caseID.rawValue) < (Self.urgency(b.due), b.caseID.rawValue)
        }
    }

    private static func urgency(_ due: ReminderDue) -> Int {
        switch due {
        case .overdue(let late): -late
        case .dueSoon(let left): left
        }
    }
}
