import BuckStopCalendar
import Foundation
import Testing

@Suite("CivilDate")
struct CivilDateTests {
    @Test("rejects dates that do not exist")
    func validation() {
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)  // century, not leap
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)  // 400-year rule
        #expect(CivilDate(year: 2025, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2025, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 0, day: 1) == nil)
        #expect(CivilDate(year: 2025, month: 1, day: 0) == nil)
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil)
    }

    @Test("parses strict ISO dates and explains failures")
    func isoParsing() throws {
        let date = try CivilDate(iso: "2025-01-29")
        #expect((date.year, date.month, date.day) == (2025, 1, 29))
        #expect(throws: CalendarError.invalidDate(text: "2025-02-30", reason: "no such day in the Gregorian calendar")) {
            try CivilDate(iso: "2025-02-30")
        }
        for bad in ["2025-1-29", "29/01/2025", "2025-01-29T00:00", "", "２０２５-01-29", "2025/01/29", "+025-01-29"] {
            #expect(throws: CalendarError.invalidDate(text: bad, reason: "expected YYYY-MM-DD")) {
                try CivilDate(iso: bad)
            }
        }
    }

    @Test("Julian Day Numbers and weekdays match known anchors")
    func julianDayNumber() {
        #expect(d("2000-01-01").julianDayNumber == 2_451_545)
        #expect(d("1970-01-01").julianDayNumber == 2_440_588)
        #expect(d("1858-11-17").julianDayNumber == 2_400_001)  // MJD 0 starts at noon of JD 2400000.5
        #expect(d("1970-01-01").isoWeekday == 4)  // Thursday
        #expect(d("2025-01-29").isoWeekday == 3)  // Tết Ất Tỵ, Wednesday
        #expect(d("2026-01-10").isoWeekday == 6)  // make-up Saturday
        #expect(d("2023-01-22").isoWeekday == 7)  // Sunday
    }

    @Test("the day number of an instant is the Julian Day Number of its local date, at and around local midnight")
    func dayNumberOfAnInstant() throws {
        // 2026-01-01 00:00 in Vietnam is 2025-12-31 17:00 UTC: one millisecond before it is still the 31st.
        let midnight = Int64(d("2026-01-01").startInstant().timeIntervalSince1970 * 1000)
        #expect(CivilDate.julianDayNumber(ofMillis: midnight) == d("2026-01-01").julianDayNumber)
        #expect(CivilDate.julianDayNumber(ofMillis: midnight - 1) == d("2025-12-31").julianDayNumber)
        #expect(CivilDate.julianDayNumber(ofMillis: midnight, utcOffsetSeconds: 0) == d("2025-12-31").julianDayNumber)
        // Before 1970 (negative instants) and far out, against the date the instant's own initialiser gives.
        for millis: Int64 in [-86_400_001, -25_200_000, -25_200_001, -1, 0, 1_700_000_000_123, 253_402_300_799_000, midnight + 86_399_999] {
            let date = CivilDate(Date(timeIntervalSince1970: Double(millis) / 1000))
            #expect(CivilDate.julianDayNumber(ofMillis: millis) == date.julianDayNumber, "\(millis)")
        }
        // An instant at the end of Int64's range counts its day without overflowing.
        _ = CivilDate.julianDayNumber(ofMillis: .max)
    }

    @Test("JDN round-trips and consecutive days advance the calendar, 1900–2100")
    func roundTrip() {
        var previous = d("1899-12-31")
        for jdn in d("1900-01-01").julianDayNumber...d("2100-12-31").julianDayNumber {
            let date = CivilDate(julianDayNumber: jdn)
            #expect(date.julianDayNumber == jdn)
            #expect(CivilDate(year: date.year, month: date.month, day: date.day) == date)
            #expect(date - previous == 1)
            #expect(date.isoWeekday == previous.isoWeekday % 7 + 1)
            if date.day != 1 {
                #expect(date.day == previous.day + 1 && date.month == previous.month)
            }
            previous = date
        }
    }

    @Test("arithmetic and ordering")
    func arithmetic() {
        #expect(d("2024-02-28").adding(days: 1) == d("2024-02-29"))
        #expect(d("2024-12-31").adding(days: 1) == d("2025-01-01"))
        #expect(d("2025-03-01").adding(days: -1) == d("2025-02-28"))
        #expect(d("2026-01-01") - d("2025-01-01") == 365)
        #expect(d("2025-01-01") - d("2026-01-01") == -365)
        #expect(d("2025-01-01") < d("2025-01-02"))
        #expect([d("2025-05-01"), d("2024-12-31"), d("2025-04-30")].sorted() == [d("2024-12-31"), d("2025-04-30"), d("2025-05-01")])
    }

    @Test("the local date of an instant uses UTC+7 by default")
    func instants() {
        // 2025-01-31 16:59:59 UTC is 23:59:59 in Hà Nội; one second later it is Saturday 1/2.
        let beforeMidnight = Date(timeIntervalSince1970: 1_738_342_799)
        #expect(CivilDate(beforeMidnight) == d("2025-01-31"))
        #expect(CivilDate(beforeMidnight.addingTimeInterval(1)) == d("2025-02-01"))
        #expect(CivilDate(beforeMidnight.addingTimeInterval(1), utcOffsetSeconds: 0) == d("2025-01-31"))
        #expect(d("2025-02-01").startInstant() == beforeMidnight.addingTimeInterval(1))
        #expect(d("1970-01-01").startInstant(utcOffsetSeconds: 0) == Date(timeIntervalSince1970: 0))
        // Before the epoch the division must floor, not truncate.
        #expect(CivilDate(Date(timeIntervalSince1970: -1), utcOffsetSeconds: 0) == d("1969-12-31"))
    }

    @Test("text and JSON form is YYYY-MM-DD")
    func codable() throws {
        #expect(d("0987-06-05").description == "0987-06-05")
        #expect(d("2026-12-31").description == "2026-12-31")
        #expect(d("0001-10-09").description == "0001-10-09")
        let data = try JSONEncoder().encode([d("2026-01-10")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-01-10"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [d("2026-01-10")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }

    @Test("the last day of a month, across leap years and December; dd/mm/yyyy as documents write it")
    func monthEndsAndVietnameseText() {
        let d = { (y: Int, m: Int, day: Int) in CivilDate(year: y, month: m, day: day)! }
        #expect(d(2028, 2, 10).lastDayOfMonth == d(2028, 2, 29))
        #expect(d(2026, 2, 1).lastDayOfMonth == d(2026, 2, 28))
        #expect(d(2026, 12, 31).lastDayOfMonth == d(2026, 12, 31))
        #expect(d(2026, 4, 30).lastDayOfMonth == d(2026, 4, 30))
        #expect(d(2026, 3, 5).dayMonthYear == "05/03/2026")
        #expect(d(2026, 11, 30).dayMonthYear == "30/11/2026")
    }
}
