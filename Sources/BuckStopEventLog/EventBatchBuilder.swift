/// Collects events trace by trace into `EventBatch`es for the readers: interning, padding absent
/// attributes, and sorting each finished trace stably by time.
public struct EventBatchBuilder {
    public var interner = StringInterner()
    public let options: LogReadOptions
    public private(set) var info = LogInfo()

    private var batch = EventBatch()
    private var traceOpen = false
    private var traceName: UInt32 = 0
    /// The open trace's attributes, by trace column slot.
    private var traceAttributes: [(Int, UInt32)] = []
    /// Per trace column slot, where the open trace's value for it sits in `traceAttributes` (-1: none yet), so
    /// a key repeated within one trace replaces its value instead of piling up: a trace repeating one
    /// attribute 10^8 times is a few kilobytes of gzip.
    private var traceAttributeIndex: [Int] = []
    /// Trace columns by slot, and slot by key; padded lazily like the event columns. A batch carries the
    /// trace columns that have a value in one of its traces.
    private var traceColumnKeys: [String] = []
    private var traceColumns: [[UInt32]] = []
    private var traceSlotByKey: [String: Int] = [:]
    /// Event columns by slot, and slot by key. A column is padded lazily: it may be shorter than the events
    /// (the missing tail is absent, 0) until a value is set past its end, a trace is sorted, or the batch is
    /// taken — so starting an event costs the same however many columns there are.
    private var columnKeys: [String] = []
    private var columns: [[UInt32]] = []
    private var slotByKey: [String: Int] = [:]
    private var traceEventStart = 0

    public init(options: LogReadOptions) {
        self.options = options
    }

    /// Events buffered in complete traces, ready to be taken.
    public var bufferedEvents: Int { batch.time.count }
    /// Complete traces buffered so far, ready to be taken.
    public var bufferedTraces: Int { batch.caseName.count }
    public var isBatchFull: Bool { !traceOpen && batch.time.count >= options.batchEvents }

    /// Records the size of the reader's buffer (`LogInfo.readBufferBytes` keeps the largest).
    public mutating func noteReadBuffer(_ bytes: Int) { info.readBufferBytes = max(info.readBufferBytes, bytes) }

    /// The column slot for an event attribute key, or nil when the options do not keep it.
    /// Records the key as seen. Readers cache the answer per key id.
    public mutating func eventSlot(forKey key: String) -> Int? {
        info.eventKeys.insert(key)
        if let slot = slotByKey[key] { return slot }
        if let keep = options.eventKeys, !keep.contains(key) { return nil }
        let slot = columns.count
        columnKeys.append(key)
        columns.append([])
        slotByKey[key] = slot
        return slot
    }

    /// Whether a trace attribute key is kept (and records it as seen).
    public mutating func keepsTraceKey(_ key: String) -> Bool {
        info.traceKeys.insert(key)
        return options.traceKeys?.contains(key) ?? true
    }

    public mutating func noteOffset(_ seconds: Int32) {
        if info.firstUTCOffsetSeconds == nil { info.firstUTCOffsetSeconds = seconds }
    }

    public mutating func addBytes(_ n: Int) { info.bytes += Int64(n) }

    /// A log-level attribute (XES: an attribute directly under `<log>`), kept as text; the last one of a key wins.
    public mutating func setLogAttribute(_ key: String, _ value: String) { info.logAttributes[key] = value }

    public mutating func startTrace() {
        traceOpen = true
        traceName = 0
        for (slot, _) in traceAttributes { traceAttributeIndex[slot] = -1 }
        traceAttributes.removeAll(keepingCapacity: true)
        traceEventStart = batch.time.count
    }

    public mutating func setTraceName(_ id: UInt32) { traceName = id }

    public mutating func setTraceAttribute(_ key: String, _ value: UInt32) {
        let slot: Int
        if let known = traceSlotByKey[key] {
            slot = known
        } else {
            slot = traceColumns.count
            traceColumnKeys.append(key)
            traceColumns.append([])
            traceSlotByKey[key] = slot
            traceAttributeIndex.append(-1)
        }
        let at = traceAttributeIndex[slot]
        if at >= 0 {
            traceAttributes[at].1 = value  // the same key twice in one trace: the last wins
        } else {
            traceAttributeIndex[slot] = traceAttributes.count
            traceAttributes.append((slot, value))
        }
    }

    /// Starts an event with no time, no activity and every attribute absent.
    public mutating func startEvent() {
        batch.time.append(EventBatch.noTime)
        batch.activity.append(0)
    }

    public mutating func setTime(_ millis: Int64) { batch.time[batch.time.count - 1] = millis }
    public mutating func setActivity(_ id: UInt32) { batch.activity[batch.activity.count - 1] = id }
    public mutating func setEventAttribute(slot: Int, _ value: UInt32) {
        let event = batch.time.count - 1
        let count = columns[slot].count
        if count > event {
            columns[slot][event] = value
        } else {
            if count < event { columns[slot].append(contentsOf: repeatElement(0, count: event - count)) }
            columns[slot].append(value)
        }
    }

    /// Pads every column to `events` values.
    private mutating func padColumns(to events: Int) {
        for i in columns.indices where columns[i].count < events {
            columns[i].append(contentsOf: repeatElement(0, count: events - columns[i].count))
        }
    }

    /// Ends the trace: names it (`fallbackName` when it had no name), sorts its events by time.
    public mutating func endTrace(fallbackName: () -> String) {
        var name = traceName
        if name == 0 { name = interner.intern(fallbackName()) }
        let start = traceEventStart
        let end = batch.time.count
        sortTrace(start, end)
        batch.caseName.append(name)
        batch.traceStart.append(end)
        let t = batch.caseName.count - 1
        for (slot, value) in traceAttributes {
            let count = traceColumns[slot].count
            if count > t {
                traceColumns[slot][t] = value  // the same key twice in one trace: the last wins
            } else {
                if count < t { traceColumns[slot].append(contentsOf: repeatElement(0, count: t - count)) }
                traceColumns[slot].append(value)
            }
        }
        info.traces += 1
        info.events += end - start
        traceOpen = false
    }

    /// Drops the events of an unfinished trace (used when input ends inside one and the caller reports it).
    public mutating func discardOpenTrace() {
        guard traceOpen else { return }
        batch.time.removeSubrange(traceEventStart...)
        batch.activity.removeSubrange(traceEventStart...)
        for i in columns.indices where columns[i].count > traceEventStart { columns[i].removeSubrange(traceEventStart...) }
        traceOpen = false
    }

    /// The complete traces buffered so far (call between traces).
    public mutating func takeBatch() -> EventBatch {
        precondition(!traceOpen, "takeBatch inside a trace")
        padColumns(to: batch.time.count)
        let traces = batch.caseName.count
        for (slot, key) in traceColumnKeys.enumerated() where !traceColumns[slot].isEmpty {
            var column = traceColumns[slot]
            if column.count < traces { column.append(contentsOf: repeatElement(0, count: traces - column.count)) }
            batch.traceColumns[key] = column
            traceColumns[slot].removeAll(keepingCapacity: true)
        }
        var out = batch
        for (slot, key) in columnKeys.enumerated() { out.eventColumns[key] = columns[slot] }
        let fresh = interner.takeNew()
        out.firstNewString = fresh.first
        out.newStrings = fresh.strings
        batch = EventBatch()
        for i in columns.indices { columns[i].removeAll(keepingCapacity: true) }
        return out
    }

    /// Stable sort of events `start..<end` by time; an event without a time keeps the time of the one before it.
    private mutating func sortTrace(_ start: Int, _ end: Int) {
        guard end - start > 1 else { return }
        var sorted = true
        var previous = Int64.min
        for i in start..<end {
            let t = batch.time[i]
            if t == EventBatch.noTime { continue }
            if t < previous {
                sorted = false
                break
            }
            previous = t
        }
        if sorted { return }
        padColumns(to: end)
        var keys: [(Int64, Int)] = []
        keys.reserveCapacity(end - start)
        var carry = Int64.min
        for i in start..<end {
            if batch.time[i] != EventBatch.noTime { carry = batch.time[i] }
            keys.append((carry, i))
        }
        keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        let order = keys.map(\.1)
        func permute<T>(_ array: inout [T]) {
            let copy = Array(array[start..<end])
            for (k, i) in order.enumerated() { array[start + k] = copy[i - start] }
        }
        permute(&batch.time)
        permute(&batch.activity)
        for c in columns.indices { permute(&columns[c]) }
    }
}
