import ArgumentParser
import Foundation

@main
struct BuckStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buckstop",
        abstract: "BuckStop: mỗi việc một người chịu trách nhiệm — every case has one accountable official, on a tamper-evident ledger.",
        discussion: ExitStatus.table,
        subcommands: [
            DemoCommand.self, SynthCommand.self, CaseCommand.self, InboxCommand.self, OrgCommand.self, VerifyCommand.self, ExportCommand.self,
            BenchCommand.self, AnalyzeCommand.self, ServeCommand.self, TokenCommand.self, PasswordCommand.self, BackupCommand.self,
            MigrateCommand.self, WitnessCommand.self, ProgrammeCommand.self, ReportCommand.self,
        ]
    )

    /// As `AsyncParsableCommand.main()`, except that an error of the taxonomy exits with its category's status
    /// (`ExitStatus`) rather than 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            guard let status = ExitStatus.code(for: error) else { exit(withError: error) }
            var standardError = StandardError()
            print("Error: \(error)", to: &standardError)
            Foundation.exit(status)
        }
    }
}
