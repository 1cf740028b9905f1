/// A run of complete traces in columnar form (struct of arrays), as a reader hands them on.
///
/// Values are interned ids (`StringInterner`); id 0 means absent. Ids are global to one read: a batch
/// carries only the strings first seen in it (`newStrings`), so a consumer on another thread keeps its own
/// table by appending them (`StringTable.absorb`) and no table is shared while the reader runs.
/// Events of a trace are in time order (sorted stably by the reader; events without a time keep their place).
public struct EventBatch: Sendable {
    /// Id of `newStrings[0]`.
    public var firstNewString: UInt32 = 0
    public var newStrings: [String] = []
    /// Per trace: the case identifier (`concept:name` of the trace, or the CSV case column).
    public var caseName: [UInt32] = []
    /// Trace `t` holds events `traceStart[t] ..< traceStart[t + 1]`; `traceStart.count == traces + 1`.
    public var traceStart: [Int] = [0]
    /// Per event: milliseconds since 1970-01-01T00:00:00Z, or `EventBatch.noTime`.
    public var time: [Int64] = []
    /// Per event: the activity (`concept:name` of the event, or the CSV activity column).
    public var activity: [UInt32] = []
    /// Other event attributes by key; every column has one value per event (0 where absent).
    public var eventColumns: [String: [UInt32]] = [:]
    /// Trace attributes by key; one value per trace.
    public var traceColumns: [String: [UInt32]] = [:]

    public static let noTime = Int64.min

    public init() {}

    public var traceCount: Int { caseName.count }
    public var eventCount: Int { time.count }
    public func events(ofTrace t: Int) -> Range<Int> { traceStart[t]..<traceStart[t + 1] }
}

/// All strings of one read, rebuilt on the consumer's side from the batches. Kept as UTF-8 in one arena (a
/// `String` is made only when asked for): a national log has ten million case names.
public struct StringTable: Sendable {
    private var arena: [UInt8] = []
    private var ends: [Int] = [0]  // string i is arena[ends[i] ..< ends[i + 1]]; id 0 is ""

    public init() {
        ends.append(0)
    }

    public mutating func absorb(_ batch: EventBatch) {
        precondition(Int(batch.firstNewString) == count || batch.newStrings.isEmpty, "batches out of order")
        for s in batch.newStrings {
            arena.append(contentsOf: s.utf8)
            ends.append(arena.count)
        }
    }

    public subscript(id: UInt32) -> String {
        let i = Int(id)
        return arena[ends[i]..<ends[i + 1]].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    public var count: Int { ends.count - 1 }

    /// Every string, in id order (tests and small logs).
    public var strings: [String] { (0..<count).map { self[UInt32($0)] } }
}

/// What a reader learned about the whole input besides its events.
public struct LogInfo: Sendable {
    /// Every event attribute key met (kept or not), and every trace attribute key.
    public var eventKeys: Set<String> = []
    public var traceKeys: Set<String> = []
    /// Top-level `<log>` attributes (XES) as text.
    public var logAttributes: [String: String] = [:]
    /// Offset of the first timestamp that carried one, used for local dates; nil when none did.
    public var firstUTCOffsetSeconds: Int32?
    /// Uncompressed bytes read.
    public var bytes: Int64 = 0
    public var traces: Int = 0
    public var events: Int = 0
    /// The largest read buffer the reader held (bytes): it grows only for a record or tag larger than its
    /// usual size, up to about `EventLogLimits.maxLineBytes`, so this shows whether the limit held.
    public var readBufferBytes: Int = 0

    public init() {}
}

/// How to read a log.
public struct LogReadOptions: Sendable {
    /// Event attributes to keep as columns; nil keeps every one. Keys are still recorded in `LogInfo`.
    public var eventKeys: Set<String>?
    /// Trace attributes to keep; nil keeps every one.
    public var traceKeys: Set<String>?
    /// A batch is handed on once it holds at least this many events (always at a trace boundary).
    public var batchEvents: Int
    /// Offset applied to timestamps written without one.
    public var defaultUTCOffsetSeconds: Int32
    /// Name used in error messages (the file name, or "stdin").
    public var sourceName: String
    /// What one read may hold at once (hostile or broken input stops with a `LogLimitError`).
    public var limits: EventLogLimits

    public init(
        eventKeys: Set<String>? = nil, traceKeys: Set<String>? = nil, batchEvents: Int = 1 << 16,
        defaultUTCOffsetSeconds: Int32 = 7 * 3600, sourceName: String = "log", limits: EventLogLimits = EventLogLimits()
    ) {
        self.eventKeys = eventKeys
        self.traceKeys = traceKeys
        self.batchEvents = batchEvents
        self.defaultUTCOffsetSeconds = defaultUTCOffsetSeconds
        self.sourceName = sourceName
        self.limits = limits
    }
}

/// Malformed input, with where it was found. `line` and `column` are 1-based; column counts bytes.
public struct LogReadError: Error, CustomStringConvertible, Equatable, Sendable {
    public var source: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(source: String, line: Int, column: Int, message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(source):\(line):\(column): \(message)" }
}
