import BuckStopOffice
import Foundation
import Testing
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Word's own charts (DrawingML) read back with Foundation's XMLParser, sharing no code with the writer: the series,
/// their values and categories as the caches hold them, the axes paired, and the document's parts, relationships and
/// content types that make Word and LibreOffice find the chart.
struct WordChartTests {
    static let months = WordChart(
        kind: .line, title: "Biểu đồ 1. Tiếp nhận và giải quyết đúng hạn theo tháng", categories: ["01/2026", "02/2026", "03/2026"],
        series: [.init(name: "Tiếp nhận mới", values: [12, 7, 30]), .init(name: "Giải quyết đúng hạn", values: [10, 2.5, 28])],
        valueAxisTitle: "Số hồ sơ, việc")

    static let bars = WordChart(
        kind: .bar, title: "Biểu đồ 4. Luồng chuyển <đùn đẩy> & \"qua lại\"", categories: ["Sở A → Sở B", "Sở B → Sở A"],
        series: [.init(name: "Số lần chuyển", values: [3, 5])], showValues: true)

    @Test func aLineChartHoldsItsSeriesCategoriesAndPairedAxes() throws {
        let root = try XMLTree.parse(Data(Self.months.xml().utf8))
        #expect(root.name == "c:chartSpace")
        let line = try #require(root.first("c:lineChart"))
        #expect(root.first("c:barChart") == nil)
        let series = line.all("c:ser")
        #expect(series.count == 2)
        #expect(series.map { $0.first("c:tx")?.all("c:v").map(\.text) ?? [] } == [["Tiếp nhận mới"], ["Giải quyết đúng hạn"]])
        for s in series {
            #expect(s.first("c:cat")?.first("c:strRef")?.first("c:strCache")?.all("c:v").map(\.text) == ["01/2026", "02/2026", "03/2026"])
            #expect(s.first("c:cat")?.first("c:strRef")?.first("c:f")?.text == "Sheet1!$A$2:$A$4")
            #expect(s.first("c:val")?.first("c:numRef")?.first("c:numCache")?.first("c:ptCount")?.attributes["val"] == "3")
        }
        #expect(series[0].first("c:val")?.all("c:v").map(\.text) == ["12", "7", "30"])
        #expect(series[1].first("c:val")?.all("c:v").map(\.text) == ["10", "2.5", "28"])
        #expect(series[1].first("c:val")?.first("c:f")?.text == "Sheet1!$C$2:$C$4")
        // The chart group names two axes; one is the category axis, the other the value axis, each crossing the other.
        let ids = line.children.filter { $0.name == "c:axId" }.compactMap { $0.attributes["val"] }
        #expect(ids.count == 2)
        let category = try #require(root.first("c:catAx"))
        let value = try #require(root.first("c:valAx"))
        #expect(category.first("c:axId")?.attributes["val"] == ids[0] && value.first("c:axId")?.attributes["val"] == ids[1])
        #expect(category.first("c:crossAx")?.attributes["val"] == ids[1] && value.first("c:crossAx")?.attributes["val"] == ids[0])
        #expect(category.first("c:axPos")?.attributes["val"] == "b")
        #expect(root.first("c:legend") != nil, "two series need a legend")
        let title = try #require(root.first("c:chart")?.children.first { $0.name == "c:title" })
        #expect(title.all("a:t").map(\.text).joined() == "Biểu đồ 1. Tiếp nhận và giải quyết đúng hạn theo tháng")
        #expect(value.first("c:title")?.all("a:t").map(\.text) == ["Số hồ sơ, việc"])
        #expect(root.all("a:latin").allSatisfy { $0.attributes["typeface"] == "Times New Roman" } && !root.all("a:latin").isEmpty)
    }

    @Test func aBarChartIsHorizontalWithEscapedTextAndEveryLabel() throws {
        let root = try XMLTree.parse(Data(Self.bars.xml().utf8))
        let bar = try #require(root.first("c:barChart"))
        #expect(bar.first("c:barDir")?.attributes["val"] == "bar")
        #expect(root.first("c:chart")?.first("c:title")?.all("a:t").map(\.text).joined() == "Biểu đồ 4. Luồng chuyển <đùn đẩy> & \"qua lại\"")
        let series = bar.all("c:ser")
        #expect(series.count == 1)
        #expect(series[0].first("c:cat")?.all("c:v").map(\.text) == ["Sở A → Sở B", "Sở B → Sở A"])
        #expect(series[0].first("c:val")?.all("c:v").map(\.text) == ["3", "5"])
        #expect(series[0].first("c:dLbls")?.first("c:showVal")?.attributes["val"] == "1")
        #expect(root.first("c:legend") == nil, "one series: the title says what is counted")
        #expect(root.first("c:catAx")?.first("c:axPos")?.attributes["val"] == "l")
        #expect(root.first("c:catAx")?.first("c:tickLblSkip")?.attributes["val"] == "1")
    }

    @Test func theDocumentCarriesEachChartAsAPartWithItsRelationshipAndContentType() throws {
        let document = WordDocument(
            title: "Thử",
            blocks: [.paragraph(WordParagraph("Đoạn mở đầu")), .chart(Self.months), .chart(Self.bars), .paragraph(WordParagraph("Hết"))])
        let archive = try Archive(data: try document.data(), accessMode: .read)
        func part(_ path: String) throws -> Data {
            let entry = try #require(archive[path], "\(path) missing")
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            return bytes
        }
        #expect(String(decoding: try part("word/charts/chart1.xml"), as: UTF8.self) == Self.months.xml())
        #expect(String(decoding: try part("word/charts/chart2.xml"), as: UTF8.self) == Self.bars.xml())
        let types = try XMLTree.parse(try part("[Content_Types].xml"))
        let overrides = Dictionary(
            types.all("Override").map { ($0.attributes["PartName"] ?? "", $0.attributes["ContentType"] ?? "") }, uniquingKeysWith: { a, _ in a })
        for n in 1...2 {
            #expect(overrides["/word/charts/chart\(n).xml"] == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml")
        }
        let rels = try XMLTree.parse(try part("word/_rels/document.xml.rels")).all("Relationship")
        let charts = rels.filter { $0.attributes["Type"] == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" }
        #expect(charts.compactMap { $0.attributes["Target"] }.sorted() == ["charts/chart1.xml", "charts/chart2.xml"])
        // The body points at them by relationship id from inline drawings with unique ids, as wide as the text.
        let body = try XMLTree.parse(try part("word/document.xml"))
        let inline = body.all("wp:inline")
        #expect(inline.count == 2)
        let drawingIDs = inline.compactMap { $0.first("wp:docPr")?.attributes["id"] }
        #expect(drawingIDs.count == 2 && Set(drawingIDs).count == 2)
        #expect(inline.allSatisfy { $0.first("wp:extent")?.attributes["cx"] == "5940000" }, "16.5 cm: A4 less Decree 30's margins")
        #expect(body.all("a:graphicData").allSatisfy { $0.attributes["uri"] == "http://schemas.openxmlformats.org/drawingml/2006/chart" })
        let pointed = body.all("c:chart").compactMap { $0.attributes["r:id"] }
        let targets = Dictionary(rels.map { ($0.attributes["Id"] ?? "", $0.attributes["Target"] ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(pointed.map { targets[$0] } == ["charts/chart1.xml", "charts/chart2.xml"])
    }

    @Test func aShadedTableWithVerticalHeadersKeepsItsCounts() throws {
        let table = WordTable(
            widths: [4, 1, 1],
            rows: [
                [[WordParagraph("Đơn vị")], [WordParagraph("Đùn đẩy qua lại")], [WordParagraph("Trễ hạn")]],
                [[WordParagraph("Sở Tư pháp")], [WordParagraph("3")], []],
            ], fills: [[nil, nil, nil], [nil, "C0392B", nil]], verticalHeaderHeight: 3)
        let archive = try Archive(data: try WordDocument(title: "Bảng", blocks: [.table(table)]).data(), accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        let body = try XMLTree.parse(bytes)
        let rows = body.all("w:tr")
        #expect(rows.count == 2)
        #expect(rows[0].all("w:textDirection").count == 2, "the header's behaviour names read bottom to top, the first cell stays")
        #expect(rows[0].first("w:trHeight")?.attributes["w:val"] == "1701")
        let cells = rows[1].all("w:tc")
        #expect(cells[1].first("w:shd")?.attributes["w:fill"] == "C0392B" && cells[1].all("w:t").map(\.text) == ["3"])
        #expect(cells[0].first("w:shd") == nil && cells[2].first("w:shd") == nil)
    }
}

/// An XML element with its qualified name (prefix kept), attributes, children and text: enough to read a part back.
final class XMLTree: NSObject, XMLParserDelegate {
    let name: String
    let attributes: [String: String]
    var children: [XMLTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Every element below this one with that name, in document order.
    func all(_ name: String) -> [XMLTree] { children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) } }
    func first(_ name: String) -> XMLTree? { all(name).first }

    static func parse(_ data: Data) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ReadBackError(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root")")
        }
        return root
    }

    final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            let node = XMLTree(name: qualifiedName ?? e, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ p: XMLParser, foundCharacters s: String) { stack.last?.text += s }

        func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
    }
}
