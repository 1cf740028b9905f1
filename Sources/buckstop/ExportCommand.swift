import ArgumentParser
import BuckStopCalendar
import BuckStopDemo
import BuckStopEventLog
import BuckStopStore
import Foundation

/// The ledger as an XES event log for process-mining tools.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Xuất nhật ký xử lý ra nhật ký sự kiện XES / export the ledger as an XES (IEEE 1849) log.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output XES file.")
    var xes: String

    @Option(
        name: .customLong("mapping-out"),
        help:
            "Also write the mapping (YAML) `analyze` and `report --log` read the export with: activity roles, attributes, owners' units and levels as of today."
    )
    var mappingOut: String?

    func run() async throws {
        try await global.withStore { store in
            let org = try store.organization()
            var traces = 0
            var events = 0
            do {
                try await OutputFile.writeStreaming(xes) { emit in
                    var writer = XESWriter { chunk in try emit(chunk) }
                    try writer.begin(logName: "BuckStop ledger \(store.origin)")
                    try await store.forEachCase { caseID, actions in
                        let (attributes, converted) = LedgerExport.events(for: actions, organization: org)
                        try writer.trace(caseID: caseID.rawValue, attributes: attributes, events: converted)
                        traces += 1
                        events += converted.count
                    }
                    try writer.end()
                }
            } catch {
                throw CLIError("export failed: \(error)")
            }
            print("Đã xuất / exported \(traces) traces, \(events) events to \(xes)")
            if let mappingOut {
                let mapping = SyntheticMapping(organization: org, asOf: CivilDate(Date()), caseTypes: CaseType.all(in: try global.loadRulebook()))
                let text = try mapping.yaml()
                try OutputFile.write(mappingOut) { emit in try emit(text) }
                print("Đã ghi / wrote the mapping to \(mappingOut)")
            }
        }
    }
}
