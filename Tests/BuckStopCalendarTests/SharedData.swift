import BuckStopCalendar
import BuckStopTestSupport
import Foundation
import Testing

/// The shared Vietnamese reference files (`SharedFiles`, `../shared/data/vietnam/`), parsed for the calendar tests.
enum SharedData {
    static func vietnam(_ name: String) throws -> String { try SharedFiles.vietnam(name) }

    static func holidays() throws -> [CalendarDay] {
        try HolidayDecisionFile.parse(vietnam("holidays.csv"))
    }

    struct LunarRow {
        let year: Int
        let tetVN: CivilDate, tetVNWeekday: String
        let gioToVN: CivilDate, gioToVNWeekday: String
        let tetCN: CivilDate, gioToCN: CivilDate
    }

    /// lunar_dates_2000_2030.csv: only the last column (source) is quoted, so the first
    /// nine fields can be split on commas.
    static func lunarRows() throws -> [LunarRow] {
        let lines = try vietnam("lunar_dates_2000_2030.csv").split(whereSeparator: \.isNewline)
        #expect(lines.first?.hasPrefix("year,can_chi,tet_vn,tet_vn_dow,gio_to_vn,gio_to_vn_dow,tet_cn,gio_to_cn") == true)
        return try lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return LunarRow(
                year: try #require(Int(f[0])),
                tetVN: try CivilDate(iso: f[2]), tetVNWeekday: f[3],
                gioToVN: try CivilDate(iso: f[4]), gioToVNWeekday: f[5],
                tetCN: try CivilDate(iso: f[6]), gioToCN: try CivilDate(iso: f[7]))
        }
    }
}

/// `CivilDate` from a literal that is known to be valid.
func d(_ iso: String) -> CivilDate {
    try! CivilDate(iso: iso)
}

/// An instant given as Vietnam local time (UTC+7).
func vn(_ iso: String, _ hour: Int, _ minute: Int = 0) -> Date {
    d(iso).startInstant().addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
}

let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
