import ArgumentParser

@main
struct BuckStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buckstop",
        abstract: "BuckStop: mỗi việc một người chịu trách nhiệm — every case has one accountable official, on a tamper-evident ledger.",
        subcommands: [
            DemoCommand.self, SynthCommand.self, CaseCommand.self, InboxCommand.self, OrgCommand.self, VerifyCommand.self, ExportCommand.self,
            BenchCommand.self, AnalyzeCommand.self, ServeCommand.self, TokenCommand.self, PasswordCommand.self, BackupCommand.self,
            MigrateCommand.self, WitnessCommand.self,
        ]
    )
}
