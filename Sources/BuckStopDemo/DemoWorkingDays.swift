import BuckStopCalendar

/// The ground truth's own working days and statutory deadlines, so that a label is not computed by the arithmetic it
/// is meant to check (issue 15: "its own working-day count tested against the shared holiday table"). The detectors
/// and the generator's scenarios count with `WorkingCalendar`; this type is written from the same sources of days
/// off — the holiday decisions (`holidays-vn.csv`) for the years they decide, the statute
/// (`VietnamStatutoryHolidays`) for the others — and the legal rules quoted on `deadline`, by a plain table of one
/// entry per day, not `WorkingCalendar`'s closed forms and departure lists. Tests hold the two to the same answers.
///
/// A day is worked when it is a Monday–Friday that no row makes a day off, or a weekend day a decision makes a
/// make-up working day; a day both off and worked in the decisions is off (as the calendar reads it: a citizen's
/// deadline can then only get longer). Outside `years` no holiday is known and Monday–Friday is worked.
public struct DemoWorkingDays: Sendable {
    /// Julian Day Number of the first day of the table.
    let first: Int
    /// `running[i]`: working days in [first, first + i].
    let running: [Int]
    public let years: ClosedRange<Int>

    /// From holiday decisions: a year with at least one row is governed by its rows alone (a Government decision
    /// supersedes the statutory pattern); any other year in `years` by the statute.
    public init(decisions: [CalendarDay], years: ClosedRange<Int>) {
        let decided = Set(decisions.map(\.date.year))
        var off = Set<Int>()
        var worked = Set<Int>()
        for row in decisions {
            if row.kind.isDayOff { off.insert(row.date.julianDayNumber) } else { worked.insert(row.date.julianDayNumber) }
        }
        for year in years where !decided.contains(year) {
            for row in VietnamStatutoryHolidays.daysOff(year: year) where row.kind.isDayOff { off.insert(row.date.julianDayNumber) }
        }
        self.init(years: years) { date in
            let jdn = date.julianDayNumber
            if off.contains(jdn) { return false }
            return worked.contains(jdn) || !date.isWeekend
        }
    }

    /// From a day-by-day answer (a calendar whose decision rows are not at hand, as when the server seeds the demo
    /// from the calendar it runs with): only the per-day reading comes from outside, the counting stays this type's.
    public init(years: ClosedRange<Int>, isWorkingDay: (CivilDate) -> Bool) {
        self.years = years
        let start = CivilDate(year: years.lowerBound, month: 1, day: 1)?.julianDayNumber ?? 0
        let end = CivilDate(year: years.upperBound, month: 12, day: 31)?.julianDayNumber ?? start
        first = start
        var table: [Int] = []
        table.reserveCapacity(max(0, end - start + 1))
        var total = 0
        if end >= start {
            for jdn in start...end {
                if isWorkingDay(CivilDate(julianDayNumber: jdn)) { total += 1 }
                table.append(total)
            }
        }
        running = table
    }

    /// Working days in [first, jdn] of the table; outside it, Monday–Friday counted from the table's edge.
    private func through(_ jdn: Int) -> Int {
        let i = jdn - first
        if i >= 0 && i < running.count { return running[i] }
        if i < 0 {
            var count = 0
            var d = jdn + 1
            while d < first {
                if !CivilDate(julianDayNumber: d).isWeekend { count += 1 }
                d += 1
            }
            return -count
        }
        var count = running.last ?? 0
        var d = first + running.count
        while d <= jdn {
            if !CivilDate(julianDayNumber: d).isWeekend { count += 1 }
            d += 1
        }
        return count
    }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let jdn = date.julianDayNumber
        return through(jdn) != through(jdn - 1)
    }

    /// Working days in (a, b] — "from a to b" with the day of a not counted (BLDS 2015 Đ.147: a period starts the
    /// day after the event) — negative when b is before a.
    public func workingDays(from a: CivilDate, to b: CivilDate) -> Int {
        through(b.julianDayNumber) - through(a.julianDayNumber)
    }

    /// The n-th working day after `date` (`date` not counted; 0 is `date` itself), walking day by day: the demo's
    /// durations are a few weeks at most.
    public func addingWorkingDays(_ n: Int, to date: CivilDate) -> CivilDate {
        var day = date
        var left = abs(n)
        let step = n < 0 ? -1 : 1
        while left > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    public func nextWorkingDay(onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The last day of a time limit for something received on `day`, `secondsIntoDay` seconds after local midnight:
    /// - working days: the `duration`-th working day after the day of receipt (Đ.147: the day of receipt is not
    ///   counted);
    /// - calendar days: the day of receipt plus `duration`; a last day that is not worked moves to the next working
    ///   day (BLDS 2015 Đ.148(5));
    /// - same day: the day of receipt if it is worked and the thing came in before `cutoffHour` (the rulebook's
    ///   `intake.cutoffHour` on that day, NĐ 61/2018 Đ.18; nil = no cut-off), else the next working day after it.
    public func deadline(receivedOn day: CivilDate, secondsIntoDay: Int, duration: Int, unit: DurationUnit, cutoffHour: Int?) -> CivilDate {
        switch unit {
        case .workingDays: return addingWorkingDays(duration, to: day)
        case .days: return nextWorkingDay(onOrAfter: day.adding(days: duration))
        case .sameDay:
            let beforeCutoff = cutoffHour.map { secondsIntoDay < $0 * 3600 } ?? true
            return isWorkingDay(day) && beforeCutoff ? day : nextWorkingDay(onOrAfter: day.adding(days: 1))
        }
    }
}
