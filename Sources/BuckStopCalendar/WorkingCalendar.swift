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
/// Counting is arithmetic, never a walk over days: due dates come from outside (a form,
/// an API call, an exported log) and one due date in 9999 used to cost a page half a
/// minute. Monday–Friday between two Julian Day Numbers has a closed form, and the
/// calendar departs from it only on a few days a year — weekdays off, weekend days
/// worked — kept as one sorted list with running totals. Every method therefore costs
/// O(log k) in the number k of such days (1,441 for the statutory years), whatever
/// the span. Single-date lookups stay dictionary probes by JDN. The statutory years are
/// computed once per process into shared immutable tables (a `static let`, which Swift
/// initialises lazily and thread-safely), so the struct stays a plain `Sendable` value.
///
/// ## Coverage
///
/// Holidays are known for `supportedYears` (the statutory table) and for every year in
/// `decisions`; `covers(_:)` and `covers(from:to:)` say whether dates fall in them.
/// Outside that there is no holiday data to trust, and deriving the statute year by year
/// over millennia (lunar astronomy per year) is exactly the cost this type must not
/// have. So there:
///
/// - the counting methods — `workingDays(from:to:)`, `addingWorkingDays(_:to:)` and
///   `deadline` in working days — count every Monday–Friday as a working day;
/// - `isWorkingDay`, `dayOff` and `nextWorkingDay` look at one date, or at the few days
///   of one break, so they still apply the statute, derived for that one year per call.
///
/// The two readings differ only on statutory holidays outside coverage. Callers that
/// accept dates from outside (servers, `analyze`) should refuse uncovered dates with
/// `covers` and a clear error rather than report a deadline from the approximation.
public struct WorkingCalendar: Sendable {
    /// The tables, shared by every copy: a calendar is copied into every detection context, replay and server
    /// state, and one reference copies in one retain.
    private final class Tables: Sendable {
        /// Days off from decisions, by JDN; the first row for a date wins.
        let decidedDaysOff: [Int: CalendarDay]
        /// Weekend days worked by decision, by JDN.
        let decidedWorkdays: Set<Int>
        let decisionYears: Set<Int>
        /// JDNs, ascending, where a covered year departs from "Monday–Friday is worked": a
        /// weekday off or a weekend day worked.
        let departures: [Int]
        /// `departureTotals[i]` is the net effect of `departures[0..<i]` on a count of working
        /// days (+1 per weekend day worked, −1 per weekday off); one longer than `departures`.
        let departureTotals: [Int]

        init(decidedDaysOff: [Int: CalendarDay], decidedWorkdays: Set<Int>, decisionYears: Set<Int>, departures: [Int], departureTotals: [Int]) {
            self.decidedDaysOff = decidedDaysOff
            self.decidedWorkdays = decidedWorkdays
            self.decisionYears = decisionYears
            self.departures = departures
            self.departureTotals = departureTotals
        }
    }

    private let tables: Tables
    private var decidedDaysOff: [Int: CalendarDay] { tables.decidedDaysOff }
    private var decidedWorkdays: Set<Int> { tables.decidedWorkdays }
    private var decisionYears: Set<Int> { tables.decisionYears }
    private var departures: [Int] { tables.departures }
    private var departureTotals: [Int] { tables.departureTotals }

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

        // Weekend days off and weekdays "worked" agree with Monday–Friday, so only the
        // other two cases move a count.
        var decided: [(jdn: Int, effect: Int)] = []
        for (jdn, row) in daysOff where !row.date.isWeekend { decided.append((jdn, -1)) }
        for jdn in workdays where Self.isWeekend(jdn) { decided.append((jdn, 1)) }
        decided.sort { $0.jdn < $1.jdn }
        // The statutory list is already sorted and has no decided year left in it, so a
        // merge keeps building a calendar cheap (no sort of the 1,441 statutory days).
        let statutory = Self.statutory.weekdaysOff
        var days: [Int] = []
        var totals = [0]
        days.reserveCapacity(statutory.count + decided.count)
        totals.reserveCapacity(statutory.count + decided.count + 1)
        var next = 0
        func append(_ jdn: Int, _ effect: Int) {
            days.append(jdn)
            totals.append(totals[totals.count - 1] + effect)
        }
        var year = Int.min
        var yearDecided = false
        for day in statutory {
            if day.year != year {
                year = day.year
                yearDecided = years.contains(year)
            }
            if yearDecided { continue }
            while next < decided.count && decided[next].jdn < day.jdn {
                append(decided[next].jdn, decided[next].effect)
                next += 1
            }
            append(day.jdn, -1)
        }
        for change in decided[next...] { append(change.jdn, change.effect) }
        tables = Tables(decidedDaysOff: daysOff, decidedWorkdays: workdays, decisionYears: years, departures: days, departureTotals: totals)
    }

    /// Years whose calendar comes from decisions rather than from the statute.
    public var decidedYears: Set<Int> { decisionYears }

    /// Years whose statutory holidays are precomputed. With the decided years they make up
    /// what `covers` accepts; outside, counting sees weekends only (see the type's notes).
    public static let supportedYears = 1970...2100

    /// Whether the holidays of `date`'s year are known (statutory window or a decision),
    /// so that counts through it are exact rather than weekends-only.
    public func covers(_ date: CivilDate) -> Bool {
        covers(year: date.year)
    }

    /// Whether every year from `start` to `end` (either order) is covered, i.e. whether
    /// `workingDays(from: start, to: end)` and an `addingWorkingDays` between them are exact.
    /// Costs at most one probe per decided year outside `supportedYears`.
    public func covers(from start: CivilDate, to end: CivilDate) -> Bool {
        var year = min(start.year, end.year)
        let last = max(start.year, end.year)
        while year <= last {
            if Self.supportedYears.contains(year) {
                year = Self.supportedYears.upperBound + 1
                continue
            }
            guard decisionYears.contains(year) else { return false }
            year += 1
        }
        return true
    }

    private func covers(year: Int) -> Bool {
        Self.supportedYears.contains(year) || decisionYears.contains(year)
    }

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

    /// The first day on or after `date` for which `isWorkingDay` holds, also outside
    /// coverage (where it is the statute's answer, unlike the counting methods).
    public func nextWorkingDay(onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        var statuteYear: Int?
        var statuteDaysOff: Set<Int> = []
        while true {
            if covers(day) {
                let found = CivilDate(julianDayNumber: firstDay(reaching: workingDayIndex(day.julianDayNumber - 1) + 1))
                if covers(found) { return found }
                // The jump crossed into an uncovered year, where the index sees only weekends
                // off; every day it skipped is off under the statute too, so go on from there.
                day = found
            }
            // Uncovered: only statutory days off, so a run is one break (Tết with its
            // weekends and compensation at most) and this loop stays short.
            if statuteYear != day.year {
                statuteYear = day.year
                statuteDaysOff = Set(VietnamStatutoryHolidays.daysOff(year: day.year).map(\.date.julianDayNumber))
            }
            if !day.isWeekend && !statuteDaysOff.contains(day.julianDayNumber) { return day }
            day = day.adding(days: 1)
        }
    }

    /// The n-th working day after `date` (`date` itself is not counted, so a working day
    /// plus 0 is itself and a Saturday plus 1 is Monday). A negative `n` counts backwards.
    /// |n| is capped at `maximumCount`, far beyond any calendar, so that the arithmetic
    /// cannot overflow on a hostile input.
    public func addingWorkingDays(_ n: Int, to date: CivilDate) -> CivilDate {
        guard n != 0 else { return date }
        let n = min(max(n, -Self.maximumCount), Self.maximumCount)
        let jdn = date.julianDayNumber
        // Forwards: the first day whose index is n above `date`'s. Backwards: `date` is not
        // counted, so the |n|-th working day before it is the first day whose index reaches
        // the index of the day before `date`, minus |n| − 1.
        let target = n > 0 ? workingDayIndex(jdn) + n : workingDayIndex(jdn - 1) + n + 1
        return CivilDate(julianDayNumber: firstDay(reaching: target))
    }

    /// The largest |n| that `addingWorkingDays` honours: about 1.7 × 10^13 years.
    public static let maximumCount = 1 << 52

    /// Working days in the half-open interval (start, end]; negative if end < start,
    /// so that `addingWorkingDays(workingDays(from: a, to: b), to: a)` lands on or just
    /// before `b`.
    public func workingDays(from start: CivilDate, to end: CivilDate) -> Int {
        workingDayIndex(end.julianDayNumber) - workingDayIndex(start.julianDayNumber)
    }

    /// The last day of a statutory time limit, counted from the local date of receipt.
    ///
    /// - `workingDays`: n working days after the receipt date (BLDS 2015 Đ.147: the
    ///   period starts the day after the event), so a Friday or Saturday receipt both
    ///   count Monday as day 1.
    /// - `days`: receipt date + n calendar days; when that last day is a weekend or a
    ///   holiday the limit ends on the next working day (BLDS 2015 Đ.148(5)).
    /// - `sameDay`: the receipt date if it is a working day and the dossier came in
    ///   before `cutoffHour` local time (the rulebook's `intake.cutoffHour` in force that
    ///   day, e.g. NĐ 61/2018 Đ.18); otherwise the next working day. `duration` is ignored.
    ///   A nil `cutoffHour` means no cut-off: any time of a working day counts. The hour is
    ///   law, so it has no default here: the caller passes the one the rulebook gives.
    public func deadline(
        receivedAt: Date, duration: Int, unit: DurationUnit, cutoffHour: Int?,
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
            if isWorkingDay(received) && cutoffHour.map({ secondsIntoDay < TimeInterval($0 * 3600) }) ?? true {
                return received
            }
            return nextWorkingDay(onOrAfter: received.adding(days: 1))
        }
    }

    // MARK: - Working-day index

    /// Working days up to and including `jdn`, counted from an arbitrary origin: only
    /// differences mean anything. Non-decreasing, and it rises by one exactly on working
    /// days (on covered years; Monday–Friday elsewhere).
    private func workingDayIndex(_ jdn: Int) -> Int {
        Self.weekdaysThrough(jdn) + departureTotals[departuresThrough(jdn)]
    }

    /// How many departures fall on or before `jdn`.
    private func departuresThrough(_ jdn: Int) -> Int {
        firstDeparture { day, _ in day > jdn }
    }

    /// The first day whose `workingDayIndex` is at least `target`.
    ///
    /// Between two departures the index is the weekday formula plus a constant, which can
    /// be inverted in closed form; a binary search finds that stretch: the first departure
    /// at which the index has already reached `target` ends it.
    private func firstDay(reaching target: Int) -> Int {
        let stretch = firstDeparture { day, index in Self.weekdaysThrough(day) + departureTotals[index + 1] >= target }
        let candidate = Self.firstDay(withWeekdaysThrough: target - departureTotals[stretch])
        if stretch < departures.count && candidate >= departures[stretch] {
            // Nothing before that departure reaches the target, and it does: a Saturday worked.
            return departures[stretch]
        }
        return candidate
    }

    /// The index of the first departure for which `isPast(jdn, index)` holds, or
    /// `departures.count`; `isPast` must be false up to some index and true after it.
    /// Halving without a data-dependent branch (the probe picks a base, not a path)
    /// roughly halves the cost of a lookup over the textbook loop.
    @inline(__always)
    private func firstDeparture(where isPast: (Int, Int) -> Bool) -> Int {
        let departures = tables.departures
        var base = 0
        var length = departures.count
        while length > 1 {
            let half = length / 2
            base = isPast(departures[base + half - 1], base + half - 1) ? base : base + half
            length -= half
        }
        if length == 1 && !isPast(departures[base], base) { base += 1 }
        return base
    }

    /// Mondays–Fridays in [0, jdn] (negated count of [jdn + 1, −1] for jdn < −1). JDN 0
    /// was a Monday, so each 7-day block from 0 holds five of them.
    @inline(__always)
    private static func weekdaysThrough(_ jdn: Int) -> Int {
        5 * floorDiv(jdn + 1, 7) + min(floorMod(jdn + 1, 7), 5)
    }

    /// The first JDN at which `weekdaysThrough` reaches `count`: the count's week, then
    /// its day within Monday–Friday.
    @inline(__always)
    private static func firstDay(withWeekdaysThrough count: Int) -> Int {
        let week = floorDiv(count - 1, 5)
        return 7 * week + (count - 5 * week) - 1
    }

    @inline(__always)
    private static func isWeekend(_ jdn: Int) -> Bool {
        floorMod(jdn, 7) >= 5
    }

    // MARK: - Statutory fallback

    /// The statutory years, as a lookup by date and as the weekday departures.
    private struct StatutoryWindow {
        var table: [Int: CalendarDay] = [:]
        /// Weekday days off, ascending, with their year so that decided years can drop out.
        var weekdaysOff: [(jdn: Int, year: Int)] = []
    }

    /// Built on first use: about a millisecond of lunar computation per process.
    private static let statutory: StatutoryWindow = {
        var window = StatutoryWindow()
        window.table.reserveCapacity(supportedYears.count * 16)
        for year in supportedYears {
            for day in VietnamStatutoryHolidays.daysOff(year: year) {
                let jdn = day.date.julianDayNumber
                if window.table[jdn] == nil && !day.date.isWeekend { window.weekdaysOff.append((jdn, year)) }
                window.table[jdn] = day
            }
        }
        window.weekdaysOff.sort { $0.jdn < $1.jdn }
        return window
    }()

    private static func statutoryDayOff(_ date: CivilDate) -> CalendarDay? {
        if supportedYears.contains(date.year) {
            return statutory.table[date.julianDayNumber]
        }
        return VietnamStatutoryHolidays.daysOff(year: date.year).first { $0.date == date }
    }
}
