import Foundation

/// Vietnamese text folded for search: lower case, tone and vowel marks removed, đ → d, runs of spaces collapsed,
/// so that "nguyen van" finds "Nguyễn Văn" and "NGUYỄN  VĂN".
public enum SearchText {
    public static func fold(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "đ", with: "d")
        let stripped = lowered.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        out.reserveCapacity(stripped.utf8.count)
        var lastWasSpace = true
        for scalar in stripped.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !lastWasSpace { out.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// Whether every word of the query occurs in the folded text (word order free).
    public static func matches(_ query: String, in text: String) -> Bool {
        let haystack = fold(text)
        return fold(query).split(separator: " ").allSatisfy { haystack.contains($0) }
    }
}
