import ArgumentParser
import BuckStopEventLog
import Foundation

/// Reader speed alone: the log is decompressed into memory first, then parsed `--repeat` times on one core
/// (no analysis), so the figure is the parser's MB/s of uncompressed text and events/s.
struct BenchParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Tốc độ đọc nhật ký / parse speed of the XES or CSV reader on one core (MB/s, events/s).")

    @Argument(help: "Log file (.xes, .xes.gz, .csv, .csv.gz).")
    var log: String

    @Option(help: "Parses to time; best and median are reported.")
    var `repeat`: Int = 5

    @Flag(help: "Keep every attribute (default keeps only what analyze needs: org:group, org:resource).")
    var allAttributes = false

    @OptionGroup(title: "Input limits") var readLimits: ReadLimitOptions

    func run() throws {
        var source = try LogInput.open(path: log)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        let isXES = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF } == UInt8(ascii: "<")
        let keep: Set<String>? = allAttributes ? nil : ["org:group", "org:resource"]
        let options = LogReadOptions(
            eventKeys: keep, traceKeys: keep, batchEvents: 1 << 13, sourceName: log, limits: readLimits.limits)
        var wall: [Double] = []
        var cpu: [Double] = []
        var events = 0
        for _ in 0..<max(1, self.repeat) {
            var memory = MemoryByteSource(bytes)
            let cpu0 = Self.threadCPUSeconds()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let info: LogInfo
            if isXES {
                info = try XESReader.read(&memory, options: options) { _ in }
            } else {
                info = try CSVReader.read(&memory, csv: CSVLogOptions(groupedByCase: true), options: options) { _ in }
            }
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            cpu.append(Self.threadCPUSeconds() - cpu0)
            events = info.events
        }
        let mb = Double(bytes.count) / 1e6
        func line(_ label: String, _ xs: [Double]) -> String {
            let sorted = xs.sorted()
            let best = sorted[0]
            let median = sorted[sorted.count / 2]
            return String(
                format: "  %@: best %.3f s = %.0f MB/s, %.2f M events/s; median %.3f s = %.0f MB/s", label, best, mb / best,
                Double(events) / best / 1e6, median, mb / median)
        }
        print("\(isXES ? "XES" : "CSV") \(log): \(String(format: "%.1f", mb)) MB uncompressed, \(events) events, \(self.repeat) parses on one core")
        print(line("wall clock", wall))
        print(line("thread CPU", cpu))
    }

    /// CPU time of the calling thread: the parser's own work even when the machine is busy with other jobs.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
