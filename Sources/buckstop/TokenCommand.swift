import ArgumentParser
import BuckStopStore
import Foundation

/// API tokens for systems that push events or read findings; the token is printed once and only its hash is kept.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Tạo, thu hồi mã truy cập API / Create or revoke API tokens.",
        subcommands: [Create.self, Revoke.self])

    static let scopes: Set<String> = ["cases:read", "actions:write", "findings:read", "findings:write", "ledger:read", "org:read"]

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token; prints it once.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "A name for the client (e.g. the one-stop-shop system).") var name: String
        @Option(name: .customLong("scope"), help: "A scope; repeat for several: \(TokenCommand.scopes.sorted().joined(separator: ", ")).")
        var scopes: [String] = []

        func run() async throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError("--name must not be empty") }
            guard !scopes.isEmpty else { throw CLIError("give at least one --scope (\(TokenCommand.scopes.sorted().joined(separator: ", ")))") }
            for s in scopes where !TokenCommand.scopes.contains(s) {
                throw CLIError("--scope: expected one of \(TokenCommand.scopes.sorted().joined(separator: ", ")), found '\(s)'")
            }
            try await global.withStore() { store in
                var generator = SystemRandomNumberGenerator()
                let token = "bst_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
                try await store.createAPIToken(token: token, name: name, scopes: Set(scopes), now: Int64(Date().timeIntervalSince1970))
                print(token)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke every token of a client.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The client's name.") var name: String

        func run() async throws {
            let n = try await global.withStore { store in try await store.revokeAPIToken(name: name, at: Int64(Date().timeIntervalSince1970)) }
            print("revoked \(n) token(s) of \(name)")
        }
    }
}
