import Foundation

/// One self-contained HTML file (no scripts, no external files): summary, inline SVG charts — findings per
/// detector, top owners, handling-time distribution, hand-over matrix between the busiest owners — and the
/// example cases. Vietnamese first, English in smaller type.
public enum HTMLReport {
    public static func render(_ r: AnalysisReport) -> String {
        var h = """
            <!doctype html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>BuckStop — \(esc(r.log.source))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;max-width:70rem;color:#1d2733}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d5dbe3;padding-bottom:.2rem}
            .en{color:#5b6b7d;font-size:.85em;font-weight:normal}
            table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d5dbe3;padding:.25rem .5rem;text-align:left;vertical-align:top}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.skip{color:#8a94a0}
            svg text{font-size:12px;fill:#1d2733}
            </style></head><body>
            <h1>BuckStop — phân tích nhật ký sự kiện <span class="en">event-log analysis</span></h1>
            <p><b>\(esc(r.log.source))</b>: \(r.log.cases) hồ sơ <span class="en">cases</span>, \(r.log.events) sự kiện <span class="en">events</span>
            """
        if let s = r.log.start, let e = r.log.end { h += ", \(esc(s)) → \(esc(e))" }
        h += ". Người chịu trách nhiệm theo <span class=\"en\">owner attribute</span>: <code>\(esc(r.log.ownerAttribute))</code>"
        if let a = r.log.asOf { h += "; tính đến <span class=\"en\">as of</span> \(esc(a))" }
        h += ".</p>\n"

        h += "<h2>Hành vi phát hiện <span class=\"en\">behaviours found</span></h2>\n"
        let active = r.detectors.filter { $0.skipped == nil }
        h += barChart(active.map { ("\($0.id)", Double($0.cases)) }, unit: "hồ sơ/cases")
        h +=
            "<table><tr><th>Mã <span class=\"en\">id</span></th><th>Hành vi <span class=\"en\">behaviour</span></th><th>Hồ sơ <span class=\"en\">cases</span></th><th>Tỉ lệ <span class=\"en\">share</span></th><th>Phát hiện <span class=\"en\">findings</span></th></tr>\n"
        for d in r.detectors {
            if let why = d.skipped {
                h +=
                    "<tr class=\"skip\"><td>\(d.id)</td><td>\(esc(d.name)) <span class=\"en\">\(esc(d.nameEn))</span></td><td colspan=\"3\">bỏ qua <span class=\"en\">skipped</span>: \(esc(why))</td></tr>\n"
            } else {
                h +=
                    "<tr><td>\(d.id)</td><td>\(esc(d.name)) <span class=\"en\">\(esc(d.nameEn))</span></td><td class=\"n\">\(d.cases)</td><td class=\"n\">\(String(format: "%.1f", d.share * 100)) %</td><td class=\"n\">\(d.findings)</td></tr>\n"
                if let why = d.withheld {
                    h += "<tr class=\"withheld\"><td></td><td colspan=\"4\">giữ lại <span class=\"en\">withheld</span>: \(esc(why))</td></tr>\n"
                }
            }
        }
        h += "</table>\n"

        if !r.topOwners.isEmpty {
            h += "<h2>Nhiều phát hiện nhất <span class=\"en\">top owners by findings</span></h2>\n"
            h += barChart(r.topOwners.map { ($0.owner, Double($0.findings)) }, unit: "phát hiện/findings")
        }
        h += "<h2>Thời gian xử lý <span class=\"en\">handling time</span></h2>\n"
        h += String(
            format: "<p>Trung vị <span class=\"en\">median</span> %.1f h, p90 %.1f h.</p>\n", r.handlingTime.medianHours, r.handlingTime.p90Hours)
        h += columnChart(r.handlingTime.buckets.map { ($0.label, Double($0.cases)) })

        if !r.handovers.owners.isEmpty {
            h += "<h2>Chuyển giao giữa các đơn vị bận nhất <span class=\"en\">hand-overs between the busiest owners</span></h2>\n"
            h += matrix(r.handovers)
        }
        if !r.examples.isEmpty {
            h +=
                "<h2>Ví dụ <span class=\"en\">example cases</span></h2>\n<table><tr><th>Hành vi</th><th>Hồ sơ <span class=\"en\">case</span></th><th>Chuỗi người chịu trách nhiệm <span class=\"en\">owner sequence</span></th><th>Giải thích <span class=\"en\">explanation</span></th></tr>\n"
            for e in r.examples {
                h +=
                    "<tr><td>\(esc(e.detector))</td><td>\(esc(e.case))</td><td>\(esc(e.owners.joined(separator: " → ")))</td><td>\(esc(e.explanation))</td></tr>\n"
            }
            h += "</table>\n"
        }
        h +=
            "<p class=\"en\">BuckStop · \(r.findingCount) findings · generated \(esc(ISO8601DateFormatter().string(from: Date())))</p>\n</body></html>\n"
        return h
    }

    static func barChart(_ rows: [(String, Double)], unit: String) -> String {
        let maxValue = max(1, rows.map(\.1).max() ?? 1)
        let rowH = 22
        let labelW = 220
        let barW = 420
        var s =
            "<svg role=\"img\" aria-label=\"\(esc(unit))\" width=\"\(labelW + barW + 80)\" height=\"\(rows.count * rowH + 10)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (i, row) in rows.enumerated() {
            let y = i * rowH + 5
            let w = Int(Double(barW) * row.1 / maxValue)
            s += "<text x=\"\(labelW - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(esc(String(row.0.prefix(32))))</text>"
            s += "<rect x=\"\(labelW)\" y=\"\(y + 3)\" width=\"\(max(w, 1))\" height=\"15\" fill=\"#c0392b\"/>"
            s += "<text x=\"\(labelW + w + 6)\" y=\"\(y + 15)\">\(Int(row.1))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func columnChart(_ rows: [(String, Double)]) -> String {
        let maxValue = max(1, rows.map(\.1).max() ?? 1)
        let colW = 64
        let chartH = 160
        var s =
            "<svg role=\"img\" aria-label=\"handling time\" width=\"\(rows.count * colW + 20)\" height=\"\(chartH + 60)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (i, row) in rows.enumerated() {
            let hgt = Int(Double(chartH) * row.1 / maxValue)
            let x = i * colW + 10
            s += "<rect x=\"\(x)\" y=\"\(chartH - hgt + 15)\" width=\"\(colW - 12)\" height=\"\(max(hgt, 1))\" fill=\"#2c6e9b\"/>"
            s += "<text x=\"\(x + (colW - 12) / 2)\" y=\"\(chartH - hgt + 11)\" text-anchor=\"middle\">\(Int(row.1))</text>"
            s += "<text x=\"\(x + (colW - 12) / 2)\" y=\"\(chartH + 32)\" text-anchor=\"middle\" style=\"font-size:10px\">\(esc(row.0))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func matrix(_ m: AnalysisReport.Handovers) -> String {
        let n = m.owners.count
        let cell = 44
        let label = 200
        let maxValue = max(1, m.matrix.flatMap { $0 }.max() ?? 1)
        var s =
            "<svg role=\"img\" aria-label=\"handover matrix\" width=\"\(label + n * cell + 10)\" height=\"\(label + n * cell + 10)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        for (j, o) in m.owners.enumerated() {
            let x = label + j * cell + cell / 2
            s += "<text transform=\"translate(\(x),\(label - 6)) rotate(-60)\">\(esc(String(o.prefix(28))))</text>\n"
        }
        for (i, from) in m.owners.enumerated() {
            let y = label + i * cell
            s += "<text x=\"\(label - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(esc(String(from.prefix(28))))</text>\n"
            for j in 0..<n {
                let v = m.matrix[i][j]
                let shade = Int(255 - 200 * Double(v) / Double(maxValue))
                s +=
                    "<rect x=\"\(label + j * cell)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"rgb(255,\(shade),\(shade))\"><title>\(esc(from)) → \(esc(m.owners[j])): \(v)</title></rect>"
                s += "<text x=\"\(label + j * cell + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\">\(v)</text>\n"
            }
        }
        return s + "</svg>\n"
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
