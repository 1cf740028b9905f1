import Foundation

/// Hand-overs between units as a Sankey-like picture in SVG: the units that pass work on stand on the left ("chuyển
/// đi"), those that receive it on the right ("nhận"), each as a bar as tall as its hand-overs, and every flow is a band
/// as wide as its count. A unit that both sends and receives keeps its colour on both sides, so work going back and
/// forth shows as two bands of the two units' colours. No script; each band and bar has a `<title>`.
extension ReportSVG {
    static func flows(_ title: String, _ links: [(from: String, to: String, count: Int)]) -> String {
        let links = links.filter { $0.count > 0 }
        let width = 700.0
        let labelWidth = 200.0
        let nodeWidth = 12.0
        let leftX = labelWidth + 6
        let rightX = width - labelWidth - 6 - nodeWidth
        let top = 30.0
        let gap = 14.0
        typealias Flow = (from: String, to: String, count: Int)
        func totals(_ key: (Flow) -> String) -> [(name: String, count: Int)] {
            var sums: [String: Int] = [:]
            for l in links { sums[key(l), default: 0] += l.count }
            return sums.map { ($0.key, $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        }
        let senders = totals { $0.from }
        let receivers = totals { $0.to }
        let total = Double(max(1, links.map(\.count).reduce(0, +)))
        let most = max(senders.count, receivers.count, 1)
        let inner = max(160, 30 * Double(most))
        let scale = inner / total
        let height = top + inner + gap * Double(most - 1) + 10
        /// Each side's bars from the top, the shorter stack centred against the taller.
        func positions(_ nodes: [(name: String, count: Int)]) -> [String: Double] {
            let used = Double(nodes.map(\.count).reduce(0, +)) * scale + gap * Double(max(0, nodes.count - 1))
            var y = top + (inner + gap * Double(most - 1) - used) / 2
            var out: [String: Double] = [:]
            for n in nodes {
                out[n.name] = y
                y += Double(n.count) * scale + gap
            }
            return out
        }
        let leftY = positions(senders)
        let rightY = positions(receivers)
        var colours: [String: String] = [:]
        for (i, s) in senders.enumerated() { colours[s.name] = palette[i % palette.count] }
        func colour(_ name: String) -> String { colours[name] ?? "#777777" }
        /// A unit's name and count beside its bar, on two lines when long (a body's full name often is).
        func label(_ name: String, _ count: Int, x: Double, middle: Double, anchor: String) -> String {
            var lines = [""]
            for word in name.split(separator: " ") {
                let line = lines[lines.count - 1]
                if !line.isEmpty && line.count + word.count + 1 > 30 && lines.count < 2 { lines.append("") }
                lines[lines.count - 1] += (lines[lines.count - 1].isEmpty ? "" : " ") + word
            }
            if let last = lines.last, last.count > 34 { lines[lines.count - 1] = String(last.prefix(33)) + "…" }
            lines[lines.count - 1] += " (\(count))"
            var out = "<text x=\(q(x)) y=\(q(middle + 4 - 6.5 * Double(lines.count - 1))) font-size=\"11\" text-anchor=\"\(anchor)\">"
            for (i, line) in lines.enumerated() {
                out += "<tspan x=\(q(x))" + (i > 0 ? " dy=\"13\"" : "") + ">\(ReportHTML.e(line))</tspan>"
            }
            return out + "</text>"
        }

        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(ReportHTML.e(title))\">"
        out += "<title>\(ReportHTML.e(title))</title>"
        out += "<text x=\(q(leftX + nodeWidth)) y=\"16\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"end\">Đơn vị chuyển đi</text>"
        out += "<text x=\(q(rightX)) y=\"16\" font-size=\"12\" font-weight=\"bold\">Đơn vị nhận</text>"
        // Bands first, under the bars: each leaves its sender in the receivers' order and enters its receiver in the
        // senders' order, so bands do not cross inside a bar.
        let senderRank = Dictionary(uniqueKeysWithValues: senders.enumerated().map { ($0.element.name, $0.offset) })
        let receiverRank = Dictionary(uniqueKeysWithValues: receivers.enumerated().map { ($0.element.name, $0.offset) })
        let indexed = Array(links.enumerated())
        func rank(_ l: Flow) -> (Int, Int) { (senderRank[l.from] ?? 0, receiverRank[l.to] ?? 0) }
        var leaving: [Int: Double] = [:]
        var offset: [String: Double] = [:]
        for (k, l) in indexed.sorted(by: { rank($0.element) < rank($1.element) }) {
            leaving[k] = (leftY[l.from] ?? top) + offset[l.from, default: 0]
            offset[l.from, default: 0] += Double(l.count) * scale
        }
        var entering: [Int: Double] = [:]
        offset = [:]
        for (k, l) in indexed.sorted(by: { (rank($0.element).1, rank($0.element).0) < (rank($1.element).1, rank($1.element).0) }) {
            entering[k] = (rightY[l.to] ?? top) + offset[l.to, default: 0]
            offset[l.to, default: 0] += Double(l.count) * scale
        }
        let x0 = leftX + nodeWidth
        let x1 = rightX
        let xm = (x0 + x1) / 2
        for (k, l) in indexed {
            let w = max(1, Double(l.count) * scale)
            let y0 = leaving[k] ?? top
            let y1 = entering[k] ?? top
            out +=
                "<path d=\"M\(f(x0)),\(f(y0)) C\(f(xm)),\(f(y0)) \(f(xm)),\(f(y1)) \(f(x1)),\(f(y1)) L\(f(x1)),\(f(y1 + w)) C\(f(xm)),\(f(y1 + w)) \(f(xm)),\(f(y0 + w)) \(f(x0)),\(f(y0 + w)) Z\""
            out += " fill=\"\(colour(l.from))\" fill-opacity=\"0.45\" stroke=\"\(colour(l.from))\" stroke-opacity=\"0.6\" stroke-width=\"0.5\">"
            out += "<title>\(ReportHTML.e("\(l.from) → \(l.to): \(l.count) lần chuyển"))</title></path>"
            // The count where the band leaves its sender: bands cross in the middle, but not there.
            if w >= 12 {
                out += "<text x=\(q(x0 + 5)) y=\(q(y0 + w / 2 + 4)) font-size=\"10\" fill=\"#222\">\(l.count)</text>"
            }
        }
        for s in senders {
            let y = leftY[s.name] ?? top
            let h = max(1, Double(s.count) * scale)
            out += "<rect x=\(q(leftX)) y=\(q(y)) width=\(q(nodeWidth)) height=\(q(h)) fill=\"\(colour(s.name))\">"
            out += "<title>\(ReportHTML.e("\(s.name): chuyển đi \(s.count) lần"))</title></rect>"
            out += label(s.name, s.count, x: leftX - 6, middle: y + h / 2, anchor: "end")
        }
        for r in receivers {
            let y = rightY[r.name] ?? top
            let h = max(1, Double(r.count) * scale)
            out += "<rect x=\(q(rightX)) y=\(q(y)) width=\(q(nodeWidth)) height=\(q(h)) fill=\"\(colour(r.name))\">"
            out += "<title>\(ReportHTML.e("\(r.name): nhận \(r.count) lần"))</title></rect>"
            out += label(r.name, r.count, x: rightX + nodeWidth + 6, middle: y + h / 2, anchor: "start")
        }
        return out + "</svg>"
    }
}
