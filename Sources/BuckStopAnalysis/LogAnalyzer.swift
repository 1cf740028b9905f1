import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopEventLog

/// Folds a log, batch by batch, through the detectors: turns each trace's columns into `CaseEvent`s (owner
/// carried forward, roles and dates resolved through the mapping), runs `CaseFold`, and keeps only what the
/// report needs — findings, per-case numbers, per-owner aggregates — so memory grows with cases, not events.
public struct LogAnalyzer {
    public let options: AnalysisOptions
    public private(set) var table = StringTable()
    public private(set) var registry = ValueRegistry()
    /// Table id → registry id (`unresolved` until first needed).
    private var canon: [UInt32] = [0]
    private var roleOf: [UInt8] = [0]
    private var dueOf: [UInt32: Int32] = [:]
    private var statusOf: [UInt32: TraceStatus?] = [:]
    private let roles: [String: ActivityRole]
    private static let unresolved = UInt32.max

    public private(set) var ownerKey: String?
    private var actorKey: String?
    private var context: DetectionContext?
    public private(set) var skipped: [DetectorID: String] = [:]
    private var judge: CrossCaseJudge
    /// Tasks in force at the end of their trace, for `overlap` (`OverlapJudge`), judged in `finish` against each other.
    private var overlap = OverlapJudge()
    /// Concluded inspections, for `self_inspection_miss` (`InspectionJudge`), judged in `finish`.
    private var inspections = InspectionJudge()
    public private(set) var findings: [DetectorFinding] = []
    /// Every case's digest, in log order, when `options.keepDigests`.
    public private(set) var digests: [TraceDigest] = []

    // Per case.
    public private(set) var caseNames: [UInt32] = []
    public private(set) var durationsSeconds: [Int64] = []
    public private(set) var summaries: [CaseSummary] = []
    public private(set) var sketches: [Int: CaseSketch] = [:]
    private var examplesTaken: [DetectorID: Int] = [:]
    private var candidateSketches = 0
    private var deferred: [CaseTrace] = []

    // Whole log.
    public private(set) var eventCount = 0
    public private(set) var firstTime = Int64.max
    public private(set) var lastTime = Int64.min
    /// Events held, by owner (registry id).
    public private(set) var eventsByOwner: [Int] = [0]
    public private(set) var handovers: [UInt64: Int] = [:]

    public struct CaseSummary: Sendable {
        public var events: Int32
        public var transfers: Int32
        public var pingPongs: Int32
    }

    /// The owner sequence of a case kept to show it as an example.
    public struct CaseSketch: Sendable {
        public var owners: [UInt32]
        public var activities: [UInt32]
        public var times: [Int64]
    }

    public init(options: AnalysisOptions) {
        self.options = options
        self.roles = options.mapping.roles
        var enabled = Set(DetectorID.allCases)
        for id in Self.skipReasons(options).keys { enabled.remove(id) }
        judge = CrossCaseJudge(thresholds: options.thresholds, enabled: enabled)
    }

    public var caseCount: Int { caseNames.count }

    // MARK: - Which detectors can run

    static func skipReasons(_ o: AnalysisOptions) -> [DetectorID: String] {
        let m = o.mapping
        var out: [DetectorID: String] = [:]
        let hint = "give --mapping with"
        if !m.maps(.escalation) || !(m.maps(.delegation) || m.maps(.assignment)) {
            let why =
                "needs to know which activities are escalations and which send a case down (\(hint) activities.escalation and activities.delegation or assignment)"
            out[.upwardPush] = why
            out[.shuttle] = why
        }
        if !m.maps(.consultation) { out[.consultationRounds] = "needs to know which activities are consultations (\(hint) activities.consultation)" }
        if m.attributes?.due == nil { out[.overdue] = "needs the attribute holding the due date (\(hint) attributes.due)" }
        if m.attributes?.due == nil || !m.maps(.reschedule) {
            out[.noApology] =
                "needs the due date attribute and which activity is an apology with a new date (\(hint) attributes.due and activities.reschedule)"
        }
        if !m.maps(.reschedule) {
            out[.repeatReschedule] = "needs to know which activity sets a new appointment date (\(hint) activities.reschedule)"
        }
        if !m.maps(.supplementRequest) {
            out[.repeatSupplement] = "needs to know which activity requests supplements (\(hint) activities.supplement_request)"
        }
        if !m.maps(.transfer) && !m.maps(.decline) {
            out[.jurisdictionRefusal] = "needs to know which activities transfer or decline a case (\(hint) activities.transfer / activities.decline)"
        }
        let hasKind = m.attributes?.kind != nil || m.defaultKind != nil
        if !hasKind {
            out[.lateIntake] = "needs the case kind (dossier, complaint…) to know the intake deadline (\(hint) attributes.kind or default_kind)"
            out[.accumulation] = "counts late intake forwards, which need the case kind (\(hint) attributes.kind or default_kind)"
        }
        if !m.maps(.extension) || !hasKind {
            out[.extensionAbuse] =
                "needs which activity is an extension and the case kind for the rule (\(hint) activities.extension and attributes.kind)"
        }
        if m.attributes?.leadUnit == nil || (m.attributes?.product == nil && m.attributes?.title == nil) || !hasKind {
            out[.overlap] =
                "needs tasks' lead units and products or titles, and the case kind (\(hint) attributes.lead_unit, attributes.product or attributes.title, and attributes.kind)"
        }
        if m.attributes?.inspection == nil || m.attributes?.procedure == nil || !m.maps(.resolution) {
            out[.selfInspectionMiss] =
                "needs each inspection's scope and violations, its level (self-inspection or inspection) and which activity concludes it (\(hint) attributes.inspection, attributes.procedure and activities.resolution)"
        }
        let leadsKnown = m.owners?.values.contains { !($0.leads ?? []).isEmpty } ?? false
        if m.attributes?.concerning == nil || !leadsKnown {
            out[.conflictOfInterest] =
                "needs who a complaint is about or a denunciation accuses and who heads which unit (\(hint) attributes.concerning and owners.*.leads)"
        }
        if m.attributes?.decidingBody == nil || !leadsKnown || !m.maps(.decision) {
            out[.wrongLevel] =
                "needs the deciding body of each case, who heads which unit and which activity is the decision (\(hint) attributes.deciding_body, owners.*.leads and activities.decision)"
        }
        if !m.maps(.reception) || (m.attributes?.procedure == nil && m.attributes?.kind == nil) {
            let why =
                "needs which activity is a periodic reception session and the reception book's level as its procedure (\(hint) activities.reception and attributes.procedure)"
            out[.receptionSkipped] = why
            out[.receptionDelegated] = why
        }
        out[.lateRemediation] =
            "is judged by BuckStop's own survey: a remediation ordered on an upheld finding belongs to the finding workflow, which an exported log leaves out"
        return out
    }

    // MARK: - Consuming batches

    public mutating func consume(_ batch: EventBatch) {
        table.absorb(batch)
        if canon.count < table.count {
            canon.append(contentsOf: repeatElement(Self.unresolved, count: table.count - canon.count))
            roleOf.append(contentsOf: repeatElement(UInt8.max, count: table.count - roleOf.count))
        }
        if context == nil { prepare(firstBatch: batch) }
        let ownerCol = ownerKey.flatMap { batch.eventColumns[$0] }
        let actorCol = actorKey.flatMap { batch.eventColumns[$0] }
        let a = options.mapping.attributes
        let dueCol = a?.due.flatMap { batch.eventColumns[$0] }
        let targetCol = a?.target.flatMap { batch.eventColumns[$0] }
        let statusCol = a?.status.flatMap { batch.eventColumns[$0] }
        let typeKey = options.caseTypeAttribute ?? a?.caseType
        let kindKey = a?.kind
        let procedureKey = a?.procedure
        let concerningKey = a?.concerning
        let bodyKey = a?.decidingBody
        var events: [CaseEvent] = []
        for t in 0..<batch.traceCount {
            let range = batch.events(ofTrace: t)
            events.removeAll(keepingCapacity: true)
            var owner: UInt32 = 0
            var status = TraceStatus.open
            for e in range {
                let time = batch.time[e]
                let ms = time == EventBatch.noTime ? (events.last?.time ?? 0) : time
                if time != EventBatch.noTime {
                    if time < firstTime { firstTime = time }
                    if time > lastTime { lastTime = time }
                }
                let activity = batch.activity[e]
                let role = self.role(activity)
                // Status: the attribute when it says something we know, else what the role implies.
                var next: TraceStatus?
                if let statusCol, statusCol[e] != 0 { next = parseStatus(statusCol[e]) }
                if next == nil {
                    switch role {
                    case .supplementRequest: next = .awaitingSupplement
                    case .supplementReceived, .reopen, .resumption: next = .processing
                    case .suspension: next = .suspended
                    case .resolution: next = .resolved
                    case .closing, .refusal, .guidance, .duplicate, .withdrawal: next = .closed
                    default: next = nil
                    }
                }
                if let next { status = next }
                let raw = ownerCol.map { value(canonicalOf: $0[e]) } ?? 0
                if raw != 0 { owner = raw } else if status == .closed { owner = 0 }
                let actor = actorCol.map { value(canonicalOf: $0[e]) } ?? raw
                let due = dueCol.map { $0[e] == 0 ? CaseEvent.noDay : day(ofDate: $0[e]) } ?? CaseEvent.noDay
                let target = targetCol.map { value(canonicalOf: $0[e]) } ?? 0
                events.append(
                    CaseEvent(
                        time: ms, day: localDay(ms), activity: activity, role: role, actor: actor, owner: owner, status: status,
                        due: due, target: target))
            }
            guard !events.isEmpty else { continue }
            // The opening's due date may sit on the trace.
            if events[0].due == CaseEvent.noDay, let key = a?.due, let col = batch.traceColumns[key], col[t] != 0 {
                events[0].due = day(ofDate: col[t])
            }
            let caseType = traceValue(batch, t, typeKey)
            let kindText = traceValue(batch, t, kindKey).map { table[$0] }
            let kind = kindText.flatMap(CaseKind.init(rawValue:)) ?? options.mapping.defaultKind
            let procedure = traceValue(batch, t, procedureKey).map { table[$0] }
            let index = caseNames.count
            caseNames.append(batch.caseName[t])
            eventCount += events.count
            let concerning = traceValue(batch, t, concerningKey).map { value(canonicalOf: $0) } ?? 0
            let body = traceValue(batch, t, bodyKey).map { registry.id(table[$0]) } ?? 0
            let trace = CaseTrace(
                index: index, name: batch.caseName[t], caseType: caseType ?? 0, kind: kind, procedure: procedure, events: events,
                concerning: concerning, decidingBody: body)
            record(trace)
            // A digest keeps its events' activities and times only when a finding may cite them (below): a finding of the
            // fold, a candidate of a cross-case judgement, or a case judged at the end.
            var digestAt: Int?
            if options.keepDigests,
                let digest = TraceDigest(trace, leadUnit: traceValue(batch, t, a?.leadUnit).map { table[$0] }, events: false)
            {
                digestAt = digests.count
                digests.append(digest)
            }
            var judgedAcross = false
            if kind == .task, skipped[.overlap] == nil, let lead = traceValue(batch, t, a?.leadUnit) {
                judgedAcross = true
                overlap.add(
                    caseIndex: index, lead: table[lead], product: traceValue(batch, t, a?.product).map { table[$0] },
                    title: traceValue(batch, t, a?.title).map { table[$0] }, openedAt: events[0].time, owner: events[0].owner,
                    inForce: events[events.count - 1].status.isInForce)
            }
            if skipped[.overlap] == nil, let form = procedure.flatMap(PlanLevel.init(rawValue:))?.inspectionForm,
                let text = traceValue(batch, t, a?.inspection), let parsed = InspectionLogText(table[text])
            {
                judgedAcross = true
                overlap.add(
                    inspection: .init(caseIndex: index, scope: parsed.scope, openedAt: events[0].time, owner: events[0].owner), form: form,
                    inForce: events[events.count - 1].status.isInForce)
            }
            if skipped[.selfInspectionMiss] == nil, let form = procedure.flatMap(PlanLevel.init(rawValue:))?.inspectionForm,
                let text = traceValue(batch, t, a?.inspection), let parsed = InspectionLogText(table[text]),
                let conclusion = events.lastIndex(where: { $0.role == .resolution })
            {
                judgedAcross = true
                let signer = events[conclusion].actor != 0 ? events[conclusion].actor : events[conclusion].owner
                inspections.add(
                    InspectionJudge.Inspection(
                        caseIndex: index, form: form, subjects: parsed.scope.subjects.map(\.rawValue), from: parsed.scope.from, to: parsed.scope.to,
                        fields: parsed.scope.fields, conclusion: Int32(conclusion), signer: signer,
                        violations: parsed.violations.map { ($0.unit.rawValue, $0.field, Int32(conclusion)) }))
            }
            if options.asOf == nil && options.mapping.asOf == nil && context!.isOpen(events[events.count - 1]) {
                deferred.append(trace)  // judged once the last day of the log is known
                if options.keepCaseSummaries { summaries.append(CaseSummary(events: Int32(events.count), transfers: 0, pingPongs: 0)) }
                durationsSeconds.append((events[events.count - 1].time - events[0].time) / 1000)
                if let digestAt { digests[digestAt].keepEvents(of: trace) }
            } else {
                let mayBeCited = fold(trace, context!)
                if let digestAt, mayBeCited || judgedAcross { digests[digestAt].keepEvents(of: trace) }
            }
        }
    }

    /// Per-log aggregates that need no detector: events held per owner, hand-overs between owners.
    private mutating func record(_ trace: CaseTrace) {
        var previous: UInt32 = 0
        for e in trace.events {
            if e.owner != 0 {
                if Int(e.owner) >= eventsByOwner.count {
                    eventsByOwner.append(contentsOf: repeatElement(0, count: registry.count - eventsByOwner.count + 1))
                }
                eventsByOwner[Int(e.owner)] += 1
                if previous != 0 && e.owner != previous { handovers[UInt64(previous) << 32 | UInt64(e.owner), default: 0] += 1 }
                previous = e.owner
            }
        }
    }

    /// Whether a finding may cite the case's events: it has one, or it is a candidate of the cross-case judgement.
    @discardableResult
    private mutating func fold(_ trace: CaseTrace, _ context: DetectionContext) -> Bool {
        let outcome = CaseFold.analyze(trace, context: context)
        let summary = CaseSummary(events: Int32(outcome.events), transfers: Int32(outcome.transfers), pingPongs: Int32(outcome.pingPongs))
        if options.keepCaseSummaries {
            if trace.index < summaries.count { summaries[trace.index] = summary } else { summaries.append(summary) }
        }
        if trace.index >= durationsSeconds.count { durationsSeconds.append(outcome.durationMillis / 1000) }
        var keep = false
        for f in outcome.findings {
            findings.append(f)
            if examplesTaken[f.detector, default: 0] < options.examplesPerDetector {
                examplesTaken[f.detector, default: 0] += 1
                keep = true
            }
        }
        let candidate = Double(outcome.transfers) > options.thresholds.transfersMin || !outcome.stallCandidates.isEmpty || outcome.minor != nil
        if candidate && candidateSketches < 300 {
            candidateSketches += 1
            keep = true
        }
        if keep {
            sketches[trace.index] = CaseSketch(
                owners: trace.events.map(\.owner), activities: trace.events.map(\.activity), times: trace.events.map(\.time))
        }
        judge.add(outcome)
        return !outcome.findings.isEmpty || candidate
    }

    /// Folds the deferred open cases as of the last day, then makes the cross-case judgements.
    public mutating func finish() {
        guard var context else { return }
        if options.asOf == nil && options.mapping.asOf == nil && lastTime != Int64.min {
            context.asOfDay = localDay(lastTime)
            self.context = context
        }
        for trace in deferred { fold(trace, context) }
        deferred = []
        let cross = judge.findings() + overlap.findings().map(\.finding) + inspections.findings().map(\.finding)
        findings.append(contentsOf: cross)
        let rank = Dictionary(uniqueKeysWithValues: DetectorID.allCases.enumerated().map { ($1, $0) })
        findings.sort { $0.caseIndex != $1.caseIndex ? $0.caseIndex < $1.caseIndex : rank[$0.detector]! < rank[$1.detector]! }
        // Example sketches for cross-case findings come from the candidates kept.
        for f in cross where examplesTaken[f.detector, default: 0] < options.examplesPerDetector && sketches[f.caseIndex] != nil {
            examplesTaken[f.detector, default: 0] += 1
        }
    }

    public var detectionContext: DetectionContext? { context }
    public func transferLimit(caseType: UInt32) -> Double { judge.transferLimit(caseType: caseType) }

    // MARK: - Resolving values

    private mutating func prepare(firstBatch batch: EventBatch) {
        let a = options.mapping.attributes
        if let explicit = options.ownerAttribute ?? a?.owner {
            ownerKey = explicit
        } else if let groups = batch.eventColumns["org:group"], groups.contains(where: { $0 != 0 }) {
            ownerKey = "org:group"
        } else {
            ownerKey = "org:resource"
        }
        if let actor = a?.actor, actor != ownerKey { actorKey = actor }
        var reasons = Self.skipReasons(options)
        if ownerKey.flatMap({ batch.eventColumns[$0] }) == nil {
            let why = "the log has no '\(ownerKey ?? "")' attribute to follow the owner (choose one with --owner)"
            for d in [DetectorID.transfers, .pingPong, .stalling] where reasons[d] == nil { reasons[d] = why }
        }
        skipped = reasons
        var enabled = Set(DetectorID.allCases)
        for id in reasons.keys { enabled.remove(id) }
        judge = CrossCaseJudge(thresholds: options.thresholds, enabled: enabled)

        var placements: [UInt32: OwnerPlacement] = [:]
        let parents = options.mapping.unitParents ?? [:]
        for (name, owner) in options.mapping.owners ?? [:] {
            let id = registry.id(name)
            // The owner's units upwards: the mapping's parents when it gives them (bounded: a loop ends the walk).
            var chain: [String] = []
            var cursor = owner.unit
            while let unit = cursor, !chain.contains(unit), chain.count < 64 {
                chain.append(unit)
                cursor = parents[unit]
            }
            if let agency = owner.agency, !chain.contains(agency) { chain.append(agency) }
            placements[id] = OwnerPlacement(
                unit: owner.unit.map { registry.id($0) } ?? 0, agency: owner.agency.map { registry.id($0) } ?? 0, level: owner.level,
                chain: chain.map { registry.id($0) }, leads: (owner.leads ?? []).map { registry.id($0) })
        }
        var competent: [CompetenceKey: Set<UInt32>] = [:]
        for c in options.mapping.competent ?? [] {
            competent[CompetenceKey(kind: c.kind, procedure: c.procedure), default: []].formUnion(c.agencies.map { registry.id($0) })
        }
        let asOf = options.asOf ?? options.mapping.asOf
        let m = options.mapping
        context = DetectionContext(
            thresholds: options.thresholds, days: dayIndex(for: batch), rules: RuleLookup(options.rulebook),
            utcOffsetSeconds: options.utcOffsetSeconds, asOfDay: asOf.map(WorkingDayIndex.day) ?? Int32.max, placements: placements,
            targetLists: [:], competent: competent, enabled: enabled, hasActor: actorKey != nil,
            reworkByRoles: m.maps(.decision) || m.maps(.resolution),
            knowsClosing: m.maps(.closing) || a?.status != nil)
    }

    /// Working-day sums over the years around the first batch (3 before, 10 after); days outside fall back to
    /// the calendar itself, so the range only affects speed, never answers.
    private func dayIndex(for batch: EventBatch) -> WorkingDayIndex {
        var lo = Int64.max
        var hi = Int64.min
        for t in batch.time where t != EventBatch.noTime {
            lo = min(lo, t)
            hi = max(hi, t)
        }
        guard lo <= hi else { return WorkingDayIndex(calendar: options.calendar) }
        let first = max(0, Int(localDay(lo)) - 3 * 366)
        let last = min(47_846, Int(localDay(hi)) + 10 * 366)
        guard first < last else { return WorkingDayIndex(calendar: options.calendar) }
        return WorkingDayIndex(calendar: options.calendar, firstDay: Int32(first), lastDay: Int32(last))
    }

    @inline(__always)
    private mutating func role(_ activity: UInt32) -> ActivityRole {
        let cached = roleOf[Int(activity)]
        if cached != UInt8.max { return ActivityRole(rawValue: cached)! }
        let role = roles[table[activity]] ?? .other
        roleOf[Int(activity)] = role.rawValue
        return role
    }

    /// The registry id of a table value; a comma-separated list (consulted units) also gets its parts registered.
    @inline(__always)
    private mutating func value(canonicalOf id: UInt32) -> UInt32 {
        if id == 0 { return 0 }
        let c = canon[Int(id)]
        if c != Self.unresolved { return c }
        let text = table[id]
        let r = registry.id(text)
        canon[Int(id)] = r
        if let q = options.mapping.ownerQualifier, !q.isEmpty, context != nil, context!.placements[r] == nil,
            let cut = text.range(of: q, options: .backwards)
        {
            let base = registry.id(String(text[..<cut.lowerBound]))
            if let placement = context!.placements[base] { context!.placements[r] = placement }
        }
        if text.contains(","), context != nil {
            let parts = text.split(separator: ",").map { registry.id($0.trimmingCharacters(in: .whitespaces)) }
            context!.targetLists[r] = parts
        }
        return r
    }

    private mutating func day(ofDate id: UInt32) -> Int32 {
        if let d = dueOf[id] { return d }
        let parsed = Timestamp.parseISO8601(table[id], defaultOffsetSeconds: Int32(options.utcOffsetSeconds))
        let d = parsed.map { localDay($0.millis) } ?? CaseEvent.noDay
        dueOf[id] = d
        return d
    }

    private mutating func parseStatus(_ id: UInt32) -> TraceStatus? {
        if let s = statusOf[id] { return s }
        let s: TraceStatus?
        switch table[id].lowercased() {
        case "closed", "đã đóng": s = .closed
        case "awaiting_supplement", "awaitingsupplement": s = .awaitingSupplement
        case "resolved": s = .resolved
        case "processing": s = .processing
        case "suspended": s = .suspended
        case "received", "open": s = .open
        default: s = nil
        }
        statusOf[id] = s
        return s
    }

    @inline(__always)
    func localDay(_ ms: Int64) -> Int32 {
        let seconds = (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + Int64(options.utcOffsetSeconds)
        return Int32(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    private func traceValue(_ batch: EventBatch, _ t: Int, _ key: String?) -> UInt32? {
        guard let key else { return nil }
        if let col = batch.traceColumns[key], col[t] != 0 { return col[t] }
        if let col = batch.eventColumns[key] {
            for e in batch.events(ofTrace: t) where col[e] != 0 { return col[e] }
        }
        return nil
    }
}
