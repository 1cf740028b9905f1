/// Cell references as Excel writes them. Columns are bijective base 26 (A…Z, AA…AZ, BA…, ZZ, AAA…), not plain
/// base 26: there is no zero digit, which is why Z is followed by AA rather than BA.
public enum CellReference {
    /// The widest sheet Excel opens (XFD).
    public static let maximumColumns = 16_384
    /// The tallest sheet Excel opens.
    public static let maximumRows = 1_048_576

    /// `number` counts from 1 (A = 1); below 1 there is no column, so the answer is empty rather than a guess.
    public static func columnName(_ number: Int) -> String {
        var n = number
        var letters: [Character] = []
        while n > 0 {
            let digit = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + digit))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// Row and column count from 1, as in "B3" for row 3, column 2.
    public static func name(row: Int, column: Int) -> String {
        columnName(column) + String(row)
    }
}

/// Text as SpreadsheetML can carry it. The rules come from three places, and each one loses data when ignored:
/// XML 1.0 forbids most control characters outright (a parser stops at them), XML parsers turn a bare carriage
/// return into a line feed, and ECMA-376 (§22.9.2.19, ST_Xstring) reads `_xHHHH_` in cell text as an escaped
/// character, so a literal "_x0041_" would come back as "A" unless its underscore is escaped as `_x005F_`.
public enum SpreadsheetText {
    /// Excel's limit on one cell's text, in UTF-16 units; longer text makes Excel report the file as damaged.
    static let maximumCellLength = 32_767

    /// Tab, line feed and carriage return are the only characters below U+0020 that XML 1.0 allows; U+FFFE and
    /// U+FFFF are not characters at all. Lone surrogates cannot occur in a Swift string.
    static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: return true
        case 0x0..<0x20: return false
        case 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    /// What a cell can hold: characters XML cannot carry dropped, and text past Excel's limit cut.
    ///
    /// Overlong text is cut rather than refused because an export is read by people, and failing a whole export
    /// over one long explanation helps nobody; the cut text ends in "…" so nobody takes it for the whole, and the
    /// CSV export of the same list keeps every character. The cut falls between characters, never inside one.
    static func cellText(_ text: String) -> String {
        let clean = stripped(text)
        guard clean.utf16.count > maximumCellLength else { return clean }
        let ellipsis: Character = "…"
        let room = maximumCellLength - ellipsis.utf16.count
        var out = ""
        var used = 0
        for c in clean {
            let width = c.utf16.count
            if used + width > room { break }
            out.append(c)
            used += width
        }
        out.append(ellipsis)
        return out
    }

    static func stripped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowedInXML($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter(isAllowedInXML))
        return String(scalars)
    }

    /// Cell text for a `<t>` element: `_xHHHH_` sequences protected, then XML-escaped. The input must already be
    /// `cellText` (free of characters XML forbids).
    static func cellXML(_ text: String) -> String {
        xmlEscaped(protectingEscapes(text))
    }

    /// Puts `_x005F_` before every `_xHHHH_` so that a reader following ECMA-376 gives back the literal text.
    static func protectingEscapes(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "_", i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_",
                scalars[(i + 2)...(i + 5)].allSatisfy(\.properties.isASCIIHexDigit)
            {
                out.append(contentsOf: "_x005F".unicodeScalars)
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// Escapes for element content and attribute values alike: the five predefined entities, and character
    /// references for the whitespace a parser would otherwise normalise (CR always; tab and LF matter in attributes).
    /// HTML reads the same entities, so the report's HTML writer escapes with it too.
    public static func xmlEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Attribute values also lose tabs and line feeds to normalisation, so those become character references.
    static func attribute(_ text: String) -> String {
        xmlEscaped(stripped(text)).replacingOccurrences(of: "\t", with: "&#9;").replacingOccurrences(of: "\n", with: "&#10;")
    }
}
