import BuckStopOffice
import Foundation

/// The report as a Word document laid out as Decree 30/2020/NĐ-CP sets for an administrative report (Phụ lục I): the
/// heading block (issuing body and number on the left, national name and motto on the right), place and date, the
/// document type and its summary, the sections, then recipients and signature left to the signer. Charts are drawn as
/// pictures (`ReportChartImage`) below the tables that carry their numbers.
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
                blocks.append(.paragraph(WordParagraph([WordRun(t.caption, italic: true, size: 13)], alignment: .center, spaceAfter: 3)))
                let total = t.widths.reduce(0, +)
                let widths = t.widths.map { $0 * 15.8 / total }
                blocks.append(.table(WordTable(widths: widths, header: t.header, rows: t.rows, size: t.header.count > 6 ? 11 : 12)))
                blocks.append(.paragraph(WordParagraph([WordRun(" ", size: 6)], spaceAfter: 0)))
            case .chart:
                // The Word report carries a chart's numbers in the table before it; drawn charts are the HTML's.
                break
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
