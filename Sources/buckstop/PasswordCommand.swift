import ArgumentParser
import BuckStopDomain
import BuckStopServer
import BuckStopStore
import Foundation

/// Sets an official's web password (bcrypt). The password is read from standard input so it never appears in the
/// process list or the shell history.
struct PasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password", abstract: "Đặt mật khẩu cho cán bộ (đọc từ stdin) / Set an official's password (read from stdin).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The official's id.") var official: String
    @Option(help: "Bcrypt cost (4–16).") var cost: Int = 11

    func run() async throws {
        guard (4...16).contains(cost) else { throw CLIError("--cost: expected 4…16, found \(cost)") }
        try await global.withStore { store in
            guard try store.organization().official(OfficialID(official)) != nil else {
                throw CLIError("--official: unknown official '\(official)'", category: .notFound)
            }
            guard let line = readLine(strippingNewline: true), line.count >= 8 else {
                throw CLIError("standard input: expected a password of at least 8 characters on the first line")
            }
            let hash = try await ServerPasswords.hash(line, cost: cost)
            try await store.setPasswordHash(hash, for: OfficialID(official), at: Int64(Date().timeIntervalSince1970))
            print("password set for \(official)")
        }
    }
}
