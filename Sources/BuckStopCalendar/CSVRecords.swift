/// A minimal RFC 4180 reader that remembers where each record starts.
///
/// Written here rather than borrowed because this target has no dependencies and the
/// error messages must point at a line and a field. Accepts LF or CRLF line ends and a
/// leading UTF-8 BOM; skips blank lines. Quotes are only allowed around a whole field.
struct CSVRecord: Equatable {
    /// 1-based physical line on which the record starts.
    let line: Int
    let fields: [String]
}

enum CSVRecords {
    static func parse(_ text: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }

        func next() -> Unicode.Scalar? {
            defer { pending = iterator.next() }
            return pending
        }

        func endRecord() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            // A blank line parses as one empty field; it is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
        }

        var atFieldStart = true
        while let scalar = next() {
            switch scalar {
            case "\"" where atFieldStart:
                let quoteLine = line
                var closed = false
                while let inner = next() {
                    if inner == "\"" {
                        if pending == "\"" {
                            _ = next()
                            field.append("\"")
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if inner == "\n" { line += 1 }
                        field.append(inner)
                    }
                }
                guard closed else {
                    throw CalendarError.malformedFile(
                        line: quoteLine, column: fields.count + 1,
                        expected: "closing quote", found: "end of file")
                }
                if let after = pending, after != ",", after != "\n", after != "\r" {
                    throw CalendarError.malformedFile(
                        line: line, column: fields.count + 1,
                        expected: "',' or end of line after a closing quote", found: String(after))
                }
                atFieldStart = false
            case "\"":
                throw CalendarError.malformedFile(
                    line: line, column: fields.count + 1,
                    expected: "a quote only around a whole field", found: String(field) + "\"")
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                atFieldStart = true
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
                atFieldStart = true
            default:
                field.append(scalar)
                atFieldStart = false
            }
        }
        if !atFieldStart || !field.isEmpty || !fields.isEmpty {
            endRecord()
        }
        return records
    }
}
