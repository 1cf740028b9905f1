import BuckStopDomain

/// `overdue` and `no_apology`. The case is finished at its first resolution (else its first closing). The due
/// date is the opening's, or for a complaint or denunciation the one its acceptance starts (thụ lý: the law counts
/// from acceptance, so a case not yet accepted has no resolution clock — its intake is `late_intake`'s), replaced by
/// a new date on receipt of supplements (NĐ 61/2018 Đ.19.4: the clock restarts) and by extensions up to the number
/// the rulebook allows; an apology with a new appointment
/// (`reschedule`) does not move it — the case is still late (Đ.19.9). Overdue: finished after the due date,
/// or open past it on the as-of day (unless awaiting supplements, which stops the clock). No apology: overdue
/// and no reschedule at least `apology.minDaysBeforeDue` days before that due date (the rulebook's row in force on the
/// day the case was received; before the first row, no apology is judged).
public struct DeadlineDetector: CaseDetector {
    struct Snapshot {
        var position: Int32
        var day: Int32
        var due: Int32
        var reschedules: Int
    }

    var due: Int32
    /// The day the clock started: the opening, or the acceptance that set the due date (lateness weighs against the
    /// time from there).
    var clockDay: Int32
    var extensions = 0
    let allowedExtensions: Int
    let apologyDays: Double?
    var reschedules: [(position: Int32, day: Int32)] = []
    var atResolution: Snapshot?
    var atClosing: Snapshot?
    /// Owner after each change, to name who held the case on the due day.
    var holders: [(day: Int32, owner: UInt32)] = []
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        due = opening.due
        clockDay = opening.day
        holders.append((opening.day, opening.owner))
        apologyDays = context.thresholds.limits.value(.apologyMinDaysBeforeDue, onDay: opening.day)
        if let kind = trace.kind,
            let rule = context.rules.rule(
                for: kind, procedure: trace.procedure, step: .extension, on: WorkingDayIndex.date(opening.day))
        {
            allowedExtensions = rule.maxCount ?? Int.max
        } else {
            allowedExtensions = 0
        }
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        if event.owner != 0 && event.owner != holders[holders.count - 1].owner { holders.append((event.day, event.owner)) }
        if atResolution != nil { return }  // nothing after the finish can change the verdict
        switch event.role {
        case .supplementReceived, .resumption: if event.due != CaseEvent.noDay { due = event.due }
        case .acceptance:
            if due == CaseEvent.noDay && event.due != CaseEvent.noDay {
                due = event.due
                clockDay = event.day
            }
        case .extension:
            extensions += 1
            if extensions <= allowedExtensions && event.due != CaseEvent.noDay { due = event.due }
        case .reschedule: reschedules.append((Int32(position), event.day))
        default: break
        }
        if event.role == .resolution {
            atResolution = Snapshot(position: Int32(position), day: event.day, due: due, reschedules: reschedules.count)
        } else if atClosing == nil && event.closes(after: previous) {
            atClosing = Snapshot(position: Int32(position), day: event.day, due: due, reschedules: reschedules.count)
        }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        // A log that never says when a case closes finishes it at its last event.
        let finish =
            atResolution ?? atClosing
            ?? (context.knowsClosing ? nil : Snapshot(position: Int32(outcome.events - 1), day: last.day, due: due, reschedules: reschedules.count))
        let dueDay = finish?.due ?? due
        guard dueDay != CaseEvent.noDay else { return }
        // Awaiting the applicant's supplements or suspended, the clock stands still.
        let paused = finish == nil && (last.status == .awaitingSupplement || last.status == .suspended)
        let endDay = finish?.day ?? context.asOfDay
        guard !paused, endDay > dueDay else { return }
        let holder = holders.last(where: { $0.day <= dueDay })?.owner ?? holders[0].owner
        let evidence: [Int32] = [finish?.position ?? Int32(outcome.events - 1)]
        let lateDays = Double(endDay - dueDay)
        // Lateness weighs against the time the case was given (`SeverityScale`), in the same calendar days.
        let severity = context.thresholds.severity.grade(value: lateDays, reference: Double(dueDay - clockDay))
        if context.enabled.contains(.overdue) {
            outcome.findings.append(
                DetectorFinding(
                    detector: .overdue, caseIndex: index, owner: holder,
                    severity: severity,
                    evidence: evidence, value: lateDays, limit: 0, day: dueDay))
        }
        // Reschedules strictly before the finishing event count as apologies when early enough.
        let considered = reschedules.filter { finish == nil || $0.position < finish!.position }
        guard let apologyDays else { return }
        let apologised = considered.contains { Double($0.day) <= Double(dueDay) - apologyDays }
        if !apologised && context.enabled.contains(.noApology) {
            outcome.findings.append(
                DetectorFinding(
                    detector: .noApology, caseIndex: index, owner: holder, severity: severity,
                    evidence: evidence + considered.map(\.position), value: lateDays, limit: apologyDays, day: dueDay))
        }
    }
}
