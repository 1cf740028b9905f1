/// The bounds a read stays inside. An .xlsx is a ZIP of XML, so a small upload can claim (or inflate to) gigabytes
/// and a single cell reference can point a million rows down; every bound is checked before the memory is spent.
public struct ReadLimits: Sendable, Equatable {
    /// Bytes inflated from the package in total, counted as they arrive rather than trusted from the ZIP headers.
    public var uncompressedBytes: Int
    /// Highest row number of a cell holding a value, per sheet.
    public var rows: Int
    /// Highest column number of a cell holding a value, per sheet.
    public var columns: Int
    /// Cells kept per sheet, gaps within a row included (they are stored as `.empty`).
    public var cells: Int
    /// Entries of the shared-string table.
    public var sharedStrings: Int

    public init(uncompressedBytes: Int, rows: Int, columns: Int, cells: Int, sharedStrings: Int) {
        self.uncompressedBytes = uncompressedBytes
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.sharedStrings = sharedStrings
    }

    /// Far above any programme annex (a few hundred rows, a dozen columns) and far below what would hurt the server.
    public static let `default` = ReadLimits(
        uncompressedBytes: 50_000_000, rows: 100_000, columns: 1_000, cells: 2_000_000, sharedStrings: 1_000_000)
}

/// Why a workbook could not be read. Each case says what was expected, what was found and where (part, sheet,
/// cell), so the person who uploaded the file can be told what to fix; `vietnamese` says the same for them.
public enum XLSXReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which bound of `ReadLimits` was passed.
    public enum Limit: String, Sendable {
        case uncompressedBytes, rows, columns, cells, sharedStrings
    }

    /// The bytes are not a ZIP archive at all (a CSV or an old .xls renamed, say).
    case notZip
    /// A part the package must have, or one its relationships point to, is not in the archive.
    case missingPart(path: String, referencedBy: String)
    /// A part could not be inflated (corrupt or unsupported compression); ZIPFoundation's message is kept for the log.
    case unreadablePart(path: String, message: String)
    /// A part is not well-formed XML, or carries a DTD (no SpreadsheetML part has one; entities are refused outright).
    case badXML(path: String, line: Int, message: String)
    /// The workbook lists no worksheet.
    case noSheets
    case badSharedStringIndex(sheet: String, cell: String, found: String, count: Int)
    /// `found` is the `r` attribute as written.
    case badCellReference(sheet: String, found: String)
    /// A numeric or boolean cell whose `<v>` is not a number.
    case badCellValue(sheet: String, cell: String, expected: String, found: String)
    /// `sheet` and `cell` are nil where the bound is not about one sheet (bytes, shared strings).
    case limitExceeded(Limit, maximum: Int, sheet: String?, cell: String?)

    public var description: String {
        switch self {
        case .notZip:
            return "expected an .xlsx file (a ZIP package); found bytes that are not a ZIP archive"
        case .missingPart(let path, let by):
            return "expected part \(path) (referenced by \(by)) in the package; found none"
        case .unreadablePart(let path, let message):
            return "part \(path) could not be decompressed: \(message)"
        case .badXML(let path, let line, let message):
            return "part \(path), line \(line): expected well-formed XML without a DTD; found \(message)"
        case .noSheets:
            return "expected at least one worksheet in the workbook; found none"
        case .badSharedStringIndex(let sheet, let cell, let found, let count):
            return "sheet \"\(sheet)\", cell \(cell): expected a shared string index from 0 to \(count - 1); found \"\(found)\""
        case .badCellReference(let sheet, let found):
            return "sheet \"\(sheet)\": expected a cell reference such as \"F7\" (columns A to XFD, rows 1 to 1048576); found \"\(found)\""
        case .badCellValue(let sheet, let cell, let expected, let found):
            return "sheet \"\(sheet)\", cell \(cell): expected \(expected); found \"\(found)\""
        case .limitExceeded(let limit, let maximum, let sheet, let cell):
            return Self.place(sheet: sheet, cell: cell, vietnamese: false) + "expected at most \(maximum) \(limit.english); found more"
        }
    }

    public var vietnamese: String {
        switch self {
        case .notZip:
            return "cần tệp .xlsx (gói ZIP); nhận được dữ liệu không phải tệp ZIP"
        case .missingPart(let path, let by):
            return "cần phần \(path) (được \(by) tham chiếu) trong tệp; không tìm thấy"
        case .unreadablePart(let path, let message):
            return "không giải nén được phần \(path): \(message)"
        case .badXML(let path, let line, let message):
            return "phần \(path), dòng \(line): cần XML hợp lệ, không có DTD; nhận \(message)"
        case .noSheets:
            return "cần ít nhất một trang tính trong tệp; không có trang nào"
        case .badSharedStringIndex(let sheet, let cell, let found, let count):
            return "trang \"\(sheet)\", ô \(cell): cần chỉ số chuỗi dùng chung từ 0 đến \(count - 1); nhận \"\(found)\""
        case .badCellReference(let sheet, let found):
            return "trang \"\(sheet)\": cần địa chỉ ô dạng \"F7\" (cột A đến XFD, dòng 1 đến 1048576); nhận \"\(found)\""
        case .badCellValue(let sheet, let cell, let expected, let found):
            return "trang \"\(sheet)\", ô \(cell): cần \(Self.vietnameseValue(expected)); nhận \"\(found)\""
        case .limitExceeded(let limit, let maximum, let sheet, let cell):
            return Self.place(sheet: sheet, cell: cell, vietnamese: true) + "tối đa \(maximum) \(limit.vietnamese); tệp vượt quá giới hạn này"
        }
    }

    static func place(sheet: String?, cell: String?, vietnamese: Bool) -> String {
        var out = ""
        if let sheet { out += (vietnamese ? "trang \"" : "sheet \"") + sheet + "\"" }
        if let cell { out += (out.isEmpty ? "" : ", ") + (vietnamese ? "ô " : "cell ") + cell }
        return out.isEmpty ? "" : out + ": "
    }

    static func vietnameseValue(_ expected: String) -> String {
        switch expected {
        case "a number": return "một số"
        case "0 or 1": return "0 hoặc 1"
        default: return expected
        }
    }
}

extension XLSXReadError.Limit {
    var english: String {
        switch self {
        case .uncompressedBytes: return "bytes of uncompressed content"
        case .rows: return "rows"
        case .columns: return "columns"
        case .cells: return "cells in one sheet"
        case .sharedStrings: return "shared strings"
        }
    }

    var vietnamese: String {
        switch self {
        case .uncompressedBytes: return "byte nội dung sau giải nén"
        case .rows: return "dòng"
        case .columns: return "cột"
        case .cells: return "ô trong một trang tính"
        case .sharedStrings: return "chuỗi dùng chung"
        }
    }
}
