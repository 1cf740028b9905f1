import BuckStopCalendar
import Testing

@Suite("VietnamStatutoryHolidays")
struct VietnamStatutoryHolidaysTests {
    @Test("every statutory weekday off in 2023–2026 is also off in the Government's decisions")
    func statutoryDaysAreOffInDecisions() throws {
        let decided = WorkingCalendar(decisions: try SharedData.holidays())
        for year in 2023...2026 {
            let days = VietnamStatutoryHolidays.daysOff(year: year)
            #expect(days.count >= 11, "\(year)")
            for day in days where !day.date.isWeekend {
                #expect(!decided.isWorkingDay(day.date), "\(day.date) \(day.nameVi) is off by statute but worked by decision")
            }
        }
    }

    /// Stronger than the brief's check: the decisions add nothing but swaps (bridge
    /// days), which is what justifies the Tết and 2/9 patterns documented on the type.
    @Test("apart from swaps, the statutory pattern reproduces the weekday days off of 2023–2026 exactly")
    func statutoryPatternMatchesDecisions() throws {
        let rows = try SharedData.holidays()
        for year in 2023...2026 {
            let decided = Set(
                rows.filter {
                    $0.date.year == year && $0.kind.isDayOff && $0.kind != .bridge
                        && $0.status != "unverified" && !$0.date.isWeekend
                }.map(\.date))
            let statutory = Set(VietnamStatutoryHolidays.daysOff(year: year).map(\.date).filter { !$0.isWeekend })
            #expect(
                decided == statutory,
                "\(year): decided-only \(decided.subtracting(statutory).sorted()), statutory-only \(statutory.subtracting(decided).sorted())")
        }
    }

    @Test("2027 agrees with the projection in holidays.csv (both are estimates)")
    func projection2027() throws {
        let projected = Set(
            try SharedData.holidays().filter {
                $0.date.year == 2027 && $0.status == "projected" && $0.kind.isDayOff && !$0.date.isWeekend
            }.map(\.date))
        let statutory = Set(VietnamStatutoryHolidays.daysOff(year: 2027).map(\.date).filter { !$0.isWeekend })
        #expect(projected == statutory)
    }

    @Test("known weekend cases give the next working day off (Đ.111(3))")
    func compensation() {
        let days2023 = VietnamStatutoryHolidays.daysOff(year: 2023)
        let compensatory2023 = days2023.filter { $0.kind == .compensatory }.map(\.date)
        // 1/1 Sun → 2/1; Tết 21–22/1 Sat–Sun → 25, 26/1; Giỗ Tổ 29/4 Sat and 30/4 Sun → 2, 3/5
        // (1/5 Mon is itself a holiday); 2/9 Sat → 4/9 (1/9 Fri is the adjacent day).
        #expect(compensatory2023 == ["2023-01-02", "2023-01-25", "2023-01-26", "2023-05-02", "2023-05-03", "2023-09-04"].map(d))
        #expect(days2023.first { $0.date == d("2023-09-01") }?.nameEn == "National Day (adjacent day)")
        // 2028: 1/1 is a Saturday.
        #expect(VietnamStatutoryHolidays.daysOff(year: 2028).contains { $0.date == d("2028-01-03") && $0.kind == .compensatory })
        // 2024: 2/9 Monday → adjacent day 3/9.
        #expect(VietnamStatutoryHolidays.daysOff(year: 2024).contains { $0.date == d("2024-09-03") && $0.kind == .fixed })
    }

    @Test("structure holds for 1970–2100: 11 holidays, compensations on free weekdays")
    func structure() {
        for year in 1970...2100 {
            let days = VietnamStatutoryHolidays.daysOff(year: year)
            let holidays = days.filter { $0.kind != .compensatory }
            let compensations = days.filter { $0.kind == .compensatory }
            #expect(holidays.count == 11, "\(year)")
            #expect(holidays.filter { $0.kind == .lunar }.count == 6, "\(year)")  // 5 Tết + Giỗ Tổ
            #expect(days.allSatisfy { $0.date.year == year && $0.status == "projected" }, "\(year)")
            #expect(days.map(\.date) == days.map(\.date).sorted(), "\(year)")
            let weekendHolidayDates = Set(holidays.map(\.date).filter(\.isWeekend))
            #expect(compensations.count == weekendHolidayDates.count, "\(year)")
            #expect(Set(days.map(\.date)).count == days.count, "\(year): two rows on one date")
            #expect(compensations.allSatisfy { !$0.date.isWeekend }, "\(year)")
            // Tết: five consecutive days ending on Mùng 3.
            let tet = LunarCalendar.tetNguyenDan(year: year)
            let tetDays = holidays.filter { $0.kind == .lunar }.map(\.date).filter { $0 < tet.adding(days: 3) }
            #expect(tetDays == (-2...2).map { tet.adding(days: $0) }, "\(year)")
        }
    }
}
