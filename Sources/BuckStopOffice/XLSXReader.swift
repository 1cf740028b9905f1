import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the values of an .xlsx (ECMA-376 SpreadsheetML) into the same `Workbook`, `Sheet` and `Cell` the writer
/// takes, so a file written by `Workbook.data()` reads back equal and callers learn one model.
///
/// The writer's model fixes how a read looks: row 1 of each sheet becomes `header` (as text: numbers in their
/// shortest form) and rows 2… become `rows`, where `rows[i]` is spreadsheet row `i + 2`. Rows and cells missing
/// from the file (Excel writes only cells that hold something) are placed by their `r` reference and the gaps
/// filled with `.empty`, so positions always match what Excel shows; rows end at their last value. Whole numbers
/// come back as `.integer`, others as `.number`; a date cell is its serial number, since only the style (which is
/// not read) says it is a date. Booleans become `.integer(1)` / `.integer(0)` and error values (`#N/A`) their text,
/// because the writer's `Cell` has no case for either and an importer must see them rather than a blank. Formulas
/// give their cached value. Only worksheets are read; chart sheets are skipped.
///
/// Untrusted input is the normal case (an official's upload), so nothing here trusts the file: bytes are counted
/// while inflating, references are checked against `ReadLimits` before a row or cell is allocated, and parts with a
/// DTD are refused, which rules out entity expansion.
public enum XLSXReader {
    public static func read(_ data: Data, limits: ReadLimits = .default) throws(XLSXReadError) -> Workbook {
        var package = try PackageReader(data, limits: limits)
        let workbookPath = try package.officeDocumentPath()
        let workbookXML = try package.part(workbookPath, referencedBy: "_rels/.rels")
        let entries = try WorkbookParser.parse(workbookXML, path: workbookPath)
        let relsPath = PackageReader.relationshipsPath(of: workbookPath)
        let relationships = try RelationshipsParser.parse(try package.part(relsPath, referencedBy: workbookPath), path: relsPath)
        let base = PackageReader.directory(of: workbookPath)

        var strings: [String] = []
        if let shared = relationships.values.first(where: { $0.type.hasSuffix("/sharedStrings") }) {
            let path = PackageReader.resolve(shared.target, base: base)
            strings = try SharedStringsParser.parse(try package.part(path, referencedBy: relsPath), path: path, limits: limits)
        }
        var sheets: [Sheet] = []
        for entry in entries {
            guard let relationship = relationships[entry.relationshipID] else {
                throw .missingPart(path: "relationship \(entry.relationshipID)", referencedBy: workbookPath)
            }
            guard relationship.type.hasSuffix("/worksheet") else { continue }
            let path = PackageReader.resolve(relationship.target, base: base)
            let xml = try package.part(path, referencedBy: relsPath)
            let grid = try WorksheetParser.parse(xml, path: path, sheet: entry.name, strings: strings, limits: limits)
            let header = (grid.first ?? []).map(\.headerText)
            sheets.append(Sheet(name: entry.name, header: header, rows: Array(grid.dropFirst())))
        }
        guard !sheets.isEmpty else { throw .noSheets }
        return Workbook(sheets: sheets)
    }
}

extension Cell {
    /// A cell as header text: what Excel would display for an unformatted cell.
    var headerText: String {
        switch self {
        case .text(let s): return s
        case .integer(let n): return String(n)
        case .number(let x): return SheetXML.numberText(x)
        case .empty: return ""
        }
    }
}

/// The ZIP package, with every inflated byte counted against one budget for the whole read.
struct PackageReader {
    let archive: Archive
    let limits: ReadLimits
    var inflated = 0

    init(_ data: Data, limits: ReadLimits) throws(XLSXReadError) {
        // ZIPFoundation accepts data without an end-of-central-directory record only to fail later; the local-file
        // signature "PK\u{3}\u{4}" is what every .xlsx starts with.
        guard data.count >= 4, data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04]) else { throw .notZip }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw .notZip
        }
        self.limits = limits
    }

    /// Entry names are compared without a leading slash and without regard to case, as the OPC rules ask.
    mutating func part(_ path: String, referencedBy: String) throws(XLSXReadError) -> Data {
        guard let entry = archive[path] ?? archive.first(where: { $0.path.lowercased() == path.lowercased() }) else {
            throw .missingPart(path: path, referencedBy: referencedBy)
        }
        let budget = limits.uncompressedBytes - inflated
        // The declared size is checked first only to fail fast; the count below is what holds, since a crafted
        // entry can declare anything.
        guard entry.uncompressedSize <= UInt64(max(budget, 0)) else {
            throw .limitExceeded(.uncompressedBytes, maximum: limits.uncompressedBytes, sheet: nil, cell: nil)
        }
        var bytes = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard bytes.count + chunk.count <= budget else { throw BudgetExceeded() }
                bytes.append(chunk)
            }
        } catch is BudgetExceeded {
            throw .limitExceeded(.uncompressedBytes, maximum: limits.uncompressedBytes, sheet: nil, cell: nil)
        } catch {
            throw .unreadablePart(path: path, message: String(describing: error))
        }
        inflated += bytes.count
        return bytes
    }

    struct BudgetExceeded: Error {}

    /// The workbook part named by the package relationships; `xl/workbook.xml` when they are absent, as some
    /// generators omit them and every reader falls back to it.
    mutating func officeDocumentPath() throws(XLSXReadError) -> String {
        guard archive["_rels/.rels"] != nil else { return "xl/workbook.xml" }
        let rels = try RelationshipsParser.parse(try part("_rels/.rels", referencedBy: "the package"), path: "_rels/.rels")
        guard let office = rels.values.first(where: { $0.type.hasSuffix("/officeDocument") }) else { return "xl/workbook.xml" }
        return Self.resolve(office.target, base: "")
    }

    static func relationshipsPath(of part: String) -> String {
        let dir = directory(of: part)
        let name = part.split(separator: "/").last.map(String.init) ?? part
        return dir + "_rels/" + name + ".rels"
    }

    /// "xl/workbook.xml" → "xl/".
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// A relationship target is relative to the source part's directory unless it starts with "/".
    static func resolve(_ target: String, base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        var parts: [Substring] = []
        for piece in joined.split(separator: "/") {
            switch piece {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(piece)
            }
        }
        return parts.joined(separator: "/")
    }
}

/// The shared state of the parsers below: Foundation's XMLParser reports errors after the fact, so the first error
/// of our own is kept here and parsing aborted.
class PartParser: NSObject, XMLParserDelegate {
    let path: String
    var failure: XLSXReadError?

    init(path: String) {
        self.path = path
    }

    /// Element names without their prefix: Excel writes the main namespace as default, the Open XML SDK as `x:`.
    static func local(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    func run(_ data: Data) throws(XLSXReadError) {
        if Self.hasDTD(data) { throw .badXML(path: path, line: 1, message: "a document type declaration (<!DOCTYPE)") }
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if let failure { throw failure }
        guard ok else {
            let message = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "malformed XML"
            throw .badXML(path: path, line: parser.lineNumber, message: message)
        }
    }

    // The callbacks are declared here and overridden below: on Linux the protocol's optional methods have default
    // implementations in an extension, and those (not a subclass's methods) would be the witnesses of this class.
    func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {}
    func parser(_ p: XMLParser, foundCharacters s: String) {}
    func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {}

    /// swift-corelibs-foundation's `parse()` can return true after libxml2 reported an error, so errors are kept here.
    func parser(_ p: XMLParser, parseErrorOccurred error: any Error) {
        guard failure == nil else { return }
        failure = .badXML(path: path, line: p.lineNumber, message: (error as NSError).localizedDescription)
    }

    func fail(_ parser: XMLParser, _ error: XLSXReadError) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    /// A DTD can only come before the root element, so the prologue is all that needs looking at.
    static func hasDTD(_ data: Data) -> Bool {
        let needle = Array("<!DOCTYPE".utf8)
        let head = Array(data.prefix(4096))
        guard head.count >= needle.count else { return false }
        for i in 0...(head.count - needle.count) where head[i] == 0x3C {
            if Array(head[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}

struct Relationship {
    var type: String
    var target: String
}

final class RelationshipsParser: PartParser {
    var relationships: [String: Relationship] = [:]

    static func parse(_ data: Data, path: String) throws(XLSXReadError) -> [String: Relationship] {
        let parser = RelationshipsParser(path: path)
        try parser.run(data)
        return parser.relationships
    }

    override func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard Self.local(e) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        // External targets (hyperlinks) are not parts of this package.
        guard attributes["TargetMode"] != "External" else { return }
        relationships[id] = Relationship(type: attributes["Type"] ?? "", target: target)
    }
}

final class WorkbookParser: PartParser {
    struct Entry {
        var name: String
        var relationshipID: String
    }
    var entries: [Entry] = []

    static func parse(_ data: Data, path: String) throws(XLSXReadError) -> [Entry] {
        let parser = WorkbookParser(path: path)
        try parser.run(data)
        return parser.entries
    }

    override func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard Self.local(e) == "sheet" else { return }
        // The relationship id is `r:id` in the relationships namespace; its prefix is the writer's choice.
        let id = attributes.first { $0.key.hasSuffix(":id") }?.value
        guard let name = attributes["name"], let id else {
            fail(p, .badXML(path: path, line: p.lineNumber, message: "a <sheet> without name or r:id"))
            return
        }
        entries.append(Entry(name: name, relationshipID: id))
    }
}

/// `<si>` items in order. An item's text is its `<t>`, or the `<t>` of its rich-text runs `<r>` joined; phonetic
/// guides (`<rPh>`, furigana) are not part of the text.
final class SharedStringsParser: PartParser {
    var strings: [String] = []
    let limits: ReadLimits
    private var item: String?
    private var inText = false
    private var phonetic = 0

    init(path: String, limits: ReadLimits) {
        self.limits = limits
        super.init(path: path)
    }

    static func parse(_ data: Data, path: String, limits: ReadLimits) throws(XLSXReadError) -> [String] {
        let parser = SharedStringsParser(path: path, limits: limits)
        try parser.run(data)
        return parser.strings
    }

    override func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch Self.local(e) {
        case "si":
            guard strings.count < limits.sharedStrings else {
                fail(p, .limitExceeded(.sharedStrings, maximum: limits.sharedStrings, sheet: nil, cell: nil))
                return
            }
            item = ""
        case "rPh": phonetic += 1
        case "t": inText = item != nil && phonetic == 0
        default: break
        }
    }

    override func parser(_ p: XMLParser, foundCharacters s: String) {
        if inText { item? += s }
    }

    override func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.local(e) {
        case "si":
            if let item { strings.append(CellText.unescaped(item)) }
            item = nil
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

/// One worksheet's `<sheetData>` as a grid of rows. `grid[0]` is spreadsheet row 1.
final class WorksheetParser: PartParser {
    let sheet: String
    let strings: [String]
    let limits: ReadLimits
    var grid: [[Cell]] = []
    private var cellCount = 0
    private var rowNumber = 0
    private var columnNumber = 0
    private var reference = ""
    private var type = "n"
    private var value: String?
    private var inline: String?
    private var inText = false
    private var inValue = false
    private var phonetic = 0

    init(path: String, sheet: String, strings: [String], limits: ReadLimits) {
        self.sheet = sheet
        self.strings = strings
        self.limits = limits
        super.init(path: path)
    }

    static func parse(_ data: Data, path: String, sheet: String, strings: [String], limits: ReadLimits) throws(XLSXReadError) -> [[Cell]] {
        let parser = WorksheetParser(path: path, sheet: sheet, strings: strings, limits: limits)
        try parser.run(data)
        return parser.grid
    }

    override func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch Self.local(e) {
        case "row":
            // `r` may be left out, meaning the row after the previous one.
            if let r = attributes["r"] {
                guard let n = Int(r), (1...CellReference.maximumRows).contains(n) else {
                    fail(p, .badCellReference(sheet: sheet, found: "row " + r))
                    return
                }
                rowNumber = n
            } else {
                rowNumber += 1
            }
            columnNumber = 0
        case "c":
            if let r = attributes["r"] {
                guard let parsed = CellReference.parse(r) else {
                    fail(p, .badCellReference(sheet: sheet, found: r))
                    return
                }
                (rowNumber, columnNumber) = (parsed.row, parsed.column)
            } else {
                columnNumber += 1
            }
            reference = CellReference.name(row: max(rowNumber, 1), column: columnNumber)
            type = attributes["t"] ?? "n"
            value = nil
            inline = nil
        case "v":
            value = ""
            inValue = true
        case "is": inline = ""
        case "rPh": phonetic += 1
        case "t": inText = inline != nil && phonetic == 0
        default: break
        }
    }

    override func parser(_ p: XMLParser, foundCharacters s: String) {
        if inText {
            inline? += s
        } else if inValue {
            value? += s
        }
    }

    override func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.local(e) {
        case "v", "is", "t":
            inText = false
            inValue = false
        case "rPh": phonetic -= 1
        case "c":
            guard failure == nil else { return }
            do throws(XLSXReadError) {
                if let cell = try cell() { try place(cell) }
            } catch {
                fail(p, error)
            }
        default: break
        }
    }

    /// nil for a cell with no value: Excel writes those for formatting (borders around an empty table) alone.
    private func cell() throws(XLSXReadError) -> Cell? {
        switch type {
        case "inlineStr":
            // Some generators put an inline string's text in <v> rather than <is>.
            return (inline ?? value).map { .text(CellText.unescaped($0)) }
        case "s":
            guard let v = value else { return nil }
            let trimmed = v.trimmingCharacters(in: .whitespaces)
            guard let i = Int(trimmed), strings.indices.contains(i) else {
                throw .badSharedStringIndex(sheet: sheet, cell: reference, found: v, count: strings.count)
            }
            return .text(strings[i])
        case "str", "e", "d":
            return value.map { .text(CellText.unescaped($0)) }
        case "b":
            guard let v = value else { return nil }
            switch v.trimmingCharacters(in: .whitespaces) {
            case "1", "true": return .integer(1)
            case "0", "false": return .integer(0)
            default: throw .badCellValue(sheet: sheet, cell: reference, expected: "0 or 1", found: v)
            }
        default:
            guard let v = value else { return nil }
            let trimmed = v.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            if let n = Int(trimmed) { return .integer(n) }
            guard let x = Double(trimmed), x.isFinite else {
                throw .badCellValue(sheet: sheet, cell: reference, expected: "a number", found: v)
            }
            if x == x.rounded(), abs(x) < 1e15 { return .integer(Int(x)) }
            return .number(x)
        }
    }

    /// Bounds first, then allocation: a reference like XFD1048576 is refused before any row or cell exists.
    private func place(_ cell: Cell) throws(XLSXReadError) {
        guard rowNumber >= 1 else { throw .badCellReference(sheet: sheet, found: reference) }
        guard rowNumber <= limits.rows else {
            throw .limitExceeded(.rows, maximum: limits.rows, sheet: sheet, cell: reference)
        }
        guard columnNumber <= limits.columns else {
            throw .limitExceeded(.columns, maximum: limits.columns, sheet: sheet, cell: reference)
        }
        if grid.count < rowNumber {
            grid.append(contentsOf: repeatElement([], count: rowNumber - grid.count))
        }
        let row = rowNumber - 1
        let growth = max(0, columnNumber - grid[row].count)
        guard cellCount + growth <= limits.cells else {
            throw .limitExceeded(.cells, maximum: limits.cells, sheet: sheet, cell: reference)
        }
        if growth > 0 {
            grid[row].append(contentsOf: repeatElement(Cell.empty, count: growth))
            cellCount += growth
        }
        grid[row][columnNumber - 1] = cell
    }
}

extension CellReference {
    /// "F7" → (row 7, column 6); nil for anything else, including "$F$7", lower case and references past XFD1048576.
    static func parse(_ text: String) -> (row: Int, column: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "A"..."Z" where digits == 0:
                letters += 1
                guard letters <= 3 else { return nil }
                column = column * 26 + Int(scalar.value - 64)
            case "0"..."9" where letters > 0:
                guard !(digits == 0 && scalar == "0") else { return nil }
                digits += 1
                guard digits <= 7 else { return nil }
                row = row * 10 + Int(scalar.value - 48)
            default:
                return nil
            }
        }
        guard letters > 0, digits > 0, column <= maximumColumns, row <= maximumRows else { return nil }
        return (row, column)
    }
}

/// ECMA-376's `_xHHHH_` escapes (ST_Xstring) undone, the reverse of `SpreadsheetText.protectingEscapes`.
enum CellText {
    static func unescaped(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "_", i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_",
                scalars[(i + 2)...(i + 5)].allSatisfy(\.properties.isASCIIHexDigit),
                let code = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)...(i + 5)])), radix: 16),
                let decoded = Unicode.Scalar(code)
            {
                out.append(decoded)
                i += 7
                continue
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }
}
