/// `conflict_of_interest` (Luật Tố cáo 2018 Đ.12; NĐ 31/2019/NĐ-CP Đ.5(2)(c), Đ.10(3)): a denunciation held or decided
/// by the official it accuses or by someone who works under them (in a unit the accused heads or deputises), and a
/// complaint decided by the official whose act it is about without being the head (or a deputy) of the deciding body.
/// Receiving the letter is not handling it (a reception officer cannot refuse a letter): holds count from the first move.
/// Named: the first official found in that position — the one
/// who had to step aside (NĐ 31/2019 Đ.10(3) bars giving them the verification). Value: the holds and decisions found.
public struct ConflictOfInterestDetector: CaseDetector {
    let accused: UInt32
    let denunciation: Bool
    let body: UInt32
    let index: Int
    var evidence: [Int32] = []
    var named: UInt32 = 0

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        denunciation = trace.kind == .denunciation
        accused = denunciation || trace.kind == .complaint ? trace.concerning : 0
        body = trace.decidingBody
    }

    func conflicted(_ official: UInt32, _ context: DetectionContext) -> Bool {
        accused != 0 && official != 0 && (official == accused || context.isSubordinate(official, of: accused))
    }

    mutating func flag(_ position: Int32, _ who: UInt32) {
        evidence.append(position)
        if named == 0 { named = who }
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        guard accused != 0 else { return }
        let p = Int32(position)
        if denunciation, event.moved(from: previous), conflicted(event.owner, context) { flag(p, event.owner) }
        if event.role == .decision {
            let decider = event.actor != 0 ? event.actor : previous.owner
            let barred =
                denunciation
                ? conflicted(decider, context)
                // The law gives the author of a decision the first complaint against it (Luật Khiếu nại Đ.17, 20, 21):
                // only a decision by them without that competence is a conflict.
                : decider == accused && (body == 0 || !context.leads(decider, body))
            if barred { flag(p, decider) }
        }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        guard !evidence.isEmpty, context.enabled.contains(.conflictOfInterest) else { return }
        outcome.findings.append(
            DetectorFinding(
                detector: .conflictOfInterest, caseIndex: index, owner: named,
                severity: context.thresholds.severity.grade(value: Double(evidence.count), reference: 0), evidence: evidence,
                value: Double(evidence.count), limit: 0))
    }
}

/// `wrong_level` (Luật Khiếu nại 2011 Đ.17–21; Luật Tố cáo 2018 Đ.12–13): a complaint or denunciation decided by
/// someone who neither heads the body the rulebook's competence row names (`CaseTrace.decidingBody`) nor is one of its
/// deputies signing for the head. The live domain refuses such a decision; this finds it in a log from a system that
/// did not, and in entries written before the rule. Named: who decided. Value: the decisions found.
public struct WrongLevelDetector: CaseDetector {
    let body: UInt32
    let index: Int
    var evidence: [Int32] = []
    var named: UInt32 = 0

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
        body = trace.kind == .complaint || trace.kind == .denunciation ? trace.decidingBody : 0
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        guard body != 0, event.role == .decision else { return }
        let decider = event.actor != 0 ? event.actor : previous.owner
        guard decider != 0, !context.leads(decider, body) else { return }
        evidence.append(Int32(position))
        if named == 0 { named = decider }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        guard !evidence.isEmpty, context.enabled.contains(.wrongLevel) else { return }
        outcome.findings.append(
            DetectorFinding(
                detector: .wrongLevel, caseIndex: index, owner: named,
                severity: context.thresholds.severity.grade(value: Double(evidence.count), reference: 0), evidence: evidence,
                value: Double(evidence.count), limit: 0))
    }
}
