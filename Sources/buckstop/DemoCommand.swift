import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import BuckStopDomain
import BuckStopLive
import BuckStopServer
import BuckStopStore
import Foundation

/// Seeds a realistic city and ~18 months of history through the real append path.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tạo dữ liệu mẫu: một thành phố sau cải cách 2025 và 18 tháng hồ sơ / Seed a demo city and its history.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Random seed; the same seed gives the same city and history.")
    var seed: UInt64 = 2025

    @Option(help: "Number of cases to generate (≥ 1).")
    var cases: Int = 5000

    func validate() throws {
        guard cases >= 1 else { throw ValidationError("--cases must be at least 1, found \(cases)") }
    }

    func run() async throws {
        try await global.withLiveLedger(creating: true) { live in
            let store = live.store
            let report: DemoSeeder.Report
            let survey: SurveyReport
            do {
                // The seeder runs what `serve` does at start: judge every case as of now, against its peers.
                report = try await DemoSeeder.seed(live: live, seed: seed, cases: cases)
                survey = report.survey
            } catch let failure as DemoSeeder.Failure {
                throw CLIError("\(PostgresLocation.redacted(global.databasePath)): \(failure)" + (failure.isNotEmpty ? " (use --db NEW.sqlite)" : ""))
            }
            let org = report.organization
            let counts = try await store.caseCount()
            let open = counts.filter { $0.key.isOpen }.values.reduce(0, +)
            let seconds = report.appendSeconds
            print(
                """
                Đã tạo dữ liệu mẫu / demo seeded in \(PostgresLocation.redacted(global.databasePath))
                  đơn vị / units:        \(org.units.count)
                  cán bộ / officials:    \(org.officials.count)
                  hồ sơ / cases:         \(report.cases) (\(open) đang mở / open, \(report.labelled) có hành vi gắn nhãn / labelled)
                  nhật ký / ledger:      \(report.appended) entries in \(String(format: "%.1f", seconds)) s (\(Int(Double(report.appended) / max(seconds, 0.001))) actions/s), generated in \(String(format: "%.1f", report.generatedSeconds)) s
                  phát hiện / findings:  \(survey.findingsRaised) raised by the survey in \(String(format: "%.1f", survey.seconds)) s
                """)
            if let busiest = try await busiestOfficial(store: store, org: org) {
                print(
                    """

                    Thử / try:
                      buckstop inbox --official \(busiest)
                      buckstop case show \(try await store.inbox(of: busiest).first?.id.rawValue ?? "")
                      buckstop verify
                      buckstop serve --demo
                    """)
            }
        }
    }

    private func busiestOfficial(store: any LedgerStore, org: Organization) async throws -> OfficialID? {
        let counts = try await store.openCaseCounts()
        return org.officials.keys.sorted().max { counts[$0, default: 0] < counts[$1, default: 0] }
    }
}

extension DemoSeeder.Failure {
    var isNotEmpty: Bool {
        if case .notEmpty = self { return true }
        return false
    }
}
