import BuckStopDetectors
import Foundation

/// `--cases-out`: one JSON object per line and per case — case, events, transfers, pingPongs, durationSeconds,
/// findings (detector ids) — written through `emit` in chunks so a national log is never one string.
public enum CaseLines {
    public static func write(_ a: LogAnalyzer, emit: (String) throws -> Void) throws {
        // Findings are sorted by case: walk them alongside the cases.
        let findings = a.findings
        var next = 0
        var chunk = ""
        chunk.reserveCapacity(1 << 16)
        for i in 0..<a.caseCount {
            let s = i < a.summaries.count ? a.summaries[i] : LogAnalyzer.CaseSummary(events: 0, transfers: 0, pingPongs: 0)
            var ids = ""
            while next < findings.count && findings[next].caseIndex == i {
                if !ids.isEmpty { ids += "," }
                ids += "\"" + findings[next].detector.rawValue + "\""
                next += 1
            }
            chunk += "{\"case\":\(jsonString(a.table[a.caseNames[i]])),\"events\":\(s.events),\"transfers\":\(s.transfers),"
            chunk += "\"pingPongs\":\(s.pingPongs),\"durationSeconds\":\(a.durationsSeconds[i]),\"findings\":[\(ids)]}\n"
            if chunk.utf8.count > 1 << 16 {
                try emit(chunk)
                chunk = ""
            }
        }
        if !chunk.isEmpty { try emit(chunk) }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
