import ArgumentParser

struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Mở, xử lý và xem hồ sơ / open, act on and show cases.",
        subcommands: [CaseOpenCommand.self, CaseActCommand.self, CaseShowCommand.self])
}
