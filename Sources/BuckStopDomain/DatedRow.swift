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

    /// Whether two rows are both in force on some day.
    public func overlaps(_ other: some DatedRow) -> Bool {
        (other.effectiveTo.map { effectiveFrom <= $0 } ?? true) && (effectiveTo.map { other.effectiveFrom <= $0 } ?? true)
    }
}
