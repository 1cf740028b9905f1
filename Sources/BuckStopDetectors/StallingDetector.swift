/// `stalling`: the owner idle for more than max(D working days, m × the peer median of the same step), or for
/// more than a share of the time allotted. Idle is counted in working days between consecutive owner events
/// (the opening, anything the owner does, a move, the closing) and, while open, up to the as-of day; time
/// awaiting the applicant's supplements or suspended (tạm đình chỉ) does not count. The time allotted runs from the opening to its due date, or
/// for a case whose clock starts on acceptance from the acceptance to the due date it set (idle time before it is
/// judged against D alone). The peer median is known only after every case, so
/// this fold reports candidates (idle > D, or over the share) and every idle period for the medians.
public struct StallingDetector: CaseDetector {
    var last: Int32
    var lastStep: UInt32
    var lastPosition: Int32 = 0
    var allotted: Int32?
    var candidates: [StallCandidate] = []
    var samples: [(step: UInt32, days: Int32)] = []

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        last = opening.day
        lastStep = opening.activity
        allotted = opening.due == CaseEvent.noDay ? nil : Int32(context.days.workingDays(from: opening.day, to: opening.due))
    }

    @inline(__always)
    mutating func consider(_ idle: Int, to position: Int32, owner: UInt32, context: DetectionContext, sample: Bool) {
        if sample { samples.append((lastStep, Int32(idle))) }
        let t = context.thresholds
        let overShare = allotted.map { Double(idle) > t.stallingAllottedShare * Double($0) } ?? false
        if Double(idle) > t.stallingIdleWorkingDays || overShare {
            candidates.append(
                StallCandidate(
                    idle: Int32(idle), step: lastStep, from: lastPosition, to: position, owner: owner, overShare: overShare,
                    allotted: allotted ?? -1))
        }
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        let ownerEvent = (event.actor != 0 && event.actor == previous.owner) || event.moved(from: previous) || event.closes(after: previous)
        guard ownerEvent else { return }
        if previous.status != .awaitingSupplement && previous.status != .closed && previous.status != .suspended {
            consider(
                context.days.workingDays(from: last, to: event.day), to: Int32(position), owner: previous.owner, context: context,
                sample: true)
        }
        last = event.day
        lastStep = event.activity
        lastPosition = Int32(position)
        if allotted == nil && event.role == .acceptance && event.due != CaseEvent.noDay {
            allotted = Int32(context.days.workingDays(from: event.day, to: event.due))
        }
    }

    public mutating func finish(last event: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        if context.isOpen(event) && event.status != .awaitingSupplement && event.status != .suspended {
            consider(
                context.days.workingDays(from: last, to: context.asOfDay), to: Int32(outcome.events - 1), owner: event.owner,
                context: context, sample: false)
        }
        guard context.enabled.contains(.stalling) else { return }
        outcome.idle = samples
        outcome.stallCandidates = candidates
    }
}
