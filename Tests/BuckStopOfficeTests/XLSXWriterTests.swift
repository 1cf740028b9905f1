import BuckStopOffice
import Foundation
import Testing
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The writer's bytes read back two ways: with ZIPFoundation and Foundation's XMLParser here (parts, values,
/// escaping), and with openpyxl, a reader that shares no code with the writer.
struct XLSXWriterTests {
    static let vietnamese = "Nguyễn Thị Ánh — hồ sơ đất đai, phường Bến Thành"

    static let sample = Workbook(sheets: [
        Sheet(
            name: "Hồ sơ", header: ["Mã", "Tiêu đề", "Ngày làm việc còn lại", "Giá trị"],
            rows: [
                [.text("HS-001"), .text(vietnamese), .integer(-3), .number(1.5)],
                [.text("HS-002"), .text("<a href=\"x\">&'</a>"), .empty, .number(0.1)],
                [.text("=1+1"), .text("  khoảng trắng đầu và cuối  "), .integer(0), .integer(1_000_000)],
            ]),
        Sheet(name: "Cán bộ", header: ["Cán bộ", "Đang giữ"], rows: [[.text("Võ Thị An"), .integer(1)]]),
    ])

    @Test func thePackageHasEveryPartAndTheSheetHoldsTheValues() throws {
        let data = try Self.sample.data()
        let package = try Package(data)
        for part in [
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
        ] {
            #expect(package.parts[part] != nil, "part \(part) is in the package")
        }
        let types = try package.text("[Content_Types].xml")
        #expect(types.contains("PartName=\"/xl/worksheets/sheet2.xml\""))
        #expect(types.contains("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"))
        let workbook = try package.text("xl/workbook.xml")
        #expect(workbook.contains("<sheet name=\"Hồ sơ\" sheetId=\"1\" r:id=\"rId1\"/>"))
        #expect(workbook.contains("<sheet name=\"Cán bộ\" sheetId=\"2\" r:id=\"rId2\"/>"))

        let sheet = try package.sheet(1)
        #expect(sheet.values["A1"] == .text("Mã") && sheet.values["D1"] == .text("Giá trị"))
        #expect(sheet.values["A2"] == .text("HS-001"))
        #expect(sheet.values["B2"] == .text(Self.vietnamese))
        #expect(sheet.values["C2"] == .number(-3) && sheet.values["D2"] == .number(1.5))
        #expect(sheet.values["B3"] == .text("<a href=\"x\">&'</a>"))
        #expect(sheet.values["C3"] == nil, "an empty cell is not written")
        #expect(sheet.values["D3"] == .number(0.1))
        #expect(sheet.values["A4"] == .text("=1+1"), "text that looks like a formula stays text")
        #expect(sheet.values["B4"] == .text("  khoảng trắng đầu và cuối  "), "leading and trailing spaces survive")
        #expect(sheet.values["D4"] == .number(1_000_000))
        #expect(sheet.formulas.isEmpty, "nothing is ever written as a formula")
        // The header is bold (style 1 has the bold font) and frozen; the columns have widths.
        #expect(["A1", "B1", "C1", "D1"].allSatisfy { sheet.styles[$0] == "1" })
        #expect(sheet.styles["A2"] == nil)
        #expect(try package.text("xl/styles.xml").contains("<font><b/>"))
        let xml = try package.text("xl/worksheets/sheet1.xml")
        #expect(xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(xml.contains("<dimension ref=\"A1:D4\"/>"))
        #expect(xml.contains("<col min=\"1\" max=\"1\" width=\"8\" customWidth=\"1\"/>"), "Mã / HS-001: six characters, plus room")
        let second = try package.sheet(2)
        #expect(second.values == ["A1": .text("Cán bộ"), "B1": .text("Đang giữ"), "A2": .text("Võ Thị An"), "B2": .number(1)])
        #expect(try Self.sample.data() == data, "the same workbook gives the same bytes")
    }

    @Test(arguments: [
        (1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16_384, "XFD"),
    ])
    func columnLettersPastZ(number: Int, letters: String) {
        #expect(CellReference.columnName(number) == letters)
        #expect(CellReference.name(row: 10, column: number) == letters + "10")
    }

    @Test func wideSheetsGetTheRightReferences() throws {
        let header = (1...703).map { "c\($0)" }
        let workbook = Workbook(sheets: [Sheet(name: "Rộng", header: header, rows: [(1...703).map { Cell.integer($0) }])])
        let sheet = try Package(try workbook.data()).sheet(1)
        for (n, ref) in [(26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA")] {
            #expect(sheet.values[ref + "1"] == .text("c\(n)"))
            #expect(sheet.values[ref + "2"] == .number(Double(n)))
        }
    }

    @Test func markupAndVietnameseAreEscapedAndComeBackUnchanged() throws {
        let tricky = [
            "<>&\"'", "a < b && c > d", "<![CDATA[x]]>", "Trả lại “hồ sơ” — ý kiến: ‘không’ & <ghi chú>", "Quận 1\nPhường Bến Nghé",
            "😀 Đăng ký khai sinh",
        ]
        let workbook = Workbook(sheets: [Sheet(name: "Ký tự", header: ["Giá trị"], rows: tricky.map { [Cell.text($0)] })])
        let package = try Package(try workbook.data())
        let strings = try package.text("xl/sharedStrings.xml")
        #expect(strings.contains("&lt;&gt;&amp;&quot;&apos;"))
        #expect(!strings.contains("<ghi chú>"))
        let sheet = try package.sheet(1)
        for (i, text) in tricky.enumerated() {
            #expect(sheet.values["A\(i + 2)"] == .text(text))
        }
    }

    @Test func charactersXMLCannotCarryAreDroppedAndTheRestKept() throws {
        let dirty = "a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g\u{FFFE}h\u{FFFF}i\tj\nk\rl"
        let workbook = Workbook(sheets: [Sheet(name: "Bẩn", header: ["x\u{0}y"], rows: [[.text(dirty)], [.text("\u{1}\u{2}")]])])
        let package = try Package(try workbook.data())
        let sheet = try package.sheet(1)
        #expect(sheet.values["A1"] == .text("xy"))
        #expect(sheet.values["A2"] == .text("abcdefghi\tj\nk\rl"), "tab, line feed and carriage return are kept")
        #expect(sheet.values["A3"] == nil, "a cell left empty by stripping is not written")
        #expect(try package.text("xl/sharedStrings.xml").contains("k&#13;l"), "a carriage return survives XML's line-end normalisation")
    }

    /// ECMA-376 reads `_xHHHH_` in cell text as an escaped character; a literal one must come back literally.
    @Test func literalEscapeSequencesAreProtected() throws {
        let workbook = Workbook(sheets: [Sheet(name: "S", header: ["_x0041_"], rows: [[.text("a_x000D_b _x12_ _xZZZZ_")]])])
        let package = try Package(try workbook.data())
        let strings = try package.text("xl/sharedStrings.xml")
        #expect(strings.contains("<t>_x005F_x0041_</t>"))
        #expect(strings.contains("a_x005F_x000D_b _x12_ _xZZZZ_"), "only complete _xHHHH_ sequences are touched")
    }

    @Test func overlongTextIsCutAtExcelsLimitAndMarked() throws {
        let long = String(repeating: "ă", count: 32_765) + "😀😀😀"  // the emoji straddles the limit
        let exact = String(repeating: "b", count: 32_767)
        let workbook = Workbook(sheets: [Sheet(name: "Dài", header: ["x"], rows: [[.text(long)], [.text(exact)]])])
        let sheet = try Package(try workbook.data()).sheet(1)
        guard case .text(let cut) = sheet.values["A2"] else {
            Issue.record("A2 is text")
            return
        }
        #expect(cut.utf16.count <= 32_767 && cut.hasSuffix("…"))
        #expect(cut == String(repeating: "ă", count: 32_765) + "…", "the cut falls between characters, never inside a surrogate pair")
        #expect(sheet.values["A3"] == .text(exact), "text at the limit is kept whole")
    }

    @Test(arguments: [
        ("", XLSXError.sheetNameEmpty),
        (String(repeating: "x", count: 32), .sheetNameTooLong(name: String(repeating: "x", count: 32), length: 32, maximum: 31)),
        ("Hồ sơ/2025", .sheetNameCharacter(name: "Hồ sơ/2025", character: "/")),
        ("a[b", .sheetNameCharacter(name: "a[b", character: "[")),
        ("a]b", .sheetNameCharacter(name: "a]b", character: "]")),
        ("a:b", .sheetNameCharacter(name: "a:b", character: ":")),
        ("a*b", .sheetNameCharacter(name: "a*b", character: "*")),
        ("a?b", .sheetNameCharacter(name: "a?b", character: "?")),
        ("a\\b", .sheetNameCharacter(name: "a\\b", character: "\\")),
        ("a\tb", .sheetNameCharacter(name: "a\tb", character: "\t")),
        ("'Hồ sơ'", .sheetNameApostropheAtEdge(name: "'Hồ sơ'")),
    ])
    func sheetNamesExcelWouldRefuseAreErrorsNamingTheSheet(name: String, expected: XLSXError) {
        let workbook = Workbook(sheets: [Sheet(name: name, header: ["x"], rows: [])])
        #expect(throws: expected) { try workbook.data() }
    }

    @Test func sheetNamesMustBeUniqueRegardlessOfCase() {
        let workbook = Workbook(sheets: [
            Sheet(name: "Hồ sơ", header: [], rows: []), Sheet(name: "Phát hiện", header: [], rows: []), Sheet(name: "HỒ SƠ", header: [], rows: []),
        ])
        #expect(throws: XLSXError.duplicateSheetName(name: "HỒ SƠ", clashesWith: "Hồ sơ")) { try workbook.data() }
        let error = XLSXError.duplicateSheetName(name: "HỒ SƠ", clashesWith: "Hồ sơ")
        #expect(error.description.contains("\"HỒ SƠ\"") && error.description.contains("\"Hồ sơ\""), "the message names both sheets")
        #expect(XLSXError.sheetNameTooLong(name: "x", length: 32, maximum: 31).description.contains("at most 31"))
    }

    @Test func aNameOf31CharactersWithDiacriticsIsAllowed() throws {
        let name = String(repeating: "Ư", count: 31)
        let package = try Package(try Workbook(sheets: [Sheet(name: name, header: ["x"], rows: [])]).data())
        #expect(try package.text("xl/workbook.xml").contains("name=\"\(name)\""))
    }

    @Test func workbooksExcelCannotOpenAreRefused() {
        #expect(throws: XLSXError.noSheets) { try Workbook(sheets: []).data() }
        let nan = Workbook(sheets: [Sheet(name: "S", header: ["a", "b"], rows: [[.integer(1), .number(.nan)]])])
        // NaN equals nothing, not even itself, so the error is compared by what it says.
        let error = #expect(throws: XLSXError.self) { try nan.data() }
        #expect(error?.description == "cell B2 of sheet \"S\" must be a finite number; found nan")
        let infinite = Workbook(sheets: [Sheet(name: "S", header: ["a"], rows: [[.number(-.infinity)]])])
        #expect(throws: XLSXError.notFinite(sheet: "S", cell: "A2", value: -.infinity)) { try infinite.data() }
        let wide = Workbook(sheets: [Sheet(name: "S", header: Array(repeating: "x", count: 16_385), rows: [])])
        #expect(throws: XLSXError.tooManyColumns(sheet: "S", count: 16_385, maximum: 16_384)) { try wide.data() }
    }

    // MARK: An independent reader

    /// openpyxl shares no code with this writer, so it catches what a writer and its own tests agree on wrongly.
    /// `.ci/run` installs it; locally the test is skipped without it, in CI (CI=true) it must run.
    @Test(.enabled(if: OpenPyXL.python != nil || OpenPyXL.inCI, "needs python3 with openpyxl (pip install openpyxl==3.1.5)"))
    func openpyxlReadsWhatWasWritten() throws {
        guard let python = OpenPyXL.python else {
            Issue.record("CI must read the workbook with openpyxl: .ci/run installs it (pip install openpyxl==3.1.5)")
            return
        }
        var sheets = Self.sample.sheets
        sheets.append(
            Sheet(
                name: "Ký tự", header: ["Văn bản"],
                rows: [[.text("a\u{0}b\u{1F}c")], [.text("_x0041_")], [.text("<>&\"'")], [.text("Quận 1\r\nPhường 2")]]))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("buckstop-\(UUID().uuidString).xlsx")
        try Workbook(sheets: sheets).data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let read = try OpenPyXL.read(file, python: python)
        #expect(read.sheets == ["Hồ sơ", "Cán bộ", "Ký tự"])
        #expect(read.frozen == ["A2", "A2", "A2"], "every header row is frozen")
        #expect(read.bold == [true, true, true], "every header row is bold")
        #expect(
            read.values[0] == [
                [.text("Mã"), .text("Tiêu đề"), .text("Ngày làm việc còn lại"), .text("Giá trị")],
                [.text("HS-001"), .text(Self.vietnamese), .number(-3), .number(1.5)],
                [.text("HS-002"), .text("<a href=\"x\">&'</a>"), .none, .number(0.1)],
                [.text("=1+1"), .text("  khoảng trắng đầu và cuối  "), .number(0), .number(1_000_000)],
            ])
        #expect(read.values[1] == [[.text("Cán bộ"), .text("Đang giữ")], [.text("Võ Thị An"), .number(1)]])
        #expect(
            read.values[2] == [
                [.text("Văn bản")], [.text("abc")], [.text("_x0041_")], [.text("<>&\"'")], [.text("Quận 1\r\nPhường 2")],
            ])
    }

    /// LibreOffice is not required; where it is installed, it must convert the workbook to CSV with the same values.
    @Test(.enabled(if: LibreOffice.path != nil, "runs only where LibreOffice (soffice) is installed"))
    func libreOfficeOpensTheWorkbook() throws {
        guard let soffice = LibreOffice.path else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("buckstop-lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("sample.xlsx")
        try Self.sample.data().write(to: file)
        let result = try Run.process(
            soffice,
            [
                "-env:UserInstallation=file://" + dir.path + "/profile", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir", dir.path, file.path,
            ])
        #expect(result.status == 0, "soffice: \(result.error)")
        let csv = try String(contentsOf: dir.appendingPathComponent("sample.csv"), encoding: .utf8)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "Mã,Tiêu đề,Ngày làm việc còn lại,Giá trị")
        #expect(lines.dropFirst().first == "HS-001,\"\(Self.vietnamese)\",-3,1.5")
    }
}

// MARK: Reading the package back

/// A cell as a reader sees it.
enum Value: Equatable, CustomStringConvertible {
    case text(String)
    case number(Double)

    var description: String {
        switch self {
        case .text(let s): return "text(\(s.debugDescription))"
        case .number(let x): return "number(\(x))"
        }
    }
}

struct ReadBackError: Error, CustomStringConvertible {
    var description: String
}

/// The parts of a written package, by path.
struct Package {
    var parts: [String: Data] = [:]

    init(_ data: Data) throws {
        let archive = try Archive(data: data, accessMode: .read)
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = bytes
        }
    }

    func text(_ path: String) throws -> String {
        guard let bytes = parts[path] else { throw ReadBackError(description: "expected part \(path) in the package; found none") }
        return String(decoding: bytes, as: UTF8.self)
    }

    func sheet(_ number: Int) throws -> SheetContent {
        let strings = try SharedStringsReader.parse(parts["xl/sharedStrings.xml"] ?? Data())
        guard let bytes = parts["xl/worksheets/sheet\(number).xml"] else {
            throw ReadBackError(description: "expected sheet \(number); found no such part")
        }
        return try SheetContent.parse(bytes, strings: strings)
    }
}

/// The `<si><t>` texts in order, with `_x005F_` (the escaped underscore) undone as a reader following ECMA-376 would.
final class SharedStringsReader: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current: String?

    static func parse(_ data: Data) throws -> [String] {
        let reader = SharedStringsReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw ReadBackError(description: "sharedStrings.xml is not well-formed XML") }
        return reader.strings.map { $0.replacingOccurrences(of: "_x005F_", with: "_") }
    }

    func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if e == "si" { current = "" }
    }

    func parser(_ p: XMLParser, foundCharacters s: String) {
        current? += s
    }

    func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
        if e == "si", let c = current {
            strings.append(c)
            current = nil
        }
    }
}

/// Cells of one worksheet by reference, with their style and any formula (there must be none).
final class SheetContent: NSObject, XMLParserDelegate {
    var values: [String: Value] = [:]
    var styles: [String: String] = [:]
    var formulas: [String] = []
    private var strings: [String] = []
    private var ref = ""
    private var type = ""
    private var text: String?
    private var failure: String?

    static func parse(_ data: Data, strings: [String]) throws -> SheetContent {
        let content = SheetContent()
        content.strings = strings
        let parser = XMLParser(data: data)
        parser.delegate = content
        guard parser.parse() else { throw ReadBackError(description: "the sheet is not well-formed XML") }
        if let failure = content.failure { throw ReadBackError(description: failure) }
        return content
    }

    func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch e {
        case "c":
            ref = attributes["r"] ?? ""
            type = attributes["t"] ?? "n"
            if let s = attributes["s"] { styles[ref] = s }
        case "v": text = ""
        case "f": formulas.append(ref)
        default: break
        }
    }

    func parser(_ p: XMLParser, foundCharacters s: String) {
        text? += s
    }

    func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
        guard e == "v", let t = text else { return }
        text = nil
        if type == "s" {
            guard let i = Int(t), strings.indices.contains(i) else {
                failure = "cell \(ref): expected a shared string index below \(strings.count); found \(t)"
                return
            }
            values[ref] = .text(strings[i])
        } else {
            guard let x = Double(t) else {
                failure = "cell \(ref): expected a number; found \(t)"
                return
            }
            values[ref] = .number(x)
        }
    }
}

// MARK: Outside readers

enum Run {
    struct Result {
        var status: Int32
        var output: Data
        var error: String
    }

    static func process(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a full pipe cannot stall the child.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: output, error: String(decoding: error, as: UTF8.self))
    }
}

enum OpenPyXL {
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The first `python3` (on PATH, then Debian's) that can import openpyxl.
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { String($0) + "/python3" } + ["/usr/bin/python3"]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if let r = try? Run.process(candidate, ["-c", "import openpyxl"]), r.status == 0 { return candidate }
        }
        return nil
    }()

    struct Read: Decodable {
        var sheets: [String]
        var frozen: [String?]
        var bold: [Bool]
        var values: [[[Value?]]]
    }

    static let script = """
        import json, sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        out = {"sheets": wb.sheetnames, "frozen": [], "bold": [], "values": []}
        for ws in wb.worksheets:
            out["frozen"].append(ws.freeze_panes)
            out["bold"].append(all(c.font.b for c in ws[1] if c.value is not None))
            out["values"].append([list(row) for row in ws.iter_rows(values_only=True)])
        sys.stdout.write(json.dumps(out, ensure_ascii=True))
        """

    static func read(_ file: URL, python: String) throws -> Read {
        let r = try Run.process(python, ["-c", script, file.path], environment: ["PYTHONIOENCODING": "utf-8"])
        guard r.status == 0 else { throw ReadBackError(description: "openpyxl could not read the workbook: \(r.error)") }
        return try JSONDecoder().decode(Read.self, from: r.output)
    }
}

extension Value: Decodable {
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            self = .text(s)
        } else {
            self = .number(try c.decode(Double.self))
        }
    }
}

enum LibreOffice {
    static let path: String? = ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
