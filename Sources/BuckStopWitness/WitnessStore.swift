import BuckStopLedger
import Foundation
import GRDB

/// A witness's own storage: for each log it follows, the latest checkpoint it cosigned (C2SP tlog-witness asks for no
/// more) and the cosigned note it serves to anyone who asks. One SQLite file, apart from any log's database: the
/// witness is run by someone else (the inspectorate, a superior body) precisely so that the log's operator cannot
/// rewrite it.
public final class WitnessStore: Sendable {
    let queue: DatabaseQueue

    public init(path: String) throws {
        if path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw WitnessError.storage("cannot create \(path)")
            }
        }
        queue = try path == ":memory:" ? DatabaseQueue() : DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-log-state") { db in
            try db.execute(
                sql: """
                    CREATE TABLE log_state (
                        origin      TEXT PRIMARY KEY NOT NULL,
                        size        INTEGER NOT NULL CHECK (size >= 0),
                        root        BLOB NOT NULL CHECK (length(root) = 32),
                        note        TEXT NOT NULL,
                        cosigned_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        try migrator.migrate(queue)
    }

    /// Reads the state of the request's log, decides with `TlogWitness.addCheckpoint` and keeps the new state, in one
    /// write transaction: two requests for one log can never both cosign from the same old size (tlog-witness's race).
    func addCheckpoint(
        body: [UInt8], logs: [String: WitnessedLog], cosigners: [CosignatureSigner], timestamp: Int64
    ) throws -> Result<WitnessCosigning, WitnessRefusal> {
        try queue.write { db in
            var states: [String: WitnessLogState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT origin, size, root FROM log_state") {
                let origin: String = try row.decode(atIndex: 0)
                guard let root = TreeHash(bytes: [UInt8](try row.decode(Data.self, atIndex: 2))) else {
                    throw WitnessError.storage("log_state for \(origin): root is not 32 bytes")
                }
                states[origin] = WitnessLogState(size: try row.decode(atIndex: 1), rootHash: root)
            }
            do {
                let cosigned = try TlogWitness.addCheckpoint(
                    body: body, log: { logs[$0] }, state: { states[$0] }, cosigners: cosigners, timestamp: timestamp)
                try db.execute(
                    sql: """
                        INSERT INTO log_state (origin, size, root, note, cosigned_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note,
                            cosigned_at = excluded.cosigned_at
                        """,
                    arguments: [
                        cosigned.cosignedNote.text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "",
                        cosigned.newState.size, Data(cosigned.newState.rootHash.bytes), cosigned.cosignedNote.serialized, timestamp,
                    ])
                return .success(cosigned)
            } catch let refusal as WitnessRefusal {
                return .failure(refusal)
            }
        }
    }

    /// The latest cosigned note of a log (its checkpoint, the log's signature and this witness's cosignatures).
    public func latestNote(origin: String) throws -> String? {
        try queue.read { db in try String.fetchOne(db, sql: "SELECT note FROM log_state WHERE origin = ?", arguments: [origin]) }
    }

    /// Every log's latest cosigned size, for the witness's own page.
    public func sizes() throws -> [String: Int] {
        try queue.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT origin, size FROM log_state") {
                out[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1)
            }
            return out
        }
    }
}

public enum WitnessError: Error, CustomStringConvertible, Sendable {
    case storage(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .storage(let why): "witness storage: \(why)"
        case .configuration(let why): "witness configuration: \(why)"
        }
    }
}
