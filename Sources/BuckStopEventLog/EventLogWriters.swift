import BuckStopCalendar
import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - The vocabulary

/// One event in BuckStop's own event-log vocabulary (what `buckstop export` and `buckstop synth` write and the
/// detectors read): `concept:name`, `time:timestamp`, `org:resource`, `org:group`, `lifecycle:transition` = complete,
/// `buckstop:owner` (the accountable official after the event; nil once closed), `buckstop:status` (`CaseStatus`
/// after the event), `buckstop:due` (the date the action carries) and `buckstop:target` (where it sends the case,
/// or the consulted / answering units).
public struct LogEvent: Sendable, Equatable {
    public var activity: String
    public var timestampMillis: Int64
    public var resource: String
    public var group: String?
    public var owner: String?
    public var status: String?
    public var due: CivilDate?
    public var target: String?

    public init(
        activity: String, timestampMillis: Int64, resource: String, group: String?, owner: String?, status: String?, due: CivilDate?,
        target: String?
    ) {
        self.activity = activity
        self.timestampMillis = timestampMillis
        self.resource = resource
        self.group = group
        self.owner = owner
        self.status = status
        self.due = due
        self.target = target
    }
}

/// One case: `concept:name` (the case code), `buckstop:kind`, `buckstop:procedure`, `buckstop:leadUnit`,
/// `buckstop:labels` (ground-truth behaviour ids, sorted and comma-joined; nil when none), `buckstop:truth` (the same
/// behaviours as verdicts, `behaviour=responsible:value` joined by `;`, as `DemoVerdict.text` writes them; nil when
/// none), `buckstop:concerning` (the official a complaint is about or a denunciation accuses) and
/// `buckstop:decidingBody` (the unit whose head decides) when known, and its events in order. The two ground-truth
/// attributes are for scoring; no mapping reads them.
public struct LogTrace: Sendable, Equatable {
    public var caseID: String
    public var kind: String
    public var procedure: String?
    public var leadUnit: String
    public var labels: String?
    public var truth: String?
    public var concerning: String?
    public var decidingBody: String?
    /// A task's expected product (`buckstop:product`), which `overlap` compares.
    public var product: String?
    /// An inspection's scope and the violations it recorded (`buckstop:inspection`, `InspectionLogText`), which
    /// `self_inspection_miss` compares.
    public var inspection: String?
    public var events: [LogEvent]

    public init(
        caseID: String, kind: String, procedure: String?, leadUnit: String, labels: String?, truth: String? = nil, concerning: String? = nil,
        decidingBody: String? = nil, product: String? = nil, inspection: String? = nil, events: [LogEvent]
    ) {
        self.product = product
        self.inspection = inspection
        self.concerning = concerning
        self.decidingBody = decidingBody
        self.caseID = caseID
        self.kind = kind
        self.procedure = procedure
        self.leadUnit = leadUnit
        self.labels = labels
        self.truth = truth
        self.events = events
    }
}

// MARK: - Bytes

/// A growable byte buffer that text is appended to as UTF-8, without intermediate `String`s.
public final class OutputBuffer: @unchecked Sendable {
    public private(set) var base: UnsafeMutablePointer<UInt8>
    public internal(set) var count = 0
    private var capacity: Int

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public func removeAll() { count = 0 }

    @inline(__always) func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inline(__always) public func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    public func append(_ raw: UnsafeRawBufferPointer) {
        guard raw.count > 0 else { return }
        reserve(raw.count)
        (base + count).update(from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: raw.count)
        count += raw.count
    }

    @inline(__always) public func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always) public func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) == nil {
            for b in text.utf8 { append(byte: b) }
        }
    }

    /// `value` as decimal digits, zero-padded to `width`.
    @inline(__always) func append(digits value: Int, width: Int) {
        reserve(width)
        var v = value
        var i = width - 1
        while i >= 0 {
            base[count + i] = UInt8(truncatingIfNeeded: 48 + v % 10)
            v /= 10
            i -= 1
        }
        count += width
    }

    public func append(decimal value: Int64) {
        if value < 0 { append(byte: 45) }
        var v = value.magnitude
        var tmp:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[19 - n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            append(UnsafeRawBufferPointer(rebasing: p[(20 - n)...]))
        }
    }
}

/// Where encoded bytes go: a file or standard output, optionally through gzip.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes what is buffered (and ends a compressed stream); the sink is unusable afterwards.
    func finish() throws
}

public struct ByteSinkError: Error, CustomStringConvertible, Sendable {
    public var sink: String
    public var message: String
    public init(sink: String, message: String) {
        self.sink = sink
        self.message = message
    }
    public var description: String { "\(sink): \(message)" }
}

/// A file (created or truncated, mode 0644) or standard output for "-", written with plain `write(2)` calls.
public final class FileDescriptorSink: ByteSink {
    public let name: String
    private var fd: Int32
    private let owned: Bool

    public init(path: String) throws {
        if path == "-" {
            name = "stdout"
            fd = 1
            owned = false
            return
        }
        name = path
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard opened >= 0 else { throw ByteSinkError(sink: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        fd = opened
        owned = true
    }

    deinit { if owned && fd >= 0 { close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw ByteSinkError(sink: name, message: "write failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    public func finish() throws {
        guard owned, fd >= 0 else { return }
        let result = close(fd)
        fd = -1
        if result != 0 { throw ByteSinkError(sink: name, message: "close failed: \(String(cString: strerror(errno)))") }
    }
}

/// gzip (RFC 1952) through zlib's deflate, one member, into another sink.
public final class GzipSink: ByteSink {
    private let inner: ByteSink
    private var stream = z_stream()
    private var out: UnsafeMutablePointer<UInt8>
    private let outCapacity = 1 << 18
    private var open = true

    /// `level` 1 (fastest) … 9 (smallest).
    public init(into inner: ByteSink, level: Int32 = 1) throws {
        self.inner = inner
        out = .allocate(capacity: outCapacity)
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            out.deallocate()
            throw ByteSinkError(sink: "gzip", message: "deflateInit2 failed (\(status))")
        }
    }

    deinit {
        if open { deflateEnd(&stream) }
        out.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try run(bytes, flush: Z_NO_FLUSH)
    }

    public func finish() throws {
        guard open else { return }
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        deflateEnd(&stream)
        open = false
        try inner.finish()
    }

    private func run(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws {
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(bytes.count)
        while true {
            stream.next_out = out
            stream.avail_out = uInt(outCapacity)
            let status = deflate(&stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw ByteSinkError(sink: "gzip", message: "deflate failed (\(status))")
            }
            let produced = outCapacity - Int(stream.avail_out)
            if produced > 0 { try inner.write(UnsafeRawBufferPointer(start: out, count: produced)) }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { return }
            } else if stream.avail_in == 0 && stream.avail_out != 0 {
                return
            }
        }
    }
}

// MARK: - Formats

/// The two text formats of BuckStop's event logs. Encoding is pure: a trace is appended to a buffer, so the
/// traces of a large log can be encoded on several threads and written in order by one.
public enum EventLogFormat: String, Sendable, CaseIterable {
    case xes, csv

    /// What comes before the first trace.
    public func appendPrologue(logName: String, asOf: CivilDate?, to out: OutputBuffer) {
        switch self {
        case .csv:
            out.append(
                "case,activity,time,org:resource,org:group,buckstop:owner,buckstop:status,buckstop:due,buckstop:target,buckstop:kind,buckstop:procedure,buckstop:leadUnit,buckstop:labels,buckstop:truth,buckstop:concerning,buckstop:decidingBody,buckstop:product,buckstop:inspection\n"
            )
        case .xes:
            out.append(
                """
                <?xml version="1.0" encoding="UTF-8" ?>
                <log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
                \t<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
                \t<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
                \t<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
                \t<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
                \t<global scope="trace">
                \t\t<string key="concept:name" value="__INVALID__"/>
                \t</global>
                \t<global scope="event">
                \t\t<string key="concept:name" value="__INVALID__"/>
                \t\t<date key="time:timestamp" value="1970-01-01T07:00:00.000+07:00"/>
                \t\t<string key="org:resource" value="__INVALID__"/>
                \t\t<string key="lifecycle:transition" value="complete"/>
                \t</global>
                \t<classifier name="Activity" keys="concept:name"/>

                """)
            out.append("\t<string key=\"concept:name\" value=\"")
            XMLText.append(logName, to: out)
            out.append("\"/>\n")
            if let asOf {
                out.append("\t<string key=\"buckstop:asOf\" value=\"")
                TextDates.append(asOf, to: out)
                out.append("\"/>\n")
            }
        }
    }

    /// What comes after the last trace.
    public func appendEpilogue(to out: OutputBuffer) {
        if self == .xes { out.append("</log>\n") }
    }

    /// One trace: an XES `<trace>`, or one CSV row per event with the case's columns repeated.
    public func append(_ trace: LogTrace, to out: OutputBuffer, clock: inout TimestampFormatter) {
        switch self {
        case .xes: Self.appendXES(trace, to: out, clock: &clock)
        case .csv: Self.appendCSV(trace, to: out, clock: &clock)
        }
    }

    private static func appendXES(_ trace: LogTrace, to out: OutputBuffer, clock: inout TimestampFormatter) {
        out.append("\t<trace>\n")
        stringAttribute(2, "concept:name", trace.caseID, out)
        stringAttribute(2, "buckstop:kind", trace.kind, out)
        if let p = trace.procedure { stringAttribute(2, "buckstop:procedure", p, out) }
        stringAttribute(2, "buckstop:leadUnit", trace.leadUnit, out)
        if let l = trace.labels, !l.isEmpty { stringAttribute(2, "buckstop:labels", l, out) }
        if let v = trace.truth, !v.isEmpty { stringAttribute(2, "buckstop:truth", v, out) }
        if let c = trace.concerning { stringAttribute(2, "buckstop:concerning", c, out) }
        if let b = trace.decidingBody { stringAttribute(2, "buckstop:decidingBody", b, out) }
        if let p = trace.product { stringAttribute(2, "buckstop:product", p, out) }
        if let i = trace.inspection { stringAttribute(2, "buckstop:inspection", i, out) }
        for e in trace.events {
            out.append("\t\t<event>\n")
            stringAttribute(3, "concept:name", e.activity, out)
            out.append("\t\t\t<date key=\"time:timestamp\" value=\"")
            clock.append(e.timestampMillis, to: out)
            out.append("\"/>\n")
            stringAttribute(3, "org:resource", e.resource, out)
            if let g = e.group { stringAttribute(3, "org:group", g, out) }
            out.append("\t\t\t<string key=\"lifecycle:transition\" value=\"complete\"/>\n")
            if let o = e.owner { stringAttribute(3, "buckstop:owner", o, out) }
            if let s = e.status { stringAttribute(3, "buckstop:status", s, out) }
            if let d = e.due {
                out.append("\t\t\t<string key=\"buckstop:due\" value=\"")
                TextDates.append(d, to: out)
                out.append("\"/>\n")
            }
            if let t = e.target { stringAttribute(3, "buckstop:target", t, out) }
            out.append("\t\t</event>\n")
        }
        out.append("\t</trace>\n")
    }

    @inline(__always) private static func stringAttribute(_ depth: Int, _ key: StaticString, _ value: String, _ out: OutputBuffer) {
        out.append(depth == 2 ? "\t\t<string key=\"" : "\t\t\t<string key=\"")
        out.append(key)
        out.append("\" value=\"")
        XMLText.append(value, to: out)
        out.append("\"/>\n")
    }

    private static func appendCSV(_ trace: LogTrace, to out: OutputBuffer, clock: inout TimestampFormatter) {
        // The case's own cells are the same on every row: encode them once, then copy.
        let start = out.count
        CSVText.append(trace.caseID, to: out)
        let caseCell = [UInt8](UnsafeRawBufferPointer(start: out.base + start, count: out.count - start))
        out.count = start
        out.append(byte: 44)
        CSVText.append(trace.kind, to: out)
        out.append(byte: 44)
        if let p = trace.procedure { CSVText.append(p, to: out) }
        out.append(byte: 44)
        CSVText.append(trace.leadUnit, to: out)
        out.append(byte: 44)
        if let l = trace.labels { CSVText.append(l, to: out) }
        out.append(byte: 44)
        if let v = trace.truth { CSVText.append(v, to: out) }
        out.append(byte: 44)
        if let c = trace.concerning { CSVText.append(c, to: out) }
        out.append(byte: 44)
        if let b = trace.decidingBody { CSVText.append(b, to: out) }
        out.append(byte: 44)
        if let p = trace.product { CSVText.append(p, to: out) }
        out.append(byte: 44)
        if let i = trace.inspection { CSVText.append(i, to: out) }
        out.append(byte: 10)
        let tail = [UInt8](UnsafeRawBufferPointer(start: out.base + start, count: out.count - start))
        out.count = start
        for e in trace.events {
            caseCell.withUnsafeBytes { out.append($0) }
            out.append(byte: 44)
            CSVText.append(e.activity, to: out)
            out.append(byte: 44)
            clock.append(e.timestampMillis, to: out)
            out.append(byte: 44)
            CSVText.append(e.resource, to: out)
            out.append(byte: 44)
            if let g = e.group { CSVText.append(g, to: out) }
            out.append(byte: 44)
            if let o = e.owner { CSVText.append(o, to: out) }
            out.append(byte: 44)
            if let s = e.status { CSVText.append(s, to: out) }
            out.append(byte: 44)
            if let d = e.due { TextDates.append(d, to: out) }
            out.append(byte: 44)
            if let t = e.target { CSVText.append(t, to: out) }
            tail.withUnsafeBytes { out.append($0) }
        }
    }
}

/// Streams a whole log to a sink: prologue, traces, epilogue, through a buffer flushed every ~1 MB.
public final class EventLogStreamWriter {
    public let format: EventLogFormat
    private let sink: ByteSink
    private let buffer = OutputBuffer(capacity: 1 << 21)
    private var clock = TimestampFormatter()
    public private(set) var traces = 0
    public private(set) var events = 0

    public init(format: EventLogFormat, sink: ByteSink, logName: String, asOf: CivilDate?) {
        self.format = format
        self.sink = sink
        format.appendPrologue(logName: logName, asOf: asOf, to: buffer)
    }

    public func write(_ trace: LogTrace) throws {
        format.append(trace, to: buffer, clock: &clock)
        traces += 1
        events += trace.events.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Bytes already encoded elsewhere (by `EventLogFormat.append`), e.g. on another thread.
    public func write(encoded: OutputBuffer, traces: Int, events: Int) throws {
        try flush()
        try sink.write(encoded.bytes)
        self.traces += traces
        self.events += events
    }

    private func flush() throws {
        if buffer.count > 0 { try sink.write(buffer.bytes) }
        buffer.removeAll()
    }

    /// Writes the epilogue and finishes the sink.
    public func finish() throws {
        format.appendEpilogue(to: buffer)
        try flush()
        try sink.finish()
    }
}

// MARK: - Text pieces

/// xs:dateTime in Vietnam time with milliseconds (`2025-11-23T08:15:00.000+07:00`), formatted by hand with the
/// day's `YYYY-MM-DDT` cached: events come in runs on the same day.
public struct TimestampFormatter: Sendable {
    private var cachedDay = Int64.min
    private var prefix: (UInt64, UInt64) = (0, 0)  // 11 bytes of "YYYY-MM-DDT"

    public init() {}

    public mutating func append(_ millis: Int64, to out: OutputBuffer) {
        let local = millis + 7 * 3_600_000
        var day = local / 86_400_000
        var msOfDay = local - day * 86_400_000
        if msOfDay < 0 {
            day -= 1
            msOfDay += 86_400_000
        }
        if day != cachedDay {
            cachedDay = day
            let (y, m, d) = TextDates.civil(fromDays: Int(day))
            let tmp = OutputBuffer(capacity: 16)
            tmp.append(digits: y, width: 4)
            tmp.append(byte: 45)
            tmp.append(digits: m, width: 2)
            tmp.append(byte: 45)
            tmp.append(digits: d, width: 2)
            tmp.append(byte: 84)
            withUnsafeMutableBytes(of: &prefix) { p in p.copyMemory(from: UnsafeRawBufferPointer(start: tmp.base, count: 11)) }
        }
        out.reserve(29)
        withUnsafeBytes(of: prefix) { p in out.append(UnsafeRawBufferPointer(rebasing: p[0..<11])) }
        let ms = Int(msOfDay)
        out.append(digits: ms / 3_600_000, width: 2)
        out.append(byte: 58)
        out.append(digits: ms / 60_000 % 60, width: 2)
        out.append(byte: 58)
        out.append(digits: ms / 1000 % 60, width: 2)
        out.append(byte: 46)
        out.append(digits: ms % 1000, width: 3)
        out.append("+07:00")
    }
}

enum TextDates {
    static func append(_ date: CivilDate, to out: OutputBuffer) {
        out.append(digits: date.year, width: 4)
        out.append(byte: 45)
        out.append(digits: date.month, width: 2)
        out.append(byte: 45)
        out.append(digits: date.day, width: 2)
    }

    /// Howard Hinnant's `civil_from_days`.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// XML attribute text: `& < > " '` escaped, tab/newline/CR as character references, other C0 controls dropped.
enum XMLText {
    static func append(_ text: String, to out: OutputBuffer) {
        var text = text
        text.withUTF8 { p in
            var clean = true
            for b in p where b < 32 || b == 38 || b == 60 || b == 62 || b == 34 || b == 39 {
                clean = false
                break
            }
            if clean {
                out.append(UnsafeRawBufferPointer(p))
                return
            }
            for b in p {
                switch b {
                case 38: out.append("&amp;")
                case 60: out.append("&lt;")
                case 62: out.append("&gt;")
                case 34: out.append("&quot;")
                case 39: out.append("&apos;")
                case 9: out.append("&#9;")
                case 10: out.append("&#10;")
                case 13: out.append("&#13;")
                default: if b >= 32 { out.append(byte: b) }
                }
            }
        }
    }
}

/// RFC 4180 cells: quoted (quotes doubled) when the text holds a comma, quote, CR or LF.
enum CSVText {
    static func append(_ text: String, to out: OutputBuffer) {
        var text = text
        text.withUTF8 { p in
            var plain = true
            for b in p where b == 44 || b == 34 || b == 10 || b == 13 {
                plain = false
                break
            }
            if plain {
                out.append(UnsafeRawBufferPointer(p))
                return
            }
            out.append(byte: 34)
            for b in p {
                if b == 34 { out.append(byte: 34) }
                out.append(byte: b)
            }
            out.append(byte: 34)
        }
    }
}
