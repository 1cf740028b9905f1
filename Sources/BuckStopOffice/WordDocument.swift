import Foundation

/// A run of text with its emphasis; `size` in points (Decree 30/2020: text 13–14 pt), nil for the paragraph's.
public struct WordRun: Sendable, Equatable {
    public var text: String
    public var bold: Bool
    public var italic: Bool
    public var underline: Bool
    public var size: Double?
    /// The text colour as six hex digits, nil for the default: white on a dark shaded cell.
    public var color: String?

    public init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Double? = nil, color: String? = nil) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.size = size
        self.color = color
    }
}

/// A paragraph: runs, alignment, and whether it is a heading (so Word's navigation pane and LibreOffice's outline list
/// the report's sections).
public struct WordParagraph: Sendable, Equatable {
    public enum Alignment: String, Sendable { case left, center, right, both }

    public var runs: [WordRun]
    public var alignment: Alignment
    /// 1 or 2 for the report's section and subsection headings; nil for body text.
    public var heading: Int?
    /// A first-line indent in centimetres (administrative text indents each paragraph 1–1.27 cm).
    public var firstLineIndent: Double?
    /// Space after the paragraph, in points.
    public var spaceAfter: Double
    /// Kept on the page of what follows: a caption with its table (headings always are).
    public var keepNext: Bool

    public init(
        _ runs: [WordRun], alignment: Alignment = .both, heading: Int? = nil, firstLineIndent: Double? = nil, spaceAfter: Double = 6,
        keepNext: Bool = false
    ) {
        self.runs = runs
        self.alignment = alignment
        self.heading = heading
        self.firstLineIndent = firstLineIndent
        self.spaceAfter = spaceAfter
        self.keepNext = keepNext
    }

    public init(_ text: String, bold: Bool = false, italic: Bool = false, alignment: Alignment = .both, heading: Int? = nil) {
        self.init([WordRun(text, bold: bold, italic: italic)], alignment: alignment, heading: heading)
    }
}

/// A table: cells of paragraphs, widths in centimetres, a header row repeated on every page, or no borders at all for
/// layout (the two-column heading block of an administrative document).
public struct WordTable: Sendable, Equatable {
    public var widths: [Double]
    public var rows: [[[WordParagraph]]]
    public var headerRows: Int
    public var borders: Bool
    /// Cell shading as six hex digits (`w:shd w:fill`), by row and column; nil or missing for none. A heat map in Word
    /// is a table whose cells are darker for more.
    public var fills: [[String?]]
    /// The header rows' text set bottom to top in rows this tall (centimetres): many narrow columns keep their names.
    public var verticalHeaderHeight: Double?

    public init(
        widths: [Double], rows: [[[WordParagraph]]], headerRows: Int = 1, borders: Bool = true, fills: [[String?]] = [],
        verticalHeaderHeight: Double? = nil
    ) {
        self.widths = widths
        self.rows = rows
        self.headerRows = headerRows
        self.borders = borders
        self.fills = fills
        self.verticalHeaderHeight = verticalHeaderHeight
    }

    /// A grid of plain text: the header row bold and centred, numbers right-aligned.
    public init(widths: [Double], header: [String], rows: [[String]], size: Double = 12) {
        func cell(_ text: String, bold: Bool) -> [WordParagraph] {
            let numeric = !text.isEmpty && text.allSatisfy { $0.isNumber || $0 == "," || $0 == "." || $0 == "%" || $0 == "-" || $0 == "+" }
            return [
                WordParagraph(
                    [WordRun(text, bold: bold, size: size)], alignment: bold ? .center : (numeric ? .right : .left), spaceAfter: 0)
            ]
        }
        self.init(widths: widths, rows: [header.map { cell($0, bold: true) }] + rows.map { $0.map { cell($0, bold: false) } })
    }
}

public enum WordBlock: Sendable, Equatable {
    case paragraph(WordParagraph)
    case table(WordTable)
    /// A chart drawn by Word (DrawingML), in its own part.
    case chart(WordChart)
    case pageBreak
}

/// A Word document (ECMA-376 WordprocessingML) built in memory, laid out as Decree 30/2020/NĐ-CP sets for
/// administrative documents: A4, margins top and bottom 2 cm, left 3 cm, right 1.5 cm, Times New Roman, body text at
/// `bodySize` (13–14 pt). Only the parts a reader needs (content types, relationships, document, styles, settings, one
/// part per chart), so the same bytes open in Word, LibreOffice and python-docx.
public struct WordDocument: Sendable, Equatable {
    public var blocks: [WordBlock]
    public var bodySize: Double
    public var title: String

    public init(title: String, blocks: [WordBlock], bodySize: Double = 14) {
        self.title = title
        self.blocks = blocks
        self.bodySize = bodySize
    }

    /// The .docx file's bytes; the same document always gives the same bytes (fixed entry dates).
    public func data() throws(XLSXError) -> Data {
        var body = ""
        var charts: [WordChart] = []
        for block in blocks {
            switch block {
            case .paragraph(let p): body += Self.paragraph(p)
            case .table(let t): body += Self.table(t)
            case .chart(let chart):
                charts.append(chart)
                body += chart.paragraph(relationshipID: "rIdChart\(charts.count)", drawingID: charts.count)
            case .pageBreak: body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
            }
        }
        let document =
            Self.declaration + "<w:document xmlns:w=\"\(Self.w)\" xmlns:r=\"\(Self.r)\" xmlns:wp=\"\(Self.wp)\">"
            + "<w:body>\(body)<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
            + "<w:pgMar w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
            + "</w:sectPr></w:body></w:document>"
        var relationships = Self.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        relationships += "<Relationship Id=\"rIdStyles\" Type=\"\(Self.officeRel)/styles\" Target=\"styles.xml\"/>"
        relationships += "<Relationship Id=\"rIdSettings\" Type=\"\(Self.officeRel)/settings\" Target=\"settings.xml\"/>"
        for n in charts.indices {
            relationships += "<Relationship Id=\"rIdChart\(n + 1)\" Type=\"\(Self.officeRel)/chart\" Target=\"charts/chart\(n + 1).xml\"/>"
        }
        relationships += "</Relationships>"
        var parts: [(path: String, bytes: Data)] = [
            ("[Content_Types].xml", Data(Self.contentTypes(charts: charts.count).utf8)),
            ("_rels/.rels", Data(Self.rootRelationships.utf8)),
            ("docProps/core.xml", Data(Self.core(title: title).utf8)),
            ("word/document.xml", Data(document.utf8)),
            ("word/_rels/document.xml.rels", Data(relationships.utf8)),
            ("word/styles.xml", Data(styles.utf8)),
            ("word/settings.xml", Data(Self.settings.utf8)),
        ]
        for (n, chart) in charts.enumerated() { parts.append(("word/charts/chart\(n + 1).xml", Data(chart.xml().utf8))) }
        return try Workbook.zip(bytes: parts)
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    static let officeRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func text(_ s: String) -> String { SpreadsheetText.xmlEscaped(SpreadsheetText.stripped(s)) }

    /// Twentieths of a point per centimetre.
    static func twips(_ cm: Double) -> Int { Int((cm * 566.929).rounded()) }

    static func run(_ run: WordRun) -> String {
        var properties = ""
        if run.bold { properties += "<w:b/>" }
        if run.italic { properties += "<w:i/>" }
        // In the schema's order (CT_RPr: colour, size, underline): Word validates it and may call a file with them out of
        // order unreadable.
        if let color = run.color { properties += "<w:color w:val=\"\(text(color))\"/>" }
        if let size = run.size { properties += "<w:sz w:val=\"\(Int((size * 2).rounded()))\"/><w:szCs w:val=\"\(Int((size * 2).rounded()))\"/>" }
        if run.underline { properties += "<w:u w:val=\"single\"/>" }
        // Line breaks inside a run become <w:br/>: a paragraph's text keeps the lines it was given.
        let lines = run.text.split(separator: "\n", omittingEmptySubsequences: false)
        let content = lines.map { "<w:t xml:space=\"preserve\">\(text(String($0)))</w:t>" }.joined(separator: "<w:br/>")
        return "<w:r>" + (properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>") + content + "</w:r>"
    }

    static func paragraph(_ p: WordParagraph) -> String {
        var properties = ""
        if let level = p.heading { properties += "<w:pStyle w:val=\"Heading\(level)\"/>" }
        if p.heading != nil || p.keepNext { properties += "<w:keepNext/>" }
        properties += "<w:spacing w:before=\"0\" w:after=\"\(Int(p.spaceAfter * 20))\"/>"
        if let indent = p.firstLineIndent { properties += "<w:ind w:firstLine=\"\(twips(indent))\"/>" }
        properties += "<w:jc w:val=\"\(p.alignment.rawValue)\"/>"
        return "<w:p><w:pPr>\(properties)</w:pPr>" + p.runs.map(run).joined() + "</w:p>"
    }

    static func table(_ t: WordTable) -> String {
        let border = t.borders ? "single" : "nil"
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"\(t.widths.map(twips).reduce(0, +))\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
        out += "<w:tblBorders>"
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            out += "<w:\(side) w:val=\"\(border)\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        }
        out += "</w:tblBorders><w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        out += "<w:tblGrid>" + t.widths.map { "<w:gridCol w:w=\"\(twips($0))\"/>" }.joined() + "</w:tblGrid>"
        for (i, row) in t.rows.enumerated() {
            let header = i < t.headerRows
            let vertical = header ? t.verticalHeaderHeight : nil
            out += "<w:tr><w:trPr><w:cantSplit/>" + (vertical.map { "<w:trHeight w:val=\"\(twips($0))\" w:hRule=\"atLeast\"/>" } ?? "")
            out += (header && t.borders ? "<w:tblHeader/>" : "") + "</w:trPr>"
            for (j, cell) in row.enumerated() {
                let width = j < t.widths.count ? twips(t.widths[j]) : twips(2)
                out += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
                if i < t.fills.count, j < t.fills[i].count, let fill = t.fills[i][j] {
                    out += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\(text(fill))\"/>"
                }
                // The row's first cell names the row and stays horizontal; the others read bottom to top.
                if vertical != nil && j > 0 { out += "<w:textDirection w:val=\"btLr\"/><w:vAlign w:val=\"bottom\"/>" }
                out += "</w:tcPr>"
                // A cell must hold at least one paragraph.
                out += cell.isEmpty ? "<w:p/>" : cell.map(paragraph).joined()
                out += "</w:tc>"
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }

    var styles: String {
        let size = Int((bodySize * 2).rounded())
        let font = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
        return Self.declaration + "<w:styles xmlns:w=\"\(Self.w)\">"
            + "<w:docDefaults><w:rPrDefault><w:rPr>\(font)<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault>"
            + "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
            + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
            + "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
            + "<w:pPr><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"\(size)\"/></w:rPr></w:style>"
            + "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
            + "<w:pPr><w:spacing w:before=\"120\" w:after=\"60\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:i/><w:sz w:val=\"\(size)\"/></w:rPr></w:style>"
            + "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblCellMar><w:left w:w=\"108\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
            + "</w:styles>"
    }

    static let settings =
        declaration
        + "<w:settings xmlns:w=\"\(w)\"><w:defaultTabStop w:val=\"720\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"

    static func contentTypes(charts: Int) -> String {
        declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
            + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
            + "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
            + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
            + (0..<charts).map {
                "<Override PartName=\"/word/charts/chart\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
            }.joined()
            + "</Types>"
    }

    static let rootRelationships =
        declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(officeRel)/officeDocument\" Target=\"word/document.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        + "</Relationships>"

    static func core(title: String) -> String {
        declaration
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
            + "<dc:title>\(text(title))</dc:title><dc:creator>BuckStop</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>"
    }
}
