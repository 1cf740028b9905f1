import ArgumentParser
import BuckStopAnalysis
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopEventLog
import Foundation

/// Audit mode: an event log exported from any system, through the same detectors the live server runs.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Phân tích nhật ký sự kiện / find avoidance behaviours in an event log (XES, XES.gz, CSV; '-' reads stdin).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The log: .xes, .xes.gz, .csv, .csv.gz, or '-' for standard input (CSV or XES, detected).")
    var log: String

    @Option(help: "Report format: text, json, csv, html.")
    var format: ReportFormat = .text

    @Option(help: "Write the report here instead of standard output.")
    var out: String?

    @Option(
        name: .customLong("cases-out"), help: "Also write one JSON line per case (case, events, transfers, pingPongs, durationSeconds, findings).")
    var casesOut: String?

    @OptionGroup var input: LogInputOptions

    enum ReportFormat: String, ExpressibleByArgument { case text, json, csv, html }

    func run() throws {
        Timings.mark("started")
        let result = try input.analyze(log: log, global: global, keepCaseSummaries: casesOut != nil)
        let report = AnalysisReport(analyzer: result.analyzer, info: result.info, source: log == "-" ? "stdin" : log)
        Timings.mark("report built")
        // Reports are streamed to their destination: a national log's findings never sit in memory as text.
        let sink: (@escaping (String) throws -> Void) throws -> Void = { [format = self.format] emit in
            switch format {
            case .text: try emit(TextReport.render(report))
            case .html: try emit(HTMLReport.render(report))
            case .csv: try CSVReport.write(report, emit: emit)
            case .json: try JSONReport.write(report) { bytes in try emit(String(decoding: bytes, as: UTF8.self)) }
            }
        }
        Timings.mark("rendering")
        if let out {
            try OutputFile.write(out, sink)
        } else {
            let stdout = FileHandle.standardOutput
            try sink { chunk in stdout.write(Data(chunk.utf8)) }
        }
        Timings.mark("written")
        if let casesOut {
            try OutputFile.write(casesOut) { emit in try CaseLines.write(result.analyzer, emit: emit) }
        }
    }
}

/// The reader's `EventLogLimits` on the command line (`analyze`, `bench parse`): the defaults suit every real log
/// seen so far; a log past one stops with an error that names the option to raise.
struct ReadLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-field-bytes"), help: "Longest CSV field or XES attribute value (bytes; K, M, G suffixes).")
    var maxFieldBytes = ByteCount(EventLogLimits().maxFieldBytes)

    @Option(
        name: .customLong("max-line-bytes"),
        help: "Longest CSV record, or XES tag/comment/CDATA/DOCTYPE (bytes; K, M, G suffixes); bounds the read buffer.")
    var maxLineBytes = ByteCount(EventLogLimits().maxLineBytes)

    @Option(name: .customLong("max-name-bytes"), help: "Longest XES element name or attribute key, or CSV header name (bytes).")
    var maxNameBytes = ByteCount(EventLogLimits().maxNameBytes)

    @Option(name: .customLong("max-depth"), help: "Deepest XES element nesting.")
    var maxDepth = EventLogLimits().maxDepth

    @Option(name: .customLong("max-columns"), help: "Most CSV header columns, or distinct XES attribute keys.")
    var maxColumns = EventLogLimits().maxColumns

    @Option(name: .customLong("max-trace-events"), help: "Most events in one trace (CSV: rows of one case); a trace is held whole.")
    var maxTraceEvents = EventLogLimits().maxTraceEvents

    func validate() throws {
        for (option, value) in [
            ("--max-field-bytes", maxFieldBytes.value), ("--max-line-bytes", maxLineBytes.value),
            ("--max-name-bytes", maxNameBytes.value), ("--max-depth", maxDepth), ("--max-columns", maxColumns),
            ("--max-trace-events", maxTraceEvents),
        ] where value < 1 {
            throw ValidationError("\(option) must be at least 1, found \(value)")
        }
    }

    var limits: EventLogLimits {
        EventLogLimits(
            maxFieldBytes: maxFieldBytes.value, maxLineBytes: maxLineBytes.value, maxNameBytes: maxNameBytes.value,
            maxDepth: maxDepth, maxColumns: maxColumns, maxTraceEvents: maxTraceEvents)
    }
}

/// A size in bytes: a number, optionally with a binary K, M or G suffix (`64K`, `16M`, `1GiB`).
struct ByteCount: ExpressibleByArgument {
    var value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        var text = Substring(argument.trimmingCharacters(in: .whitespaces)).uppercased()[...]
        if text.hasSuffix("IB") { text = text.dropLast(2) } else if text.hasSuffix("B") { text = text.dropLast() }
        var shift = 0
        switch text.last {
        case "K": shift = 10
        case "M": shift = 20
        case "G": shift = 30
        default: break
        }
        if shift > 0 { text = text.dropLast() }
        guard let n = Int(text), n >= 0, n <= Int.max >> shift else { return nil }
        value = n << shift
    }

    var defaultValueDescription: String {
        for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] where value >= 1 << shift && value % (1 << shift) == 0 {
            return "\(value >> shift)\(unit)"
        }
        return "\(value)"
    }
}
