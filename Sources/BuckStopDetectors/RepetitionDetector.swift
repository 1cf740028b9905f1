/// `repeat_reschedule` (more than `reschedule.max` new appointment dates, NĐ 61/2018 Đ.19.9: "không quá một
/// lần"), `repeat_supplement` (more than `supplement.max` requests, Đ.15.3) and `rework` (more than one decision
/// or result when the mapping says which activities those are; otherwise the same activity repeated). The two limits
/// are the rulebook's rows in force on the day the case was received; before the first row, the case is not judged.
public struct RepetitionDetector: CaseDetector {
    var reschedules: [Int32] = []
    var supplements: [Int32] = []
    var decisions: [Int32] = []
    var resolutions: [Int32] = []
    var firstSeen: [UInt32: Int32] = [:]
    var repeats: [Int32] = []
    var rescheduler: UInt32 = 0
    var requester: UInt32 = 0
    var reworker: UInt32 = 0
    let rescheduleMax: Double?
    let supplementMax: Double?
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        rescheduleMax = context.thresholds.limits.value(.rescheduleMax, onDay: opening.day)
        supplementMax = context.thresholds.limits.value(.supplementMax, onDay: opening.day)
        if !context.reworkByRoles { firstSeen[opening.activity] = 0 }
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        let p = Int32(position)
        switch event.role {
        case .reschedule:
            reschedules.append(p)
            if rescheduler == 0 { rescheduler = previous.owner }
        case .supplementRequest:
            supplements.append(p)
            if requester == 0 { requester = previous.owner }
        case .decision: decisions.append(p)
        case .resolution: resolutions.append(p)
        default: break
        }
        if !context.reworkByRoles {
            if let first = firstSeen[event.activity] {
                if repeats.isEmpty { repeats.append(first) }
                repeats.append(p)
                if reworker == 0 { reworker = previous.owner }
            } else {
                firstSeen[event.activity] = p
            }
        }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        if let rescheduleMax, Double(reschedules.count) > rescheduleMax, context.enabled.contains(.repeatReschedule) {
            outcome.findings.append(
                DetectorFinding(
                    detector: .repeatReschedule, caseIndex: index, owner: rescheduler,
                    severity: context.thresholds.severity.grade(value: Double(reschedules.count), reference: rescheduleMax), evidence: reschedules,
                    value: Double(reschedules.count), limit: rescheduleMax))
        }
        if let supplementMax, Double(supplements.count) > supplementMax, context.enabled.contains(.repeatSupplement) {
            outcome.findings.append(
                DetectorFinding(
                    detector: .repeatSupplement, caseIndex: index, owner: requester,
                    severity: context.thresholds.severity.grade(value: Double(supplements.count), reference: supplementMax), evidence: supplements,
                    value: Double(supplements.count), limit: supplementMax))
        }
        guard context.enabled.contains(.rework) else { return }
        if context.reworkByRoles {
            let list = decisions.count > 1 ? decisions : resolutions
            if list.count > 1 {
                outcome.findings.append(
                    DetectorFinding(
                        detector: .rework, caseIndex: index, owner: 0,
                        severity: context.thresholds.severity.grade(value: Double(list.count), reference: 1), evidence: list,
                        value: Double(list.count),
                        limit: 1))
            }
        } else if !repeats.isEmpty {
            outcome.findings.append(
                DetectorFinding(
                    detector: .rework, caseIndex: index, owner: reworker,
                    severity: context.thresholds.severity.grade(value: Double(repeats.count), reference: 1), evidence: repeats,
                    value: Double(repeats.count), limit: 1))
        }
    }
}
