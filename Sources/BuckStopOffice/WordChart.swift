import Foundation

/// A chart drawn by the word processor itself (DrawingML, ECMA-376 Part 1 §21.2): a line chart over categories or a
/// horizontal bar chart. Native rather than a picture, so it prints sharp, reads the document's fonts and carries its
/// numbers (a reader can see them in Word's data view). The numbers live in the chart part's caches only: no embedded
/// workbook is written — Word and LibreOffice draw from the caches, and Word asks for a workbook only to edit the data.
public struct WordChart: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// One line per series over the categories (months, left to right).
        case line
        /// Horizontal bars (`c:barDir val="bar"`); Word draws the first category at the bottom.
        case bar
    }

    public struct Series: Sendable, Equatable {
        public var name: String
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var kind: Kind
    public var title: String
    public var categories: [String]
    public var series: [Series]
    /// The value axis's title (what is counted), if any.
    public var valueAxisTitle: String?
    /// Size on the page, in centimetres.
    public var width: Double
    public var height: Double
    /// Each bar's or point's value written beside it.
    public var showValues: Bool

    /// The text width of a Decree 30/2020 page: A4 (21 cm) less the left (3 cm) and right (1.5 cm) margins.
    public static let textWidth = 16.5

    public init(
        kind: Kind, title: String, categories: [String], series: [Series], valueAxisTitle: String? = nil, width: Double = WordChart.textWidth,
        height: Double = 8, showValues: Bool = false
    ) {
        self.kind = kind
        self.title = title
        self.categories = categories
        self.series = series
        self.valueAxisTitle = valueAxisTitle
        self.width = width
        self.height = height
        self.showValues = showValues
    }

    /// Series colours: the HTML report's palette, so the two formats look alike.
    static let palette = ["1F5FA8", "C0392B", "2E8B57", "8E44AD", "D4820B"]
    static let font = "Times New Roman"
    static let c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    static let a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    static let categoryAxisID = 50_010
    static let valueAxisID = 50_020

    static func text(_ s: String) -> String { SpreadsheetText.xmlEscaped(SpreadsheetText.stripped(s)) }

    /// A number as the cache holds it: integers without a decimal point, others with up to six digits.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    /// Text properties in Times New Roman at `size` points (hundredths in DrawingML).
    static func textProperties(size: Double, bold: Bool = false) -> String {
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>" + runProperties("defRPr", size: size, bold: bold)
            + "</a:pPr><a:endParaRPr lang=\"vi-VN\"/></a:p></c:txPr>"
    }

    static func runProperties(_ element: String, size: Double, bold: Bool = false) -> String {
        "<a:\(element) lang=\"vi-VN\" sz=\"\(Int((size * 100).rounded()))\" b=\"\(bold ? 1 : 0)\"><a:solidFill><a:srgbClr val=\"222222\"/></a:solidFill>"
            + "<a:latin typeface=\"\(font)\"/><a:cs typeface=\"\(font)\"/></a:\(element)>"
    }

    /// A title (the chart's or an axis's) as rich text.
    static func title(_ s: String, size: Double) -> String {
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>" + runProperties("defRPr", size: size, bold: true) + "</a:pPr><a:r>"
            + runProperties("rPr", size: size, bold: true) + "<a:t>\(text(s))</a:t></a:r></a:p></c:rich></c:tx>"
            + "<c:overlay val=\"0\"/></c:title>"
    }

    /// Column letters of the (absent) data sheet the references name: A for the categories, B… for the series.
    static func column(_ i: Int) -> String {
        var n = i + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// The chart part (`word/charts/chartN.xml`).
    public func xml() -> String {
        let rows = categories.count
        let categoryRef = "Sheet1!$A$2:$A$\(rows + 1)"
        var categoryCache = "<c:strCache><c:ptCount val=\"\(rows)\"/>"
        for (i, label) in categories.enumerated() { categoryCache += "<c:pt idx=\"\(i)\"><c:v>\(Self.text(label))</c:v></c:pt>" }
        categoryCache += "</c:strCache>"
        var plot = ""
        for (k, s) in series.enumerated() {
            let col = Self.column(k + 1)
            let colour = Self.palette[k % Self.palette.count]
            plot += "<c:ser><c:idx val=\"\(k)\"/><c:order val=\"\(k)\"/>"
            plot +=
                "<c:tx><c:strRef><c:f>Sheet1!$\(col)$1</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>\(Self.text(s.name))</c:v></c:pt></c:strCache></c:strRef></c:tx>"
            switch kind {
            case .line:
                plot += "<c:spPr><a:ln w=\"28575\" cap=\"rnd\"><a:solidFill><a:srgbClr val=\"\(colour)\"/></a:solidFill><a:round/></a:ln></c:spPr>"
                plot +=
                    "<c:marker><c:symbol val=\"circle\"/><c:size val=\"5\"/><c:spPr><a:solidFill><a:srgbClr val=\"\(colour)\"/></a:solidFill></c:spPr></c:marker>"
            case .bar:
                plot += "<c:spPr><a:solidFill><a:srgbClr val=\"\(colour)\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>"
            }
            if showValues {
                plot +=
                    "<c:dLbls>" + Self.textProperties(size: 9) + (kind == .bar ? "<c:dLblPos val=\"outEnd\"/>" : "<c:dLblPos val=\"t\"/>")
                    + "<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
            }
            plot += "<c:cat><c:strRef><c:f>\(categoryRef)</c:f>\(categoryCache)</c:strRef></c:cat>"
            plot += "<c:val><c:numRef><c:f>Sheet1!$\(col)$2:$\(col)$\(rows + 1)</c:f><c:numCache><c:formatCode>General</c:formatCode>"
            plot += "<c:ptCount val=\"\(rows)\"/>"
            for (i, v) in s.values.prefix(rows).enumerated() { plot += "<c:pt idx=\"\(i)\"><c:v>\(Self.number(v))</c:v></c:pt>" }
            plot += "</c:numCache></c:numRef></c:val>"
            if kind == .line { plot += "<c:smooth val=\"0\"/>" }
            plot += "</c:ser>"
        }
        let axes = "<c:axId val=\"\(Self.categoryAxisID)\"/><c:axId val=\"\(Self.valueAxisID)\"/>"
        let chartGroup =
            switch kind {
            case .line: "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>\(plot)<c:marker val=\"1\"/>\(axes)</c:lineChart>"
            case .bar:
                "<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>\(plot)<c:gapWidth val=\"50\"/>\(axes)</c:barChart>"
            }
        let line = "<c:spPr><a:ln w=\"9525\"><a:solidFill><a:srgbClr val=\"888888\"/></a:solidFill></a:ln></c:spPr>"
        let grid =
            "<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"
        // Months run along the bottom of a line chart; a bar chart's categories stand on the left, its values below.
        let categoryAxis =
            "<c:catAx><c:axId val=\"\(Self.categoryAxisID)\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/>"
            + "<c:axPos val=\"\(kind == .bar ? "l" : "b")\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>"
            + "<c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>\(line)"
            + Self.textProperties(size: kind == .bar ? 9 : 10)
            + "<c:crossAx val=\"\(Self.valueAxisID)\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/>"
            // Every bar keeps its name: left to itself, LibreOffice skips every other long label.
            + (kind == .bar ? "<c:tickLblSkip val=\"1\"/>" : "") + "<c:noMultiLvlLbl val=\"0\"/></c:catAx>"
        let valueAxis =
            "<c:valAx><c:axId val=\"\(Self.valueAxisID)\"/><c:scaling><c:orientation val=\"minMax\"/><c:min val=\"0\"/></c:scaling><c:delete val=\"0\"/>"
            + "<c:axPos val=\"\(kind == .bar ? "b" : "l")\"/>\(grid)" + (valueAxisTitle.map { Self.title($0, size: 10) } ?? "")
            + "<c:numFmt formatCode=\"#,##0\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>\(line)"
            + Self.textProperties(size: 10)
            + "<c:crossAx val=\"\(Self.categoryAxisID)\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx>"
        // One series needs no legend: the title says what the bars count.
        let legend =
            series.count > 1
            ? "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>" + Self.textProperties(size: 10) + "</c:legend>" : ""
        return WordDocument.declaration
            + "<c:chartSpace xmlns:c=\"\(Self.c)\" xmlns:a=\"\(Self.a)\" xmlns:r=\"\(WordDocument.r)\">"
            + "<c:date1904 val=\"0\"/><c:lang val=\"vi-VN\"/><c:roundedCorners val=\"0\"/>"
            + "<c:chart>" + Self.title(title, size: 12) + "<c:autoTitleDeleted val=\"0\"/>"
            + "<c:plotArea><c:layout/>\(chartGroup)\(categoryAxis)\(valueAxis)</c:plotArea>"
            + legend + "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
            + "<c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>"
            + Self.textProperties(size: 10) + "</c:chartSpace>"
    }

    /// English Metric Units per centimetre (DrawingML sizes).
    static func emu(_ cm: Double) -> Int { Int((cm * 360_000).rounded()) }

    /// The body's paragraph that shows the chart: an inline drawing pointing at the chart part by relationship id;
    /// `drawingID` is the drawing's id, unique in the document (`wp:docPr`).
    func paragraph(relationshipID: String, drawingID: Int) -> String {
        "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>"
            + "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"\(Self.emu(width))\" cy=\"\(Self.emu(height))\"/>"
            + "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
            + "<wp:docPr id=\"\(drawingID)\" name=\"Biểu đồ \(drawingID)\" descr=\"\(Self.text(title))\"/><wp:cNvGraphicFramePr/>"
            + "<a:graphic xmlns:a=\"\(Self.a)\"><a:graphicData uri=\"\(Self.c)\">"
            + "<c:chart xmlns:c=\"\(Self.c)\" r:id=\"\(relationshipID)\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    }
}
