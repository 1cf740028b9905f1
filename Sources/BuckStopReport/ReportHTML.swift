import BuckStopOffice
import Foundation

/// The report as one self-contained HTML file: no script, no outside resource, charts as inline SVG, and a print
/// stylesheet on A4 with Decree 30's margins and Times New Roman, so printing it (or headless Chromium's PDF) gives
/// the same document as the Word file.
public enum ReportHTML {
    public static func page(_ doc: ReportDocument) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out +=
            "<title>\(e(doc.title + " " + doc.subtitle.replacingOccurrences(of: "\n", with: " ")))</title><style>\(style)</style></head><body><main>"
        out +=
            "<table class=\"masthead\" role=\"presentation\"><tr><td><b>\(e(doc.issuer.uppercased()))</b><br><br>Số:&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;/BC-</td>"
        out +=
            "<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b><u>Độc lập - Tự do - Hạnh phúc</u></b><br><br><i>\(e(doc.placeDate))</i></td></tr></table>"
        out +=
            "<h1>\(e(doc.title))</h1><p class=\"subtitle\">\(doc.subtitle.split(separator: "\n").map { e(String($0)) }.joined(separator: "<br>"))</p>"
        var tableNumber = 0
        for block in doc.blocks {
            switch block {
            case .heading(let level, let text):
                out += level == 1 ? "<h2>\(e(text))</h2>" : "<h3>\(e(text))</h3>"
            case .paragraph(let text):
                out += "<p>\(e(text))</p>"
            case .table(let t):
                tableNumber += 1
                out += "<table class=\"data\" id=\"table-\(tableNumber)\"><caption>\(e(t.caption))</caption><thead><tr>"
                out += t.header.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
                for row in t.rows {
                    out += "<tr>"
                    for (i, cell) in row.enumerated() {
                        out +=
                            i == 0
                            ? "<th scope=\"row\">\(e(cell))</th>"
                            : (t.numeric.contains(i) ? "<td class=\"n\">\(e(cell))</td>" : "<td>\(e(cell))</td>")
                    }
                    out += "</tr>"
                }
                out += "</tbody></table>"
            case .chart(let chart):
                out += "<figure>\(ReportSVG.svg(chart))<figcaption>\(e(chart.title))</figcaption></figure>"
            }
        }
        out += "<h2>Căn cứ số liệu</h2><ul class=\"basis\">" + doc.basis.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        out += "<table class=\"signature\" role=\"presentation\"><tr><td><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT.</td>"
        out += "<td><b>THỦ TRƯỞNG CƠ QUAN</b><br><i>(Ký, ghi rõ họ tên, đóng dấu)</i></td></tr></table>"
        return out + "</main></body></html>\n"
    }

    static func e(_ s: String) -> String { SpreadsheetText.xmlEscaped(s) }

    static let style = """
        body{font-family:"Times New Roman",Times,serif;font-size:14pt;line-height:1.35;margin:0;color:#111;background:#fff}
        main{max-width:17cm;margin:1.5cm auto;padding:0 1rem}
        h1{text-align:center;font-size:14pt;margin:1.2em 0 0}
        .subtitle{text-align:center;font-weight:bold;margin-top:.2em}
        h2{font-size:14pt;margin:1.2em 0 .4em}
        h3{font-size:14pt;font-style:italic;margin:.8em 0 .3em}
        p{text-align:justify;text-indent:1cm;margin:.3em 0}
        table.masthead,table.signature{width:100%;border-collapse:collapse}
        table.masthead td,table.signature td{vertical-align:top;text-align:center;font-size:13pt;width:50%}
        table.signature td:first-child{text-align:left;font-size:11pt}
        table.data{border-collapse:collapse;width:100%;margin:.4em 0 1em;font-size:11.5pt;page-break-inside:auto}
        table.data caption{font-style:italic;margin-bottom:.3em}
        table.data th,table.data td{border:1px solid #444;padding:2px 5px;vertical-align:top}
        table.data thead th{background:#eee}
        table.data tbody th{text-align:left;font-weight:normal}
        td.n{text-align:right;white-space:nowrap}
        figure{margin:.6em 0 1em;text-align:center}
        figcaption{font-style:italic;font-size:13pt}
        svg{max-width:100%;height:auto}
        ul.basis{font-size:12pt}
        @media print{@page{size:A4;margin:2cm 1.5cm 2cm 3cm}main{margin:0;max-width:none;padding:0}thead{display:table-header-group}tr,figure{page-break-inside:avoid}}
        @media (max-width:600px){body{font-size:12pt}table.data{font-size:10pt;display:block;overflow-x:auto}}
        """
}

/// The charts as inline SVG, with a title and each value in text (the numbers are also in the tables).
enum ReportSVG {
    static let palette = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d4820b"]

    static func svg(_ chart: ReportDocument.Chart) -> String {
        switch chart {
        case .trend(let title, let months, let series): trend(title, months, series)
        case .bars(let title, let bars): self.bars(title, bars)
        case .heat(let title, let rows, let columns, let values): heat(title, rows, columns, values)
        case .flows(let title, let links): flows(title, links)
        }
    }

    static func trend(_ title: String, _ months: [String], _ series: [(name: String, values: [Int])]) -> String {
        let width = 640.0
        let height = 260.0
        let left = 48.0
        let bottom = 40.0
        let top = 30.0
        let maximum = Double(max(1, series.flatMap(\.values).max() ?? 1))
        let step = months.count > 1 ? (width - left - 20) / Double(months.count - 1) : 0
        func x(_ i: Int) -> Double { left + Double(i) * step }
        func y(_ v: Int) -> Double { height - bottom - (height - bottom - top) * Double(v) / maximum }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(ReportHTML.e(title))\">"
        out += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>"
        out += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>"
        out += "<text x=\"\(left - 6)\" y=\"\(top + 4)\" font-size=\"11\" text-anchor=\"end\">\(Int(maximum))</text>"
        out += "<text x=\"\(left - 6)\" y=\"\(height - bottom)\" font-size=\"11\" text-anchor=\"end\">0</text>"
        for (i, m) in months.enumerated() {
            out +=
                "<text x=\(q(x(i))) y=\(q(height - bottom + 16)) font-size=\"11\" text-anchor=\"middle\">\(ReportHTML.e(String(m.suffix(2))))/\(ReportHTML.e(String(m.prefix(4))))</text>"
        }
        for (k, s) in series.enumerated() {
            let colour = palette[k % palette.count]
            let points = s.values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
            out +=
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(ReportHTML.e(s.name))</title></polyline>"
            out += "<rect x=\(q(left + Double(k) * 190)) y=\"6\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            out += "<text x=\(q(left + Double(k) * 190 + 16)) y=\"16\" font-size=\"12\">\(ReportHTML.e(s.name))</text>"
        }
        return out + "</svg>"
    }

    static func bars(_ title: String, _ bars: [(label: String, value: Int)]) -> String {
        let rowHeight = 22.0
        let labelWidth = 380.0
        let width = 640.0
        let height = rowHeight * Double(bars.count) + 10
        let maximum = Double(max(1, bars.map(\.value).max() ?? 1))
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(ReportHTML.e(title))\">"
        for (i, bar) in bars.enumerated() {
            let y = 5 + Double(i) * rowHeight
            let w = (width - labelWidth - 50) * Double(bar.value) / maximum
            out +=
                "<text x=\(q(labelWidth - 6)) y=\(q(y + 15)) font-size=\"11\" text-anchor=\"end\">\(ReportHTML.e(String(bar.label.prefix(70))))</text>"
            out += "<rect x=\(q(labelWidth)) y=\(q(y + 3)) width=\(q(w)) height=\(q(rowHeight - 6)) fill=\"\(palette[0])\"/>"
            out += "<text x=\(q(labelWidth + w + 4)) y=\(q(y + 15)) font-size=\"11\">\(bar.value)</text>"
        }
        return out + "</svg>"
    }

    static func heat(_ title: String, _ rows: [String], _ columns: [String], _ values: [[Int]]) -> String {
        let labelWidth = 220.0
        let cell = 46.0
        let header = 120.0
        let width = labelWidth + cell * Double(columns.count) + 10
        let height = header + 24 * Double(rows.count) + 10
        let maximum = Double(max(1, values.flatMap { $0 }.max() ?? 1))
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(ReportHTML.e(title))\">"
        for (j, c) in columns.enumerated() {
            let x = labelWidth + cell * Double(j) + cell / 2
            out += "<text transform=\"translate(\(f(x)),\(f(header - 6))) rotate(-40)\" font-size=\"10\">\(ReportHTML.e(String(c.prefix(28))))</text>"
        }
        for (i, r) in rows.enumerated() {
            let y = header + 24 * Double(i)
            out += "<text x=\(q(labelWidth - 6)) y=\(q(y + 16)) font-size=\"11\" text-anchor=\"end\">\(ReportHTML.e(String(r.prefix(40))))</text>"
            for (j, v) in values[i].enumerated() {
                let shade = v == 0 ? 0 : 0.15 + 0.85 * Double(v) / maximum
                out +=
                    "<rect x=\(q(labelWidth + cell * Double(j))) y=\(q(y)) width=\(q(cell - 2)) height=\"22\" fill=\"\(palette[1])\" fill-opacity=\"\(f(shade))\" stroke=\"#ccc\"/>"
                if v > 0 {
                    out +=
                        "<text x=\(q(labelWidth + cell * Double(j) + cell / 2 - 1)) y=\(q(y + 15)) font-size=\"11\" text-anchor=\"middle\">\(v)</text>"
                }
            }
        }
        return out + "</svg>"
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
    static func q(_ x: Double) -> String { "\"" + f(x) + "\"" }
}
