/// Why a workbook could not be written. Each case carries what was expected and what was found, so a caller can
/// tell a person which sheet or cell to change without reading this library's source.
public enum XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A workbook with no sheet is not a valid SpreadsheetML package: Excel refuses to open it.
    case noSheets
    /// Excel rejects a workbook whose sheet names break its rules; the name is given as the caller wrote it.
    case sheetNameEmpty
    case sheetNameTooLong(name: String, length: Int, maximum: Int)
    case sheetNameCharacter(name: String, character: Character)
    case sheetNameApostropheAtEdge(name: String)
    /// Sheet names are unique without regard to case: Excel would treat "Cases" and "cases" as one sheet.
    case duplicateSheetName(name: String, clashesWith: String)
    case tooManyRows(sheet: String, count: Int, maximum: Int)
    case tooManyColumns(sheet: String, count: Int, maximum: Int)
    /// SpreadsheetML has no value for NaN or an infinity; writing one makes a file Excel must repair.
    case notFinite(sheet: String, cell: String, value: Double)
    /// ZIPFoundation failed to build the package in memory; its own description is kept for the log.
    case archive(String)

    public var description: String {
        switch self {
        case .noSheets:
            return "a workbook needs at least one sheet; found none"
        case .sheetNameEmpty:
            return "a sheet name must have 1 to \(Sheet.maximumNameLength) characters; found an empty name"
        case .sheetNameTooLong(let name, let length, let maximum):
            return "sheet name \"\(name)\" must have at most \(maximum) characters (UTF-16 units); found \(length)"
        case .sheetNameCharacter(let name, let character):
            let shown = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            return "sheet name \"\(name)\" must not contain [ ] : * ? / \\ or control characters; found \(shown)"
        case .sheetNameApostropheAtEdge(let name):
            return "sheet name \"\(name)\" must not begin or end with an apostrophe; found one there"
        case .duplicateSheetName(let name, let other):
            return "sheet names must be unique regardless of case; \"\(name)\" is the same name as \"\(other)\""
        case .tooManyRows(let sheet, let count, let maximum):
            return "sheet \"\(sheet)\" may have at most \(maximum) rows including the header; found \(count)"
        case .tooManyColumns(let sheet, let count, let maximum):
            return "sheet \"\(sheet)\" may have at most \(maximum) columns; found \(count)"
        case .notFinite(let sheet, let cell, let value):
            return "cell \(cell) of sheet \"\(sheet)\" must be a finite number; found \(value)"
        case .archive(let message):
            return "the spreadsheet's ZIP package could not be written: \(message)"
        }
    }
}
