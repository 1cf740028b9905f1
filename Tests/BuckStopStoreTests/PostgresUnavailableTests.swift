import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Logging
import Testing

@testable import BuckStopStore

/// A PostgreSQL store whose database cannot be reached answers quickly with `unavailable` (the server's 503) instead
/// of waiting with the pool's endless reconnection attempts. Needs no server: nothing listens on the port used.
@Suite struct PostgresUnavailableTests {
    static func unreachable() throws -> PostgresStore {
        let location = try PostgresLocation(url: "postgres://nobody:secret@127.0.0.1:9/none")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try PostgresStore(
            configuration: PostgresStoreConfiguration(location: location, keys: StoreKeys.generate(), connectTimeout: .seconds(1)), logger: logger)
    }

    /// No timing bounds here (the suite runs beside CPU-heavy tests; `Scripts/pg-outage.sh` measures the real
    /// figures): a hang is what the time limit catches.
    @Test(.timeLimit(.minutes(3))) func operationsFailAsUnavailableInsteadOfWaitingForever() async throws {
        let store = try Self.unreachable()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.runPool() }
            defer { group.cancelAll() }
            await #expect {
                try await store.ping()
            } throws: { error in
                guard case StoreError.unavailable = error else { return false }
                return true
            }
            #expect(store.watch.looksDown)
            // Appends fail the same way (the organisation as a server that was up would hold it), and now that the
            // database looks down, fast.
            store.org.withLock { $0 = SampleCity.organization }
            let result = await store.appendBatch([
                .action(SampleCity.act("STP-251120-0001", by: "cv-an", at: SampleCity.t0, .comment(text: "thử")))
            ])
            if case .failure(let error) = result.first, case .unavailable = error {} else { Issue.record("expected unavailable, got \(result)") }
            #expect(store.watch.inFlight == 0, "nothing is left waiting")
        }
    }

    @Test func urlsAreCheckedAndPasswordsStayOutOfMessages() throws {
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://127.0.0.1/db") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://u@h/db?schema=x;drop") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://u@h/db?sslmode=require") }
        let location = try PostgresLocation(url: "postgresql://u:p%40ss@db.example:6543/buckstop?schema=city_1")
        #expect(location.password == "p@ss" && location.port == 6543 && location.schema == "city_1")
        #expect(!location.description.contains("p@ss") && !"\(location)".contains("ss"))
        #expect(PostgresLocation.redacted("postgres://u:topsecret@h/db") == "postgres://u:***@h/db")
    }
}
