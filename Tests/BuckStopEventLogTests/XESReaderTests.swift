import BuckStopEventLog
import BuckStopTestSupport
import Foundation
import Testing

/// Everything a read produced, with the batches merged, for comparing reads.
private struct XESReadResult: Equatable {
    var cases: [String] = []
    var traceStart: [Int] = [0]
    var times: [Int64] = []
    var activities: [String] = []
    var eventColumns: [String: [String]] = [:]
    var traceColumns: [String: [String]] = [:]
    var batches = 0
    var logAttributes: [String: String] = [:]
    var firstOffset: Int32?
    var traces = 0
    var events = 0
    var bytes: Int64 = 0

    func events(ofTrace t: Int) -> Range<Int> { traceStart[t]..<traceStart[t + 1] }
    func column(_ key: String, _ event: Int) -> String? { eventColumns[key]?[event] }
}

private func readXES(_ source: inout some ByteSource, options: LogReadOptions = LogReadOptions(sourceName: "test.xes")) throws -> XESReadResult {
    var table = StringTable()
    var r = XESReadResult()
    let info = try XESReader.read(&source, options: options) { batch in
        table.absorb(batch)
        r.batches += 1
        let eventsBefore = r.times.count
        let tracesBefore = r.cases.count
        r.cases += batch.caseName.map { table[$0] }
        r.traceStart += batch.traceStart.dropFirst().map { $0 + eventsBefore }
        r.times += batch.time
        r.activities += batch.activity.map { table[$0] }
        // Columns can first appear in a later batch: pad so every column has one value per event.
        for (key, values) in batch.eventColumns {
            var column = r.eventColumns[key] ?? Array(repeating: "", count: eventsBefore)
            column += values.map { table[$0] }
            r.eventColumns[key] = column
        }
        for key in r.eventColumns.keys where batch.eventColumns[key] == nil {
            r.eventColumns[key]! += Array(repeating: "", count: batch.eventCount)
        }
        for (key, values) in batch.traceColumns {
            var column = r.traceColumns[key] ?? Array(repeating: "", count: tracesBefore)
            column += values.map { table[$0] }
            r.traceColumns[key] = column
        }
        for key in r.traceColumns.keys where batch.traceColumns[key] == nil {
            r.traceColumns[key]! += Array(repeating: "", count: batch.traceCount)
        }
    }
    r.logAttributes = info.logAttributes
    r.firstOffset = info.firstUTCOffsetSeconds
    r.traces = info.traces
    r.events = info.events
    r.bytes = info.bytes
    return r
}

private func readXES(_ text: String, options: LogReadOptions = LogReadOptions(sourceName: "test.xes")) throws -> XESReadResult {
    var source = MemoryByteSource(text)
    return try readXES(&source, options: options)
}

/// The error a read throws, or nil.
private func xesReadError(_ text: String) -> LogReadError? {
    xesReadError(bytes: Array(text.utf8))
}

private func xesReadError(bytes: [UInt8]) -> LogReadError? {
    var source = MemoryByteSource(bytes)
    do {
        _ = try readXES(&source)
        return nil
    } catch let error as LogReadError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Hands out its bytes a few at a time (sizes cycling through `sizes`), to put chunk boundaries everywhere.
private struct TrickleByteSource: ByteSource {
    let bytes: [UInt8]
    let sizes: [Int]
    var offset = 0
    var turn = 0

    init(_ bytes: [UInt8], sizes: [Int] = [1, 2, 3, 4, 5, 6, 7]) {
        self.bytes = bytes
        self.sizes = sizes
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(sizes[turn % sizes.count], buffer.count, bytes.count - offset)
        turn += 1
        guard n > 0 else { return 0 }
        for k in 0..<n { buffer[k] = bytes[offset + k] }
        offset += n
        return n
    }
}

private func utc(_ iso: String) -> Int64 {
    Timestamp.parseISO8601(iso, defaultOffsetSeconds: 0)!.millis
}

/// A small log exercising most of the format; shared by several tests.
private let sampleXES = """
    <?xml version="1.0" encoding="UTF-8" ?>
    <!-- a comment with <tags> & such -->
    <!DOCTYPE log [ <!ENTITY x "y"> ]>
    <log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
    \t<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
    \t<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"></extension>
    \t<global scope="trace">
    \t\t<string key="concept:name" value="UNKNOWN"/>
    \t</global>
    \t<global scope="event">
    \t\t<string key="concept:name" value="UNKNOWN"/>
    \t\t<date key="time:timestamp" value="1970-01-01T00:00:00+01:00"/>
    \t\t<string key="org:resource" value="UNKNOWN"/>
    \t</global>
    \t<classifier name="Activity" keys="concept:name"/>
    \t<string key="concept:name" value="Sample &amp; log"/>
    \t<float key="meta:score" value="1.5E3">
    \t\t<float key="nested" value="2"/>
    \t</float>
    \t<trace>
    \t\t<string key="concept:name" value="case-1"/>
    \t\t<string key="channel" value="Internet"/>
    \t\t<date key="deadline" value="2011-12-06T13:41:31.788+01:00"/>
    \t\t<event>
    \t\t\t<string key="concept:name" value="Second"/>
    \t\t\t<date key="time:timestamp" value="2020-01-02T00:00:00Z"/>
    \t\t\t<string key="org:resource" value="Ann"><string key="meta" value="not an attribute"/></string>
    \t\t</event>
    \t\t<event>
    \t\t\t<date
    \t\t\t\tvalue='2020-01-01T00:00:00.250Z'
    \t\t\t\tkey='time:timestamp' />
    \t\t\t<string value="First" key="concept:name"></string>
    \t\t\t<int key="count" value="-42"/>
    \t\t\t<boolean key="ok" value="true"/>
    \t\t\t<id key="uid" value="6f1c2a5e-0000-4000-8000-000000000001"/>
    \t\t\t<container key="box">
    \t\t\t\t<string key="concept:name" value="WRONG (inside a container)"/>
    \t\t\t\t<date key="time:timestamp" value="1999-01-01T00:00:00Z"/>
    \t\t\t</container>
    \t\t\t<list key="items">
    \t\t\t\t<values>
    \t\t\t\t\t<string key="org:resource" value="WRONG (inside a list)"/>
    \t\t\t\t</values>
    \t\t\t</list>
    \t\t\t<list key="old-style list"><int key="x" value="1"/></list>
    \t\t\t<string key="note" value="A &amp; B &lt;c&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600; Vi&#7879;t"/>
    \t\t\t<string key="org:resource" value="Bob"/>
    \t\t</event>
    \t\t<event>
    \t\t\t<string key="concept:name" value="No time"/>
    \t\t</event>
    \t</trace>
    \t<trace>
    \t\t<event><string key="concept:name" value="Unnamed trace's event"/><date key="time:timestamp" value="2021-06-01T12:00:00"/></event>
    \t</trace>
    \t<trace/>
    </log>

    """

@Suite struct XESReaderTests {
    // MARK: real logs

    /// Published case and event counts (shared/data/eventlogs/README.md).
    static let published: [(file: String, traces: Int, events: Int)] = [
        ("receipt.xes.gz", 1_434, 8_577),
        ("bpic2013_incidents.xes.gz", 7_554, 65_533),
        ("bpic2013_closed_problems.xes.gz", 1_487, 6_660),
        ("bpic2015_municipality1.xes.gz", 1_199, 52_217),
        ("bpic2020_permit_log.xes.gz", 7_065, 86_581),
        ("helpdesk.xes.gz", 4_580, 21_348),
        ("bpic2012.xes.gz", 13_087, 262_200),
    ]

    @Test(arguments: published.map(\.file))
    func realLogLoadsWithPublishedCounts(file: String) throws {
        let expected = try #require(Self.published.first { $0.file == file })
        let path = try SharedFiles.eventLog(file)
        var source = try LogInput.open(path: path)
        let r = try readXES(&source, options: LogReadOptions(batchEvents: 20_000, sourceName: file))
        #expect(r.traces == expected.traces)
        #expect(r.events == expected.events)
        #expect(r.cases.count == expected.traces)
        #expect(r.times.count == expected.events)
        #expect(r.batches >= expected.events / 20_000)
        #expect(r.bytes > 1_000_000)
        #expect(!r.activities.contains(""), "every event of these logs has a concept:name")
        // Events are sorted by time within each trace.
        for t in 0..<r.cases.count {
            let times = r.events(ofTrace: t).map { r.times[$0] }.filter { $0 != EventBatch.noTime }
            #expect(times == times.sorted())
        }
    }

    @Test func receiptValues() throws {
        // From `zcat receipt.xes.gz`: the first <trace> (line 1798) is case-10011; its first event is
        // "Confirmation of receipt" by Resource21 (org:group "Group 1") at 2011-10-11T13:45:40.276+02:00
        // (`date -u -d 2011-10-11T13:45:40.276+02:00 +%s%3N` = 1318333540276); 4 events in all.
        var source = try LogInput.open(path: try SharedFiles.eventLog("receipt.xes.gz"))
        let r = try readXES(&source)
        #expect(r.cases.first == "case-10011")
        #expect(r.events(ofTrace: 0).count == 4)
        #expect(r.activities.first == "Confirmation of receipt")
        #expect(r.times.first == 1_318_333_540_276)
        #expect(r.column("org:resource", 0) == "Resource21")
        #expect(r.column("org:group", 0) == "Group 1")
        #expect(r.column("lifecycle:transition", 0) == "complete")
        #expect(r.traceColumns["channel"]?.first == "Internet")
        #expect(r.traceColumns["responsible"]?.first == "Resource21")
        // A trace-level date is kept as its text.
        #expect(r.traceColumns["deadline"]?.first == "2011-12-06T13:41:31.788+01:00")
        #expect(r.firstOffset == 7200)
        // Log-level attributes (meta-attributes nested in them are skipped).
        #expect(r.logAttributes["meta_time:duration_max"] == "2.3832541524E7")
        #expect(r.eventColumns["concept:name"] == nil && r.eventColumns["time:timestamp"] == nil)
    }

    @Test func bpic2013Values() throws {
        // From `zcat bpic2013_incidents.xes.gz`: the first <trace> (line 22500) is 1-364285768; its first
        // event is "Accepted" by Frederic (org:group V30, lifecycle "In Progress", product PROD582) at
        // 2010-03-31T16:59:42+02:00 (`date -u -d … +%s%3N` = 1270047582000).
        var source = try LogInput.open(path: try SharedFiles.eventLog("bpic2013_incidents.xes.gz"))
        let r = try readXES(&source)
        #expect(r.cases.first == "1-364285768")
        #expect(r.activities.first == "Accepted")
        #expect(r.times.first == 1_270_047_582_000)
        #expect(r.column("org:resource", 0) == "Frederic")
        #expect(r.column("org:group", 0) == "V30")
        #expect(r.column("lifecycle:transition", 0) == "In Progress")
        #expect(r.column("resource country", 0) == "France")
        #expect(r.column("product", 0) == "PROD582")
        #expect(r.activities[2] == "Queued")
        #expect(r.column("org:group", 2) == "V5 3rd")
    }

    @Test func keyFiltersKeepOnlyTheAskedColumns() throws {
        var source = try LogInput.open(path: try SharedFiles.eventLog("receipt.xes.gz"))
        let r = try readXES(
            &source, options: LogReadOptions(eventKeys: ["org:resource"], traceKeys: ["channel"], sourceName: "receipt"))
        #expect(Set(r.eventColumns.keys) == ["org:resource"])
        #expect(Set(r.traceColumns.keys) == ["channel"])
        #expect(r.events == 8_577)
    }

    @Test func chunkBoundariesAnywhereGiveTheSameResult() throws {
        let bytes = Array(sampleXES.utf8)
        var whole = MemoryByteSource(bytes)
        let expected = try readXES(&whole)
        for sizes in [[1], [2], [3], [1, 2, 3, 4, 5, 6, 7], [7, 5, 3, 1], [64, 1]] {
            var trickle = TrickleByteSource(bytes, sizes: sizes)
            #expect(try readXES(&trickle) == expected, "sizes \(sizes)")
        }
        // A real log through a gzip stream read in odd sizes.
        let gz = try Data(contentsOf: URL(fileURLWithPath: try SharedFiles.eventLog("receipt.xes.gz")))
        var a = try GzipByteSource(MemoryByteSource([UInt8](gz)))
        let reference = try readXES(&a)
        var b = try GzipByteSource(TrickleByteSource([UInt8](gz), sizes: [1, 7, 5, 4093, 3, 65_521]))
        #expect(try readXES(&b) == reference)
    }

    // MARK: small logs

    @Test func sampleLogIsReadAsIntended() throws {
        let r = try readXES(sampleXES)
        #expect(r.traces == 3)
        #expect(r.events == 4)
        #expect(r.cases == ["case-1", "trace 2", "trace 3"])
        // Events sorted by time; the event without a time stays after the one it followed in the file.
        #expect(r.activities == ["First", "No time", "Second", "Unnamed trace's event"])
        #expect(r.times[0] == utc("2020-01-01T00:00:00.250Z"))
        #expect(r.times[1] == EventBatch.noTime)
        #expect(r.times[2] == utc("2020-01-02T00:00:00Z"))
        // No offset written: the default (UTC+7) applies.
        #expect(r.times[3] == utc("2021-06-01T05:00:00Z"))
        #expect(r.firstOffset == 0)
        #expect(r.column("org:resource", 0) == "Bob", "the list's item is not an attribute of the event")
        #expect(r.column("org:resource", 1) == "")
        #expect(r.column("org:resource", 2) == "Ann")
        #expect(r.column("count", 0) == "-42")
        #expect(r.column("ok", 0) == "true")
        #expect(r.column("uid", 0) == "6f1c2a5e-0000-4000-8000-000000000001")
        #expect(r.column("note", 0) == "A & B <c> \"q\" 's' AB😀 Việt")
        #expect(r.eventColumns["meta"] == nil && r.eventColumns["x"] == nil && r.eventColumns["nested"] == nil)
        #expect(r.eventColumns["box"] == nil && r.eventColumns["items"] == nil)
        #expect(r.traceColumns["channel"] == ["Internet", "", ""])
        #expect(r.traceColumns["deadline"] == ["2011-12-06T13:41:31.788+01:00", "", ""])
        #expect(r.logAttributes == ["concept:name": "Sample & log", "meta:score": "1.5E3"])
    }

    @Test func outOfOrderEventsAreSortedStably() throws {
        let xes = """
            <log><trace><string key="concept:name" value="t"/>
            <event><string key="concept:name" value="c1"/><date key="time:timestamp" value="2020-01-03T00:00:00Z"/></event>
            <event><string key="concept:name" value="a1"/><date key="time:timestamp" value="2020-01-01T00:00:00Z"/></event>
            <event><string key="concept:name" value="b1"/><date key="time:timestamp" value="2020-01-02T00:00:00Z"/></event>
            <event><string key="concept:name" value="a2"/><date key="time:timestamp" value="2020-01-01T00:00:00Z"/></event>
            <event><string key="concept:name" value="a3 (no time)"/></event>
            <event><string key="concept:name" value="b2"/><date key="time:timestamp" value="2020-01-02T00:00:00Z"/></event>
            </trace></log>
            """
        let r = try readXES(xes)
        #expect(r.activities == ["a1", "a2", "a3 (no time)", "b1", "b2", "c1"])
    }

    @Test func zoneOffsetsAndFractions() throws {
        let xes = """
            <log><trace>
            <event><date key="time:timestamp" value="2020-01-01T07:00:00.5+07:00"/></event>
            <event><date key="time:timestamp" value="2020-01-01T00:00:01.123456Z"/></event>
            <event><date key="time:timestamp" value="2019-12-31T20:30:02-03:30"/></event>
            <event><date key="time:timestamp" value="2020-01-01T05:30:03+0530"/></event>
            <event><date key="time:timestamp" value="2020-01-01 01:00:04+01"/></event>
            <event><date key="time:timestamp" value="2020-01-01T07:00:05"/></event>
            </trace></log>
            """
        let r = try readXES(xes)
        let base = utc("2020-01-01T00:00:00Z")
        #expect(r.times == [base + 500, base + 1_123, base + 2_000, base + 3_000, base + 4_000, base + 5_000])
        #expect(r.firstOffset == 25_200)
        // Another default offset for dates written without one.
        let utcRead = try readXES(xes, options: LogReadOptions(defaultUTCOffsetSeconds: 0))
        #expect(utcRead.times.last == base + 7 * 3_600_000 + 5_000)
    }

    @Test func batchesSplitAtTraceBoundaries() throws {
        var xes = "<log>"
        for t in 0..<10 {
            xes += "<trace><string key=\"concept:name\" value=\"c\(t)\"/>"
            if t == 1 || t == 7 { xes += "<string key=\"flag\" value=\"f\(t)\"/><string key=\"flag\" value=\"F\(t)\"/>" }
            for e in 0..<3 { xes += "<event><string key=\"concept:name\" value=\"a\(e)\"/><string key=\"k\(t)\" value=\"v\"/></event>" }
            xes += "</trace>"
        }
        xes += "</log>"
        let r = try readXES(xes, options: LogReadOptions(batchEvents: 5))
        #expect(r.batches == 5)
        #expect(r.cases == (0..<10).map { "c\($0)" })
        #expect(r.column("k3", 9) == "v" && r.column("k3", 8) == "" && r.column("k3", 12) == "")
        // A trace attribute met in some batches only; the last of two values of one key wins.
        #expect(r.traceColumns["flag"] == ["", "F1", "", "", "", "", "", "F7", "", ""])
    }

    @Test func byteOrderMarkAndEmptyLog() throws {
        let r = try readXES("\u{FEFF}<log/>")
        #expect(r.traces == 0 && r.batches == 0)
        let s = try readXES("<?xml version='1.0'?><log xes.version='2.0'>\r\n</log>\n")
        #expect(s.traces == 0)
    }

    // MARK: malformed input: message, line and column

    @Test func truncatedInput() throws {
        let text = "<log>\n<trace>\n<event>\n<string key=\"a\" value=\"b\"/>"
        let e = try #require(xesReadError(text))
        #expect(e.message == "unexpected end of input inside <event>")
        #expect(e.source == "test.xes")
        #expect((e.line, e.column) == (4, 28))  // just past the last byte
        let mid = try #require(xesReadError("<log>\n<trace>\n  <event><string key=\"a\" val"))
        #expect(mid.message == "unexpected end of input inside <event>")
        #expect((mid.line, mid.column) == (3, 29))
        let unclosed = try #require(xesReadError("<log><trace></trace>\n"))
        #expect(unclosed.message == "unexpected end of input inside <log>")
        #expect((unclosed.line, unclosed.column) == (2, 1))
        let empty = try #require(xesReadError(""))
        #expect(empty.message == "no <log> element in the input")
    }

    @Test func badTimestamp() throws {
        let text = "<log>\n<trace>\n<event>\n\t<date key=\"time:timestamp\" value=\"2020-13-01T00:00:00Z\"/>\n</event></trace></log>"
        let e = try #require(xesReadError(text))
        #expect(e.message == "bad timestamp '2020-13-01T00:00:00Z'")
        #expect((e.line, e.column) == (4, 36))  // the value's first byte
        // A date that is not the timestamp is only text.
        #expect(xesReadError("<log><trace><event><date key=\"due\" value=\"soon\"/></event></trace></log>") == nil)
    }

    @Test func invalidUTF8() throws {
        var bytes = Array("<log>\n<trace>\n<event><string key=\"a\" value=\"ab".utf8)
        bytes.append(0xC3)  // a lead byte followed by ASCII
        bytes += Array("x\"/></event></trace></log>".utf8)
        let e = try #require(xesReadError(bytes: bytes))
        #expect(e.message == "invalid UTF-8")
        #expect((e.line, e.column) == (3, 33))  // the 0xC3 byte
        // Cut off at the end of the input.
        let cut = try #require(xesReadError(bytes: Array("<log>\n".utf8) + [0xE1, 0x80]))
        #expect(cut.message == "invalid UTF-8")
        #expect((cut.line, cut.column) == (2, 1))
        // Overlong and surrogate encodings.
        #expect(xesReadError(bytes: Array("<log>".utf8) + [0xC0, 0xAF] + Array("</log>".utf8))?.message == "invalid UTF-8")
        #expect(xesReadError(bytes: Array("<log>".utf8) + [0xED, 0xA0, 0x80] + Array("</log>".utf8))?.message == "invalid UTF-8")
        // An earlier syntax error is reported first.
        let earlier = try #require(xesReadError(bytes: Array("<log><foo/>".utf8) + [0xFF] + Array("</log>".utf8)))
        #expect(earlier.message == "unknown attribute type 'foo'")
    }

    @Test func unknownAttributeType() throws {
        let e = try #require(xesReadError("<log>\n<trace>\n<event>\n   <strin key=\"a\" value=\"b\"/>\n</event></trace></log>"))
        #expect(e.message == "unknown attribute type 'strin'")
        #expect((e.line, e.column) == (4, 4))  // the tag's '<'
        let foo = try #require(xesReadError("<log>\n<trace><foo>\n</foo></trace></log>"))
        #expect(foo.message == "unknown attribute type 'foo'")
        #expect((foo.line, foo.column) == (2, 8))
        // Inside nested attributes too.
        let nested = try #require(xesReadError("<log><trace><string key=\"a\" value=\"b\"><bar/></string></trace></log>"))
        #expect(nested.message == "unknown attribute type 'bar'")
        #expect((nested.line, nested.column) == (1, 39))
    }

    @Test func mismatchedClosingTag() throws {
        let e = try #require(xesReadError("<log>\n<trace>\n<event>\n</trace>\n</log>"))
        #expect(e.message == "mismatched closing tag </trace>, expected </event>")
        #expect((e.line, e.column) == (4, 1))
        let extra = try #require(xesReadError("<log></log>\n  </log>"))
        #expect(extra.message == "unexpected closing tag </log>")
        #expect((extra.line, extra.column) == (2, 3))
    }

    @Test func badLiteralsAndMissingParts() throws {
        let int = try #require(xesReadError("<log><trace><event><int key=\"n\" value=\"12a\"/></event></trace></log>"))
        #expect(int.message == "invalid int value '12a'")
        #expect((int.line, int.column) == (1, 40))
        #expect(xesReadError("<log><float key=\"f\" value=\"1.5.2\"/></log>")?.message == "invalid float value '1.5.2'")
        #expect(xesReadError("<log><boolean key=\"b\" value=\"yes\"/></log>")?.message == "invalid boolean value 'yes'")
        #expect(
            xesReadError("<log><float key=\"f\" value=\"-1.5e-3\"/><float key=\"g\" value=\"NaN\"/><boolean key=\"b\" value=\"FALSE\"/></log>") == nil
        )
        let noValue = try #require(xesReadError("<log>\n <trace><string key=\"a\"/></trace></log>"))
        #expect(noValue.message == "<string key=\"a\"> without a value")
        #expect((noValue.line, noValue.column) == (2, 9))
        #expect(xesReadError("<log><trace><string value=\"a\"/></trace></log>")?.message == "<string> without a key")
        // A meta-attribute without a key (bpic2012.xes has one) is skipped, not refused.
        #expect(xesReadError("<log><trace><string key=\"a\" value=\"b\"><float value=\"3.052\"/></string></trace></log>") == nil)
        let entity = try #require(xesReadError("<log>\n<string key=\"a\" value=\"x &nbsp; y\"/></log>"))
        #expect(entity.message == "unknown entity '&nbsp;'")
        #expect((entity.line, entity.column) == (2, 26))
        #expect(xesReadError("<log><string key=\"a\" value=\"&#xD800;\"/></log>")?.message == "bad character reference '&#xD800;'")
        #expect(xesReadError("<log><string key=\"a\" value=\"a<b\"/></log>")?.message == "'<' in an attribute value")
        #expect(xesReadError("<log>text</log>")?.message == "unexpected text 'text</log>'")
        #expect(xesReadError("<trace></trace>")?.message == "expected <log> but found <trace>")
        #expect(xesReadError("<log><trace><trace/></trace></log>")?.message == "unexpected <trace> inside <trace>")
        #expect(xesReadError("<log></log><log></log>")?.message == "a second <log> element")
    }

    @Test func errorPositionsSurviveChunkBoundaries() throws {
        // A long prefix so the error lies several chunks (and dropped buffer contents) away.
        var text = "<log>\n"
        for t in 0..<200 {
            text +=
                "\t<trace>\n\t\t<string key=\"concept:name\" value=\"case \(t)\"/>\n\t\t<event><string key=\"concept:name\" value=\"a\"/></event>\n\t</trace>\n"
        }
        text += "\t<trace>\n\t\t<event><date key=\"time:timestamp\" value=\"yesterday\"/></event>\n\t</trace>\n</log>\n"
        let expectedLine = 1 + 200 * 4 + 2
        let e1 = try #require(xesReadError(text))
        #expect((e1.line, e1.column) == (expectedLine, 44))
        var source = TrickleByteSource(Array(text.utf8), sizes: [1, 2, 3, 4, 5, 6, 7])
        do {
            _ = try readXES(&source)
            Issue.record("no error")
        } catch let e as LogReadError {
            #expect(e == e1)
        }
    }

    @Test func neverTrapsOnMangledInput() throws {
        // Every cut of the sample ends inside an element, so every prefix is refused with a place inside the input;
        // seeded single-byte corruptions either read or are refused the same way (never a trap, never another error).
        let bytes = Array(sampleXES.utf8)
        let lines = bytes.filter { $0 == 10 }.count + 1
        let content = bytes.lastIndex { $0 != 10 && $0 != 32 } ?? 0
        for cut in stride(from: 0, to: content, by: 7) {
            let error = xesReadError(bytes: Array(bytes[..<cut]))
            #expect(error != nil, "a prefix of \(cut) bytes was accepted")
            if let error { #expect((1...lines).contains(error.line), "line \(error.line) of a \(lines)-line input") }
        }
        var rng = SplitMix64(seed: 0x5EED_0001)
        let noise: [UInt8] = [0, 60, 62, 34, 39, 47, 38, 59, 35, 0xFF, 0xC3, 10, 32, 61, 33, 63, 91, 93]
        var refused = 0
        for _ in 0..<400 {
            var mangled = bytes
            for _ in 0..<3 { mangled[Int.random(in: 0..<mangled.count, using: &rng)] = noise[Int.random(in: 0..<noise.count, using: &rng)] }
            if let error = xesReadError(bytes: mangled) {
                refused += 1
                #expect(error.line >= 1 && error.line <= mangled.filter { $0 == 10 }.count + 1)
            }
        }
        #expect(refused > 100, "most corruptions break the XML; \(refused) of 400 were refused")
    }

    // MARK: timestamps

    @Test func iso8601Parsing() {
        // Reference values from `date -u -d … +%s%3N`.
        #expect(Timestamp.parseISO8601("2011-10-11T13:45:40.276+02:00")?.millis == 1_318_333_540_276)
        #expect(Timestamp.parseISO8601("2011-10-11T13:45:40.276+02:00")?.offsetSeconds == 7200)
        #expect(Timestamp.parseISO8601("2010-03-31T16:59:42+02:00")?.millis == 1_270_047_582_000)
        #expect(Timestamp.parseISO8601("1970-01-01T00:00:00Z")?.millis == 0)
        #expect(Timestamp.parseISO8601("1970-01-01T00:00:00Z")?.offsetSeconds == 0)
        let local = Timestamp.parseISO8601("1970-01-01", defaultOffsetSeconds: 3600)
        #expect(local?.millis == -3_600_000 && local?.offsetSeconds == nil)
        #expect(Timestamp.parseISO8601("2024-02-29T12:00:00,5-0130")?.millis == 1_709_213_400_500)
        #expect(Timestamp.parseISO8601("1969-12-31T23:59:59.999Z")?.millis == -1)
        #expect(Timestamp.parseISO8601("2020-01-01T00:00Z")?.millis == 1_577_836_800_000)
        #expect(Timestamp.parseISO8601("2020-01-01T24:00:00Z")?.millis == 1_577_923_200_000)
        for bad in [
            "", "2020", "2020-1-01", "2020-13-01", "2023-02-29", "2020-04-31", "2020-01-01T25:00:00Z",
            "2020-01-01T10:60", "2020-01-01T10:00:00.Z", "2020-01-01T10:00:00+", "2020-01-01T10:00:00 junk",
            "2020-01-01T10:00:00+19:00", "２０２０-01-01",
        ] {
            #expect(Timestamp.parseISO8601(bad) == nil, "\(bad)")
        }
    }

    // MARK: gzip

    @Test func gzipTruncatedCorruptAndMultiMember() throws {
        let gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try SharedFiles.eventLog("receipt.xes.gz"))))
        func inflateAll(_ bytes: [UInt8]) throws -> [UInt8] {
            let source = try GzipByteSource(MemoryByteSource(bytes))
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 100_000)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                out += buffer[..<n]
            }
            return out
        }
        let plain = try inflateAll(gz)
        #expect(plain.count == 4_064_719)  // `zcat receipt.xes.gz | wc -c`
        // Two members back to back (as `cat a.gz b.gz` makes) inflate to both contents.
        #expect(try inflateAll(gz + gz) == plain + plain)
        // Truncated.
        #expect(throws: ByteSourceError.self) { try inflateAll(Array(gz[..<(gz.count / 2)])) }
        do {
            _ = try inflateAll(Array(gz[..<(gz.count - 5)]))
            Issue.record("no error")
        } catch let e as ByteSourceError {
            #expect(e.message.contains("compressed input ended early"), "\(e)")
        }
        // Corrupt: bytes in the middle of the deflate data replaced.
        var corrupt = gz
        for k in 0..<64 { corrupt[gz.count / 2 + k] ^= 0x5A }
        do {
            _ = try inflateAll(corrupt)
            Issue.record("no error")
        } catch let e as ByteSourceError {
            #expect(e.message.contains("corrupt compressed data at byte offset"), "\(e)")
        }
        // A log split over two gzip members (Python: gzip.compress(part1) + gzip.compress(part2)).
        let twoMembers = Data(
            base64Encoded: """
                H4sIAAAAAAACA7Oxr8jNUShLLSrOzM+zVTLUM1Cyt+OyyclPV6hILdZDSFiYWOoaGRiaKQFlS4oSk1PtbIpLijLz0hWyUyttlZLz85JTC0qs8hJzU5UUyhJzSlOBgoZK+kDlqWWpeSVEKHcEqrbRh6rWh1jCBQAphPrSoQAAAB+LCAAAAAAAAgOzKSlKTE61sykuKcrMS1fITq20VUrOz0tOLSixykvMTVVSKEvMKU0FChop6dvZpJal5pUQodoJpFgfqlofYgeXjX5OfrodFwC9wLJicwAAAA==
                """)!
        var source = try GzipByteSource(MemoryByteSource([UInt8](twoMembers)))
        let r = try readXES(&source)
        #expect(r.cases == ["c1", "c2"])
        #expect(r.activities == ["A", "B"])
    }

    @Test func logInputSniffsGzipAndPlainFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xes-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plainURL = dir.appendingPathComponent("sample.xes")
        try Data(sampleXES.utf8).write(to: plainURL)
        let gzURL = dir.appendingPathComponent("named-plain.xes")  // gzip content under a plain name
        try Data(contentsOf: URL(fileURLWithPath: try SharedFiles.eventLog("helpdesk.xes.gz"))).write(to: gzURL)
        var plain = try LogInput.open(path: plainURL.path)
        #expect(try readXES(&plain) == (try readXES(sampleXES)))
        var gz = try LogInput.open(path: gzURL.path)
        #expect(try readXES(&gz).events == 21_348)
        let tiny = dir.appendingPathComponent("tiny")
        try Data([0x1F]).write(to: tiny)
        var one = try LogInput.open(path: tiny.path)
        #expect(throws: LogReadError.self) { try readXES(&one) }
        #expect(throws: ByteSourceError.self) { try LogInput.open(path: dir.appendingPathComponent("missing").path) }
    }
}
