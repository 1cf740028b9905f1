import Foundation

/// A day in the proleptic Gregorian calendar, with no time and no time zone.
///
/// Deadlines in Vietnamese law are counted in whole days, so the domain works with
/// civil dates and converts instants only at the edge (`init(_:utcOffsetSeconds:)`).
/// The Julian Day Number is stored because every day-counting operation is arithmetic
/// on it. `init?(year:month:day:)` and `init(iso:)` accept years 1...9999 so that the
/// ISO text form always has four digits and round-trips through `Codable`.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    private let jdn: Int

    /// JDN of 1970-01-01, the Unix epoch.
    static let unixEpochJDN = 2_440_588

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.jdn = CivilDate.jdn(year: year, month: month, day: day)
    }

    /// Parses exactly `YYYY-MM-DD`; no time, no offset, no two-digit years.
    public init(iso: String) throws {
        let scalars = Array(iso.unicodeScalars)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let scalar = scalars[index]
                guard scalar >= "0", scalar <= "9" else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            return value
        }
        guard scalars.count == 10, scalars[4] == "-", scalars[7] == "-",
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { throw CalendarError.invalidDate(text: iso, reason: "expected YYYY-MM-DD") }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            throw CalendarError.invalidDate(text: iso, reason: "no such day in the Gregorian calendar")
        }
        self = date
    }

    /// Any Julian Day Number; no range check, so `adding(days:)` never fails.
    public init(julianDayNumber: Int) {
        // Richards' algorithm (Explanatory Supplement to the Astronomical Almanac),
        // Gregorian variant, with floor division so that it is total on Int.
        let a = julianDayNumber + 32044
        let b = floorDiv(4 * a + 3, 146_097)
        let c = a - floorDiv(146_097 * b, 4)
        let d = floorDiv(4 * c + 3, 1461)
        let e = c - floorDiv(1461 * d, 4)
        let m = floorDiv(5 * e + 2, 153)
        self.day = e - floorDiv(153 * m + 2, 5) + 1
        self.month = m + 3 - 12 * floorDiv(m, 10)
        self.year = 100 * b + d - 4800 + floorDiv(m, 10)
        self.jdn = julianDayNumber
    }

    /// The local date of an instant. Vietnam has used UTC+7 without daylight saving
    /// since 1975, hence the default.
    public init(_ instant: Date, utcOffsetSeconds: Int = 7 * 3600) {
        let localSeconds = instant.timeIntervalSince1970 + Double(utcOffsetSeconds)
        let days = Int((localSeconds / 86_400).rounded(.down))
        self.init(julianDayNumber: CivilDate.unixEpochJDN + days)
    }

    /// The Julian Day Number of the local date of an instant given in milliseconds since 1970, the day `init(_:)` gives,
    /// without working out its year, month and day: what a count over millions of instants compares (working them
    /// out was a sixth of a period report's counting).
    public static func julianDayNumber(ofMillis millis: Int64, utcOffsetSeconds: Int = 7 * 3600) -> Int {
        let (local, overflow) = Int(millis).addingReportingOverflow(utcOffsetSeconds * 1000)
        return unixEpochJDN &+ floorDiv(overflow ? Int(millis) : local, 86_400_000)
    }

    public var julianDayNumber: Int { jdn }

    /// 1 = Monday ... 7 = Sunday (ISO 8601). JDN 0 was a Monday.
    public var isoWeekday: Int { floorMod(jdn, 7) + 1 }

    /// Saturday or Sunday: the weekly rest days of the civil service (40-hour week).
    public var isWeekend: Bool { isoWeekday >= 6 }

    public func adding(days: Int) -> CivilDate {
        CivilDate(julianDayNumber: jdn + days)
    }

    /// The last day of this date's month (a programme's "Tháng 3/2026", a quarter's end).
    public var lastDayOfMonth: CivilDate {
        let firstOfNext = CivilDate(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1) ?? self
        return firstOfNext.adding(days: -1)
    }

    /// dd/mm/yyyy, the way Vietnamese documents and annexes write a date.
    public var dayMonthYear: String { pad(day, 2) + "/" + pad(month, 2) + "/" + pad(year, 4) }

    public static func - (lhs: CivilDate, rhs: CivilDate) -> Int {
        lhs.jdn - rhs.jdn
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.jdn < rhs.jdn
    }

    /// Local midnight at the start of this date, as an instant.
    public func startInstant(utcOffsetSeconds: Int = 7 * 3600) -> Date {
        let seconds = (jdn - CivilDate.unixEpochJDN) * 86_400 - utcOffsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// ISO 8601 (YYYY-MM-DD), written digit by digit: the ledger writer formats due dates for every projection row it
    /// saves, and building it from padded substrings showed in its profile.
    public var description: String {
        guard (0...9999).contains(year) else {
            let sign = year < 0 ? "-" : ""
            return sign + pad(abs(year), 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            func digit(_ value: Int) -> UInt8 { UInt8(truncatingIfNeeded: 0x30 + value) }
            buffer[0] = digit(year / 1000)
            buffer[1] = digit(year / 100 % 10)
            buffer[2] = digit(year / 10 % 10)
            buffer[3] = digit(year % 10)
            buffer[4] = 0x2D
            buffer[5] = digit(month / 10)
            buffer[6] = digit(month % 10)
            buffer[7] = 0x2D
            buffer[8] = digit(day / 10)
            buffer[9] = digit(day % 10)
            return 10
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try CivilDate(iso: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: String(describing: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Helpers

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func jdn(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + floorDiv(y, 4) - floorDiv(y, 100)
            + floorDiv(y, 400) - 32045
    }
}

@inline(__always)
func floorDiv(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always)
func floorMod(_ a: Int, _ b: Int) -> Int {
    a - floorDiv(a, b) * b
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
