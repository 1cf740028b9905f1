import BuckStopAnalysis
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import BuckStopDetectors
import BuckStopDomain
import BuckStopEventLog
import Foundation
import Testing

@testable import BuckStopReport

/// A period report over an imported log (`buckstop report --log`), from a synthetic city's log written by the product's own
/// XES writer and read back by the analysis.
@Suite(.serialized) struct LogReportTests {
    static let asOf = CivilDate(year: 2026, month: 10, day: 30)!

    static func analysis() throws -> (LogAnalyzer, Organization, Rulebook) {
        let rulebook = try Defaults.rulebook()
        let calendar = try Defaults.workingCalendar()
        let history = DemoGenerator.generate(DemoConfiguration(seed: 19, caseCount: 300, end: asOf, rulebook: rulebook, calendar: calendar))
        let org = history.organization
        let mapping = SyntheticMapping(organization: org, asOf: asOf, caseTypes: CaseType.all(in: rulebook))
        let out = OutputBuffer()
        var clock = TimestampFormatter()
        EventLogFormat.xes.appendPrologue(logName: SyntheticLog.logName, asOf: mapping.asOf, to: out)
        for c in history.cases { EventLogFormat.xes.append(SyntheticLog.trace(c, organization: org), to: out, clock: &clock) }
        EventLogFormat.xes.appendEpilogue(to: out)
        let path = NSTemporaryDirectory() + "/log-report-" + UUID().uuidString + ".xes"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(out.bytes).write(to: URL(fileURLWithPath: path))
        var options = AnalysisOptions(
            mapping: try LogMapping.load(yaml: try mapping.yaml()), thresholds: try Thresholds(rulebook: rulebook), rulebook: rulebook,
            calendar: calendar)
        options.keepDigests = true
        return (try LogAnalysisRun.run(path: path, format: .xes, options: options).analyzer, org, rulebook)
    }

    /// The cases counted in one share or split over several (as on a machine with that many cores) make the same report:
    /// every table, example and chart the HTML lays out, the index and the flows.
    @Test func theReportIsTheSameForAnyNumberOfShares() throws {
        let (analyzer, org, rulebook) = try Self.analysis()
        let scope = ReportScope(from: CivilDate(year: 2026, month: 1, day: 1)!, to: Self.asOf)
        func report(_ shares: Int) throws -> PeriodReport {
            try LogReport.make(
                analyzer: analyzer, logName: "so.xes", organization: org, rulebook: rulebook, scope: scope, today: Self.asOf, shares: shares)
        }
        let one = try report(1)
        #expect(one.current.handled > 100 && one.behaviours.count > 3 && one.examples.count > 3, "a report with something in it")
        for shares in [2, 3, 7] {
            let split = try report(shares)
            #expect(ReportHTML.page(ReportDocument(split)) == ReportHTML.page(ReportDocument(one)), "\(shares) shares")
            #expect(split.serviceIndex == one.serviceIndex && split.handOverFlows == one.handOverFlows, "\(shares) shares")
        }
    }
}
