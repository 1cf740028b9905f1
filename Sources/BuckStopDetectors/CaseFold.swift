/// Runs every case detector over one case in a single pass over its events.
public enum CaseFold {
    public static func analyze(_ trace: CaseTrace, context: DetectionContext) -> CaseOutcome {
        let events = trace.events
        let duration = events.isEmpty ? 0 : events[events.count - 1].time - events[0].time
        var outcome = CaseOutcome(caseIndex: trace.index, caseType: trace.caseType, events: events.count, durationMillis: duration)
        guard let opening = events.first else { return outcome }
        let header = CaseHeader(
            index: trace.index, caseType: trace.caseType, kind: trace.kind, procedure: trace.procedure, eventCount: events.count,
            concerning: trace.concerning, decidingBody: trace.decidingBody)
        // A programme or plan holds tasks; its tasks are judged, the container is not.
        if header.kind == .programme { return outcome }
        // A reception book is a register, not a case being worked on: only its own detector reads it.
        if ReceptionDetector.isBook(header, context: context) { return ReceptionDetector.fold(trace, header: header, context: context) }
        var owners = OwnerSequenceDetector(opening: opening, trace: header, context: context)
        var escalation = EscalationDetector(opening: opening, trace: header, context: context)
        var consultation = ConsultationDetector(opening: opening, trace: header, context: context)
        var stalling = StallingDetector(opening: opening, trace: header, context: context)
        var deadline = DeadlineDetector(opening: opening, trace: header, context: context)
        var repetition = RepetitionDetector(opening: opening, trace: header, context: context)
        var jurisdiction = JurisdictionDetector(opening: opening, trace: header, context: context)
        var intake = IntakeDetector(opening: opening, trace: header, context: context)
        var extensions = ExtensionDetector(opening: opening, trace: header, context: context)
        var conflict = ConflictOfInterestDetector(opening: opening, trace: header, context: context)
        var level = WrongLevelDetector(opening: opening, trace: header, context: context)
        var previous = opening
        for position in 1..<max(1, events.count) {
            let event = events[position]
            owners.step(event, at: position, previous: previous, context: context)
            escalation.step(event, at: position, previous: previous, context: context)
            consultation.step(event, at: position, previous: previous, context: context)
            stalling.step(event, at: position, previous: previous, context: context)
            deadline.step(event, at: position, previous: previous, context: context)
            repetition.step(event, at: position, previous: previous, context: context)
            jurisdiction.step(event, at: position, previous: previous, context: context)
            intake.step(event, at: position, previous: previous, context: context)
            extensions.step(event, at: position, previous: previous, context: context)
            conflict.step(event, at: position, previous: previous, context: context)
            level.step(event, at: position, previous: previous, context: context)
            previous = event
        }
        owners.finish(last: previous, context: context, into: &outcome)
        escalation.finish(last: previous, context: context, into: &outcome)
        consultation.finish(last: previous, context: context, into: &outcome)
        stalling.finish(last: previous, context: context, into: &outcome)
        deadline.finish(last: previous, context: context, into: &outcome)
        repetition.finish(last: previous, context: context, into: &outcome)
        jurisdiction.finish(last: previous, context: context, into: &outcome)
        intake.finish(last: previous, context: context, into: &outcome)
        extensions.finish(last: previous, context: context, into: &outcome)
        conflict.finish(last: previous, context: context, into: &outcome)
        level.finish(last: previous, context: context, into: &outcome)
        // A letter closed as a duplicate is judged only at its intake: its matter is handled, and judged, on the case it
        // repeats, so nothing is counted twice.
        if previous.role == .duplicate { outcome.findings.removeAll { $0.detector != .lateIntake } }
        return outcome
    }
}
