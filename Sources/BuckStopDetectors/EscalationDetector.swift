/// `upward_push` and `shuttle`. An escalation to T is "returned down" when the first move (or closing) after
/// it is T delegating, or T assigning to someone of lower authority. Returned down with no decision in between
/// is an upward push (the matter went up and came back undecided); `shuttle.roundTrips` such round trips,
/// decided or not, is a shuttle.
///
/// Both name the superior who sent the matter back down (DESIGN.md, "Fairness of findings"): an escalation carries
/// the subordinate's proposal (the live server refuses one without), so the position was taken below and the decision
/// not taken above — the subordinate who asked is not the one to look at.
///
/// A task is also pushed up when its holder hands it (an assignment or a transfer) to someone of higher authority
/// instead of escalating: the work goes back up the line with no proposal (issue 17) — that holder is named. The value
/// counts both kinds; the finding names whoever pushed first.
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
    /// Position of the move that first returned an escalation undecided.
    var firstReturn: Int32 = -1
    /// A task's moves up the line without an escalation, and who made the first.
    var pushedUp: [Int32] = []
    var pushedBy: UInt32 = 0
    let isTask: Bool
    var shuttleOwner: UInt32 = 0
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        isTask = trace.kind == .task
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
                            if returnedBy == 0 {
                                returnedBy = p.target
                                firstReturn = Int32(position)
                            }
                        }
                    }
                }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if isTask, event.role == .assignment || event.role == .transfer, event.moved(from: previous) {
            let mover = context.hasActor ? event.actor : previous.owner
            if let to = context.level(event.owner), let from = context.level(mover), to < from {
                pushedUp.append(Int32(position))
                if pushedBy == 0 { pushedBy = mover }
            }
        }
        if event.role == .escalation {
            let target = event.target != 0 ? event.target : event.owner
            pending.append(Pending(position: Int32(position), target: target, decided: false))
        }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        let pushes = pushEvidence.count / 2 + pushedUp.count
        if pushes > 0, context.enabled.contains(.upwardPush) {
            let upFirst = !pushedUp.isEmpty && (firstReturn < 0 || pushedUp[0] < firstReturn)
            outcome.findings.append(
                DetectorFinding(
                    detector: .upwardPush, caseIndex: index, owner: upFirst ? pushedBy : returnedBy,
                    severity: context.thresholds.severity.grade(value: Double(pushes), reference: 0),
                    evidence: (pushEvidence + pushedUp).sorted(), value: Double(pushes), limit: 0,
                    attribution: upFirst ? .pushedUpWithoutProposal : .returnedUndecided))
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
