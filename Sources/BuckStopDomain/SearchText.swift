import Foundation

/// Vietnamese text folded for search: lower case, tone and vowel marks removed, đ → d, runs of spaces collapsed,
/// so that "nguyen van" finds "Nguyễn Văn" and "NGUYỄN  VĂN".
public enum SearchText {
    /// The folded text. Latin text (ASCII, Latin-1, Latin Extended-A/B, combining marks and the Vietnamese block) is
    /// folded scalar by scalar from a table; any other script goes through Foundation's folding, which the table is
    /// made from — so both roads give the same answer (a test compares them). Why a table: perf showed Foundation's
    /// folding as more than a quarter of the ledger writer's work per batch (every opened case's title is folded).
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                append(scalar, to: &out, lastWasSpace: &lastWasSpace)
            } else if let folded = LatinTable.shared.folded(value) {
                for s in folded { append(s, to: &out, lastWasSpace: &lastWasSpace) }
            } else {
                return foundationFold(text)
            }
        }
        if lastWasSpace, !out.isEmpty { out.removeLast() }
        return String(out)
    }

    /// A case's search row, its code then its title: the same as `fold(code + " " + title)`, from a title folded
    /// beforehand (the ledger writer folds titles before its write lock).
    public static func searchRow(code: String, foldedTitle: String) -> String {
        let foldedCode = fold(code)
        if foldedTitle.isEmpty { return foldedCode }
        if foldedCode.isEmpty { return foldedTitle }
        return foldedCode + " " + foldedTitle
    }

    /// Whether every word of the query occurs in the folded text (word order free).
    public static func matches(_ query: String, in text: String) -> Bool {
        let haystack = fold(text)
        return fold(query).split(separator: " ").allSatisfy { haystack.contains($0) }
    }

    /// The reference fold, by Foundation: used for scripts outside the table and to build the table.
    static func foundationFold(_ text: String) -> String {
        let stripped = stripMarks(text)
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in stripped.unicodeScalars { append(scalar, to: &out, lastWasSpace: &lastWasSpace) }
        if lastWasSpace, !out.isEmpty { out.removeLast() }
        return String(out)
    }

    private static func stripMarks(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "đ", with: "d")
        return lowered.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    @inline(__always)
    private static func append(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView, lastWasSpace: inout Bool) {
        let value = scalar.value
        if value < 0x80 {
            switch value {
            case 0x09...0x0D, 0x20:
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            case 0x41...0x5A:
                out.append(Unicode.Scalar(UInt8(value + 0x20)))
                lastWasSpace = false
            default:
                out.append(scalar)
                lastWasSpace = false
            }
        } else if scalar.properties.isWhitespace {
            if !lastWasSpace { out.append(" ") }
            lastWasSpace = true
        } else {
            out.append(scalar)
            lastWasSpace = false
        }
    }

    /// Each Latin scalar's fold, computed once by Foundation.
    struct LatinTable: Sendable {
        static let shared = LatinTable()
        /// The blocks the table covers: Latin-1 Supplement through Latin Extended-B, combining diacritical marks,
        /// Latin Extended Additional (where Vietnamese's precomposed vowels live).
        static let ranges: [ClosedRange<UInt32>] = [0x80...0x24F, 0x300...0x36F, 0x1E00...0x1EFF]
        private let tables: [[[Unicode.Scalar]]]

        private init() {
            tables = Self.ranges.map { range in
                range.map { value in
                    // A combining mark is dropped: it marks the letter before it, which Foundation strips it from.
                    guard let scalar = Unicode.Scalar(value), !(0x300...0x36F).contains(value) else { return [] }
                    return Array(SearchText.stripMarks(String(Character(scalar))).unicodeScalars)
                }
            }
        }

        func folded(_ value: UInt32) -> [Unicode.Scalar]? {
            for (i, range) in Self.ranges.enumerated() where range.contains(value) {
                return tables[i][Int(value - range.lowerBound)]
            }
            return nil
        }
    }
}
