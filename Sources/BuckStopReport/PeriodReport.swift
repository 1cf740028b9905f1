import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Foundation

/// What a report covers: a period (Vietnam days, both ends included), optionally one unit's subtree and one kind.
public struct ReportScope: Sendable, Equatable {
    public var from: CivilDate
    public var to: CivilDate
    public var unit: UnitID?
    public var kind: CaseKind?

    public init(from: CivilDate, to: CivilDate, unit: UnitID? = nil, kind: CaseKind? = nil) {
        self.from = from
        self.to = to
        self.unit = unit
        self.kind = kind
    }

    /// The period of the same length just before (kỳ trước).
    public var previous: (from: CivilDate, to: CivilDate) {
        let length = to - from + 1
        return (from.adding(days: -length), from.adding(days: -1))
    }

    /// The same days a year earlier (cùng kỳ năm trước); 29 February falls back to the 28th.
    public var lastYear: (from: CivilDate, to: CivilDate) {
        func back(_ d: CivilDate) -> CivilDate {
            CivilDate(year: d.year - 1, month: d.month, day: d.day) ?? CivilDate(year: d.year - 1, month: d.month, day: d.day - 1) ?? d
        }
        return (back(from), back(to))
    }

    /// The kinds whose handling is counted: what citizens bring and the tasks officials are given. The registers
    /// (reception books, programmes and inspections, proposals) are records of the administration's own work.
    public static let workKinds: [CaseKind] = [.dossier, .task, .complaint, .denunciation, .petition]
}

/// A period report's numbers and examples (issue 19): the state of play against the previous period and the same period
/// last year, the behaviours found and where they happen, concrete examples, causes, the good — every figure computed
/// from the ledger's cases and findings, no judgement written. Pure: the command, the pages and the tests build it from
/// the same inputs; the writers (HTML, Word, Excel) only lay it out.
public struct PeriodReport: Sendable {
    /// The handling table every Vietnamese period report carries (kỳ trước chuyển sang + tiếp nhận mới = đã giải
    /// quyết + đang giải quyết): cases carried over, received, settled (on time, late), pending at the end (within
    /// the due date, overdue).
    public struct Volume: Sendable, Equatable {
        public var carriedOver = 0
        public var received = 0
        public var settledOnTime = 0
        public var settledLate = 0
        public var pendingInTime = 0
        public var pendingOverdue = 0

        public init() {}

        public var settled: Int { settledOnTime + settledLate }
        public var pending: Int { pendingInTime + pendingOverdue }
        public var handled: Int { carriedOver + received }
        /// Settled on time over settled, in percent; nil with nothing settled.
        public var onTimePercent: Double? { settled == 0 ? nil : Double(settledOnTime) * 100 / Double(settled) }

        mutating func count(_ c: CaseDigest, from a: CivilDate, to b: CivilDate) {
            let opened = c.openedDay
            guard opened <= b else { return }
            let settledDay = c.settledDay
            if let s = settledDay, s < a { return }
            if opened < a { carriedOver += 1 } else { received += 1 }
            if let s = settledDay, s <= b {
                if c.settledOnTime == false { settledLate += 1 } else { settledOnTime += 1 }
            } else if let due = c.due, due < b {
                pendingOverdue += 1
            } else {
                pendingInTime += 1
            }
        }
    }

    public struct Row: Sendable, Equatable {
        public var key: String
        public var name: String
        public var volume: Volume
    }

    public struct Month: Sendable, Equatable {
        /// YYYY-MM.
        public var month: String
        public var received: Int
        public var settled: Int
        public var settledOnTime: Int
    }

    public struct Behaviour: Sendable, Equatable {
        public var detector: String
        public var nameVi: String
        public var nameEn: String
        public var raised: Int
        public var upheld: Int
        public var dismissed: Int
        /// Open or explained, not yet reviewed.
        public var pending: Int
        public var raisedPrevious: Int
        /// Findings not dismissed per 100 cases handled in the period.
        public var per100: Double
    }

    /// Where a behaviour happens: body (or the scope unit's child), procedure and the step its first evidence is.
    public struct Hotspot: Sendable, Equatable {
        public var unit: UnitID
        public var unitName: String
        public var procedure: String
        public var step: ActionType?
        public var detector: String
        public var count: Int
    }

    public struct Example: Sendable, Equatable {
        public struct Spell: Sendable, Equatable {
            public var official: String
            public var unit: String
            public var since: CivilDate
            /// Calendar days held (to the end of the spell, or to the report's end while still held).
            public var days: Int
        }

        public var detector: String
        public var code: CaseID
        public var procedure: String
        public var unit: String
        public var severity: BuckStopDomain.Severity
        public var status: FindingStatus
        public var explanation: String
        public var response: String?
        public var cause: String?
        public var spells: [Spell]
    }

    public struct CauseRow: Sendable, Equatable {
        public var code: String
        public var nameVi: String
        public var nameEn: String
        public var count: Int
        /// The bodies with most findings of this cause, most first (at most three).
        public var topUnits: [(name: String, count: Int)]

        public static func == (a: CauseRow, b: CauseRow) -> Bool {
            a.code == b.code && a.count == b.count && a.topUnits.map(\.name) == b.topUnits.map(\.name)
                && a.topUnits.map(\.count) == b.topUnits.map(\.count)
        }
    }

    /// Where the figures come from: a BuckStop ledger, or an imported event log read through `analyze`, which carries no
    /// finding workflow (no review, cause or consequence) and no good deeds — the layout says so instead of showing zeros.
    public enum Source: Sendable, Equatable {
        case ledger
        case log(name: String)
    }

    public var source: Source = .ledger
    public var scope: ReportScope
    public var generatedOn: CivilDate
    /// The name of the scope unit, or of the organisation's top body.
    public var issuer: String
    public var current: Volume
    public var previous: Volume
    public var lastYear: Volume
    public var byKind: [Row]
    public var byUnit: [Row]
    public var byProcedure: [Row]
    public var months: [Month]
    public var behaviours: [Behaviour]
    public var hotspots: [Hotspot]
    /// Findings not dismissed, by row unit and detector: the heat map.
    public var unitBehaviour: [(unit: String, counts: [String: Int])]
    /// Hand-overs between units on the cases shifted back and forth (standing ping-pong findings): the flows chart.
    public var handOverFlows: HandOverFlows
    public var consequences: [ConsequenceKind: Int]
    public var remediationOnTime: Int
    public var remediationLate: Int
    public var remediationPending: Int
    public var examples: [Example]
    public var causes: [CauseRow]
    /// Upheld findings with no cause given yet.
    public var upheldWithoutCause: Int
    public var deeds: [GoodDeed: Int]
    public var proposalsApproved: Int
    public var proposalsDeclined: Int
    public var actedUnderProposal: Int
    public var serviceIndex: ServiceIndex

    /// Everything in the scope, from the digests of the cases and the findings with the time each was raised.
    /// `procedureNames` and `causes` come from the rulebook; `examplesPerBehaviour` caps section III.
    public init(
        scope: ReportScope, digests: [CaseDigest], findings: [(finding: Finding, observedAt: Int64)], organization org: Organization,
        procedureNames: [String: String], causes causeNames: [FindingCause], generatedOn: CivilDate, examplesPerBehaviour: Int = 3,
        serviceIndex indexGroups: [ServiceIndexGroup] = []
    ) {
        self.scope = scope
        self.generatedOn = generatedOn
        // Each unit's place in the scope worked out once, not once per case: a national log has millions of cases.
        var placeOf: [UnitID: (covered: Bool, row: UnitID)] = [:]
        for u in org.units.keys { placeOf[u] = (scope.covers(u, in: org), scope.rowUnit(u, in: org)) }
        func inScope(_ unit: UnitID?) -> Bool {
            guard scope.unit != nil else { return true }
            guard let unit else { return false }
            return placeOf[unit]?.covered ?? scope.covers(unit, in: org)
        }
        func rowUnit(_ unit: UnitID) -> UnitID { placeOf[unit]?.row ?? scope.rowUnit(unit, in: org) }
        func unitName(_ u: UnitID) -> String { org.unit(u)?.name ?? u.rawValue }
        issuer = scope.issuer(in: org)
        let kinds = Set(scope.kind.map { [$0] } ?? ReportScope.workKinds)
        let cases = digests.filter { kinds.contains($0.kind) && inScope($0.leadUnit) }
        let (a, b) = (scope.from, scope.to)
        var current = Volume()
        var previous = Volume()
        var lastYear = Volume()
        var byKind: [CaseKind: Volume] = [:]
        var byUnit: [UnitID: Volume] = [:]
        var byProcedure: [String: Volume] = [:]
        // Months keyed by year × 12 + month, named once at the end.
        var months: [Int: Month] = [:]
        func monthKey(_ d: CivilDate) -> Int { d.year * 12 + d.month - 1 }
        func month(_ key: Int) -> Month {
            Month(month: String(format: "%04d-%02d", key / 12, key % 12 + 1), received: 0, settled: 0, settledOnTime: 0)
        }
        for c in cases {
            current.count(c, from: a, to: b)
            previous.count(c, from: scope.previous.from, to: scope.previous.to)
            lastYear.count(c, from: scope.lastYear.from, to: scope.lastYear.to)
            byKind[c.kind, default: Volume()].count(c, from: a, to: b)
            byUnit[rowUnit(c.leadUnit), default: Volume()].count(c, from: a, to: b)
            byProcedure[c.procedure ?? "", default: Volume()].count(c, from: a, to: b)
            let opened = c.openedDay
            if opened >= a && opened <= b {
                months[monthKey(opened), default: month(monthKey(opened))].received += 1
            }
            if let s = c.settledDay, s >= a && s <= b {
                months[monthKey(s), default: month(monthKey(s))].settled += 1
                if c.settledOnTime != false { months[monthKey(s)]?.settledOnTime += 1 }
            }
        }
        self.current = current
        self.previous = previous
        self.lastYear = lastYear
        self.byKind = ReportScope.workKinds.compactMap { k in byKind[k].map { Row(key: k.rawValue, name: k.nameVi, volume: $0) } }
        self.byUnit = byUnit.filter { $0.value.handled > 0 }.map { Row(key: $0.key.rawValue, name: unitName($0.key), volume: $0.value) }
            .sorted { ($0.volume.handled, $1.key) > ($1.volume.handled, $0.key) }
        self.byProcedure = byProcedure.filter { $0.value.handled > 0 }
            .map { Row(key: $0.key, name: $0.key.isEmpty ? "—" : procedureNames[$0.key] ?? $0.key, volume: $0.value) }
            .sorted { ($0.volume.handled, $1.key) > ($1.volume.handled, $0.key) }
        self.months = months.values.sorted { $0.month < $1.month }

        // II. Behaviours: findings raised in the period about the scope, on cases of the kinds counted.
        // Findings on any case of the scope's kind (all kinds when none is given: an inspection's self_inspection_miss, a
        // programme task's overdue), about officials of the scope.
        // Positions, not copies: a national log has millions of digests and findings, and copying a finding or a digest
        // retains every string in it.
        var positionOfCode: [CaseID: Int] = [:]
        positionOfCode.reserveCapacity(digests.count)
        for n in digests.indices where positionOfCode[digests[n].code] == nil { positionOfCode[digests[n].code] = n }
        func digest(of f: Finding) -> CaseDigest? { positionOfCode[f.caseID].map { digests[$0] } }
        func counted(_ f: Finding) -> Bool {
            guard let at = positionOfCode[f.caseID], scope.kind == nil || digests[at].kind == scope.kind else { return false }
            return inScope(f.unit ?? digests[at].leadUnit)
        }
        let (previousFrom, previousTo) = scope.previous
        var inPeriodAt: [Int] = []
        var inPreviousAt: [Int] = []
        for (n, f) in findings.enumerated() {
            let day = CaseDigest.day(f.observedAt)
            let current = day >= a && day <= b
            let earlier = day >= previousFrom && day <= previousTo
            guard current || earlier, counted(f.finding) else { continue }
            if current { inPeriodAt.append(n) }
            if earlier { inPreviousAt.append(n) }
        }
        let inPeriod = inPeriodAt.lazy.map { findings[$0] }
        let inPrevious = inPreviousAt.lazy.map { findings[$0] }
        var behaviourRows: [String: Behaviour] = [:]
        let name = Self.detectorNames
        for (f, _) in inPeriod {
            let n = name(f.detector)
            var row =
                behaviourRows[f.detector]
                ?? Behaviour(
                    detector: f.detector, nameVi: n.vi, nameEn: n.en, raised: 0, upheld: 0, dismissed: 0, pending: 0, raisedPrevious: 0, per100: 0)
            row.raised += 1
            switch f.status {
            case .upheld: row.upheld += 1
            case .dismissed: row.dismissed += 1
            case .open, .explained: row.pending += 1
            }
            behaviourRows[f.detector] = row
        }
        for (f, _) in inPrevious {
            let n = name(f.detector)
            behaviourRows[
                f.detector,
                default: Behaviour(
                    detector: f.detector, nameVi: n.vi, nameEn: n.en, raised: 0, upheld: 0, dismissed: 0, pending: 0, raisedPrevious: 0, per100: 0)
            ]
            .raisedPrevious += 1
        }
        let handled = max(1, current.handled)
        behaviours = behaviourRows.values.map { r in
            var r = r
            r.per100 = Double(r.raised - r.dismissed) * 100 / Double(handled)
            return r
        }
        .sorted { ($0.raised, $1.detector) > ($1.raised, $0.detector) }

        let standingAt = inPeriodAt.filter { findings[$0].finding.status != .dismissed }
        let standing = standingAt.lazy.map { findings[$0] }
        var spots: [String: Hotspot] = [:]
        var heat: [UnitID: [String: Int]] = [:]
        for (f, _) in standing {
            guard let c = digest(of: f) else { continue }
            let unit = rowUnit(f.unit ?? c.leadUnit)
            let step = f.evidence.first.flatMap { c.steps[$0] }
            let key = "\(unit.rawValue)\u{1F}\(c.procedure ?? "")\u{1F}\(step?.rawValue ?? "")\u{1F}\(f.detector)"
            spots[
                key,
                default: Hotspot(
                    unit: unit, unitName: unitName(unit), procedure: c.procedure.map { procedureNames[$0] ?? $0 } ?? "—", step: step,
                    detector: f.detector, count: 0)
            ].count += 1
            heat[unit, default: [:]][f.detector, default: 0] += 1
        }
        hotspots = Array(
            spots.values.sorted { ($0.count, $1.unitName, $1.detector, $1.procedure) > ($1.count, $0.unitName, $0.detector, $0.procedure) }
                .prefix(10))
        unitBehaviour = heat.map { (unitName($0.key), $0.value) }.sorted { $0.unit < $1.unit }
        handOverFlows = HandOverFlows(
            digests: cases, findings: standing.map(\.finding), organization: org, rowUnit: rowUnit, unitName: unitName)

        var consequences: [ConsequenceKind: Int] = [:]
        var remediationOnTime = 0
        var remediationLate = 0
        var remediationPending = 0
        for (f, _) in inPeriod where f.status == .upheld {
            for k in Set(f.consequences.decided) { consequences[k, default: 0] += 1 }
            if let r = f.consequences.remediation {
                switch r.doneOnTime {
                case true?: remediationOnTime += 1
                case false?: remediationLate += 1
                case nil: if r.isLate(on: generatedOn) { remediationLate += 1 } else { remediationPending += 1 }
                }
            }
        }
        self.consequences = consequences
        self.remediationOnTime = remediationOnTime
        self.remediationLate = remediationLate
        self.remediationPending = remediationPending

        // III. Examples: per behaviour, the most severe standing findings, upheld before unreviewed, latest first.
        let causeByCode = Dictionary(causeNames.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var examples: [Example] = []
        let end = b.adding(days: 1).startInstant()
        /// Whether finding i goes before finding j as an example: more severe, upheld, later, then by id.
        func before(_ i: Int, _ j: Int) -> Bool {
            let (x, y) = (findings[i], findings[j])
            return (x.finding.severity, x.finding.status == .upheld ? 1 : 0, x.observedAt, y.finding.id)
                > (y.finding.severity, y.finding.status == .upheld ? 1 : 0, y.observedAt, x.finding.id)
        }
        // The first few per behaviour in one pass, keeping each behaviour's best so far in order.
        var picked: [String: [Int]] = [:]
        for i in standingAt {
            var best = picked[findings[i].finding.detector] ?? []
            guard best.count < examplesPerBehaviour || best.last.map({ before(i, $0) }) == true else { continue }
            best.insert(i, at: best.firstIndex { before(i, $0) } ?? best.endIndex)
            if best.count > examplesPerBehaviour { best.removeLast() }
            picked[findings[i].finding.detector] = best
        }
        for detector in behaviours.map(\.detector) {
            for (f, _) in (picked[detector] ?? []).map({ findings[$0] }) {
                guard let c = digest(of: f) else { continue }
                let spells = c.holds.map { h in
                    let since = Date(timeIntervalSince1970: Double(h.since) / 1000)
                    let until = h.until.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? end
                    let official = org.official(h.official)
                    return Example.Spell(
                        official: official?.name ?? h.official.rawValue, unit: official.map { unitName($0.unit) } ?? "",
                        since: CaseDigest.day(h.since), days: max(0, Int((until.timeIntervalSince(since) / 86_400).rounded(.down))))
                }
                examples.append(
                    Example(
                        detector: detector, code: c.code, procedure: c.procedure.map { procedureNames[$0] ?? $0 } ?? c.kind.nameVi,
                        unit: unitName(c.leadUnit), severity: f.severity, status: f.status, explanation: f.explanation, response: f.response,
                        cause: f.cause.map { causeByCode[$0]?.nameVi ?? $0 }, spells: spells))
            }
        }
        self.examples = examples

        // IV. Causes of upheld findings.
        var causeCounts: [String: (count: Int, units: [UnitID: Int])] = [:]
        var withoutCause = 0
        for (f, _) in inPeriod where f.status == .upheld {
            guard let code = f.cause else {
                withoutCause += 1
                continue
            }
            let unit = rowUnit(f.unit ?? digest(of: f)?.leadUnit ?? UnitID(""))
            causeCounts[code, default: (0, [:])].count += 1
            causeCounts[code, default: (0, [:])].units[unit, default: 0] += 1
        }
        causes = causeCounts.map { code, value in
            let named = causeByCode[code]
            let top = value.units.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map { (unitName($0.key), $0.value) }
            return CauseRow(code: code, nameVi: named?.nameVi ?? code, nameEn: named?.nameEn ?? code, count: value.count, topUnits: Array(top))
        }
        .sorted { ($0.count, $1.code) > ($1.count, $0.code) }
        upheldWithoutCause = withoutCause

        // V. The good: deeds on cases settled in the period; proposals decided and acted on in it.
        var deeds: [GoodDeed: Int] = [:]
        for c in cases {
            guard let s = c.settledDay, s >= a && s <= b else { continue }
            for d in c.deeds { deeds[d.deed, default: 0] += 1 }
        }
        self.deeds = deeds
        var approved = 0
        var declined = 0
        var acted = 0
        func inRange(_ t: Int64) -> Bool { CaseDigest.day(t) >= a && CaseDigest.day(t) <= b }
        for c in digests where inScope(c.leadUnit) {
            if c.kind == .proposal, let d = c.proposalDecision, inRange(d.at) {
                if d.approved { approved += 1 } else { declined += 1 }
            }
            acted += c.actedUnderProposal.filter(inRange).count
        }
        proposalsApproved = approved
        proposalsDeclined = declined
        actedUnderProposal = acted

        // The QĐ 766 index: dossiers of the scope settled, and rated, in the period.
        var rowNames: [UnitID: (key: String, name: String)] = [:]
        serviceIndex = ServiceIndex(
            digests: cases, from: a, to: b, groups: indexGroups, issuer: issuer,
            rowUnit: { unit in
                if let known = rowNames[unit] { return known }
                let row = rowUnit(unit)
                rowNames[unit] = (row.rawValue, unitName(row))
                return (row.rawValue, unitName(row))
            })
    }

    /// A detector's names, or its id twice when the catalogue does not know it.
    public static func detectorNames(_ detector: String) -> (vi: String, en: String) {
        DetectorID(rawValue: detector).map { ($0.nameVi, $0.nameEn) } ?? (detector, detector)
    }
}
