import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

/// What only the embedded store does: it syncs the WAL itself (group commit) and hands out checkpoints only once
/// they are known to be on disk. PostgreSQL's COMMIT is its own durability point.
@Suite struct SQLiteStoreTests {
    @Test func everyAcknowledgedAppendIsSyncedToDisk() async throws {
        try await StoreFixture.with(.sqlite) { fx in
            let store = try #require(fx.sqlite)
            // SQLite leaves syncing to the store (NORMAL); the store syncs the WAL before it answers.
            #expect(try store.synchronousLevel() == 1)
            let syncsBefore = store.walSyncCount
            let ids = try await fx.seed(cases: 2)  // 6 appends, one at a time
            #expect(store.walSyncCount - syncsBefore == 6, "one WAL sync per acknowledged commit")
            // A rejected request commits nothing and needs no sync.
            await #expect(throws: StoreError.self) {
                try await store.append(.action(SampleCity.act(ids[0], by: "cv-an", at: SampleCity.t0 + 9999, .resolve(result: "x"))))
            }
            #expect(store.walSyncCount - syncsBefore == 6)

            // A checkpoint written by another writer is made durable before this one hands it out.
            try await fx.withReopened { other in
                try await other.append(
                    .action(SampleCity.act(ids[1], by: "tp-hcbt", at: SampleCity.t0 + 9999, .decide(decision: "Cấp", rationale: "Đủ"))))
                try await other.checkpoint()
            }
            let syncsBeforeRead = store.walSyncCount
            #expect(try await store.latestCheckpoint()?.checkpoint.size == 7)
            #expect(store.walSyncCount == syncsBeforeRead + 1, "unknown durability: synced before handing it out")
            _ = try await store.latestCheckpoint()
            #expect(store.walSyncCount == syncsBeforeRead + 1, "known durable: no second sync")
        }
    }
}
