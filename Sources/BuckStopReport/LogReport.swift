import BuckStopAnalysis
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Foundation

/// A period report over an imported event log (`buckstop report --log`), so that an inspectorate can report on a
/// system it does not run. The log is read by `analyze` — the same reader, mapping and detectors, with
/// `AnalysisOptions.keepDigests` — and each case's `TraceDigest` becomes the report's `CaseDigest`, each detector
/// finding a raised finding not yet reviewed. The counting is `PeriodReport`'s, unchanged: a BuckStop ledger and its own
/// export give the same handling figures. What a log cannot say (reviews, causes, consequences, good deeds) the report
/// marks as not computable from a log (`PeriodReport.Source.log`).
public enum LogReport {
    /// `organization`: the organisation the log's owners and units belong to when known (names, the tree); otherwise it
    /// is built from the mapping's owners and unit parents, each unit and official named by its id. `shares`: how many
    /// parts the counting is split into, one per core by default once the log has tens of thousands of cases (the
    /// report is the same for any number).
    public static func make(
        analyzer: LogAnalyzer, logName: String, organization known: Organization?, rulebook: Rulebook, scope: ReportScope,
        today: CivilDate, shares: Int? = nil
    ) throws(ReportError) -> PeriodReport {
        let mapping = analyzer.options.mapping
        let placements = mapping.owners ?? [:]
        func ownerName(_ id: UInt32) -> String { analyzer.registry[id] }
        func placement(_ owner: String) -> LogMapping.Owner? {
            if let p = placements[owner] { return p }
            guard let q = mapping.ownerQualifier, let cut = owner.range(of: q) else { return nil }
            return placements[String(owner[..<cut.lowerBound])]
        }

        // Each owner's unit as the mapping places it, looked up once per owner (a qualified owner is a text search).
        func unit(placing owner: UInt32, known: inout [UInt32: String?]) -> String? {
            if let unit = known[owner] { return unit }
            let unit = placement(ownerName(owner))?.unit
            known[owner] = unit
            return unit
        }
        func leadUnit(_ t: TraceDigest, known: inout [UInt32: String?]) -> String {
            t.leadUnit ?? t.holds.first.flatMap { unit(placing: $0.owner, known: &known) } ?? Self.unknownUnit
        }
        let org: Organization
        if let known {
            org = known
        } else {
            var leads: Set<UnitID> = []
            var placed: [UInt32: String?] = [:]
            for t in analyzer.digests { leads.insert(UnitID(leadUnit(t, known: &placed))) }
            org = try Self.organization(mapping: mapping, leadUnits: leads)
        }
        if let unit = scope.unit, org.unit(unit) == nil { throw .unknownUnit(unit.rawValue) }

        // The findings of each case, by position (a counting sort on the case), so that each case goes to the report with
        // its findings and neither the cases nor the findings are ever listed again: a national log has millions.
        let cases = analyzer.caseCount
        var firstOf = [Int](repeating: 0, count: cases + 1)
        for f in analyzer.findings where f.caseIndex >= 0 && f.caseIndex < cases { firstOf[f.caseIndex + 1] += 1 }
        for n in 0..<cases { firstOf[n + 1] += firstOf[n] }
        var order = [Int](repeating: 0, count: firstOf[cases])
        var next = firstOf
        for (n, f) in analyzer.findings.enumerated() where f.caseIndex >= 0 && f.caseIndex < cases {
            order[next[f.caseIndex]] = n
            next[f.caseIndex] += 1
        }

        var names: [String: String] = [:]
        for p in rulebook.procedures { names[p.code] = p.nameVi }
        // The cases at `positions` in the analyser's digests, into a builder of their own.
        func count(_ positions: Range<Int>) -> PeriodReport.Builder {
            var builder = PeriodReport.Builder(
                scope: scope, organization: org, procedureNames: names, causes: rulebook.findingCauses, generatedOn: today,
                serviceIndex: rulebook.serviceIndex)
            var placed: [UInt32: String?] = [:]
            for position in positions {
                let t = analyzer.digests[position]
                let own = t.caseIndex >= 0 && t.caseIndex < cases ? order[firstOf[t.caseIndex]..<firstOf[t.caseIndex + 1]] : []
                var steps: [Int64: ActionType] = [:]
                for n in own {
                    guard let first = analyzer.findings[n].evidence.first, first >= 0, Int(first) < t.activities.count,
                        let type = ActionType(rawValue: analyzer.table[t.activities[Int(first)]])
                    else { continue }
                    steps[Int64(first)] = type
                }
                let digest = CaseDigest(
                    code: CaseID(analyzer.table[analyzer.caseNames[t.caseIndex]]), kind: t.kind ?? .dossier, procedure: t.procedure,
                    leadUnit: UnitID(leadUnit(t, known: &placed)), opened: t.opened, due: t.due, settled: t.settled,
                    settledOnTime: t.settledOnTime,
                    holds: t.holds.map { CaseDigest.Hold(official: OfficialID(ownerName($0.owner)), since: $0.since, until: $0.until) },
                    steps: steps, apologised: t.apologised, supplementRequests: t.supplementRequests)
                // The explanation is written for the few findings the report shows (below), not for every one.
                let findings = own.map { n in
                    let f = analyzer.findings[n]
                    let owner = ownerName(f.owner)
                    let official = owner.isEmpty ? nil : OfficialID(owner)
                    let unit = official.flatMap { org.official($0)?.unit } ?? unit(placing: f.owner, known: &placed).map(UnitID.init(rawValue:))
                    return (
                        finding: Finding(
                            id: "L\(n + 1)", detector: f.detector.rawValue, caseID: digest.code, official: official, unit: unit, head: nil,
                            severity: f.severity.findingSeverity, evidence: f.evidence.map(Int64.init), explanation: ""),
                        observedAt: observedAt(f, trace: t, utcOffsetSeconds: analyzer.options.utcOffsetSeconds)
                    )
                }
                builder.add(digest, findings: findings)
            }
            return builder
        }
        // The cases are counted in as many shares as there are cores, each into its own builder, and the builders merged
        // (the sums and the best examples are the same in any split): the analysis has read the whole log by now, so
        // the cores are free, and the counting was the report's largest cost over the analysis.
        let digests = analyzer.digests
        let shares = max(1, min(digests.count, shares ?? min(ProcessInfo.processInfo.activeProcessorCount, digests.count / 20_000)))
        let counted = ParallelMap.map(shares, chunks: shares, minimumPerChunk: 1) { share in
            count(digests.count * share / shares..<digests.count * (share + 1) / shares)
        }
        var builder = counted[0]
        for other in counted.dropFirst() { builder.merge(other) }
        var report = builder.report
        for (n, example) in report.examples.enumerated() {
            guard let at = Int(example.finding.dropFirst()).map({ $0 - 1 }), at >= 0, at < analyzer.findings.count else { continue }
            let f = analyzer.findings[at]
            let owner = ownerName(f.owner)
            let official = owner.isEmpty ? nil : OfficialID(owner)
            report.examples[n].explanation = Explanation.text(
                f, owner: official.flatMap { org.official($0)?.name } ?? owner, vietnamese: true)
        }
        report.source = .log(name: logName)
        return report
    }

    /// The row cases without a lead unit or a placed first holder are counted under.
    static let unknownUnit = "(không rõ đơn vị)"

    /// When a finding's behaviour happened, as far as the log says: the day it concerns (an accumulation's window),
    /// else its last evidence event, else the case's opening.
    private static func observedAt(_ f: DetectorFinding, trace: TraceDigest, utcOffsetSeconds: Int) -> Int64 {
        if f.day != CaseEvent.noDay, let day = CivilDate(year: 1970, month: 1, day: 1)?.adding(days: Int(f.day)) {
            return Int64(day.startInstant(utcOffsetSeconds: utcOffsetSeconds).timeIntervalSince1970 * 1000)
        }
        guard let last = f.evidence.max(), last >= 0, Int(last) < trace.times.count else { return trace.opened }
        return trace.times[Int(last)]
    }

    /// Units and officials as the mapping places them: every unit an owner sits in, every agency, every unit the
    /// parents list names, and the lead units the log names; a unit under an agency is a division of it.
    static func organization(mapping: LogMapping, leadUnits: Set<UnitID>) throws(ReportError) -> Organization {
        let owners = mapping.owners ?? [:]
        var parents = mapping.unitParents ?? [:]
        var unitIDs = Set(parents.keys).union(parents.values).union(leadUnits.map(\.rawValue))
        let agencies = Set(owners.values.compactMap(\.agency))
        for o in owners.values {
            if let u = o.unit {
                unitIDs.insert(u)
                if let a = o.agency, a != u, parents[u] == nil { parents[u] = a }
            }
            if let a = o.agency { unitIDs.insert(a) }
        }
        let units = unitIDs.sorted().map { id in
            Unit(
                id: UnitID(id), name: id, kind: agencies.contains(id) || parents[id] == nil ? .department : .division,
                parent: parents[id].map(UnitID.init(rawValue:)), code: id)
        }
        let officials = owners.keys.sorted().compactMap { id -> Official? in
            guard let unit = owners[id]?.unit ?? owners[id]?.agency else { return nil }
            return Official(id: OfficialID(id), name: id, unit: UnitID(unit), position: "")
        }
        do {
            return try Organization(units: units, officials: officials, mandates: [])
        } catch {
            throw .mappingOrganization("\(error)")
        }
    }
}
