import ArgumentParser
import BuckStopDomain
import BuckStopServer
import BuckStopStore
import Foundation

/// API tokens for systems that push events or read findings; the token is printed once and only its hash is kept.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Tạo, thu hồi mã truy cập API / Create or revoke API tokens.",
        subcommands: [Create.self, Revoke.self])

    /// `open311:write`: a registered citizen-report app's key for the Open311 endpoint (`api_key`); it files petitions
    /// in the citizen's name, never an official's, so it needs neither --official nor --acts-for.
    static let scopes: Set<String> = [
        "cases:read", "actions:write", "findings:read", "findings:write", "ledger:read", "org:read", Open311Scope.write,
    ]

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; prints it once.",
            discussion: """
                A token never acts as just anyone. Give --official ID for an official's own token (every action through it is
                theirs, within their role), or --acts-for ID (repeat) for a system's token that may act only for those officials
                (the one-stop-shop system mirroring its users' actions); add --import-history to let that system give the time
                of the actions it imports. Every ledger entry names the token that wrote it.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "A name for the client (e.g. the one-stop-shop system); recorded on every entry it writes.") var name: String
        @Option(name: .customLong("scope"), help: "A scope; repeat for several: \(TokenCommand.scopes.sorted().joined(separator: ", ")).")
        var scopes: [String] = []
        @Option(help: "The official this token belongs to: it acts as them only.") var official: String?
        @Option(name: .customLong("acts-for"), help: "An official a system's token may act for; repeat for several.") var actsFor: [String] = []
        @Flag(help: "List every official of the organisation as it is now (a city's one-stop-shop system); written out on the token.")
        var actsForEveryone = false
        @Flag(help: "The system may give the time of the actions it imports (bounded by the rulebook).") var importHistory = false

        func run() async throws {
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw CLIError("--name: expected printable ASCII without spaces (it is recorded on the ledger), found '\(name)'")
            }
            guard !scopes.isEmpty else { throw CLIError("give at least one --scope (\(TokenCommand.scopes.sorted().joined(separator: ", ")))") }
            for s in scopes where !TokenCommand.scopes.contains(s) {
                throw CLIError("--scope: expected one of \(TokenCommand.scopes.sorted().joined(separator: ", ")), found '\(s)'")
            }
            var actsFor = actsFor
            if actsForEveryone {
                guard actsFor.isEmpty, official == nil else { throw CLIError("--acts-for-everyone replaces --acts-for and --official") }
                actsFor = try await global.withStore { store in try store.organization().officials.keys.map(\.rawValue) }
            }
            let subject: TokenSubject
            switch (official, actsFor.isEmpty) {
            case (let id?, true):
                guard !importHistory else { throw CLIError("--import-history is for a system's token (--acts-for), not an official's") }
                subject = .official(OfficialID(id))
            case (nil, false):
                subject = .integration(actsFor: Set(actsFor.map(OfficialID.init(rawValue:))), importsHistory: importHistory)
            case (nil, true):
                if scopes.contains(where: { $0.hasSuffix(":write") && $0 != Open311Scope.write }) {
                    throw CLIError("a token that writes needs --official ID (its owner) or --acts-for ID… (the officials a system acts for)")
                }
                subject = .integration(actsFor: [], importsHistory: false)
            case (_?, false):
                throw CLIError("give --official or --acts-for, not both")
            }
            try await global.withStore { store in
                let org = try store.organization()
                let named: [OfficialID]
                switch subject {
                case .official(let id): named = [id]
                case .integration(let ids, _): named = ids.sorted()
                }
                for id in named where org.official(id) == nil { throw CLIError("unknown official '\(id.rawValue)'", category: .notFound) }
                var generator = SystemRandomNumberGenerator()
                let token = "bst_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
                try await store.createAPIToken(
                    token: token, client: StoredAPIToken(name: name, scopes: Set(scopes), subject: subject), now: Int64(Date().timeIntervalSince1970))
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
