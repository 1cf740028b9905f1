import BuckStopDetectors
import BuckStopDomain

/// Where the cases shifted back and forth (đùn đẩy) actually went: on every case with a standing finding of the
/// hand-over behaviours, each change of holder between units, counted from the unit of the official who held it to the
/// unit of the next (both as the report's rows group them). A head can see which pairs of units bounce work between
/// them — the Sankey-like picture of section II. Pure: from the digests' holders, the findings and the organisation.
public struct HandOverFlows: Sendable, Equatable {
    /// Hand-overs from one unit to another.
    public struct Link: Sendable, Equatable {
        public var from: UnitID
        public var fromName: String
        public var to: UnitID
        public var toName: String
        /// Hand-overs from `from` to `to`.
        public var count: Int
        /// Cases with at least one of them.
        public var cases: Int
    }

    /// The behaviours whose cases are followed (detector ids).
    public var behaviours: [String]
    /// Cases with a finding of those behaviours.
    public var cases: Int
    /// Between different units, most first.
    public var links: [Link]
    /// Hand-overs between officials of the same unit: part of the story, but not a flow between units.
    public var withinUnits: Int

    /// Ping-pong is the behaviour that is a pattern of hand-overs between holders; the other hand-over behaviours
    /// (many transfers, refusals) are read better from the hot spots.
    public static let defaultBehaviours = [DetectorID.pingPong.rawValue]

    /// `findings` are the ones that stand (the report passes those raised in its period, not dismissed); `rowUnit`
    /// groups a unit into the report's row (its body, or the scope unit's child) and `unitName` names a row.
    /// Holders the organisation does not place are left out of the flows.
    public init(
        digests: [CaseDigest], findings: [Finding], organization org: Organization, behaviours: [String] = defaultBehaviours,
        rowUnit: (UnitID) -> UnitID = { $0 }, unitName: ((UnitID) -> String)? = nil
    ) {
        let wanted = Set(behaviours)
        let codes = Set(findings.filter { wanted.contains($0.detector) }.map(\.caseID))
        var tally = Tally(behaviours: behaviours)
        for digest in digests where codes.contains(digest.code) { tally.add(digest, organization: org, rowUnit: rowUnit) }
        self = tally.flows(unitName: unitName ?? { org.unit($0)?.name ?? $0.rawValue })
    }

    /// The flows counted one followed case at a time, so that a report over millions of cases keeps no list of them.
    public struct Tally: Sendable {
        public let behaviours: [String]
        var counts: [Pair: (count: Int, cases: Int)] = [:]
        var within = 0
        var followed = 0

        public init(behaviours: [String] = HandOverFlows.defaultBehaviours) { self.behaviours = behaviours }

        /// A case with a standing finding of one of the behaviours: each change of holder between row units.
        public mutating func add(_ digest: CaseDigest, organization org: Organization, rowUnit: (UnitID) -> UnitID) {
            followed += 1
            let units = digest.holds.map { h in org.official(h.official).map { rowUnit($0.unit) } }
            var seen: Set<Pair> = []
            for (a, b) in zip(units, units.dropFirst()) {
                guard let a, let b else { continue }
                if a == b {
                    within += 1
                    continue
                }
                let pair = Pair(from: a, to: b)
                counts[pair, default: (0, 0)].count += 1
                if seen.insert(pair).inserted { counts[pair, default: (0, 0)].cases += 1 }
            }
        }

        /// What another tally of the same behaviours counted.
        mutating func merge(_ other: Tally) {
            counts.merge(other.counts) { a, b in (a.count + b.count, a.cases + b.cases) }
            within += other.within
            followed += other.followed
        }

        public func flows(unitName name: (UnitID) -> String) -> HandOverFlows {
            HandOverFlows(
                behaviours: behaviours, cases: followed,
                links: counts.map { pair, value in
                    Link(from: pair.from, fromName: name(pair.from), to: pair.to, toName: name(pair.to), count: value.count, cases: value.cases)
                }
                .sorted { ($0.count, $1.fromName, $1.toName) > ($1.count, $0.fromName, $0.toName) },
                withinUnits: within)
        }
    }

    init(behaviours: [String], cases: Int, links: [Link], withinUnits: Int) {
        self.behaviours = behaviours
        self.cases = cases
        self.links = links
        self.withinUnits = withinUnits
    }

    /// Hand-overs between different units.
    public var total: Int { links.map(\.count).reduce(0, +) }

    struct Pair: Hashable, Sendable {
        var from: UnitID
        var to: UnitID
    }
}
