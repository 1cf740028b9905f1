/// `upward_push` and `shuttle`. An escalation to T is "returned down" when the first move (or closing) after
/// it is T delegating, or T assigning to someone of lower authority. Returned down with no decision in between
/// is an upward push (the matter went up and came back undecided); `shuttle.roundTrips` such round trips,
/// decided or not, is a shuttle.
///
/// Both name the superior who sent the matter back down (DESIGN.md, "Fairness of findings"): an escalation carries
/// the subordinate's proposal (the live server refuses one without), so the position was taken below and the decision
/// not taken above — the subordinate who asked is not the one to look at.
public struct EscalationDetector: CaseDetector {
    struct Pending {
        var position: Int32
        var target: UInt32
        var decided: Bool
    }

    var pending: [Pending] = []
    var roundTrips = 0
    var tripEvidence: [Int32] = []
    var pushEvidence: [Int32] = []
    var returnedBy: UInt32 = 0
    var shuttleOwner: UInt32 = 0
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        if !pending.isEmpty {
            if event.role == .decision { for k in pending.indices { pending[k].decided = true } }
            if event.moved(from: previous) || event.status == .closed {
                for p in pending {
                    let down: Bool
                    switch event.role {
                    case .delegation: down = true
                    case .assignment:
                        let to = event.target != 0 ? event.target : event.owner
                        if let a = context.level(to), let b = context.level(p.target) { down = a > b } else { down = false }
                    default: down = false
                    }
                    let byTarget = context.hasActor ? event.actor == p.target : previous.owner == p.target
                    if down && byTarget {
                        roundTrips += 1
                        tripEvidence.append(p.position)
                        tripEvidence.append(Int32(position))
                        if shuttleOwner == 0 { shuttleOwner = p.target }
                        if !p.decided {
                            pushEvidence.append(p.position)
                            pushEvidence.append(Int32(position))
                            if returnedBy == 0 { returnedBy = p.target }
                        }
                    }
                }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if event.role == .escalation {
            let target = event.target != 0 ? event.target : event.owner
            pending.append(Pending(position: Int32(position), target: target, decided: false))
        }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        if !pushEvidence.isEmpty, context.enabled.contains(.upwardPush) {
            outcome.findings.append(
                DetectorFinding(
                    detector: .upwardPush, caseIndex: index, owner: returnedBy,
                    severity: context.thresholds.severity.grade(value: Double(pushEvidence.count / 2), reference: 0),
                    evidence: pushEvidence, value: Double(pushEvidence.count / 2), limit: 0, attribution: .returnedUndecided))
        }
        if Double(roundTrips) >= context.thresholds.shuttleRoundTrips, context.enabled.contains(.shuttle) {
            outcome.findings.append(
                DetectorFinding(
                    detector: .shuttle, caseIndex: index, owner: shuttleOwner,
                    severity: context.thresholds.severity.grade(value: Double(roundTrips), reference: context.thresholds.shuttleRoundTrips),
                    evidence: tripEvidence,
                    value: Double(roundTrips), limit: context.thresholds.shuttleRoundTrips))
        }
    }
}
