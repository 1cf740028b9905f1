/// Reader for Government holiday decisions in the holidays.csv format
/// (`date,name_vi,name_en,kind,year,source,dow,status,note`, RFC 4180 quoting).
///
/// Columns are located by header name, so their order may change and unknown columns
/// are ignored; `date`, `name_vi`, `name_en`, `kind`, `source` and `status` are required.
/// Rows are checked beyond their syntax, because a wrong row silently moves deadlines:
/// `year` (when present) must be the year of `date`, `dow` (when present and not empty)
/// must be the real weekday, a `makeup_workday` must fall on a weekend, and a
/// `compensatory` or `bridge` day must be a weekday.
public enum HolidayDecisionFile {
    public static let header = ["date", "name_vi", "name_en", "kind", "year", "source", "dow", "status", "note"]
    static let requiredColumns = ["date", "name_vi", "name_en", "kind", "source", "status"]
    static let weekdayAbbreviations = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Errors name the line and column (`CalendarError.malformedFile`); see `CalendarError`
    /// for how lines and columns are numbered.
    public static func parse(_ csvText: String) throws -> [CalendarDay] {
        let records = try CSVRecords.parse(csvText)
        guard let headerRecord = records.first else {
            throw CalendarError.malformedFile(line: 1, column: 1, expected: "a header line", found: "empty file")
        }
        let names = headerRecord.fields.map { $0.trimmingSpaces() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil {
            index[name] = position
        }
        for required in requiredColumns where index[required] == nil {
            throw CalendarError.malformedFile(
                line: headerRecord.line, column: names.count + 1,
                expected: "a '\(required)' column in the header", found: names.joined(separator: ","))
        }

        var days: [CalendarDay] = []
        days.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            days.append(try row(record, columns: index, width: names.count))
        }
        return days
    }

    private static func row(_ record: CSVRecord, columns: [String: Int], width: Int) throws -> CalendarDay {
        let fields = record.fields
        guard fields.count == width else {
            throw CalendarError.malformedFile(
                line: record.line, column: min(fields.count, width) + 1,
                expected: "\(width) fields", found: "\(fields.count) fields")
        }
        func fail(_ column: String, _ expected: String) -> CalendarError {
            let position = columns[column]!
            return .malformedFile(line: record.line, column: position + 1, expected: expected, found: fields[position])
        }
        func value(_ column: String) -> String? {
            columns[column].map { fields[$0] }
        }

        guard let date = try? CivilDate(iso: value("date")!.trimmingSpaces()) else {
            throw fail("date", "a date YYYY-MM-DD")
        }
        guard let kind = DayKind(rawValue: value("kind")!.trimmingSpaces()) else {
            throw fail("kind", "one of " + DayKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let year = value("year"), Int(year.trimmingSpaces()) != date.year {
            throw fail("year", "\(date.year), the year of \(date)")
        }
        let weekday = weekdayAbbreviations[date.isoWeekday - 1]
        if let dow = value("dow")?.trimmingSpaces(), !dow.isEmpty, dow != weekday {
            throw fail("dow", "\(weekday), the weekday of \(date)")
        }
        switch kind {
        case .makeupWorkday where !date.isWeekend:
            throw fail("kind", "a weekend date for makeup_workday (\(date) is a \(weekday))")
        case .compensatory where date.isWeekend, .bridge where date.isWeekend:
            throw fail("kind", "a weekday for \(kind.rawValue) (\(date) is a \(weekday))")
        default:
            break
        }
        let nameVi = value("name_vi")!
        guard !nameVi.trimmingSpaces().isEmpty else { throw fail("name_vi", "a Vietnamese name") }
        let status = value("status")!.trimmingSpaces()
        guard !status.isEmpty else { throw fail("status", "a status (verified, secondary, unverified, projected)") }
        return CalendarDay(
            date: date, kind: kind, nameVi: nameVi, nameEn: value("name_en")!,
            source: value("source")!, status: status)
    }
}

extension String {
    /// Trims ASCII spaces and tabs only; Foundation-free so the target stays lean.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
