import BuckStopCalendar
import Foundation

/// What oversight bodies and the press may read about each body for a period, with no personal data (issue 19; seed 000:
/// HĐND and MTTQ oversight): cases received, settled, settled by their due date, open past it; complaints and
/// denunciations about the body and how many were settled on time; findings upheld about its officials by behaviour.
/// Counts only, by body (never a division, where a count may point at one person), and every count from 1 to below the
/// rulebook's `public.minimumCount` suppressed — shown as "fewer than k", never as a number, and no share computed on
/// such a base. Pure: the page, the open-data files and their tests share it.
public struct PublicFigures: Sendable, Equatable {
    /// A count as published: the number, or suppressed (1…k−1). Zero is published: it says nothing about anyone.
    public enum Count: Sendable, Equatable {
        case value(Int)
        case suppressed

        public var number: Int? {
            if case .value(let n) = self { return n }
            return nil
        }
    }

    public struct Row: Sendable, Equatable {
        public var body: UnitID
        public var received: Count
        public var settled: Count
        public var settledOnTime: Count
        /// Settled by the due date over settled, in percent; nil when the base is suppressed or zero.
        public var onTimePercent: Int?
        public var openOverdue: Count
        public var complaints: Count
        public var complaintsSettledOnTime: Count
        /// Upheld findings about the body's officials, by detector id; a behaviour with no finding is left out.
        public var upheld: [String: Count]
        /// The QĐ 766 index's base: dossiers the body settled in the period, citizens' ratings given in it.
        public var indexSettled: Count = .value(0)
        public var ratings: Count = .value(0)
        /// Ratings at or above the satisfied level over ratings, in percent; nil as `onTimePercent`.
        public var satisfiedPercent: Int?
        /// Each measured group's score (points in proportion to its share, one decimal) by group code; a group whose
        /// base or numerator is suppressed, or whose base is zero, is left out.
        public var indexScores: [String: Double] = [:]
    }

    /// What the QĐ 766 index of a body is computed from (`PeriodReport.ServiceIndex.Figures` reduced to its counts).
    public struct IndexCounts: Sendable, Equatable {
        public var settled: Int
        public var onTime: Int
        public var ratings: Int
        public var satisfied: Int

        public init(settled: Int, onTime: Int, ratings: Int, satisfied: Int) {
            self.settled = settled
            self.onTime = onTime
            self.ratings = ratings
            self.satisfied = satisfied
        }
    }

    public var from: CivilDate
    public var to: CivilDate
    public var minimumCount: Int
    public var rows: [Row]

    /// The kinds a citizen brings (hồ sơ, khiếu nại, tố cáo, kiến nghị): programmes, tasks, proposals and reception books
    /// are the administration's own registers.
    public static let publicKinds: Set<CaseKind> = [.dossier, .complaint, .denunciation, .petition]

    /// A case's settlement day: its closing, or — resolved and not yet closed — its last change, the best the
    /// projection knows of the decision's day.
    static func settledDay(_ c: CaseState) -> CivilDate? {
        switch c.status {
        case .closed: c.closedAt.map(Self.day)
        case .resolved: Self.day(c.updatedAt)
        default: nil
        }
    }

    static func day(_ millis: Int64) -> CivilDate { CivilDate(Date(timeIntervalSince1970: Double(millis) / 1000)) }

    /// Cases opened in `from…to` (Vietnam days) counted for the body that leads them; complaints and denunciations also
    /// for the body they concern; upheld findings observed in the period, for the body of the official's unit; the QĐ 766
    /// index's counts by body as given (dossiers settled and rated in the period), scored by `indexGroups`.
    public init(
        cases: [CaseState], upheld: [(finding: Finding, observedAt: Int64)], organization org: Organization, from: CivilDate, to: CivilDate,
        today: CivilDate, minimumCount k: Int, index: [UnitID: IndexCounts] = [:], indexGroups: [ServiceIndexGroup] = []
    ) {
        self.from = from
        self.to = to
        minimumCount = max(1, k)
        struct Tally {
            var received = 0, settled = 0, onTime = 0, overdue = 0, complaints = 0, complaintsOnTime = 0
            var upheld: [String: Int] = [:]
        }
        var tallies: [UnitID: Tally] = [:]
        func body(_ unit: UnitID?) -> UnitID? {
            guard let unit, org.unit(unit) != nil else { return nil }
            return org.body(of: unit)
        }
        func inPeriod(_ d: CivilDate) -> Bool { d >= from && d <= to }
        for c in cases where Self.publicKinds.contains(c.kind) && inPeriod(Self.day(c.openedAt)) {
            if let b = body(c.leadUnit) {
                tallies[b, default: Tally()].received += 1
                if let settled = Self.settledDay(c) {
                    tallies[b, default: Tally()].settled += 1
                    if let due = c.dueDate, settled <= due { tallies[b, default: Tally()].onTime += 1 }
                } else if let due = c.dueDate, today > due {
                    tallies[b, default: Tally()].overdue += 1
                }
            }
            if c.kind == .complaint || c.kind == .denunciation,
                let about = body(c.concerning?.unit ?? c.concerning?.official.flatMap { org.official($0)?.unit })
            {
                tallies[about, default: Tally()].complaints += 1
                if let settled = Self.settledDay(c), let due = c.dueDate, settled <= due { tallies[about, default: Tally()].complaintsOnTime += 1 }
            }
        }
        for (f, observedAt) in upheld where f.status == .upheld && inPeriod(Self.day(observedAt)) {
            if let b = body(f.unit) { tallies[b, default: Tally()].upheld[f.detector, default: 0] += 1 }
        }
        let k = minimumCount
        func count(_ n: Int) -> Count { n > 0 && n < k ? .suppressed : .value(n) }
        /// A share is published only when both its counts are: a percentage must not give back a suppressed count.
        func share(_ part: Int, of base: Int) -> Double? {
            base >= k && count(part) != .suppressed ? Double(part) / Double(base) : nil
        }
        var bodies = Set(tallies.keys)
        for (unit, _) in index { if let b = body(unit) { bodies.insert(b) } }
        var indexByBody: [UnitID: IndexCounts] = [:]
        for (unit, c) in index {
            guard let b = body(unit) else { continue }
            var sum = indexByBody[b] ?? IndexCounts(settled: 0, onTime: 0, ratings: 0, satisfied: 0)
            sum.settled += c.settled
            sum.onTime += c.onTime
            sum.ratings += c.ratings
            sum.satisfied += c.satisfied
            indexByBody[b] = sum
        }
        rows = bodies.sorted().map { b in
            let t = tallies[b] ?? Tally()
            let ix = indexByBody[b] ?? IndexCounts(settled: 0, onTime: 0, ratings: 0, satisfied: 0)
            var scores: [String: Double] = [:]
            for g in indexGroups {
                let s: Double? =
                    switch g.measure {
                    case .onTimeShare?: share(ix.onTime, of: ix.settled)
                    case .satisfiedShare?: share(ix.satisfied, of: ix.ratings)
                    case nil: nil
                    }
                if let score = g.score(s) { scores[g.code] = (score * 10).rounded() / 10 }
            }
            return Row(
                body: b, received: count(t.received), settled: count(t.settled), settledOnTime: count(t.onTime),
                onTimePercent: share(t.onTime, of: t.settled).map { Int(($0 * 100).rounded()) },
                openOverdue: count(t.overdue), complaints: count(t.complaints), complaintsSettledOnTime: count(t.complaintsOnTime),
                upheld: t.upheld.mapValues(count), indexSettled: count(ix.settled), ratings: count(ix.ratings),
                satisfiedPercent: share(ix.satisfied, of: ix.ratings).map { Int(($0 * 100).rounded()) }, indexScores: scores)
        }
    }
}
