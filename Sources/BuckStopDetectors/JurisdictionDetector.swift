/// `jurisdiction_refusal` (NĐ 61/2018 Đ.5.1): a decline by an official whose agency holds the mandate; a
/// transfer from a competent agency to one that is not; or a hand-off (transfer or decline) to another agency
/// whose next move, by the receiver, sends the case straight back to the sender's agency.
///
/// A mandate over a kind of letter only (the body that receives petitions or complaints) is not competence over
/// its content: forwarding such a case inside the organisation to the body the content belongs to (a street-light
/// report to the ward) is the referral the law asks for (chuyển đơn), so only a decline that ends the case counts
/// there, and transfers are judged only against a procedure's mandate. Named: the official who declined or
/// transferred; for a straight bounce back, the one who sent it back — unless the first hand-off already left the
/// mandate, which names that sender (the misrouter, not the one who corrected it).
public struct JurisdictionDetector: CaseDetector {
    struct Move {
        var position: Int32
        var handOff: Bool
        var from: UInt32
        var to: UInt32
    }

    let competent: Set<UInt32>?
    /// The mandate names the case's procedure, not only its kind (`DetectionContext.mandate`).
    let overContent: Bool
    var previousMove: Move?
    var evidence: [Int32] = []
    var owner: UInt32 = 0
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        let mandate = context.mandate(kind: trace.kind, procedure: trace.procedure)
        competent = mandate?.agencies
        overContent = mandate?.byProcedure ?? false
    }

    mutating func flag(_ positions: [Int32], _ who: UInt32) {
        for p in positions where !evidence.contains(p) { evidence.append(p) }
        if owner == 0 { owner = who }
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        let p = Int32(position)
        if let competent {
            if event.role == .decline, event.actor != 0, competent.contains(context.agency(event.actor)),
                overContent || !event.moved(from: previous)
            {
                flag([p], event.actor)
            }
            if event.role == .transfer, overContent, previous.owner != 0 {
                let to = event.target != 0 ? event.target : event.owner
                if to != 0, competent.contains(context.agency(previous.owner)), !competent.contains(context.agency(to)) {
                    flag([p], previous.owner)
                }
            }
        }
        guard event.moved(from: previous) else { return }
        let handOff = event.role == .transfer || event.role == .decline
        let move = Move(position: p, handOff: handOff, from: previous.owner, to: event.owner)
        if let m = previousMove, m.handOff, handOff, m.from != 0,
            !context.hasActor || event.actor == m.to
        {
            let x = context.agency(m.from)
            let y = context.agency(m.to)
            let z = context.agency(event.owner)
            if x != y && z == x { flag([m.position, p], m.to) }
        }
        previousMove = move
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        guard !evidence.isEmpty, context.enabled.contains(.jurisdictionRefusal) else { return }
        outcome.findings.append(
            DetectorFinding(
                detector: .jurisdictionRefusal, caseIndex: index, owner: owner,
                severity: context.thresholds.severity.grade(value: Double(evidence.count), reference: 0), evidence: evidence.sorted(),
                value: Double(evidence.count), limit: 0))
    }
}
