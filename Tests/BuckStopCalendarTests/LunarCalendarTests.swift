import BuckStopCalendar
import Testing

@Suite("LunarCalendar")
struct LunarCalendarTests {
    @Test("Tết and Giỗ Tổ for every year of lunar_dates_2000_2030.csv, Vietnam (UTC+7) and China (UTC+8)")
    func referenceTable() throws {
        let rows = try SharedData.lunarRows()
        // The file must cover 2000–2030 (plus 1968, 1969, 1985); an empty read must not pass.
        #expect(Set(2000...2030).isSubset(of: Set(rows.map(\.year))))
        #expect(rows.count >= 34)
        for row in rows {
            #expect(LunarCalendar.tetNguyenDan(year: row.year, timeZoneHours: 7) == row.tetVN, "Tết VN \(row.year)")
            #expect(LunarCalendar.gioToHungVuong(year: row.year, timeZoneHours: 7) == row.gioToVN, "Giỗ Tổ VN \(row.year)")
            #expect(LunarCalendar.tetNguyenDan(year: row.year, timeZoneHours: 8) == row.tetCN, "Tết CN \(row.year)")
            #expect(LunarCalendar.gioToHungVuong(year: row.year, timeZoneHours: 8) == row.gioToCN, "Giỗ Tổ CN \(row.year)")
            #expect(weekdayNames[row.tetVN.isoWeekday - 1] == row.tetVNWeekday, "weekday of Tết \(row.year)")
            #expect(weekdayNames[row.gioToVN.isoWeekday - 1] == row.gioToVNWeekday, "weekday of Giỗ Tổ \(row.year)")
        }
    }

    /// Tết Đinh Hợi 2007: the new moon of 17/2/2007 fell at about 16:14 UTC, i.e. 23:14 in
    /// Hà Nội but 00:14 on 18/2 in Beijing. Source: data/vietnam/README.md, citing
    /// tuvilyso.net (topic 14919) and kientruc2014.com; Hồ Ngọc Đức's tables agree.
    @Test("2007: Vietnam celebrated Tết on 17 February, China on 18 February")
    func tet2007() {
        #expect(LunarCalendar.tetNguyenDan(year: 2007, timeZoneHours: 7) == d("2007-02-17"))
        #expect(LunarCalendar.tetNguyenDan(year: 2007, timeZoneHours: 8) == d("2007-02-18"))
        #expect(LunarCalendar.lunarDate(of: d("2007-02-17"), timeZoneHours: 8) == LunarDate(day: 30, month: 12, year: 2006))
    }

    /// Tết Ất Sửu 1985: a new moon and a solar term fell near midnight, on different
    /// sides of it in Hà Nội and Beijing; that moved the leap month and with it Tết by a
    /// whole month.
    /// Source: data/vietnam/README.md, citing tuvilyso.net (topic 14919) and
    /// zaidap.com; it also explains why the "1984" in a viet-jo.com report is an error.
    @Test("1985: Vietnam celebrated Tết on 21 January, China on 20 February")
    func tet1985() {
        #expect(LunarCalendar.tetNguyenDan(year: 1985, timeZoneHours: 7) == d("1985-01-21"))
        #expect(LunarCalendar.tetNguyenDan(year: 1985, timeZoneHours: 8) == d("1985-02-20"))
        #expect(LunarCalendar.tetNguyenDan(year: 1984, timeZoneHours: 7) == LunarCalendar.tetNguyenDan(year: 1984, timeZoneHours: 8))
    }

    /// Source: data/vietnam/README.md (computed; agrees with python-holidays' table).
    @Test("2009: Giỗ Tổ was Saturday 4 April in Vietnam, 5 April by the Chinese calendar")
    func gioTo2009() {
        #expect(LunarCalendar.gioToHungVuong(year: 2009, timeZoneHours: 7) == d("2009-04-04"))
        #expect(LunarCalendar.gioToHungVuong(year: 2009, timeZoneHours: 8) == d("2009-04-05"))
    }

    @Test("known lunar dates, leap months and impossible dates")
    func knownDates() {
        // New moon 26/3/2009 about 16:06 UTC: 23:06 in Hà Nội, 00:06 on 27/3 in Beijing. The
        // original algorithm's month estimate overshoots here at UTC+8 (regression).
        #expect(LunarCalendar.lunarDate(of: d("2009-03-26"), timeZoneHours: 8) == LunarDate(day: 30, month: 2, year: 2009))
        #expect(LunarCalendar.lunarDate(of: d("2009-03-27"), timeZoneHours: 8) == LunarDate(day: 1, month: 3, year: 2009))
        #expect(LunarCalendar.lunarDate(of: d("2009-03-26"), timeZoneHours: 7) == LunarDate(day: 1, month: 3, year: 2009))
        // holidays.csv: 28/1/2025 was Giao thừa and tháng Chạp had 29 days.
        #expect(LunarCalendar.lunarDate(of: d("2025-01-28")) == LunarDate(day: 29, month: 12, year: 2024))
        #expect(LunarCalendar.lunarDate(of: d("2025-01-29")) == LunarDate(day: 1, month: 1, year: 2025))
        #expect(LunarCalendar.solarDate(of: LunarDate(day: 30, month: 12, year: 2024)) == nil)
        // Ất Tỵ 2025 had a leap sixth month from 25/7 to 22/8; Quý Mão 2023 a leap second month from 22/3.
        #expect(LunarCalendar.lunarDate(of: d("2025-07-25")) == LunarDate(day: 1, month: 6, year: 2025, isLeapMonth: true))
        #expect(LunarCalendar.lunarDate(of: d("2025-07-24")) == LunarDate(day: 30, month: 6, year: 2025))
        #expect(LunarCalendar.lunarDate(of: d("2025-08-23")) == LunarDate(day: 1, month: 7, year: 2025))
        #expect(LunarCalendar.solarDate(of: LunarDate(day: 1, month: 2, year: 2023, isLeapMonth: true)) == d("2023-03-22"))
        #expect(LunarCalendar.solarDate(of: LunarDate(day: 1, month: 5, year: 2025, isLeapMonth: true)) == nil)
        #expect(LunarCalendar.solarDate(of: LunarDate(day: 1, month: 3, year: 2024, isLeapMonth: true)) == nil)
        #expect(LunarCalendar.solarDate(of: LunarDate(day: 0, month: 3, year: 2024)) == nil)
        #expect(LunarCalendar.solarDate(of: LunarDate(day: 1, month: 13, year: 2024)) == nil)
    }

    @Test("lunarDate and solarDate are inverse for every day of 2000–2030, both time zones")
    func roundTrip() {
        for tz in [7.0, 8.0] {
            var previous = LunarCalendar.lunarDate(of: d("1999-12-31"), timeZoneHours: tz)
            var leapMonths = 0
            for jdn in d("2000-01-01").julianDayNumber...d("2030-12-31").julianDayNumber {
                let date = CivilDate(julianDayNumber: jdn)
                let lunar = LunarCalendar.lunarDate(of: date, timeZoneHours: tz)
                #expect(LunarCalendar.solarDate(of: lunar, timeZoneHours: tz) == date, "\(date) → \(lunar)")
                #expect((1...30).contains(lunar.day) && (1...12).contains(lunar.month))
                if lunar.day == 1 {
                    #expect((29...30).contains(previous.day), "month before \(lunar) had \(previous.day) days")
                    if lunar.isLeapMonth {
                        leapMonths += 1
                        #expect(lunar.month == previous.month && !previous.isLeapMonth)
                    } else {
                        #expect(lunar.month == previous.month % 12 + 1)
                        #expect(lunar.year == previous.year + (lunar.month == 1 ? 1 : 0))
                    }
                } else {
                    #expect(
                        lunar.day == previous.day + 1 && lunar.month == previous.month
                            && lunar.isLeapMonth == previous.isLeapMonth && lunar.year == previous.year)
                }
                previous = lunar
            }
            // Leap months in 2000–2030: 2001, 2004, 2006, 2009, 2012, 2014, 2017, 2020,
            // 2023, 2025, 2028 — eleven (the Metonic rate is 7 in 19 years).
            #expect(leapMonths == 11, "time zone \(tz)")
        }
    }
}
