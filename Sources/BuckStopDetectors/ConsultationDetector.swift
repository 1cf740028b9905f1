/// `consultation_rounds`: at least `consultation.rounds` consultations, or a consulted unit whose first
/// opinion after the request came after the consultation's due date (or never, by the closing or as-of day).
/// Too many rounds names who asked — the first consultation's actor (docs/FINDINGS.md), through the same
/// `RepetitionDetector.doer(of:previous:)` as repeated reschedules, not whoever held the case; otherwise the first
/// unit whose answer came late (late answers in the order they came, then units that never answered, in the order
/// they were consulted).
public struct ConsultationDetector: CaseDetector {
    struct Waiting {
        var unit: UInt32
        var due: Int32
        var position: Int32
    }

    var rounds: [Int32] = []
    var waiting: [Waiting] = []
    var late: [Int32] = []
    var lateOwner: UInt32 = 0
    var firstOwner: UInt32 = 0
    var closedDay: Int32 = CaseEvent.noDay
    let index: Int

    public init(opening: CaseEvent, trace: CaseHeader, context: DetectionContext) {
        index = trace.index
    }

    public mutating func step(_ event: CaseEvent, at position: Int, previous: CaseEvent, context: DetectionContext) {
        if event.closes(after: previous) { closedDay = event.day }
        switch event.role {
        case .consultation:
            rounds.append(Int32(position))
            if firstOwner == 0 { firstOwner = RepetitionDetector.doer(of: event, previous: previous) }
            if event.due != CaseEvent.noDay {
                for unit in context.units(inTarget: event.target) {
                    waiting.append(Waiting(unit: unit, due: event.due, position: Int32(position)))
                }
            }
        case .opinion:
            guard !waiting.isEmpty else { break }
            let unit = event.target
            var kept: [Waiting] = []
            for w in waiting {
                if w.unit == unit {
                    if event.day > w.due { markLate(w, answer: Int32(position)) }
                } else {
                    kept.append(w)
                }
            }
            waiting = kept
        default: break
        }
    }

    mutating func markLate(_ w: Waiting, answer: Int32?) {
        if !late.contains(w.position) { late.append(w.position) }
        if let answer { late.append(answer) }
        if lateOwner == 0 { lateOwner = w.unit }
    }

    public mutating func finish(last: CaseEvent, context: DetectionContext, into outcome: inout CaseOutcome) {
        let end = !context.isOpen(last) ? (closedDay != CaseEvent.noDay ? closedDay : last.day) : context.asOfDay
        for w in waiting where end > w.due { markLate(w, answer: nil) }
        let many = Double(rounds.count) >= context.thresholds.consultationRounds
        guard many || !late.isEmpty, context.enabled.contains(.consultationRounds) else { return }
        outcome.findings.append(
            DetectorFinding(
                detector: .consultationRounds, caseIndex: index, owner: many ? firstOwner : lateOwner,
                severity: context.thresholds.severity.grade(
                    value: Double(rounds.count), reference: context.thresholds.consultationRounds, repeated: many && !late.isEmpty),
                evidence: many ? rounds : late.sorted(),
                value: Double(rounds.count), limit: context.thresholds.consultationRounds))
    }
}
