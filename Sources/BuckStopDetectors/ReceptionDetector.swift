import BuckStopCalendar
import BuckStopDomain

/// `reception_skipped` and `reception_delegated`, over one reception book (sổ tiếp công dân: `CaseKind.reception`, its
/// procedure the level whose schedule judges it). Its events with the role `reception` are the periodic sessions
/// (tiếp công dân định kỳ); a session's day is the date it carries (else the day it was entered), who received is its
/// target (else its actor, else the book's holder).
///
/// - `reception_skipped`: each week or month (the row's period) whose working days all lie between the book's opening
///   and its closing — or, while it is open, the day before the as-of day — in which the level's row in force on every
///   day of the period asked for more session days than were held (by the head, or by a deputy: a session handed over is `reception_delegated`'s,
///   not counted twice). A period with fewer working days than the row asks for asks for those. Names the head who held
///   the book at the period's end; value: session days missing, summed over the periods; limit: the days required
///   in those periods.
/// - `reception_delegated`: a periodic session received by someone other than the book's holder on a day the row in
///   force does not allow delegation (from 1 July 2026, Luật 136/2025/QH15). Names the head who handed it over; value:
///   such sessions.
///
/// Every number comes from the rulebook's `receptionSchedules:`; before a level's first row nothing is judged.
public struct ReceptionDetector: CaseDetector {
    struct Session {
        var position: Int32
        var day: Int32
        var receiver: UInt32
        var holder: UInt32
    }

    let index: Int
    let rows: [ReceptionSchedule]
    let openDay: Int32
    var sessions: [Session] = []
    /// Holder after each change, to name who held the book at a period's end.
    var holders: [(day: Int32, owner: UInt32, position: Int32)]

    /// Whether a case is a reception book: its kind says so, or, in a log without kinds, its procedure names a level.
    public static func isBook(_ header: CaseHeader, context: DetectionContext) -> Bool {
        if let kind = header.kind { return kind == .reception }
        guard let level = header.procedure else { return false }
        return context.rules.receptions.contains { $0.level == level }
    }

    /// A reception book's findings: this detector alone (a register between sessions is not a stalled case).
    public static func fold(_ trace: CaseTrace, header: CaseHeader, context: DetectionContext) -> CaseOutcome {
        let events = trace.events
        let duration = events.isEmpty ? 0 : events[events.count - 1].time - events[0].time
        var outcome = CaseOutcome(caseIndex: trace.index, caseType: trace.caseType, events: events.count, durationMillis: duration)
        guard let opening = events.first else { return outcome }
        var detector = ReceptionDetector(opening: opening, trace: header, context: context)
        var previous = opening
        for position in 1..<max(1, events.count) {
            detector.step(events[position], at: position, previous: previous, context: context)
            previous = events[position]
        }
        detector.finish(last: previous, context: context, into: &outcome)
        return outcome
    }

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        openDay = opening.day
        rows = context.rules.receptions.filter { $0.level == trace.procedure }.sorted { $0.effectiveFrom < $1.effectiveFrom }
        holders = [(opening.day, opening.owner, 0)]
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        if event.owner != 0 && event.owner != holders[holders.count - 1].owner {
            holders.append((event.day, event.owner, Int32(position)))
        }
        guard event.role == .reception else { return }
        let holder = previous.owner != 0 ? previous.owner : event.owner
        let receiver = event.target != 0 ? event.target : (context.hasActor && event.actor != 0 ? event.actor : holder)
        let day = event.due != CaseEvent.noDay ? event.due : event.day
        sessions.append(Session(position: Int32(position), day: day, receiver: receiver, holder: holder))
    }

    func holder(on day: Int32) -> (owner: UInt32, position: Int32) {
        let h = holders.last { $0.day <= day } ?? holders[0]
        return (h.owner, h.position)
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        guard !rows.isEmpty else { return }
        if context.enabled.contains(.receptionSkipped) { judgeSkipped(last: last, context: context, into: &outcome) }
        if context.enabled.contains(.receptionDelegated) { judgeDelegated(context: context, into: &outcome) }
    }

    private func judgeSkipped(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        // Judged up to the closing, or while open up to the day before the as-of day (that day is not over).
        let endDay: Int32 = context.isOpen(last) ? (context.asOfDay == Int32.max ? last.day : context.asOfDay - 1) : last.day
        guard endDay >= openDay else { return }
        let start = WorkingDayIndex.date(openDay)
        let end = WorkingDayIndex.date(endDay)
        var short: [UInt32: (missing: Int, required: Int, evidence: [Int32], day: Int32)] = [:]
        var order: [UInt32] = []
        for row in rows {
            let from = max(row.effectiveFrom, start)
            let to = row.effectiveTo.map { min($0, end) } ?? end
            guard from <= to else { continue }
            var period = row.per.bounds(of: from)
            while period.first <= to {
                defer { period = row.per.bounds(of: period.last.adding(days: 1)) }
                let first = WorkingDayIndex.day(period.first)
                let lastDay = WorkingDayIndex.day(period.last)
                // Judged when the row is law on every day of the period and every working day of it lies in the book's
                // span: a book opened on 2 January (1 January is a holiday) answers for January.
                guard row.covers(period.first, period.last), context.days.workingDays(from: first - 1, to: openDay - 1) <= 0,
                    context.days.workingDays(from: endDay, to: lastDay) <= 0
                else { continue }
                let workingDays = context.days.workingDays(from: first - 1, to: lastDay)
                let required = min(row.days, workingDays)
                let held = Set(sessions.lazy.filter { $0.day >= first && $0.day <= lastDay }.map(\.day)).count
                if held < required {
                    let (owner, position) = holder(on: lastDay)
                    let evidence = sessions.filter { $0.day >= first && $0.day <= lastDay }.map(\.position)
                    if short[owner] == nil { order.append(owner) }
                    var entry = short[owner] ?? (0, 0, [], lastDay)
                    entry.missing += required - held
                    entry.required += required
                    entry.evidence += evidence.isEmpty ? [position] : evidence
                    entry.day = lastDay
                    short[owner] = entry
                }
            }
        }
        for owner in order {
            guard let entry = short[owner] else { continue }
            outcome.findings.append(
                DetectorFinding(
                    detector: .receptionSkipped, caseIndex: index, owner: owner,
                    severity: context.thresholds.severity.grade(value: Double(entry.missing), reference: Double(entry.required)),
                    evidence: Array(Set(entry.evidence)).sorted(), value: Double(entry.missing), limit: Double(entry.required), day: entry.day))
        }
    }

    private func judgeDelegated(context: DetectionContext, into outcome: inout CaseOutcome) {
        var handed: [UInt32: (count: Int, periodic: Int, evidence: [Int32], day: Int32)] = [:]
        var order: [UInt32] = []
        for session in sessions {
            let date = WorkingDayIndex.date(session.day)
            guard let row = rows.first(where: { $0.isInForce(on: date) }), !row.delegationAllowed else { continue }
            if handed[session.holder] == nil { order.append(session.holder) }
            var entry = handed[session.holder] ?? (0, 0, [], session.day)
            entry.periodic += 1
            if session.receiver != session.holder {
                entry.count += 1
                entry.evidence.append(session.position)
                entry.day = session.day
            }
            handed[session.holder] = entry
        }
        for owner in order {
            guard let entry = handed[owner], entry.count > 0 else { continue }
            outcome.findings.append(
                DetectorFinding(
                    detector: .receptionDelegated, caseIndex: index, owner: owner,
                    severity: context.thresholds.severity.grade(value: Double(entry.count), reference: Double(entry.periodic)),
                    evidence: entry.evidence, value: Double(entry.count), limit: 0, day: entry.day))
        }
    }
}
