import Foundation
import ZIPFoundation

/// One cell's value. Numbers stay numbers so that a spreadsheet can sum, sort and chart them; text is always
/// stored as a string (shared strings), never as a formula, so nothing a citizen typed can run in Excel and no
/// apostrophe trick (as in CSV) is needed.
public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    /// No `<c>` element at all, which readers show as blank (an empty string would be a zero-length text value).
    case empty
}

/// One worksheet: a bold header row that stays in view while scrolling, then the rows.
public struct Sheet: Sendable, Equatable {
    /// Excel's limit on a sheet name, in UTF-16 units.
    public static let maximumNameLength = 31

    public var name: String
    public var header: [String]
    public var rows: [[Cell]]

    public init(name: String, header: [String], rows: [[Cell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }
}

/// An Office Open XML spreadsheet (ECMA-376, SpreadsheetML) built in memory. The package holds only the parts a
/// reader needs (content types, relationships, workbook, styles, shared strings, one part per sheet), so the same
/// bytes open in Excel, LibreOffice, Numbers and openpyxl.
public struct Workbook: Sendable, Equatable {
    public var sheets: [Sheet]

    public init(sheets: [Sheet]) {
        self.sheets = sheets
    }

    /// Entries carry a fixed date so that the same workbook always gives the same bytes (a download can then be
    /// compared or cached); the date inside a ZIP says nothing a reader of an export needs.
    static let entryDate = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    /// The .xlsx file's bytes.
    public func data() throws(XLSXError) -> Data {
        try validate()
        var strings = SharedStrings()
        var parts: [(path: String, xml: String)] = []
        var sheetParts: [String] = []
        for (i, sheet) in sheets.enumerated() {
            sheetParts.append(try SheetXML.worksheet(sheet, selected: i == 0, strings: &strings))
        }
        parts.append(("[Content_Types].xml", PackageXML.contentTypes(sheetCount: sheets.count)))
        parts.append(("_rels/.rels", PackageXML.rootRelationships))
        parts.append(("xl/workbook.xml", PackageXML.workbook(sheetNames: sheets.map(\.name))))
        parts.append(("xl/_rels/workbook.xml.rels", PackageXML.workbookRelationships(sheetCount: sheets.count)))
        parts.append(("xl/styles.xml", PackageXML.styles))
        parts.append(("xl/sharedStrings.xml", strings.xml))
        for (i, xml) in sheetParts.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", xml)) }
        return try Self.zip(bytes: parts.map { ($0.path, Data($0.xml.utf8)) })
    }

    /// Excel's rules for sheet names and sizes, checked before anything is written so a refused workbook costs
    /// nothing and the error names the sheet.
    func validate() throws(XLSXError) {
        guard !sheets.isEmpty else { throw .noSheets }
        var seen: [String: String] = [:]
        for sheet in sheets {
            let name = sheet.name
            guard !name.isEmpty else { throw .sheetNameEmpty }
            guard name.utf16.count <= Sheet.maximumNameLength else {
                throw .sheetNameTooLong(name: name, length: name.utf16.count, maximum: Sheet.maximumNameLength)
            }
            if let bad = name.first(where: { c in
                "[]:*?/\\".contains(c) || c.unicodeScalars.contains { !SpreadsheetText.isAllowedInXML($0) || $0.value < 0x20 }
            }) {
                throw .sheetNameCharacter(name: name, character: bad)
            }
            guard name.first != "'" && name.last != "'" else { throw .sheetNameApostropheAtEdge(name: name) }
            let key = name.lowercased()
            if let other = seen[key] { throw .duplicateSheetName(name: name, clashesWith: other) }
            seen[key] = name
            let rowCount = sheet.rows.count + 1
            guard rowCount <= CellReference.maximumRows else {
                throw .tooManyRows(sheet: name, count: rowCount, maximum: CellReference.maximumRows)
            }
            let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
            guard columns <= CellReference.maximumColumns else {
                throw .tooManyColumns(sheet: name, count: columns, maximum: CellReference.maximumColumns)
            }
        }
    }

    /// An Office Open XML package (a ZIP of parts) in memory; shared by workbooks and Word documents.
    static func zip(bytes parts: [(path: String, bytes: Data)]) throws(XLSXError) -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            for part in parts {
                let bytes = part.bytes
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: entryDate,
                    compressionMethod: .deflate
                ) { (position: Int64, size: Int) -> Data in
                    let start = Int(position)
                    return bytes.subdata(in: start..<min(start + size, bytes.count))
                }
            }
            guard let data = archive.data else { throw XLSXError.archive("the in-memory archive returned no bytes") }
            return data
        } catch let error as XLSXError {
            throw error
        } catch {
            throw .archive(String(describing: error))
        }
    }
}

/// Text cells go to one table and cells refer to it by index: Excel's own layout, and repeated names (the same
/// unit or official on every row) are stored once.
struct SharedStrings {
    private var index: [String: Int] = [:]
    private var ordered: [String] = []
    private var references = 0

    mutating func id(_ text: String) -> Int {
        references += 1
        if let i = index[text] { return i }
        index[text] = ordered.count
        ordered.append(text)
        return ordered.count - 1
    }

    var xml: String {
        var out = PackageXML.declaration
        out += "<sst xmlns=\"\(PackageXML.mainNamespace)\" count=\"\(references)\" uniqueCount=\"\(ordered.count)\">"
        for s in ordered {
            // Leading or trailing spaces and line breaks would be dropped by readers without xml:space.
            let preserve =
                s.first.map(\.isWhitespace) == true || s.last.map(\.isWhitespace) == true
                || s.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\t" }
            out += preserve ? "<si><t xml:space=\"preserve\">" : "<si><t>"
            out += SpreadsheetText.cellXML(s)
            out += "</t></si>"
        }
        out += "</sst>"
        return out
    }
}

enum SheetXML {
    /// Widths in Excel's unit (one digit of the default font), from the longest line in each column; kept between
    /// a narrow minimum so a header stays legible and a maximum so one long explanation does not push the rest off
    /// the screen.
    static let minimumWidth = 6.0
    static let maximumWidth = 60.0

    static func worksheet(_ sheet: Sheet, selected: Bool, strings: inout SharedStrings) throws(XLSXError) -> String {
        let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
        var longest = Array(repeating: 0, count: columns)
        var data = "<sheetData>"
        // The header row.
        data += "<row r=\"1\">"
        for (c, title) in sheet.header.enumerated() {
            let text = SpreadsheetText.cellText(title)
            longest[c] = max(longest[c], displayLength(text) + 1)  // bold is wider
            guard !text.isEmpty else { continue }
            data += "<c r=\"\(CellReference.name(row: 1, column: c + 1))\" s=\"1\" t=\"s\"><v>\(strings.id(text))</v></c>"
        }
        data += "</row>"
        for (r, row) in sheet.rows.enumerated() {
            let rowNumber = r + 2
            data += "<row r=\"\(rowNumber)\">"
            for (c, cell) in row.enumerated() {
                let ref = CellReference.name(row: rowNumber, column: c + 1)
                switch cell {
                case .empty:
                    continue
                case .text(let raw):
                    let text = SpreadsheetText.cellText(raw)
                    guard !text.isEmpty else { continue }
                    longest[c] = max(longest[c], displayLength(text))
                    data += "<c r=\"\(ref)\" t=\"s\"><v>\(strings.id(text))</v></c>"
                case .integer(let n):
                    let text = String(n)
                    longest[c] = max(longest[c], text.count)
                    data += "<c r=\"\(ref)\"><v>\(text)</v></c>"
                case .number(let x):
                    guard x.isFinite else { throw .notFinite(sheet: sheet.name, cell: ref, value: x) }
                    let text = numberText(x)
                    longest[c] = max(longest[c], text.count)
                    data += "<c r=\"\(ref)\"><v>\(text)</v></c>"
                }
            }
            data += "</row>"
        }
        data += "</sheetData>"

        let last = CellReference.name(row: sheet.rows.count + 1, column: max(columns, 1))
        var out = PackageXML.declaration
        out += "<worksheet xmlns=\"\(PackageXML.mainNamespace)\" xmlns:r=\"\(PackageXML.relationshipsNamespace)\">"
        // CT_Worksheet is a sequence: dimension, sheetViews, sheetFormatPr, cols, sheetData — Excel insists on it.
        out += "<dimension ref=\"A1:\(last)\"/>"
        out += "<sheetViews><sheetView\(selected ? " tabSelected=\"1\"" : "") workbookViewId=\"0\">"
        out += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        out += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        out += "</sheetView></sheetViews>"
        out += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if columns > 0 {
            out += "<cols>"
            for (c, chars) in longest.enumerated() {
                let width = min(maximumWidth, max(minimumWidth, Double(chars) + 2))
                out += "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(numberText(width))\" customWidth=\"1\"/>"
            }
            out += "</cols>"
        }
        out += data
        out += "</worksheet>"
        return out
    }

    /// The longest line, in characters: a cell with line breaks is as wide as its widest line.
    static func displayLength(_ text: String) -> Int {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(\.count).max() ?? 0
    }

    /// xsd:double as Excel writes it: whole numbers without a fraction, others in Swift's shortest round-trip form
    /// (which is valid xsd:double, exponent included).
    static func numberText(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(describing: x)
    }
}

/// The fixed parts of the package. Namespaces and content types are ECMA-376's transitional ones, which every
/// reader understands (the strict ones are not read by many).
enum PackageXML {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml."

    static func contentTypes(sheetCount: Int) -> String {
        var out = declaration
        out += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        out += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        out += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        out += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(contentType)sheet.main+xml\"/>"
        for i in 1...max(sheetCount, 1) {
            out += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"\(contentType)worksheet+xml\"/>"
        }
        out += "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(contentType)styles+xml\"/>"
        out += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"\(contentType)sharedStrings+xml\"/>"
        out += "</Types>"
        return out
    }

    static let rootRelationships =
        declaration + "<Relationships xmlns=\"\(packageRelationships)\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipType)officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    static func workbook(sheetNames: [String]) -> String {
        var out = declaration
        out += "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipsNamespace)\">"
        out += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (i, name) in sheetNames.enumerated() {
            out += "<sheet name=\"\(SpreadsheetText.attribute(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        out += "</sheets></workbook>"
        return out
    }

    /// Sheets are rId1…rIdN, so a sheet's relationship id is its position; styles and strings come after them.
    static func workbookRelationships(sheetCount: Int) -> String {
        var out = declaration
        out += "<Relationships xmlns=\"\(packageRelationships)\">"
        for i in 1...max(sheetCount, 1) {
            out += "<Relationship Id=\"rId\(i)\" Type=\"\(relationshipType)worksheet\" Target=\"worksheets/sheet\(i).xml\"/>"
        }
        out += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relationshipType)styles\" Target=\"styles.xml\"/>"
        out += "<Relationship Id=\"rId\(sheetCount + 2)\" Type=\"\(relationshipType)sharedStrings\" Target=\"sharedStrings.xml\"/>"
        out += "</Relationships>"
        return out
    }

    /// Two cell formats: 0 the default, 1 bold for the header. Excel requires the two fills (none, gray125) even
    /// when nothing uses them, and a cellStyleXfs/cellStyles pair for the Normal style.
    static let styles =
        declaration + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"
}
