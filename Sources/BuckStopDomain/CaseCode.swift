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

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
