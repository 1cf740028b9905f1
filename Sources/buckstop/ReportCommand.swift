import ArgumentParser
import BuckStopAnalysis
import BuckStopCalendar
import BuckStopDomain
import BuckStopReport
import Foundation

/// `buckstop report`: a period report over the ledger (SQLite or PostgreSQL) as HTML, Word, an Excel annex or PDF.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Lập báo cáo định kỳ từ sổ xử lý / a period report from the ledger or an event log (HTML, DOCX, XLSX annex, PDF).",
        discussion: """
            Sections as a Vietnamese administrative report: I. state of play against the previous period and the same \
            period last year; II. behaviours found, where they happen, what followed; III. concrete examples; IV. causes; \
            V. the good; VI. left to the author. No personal data of citizens. PDF is printed from the HTML by headless \
            Chromium (chromium or chromium-browser on PATH). With --log the figures come from an event log read as \
            `analyze` reads it (the same mapping and input options): a system BuckStop does not run.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, docx, xlsx, pdf
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "First day of the period, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last day of the period, YYYY-MM-DD (included).")
    var to: String

    @Option(help: "Only this unit and the units under it (a unit id of the organisation).")
    var unit: String?

    @Option(help: "Only this kind of case: \(ReportScope.workKinds.map(\.rawValue).joined(separator: ", ")).")
    var kind: String?

    @Option(help: "html, docx, xlsx or pdf.")
    var format: Format = .docx

    @Option(help: "Place name for the date line (địa danh), e.g. \"Đà Nẵng\".")
    var place: String?

    @Option(help: "Output file.")
    var out: String

    @Option(help: "Report on this event log (XES, XES.gz, CSV) instead of the ledger, read as `buckstop analyze` reads it.")
    var log: String?

    @Option(help: "With --log: the organisation (YAML, as `org load` takes) the log's owners and units belong to, for names and the tree.")
    var org: String?

    @OptionGroup(title: "Event log (with --log)")
    var input: LogInputOptions

    func validate() throws {
        guard log == nil else { return }
        if org != nil { throw ValidationError("--org names the organisation of an event log; give the log with --log") }
        if input.mapping != nil { throw ValidationError("--mapping reads an event log; give the log with --log") }
    }

    func run() async throws {
        let from = try Self.day(self.from, option: "--from")
        let to = try Self.day(self.to, option: "--to")
        guard from <= to else { throw CLIError("\(ReportError.periodReversed(from: from.description, to: to.description))", category: .invalidInput) }
        var kind: CaseKind?
        if let text = self.kind {
            guard let k = CaseKind(rawValue: text), ReportScope.workKinds.contains(k) else {
                throw CLIError(
                    "--kind: expected one of \(ReportScope.workKinds.map(\.rawValue).joined(separator: ", ")); found '\(text)'",
                    category: .invalidInput)
            }
            kind = k
        }
        let scope = ReportScope(from: from, to: to, unit: unit.map(UnitID.init), kind: kind)
        Timings.mark("arguments read")
        let rulebook = try global.loadRulebook()
        Timings.mark("rulebook loaded")
        let started = Date()
        let report: PeriodReport
        do {
            if let log {
                let organization = try org.map(Self.organization(from:))
                let analysis = try input.analyze(log: log, global: global, keepDigests: true)
                Timings.mark("log analysed")
                report = try LogReport.make(
                    analyzer: analysis.analyzer, logName: log == "-" ? "stdin" : (log as NSString).lastPathComponent,
                    organization: organization, rulebook: rulebook, scope: scope, today: CivilDate(Date()))
                Timings.mark("report counted")
            } else {
                report = try await global.withStore { store in
                    try await LedgerReport.make(store: store, rulebook: rulebook, scope: scope, today: CivilDate(Date()))
                }
            }
        } catch let error as ReportError {
            throw CLIError("\(error)", category: .invalidInput)
        }
        let document = ReportDocument(report, place: place)
        Timings.mark("report laid out")
        let bytes: Data
        switch format {
        case .html: bytes = Data(ReportHTML.page(document).utf8)
        case .docx: bytes = try ReportWord.data(document)
        case .xlsx: bytes = try ReportWorkbook.data(document)
        case .pdf: bytes = try PDFPrinter.pdf(html: ReportHTML.page(document))
        }
        Timings.mark("report written (\(format.rawValue))")
        do {
            try bytes.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)")
        }
        let seconds = Date().timeIntervalSince(started)
        print(
            "Đã lập báo cáo / wrote the report \(out) (\(format.rawValue), \(bytes.count) bytes): \(report.current.handled) cases handled, \(report.behaviours.map(\.raised).reduce(0, +)) findings, \(report.examples.count) examples, in \(String(format: "%.2f", seconds)) s"
        )
    }

    static func organization(from path: String) throws -> Organization {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIError("--org: cannot read \(path): \(error.localizedDescription)")
        }
        do { return try YAMLLoading.organization(from: text) } catch {
            throw CLIError("--org \(path): \(error)", category: .invalidInput)
        }
    }

    static func day(_ text: String, option: String) throws -> CivilDate {
        do { return try CivilDate(iso: text) } catch {
            throw CLIError("\(option): expected a date YYYY-MM-DD; found '\(text)'", category: .invalidInput)
        }
    }
}

/// A PDF printed from the report's HTML by headless Chromium, the browser CI already installs for the end-to-end test;
/// the print stylesheet sets A4 and Decree 30's margins.
enum PDFPrinter {
    static let browsers = ["chromium", "chromium-browser", "google-chrome"]

    static func pdf(html: String) throws -> Data {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = browsers.lazy.flatMap { name in path.split(separator: ":").map { "\($0)/\(name)" } }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let browser = found else { throw CLIError("\(ReportError.pdfConverterMissing(tried: browsers))", category: .unavailable) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("buckstop-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("report.html")
        let output = directory.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=\(directory.path)/profile",
            "--print-to-pdf=\(output.path)", input.absoluteString,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw CLIError("\(ReportError.pdfConversionFailed("\(browser) did not start: \(error.localizedDescription)"))", category: .unavailable)
        }
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let pdf = try? Data(contentsOf: output), pdf.starts(with: Array("%PDF".utf8)) else {
            let tail = String(decoding: stderr.suffix(400), as: UTF8.self)
            throw CLIError(
                "\(ReportError.pdfConversionFailed("\(browser) exited with \(process.terminationStatus): \(tail)"))", category: .unavailable)
        }
        return pdf
    }
}
