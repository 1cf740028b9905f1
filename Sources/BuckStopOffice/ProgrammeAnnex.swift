import BuckStopCalendar
import Foundation

/// One task of a programme annex (phụ lục chương trình, kế hoạch): who leads it, who helps, what it delivers, by when.
public struct ProgrammeAnnexRow: Sendable, Equatable {
    /// The spreadsheet row the task was read from, so a later problem can still point at the file.
    public var row: Int
    /// The STT as written ("1", "1.2", "a"): annexes number sub-tasks, so it is text, not an integer.
    public var number: String?
    /// The group heading above the task ("I. CẢI CÁCH THỂ CHẾ"), if the annex has one.
    public var section: String?
    public var title: String
    /// One body: a task with two leads has nobody accountable, which is why such a row is refused.
    public var lead: String
    public var collaborators: [String]
    public var responsiblePerson: String?
    public var due: CivilDate
    public var product: String
    public var note: String?
    /// Where the lead, the collaborators and the responsible person were read (column letter and heading), so a name
    /// that matches no body or official can be placed as exactly as a malformed cell.
    public var places: [AnnexField: AnnexPlace]

    public init(
        row: Int, number: String?, section: String?, title: String, lead: String, collaborators: [String], responsiblePerson: String?,
        due: CivilDate, product: String, note: String?, places: [AnnexField: AnnexPlace] = [:]
    ) {
        self.row = row
        self.number = number
        self.section = section
        self.title = title
        self.lead = lead
        self.collaborators = collaborators
        self.responsiblePerson = responsiblePerson
        self.due = due
        self.product = product
        self.note = note
        self.places = places
    }

    /// Two rows are the same task when what they say is the same; where the cells sat is not part of it.
    public static func == (a: Self, b: Self) -> Bool {
        a.row == b.row && a.number == b.number && a.section == b.section && a.title == b.title && a.lead == b.lead
            && a.collaborators == b.collaborators && a.responsiblePerson == b.responsiblePerson && a.due == b.due && a.product == b.product
            && a.note == b.note
    }
}

/// The cells of a row whose names are matched against the organisation after parsing.
public enum AnnexField: Sendable, Hashable {
    case lead, collaborators, responsible
}

/// A column of the annex: its letter and its heading as written.
public struct AnnexPlace: Sendable, Equatable {
    public var column: String?
    public var header: String?

    public init(column: String?, header: String?) {
        self.column = column
        self.header = header
    }
}

/// One problem in an annex, placed as the official sees the file: `row` is the spreadsheet row (1-based, or the
/// CSV record number, which is what a spreadsheet opening the CSV shows), `column` the column letter, `header` the
/// column's heading as written in the file (or its usual name when the column is missing).
public struct AnnexError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// No row among the first ones carries the headings of an annex table.
        case noHeaderRow
        case missingColumn
        /// Two columns mean the same thing; which one holds the value would be a guess.
        case duplicateColumn(otherColumn: String)
        case requiredValue
        /// Not a due date in any accepted form, or a day that does not exist ("31/02/2026").
        case date(found: String)
        case severalLeads(found: [String])
        /// The CSV text itself is malformed (an unclosed quote, not UTF-8).
        case csv(expected: String, found: String)
        case tooManyRows(maximum: Int)
        case tooManyColumns(maximum: Int)
        /// A body the organisation does not have (matched by name or code, diacritics and case ignored).
        case unknownBody(found: String)
        /// A responsible person who is not an official of the lead body.
        case unknownOfficial(found: String, body: String)
    }

    public let row: Int
    public let column: String?
    public let header: String?
    public let problem: Problem

    public init(row: Int, column: String?, header: String?, problem: Problem) {
        self.row = row
        self.column = column
        self.header = header
        self.problem = problem
    }

    /// What the cell should have held, in English.
    public var expected: String {
        switch problem {
        case .noHeaderRow:
            return "a header row with the columns \(AnnexColumn.required.map(\.name).joined(separator: ", "))"
        case .missingColumn: return "a column headed \"\(header ?? "")\""
        case .duplicateColumn: return "one column with this meaning"
        case .requiredValue: return "a value"
        case .date: return "a date as dd/mm/yyyy, yyyy-mm-dd, an Excel date, \"Quý II/2026\", \"Tháng 3/2026\" or \"Năm 2026\""
        case .severalLeads: return "exactly one lead body (one task has one lead; list the others under collaborating bodies)"
        case .csv(let expected, _): return expected
        case .tooManyRows(let maximum): return "at most \(maximum) rows"
        case .tooManyColumns(let maximum): return "at most \(maximum) columns"
        case .unknownBody: return "the name or code of a body of the organisation (buckstop org show lists them)"
        case .unknownOfficial(_, let body): return "an official of \(body), by name or id"
        }
    }

    /// What was there, in English.
    public var found: String {
        switch problem {
        case .noHeaderRow, .missingColumn: return "none"
        case .duplicateColumn(let other): return "the same column again in column \(other)"
        case .requiredValue: return "an empty cell"
        case .date(let text): return "'\(text)'"
        case .severalLeads(let names): return "\(names.count): " + names.map { "'\($0)'" }.joined(separator: ", ")
        case .csv(_, let found): return found
        case .tooManyRows, .tooManyColumns: return "more"
        case .unknownBody(let text), .unknownOfficial(let text, _): return "'\(text)'"
        }
    }

    public var description: String {
        "\(place(vietnamese: false)): expected \(expected); found \(found)"
    }

    /// The same for the official who made the file, e.g. "dòng 7, cột F (Thời hạn hoàn thành): cần ngày dạng
    /// dd/mm/yyyy, …; nhận '31/02/2026'".
    public var vietnamese: String {
        let need: String
        let got: String
        switch problem {
        case .noHeaderRow:
            need = "dòng tiêu đề có các cột " + AnnexColumn.required.map(\.name).joined(separator: ", ")
            got = "không thấy"
        case .missingColumn:
            need = "cột có tiêu đề \"\(header ?? "")\""
            got = "không có"
        case .duplicateColumn(let other):
            need = "chỉ một cột với ý nghĩa này"
            got = "cột \(other) trùng ý nghĩa"
        case .requiredValue:
            need = "có giá trị"
            got = "ô trống"
        case .date(let text):
            need = "ngày dạng dd/mm/yyyy, yyyy-mm-dd, ô ngày của Excel, \"Quý II/2026\", \"Tháng 3/2026\" hoặc \"Năm 2026\""
            got = "'\(text)'"
        case .severalLeads(let names):
            need = "đúng một cơ quan chủ trì (mỗi nhiệm vụ một cơ quan chủ trì; các cơ quan khác ghi ở cột phối hợp)"
            got = "\(names.count) cơ quan: " + names.map { "'\($0)'" }.joined(separator: ", ")
        case .csv(let expected, let found):
            need = expected
            got = found
        case .tooManyColumns(let maximum):
            need = "tối đa \(maximum) cột"
            got = "nhiều hơn"
        case .tooManyRows(let maximum):
            need = "tối đa \(maximum) dòng"
            got = "nhiều hơn"
        case .unknownBody(let text):
            need = "tên hoặc mã một cơ quan, đơn vị trong hệ thống"
            got = "'\(text)'"
        case .unknownOfficial(let text, let body):
            need = "một cán bộ của \(body), theo họ tên hoặc mã"
            got = "'\(text)'"
        }
        return "\(place(vietnamese: true)): cần \(need); nhận \(got)"
    }

    private func place(vietnamese: Bool) -> String {
        var out = (vietnamese ? "dòng " : "row ") + String(row)
        if let column { out += (vietnamese ? ", cột " : ", column ") + column }
        if let header { out += " (\(header))" }
        return out
    }
}

/// Every problem found in an annex, in file order, so the official can fix the file in one go. `truncated` says
/// that more problems were found than `errors` holds.
public struct AnnexErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public let errors: [AnnexError]
    public let truncated: Bool

    public var description: String {
        errors.map(\.description).joined(separator: "\n") + (truncated ? "\n(more problems not shown)" : "")
    }

    public var vietnamese: String {
        errors.map(\.vietnamese).joined(separator: "\n") + (truncated ? "\n(còn lỗi khác chưa liệt kê)" : "")
    }
}

/// The columns of an annex, each with the headings agencies use for it.
enum AnnexColumn: CaseIterable {
    case number, title, lead, collaborators, responsible, due, product, note

    static let required: [AnnexColumn] = [.title, .lead, .due, .product]

    /// The usual heading, for messages about a missing column.
    var name: String {
        switch self {
        case .number: return "STT"
        case .title: return "Nội dung nhiệm vụ"
        case .lead: return "Cơ quan chủ trì"
        case .collaborators: return "Cơ quan phối hợp"
        case .responsible: return "Người chịu trách nhiệm"
        case .due: return "Thời hạn hoàn thành"
        case .product: return "Sản phẩm"
        case .note: return "Ghi chú"
        }
    }

    /// Headings as `AnnexText.key` gives them.
    var synonyms: Set<String> {
        switch self {
        case .number: return ["stt", "tt", "so tt", "so thu tu"]
        case .title: return ["noi dung nhiem vu", "ten nhiem vu", "nhiem vu", "noi dung", "noi dung cong viec", "ten nhiem vu de an"]
        case .lead: return ["co quan chu tri", "don vi chu tri", "chu tri", "co quan don vi chu tri", "co quan chu tri thuc hien"]
        case .collaborators: return ["co quan phoi hop", "don vi phoi hop", "phoi hop", "co quan don vi phoi hop"]
        case .responsible: return ["nguoi chiu trach nhiem", "nguoi phu trach", "lanh dao phu trach"]
        case .due: return ["thoi han hoan thanh", "thoi han", "thoi gian hoan thanh", "tien do hoan thanh"]
        case .product: return ["san pham", "san pham du kien", "san pham dau ra", "ket qua san pham", "hinh thuc san pham"]
        case .note: return ["ghi chu"]
        }
    }
}

/// Reads a programme annex from a sheet (`XLSXReader`) or from CSV text into tasks, or into every problem found.
public enum ProgrammeAnnex {
    /// Problems collected before giving up: enough to fix a file in one pass, few enough to read.
    public static let defaultMaximumErrors = 50
    /// Annexes often start with a title block ("PHỤ LỤC … Kèm theo Quyết định số …") above the table.
    static let headerSearchRows = 15

    /// `sheet.header` is spreadsheet row 1 and `sheet.rows[i]` row `i + 2`, as `XLSXReader` gives them.
    public static func rows(from sheet: Sheet, maximumErrors: Int = defaultMaximumErrors) throws(AnnexErrors) -> [ProgrammeAnnexRow] {
        let grid = [sheet.header.map { $0.isEmpty ? Cell.empty : Cell.text($0) }] + sheet.rows
        return try rows(grid: grid, maximumErrors: maximumErrors)
    }

    /// CSV (RFC 4180) in UTF-8, with or without a byte order mark, separated by commas or (as Excel saves it under
    /// Vietnamese regional settings) semicolons; every field is text, so Excel serial numbers are not accepted
    /// here (a CSV saved by Excel carries the date as shown).
    public static func rows(csv data: Data, maximumErrors: Int = defaultMaximumErrors, maximumRows: Int = ReadLimits.default.rows)
        throws(AnnexErrors) -> [ProgrammeAnnexRow]
    {
        let grid: [[Cell]]
        do {
            grid = try AnnexCSV.parse(data, maximumRows: maximumRows, maximumColumns: ReadLimits.default.columns).map {
                $0.map { $0.isEmpty ? Cell.empty : Cell.text($0) }
            }
        } catch {
            throw AnnexErrors(errors: [error], truncated: false)
        }
        return try rows(grid: grid, maximumErrors: maximumErrors)
    }

    /// `grid[0]` is spreadsheet row 1.
    static func rows(grid: [[Cell]], maximumErrors: Int) throws(AnnexErrors) -> [ProgrammeAnnexRow] {
        var errors: [AnnexError] = []
        var truncated = false
        func report(_ error: AnnexError) {
            if errors.count < max(maximumErrors, 1) { errors.append(error) } else { truncated = true }
        }

        // The header row: the first row naming a title column.
        guard
            let headerIndex = grid.prefix(headerSearchRows).firstIndex(where: { row in
                row.contains { AnnexColumn.title.synonyms.contains(AnnexText.key($0.text)) }
            })
        else {
            throw AnnexErrors(errors: [AnnexError(row: 1, column: nil, header: nil, problem: .noHeaderRow)], truncated: false)
        }
        let headerRow = headerIndex + 1
        var columns: [AnnexColumn: (index: Int, header: String)] = [:]
        for (i, cell) in grid[headerIndex].enumerated() {
            let key = AnnexText.key(cell.text)
            guard let column = AnnexColumn.allCases.first(where: { $0.synonyms.contains(key) }) else { continue }
            // A heading wrapped onto two lines ("Thời hạn\nhoàn thành") is named on one in messages.
            let header = AnnexText.clean(cell.text).replacingOccurrences(of: "\n", with: " ")
            if let other = columns[column] {
                report(
                    AnnexError(
                        row: headerRow, column: CellReference.columnName(i + 1), header: header,
                        problem: .duplicateColumn(otherColumn: CellReference.columnName(other.index + 1))))
                continue
            }
            columns[column] = (i, header)
        }
        for column in AnnexColumn.required where columns[column] == nil {
            report(AnnexError(row: headerRow, column: nil, header: column.name, problem: .missingColumn))
        }
        guard errors.isEmpty else { throw AnnexErrors(errors: errors, truncated: truncated) }

        var tasks: [ProgrammeAnnexRow] = []
        var section: String?
        for index in grid.indices where index > headerIndex {
            let rowNumber = index + 1
            let cells = grid[index]
            func value(_ column: AnnexColumn) -> Cell {
                guard let at = columns[column]?.index, at < cells.count else { return .empty }
                return cells[at]
            }
            func text(_ column: AnnexColumn) -> String? {
                let t = AnnexText.clean(value(column).text)
                return t.isEmpty ? nil : t
            }
            func place(_ column: AnnexColumn) -> (column: String?, header: String?) {
                guard let c = columns[column] else { return (nil, column.name) }
                return (CellReference.columnName(c.index + 1), c.header)
            }
            func fail(_ column: AnnexColumn, _ problem: AnnexError.Problem) {
                let p = place(column)
                report(AnnexError(row: rowNumber, column: p.column, header: p.header, problem: problem))
            }

            guard cells.contains(where: { !AnnexText.clean($0.text).isEmpty }) else { continue }
            // The "(1) (2) (3)" row under the headings that numbers the columns.
            if cells.allSatisfy({ AnnexText.isColumnNumber($0.text) }) { continue }

            let number = text(.number)
            let title = text(.title)
            let leadText = text(.lead)
            let collaborators = text(.collaborators)
            let dueCell = value(.due)
            let product = text(.product)
            if leadText == nil, collaborators == nil, product == nil, AnnexText.clean(dueCell.text).isEmpty,
                AnnexText.isHeading(number: number, title: title)
            {
                section = [number, title].compactMap { $0 }.joined(separator: number?.hasSuffix(".") == true ? " " : ". ")
                continue
            }

            if title == nil { fail(.title, .requiredValue) }
            var lead: String?
            if let leadText {
                let names = AnnexText.list(leadText)
                if names.count > 1 { fail(.lead, .severalLeads(found: names)) } else { lead = names.first }
            } else {
                fail(.lead, .requiredValue)
            }
            var due: CivilDate?
            if case .empty = dueCell {
                fail(.due, .requiredValue)
            } else if AnnexText.clean(dueCell.text).isEmpty {
                fail(.due, .requiredValue)
            } else if let date = AnnexDate.parse(dueCell) {
                due = date
            } else {
                fail(.due, .date(found: AnnexText.clean(dueCell.text)))
            }
            if product == nil { fail(.product, .requiredValue) }
            guard let title, let lead, let due, let product else { continue }
            tasks.append(
                ProgrammeAnnexRow(
                    row: rowNumber, number: number, section: section, title: title, lead: lead,
                    collaborators: collaborators.map(AnnexText.list) ?? [], responsiblePerson: text(.responsible), due: due,
                    product: product, note: text(.note),
                    places: [
                        .lead: AnnexPlace(column: place(.lead).column, header: place(.lead).header),
                        .collaborators: AnnexPlace(column: place(.collaborators).column, header: place(.collaborators).header),
                        .responsible: AnnexPlace(column: place(.responsible).column, header: place(.responsible).header),
                    ]))
        }
        guard errors.isEmpty else { throw AnnexErrors(errors: errors, truncated: truncated) }
        return tasks
    }
}

extension Cell {
    /// The cell as an official reads it; numbers in their shortest form.
    var text: String { headerText }
}

enum AnnexText {
    /// Surrounding whitespace off, and runs of spaces inside one line made one (Excel users align with spaces).
    static func clean(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\r" }).joined(separator: " ") }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// A heading as compared: lower case, without diacritics (đ included, which is a letter of its own rather than
    /// d with a mark, so folding alone keeps it), a trailing "(…)" note dropped, punctuation and extra spaces gone.
    static func key(_ text: String) -> String {
        var t = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d")
        t = t.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        if t.hasSuffix(")"), let open = t.lastIndex(of: "("), open != t.startIndex { t = String(t[..<open]) }
        let words = t.unicodeScalars.split { !($0.properties.isAlphabetic || $0.properties.numericType != nil) }
        return words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
    }

    /// Names separated by semicolons, line breaks or commas. A comma separates two names only when what follows
    /// starts with a capital letter, as the name of a body does ("Sở …", "UBND …", "Văn phòng …"): commas also sit
    /// inside one name ("UBND các huyện, thị xã, thành phố", "Các sở, ban, ngành"), and splitting those would turn
    /// one collaborator into three and one lead into "several".
    static func list(_ text: String) -> [String] {
        var names: [String] = []
        for piece in text.split(whereSeparator: { $0 == ";" || $0.isNewline }) {
            for part in piece.split(separator: ",").map({ clean(String($0)) }) where !part.isEmpty {
                if let last = names.last, let first = part.first, !first.isUppercase, !last.isEmpty {
                    names[names.count - 1] = last + ", " + part
                } else {
                    names.append(part)
                }
            }
            names.append("")  // a semicolon or line break always ends a name
        }
        return names.filter { !$0.isEmpty }
    }

    /// A row with only a number and a title is a group heading when it looks like one: numbered as groups are
    /// (I, II, A, B, or not at all) or written in capitals ("1. CẢI CÁCH THỂ CHẾ"). A row numbered like a task
    /// ("3") with a lower-case title is a task whose lead, due date and product are missing, and is reported so.
    static func isHeading(number: String?, title: String?) -> Bool {
        guard number != nil || title != nil else { return false }
        if let title, !title.contains(where: \.isLowercase) { return true }
        guard let first = number?.first else { return true }
        return !first.isNumber
    }

    /// "(1)", "(2)": the column numbers some annexes put under the headings; an empty cell fits too.
    static func isColumnNumber(_ text: String) -> Bool {
        let t = clean(text)
        guard !t.isEmpty else { return true }
        guard t.hasPrefix("("), t.hasSuffix(")"), t.count > 2 else { return false }
        return t.dropFirst().dropLast().allSatisfy(\.isNumber)
    }
}

/// Due dates in the forms annexes use.
enum AnnexDate {
    /// Excel's 1900 date system counts 1900-01-01 as 1 and, copying Lotus 1-2-3, has a 29 February 1900 (serial
    /// 60) that never was; from 61 on, serial n is n days after 1899-12-30.
    static let excelEpochJDN = 2_415_019  // 1899-12-30
    static let largestSerial = 2_958_465  // 9999-12-31

    static func parse(_ cell: Cell) -> CivilDate? {
        switch cell {
        case .integer(let n): return serial(n)
        case .number(let x):
            guard x.isFinite, x >= 1, x < Double(largestSerial + 1) else { return nil }
            return serial(Int(x.rounded(.down)))  // the fraction is the time of day
        case .text(let t): return text(t)
        case .empty: return nil
        }
    }

    static func serial(_ n: Int) -> CivilDate? {
        guard n >= 1, n <= largestSerial, n != 60 else { return nil }
        return CivilDate(julianDayNumber: excelEpochJDN + (n < 60 ? n + 1 : n))
    }

    static func text(_ raw: String) -> CivilDate? {
        let key = AnnexText.key(raw)
        let t = AnnexText.clean(raw)
        // dd/MM/yyyy, d/M/yyyy (also with - or .), and ISO yyyy-MM-dd.
        let parts = t.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            let numbers = parts.compactMap { Int($0) }
            guard numbers.count == 3 else { return nil }
            if parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2 {
                return CivilDate(year: numbers[0], month: numbers[1], day: numbers[2])
            }
            if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
                return CivilDate(year: numbers[2], month: numbers[1], day: numbers[0])
            }
            return nil
        }
        let words = key.split(separator: " ").map(String.init)
        // "Quý II/2026", "Quý 2 năm 2026".
        if words.first == "quy" {
            let rest = words.dropFirst().filter { $0 != "nam" }
            guard rest.count == 2, let quarter = quarterNumber(rest[rest.startIndex]), let year = year(rest[rest.startIndex + 1]) else {
                return nil
            }
            return CivilDate(year: year, month: quarter * 3, day: 1)?.lastDayOfMonth
        }
        // "Tháng 3/2026", "Tháng 3 năm 2026".
        if words.first == "thang" {
            let rest = words.dropFirst().filter { $0 != "nam" }
            guard rest.count == 2, let month = Int(rest[rest.startIndex]), (1...12).contains(month), let year = year(rest[rest.startIndex + 1])
            else { return nil }
            return CivilDate(year: year, month: month, day: 1)?.lastDayOfMonth
        }
        // "Năm 2026".
        if words.count == 2, words[0] == "nam", let year = year(words[1]) {
            return CivilDate(year: year, month: 12, day: 31)
        }
        return nil
    }

    static func quarterNumber(_ word: String) -> Int? {
        switch word {
        case "i", "1": return 1
        case "ii", "2": return 2
        case "iii", "3": return 3
        case "iv", "4": return 4
        default: return nil
        }
    }

    static func year(_ word: String) -> Int? {
        guard word.count == 4, let y = Int(word), y >= 1 else { return nil }
        return y
    }

}

/// RFC 4180 for annexes. Not `BuckStopCalendar`'s reader: that one skips blank lines and counts physical lines,
/// while an annex error must name the row a spreadsheet shows, where a blank line is a row and a line break inside
/// a quoted cell ("Sở Tư pháp\nSở Tài chính") is not.
enum AnnexCSV {
    static func parse(_ data: Data, maximumRows: Int, maximumColumns: Int) throws(AnnexError) -> [[String]] {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AnnexError(
                row: 1, column: nil, header: nil,
                problem: .csv(expected: "UTF-8 text (in Excel: Save As \"CSV UTF-8\")", found: "bytes that are not UTF-8"))
        }
        let delimiter = self.delimiter(text)
        var records: [[String]] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var afterQuote = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        func endRecord() throws(AnnexError) {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            guard records.count < maximumRows else {
                throw AnnexError(row: records.count + 1, column: nil, header: nil, problem: .tooManyRows(maximum: maximumRows))
            }
            records.append(fields)
            fields = []
        }
        var quoteRow = 1
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = scalars.next()
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                quoteRow = records.count + 1
            case delimiter:
                guard fields.count + 1 < maximumColumns else {
                    throw AnnexError(
                        row: records.count + 1, column: CellReference.columnName(maximumColumns + 1), header: nil,
                        problem: .tooManyColumns(maximum: maximumColumns))
                }
                fields.append(String(field))
                field = String.UnicodeScalarView()
                afterQuote = false
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                try endRecord()
                afterQuote = false
            default:
                guard !afterQuote, scalar != "\"" else {
                    throw AnnexError(
                        row: records.count + 1, column: CellReference.columnName(fields.count + 1), header: nil,
                        problem: .csv(expected: "a quote only around a whole field", found: "'\(String(field))\(Character(scalar))'"))
                }
                field.append(scalar)
            }
        }
        if quoted {
            throw AnnexError(
                row: quoteRow, column: CellReference.columnName(fields.count + 1), header: nil,
                problem: .csv(expected: "a closing quote", found: "the end of the file"))
        }
        if !field.isEmpty || !fields.isEmpty || afterQuote { try endRecord() }
        return records
    }

    /// Excel saves "CSV" with the list separator of the computer's region, which is a semicolon wherever the
    /// comma is the decimal mark (Vietnamese settings among them). The header line decides: semicolons and no
    /// comma outside quotes mean semicolons.
    static func delimiter(_ text: String) -> Unicode.Scalar {
        var quoted = false
        var commas = 0
        var semicolons = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted.toggle()
            case "," where !quoted: commas += 1
            case ";" where !quoted: semicolons += 1
            case "\n" where !quoted, "\r" where !quoted:
                return semicolons > 0 && commas == 0 ? ";" : ","
            default: break
            }
        }
        return semicolons > 0 && commas == 0 ? ";" : ","
    }
}
