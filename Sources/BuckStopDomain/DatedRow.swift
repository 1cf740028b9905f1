import BuckStopCalendar

/// A rulebook row that is law for a period (both ends included; an open end: still in force). Deadlines, limits,
/// competence, suspension, refusal grounds and reception schedules all answer "in force on this day?" the same way.
public protocol DatedRow {
    var effectiveFrom: CivilDate { get }
    var effectiveTo: CivilDate? { get }
}

extension DatedRow {
    public func isInForce(on date: CivilDate) -> Bool {
        effectiveFrom <= date && (effectiveTo.map { date <= $0 } ?? true)
    }

    /// What every dated row of a rulebook must be: an id no other rule has, a legal source, and a period that ends on or
    /// after it starts. Errors name the row.
    func checkDated(id: String, source: String, ids: inout Set<String>) throws(DomainError) {
        guard ids.insert(id).inserted else { throw .invalidRulebook("rule id '\(id)' appears twice") }
        guard !source.isEmpty else { throw .invalidRulebook("rule \(id): a legal source is required") }
        if let end = effectiveTo, end < effectiveFrom {
            throw .invalidRulebook("rule \(id): effectiveTo \(end) is before effectiveFrom \(effectiveFrom)")
        }
    }

    /// Whether two rows are both in force on some day.
    public func overlaps(_ other: some DatedRow) -> Bool {
        (other.effectiveTo.map { effectiveFrom <= $0 } ?? true) && (effectiveTo.map { other.effectiveFrom <= $0 } ?? true)
    }
}
