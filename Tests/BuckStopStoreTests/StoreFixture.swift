import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import GRDB

/// A fresh SQLite store in its own temporary directory, with the sample city installed.
struct StoreFixture {
    let directory: String
    let path: String
    let keys: StoreKeys
    let store: SQLiteStore

    static func make(checkpointInterval: Int = 1024) async throws -> StoreFixture {
        let directory = NSTemporaryDirectory() + "buckstop-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/test.sqlite"
        let keys = StoreKeys.generate()
        let store = try SQLiteStore(configuration: StoreConfiguration(path: path, keys: keys, checkpointInterval: checkpointInterval))
        try await store.saveOrganization(SampleCity.organization)
        return StoreFixture(directory: directory, path: path, keys: keys, store: store)
    }

    func reopen(checkpointInterval: Int = 1024) throws -> SQLiteStore {
        try SQLiteStore(configuration: StoreConfiguration(path: path, keys: keys, checkpointInterval: checkpointInterval))
    }

    /// Raw access for tests that play the attacker: triggers dropped, bytes changed behind the store's back.
    func tamper(_ sql: String, _ arguments: StatementArguments = []) throws {
        var config = Configuration()
        config.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS ledger_entry_no_update; DROP TRIGGER IF EXISTS ledger_entry_no_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Opens `count` dossiers and walks each through accept → escalate → decide.
    @discardableResult
    func seed(cases count: Int) async throws -> [CaseID] {
        var ids: [CaseID] = []
        let t0 = SampleCity.t0
        for i in 0..<count {
            let open = OpenCase(kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Hồ sơ \(i)", leadUnit: "stp", owner: "cv-an")
            let receipt = try await store.append(.open(open, actor: .official("cv-an"), at: t0 + Int64(i), code: nil, personalData: nil))
            ids.append(receipt.caseID)
            try await store.append(.action(SampleCity.act(receipt.caseID, by: "cv-an", at: t0 + 1000 + Int64(i), .accept(note: ""))))
            try await store.append(.action(SampleCity.act(receipt.caseID, by: "cv-an", at: t0 + 2000 + Int64(i), .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp"))))
        }
        return ids
    }
}
