/// Findings as CSV, one row per finding (RFC 4180 quoting), for spreadsheets.
public enum CSVReport {
    public static func render(_ r: AnalysisReport) -> String {
        var out = ""
        write(r) { out += $0 }
        return out
    }

    public static func write(_ r: AnalysisReport, emit: (String) throws -> Void) rethrows {
        var out = "detector,case,owner,severity,value,limit,evidence,explanation,explanation_en\n"
        for i in 0..<r.findingCount {
            let f = r.finding(i)
            let fields = [
                f.detector, f.case, f.owner, f.severity, Explanation.number(f.value), Explanation.number(f.limit),
                f.evidence.map(String.init).joined(separator: " "), f.explanation, f.explanationEn,
            ]
            out += fields.map(quote).joined(separator: ",") + "\n"
            if out.utf8.count > 1 << 16 {
                try emit(out)
                out = ""
            }
        }
        try emit(out)
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
