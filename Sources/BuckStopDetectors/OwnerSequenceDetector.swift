/// `transfers` and `ping_pong`, both read off the owner sequence H (consecutive repeats collapsed), and off
/// the same sequence at unit level when the mapping places owners in units.
public struct OwnerSequenceDetector: CaseDetector {
    var people: [UInt32] = []
    var peoplePositions: [Int32] = []
    var units: [UInt32] = []
    var unitPositions: [Int32] = []
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        record(opening, 0, context)
    }

    @inline(__always)
    mutating func record(_ event: CaseEvent, _ position: Int, _ context: DetectionContext) {
        let o = event.owner
        guard o != 0, o != people.last else { return }
        people.append(o)
        peoplePositions.append(Int32(position))
        if !context.placements.isEmpty {
            let u = context.unit(o)
            if u != 0, u != units.last {
                units.append(u)
                unitPositions.append(Int32(position))
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
        let alternations = Self.longestAlternation(sequence)
        let severe = Double(alternations) >= context.thresholds.pingPongSevereAlternations
        // One return is a place to look (a misrouted case is sent back once); returning it again is the behaviour;
        // consecutive alternations are the severe form (DESIGN.md's catalogue).
        let severity: Severity = severe ? .high : outcome.pingPongs > 1 ? .medium : .low
        outcome.findings.append(
            DetectorFinding(
                detector: .pingPong, caseIndex: index, owner: chosen.returner, severity: severity,
                evidence: chosen.evidence, value: Double(outcome.pingPongs), limit: 0))
    }

    /// Returns to an earlier owner: the positions of the leave and the return, and who sent it back first.
    static func returns(_ seq: [UInt32], _ positions: [Int32]) -> (count: Int, evidence: [Int32], returner: UInt32) {
        var count = 0
        var evidence: [Int32] = []
        var returner: UInt32 = 0
        guard seq.count > 2 else { return (0, [], 0) }
        for k in 2..<seq.count where seq[0..<(k - 1)].contains(seq[k]) {
            count += 1
            if returner == 0 { returner = seq[k - 1] }
            if evidence.last != positions[k - 1] { evidence.append(positions[k - 1]) }
            evidence.append(positions[k])
        }
        return (count, evidence, returner)
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
