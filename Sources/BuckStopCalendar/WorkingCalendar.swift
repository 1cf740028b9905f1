import Foundation

/// Working days of the Vietnamese civil service: Monday–Friday, minus holidays and
/// swapped days off, plus make-up Saturdays.
///
/// A year that appears in `decisions` is governed by exactly those rows, because the
/// Government's decision for that year supersedes the statutory pattern (it may move
/// Tết days or add swaps). Any other year falls back to `VietnamStatutoryHolidays`.
/// Rows are not filtered by `status`: deciding whether an `unverified` or `projected`
/// row counts is the caller's policy (filter before calling `init`).
///
/// Lookups are dictionary/set probes by Julian Day Number. Statutory years 1970–2100
/// are computed once per process into a shared immutable table (a `static let`, which
/// Swift initialises lazily and thread-safely), so the struct itself stays a plain
/// `Sendable` value with no locks; years outside that window are computed on demand.
public struct WorkingCalendar: Sendable {
    /// Days off from decisions, by JDN; the first row for a date wins.
    private let decidedDaysOff: [Int: CalendarDay]
    /// Weekend days worked by decision, by JDN.
    private let decidedWorkdays: Set<Int>
    private let decisionYears: Set<Int>

    public init(decisions: [CalendarDay] = []) {
        var daysOff: [Int: CalendarDay] = [:]
        var workdays: Set<Int> = []
        var years: Set<Int> = []
        for row in decisions {
            years.insert(row.date.year)
            if row.kind.isDayOff {
                if daysOff[row.date.julianDayNumber] == nil {
                    daysOff[row.date.julianDayNumber] = row
                }
            } else {
                workdays.insert(row.date.julianDayNumber)
            }
        }
        // A date both off and worked in the decisions is off: the safer reading for a
        // citizen's deadline, which can then only get longer.
        workdays.subtract(daysOff.keys)
        self.decidedDaysOff = daysOff
        self.decidedWorkdays = workdays
        self.decisionYears = years
    }

    /// Years whose calendar comes from decisions rather than from the statute.
    public var decidedYears: Set<Int> { decisionYears }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let jdn = date.julianDayNumber
        if decisionYears.contains(date.year) {
            if decidedDaysOff[jdn] != nil { return false }
            if decidedWorkdays.contains(jdn) { return true }
            return !date.isWeekend
        }
        if date.isWeekend { return false }
        return WorkingCalendar.statutoryDayOff(date) == nil
    }

    /// The holiday row that makes `date` a day off (also for a holiday that falls on a
    /// weekend); `nil` for working days, make-up Saturdays and ordinary weekends.
    public func dayOff(_ date: CivilDate) -> CalendarDay? {
        if decisionYears.contains(date.year) {
            return decidedDaysOff[date.julianDayNumber]
        }
        return WorkingCalendar.statutoryDayOff(date)
    }

    public func nextWorkingDay(onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        while !isWorkingDay(day) {
            day = day.adding(days: 1)
        }
        return day
    }

    /// The n-th working day after `date` (`date` itself is not counted, so a working day
    /// plus 0 is itself and a Saturday plus 1 is Monday). A negative `n` counts backwards.
    public func addingWorkingDays(_ n: Int, to date: CivilDate) -> CivilDate {
        let step = n < 0 ? -1 : 1
        var remaining = abs(n)
        var day = date
        while remaining > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// Working days in the half-open interval (start, end]; negative if end < start,
    /// so that `addingWorkingDays(workingDays(from: a, to: b), to: a)` lands on or just
    /// before `b`. O(end − start).
    public func workingDays(from start: CivilDate, to end: CivilDate) -> Int {
        if end < start { return -workingDays(from: end, to: start) }
        var count = 0
        var jdn = start.julianDayNumber + 1
        let last = end.julianDayNumber
        while jdn <= last {
            if isWorkingDay(CivilDate(julianDayNumber: jdn)) { count += 1 }
            jdn += 1
        }
        return count
    }

    /// The last day of a statutory time limit, counted from the local date of receipt.
    ///
    /// - `workingDays`: n working days after the receipt date (BLDS 2015 Đ.147: the
    ///   period starts the day after the event), so a Friday or Saturday receipt both
    ///   count Monday as day 1.
    /// - `days`: receipt date + n calendar days; when that last day is a weekend or a
    ///   holiday the limit ends on the next working day (BLDS 2015 Đ.148(5)).
    /// - `sameDay`: the receipt date if it is a working day and the dossier came in
    ///   before `cutoffHour` local time (NĐ 61/2018 Đ.18: after 15:00 it moves to the
    ///   next working day); otherwise the next working day. `duration` is ignored.
    public func deadline(
        receivedAt: Date, duration: Int, unit: DurationUnit, cutoffHour: Int = 15,
        utcOffsetSeconds: Int = 7 * 3600
    ) -> CivilDate {
        let received = CivilDate(receivedAt, utcOffsetSeconds: utcOffsetSeconds)
        switch unit {
        case .workingDays:
            return addingWorkingDays(duration, to: received)
        case .days:
            return nextWorkingDay(onOrAfter: received.adding(days: duration))
        case .sameDay:
            let secondsIntoDay = receivedAt.timeIntervalSince(received.startInstant(utcOffsetSeconds: utcOffsetSeconds))
            if isWorkingDay(received) && secondsIntoDay < TimeInterval(cutoffHour * 3600) {
                return received
            }
            return nextWorkingDay(onOrAfter: received.adding(days: 1))
        }
    }

    // MARK: - Statutory fallback

    static let statutoryYears = 1970...2100

    /// Statutory days off for `statutoryYears`, by JDN, built on first use.
    private static let statutoryTable: [Int: CalendarDay] = {
        var table: [Int: CalendarDay] = [:]
        table.reserveCapacity(statutoryYears.count * 16)
        for year in statutoryYears {
            for day in VietnamStatutoryHolidays.daysOff(year: year) {
                table[day.date.julianDayNumber] = day
            }
        }
        return table
    }()

    private static func statutoryDayOff(_ date: CivilDate) -> CalendarDay? {
        if statutoryYears.contains(date.year) {
            return statutoryTable[date.julianDayNumber]
        }
        return VietnamStatutoryHolidays.daysOff(year: date.year).first { $0.date == date }
    }
}
