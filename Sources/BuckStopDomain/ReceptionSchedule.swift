import BuckStopCalendar

/// The period a reception schedule counts sessions in: an ISO week (Monday to Sunday) or a calendar month.
public enum ReceptionPeriod: String, Sendable, Codable, CaseIterable, Hashable {
    case week
    case month

    public var nameVi: String {
        switch self {
        case .week: "tuần"
        case .month: "tháng"
        }
    }

    public var nameEn: String { rawValue }

    /// The most session days a period of this length can hold (a row asking for more is a typing error).
    var maxDays: Int {
        switch self {
        case .week: 7
        case .month: 31
        }
    }

    /// The first and last day of the period that holds `date`.
    public func bounds(of date: CivilDate) -> (first: CivilDate, last: CivilDate) {
        switch self {
        case .week:
            let first = date.adding(days: 1 - date.isoWeekday)
            return (first, first.adding(days: 6))
        case .month:
            // Day 1 of the month and the day before day 1 of the next; both exist for years 1…9999.
            let first = date.adding(days: 1 - date.day)
            let next = first.adding(days: 31)
            return (first, next.adding(days: -next.day))
        }
    }
}

/// Lịch tiếp công dân định kỳ: how many days a period the head of a level must receive citizens in person (trực tiếp
/// tiếp công dân), where, and whether a deputy may do it for them — law in a period, like a deadline rule, with its
/// legal source and status. A reception book (`CaseKind.reception`) names its level as its procedure; its periods are
/// judged by the row of that level in force for the whole period.
public struct ReceptionSchedule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    /// The level whose head the row binds, as reception books name it (`commune_chair`, `provincial_chair`, …).
    public var level: String
    /// Who that is, in the law's words ("Chủ tịch UBND cấp xã").
    public var nameVi: String
    /// The kinds of unit of BuckStop's organisation whose head the row binds. Empty for a level the two-tier
    /// organisation does not have (the district level, central bodies): the row stays as the law's record.
    public var unitKinds: [UnitKind]
    /// At least this many days per period.
    public var days: Int
    public var per: ReceptionPeriod
    /// Whether a deputy (cấp phó) may receive citizens for the head in a periodic session.
    public var delegationAllowed: Bool
    /// Where (trụ sở tiếp công dân, trụ sở UBND cấp xã…).
    public var place: String
    public var source: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    /// verified / secondary / unverified / projected, as for deadline rules.
    public var status: String
    public var note: String?

    public init(
        id: String, level: String, nameVi: String, unitKinds: [UnitKind], days: Int, per: ReceptionPeriod, delegationAllowed: Bool,
        place: String, source: String, effectiveFrom: CivilDate, effectiveTo: CivilDate?, status: String, note: String? = nil
    ) {
        self.id = id
        self.level = level
        self.nameVi = nameVi
        self.unitKinds = unitKinds
        self.days = days
        self.per = per
        self.delegationAllowed = delegationAllowed
        self.place = place
        self.source = source
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.status = status
        self.note = note
    }

    /// In force on every day from `first` to `last`.
    public func covers(_ first: CivilDate, _ last: CivilDate) -> Bool {
        effectiveFrom <= first && (effectiveTo.map { last <= $0 } ?? true)
    }
}

/// The statuses a rulebook row may carry (`data/vietnam/README.md`).
let rulebookStatuses: Set<String> = ["verified", "secondary", "unverified", "projected"]

extension Rulebook {
    /// The row of a level in force on a date; nil before the first row or after a level ended.
    public func receptionSchedule(level: String, on date: CivilDate) -> ReceptionSchedule? {
        receptionSchedules.first { $0.level == level && $0.isInForce(on: date) }
    }

    /// The row binding the head of a unit of this kind on a date; nil where the law the rulebook knows sets none.
    public func receptionSchedule(forHeadOf kind: UnitKind, on date: CivilDate) -> ReceptionSchedule? {
        receptionSchedules.first { $0.unitKinds.contains(kind) && $0.isInForce(on: date) }
    }

    /// Every reception row is well formed, and "the row in force" is never ambiguous: within a level the rows follow one
    /// another without overlap or gap, and no unit kind is bound by two rows on one day. A level may end (the district
    /// level on 30 June 2025); a rulebook without reception rows judges no reception. Errors name the row.
    public func validateReceptionSchedules() throws(RulebookError) {
        var ids = Set<String>()
        for row in receptionSchedules {
            func refuse(_ expected: String, _ found: String) -> RulebookError {
                .incompleteRule(rule: "receptionSchedules.\(row.id)", expected: expected, found: found)
            }
            guard !row.id.isEmpty, ids.insert(row.id).inserted else { throw refuse("a unique id", "'\(row.id)' again") }
            guard !row.level.isEmpty else { throw refuse("the level whose head the row binds", "an empty level") }
            guard (1...row.per.maxDays).contains(row.days) else {
                throw refuse("1…\(row.per.maxDays) days per \(row.per.rawValue)", "\(row.days)")
            }
            guard !row.source.allSatisfy(\.isWhitespace) else { throw refuse("a legal source", "none") }
            guard !row.place.allSatisfy(\.isWhitespace) else { throw refuse("the place of reception", "none") }
            guard rulebookStatuses.contains(row.status) else {
                throw refuse("status verified, secondary, unverified or projected", "'\(row.status)'")
            }
            if let end = row.effectiveTo, end < row.effectiveFrom {
                throw refuse("effectiveTo on or after effectiveFrom \(row.effectiveFrom)", "\(end)")
            }
        }
        let rows = receptionSchedules.sorted { $0.effectiveFrom < $1.effectiveFrom }
        for (i, a) in rows.enumerated() {
            for b in rows[(i + 1)...] {
                let overlap = a.effectiveTo.map { b.effectiveFrom <= $0 } ?? true
                guard overlap else { continue }
                if a.level == b.level {
                    throw .incompleteRule(
                        rule: "receptionSchedules.\(b.id)", expected: "one row of level \(a.level) in force on any day",
                        found: "\(a.id) also in force on \(b.effectiveFrom)")
                }
                if let kind = a.unitKinds.first(where: b.unitKinds.contains) {
                    throw .incompleteRule(
                        rule: "receptionSchedules.\(b.id)", expected: "one row binding the head of a \(kind.rawValue) on any day",
                        found: "\(a.id) also binds it on \(b.effectiveFrom)")
                }
            }
        }
        for level in Set(rows.map(\.level)) {
            let chain = rows.filter { $0.level == level }
            for (a, b) in zip(chain, chain.dropFirst()) {
                if let end = a.effectiveTo, end.adding(days: 1) < b.effectiveFrom {
                    throw .incompleteRule(
                        rule: "receptionSchedules.\(b.id)", expected: "level \(level): one row starting the day after the previous one ends",
                        found: "no row from \(end.adding(days: 1)) to \(b.effectiveFrom.adding(days: -1)) (after \(a.id))")
                }
            }
        }
    }
}
