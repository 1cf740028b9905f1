import BuckStopCalendar
import Foundation

/// The times and dates BuckStop accepts from outside, before anything is written.
///
/// Why: a case stamped in year 9999, or given a due date eight thousand years away, is not a record of work; it
/// crashed pages and stalled every deadline computation. The server stamps its own clock on actions; only an
/// integration allowed to import history may give a time, and then only one the rulebook can judge (from the first
/// day any of its rules is in force) and not past the server's clock by more than the tolerated skew. Every date a
/// person types (due date, consultation deadline, new appointment, extension) must fall between the action's own day
/// and the rulebook's longest horizon; an extension may not go beyond what the rule for that kind of case allows for
/// one extension. The limits are rulebook thresholds, with their source.
public struct InputBounds: Sendable, Hashable {
    /// How far ahead of the server's clock an imported time may be (clocks of integrated systems drift).
    public let futureSkewMillis: Int64
    /// The first day the rulebook has any rule in force: an imported time before it cannot be judged.
    public let earliestDay: CivilDate
    /// The farthest a date may lie after the day of the action that sets it.
    public let maxDaysAhead: Int

    public static let futureSkewID = "input.futureSkewSeconds"
    public static let maxDaysAheadID = "input.maxDaysAhead"

    public init(rulebook: Rulebook) throws(DomainError) {
        guard let skew = rulebook.threshold(Self.futureSkewID), skew >= 0, skew <= 86_400 else {
            throw .invalidRulebook(
                "threshold \(Self.futureSkewID) is required: seconds an imported time may lie ahead of the server's clock (0…86400)")
        }
        guard let ahead = rulebook.threshold(Self.maxDaysAheadID), ahead >= 1, ahead <= 36_500 else {
            throw .invalidRulebook("threshold \(Self.maxDaysAheadID) is required: days a date may lie after its action (1…36500)")
        }
        guard let earliest = rulebook.rules.map(\.effectiveFrom).min() else {
            throw .invalidRulebook("no deadline rule: imported times cannot be bounded")
        }
        futureSkewMillis = Int64(skew * 1000)
        maxDaysAhead = Int(ahead)
        earliestDay = earliest
    }

    /// An action time given from outside (an import): not before the rulebook's first rule, not after now + skew.
    public func checkGivenTime(_ at: Int64, now: Int64, action: String, field: String = "at") throws(DomainError) {
        let latest = now + futureSkewMillis
        guard at <= latest else {
            throw .invalidField(
                action: action, field: field,
                reason: .laterThanClock(latest: latest, skewSeconds: futureSkewMillis / 1000, found: at))
        }
        let earliest = Int64(earliestDay.startInstant().timeIntervalSince1970 * 1000)
        guard at >= earliest else {
            throw .invalidField(
                action: action, field: field, reason: .beforeFirstRule(earliest: earliestDay, found: at))
        }
    }

    /// The dates an action carries, against the day of the action (and, for an extension, the rule of the case).
    public func checkDates(
        of body: ActionBody, at: Int64, case state: CaseState?, rulebook: Rulebook, calendar: WorkingCalendar
    ) throws(DomainError) {
        let action = body.type.rawValue
        let day = CivilDate(Date(timeIntervalSince1970: Double(at) / 1000))
        func within(_ date: CivilDate, field: String, latest: CivilDate? = nil) throws(DomainError) {
            let last = latest ?? day.adding(days: maxDaysAhead)
            guard date >= day, date <= last else {
                throw .invalidField(action: action, field: field, reason: .dateOutOfRange(from: day, to: last, found: date))
            }
        }
        switch body {
        case .open(let open):
            if let due = open.dueDate { try within(due, field: "dueDate") }
            // Documents listed at intake are the receipt's promise; a list that leaves out what the procedure requires
            // is an incomplete dossier. No list at all (an import of history, a kind without a checklist) is not judged.
            if !open.documents.isEmpty, let procedure = open.procedure, let checklist = rulebook.procedure(procedure)?.documents {
                let missing = checklist.missing(from: open.documents)
                if !missing.isEmpty { throw .invalidField(action: action, field: "documents", reason: .dossierIncomplete(missing: missing)) }
            }
        case .suspend:
            // Suspension exists for a kind only from the day the law made it (a complaint: 1 July 2026).
            if let kind = state?.kind, let gate = rulebook.suspension(of: kind, on: day), !gate.allowed {
                throw .invalidField(action: action, field: "case", reason: .suspensionNotInForce(kind: kind, from: gate.firstDay))
            }
        case .consult(_, _, let due):
            try within(due, field: "dueDate")
        case .supplementReceived(_, let due?):
            try within(due, field: "newDueDate")
        case .accept(_, let due?):
            try within(due, field: "dueDate")
        case .resume(_, let due?):
            try within(due, field: "newDueDate")
        case .reschedule(let due, _):
            try within(due, field: "newDueDate")
        case .extend(let due, _):
            try within(due, field: "newDueDate", latest: extensionLimit(state, rulebook: rulebook, calendar: calendar))
        default:
            break
        }
    }

    /// The latest due date one extension may set: the case's due date plus the extension rule in force when the case
    /// was opened; nil (the general horizon) when its kind has no such rule.
    func extensionLimit(_ state: CaseState?, rulebook: Rulebook, calendar: WorkingCalendar) -> CivilDate? {
        guard let state, let due = state.dueDate else { return nil }
        let opened = CivilDate(Date(timeIntervalSince1970: Double(state.openedAt) / 1000))
        guard let rule = rulebook.rule(for: state.kind, procedure: state.procedure, step: .extension, on: opened) else { return nil }
        switch rule.unit {
        case .workingDays: return calendar.addingWorkingDays(rule.duration, to: due)
        case .days, .sameDay: return calendar.nextWorkingDay(onOrAfter: due.adding(days: rule.duration))
        }
    }
}
