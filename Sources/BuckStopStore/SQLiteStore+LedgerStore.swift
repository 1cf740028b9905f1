import BuckStopDomain
import GRDB

extension SQLiteStore: LedgerStore {
    public var backend: String { "sqlite" }

    public func findingVersions(_ query: FindingQuery) throws -> [(id: String, updatedIndex: Int64)] {
        try pool.unsafeRead { db in try FindingTable.versions(db, query) }
    }

    public func findings(ids: [String]) throws -> [StoredFinding] {
        try pool.unsafeRead { db in try FindingTable.fetch(db, ids: ids) }
    }

    public func verify(publicKey: [UInt8]?) throws -> VerificationReport {
        try verifier(publicKey: publicKey).verify()
    }
}
