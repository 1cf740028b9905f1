import BuckStopCalendar
import BuckStopDomain
import Foundation

/// `late_intake`: a dossier not forwarded by the same working day (the next one when received after the
/// cut-off hour; NĐ 61/2018 Đ.18), a complaint not accepted within the accept rule (Luật Khiếu nại Đ.27),
/// a denunciation not classified within its rule (Luật Tố cáo Đ.24), a petition not answered within its rule
/// (Luật Tiếp công dân Đ.28) — or still missing past the deadline on the as-of day. A refusal to accept (không thụ lý),
/// guidance to the competent body (hướng dẫn) or closing as a duplicate is the letter's intake outcome too: on time it
/// meets the step, late it is late. A late dossier forward is
/// also the minor finding that `accumulation` counts, attributed to whoever held the dossier on the deadline.
public struct IntakeDetector: CaseDetector {
    let deadline: Int32?
    /// Working days the step was allotted (the severity's reference for lateness).
    let allotted: Double
    let kind: CaseKind?
    var met: (position: Int32, day: Int32)?
    var holder: UInt32
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        kind = trace.kind
        holder = opening.owner
        // The rule and the cut-off hour in force on the day of receipt; before the first rule the rulebook has, there is
        // no law to judge the case by (a loaded rulebook has every kind's intake rule, so nothing else is missing).
        let day = WorkingDayIndex.date(opening.day)
        guard let kind = trace.kind, let step = kind.intakeStep,
            let rule = context.rules.rule(for: kind, procedure: trace.procedure, step: step, on: day)
        else {
            deadline = nil
            allotted = 0
            return
        }
        let date = context.days.calendar.deadline(
            receivedAt: Date(timeIntervalSince1970: Double(opening.time) / 1000), duration: rule.duration, unit: rule.unit,
            cutoffHour: context.thresholds.limits.value(.intakeCutoffHour, onDay: opening.day).map { Int($0) },
            utcOffsetSeconds: context.utcOffsetSeconds)
        deadline = WorkingDayIndex.day(date)
        allotted = Double(context.days.workingDays(from: opening.day, to: WorkingDayIndex.day(date)))
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        guard let deadline else { return }
        if event.day <= deadline && event.owner != 0 { holder = event.owner }
        guard met == nil else { return }
        let meets: Bool
        switch kind {
        case .dossier: meets = event.moved(from: previous)
        case .complaint, .denunciation: meets = event.role == .acceptance || event.role.endsAtIntake || event.role == .withdrawal
        case .petition: meets = event.role == .resolution || event.role.endsAtIntake
        default: meets = false
        }
        if meets { met = (Int32(position), event.day) }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        guard let deadline else { return }
        let late: Bool
        if let met { late = met.day > deadline } else { late = context.isOpen(last) && context.asOfDay > deadline }
        guard late else { return }
        let position = met?.position ?? Int32(outcome.events - 1)
        if kind == .dossier { outcome.minor = (holder, deadline, position) }
        guard context.enabled.contains(.lateIntake) else { return }
        let lateDays = Double(context.days.workingDays(from: deadline, to: met?.day ?? context.asOfDay))
        outcome.findings.append(
            DetectorFinding(
                detector: .lateIntake, caseIndex: index, owner: holder,
                severity: context.thresholds.severity.grade(value: lateDays, reference: allotted),
                evidence: [0, position], value: lateDays, limit: 0, day: deadline))
    }
}
