import ArgumentParser
import BuckStopStore
import Foundation
import Logging

/// Recomputes the Merkle tree from the stored entries and checks every signed checkpoint.
/// Exit 0 when sound; otherwise exit 2 and name the first bad entry.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Kiểm tra toàn vẹn sổ cái / verify the ledger against its signed checkpoints.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Pin the checkpoint public key (hex); default: the key recorded in the database.")
    var publicKey: String?

    func run() async throws {
        let started = Date()
        let report: VerificationReport
        do {
            if global.isPostgres {
                var logger = Logger(label: "buckstop.postgres")
                logger.logLevel = .error
                report = try await PostgresStore.verify(location: try PostgresLocation(url: global.databasePath), publicKeyHex: publicKey, logger: logger)
            } else {
                report = try SQLiteStore.verifier(path: global.databasePath, publicKeyHex: publicKey).verify()
            }
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        if report.isSound {
            print(
                "Sổ cái toàn vẹn / ledger sound: \(report.entries) entries, \(report.checkpoints) signed checkpoints, \(report.consistencyProofsChecked) consistency proofs, \(report.casesChecked) case projections match their entries, \(String(format: "%.2f", seconds)) s"
            )
            return
        }
        var stderr = StandardError()
        if let first = report.firstBadIndex { print("LỖI / FAILED: first bad entry index \(first)", to: &stderr) }
        for problem in report.problems.prefix(20) { print("  - \(problem)", to: &stderr) }
        if report.problems.count > 20 { print("  … \(report.problems.count - 20) more", to: &stderr) }
        throw ExitCode(2)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
