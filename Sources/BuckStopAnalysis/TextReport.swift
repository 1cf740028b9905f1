import Foundation

/// The terminal summary: per detector the cases flagged and their share, top owners, and example cases with
/// their owner sequence. Vietnamese first, English beside it.
public enum TextReport {
    public static func render(_ r: AnalysisReport) -> String {
        var out = ""
        out += "BuckStop — phân tích nhật ký / log analysis: \(r.log.source)\n"
        out += "  \(group(r.log.cases)) hồ sơ/cases, \(group(r.log.events)) sự kiện/events"
        if let s = r.log.start, let e = r.log.end { out += ", \(s) → \(e)" }
        out += "\n  người chịu trách nhiệm theo / owner attribute: \(r.log.ownerAttribute)"
        if let t = r.log.caseTypeAttribute { out += "; loại hồ sơ theo / case type: \(t)" }
        if let a = r.log.asOf { out += "; tính đến ngày / as of: \(a)" }
        out += "\n\n"
        out += "Hành vi / behaviour".padding(toLength: 62, withPad: " ", startingAt: 0) + "hồ sơ/cases   tỉ lệ/share\n"
        for d in r.detectors {
            let label = "\(d.id) — \(d.name)"
            if let why = d.skipped {
                out += "  " + label.padding(toLength: 60, withPad: " ", startingAt: 0) + "bỏ qua/skipped: \(why)\n"
            } else {
                out += "  " + label.padding(toLength: 60, withPad: " ", startingAt: 0)
                out += group(d.cases).leftPad(11) + String(format: "%9.1f %%", d.share * 100) + "\n"
                if let why = d.withheld { out += "      giữ lại/withheld: \(why)\n" }
            }
        }
        if !r.topOwners.isEmpty {
            out += "\nNhiều phát hiện nhất / top owners by findings\n"
            for o in r.topOwners { out += "  \(group(o.findings).leftPad(8))  \(o.owner)  (\(group(o.events)) sự kiện/events)\n" }
        }
        if !r.examples.isEmpty {
            out += "\nVí dụ / examples\n"
            var last = ""
            for e in r.examples {
                if e.detector != last {
                    out += "  [\(e.detector)]\n"
                    last = e.detector
                }
                out += "    \(e.case) (\(e.events) sự kiện/events): \(e.owners.joined(separator: " → "))\n"
                out += "      \(e.explanation)\n"
            }
        }
        out += String(
            format: "\nThời gian xử lý / handling time: trung vị/median %.1f h, p90 %.1f h\n", r.handlingTime.medianHours, r.handlingTime.p90Hours)
        return out
    }

    static func group(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
