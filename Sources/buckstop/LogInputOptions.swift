import ArgumentParser
import BuckStopAnalysis
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopEventLog
import Foundation

/// How an event log is read and what its values mean — the options `analyze` and `report --log` share, so that a
/// period report over a log sees exactly what the analysis sees.
struct LogInputOptions: ParsableArguments {
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

    enum InputFormat: String, ExpressibleByArgument { case xes, csv }

    /// The mapping file, read and checked (an empty mapping without one).
    func loadMapping() throws -> LogMapping {
        guard let mapping else { return LogMapping() }
        let text: String
        do { text = try String(contentsOfFile: mapping, encoding: .utf8) } catch {
            throw CLIError("cannot read mapping file \(mapping): \(error.localizedDescription)")
        }
        do { return try LogMapping.load(yaml: text) } catch { throw CLIError("\(mapping): \(error)") }
    }

    /// Reads `log` through the detectors: a progress line on a terminal, reader errors as command-line errors naming
    /// the line or position.
    func analyze(log: String, global: GlobalOptions, keepCaseSummaries: Bool = false, keepDigests: Bool = false) throws -> (
        analyzer: LogAnalyzer, info: LogInfo
    ) {
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
        let logMapping = try loadMapping()
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
        }
        // What the reader needs is cheap and known now; the rulebook and calendar load while it reads.
        let keep = AnalysisOptions.attributesToKeep(ownerAttribute: owner ?? ownerColumn, caseTypeAttribute: caseType, mapping: logMapping)
        let makeOptions = { [global, owner, ownerColumn, caseType, readLimits] () throws -> AnalysisOptions in
            let rulebook = try global.loadRulebook()
            var thresholds = try Thresholds(rulebook: rulebook)
            for (id, value) in overrides { _ = thresholds.set(id, value) }
            var options = AnalysisOptions(
                ownerAttribute: owner ?? ownerColumn, caseTypeAttribute: caseType, mapping: logMapping, thresholds: thresholds,
                rulebook: rulebook, calendar: try global.loadCalendar(), asOf: asOfDate, utcOffsetSeconds: offset,
                keepCaseSummaries: keepCaseSummaries, readLimits: readLimits.limits)
            options.keepDigests = keepDigests
            return options
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
        return result
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
