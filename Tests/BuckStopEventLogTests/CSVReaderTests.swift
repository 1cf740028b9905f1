import BuckStopEventLog
import Testing

/// Hands out 1–7 bytes per read, so rows, quoted fields, CRLF pairs and UTF-8 sequences straddle reads.
private struct TrickleSource: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    var state: UInt64

    init(_ bytes: [UInt8], seed: UInt64 = 0x9E37_79B9) {
        self.bytes = bytes
        state = seed | 1
    }

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

/// One event as text; nil where absent.
private struct EventView: Equatable, CustomStringConvertible {
    var activity: String?
    var time: Int64?
    var attributes: [String: String]
    var description: String { "\(activity ?? "-")@\(time.map(String.init) ?? "-") \(attributes)" }
}

private struct TraceView: Equatable {
    var name: String
    var events: [EventView]
}

private struct ReadResult {
    var traces: [TraceView]
    var batches: [EventBatch]
    var info: LogInfo
    var table: StringTable
}

private enum Outcome: Equatable {
    case read([TraceView], traces: Int, events: Int)
    case failed(LogReadError)
}

private func read(
    _ bytes: [UInt8], csv: CSVLogOptions = CSVLogOptions(), options: LogReadOptions = LogReadOptions(sourceName: "t.csv"),
    trickle: Bool = false
) throws -> ReadResult {
    var batches: [EventBatch] = []
    var table = StringTable()
    var traces: [TraceView] = []
    let collect: (EventBatch) throws -> Void = { batch in
        batches.append(batch)
        table.absorb(batch)
        for t in 0..<batch.traceCount {
            var events: [EventView] = []
            for e in batch.events(ofTrace: t) {
                var attributes: [String: String] = [:]
                for (key, column) in batch.eventColumns where column[e] != 0 { attributes[key] = table[column[e]] }
                events.append(
                    EventView(
                        activity: batch.activity[e] == 0 ? nil : table[batch.activity[e]],
                        time: batch.time[e] == EventBatch.noTime ? nil : batch.time[e], attributes: attributes))
            }
            traces.append(TraceView(name: table[batch.caseName[t]], events: events))
        }
    }
    let info: LogInfo
    if trickle {
        var source = TrickleSource(bytes)
        info = try CSVReader.read(&source, csv: csv, options: options, onBatch: collect)
    } else {
        var source = MemoryByteSource(bytes)
        info = try CSVReader.read(&source, csv: csv, options: options, onBatch: collect)
    }
    return ReadResult(traces: traces, batches: batches, info: info, table: table)
}

private func read(
    _ text: String, csv: CSVLogOptions = CSVLogOptions(), options: LogReadOptions = LogReadOptions(sourceName: "t.csv"),
    trickle: Bool = false
) throws -> ReadResult {
    try read(Array(text.utf8), csv: csv, options: options, trickle: trickle)
}

private func outcome(
    _ bytes: [UInt8], csv: CSVLogOptions = CSVLogOptions(), options: LogReadOptions = LogReadOptions(sourceName: "t.csv"), trickle: Bool
) -> Outcome {
    do {
        let r = try read(bytes, csv: csv, options: options, trickle: trickle)
        return .read(r.traces, traces: r.info.traces, events: r.info.events)
    } catch let error as LogReadError {
        return .failed(error)
    } catch {
        Issue.record("unexpected error type: \(error)")
        return .failed(LogReadError(source: "", line: 0, column: 0, message: "\(error)"))
    }
}

/// The error a read throws (failing the test when it does not throw a `LogReadError`).
private func readError(_ text: String, csv: CSVLogOptions = CSVLogOptions(), options: LogReadOptions = LogReadOptions(sourceName: "t.csv"))
    -> LogReadError?
{
    let direct = outcome(Array(text.utf8), csv: csv, options: options, trickle: false)
    let trickled = outcome(Array(text.utf8), csv: csv, options: options, trickle: true)
    #expect(direct == trickled, "chunk boundaries must not change the error")
    guard case .failed(let error) = direct else {
        Issue.record("expected an error, read \(direct)")
        return nil
    }
    return error
}

private let vietnam: Int32 = 7 * 3600

private func ms(_ iso: String) -> Int64 { Timestamp.parseISO8601(iso)!.millis }

@Suite struct CSVReaderTests {
    // MARK: Mapping

    @Test func columnsMapOntoCaseActivityTimeAndAttributes() throws {
        let text = """
            Resource,Case ID,Activity,Timestamp,Cost,Owner
            alice,C1,Register,2025-03-07T09:00:00+07:00,10,Phòng A
            bob,C1,Check,2025-03-07T10:00:00+07:00,20,Phòng A
            carol,C2,Register,2025-03-08T09:00:00+07:00,5,Phòng B

            """
        let csv = CSVLogOptions(caseColumn: "Case ID", activityColumn: "Activity", timeColumn: "Timestamp", ownerColumn: "Owner")
        let r = try read(text, csv: csv)
        #expect(r.traces.map(\.name) == ["C1", "C2"])
        #expect(r.traces[0].events.map(\.activity) == ["Register", "Check"])
        #expect(r.traces[0].events.map(\.time) == [ms("2025-03-07T02:00:00Z"), ms("2025-03-07T03:00:00Z")])
        #expect(r.traces[0].events[1].attributes == ["Resource": "bob", "Cost": "20", "Owner": "Phòng A"])
        #expect(r.traces[1].events[0].attributes == ["Resource": "carol", "Cost": "5", "Owner": "Phòng B"])
        #expect(r.info.eventKeys == ["Resource", "Cost", "Owner"])
        #expect(r.info.traces == 2 && r.info.events == 3)
        #expect(r.info.bytes == Int64(text.utf8.count))
        #expect(r.info.firstUTCOffsetSeconds == vietnam)
        #expect(Set(r.batches[0].eventColumns.keys) == ["Resource", "Cost", "Owner"])
    }

    @Test func eventKeysSelectTheAttributeColumns() throws {
        let text = "case,activity,time,a,b\nX,go,2025-01-01T00:00:00Z,1,2\n"
        let r = try read(text, options: LogReadOptions(eventKeys: ["b"], sourceName: "t.csv"))
        #expect(r.traces[0].events[0].attributes == ["b": "2"])
        #expect(Set(r.batches[0].eventColumns.keys) == ["b"])
        #expect(r.info.eventKeys == ["a", "b"], "keys met are recorded even when not kept")
        #expect(!r.table.strings.contains("1"), "values of dropped columns are not interned")
    }

    @Test func headerNamesMatchIgnoringCaseAndSpaces() throws {
        let r = try read(" CASE , Activity,TIME\nX,go,2025-01-01T00:00:00Z\n")
        #expect(r.traces == [TraceView(name: "X", events: [EventView(activity: "go", time: ms("2025-01-01T00:00:00Z"), attributes: [:])])])
    }

    // MARK: RFC 4180

    @Test func quotedFieldsHoldDelimitersNewlinesAndDoubledQuotes() throws {
        let text =
            "case,activity,time,note\r\n"
            + "\"C,1\",\"Say \"\"hi\"\"\",2025-01-01T00:00:00Z,\"line one\r\nline two\"\r\n"
            + "\"C,1\",plain,2025-01-01T00:01:00Z,\"\"\r\n"
            + "C2,\"\",2025-01-01T00:02:00Z,\"a \"\"b\"\" c,d\""
        for trickle in [false, true] {
            let r = try read(text, trickle: trickle)
            #expect(r.traces.map(\.name) == ["C,1", "C2"])
            #expect(r.traces[0].events[0].activity == "Say \"hi\"")
            #expect(r.traces[0].events[0].attributes["note"] == "line one\r\nline two")
            #expect(r.traces[0].events[1].attributes["note"] == nil, "an empty quoted field is absent")
            #expect(r.traces[1].events[0].activity == nil)
            #expect(r.traces[1].events[0].attributes["note"] == "a \"b\" c,d")
        }
        // Line numbers count the line break inside the quoted field: the bad time is on line 4.
        let bad = readError("case,activity,time,note\nC,a,2025-01-01,\"x\ny\"\nC,b,yesterday,z\n")
        #expect(bad?.line == 4)
        #expect(bad?.column == 3)
    }

    @Test func byteOrderMarkCRLFAndNoFinalNewline() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("case,activity,time\r\nA,x,2025-01-01\r\n\r\nA,y,2025-01-02".utf8)
        let r = try read(bytes)
        #expect(r.traces.map(\.name) == ["A"])
        #expect(r.traces[0].events.map(\.activity) == ["x", "y"])
        let trailing = try read("case,activity,time\nA,x,2025-01-01\n\n")
        #expect(trailing.info.events == 1)
    }

    @Test func semicolonTabAndPipeDelimiters() throws {
        for (delimiter, sep) in [(UInt8(ascii: ";"), ";"), (9, "\t"), (UInt8(ascii: "|"), "|")] {
            let text =
                ["case", "activity", "time", "amount"].joined(separator: sep) + "\n"
                + ["K1", "Nộp, hồ sơ", "2025-01-01T08:00:00+07:00", "1,5"].joined(separator: sep) + "\n"
                + ["K1", "\"a\(sep)b\"", "2025-01-01T09:00:00+07:00", ""].joined(separator: sep) + "\n"
            let r = try read(text, csv: CSVLogOptions(delimiter: delimiter))
            #expect(r.traces.count == 1)
            #expect(r.traces[0].events.map(\.activity) == ["Nộp, hồ sơ", "a\(sep)b"])
            #expect(r.traces[0].events[0].attributes == ["amount": "1,5"])
            #expect(r.traces[0].events[1].attributes == [:])
        }
        // A header read with the wrong delimiter gets a hint.
        let error = readError("case;activity;time\nA;x;2025-01-01\n")
        #expect(error?.message.contains("is the delimiter ';'?") == true)
    }

    // MARK: Missing values

    @Test func missingValuesAreAbsent() throws {
        let text = """
            case,activity,time,resource,cost
            A,start,2025-01-01,,?
            A,?,2025-01-02,NA,N/A
            A,end,,bob,null
            A,"?",-,NULL,3

            """
        let r = try read(text)
        let batch = r.batches[0]
        #expect(batch.eventColumns["resource"]!.map { $0 == 0 } == [true, true, false, true])
        #expect(batch.eventColumns["cost"]!.map { $0 == 0 } == [true, true, true, false])
        #expect(batch.activity.map { $0 == 0 } == [false, true, false, true])
        // The events without a time keep their place.
        #expect(batch.time == [ms("2025-01-01T00:00:00+07:00"), ms("2025-01-02T00:00:00+07:00"), EventBatch.noTime, EventBatch.noTime])
        #expect(!r.table.strings.contains("?") && !r.table.strings.contains("NA"))
        // A custom set: '?' is now a value, '-' still absent only if listed.
        let custom = try read(text, csv: CSVLogOptions(missingValues: ["", "-"]))
        #expect(custom.traces[0].events[1].activity == "?")
        #expect(custom.traces[0].events[0].attributes == ["cost": "?"])
    }

    // MARK: Time

    @Test func isoTimestampsWithAndWithoutOffsetsAndFractions() throws {
        let text = """
            case,activity,time
            A,a,2025-03-07T09:05:00+07:00
            A,b,2025-03-07 09:06:00.5
            A,c,2025-03-07T02:07:00.123456Z
            A,d,2025-03-07T10:08:00+0800
            A,e,2025-03-07

            """
        let r = try read(text, options: LogReadOptions(defaultUTCOffsetSeconds: 7 * 3600, sourceName: "t.csv"))
        let byActivity = Dictionary(uniqueKeysWithValues: r.traces[0].events.map { ($0.activity!, $0.time!) })
        #expect(byActivity["a"] == ms("2025-03-07T02:05:00Z"))
        #expect(byActivity["b"] == ms("2025-03-07T02:06:00Z") + 500)
        #expect(byActivity["c"] == ms("2025-03-07T02:07:00Z") + 123)
        #expect(byActivity["d"] == ms("2025-03-07T02:08:00Z"))
        #expect(byActivity["e"] == ms("2025-03-06T17:00:00Z"))
        #expect(r.info.firstUTCOffsetSeconds == vietnam)
        let utc = try read("case,activity,time\nA,a,2025-03-07T09:05:00\n", options: LogReadOptions(defaultUTCOffsetSeconds: 0, sourceName: "t"))
        #expect(utc.traces[0].events[0].time == ms("2025-03-07T09:05:00Z"))
        #expect(utc.info.firstUTCOffsetSeconds == nil, "no timestamp carried an offset")
    }

    @Test func timeFormatPatterns() throws {
        let vn = try TimeFormat(pattern: "%d/%m/%Y %H:%M")
        #expect(vn.parse("07/03/2025 09:05", defaultOffsetSeconds: 7 * 3600)?.millis == ms("2025-03-07T09:05:00+07:00"))
        #expect(vn.parse("7/3/2025 9:05", defaultOffsetSeconds: 7 * 3600)?.millis == ms("2025-03-07T09:05:00+07:00"))
        #expect(vn.parse("31/12/2024 23:59", defaultOffsetSeconds: 0)?.millis == ms("2024-12-31T23:59:00Z"))
        #expect(vn.parse("31/02/2024 10:00", defaultOffsetSeconds: 0) == nil, "no 31 February")
        #expect(vn.parse("07/03/2025", defaultOffsetSeconds: 0) == nil)
        #expect(vn.parse("07/03/2025 09:05x", defaultOffsetSeconds: 0) == nil)
        #expect(vn.parse("07/13/2025 09:05", defaultOffsetSeconds: 0) == nil)

        let full = try TimeFormat(pattern: "%Y%m%d %H%M%S.%f %z")
        let parsed = full.parse("20250307 090500.25 +07:00", defaultOffsetSeconds: 0)
        #expect(parsed?.millis == ms("2025-03-07T02:05:00Z") + 250)
        #expect(parsed?.offsetSeconds == vietnam)
        #expect(full.parse("20250307 090500.25 -0130", defaultOffsetSeconds: 0)?.millis == ms("2025-03-07T10:35:00Z") + 250)
        #expect(full.parse("20250307 090500.25 Z", defaultOffsetSeconds: 0)?.offsetSeconds == 0)

        let named = try TimeFormat(pattern: "%d-%b-%y %I:%M %p")
        #expect(named.parse("07-Mar-25 9:05 PM", defaultOffsetSeconds: 0)?.millis == ms("2025-03-07T21:05:00Z"))
        #expect(named.parse("07-march-25 12:05 am", defaultOffsetSeconds: 0)?.millis == ms("2025-03-07T00:05:00Z"))
        #expect(named.parse("07-Mar-25 12:05 CH", defaultOffsetSeconds: 0)?.millis == ms("2025-03-07T12:05:00Z"))
        #expect(named.parse("07-Mrz-25 9:05 PM", defaultOffsetSeconds: 0) == nil)

        #expect(try TimeFormat(pattern: "100%% %Y").parse("100% 2025", defaultOffsetSeconds: 0)?.millis == ms("2025-01-01T00:00:00Z"))
        #expect(try TimeFormat(pattern: "unix").parse("1741313100", defaultOffsetSeconds: 7 * 3600)?.millis == 1_741_313_100_000)
        #expect(try TimeFormat(pattern: "unix").parse("1741313100.5", defaultOffsetSeconds: 0)?.millis == 1_741_313_100_500)
        #expect(try TimeFormat(pattern: "unix_ms").parse("1741313100123", defaultOffsetSeconds: 0)?.millis == 1_741_313_100_123)
        #expect(try TimeFormat(pattern: "unix").parse("99999999999999999999", defaultOffsetSeconds: 0) == nil)
        #expect(try TimeFormat(pattern: "unix").parse("12a", defaultOffsetSeconds: 0) == nil)

        #expect(throws: TimeFormatError.self) { try TimeFormat(pattern: "%d/%m/%Q") }
        do {
            _ = try TimeFormat(pattern: "%d/%m/%Q")
        } catch let error as TimeFormatError {
            #expect(error.message.contains("'%Q'"))
        }
        #expect(throws: TimeFormatError.self) { try TimeFormat(pattern: "%Y %") }
    }

    @Test func customTimeFormatInCSV() throws {
        let text = """
            Mã hồ sơ;Bước;Thời gian
            HS-01;Tiếp nhận;07/03/2025 08:30
            HS-01;Thẩm định;7/3/2025 9:05
            HS-01;Trả kết quả;10/03/2025 16:45

            """
        let csv = CSVLogOptions(
            caseColumn: "Mã hồ sơ", activityColumn: "Bước", timeColumn: "Thời gian", timeFormat: "%d/%m/%Y %H:%M",
            delimiter: UInt8(ascii: ";"))
        let r = try read(text, csv: csv)
        #expect(
            r.traces[0].events.map(\.time) == [
                ms("2025-03-07T08:30:00+07:00"), ms("2025-03-07T09:05:00+07:00"), ms("2025-03-10T16:45:00+07:00"),
            ])
        let bad = readError(
            "Mã hồ sơ;Bước;Thời gian\nHS-01;Tiếp nhận;31/02/2024 08:30\n", csv: csv)
        #expect(bad?.line == 2)
        #expect(bad?.column == 3)
        #expect(bad?.message == "line 2, column 3 (Thời gian): '31/02/2024 08:30' does not match --time-format %d/%m/%Y %H:%M")
        #expect(throws: TimeFormatError.self) {
            var source = MemoryByteSource(text)
            _ = try CSVReader.read(&source, csv: CSVLogOptions(timeFormat: "%d/%q"), options: LogReadOptions()) { _ in }
        }
    }

    // MARK: Grouping and order

    @Test func eventsOfACaseAreSortedStablyByTime() throws {
        let text = """
            case,activity,time
            A,third,2025-01-03
            A,first,2025-01-01
            A,tie-1,2025-01-02
            A,tie-2,2025-01-02
            A,tie-3,2025-01-02

            """
        for grouped in [false, true] {
            let r = try read(text, csv: CSVLogOptions(groupedByCase: grouped))
            #expect(r.traces[0].events.map(\.activity) == ["first", "tie-1", "tie-2", "tie-3", "third"])
        }
    }

    @Test func wholeFileModeGroupsInterleavedCasesInFirstAppearanceOrder() throws {
        let text = """
            case,activity,time
            B,b1,2025-01-01
            A,a1,2025-01-01
            B,b2,2025-01-02
            C,c1,2025-01-01
            A,a2,2025-01-02
            B,b3,2025-01-03

            """
        let r = try read(text)
        #expect(r.traces.map(\.name) == ["B", "A", "C"])
        #expect(r.traces.map { $0.events.map(\.activity!) } == [["b1", "b2", "b3"], ["a1", "a2"], ["c1"]])
        let error = readError(text, csv: CSVLogOptions(groupedByCase: true))
        #expect(error?.line == 4)
        #expect(error?.column == 1)
        #expect(
            error?.message
                == "line 4: case 'B' appears again after other cases; input read from a pipe must be grouped by case (sort it by case, or pass a file)"
        )
    }

    @Test func groupedModeEmitsBoundedBatchesOfWholeTraces() throws {
        var text = "case,activity,time,n\n"
        var expected: [String: Int] = [:]
        var order: [String] = []
        for c in 0..<60 {
            let name = "case-\(c)"
            let n = 1 + (c * 7) % 9
            expected[name] = n
            order.append(name)
            for e in 0..<n { text += "\(name),step\(e),2025-01-01T00:\(10 + e):00Z,\(e)\n" }
        }
        let options = LogReadOptions(batchEvents: 16, sourceName: "pipe")
        let r = try read(text, csv: CSVLogOptions(groupedByCase: true), options: options, trickle: true)
        #expect(r.batches.count >= 10)
        for (k, batch) in r.batches.enumerated() {
            #expect(batch.eventCount < 16 + 9, "a batch is handed on as soon as it holds 16 events")
            if k < r.batches.count - 1 { #expect(batch.eventCount >= 16) }
            #expect(batch.traceStart.count == batch.traceCount + 1)
        }
        #expect(r.traces.map(\.name) == order)
        for trace in r.traces {
            #expect(trace.events.count == expected[trace.name])
            #expect(trace.events.map { $0.attributes["n"]! } == (0..<trace.events.count).map(String.init))
        }
        let whole = try read(text, options: options)
        #expect(whole.traces == r.traces)
    }

    // MARK: Errors

    @Test func missingColumnInTheHeader() {
        let error = readError(
            "case,activity,time\nA,x,2025-01-01\n",
            csv: CSVLogOptions(caseColumn: "Case ID"))
        #expect(error?.line == 1)
        #expect(error?.column == 1)
        #expect(error?.message == "no column 'Case ID' in the header; columns are: 'case', 'activity', 'time'")
        let owner = readError("case,activity,time\nA,x,2025-01-01\n", csv: CSVLogOptions(ownerColumn: "owner"))
        #expect(owner?.message.hasPrefix("no column 'owner' in the header") == true)
        let empty = readError("")
        #expect(empty?.message.contains("header row is required") == true)
    }

    @Test func rowWithTheWrongNumberOfFields() {
        let few = readError("case,activity,time,r\nA,x,2025-01-01,u\nA,y,2025-01-02\n")
        #expect(few?.line == 3)
        #expect(few?.column == 4)
        #expect(few?.message == "line 3: expected 4 fields as in the header, found 3")
        let many = readError("case,activity,time\nA,x,2025-01-01\n\nA,y,2025-01-02,extra,more\n")
        #expect(many?.line == 4)
        #expect(many?.column == 4)
        #expect(many?.message == "line 4: expected 3 fields as in the header, found 5")
    }

    @Test func unterminatedQuoteAtTheEnd() {
        let error = readError("case,activity,time\nA,x,2025-01-01\nA,\"never closed,2025-01-02\nB,y,2025-01-03\n")
        #expect(error?.line == 3)
        #expect(error?.column == 2)
        #expect(error?.message == "line 3, column 2 (activity): the quoted field that starts here is not closed before the end of the input")
        let stray = readError("case,activity,time\nA,\"x\"y,2025-01-01\n")
        #expect(stray?.line == 2)
        #expect(stray?.column == 2)
        #expect(stray?.message.contains("unexpected 'y' after the closing quote") == true)
    }

    @Test func invalidUTF8() {
        var bytes = Array("case,activity,time,r\nA,ok,2025-01-01,Phòng\nA,x,2025-01-02,".utf8)
        bytes += [0x50, 0xC3, 0x28]  // C3 must be followed by a continuation byte
        bytes += Array("\n".utf8)
        let expected = outcome(bytes, trickle: false)
        #expect(expected == outcome(bytes, trickle: true))
        guard case .failed(let error) = expected else {
            Issue.record("expected an error")
            return
        }
        #expect(error.line == 3)
        #expect(error.column == 4)
        #expect(error.message.hasPrefix("line 3, column 4 (r): invalid UTF-8 (bytes 0xC3"))
        // Overlong, surrogate, truncated at the end, and inside quotes.
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            for quoted in [false, true] {
                let row = Array("case,activity,time\nA,".utf8) + (quoted ? [34] : []) + bad + (quoted ? [34] : [])
                let direct = outcome(row, trickle: false)
                #expect(direct == outcome(row, trickle: true))
                guard case .failed(let e) = direct else {
                    Issue.record("accepted invalid UTF-8 \(bad)")
                    continue
                }
                #expect(e.line == 2 && e.column == 2 && e.message.contains("invalid UTF-8"))
            }
        }
    }

    @Test func badTimeValue() {
        var text = "Case,Activity,Timestamp\n"
        for k in 2..<17 { text += "C\(k),a,2024-02-\(10 + k)\n" }
        text += "C17,a,31/02/2024\n"
        let iso = readError(text, csv: CSVLogOptions(caseColumn: "Case", activityColumn: "Activity", timeColumn: "Timestamp"))
        #expect(iso?.line == 17)
        #expect(iso?.column == 3)
        #expect(iso?.message.hasPrefix("line 17, column 3 (Timestamp): '31/02/2024' is not an ISO 8601 time") == true)
        #expect(iso?.description.hasPrefix("t.csv:17:3: ") == true)
        let formatted = readError(
            text, csv: CSVLogOptions(caseColumn: "Case", activityColumn: "Activity", timeColumn: "Timestamp", timeFormat: "%d/%m/%Y"))
        #expect(formatted?.line == 2, "the first row does not match %d/%m/%Y either")
        let onlyBad = "Case,Activity,Timestamp\nC1,a,28/02/2024\nC2,b,31/02/2024\n"
        let e = readError(
            onlyBad, csv: CSVLogOptions(caseColumn: "Case", activityColumn: "Activity", timeColumn: "Timestamp", timeFormat: "%d/%m/%Y"))
        #expect(e?.message == "line 3, column 3 (Timestamp): '31/02/2024' does not match --time-format %d/%m/%Y")
    }

    @Test func missingCaseID() {
        let empty = readError("activity,case,time\nx,A,2025-01-01\ny,,2025-01-02\n")
        #expect(empty?.line == 3)
        #expect(empty?.column == 2)
        #expect(empty?.message == "line 3, column 2 (case): missing case id")
        let na = readError("activity,case,time\nx,NA,2025-01-01\n")
        #expect(na?.message == "line 2, column 2 (case): missing case id ('NA')")
    }

    @Test func badDelimiterIsRefused() {
        #expect(throws: LogReadError.self) {
            var source = MemoryByteSource("case,activity,time\n")
            _ = try CSVReader.read(&source, csv: CSVLogOptions(delimiter: 34), options: LogReadOptions()) { _ in }
        }
    }

    // MARK: Chunk boundaries, scale, robustness

    @Test func chunkBoundariesDoNotChangeTheResult() throws {
        var text = "case,activity,time,note\r\n"
        var state: UInt64 = 42
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % 1000)
        }
        let notes = ["plain", "\"with, comma\"", "\"multi\nline\"", "\"say \"\"x\"\"\"", "Đường Lê Lợi 🚌", "", "?", "\"\""]
        for k in 0..<3000 {
            let c = next() % 50
            text += "case-\(c),act \(next() % 7),2025-01-\(10 + next() % 18)T0\(next() % 10):00:00+07:00,\(notes[k % notes.count])"
            text += k % 3 == 0 ? "\r\n" : "\n"
        }
        for grouped in [false, true] {
            let csv = CSVLogOptions(groupedByCase: grouped)
            let direct = outcome(Array(text.utf8), csv: csv, trickle: false)
            let trickled = outcome(Array(text.utf8), csv: csv, trickle: true)
            #expect(direct == trickled)
            if !grouped {
                guard case .read(let traces, let count, let events) = direct else {
                    Issue.record("\(direct)")
                    continue
                }
                #expect(count == 50 && events == 3000 && traces.count == 50)
            }
        }
    }

    @Test func aFieldLargerThanTheReadBuffer() throws {
        let big = String(repeating: "ab,\"c\"\n", count: 400_000)  // 2.8 MB, more than the 1 MB buffer
        let quoted = "\"" + String(repeating: "ab,\"\"c\"\"\n", count: 400_000) + "\""
        let text = "case,activity,time,blob\nA,x,2025-01-01," + quoted + "\nA,y,2025-01-02,z\n"
        // 4 MB is past the default field limit (1 MiB): raised here, as --max-field-bytes would.
        let options = LogReadOptions(sourceName: "t.csv", limits: EventLogLimits(maxFieldBytes: 8 << 20))
        let r = try read(text, options: options)
        #expect(r.traces[0].events[0].attributes["blob"] == big)
        #expect(r.traces[0].events[1].activity == "y")
        #expect(r.info.readBufferBytes == (4 << 20) + 16, "doubled from 1 MiB until the record fit")
        let e = readError(text + "A,z,bad\n", options: options)
        #expect(e?.line == 2 + 400_000 + 2, "line breaks inside the big field count")
    }

    @Test func roundTripAtModerateScale() throws {
        let rows = 200_000
        var lines: [String] = ["case,activity,time,resource,unit,owner"]
        lines.reserveCapacity(rows + 1)
        var cases = 0
        var r = 0
        var perCase: [Int] = []
        while r < rows {
            cases += 1
            let n = min(1 + cases % 19, rows - r)
            perCase.append(n)
            for e in 0..<n {
                let minute = e % 60
                lines.append(
                    "HS-\(cases),Bước \(e % 6),2025-02-\(10 + cases % 15)T0\(e / 60 % 10):\(minute < 10 ? "0" : "")\(minute):00+07:00,"
                        + "cán bộ \(r % 97),\"Phòng \(r % 13), Sở\",owner-\(cases % 31)")
                r += 1
            }
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        for grouped in [false, true] {
            let result = try read(bytes, csv: CSVLogOptions(ownerColumn: "owner", groupedByCase: grouped))
            #expect(result.info.events == rows)
            #expect(result.info.traces == cases)
            #expect(result.info.bytes == Int64(bytes.count))
            #expect(result.traces.map(\.events.count) == perCase)
            #expect(result.batches.count > 1)
            #expect(result.traces[41].name == "HS-42")
            #expect(result.traces[41].events[2].attributes["unit"] == "Phòng \((perCase[0..<41].reduce(0, +) + 2) % 13), Sở")
            // Every batch but the last reaches the default 65,536 events, at a trace boundary.
            #expect(result.batches.dropLast().allSatisfy { $0.eventCount >= 1 << 16 })
            #expect(result.table.count == Set(result.table.strings).count, "each string interned once")
        }
    }

    @Test func arbitraryBytesNeverTrap() {
        let alphabet: [[UInt8]] = [[44], [34], [10], [13], [97], [32], [0xC3, 0xA9], [0xC3], [0xFF], [63], Array("2025-01-01".utf8)]
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
        for _ in 0..<1500 {
            var bytes = next(4) == 0 ? [] : Array("case,activity,time\n".utf8)
            for _ in 0..<next(60) { bytes += alphabet[next(alphabet.count)] }
            for grouped in [false, true] {
                let csv = CSVLogOptions(groupedByCase: grouped)
                #expect(outcome(bytes, csv: csv, trickle: false) == outcome(bytes, csv: csv, trickle: true))
            }
        }
    }
}
