import BuckStopCalendar
import Foundation

/// The period a page or the API is asked for (`from`, `to`: YYYY-MM-DD, Vietnam days, both included): by default the
/// first of January to today. A period of more than 5 years is refused (it would read everything for nothing a person
/// can use); the refusal names the field.
enum PeriodQuery {
    /// A page's form sends a date left empty as an empty value, which means the default; the API's document says a given
    /// date matches YYYY-MM-DD, so there an empty value is malformed (400) and a well-formed period the server will not
    /// count — reversed, too long — is refused as such (422), not as malformed.
    static func parse(from: String?, to: String?, today: CivilDate, api: Bool = false) throws -> (from: CivilDate, to: CivilDate) {
        func day(_ name: String, _ text: String?, _ fallback: CivilDate) throws -> CivilDate {
            guard let text, !(text.isEmpty && !api) else { return fallback }
            guard let d = try? CivilDate(iso: text) else {
                throw RequestRefusal.invalid(Bilingual("\(name) không phải ngày (YYYY-MM-DD)", "\(name) is not a date (YYYY-MM-DD)"), field: name)
            }
            return d
        }
        let first = try day("from", from, CivilDate(year: today.year, month: 1, day: 1) ?? today)
        let last = try day("to", to, today)
        func refused(_ message: Bilingual, field: String) -> RequestRefusal {
            api ? .rejected(message, field: field) : .invalid(message, field: field)
        }
        guard first <= last else { throw refused(Bilingual("Từ ngày sau đến ngày", "from is after to"), field: "from") }
        guard last - first <= 5 * 366 else {
            throw refused(Bilingual("Kỳ số liệu dài quá 5 năm", "the period is longer than 5 years"), field: "to")
        }
        return (first, last)
    }
}
