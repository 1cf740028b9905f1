import BuckStopEventLog
import Foundation

/// The input side of an analysis: which reader, from where.
public enum LogFormat: Sendable {
    case xes
    case csv(CSVLogOptions)
}

/// Reads a log on one thread and folds it on the calling one, with at most a few batches in between — two
/// cores busy, memory bounded by the batch size rather than the log.
public enum LogAnalysisRun {
    public struct Progress: Sendable {
        public var cases: Int
        public var events: Int
        public var bytes: Int64
    }

    public static func run(
        path: String, format: LogFormat?, options: AnalysisOptions, progress: ((Progress) -> Void)? = nil
    ) throws -> (analyzer: LogAnalyzer, info: LogInfo) {
        try run(
            path: path, format: format, keep: options.attributesToKeep(), utcOffsetSeconds: options.utcOffsetSeconds,
            limits: options.readLimits, progress: progress
        ) {
            options
        }
    }

    /// As above, but the options are made (`makeOptions`: load the rulebook, build the calendar) on this thread
    /// while the reader thread is already parsing — start-up overlaps reading instead of preceding it.
    public static func run(
        path: String, format: LogFormat?, keep: Set<String>, utcOffsetSeconds: Int, limits: EventLogLimits = EventLogLimits(),
        progress: ((Progress) -> Void)? = nil, makeOptions: () throws -> AnalysisOptions
    ) throws -> (analyzer: LogAnalyzer, info: LogInfo) {
        var source = try LogInput.open(path: path)
        // Sniff the format from the first bytes when not given: XES starts with '<' (after a BOM or blanks).
        var prefix = [UInt8](repeating: 0, count: 256)
        let n = try prefix.withUnsafeMutableBytes { try source.read(into: $0) }
        prefix.removeSubrange(n...)
        let chosen: LogFormat
        if let format {
            chosen = format
        } else {
            let firstSignificant = prefix.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
                .first
            chosen = firstSignificant == UInt8(ascii: "<") ? .xes : .csv(CSVLogOptions())
        }
        let name = path == "-" ? "stdin" : path
        let readOptions = LogReadOptions(
            eventKeys: keep, traceKeys: keep, batchEvents: 1 << 13, defaultUTCOffsetSeconds: Int32(utcOffsetSeconds), sourceName: name,
            limits: limits)
        let queue = BatchQueue(capacity: 16)
        let input = UncheckedBox(PrefixedByteSource(prefix: prefix, base: AnyByteSource(source)))
        let reader = Thread {
            var src = input.value
            do {
                let info: LogInfo
                switch chosen {
                case .xes: info = try XESReader.read(&src, options: readOptions) { queue.put(.batch($0)) }
                case .csv(let csv): info = try CSVReader.read(&src, csv: csv, options: readOptions) { queue.put(.batch($0)) }
                }
                queue.put(.end(info))
            } catch {
                queue.put(.failed(UncheckedBox(error)))
            }
        }
        reader.stackSize = 8 << 20
        reader.start()

        let options: AnalysisOptions
        do { options = try makeOptions() } catch {
            queue.drain()
            throw error
        }
        Timings.mark("options ready")
        var analyzer = LogAnalyzer(options: options)
        var lastReport = Date()
        while true {
            switch queue.take() {
            case .batch(let batch):
                if analyzer.caseCount == 0 { Timings.mark("first batch") }
                analyzer.consume(batch)
                if let progress, Date().timeIntervalSince(lastReport) > 0.25 {
                    lastReport = Date()
                    progress(Progress(cases: analyzer.caseCount, events: analyzer.eventCount, bytes: 0))
                }
            case .end(let info):
                Timings.mark("read and folded")
                analyzer.finish()
                Timings.mark("cross-case judged")
                return (analyzer, info)
            case .failed(let box):
                queue.drain()
                throw box.value
            }
        }
    }
}

/// `any ByteSource` as a concrete type, so generic readers can take it `inout`.
public struct AnyByteSource: ByteSource {
    var base: any ByteSource
    public init(_ base: any ByteSource) { self.base = base }
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { try base.read(into: buffer) }
}

struct UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A bounded hand-off between the reader thread and the analyser.
final class BatchQueue: @unchecked Sendable {
    enum Item {
        case batch(EventBatch)
        case end(LogInfo)
        case failed(UncheckedBox<any Error>)
    }

    private let condition = NSCondition()
    private var items: [Item] = []
    private let capacity: Int
    private var closed = false

    init(capacity: Int) { self.capacity = capacity }

    func put(_ item: Item) {
        condition.lock()
        while items.count >= capacity && !closed { condition.wait() }
        if !closed { items.append(item) }
        condition.broadcast()
        condition.unlock()
    }

    func take() -> Item {
        condition.lock()
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        condition.unlock()
        return item
    }

    /// After a failure: let a blocked reader finish instead of waiting forever.
    func drain() {
        condition.lock()
        closed = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Phase times on stderr when `BUCKSTOP_TIMINGS` is set: where an analysis spends its wall-clock time.
public enum Timings {
    nonisolated(unsafe) static let enabled = ProcessInfo.processInfo.environment["BUCKSTOP_TIMINGS"] != nil
    nonisolated(unsafe) static let start = Date()

    public static func mark(_ what: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(String(format: "%8.1f ms  %@\n", Date().timeIntervalSince(start) * 1000, what).utf8))
    }
}
