import ArgumentParser
import BuckStopStore
import Foundation
import Logging

/// `buckstop migrate --from FILE --to postgres://…`: moves a SQLite store (or a backup) into an empty PostgreSQL
/// database in one transaction — ledger, tree nodes, checkpoints, projections, findings, sealed personal data, access
/// tables — and then checks the move: the target's ledger verifies against the carried checkpoints, every table has
/// as many rows as the source, and the newest signed checkpoint is the same. Personal data stays sealed with the
/// same data key, so the source's key file is the target's.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Chuyển dữ liệu sang PostgreSQL / move a SQLite store into PostgreSQL, verified.")

    @Option(help: "The SQLite store (or backup file) to move.")
    var from: String

    @Option(help: "The empty PostgreSQL database: postgres://user:password@host:port/database[?schema=NAME].")
    var to: String

    @Option(help: "The source's key file (default FROM.keys); the target uses the same keys.")
    var keys: String?

    func run() async throws {
        let started = Date()
        guard FileManager.default.fileExists(atPath: from) else { throw CLIError("--from: no database at \(from)", category: .notFound) }
        let location: PostgresLocation
        do { location = try PostgresLocation(url: to) } catch { throw CLIError("--to: \(error)") }
        let keyPath = keys ?? from + ".keys"
        let keys: StoreKeys
        do { keys = try StoreKeys(fileText: try String(contentsOfFile: keyPath, encoding: .utf8)) } catch {
            throw CLIError("--keys: cannot read the source's key file \(keyPath): \(error)")
        }
        var logger = Logger(label: "buckstop.migrate")
        logger.logLevel = .error
        let source = from
        let sourceCounts = try SQLiteStore.rowCounts(path: from)
        let sourceCheckpoint = try await SQLiteStore.verifier(path: from, publicKeyHex: nil).verify()
        guard sourceCheckpoint.isSound else { throw CLIError("the source does not verify: \(sourceCheckpoint.problems.first ?? "?")") }
        let configuration = PostgresStoreConfiguration(location: location, keys: keys)
        do {
            try await PostgresStore.withStore(configuration, logger: logger) { store in
                let moved = try await store.importTables { sink in try await StoreCopy.readSQLite(path: source, sink) }
                let report = try await store.verify()
                guard report.isSound else { throw CLIError("the moved ledger does not verify: \(report.problems.first ?? "?")") }
                let targetCounts = try await store.rowCounts()
                let differing = StoreCopy.tables.map(\.name).filter {
                    sourceCounts[$0] != targetCounts[$0] || moved[$0, default: 0] != targetCounts[$0]
                }
                guard differing.isEmpty else {
                    let counts = differing.map { "\($0) source \(sourceCounts[$0] ?? 0), moved \(moved[$0] ?? 0), target \(targetCounts[$0] ?? 0)" }
                    throw CLIError(
                        "row counts differ after the move: \(counts.joined(separator: "; ")) (was the source written to during the move?)",
                        category: .storageFailure)
                }
                guard report.entries == sourceCheckpoint.entries, report.checkpoints == sourceCheckpoint.checkpoints else {
                    throw CLIError(
                        "the target has \(report.entries) entries and \(report.checkpoints) checkpoints, the source \(sourceCheckpoint.entries) and \(sourceCheckpoint.checkpoints)"
                    )
                }
                print(
                    "Đã chuyển / moved \(from) → \(location): \(report.entries) ledger entries, \(report.checkpoints) signed checkpoints "
                        + "(verified), \(targetCounts["case_state"] ?? 0) cases, \(targetCounts["finding"] ?? 0) findings, "
                        + "\(targetCounts["personal_data"] ?? 0) sealed personal records, \(targetCounts.values.reduce(0, +)) rows in all; "
                        + String(format: "%.1f s", Date().timeIntervalSince(started)))
            }
        } catch let error as StoreError {
            throw CLIError("\(location): \(error)")
        }
    }
}
