import BuckStopDomain
import Foundation

/// `extension_abuse` (Luật Tố cáo Đ.30): more extensions than the rule for the case allows (none without a
/// rule), or one that sets a date past what the rule's duration allows from the due date it extends. Named: who
/// extended — the first extension's actor (docs/FINDINGS.md), as for repeated reschedules, not whoever held the case.
public struct ExtensionDetector: CaseDetector {
    let rule: DeadlineRule?
    let allowed: Int
    /// The rulebook's cut-off hour on the day the case was received (for a same-day extension rule).
    let cutoffHour: Int?
    /// The due date as the case state holds it (moved by supplements, reschedules and extensions).
    var stateDue: Int32
    var extensions: [Int32] = []
    var tooLong: [Int32] = []
    var extender: UInt32 = 0
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        stateDue = opening.due
        cutoffHour = context.thresholds.limits.value(.intakeCutoffHour, onDay: opening.day).map { Int($0) }
        if let kind = trace.kind {
            rule = context.rules.rule(for: kind, procedure: trace.procedure, step: .extension, on: WorkingDayIndex.date(opening.day))
        } else {
            rule = nil
        }
        allowed = rule == nil ? 0 : (rule!.maxCount ?? Int.max)
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        switch event.role {
        case .extension:
            extensions.append(Int32(position))
            if extender == 0 { extender = RepetitionDetector.doer(of: event, previous: previous) }
            if let rule, stateDue != CaseEvent.noDay, event.due != CaseEvent.noDay {
                let limit = context.days.calendar.deadline(
                    receivedAt: WorkingDayIndex.date(stateDue).startInstant(utcOffsetSeconds: context.utcOffsetSeconds),
                    duration: rule.duration, unit: rule.unit, cutoffHour: cutoffHour, utcOffsetSeconds: context.utcOffsetSeconds)
                if event.due > WorkingDayIndex.day(limit) { tooLong.append(Int32(position)) }
            }
            if event.due != CaseEvent.noDay { stateDue = event.due }
        case .supplementReceived, .reschedule, .resumption:
            if event.due != CaseEvent.noDay { stateDue = event.due }
        case .acceptance:
            // Acceptance starts a clock only where none runs yet (as `DeadlineDetector` reads it).
            if stateDue == CaseEvent.noDay { stateDue = event.due }
        default: break
        }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        guard extensions.count > allowed || !tooLong.isEmpty, context.enabled.contains(.extensionAbuse) else { return }
        outcome.findings.append(
            DetectorFinding(
                detector: .extensionAbuse, caseIndex: index, owner: extender,
                severity: context.thresholds.severity.grade(
                    value: Double(extensions.count), reference: allowed == Int.max ? 0 : Double(allowed),
                    repeated: extensions.count > allowed && !tooLong.isEmpty),
                evidence: extensions, value: Double(extensions.count), limit: Double(allowed == Int.max ? -1 : allowed)))
    }
}
