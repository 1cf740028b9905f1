#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads IEEE 1849-2016 XES (and the XES 2.0 list form) into columnar `EventBatch`es, streaming.
///
/// A hand-written byte scanner over a large read buffer: no XML library, no `String` per attribute.
/// Keys are interned into a small key table and the column slot is cached per key id; values are interned
/// where they lie in the buffer (entities are decoded first, only when a value holds `&` or a raw
/// tab/newline). The whole input is checked to be UTF-8 (8 bytes at a time while it is ASCII).
///
/// What is read: per trace its `concept:name` (case name) and other attributes; per event `concept:name`
/// (activity), `time:timestamp` (a `date`) and every other attribute as text. Attributes directly under
/// `<log>` go to `LogInfo.logAttributes`. Meta-attributes (children of an attribute), the children of
/// `list`/`container`/`values`, the defaults in `<global>`, and `extension`/`classifier` are checked for
/// well-formedness and skipped.
///
/// Errors are `LogReadError`s with the 1-based line and byte column: of the tag's `<` for structural
/// errors (unknown attribute type, mismatched closing tag, missing key or value), of the value's first
/// byte for bad values (timestamp, int, float, boolean, entity), of the byte itself for invalid UTF-8, and
/// of the end of the input when it ends inside an element. Input errors from the byte source propagate as is.
///
/// Input past one of `LogReadOptions.limits` throws a `LogLimitError` (same line and column rules) as soon as
/// the reader sees it, before buffering the rest: an attribute value, key or element name too long (named by
/// its key or element), a tag or comment too long, elements nested too deep, too many distinct keys, a trace
/// with too many events. So the read buffer never holds more than about `maxLineBytes`.
public enum XESReader {
    /// Size of the read buffer; it grows only for a single construct (a tag, a comment) larger than it, and
    /// never past `EventLogLimits.maxLineBytes` (plus one byte, to see that it is past).
    static let chunkSize = 4 << 20

    public static func read(
        _ source: inout some ByteSource, options: LogReadOptions, onBatch: (EventBatch) throws -> Void
    ) throws -> LogInfo {
        var scanner = XESScanner(options: options)
        defer { scanner.release() }
        let maxConstruct = max(options.limits.maxLineBytes, 0)
        var capacity = chunkSize
        scanner.builder.noteReadBuffer(capacity)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var end = 0  // bytes in the buffer
        var validEnd = 0  // bytes checked to be UTF-8 (a sequence cut by the chunk end waits for the next read)
        var invalidAt = -1  // offset of invalid UTF-8 in the buffer, -1 when none seen
        var position = 0  // where the scanner resumes
        var atEOF = false
        var first = true

        while true {
            if !atEOF {
                // Keep the unfinished construct, drop what was consumed.
                if position > 0 {
                    scanner.lines.drop(buffer, position, checkedEnd: validEnd)
                    let keep = end - position
                    if keep > 0 { memmove(buffer, buffer + position, keep) }
                    end = keep
                    validEnd -= position
                    if invalidAt >= 0 { invalidAt -= position }
                    position = 0
                }
                if end == capacity {
                    // One construct fills the whole buffer: grow it, to one byte past the limit at most (it is at
                    // most `maxConstruct` bytes long, or the check after the scan would have thrown).
                    let grown = max(min(capacity * 2, maxConstruct == Int.max ? Int.max : maxConstruct + 1), capacity + 1)
                    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                    bigger.update(from: buffer, count: end)
                    buffer.deallocate()
                    buffer = bigger
                    capacity = grown
                    scanner.builder.noteReadBuffer(capacity)
                }
                // Fill the buffer (a pipe hands out 64 KiB at a time): a construct that spans reads is scanned
                // again from its start after each, which is cheap only when reads are large.
                while end < capacity {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
                    if n <= 0 {
                        atEOF = true
                        break
                    }
                    end += min(n, capacity - end)
                    scanner.builder.addBytes(n)
                }
                if invalidAt < 0 {
                    let checked = validateUTF8(buffer, validEnd, end, atEOF: atEOF)
                    validEnd = checked.validEnd
                    invalidAt = checked.invalidAt
                    scanner.lines.buffered += checked.newlines
                }
                if first {
                    // Wait for three bytes to see whether the input starts with a byte order mark.
                    if end < 3 && !atEOF { continue }
                    first = false
                    if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
                }
            }
            position = try scanner.scan(UnsafePointer(buffer), from: position, to: validEnd, onBatch: onBatch)
            // What is left is one unfinished construct (bytes after invalid UTF-8 are not: that error comes next):
            // refuse it before buffering more of it.
            if invalidAt < 0 && end - position > maxConstruct {
                throw scanner.constructTooLong(UnsafePointer(buffer), at: position, end: end)
            }
            // Everything before the bad byte has been read: what is left needs it.
            if invalidAt >= 0 {
                throw scanner.error(UnsafePointer(buffer), at: invalidAt, "invalid UTF-8")
            }
            if atEOF {
                if position < validEnd || scanner.isOpen {
                    throw scanner.error(
                        UnsafePointer(buffer), at: end, "unexpected end of input inside <\(scanner.openElementName)>")
                }
                if !scanner.sawLog {
                    throw scanner.error(UnsafePointer(buffer), at: end, "no <log> element in the input")
                }
                break
            }
        }
        return try scanner.finish(onBatch: onBatch)
    }

    /// Checks `p[start..<end]` is UTF-8 and counts its newlines (in the same pass, while the bytes are in
    /// cache). Returns how far it is valid, where it is invalid (-1 when it is not), and the newlines up to
    /// the valid end: a sequence cut off by `end` is left unchecked unless `atEOF`, where it is invalid.
    static func validateUTF8(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, atEOF: Bool
    ) -> (validEnd: Int, invalidAt: Int, newlines: Int) {
        let raw = UnsafeRawPointer(p)
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let nl: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        /// 1 in each byte of `w` that is a newline (exact).
        @inline(__always) func newlineBytes(_ w: UInt64) -> UInt64 {
            let x = w ^ nl
            return (~(((x & low7) &+ low7) | x | low7)) >> 7
        }
        var lines = 0
        var i = start
        while true {
            while i + 32 <= end {
                let w0 = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let w1 = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                let w2 = raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                let w3 = raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                if (w0 | w1 | w2 | w3) & high != 0 { break }
                let sum = newlineBytes(w0) &+ newlineBytes(w1) &+ newlineBytes(w2) &+ newlineBytes(w3)
                lines &+= Int(truncatingIfNeeded: (sum &* 0x0101_0101_0101_0101) >> 56)
                i += 32
            }
            while i + 8 <= end {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & high != 0 { break }
                lines &+= Int(truncatingIfNeeded: (newlineBytes(w) &* 0x0101_0101_0101_0101) >> 56)
                i += 8
            }
            if i >= end { return (end, -1, lines) }
            let b0 = p[i]
            if b0 < 0x80 {
                if b0 == 10 { lines += 1 }
                i += 1
                continue
            }
            var need = 0
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch b0 {
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
            default: return (i, i, lines)
            }
            var k = 1
            while k <= need {
                if i + k >= end { return atEOF ? (i, i, lines) : (i, -1, lines) }
                let b = p[i + k]
                if k == 1 {
                    if b < lo || b > hi { return (i, i, lines) }
                } else if b & 0xC0 != 0x80 {
                    return (i, i, lines)
                }
                k += 1
            }
            i += need + 1
        }
    }
}

/// Line numbers for errors, counted cheaply: newlines are counted while the UTF-8 check passes over new
/// bytes (`buffered`), and carried over when a consumed chunk is dropped; columns are found only on error.
struct LineTracker {
    /// Absolute offset of the buffer's first byte.
    var dropped = 0
    /// Newlines before the buffer.
    var newlines = 0
    /// Newlines in the checked part of the buffer.
    var buffered = 0
    /// Absolute offset of the last newline dropped, -1 when none.
    var lastNewline = -1

    /// Drops the first `n` bytes of the buffer, whose checked part ends at `checkedEnd` (>= n).
    mutating func drop(_ p: UnsafeMutablePointer<UInt8>, _ n: Int, checkedEnd: Int) {
        let kept = countNewlines(UnsafePointer(p + n), checkedEnd - n)
        newlines += buffered - kept
        buffered = kept
        var k = n - 1
        while k >= 0 && p[k] != 10 { k -= 1 }
        if k >= 0 { lastNewline = dropped + k }
        dropped += n
    }

    /// 1-based line and byte column of buffer offset `at`.
    func location(_ p: UnsafePointer<UInt8>, _ at: Int) -> (line: Int, column: Int) {
        let line = newlines + countNewlines(p, at) + 1
        var k = at - 1
        while k >= 0 && p[k] != 10 { k -= 1 }
        let lineStart = k >= 0 ? dropped + k : lastNewline
        return (line, dropped + at - lineStart)
    }
}

@inline(__always)
func countNewlines(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    let raw = UnsafeRawPointer(p)
    var count = 0
    var i = 0
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    while i + 8 <= n {
        let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
        // Exact zero-byte test: a byte's high bit is set iff that byte of x is 0.
        let zero = ~(((x & low7) &+ low7) | x | low7)
        count += Int(truncatingIfNeeded: ((zero >> 7) &* 0x0101_0101_0101_0101) >> 56)
        i += 8
    }
    while i < n {
        if p[i] == 10 { count += 1 }
        i += 1
    }
    return count
}

/// Up to 24 bytes of input as three words (zero past the end) and a length: equal iff the bytes are.
struct ShortBytes: Equatable {
    var n = -1
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0

    init() {}

    /// nil when `p[s..<e]` is longer than 24 bytes or fewer than 24 bytes can be read from `s`.
    @inline(__always)
    init?(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, limit: Int) {
        let n = e - s
        guard n <= 24, s + 24 <= limit else { return nil }
        let r = UnsafeRawPointer(p + s)
        @inline(__always) func masked(_ w: UInt64, _ k: Int) -> UInt64 {
            k >= 8 ? w : (k <= 0 ? 0 : w & ((1 << (UInt64(truncatingIfNeeded: k) &* 8)) &- 1))
        }
        self.n = n
        w0 = masked(r.loadUnaligned(as: UInt64.self), n)
        w1 = masked(r.loadUnaligned(fromByteOffset: 8, as: UInt64.self), n - 8)
        w2 = masked(r.loadUnaligned(fromByteOffset: 16, as: UInt64.self), n - 16)
    }

    var slot: Int {
        let m = (w0 ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ (w2 &* 0xBF58_476D_1CE4_E5B9) ^ UInt64(truncatingIfNeeded: n)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: m >> 40)
    }
}

struct ShortMemo {
    var bytes = ShortBytes()
    var id: UInt32 = 0
}

/// Element kinds the scanner tells apart.
enum XESKind: UInt8 {
    case other, log, trace, event, global, extensionElement, classifier, values
    // attribute types
    case string, date, int, float, boolean, id, list, container

    var isAttribute: Bool { rawValue >= XESKind.string.rawValue }
    /// Attribute types that carry a `value`.
    var hasValue: Bool { isAttribute && self != .list && self != .container }

    var name: String {
        switch self {
        case .other: return "?"
        case .log: return "log"
        case .trace: return "trace"
        case .event: return "event"
        case .global: return "global"
        case .extensionElement: return "extension"
        case .classifier: return "classifier"
        case .values: return "values"
        case .string: return "string"
        case .date: return "date"
        case .int: return "int"
        case .float: return "float"
        case .boolean: return "boolean"
        case .id: return "id"
        case .list: return "list"
        case .container: return "container"
        }
    }
}

@inline(__always)
private func same(_ p: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
    memcmpBytes(UnsafeRawPointer(p), UnsafeRawPointer(literal.utf8Start), literal.utf8CodeUnitCount)
}

@inline(__always)
private func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 9 || b == 13 }

/// The state of one read: the builder, the open elements, the key table.
struct XESScanner {
    var builder: EventBatchBuilder
    var lines = LineTracker()
    let sourceName: String
    let defaultOffset: Int32
    let limits: EventLogLimits
    /// The largest key id allowed: ids 1 and 2 are concept:name and time:timestamp, interned up front.
    private let maxKeyID: Int

    /// Open elements, innermost last; the names of `.other` ones in `otherNames`.
    private var stack: [XESKind] = []
    private var otherNames: [[UInt8]] = []
    /// How many of the innermost open elements are being skipped (0: none).
    private var skipDepth = 0
    private(set) var sawLog = false
    private var logClosed = false
    private var traceNumber = 0
    /// Events of the open trace so far, for `maxTraceEvents`.
    private var traceEvents = 0

    /// Attribute keys; per key id the event column slot (-2 not asked yet, -1 not kept) and trace decision.
    private var keys = StringInterner(capacity: 256)
    private var keyStrings: [String?] = []
    private var eventSlots: [Int32] = []
    private var traceKeep: [Int8] = []
    private let conceptName: UInt32
    private let timeTimestamp: UInt32

    /// Keys of up to 24 bytes by their bytes (direct-mapped), to skip hashing the same few keys again.
    private var keyMemo = [ShortMemo](repeating: ShortMemo(), count: 128)
    /// Per key id, the last value of up to 24 bytes met with it and its id: consecutive events often repeat
    /// a value (the same product, country, group), which then costs no interner probe.
    private var valueMemo: [ShortMemo] = []

    /// Decoded values (entities); grows to the longest such value.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 256

    init(options: LogReadOptions) {
        builder = EventBatchBuilder(options: options)
        sourceName = options.sourceName
        defaultOffset = options.defaultUTCOffsetSeconds
        limits = options.limits
        maxKeyID = options.limits.maxColumns > Int.max - 2 ? Int.max : options.limits.maxColumns + 2
        conceptName = keys.intern("concept:name")
        timeTimestamp = keys.intern("time:timestamp")
        scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
    }

    func release() { scratch.deallocate() }

    var isOpen: Bool { !stack.isEmpty }
    var openElementName: String {
        guard let top = stack.last else { return "log" }
        if top == .other, let name = otherNames.last { return String(decoding: name, as: UTF8.self) }
        return top.name
    }

    mutating func finish(onBatch: (EventBatch) throws -> Void) throws -> LogInfo {
        if builder.bufferedTraces > 0 { try onBatch(builder.takeBatch()) }
        return builder.info
    }

    func error(_ p: UnsafePointer<UInt8>, at offset: Int, _ message: String) -> LogReadError {
        let location = lines.location(p, offset)
        return LogReadError(source: sourceName, line: location.line, column: location.column, message: message)
    }

    // The error builders below are kept out of line: inlined, their string work would make the scanning
    // functions too large for the optimizer to inline the builder's small setters into them.
    @inline(never)
    func limitError(
        _ p: UnsafePointer<UInt8>, at offset: Int, _ limit: EventLogLimits.Kind, _ what: String
    ) -> LogLimitError {
        let location = lines.location(p, offset)
        return LogLimitError(
            source: sourceName, line: location.line, column: location.column, limit: limit, maximum: limits[limit],
            prefix: "", what: what)
    }

    /// The unfinished construct at `at` (its '<') has run past `maxLineBytes`: say what it is.
    @inline(never)
    func constructTooLong(_ p: UnsafePointer<UInt8>, at: Int, end: Int) -> LogLimitError {
        var what = "markup"
        if at < end && p[at] == 60 && at + 1 < end {
            switch p[at + 1] {
            case 33:  // '<!'
                if at + 2 < end && p[at + 2] == 45 {
                    what = "a comment"
                } else if at + 2 < end && p[at + 2] == 91 {
                    what = "a CDATA section"
                } else {
                    what = "a <!DOCTYPE> declaration"
                }
            case 63: what = "a processing instruction"
            case 47: what = "the closing tag </\(quoted(p, at + 2, nameEnd(p, at + 2, end)))>"
            default: what = "the <\(quoted(p, at + 1, nameEnd(p, at + 1, end)))> tag"
            }
        }
        return limitError(p, at: at, .lineBytes, "\(what) is longer than")
    }

    /// End of the name starting at `s` (for messages; at most 40 bytes looked at).
    private func nameEnd(_ p: UnsafePointer<UInt8>, _ s: Int, _ end: Int) -> Int {
        var e = s
        while e < end && e < s + 40 && !isSpace(p[e]) && p[e] != 62 && p[e] != 47 { e += 1 }
        return e
    }

    /// Text of `p[s..<e]` for an error message, shortened. (Out of line: it is called from error paths only.)
    @inline(never)
    private func quoted(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> String {
        let n = max(min(e - s, 80), 0)
        let bytes = UnsafeBufferPointer(start: p + s, count: n)
        var text: String
        if bytes.contains(where: { $0 < 32 }) {
            // Control bytes (NULs from a binary or UTF-16 file, line breaks) would garble a one-line message.
            let hex = Array("0123456789ABCDEF".utf8)
            var shown: [UInt8] = []
            for b in bytes {
                if b < 32 { shown += [92, 120, hex[Int(b >> 4)], hex[Int(b & 15)]] } else { shown.append(b) }  // \xNN
            }
            text = String(decoding: shown, as: UTF8.self)
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        if e - s > n { text += "…" }
        return text
    }

    /// High bit set in each byte of `x` that is zero, exact up to the first zero byte (enough to find it).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The kind and length of the element name at the start of `w` (little-endian), for the names met on
    /// nearly every line; length 0 for any other name (the caller then also checks the byte after it).
    @inline(__always)
    private static func commonName(_ w: UInt64) -> (XESKind, Int) {
        switch UInt8(truncatingIfNeeded: w) {
        case 115: return w & 0xFFFF_FFFF_FFFF == 0x676E_6972_7473 ? (.string, 6) : (.other, 0)
        case 100: return w & 0xFFFF_FFFF == 0x6574_6164 ? (.date, 4) : (.other, 0)
        case 101: return w & 0xFF_FFFF_FFFF == 0x74_6E65_7665 ? (.event, 5) : (.other, 0)
        case 116: return w & 0xFF_FFFF_FFFF == 0x65_6361_7274 ? (.trace, 5) : (.other, 0)
        case 105:
            if w & 0xFF_FFFF == 0x74_6E69 { return (.int, 3) }
            return w & 0xFFFF == 0x6469 ? (.id, 2) : (.other, 0)
        case 102: return w & 0xFF_FFFF_FFFF == 0x74_616F_6C66 ? (.float, 5) : (.other, 0)
        case 98: return w & 0xFF_FFFF_FFFF_FFFF == 0x6E_6165_6C6F_6F62 ? (.boolean, 7) : (.other, 0)
        default: return (.other, 0)
        }
    }

    @inline(__always)
    private static func classify(_ p: UnsafePointer<UInt8>, _ n: Int) -> XESKind {
        switch n {
        case 6:
            if p[0] == 115 { return same(p, "string") ? .string : .other }
            if p[0] == 103 { return same(p, "global") ? .global : .other }
            return same(p, "values") ? .values : .other
        case 4:
            if p[0] == 100 { return same(p, "date") ? .date : .other }
            return same(p, "list") ? .list : .other
        case 5:
            if p[0] == 101 { return same(p, "event") ? .event : .other }
            if p[0] == 116 { return same(p, "trace") ? .trace : .other }
            return same(p, "float") ? .float : .other
        case 3:
            if p[0] == 105 { return same(p, "int") ? .int : .other }
            return same(p, "log") ? .log : .other
        case 7: return same(p, "boolean") ? .boolean : .other
        case 2: return same(p, "id") ? .id : .other
        case 9:
            if p[0] == 99 { return same(p, "container") ? .container : .other }
            return same(p, "extension") ? .extensionElement : .other
        case 10: return same(p, "classifier") ? .classifier : .other
        default: return .other
        }
    }

    /// Scans `p[from..<limit]`; returns where it stopped: `limit`, or the start of a construct that is not
    /// complete before `limit`.
    mutating func scan(
        _ p: UnsafePointer<UInt8>, from: Int, to limit: Int, onBatch: (EventBatch) throws -> Void
    ) throws -> Int {
        // A complete tag is measured as a whole against the smallest limit, one comparison per tag; only a tag
        // longer than that is taken apart (`checkTag`). Unfinished tokens are measured where the buffer ends them.
        // Complete constructs are measured too, so a long one is refused whether or not it spans reads.
        let maxName = limits.maxNameBytes
        let maxConstruct = limits.maxLineBytes
        let tagCheck = min(maxName, limits.maxFieldBytes, maxConstruct)
        var i = from
        while i < limit {
            let c = p[i]
            if c != 60 {  // not '<': text between tags, only white space is allowed
                if isSpace(c) {
                    i += 1
                    continue
                }
                throw error(p, at: i, "unexpected text '\(quoted(p, i, min(limit, i + 20)))'")
            }
            let lt = i
            guard i + 1 < limit else { return lt }
            let c1 = p[i + 1]
            if c1 == 47 {  // '</'
                var j = i + 2
                let nameStart = j
                while j < limit, !isSpace(p[j]), p[j] != 62 {
                    if p[j] == 60 { throw error(p, at: j, "expected '>' to end the closing tag") }
                    j += 1
                }
                let nameEnd = j
                while j < limit, isSpace(p[j]) { j += 1 }
                guard j < limit else {
                    if nameEnd - nameStart > maxName { throw nameTooLong(p, lt, nameStart, nameEnd) }
                    return lt
                }
                guard p[j] == 62 else { throw error(p, at: j, "expected '>' to end the closing tag") }
                if j + 1 - lt > tagCheck {
                    if nameEnd - nameStart > maxName { throw nameTooLong(p, lt, nameStart, nameEnd) }
                    if j + 1 - lt > maxConstruct { throw constructTooLong(p, at: lt, end: j + 1) }
                }
                try close(p, lt, nameStart, nameEnd, onBatch: onBatch)
                i = j + 1
                continue
            }
            if c1 == 63 {  // '<?' processing instruction (the XML declaration)
                var j = i + 2
                while true {
                    guard j + 1 < limit else { return lt }
                    if p[j] == 63 && p[j + 1] == 62 { break }
                    j += 1
                }
                if j + 2 - lt > maxConstruct { throw constructTooLong(p, at: lt, end: j + 2) }
                i = j + 2
                continue
            }
            if c1 == 33 {  // '<!'
                guard let next = try declaration(p, lt, limit) else { return lt }
                if next - lt > maxConstruct { throw constructTooLong(p, at: lt, end: next) }
                i = next
                continue
            }

            // An opening tag: its name, then attributes in any order; only key and value matter.
            var j = i + 1
            let nameStart = j
            var kind = XESKind.other
            var named = false
            if j + 8 <= limit {
                // The usual names, recognised from one 8-byte load.
                let (k, n) = Self.commonName(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                if n > 0 {
                    let t = p[j + n]
                    if isSpace(t) || t == 62 || t == 47 {
                        kind = k
                        j += n
                        named = true
                    }
                }
            }
            if !named {
                while j < limit {
                    let b = p[j]
                    if isSpace(b) || b == 62 || b == 47 { break }
                    if b == 60 || b == 34 || b == 39 || b == 61 || b < 32 {
                        throw error(p, at: j, "unexpected \(Self.shown(b)) in a tag name")
                    }
                    j += 1
                }
                guard j < limit else {
                    if j - nameStart > maxName { throw nameTooLong(p, lt, nameStart, j) }
                    return lt
                }
                if j == nameStart { throw error(p, at: lt, "'<' not followed by an element name") }
                kind = Self.classify(p + nameStart, j - nameStart)
            }
            let nameEnd = j
            var keyStart = -1
            var keyEnd = -1
            var valueStart = -1
            var valueEnd = -1
            var keySpecial = false
            var valueSpecial = false
            var selfClosing = false
            while true {
                while j < limit, isSpace(p[j]) { j += 1 }
                guard j < limit else { return lt }
                let b = p[j]
                if b == 62 {
                    j += 1
                    break
                }
                if b == 47 {
                    guard j + 1 < limit else { return lt }
                    guard p[j + 1] == 62 else { throw error(p, at: j, "expected '>' after '/'") }
                    selfClosing = true
                    j += 2
                    break
                }
                let attrStart = j
                // Which attribute: 1 key, 2 value, 0 another one.
                var which = 0
                if j + 8 <= limit && UnsafeRawPointer(p + j).loadUnaligned(as: UInt32.self) == 0x3D79_656B {  // key=
                    which = 1
                    j += 4
                } else if j + 8 <= limit && UnsafeRawPointer(p + j).loadUnaligned(as: UInt32.self) == 0x756C_6176
                    && p[j + 4] == 101 && p[j + 5] == 61
                {  // value=
                    which = 2
                    j += 6
                } else {
                    while j < limit {
                        let a = p[j]
                        if a == 61 || isSpace(a) || a == 62 || a == 47 || a == 60 || a == 34 || a == 39 { break }
                        j += 1
                    }
                    guard j < limit else {
                        if j - attrStart > maxName { throw attributeNameTooLong(p, nameStart, nameEnd, attrStart, j) }
                        return lt
                    }
                    let attrEnd = j
                    if attrEnd == attrStart { throw error(p, at: j, "expected an attribute name") }
                    while j < limit, isSpace(p[j]) { j += 1 }
                    guard j < limit else { return lt }
                    guard p[j] == 61 else {
                        throw error(p, at: j, "expected '=' after attribute '\(quoted(p, attrStart, attrEnd))'")
                    }
                    j += 1
                    let an = attrEnd - attrStart
                    if an == 3 && same(p + attrStart, "key") {
                        which = 1
                    } else if an == 5 && same(p + attrStart, "value") {
                        which = 2
                    }
                }
                while j < limit, isSpace(p[j]) { j += 1 }
                guard j < limit else { return lt }
                let quote = p[j]
                guard quote == 34 || quote == 39 else { throw error(p, at: j, "expected a quoted attribute value") }
                j += 1
                let vs = j
                var special = false
                // Up to the closing quote, 8 bytes at a time: stop at the quote, '&', '<' or a control byte.
                let q8 = UInt64(quote) &* 0x0101_0101_0101_0101
                while true {
                    while j + 8 <= limit {
                        let w = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
                        let hit =
                            Self.zeroBytes(w ^ q8) | Self.zeroBytes(w ^ 0x2626_2626_2626_2626)
                            | Self.zeroBytes(w ^ 0x3C3C_3C3C_3C3C_3C3C) | ((w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080)
                        if hit != 0 {
                            j += hit.trailingZeroBitCount >> 3
                            break
                        }
                        j += 8
                    }
                    guard j < limit else {
                        // Unfinished: refuse it now rather than buffer more of it.
                        if j - vs > (which == 1 ? maxName : limits.maxFieldBytes) {
                            throw valueTooLong(p, which, kind, nameStart, nameEnd, attrStart, vs, j, keyStart, keyEnd)
                        }
                        return lt
                    }
                    let v = p[j]
                    if v == quote { break }
                    if v == 38 || v < 32 {  // '&', or a tab/newline to normalise
                        special = true
                    } else if v == 60 {
                        throw error(p, at: j, "'<' in an attribute value")
                    }
                    j += 1
                }
                let ve = j
                j += 1
                if which == 1 {
                    keyStart = vs
                    keyEnd = ve
                    keySpecial = special
                } else if which == 2 {
                    valueStart = vs
                    valueEnd = ve
                    valueSpecial = special
                }
            }
            if j - lt > tagCheck { try checkTag(p, lt, j, kind) }
            i = j
            if kind.isAttribute {
                try attribute(
                    p, limit: limit, kind: kind, lt: lt, selfClosing: selfClosing, keyStart: keyStart, keyEnd: keyEnd,
                    keySpecial: keySpecial, valueStart: valueStart, valueEnd: valueEnd, valueSpecial: valueSpecial)
            } else {
                try element(p, kind: kind, lt: lt, nameStart: nameStart, nameEnd: nameEnd, selfClosing: selfClosing, onBatch: onBatch)
            }
        }
        return i
    }

    /// The slow path for a complete tag longer than the smallest limit: finds what in it is too long, in the
    /// order the scan meets it (the element name, each attribute's name and value, then the tag as a whole).
    /// The tag has been scanned already, so it is well-formed.
    @inline(never)
    private func checkTag(_ p: UnsafePointer<UInt8>, _ lt: Int, _ end: Int, _ kind: XESKind) throws {
        var j = lt + 1
        let nameStart = j
        while j < end, !isSpace(p[j]), p[j] != 62, p[j] != 47 { j += 1 }
        let nameEnd = j
        if nameEnd - nameStart > limits.maxNameBytes { throw nameTooLong(p, lt, nameStart, nameEnd) }
        var keyStart = -1
        var keyEnd = -1
        while true {
            while j < end, isSpace(p[j]) { j += 1 }
            guard j < end, p[j] != 62, p[j] != 47 else { break }
            let attrStart = j
            while j < end, p[j] != 61, !isSpace(p[j]) { j += 1 }
            let attrEnd = j
            if attrEnd - attrStart > limits.maxNameBytes { throw attributeNameTooLong(p, nameStart, nameEnd, attrStart, attrEnd) }
            while j < end, p[j] != 34, p[j] != 39 { j += 1 }
            guard j < end else { break }
            let quote = p[j]
            j += 1
            let vs = j
            while j < end, p[j] != quote { j += 1 }
            let ve = j
            j += 1
            let n = attrEnd - attrStart
            let which = n == 3 && same(p + attrStart, "key") ? 1 : n == 5 && same(p + attrStart, "value") ? 2 : 0
            if ve - vs > (which == 1 ? limits.maxNameBytes : limits.maxFieldBytes) {
                throw valueTooLong(p, which, kind, nameStart, nameEnd, attrStart, vs, ve, keyStart, keyEnd)
            }
            if which == 1 {
                keyStart = vs
                keyEnd = ve
            }
        }
        if end - lt > limits.maxLineBytes { throw constructTooLong(p, at: lt, end: end) }
    }

    @inline(never)
    private func attributeNameTooLong(
        _ p: UnsafePointer<UInt8>, _ nameStart: Int, _ nameEnd: Int, _ attrStart: Int, _ attrEnd: Int
    ) -> LogLimitError {
        limitError(
            p, at: attrStart, .nameBytes,
            "the name of an XML attribute of <\(quoted(p, nameStart, nameEnd))> ('\(quoted(p, attrStart, attrEnd))') is longer than")
    }

    @inline(never)
    private func nameTooLong(_ p: UnsafePointer<UInt8>, _ lt: Int, _ nameStart: Int, _ nameEnd: Int) -> LogLimitError {
        limitError(p, at: lt, .nameBytes, "the element name '\(quoted(p, nameStart, nameEnd))' is longer than")
    }

    /// The attribute value at `vs` (of a key when `which` is 1, of `value` when 2, else of the XML attribute
    /// at `attrStart`) is too long; names the attribute by its key when the key came first.
    @inline(never)
    private func valueTooLong(
        _ p: UnsafePointer<UInt8>, _ which: Int, _ kind: XESKind, _ nameStart: Int, _ nameEnd: Int, _ attrStart: Int,
        _ vs: Int, _ ve: Int, _ keyStart: Int, _ keyEnd: Int
    ) -> LogLimitError {
        let element = "<\(quoted(p, nameStart, nameEnd))>"
        switch which {
        case 1:
            return limitError(p, at: vs, .nameBytes, "the key of a \(element) attribute ('\(quoted(p, vs, ve))') is longer than")
        case 2 where kind.isAttribute:
            let named = keyStart >= 0 ? "attribute '\(quoted(p, keyStart, keyEnd))' (\(element))" : "a \(element) attribute"
            return limitError(p, at: vs, .fieldBytes, "the value of \(named) is longer than")
        default:
            var name = attrStart
            while name < vs && p[name] != 61 && !isSpace(p[name]) { name += 1 }
            return limitError(
                p, at: vs, .fieldBytes, "the value of '\(quoted(p, attrStart, name))' in \(element) is longer than")
        }
    }

    /// A byte for a message: the character when printable ASCII, else its hex value.
    static func shown(_ b: UInt8) -> String {
        if b >= 32 && b < 127 { return "'\(Character(Unicode.Scalar(b)))'" }
        let digits = Array("0123456789ABCDEF")
        return "byte 0x\(digits[Int(b >> 4)])\(digits[Int(b & 15)])"
    }

    /// `<!--…-->`, `<![CDATA[…]]>` (ignored), `<!DOCTYPE …>`; nil when it does not end before `limit`.
    private func declaration(_ p: UnsafePointer<UInt8>, _ lt: Int, _ limit: Int) throws -> Int? {
        @inline(__always) func find(_ from: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
            var j = from
            while j + 2 < limit {
                if p[j] == a && p[j + 1] == b && p[j + 2] == c { return j + 3 }
                j += 1
            }
            return nil
        }
        guard lt + 3 < limit else { return nil }
        if p[lt + 2] == 45 {  // '<!-'
            guard p[lt + 3] == 45 else { throw error(p, at: lt, "malformed comment") }
            return find(lt + 4, 45, 45, 62)
        }
        if p[lt + 2] == 91 {  // '<!['
            guard lt + 9 <= limit else { return nil }
            guard same(p + lt, "<![CDATA[") else { throw error(p, at: lt, "malformed CDATA section") }
            return find(lt + 9, 93, 93, 62)
        }
        guard lt + 9 <= limit else { return nil }
        guard same(p + lt, "<!DOCTYPE") else { throw error(p, at: lt, "unknown declaration") }
        var j = lt + 9
        var depth = 0
        var quote: UInt8 = 0
        while j < limit {
            let b = p[j]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == 34 || b == 39 {
                quote = b
            } else if b == 91 {
                depth += 1
            } else if b == 93 {
                depth -= 1
            } else if b == 62 && depth <= 0 {
                return j + 1
            }
            j += 1
        }
        return nil
    }

    /// An opening tag other than an attribute.
    private mutating func element(
        _ p: UnsafePointer<UInt8>, kind: XESKind, lt: Int, nameStart: Int, nameEnd: Int, selfClosing: Bool,
        onBatch: (EventBatch) throws -> Void
    ) throws {
        let context = stack.last
        if skipDepth > 0 {
            switch context {
            case .extensionElement?, .classifier?, .other?:
                break  // anything goes inside these
            case .list?:
                guard kind == .values else { throw misplaced(p, kind, lt, nameStart, nameEnd, inside: context) }
            default:
                throw misplaced(p, kind, lt, nameStart, nameEnd, inside: context)
            }
            if !selfClosing { try push(kind, p, lt, nameStart, nameEnd, skip: true) }
            return
        }
        switch (context, kind) {
        case (nil, .log):
            guard !sawLog else { throw error(p, at: lt, "a second <log> element") }
            sawLog = true
            if selfClosing { logClosed = true } else { try open(.log, p, lt, nameStart, nameEnd) }
        case (nil, _):
            if logClosed { throw error(p, at: lt, "content after </log>") }
            throw error(p, at: lt, "expected <log> but found <\(quoted(p, nameStart, nameEnd))>")
        case (.log?, .trace):
            traceNumber += 1
            traceEvents = 0
            if !selfClosing { try open(.trace, p, lt, nameStart, nameEnd) }
            builder.startTrace()
            if selfClosing { try endTrace(onBatch) }
        case (.log?, .extensionElement), (.log?, .classifier), (.log?, .global):
            if !selfClosing { try push(kind, p, lt, nameStart, nameEnd, skip: true) }
        case (.trace?, .event):
            traceEvents += 1
            if traceEvents > limits.maxTraceEvents { throw tooManyEvents(p, lt) }
            if !selfClosing { try open(.event, p, lt, nameStart, nameEnd) }
            builder.startEvent()
        default:
            throw misplaced(p, kind, lt, nameStart, nameEnd, inside: context)
        }
    }

    private func misplaced(
        _ p: UnsafePointer<UInt8>, _ kind: XESKind, _ lt: Int, _ nameStart: Int, _ nameEnd: Int, inside: XESKind?
    ) -> LogReadError {
        if kind == .other {
            return error(p, at: lt, "unknown attribute type '\(quoted(p, nameStart, nameEnd))'")
        }
        return error(p, at: lt, "unexpected <\(kind.name)> inside <\(inside?.name ?? "document")>")
    }

    /// Opens a log, trace or event; the stack is bounded by `maxDepth`.
    @inline(__always)
    private mutating func open(_ kind: XESKind, _ p: UnsafePointer<UInt8>, _ lt: Int, _ nameStart: Int, _ nameEnd: Int) throws {
        if stack.count >= limits.maxDepth { throw tooDeep(p, lt, nameStart, nameEnd) }
        stack.append(kind)
    }

    @inline(never)
    private func tooDeep(_ p: UnsafePointer<UInt8>, _ lt: Int, _ nameStart: Int, _ nameEnd: Int) -> LogLimitError {
        limitError(p, at: lt, .depth, "<\(quoted(p, nameStart, nameEnd))> is nested deeper than")
    }

    @inline(never)
    private func tooManyEvents(_ p: UnsafePointer<UInt8>, _ lt: Int) -> LogLimitError {
        limitError(p, at: lt, .traceEvents, "trace \(traceNumber) (counting from 1) has more events than")
    }

    /// Opens any other element; the stack (and the names of unknown elements on it) is bounded by `maxDepth`.
    @inline(__always)
    private mutating func push(
        _ kind: XESKind, _ p: UnsafePointer<UInt8>, _ lt: Int, _ nameStart: Int, _ nameEnd: Int, skip: Bool
    ) throws {
        if stack.count >= limits.maxDepth { throw tooDeep(p, lt, nameStart, nameEnd) }
        stack.append(kind)
        if kind == .other { otherNames.append(Array(UnsafeBufferPointer(start: p + nameStart, count: nameEnd - nameStart))) }
        if skip { skipDepth += 1 }
    }

    private mutating func close(
        _ p: UnsafePointer<UInt8>, _ lt: Int, _ nameStart: Int, _ nameEnd: Int, onBatch: (EventBatch) throws -> Void
    ) throws {
        let kind = Self.classify(p + nameStart, nameEnd - nameStart)
        guard let top = stack.last else {
            throw error(p, at: lt, "unexpected closing tag </\(quoted(p, nameStart, nameEnd))>")
        }
        var matches = kind == top
        if matches && top == .other {
            let name = UnsafeBufferPointer(start: p + nameStart, count: nameEnd - nameStart)
            matches = otherNames.last.map { $0.elementsEqual(name) } ?? false
        }
        guard matches else {
            throw error(
                p, at: lt, "mismatched closing tag </\(quoted(p, nameStart, nameEnd))>, expected </\(openElementName)>")
        }
        stack.removeLast()
        if top == .other { otherNames.removeLast() }
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        switch top {
        case .trace: try endTrace(onBatch)
        case .log: logClosed = true
        default: break
        }
    }

    private mutating func endTrace(_ onBatch: (EventBatch) throws -> Void) throws {
        let n = traceNumber
        builder.endTrace(fallbackName: { "trace \(n)" })
        if builder.isBatchFull { try onBatch(builder.takeBatch()) }
    }

    /// An attribute element (`string`, `date`, …): checked, then stored according to where it is.
    @inline(__always)
    private mutating func attribute(
        _ p: UnsafePointer<UInt8>, limit: Int, kind: XESKind, lt: Int, selfClosing: Bool, keyStart: Int, keyEnd: Int,
        keySpecial: Bool, valueStart: Int, valueEnd: Int, valueSpecial: Bool
    ) throws {
        // Inside skipped content (meta-attributes, list items, globals) every attribute type is allowed:
        // the skipped element on top of the stack is an attribute, <values>, <global>, or unknown content.
        let context = stack.last
        let skipped = skipDepth > 0
        // Skipped meta-attributes may lack a key (bpic2012.xes has `<float value="3.052"/>` nested in one).
        guard keyStart >= 0 || skipped else { throw error(p, at: lt, "<\(kind.name)> without a key") }
        guard valueStart >= 0 || !kind.hasValue || skipped else {
            throw error(p, at: lt, "<\(kind.name) key=\"\(quoted(p, keyStart, keyEnd))\"> without a value")
        }
        if !selfClosing { try push(kind, p, lt, lt + 1, lt + 1 + kind.name.utf8.count, skip: true) }
        // The value's bytes, decoded when they hold entities.
        var vp = p + max(valueStart, 0)
        var vn = max(valueEnd - valueStart, 0)
        if valueSpecial {
            vn = try decode(p, valueStart, valueEnd)
            vp = UnsafePointer(scratch)
        }
        switch valueStart < 0 ? .string : kind {
        case .int:
            guard Self.isInt(vp, vn) else { throw error(p, at: valueStart, "invalid int value '\(quoted(p, valueStart, valueEnd))'") }
        case .float:
            guard Self.isFloat(vp, vn) else { throw error(p, at: valueStart, "invalid float value '\(quoted(p, valueStart, valueEnd))'") }
        case .boolean:
            guard Self.isBoolean(vp, vn) else { throw error(p, at: valueStart, "invalid boolean value '\(quoted(p, valueStart, valueEnd))'") }
        default: break
        }
        if skipped { return }
        guard let context else { throw error(p, at: lt, "attribute <\(kind.name)> outside <log>") }
        if kind == .list || kind == .container { return }  // no value of their own; their items are skipped

        let keyID: UInt32
        if keySpecial {
            let n = try decode(p, keyStart, keyEnd)
            keyID = keys.intern(UnsafeRawBufferPointer(start: scratch, count: n))
            try checkKeyCount(keyID, p, keyStart, keyEnd)
            if valueSpecial {
                vn = try decode(p, valueStart, valueEnd)  // the key's decoding reused the scratch space
            }
        } else if let short = ShortBytes(p, keyStart, keyEnd, limit: limit) {
            let slot = short.slot & (keyMemo.count - 1)
            if keyMemo[slot].bytes == short {
                keyID = keyMemo[slot].id
            } else {
                keyID = keys.intern(UnsafeRawBufferPointer(start: p + keyStart, count: keyEnd - keyStart))
                try checkKeyCount(keyID, p, keyStart, keyEnd)
                keyMemo[slot] = ShortMemo(bytes: short, id: keyID)
            }
        } else {
            keyID = keys.intern(UnsafeRawBufferPointer(start: p + keyStart, count: keyEnd - keyStart))
            try checkKeyCount(keyID, p, keyStart, keyEnd)
        }
        let value = UnsafeRawBufferPointer(start: vp, count: vn)
        /// The value's id: from the per-key memo when it repeats the key's last short value.
        @inline(__always) func valueID(_ this: inout XESScanner) -> UInt32 {
            guard !valueSpecial, let short = ShortBytes(p, valueStart, valueEnd, limit: limit) else {
                return this.builder.interner.intern(value)
            }
            let k = Int(keyID)
            if k >= this.valueMemo.count {
                this.valueMemo.append(contentsOf: repeatElement(ShortMemo(), count: k + 1 - this.valueMemo.count))
            }
            if this.valueMemo[k].bytes == short { return this.valueMemo[k].id }
            let id = this.builder.interner.intern(value)
            this.valueMemo[k] = ShortMemo(bytes: short, id: id)
            return id
        }
        switch context {
        case .event:
            if keyID == conceptName {
                builder.setActivity(valueID(&self))
            } else if keyID == timeTimestamp && kind == .date {
                guard let t = Self.parseTime(vp, vn, defaultOffset) else {
                    throw error(p, at: valueStart, "bad timestamp '\(quoted(p, valueStart, valueEnd))'")
                }
                builder.setTime(t.millis)
                if let offset = t.offsetSeconds { builder.noteOffset(offset) }
            } else {
                let slot = eventSlot(keyID)
                if slot >= 0 { builder.setEventAttribute(slot: Int(slot), valueID(&self)) }
            }
        case .trace:
            if keyID == conceptName {
                builder.setTraceName(builder.interner.intern(value))
            } else if keepsTraceKey(keyID) {
                builder.setTraceAttribute(keyString(keyID), valueID(&self))
            }
        case .log:
            builder.setLogAttribute(keyString(keyID), String(decoding: UnsafeBufferPointer(start: vp, count: vn), as: UTF8.self))
        default:
            throw error(p, at: lt, "unexpected <\(kind.name)> inside <\(context.name)>")
        }
    }

    /// Keys are counted where they are interned (a key met again through the memo was counted then).
    @inline(__always)
    private func checkKeyCount(_ keyID: UInt32, _ p: UnsafePointer<UInt8>, _ keyStart: Int, _ keyEnd: Int) throws {
        if Int(keyID) > maxKeyID { throw tooManyKeys(p, keyStart, keyEnd) }
    }

    @inline(never)
    private func tooManyKeys(_ p: UnsafePointer<UInt8>, _ keyStart: Int, _ keyEnd: Int) -> LogLimitError {
        limitError(p, at: keyStart, .columns, "the key '\(quoted(p, keyStart, keyEnd))' makes more distinct attribute keys than")
    }

    @inline(__always)
    private static func parseTime(_ vp: UnsafePointer<UInt8>, _ vn: Int, _ offset: Int32) -> Timestamp.Parsed? {
        var s = 0
        var e = vn
        while s < e, isSpace(vp[s]) { s += 1 }
        while e > s, isSpace(vp[e - 1]) { e -= 1 }
        return Timestamp.parseISO8601(UnsafeRawBufferPointer(start: vp + s, count: e - s), defaultOffsetSeconds: offset)
    }

    @inline(__always)
    private mutating func eventSlot(_ keyID: UInt32) -> Int32 {
        let k = Int(keyID)
        if k < eventSlots.count {
            let cached = eventSlots[k]
            if cached != -2 { return cached }
        } else {
            eventSlots.append(contentsOf: repeatElement(-2, count: k + 1 - eventSlots.count))
        }
        let slot = builder.eventSlot(forKey: keyString(keyID)).map { Int32($0) } ?? -1
        eventSlots[k] = slot
        return slot
    }

    private mutating func keepsTraceKey(_ keyID: UInt32) -> Bool {
        let k = Int(keyID)
        if k >= traceKeep.count { traceKeep.append(contentsOf: repeatElement(-1, count: k + 1 - traceKeep.count)) }
        if traceKeep[k] < 0 { traceKeep[k] = builder.keepsTraceKey(keyString(keyID)) ? 1 : 0 }
        return traceKeep[k] == 1
    }

    private mutating func keyString(_ keyID: UInt32) -> String {
        let k = Int(keyID)
        if k >= keyStrings.count { keyStrings.append(contentsOf: repeatElement(nil, count: k + 1 - keyStrings.count)) }
        if let s = keyStrings[k] { return s }
        let s = keys.string(keyID)
        keyStrings[k] = s
        return s
    }

    /// Decodes entities and normalises white space (XML attribute-value normalisation) of `p[s..<e]` into
    /// the scratch space; returns the length.
    private mutating func decode(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) throws -> Int {
        let n = e - s
        if n > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(n, scratchCapacity * 2)
            scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
        }
        let out = scratch
        var o = 0
        var k = s
        while k < e {
            let b = p[k]
            if b == 9 || b == 10 {
                out[o] = 32
                o += 1
                k += 1
                continue
            }
            if b == 13 {
                out[o] = 32
                o += 1
                k += 1
                if k < e && p[k] == 10 { k += 1 }
                continue
            }
            if b != 38 {
                // XML allows no other control characters; a NUL here is usually a UTF-16 file or a corrupt one.
                if b < 32 { throw error(p, at: k, "control character \(Self.shown(b)) in an attribute value (not allowed in XML)") }
                out[o] = b
                o += 1
                k += 1
                continue
            }
            var semi = k + 1
            while semi < e && semi < k + 12 && p[semi] != 59 { semi += 1 }
            guard semi < e, p[semi] == 59 else { throw error(p, at: k, "unterminated entity reference") }
            let name = p + k + 1
            let len = semi - k - 1
            var scalar: UInt32 = 0
            if len == 3 && same(name, "amp") {
                scalar = 38
            } else if len == 2 && same(name, "lt") {
                scalar = 60
            } else if len == 2 && same(name, "gt") {
                scalar = 62
            } else if len == 4 && same(name, "quot") {
                scalar = 34
            } else if len == 4 && same(name, "apos") {
                scalar = 39
            } else if len >= 2 && name[0] == 35 {  // '#'
                var v: UInt32 = 0
                var digits = 0
                if name[1] == 120 || name[1] == 88 {  // x
                    var q = 2
                    while q < len {
                        let d = name[q]
                        let h: UInt32
                        switch d {
                        case 48...57: h = UInt32(d - 48)
                        case 97...102: h = UInt32(d - 87)
                        case 65...70: h = UInt32(d - 55)
                        default: throw error(p, at: k, "bad character reference '\(quoted(p, k, semi + 1))'")
                        }
                        v = v &* 16 &+ h
                        digits += 1
                        q += 1
                    }
                } else {
                    var q = 1
                    while q < len {
                        let d = name[q]
                        guard d >= 48 && d <= 57 else { throw error(p, at: k, "bad character reference '\(quoted(p, k, semi + 1))'") }
                        v = v &* 10 &+ UInt32(d - 48)
                        digits += 1
                        q += 1
                    }
                }
                guard digits > 0, digits <= 8, v >= 32 || v == 9 || v == 10 || v == 13, v <= 0x10FFFF,
                    !(0xD800...0xDFFF).contains(v), v != 0xFFFE, v != 0xFFFF
                else {
                    throw error(p, at: k, "bad character reference '\(quoted(p, k, semi + 1))'")
                }
                scalar = v
            } else {
                throw error(p, at: k, "unknown entity '\(quoted(p, k, semi + 1))'")
            }
            // UTF-8 encode (never longer than the reference it replaces).
            if scalar < 0x80 {
                out[o] = UInt8(scalar)
                o += 1
            } else if scalar < 0x800 {
                out[o] = UInt8(0xC0 | (scalar >> 6))
                out[o + 1] = UInt8(0x80 | (scalar & 0x3F))
                o += 2
            } else if scalar < 0x10000 {
                out[o] = UInt8(0xE0 | (scalar >> 12))
                out[o + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                out[o + 2] = UInt8(0x80 | (scalar & 0x3F))
                o += 3
            } else {
                out[o] = UInt8(0xF0 | (scalar >> 18))
                out[o + 1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
                out[o + 2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                out[o + 3] = UInt8(0x80 | (scalar & 0x3F))
                o += 4
            }
            k = semi + 1
        }
        return o
    }

    // MARK: literals (xs:long, xs:double, xs:boolean; surrounding white space allowed)

    @inline(__always)
    private static func trimmed(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int) {
        var s = 0
        var e = n
        while s < e, isSpace(p[s]) { s += 1 }
        while e > s, isSpace(p[e - 1]) { e -= 1 }
        return (s, e)
    }

    static func isInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var (i, e) = trimmed(p, n)
        if i < e && (p[i] == 43 || p[i] == 45) { i += 1 }
        guard i < e else { return false }
        while i < e {
            guard p[i] >= 48 && p[i] <= 57 else { return false }
            i += 1
        }
        return true
    }

    static func isFloat(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var (i, e) = trimmed(p, n)
        if i < e && (p[i] == 43 || p[i] == 45) { i += 1 }
        if i < e && (p[i] == 78 || p[i] == 73) {  // NaN, INF, Infinity (xs:double and Java spellings)
            let word = UnsafeBufferPointer(start: p + i, count: e - i)
            return word.elementsEqual("INF".utf8) || word.elementsEqual("Infinity".utf8)
                || (word.elementsEqual("NaN".utf8) && i == trimmed(p, n).0)
        }
        var digits = 0
        while i < e && p[i] >= 48 && p[i] <= 57 {
            i += 1
            digits += 1
        }
        if i < e && p[i] == 46 {
            i += 1
            while i < e && p[i] >= 48 && p[i] <= 57 {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return false }
        if i < e && (p[i] == 101 || p[i] == 69) {
            i += 1
            if i < e && (p[i] == 43 || p[i] == 45) { i += 1 }
            var exponent = 0
            while i < e && p[i] >= 48 && p[i] <= 57 {
                i += 1
                exponent += 1
            }
            guard exponent > 0 else { return false }
        }
        return i == e
    }

    static func isBoolean(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let (s, e) = trimmed(p, n)
        let len = e - s
        if len == 1 { return p[s] == 48 || p[s] == 49 }
        var lower: UInt64 = 0
        guard len == 4 || len == 5 else { return false }
        for k in 0..<len { lower |= UInt64(p[s + k] | 0x20) << (8 * UInt64(k)) }
        return lower == 0x6575_7274 || lower == 0x65_736C_6166  // "true", "false"
    }
}
