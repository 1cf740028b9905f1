import BuckStopDomain
import BuckStopLedger
import BuckStopTestSupport
import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import BuckStopStore

/// The stores every store test runs against: SQLite always; PostgreSQL when `POSTGRES_HOST`, `POSTGRES_USER` and
/// `POSTGRES_DB` (with `POSTGRES_PORT`, `POSTGRES_PASSWORD`) name a server — `.ci/run` starts one, so in CI both run.
enum StoreBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    static let postgres = PostgresLocation.fromEnvironment(ProcessInfo.processInfo.environment)
    static var available: [StoreBackend] { postgres == nil ? [.sqlite] : [.sqlite, .postgresql] }
    var testDescription: String { rawValue }
}

/// A value bound into the raw SQL of a test that plays the attacker or checks the schema.
enum RawValue: Sendable {
    case text(String)
    case int(Int64)
    case blob([UInt8])
}

/// A fresh store with the sample city installed: SQLite in its own temporary directory, or PostgreSQL in its own
/// schema (dropped afterwards). `body` runs while the store is open; for PostgreSQL its pool runs alongside.
struct StoreFixture: Sendable {
    let backend: StoreBackend
    let keys: StoreKeys
    let store: any LedgerStore
    /// SQLite: the database file.
    let path: String
    /// PostgreSQL: where the store lives (with its schema).
    let location: PostgresLocation?

    static let quiet: Logger = {
        var logger = Logger(label: "buckstop.test.postgres")
        logger.logLevel = .error
        return logger
    }()

    static func with(
        _ backend: StoreBackend, checkpointInterval: Int = 1024, _ body: (StoreFixture) async throws -> Void
    ) async throws {
        let keys = StoreKeys.generate()
        switch backend {
        case .sqlite:
            let directory = NSTemporaryDirectory() + "buckstop-test-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/test.sqlite"
            let store = try SQLiteStore(configuration: StoreConfiguration(path: path, keys: keys, checkpointInterval: checkpointInterval))
            try await store.saveOrganization(SampleCity.organization)
            try await body(StoreFixture(backend: backend, keys: keys, store: store, path: path, location: nil))
        case .postgresql:
            var location = try #require(StoreBackend.postgres)
            location.schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            // Few connections per store: the tests run in parallel against one server (max_connections 200). The whole
            // suite runs on a 2-core machine's two cooperative threads, and CPU-bound tests (the demo generator, the
            // browser scenario's server) can hold both for a minute: a lease waits as long as an operation may take,
            // not the production minute, or the store tests fail for the machine's load, not the store (seen in CI).
            let configuration = PostgresStoreConfiguration(
                location: location, keys: keys, checkpointInterval: checkpointInterval, maximumConnections: 4,
                operationDeadline: .seconds(300), leaseLimit: .seconds(300))
            try await PostgresStore.withStore(configuration, logger: quiet) { store in
                let drop = PostgresQuery(unsafeSQL: "DROP SCHEMA \(location.schema!) CASCADE")
                do {
                    try await store.saveOrganization(SampleCity.organization)
                    try await body(StoreFixture(backend: backend, keys: keys, store: store, path: "", location: location))
                } catch {
                    try? await store.execute(drop)
                    throw error
                }
                try await store.execute(drop)
            }
        }
    }

    var sqlite: SQLiteStore? { store as? SQLiteStore }

    /// A second store on the same database: another server process, as far as the first one can tell.
    func withReopened<T>(checkpointInterval: Int = 1024, keys: StoreKeys? = nil, _ body: (any LedgerStore) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite:
            return try await body(
                try SQLiteStore(configuration: StoreConfiguration(path: path, keys: keys ?? self.keys, checkpointInterval: checkpointInterval)))
        case .postgresql:
            let configuration = PostgresStoreConfiguration(
                location: location!, keys: keys ?? self.keys, checkpointInterval: checkpointInterval, maximumConnections: 4,
                operationDeadline: .seconds(300), leaseLimit: .seconds(300))
            return try await PostgresStore.withStore(configuration, logger: Self.quiet) { try await body($0) }
        }
    }

    /// Verification as `buckstop verify` does it: no secrets, the public key the database records (or `publicKeyHex`).
    func verifyWithoutSecrets(publicKeyHex: String? = nil) async throws -> VerificationReport {
        switch backend {
        case .sqlite: try await SQLiteStore.verifier(path: path, publicKeyHex: publicKeyHex).verify()
        case .postgresql: try await PostgresStore.verify(location: location!, publicKeyHex: publicKeyHex, logger: Self.quiet)
        }
    }

    /// Raw SQL behind the store's back, with `?` placeholders; statements separated by `;` run in order. With
    /// `tampering` the ledger's append-only triggers are out of the way first (the attacker owns the database).
    func execute(_ sql: String, _ arguments: [RawValue] = [], tampering: Bool = false) async throws {
        switch backend {
        case .sqlite:
            var config = Configuration()
            config.foreignKeysEnabled = !tampering
            let queue = try DatabaseQueue(path: path, configuration: config)
            try await queue.writeWithoutTransaction { db in
                if tampering { try db.execute(sql: "DROP TRIGGER IF EXISTS ledger_entry_no_update; DROP TRIGGER IF EXISTS ledger_entry_no_delete") }
                try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.sqlite)))
            }
        case .postgresql:
            let postgres = store as! PostgresStore
            try await postgres.transaction { conn in
                if tampering {
                    // As the SQLite fixture turns foreign keys off: the entries' references from the projections go too.
                    for statement in [
                        "ALTER TABLE ledger_entry DISABLE TRIGGER USER", "ALTER TABLE case_state DROP CONSTRAINT case_state_last_idx_fkey",
                        "ALTER TABLE finding DROP CONSTRAINT finding_raised_idx_fkey", "ALTER TABLE finding DROP CONSTRAINT finding_updated_idx_fkey",
                    ] {
                        try await conn.query(PostgresQuery(unsafeSQL: statement), logger: Self.quiet)
                    }
                }
                var remaining = arguments[...]
                for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                    let (query, used) = Self.postgresQuery(statement, remaining)
                    remaining = remaining.dropFirst(used)
                    try await conn.query(query, logger: Self.quiet)
                }
            }
        }
    }

    /// Which schema rule a refused raw statement broke, read from the database's own code (SQLite's extended result
    /// code, PostgreSQL's SQLSTATE) — never from the message — so that a typo in the SQL, which fails too, cannot
    /// pass for the constraint under test.
    enum Violation: String {
        case check, appendOnly, foreignKey
    }

    func violation(_ sql: String, _ arguments: [RawValue] = []) async -> Violation? {
        if backend == .postgresql, let postgres = store as? PostgresStore {
            // The store's transaction turns errors into `StoreError`s; the SQLSTATE is read before that happens.
            let state = Mutex<String?>(nil)
            do {
                try await postgres.transaction { conn in
                    let (query, _) = Self.postgresQuery(sql, arguments[...])
                    do { try await conn.query(query, logger: Self.quiet) } catch let error as PSQLError {
                        state.withLock { $0 = error.serverInfo?[.sqlState] }
                        throw error
                    }
                }
                return nil
            } catch {
                switch state.withLock({ $0 }) {
                case "23514": return .check
                case "P0001": return .appendOnly
                case "23503": return .foreignKey
                default: return nil
                }
            }
        }
        do {
            try await execute(sql, arguments)
            return nil
        } catch let error as DatabaseError {
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_CHECK: return .check
            case .SQLITE_CONSTRAINT_TRIGGER: return .appendOnly
            case .SQLITE_CONSTRAINT_FOREIGNKEY: return .foreignKey
            default: return nil
            }
        } catch {
            return nil
        }
    }

    /// The first column of every row of a raw query.
    func column(_ sql: String, _ arguments: [RawValue] = []) async throws -> [RawValue?] {
        switch backend {
        case .sqlite:
            let queue = try DatabaseQueue(path: path)
            return try await queue.read { db in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(\.sqlite))).map { row -> RawValue? in
                    switch row[0] as DatabaseValue {
                    case let v where v.isNull: nil
                    case let v:
                        (Data.fromDatabaseValue(v).map { .blob([UInt8]($0)) } ?? Int64.fromDatabaseValue(v).map { .int($0) })
                            ?? String.fromDatabaseValue(v).map { .text($0) }
                    }
                }
            }
        case .postgresql:
            let postgres = store as! PostgresStore
            let (query, _) = Self.postgresQuery(sql, arguments[...])
            return try await postgres.rows(query) { row -> RawValue? in
                let cell = row.cells[0]
                guard let bytes = cell.bytes else { return nil }
                switch cell.dataType {
                case .bytea: return .blob(Array(bytes.readableBytesView))
                case .int2, .int4, .int8: return .int(try cell.decode(Int64.self))
                default: return .text(try cell.decode(String.self))
                }
            }
        }
    }

    func blob(_ sql: String, _ arguments: [RawValue] = []) async throws -> [UInt8]? {
        guard case .blob(let bytes)? = try await column(sql, arguments).first else { return nil }
        return bytes
    }

    func count(_ sql: String, _ arguments: [RawValue] = []) async throws -> Int64? {
        guard case .int(let n)? = try await column(sql, arguments).first else { return nil }
        return n
    }

    /// `?` placeholders numbered for PostgreSQL, with the values bound in order.
    static func postgresQuery(_ sql: String, _ arguments: ArraySlice<RawValue>) -> (PostgresQuery, Int) {
        var text = ""
        var binds = PostgresBindings()
        var next = arguments.startIndex
        for character in sql {
            guard character == "?" else {
                text.append(character)
                continue
            }
            switch arguments[next] {
            case .text(let s): binds.append(s)
            case .int(let n): binds.append(n)
            case .blob(let b): binds.append(ByteBuffer(bytes: b))
            }
            next += 1
            text += "$\(binds.count)"
        }
        return (PostgresQuery(unsafeSQL: text, binds: binds), next - arguments.startIndex)
    }

    /// Opens `count` dossiers and walks each through accept → escalate.
    @discardableResult
    func seed(cases count: Int) async throws -> [CaseID] {
        var ids: [CaseID] = []
        let t0 = SampleCity.t0
        for i in 0..<count {
            let open = OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ \(i)", leadUnit: "stp", owner: "cv-an")
            let receipt = try await store.append(
                .open(open, actor: .official("cv-an"), at: t0 + Int64(i), code: nil, personalData: nil, via: .generated("test")))
            ids.append(receipt.caseID)
            try await store.append(.action(SampleCity.act(receipt.caseID, by: "cv-an", at: t0 + 1000 + Int64(i), .accept(note: ""))))
            try await store.append(
                .action(SampleCity.act(receipt.caseID, by: "cv-an", at: t0 + 2000 + Int64(i), .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp"))))
        }
        return ids
    }

    /// The signed root of the checkpoint at `size`, read from the table.
    func checkpointRoot(size: Int) async throws -> TreeHash {
        let bytes = try #require(try await blob("SELECT root FROM checkpoint WHERE size = ?", [.int(Int64(size))]))
        return try #require(TreeHash(bytes: bytes))
    }
}

extension RawValue {
    var sqlite: any DatabaseValueConvertible {
        switch self {
        case .text(let s): s
        case .int(let n): n
        case .blob(let b): Data(b)
        }
    }
}
