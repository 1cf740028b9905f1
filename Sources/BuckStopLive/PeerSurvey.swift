import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Foundation

/// The scheduled pass over every case: folds each case as of now (findings that time alone brings — a case left
/// idle, a deadline passed — appear without any append), makes the cross-case judgements (transfers and stalling
/// against peers, accumulation of minor findings per official), finds overlapping leads (the same task led by
/// two units at once), and freezes the peer limits that live replays use until the next pass.
///
/// Keeps a few words per case (its id and ledger indices) — sized for a city's SQLite store; a province on
/// PostgreSQL would survey per agency.
public struct PeerSurvey {
    let model: LiveModel
    let now: Int64
    let context: DetectionContext
    var judge: CrossCaseJudge
    var caseIDs: [CaseID] = []
    var indices: [[Int64]] = []
    var names: [[UInt32: String]] = []
    var caseFindings: [(Int, DetectorFinding)] = []
    /// Cases each official has held (been the accountable owner of) at any point: the workload rankings divide by.
    var handled: [String: Int] = [:]
    /// Tasks in force for the overlap judgement (`OverlapJudge`), and the opening's index and owner per case position.
    var overlap = OverlapJudge()
    var openings: [Int: (index: Int64, owner: OfficialID)] = [:]
    /// Concluded inspections for `self_inspection_miss` (`InspectionJudge`), and their records by case position.
    var inspections = InspectionJudge()
    var inspectionRecords: [Int: InspectionRecord] = [:]
    /// The good deeds read from every case (`GoodDeed`), by official: counted beside the findings.
    var goodWork = GoodWorkTally()
    /// Remediations past their due date (`late_remediation`), by case position, with the days late.
    var lateRemediations: [(position: Int, track: RemediationTrack, days: Int)] = []

    public init(model: LiveModel, now: Int64) {
        self.model = model
        self.now = now
        context = model.context(asOf: now)
        judge = CrossCaseJudge(thresholds: model.thresholds, enabled: context.enabled)
    }

    public mutating func add(caseID: CaseID, records: [(index: Int64, action: Action)]) {
        goodWork.add(GoodDeed.deeds(in: records))
        let position = caseIDs.count
        let replay = LedgerTrace(caseIndex: position, records: records, model: model)
        guard !replay.trace.events.isEmpty else { return }
        caseIDs.append(caseID)
        indices.append(replay.indices)
        names.append(replay.extraNames)
        var context = self.context
        for (k, v) in replay.targetLists { context.targetLists[k] = v }
        var holders = Set<UInt32>()
        for event in replay.trace.events where event.owner != 0 { holders.insert(event.owner) }
        for id in holders { handled[replay.extraNames[id] ?? model.name(id), default: 0] += 1 }
        let outcome = CaseFold.analyze(replay.trace, context: context)
        for f in outcome.findings { caseFindings.append((position, f)) }
        judge.add(outcome)
        if context.enabled.contains(.overlap), let first = records.first, case .open(let open) = first.action.body, open.kind == .task,
            replay.trace.events.last.map({ $0.status.isInForce }) == true
        {
            openings[position] = (first.index, open.owner)
            overlap.add(
                caseIndex: position, lead: open.leadUnit.rawValue, product: open.product, title: open.title, openedAt: first.action.at,
                owner: model.id(open.owner.rawValue), inForce: true)
        }
        if context.enabled.contains(.overlap), let first = records.first, case .open(let open) = first.action.body,
            let record = InspectionRecord(caseID: caseID, records: records)
        {
            let inForce = record.conclusion == nil && !record.ended
            if inForce && record.form == .external { openings[position] = (first.index, open.owner) }
            overlap.add(
                inspection: .init(caseIndex: position, scope: record.scope, openedAt: record.openedAt, owner: model.id(open.owner.rawValue)),
                form: record.form, inForce: inForce)
        }
        if context.enabled.contains(.lateRemediation) {
            let today = CivilDate(Date(timeIntervalSince1970: Double(now) / 1000))
            for track in RemediationTrack.all(in: records) {
                if let days = track.daysLate(asOf: today) { lateRemediations.append((position, track, days)) }
            }
        }
        if context.enabled.contains(.selfInspectionMiss), let record = InspectionRecord(caseID: caseID, records: records),
            let conclusion = record.conclusion, let signer = conclusion.by
        {
            inspectionRecords[position] = record
            // Positions here are the violation's place in the record, which `finish` turns into its ledger index.
            inspections.add(
                InspectionJudge.Inspection(
                    caseIndex: position, form: record.form, subjects: record.scope.subjects.map(\.rawValue), from: record.scope.from,
                    to: record.scope.to, fields: record.scope.fields, conclusion: 0, signer: model.id(signer.rawValue),
                    violations: record.violations.enumerated().map { (n, v) in (v.violation.unit.rawValue, v.violation.field, Int32(n)) }))
        }
    }

    public struct Result: Sendable {
        public var limits: PeerLimits
        public var notices: [(caseID: CaseID, notice: FindingNotice)]
        public var cases: Int
        /// Cases each official has held, by official.
        public var handled: [OfficialID: Int]
        /// How many of the cases each detector flags: the pages withhold an implausible detector (`BaseRate`).
        public var baseRate: BaseRate
        /// The good deeds on every case, by official.
        public var goodWork: GoodWorkTally
    }

    public func finish() -> Result {
        var notices: [(CaseID, FindingNotice)] = []
        var flagged: [DetectorID: Set<Int>] = [:]
        func add(_ position: Int, _ f: DetectorFinding) {
            flagged[f.detector, default: []].insert(position)
            let owner = names[position][f.owner] ?? model.name(f.owner)
            notices.append(
                (caseIDs[position], FindingNotices.notice(f, caseID: caseIDs[position], ownerName: owner, indices: indices[position], model: model)))
        }
        for (position, f) in caseFindings { add(position, f) }
        for f in judge.findings() { add(f.caseIndex, f) }
        for (f, earlier) in overlap.findings() {
            guard let later = openings[f.caseIndex], let first = openings[earlier] else { continue }
            var notice = FindingNotices.notice(
                f, caseID: caseIDs[f.caseIndex], ownerName: later.owner.rawValue, indices: indices[f.caseIndex], model: model)
            notice.evidence = [first.index, later.index]
            notices.append((caseIDs[f.caseIndex], notice))
            flagged[.overlap, default: []].insert(f.caseIndex)
        }
        for miss in inspections.findings() {
            guard let own = inspectionRecords[miss.finding.caseIndex], let signer = own.conclusion?.by else { continue }
            var notice = FindingNotices.notice(
                miss.finding, caseID: caseIDs[miss.finding.caseIndex], ownerName: signer.rawValue, indices: indices[miss.finding.caseIndex],
                model: model)
            // The self-inspection's conclusion, then each violation found from outside that it missed.
            notice.evidence =
                (own.conclusion.map { [$0.index] } ?? [])
                + miss.missed.compactMap { m in inspectionRecords[m.caseIndex].map { $0.violations[Int(m.position)].index } }
            notices.append((caseIDs[miss.finding.caseIndex], notice))
            flagged[.selfInspectionMiss, default: []].insert(miss.finding.caseIndex)
        }
        // A remediation past its due date, against the official it was given to: the decision that ordered it, and its
        // completion when it came late.
        for late in lateRemediations {
            let f = DetectorFinding(
                detector: .lateRemediation, caseIndex: late.position, owner: model.id(late.track.owner.rawValue), severity: .medium, evidence: [],
                value: Double(late.days), limit: 0, attribution: .holder)
            var notice = FindingNotices.notice(
                f, caseID: caseIDs[late.position], ownerName: late.track.owner.rawValue, indices: indices[late.position], model: model)
            notice.evidence = [late.track.ordered] + (late.track.completed.map { [$0] } ?? [])
            notices.append((caseIDs[late.position], notice))
            flagged[.lateRemediation, default: []].insert(late.position)
        }
        return Result(
            limits: judge.peerLimits(), notices: notices, cases: caseIDs.count,
            handled: Dictionary(uniqueKeysWithValues: handled.map { (OfficialID($0.key), $0.value) }),
            baseRate: BaseRate(
                cases: caseIDs.count, flagged: flagged.mapValues(\.count), plausibleShare: model.thresholds.analysisPlausibleShare),
            goodWork: goodWork)
    }
}
