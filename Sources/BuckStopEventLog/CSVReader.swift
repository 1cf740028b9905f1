#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How to map a CSV event log onto traces and events.
public struct CSVLogOptions: Sendable {
    /// Header names of the case identifier, the activity and the time. Matched exactly, or else ignoring case
    /// when exactly one header matches that way.
    public var caseColumn: String
    public var activityColumn: String
    public var timeColumn: String
    /// The column naming who held the case. It must exist; like every other column it is stored as an event
    /// attribute under its own header name.
    public var ownerColumn: String?
    /// nil reads ISO 8601 (`Timestamp.parseISO8601`); otherwise a `TimeFormat` pattern such as `%d/%m/%Y %H:%M`.
    public var timeFormat: String?
    /// The field separator: `,` (default), `;`, tab, `|` or any other ASCII byte but a quote or a line break.
    public var delimiter: UInt8
    /// Cells equal to one of these (after unquoting, compared byte for byte) are absent (id 0). An empty cell is
    /// always absent.
    public var missingValues: Set<String>
    /// Streaming mode for pipes and huge inputs: the rows of a case must be contiguous; a trace ends when the case
    /// changes and batches are handed on as they fill, so memory does not grow with the input. When false the whole
    /// input is read first and rows are grouped by case in order of first appearance.
    public var groupedByCase: Bool

    public static let defaultMissingValues: Set<String> = ["", "?", "NA", "N/A", "null", "NULL", "-"]

    public init(
        caseColumn: String = "case", activityColumn: String = "activity", timeColumn: String = "time",
        ownerColumn: String? = nil, timeFormat: String? = nil, delimiter: UInt8 = UInt8(ascii: ","),
        missingValues: Set<String> = CSVLogOptions.defaultMissingValues, groupedByCase: Bool = false
    ) {
        self.caseColumn = caseColumn
        self.activityColumn = activityColumn
        self.timeColumn = timeColumn
        self.ownerColumn = ownerColumn
        self.timeFormat = timeFormat
        self.delimiter = delimiter
        self.missingValues = missingValues
        self.groupedByCase = groupedByCase
    }
}

/// Reads an event log from CSV (RFC 4180): a header row, then one event per row.
///
/// Quoted fields may hold delimiters, line breaks and doubled quotes; lines end in LF or CRLF; a UTF-8 byte order
/// mark is skipped; empty lines are skipped. Every column other than case, activity and time becomes an event
/// attribute keyed by its header (columns with an empty header are dropped; `LogReadOptions.eventKeys` selects).
///
/// Errors are `LogReadError`s whose `line` is the physical 1-based line where the offending field starts (line
/// breaks inside quoted fields count) and whose `column` is the 1-based *field number* (not a byte offset); the
/// message repeats both as "line L, column N (header name): …". Errors about the header as a whole use column 1.
/// A time format that cannot be used throws `TimeFormatError`; the source itself failing throws `ByteSourceError`.
///
/// Input past one of `LogReadOptions.limits` throws a `LogLimitError` (same line and column rules) as soon as the
/// reader sees it, before buffering the rest: a field or record too long, too many header columns or a header name
/// too long, a case with too many rows. So the read buffer never holds more than about `maxLineBytes`. A NUL byte
/// in the header is refused (it means UTF-16); elsewhere it is an ordinary byte of a value.
public enum CSVReader {
    public static func read(
        _ source: inout some ByteSource, csv: CSVLogOptions, options: LogReadOptions,
        onBatch: (EventBatch) throws -> Void
    ) throws -> LogInfo {
        var parser = try CSVParser(csv: csv, options: options)
        try parser.run(&source, onBatch: onBatch)
        return parser.builder.info
    }
}

// MARK: - Parser

/// Where each field of the row just scanned lies in the buffer.
struct CSVFields: ~Copyable {
    let capacity: Int
    let start: UnsafeMutablePointer<Int>
    let end: UnsafeMutablePointer<Int>
    let line: UnsafeMutablePointer<Int>
    /// Bit 0: quoted (start/end include the quotes); bit 1: holds doubled quotes.
    let flags: UnsafeMutablePointer<UInt8>
    /// Fields in the row, counting those beyond `capacity` (which are not recorded).
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        start = .allocate(capacity: capacity)
        end = .allocate(capacity: capacity)
        line = .allocate(capacity: capacity)
        flags = .allocate(capacity: capacity)
    }

    deinit {
        start.deallocate()
        end.deallocate()
        line.deallocate()
        flags.deallocate()
    }
}

enum CSVScan {
    /// A row `[from, next)` of `fields` fields; the row after it starts on `nextLine`.
    case row(next: Int, nextLine: Int, fields: Int)
    case blank(next: Int, nextLine: Int)
    /// The row runs past the bytes in the buffer, inside field `field` (1-based; 0 before the first field)
    /// that starts at `start` on line `line`.
    case needMore(field: Int, start: Int, line: Int)
    /// No bytes left at all.
    case end
    case badUTF8(line: Int, field: Int, at: Int)
    case unterminatedQuote(line: Int, field: Int)
    case afterQuote(line: Int, field: Int, at: Int)
}

private let lineFeed: UInt8 = 10
private let carriageReturn: UInt8 = 13
private let quoteMark: UInt8 = 34

/// Byte classes for the unquoted scan.
private let plainByte: UInt8 = 0
private let delimiterByte: UInt8 = 1
private let lfByte: UInt8 = 2
private let crByte: UInt8 = 3
private let highByte: UInt8 = 5

struct CSVParser: ~Copyable {
    let csv: CSVLogOptions
    let sourceName: String
    var builder: EventBatchBuilder
    let timeFormat: TimeFormat?
    let defaultOffset: Int32
    let limits: EventLogLimits
    /// A record longer than this may hold a field or be a record past its limit: only then are they measured.
    let recordCheck: Int

    // Input buffer: bytes [0, filled), parse position `pos`; the byte at `filled` holds a sentinel line feed, and
    // `padding` bytes past `capacity` let the scan load whole words near the end.
    static let padding = 16
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var filled = 0
    var pos = 0
    var eof = false
    /// Physical line where the next row starts.
    var line = 1

    let table: UnsafeMutablePointer<UInt8>
    var fields: CSVFields
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity: Int

    // Header.
    var names: [String] = []
    var caseIndex = 0
    var activityIndex = 0
    var timeIndex = 0
    /// (field index, event column slot) of every kept attribute column.
    var attributeFields: [Int] = []
    var attributeSlots: [Int] = []

    // Missing values by length (lengths 1 ... maxMissingLength; the empty cell is always missing).
    var missingByLength: [[[UInt8]]] = []
    var maxMissingLength = 0

    var sawOffset = false

    /// Ids of values met recently, per field: cheaper than the interner's big table, which misses the CPU cache.
    var recent: FieldValueCache

    // Grouped (streaming) mode.
    var currentCase: UInt32 = 0
    var traceOpen = false
    /// Bit per interned id: a case that has ended.
    var finishedCases: [UInt64] = []
    /// Rows of the open trace (grouped mode) …
    var traceRows = 0
    /// … and, in whole-input mode, rows so far per case id (indexed by interned id), both for `maxTraceEvents`.
    var caseRows: [UInt32] = []

    // Whole-input mode: the rows, column by column.
    var rowCase: [UInt32] = []
    var rowActivity: [UInt32] = []
    var rowTime: [Int64] = []
    /// `attributeFields.count` values per row.
    var rowAttributes: [UInt32] = []

    init(csv: CSVLogOptions, options: LogReadOptions) throws {
        // Everything that can throw comes first (a noncopyable value must be wholly built or not at all).
        let format = try csv.timeFormat.map { try TimeFormat(pattern: $0) }
        let d = csv.delimiter
        guard d != quoteMark, d != lineFeed, d != carriageReturn, d < 0x80 else {
            throw LogReadError(
                source: options.sourceName, line: 1, column: 1,
                message: "the delimiter must be an ASCII character other than a quote or a line break (got byte \(d))")
        }
        self.csv = csv
        sourceName = options.sourceName
        builder = EventBatchBuilder(options: options)
        defaultOffset = options.defaultUTCOffsetSeconds
        timeFormat = format
        limits = options.limits
        recordCheck = max(min(options.limits.maxFieldBytes, options.limits.maxLineBytes), 0)
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity + Self.padding)
        builder.noteReadBuffer(capacity + Self.padding)
        table = .allocate(capacity: 256)
        table.initialize(repeating: plainByte, count: 256)
        for c in 0x80...0xFF { table[c] = highByte }
        table[Int(lineFeed)] = lfByte
        table[Int(carriageReturn)] = crByte
        table[Int(d)] = delimiterByte
        // Room for the header's fields; more is made when a header has more (up to `maxColumns`).
        fields = CSVFields(capacity: min(max(options.limits.maxColumns, 1), 1 << 12))
        scratchCapacity = 1 << 12
        scratch = .allocate(capacity: scratchCapacity)
        recent = FieldValueCache(fields: 0)

        for value in csv.missingValues where !value.isEmpty {
            let bytes = Array(value.utf8)
            if bytes.count > maxMissingLength {
                maxMissingLength = bytes.count
                while missingByLength.count <= maxMissingLength { missingByLength.append([]) }
            }
            missingByLength[bytes.count].append(bytes)
        }
    }

    deinit {
        buffer.deallocate()
        table.deallocate()
        scratch.deallocate()
    }

    // MARK: Driving

    mutating func run<S: ByteSource>(_ source: inout S, onBatch: (EventBatch) throws -> Void) throws {
        try fill(&source)
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { pos = 3 }
        var haveHeader = false
        scanning: while true {
            switch scanRow() {
            case .row(let next, let nextLine, let count):
                if next - pos > recordCheck { try checkRecord(next: next, fields: count) }
                fields.count = count
                if haveHeader {
                    try processRow(onBatch)
                } else {
                    if count > fields.capacity && count <= limits.maxColumns {
                        // A wide header: scan it again with room for every name.
                        fields = CSVFields(capacity: count)
                        continue scanning
                    }
                    try readHeader()
                    haveHeader = true
                }
                pos = next
                line = nextLine
            case .blank(let next, let nextLine):
                pos = next
                line = nextLine
            case .end:
                break scanning
            case .needMore(let field, let start, let fieldLine):
                // Refuse an unfinished field or record past its limit before buffering more of it. The bounds
                // are lower bounds (a pending closing quote or CR may not belong to the content), so a value
                // exactly at its limit is never refused here.
                if field > 0 && filled - start - 2 > limits.maxFieldBytes {
                    throw fieldTooLong(line: fieldLine, field: field, length: nil)
                }
                if filled - pos - 1 > limits.maxLineBytes { throw recordTooLong(length: nil) }
                if pos == 0 && filled == capacity { grow() } else { compact() }
                try fill(&source)
            case .badUTF8(let line, let field, let at):
                var bytes: [String] = []
                var k = at
                while k < filled, k < at + 4, bytes.isEmpty || buffer[k] & 0xC0 == 0x80 {
                    bytes.append(hex(buffer[k]))
                    k += 1
                }
                throw error(line, field, "invalid UTF-8 (bytes \(bytes.joined(separator: " "))); the input must be UTF-8")
            case .unterminatedQuote(let line, let field):
                throw error(line, field, "the quoted field that starts here is not closed before the end of the input")
            case .afterQuote(let line, let field, let at):
                let c = buffer[at]
                let shown = c >= 32 && c < 127 ? "'\(Character(Unicode.Scalar(c)))'" : "byte \(hex(c))"
                throw error(
                    line, field,
                    "unexpected \(shown) after the closing quote (a quote inside a quoted field must be doubled: \"\")")
            }
        }
        guard haveHeader else {
            throw LogReadError(source: sourceName, line: line, column: 1, message: "the input is empty; a header row is required")
        }
        if csv.groupedByCase {
            if traceOpen {
                builder.endTrace { "" }
                traceOpen = false
            }
        } else {
            try emitGroupedRows(onBatch)
        }
        if builder.bufferedEvents > 0 { try onBatch(builder.takeBatch()) }
    }

    /// Reads until the buffer is full or the input ends.
    mutating func fill<S: ByteSource>(_ source: inout S) throws {
        while !eof && filled < capacity {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            if n <= 0 {
                eof = true
            } else {
                filled += min(n, capacity - filled)
                builder.addBytes(n)
            }
        }
        buffer[filled] = lineFeed  // sentinel: stops the unquoted scan
    }

    mutating func compact() {
        let keep = filled - pos
        if pos > 0 && keep > 0 { memmove(buffer, buffer + pos, keep) }
        filled = keep
        pos = 0
    }

    /// Makes room for a record larger than the buffer: doubling, but to no more than the longest record allowed
    /// plus its CRLF (a record that fills that is past the limit, which `run` checks before growing).
    mutating func grow() {
        let ceiling = limits.maxLineBytes > Int.max - 2 ? Int.max : max(limits.maxLineBytes, 0) + 2
        let grown = max(min(capacity * 2, ceiling), capacity + 1)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown + Self.padding)
        bigger.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = bigger
        capacity = grown
        builder.noteReadBuffer(capacity + Self.padding)
    }

    /// Measures a complete record that may be past a limit: each field, then the whole.
    func checkRecord(next: Int, fields count: Int) throws {
        for f in 0..<min(count, fields.capacity) {
            let length = fields.end[f] - fields.start[f] - (fields.flags[f] & 1 != 0 ? 2 : 0)
            if length > limits.maxFieldBytes { throw fieldTooLong(line: fields.line[f], field: f + 1, length: length) }
        }
        var end = next
        if end > pos && buffer[end - 1] == lineFeed { end -= 1 }
        if end > pos && buffer[end - 1] == carriageReturn { end -= 1 }
        if end - pos > limits.maxLineBytes { throw recordTooLong(length: end - pos) }
    }

    func fieldTooLong(line: Int, field: Int, length: Int?) -> LogLimitError {
        let size = length.map { "the field (\(LogLimitError.grouped($0)) bytes) is longer than" } ?? "the field is longer than"
        return limitError(line, field, .fieldBytes, size)
    }

    /// The record starting on `line` is too long; `length` when known (nil: it has not ended yet).
    func recordTooLong(length: Int?) -> LogLimitError {
        let size = length.map { "the record (\(LogLimitError.grouped($0)) bytes) is longer than" } ?? "the record is longer than"
        return LogLimitError(
            source: sourceName, line: line, column: 1, limit: .lineBytes, maximum: limits.maxLineBytes,
            prefix: "line \(line): ", what: size)
    }

    func limitError(_ line: Int, _ field: Int, _ limit: EventLogLimits.Kind, _ what: String) -> LogLimitError {
        LogLimitError(
            source: sourceName, line: line, column: field, limit: limit, maximum: limits[limit],
            prefix: "line \(line), column \(field)\(columnName(field)): ", what: what)
    }

    // MARK: Scanning

    /// Finds the fields of the row at `pos`, without side effects beyond `fields`.
    func scanRow() -> CSVScan {
        let p = buffer
        let limit = filled
        let eof = self.eof
        var i = pos
        if i >= limit { return eof ? .end : .needMore(field: 0, start: i, line: line) }
        // Empty line.
        if p[i] == lineFeed { return .blank(next: i + 1, nextLine: line + 1) }
        if p[i] == carriageReturn {
            if i + 1 < limit { return .blank(next: p[i + 1] == lineFeed ? i + 2 : i + 1, nextLine: line + 1) }
            return eof ? .blank(next: i + 1, nextLine: line + 1) : .needMore(field: 0, start: i, line: line)
        }
        let table = self.table
        let fields = self.fields.start
        let ends = self.fields.end
        let lines = self.fields.line
        let flags = self.fields.flags
        let capacity = self.fields.capacity
        let delimiters = UInt64(csv.delimiter) &* lowBytes
        var line = self.line
        var f = 0
        while true {
            let fieldStart = i
            let fieldLine = line
            var flag: UInt8 = 0
            if i < limit && p[i] == quoteMark {
                flag = 1
                i += 1
                quoted: while true {
                    if i >= limit {
                        return eof
                            ? .unterminatedQuote(line: fieldLine, field: f + 1)
                            : .needMore(field: f + 1, start: fieldStart, line: fieldLine)
                    }
                    let c = p[i]
                    if c == quoteMark {
                        if i + 1 < limit {
                            if p[i + 1] == quoteMark {
                                flag |= 2
                                i += 2
                                continue
                            }
                            i += 1
                            break quoted
                        }
                        if eof {
                            i += 1
                            break quoted
                        }
                        return .needMore(field: f + 1, start: fieldStart, line: fieldLine)
                    } else if c == lineFeed {
                        line += 1
                        i += 1
                    } else if c >= 0x80 {
                        let n = utf8Length(p, i, limit)
                        if n > 0 {
                            i += n
                        } else if n < 0 && !eof {
                            return .needMore(field: f + 1, start: fieldStart, line: fieldLine)
                        } else {
                            return .badUTF8(line: line, field: f + 1, at: i)
                        }
                    } else {
                        i += 1
                    }
                }
                if i < limit {
                    let k = table[Int(p[i])]
                    if k != delimiterByte && k != lfByte && k != crByte { return .afterQuote(line: line, field: f + 1, at: i) }
                }
            } else {
                while true {
                    // The sentinel at `limit` is a line feed, so this stops there at the latest.
                    #if _endian(little)
                        // Eight bytes at a time: the lowest flagged byte of the word is the first delimiter, line
                        // break or non-ASCII byte (the flags are exact up to the first match).
                        while true {
                            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                            let m = zeroBytes(w ^ delimiters) | zeroBytes(w ^ lineFeeds) | zeroBytes(w ^ returns) | (w & highBits)
                            if m != 0 {
                                i += m.trailingZeroBitCount >> 3
                                break
                            }
                            i += 8
                        }
                    #else
                        while table[Int(p[i])] == plainByte { i += 1 }
                    #endif
                    if p[i] < 0x80 { break }
                    let n = utf8Length(p, i, limit)
                    if n > 0 {
                        i += n
                    } else if n < 0 && !eof {
                        return .needMore(field: f + 1, start: fieldStart, line: fieldLine)
                    } else {
                        return .badUTF8(line: line, field: f + 1, at: i)
                    }
                }
            }
            if f < capacity {
                fields[f] = fieldStart
                ends[f] = i
                lines[f] = fieldLine
                flags[f] = flag
            }
            f += 1
            // Here i == limit or p[i] is a delimiter, LF or CR.
            if i >= limit {
                guard eof else { return .needMore(field: f, start: fieldStart, line: fieldLine) }
                return .row(next: limit, nextLine: line, fields: f)
            }
            let c = p[i]
            if c == lineFeed {
                return .row(next: i + 1, nextLine: line + 1, fields: f)
            }
            if c == carriageReturn {
                if i + 1 < limit {
                    return .row(next: p[i + 1] == lineFeed ? i + 2 : i + 1, nextLine: line + 1, fields: f)
                }
                guard eof else { return .needMore(field: f, start: fieldStart, line: fieldLine) }
                return .row(next: i + 1, nextLine: line + 1, fields: f)
            }
            i += 1  // delimiter
        }
    }

    // MARK: Rows

    mutating func readHeader() throws {
        let n = fields.count
        guard n <= limits.maxColumns, n <= fields.capacity else {
            throw LogLimitError(
                source: sourceName, line: line, column: 1, limit: .columns, maximum: limits.maxColumns,
                prefix: "line \(line): ", what: "the header has \(LogLimitError.grouped(n)) columns, more than")
        }
        var names: [String] = []
        names.reserveCapacity(n)
        for f in 0..<n {
            let bytes = fieldBytes(f)
            if bytes.count > limits.maxNameBytes {
                throw limitError(fields.line[f], f + 1, .nameBytes, "the column name is longer than")
            }
            // A NUL in a header is text saved as UTF-16 (every ASCII letter followed by a zero byte).
            if bytes.contains(0) {
                throw error(
                    fields.line[f], f + 1,
                    "the header holds a NUL byte; is the file UTF-16? It must be UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)")
            }
            names.append(Self.trimmingSpaces(String(decoding: bytes, as: UTF8.self)))
        }
        self.names = names
        let headerLine = line

        func find(_ name: String) throws -> Int {
            if let exact = names.firstIndex(of: name) { return exact }
            let folded = name.lowercased()
            let loose = names.indices.filter { names[$0].lowercased() == folded }
            if loose.count == 1 { return loose[0] }
            // A wide header is listed in part: the message must stay readable.
            var listed = names.prefix(40).map { "'\(Self.shown($0))'" }.joined(separator: ", ")
            if names.count > 40 { listed += " and \(names.count - 40) more" }
            var hint = ""
            if names.count == 1, let other = [";", "\t", "|", ","].first(where: { names[0].contains($0) }) {
                let shown = other == "\t" ? "tab" : "'\(other)'"
                hint = " (the header has a single column: is the delimiter \(shown)?)"
            }
            throw LogReadError(
                source: sourceName, line: headerLine, column: 1,
                message: "no column '\(name)' in the header; columns are: \(listed)\(hint)")
        }
        caseIndex = try find(csv.caseColumn)
        activityIndex = try find(csv.activityColumn)
        timeIndex = try find(csv.timeColumn)
        if let owner = csv.ownerColumn { _ = try find(owner) }
        for (f, name) in names.enumerated() where f != caseIndex && f != activityIndex && f != timeIndex && !name.isEmpty {
            if let slot = builder.eventSlot(forKey: name) {
                attributeFields.append(f)
                attributeSlots.append(slot)
            }
        }
        fields = CSVFields(capacity: n)
        recent = FieldValueCache(fields: n)
    }

    mutating func processRow(_ onBatch: (EventBatch) throws -> Void) throws {
        let count = fields.count
        guard count == names.count else {
            throw LogReadError(
                source: sourceName, line: line, column: min(count, names.count) + 1,
                message: "line \(line): expected \(names.count) fields as in the header, found \(count)")
        }
        let caseBytes = fieldBytes(caseIndex)
        if isMissing(caseBytes) {
            let shown = caseBytes.isEmpty ? "" : " ('\(Self.shown(caseBytes))')"
            throw error(fields.line[caseIndex], caseIndex + 1, "missing case id\(shown)")
        }
        let caseID = intern(field: caseIndex, caseBytes)
        let activityBytes = fieldBytes(activityIndex)
        let activity = isMissing(activityBytes) ? 0 : intern(field: activityIndex, activityBytes)
        let time = try parseTime()
        let width = attributeFields.count

        if csv.groupedByCase {
            if caseID != currentCase || !traceOpen {
                if traceOpen {
                    builder.endTrace { "" }
                    markFinished(currentCase)
                    traceOpen = false
                    if builder.isBatchFull { try onBatch(builder.takeBatch()) }
                }
                if isFinished(caseID) {
                    throw LogReadError(
                        source: sourceName, line: fields.line[caseIndex], column: caseIndex + 1,
                        message: "line \(fields.line[caseIndex]): case '\(Self.shown(fieldBytes(caseIndex)))' "
                            + "appears again after other cases; input read from a pipe must be grouped by case "
                            + "(sort it by case, or pass a file)")
                }
                builder.startTrace()
                builder.setTraceName(caseID)
                currentCase = caseID
                traceOpen = true
                traceRows = 0
            }
            if traceRows >= limits.maxTraceEvents { throw tooManyRows(caseBytes: fieldBytes(caseIndex)) }
            traceRows += 1
            builder.startEvent()
            if time != EventBatch.noTime { builder.setTime(time) }
            if activity != 0 { builder.setActivity(activity) }
            for k in 0..<width {
                let f = attributeFields[k]
                let bytes = fieldBytes(f)
                if isMissing(bytes) { continue }
                let value = intern(field: f, bytes)
                builder.setEventAttribute(slot: attributeSlots[k], value)
            }
        } else {
            let c = Int(caseID)
            if c >= caseRows.count {
                caseRows.append(contentsOf: repeatElement(0, count: max(c + 1 - caseRows.count, caseRows.count)))
            }
            if Int(caseRows[c]) >= limits.maxTraceEvents { throw tooManyRows(caseBytes: fieldBytes(caseIndex)) }
            caseRows[c] &+= 1
            rowCase.append(caseID)
            rowActivity.append(activity)
            rowTime.append(time)
            for k in 0..<width {
                let f = attributeFields[k]
                let bytes = fieldBytes(f)
                rowAttributes.append(isMissing(bytes) ? 0 : intern(field: f, bytes))
            }
        }
    }

    mutating func tooManyRows(caseBytes: UnsafeRawBufferPointer) -> LogLimitError {
        limitError(
            fields.line[caseIndex], caseIndex + 1, .traceEvents, "case '\(Self.shown(caseBytes))' has more rows (events) than")
    }

    mutating func parseTime() throws -> Int64 {
        var bytes = fieldBytes(timeIndex)
        while let first = bytes.first, first == 32 { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst()) }
        while let last = bytes.last, last == 32 { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        if isMissing(bytes) { return EventBatch.noTime }
        let parsed: Timestamp.Parsed?
        if let timeFormat {
            parsed = timeFormat.parse(bytes, defaultOffsetSeconds: defaultOffset)
        } else {
            parsed = Timestamp.parseISO8601(bytes, defaultOffsetSeconds: defaultOffset)
        }
        guard let parsed else {
            let problem =
                if let timeFormat {
                    "does not match --time-format \(timeFormat.pattern)"
                } else {
                    "is not an ISO 8601 time (such as 2025-03-07T09:05:00+07:00); pass --time-format for another layout"
                }
            throw error(fields.line[timeIndex], timeIndex + 1, "'\(Self.shown(bytes))' \(problem)")
        }
        if !sawOffset, let offset = parsed.offsetSeconds {
            builder.noteOffset(offset)
            sawOffset = true
        }
        return parsed.millis
    }

    /// Groups the rows read by case (first appearance order, rows in input order) and hands them to the builder.
    mutating func emitGroupedRows(_ onBatch: (EventBatch) throws -> Void) throws {
        let rows = rowCase.count
        guard rows > 0 else { return }
        var traceOf = [Int32](repeating: -1, count: builder.interner.count)
        var traceCase: [UInt32] = []
        var starts: [Int] = [0]
        for r in 0..<rows {
            let c = Int(rowCase[r])
            var t = traceOf[c]
            if t < 0 {
                t = Int32(traceCase.count)
                traceOf[c] = t
                traceCase.append(rowCase[r])
                starts.append(0)
            }
            starts[Int(t) + 1] += 1
        }
        for t in 0..<traceCase.count { starts[t + 1] += starts[t] }
        var next = starts
        var order = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            let t = Int(traceOf[Int(rowCase[r])])
            order[next[t]] = r
            next[t] += 1
        }
        traceOf = []
        next = []
        let width = attributeFields.count
        for t in 0..<traceCase.count {
            builder.startTrace()
            builder.setTraceName(traceCase[t])
            for k in starts[t]..<starts[t + 1] {
                let r = order[k]
                builder.startEvent()
                if rowTime[r] != EventBatch.noTime { builder.setTime(rowTime[r]) }
                if rowActivity[r] != 0 { builder.setActivity(rowActivity[r]) }
                for a in 0..<width {
                    let value = rowAttributes[r * width + a]
                    if value != 0 { builder.setEventAttribute(slot: attributeSlots[a], value) }
                }
            }
            builder.endTrace { "" }
            if builder.isBatchFull { try onBatch(builder.takeBatch()) }
        }
        rowCase = []
        rowActivity = []
        rowTime = []
        rowAttributes = []
    }

    // MARK: Fields

    /// The content of field `f` of the current row, unquoted (in the scratch buffer when quotes were doubled).
    @inline(__always)
    mutating func fieldBytes(_ f: Int) -> UnsafeRawBufferPointer {
        var s = fields.start[f]
        var e = fields.end[f]
        let flag = fields.flags[f]
        if flag != 0 {
            s += 1
            e -= 1
            if flag & 2 != 0 { return unquote(s, e) }
        }
        return UnsafeRawBufferPointer(start: buffer + s, count: e - s)
    }

    /// The id of a (non-empty) value of field `f`.
    @inline(__always)
    mutating func intern(field f: Int, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let entry = recent.lookup(field: f, bytes) else { return builder.interner.intern(bytes) }
        if let id = recent.id(entry, ifHolding: bytes) {
            recent.hit(field: f)
            return id
        }
        let id = builder.interner.intern(bytes)
        recent.store(entry, bytes, id)
        return id
    }

    mutating func unquote(_ s: Int, _ e: Int) -> UnsafeRawBufferPointer {
        if e - s > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = e - s
            scratch = .allocate(capacity: scratchCapacity)
        }
        var i = s
        var o = 0
        while i < e {
            let c = buffer[i]
            scratch[o] = c
            o += 1
            i += c == quoteMark ? 2 : 1
        }
        return UnsafeRawBufferPointer(start: scratch, count: o)
    }

    @inline(__always)
    func isMissing(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        if n == 0 { return true }
        if n > maxMissingLength { return false }
        for candidate in missingByLength[n] {
            if candidate.withUnsafeBytes({ memcmpBytes($0.baseAddress!, bytes.baseAddress!, n) }) { return true }
        }
        return false
    }

    mutating func markFinished(_ id: UInt32) {
        let word = Int(id >> 6)
        if word >= finishedCases.count {
            finishedCases.append(contentsOf: repeatElement(0, count: max(word + 1 - finishedCases.count, finishedCases.count)))
        }
        finishedCases[word] |= 1 << UInt64(id & 63)
    }

    func isFinished(_ id: UInt32) -> Bool {
        let word = Int(id >> 6)
        return word < finishedCases.count && finishedCases[word] & (1 << UInt64(id & 63)) != 0
    }

    // MARK: Messages

    func error(_ line: Int, _ field: Int, _ message: String) -> LogReadError {
        LogReadError(source: sourceName, line: line, column: field, message: "line \(line), column \(field)\(columnName(field)): \(message)")
    }

    /// " (name)" of a field number once the header is known.
    func columnName(_ field: Int) -> String {
        field >= 1 && field <= names.count ? " (\(Self.shown(names[field - 1])))" : ""
    }

    /// A cell as text for a message, shortened.
    static func shown(_ bytes: UnsafeRawBufferPointer) -> String {
        // Decode no more than a message can show (a field may be a megabyte).
        shown(String(decoding: UnsafeRawBufferPointer(rebasing: bytes.prefix(240)), as: UTF8.self))
    }

    static func shown(_ text: String) -> String {
        var text = text.count > 60 ? String(text.prefix(57)) + "..." : text
        if text.utf8.contains(where: { $0 < 32 }) {
            // Control bytes (a NUL, a line break in a quoted field) would garble a one-line message.
            var escaped = ""
            for scalar in text.unicodeScalars {
                if scalar.value < 32 {
                    escaped += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
            text = escaped
        }
        return text
    }

    static func trimmingSpaces(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

/// A direct-mapped cache per field from short values to their ids. An entry is one 64-byte cache line: length,
/// id, then up to 56 bytes of value. A field whose values rarely repeat (say a free-text note) turns its cache
/// off after a trial, so it costs next to nothing there.
struct FieldValueCache: ~Copyable {
    static let stride = 64
    static let width = 56
    static let waysLog2 = 10
    static let trial = 1 << 14

    let fields: Int
    let entries: UnsafeMutableRawPointer
    /// Per field: lookups and hits so far, while on trial; `lookups == -1` once turned off.
    let lookups: UnsafeMutablePointer<Int>
    let hits: UnsafeMutablePointer<Int>

    init(fields: Int) {
        // Only the first 64 fields get a cache (64 KB each).
        let cached = min(fields, 64)
        self.fields = cached
        let count = max(cached, 1) << Self.waysLog2
        entries = .allocate(byteCount: count * Self.stride, alignment: 64)
        entries.initializeMemory(as: UInt8.self, repeating: 0, count: count * Self.stride)  // length 0: empty
        lookups = .allocate(capacity: max(cached, 1))
        lookups.initialize(repeating: 0, count: max(cached, 1))
        hits = .allocate(capacity: max(cached, 1))
        hits.initialize(repeating: 0, count: max(cached, 1))
    }

    deinit {
        entries.deallocate()
        lookups.deallocate()
        hits.deallocate()
    }

    /// The entry for a (non-empty) value of field `f`, or nil when the value is not cached here.
    @inline(__always)
    func lookup(field f: Int, _ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawPointer? {
        let n = bytes.count
        guard f < fields, n <= Self.width, n > 0, let p = bytes.baseAddress else { return nil }
        let seen = lookups[f]
        if seen < 0 { return nil }
        if seen == Self.trial {
            if hits[f] * 2 < seen {
                lookups[f] = -1
                return nil
            }
            lookups[f] = Self.trial + 1  // stays on
        } else if seen < Self.trial {
            lookups[f] = seen + 1
        }
        var w: UInt64
        if n >= 8 {
            w = p.loadUnaligned(as: UInt64.self) ^ (p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) &* 0x9E37_79B9_7F4A_7C15)
        } else if n >= 4 {
            w = UInt64(p.loadUnaligned(as: UInt32.self)) << 32 | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        } else {
            let b = p.assumingMemoryBound(to: UInt8.self)
            w = UInt64(b[0]) << 16 | UInt64(b[n >> 1]) << 8 | UInt64(b[n - 1])
        }
        w = (w ^ UInt64(n)) &* 0xBF58_476D_1CE4_E5B9
        w ^= w >> 31
        let slot = f << Self.waysLog2 | Int(truncatingIfNeeded: w >> UInt64(64 - Self.waysLog2))
        return entries + slot * Self.stride
    }

    /// The id cached in `entry` when it holds `bytes`.
    @inline(__always)
    func id(_ entry: UnsafeMutableRawPointer, ifHolding bytes: UnsafeRawBufferPointer) -> UInt32? {
        let n = bytes.count
        guard Int(entry.load(as: UInt32.self)) == n else { return nil }
        let a = UnsafeRawPointer(entry + 8)
        let b = UnsafeRawPointer(bytes.baseAddress!)
        // Overlapping word compares: n is 1 ... 56.
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return nil }
                i += 8
            }
            guard a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            else { return nil }
        } else if n >= 4 {
            guard a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self),
                a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            else { return nil }
        } else {
            let x = a.assumingMemoryBound(to: UInt8.self)
            let y = b.assumingMemoryBound(to: UInt8.self)
            guard x[0] == y[0], x[n >> 1] == y[n >> 1], x[n - 1] == y[n - 1] else { return nil }
        }
        return entry.load(fromByteOffset: 4, as: UInt32.self)
    }

    @inline(__always)
    func hit(field f: Int) {
        if lookups[f] <= Self.trial { hits[f] += 1 }
    }

    @inline(__always)
    func store(_ entry: UnsafeMutableRawPointer, _ bytes: UnsafeRawBufferPointer, _ value: UInt32) {
        entry.storeBytes(of: UInt32(bytes.count), as: UInt32.self)
        entry.storeBytes(of: value, toByteOffset: 4, as: UInt32.self)
        (entry + 8).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }
}

private let lowBytes: UInt64 = 0x0101_0101_0101_0101
private let highBits: UInt64 = 0x8080_8080_8080_8080
private let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
private let returns: UInt64 = 0x0D0D_0D0D_0D0D_0D0D

/// The high bit of every zero byte of `x` set (exact for the lowest zero byte; bytes above it may be flagged too).
@inline(__always)
private func zeroBytes(_ x: UInt64) -> UInt64 { (x &- lowBytes) & ~x & highBits }

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])"
}

/// Length of the valid UTF-8 sequence starting with the non-ASCII byte at `i`: 0 when invalid, -1 when it runs
/// past `limit` (more input needed).
@inline(__always)
private func utf8Length(_ p: UnsafeMutablePointer<UInt8>, _ i: Int, _ limit: Int) -> Int {
    let c = p[i]
    let need: Int
    var lo: UInt8 = 0x80
    var hi: UInt8 = 0xBF
    switch c {
    case 0xC2...0xDF: need = 1
    case 0xE0:
        need = 2
        lo = 0xA0
    case 0xE1...0xEC, 0xEE, 0xEF: need = 2
    case 0xED:
        need = 2
        hi = 0x9F
    case 0xF0:
        need = 3
        lo = 0x90
    case 0xF1...0xF3: need = 3
    case 0xF4:
        need = 3
        hi = 0x8F
    default: return 0
    }
    for k in 1...need {
        if i + k >= limit { return -1 }
        let b = p[i + k]
        if k == 1 {
            if b < lo || b > hi { return 0 }
        } else if b & 0xC0 != 0x80 {
            return 0
        }
    }
    return need + 1
}
