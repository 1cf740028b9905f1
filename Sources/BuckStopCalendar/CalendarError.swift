/// Errors raised when reading dates and holiday-decision files.
///
/// File errors carry a position so that whoever maintains the data can fix the row
/// without guessing: `line` is the 1-based physical line on which the offending record
/// (or quoted field) starts, and `column` is the 1-based *field* number in that record
/// (not a character offset), which is how people read a spreadsheet.
public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidDate(text: String, reason: String)
    case malformedFile(line: Int, column: Int, expected: String, found: String)

    public var description: String {
        switch self {
        case .invalidDate(let text, let reason):
            return "invalid date \"\(text)\": \(reason)"
        case .malformedFile(let line, let column, let expected, let found):
            return "line \(line), column \(column): expected \(expected), found \"\(found)\""
        }
    }
}
