import ArgumentParser
import BuckStopLedger
import BuckStopServer
import BuckStopWitness
import Foundation
import Hummingbird
import Logging

/// `buckstop witness`: a C2SP tlog-witness with its own key and its own storage, meant to be run by someone other than
/// the ledger's operator (the inspectorate, a superior body). It cosigns a ledger's checkpoint only after checking a
/// consistency proof from the last one it cosigned, so a rewritten history can no longer be cosigned.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness", abstract: "Nhân chứng độc lập cho nhật ký / an independent witness of ledgers (C2SP tlog-witness).",
        subcommands: [Serve.self, Key.self, LogKey.self])

    /// Reads the witness's private key file, or creates one (mode 0600) named `name`.
    static func signer(keyFile: String, name: String?) throws -> CosignatureSigner {
        if FileManager.default.fileExists(atPath: keyFile) {
            let text = try String(contentsOfFile: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            do { return try CosignatureSigner(privateKey: text) } catch { throw CLIError("--key \(keyFile): \(error)") }
        }
        guard let name else { throw CLIError("--key \(keyFile) does not exist: give --name to create a new witness key") }
        let signer: CosignatureSigner
        do { signer = try CosignatureSigner(keyName: name, seed: CosignatureSigner.generateSeed()) } catch { throw CLIError("--name: \(error)") }
        guard
            FileManager.default.createFile(
                atPath: keyFile, contents: Data((signer.privateKeyText + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIError("cannot create \(keyFile)") }
        return signer
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the witness over HTTP (POST /add-checkpoint, GET /<origin hash>/checkpoint).")
        @Option(help: "The witness's private key file (created, mode 0600, when missing and --name is given).") var key: String
        @Option(help: "The witness's key name for a new key, e.g. thanhtra.danang.gov.vn/witness.") var name: String?
        @Option(help: "The witness's own SQLite file.") var db: String = "witness.sqlite"
        @Option(name: .customLong("log"), help: "The verifier key of a ledger to witness (see `buckstop witness log-key`); repeat for several.")
        var logs: [String] = []
        @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
        @Option(help: "Port.") var port: Int = 8090

        func run() async throws {
            guard !logs.isEmpty else { throw CLIError("give at least one --log <verifier key> of a ledger to witness") }
            let signer = try WitnessCommand.signer(keyFile: key, name: name)
            var followed: [WitnessedLog] = []
            for text in logs {
                do {
                    let verifier = try Ed25519NoteVerifier(verifierKey: text)
                    followed.append(try WitnessedLog(origin: verifier.keyName, verifiers: [verifier]))
                } catch { throw CLIError("--log \(text): \(error)") }
            }
            let witness = try WitnessService(cosigners: [signer], logs: followed, store: try WitnessStore(path: db))
            LoggingSystem.bootstrap { label in EscapingLogHandler(StreamLogHandler.standardError(label: label)) }
            let logger = Logger(label: "buckstop.witness")
            logger.info("witness key", metadata: ["vkey": .string(signer.verifierKey.text)])
            let app = Application(
                router: WitnessRoutes.router(witness, logger: logger),
                configuration: .init(address: .hostname(host, port: port), serverName: "BuckStop witness"), logger: logger)
            try await app.runService()
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the witness's verifier key (creating the key file when --name is given).")
        @Option(help: "The witness's private key file.") var key: String
        @Option(help: "Key name for a new key.") var name: String?

        func run() async throws { print(try WitnessCommand.signer(keyFile: key, name: name).verifierKey.text) }
    }

    struct LogKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log-key", abstract: "Print this ledger's verifier key, for the witnesses that follow it.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let text = try await global.withStore { store in
                try CheckpointVerifier(publicKey: store.publicKey).verifierKey(origin: store.origin).text
            }
            print(text)
        }
    }
}
