/// Caps on what one read of an event log may hold at once.
///
/// The readers stream, but a few things must be held whole: the token being scanned (a CSV record, an XES
/// tag), the open XES elements, the attribute keys, and the events of the trace being built. Input decides
/// their size, and a small compressed file can decide a lot: 4 MB of gzip inflates to a 4 GiB attribute
/// value. Without caps such input makes the reader allocate until the process dies; with them it stops with
/// a `LogLimitError` naming the place, the limit and the option that raises it. Every size is counted in
/// bytes as written in the input (entities and doubled quotes are not decoded first), so a reader can refuse
/// a token before it has buffered it.
///
/// The defaults are far above anything in the published logs in `shared/data/eventlogs` (largest attribute
/// value 386 bytes, largest tag 5 940 bytes, largest attribute key 5 917 bytes, depth 4, 168 distinct
/// trace keys, 175 events in a trace) and low enough to bound what input can make a reader hold: a read
/// buffer of at most `maxLineBytes` (+1), open element names of at most `maxDepth` × `maxNameBytes`, keys of
/// at most `maxColumns` × `maxNameBytes`, and a trace of at most `maxTraceEvents` × (12 + 4 × kept
/// columns) bytes — the kept columns being the few an analysis asks for (`LogReadOptions.eventKeys`); a
/// caller that keeps every attribute multiplies by up to `maxColumns`.
/// What stays unbounded on purpose: the distinct values (case names, resources: a national log has ten
/// million of them) and, in CSV whole-input mode, the rows themselves (that mode exists to group rows that
/// arrive out of order; `--grouped` streams).
public struct EventLogLimits: Sendable, Equatable {
    /// CSV: one field (the enclosing quotes of a quoted field not counted). XES: one attribute value.
    public var maxFieldBytes: Int
    /// CSV: one record, from its first byte to its line break (line breaks inside quoted fields included).
    /// XES: one piece of markup — a tag with all its attributes, a comment, a CDATA section, a processing
    /// instruction or the DOCTYPE. (Not a physical line: a whole XES file on one line is fine.)
    public var maxLineBytes: Int
    /// XES: element names, XML attribute names and attribute keys. CSV: header names.
    public var maxNameBytes: Int
    /// XES: elements open at once (log, trace, event, nested attributes, lists…).
    public var maxDepth: Int
    /// CSV: columns in the header. XES: distinct attribute keys of the log, its traces and events (meta-attributes
    /// and list items are skipped, so their keys are not counted).
    public var maxColumns: Int
    /// Events in one trace, which is held whole until it ends (XES `<trace>`, a CSV case).
    public var maxTraceEvents: Int

    public init(
        maxFieldBytes: Int = 1 << 20, maxLineBytes: Int = 16 << 20, maxNameBytes: Int = 16 << 10, maxDepth: Int = 256,
        maxColumns: Int = 4096, maxTraceEvents: Int = 1 << 20
    ) {
        self.maxFieldBytes = maxFieldBytes
        self.maxLineBytes = maxLineBytes
        self.maxNameBytes = maxNameBytes
        self.maxDepth = maxDepth
        self.maxColumns = maxColumns
        self.maxTraceEvents = maxTraceEvents
    }

    /// One of the limits, for errors and for the command line.
    public enum Kind: String, Sendable, CaseIterable {
        case fieldBytes, lineBytes, nameBytes, depth, columns, traceEvents

        /// The `buckstop analyze` / `buckstop bench parse` option that sets it.
        public var option: String {
            switch self {
            case .fieldBytes: return "--max-field-bytes"
            case .lineBytes: return "--max-line-bytes"
            case .nameBytes: return "--max-name-bytes"
            case .depth: return "--max-depth"
            case .columns: return "--max-columns"
            case .traceEvents: return "--max-trace-events"
            }
        }

        var isBytes: Bool { self == .fieldBytes || self == .lineBytes || self == .nameBytes }
    }

    public subscript(kind: Kind) -> Int {
        get {
            switch kind {
            case .fieldBytes: return maxFieldBytes
            case .lineBytes: return maxLineBytes
            case .nameBytes: return maxNameBytes
            case .depth: return maxDepth
            case .columns: return maxColumns
            case .traceEvents: return maxTraceEvents
            }
        }
        set {
            switch kind {
            case .fieldBytes: maxFieldBytes = newValue
            case .lineBytes: maxLineBytes = newValue
            case .nameBytes: maxNameBytes = newValue
            case .depth: maxDepth = newValue
            case .columns: maxColumns = newValue
            case .traceEvents: maxTraceEvents = newValue
            }
        }
    }
}

/// Input that goes past one of the `EventLogLimits`: where (1-based line; column as the reader's
/// `LogReadError`s count it — a byte column for XES, a field number for CSV), which limit, and what broke it.
public struct LogLimitError: Error, CustomStringConvertible, Equatable, Sendable {
    public var source: String
    public var line: Int
    public var column: Int
    public var limit: EventLogLimits.Kind
    /// The limit's value during the read.
    public var maximum: Int
    /// The whole message, e.g. "line 3, column 2 (activity): the field is longer than the limit of 1 048 576
    /// bytes (1 MiB); raise it with --max-field-bytes".
    public var message: String

    public init(source: String, line: Int, column: Int, limit: EventLogLimits.Kind, maximum: Int, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.limit = limit
        self.maximum = maximum
        self.message = message
    }

    /// `what` says what broke the limit and how ("the field is longer than"); the rest is added here.
    init(source: String, line: Int, column: Int, limit: EventLogLimits.Kind, maximum: Int, prefix: String, what: String) {
        let amount = limit.isBytes ? "\(Self.grouped(maximum)) bytes\(Self.binary(maximum))" : Self.grouped(maximum)
        self.init(
            source: source, line: line, column: column, limit: limit, maximum: maximum,
            message: "\(prefix)\(what) the limit of \(amount); raise it with \(limit.option)")
    }

    public var description: String { "\(source):\(line):\(column): \(message)" }

    /// 1048576 as "1 048 576": limits are read by people deciding whether to raise them.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = n < 0 ? "-" : ""
        for (k, d) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += " " }
            out.append(d)
        }
        return out
    }

    /// " (1 MiB)" when the size is a whole number of KiB, MiB or GiB.
    static func binary(_ n: Int) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where n >= 1 << shift && n % (1 << shift) == 0 {
            return " (\(n >> shift) \(unit))"
        }
        return ""
    }
}
