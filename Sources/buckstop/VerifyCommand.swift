import ArgumentParser
import BuckStopLedger
import BuckStopStore
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Recomputes the Merkle tree from the stored entries and checks every signed checkpoint.
/// Exit 0 when sound; otherwise exit 2 and name the first bad entry.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Kiểm tra toàn vẹn nhật ký xử lý / verify the ledger against its signed checkpoints.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Pin the checkpoint public key (hex); default: the key recorded in the database.")
    var publicKey: String?

    @Option(
        name: .customLong("witness"),
        help: "A witness's verifier key (C2SP vkey); repeat for several. Every checkpoint up to the ledger's end must carry all their cosignatures.")
    var witnessKeys: [String] = []

    @Option(
        name: .customLong("witnessed"),
        help:
            "A cosigned checkpoint as a witness serves it (URL …/<origin hash>/checkpoint, or a file a citizen kept); the ledger must agree with it.")
    var witnessed: [String] = []

    /// The witnesses' keys and the checkpoints fetched from them, each of the latter cosigned by one of the former.
    func witnessRequirement() async throws -> WitnessRequirement? {
        guard !witnessKeys.isEmpty || !witnessed.isEmpty else { return nil }
        guard !witnessKeys.isEmpty else { throw CLIError("--witnessed needs the witness's key: --witness <verifier key>") }
        var verifiers: [CosignatureVerifier] = []
        for text in witnessKeys {
            do { verifiers.append(try CosignatureVerifier(verifierKey: text)) } catch { throw CLIError("--witness \(text): \(error)") }
        }
        var checkpoints: [SignedCheckpoint] = []
        for source in witnessed {
            let text: String
            if source.hasPrefix("http://") || source.hasPrefix("https://"), let url = URL(string: source) {
                let (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 15))
                guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                    throw CLIError("--witnessed \(source): the witness has no checkpoint there")
                }
                text = String(decoding: data, as: UTF8.self)
            } else {
                do { text = try String(contentsOfFile: source, encoding: .utf8) } catch {
                    throw CLIError("--witnessed \(source): \(error.localizedDescription)")
                }
            }
            do {
                let note = try SignedNote(parsing: text)
                let checkpoint = try SignedCheckpoint(note: note)
                let lines = note.signatures.map(\.line)
                guard verifiers.contains(where: { v in lines.contains { (try? v.verify(line: $0, for: checkpoint.checkpoint)) != nil } }) else {
                    throw CLIError("--witnessed \(source): no cosignature by the given witness keys verifies")
                }
                checkpoints.append(checkpoint)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("--witnessed \(source): not a cosigned checkpoint (\(error))")
            }
        }
        return WitnessRequirement(verifiers: verifiers, witnessedCheckpoints: checkpoints)
    }

    func run() async throws {
        let started = Date()
        let report: VerificationReport
        let witnesses = try await witnessRequirement()
        do {
            if global.isPostgres {
                var logger = Logger(label: "buckstop.postgres")
                logger.logLevel = .error
                report = try await PostgresStore.verify(
                    location: try PostgresLocation(url: global.databasePath), publicKeyHex: publicKey, witnesses: witnesses, logger: logger)
            } else {
                report = try await SQLiteStore.verifier(path: global.databasePath, publicKeyHex: publicKey, witnesses: witnesses).verify()
            }
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
        let seconds = Date().timeIntervalSince(started)
        if report.isSound {
            print(
                "Nhật ký xử lý toàn vẹn / ledger sound: \(report.entries) entries, \(report.checkpoints) signed checkpoints, \(report.consistencyProofsChecked) consistency proofs, \(report.casesChecked) case projections and \(report.findingsChecked) findings match their entries"
                    + (witnesses == nil
                        ? "; no witness required (--witness)"
                        : ", \(report.cosignaturesChecked) witness cosignatures, witnessed up to \(report.witnessedSize ?? 0)")
                    + ", \(String(format: "%.2f", seconds)) s"
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
