/// `transfers` and `ping_pong`, both read off the owner sequence H (consecutive repeats collapsed), and off
/// the same sequence at unit level when the mapping places owners in units.
///
/// Whom a ping-pong names (DESIGN.md, "Fairness of findings"): when the case came back to an official, either that
/// official sent it to the wrong place (and the return corrected it) or the one who sent it back dodged it. The
/// mandate decides when it can: if the one who sent it back sits outside the agencies competent for the case and the
/// one it came back to inside, the return was a correction (`misrouted`, naming the one it came back to); the other
/// way round, it was a dodge (`sentBack`, naming the one who sent it back). Without a mandate to tell (no mapping,
/// or both on the same side), one return is taken as a corrected misrouting and two or more as back-and-forth, where
/// the first to send it back is named.
public struct OwnerSequenceDetector: CaseDetector {
    var people: [UInt32] = []
    var peoplePositions: [Int32] = []
    var units: [UInt32] = []
    var unitPositions: [Int32] = []
    /// The person who held the case at each entry of `units` (who received it in that unit), and the last one to hold
    /// it there (who passed it on out of the unit).
    var unitHolders: [UInt32] = []
    var unitLastHolders: [UInt32] = []
    let competent: Set<UInt32>?
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        competent = context.competentAgencies(kind: trace.kind, procedure: trace.procedure)
        record(opening, 0, context)
    }

    @inline(__always)
    mutating func record(_ event: CaseEvent, _ position: Int, _ context: DetectionContext) {
        let o = event.owner
        // A draft up for approval and back is review, not a hand-over (`ActivityRole.isApprovalTrip`): the drafter stays
        // the one the sequence follows, so a returned draft is neither a transfer nor a return.
        guard o != 0, o != people.last, !event.role.isApprovalTrip else { return }
        people.append(o)
        peoplePositions.append(Int32(position))
        if !context.placements.isEmpty {
            let u = context.unit(o)
            if u != 0, u != units.last {
                units.append(u)
                unitPositions.append(Int32(position))
                unitHolders.append(o)
                unitLastHolders.append(o)
            } else if u != 0 {
                unitLastHolders[unitLastHolders.count - 1] = o
            }
        }
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        record(event, position, context)
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        // Transfers: judged later against the median of the case type.
        outcome.transfers = max(0, people.count - 1)
        if people.count > 1 {
            outcome.transferEvidence = Array(peoplePositions.dropFirst())
            var passed: [UInt32: Int] = [:]
            var top: (UInt32, Int) = (0, 0)
            for k in 0..<(people.count - 1) {
                let n = (passed[people[k]] ?? 0) + 1
                passed[people[k]] = n
                if n >= top.1 { top = (people[k], n) }
            }
            outcome.transferOwner = top.0
        }
        guard context.enabled.contains(.pingPong) else { return }
        let person = Self.returns(people, peoplePositions)
        let unit = Self.returns(units, unitPositions)
        outcome.pingPongs = max(person.count, unit.count)
        guard outcome.pingPongs > 0 else { return }
        let chosen = person.count > 0 ? person : unit
        let sequence = person.count > 0 ? people : units
        // At unit level the one who sent it back is the last holder of the unit it left, the one it came back to the
        // first holder of the unit it reached (the one who received it there).
        let senders = person.count > 0 ? people : unitLastHolders
        let receivers = person.count > 0 ? people : unitHolders
        let alternations = Self.longestAlternation(sequence)
        // Returns against a limit of none (`SeverityScale`): one is a place to look (a misrouted case is sent back
        // once); consecutive alternations are the behaviour repeated in its severe form (DESIGN.md's catalogue).
        let repeated = Double(alternations) >= context.thresholds.pingPongSevereAlternations
        let severity = context.thresholds.severity.grade(value: Double(outcome.pingPongs), reference: 0, repeated: repeated)
        let sentBackBy = senders[chosen.firstReturn - 1]
        let cameBackTo = receivers[chosen.firstReturn]
        let attribution = Self.attribution(
            returns: outcome.pingPongs, sentBackBy: sentBackBy, cameBackTo: cameBackTo, competent: competent, context: context)
        outcome.findings.append(
            DetectorFinding(
                detector: .pingPong, caseIndex: index, owner: attribution == .misrouted ? cameBackTo : sentBackBy,
                severity: severity, evidence: chosen.evidence, value: Double(outcome.pingPongs), limit: 0,
                attribution: attribution))
    }

    /// The rule in the type's comment: the mandate first, then the number of returns.
    static func attribution(
        returns: Int, sentBackBy: UInt32, cameBackTo: UInt32, competent: Set<UInt32>?, context: DetectionContext
    ) -> Attribution {
        if let competent {
            let senderInside = competent.contains(context.agency(sentBackBy))
            let receiverInside = competent.contains(context.agency(cameBackTo))
            if senderInside != receiverInside { return senderInside ? .sentBack : .misrouted }
        }
        return returns == 1 ? .misrouted : .sentBack
    }

    /// Returns to an earlier owner: how many, the positions of each leave and return, and the index in `seq` of the
    /// first return (0 when none).
    static func returns(_ seq: [UInt32], _ positions: [Int32]) -> (count: Int, evidence: [Int32], firstReturn: Int) {
        var count = 0
        var evidence: [Int32] = []
        var first = 0
        guard seq.count > 2 else { return (0, [], 0) }
        for k in 2..<seq.count where seq[0..<(k - 1)].contains(seq[k]) {
            count += 1
            if first == 0 { first = k }
            if evidence.last != positions[k - 1] { evidence.append(positions[k - 1]) }
            evidence.append(positions[k])
        }
        return (count, evidence, first)
    }

    /// The longest run of consecutive alternations H[i] = H[i+2] ≠ H[i+1].
    static func longestAlternation(_ seq: [UInt32]) -> Int {
        var best = 0
        var run = 0
        if seq.count >= 3 {
            for i in 0..<(seq.count - 2) {
                if seq[i] == seq[i + 2] {
                    run += 1
                    best = max(best, run)
                } else {
                    run = 0
                }
            }
        }
        return best
    }
}
