import BuckStopCalendar
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopDemo

/// The ground truth's own working days (`DemoWorkingDays`) against the shared holiday table read directly (issue 15:
/// "its own working-day count tested against the shared holiday table"), against spans worked out by hand across Tết,
/// 30/4–1/5 and 2/9, and against `WorkingCalendar` — agreement is checked here, never borrowed in the implementation.
@Suite("Demo working days")
struct DemoWorkingDaysTests {
    /// The decided rows of the shared table (`data/vietnam/holidays.csv`), as the product's calendar takes them:
    /// verified and secondary rows; projected and unverified ones leave their years to the statute.
    static func decided() throws -> [CalendarDay] {
        try HolidayDecisionFile.parse(try SharedFiles.vietnam("holidays.csv")).filter { ["verified", "secondary"].contains($0.status) }
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    /// The table read the plainest way: a day is worked when a row makes it a make-up day, or it is a Monday–Friday that
    /// no row makes a day off; a count walks the days one by one.
    struct TableReading {
        let off: Set<CivilDate>
        let worked: Set<CivilDate>

        init(_ rows: [CalendarDay]) {
            off = Set(rows.filter { $0.kind != .makeupWorkday }.map(\.date))
            worked = Set(rows.filter { $0.kind == .makeupWorkday }.map(\.date))
        }

        func isWorkingDay(_ d: CivilDate) -> Bool { !off.contains(d) && (worked.contains(d) || !d.isWeekend) }

        func count(from a: CivilDate, to b: CivilDate) -> Int {
            var n = 0
            var d = a
            while d < b {
                d = d.adding(days: 1)
                if isWorkingDay(d) { n += 1 }
            }
            return n
        }
    }

    @Test("every span of up to 30 days over the years the table decides: own count = the table = WorkingCalendar")
    func everySpanAgrees() throws {
        let rows = try Self.decided()
        let years = Set(rows.map(\.date.year))
        let first = try #require(years.min())
        let last = try #require(years.max())
        let own = DemoWorkingDays(decisions: rows, years: first...last)
        let table = TableReading(rows)
        let calendar = WorkingCalendar(decisions: rows)
        let end = Self.day(last, 12, 31)
        var d = Self.day(first, 1, 1)
        var spans = 0
        while d <= end {
            #expect(own.isWorkingDay(d) == table.isWorkingDay(d), "\(d)")
            for k in 0...30 where d.adding(days: k) <= end {
                let e = d.adding(days: k)
                let expected = table.count(from: d, to: e)
                let counted = own.workingDays(from: d, to: e)
                if counted != expected || calendar.workingDays(from: d, to: e) != expected {
                    Issue.record("(\(d), \(e)]: table \(expected), own \(counted), WorkingCalendar \(calendar.workingDays(from: d, to: e))")
                }
                #expect(own.workingDays(from: e, to: d) == -expected)
                spans += 1
            }
            d = d.adding(days: 1)
        }
        #expect(years.count >= 4 && spans > 40_000)
    }

    @Test("spans worked out by hand across Tết, 30/4–1/5, 2/9 and New Year")
    func handWorkedSpans() throws {
        let own = DemoWorkingDays(decisions: try Self.decided(), years: 2023...2027)
        let d = Self.day
        // Tết 2024: off Thu 8 – Wed 14/2; (7/2, 16/2] leaves Thu 15 and Fri 16.
        #expect(own.workingDays(from: d(2024, 2, 7), to: d(2024, 2, 16)) == 2)
        // Tết 2025: off Mon 27 – Fri 31/1; (Fri 24/1, Mon 3/2] leaves Monday 3/2 alone.
        #expect(own.workingDays(from: d(2025, 1, 24), to: d(2025, 2, 3)) == 1)
        #expect(own.workingDays(from: d(2025, 2, 3), to: d(2025, 1, 24)) == -1)
        // Tết 2026: off Mon 16 – Fri 20/2.
        #expect(own.workingDays(from: d(2026, 2, 13), to: d(2026, 2, 23)) == 1)
        // 30/4–1/5 2025: Sat 26/4 worked, Wed 30/4, Thu 1/5, Fri 2/5 off: Sat 26, Mon 28, Tue 29, Mon 5/5.
        #expect(own.workingDays(from: d(2025, 4, 25), to: d(2025, 5, 5)) == 4)
        // 2/9 2025: Mon 1 and Tue 2/9 off: Wed 3, Thu 4, Fri 5.
        #expect(own.workingDays(from: d(2025, 8, 29), to: d(2025, 9, 5)) == 3)
        // 2/9 2026: Sat 22/8 worked; Mon 31/8, Tue 1/9, Wed 2/9 off: Sat 22, Mon 24 – Fri 28, Thu 3, Fri 4.
        #expect(own.workingDays(from: d(2026, 8, 21), to: d(2026, 9, 4)) == 8)
        // New Year 2026: Thu 1 and Fri 2/1 off, Sat 10/1 worked: Mon 5 – Fri 9, Sat 10, Mon 12.
        #expect(own.workingDays(from: d(2025, 12, 31), to: d(2026, 1, 12)) == 7)

        let morning = 9 * 3600
        let cutoff = 15
        // Five working days after Thu 12/2/2026: Fri 13, then Tết, then Mon 23 – Thu 26.
        #expect(
            own.deadline(receivedOn: d(2026, 2, 12), secondsIntoDay: morning, duration: 5, unit: .workingDays, cutoffHour: cutoff) == d(2026, 2, 26))
        // Two calendar days after Mon 28/4/2025 is Wed 30/4, a holiday: the next working day is Mon 5/5 (Đ.148(5)).
        #expect(own.deadline(receivedOn: d(2025, 4, 28), secondsIntoDay: morning, duration: 2, unit: .days, cutoffHour: cutoff) == d(2025, 5, 5))
        // Same day: Fri 29/8/2025 before the cut-off is that day; after it, the next working day is Wed 3/9.
        #expect(
            own.deadline(receivedOn: d(2025, 8, 29), secondsIntoDay: 10 * 3600, duration: 0, unit: .sameDay, cutoffHour: cutoff) == d(2025, 8, 29))
        #expect(own.deadline(receivedOn: d(2025, 8, 29), secondsIntoDay: 16 * 3600, duration: 0, unit: .sameDay, cutoffHour: cutoff) == d(2025, 9, 3))
        // A make-up Saturday is a working day; a holiday is not.
        #expect(own.deadline(receivedOn: d(2025, 4, 26), secondsIntoDay: morning, duration: 0, unit: .sameDay, cutoffHour: cutoff) == d(2025, 4, 26))
        #expect(own.deadline(receivedOn: d(2025, 4, 30), secondsIntoDay: morning, duration: 0, unit: .sameDay, cutoffHour: nil) == d(2025, 5, 5))
    }

    @Test("deadlines in every unit the rulebook uses agree with WorkingCalendar, decided and statutory years")
    func deadlinesAgree() throws {
        let rows = try Self.decided()
        let own = DemoWorkingDays(decisions: rows, years: 2023...2030)
        let calendar = WorkingCalendar(decisions: rows)
        var d = Self.day(2023, 1, 1)
        while d <= Self.day(2030, 11, 30) {
            for seconds in [9 * 3600, 16 * 3600] {
                let at = d.startInstant().addingTimeInterval(TimeInterval(seconds))
                for (unit, durations) in [(DurationUnit.workingDays, [0, 1, 5, 10, 20]), (.days, [0, 2, 15, 30]), (.sameDay, [0])] {
                    for n in durations {
                        let mine = own.deadline(receivedOn: d, secondsIntoDay: seconds, duration: n, unit: unit, cutoffHour: 15)
                        let theirs = calendar.deadline(receivedAt: at, duration: n, unit: unit, cutoffHour: 15)
                        if mine != theirs { Issue.record("\(d) +\(seconds)s, \(n) \(unit): own \(mine), WorkingCalendar \(theirs)") }
                    }
                }
            }
            #expect(own.workingDays(from: d, to: d.adding(days: 30)) == calendar.workingDays(from: d, to: d.adding(days: 30)), "\(d)")
            d = d.adding(days: 1)
        }
    }

    @Test("read day by day from a calendar, the count is the same as from the rows")
    func dayByDayReadingAgrees() throws {
        let rows = try Self.decided()
        let fromRows = DemoWorkingDays(decisions: rows, years: 2024...2027)
        let calendar = WorkingCalendar(decisions: rows)
        let fromCalendar = DemoWorkingDays(years: 2024...2027) { calendar.isWorkingDay($0) }
        var d = Self.day(2024, 1, 1)
        while d <= Self.day(2027, 12, 31) {
            #expect(fromRows.isWorkingDay(d) == fromCalendar.isWorkingDay(d), "\(d)")
            d = d.adding(days: 1)
        }
        #expect(fromRows.running == fromCalendar.running)
    }
}
