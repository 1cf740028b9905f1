/// `repeat_reschedule` (more than `reschedule.max` new appointment dates, NĐ 61/2018 Đ.19.9: "không quá một
/// lần"), `repeat_supplement` (more than `supplement.max` requests, Đ.15.3) and `rework` (more than one decision
/// or result when the mapping says which activities those are; otherwise the same activity repeated). The two limits
/// are the rulebook's rows in force on the day the case was received; before the first row, the case is not judged.
/// The one named for a repeated reschedule or supplement request is who made the first of them (docs/FINDINGS.md:
/// "who rescheduled", "who requested"), not whoever held the case just before; an event without an owner keeps
/// the holder's name.
///
/// Rework by roles names who redid the step — the one who made the second decision (or, with at most one decision, the
/// second result) — as docs/FINDINGS.md says ("the owner who redid it"); it used to name no one, so a redone decision
/// was a finding about nobody.
///
/// Rework without roles (docs/FINDINGS.md): the value is the number of times *the* step was done — the activity done
/// most often, ties to the one redone first — its evidence that step's events, and the owner named the one who redid it
/// (the owner of its first repeat, not whoever held the case before). Counting every repeat of every activity as one
/// step said "the same step was done 5 times" of a case whose two steps were each done three times.
public struct RepetitionDetector: CaseDetector {
    var reschedules: [Int32] = []
    var supplements: [Int32] = []
    var decisions: [Int32] = []
    var resolutions: [Int32] = []
    /// Positions of each activity (rework without roles).
    var seen: [UInt32: [Int32]] = [:]
    /// Activity → who did its first repeat, and the order in which activities were first repeated.
    var redoneBy: [UInt32: UInt32] = [:]
    var repeatedOrder: [UInt32] = []
    var rescheduler: UInt32 = 0
    var requester: UInt32 = 0
    /// Who made the second decision and the second result (rework by roles names who redid the step).
    var redecidedBy: UInt32 = 0
    var reresolvedBy: UInt32 = 0
    let rescheduleMax: Double?
    let supplementMax: Double?
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        rescheduleMax = context.thresholds.limits.value(.rescheduleMax, onDay: opening.day)
        supplementMax = context.thresholds.limits.value(.supplementMax, onDay: opening.day)
        if !context.reworkByRoles { seen[opening.activity] = [0] }
    }

    /// Who did the event: its actor where the source records one (the ledger; a log mapped with an actor), else the
    /// event's owner (a log's resource is who performed the event), else the holder before it.
    static func doer(of event: CaseEvent, previous: CaseEvent) -> UInt32 {
        if event.actor != 0 { return event.actor }
        return event.owner != 0 ? event.owner : previous.owner
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        let p = Int32(position)
        switch event.role {
        case .reschedule:
            reschedules.append(p)
            if rescheduler == 0 { rescheduler = Self.doer(of: event, previous: previous) }
        case .supplementRequest:
            supplements.append(p)
            if requester == 0 { requester = Self.doer(of: event, previous: previous) }
        case .decision:
            decisions.append(p)
            if decisions.count == 2 { redecidedBy = Self.doer(of: event, previous: previous) }
        case .resolution:
            resolutions.append(p)
            if resolutions.count == 2 { reresolvedBy = Self.doer(of: event, previous: previous) }
        default: break
        }
        if !context.reworkByRoles {
            seen[event.activity, default: []].append(p)
            if seen[event.activity, default: []].count == 2 {
                redoneBy[event.activity] = Self.doer(of: event, previous: previous)
                repeatedOrder.append(event.activity)
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
            let redecided = decisions.count > 1
            let list = redecided ? decisions : resolutions
            if list.count > 1 {
                outcome.findings.append(
                    DetectorFinding(
                        detector: .rework, caseIndex: index, owner: redecided ? redecidedBy : reresolvedBy,
                        severity: context.thresholds.severity.grade(value: Double(list.count), reference: 1), evidence: list,
                        value: Double(list.count),
                        limit: 1))
            }
        } else if var step = repeatedOrder.first {
            for a in repeatedOrder.dropFirst() where seen[a, default: []].count > seen[step, default: []].count { step = a }
            let positions = seen[step, default: []]
            outcome.findings.append(
                DetectorFinding(
                    detector: .rework, caseIndex: index, owner: redoneBy[step] ?? 0,
                    severity: context.thresholds.severity.grade(value: Double(positions.count), reference: 1), evidence: positions,
                    value: Double(positions.count), limit: 1))
        }
    }
}
