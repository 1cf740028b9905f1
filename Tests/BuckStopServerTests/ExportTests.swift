import BuckStopDomain
import BuckStopStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ZIPFoundation

@testable import BuckStopServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The head's and the inspector's lists as XLSX: the same rows as the CSV, numbers as numbers, behind the same
/// checks as the pages they come from.
@Suite(.serialized) struct ExportTests {
    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// cv-an passes the sample case to cv-binh, who sends it straight back: one ping-pong finding about cv-an.
    static func withAFinding(_ fixture: ServerFixture, _ client: any TestClientProtocol) async throws {
        let casePath = "/cases/\(ServerFixture.code)"
        var an = Browser(client)
        var binh = Browser(client)
        _ = try await an.login("cv-an")
        _ = try await binh.login("cv-binh")
        _ = try await an.post(casePath + "/actions", form: [("type", "transfer"), ("to", "cv-binh"), ("reason", "Chuyển")], from: casePath)
        _ = try await binh.post(casePath + "/actions", form: [("type", "transfer"), ("to", "cv-an"), ("reason", "Trả lại")], from: casePath)
    }

    @Test func aHeadsWorkbookHasTheRowsOfTheCSV() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            try await Self.withAFinding(fixture, client)
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            let lists: [(query: String, sheet: String, numeric: Set<Int>)] = [
                ("cases", "Hồ sơ", [4]), ("officials", "Cán bộ", [2, 3, 4, 5, 6, 7, 8]),
                ("findings&status=open&detector=ping_pong", "Phát hiện", [7, 8]),
            ]
            for list in lists {
                let csv = try await head.get("/unit/export.csv?list=" + list.query)
                let xlsx = try await head.get("/unit/export.xlsx?list=" + list.query)
                let name = String(list.query.prefix { $0 != "&" })
                #expect(xlsx.status == .ok && xlsx.headers[.contentType] == Self.xlsxType)
                #expect(xlsx.headers[.contentDisposition] == "attachment; filename=\"buckstop-unit-\(name).xlsx\"")
                let book = try XLSXReadBack(Data(buffer: xlsx.body))
                #expect(book.sheetNames == [list.sheet], "the sheet is named after the list")
                let csvRows = CSVReadBack.rows(csv.text)
                #expect(book.rows.map { $0.map(\.text) } == csvRows, "\(name): the workbook's rows are the CSV's")
                #expect(book.rows.count >= 2, "\(name) has a header and at least one row")
                // Counts and measurements are numeric cells, every other cell text.
                for row in book.rows.dropFirst() {
                    for (i, cell) in row.enumerated() where !cell.text.isEmpty && cell.text != "—" {
                        #expect(cell.isNumber == list.numeric.contains(i), "\(name) column \(i): \(cell)")
                    }
                }
                #expect(book.rows.first?.allSatisfy { !$0.isNumber } == true, "the header is text")
            }
            let findings = try XLSXReadBack(Data(buffer: try await head.get("/unit/export.xlsx?list=findings&status=open").body))
            #expect(findings.rows.count == 2 && findings.rows[1][1].text == "Đùn đẩy qua lại")
            let officials = try XLSXReadBack(Data(buffer: try await head.get("/unit/export.xlsx?list=officials").body))
            let an = try #require(officials.rows.first { $0.first?.text == "Võ Thị An" })
            #expect(an[2] == .number(1) && an[3] == .number(0) && an[5] == .number(1), "cv-an holds one case, none late, one finding")
        }
    }

    @Test func anInspectorsWorkbookCoversTheCity() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            try await Self.withAFinding(fixture, client)
            var inspector = Browser(client)
            _ = try await inspector.login("ttv")
            for list in ["cases", "findings"] {
                let csv = try await inspector.get("/inspect/export.csv?list=\(list)")
                let xlsx = try await inspector.get("/inspect/export.xlsx?list=\(list)")
                #expect(xlsx.status == .ok && xlsx.headers[.contentDisposition] == "attachment; filename=\"buckstop-inspect-\(list).xlsx\"")
                let book = try XLSXReadBack(Data(buffer: xlsx.body))
                #expect(book.rows.map { $0.map(\.text) } == CSVReadBack.rows(csv.text))
                #expect(book.rows.count == 2, "\(list): the sample case and its one finding")
            }
        }
    }

    @Test func anUnknownListIsABadRequestNamingTheField() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            for path in ["/unit/export.xlsx?list=nothing", "/unit/export.csv?list=nothing"] {
                let r = try await head.get(path + "&lang=vi")  // the language chosen is remembered: ask for each
                #expect(r.status.code == 400, "\(path)")
                #expect(r.text.contains("<p id=\"problem-detail\">Danh sách cần xuất phải là cases, officials hoặc findings</p>"))
                let english = try await head.get(path + "&lang=en")
                #expect(english.status.code == 400 && english.text.contains("list must be cases, officials or findings"), "it names the field")
                #expect(r.headers[.contentType] != Self.xlsxType && r.headers[.contentDisposition] == nil, "no file for a refused list")
            }
            var inspector = Browser(client)
            _ = try await inspector.login("ttv")
            #expect(try await inspector.get("/inspect/export.xlsx?list=other").status.code == 400)
        }
    }

    @Test func citizensAnonymousAndOfficialsWithoutTheRoleGetNoWorkbook() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            let anonymous = Browser(client)
            var citizen = Browser(client)
            let pin = fixture.state.live.citizenKeys.pin(for: ServerFixture.code)
            _ = try await citizen.post("/track", form: [("code", ServerFixture.code.rawValue), ("pin", pin)])
            var official = Browser(client)
            _ = try await official.login("cv-an")
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            for path in ["/unit/export.xlsx?list=cases", "/inspect/export.xlsx?list=findings"] {
                for (who, browser) in [("anonymous", anonymous), ("citizen", citizen)] {
                    var b = browser
                    let r = try await b.get(path)
                    #expect(r.status.code == 303 && r.location?.hasPrefix("/login") == true, "\(who) GET \(path) is sent to log in")
                    #expect(r.headers[.contentType] != Self.xlsxType)
                }
                #expect(try await official.get(path).status.code == 403, "an official who is no head nor inspector: \(path)")
            }
            #expect(try await head.get("/inspect/export.xlsx?list=cases").status.code == 403, "a head sees their unit, not the city")
        }
    }

    @Test func everyListOffersCSVAndXLSXSideBySide() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            let unit = try await head.get("/unit?detector=overdue").text
            for (id, query) in [("cases", "cases"), ("officials", "officials"), ("findings", "findings&amp;status=open&amp;detector=overdue")] {
                #expect(unit.contains("id=\"unit-\(id)-csv\" href=\"/unit/export.csv?list=\(query)\""))
                #expect(unit.contains("id=\"unit-\(id)-xlsx\" href=\"/unit/export.xlsx?list=\(query)\""), "\(id) has an XLSX link")
            }
            var inspector = Browser(client)
            _ = try await inspector.login("ttv")
            let inspect = try await inspector.get("/inspect").text
            #expect(inspect.contains("id=\"inspect-cases-xlsx\" href=\"/inspect/export.xlsx?list=cases\""))
            #expect(inspect.contains("id=\"inspect-findings-xlsx\" href=\"/inspect/export.xlsx?list=findings&amp;status=open\""))
        }
    }

    /// What the CSV shows stays the text it was; the workbook gets a number only where the text reads as one.
    @Test func cellsKeepTheirTextAndGainANumberOnlyWhereOneIsMeant() {
        #expect(ExportCell.count(3) == ExportCell(text: "3", number: 3))
        #expect(ExportCell.count(-2 as Int?) == ExportCell(text: "-2", number: -2))
        #expect(ExportCell.count(nil as Int?) == ExportCell(text: "", number: nil) && ExportCell.count(nil as Int?).cell == .empty)
        #expect(ExportCell.measured("1.5").cell == .number(1.5) && ExportCell.measured("1.5").text == "1.5")
        #expect(ExportCell.measured("3 ngày").cell == .text("3 ngày"))
        #expect(ExportCell.measured("nan").cell == .text("nan") && ExportCell.measured("inf").cell == .text("inf"))
        #expect(ExportCell.text("0012").cell == .text("0012"), "a code is never turned into a number")
    }
}

// MARK: Reading the files back

/// A workbook's first sheet as text and numbers, read with ZIPFoundation and XMLParser (not with the writer's code).
struct XLSXReadBack {
    enum Value: Equatable {
        case text(String)
        case number(Double)

        /// As the CSV writes it: whole numbers without a fraction.
        var text: String {
            switch self {
            case .text(let s): return s
            case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
            }
        }

        var isNumber: Bool {
            if case .number = self { return true }
            return false
        }
    }

    var sheetNames: [String] = []
    var rows: [[Value]] = []

    init(_ data: Data) throws {
        let archive = try Archive(data: data, accessMode: .read)
        func part(_ path: String) throws -> Data {
            guard let entry = archive[path] else { throw ReadBackFailure(description: "expected part \(path); found none") }
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            return bytes
        }
        sheetNames = try Elements.collect(try part("xl/workbook.xml"), element: "sheet").compactMap { $0.attributes["name"] }
        let strings = try Elements.collect(try part("xl/sharedStrings.xml"), element: "si").map { $0.text }
        var grid: [Int: [Int: Value]] = [:]
        for c in try Elements.collect(try part("xl/worksheets/sheet1.xml"), element: "c") {
            let ref = c.attributes["r"] ?? ""
            let letters = ref.prefix { $0.isLetter }
            guard let row = Int(ref.dropFirst(letters.count)) else { throw ReadBackFailure(description: "expected a cell reference; found \(ref)") }
            let column = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
            if c.attributes["t"] == "s" {
                guard let i = Int(c.text), strings.indices.contains(i) else { throw ReadBackFailure(description: "bad string index \(c.text)") }
                grid[row, default: [:]][column] = .text(strings[i])
            } else {
                guard let x = Double(c.text) else { throw ReadBackFailure(description: "expected a number in \(ref); found \(c.text)") }
                grid[row, default: [:]][column] = .number(x)
            }
        }
        let width = grid.values.flatMap(\.keys).max() ?? 0
        let height = grid.keys.max() ?? 0
        rows = height == 0 ? [] : (1...height).map { r in (1...max(width, 1)).map { grid[r]?[$0] ?? .text("") } }
    }
}

struct ReadBackFailure: Error, CustomStringConvertible {
    var description: String
}

/// Every element of one name with its attributes and the text inside it (nested text included).
final class Elements: NSObject, XMLParserDelegate {
    struct Found {
        var attributes: [String: String]
        var text: String
    }

    let name: String
    var found: [Found] = []
    var depth = 0

    init(name: String) { self.name = name }

    static func collect(_ data: Data, element: String) throws -> [Found] {
        let reader = Elements(name: element)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw ReadBackFailure(description: "expected well-formed XML in a part with <\(element)>") }
        return reader.found
    }

    func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if e == name {
            found.append(Found(attributes: attributes, text: ""))
            depth = 1
        } else if depth > 0 {
            depth += 1
        }
    }

    func parser(_ p: XMLParser, foundCharacters s: String) {
        if depth > 0 { found[found.count - 1].text += s }
    }

    func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
        if depth > 0 { depth -= 1 }
    }
}

/// RFC 4180 rows of the CSV export: the byte-order mark dropped, quotes undone, and the apostrophe that keeps a cell
/// from running as a formula (=, +, -, @) taken off again, since the workbook needs no such guard.
enum CSVReadBack {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text.unicodeScalars.drop { $0 == "\u{FEFF}" })[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        cell.unicodeScalars.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    cell.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(unguarded(cell))
                cell = ""
            } else if c == "\r" && chars.first == "\n" {
                chars = chars.dropFirst()
                row.append(unguarded(cell))
                rows.append(row)
                row = []
                cell = ""
            } else {
                cell.unicodeScalars.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty {
            row.append(unguarded(cell))
            rows.append(row)
        }
        return rows
    }

    static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.dropFirst().first, "=+-@\t\r".contains(next) else { return cell }
        return String(cell.dropFirst())
    }
}
