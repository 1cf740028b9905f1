import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Logging

/// Options every command shares; configuration is read here, once, and passed inward.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file, or postgres://user:password@host:port/database (env BUCKSTOP_DB; default ./buckstop.sqlite).")
    var db: String?

    @Option(
        name: .long,
        help:
            "Key file with the checkpoint signing key and the personal-data key (env BUCKSTOP_KEYS; default DB.keys). BUCKSTOP_SIGNING_KEY and BUCKSTOP_DATA_KEY (base64) override it."
    )
    var keys: String?

    @Option(help: "Rulebook YAML replacing the default Vietnamese one (env BUCKSTOP_RULEBOOK).")
    var rulebook: String?

    @Option(help: "Holiday decisions CSV (format of holidays-vn.csv) replacing the shipped one (env BUCKSTOP_HOLIDAYS).")
    var holidays: String?

    var databasePath: String { db ?? ProcessInfo.processInfo.environment["BUCKSTOP_DB"] ?? "./buckstop.sqlite" }

    var isPostgres: Bool { PostgresLocation.isURL(databasePath) }

    /// A PostgreSQL store's keys default to ./buckstop-postgres.keys (every server on the database needs the same file).
    var keyFilePath: String {
        keys ?? ProcessInfo.processInfo.environment["BUCKSTOP_KEYS"] ?? (isPostgres ? "./buckstop-postgres.keys" : databasePath + ".keys")
    }

    /// Keys from the environment, else the key file; a new key file is created only for a new database (for
    /// PostgreSQL: only by the commands that set a database up).
    func loadKeys(creating: Bool = false) throws -> StoreKeys {
        let env = ProcessInfo.processInfo.environment
        if let signing = env["BUCKSTOP_SIGNING_KEY"], let data = env["BUCKSTOP_DATA_KEY"] {
            return try StoreKeys(fileText: "signing-key: \(signing)\ndata-key: \(data)\n")
        }
        let path = keyFilePath
        if FileManager.default.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw CLIError("cannot read key file \(path): \(error.localizedDescription)", category: .misconfigured)
            }
            do { return try StoreKeys(fileText: text) } catch { throw CLIError("key file \(path): \(error)", category: .misconfigured) }
        }
        if isPostgres, !creating {
            throw CLIError(
                "no key file at \(path) for \(PostgresLocation.redacted(databasePath)); pass --keys (the file the database was set up with)",
                category: .misconfigured)
        }
        if !isPostgres, FileManager.default.fileExists(atPath: databasePath) {
            throw CLIError(
                "the database \(databasePath) exists but its key file \(path) does not; pass --keys or set BUCKSTOP_SIGNING_KEY and BUCKSTOP_DATA_KEY",
                category: .misconfigured)
        }
        let keys = StoreKeys.generate()
        guard FileManager.default.createFile(atPath: path, contents: Data(keys.fileText.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIError("cannot create key file \(path)", category: .storageFailure) }
        return keys
    }

    func loadRulebook() throws -> Rulebook {
        guard let path = rulebook ?? ProcessInfo.processInfo.environment["BUCKSTOP_RULEBOOK"] else { return try Defaults.rulebook() }
        do { return try YAMLLoading.rulebook(from: try Self.read(path)) } catch { throw CLIError("rulebook \(path): \(error)") }
    }

    /// Weekends, the holiday decisions (compensatory days off, make-up working Saturdays) and, for
    /// years without a decision, the statutory holidays with lunar dates computed for UTC+7.
    func loadCalendar() throws -> WorkingCalendar {
        WorkingCalendar(decisions: try loadHolidayDecisions())
    }

    /// The decided holiday rows `loadCalendar` builds the calendar from (the demo's ground truth counts its own working
    /// days from them).
    func loadHolidayDecisions() throws -> [CalendarDay] {
        guard let path = holidays ?? ProcessInfo.processInfo.environment["BUCKSTOP_HOLIDAYS"] else {
            return try Defaults.holidayDecisions().filter { Defaults.decidedHolidayStatuses.contains($0.status) }
        }
        do {
            let rows = try HolidayDecisionFile.parse(try Self.read(path))
            return rows.filter { Defaults.decidedHolidayStatuses.contains($0.status) }
        } catch { throw CLIError("holiday file \(path): \(error)") }
    }

    private static func read(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CLIError("cannot read \(path): \(error.localizedDescription)", category: .notFound)
        }
    }

    /// Runs `body` with the store open: SQLite for a file path, PostgreSQL for a postgres:// URL (its connection
    /// pool runs for the duration). Only commands that set a database up (`demo`, `org load`, `serve --demo`) may
    /// create one; the others refuse a path with no database instead of silently making an empty one.
    func withStore<T>(
        creating: Bool = false, checkpointInterval: Int = 1024, logger: Logger? = nil, _ body: (any LedgerStore) async throws -> T
    ) async throws -> T {
        guard isPostgres else { return try await body(try openStore(creating: creating, checkpointInterval: checkpointInterval)) }
        let location: PostgresLocation
        do { location = try PostgresLocation(url: databasePath) } catch { throw CLIError("--db: \(error)") }
        let keys = try loadKeys(creating: creating)
        var quiet = Logger(label: "buckstop.postgres")
        quiet.logLevel = .error
        let configuration = PostgresStoreConfiguration(location: location, keys: keys, checkpointInterval: checkpointInterval)
        do {
            return try await PostgresStore.withStore(configuration, logger: logger ?? quiet) { store in try await body(store) }
        } catch let error as StoreError {
            throw CLIError("\(location): \(error)")
        }
    }

    /// Runs `body` with the live ledger over the store: the one way an entry is written, so that an action from the
    /// command line is checked and detected exactly as one from the web.
    func withLiveLedger<T>(creating: Bool = false, _ body: (LiveLedger) async throws -> T) async throws -> T {
        let rulebook = try loadRulebook()
        let calendar = try loadCalendar()
        let keys = try loadKeys()
        var logger = Logger(label: "buckstop.live")
        logger.logLevel = .error
        return try await withStore(creating: creating) { store in
            let live = try LiveLedger(
                store: store, rulebook: rulebook, calendar: calendar, citizenKeys: CitizenKeys(dataKey: keys.dataKey), logger: logger)
            return try await body(live)
        }
    }

    /// Opens a SQLite store (see `withStore`).
    func openStore(creating: Bool = false, checkpointInterval: Int = 1024) throws -> SQLiteStore {
        if !creating, !FileManager.default.fileExists(atPath: databasePath) {
            throw CLIError("no database at \(databasePath); run `buckstop demo` or `buckstop org load FILE` first, or pass --db", category: .notFound)
        }
        let keys = try loadKeys()
        return try SQLiteStore(configuration: StoreConfiguration(path: databasePath, keys: keys, checkpointInterval: checkpointInterval))
    }
}

/// A user-facing error: printed as is, with the exit status of its category (`ExitStatus`). A message that names an
/// error (`CLIError("\(path): \(error)")`) takes that error's category; one that names none is `invalidInput` (a
/// value or a file that is not what it should be) unless a category is given.
struct CLIError: Error, CustomStringConvertible, CategorizedError {
    let description: String
    let category: FailureCategory

    init(_ message: Message, category: FailureCategory? = nil) {
        description = message.text
        self.category = category ?? message.category ?? .invalidInput
    }

    /// A message put together from strings (`"…" + more`): only the given category counts.
    @_disfavoredOverload
    init(_ text: String, category: FailureCategory = .invalidInput) {
        description = text
        self.category = category
    }

    /// The text, and the category of the first categorized error interpolated into it.
    struct Message: ExpressibleByStringInterpolation {
        var text: String
        var category: FailureCategory?

        init(stringLiteral value: String) { text = value }
        init(stringInterpolation: Interpolation) {
            text = stringInterpolation.text
            category = stringInterpolation.category
        }

        struct Interpolation: StringInterpolationProtocol {
            var text = ""
            var category: FailureCategory?

            init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity) }
            mutating func appendLiteral(_ literal: String) { text += literal }
            mutating func appendInterpolation<T>(_ value: T) { text += String(describing: value) }
            mutating func appendInterpolation<E: Error>(_ error: E) {
                if category == nil, let categorized = error as? any CategorizedError { category = categorized.category }
                text += String(describing: error)
            }
        }
    }
}
