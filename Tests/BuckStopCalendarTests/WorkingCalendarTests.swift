import Foundation
import Testing
import BuckStopCalendar

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
        #expect(!calendar.isWorkingDay(d("2026-01-11"))) // the Sunday stays off
        #expect(!calendar.isWorkingDay(d("2026-01-17"))) // other Saturdays stay off
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
        #expect(calendar.dayOff(d("2025-01-25")) == nil) // a plain weekend
        #expect(calendar.workingDays(from: d("2025-01-24"), to: d("2025-02-03")) == 1)
    }

    @Test("a year present in the decisions uses exactly those rows")
    func decisionsReplaceStatute() {
        let onlyNewYear = WorkingCalendar(decisions: [
            CalendarDay(date: d("2025-01-01"), kind: .fixed, nameVi: "Tết Dương lịch", nameEn: "New Year's Day", source: "test", status: "verified"),
        ])
        #expect(!onlyNewYear.isWorkingDay(d("2025-01-01")))
        #expect(onlyNewYear.isWorkingDay(d("2025-04-30")))   // 2025 is decided: no 30/4 row, so worked
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
        #expect(calendar.deadline(receivedAt: vn("2025-01-23", 10), duration: 5, unit: .workingDays) == d("2025-02-06"))
        // Received on Sunday 26/1 at 09:00 (online): day 1 is Mon 3/2, day 3 is Wed 5/2.
        #expect(calendar.deadline(receivedAt: vn("2025-01-26", 9), duration: 3, unit: .workingDays) == d("2025-02-05"))
    }

    /// Received Fri 17/1/2025, 10 calendar days: 17 + 10 = Mon 27/1, which is 28 tháng
    /// Chạp, a Tết day off. BLDS 2015 Đ.148(5): the limit ends on the next working day
    /// after the days off: 27–31/1 Tết, 1–2/2 weekend → Mon 3/2/2025.
    @Test("calendar days ending in Tết move to the next working day (BLDS Đ.148(5))")
    func calendarDaysIntoTet() throws {
        let calendar = try Self.decided()
        #expect(calendar.deadline(receivedAt: vn("2025-01-17", 8), duration: 10, unit: .days) == d("2025-02-03"))
        // Counted days themselves include holidays: 14/1 + 10 = Fri 24/1, a working day, stays.
        #expect(calendar.deadline(receivedAt: vn("2025-01-14", 8), duration: 10, unit: .days) == d("2025-01-24"))
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
        #expect(calendar.deadline(receivedAt: vn("2025-04-25", 9), duration: 3, unit: .workingDays) == d("2025-04-29"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-25", 9), duration: 5, unit: .workingDays) == d("2025-05-06"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-20", 9), duration: 10, unit: .days) == d("2025-05-05"))
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
        #expect(calendar.deadline(receivedAt: vn("2025-04-29", 14, 59), duration: 0, unit: .sameDay) == d("2025-04-29"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-29", 15, 0), duration: 0, unit: .sameDay) == d("2025-05-05"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-25", 16), duration: 0, unit: .sameDay) == d("2025-04-26"))
        #expect(calendar.deadline(receivedAt: vn("2025-04-26", 10), duration: 0, unit: .sameDay) == d("2025-04-26"))
        let lateUTC = Date(timeIntervalSince1970: 1_738_341_000) // 2025-01-31T16:30:00Z
        #expect(calendar.deadline(receivedAt: lateUTC, duration: 0, unit: .sameDay) == d("2025-02-03"))
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
        #expect(calendar.deadline(receivedAt: instant, duration: 1, unit: .workingDays) == d("2025-02-03"))
        #expect(calendar.deadline(receivedAt: instant, duration: 1, unit: .workingDays, utcOffsetSeconds: 0) == d("2025-01-24"))
    }

    @Test("deadlines are cheap: 20,000 sixty-working-day deadlines well under the budget")
    func performance() throws {
        let calendar = try Self.decided()
        let start = ContinuousClock.now
        var last = d("2000-01-01")
        for i in 0..<20_000 {
            let received = d("2020-01-01").startInstant().addingTimeInterval(Double(i % 4000) * 86_400)
            last = max(last, calendar.deadline(receivedAt: received, duration: 60, unit: .workingDays))
        }
        let elapsed = ContinuousClock.now - start
        #expect(last > d("2030-01-01"))
        // Recomputing the lunar calendar per lookup would take minutes; a table lookup, milliseconds.
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }
}
