import BuckStopEventLog
import BuckStopTestSupport
import Foundation
import Testing

// Input built to hurt the readers — gzip bombs, endless tokens, deep nesting, odd bytes — must end in a typed
// error naming the place, or be read as documented: never a trap, a hang, or memory that grows with the input.
// Memory is judged by how many bytes the reader pulled from its source before it stopped (it cannot hold more
// than it read) and, for reads that succeed, by `LogInfo.readBufferBytes`.

// MARK: - Sources and sinks

/// Bytes made of parts, each repeated, produced as they are read: a 64 MiB value without a 64 MiB array.
private struct PatternSource: ByteSource {
    let parts: [(bytes: [UInt8], count: Int)]
    var part = 0
    var round = 0
    var offset = 0

    init(_ parts: [(bytes: [UInt8], count: Int)]) { self.parts = parts }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let out = buffer.baseAddress else { return 0 }
        var n = 0
        while n < buffer.count && part < parts.count {
            let (bytes, count) = parts[part]
            if round >= count || bytes.isEmpty {
                part += 1
                round = 0
                offset = 0
                continue
            }
            let k = min(buffer.count - n, bytes.count - offset)
            bytes.withUnsafeBytes { src in
                if let s = src.baseAddress { (out + n).copyMemory(from: s + offset, byteCount: k) }
            }
            n += k
            offset += k
            if offset == bytes.count {
                offset = 0
                round += 1
            }
        }
        return n
    }
}

/// Counts the bytes a reader took from its source (a class, so the count can be read after a throw).
private final class CountingSource: ByteSource {
    var base: any ByteSource
    private(set) var count = 0

    init(_ base: any ByteSource) { self.base = base }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        count += max(n, 0)
        return n
    }
}

/// Hands out 1–7 bytes per read (seeded), so tokens straddle reads.
private struct TrickleSource: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    var state: UInt64 = 0x2545_F491_4F6C_DD1D

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        let n = min(Int(state % 7) + 1, buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        for k in 0..<n { buffer[k] = bytes[offset + k] }
        offset += n
        return n
    }
}

private final class MemorySink: ByteSink {
    var bytes: [UInt8] = []
    func write(_ raw: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: raw) }
    func finish() throws {}
}

/// gzip of the parts, compressed piece by piece (the plain text is never whole in memory).
private func gzip(_ parts: [(bytes: [UInt8], count: Int)]) throws -> [UInt8] {
    let sink = MemorySink()
    let gz = try GzipSink(into: sink, level: 6)
    for (bytes, count) in parts {
        for _ in 0..<count { try bytes.withUnsafeBytes { try gz.write($0) } }
    }
    try gz.finish()
    return sink.bytes
}

private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// 64 KiB of 'a', the unit of the bombs below.
private let run64K = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 16)

// MARK: - Reading

private struct Read {
    var info: LogInfo
    var table = StringTable()
    var activities: [String] = []
    var cases: [String] = []
    var eventColumns: [String: [String]] = [:]
    var traceColumns: [String: [String]] = [:]
}

private func collect(into r: inout Read, _ batch: EventBatch) {
    r.table.absorb(batch)
    r.activities += batch.activity.map { r.table[$0] }
    r.cases += batch.caseName.map { r.table[$0] }
    for (key, column) in batch.eventColumns { r.eventColumns[key, default: []] += column.map { r.table[$0] } }
    for (key, column) in batch.traceColumns { r.traceColumns[key, default: []] += column.map { r.table[$0] } }
}

private func readXES(_ source: inout some ByteSource, limits: EventLogLimits = EventLogLimits()) throws -> Read {
    var r = Read(info: LogInfo())
    r.info = try XESReader.read(&source, options: LogReadOptions(sourceName: "t.xes", limits: limits)) { collect(into: &r, $0) }
    return r
}

private func readXES(_ bytes: [UInt8], limits: EventLogLimits = EventLogLimits(), trickle: Bool = false) throws -> Read {
    if trickle {
        var source = TrickleSource(bytes)
        return try readXES(&source, limits: limits)
    }
    var source = MemoryByteSource(bytes)
    return try readXES(&source, limits: limits)
}

private func readCSV(
    _ source: inout some ByteSource, csv: CSVLogOptions = CSVLogOptions(), limits: EventLogLimits = EventLogLimits()
) throws -> Read {
    var r = Read(info: LogInfo())
    r.info = try CSVReader.read(&source, csv: csv, options: LogReadOptions(sourceName: "t.csv", limits: limits)) {
        collect(into: &r, $0)
    }
    return r
}

private func readCSV(
    _ bytes: [UInt8], csv: CSVLogOptions = CSVLogOptions(), limits: EventLogLimits = EventLogLimits(), trickle: Bool = false
) throws -> Read {
    if trickle {
        var source = TrickleSource(bytes)
        return try readCSV(&source, csv: csv, limits: limits)
    }
    var source = MemoryByteSource(bytes)
    return try readCSV(&source, csv: csv, limits: limits)
}

/// The limit error of a read, the same whether the bytes come at once or a few at a time.
private func xesLimitError(_ bytes: [UInt8], limits: EventLogLimits = EventLogLimits()) throws -> LogLimitError {
    let direct = try #require(throws: LogLimitError.self) { try readXES(bytes, limits: limits) }
    let trickled = try #require(throws: LogLimitError.self) { try readXES(bytes, limits: limits, trickle: true) }
    #expect(direct == trickled, "chunk boundaries must not change the error")
    return direct
}

private func csvLimitError(
    _ bytes: [UInt8], csv: CSVLogOptions = CSVLogOptions(), limits: EventLogLimits = EventLogLimits()
) throws -> LogLimitError {
    let direct = try #require(throws: LogLimitError.self) { try readCSV(bytes, csv: csv, limits: limits) }
    let trickled = try #require(throws: LogLimitError.self) { try readCSV(bytes, csv: csv, limits: limits, trickle: true) }
    #expect(direct == trickled, "chunk boundaries must not change the error")
    return direct
}

private func xesReadError(_ bytes: [UInt8]) throws -> LogReadError {
    try #require(throws: LogReadError.self) { try readXES(bytes) }
}

private func csvReadError(_ bytes: [UInt8], csv: CSVLogOptions = CSVLogOptions()) throws -> LogReadError {
    try #require(throws: LogReadError.self) { try readCSV(bytes, csv: csv) }
}

/// A log of one event up to the first byte of its activity's value (on line 5), and after its last byte.
private let xesHead = utf8("<?xml version=\"1.0\"?>\n<log>\n<trace>\n<event>\n\t<string key=\"concept:name\" value=\"")
private let xesTail = utf8("\"/>\n</event>\n</trace>\n</log>\n")

private func xesWithActivity(_ value: [UInt8]) -> [UInt8] { xesHead + value + xesTail }

// MARK: - Tests

@Suite struct HostileInputTests {
    static let valueColumn = utf8("\t<string key=\"concept:name\" value=\"").count + 1

    // MARK: gzip bombs

    @Test func xesGzipBombStopsAtTheFieldLimit() throws {
        // One 64 MiB attribute value: about 64 KiB of gzip.
        let gz = try gzip([(xesHead, 1), (run64K, 1024), (xesTail, 1)])
        #expect(gz.count < 1 << 20)
        let limits = EventLogLimits(maxFieldBytes: 1 << 20)
        var inflated = CountingSource(try GzipByteSource(MemoryByteSource(gz)))
        let e = try #require(throws: LogLimitError.self) {
            try XESReader.read(&inflated, options: LogReadOptions(sourceName: "bomb.xes.gz", limits: limits)) { _ in }
        }
        #expect(e.limit == .fieldBytes && e.maximum == 1 << 20)
        #expect((e.line, e.column) == (5, Self.valueColumn))
        #expect(e.source == "bomb.xes.gz")
        #expect(
            e.message
                == "the value of attribute 'concept:name' (<string>) is longer than the limit of 1 048 576 bytes (1 MiB); "
                + "raise it with --max-field-bytes")
        #expect(e.description.hasPrefix("bomb.xes.gz:5:\(Self.valueColumn): "))
        // The reader stopped after its first 4 MiB buffer: a sixteenth of the value.
        #expect(inflated.count <= 4 << 20, "read \(inflated.count) bytes")
    }

    @Test func plainXESBombStopsAtTheFieldLimitWithDefaultLimits() throws {
        var source = CountingSource(PatternSource([(xesHead, 1), (run64K, 1024)]))
        let e = try #require(throws: LogLimitError.self) { try readXES(&source) }
        #expect(e.limit == .fieldBytes && e.maximum == EventLogLimits().maxFieldBytes)
        #expect((e.line, e.column) == (5, Self.valueColumn))
        #expect(source.count <= 4 << 20)
    }

    @Test func csvGzipBombStopsAtTheFieldLimit() throws {
        let head = utf8("case,activity,time\nc1,")
        let tail = utf8(",2025-01-01T00:00:00Z\n")
        let gz = try gzip([(head, 1), (run64K, 1024), (tail, 1)])
        #expect(gz.count < 1 << 20)
        var inflated = CountingSource(try GzipByteSource(MemoryByteSource(gz)))
        let e = try #require(throws: LogLimitError.self) {
            try readCSV(&inflated, limits: EventLogLimits(maxFieldBytes: 1 << 20))
        }
        #expect(e.limit == .fieldBytes)
        #expect((e.line, e.column) == (2, 2))
        #expect(
            e.message
                == "line 2, column 2 (activity): the field is longer than the limit of 1 048 576 bytes (1 MiB); "
                + "raise it with --max-field-bytes")
        // The 1 MiB buffer grew once, to 2 MiB, and the reader stopped there (having dropped the header).
        #expect(inflated.count <= (2 << 20) + head.count, "read \(inflated.count) bytes")
    }

    @Test func csvBombInAnUnterminatedQuoteStopsAtTheFieldLimit() throws {
        // Without the limit this would be read to the end, then refused as an unterminated quote.
        let header = utf8("case,activity,time\n")
        var source = CountingSource(PatternSource([(header + utf8("c1,a,\""), 1), (run64K, 1024)]))
        let e = try #require(throws: LogLimitError.self) { try readCSV(&source) }
        #expect(e.limit == .fieldBytes)
        #expect((e.line, e.column) == (2, 3))
        #expect(e.message.hasPrefix("line 2, column 3 (time): the field is longer than"))
        #expect(source.count <= (2 << 20) + header.count)
    }

    @Test func csvRecordOfManySmallFieldsStopsAtTheLineLimit() throws {
        var source = CountingSource(PatternSource([(utf8("case,activity,time\nc1,a,"), 1), (utf8("x,"), 4 << 20)]))
        let e = try #require(throws: LogLimitError.self) { try readCSV(&source, limits: EventLogLimits(maxLineBytes: 1 << 20)) }
        #expect(e.limit == .lineBytes)
        #expect((e.line, e.column) == (2, 1))
        #expect(
            e.message
                == "line 2: the record is longer than the limit of 1 048 576 bytes (1 MiB); raise it with --max-line-bytes")
        #expect(source.count <= 2 << 20)
    }

    @Test func whiteSpaceAndBlankLinesAreStreamedNotBuffered() throws {
        // Large stretches of nothing are legal and cost no memory.
        var xes = PatternSource([(utf8("<log>"), 1), (utf8(String(repeating: " \n", count: 1 << 15)), 256), (utf8("</log>"), 1)])
        let x = try readXES(&xes)
        #expect(x.info.traces == 0 && x.info.bytes == (16 << 20) + 11)
        #expect(x.info.readBufferBytes == 4 << 20)
        var csv = PatternSource([(utf8("case,activity,time\n"), 1), (utf8(String(repeating: "\n", count: 1 << 16)), 16)])
        let c = try readCSV(&csv)
        #expect(c.info.events == 0)
        #expect(c.info.readBufferBytes <= (1 << 20) + 16)
    }

    // MARK: at the limit

    @Test func xesValueExactlyAtTheLimitIsAccepted() throws {
        let limits = EventLogLimits(maxFieldBytes: 1000)
        for trickle in [false, true] {
            let r = try readXES(xesWithActivity(Array(run64K[..<1000])), limits: limits, trickle: trickle)
            #expect(r.activities == [String(repeating: "a", count: 1000)])
        }
        let e = try xesLimitError(xesWithActivity(Array(run64K[..<1001])), limits: limits)
        #expect(e.limit == .fieldBytes && (e.line, e.column) == (5, Self.valueColumn))
        // Entities count as written: 996 bytes and one "&amp;" are 1001.
        let amp = try xesLimitError(xesWithActivity(Array(run64K[..<996]) + utf8("&amp;")), limits: limits)
        #expect(amp.limit == .fieldBytes)
    }

    @Test func xesValueLargerThanTheBufferUpToTheLimit() throws {
        // The buffer (4 MiB) grows for a longer tag, but no further than the construct limit allows.
        let limits = EventLogLimits(maxFieldBytes: 5 << 20, maxLineBytes: (5 << 20) + 100)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: 5 << 20)
        let r = try readXES(xesWithActivity(value), limits: limits)
        #expect(r.activities.first?.utf8.count == 5 << 20)
        #expect(r.info.readBufferBytes == (5 << 20) + 101)
        var over = CountingSource(MemoryByteSource(xesWithActivity(value + [UInt8(ascii: "v")])))
        let e = try #require(throws: LogLimitError.self) { try readXES(&over, limits: limits) }
        #expect(e.limit == .fieldBytes)
        #expect(over.count <= (5 << 20) + 101 + xesHead.count)
    }

    @Test func csvFieldExactlyAtTheLimitIsAccepted() throws {
        let limits = EventLogLimits(maxFieldBytes: 100)
        let a100 = String(repeating: "a", count: 100)
        let a98 = String(repeating: "a", count: 98)
        // Plain, quoted (quotes not counted), and with a doubled quote (counted as written: two bytes).
        let text = "case,activity,time\nc1,\(a100),\nc1,\"\(a100)\",\nc1,\"\(a98)\"\"\",\r\n"
        for trickle in [false, true] {
            let r = try readCSV(utf8(text), limits: limits, trickle: trickle)
            #expect(r.activities == [a100, a100, a98 + "\""])
        }
        let plain = try csvLimitError(utf8("case,activity,time\nc1,\(a100)b,\n"), limits: limits)
        #expect(plain.limit == .fieldBytes && (plain.line, plain.column) == (2, 2))
        #expect(plain.message.hasPrefix("line 2, column 2 (activity): the field (101 bytes) is longer than the limit of 100 bytes"))
        let quoted = try csvLimitError(utf8("case,activity,time\nc1,\"\(a98)\"\"b\",\n"), limits: limits)
        #expect(quoted.limit == .fieldBytes && (quoted.line, quoted.column) == (2, 2))
        // A quoted field with line breaks is named by the line it starts on.
        let multiline = try csvLimitError(utf8("case,activity,time\nc1,x,\n\nc2,\"\n\n\(a100)\",\n"), limits: limits)
        #expect((multiline.line, multiline.column) == (4, 2))
    }

    @Test func csvRecordExactlyAtTheLimit() throws {
        // The limit applies to every record (the header is 18 bytes), line breaks not counted.
        let limits = EventLogLimits(maxLineBytes: 30)
        let row = "c1,\(String(repeating: "b", count: 26)),"  // 30 bytes
        for trickle in [false, true] {
            let r = try readCSV(utf8("case,activity,time\r\n\(row)\r\n\(row)"), limits: limits, trickle: trickle)
            #expect(r.info.events == 2)
        }
        let e = try csvLimitError(utf8("case,activity,time\n\(row)\n\(row)b\n"), limits: limits)
        #expect(e.limit == .lineBytes && (e.line, e.column) == (3, 1))
        #expect(e.message == "line 3: the record (31 bytes) is longer than the limit of 30 bytes; raise it with --max-line-bytes")
    }

    @Test func csvRecordLargerThanTheBufferUpToTheLimit() throws {
        // The 1 MiB buffer grows for a longer record, to the record limit plus a CRLF and no further.
        let limits = EventLogLimits(maxFieldBytes: 3 << 20, maxLineBytes: 3 << 20)
        let header = "case,activity,time\r\n"
        let value = String(repeating: "v", count: (3 << 20) - 4)  // "c1," + value + "," is 3 MiB
        let r = try readCSV(utf8("\(header)c1,\(value),\r\n"), limits: limits)
        #expect(r.activities.first?.utf8.count == (3 << 20) - 4)
        #expect(r.info.readBufferBytes == (3 << 20) + 2 + 16)
        var over = CountingSource(MemoryByteSource(utf8("\(header)c1,\(value)v,\r\n")))
        let e = try #require(throws: LogLimitError.self) { try readCSV(&over, limits: limits) }
        #expect(e.limit == .lineBytes && e.line == 2)
        #expect(over.count <= (3 << 20) + 2 + header.utf8.count)
    }

    // MARK: XES markup, names, nesting, keys, traces

    @Test func xesMarkupPastTheLineLimit() throws {
        let limits = EventLogLimits(maxLineBytes: 1 << 20)
        let filler = String(repeating: "x", count: 1 << 20)
        let cases: [(String, String)] = [
            ("<log>\n<!-- \(filler) -->\n</log>", "a comment is longer than"),
            ("<log>\n<![CDATA[\(filler)]]>\n</log>", "a CDATA section is longer than"),
            ("<?xml \(filler)?>\n<log/>", "a processing instruction is longer than"),
            ("<!DOCTYPE log [ <!ENTITY e '\(filler)'> ]>\n<log/>", "a <!DOCTYPE> declaration is longer than"),
            ("<log>\n<trace></trace\(String(repeating: " ", count: 1 << 20))></log>", "the closing tag </trace> is longer than"),
            (
                "<log>\n<trace " + (0..<200_000).map { "a\($0)=\"\"" }.joined(separator: " ") + "></trace></log>",
                "the <trace> tag is longer than"
            ),
        ]
        for (text, what) in cases {
            let e = try xesLimitError(utf8(text), limits: limits)
            #expect(e.limit == .lineBytes, "\(what)")
            #expect(e.message == "\(what) the limit of 1 048 576 bytes (1 MiB); raise it with --max-line-bytes")
        }
        let e = try xesLimitError(utf8("<log>\n  <!-- \(filler) -->\n</log>"), limits: limits)
        #expect((e.line, e.column) == (2, 3))
    }

    @Test func xesNamesAndKeysPastTheNameLimit() throws {
        let limits = EventLogLimits(maxNameBytes: 64)
        let long = String(repeating: "k", count: 65)
        let key = try xesLimitError(utf8("<log><trace><event>\n<string key=\"\(long)\" value=\"v\"/></event></trace></log>"), limits: limits)
        #expect(key.limit == .nameBytes && (key.line, key.column) == (2, 14))
        #expect(key.message.hasPrefix("the key of a <string> attribute ('kkkk"))
        let element = try xesLimitError(utf8("<log><extension>\n <\(long)/></extension></log>"), limits: limits)
        #expect(element.limit == .nameBytes && (element.line, element.column) == (2, 2))
        #expect(element.message.hasPrefix("the element name 'kkk"))
        let attribute = try xesLimitError(utf8("<log \(long)=\"1\"></log>"), limits: limits)
        #expect(attribute.limit == .nameBytes)
        // Exactly at the limit: fine.
        let ok = String(repeating: "k", count: 64)
        let r = try readXES(utf8("<log><trace><event><string key=\"\(ok)\" value=\"v\"/></event></trace></log>"), limits: limits)
        #expect(r.eventColumns[ok] == ["v"])
        // Other XML attribute values are field-sized: named by the attribute and element.
        let xmlns = try xesLimitError(utf8("<log xmlns=\"\(String(repeating: "u", count: 101))\"></log>"), limits: EventLogLimits(maxFieldBytes: 100))
        #expect(xmlns.message.hasPrefix("the value of 'xmlns' in <log> is longer than the limit of 100 bytes"))
        // A value before its key: named by the element only.
        let valueFirst = try xesLimitError(
            utf8("<log><trace><event><string value=\"\(String(repeating: "u", count: 101))\" key=\"k\"/></event></trace></log>"),
            limits: EventLogLimits(maxFieldBytes: 100))
        #expect(valueFirst.message.hasPrefix("the value of a <string> attribute is longer than"))
    }

    @Test func xesNestingPastTheDepthLimit() throws {
        // Unknown elements nest freely inside <extension>; 100 000 of them are a few hundred KB.
        let deep = "<log><extension>" + String(repeating: "<a>", count: 100_000)
        let e = try xesLimitError(utf8(deep))
        #expect(e.limit == .depth && e.maximum == 256)
        #expect((e.line, e.column) == (1, 17 + 254 * 3))  // the 257th open element
        #expect(e.message == "<a> is nested deeper than the limit of 256; raise it with --max-depth")
        // Nested meta-attributes count too.
        let meta = "<log><trace><event>" + String(repeating: "<string key=\"m\" value=\"v\">", count: 10)
        let m = try xesLimitError(utf8(meta), limits: EventLogLimits(maxDepth: 8))
        #expect(m.limit == .depth && m.message.hasPrefix("<string> is nested deeper than the limit of 8;"))
        // At the limit: log, trace, event and five nested attributes.
        let five =
            "<log><trace><event>" + String(repeating: "<string key=\"m\" value=\"v\">", count: 5)
            + String(repeating: "</string>", count: 5) + "</event></trace></log>"
        #expect(try readXES(utf8(five), limits: EventLogLimits(maxDepth: 8)).info.events == 1)
    }

    @Test func xesDistinctKeysPastTheColumnLimit() throws {
        let limits = EventLogLimits(maxColumns: 50)
        func log(_ keys: Int) -> [UInt8] {
            utf8("<log><trace><event>\n" + (0..<keys).map { "<string key=\"k\($0)\" value=\"v\"/>" }.joined() + "\n</event></trace></log>")
        }
        #expect(try readXES(log(50), limits: limits).eventColumns.count == 50)
        let e = try xesLimitError(log(51), limits: limits)
        #expect(e.limit == .columns && e.line == 2)
        #expect(e.message == "the key 'k50' makes more distinct attribute keys than the limit of 50; raise it with --max-columns")
        // Keys of skipped meta-attributes are not counted.
        let meta =
            "<log><trace><event><string key=\"a\" value=\"b\">"
            + (0..<100).map { "<string key=\"m\($0)\" value=\"v\"/>" }.joined() + "</string></event></trace></log>"
        #expect(try readXES(utf8(meta), limits: limits).info.events == 1)
    }

    @Test func xesTracePastTheEventLimit() throws {
        let limits = EventLogLimits(maxTraceEvents: 3)
        func log(_ events: Int) -> [UInt8] {
            utf8("<log>\n<trace/>\n<trace>\n" + String(repeating: "<event/>\n", count: events) + "</trace>\n</log>")
        }
        #expect(try readXES(log(3), limits: limits).info.events == 3)
        let e = try xesLimitError(log(4), limits: limits)
        #expect(e.limit == .traceEvents && (e.line, e.column) == (7, 1))
        #expect(e.message == "trace 2 (counting from 1) has more events than the limit of 3; raise it with --max-trace-events")
    }

    @Test func repeatedTraceAttributeKeepsOneValue() throws {
        // 100 000 repeats of one trace attribute: the last wins, and the builder keeps one entry, not 100 000.
        let text =
            "<log><trace>" + (0..<100_000).map { "<string key=\"k\" value=\"v\($0)\"/>" }.joined()
            + "<event/></trace><trace><event/></trace></log>"
        let r = try readXES(utf8(text))
        #expect(r.traceColumns["k"] == ["v99999", ""])
    }

    @Test func realLogsPassTheDefaultsWithoutGrowingTheBuffer() throws {
        // The two logs with the longest tags (5.9 KB of key in bpic2012's meta-attributes).
        for file in ["bpic2012.xes.gz", "bpic2015_municipality1.xes.gz"] {
            var source = try LogInput.open(path: try SharedFiles.eventLog(file))
            let info = try XESReader.read(&source, options: LogReadOptions(sourceName: file)) { _ in }
            #expect(info.events > 50_000)
            #expect(info.readBufferBytes == 4 << 20, "\(file)")
        }
    }

    // MARK: CSV header, rows per case

    @Test func csvHeaderWithAMillionColumns() throws {
        var source = CountingSource(PatternSource([(utf8("case,activity,time"), 1), (utf8(",c"), 1_000_000), (utf8("\n"), 1)]))
        let e = try #require(throws: LogLimitError.self) { try readCSV(&source) }
        #expect(e.limit == .columns && (e.line, e.column) == (1, 1))
        #expect(e.message == "line 1: the header has 1 000 003 columns, more than the limit of 4 096; raise it with --max-columns")
        // A wide header within a raised limit is read (its fields are scanned again with room for all).
        let wide =
            "case,activity,time," + (0..<4997).map { "c\($0)" }.joined(separator: ",") + "\nA,a,,"
            + String(repeating: ",", count: 4996) + "last\n"
        let r = try readCSV(utf8(wide), limits: EventLogLimits(maxColumns: 5000))
        #expect(r.info.eventKeys.count == 4997)
        #expect(r.eventColumns["c4996"] == ["last"])
        let over = try csvLimitError(utf8(wide), limits: EventLogLimits(maxColumns: 4999))
        #expect(over.limit == .columns)
    }

    @Test func csvHeaderNamePastTheNameLimit() throws {
        let e = try csvLimitError(utf8("case,activity,time,\(String(repeating: "n", count: 65))\n"), limits: EventLogLimits(maxNameBytes: 64))
        #expect(e.limit == .nameBytes && (e.line, e.column) == (1, 4))
    }

    @Test func csvCasePastTheEventLimit() throws {
        let limits = EventLogLimits(maxTraceEvents: 3)
        let text = "case,activity,time\nA,a,\nB,b,\nA,a,\nA,a,\nB,b,\nA,a,\n"
        #expect(try readCSV(utf8("case,activity,time\nA,a,\nB,b,\nA,a,\nA,a,\n"), limits: limits).info.events == 4)
        let whole = try csvLimitError(utf8(text), limits: limits)
        #expect(whole.limit == .traceEvents && (whole.line, whole.column) == (7, 1))
        #expect(whole.message == "line 7, column 1 (case): case 'A' has more rows (events) than the limit of 3; raise it with --max-trace-events")
        let grouped = try csvLimitError(utf8("case,activity,time\nA,a,\nA,a,\nA,a,\nA,a,\n"), csv: CSVLogOptions(groupedByCase: true), limits: limits)
        #expect(grouped.limit == .traceEvents && grouped.line == 5)
    }

    // MARK: odd bytes

    @Test func nulBytes() throws {
        // XES: not allowed in XML anywhere.
        let value = try xesReadError(utf8("<log><trace><event><string key=\"a\" value=\"x") + [0] + utf8("y\"/></event></trace></log>"))
        #expect(value.message == "control character byte 0x00 in an attribute value (not allowed in XML)")
        #expect((value.line, value.column) == (1, 44))
        #expect(try xesReadError(utf8("<log>") + [0] + utf8("</log>")).message == "unexpected text '\\x00</log>'")
        #expect(try xesReadError(utf8("<log><str") + [0] + utf8("ing/></log>")).message == "unexpected byte 0x00 in a tag name")
        #expect(try xesReadError(utf8("<log><string key=\"a\" value=\"&#0;\"/></log>")).message == "bad character reference '&#0;'")
        #expect(try xesReadError(utf8("<log><string key=\"a\" value=\"&#x1;\"/></log>")).message == "bad character reference '&#x1;'")
        #expect(try readXES(utf8("<log><string key=\"a\" value=\"&#9;&#10;&#13;\"/></log>")).info.logAttributes["a"] == "\t\n\r")
        // CSV: a NUL in the header is UTF-16 text; in a value it is kept as a byte of the value.
        var utf16: [UInt8] = []
        for b in utf8("case,activity,time\nA,a,\n") { utf16 += [b, 0] }
        let header = try csvReadError(utf16)
        #expect(header.message.contains("is the file UTF-16? It must be UTF-8"))
        #expect((header.line, header.column) == (1, 1))
        let r = try readCSV(utf8("case,activity,time\nA,a") + [0] + utf8("b,\n"))
        #expect(r.activities == ["a\u{0}b"])
        let time = try csvReadError(utf8("case,activity,time\nA,a,2025") + [0] + utf8("\n"))
        #expect(time.message.hasPrefix("line 2, column 3 (time): '2025\\x00' is not an ISO 8601 time"))
    }

    @Test func invalidUTF8InsideAHugeTokenIsReportedAsSuch() throws {
        // The limit check must not hide an earlier encoding error.
        let limits = EventLogLimits(maxLineBytes: 50)
        let bytes = xesWithActivity(utf8("ab") + [0xFF] + Array(run64K[..<100]))
        let xes = try #require(throws: LogReadError.self) { try readXES(bytes, limits: limits) }
        #expect(xes.message == "invalid UTF-8")
        let csv = try csvReadError(utf8("case,activity,time\nA,a") + [0xFF] + utf8(",\n"))
        #expect(csv.message.contains("invalid UTF-8"))
    }

    @Test func xesWithoutTracesIsAnEmptyLog() throws {
        let r = try readXES(utf8("<log xes.version=\"2.0\">\n<string key=\"concept:name\" value=\"nothing\"/>\n</log>\n"))
        #expect(r.info.traces == 0 && r.info.events == 0)
        #expect(r.info.logAttributes["concept:name"] == "nothing")
    }

    @Test func entityDefencesStillHold() throws {
        // Nothing declared in a DTD is expanded or fetched: its entities are unknown.
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE log [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <log><string key="a" value="&lol3;"/></log>
            """
        let e = try xesReadError(utf8(laughs))
        #expect(e.message == "unknown entity '&lol3;'")
        #expect(e.line == 7)
        let xxe = "<!DOCTYPE log [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n<log><string key=\"a\" value=\"&xxe;\"/></log>"
        #expect(try xesReadError(utf8(xxe)).message == "unknown entity '&xxe;'")
        // An external DTD is not fetched (there is no such file), only skipped.
        let external = "<!DOCTYPE log SYSTEM \"file:///nonexistent/evil.dtd\">\n<log><string key=\"a\" value=\"b\"/></log>"
        #expect(try readXES(utf8(external)).info.logAttributes["a"] == "b")
        let parameter = "<!DOCTYPE log [ <!ENTITY % p SYSTEM \"http://example.invalid/x\"> %p; ]>\n<log/>"
        #expect(try readXES(utf8(parameter)).info.traces == 0)
    }

    // MARK: timestamps

    @Test func extremeTimestamps() throws {
        func event(_ time: String) -> [UInt8] {
            utf8("<log><trace><event><date key=\"time:timestamp\" value=\"\(time)\"/></event></trace></log>")
        }
        func millis(_ time: String) throws -> Int64? {
            var r: Int64?
            var source = MemoryByteSource(event(time))
            _ = try XESReader.read(&source, options: LogReadOptions()) { r = $0.time.first }
            return r
        }
        // Year 0 is proleptic Gregorian 1 BC (ISO 8601 allows it); 9999 is the last four-digit year.
        #expect(try millis("0000-01-01T00:00:00Z") == -62_167_219_200_000)
        #expect(try millis("9999-12-31T23:59:59.999Z") == 253_402_300_799_999)
        #expect(try millis("2020-01-01T00:00:00." + String(repeating: "9", count: 10_000) + "Z") == 1_577_836_800_999)
        #expect(try millis("2020-01-01T00:00:00+18:00") == 1_577_772_000_000)
        for bad in ["99999-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2020-01-01T00:00:00+99:00", "2020-02-30T00:00:00Z"] {
            let e = try xesReadError(event(bad))
            #expect(e.message == "bad timestamp '\(bad)'")
        }
        // Epoch times: negative is before 1970; more than 15 digits could overflow and is refused.
        let unix = CSVLogOptions(timeFormat: "unix")
        #expect(try readCSV(utf8("case,activity,time\nA,a,-62135596800\n"), csv: unix).info.events == 1)
        let long = try csvReadError(utf8("case,activity,time\nA,a,9999999999999999\n"), csv: unix)
        #expect(long.message == "line 2, column 3 (time): '9999999999999999' does not match --time-format unix")
        let ms = CSVLogOptions(timeFormat: "unix_ms")
        #expect(try readCSV(utf8("case,activity,time\nA,a,-999999999999999\n"), csv: ms).info.events == 1)
        // A pattern that does not fit the data names the pattern.
        let mismatch = try csvReadError(utf8("case,activity,time\nA,a,2025-03-07\n"), csv: CSVLogOptions(timeFormat: "%d/%m/%Y"))
        #expect(mismatch.message == "line 2, column 3 (time): '2025-03-07' does not match --time-format %d/%m/%Y")
        #expect(try csvReadError(utf8("case,activity,time\nA,a,99999/01/01\n"), csv: CSVLogOptions(timeFormat: "%Y/%m/%d")).line == 2)
    }
}
