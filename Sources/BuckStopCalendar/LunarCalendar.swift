import Foundation

/// A date in the Vietnamese (or Chinese) lunisolar calendar.
///
/// `year` is the Gregorian year in which the lunar year begins (Tết), so 10/3 of lunar
/// year 2025 is in April 2025. `isLeapMonth` marks the intercalary month (tháng nhuận)
/// that repeats the number of the month before it.
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    public let day: Int
    public let month: Int
    public let year: Int
    public let isLeapMonth: Bool

    public init(day: Int, month: Int, year: Int, isLeapMonth: Bool = false) {
        self.day = day
        self.month = month
        self.year = year
        self.isLeapMonth = isLeapMonth
    }

    /// Vietnamese style: "10/3/2025", "15/6 nhuận/2025".
    public var description: String {
        "\(day)/\(month)\(isLeapMonth ? " nhuận" : "")/\(year)"
    }
}

/// Conversion between Gregorian and lunar dates with Hồ Ngọc Đức's algorithm
/// (informatik.uni-leipzig.de/~duc/amlich/calrules.html).
///
/// Why this algorithm and a time-zone parameter: the Vietnamese calendar is computed
/// for UTC+7 (QĐ 121-CP/1967), the Chinese one for UTC+8. A new moon or solar term that
/// falls between 16:00 and 17:00 UTC lands on different days, which is why Tết differed
/// in 1968, 1969, 1985 (a whole month), 2007 and 2030. Lookup tables copied from Chinese
/// sources are therefore wrong for Vietnam; this computes rather than tabulates.
///
/// Astronomy: mean new moon plus the main periodic terms (Meeus, ch. 49, truncated as in
/// the original) and the Sun's apparent longitude to about 0.01°. Accurate for roughly
/// 1800–2199, like the original. JDNs here are proleptic Gregorian (the original
/// switches to the Julian calendar before 1582, irrelevant for administrative dates).
public enum LunarCalendar {
    public static func lunarDate(of date: CivilDate, timeZoneHours: Double = 7) -> LunarDate {
        let tz = timeZoneHours
        let dayNumber = date.julianDayNumber
        // The original tries lunations k+1 then k; when a new moon falls just after local
        // midnight the estimate k can itself be one too late (e.g. 26/3/2009 at UTC+8 came
        // out as day 0), so step back until the month has started.
        var k = Int(((Double(dayNumber) - 2_415_021.076998695) / synodicMonth).rounded(.down)) + 1
        var monthStart = newMoonDay(k, tz)
        while monthStart > dayNumber {
            k -= 1
            monthStart = newMoonDay(k, tz)
        }
        var a11 = lunarMonth11(date.year, tz)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = date.year
            a11 = lunarMonth11(date.year - 1, tz)
        } else {
            lunarYear = date.year + 1
            b11 = lunarMonth11(date.year + 1, tz)
        }
        let lunarDay = dayNumber - monthStart + 1
        let diff = Int((Double(monthStart - a11) / 29).rounded(.down))
        var isLeap = false
        var lunarMonth = diff + 11
        if b11 - a11 > 365 {
            let leapMonthDiff = leapMonthOffset(a11, tz)
            if diff >= leapMonthDiff {
                lunarMonth = diff + 10
                if diff == leapMonthDiff { isLeap = true }
            }
        }
        if lunarMonth > 12 { lunarMonth -= 12 }
        if lunarMonth >= 11 && diff < 4 { lunarYear -= 1 }
        return LunarDate(day: lunarDay, month: lunarMonth, year: lunarYear, isLeapMonth: isLeap)
    }

    /// `nil` when the lunar date does not exist: month outside 1...12, a leap flag on a
    /// month that is not intercalary that year, or a day beyond the month's 29 or 30.
    public static func solarDate(of lunar: LunarDate, timeZoneHours: Double = 7) -> CivilDate? {
        let tz = timeZoneHours
        guard (1...12).contains(lunar.month), lunar.day >= 1, lunar.day <= 30,
            (2...9998).contains(lunar.year)
        else { return nil }
        let a11: Int
        let b11: Int
        if lunar.month < 11 {
            a11 = lunarMonth11(lunar.year - 1, tz)
            b11 = lunarMonth11(lunar.year, tz)
        } else {
            a11 = lunarMonth11(lunar.year, tz)
            b11 = lunarMonth11(lunar.year + 1, tz)
        }
        let k = Int((0.5 + (Double(a11) - 2_415_021.076998695) / synodicMonth).rounded(.down))
        var offset = lunar.month - 11
        if offset < 0 { offset += 12 }
        if b11 - a11 > 365 {
            let leapOffset = leapMonthOffset(a11, tz)
            var leapMonth = leapOffset - 2
            if leapMonth < 0 { leapMonth += 12 }
            if lunar.isLeapMonth && lunar.month != leapMonth {
                return nil
            } else if lunar.isLeapMonth || offset >= leapOffset {
                offset += 1
            }
        } else if lunar.isLeapMonth {
            return nil
        }
        let monthStart = newMoonDay(k + offset, tz)
        let nextMonthStart = newMoonDay(k + offset + 1, tz)
        guard lunar.day <= nextMonthStart - monthStart else { return nil }
        return CivilDate(julianDayNumber: monthStart + lunar.day - 1)
    }

    /// Mùng 1 tháng Giêng of the lunar year that starts in Gregorian `year`.
    public static func tetNguyenDan(year: Int, timeZoneHours: Double = 7) -> CivilDate {
        // Month 1 can never be intercalary (it would need a month without a major solar
        // term right after month 12), so the non-leap month 1 always exists.
        solarDate(of: LunarDate(day: 1, month: 1, year: year), timeZoneHours: timeZoneHours)!
    }

    /// Giỗ Tổ Hùng Vương, 10/3 âm lịch (the first month 3 if month 3 is doubled).
    public static func gioToHungVuong(year: Int, timeZoneHours: Double = 7) -> CivilDate {
        solarDate(of: LunarDate(day: 10, month: 3, year: year), timeZoneHours: timeZoneHours)!
    }

    // MARK: - Hồ Ngọc Đức's astronomical kernel

    static let synodicMonth = 29.530588853

    /// Julian day (fractional, UT) of the k-th new moon after 1900-01-01.
    static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT: Double
        if t < -11 {
            deltaT = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        } else {
            deltaT = -0.000278 + 0.000265 * t + 0.000262 * t2
        }
        return jd1 + c1 - deltaT
    }

    /// Apparent longitude of the Sun in radians, [0, 2π), at Julian day `jdn` (UT).
    static func sunLongitude(_ jdn: Double) -> Double {
        let t = (jdn - 2_451_545.0) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var l = (l0 + dl) * dr
        l -= Double.pi * 2 * (l / (Double.pi * 2)).rounded(.down)
        return l
    }

    /// Which of the 12 major-term sectors (0...11) the Sun is in at the start of local day.
    static func sunLongitudeSector(_ dayNumber: Int, _ tz: Double) -> Int {
        Int((sunLongitude(Double(dayNumber) - 0.5 - tz / 24) / Double.pi * 6).rounded(.down))
    }

    /// Local day (JDN) of the k-th new moon.
    static func newMoonDay(_ k: Int, _ tz: Double) -> Int {
        Int((newMoon(k) + 0.5 + tz / 24).rounded(.down))
    }

    /// Start (JDN) of lunar month 11, the month containing the winter solstice, that
    /// begins in or before December of `year`.
    static func lunarMonth11(_ year: Int, _ tz: Double) -> Int {
        let off = CivilDate.jdn(year: year, month: 12, day: 31) - 2_415_021
        let k = Int((Double(off) / synodicMonth).rounded(.down))
        var nm = newMoonDay(k, tz)
        if sunLongitudeSector(nm, tz) >= 9 {
            nm = newMoonDay(k - 1, tz)
        }
        return nm
    }

    /// Offset (in months after month 11 starting at `a11`) of the leap month: the first
    /// month with no major solar term.
    static func leapMonthOffset(_ a11: Int, _ tz: Double) -> Int {
        let k = Int(((Double(a11) - 2_415_021.076998695) / synodicMonth + 0.5).rounded(.down))
        var last = 0
        var i = 1
        var arc = sunLongitudeSector(newMoonDay(k + i, tz), tz)
        repeat {
            last = arc
            i += 1
            arc = sunLongitudeSector(newMoonDay(k + i, tz), tz)
        } while arc != last && i < 14
        return i - 1
    }
}
