import BuckStopCalendar
import BuckStopDomain

extension PeriodReport {
    /// The QĐ 766 service index over the dossiers (administrative procedures) of a scope: the figures each computable
    /// group is scored from, per row unit and in all, and each group of the rulebook with its share and points — or none.
    /// One computation for the report, the head's record, the public page and the typed API.
    public struct ServiceIndex: Sendable, Equatable {
        public struct Figures: Sendable, Equatable {
            public var key: String
            public var name: String
            /// Dossiers settled in the period; on time; late; late with an apology and a new date sent.
            public var settled = 0
            public var onTime = 0
            public var late = 0
            public var lateWithApology = 0
            /// Settled dossiers whose applicant was asked for supplements more than once.
            public var repeatedSupplements = 0
            /// Ratings given in the period, and those at or above the rulebook's satisfied level.
            public var ratings = 0
            public var satisfied = 0

            public init(key: String, name: String) {
                self.key = key
                self.name = name
            }

            public var onTimeShare: Double? { settled == 0 ? nil : Double(onTime) / Double(settled) }
            public var satisfiedShare: Double? { ratings == 0 ? nil : Double(satisfied) / Double(ratings) }

            mutating func add(_ other: Figures) {
                settled += other.settled
                onTime += other.onTime
                late += other.late
                lateWithApology += other.lateWithApology
                repeatedSupplements += other.repeatedSupplements
                ratings += other.ratings
                satisfied += other.satisfied
            }

            /// Each group of the index scored on these figures: the measure's share and its base, or none.
            public func groups(_ indexGroups: [ServiceIndexGroup]) -> [Group] {
                indexGroups.map { g in
                    switch g.measure {
                    case .onTimeShare?: Group(group: g, share: onTimeShare, base: settled)
                    case .satisfiedShare?: Group(group: g, share: satisfiedShare, base: ratings)
                    case nil: Group(group: g, share: nil, base: 0)
                    }
                }
            }
        }

        public struct Group: Sendable, Equatable {
            public var group: ServiceIndexGroup
            /// The measure's value (0…1) and how many it is over; nil when not computable or nothing to measure.
            public var share: Double?
            public var base: Int
            public var score: Double? { group.score(share) }
        }

        public var total: Figures
        public var units: [Figures]
        public var groups: [Group]

        /// The dossiers among `digests` settled, or rated, in `from…to` (Vietnam days), counted in all and under the row
        /// `rowUnit` gives each case's lead unit (its key and name): a body, or a scope unit's child.
        public init(
            digests: [CaseDigest], from a: CivilDate, to b: CivilDate, groups indexGroups: [ServiceIndexGroup], issuer: String,
            rowUnit: (UnitID) -> (key: String, name: String)
        ) {
            var tally = Tally(from: a, to: b, groups: indexGroups, issuer: issuer)
            for c in digests { tally.add(c, rowUnit: rowUnit) }
            self = tally.index
        }

        init(total: Figures, units: [Figures], groups: [Group]) {
            self.total = total
            self.units = units
            self.groups = groups
        }

        /// The index counted one case at a time, so that a report over millions of cases keeps no list of them.
        public struct Tally: Sendable {
            let from: CivilDate
            let to: CivilDate
            let groups: [ServiceIndexGroup]
            let satisfiedFrom: Int?
            var total: Figures
            var perUnit: [String: Figures] = [:]

            public init(from: CivilDate, to: CivilDate, groups: [ServiceIndexGroup], issuer: String) {
                self.from = from
                self.to = to
                self.groups = groups
                satisfiedFrom = groups.first { $0.measure == .satisfiedShare }?.satisfiedFrom
                total = Figures(key: "", name: issuer)
            }

            /// A case: counted when it is a dossier settled, or rated, in the period.
            public mutating func add(_ c: CaseDigest, rowUnit: (UnitID) -> (key: String, name: String)) {
                guard c.kind == .dossier else { return }
                add(c, settledDay: c.settled.map { CivilDate.julianDayNumber(ofMillis: $0) }, row: rowUnit(c.leadUnit))
            }

            /// A case whose day of settlement (a Julian day number) and row are known: the period report's count.
            mutating func add(_ c: CaseDigest, settledDay: Int?, row: (key: String, name: String)) {
                guard c.kind == .dossier else { return }
                let (a, b) = (from.julianDayNumber, to.julianDayNumber)
                var f = Figures(key: "", name: "")
                if let s = settledDay, s >= a && s <= b {
                    f.settled = 1
                    if c.settledOnTime == false {
                        f.late = 1
                        if c.apologised { f.lateWithApology = 1 }
                    } else {
                        f.onTime = 1
                    }
                    if c.supplementRequests > 1 { f.repeatedSupplements = 1 }
                }
                for r in c.ratings {
                    let day = CivilDate.julianDayNumber(ofMillis: r.at)
                    guard day >= a && day <= b else { continue }
                    f.ratings += 1
                    if let least = satisfiedFrom, r.score >= least { f.satisfied += 1 }
                }
                guard f.settled > 0 || f.ratings > 0 else { return }
                total.add(f)
                perUnit[row.key, default: Figures(key: row.key, name: row.name)].add(f)
            }

            /// What another tally of the same period and groups counted.
            mutating func merge(_ other: Tally) {
                total.add(other.total)
                perUnit.merge(other.perUnit) { a, b in
                    var sum = a
                    sum.add(b)
                    return sum
                }
            }

            public var index: PeriodReport.ServiceIndex {
                PeriodReport.ServiceIndex(
                    total: total, units: perUnit.values.sorted { ($0.settled, $1.key) > ($1.settled, $0.key) }, groups: total.groups(groups))
            }
        }
    }
}

extension PeriodReport.ServiceIndex {
    /// The index of a scope's dossiers (its unit's subtree, or all), rows by body or by the scope unit's children, as the
    /// report counts them; `issuer` is the scope unit's name or the organisation's top body's.
    public init(digests: [CaseDigest], scope: ReportScope, groups: [ServiceIndexGroup], organization org: Organization) {
        self.init(
            digests: digests.filter { scope.covers($0.leadUnit, in: org) }, from: scope.from, to: scope.to, groups: groups,
            issuer: scope.issuer(in: org),
            rowUnit: { unit in
                let row = scope.rowUnit(unit, in: org)
                return (row.rawValue, org.unit(row)?.name ?? row.rawValue)
            })
    }
}

extension ReportScope {
    /// Whether a case led by `unit` belongs to the scope: anything without a scope unit, else the unit's subtree.
    public func covers(_ unit: UnitID?, in org: Organization) -> Bool {
        guard let top = self.unit else { return true }
        guard let unit else { return false }
        return org.isWithin(unit, subtreeOf: top)
    }

    /// The row a unit is counted under: its body, or — inside a scope unit — the scope unit's child holding it.
    public func rowUnit(_ unit: UnitID, in org: Organization) -> UnitID {
        guard let top = self.unit else { return org.unit(unit) == nil ? unit : org.body(of: unit) }
        let chain = org.chain(from: unit)
        guard let at = chain.firstIndex(of: top) else { return unit }
        return at > 0 ? chain[at - 1] : top
    }

    /// Who the report is from: the scope unit, or the organisation's top body (the first by name when there are several).
    public func issuer(in org: Organization) -> String {
        if let unit { return org.unit(unit)?.name ?? unit.rawValue }
        return org.units.values.filter { $0.parent == nil }.map(\.name).sorted().first ?? ""
    }
}
