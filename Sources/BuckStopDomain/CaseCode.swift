import BuckStopCalendar

/// Mã hồ sơ: agency code, receipt date (yyMMdd, Vietnam time) and the agency's daily sequence,
/// e.g. `STP-251123-0042`. Unique per agency and day, readable over the phone.
public enum CaseCode {
    public static func make(agencyCode: String, date: CivilDate, sequence: Int) -> CaseID {
        let yy = date.year % 100
        let mm = date.month
        let dd = date.day
        let datePart = pad(yy, 2) + pad(mm, 2) + pad(dd, 2)
        return CaseID("\(agencyCode)-\(datePart)-\(pad(sequence, 4))")
    }

    /// The agency, day and sequence of a code in this form (`STP-251123-0042`); nil for any other code (an
    /// imported system's own, a programme's `…-CTR-2026-01`). Years are read as 20yy, as `make` writes them.
    public static func parse(_ code: CaseID) -> (agencyCode: String, date: CivilDate, sequence: Int)? {
        let parts = code.rawValue.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].count == 6, parts[2].count >= 4, parts[2].count <= 9,
            parts[1].allSatisfy(\.isASCIIDigit), parts[2].allSatisfy(\.isASCIIDigit),
            let yymmdd = Int(parts[1]), let sequence = Int(parts[2]), sequence >= 1,
            let date = CivilDate(year: 2000 + yymmdd / 10000, month: yymmdd / 100 % 100, day: yymmdd % 100)
        else { return nil }
        return (String(parts[0]), date, sequence)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
