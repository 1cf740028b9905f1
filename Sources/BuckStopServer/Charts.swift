/// Inline SVG charts (no script): bars by month and horizontal bars by label. Each has a title and a text
/// description for screen readers, and the numbers are printed on the bars.
enum Charts {
    static let palette = ["#a4161a", "#0b5cad", "#b35c00", "#1b7f3b", "#6f42c1", "#5b6470", "#d63384", "#198754"]

    /// Stacked bars per month: series → value per month.
    static func monthlyBars(id: String, title: String, months: [String], series: [(name: String, values: [Int])]) -> HTML {
        let width = 640
        let height = 240
        let left = 36
        let bottom = 40
        let top = 16
        let totals = months.indices.map { i in series.reduce(0) { $0 + ($1.values.indices.contains(i) ? $1.values[i] : 0) } }
        let maxTotal = max(1, totals.max() ?? 1)
        let plotH = height - bottom - top
        let slot = months.isEmpty ? 0 : Double(width - left - 8) / Double(months.count)
        var parts: [String] = []
        parts.append("<title id=\"\(id)-t\">\(HTML.escape(title))</title>")
        let description = zip(months, totals).map { "\($0): \($1)" }.joined(separator: ", ")
        parts.append("<desc id=\"\(id)-d\">\(HTML.escape(description))</desc>")
        parts.append("<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>")
        parts.append("<text x=\"2\" y=\"\(top + 8)\" font-size=\"10\" fill=\"#555\">\(maxTotal)</text>")
        for (i, month) in months.enumerated() {
            let x = Double(left) + Double(i) * slot + slot * 0.15
            var y = Double(height - bottom)
            for (s, serie) in series.enumerated() {
                let v = serie.values.indices.contains(i) ? serie.values[i] : 0
                guard v > 0 else { continue }
                let h = Double(plotH) * Double(v) / Double(maxTotal)
                y -= h
                parts.append(
                    "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(slot * 0.7))\" height=\"\(fmt(h))\" fill=\"\(palette[s % palette.count])\"><title>\(HTML.escape("\(serie.name) \(month): \(v)"))</title></rect>"
                )
            }
            if totals[i] > 0 {
                parts.append("<text x=\"\(fmt(x + slot * 0.35))\" y=\"\(fmt(y - 3))\" font-size=\"10\" text-anchor=\"middle\">\(totals[i])</text>")
            }
            if months.count <= 12 || i % 2 == 0 {
                parts.append(
                    "<text x=\"\(fmt(x + slot * 0.35))\" y=\"\(height - bottom + 14)\" font-size=\"10\" text-anchor=\"middle\">\(HTML.escape(String(month.suffix(5))))</text>"
                )
            }
        }
        var legendX = Double(left)
        for (s, serie) in series.enumerated() {
            parts.append("<rect x=\"\(fmt(legendX))\" y=\"\(height - 14)\" width=\"10\" height=\"10\" fill=\"\(palette[s % palette.count])\"/>")
            parts.append("<text x=\"\(fmt(legendX + 13))\" y=\"\(height - 5)\" font-size=\"10\">\(HTML.escape(serie.name))</text>")
            legendX += 16 + Double(serie.name.count) * 5.6
        }
        return HTML(
            raw:
                "<svg class=\"chart\" id=\"\(id)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
                + parts.joined() + "</svg>")
    }

    /// Horizontal bars, largest first.
    static func horizontalBars(id: String, title: String, rows: [(label: String, value: Int)]) -> HTML {
        let rowH = 20
        let labelW = 260
        let width = 640
        let height = max(40, rows.count * rowH + 24)
        let maxValue = max(1, rows.map(\.value).max() ?? 1)
        var parts = [
            "<title id=\"\(id)-t\">\(HTML.escape(title))</title>",
            "<desc id=\"\(id)-d\">\(HTML.escape(rows.map { "\($0.label): \($0.value)" }.joined(separator: ", ")))</desc>",
        ]
        for (i, row) in rows.enumerated() {
            let y = 8 + i * rowH
            let w = Double(width - labelW - 40) * Double(row.value) / Double(maxValue)
            let label = row.label.count > 40 ? String(row.label.prefix(39)) + "…" : row.label
            parts.append("<text x=\"\(labelW - 6)\" y=\"\(y + 13)\" font-size=\"11\" text-anchor=\"end\">\(HTML.escape(label))</text>")
            parts.append("<rect x=\"\(labelW)\" y=\"\(y + 2)\" width=\"\(fmt(max(w, 1)))\" height=\"\(rowH - 6)\" fill=\"\(palette[0])\"/>")
            parts.append("<text x=\"\(fmt(Double(labelW) + w + 4))\" y=\"\(y + 13)\" font-size=\"11\">\(row.value)</text>")
        }
        return HTML(
            raw:
                "<svg class=\"chart\" id=\"\(id)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
                + parts.joined() + "</svg>")
    }

    static func fmt(_ x: Double) -> String { String(format: "%.1f", x) }
}
