import ArgumentParser
import BuckStopCalendar
import BuckStopDemo
import BuckStopDomain
import BuckStopEventLog
import Foundation

/// Synthetic event logs of Vietnamese case handling, from the demo's generator, with every behaviour injected at
/// known rates and each trace labelled with its ground truth (`buckstop:labels`), in XES or CSV, plain or gzip,
/// up to 10^8 events and more: cases are generated in chunks of `--chunk-cases` on two threads (same city and
/// organisation in every chunk, each chunk's cases from (seed, chunk index); chunk 0 is exactly `buckstop demo`'s
/// history for the same seed and size), encoded as they are made and written in order, with at most a few chunks
/// in memory.
///
/// Labels are exact per chunk: `transfers` (against the median of the same kind) and `accumulation` (per official
/// in a 90-day window) are computed over each chunk's cases, so with several chunks they describe the chunk.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Sinh nhật ký sự kiện tổng hợp có gán nhãn / write a synthetic, labelled XES or CSV event log.",
        discussion: """
            Cases come from the same generator as `buckstop demo` (same seed → same city and, for the first chunk, the same \
            cases); every trace carries buckstop:labels, the behaviours truly shown by the case. Large logs are generated \
            in chunks of --chunk-cases cases (same city, cases drawn from (seed, chunk); codes of chunk k > 0 end in /k). \
            Labels are exact per chunk: `transfers` (median per kind) and `accumulation` (per official, 90-day window) \
            are computed within each chunk, so with several chunks they describe the chunk, not the whole log. \
            A mapping file (roles of activities, attributes, owners with unit/agency/level, competent agencies) is \
            written beside the log.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Number of cases to generate.")
    var cases: Int?

    @Option(help: "Stop after the first chunk that brings the log to at least this many events (instead of --cases).")
    var events: Int?

    @Option(help: "Random seed; the same seed gives the same city and log.")
    var seed: UInt64 = 2025

    @Option(help: "Last day of the history, YYYY-MM-DD (default: yesterday in Vietnam).")
    var end: String?

    @Option(help: "Output: FILE.xes, FILE.xes.gz, FILE.csv, FILE.csv.gz, or - for standard output.")
    var out: String

    @Option(help: "xes or csv (default from the extension; required with --out -).")
    var format: String?

    @Option(help: "Mapping YAML (default OUT.mapping.yaml; required with --out -).")
    var mappingOut: String?

    @Option(help: "Cases per chunk (labels `transfers` and `accumulation` are computed per chunk).")
    var chunkCases: Int = 20_000

    @Option(help: "Generating threads.")
    var threads: Int = 2

    @Option(help: "gzip level for .gz output (1 fastest … 9 smallest).")
    var gzipLevel: Int = 1

    func validate() throws {
        guard (cases == nil) != (events == nil) else { throw ValidationError("give exactly one of --cases and --events") }
        if let cases, cases < 1 { throw ValidationError("--cases must be at least 1, found \(cases)") }
        if let events, events < 1 { throw ValidationError("--events must be at least 1, found \(events)") }
        guard chunkCases >= 1 else { throw ValidationError("--chunk-cases must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard (1...9).contains(gzipLevel) else { throw ValidationError("--gzip-level must be 1…9") }
        if out == "-" {
            guard format != nil else { throw ValidationError("--format is required with --out -") }
            guard mappingOut != nil else { throw ValidationError("--mapping-out is required with --out -") }
        }
        _ = try resolvedFormat()
        if let end, (try? CivilDate(iso: end)) == nil { throw ValidationError("--end must be a date YYYY-MM-DD, found '\(end)'") }
    }

    /// The format and whether to gzip, from --format or the output's extension.
    func resolvedFormat() throws -> (EventLogFormat, gzip: Bool) {
        let lower = out.lowercased()
        let gzip = lower.hasSuffix(".gz")
        if let format {
            guard let f = EventLogFormat(rawValue: format.lowercased()) else { throw ValidationError("--format must be xes or csv, found '\(format)'") }
            return (f, gzip)
        }
        let stem = gzip ? String(lower.dropLast(3)) : lower
        if stem.hasSuffix(".xes") { return (.xes, gzip) }
        if stem.hasSuffix(".csv") { return (.csv, gzip) }
        throw ValidationError("cannot tell the format of '\(out)': use .xes, .xes.gz, .csv, .csv.gz or --format")
    }

    func run() throws {
        let started = Date()
        let (format, gzip) = try resolvedFormat()
        let endDate = try end.map { try CivilDate(iso: $0) } ?? CivilDate(Date()).adding(days: -1)
        let rulebook = try global.loadRulebook()
        let calendar = try global.loadCalendar()
        let generator = DemoGenerator.Chunked(DemoConfiguration(seed: seed, end: endDate, rulebook: rulebook, calendar: calendar))
        let org = generator.organization

        let toStdout = out == "-"
        // A regular file is written under FILE.partial and renamed when complete; anything else that already exists
        // (/dev/null, a named pipe, a terminal) is written in place and never replaced.
        let inPlace = toStdout || OutputFile.existsAndIsNotARegularFile(out)
        let logPath = inPlace ? out : out + ".partial"
        let mappingPath = mappingOut ?? out + ".mapping.yaml"
        var sink: ByteSink = try FileDescriptorSink(path: logPath)
        if gzip { sink = try GzipSink(into: sink, level: Int32(gzipLevel)) }
        let writer = EventLogStreamWriter(format: format, sink: sink, logName: SyntheticLog.logName, asOf: endDate)

        let chunkCount = cases.map { ($0 + chunkCases - 1) / chunkCases } ?? Int.max
        let pipeline = SynthPipeline(
            generator: generator, format: format, chunkCases: chunkCases, totalCases: cases, chunkCount: chunkCount,
            threads: threads)
        var caseTypes = Set<CaseType>()
        var bytes = 0
        do {
            pipeline.start()
            defer { pipeline.stop() }
            var k = 0
            while k < chunkCount {
                let chunk = pipeline.take(k)
                try writer.write(encoded: chunk.bytes, traces: chunk.traces, events: chunk.events)
                bytes += chunk.bytes.count
                caseTypes.formUnion(chunk.caseTypes)
                k += 1
                if let events, writer.events >= events { break }
            }
            try writer.finish()
            if !inPlace {
                // Written whole or not at all: a half-written log is never left under the real name.
                try? FileManager.default.removeItem(atPath: out)
                try FileManager.default.moveItem(atPath: logPath, toPath: out)
            }
        } catch {
            if !inPlace { try? FileManager.default.removeItem(atPath: logPath) }
            throw CLIError("synth failed: \(error)")
        }

        let mapping = SyntheticMapping(organization: org, asOf: endDate, caseTypes: caseTypes)
        let mappingInPlace = OutputFile.existsAndIsNotARegularFile(mappingPath)
        let temporary = mappingInPlace ? mappingPath : mappingPath + ".partial"
        do {
            let text = try mapping.yaml()
            if mappingInPlace {
                let sink = try FileDescriptorSink(path: mappingPath)
                var bytes = Array(text.utf8)
                try bytes.withUnsafeMutableBytes { try sink.write(UnsafeRawBufferPointer($0)) }
                try sink.finish()
            } else {
                try text.write(toFile: temporary, atomically: false, encoding: .utf8)
                try? FileManager.default.removeItem(atPath: mappingPath)
                try FileManager.default.moveItem(atPath: temporary, toPath: mappingPath)
            }
        } catch {
            if !mappingInPlace { try? FileManager.default.removeItem(atPath: temporary) }
            throw CLIError("cannot write the mapping \(mappingPath): \(error)")
        }

        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let mb = Double(bytes) / 1_000_000
        FileHandle.standardError.write(
            Data(
                """
                synth: \(writer.traces) cases, \(writer.events) events (\(format.rawValue)\(gzip ? ", gzip" : ""), \(String(format: "%.1f", mb)) MB before compression) \
                to \(toStdout ? "stdout" : out) in \(String(format: "%.1f", seconds)) s: \(Int(Double(writer.events) / seconds)) events/s, \
                \(String(format: "%.1f", mb / seconds)) MB/s; mapping \(mappingPath)

                """.utf8))
    }
}

/// One generated chunk, encoded.
struct EncodedChunk: @unchecked Sendable {
    var bytes: OutputBuffer
    var traces: Int
    var events: Int
    var caseTypes: Set<CaseType>
}

/// Chunks generated and encoded on `threads` threads, handed to the writer in order. A worker claims chunk k only
/// while k < (next chunk the writer wants) + threads, so at most `threads` chunks wait or are being made beside
/// the one being written: memory stays bounded however long the log.
final class SynthPipeline: @unchecked Sendable {
    private let generator: DemoGenerator.Chunked
    private let format: EventLogFormat
    private let chunkCases: Int
    private let totalCases: Int?
    private let chunkCount: Int
    private let threads: Int
    private let condition = NSCondition()
    private var ready: [Int: EncodedChunk] = [:]
    private var nextToClaim = 0
    private var writerWants = 0
    private var stopped = false
    private var running = 0

    init(generator: DemoGenerator.Chunked, format: EventLogFormat, chunkCases: Int, totalCases: Int?, chunkCount: Int, threads: Int) {
        self.generator = generator
        self.format = format
        self.chunkCases = chunkCases
        self.totalCases = totalCases
        self.chunkCount = chunkCount
        self.threads = threads
    }

    func start() {
        for _ in 0..<threads {
            condition.lock()
            running += 1
            condition.unlock()
            let thread = Thread { [self] in
                // Each thread its own generator (the same city, built again from the seed): threads sharing one
                // organisation spend their time fighting over its reference counts.
                let own = DemoGenerator.Chunked(generator.configuration)
                self.work(own, SyntheticLog.unitCache(for: own.organization))
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Tells the workers to finish and waits for them.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        ready.removeAll()
        condition.unlock()
    }

    /// Blocks until chunk `k` is ready.
    func take(_ k: Int) -> EncodedChunk {
        condition.lock()
        defer { condition.unlock() }
        while ready[k] == nil { condition.wait() }
        writerWants = k + 1
        condition.broadcast()
        return ready.removeValue(forKey: k)!
    }

    private func work(_ generator: DemoGenerator.Chunked, _ units: [OfficialID: String]) {
        while true {
            condition.lock()
            while !stopped && nextToClaim < chunkCount && nextToClaim >= writerWants + threads { condition.wait() }
            guard !stopped, nextToClaim < chunkCount else {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let k = nextToClaim
            nextToClaim += 1
            condition.unlock()

            let chunk = encode(k, generator, units)

            condition.lock()
            ready[k] = chunk
            condition.broadcast()
            condition.unlock()
        }
    }

    private func encode(_ k: Int, _ generator: DemoGenerator.Chunked, _ units: [OfficialID: String]) -> EncodedChunk {
        let count = totalCases.map { min(chunkCases, $0 - k * chunkCases) } ?? chunkCases
        let cases = generator.chunk(k, caseCount: count)
        let org = generator.organization
        let bytes = OutputBuffer(capacity: count * (format == .xes ? 6000 : 1400))
        var clock = TimestampFormatter()
        var events = 0
        var types = Set<CaseType>()
        for demoCase in cases {
            let trace = SyntheticLog.trace(demoCase, organization: org, units: units)
            format.append(trace, to: bytes, clock: &clock)
            events += trace.events.count
            types.insert(CaseType(demoCase))
        }
        return EncodedChunk(bytes: bytes, traces: cases.count, events: events, caseTypes: types)
    }
}
