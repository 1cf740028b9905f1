import BuckStopCalendar
import Foundation
import Testing

@Suite("HolidayDecisionFile")
struct HolidayDecisionFileTests {
    static let header = "date,name_vi,name_en,kind,year,source,dow,status,note\n"
    static let goodRow = "2025-01-01,Tết Dương lịch,New Year's Day,fixed,2025,CV 8726/VPCP-KGVX,Wed,verified,\n"

    @Test("parses the shared holidays.csv")
    func sharedFile() throws {
        let days = try SharedData.holidays()
        #expect(days.count == 77)
        #expect(Set(days.map(\.kind)) == Set(DayKind.allCases))
        #expect(Set(days.map(\.date.year)) == Set(2023...2027))
        let bridge2026 = try #require(days.first { $0.date == d("2026-01-02") })
        #expect(bridge2026.kind == .bridge)
        #expect(bridge2026.nameEn == "Swapped day off (made up Sat 10/1/2026)")
        #expect(bridge2026.source.contains("CV 12729/VPCP-KGVX"))
        // A quoted field with a comma inside survives intact.
        let adjacent2027 = try #require(days.first { $0.date == d("2027-09-03") })
        #expect(adjacent2027.nameVi == "Quốc khánh (ngày liền kề, ước tính)")
        #expect(adjacent2027.status == "projected")
    }

    @Test("RFC 4180 quoting: commas, doubled quotes, line breaks inside fields, CRLF")
    func quoting() throws {
        let text =
            "date,name_vi,name_en,kind,year,source,dow,status,note\r\n"
            + "2025-04-30,\"Ngày Chiến thắng, 30/4\",\"Reunification \"\"Day\"\"\",fixed,2025,\"a\nb\",Wed,verified,\r\n"
            + "\r\n"
            + "2025-04-26,Làm bù,Make-up,makeup_workday,2025,x,Sat,verified,\"\""
        let days = try HolidayDecisionFile.parse(text)
        #expect(days.count == 2)
        #expect(days[0].nameVi == "Ngày Chiến thắng, 30/4")
        #expect(days[0].nameEn == "Reunification \"Day\"")
        #expect(days[0].source == "a\nb")
        #expect(days[1].kind == .makeupWorkday)
    }

    @Test("columns are found by header name; optional columns may be missing")
    func columnOrder() throws {
        let days = try HolidayDecisionFile.parse("status,kind,date,name_en,name_vi,source\nverified,bridge,2026-01-02,Swap,Nghỉ hoán đổi,CV\n")
        #expect(
            days == [CalendarDay(date: d("2026-01-02"), kind: .bridge, nameVi: "Nghỉ hoán đổi", nameEn: "Swap", source: "CV", status: "verified")])
        #expect(
            throws: CalendarError.malformedFile(
                line: 1, column: 6, expected: "a 'source' column in the header", found: "date,name_vi,name_en,kind,year")
        ) {
            try HolidayDecisionFile.parse("date,name_vi,name_en,kind,year\n")
        }
    }

    @Test("a bad date on line 3 is reported at line 3, column 1")
    func badDate() {
        let text = Self.header + Self.goodRow + "2025-02-30,X,X,fixed,2025,src,Sun,verified,\n"
        #expect(throws: CalendarError.malformedFile(line: 3, column: 1, expected: "a date YYYY-MM-DD", found: "2025-02-30")) {
            try HolidayDecisionFile.parse(text)
        }
    }

    @Test("an unknown kind is reported at its column")
    func unknownKind() {
        let text = Self.header + Self.goodRow + Self.goodRow.replacingOccurrences(of: "fixed", with: "holiday")
        #expect(
            throws: CalendarError.malformedFile(
                line: 3, column: 4, expected: "one of fixed, lunar, compensatory, bridge, makeup_workday", found: "holiday")
        ) {
            try HolidayDecisionFile.parse(text)
        }
    }

    @Test("a row with the wrong number of fields names the first missing or extra field")
    func wrongColumnCount() {
        #expect(throws: CalendarError.malformedFile(line: 2, column: 9, expected: "9 fields", found: "8 fields")) {
            try HolidayDecisionFile.parse(Self.header + "2025-01-01,Tết Dương lịch,New Year's Day,fixed,2025,src,Wed,verified\n")
        }
        #expect(throws: CalendarError.malformedFile(line: 3, column: 10, expected: "9 fields", found: "10 fields")) {
            try HolidayDecisionFile.parse(Self.header + Self.goodRow + "2025-01-01,a,b,fixed,2025,src,Wed,verified,,extra\n")
        }
    }

    @Test("an unterminated quote is reported where the quote opened")
    func unterminatedQuote() {
        // The quote opens on line 3 and swallows the line break and line 4.
        let text =
            Self.header + Self.goodRow
            + "2025-04-30,\"Ngày Chiến thắng,Reunification Day,fixed,2025,src,Wed,verified,\n2025-05-01,x,x,fixed,2025,s,Thu,verified,\n"
        #expect(throws: CalendarError.malformedFile(line: 3, column: 2, expected: "closing quote", found: "end of file")) {
            try HolidayDecisionFile.parse(text)
        }
    }

    @Test("line numbers count physical lines, including breaks inside quoted fields")
    func lineNumbersAfterMultilineField() {
        let text =
            Self.header + "2025-01-01,\"Tết\nDương lịch\",New Year,fixed,2025,src,Wed,verified,\n" + "2025-01-02,x,x,fixed,2024,src,Thu,verified,\n"
        #expect(throws: CalendarError.malformedFile(line: 4, column: 5, expected: "2025, the year of 2025-01-02", found: "2024")) {
            try HolidayDecisionFile.parse(text)
        }
    }

    @Test("rows that contradict the calendar are rejected")
    func semanticChecks() {
        // dow must be the real weekday (1/1/2025 was a Wednesday).
        #expect(throws: CalendarError.malformedFile(line: 2, column: 7, expected: "Wed, the weekday of 2025-01-01", found: "Thu")) {
            try HolidayDecisionFile.parse(Self.header + Self.goodRow.replacingOccurrences(of: "Wed", with: "Thu"))
        }
        // A make-up working day on a weekday makes no sense.
        #expect(
            throws: CalendarError.malformedFile(
                line: 2, column: 4, expected: "a weekend date for makeup_workday (2025-04-25 is a Fri)", found: "makeup_workday")
        ) {
            try HolidayDecisionFile.parse(Self.header + "2025-04-25,Làm bù,Make-up,makeup_workday,2025,src,,verified,\n")
        }
        // Nor does a compensatory day on a Sunday.
        #expect(
            throws: CalendarError.malformedFile(
                line: 2, column: 4, expected: "a weekday for compensatory (2025-04-27 is a Sun)", found: "compensatory")
        ) {
            try HolidayDecisionFile.parse(Self.header + "2025-04-27,Nghỉ bù,Comp,compensatory,2025,src,,verified,\n")
        }
        #expect(throws: CalendarError.malformedFile(line: 2, column: 8, expected: "a status (verified, secondary, unverified, projected)", found: ""))
        {
            try HolidayDecisionFile.parse(Self.header + Self.goodRow.replacingOccurrences(of: "verified", with: ""))
        }
    }

    @Test("stray quotes and empty input")
    func syntaxEdges() throws {
        #expect(throws: CalendarError.malformedFile(line: 2, column: 2, expected: "',' or end of line after a closing quote", found: "x")) {
            try HolidayDecisionFile.parse(Self.header + "2025-01-01,\"Tết\"x,a,fixed,2025,s,Wed,verified,\n")
        }
        #expect(throws: CalendarError.malformedFile(line: 2, column: 2, expected: "a quote only around a whole field", found: "T\"")) {
            try HolidayDecisionFile.parse(Self.header + "2025-01-01,T\"ết,a,fixed,2025,s,Wed,verified,\n")
        }
        #expect(throws: CalendarError.malformedFile(line: 1, column: 1, expected: "a header line", found: "empty file")) {
            try HolidayDecisionFile.parse("\n\n")
        }
        #expect(try HolidayDecisionFile.parse(Self.header).isEmpty)
    }
}
