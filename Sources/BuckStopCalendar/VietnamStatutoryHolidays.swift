/// The days off that Bộ luật Lao động 2019 implies for a year the Government has not yet
/// decided, for civil servants (Saturday and Sunday are the weekly rest days).
///
/// Statute: Đ.112(1) gives 1/1; Tết Âm lịch 5 days; Giỗ Tổ 10/3 âm lịch; 30/4; 1/5;
/// 2/9 plus one adjacent day. Đ.112(3) leaves the exact Tết days and the 2/9 adjacent
/// day to the Prime Minister each year, so those two are patterns, chosen to reproduce
/// the decisions of 2023–2026 (checked in the tests against holidays.csv):
///
/// - **Tết**: the last two days of the old lunar year (28–29 or 29–30 tháng Chạp) plus
///   Mùng 1–3. This is what 2023 (20–24/1), 2024 (8–12/2), 2025 (27–31/1) and, once
///   compensation is applied, 2026 (15–19/2 + nghỉ bù 20/2) amount to. The other common
///   reading, "Giao thừa + Mùng 1–4", would have given 27/1/2023 and 15/2/2024 off,
///   which the decisions did not.
/// - **2/9 adjacent day**: the one that joins the break to the weekend — 3/9 when 2/9 is
///   a Monday (2024) or a Thursday, 1/9 otherwise (2022 Fri, 2023 Sat, 2025 Tue,
///   2026 Wed); for a Sunday 2/9 the adjacent day is 3/9 (Monday), which yields the same
///   days off as 1/9 plus compensation.
/// - **Compensation** (Đ.111(3)): each holiday on a Saturday or Sunday gives the next
///   weekday that is neither a holiday nor already a compensation day, in date order.
///
/// Not included: swaps (bridge days / make-up Saturdays), which only a decision creates,
/// and 24/11 (Ngày Văn hóa Việt Nam), whose addition to Đ.112 is not confirmed.
/// Rows carry `status` "projected", as in holidays.csv.
public enum VietnamStatutoryHolidays {
    public static let source =
        "BLLĐ 2019 Đ.112, Đ.111(3); lunar dates: Hồ Ngọc Đức algorithm UTC+7; Tết and 2/9 patterns per BuckStop VietnamStatutoryHolidays"
    public static let status = "projected"

    public static func daysOff(year: Int) -> [CalendarDay] {
        guard let newYear = CivilDate(year: year, month: 1, day: 1),
            (2...9998).contains(year)
        else { return [] }
        var holidays: [CalendarDay] = []
        func add(_ date: CivilDate, _ kind: DayKind, _ vi: String, _ en: String) {
            holidays.append(CalendarDay(date: date, kind: kind, nameVi: vi, nameEn: en, source: source, status: status))
        }

        add(newYear, .fixed, "Tết Dương lịch", "New Year's Day")

        let tet = LunarCalendar.tetNguyenDan(year: year)
        let eve = tet.adding(days: -1)
        let lastDay = LunarCalendar.lunarDate(of: eve).day  // 29 or 30 tháng Chạp
        add(
            tet.adding(days: -2), .lunar, "\(lastDay - 1) tháng Chạp (Tết Âm lịch)",
            "Lunar New Year holiday (\(lastDay - 1)th of 12th month)")
        add(eve, .lunar, "\(lastDay) tháng Chạp - Giao thừa", "Lunar New Year's Eve")
        add(tet, .lunar, "Mùng 1 Tết Nguyên đán", "Lunar New Year's Day")
        add(tet.adding(days: 1), .lunar, "Mùng 2 Tết", "Lunar New Year day 2")
        add(tet.adding(days: 2), .lunar, "Mùng 3 Tết", "Lunar New Year day 3")

        add(
            LunarCalendar.gioToHungVuong(year: year), .lunar,
            "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hung Kings Commemoration Day")
        add(CivilDate(year: year, month: 4, day: 30)!, .fixed, "Ngày Chiến thắng", "Reunification Day")
        add(CivilDate(year: year, month: 5, day: 1)!, .fixed, "Ngày Quốc tế Lao động", "International Labour Day")

        let nationalDay = CivilDate(year: year, month: 9, day: 2)!
        let adjacentOffset = [1, 4, 7].contains(nationalDay.isoWeekday) ? 1 : -1
        add(
            nationalDay.adding(days: adjacentOffset), .fixed,
            "Quốc khánh (ngày liền kề)", "National Day (adjacent day)")
        add(nationalDay, .fixed, "Quốc khánh", "National Day")

        holidays.sort { $0.date < $1.date }
        var taken = Set(holidays.map(\.date))
        var compensated: Set<CivilDate> = []
        var compensations: [CalendarDay] = []
        // Two holidays on one weekend date (none occurs 1970–2100) still rest one day.
        for holiday in holidays where holiday.date.isWeekend && compensated.insert(holiday.date).inserted {
            var day = holiday.date.adding(days: 1)
            while day.isWeekend || taken.contains(day) {
                day = day.adding(days: 1)
            }
            taken.insert(day)
            compensations.append(
                CalendarDay(
                    date: day, kind: .compensatory,
                    nameVi: "Nghỉ bù \(holiday.nameVi)", nameEn: "Compensatory day (\(holiday.nameEn))",
                    source: source, status: status))
        }
        return (holidays + compensations).sorted { $0.date < $1.date }
    }
}
