import BuckStopOffice
import Foundation

/// The report as a Word document laid out as Decree 30/2020/NĐ-CP sets for an administrative report (Phụ lục I): the
/// heading block (issuing body and number on the left, national name and motto on the right), place and date, the
/// document type and its summary, the sections, then recipients and signature left to the signer. Charts are Word's own
/// (DrawingML, `WordChart`): the monthly trend as lines, hot spots and hand-over flows as bars (Word has no Sankey);
/// the unit × behaviour heat map is a table with cells shaded darker for more, the right picture in a word processor.
public enum ReportWord {
    public static func document(_ doc: ReportDocument) -> WordDocument {
        var blocks: [WordBlock] = []
        func centred(_ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Double = 13) -> WordParagraph {
            WordParagraph([WordRun(text, bold: bold, italic: italic, underline: underline, size: size)], alignment: .center, spaceAfter: 0)
        }
        blocks.append(
            .table(
                WordTable(
                    widths: [6.3, 10.2],
                    rows: [
                        [
                            [centred(doc.issuer.uppercased(), bold: true), centred(" "), centred("Số:        /BC-", size: 13)],
                            [
                                centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12),
                                centred("Độc lập - Tự do - Hạnh phúc", bold: true, underline: true, size: 13.5),
                                centred(" "),
                                centred(doc.placeDate, italic: true, size: 14),
                            ],
                        ]
                    ], headerRows: 0, borders: false)))
        blocks.append(.paragraph(WordParagraph([WordRun(" ")], spaceAfter: 6)))
        blocks.append(.paragraph(centred(doc.title, bold: true, size: 14)))
        for line in doc.subtitle.split(separator: "\n") { blocks.append(.paragraph(centred(String(line), bold: true, size: 14))) }
        blocks.append(.paragraph(WordParagraph([WordRun(" ")], spaceAfter: 6)))
        for block in doc.blocks {
            switch block {
            case .heading(let level, let text):
                blocks.append(.paragraph(WordParagraph([WordRun(text)], alignment: .left, heading: level)))
            case .paragraph(let text):
                blocks.append(.paragraph(WordParagraph([WordRun(text)], alignment: .both, firstLineIndent: 1.0)))
            case .table(let t):
                blocks.append(
                    .paragraph(WordParagraph([WordRun(t.caption, italic: true, size: 13)], alignment: .center, spaceAfter: 3, keepNext: true)))
                let total = t.widths.reduce(0, +)
                let widths = t.widths.map { $0 * tableWidth / total }
                blocks.append(.table(WordTable(widths: widths, header: t.header, rows: t.rows, size: t.header.count > 6 ? 11 : 12)))
                blocks.append(.paragraph(WordParagraph([WordRun(" ", size: 6)], spaceAfter: 0)))
            case .chart(let chart):
                blocks += Self.chart(chart)
            }
        }
        blocks.append(.paragraph(WordParagraph([WordRun("Căn cứ số liệu", bold: true, italic: true, size: 12)], alignment: .left, spaceAfter: 0)))
        for line in doc.basis { blocks.append(.paragraph(WordParagraph([WordRun("- " + line, size: 12)], alignment: .both, spaceAfter: 0))) }
        blocks.append(.paragraph(WordParagraph([WordRun(" ")])))
        let left: [WordParagraph] = [
            WordParagraph([WordRun("Nơi nhận:", bold: true, italic: true, size: 12)], alignment: .left, spaceAfter: 0),
            WordParagraph([WordRun("- Như trên;", size: 11)], alignment: .left, spaceAfter: 0),
            WordParagraph([WordRun("- Lưu: VT.", size: 11)], alignment: .left, spaceAfter: 0),
        ]
        let right: [WordParagraph] = [
            centred("THỦ TRƯỞNG CƠ QUAN", bold: true, size: 14),
            centred("(Ký, ghi rõ họ tên, đóng dấu)", italic: true, size: 13),
        ]
        blocks.append(.table(WordTable(widths: [7.9, 7.9], rows: [[left, right]], headerRows: 0, borders: false)))
        return WordDocument(title: doc.title + " " + doc.subtitle.replacingOccurrences(of: "\n", with: " "), blocks: blocks, bodySize: 14)
    }

    public static func data(_ doc: ReportDocument) throws(XLSXError) -> Data { try document(doc).data() }

    /// The text width the report's tables take (the page's is 16.5 cm; tables keep a little air on the right).
    static let tableWidth = 15.8

    static func chart(_ chart: ReportDocument.Chart) -> [WordBlock] {
        switch chart {
        case .trend(let title, let months, let series):
            // Months as the report writes dates (MM/YYYY), not YYYY-MM.
            let labels = months.map { "\($0.suffix(2))/\($0.prefix(4))" }
            return [
                .chart(
                    WordChart(
                        kind: .line, title: title, categories: labels,
                        series: series.map { .init(name: $0.name, values: $0.values.map(Double.init)) },
                        valueAxisTitle: "Số hồ sơ, việc", height: 8.5))
            ]
        case .bars(let title, let bars):
            return [bar(title, bars, series: "Số trường hợp")]
        case .flows(let title, let links):
            return [bar(title, links.map { ("\($0.from) → \($0.to)", $0.count) }, series: "Số lần chuyển")]
        case .heat(let title, let rows, let columns, let values):
            return heat(title, rows, columns, values)
        }
    }

    /// Horizontal bars, largest on top: Word draws a bar chart's first category at the bottom, so the rows go in reversed.
    /// A centimetre a bar leaves room for a long label on two lines; with less, LibreOffice drops every other label.
    static func bar(_ title: String, _ bars: [(label: String, value: Int)], series: String) -> WordBlock {
        .chart(
            WordChart(
                kind: .bar, title: title, categories: bars.reversed().map(\.label),
                series: [.init(name: series, values: bars.reversed().map { Double($0.value) })], valueAxisTitle: series,
                height: 3.2 + 1.0 * Double(bars.count), showValues: true))
    }

    /// The heat map as a table: a row per unit, a column per behaviour (names set vertically), each count in its cell on
    /// a shade of the HTML's red from white (none, left blank) to full (the most).
    static func heat(_ title: String, _ rows: [String], _ columns: [String], _ values: [[Int]]) -> [WordBlock] {
        let maximum = Double(max(1, values.flatMap { $0 }.max() ?? 1))
        let first = 3.8
        let widths = [first] + Array(repeating: (tableWidth - first) / Double(max(1, columns.count)), count: columns.count)
        func cell(_ text: String, bold: Bool = false, color: String? = nil, size: Double = 10, alignment: WordParagraph.Alignment = .center)
            -> [WordParagraph]
        {
            [WordParagraph([WordRun(text, bold: bold, size: size, color: color)], alignment: alignment, spaceAfter: 0)]
        }
        // Tall enough for the longest behaviour's name on one line at 9 pt (about 0.15 cm a letter), within reason.
        let headerHeight = min(6.5, max(2.5, Double(columns.map(\.count).max() ?? 0) * 0.15 + 0.4))
        var cells: [[[WordParagraph]]] = [[cell("Cơ quan, đơn vị", bold: true)] + columns.map { cell($0, bold: true, size: 9, alignment: .left) }]
        var fills: [[String?]] = [Array(repeating: "EEEEEE", count: columns.count + 1)]
        for (i, name) in rows.enumerated() {
            var row = [cell(name, size: 10, alignment: .left)]
            var shades: [String?] = [nil]
            for j in columns.indices {
                let v = i < values.count && j < values[i].count ? values[i][j] : 0
                let shade = v == 0 ? 0 : 0.15 + 0.85 * Double(v) / maximum
                row.append(cell(v == 0 ? "" : ReportDocument.number(v), bold: shade > 0.55, color: shade > 0.55 ? "FFFFFF" : nil))
                shades.append(v == 0 ? nil : Self.shade(shade))
            }
            cells.append(row)
            fills.append(shades)
        }
        return [
            .paragraph(
                WordParagraph(
                    [WordRun(title + " (số biểu hiện; ô đậm hơn là nhiều hơn, ô trống là không có)", italic: true, size: 13)], alignment: .center,
                    spaceAfter: 3, keepNext: true)),
            .table(WordTable(widths: widths, rows: cells, fills: fills, verticalHeaderHeight: headerHeight)),
            .paragraph(WordParagraph([WordRun(" ", size: 6)], spaceAfter: 0)),
        ]
    }

    /// White blended towards the HTML heat map's red (#C0392B) by `amount` (0…1), as six hex digits.
    static func shade(_ amount: Double) -> String {
        let target = [0xC0, 0x39, 0x2B]
        let a = min(1, max(0, amount))
        return target.map { String(format: "%02X", Int((255 - Double(255 - $0) * a).rounded())) }.joined()
    }
}

/// The Excel annex: every table of the report as a sheet, numbers as numbers (a percentage as its value, 12,5% → 12.5).
public enum ReportWorkbook {
    public static func workbook(_ doc: ReportDocument) -> Workbook {
        var sheets: [Sheet] = []
        var names: Set<String> = []
        for block in doc.blocks {
            guard case .table(let t) = block else { continue }
            var name = String(t.id.prefix(Sheet.maximumNameLength))
            var n = 2
            while names.contains(name.lowercased()) {
                name = String(t.id.prefix(Sheet.maximumNameLength - 3)) + " \(n)"
                n += 1
            }
            names.insert(name.lowercased())
            let rows = t.rows.map { row in
                row.enumerated().map { i, text -> Cell in
                    guard t.numeric.contains(i) else { return .text(text) }
                    return number(text).map { $0.rounded() == $0 && !text.contains(",") ? .integer(Int($0)) : .number($0) } ?? .empty
                }
            }
            sheets.append(Sheet(name: name, header: t.header, rows: rows))
        }
        if sheets.isEmpty { sheets.append(Sheet(name: "Bao cao", header: ["Nội dung"], rows: [])) }
        return Workbook(sheets: sheets)
    }

    /// A number as the report prints it (Vietnamese style: "1.234", "12,5%"), or nil for "—".
    static func number(_ text: String) -> Double? {
        let plain = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")
        return Double(plain)
    }

    public static func data(_ doc: ReportDocument) throws(XLSXError) -> Data { try workbook(doc).data() }
}
