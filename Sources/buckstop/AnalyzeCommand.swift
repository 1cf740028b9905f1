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

    @Option(name: .customLong("input-format"), help: "xes or csv (default: detected from the content).")
    var inputFormat: InputFormat?

    @Option(help: "Attribute naming the accountable owner (default: the mapping's, else org:group when present, else org:resource).")
    var owner: String?

    @Option(name: .customLong("case-type"), help: "Attribute that groups like cases for relative thresholds (e.g. a procedure code).")
    var caseType: String?

    @Option(help: "Mapping file (YAML): activity roles, attributes, owner levels; see docs/ANALYZE.md.")
    var mapping: String?

    @Option(name: .customLong("as-of"), help: "Judge open cases as of this day (YYYY-MM-DD; default: the mapping's, else the last event's day).")
    var asOf: String?

    @Option(name: .customLong("utc-offset"), help: "Local time of the log, for days and cut-off hours (default +07:00).")
    var utcOffset: String = "+07:00"

    @Option(name: .customLong("threshold"), help: "Override a rulebook threshold, e.g. --threshold stalling.idleWorkingDays=10 (repeatable).")
    var thresholdOverrides: [String] = []

    @Option(name: .customLong("case-column"), help: "CSV: header of the case id column.")
    var caseColumn: String = "case"
    @Option(name: .customLong("activity-column"), help: "CSV: header of the activity column.")
    var activityColumn: String = "activity"
    @Option(name: .customLong("time-column"), help: "CSV: header of the timestamp column.")
    var timeColumn: String = "time"
    @Option(name: .customLong("owner-column"), help: "CSV: header of the owner column (also used as the owner attribute).")
    var ownerColumn: String?
    @Option(name: .customLong("time-format"), help: "CSV: time pattern such as '%d/%m/%Y %H:%M' (default ISO 8601).")
    var timeFormat: String?
    @Option(help: "CSV: field delimiter (',', ';', 'tab', '|').")
    var delimiter: String = ","
    @Option(name: .customLong("missing"), help: "CSV: a cell value meaning 'absent' (repeatable; default: empty, ?, NA, N/A, null, -).")
    var missing: [String] = []
    @Flag(name: .customLong("grouped"), help: "CSV: rows of a case are contiguous; stream in bounded memory (default for stdin).")
    var grouped = false

    @Flag(name: .customLong("no-progress"), help: "No progress line on stderr.")
    var noProgress = false

    @OptionGroup(title: "Input limits")
    var readLimits: ReadLimitOptions

    enum ReportFormat: String, ExpressibleByArgument { case text, json, csv, html }
    enum InputFormat: String, ExpressibleByArgument { case xes, csv }

    func run() throws {
        Timings.mark("started")
        var overrides: [(String, Double)] = []
        for item in thresholdOverrides {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--threshold expects id=number, found '\(item)'")
            }
            if let limit = LimitID(rawValue: parts[0]) {
                throw ValidationError(
                    "--threshold: \(limit.rawValue) is a statutory limit with effective dates; give it as a dated row under limits: in a rulebook (--rulebook)"
                )
            }
            guard Thresholds.isOverridable(parts[0]) else {
                throw ValidationError("--threshold: unknown id '\(parts[0])'; known: \(Thresholds.ids.map(\.0.rawValue).joined(separator: ", "))")
            }
            overrides.append((parts[0], value))
        }
        var logMapping = LogMapping()
        if let mapping {
            let text: String
            do { text = try String(contentsOfFile: mapping, encoding: .utf8) } catch {
                throw CLIError("cannot read mapping file \(mapping): \(error.localizedDescription)")
            }
            do { logMapping = try LogMapping.load(yaml: text) } catch { throw CLIError("\(mapping): \(error)") }
        }
        var asOfDate: CivilDate?
        if let asOf {
            do { asOfDate = try CivilDate(iso: asOf) } catch { throw ValidationError("--as-of expects YYYY-MM-DD, found '\(asOf)'") }
        }
        guard let offset = Self.parseOffset(utcOffset) else { throw ValidationError("--utc-offset expects ±HH:MM, found '\(utcOffset)'") }

        var format: LogFormat?
        let looksCSV = inputFormat == .csv || (inputFormat == nil && (log.hasSuffix(".csv") || log.hasSuffix(".csv.gz")))
        if looksCSV || (inputFormat == nil && log == "-" && (ownerColumn != nil || grouped)) {
            format = .csv(try csvOptions(streaming: grouped || log == "-"))
        } else if inputFormat == .xes {
            format = .xes
        } else if log == "-" {
            format = nil  // detected; CSV from a pipe streams grouped by case
        }
        if format == nil && log == "-" { format = nil }
        // What the reader needs is cheap and known now; the rulebook and calendar load while it reads.
        let keep = AnalysisOptions.attributesToKeep(ownerAttribute: owner ?? ownerColumn, caseTypeAttribute: caseType, mapping: logMapping)
        let makeOptions = { [global, owner, ownerColumn, caseType, casesOut, readLimits] () throws -> AnalysisOptions in
            let rulebook = try global.loadRulebook()
            var thresholds = try Thresholds(rulebook: rulebook)
            for (id, value) in overrides { _ = thresholds.set(id, value) }
            return AnalysisOptions(
                ownerAttribute: owner ?? ownerColumn, caseTypeAttribute: caseType, mapping: logMapping, thresholds: thresholds,
                rulebook: rulebook, calendar: try global.loadCalendar(), asOf: asOfDate, utcOffsetSeconds: offset,
                keepCaseSummaries: casesOut != nil, readLimits: readLimits.limits)
        }

        let showProgress = !noProgress && isatty(2) == 1
        let started = Date()
        let result: (analyzer: LogAnalyzer, info: LogInfo)
        do {
            result = try LogAnalysisRun.run(
                path: log, format: format ?? (log == "-" ? .csv(try csvOptions(streaming: true)) : nil),
                keep: keep, utcOffsetSeconds: offset, limits: readLimits.limits,
                progress: showProgress
                    ? { p in
                        let rate = Double(p.events) / max(0.001, Date().timeIntervalSince(started))
                        FileHandle.standardError.write(
                            Data(
                                String(format: "\r  %@ hồ sơ/cases, %@ sự kiện/events, %.0f k events/s ", "\(p.cases)", "\(p.events)", rate / 1000)
                                    .utf8))
                    } : nil, makeOptions: makeOptions)
        } catch let error as LogReadError {
            throw CLIError("\(error)")
        } catch let error as LogLimitError {
            throw CLIError("\(error)")
        } catch let error as ByteSourceError {
            throw CLIError("\(error)")
        } catch let error as TimeFormatError {
            throw CLIError("--time-format: \(error)")
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }

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

    func csvOptions(streaming: Bool) throws -> CSVLogOptions {
        let d: UInt8
        switch delimiter {
        case "tab", "\\t", "\t": d = 9
        default:
            guard delimiter.utf8.count == 1, let b = delimiter.utf8.first, b != UInt8(ascii: "\""), b != 10, b != 13 else {
                throw ValidationError("--delimiter expects one ASCII character or 'tab', found '\(delimiter)'")
            }
            d = b
        }
        return CSVLogOptions(
            caseColumn: caseColumn, activityColumn: activityColumn, timeColumn: timeColumn, ownerColumn: ownerColumn,
            timeFormat: timeFormat, delimiter: d, missingValues: missing.isEmpty ? CSVLogOptions.defaultMissingValues : Set(missing + [""]),
            groupedByCase: streaming)
    }

    static func parseOffset(_ s: String) -> Int? {
        let chars = Array(s)
        guard chars.count == 6, chars[0] == "+" || chars[0] == "-", chars[3] == ":",
            let h = Int(String(chars[1...2])), let m = Int(String(chars[4...5])), h <= 14, m < 60
        else { return nil }
        return (chars[0] == "-" ? -1 : 1) * (h * 3600 + m * 60)
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
