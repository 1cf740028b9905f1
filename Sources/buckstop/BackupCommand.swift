import ArgumentParser
import BuckStopStore
import Foundation

/// `buckstop backup --out FILE`: an online, consistent copy while servers keep appending. The copy is always a SQLite
/// store file — of a SQLite store through SQLite's backup API, of a PostgreSQL store table by table from one
/// REPEATABLE READ snapshot — so any backup can be verified with `buckstop verify --db FILE`, opened directly, or
/// moved back with `buckstop migrate`. It is written as FILE.partial and renamed only once complete and verified.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Sao lưu trực tuyến / online backup into a SQLite file (verified before it is kept).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The backup file to create (must not exist).")
    var out: String

    func run() async throws {
        let started = Date()
        guard !FileManager.default.fileExists(atPath: out) else {
            throw CLIError("--out: \(out) exists; a backup never overwrites a file", category: .conflict)
        }
        let counts: [String: Int]
        do {
            if global.isPostgres {
                let writer = try StoreCopy.SQLiteFileWriter(path: out)
                do {
                    try await global.withStore { store in
                        guard let postgres = store as? PostgresStore else { throw CLIError("expected a PostgreSQL store") }
                        try await postgres.readTables { chunk in try writer.write(chunk) }
                    }
                    try writer.finish()
                } catch {
                    writer.abandon()
                    throw error
                }
                counts = writer.rowsWritten
            } else {
                guard FileManager.default.fileExists(atPath: global.databasePath) else {
                    throw CLIError("no database at \(global.databasePath)", category: .notFound)
                }
                try SQLiteStore.backup(path: global.databasePath, to: out)
                counts = try SQLiteStore.rowCounts(path: out)
            }
        } catch let error as StoreError {
            throw CLIError("backup failed: \(error)")
        }
        let report = try await SQLiteStore.verifier(path: out, publicKeyHex: nil).verify()
        guard report.isSound else {
            try? FileManager.default.removeItem(atPath: out)
            throw CLIError("the copy does not verify (\(report.problems.first ?? "?")); removed it")
        }
        print(
            "Đã sao lưu / backed up \(PostgresLocation.redacted(global.databasePath)) → \(out): \(report.entries) ledger entries, "
                + "\(report.checkpoints) checkpoints, \(counts["case_state"] ?? 0) cases, \(counts.values.reduce(0, +)) rows; verified; "
                + String(format: "%.1f s", Date().timeIntervalSince(started)))
    }
}
