import BuckStopDomain
import GRDB

extension SQLiteStore: LedgerStore, DemoLabels {
    public var backend: String { "sqlite" }

    public func findingVersions(_ query: FindingQuery) async throws -> [(id: String, updatedIndex: Int64)] {
        try keyStatement { db in try FindingTable.versions(db, query) }
    }

    public func findings(ids: [String]) async throws -> [StoredFinding] {
        try keyStatement { db in try FindingTable.fetch(db, ids: ids) }
    }

    /// One read transaction for the whole page: taking a reader from GRDB's pool and BEGIN/COMMIT cost about as much
    /// as a small query, and the page sees one state of the database.
    public func casePage(_ id: CaseID, findings query: FindingQuery) async throws -> (
        state: CaseState?, history: [LedgerRecord], findings: [StoredFinding]
    ) {
        try keyRead { db in
            let known = histories.prefix(of: id)
            let history = histories.extend(id, known: known, with: try Self.entries(db, of: id, after: known.last?.index ?? -1))
            return (try CaseRow.fetch(db, id: id), history, try FindingTable.list(db, query).findings)
        }
    }

    public func inboxPage(
        of official: OfficialID, findings query: FindingQuery, known: [String: Int64]
    ) async throws -> (inbox: [CaseState], versions: [(id: String, updatedIndex: Int64)], findings: [StoredFinding], total: Int) {
        try keyRead { db in
            let versions = try FindingTable.versions(db, query)
            let missing = Self.unknown(versions, known: known)
            return (
                try Self.inbox(db, of: official), versions, missing.isEmpty ? [] : try FindingTable.fetch(db, ids: missing),
                try FindingTable.count(db, query)
            )
        }
    }

    public func verify(publicKey: [UInt8]?, witnesses: WitnessRequirement?) async throws -> VerificationReport {
        try await verifier(publicKey: publicKey, witnesses: witnesses).verify()
    }
}
