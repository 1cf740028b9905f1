import BuckStopOffice
import Foundation
import Testing
import ZIPFoundation

/// The reader against the writer, against packages crafted part by part (to reach each error and limit), and
/// against files LibreOffice saved (Fixtures/).
struct XLSXReaderTests {
    @Test func whatTheWriterWritesReadsBackEqual() throws {
        var sheets = XLSXWriterTests.sample.sheets
        sheets.append(
            Sheet(name: "Ký tự", header: ["_x0041_", "", "c"], rows: [[.text("Quận 1\r\nPhường 2"), .empty, .text("<>&\"'")], [.number(-0.25)]]))
        let workbook = Workbook(sheets: sheets)
        #expect(try XLSXReader.read(try workbook.data()) == workbook)
    }

    @Test func sparseCellsArePlacedByReferenceAndGapsAreEmpty() throws {
        let data = try Crafted.xlsx(
            sheet: """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
                <row r="3"><c r="B3"><v>7</v></c><c r="E3" s="2"/></row>
                <row r="4" spans="1:9"/>
                <row r="5"><c r="D5"><v>2.5</v></c></row>
                <row><c><v>1</v></c><c t="inlineStr"><is><t>không có r</t></is></c></row>
                """, strings: ["STT", "Tên"])
        let sheet = try #require(try XLSXReader.read(data).sheets.first)
        #expect(sheet.header == ["STT", "", "Tên"])
        #expect(
            sheet.rows == [
                [],
                [.empty, .integer(7)],
                [],
                [.empty, .empty, .empty, .number(2.5)],
                [.integer(1), .text("không có r")],
            ], "a styled cell without a value (E3) and a row without cells (4) hold nothing")
    }

    @Test func everyCellTypeAndRichTextRuns() throws {
        let strings = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">\
            <si><r><rPr><b/></rPr><t>Số hóa</t></r><r><rPr><i/></rPr><t xml:space="preserve"> hồ sơ</t></r></si>\
            <si><t>Phường</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>\
            <si><t>a_x005F_x0041_b_x000A_c</t></si></sst>
            """
        let data = try Crafted.xlsx(
            sheet: """
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
                <row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="C2" t="str"><f>A1&amp;"x"</f><v>Số hóa hồ sơx</v></c>\
                <c r="D2" t="inlineStr"><is><r><t>Sở </t></r><r><t>Tư pháp</t></r></is></c><c r="E2"><v>46112</v></c>\
                <c r="F2" t="n"><v>1.5E3</v></c><c r="G2"><v>-0.125</v></c><c r="H2" t="b"><v>0</v></c>\
                <c r="I2" t="inlineStr"><v>trong v</v></c></row>
                """, sharedStringsXML: strings)
        let sheet = try #require(try XLSXReader.read(data).sheets.first)
        #expect(sheet.header == ["Số hóa hồ sơ", "Phường", "a_x0041_b\nc"], "runs joined, phonetic guide left out, escapes undone")
        #expect(
            sheet.rows == [
                [
                    .integer(1), .text("#N/A"), .text("Số hóa hồ sơx"), .text("Sở Tư pháp"), .integer(46112), .integer(1500), .number(-0.125),
                    .integer(0), .text("trong v"),
                ]
            ])
    }

    @Test func prefixedElementsAsTheOpenXMLSDKWritesThem() throws {
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <x:sheetData><x:row r="1"><x:c r="B1" t="inlineStr"><x:is><x:t>Tên</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>
            """
        let data = try Crafted.package(worksheets: [("Trang 1", sheet)])
        #expect(try XLSXReader.read(data).sheets == [Sheet(name: "Trang 1", header: ["", "Tên"], rows: [])])
    }

    @Test func sheetsComeInWorkbookOrderWithTheirNames() throws {
        let data = try Crafted.package(worksheets: [
            ("Kế hoạch", Crafted.worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")),
            ("Phụ lục 2", Crafted.worksheet("<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>")),
        ])
        let workbook = try XLSXReader.read(data)
        #expect(workbook.sheets.map(\.name) == ["Kế hoạch", "Phụ lục 2"])
        #expect(workbook.sheets[1].header == [] && workbook.sheets[1].rows == [[.integer(2)]])
    }

    // MARK: Errors, each with its place

    @Test func notAZip() {
        #expect(throws: XLSXReadError.notZip) { try XLSXReader.read(Data("STT,Nội dung nhiệm vụ\n".utf8)) }
        #expect(throws: XLSXReadError.notZip) { try XLSXReader.read(Data([0x50, 0x4B, 0x03, 0x04, 0, 0])) }
        #expect(throws: XLSXReadError.notZip) { try XLSXReader.read(Data()) }
    }

    @Test func missingParts() throws {
        let noWorkbook = try Crafted.zip([("_rels/.rels", Crafted.rootRels)])
        #expect(throws: XLSXReadError.missingPart(path: "xl/workbook.xml", referencedBy: "_rels/.rels")) { try XLSXReader.read(noWorkbook) }
        let noSheet = try Crafted.package(worksheets: [("S", "")], omit: ["xl/worksheets/sheet1.xml"])
        #expect(throws: XLSXReadError.missingPart(path: "xl/worksheets/sheet1.xml", referencedBy: "xl/_rels/workbook.xml.rels")) {
            try XLSXReader.read(noSheet)
        }
    }

    @Test func malformedXMLNamesThePart() throws {
        let data = try Crafted.xlsx(sheet: "<row r=\"1\"><c r=\"A1\"><v>1</v></row>", strings: [])
        let error = #expect(throws: XLSXReadError.self) { try XLSXReader.read(data) }
        guard case .badXML(let path, _, _) = error else {
            Issue.record("expected badXML, got \(String(describing: error))")
            return
        }
        #expect(path == "xl/worksheets/sheet1.xml")
        #expect(error?.vietnamese.hasPrefix("phần xl/worksheets/sheet1.xml, dòng") == true)
    }

    /// A DTD is how entity expansion ("billion laughs") gets in; no SpreadsheetML part has one.
    @Test func aDocumentTypeDeclarationIsRefused() throws {
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&c;</t></si></sst>
            """
        let data = try Crafted.xlsx(sheet: "", sharedStringsXML: laughs)
        #expect(throws: XLSXReadError.badXML(path: "xl/sharedStrings.xml", line: 1, message: "a document type declaration (<!DOCTYPE)")) {
            try XLSXReader.read(data)
        }
    }

    @Test func aSharedStringIndexOutOfRange() throws {
        let data = try Crafted.xlsx(sheet: "<row r=\"7\"><c r=\"C7\" t=\"s\"><v>5</v></c></row>", strings: ["a", "b"])
        let expected = XLSXReadError.badSharedStringIndex(sheet: "Phụ lục", cell: "C7", found: "5", count: 2)
        #expect(throws: expected) { try XLSXReader.read(data) }
        #expect(expected.description == "sheet \"Phụ lục\", cell C7: expected a shared string index from 0 to 1; found \"5\"")
        #expect(expected.vietnamese == "trang \"Phụ lục\", ô C7: cần chỉ số chuỗi dùng chung từ 0 đến 1; nhận \"5\"")
    }

    @Test(arguments: ["7C", "c7", "$C$7", "C0", "XFE1", "A1048577", "C7 ", "ÀB1", ""])
    func malformedCellReferences(reference: String) throws {
        let data = try Crafted.xlsx(sheet: "<row r=\"7\"><c r=\"\(reference)\"><v>1</v></c></row>", strings: [])
        #expect(throws: XLSXReadError.badCellReference(sheet: "Phụ lục", found: reference)) { try XLSXReader.read(data) }
    }

    @Test func aNumberCellThatIsNotANumber() throws {
        let data = try Crafted.xlsx(sheet: "<row r=\"2\"><c r=\"F2\"><v>31/02/2026</v></c></row>", strings: [])
        let expected = XLSXReadError.badCellValue(sheet: "Phụ lục", cell: "F2", expected: "a number", found: "31/02/2026")
        #expect(throws: expected) { try XLSXReader.read(data) }
        #expect(expected.vietnamese == "trang \"Phụ lục\", ô F2: cần một số; nhận \"31/02/2026\"")
    }

    @Test func aWorkbookWithoutWorksheets() throws {
        #expect(throws: XLSXReadError.noSheets) { try XLSXReader.read(try Crafted.package(worksheets: [])) }
    }

    // MARK: Limits

    /// The farthest cell Excel has must be refused before a million rows or sixteen thousand cells exist.
    @Test func theFarthestCellIsRefusedWithoutAllocatingTheGrid() throws {
        let far = try Crafted.xlsx(sheet: "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>", strings: [])
        #expect(throws: XLSXReadError.limitExceeded(.rows, maximum: 100_000, sheet: "Phụ lục", cell: "XFD1048576")) {
            try XLSXReader.read(far)
        }
        let wide = try Crafted.xlsx(sheet: "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>", strings: [])
        let error = XLSXReadError.limitExceeded(.columns, maximum: 1_000, sheet: "Phụ lục", cell: "XFD1")
        #expect(throws: error) { try XLSXReader.read(wide) }
        #expect(error.description == "sheet \"Phụ lục\", cell XFD1: expected at most 1000 columns; found more")
        #expect(error.vietnamese == "trang \"Phụ lục\", ô XFD1: tối đa 1000 cột; tệp vượt quá giới hạn này")
        // A styled empty cell far away (formatting a whole column) holds nothing and is not a problem.
        let styled = try Crafted.xlsx(sheet: "<row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>", strings: [])
        #expect(try XLSXReader.read(styled).sheets.first?.rows == [])
    }

    @Test func tooManyRowsAndCells() throws {
        let rows = (1...300).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c><c r=\"J\($0)\"><v>1</v></c></row>" }.joined()
        let data = try Crafted.xlsx(sheet: rows, strings: [])
        var limits = ReadLimits.default
        limits.rows = 250
        #expect(throws: XLSXReadError.limitExceeded(.rows, maximum: 250, sheet: "Phụ lục", cell: "A251")) {
            try XLSXReader.read(data, limits: limits)
        }
        limits = .default
        limits.cells = 1_000  // ten cells a row (the gap B…I counts): rows 1 to 100 fill the budget
        #expect(throws: XLSXReadError.limitExceeded(.cells, maximum: 1_000, sheet: "Phụ lục", cell: "A101")) {
            try XLSXReader.read(data, limits: limits)
        }
        #expect(try XLSXReader.read(data).sheets.first?.rows.count == 299)
    }

    @Test func tooManySharedStrings() throws {
        var limits = ReadLimits.default
        limits.sharedStrings = 3
        let data = try Crafted.xlsx(sheet: "", strings: ["a", "b", "c", "d"])
        #expect(throws: XLSXReadError.limitExceeded(.sharedStrings, maximum: 3, sheet: nil, cell: nil)) {
            try XLSXReader.read(data, limits: limits)
        }
    }

    /// A part that inflates past the budget is refused whatever its header claims: once by the declared size, and
    /// once with the declared size forged small, by the count of bytes actually inflated.
    @Test func aPartThatInflatesPastTheBudget() throws {
        let big = Crafted.worksheet(String(repeating: "<row/>", count: 400_000))  // 2.4 MB that deflates to a few KB
        let data = try Crafted.package(worksheets: [("S", big)])
        #expect(data.count < 100_000)
        var limits = ReadLimits.default
        limits.uncompressedBytes = 1_000_000
        let refused = XLSXReadError.limitExceeded(.uncompressedBytes, maximum: 1_000_000, sheet: nil, cell: nil)
        #expect(throws: refused) { try XLSXReader.read(data, limits: limits) }
        let forged = Crafted.forgingUncompressedSize(of: "xl/worksheets/sheet1.xml", in: data, to: 100)
        #expect(forged != data, "the sizes were found and changed")
        #expect(throws: refused) { try XLSXReader.read(forged, limits: limits) }
        // Declared huge but small in fact: refused from the header alone.
        let claimed = Crafted.forgingUncompressedSize(of: "xl/worksheets/sheet1.xml", in: data, to: 0xF000_0000)
        #expect(throws: refused) { try XLSXReader.read(claimed, limits: limits) }
    }

    // MARK: Files LibreOffice saved

    @Test func theLibreOfficeFixtureReads() throws {
        let workbook = try XLSXReader.read(try Fixture.data("programme-annex.xlsx"))
        let sheet = try #require(workbook.sheets.first)
        #expect(workbook.sheets.map(\.name) == ["Phụ lục"])
        #expect(sheet.header.first == "PHỤ LỤC: DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026")
        #expect(
            sheet.rows[2] == [
                .text("STT"), .text("Nội dung nhiệm vụ"), .text("Cơ quan chủ trì"), .text("Cơ quan phối hợp"), .text("Người chịu trách nhiệm"),
                .text("Thời hạn\nhoàn thành"), .text("Sản phẩm dự kiến"), .text("Ghi chú"),
            ], "row 4")
        #expect(sheet.rows[4] == [.text("I"), .text("CẢI CÁCH THỂ CHẾ")], "row 6: the bordered empty cells hold nothing")
        #expect(sheet.rows[5][5] == .integer(46112), "F7 is a date cell: 31/03/2026 as its serial number")
        #expect(sheet.rows[9][1] == .text("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"), "B11 has rich-text runs")
        #expect(sheet.rows.count == 16, "rows 2 to 17")
    }
}

/// The fixtures, read from the source tree next to this file (Package.swift excludes them from the target).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }
}

/// Packages built part by part, to reach what neither the writer nor LibreOffice would produce.
enum Crafted {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """

    static func worksheet(_ rows: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData></worksheet>"
    }

    static func sharedStrings(_ strings: [String]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"\(main)\">" + strings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"
    }

    /// One sheet named "Phụ lục" holding `sheet` (the inside of `<sheetData>`).
    static func xlsx(sheet: String, strings: [String]) throws -> Data {
        try package(worksheets: [("Phụ lục", worksheet(sheet))], sharedStringsXML: sharedStrings(strings))
    }

    static func xlsx(sheet: String, sharedStringsXML: String) throws -> Data {
        try package(worksheets: [("Phụ lục", worksheet(sheet))], sharedStringsXML: sharedStringsXML)
    }

    /// Sheets are related as rId1…, shared strings after them, and a styles relationship that is never followed.
    static func package(worksheets: [(name: String, xml: String)], sharedStringsXML: String? = nil, omit: Set<String> = []) throws -> Data {
        var workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
        var rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        var parts: [(String, String)] = [("_rels/.rels", rootRels)]
        for (i, sheet) in worksheets.enumerated() {
            workbook += "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(rel)/worksheet\" Target=\"/xl/worksheets/sheet\(i + 1).xml\"/>"
            parts.append(("xl/worksheets/sheet\(i + 1).xml", sheet.xml))
        }
        rels += "<Relationship Id=\"rId90\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>"
        if let sharedStringsXML {
            rels += "<Relationship Id=\"rId91\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            parts.append(("xl/sharedStrings.xml", sharedStringsXML))
        }
        workbook += "</sheets></workbook>"
        rels += "</Relationships>"
        parts.append(("xl/workbook.xml", workbook))
        parts.append(("xl/_rels/workbook.xml.rels", rels))
        return try zip(parts.filter { !omit.contains($0.0) })
    }

    static func zip(_ parts: [(String, String)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, xml) in parts {
            let bytes = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<min(Int(position) + size, bytes.count))
            }
        }
        return try #require(archive.data)
    }

    /// The uncompressed size of one entry rewritten in its local header and its central directory record (the
    /// CRC is left alone, so only a reader that trusts the size before checking is fooled).
    static func forgingUncompressedSize(of path: String, in data: Data, to size: UInt32) -> Data {
        var bytes = [UInt8](data)
        let name = Array(path.utf8)
        let little = withUnsafeBytes(of: size.littleEndian, Array.init)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        var i = 0
        while i + 46 <= bytes.count {
            // Local file header: signature PK\3\4, size at 22, name length at 26, name at 30.
            if bytes[i...].starts(with: [0x50, 0x4B, 0x03, 0x04]), Array(bytes[(i + 30)..<min(i + 30 + u16(i + 26), bytes.count)]) == name {
                bytes.replaceSubrange((i + 22)..<(i + 26), with: little)
            }
            // Central directory record: signature PK\1\2, size at 24, name length at 28, name at 46.
            if bytes[i...].starts(with: [0x50, 0x4B, 0x01, 0x02]), Array(bytes[(i + 46)..<min(i + 46 + u16(i + 28), bytes.count)]) == name {
                bytes.replaceSubrange((i + 24)..<(i + 28), with: little)
            }
            i += 1
        }
        return Data(bytes)
    }
}
