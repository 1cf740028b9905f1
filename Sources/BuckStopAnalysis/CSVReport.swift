/// Findings as CSV, one row per finding (RFC 4180 quoting), for spreadsheets.
public enum CSVReport {
    public static func render(_ r: AnalysisReport) -> String {
        var out = "detector,case,owner,severity,value,limit,evidence,explanation,explanation_en\n"
        for f in r.findings {
            let fields = [
                f.detector, f.case, f.owner, f.severity, Explanation.number(f.value), Explanation.number(f.limit),
                f.evidence.map(String.init).joined(separator: " "), f.explanation, f.explanationEn,
            ]
            out += fields.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
