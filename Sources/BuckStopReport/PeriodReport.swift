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

        mutating func add(_ other: Volume) {
            carriedOver += other.carriedOver
            received += other.received
            settledOnTime += other.settledOnTime
            settledLate += other.settledLate
            pendingInTime += other.pendingInTime
            pendingOverdue += other.pendingOverdue
        }

        /// A case into the table of the days `a…b` (Julian day numbers, both included).
        mutating func count(_ d: CaseDays, from a: Int, to b: Int) {
            guard d.opened <= b else { return }
            if let s = d.settled, s < a { return }
            if d.opened < a { carriedOver += 1 } else { received += 1 }
            if let s = d.settled, s <= b {
                if d.settledOnTime == false { settledLate += 1 } else { settledOnTime += 1 }
            } else if let due = d.due, due < b {
                pendingOverdue += 1
            } else {
                pendingInTime += 1
            }
        }
    }

    /// A case's days as Julian day numbers (Vietnam days), worked out once per case: comparing them is all the handling
    /// tables do, and working out a date's year, month and day for each comparison was a sixth of the counting.
    struct CaseDays {
        var opened: Int
        var settled: Int?
        var due: Int?
        var settledOnTime: Bool?

        init(_ c: CaseDigest) {
            opened = CivilDate.julianDayNumber(ofMillis: c.opened)
            settled = c.settled.map { CivilDate.julianDayNumber(ofMillis: $0) }
            due = c.due?.julianDayNumber
            settledOnTime = c.settledOnTime
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
        /// The finding it is an example of.
        public var finding: String
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
    /// `procedureNames` and `causes` come from the rulebook; `examplesPerBehaviour` caps section III. A finding counts
    /// with the first digest of its case; a finding on no digest is not counted.
    public init(
        scope: ReportScope, digests: [CaseDigest], findings: [(finding: Finding, observedAt: Int64)], organization org: Organization,
        procedureNames: [String: String], causes causeNames: [FindingCause], generatedOn: CivilDate, examplesPerBehaviour: Int = 3,
        serviceIndex indexGroups: [ServiceIndexGroup] = []
    ) {
        var builder = Builder(
            scope: scope, organization: org, procedureNames: procedureNames, causes: causeNames, generatedOn: generatedOn,
            examplesPerBehaviour: examplesPerBehaviour, serviceIndex: indexGroups)
        var byCase: [CaseID: [Int]] = [:]
        for n in findings.indices { byCase[findings[n].finding.caseID, default: []].append(n) }
        var seen: Set<CaseID> = []
        for d in digests where seen.insert(d.code).inserted {
            builder.add(d, findings: (byCase[d.code] ?? []).map { findings[$0] })
        }
        self = builder.report
    }

    /// The report counted one case at a time, with the findings on it: a report over a national log or ledger (millions of
    /// cases) keeps tallies and a few examples, never a list of every case or finding. The ledger's scan and the log's
    /// digests feed it as they go; `PeriodReport.init(scope:digests:findings:…)` is it over lists.
    public struct Builder: Sendable {
        let scope: ReportScope
        let org: Organization
        let procedureNames: [String: String]
        let causeByCode: [String: FindingCause]
        let generatedOn: CivilDate
        let examplesPerBehaviour: Int
        /// The scope's periods as Julian day numbers, both ends included.
        let period: (from: Int, to: Int)
        let previousPeriod: (from: Int, to: Int)
        let lastYearPeriod: (from: Int, to: Int)
        /// The month key (year × 12 + month − 1) of each day of the period, from its first.
        let monthOfDay: [Int]
        /// Whether each kind (by its place in `CaseKind.allCases`) is counted: an array, as hashing a kind hashes its name.
        let kindCounted: [Bool]
        /// Each unit's place in the scope, worked out once: whether it is inside, and the row it is counted under (an
        /// index into `rows`), so that a case costs one lookup of its unit.
        var placeOf: [UnitID: (covered: Bool, row: Int)] = [:]
        var rows: [UnitID] = []
        var rowLabels: [(key: String, name: String)] = []
        var rowVolumes: [Volume] = []
        var current = Volume()
        var previous = Volume()
        var lastYear = Volume()
        var byKind: [Volume?]
        var byProcedure: [String: Volume] = [:]
        /// Months keyed by year × 12 + month, named at the end.
        var months: [Int: Month] = [:]
        var behaviourRows: [String: Behaviour] = [:]
        var spots: [SpotKey: Hotspot] = [:]
        var heat: [UnitID: [String: Int]] = [:]
        var flows = HandOverFlows.Tally()
        var consequences: [ConsequenceKind: Int] = [:]
        var remediationOnTime = 0
        var remediationLate = 0
        var remediationPending = 0
        /// Per behaviour, the best examples so far, best first.
        var picked: [String: [Candidate]] = [:]
        var causeCounts: [String: (count: Int, units: [UnitID: Int])] = [:]
        var withoutCause = 0
        var deeds: [GoodDeed: Int] = [:]
        var approved = 0
        var declined = 0
        var acted = 0
        var index: ServiceIndex.Tally

        struct SpotKey: Hashable, Sendable {
            var unit: UnitID
            var procedure: String?
            var step: ActionType?
            var detector: String
        }

        struct Candidate: Sendable {
            var severity: BuckStopDomain.Severity
            var upheld: Bool
            var observedAt: Int64
            var id: String
            var example: Example

            /// More severe, upheld before unreviewed, later, then by id.
            func isBefore(_ other: Candidate) -> Bool { Self.isBefore(severity, upheld, observedAt, id, other) }

            static func isBefore(_ severity: BuckStopDomain.Severity, _ upheld: Bool, _ observedAt: Int64, _ id: String, _ other: Candidate)
                -> Bool
            {
                (severity, upheld ? 1 : 0, observedAt, other.id) > (other.severity, other.upheld ? 1 : 0, other.observedAt, id)
            }
        }

        public init(
            scope: ReportScope, organization org: Organization, procedureNames: [String: String], causes causeNames: [FindingCause],
            generatedOn: CivilDate, examplesPerBehaviour: Int = 3, serviceIndex indexGroups: [ServiceIndexGroup] = []
        ) {
            self.scope = scope
            self.org = org
            self.procedureNames = procedureNames
            causeByCode = Dictionary(causeNames.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            self.generatedOn = generatedOn
            self.examplesPerBehaviour = examplesPerBehaviour
            period = (scope.from.julianDayNumber, scope.to.julianDayNumber)
            previousPeriod = (scope.previous.from.julianDayNumber, scope.previous.to.julianDayNumber)
            lastYearPeriod = (scope.lastYear.from.julianDayNumber, scope.lastYear.to.julianDayNumber)
            monthOfDay = (0..<max(0, scope.to - scope.from + 1)).map { Self.monthKey(scope.from.adding(days: $0)) }
            let counted = scope.kind.map { [$0] } ?? ReportScope.workKinds
            kindCounted = CaseKind.allCases.map(counted.contains)
            byKind = Array(repeating: nil, count: CaseKind.allCases.count)
            index = ServiceIndex.Tally(from: scope.from, to: scope.to, groups: indexGroups, issuer: scope.issuer(in: org))
            for u in org.units.keys.sorted() { _ = place(u) }
        }

        /// A unit's place in the scope, worked out the first time it is asked for.
        mutating func place(_ unit: UnitID) -> (covered: Bool, row: Int) {
            if let known = placeOf[unit] { return known }
            let place = (covered: scope.covers(unit, in: org), row: rowIndex(scope.rowUnit(unit, in: org)))
            placeOf[unit] = place
            return place
        }

        /// A row's index in `rows`, the row added when new.
        mutating func rowIndex(_ row: UnitID) -> Int {
            if let known = placeOf[row], rows[known.row] == row { return known.row }
            if let existing = rows.firstIndex(of: row) { return existing }
            rows.append(row)
            rowLabels.append((row.rawValue, unitName(row)))
            rowVolumes.append(Volume())
            return rows.count - 1
        }

        func unitName(_ u: UnitID) -> String { org.unit(u)?.name ?? u.rawValue }

        func inPeriod(_ t: Int64) -> Bool {
            let day = CivilDate.julianDayNumber(ofMillis: t)
            return day >= period.from && day <= period.to
        }

        /// One case and the findings on it.
        public mutating func add(_ c: CaseDigest, findings: [(finding: Finding, observedAt: Int64)]) {
            let (a, b) = period
            let lead = place(c.leadUnit)
            let leadInScope = scope.unit == nil || lead.covered
            let kindAt = CaseKind.allCases.firstIndex(of: c.kind) ?? 0
            let counted = kindCounted[kindAt] && leadInScope
            if counted {
                // I. Handling.
                let days = CaseDays(c)
                current.count(days, from: a, to: b)
                previous.count(days, from: previousPeriod.from, to: previousPeriod.to)
                lastYear.count(days, from: lastYearPeriod.from, to: lastYearPeriod.to)
                if byKind[kindAt] == nil { byKind[kindAt] = Volume() }
                byKind[kindAt]?.count(days, from: a, to: b)
                rowVolumes[lead.row].count(days, from: a, to: b)
                byProcedure[c.procedure ?? "", default: Volume()].count(days, from: a, to: b)
                if days.opened >= a && days.opened <= b {
                    let key = monthOfDay[days.opened - a]
                    months[key, default: Self.month(key)].received += 1
                }
                if let s = days.settled, s >= a && s <= b {
                    let key = monthOfDay[s - a]
                    months[key, default: Self.month(key)].settled += 1
                    if c.settledOnTime != false { months[key]?.settledOnTime += 1 }
                    // V. The good: deeds on cases settled in the period.
                    for d in c.deeds { deeds[d.deed, default: 0] += 1 }
                }
                // The QĐ 766 index.
                index.add(c, settledDay: days.settled, row: rowLabels[lead.row])
            }
            if leadInScope {
                // V. Proposals decided and acted on in the period.
                if c.kind == .proposal, let d = c.proposalDecision, inPeriod(d.at) {
                    if d.approved { approved += 1 } else { declined += 1 }
                }
                for t in c.actedUnderProposal where inPeriod(t) { acted += 1 }
            }

            // II–IV. Findings raised in the period about the scope, on cases of the kinds counted (all kinds when none is
            // given: an inspection's self_inspection_miss, a programme task's overdue), about officials of the scope.
            guard !findings.isEmpty, scope.kind == nil || c.kind == scope.kind else { return }
            var follow = false
            for (f, observedAt) in findings {
                let place = f.unit.map { self.place($0) } ?? lead
                guard scope.unit == nil || place.covered else { continue }
                let day = CivilDate.julianDayNumber(ofMillis: observedAt)
                if day >= previousPeriod.from && day <= previousPeriod.to {
                    behaviourRows[f.detector, default: Self.behaviour(f.detector)].raisedPrevious += 1
                }
                guard day >= a && day <= b else { continue }
                Self.tally(f.status, into: &behaviourRows[f.detector, default: Self.behaviour(f.detector)])
                let unit = rows[place.row]
                if f.status == .upheld {
                    for k in Set(f.consequences.decided) { consequences[k, default: 0] += 1 }
                    if let r = f.consequences.remediation {
                        switch r.doneOnTime {
                        case true?: remediationOnTime += 1
                        case false?: remediationLate += 1
                        case nil: if r.isLate(on: generatedOn) { remediationLate += 1 } else { remediationPending += 1 }
                        }
                    }
                    if let code = f.cause {
                        causeCounts[code, default: (0, [:])].count += 1
                        causeCounts[code, default: (0, [:])].units[unit, default: 0] += 1
                    } else {
                        withoutCause += 1
                    }
                }
                guard f.status != .dismissed else { continue }
                // Standing findings: where they happen, the heat map, the flows, the examples.
                let step = f.evidence.first.flatMap { c.steps[$0] }
                let spot = SpotKey(unit: unit, procedure: c.procedure, step: step, detector: f.detector)
                spots[spot, default: Self.hotspot(spot, procedure: c.procedure, organization: org, procedureNames: procedureNames)].count += 1
                heat[unit, default: [:]][f.detector, default: 0] += 1
                if counted && flows.behaviours.contains(f.detector) { follow = true }
                consider(f, observedAt: observedAt, on: c)
            }
            if follow {
                // The rows of the case's holders' units, looked up before the tally is touched (a closure over `self`
                // would copy the whole builder for every case followed).
                var rowOfUnit: [UnitID: UnitID] = [:]
                for h in c.holds {
                    if let unit = org.official(h.official)?.unit, rowOfUnit[unit] == nil { rowOfUnit[unit] = rows[place(unit).row] }
                }
                flows.add(c, organization: org) { rowOfUnit[$0] ?? $0 }
            }
        }

        /// Adds what another builder of the same scope and organisation counted (another share of the cases), as if its
        /// cases had been added here: sums, and the best examples of both. A log's cases are counted this way on every
        /// core once the analysis has read them.
        public mutating func merge(_ other: Builder) {
            current.add(other.current)
            previous.add(other.previous)
            lastYear.add(other.lastYear)
            for (n, v) in other.byKind.enumerated() {
                guard let v else { continue }
                if byKind[n] == nil { byKind[n] = Volume() }
                byKind[n]?.add(v)
            }
            for (n, row) in other.rows.enumerated() { rowVolumes[rowIndex(row)].add(other.rowVolumes[n]) }
            byProcedure.merge(other.byProcedure) { a, b in
                var sum = a
                sum.add(b)
                return sum
            }
            months.merge(other.months) { a, b in
                Month(
                    month: a.month, received: a.received + b.received, settled: a.settled + b.settled,
                    settledOnTime: a.settledOnTime + b.settledOnTime)
            }
            behaviourRows.merge(other.behaviourRows) { a, b in
                var sum = a
                sum.raised += b.raised
                sum.upheld += b.upheld
                sum.dismissed += b.dismissed
                sum.pending += b.pending
                sum.raisedPrevious += b.raisedPrevious
                return sum
            }
            spots.merge(other.spots) { a, b in
                var sum = a
                sum.count += b.count
                return sum
            }
            heat.merge(other.heat) { a, b in a.merging(b, uniquingKeysWith: +) }
            flows.merge(other.flows)
            consequences.merge(other.consequences, uniquingKeysWith: +)
            remediationOnTime += other.remediationOnTime
            remediationLate += other.remediationLate
            remediationPending += other.remediationPending
            for (detector, theirs) in other.picked {
                var best = picked[detector] ?? []
                for candidate in theirs { best.insert(candidate, at: best.firstIndex { candidate.isBefore($0) } ?? best.endIndex) }
                picked[detector] = Array(best.prefix(examplesPerBehaviour))
            }
            causeCounts.merge(other.causeCounts) { a, b in (a.count + b.count, a.units.merging(b.units, uniquingKeysWith: +)) }
            withoutCause += other.withoutCause
            deeds.merge(other.deeds, uniquingKeysWith: +)
            approved += other.approved
            declined += other.declined
            acted += other.acted
            index.merge(other.index)
        }

        static func tally(_ status: FindingStatus, into row: inout Behaviour) {
            row.raised += 1
            switch status {
            case .upheld: row.upheld += 1
            case .dismissed: row.dismissed += 1
            case .open, .explained: row.pending += 1
            }
        }

        /// A hot spot not counted yet (static: the count is taken inside `spots`, which a method on the builder would overlap).
        static func hotspot(_ spot: SpotKey, procedure: String?, organization org: Organization, procedureNames: [String: String]) -> Hotspot {
            Hotspot(
                unit: spot.unit, unitName: org.unit(spot.unit)?.name ?? spot.unit.rawValue,
                procedure: procedure.map { procedureNames[$0] ?? $0 } ?? "—",
                step: spot.step, detector: spot.detector, count: 0)
        }

        /// A standing finding as an example of its behaviour, kept when it is among the best few so far.
        mutating func consider(_ f: Finding, observedAt: Int64, on c: CaseDigest) {
            let upheld = f.status == .upheld
            if let best = picked[f.detector], best.count >= examplesPerBehaviour,
                best.last.map({ Candidate.isBefore(f.severity, upheld, observedAt, f.id, $0) }) != true
            {
                return
            }
            // Only now is the example written out: who held the case for how long, the names.
            let end = scope.to.adding(days: 1).startInstant()
            let candidate = Candidate(
                severity: f.severity, upheld: upheld, observedAt: observedAt, id: f.id,
                example: Example(
                    detector: f.detector, finding: f.id, code: c.code, procedure: c.procedure.map { procedureNames[$0] ?? $0 } ?? c.kind.nameVi,
                    unit: unitName(c.leadUnit), severity: f.severity, status: f.status, explanation: f.explanation, response: f.response,
                    cause: f.cause.map { causeByCode[$0]?.nameVi ?? $0 },
                    spells: c.holds.map { h in
                        let since = Date(timeIntervalSince1970: Double(h.since) / 1000)
                        let until = h.until.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? end
                        let official = org.official(h.official)
                        return Example.Spell(
                            official: official?.name ?? h.official.rawValue, unit: official.map { unitName($0.unit) } ?? "",
                            since: CaseDigest.day(h.since), days: max(0, Int((until.timeIntervalSince(since) / 86_400).rounded(.down))))
                    }))
            var best = picked[f.detector] ?? []
            best.insert(candidate, at: best.firstIndex { candidate.isBefore($0) } ?? best.endIndex)
            if best.count > examplesPerBehaviour { best.removeLast() }
            picked[f.detector] = best
        }

        static func monthKey(_ d: CivilDate) -> Int { d.year * 12 + d.month - 1 }

        static func month(_ key: Int) -> Month {
            Month(month: String(format: "%04d-%02d", key / 12, key % 12 + 1), received: 0, settled: 0, settledOnTime: 0)
        }

        static func behaviour(_ detector: String) -> Behaviour {
            let n = PeriodReport.detectorNames(detector)
            return Behaviour(
                detector: detector, nameVi: n.vi, nameEn: n.en, raised: 0, upheld: 0, dismissed: 0, pending: 0, raisedPrevious: 0, per100: 0)
        }

        /// The report of everything added.
        public var report: PeriodReport { PeriodReport(built: self) }
    }

    private init(built t: Builder) {
        scope = t.scope
        generatedOn = t.generatedOn
        issuer = t.scope.issuer(in: t.org)
        current = t.current
        previous = t.previous
        lastYear = t.lastYear
        byKind = ReportScope.workKinds.compactMap { k in
            CaseKind.allCases.firstIndex(of: k).flatMap { t.byKind[$0] }.map { Row(key: k.rawValue, name: k.nameVi, volume: $0) }
        }
        byUnit = t.rows.indices.filter { t.rowVolumes[$0].handled > 0 }
            .map { Row(key: t.rowLabels[$0].key, name: t.rowLabels[$0].name, volume: t.rowVolumes[$0]) }
            .sorted { ($0.volume.handled, $1.key) > ($1.volume.handled, $0.key) }
        byProcedure = t.byProcedure.filter { $0.value.handled > 0 }
            .map { Row(key: $0.key, name: $0.key.isEmpty ? "—" : t.procedureNames[$0.key] ?? $0.key, volume: $0.value) }
            .sorted { ($0.volume.handled, $1.key) > ($1.volume.handled, $0.key) }
        months = t.months.values.sorted { $0.month < $1.month }
        let handled = max(1, t.current.handled)
        behaviours = t.behaviourRows.values.map { r in
            var r = r
            r.per100 = Double(r.raised - r.dismissed) * 100 / Double(handled)
            return r
        }
        .sorted { ($0.raised, $1.detector) > ($1.raised, $0.detector) }
        hotspots = Array(
            t.spots.values.sorted { ($0.count, $1.unitName, $1.detector, $1.procedure) > ($1.count, $0.unitName, $0.detector, $0.procedure) }
                .prefix(10))
        unitBehaviour = t.heat.map { (t.unitName($0.key), $0.value) }.sorted { $0.unit < $1.unit }
        handOverFlows = t.flows.flows(unitName: t.unitName)
        consequences = t.consequences
        remediationOnTime = t.remediationOnTime
        remediationLate = t.remediationLate
        remediationPending = t.remediationPending
        examples = behaviours.flatMap { b in (t.picked[b.detector] ?? []).map(\.example) }
        causes = t.causeCounts.map { code, value in
            let named = t.causeByCode[code]
            let top = value.units.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map { (t.unitName($0.key), $0.value) }
            return CauseRow(code: code, nameVi: named?.nameVi ?? code, nameEn: named?.nameEn ?? code, count: value.count, topUnits: Array(top))
        }
        .sorted { ($0.count, $1.code) > ($1.count, $0.code) }
        upheldWithoutCause = t.withoutCause
        deeds = t.deeds
        proposalsApproved = t.approved
        proposalsDeclined = t.declined
        actedUnderProposal = t.acted
        serviceIndex = t.index.index
    }

    /// A detector's names, or its id twice when the catalogue does not know it.
    public static func detectorNames(_ detector: String) -> (vi: String, en: String) {
        DetectorID(rawValue: detector).map { ($0.nameVi, $0.nameEn) } ?? (detector, detector)
    }
}
