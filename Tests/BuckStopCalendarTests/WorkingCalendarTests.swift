import BuckStopCalendar
import BuckStopTestSupport
import Foundation
import Testing

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    static func decided() throws -> WorkingCalendar {
        WorkingCalendar(decisions: try SharedData.holidays())
    }

    @Test("verified rows 2023–2026: days off are not working days, make-up Saturdays are")
    func verifiedRows() throws {
        let rows = try SharedData.holidays().filter { (2023...2026).contains($0.date.year) && $0.status == "verified" }
        #expect(rows.count >= 50)
        let calendar = try Self.decided()
        for row in rows {
            if row.kind == .makeupWorkday {
                #expect(calendar.isWorkingDay(row.date), "\(row.date) is a make-up working day")
                #expect(row.date.isoWeekday == 6, "\(row.date) is a Saturday")
                #expect(calendar.dayOff(row.date) == nil)
            } else {
                #expect(!calendar.isWorkingDay(row.date), "\(row.date) \(row.nameVi) is a day off")
                #expect(calendar.dayOff(row.date)?.kind == row.kind)
            }
        }
    }

    /// CV 12729/VPCP-KGVX (see data/vietnam/README.md): Friday 2/1/2026 off, worked back
    /// on Saturday 10/1/2026. python-holidays 0.108 lacks this swap.
    @Test("New Year 2026 swap: 2 January off, Saturday 10 January worked")
    func newYear2026Swap() throws {
        let calendar = try Self.decided()
        #expect(!calendar.isWorkingDay(d("2026-01-02")))
        #expect(calendar.dayOff(d("2026-01-02"))?.kind == .bridge)
        #expect(calendar.isWorkingDay(d("2026-01-10")))
        #expect(!calendar.isWorkingDay(d("2026-01-11")))  // the Sunday stays off
        #expect(!calendar.isWorkingDay(d("2026-01-17")))  // other Saturdays stay off
        // The statute alone would have 2/1 and not 10/1 as working days.
        #expect(WorkingCalendar().isWorkingDay(d("2026-01-02")))
        #expect(!WorkingCalendar().isWorkingDay(d("2026-01-10")))
    }

    /// CV 8726/VPCP-KGVX: Tết Ất Tỵ off Mon 27/1 – Fri 31/1/2025, so Sat 25/1 – Sun 2/2.
    @Test("Tết 2025: 27–31 January off, surrounding Friday and Monday worked")
    func tet2025() throws {
        let calendar = try Self.decided()
        #expect(calendar.isWorkingDay(d("2025-01-24")))
        for day in 25...31 { #expect(!calendar.isWorkingDay(CivilDate(year: 2025, month: 1, day: day)!)) }
        #expect(!calendar.isWorkingDay(d("2025-02-01")) && !calendar.isWorkingDay(d("2025-02-02")))
        #expect(calendar.isWorkingDay(d("2025-02-03")))
        #expect(calendar.dayOff(d("2025-01-29"))?.nameVi == "Mùng 1 Tết Nguyên đán")
        #expect(calendar.dayOff(d("2025-01-25")) == nil)  // a plain weekend
        #expect(calendar.workingDays(from: d("2025-01-24"), to: d("2025-02-03")) == 1)
    }

    @Test("a year present in the decisions uses exactly those rows")
    func decisionsReplaceStatute() {
        let onlyNewYear = WorkingCalendar(decisions: [
            CalendarDay(date: d("2025-01-01"), kind: .fixed, nameVi: "Tết Dương lịch", nameEn: "New Year's Day", source: "test", status: "verified")
        ])
        #expect(!onlyNewYear.isWorkingDay(d("2025-01-01")))
        #expect(onlyNewYear.isWorkingDay(d("2025-04-30")))  // 2025 is decided: no 30/4 row, so worked
        #expect(!onlyNewYear.isWorkingDay(d("2024-04-30")))  // 2024 is not: the statute applies
        #expect(onlyNewYear.dayOff(d("2024-04-30"))?.status == "projected")
        #expect(onlyNewYear.decidedYears == [2025])
    }

    @Test("years without decisions fall back to the statute, also outside the precomputed window")
    func statutoryFallback() throws {
        let calendar = try Self.decided()
        // 2028: 1/1 is a Saturday → Monday 3/1 off; Tết Mậu Thân is Wednesday 26/1/2028.
        #expect(!calendar.isWorkingDay(d("2028-01-03")))
        #expect(calendar.dayOff(d("2028-01-03"))?.kind == .compensatory)
        #expect(!calendar.isWorkingDay(d("2028-01-26")))
        #expect(calendar.isWorkingDay(d("2028-01-04")))
        // 2150 lies outside the cached years; 30/4/2150 is a Thursday.
        #expect(d("2150-04-30").isoWeekday == 4)
        #expect(!calendar.isWorkingDay(d("2150-04-30")))
        #expect(calendar.isWorkingDay(d("2150-04-29")))
    }

    @Test("addingWorkingDays, nextWorkingDay and workingDays agree")
    func counting() throws {
        let calendar = try Self.decided()
        #expect(calendar.addingWorkingDays(0, to: d("2025-01-25")) == d("2025-01-25"))
        #expect(calendar.addingWorkingDays(1, to: d("2025-01-25")) == d("2025-02-03"))
        #expect(calendar.addingWorkingDays(-1, to: d("2025-02-03")) == d("2025-01-24"))
        #expect(calendar.nextWorkingDay(onOrAfter: d("2025-01-25")) == d("2025-02-03"))
        #expect(calendar.nextWorkingDay(onOrAfter: d("2025-02-03")) == d("2025-02-03"))
        #expect(calendar.workingDays(from: d("2025-02-03"), to: d("2025-01-24")) == -1)
        #expect(calendar.workingDays(from: d("2025-01-01"), to: d("2025-01-01")) == 0)
        // 2025 has 365 days, 104 of them Saturdays or Sundays; take away the weekday days
        // off and add back the make-up Saturday (12 and 1, from the rows):
        let rows2025 = try SharedData.holidays().filter { $0.date.year == 2025 }
        let weekdaysOff = rows2025.filter { $0.kind.isDayOff && !$0.date.isWeekend }.count
        let saturdaysWorked = rows2025.filter { $0.kind == .makeupWorkday }.count
        #expect((weekdaysOff, saturdaysWorked) == (12, 1))
        #expect(calendar.workingDays(from: d("2024-12-31"), to: d("2025-12-31")) == 365 - 104 - weekdaysOff + saturdaysWorked)
        for start in stride(from: d("2024-12-20").julianDayNumber, through: d("2026-01-15").julianDayNumber, by: 3) {
            let from = CivilDate(julianDayNumber: start)
            for n in [1, 5, 15, 30, 60] {
                let end = calendar.addingWorkingDays(n, to: from)
                #expect(calendar.isWorkingDay(end))
                #expect(calendar.workingDays(from: from, to: end) == n, "\(n) working days after \(from)")
                #expect(calendar.workingDays(from: from, to: end.adding(days: -1)) == n - 1)
            }
        }
    }

    // MARK: - Deadlines (hand-worked; all times are Hà Nội local, UTC+7)

    /// Received Thu 23/1/2025 10:00, 5 working days, across Tết Ất Tỵ:
    ///   Fri 24/1 = 1; Sat 25, Sun 26 weekend; Mon 27 – Fri 31/1 Tết (CV 8726/VPCP-KGVX);
    ///   Sat 1/2, Sun 2/2 weekend; Mon 3/2 = 2; Tue 4/2 = 3; Wed 5/2 = 4; Thu 6/2 = 5.
    @Test("working days across Tết 2025")
    func workingDaysAcrossTet() throws {
        let calendar = try Self.decided()
        #expect(calendar.deadline(receivedAt: vn("2025-01-23", 10), duration: 5, unit: .workingDays, cutoffHour: 15) == d("2025-02-06"))
        // Received on Sunday 26/1 at 09:00 (online): day 1 is Mon 3/2, day 3 is Wed 5/2.
        #expect(calendar.deadline(receivedAt: vn("2025-01-26", 9), duration: 3, unit: .workingDays, cutoffHour: 15) == d("2025-02-05"))
    }

    /// Received Fri 17/1/2025, 10 calendar days: 17 + 10 = Mon 27/1, which is 28 tháng
    /// Chạp, a Tết day off. BLDS 2015 Đ.148(5): the limit ends on the next working day
    /// after the days off: 27–31/1 Tết, 1–2/2 weekend → Mon 3/2/2025.
    @Test("calendar days ending in Tết move to the next working day (BLDS Đ.148(5))")
    func calendarDaysIntoTet() throws {
        let calendar = try Self.decided()
        #expect(calendar.deadline(receivedAt: vn("2025-01-17", 8), duration: 10, unit: .days, cutoffHour: 15) == d("2025-02-03"))
        // Counted days themselves include holidays: 14/1 + 10 = Fri 24/1, a working day, stays.
        #expect(calendar.deadline(receivedAt: vn("2025-01-14", 8), duration: 10, unit: .days, cutoffHour: 15) == d("2025-01-24"))
    }

    /// 30/4 – 1/5/2025 (VietnamPlus via tracuuquyhoach.com): Wed 30/4 and Thu 1/5 are
    /// holidays, Fri 2/5 is a bridge day worked back on Sat 26/4.
    ///   Received Fri 25/4 09:00, 3 working days: Sat 26/4 (make-up) = 1; Sun 27 off;
    ///   Mon 28/4 = 2; Tue 29/4 = 3 → 29/4.
    ///   Same, 5 working days: Wed 30/4, Thu 1/5, Fri 2/5 off; Sat 3, Sun 4 off;
    ///   Mon 5/5 = 4; Tue 6/5 = 5 → 6/5.
    ///   Received Sun 20/4, 10 calendar days: 20 + 10 = Wed 30/4, a holiday; 1/5, 2/5 off,
    ///   3–4/5 weekend → Mon 5/5 (Đ.148(5)).
    @Test("30/4 – 1/5 2025 with its swap")
    func reunificationDay2025() throws {
        let calendar = try Self.decided()
        #expect(calendar.deadline(receivedAt: vn("2025-04-25", 9), duration: 3, unit: .workingDays, cutoffHour: 15) == d("2025-04-29"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-25", 9), duration: 5, unit: .workingDays, cutoffHour: 15) == d("2025-05-06"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-20", 9), duration: 10, unit: .days, cutoffHour: 15) == d("2025-05-05"))
    }

    /// Same-day procedures, 15:00 cut-off (NĐ 61/2018 Đ.18):
    ///   Tue 29/4/2025 14:59 → same day, 29/4.
    ///   Tue 29/4/2025 15:00 → next working day: 30/4, 1/5 holidays, 2/5 bridge,
    ///   3–4/5 weekend → Mon 5/5.
    ///   Fri 25/4/2025 16:00 → next working day is the make-up Saturday 26/4.
    ///   Sat 26/4/2025 10:00 (make-up Saturday) → same day.
    ///   Fri 31/1/2025 23:30 UTC+7 = 16:30 UTC → a Tết day → Mon 3/2.
    @Test("same-day handling with the 15:00 cut-off")
    func sameDay() throws {
        let calendar = try Self.decided()
        #expect(calendar.deadline(receivedAt: vn("2025-04-29", 14, 59), duration: 0, unit: .sameDay, cutoffHour: 15) == d("2025-04-29"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-29", 15, 0), duration: 0, unit: .sameDay, cutoffHour: 15) == d("2025-05-05"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-25", 16), duration: 0, unit: .sameDay, cutoffHour: 15) == d("2025-04-26"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-26", 10), duration: 0, unit: .sameDay, cutoffHour: 15) == d("2025-04-26"))
        let lateUTC = Date(timeIntervalSince1970: 1_738_341_000)  // 2025-01-31T16:30:00Z
        #expect(calendar.deadline(receivedAt: lateUTC, duration: 0, unit: .sameDay, cutoffHour: 15) == d("2025-02-03"))
        // Earlier cut-off and another offset are honoured: 14:00 local at UTC+0 is after a 12:00 cut-off.
        let noonUTC = d("2025-04-29").startInstant(utcOffsetSeconds: 0).addingTimeInterval(14 * 3600)
        #expect(calendar.deadline(receivedAt: noonUTC, duration: 0, unit: .sameDay, cutoffHour: 12, utcOffsetSeconds: 0) == d("2025-05-05"))
    }

    /// The instant's local date decides the start: 23/1/2025 18:00 UTC is already Fri
    /// 24/1 01:00 in Hà Nội, so 1 working day later is Mon 3/2 (Tết in between).
    @Test("the receipt date is the Vietnam local date of the instant")
    func localDateOfReceipt() throws {
        let calendar = try Self.decided()
        let instant = d("2025-01-23").startInstant(utcOffsetSeconds: 0).addingTimeInterval(18 * 3600)
        #expect(calendar.deadline(receivedAt: instant, duration: 1, unit: .workingDays, cutoffHour: 15) == d("2025-02-03"))
        #expect(calendar.deadline(receivedAt: instant, duration: 1, unit: .workingDays, cutoffHour: 15, utcOffsetSeconds: 0) == d("2025-01-24"))
    }

    @Test("deadlines are cheap: 20,000 sixty-working-day deadlines well under the budget")
    func performance() throws {
        let calendar = try Self.decided()
        let start = ContinuousClock.now
        var last = d("2000-01-01")
        for i in 0..<20_000 {
            let received = d("2020-01-01").startInstant().addingTimeInterval(Double(i % 4000) * 86_400)
            last = max(last, calendar.deadline(receivedAt: received, duration: 60, unit: .workingDays, cutoffHour: 15))
        }
        let elapsed = ContinuousClock.now - start
        #expect(last > d("2030-01-01"))
        // Recomputing the lunar calendar per lookup would take minutes; a table lookup, milliseconds.
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }
}

// MARK: - Arithmetic against the day-by-day definition

/// The index-based arithmetic must give exactly what walking the calendar one day at a
/// time gives. `DayByDay` is that walk, built from the rows and the statute directly
/// (not from `WorkingCalendar`), with the algorithms the calendar used before it counted
/// in closed form.
@Suite("WorkingCalendar arithmetic")
struct WorkingCalendarArithmeticTests {
    /// The calendars a deployment can build: every row of holidays.csv, only the decided
    /// statuses (as `Defaults.workingCalendar()`), the statute alone, and a synthetic one
    /// with the awkward cases the real file lacks (see `DayByDay.awkwardDecisions`).
    static func calendars() throws -> [(name: String, decisions: [CalendarDay])] {
        let rows = try SharedData.holidays()
        return [
            ("holidays.csv, every row", rows),
            ("holidays.csv, verified and secondary", rows.filter { ["verified", "secondary"].contains($0.status) }),
            ("statute only", []),
            ("synthetic swaps and decided years outside 1970–2100", DayByDay.awkwardDecisions + rows.filter { $0.date.year == 2025 }),
        ]
    }

    @Test("random ranges 2015–2035: workingDays, addingWorkingDays, nextWorkingDay, deadline match the day-by-day walk")
    func randomRanges() throws {
        var random = SplitMix64(seed: 0x5EED_CA1E_DA25)
        for (name, decisions) in try Self.calendars() {
            let calendar = WorkingCalendar(decisions: decisions)
            let reference = DayByDay(decisions: decisions)
            // Days where mistakes would show: every row, every statutory day off, and their
            // neighbours (weekends next to holidays, the days either side of a swap).
            var special = Set(decisions.map(\.date.julianDayNumber))
            for year in 2015...2035 {
                special.formUnion(VietnamStatutoryHolidays.daysOff(year: year).map(\.date.julianDayNumber))
            }
            let near = special.flatMap { jdn in (-3...3).map { jdn + $0 } }
                .filter { (2015...2035).contains(CivilDate(julianDayNumber: $0).year) }.sorted()
            let first = d("2015-01-01").julianDayNumber
            let last = d("2035-12-31").julianDayNumber
            func pick() -> Int {
                random.next() % 2 == 0 ? near[Int(random.next() % UInt64(near.count))] : first + Int(random.next() % UInt64(last - first + 1))
            }
            for _ in 0..<1_500 {
                let start = pick()
                let end = random.next() % 3 == 0 ? pick() : start + Int(random.next() % 1_201) - 600
                guard abs(end - start) <= 8_000 else { continue }  // keep the walk affordable
                let from = CivilDate(julianDayNumber: start)
                let to = CivilDate(julianDayNumber: end)
                #expect(calendar.workingDays(from: from, to: to) == reference.workingDays(start, end), "\(name): (\(from), \(to)]")

                let n = random.next() % 2 == 0 ? Int(random.next() % 21) - 10 : Int(random.next() % 601) - 300
                #expect(calendar.addingWorkingDays(n, to: from).julianDayNumber == reference.adding(n, start), "\(name): \(from) + \(n)")
                #expect(calendar.nextWorkingDay(onOrAfter: from).julianDayNumber == reference.next(start), "\(name): next on or after \(from)")
                #expect(calendar.isWorkingDay(from) == reference.isWorkingDay(start), "\(name): \(from)")

                let received = from.startInstant().addingTimeInterval(Double(random.next() % 86_400))
                let duration = Int(random.next() % 61)
                let cutoff = 8 + Int(random.next() % 10)
                for unit in [DurationUnit.workingDays, .days, .sameDay] {
                    #expect(
                        calendar.deadline(receivedAt: received, duration: duration, unit: unit, cutoffHour: cutoff).julianDayNumber
                            == reference.deadline(receivedAt: received, duration: duration, unit: unit, cutoffHour: cutoff),
                        "\(name): \(unit) \(duration) from \(received)")
                }
            }
        }
    }

    /// Every working day of the decided years, with every small n either way: the cases
    /// where an off-by-one in the inversion would land a day early or late.
    @Test("every start day 2023–2027 with n in −12...12 matches the walk")
    func everyDayDecidedYears() throws {
        let decisions = try SharedData.holidays()
        let calendar = WorkingCalendar(decisions: decisions)
        let reference = DayByDay(decisions: decisions)
        for start in d("2022-12-20").julianDayNumber...d("2028-01-10").julianDayNumber {
            let date = CivilDate(julianDayNumber: start)
            for n in -12...12 {
                #expect(calendar.addingWorkingDays(n, to: date).julianDayNumber == reference.adding(n, start), "\(date) + \(n)")
            }
            #expect(calendar.workingDays(from: date, to: date.adding(days: 17)) == reference.workingDays(start, start + 17))
            #expect(calendar.nextWorkingDay(onOrAfter: date).julianDayNumber == reference.next(start))
        }
    }

    /// Around the edges of coverage: decided years outside 1970–2100 are exact, other
    /// years count Monday–Friday, and `nextWorkingDay` follows `isWorkingDay` (the
    /// statute) everywhere.
    @Test("edges of coverage match the documented reading")
    func coverageEdges() throws {
        var random = SplitMix64(seed: 1970_2100)
        let decisions = DayByDay.awkwardDecisions
        let calendar = WorkingCalendar(decisions: decisions)
        let reference = DayByDay(decisions: decisions)
        let edges = ["1964-12-25", "1966-01-01", "1969-12-20", "2100-12-20", "2101-01-01", "2150-01-01", "2150-04-28", "2151-01-01"]
            .map { d($0).julianDayNumber }
        for _ in 0..<3_000 {
            let start = edges[Int(random.next() % UInt64(edges.count))] + Int(random.next() % 41) - 20
            let end = start + Int(random.next() % 801) - 400
            let from = CivilDate(julianDayNumber: start)
            let to = CivilDate(julianDayNumber: end)
            #expect(calendar.workingDays(from: from, to: to) == reference.workingDays(start, end), "(\(from), \(to)]")
            let n = Int(random.next() % 401) - 200
            #expect(calendar.addingWorkingDays(n, to: from).julianDayNumber == reference.adding(n, start), "\(from) + \(n)")
            #expect(calendar.nextWorkingDay(onOrAfter: from).julianDayNumber == reference.next(start), "next on or after \(from)")
            #expect(calendar.isWorkingDay(from) == reference.isWorkingDay(start), "\(from)")
        }

        #expect(calendar.covers(d("2150-04-30")) && calendar.covers(d("1965-06-01")) && calendar.covers(d("2100-12-31")))
        #expect(!calendar.covers(d("2101-01-01")) && !calendar.covers(d("1969-12-31")) && !calendar.covers(d("0001-01-01")))
        #expect(calendar.covers(from: d("2100-12-31"), to: d("1970-01-01")))
        #expect(!calendar.covers(from: d("2030-01-01"), to: d("2150-01-01")))  // 2101–2149 undecided
        #expect(!calendar.covers(from: d("0001-01-01"), to: d("9999-12-31")))
        #expect(
            WorkingCalendar(
                decisions: (2101...2160).compactMap { CivilDate(year: $0, month: 1, day: 1) }.map {
                    CalendarDay(date: $0, kind: .fixed, nameVi: "Tết Dương lịch", nameEn: "New Year's Day", source: "test", status: "verified")
                }
            ).covers(from: d("1990-05-05"), to: d("2160-12-31")))

        // Undecided 2149: 30/4/2149 is a Wednesday, a holiday by the statute, so
        // `isWorkingDay` and `nextWorkingDay` skip it, while counting sees a weekday.
        let statute = WorkingCalendar()
        #expect(d("2149-04-30").isoWeekday == 3 && !statute.isWorkingDay(d("2149-04-30")))
        #expect(statute.workingDays(from: d("2149-04-29"), to: d("2149-04-30")) == 1)
        #expect(statute.nextWorkingDay(onOrAfter: d("2149-04-30")) == d("2149-05-02"))
    }

    @Test("spans of millennia: Monday–Friday outside coverage, exact inside")
    func millennia() throws {
        let first = d("0001-01-01")
        let last = d("9999-12-31")
        // 1/1/0001 was a Monday and 31/12/9999 a Friday; (first, last] has 3,652,058 days
        // = 521,722 weeks (2,608,610 weekdays) and Tuesday–Friday: 2,608,614 weekdays.
        #expect(first.isoWeekday == 1 && last.isoWeekday == 5 && last - first == 3_652_058)
        let weekdays = 2_608_614

        // Weekday days off by statute in 1970–2100, counted from the statute's own rows.
        var statutoryWeekdaysOff = 0
        for year in WorkingCalendar.supportedYears {
            statutoryWeekdaysOff += Set(VietnamStatutoryHolidays.daysOff(year: year).map(\.date).filter { !$0.isWeekend }).count
        }
        #expect((1_300...1_700).contains(statutoryWeekdaysOff))  // about twelve a year

        let statute = WorkingCalendar()
        #expect(statute.workingDays(from: first, to: last) == weekdays - statutoryWeekdaysOff)
        #expect(statute.workingDays(from: last, to: first) == statutoryWeekdaysOff - weekdays)
        // Entirely outside coverage: plain Monday–Friday.
        #expect(statute.workingDays(from: first, to: d("1000-01-01")) == Self.mondayToFriday(first, d("1000-01-01")))
        #expect(statute.workingDays(from: d("2101-01-01"), to: last) == Self.mondayToFriday(d("2101-01-01"), last))

        // 2,000,000 working days after Monday 1/1/0001: the k-th weekday after a Monday,
        // k = 2,000,000 plus the statutory weekdays skipped on the way (the landing day,
        // in the 7600s, is outside coverage so only weekends matter there).
        let k = 2_000_000 + statutoryWeekdaysOff
        let week = (k - 1) / 5
        let day = (k - 1) % 5 + 1  // 1...4 = Tue–Fri, 5 = next Monday
        let landing = first.adding(days: 7 * week + (day <= 4 ? day : 7))
        #expect((7000...8000).contains(landing.year))
        #expect(statute.addingWorkingDays(2_000_000, to: first) == landing)
        #expect(statute.addingWorkingDays(-2_000_000, to: landing) == first)
        #expect(statute.workingDays(from: first, to: landing) == 2_000_000)

        // With the decisions, the difference to the statute is confined to 2023–2027.
        let decisions = try SharedData.holidays()
        let decided = WorkingCalendar(decisions: decisions)
        let reference = DayByDay(decisions: decisions)
        let window = (d("1969-12-31").julianDayNumber, d("2100-12-31").julianDayNumber)
        let exactInWindow = reference.workingDays(window.0, window.1)
        let expected = weekdays - Self.mondayToFriday(CivilDate(julianDayNumber: window.0), CivilDate(julianDayNumber: window.1)) + exactInWindow
        #expect(decided.workingDays(from: first, to: last) == expected)
        #expect(decided.addingWorkingDays(expected, to: first) == last)  // last is a Friday
        #expect(decided.addingWorkingDays(-expected, to: last.adding(days: 1)) == first.adding(days: 1))

        // Counts far beyond any calendar neither trap nor hang.
        #expect(statute.addingWorkingDays(.max, to: first) > last)
        #expect(statute.addingWorkingDays(.min, to: last) < first)
    }

    /// Monday–Friday in (a, b], one day at a time.
    static func mondayToFriday(_ a: CivilDate, _ b: CivilDate) -> Int {
        var count = 0
        var jdn = a.julianDayNumber + 1
        while jdn <= b.julianDayNumber {
            if !CivilDate(julianDayNumber: jdn).isWeekend { count += 1 }
            jdn += 1
        }
        return count
    }
}

/// The working-day rules walked one day at a time, from the decision rows and
/// `VietnamStatutoryHolidays` directly.
///
/// Counting (`counts`) follows `WorkingCalendar`'s documented reading outside coverage
/// (Monday–Friday); `isWorkingDay` and `next` apply the statute in every year.
struct DayByDay {
    let decidedOff: Set<Int>
    let decidedWorked: Set<Int>
    let decidedYears: Set<Int>
    let statutoryOff: [Int: Set<Int>]

    init(decisions: [CalendarDay]) {
        decidedOff = Set(decisions.filter(\.kind.isDayOff).map(\.date.julianDayNumber))
        decidedWorked = Set(decisions.filter { !$0.kind.isDayOff }.map(\.date.julianDayNumber))
        decidedYears = Set(decisions.map(\.date.year))
        var statutory: [Int: Set<Int>] = [:]
        for year in WorkingCalendar.supportedYears {
            statutory[year] = Set(VietnamStatutoryHolidays.daysOff(year: year).map(\.date.julianDayNumber))
        }
        statutoryOff = statutory
    }

    func covered(_ year: Int) -> Bool {
        decidedYears.contains(year) || WorkingCalendar.supportedYears.contains(year)
    }

    func isWorkingDay(_ jdn: Int) -> Bool {
        let date = CivilDate(julianDayNumber: jdn)
        if decidedYears.contains(date.year) {
            if decidedOff.contains(jdn) { return false }  // off wins over worked
            return decidedWorked.contains(jdn) || !date.isWeekend
        }
        if date.isWeekend { return false }
        let off = statutoryOff[date.year] ?? Set(VietnamStatutoryHolidays.daysOff(year: date.year).map(\.date.julianDayNumber))
        return !off.contains(jdn)
    }

    /// Whether the counting methods count `jdn`.
    func counts(_ jdn: Int) -> Bool {
        covered(CivilDate(julianDayNumber: jdn).year) ? isWorkingDay(jdn) : !CivilDate(julianDayNumber: jdn).isWeekend
    }

    func workingDays(_ start: Int, _ end: Int) -> Int {
        if end < start { return -workingDays(end, start) }
        var count = 0
        var jdn = start + 1
        while jdn <= end {
            if counts(jdn) { count += 1 }
            jdn += 1
        }
        return count
    }

    func adding(_ n: Int, _ start: Int) -> Int {
        let step = n < 0 ? -1 : 1
        var remaining = abs(n)
        var jdn = start
        while remaining > 0 {
            jdn += step
            if counts(jdn) { remaining -= 1 }
        }
        return jdn
    }

    func next(_ start: Int) -> Int {
        var jdn = start
        while !isWorkingDay(jdn) { jdn += 1 }
        return jdn
    }

    func deadline(receivedAt: Date, duration: Int, unit: DurationUnit, cutoffHour: Int) -> Int {
        let received = CivilDate(receivedAt)
        switch unit {
        case .workingDays:
            return adding(duration, received.julianDayNumber)
        case .days:
            return next(received.julianDayNumber + duration)
        case .sameDay:
            let seconds = receivedAt.timeIntervalSince(received.startInstant())
            if isWorkingDay(received.julianDayNumber) && seconds < TimeInterval(cutoffHour * 3600) {
                return received.julianDayNumber
            }
            return next(received.julianDayNumber + 1)
        }
    }

    /// Cases the real decisions do not have: a Saturday both swapped off and worked (off
    /// wins), a weekday marked worked (no effect), a weekend holiday without
    /// compensation, a swap pair, and decided years on both sides of 1970–2100.
    static let awkwardDecisions: [CalendarDay] = {
        func row(_ iso: String, _ kind: DayKind) -> CalendarDay {
            CalendarDay(date: d(iso), kind: kind, nameVi: kind.rawValue, nameEn: kind.rawValue, source: "test", status: "verified")
        }
        return [
            row("2030-03-09", .bridge), row("2030-03-09", .makeupWorkday),  // Saturday, both
            row("2030-03-12", .makeupWorkday),  // Tuesday, already worked
            row("2030-03-16", .fixed),  // Saturday holiday
            row("2030-03-22", .bridge), row("2030-03-23", .makeupWorkday),  // Friday off, Saturday worked
            row("2030-03-24", .makeupWorkday),  // Sunday worked
            row("2150-04-30", .fixed), row("2150-05-02", .makeupWorkday),  // Thursday off, Saturday worked
            row("1965-01-01", .fixed), row("1965-01-02", .makeupWorkday),  // Friday off, Saturday worked
        ]
    }()
}
