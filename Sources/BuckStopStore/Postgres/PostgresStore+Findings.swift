import BuckStopDomain
import PostgresNIO

/// Finding reads (see `FindingTable` for the SQLite twin; rows decode through the same `FindingTable.decode`).
extension PostgresStore {
    public func findings(_ query: FindingQuery) async throws -> (findings: [StoredFinding], total: Int) {
        guard var q = Self.findingFilter(query) else { return ([], 0) }
        let count = QueryBuilder("SELECT COUNT(*) FROM finding \(q.sql)", binds: q.binds)
        let total = try await rows(count.query) { try $0.int(0) }.first ?? 0
        let filter = q.sql
        q.sql =
            "SELECT \(FindingTable.columns) FROM finding \(filter) ORDER BY raised_idx DESC LIMIT \(q.bind(query.limit)) OFFSET \(q.bind(query.offset))"
        return (try await rows(q.query, FindingTable.decode), total)
    }

    public func findingVersions(_ query: FindingQuery) async throws -> [(id: String, updatedIndex: Int64)] {
        guard var q = Self.findingFilter(query) else { return [] }
        let filter = q.sql
        q.sql = "SELECT id, updated_idx FROM finding \(filter) ORDER BY raised_idx DESC LIMIT \(q.bind(query.limit)) OFFSET \(q.bind(query.offset))"
        return try await rows(q.query) { (try $0.string(0), try $0.int64(1)) }
    }

    public func findings(ids: [String]) async throws -> [StoredFinding] {
        guard !ids.isEmpty else { return [] }
        var q = QueryBuilder("")
        q.sql = "SELECT \(FindingTable.columns) FROM finding WHERE id = ANY(\(q.bind(ids)))"
        return try await rows(q.query, FindingTable.decode)
    }

    public func finding(id: String) async throws -> StoredFinding? {
        try await findings(ids: [id]).first
    }

    public func findingTrend(units: [UnitID]?, sinceMillis: Int64) async throws -> [(month: String, detector: String, count: Int)] {
        var q = QueryBuilder("")
        var sql = """
            SELECT to_char(to_timestamp(observed_at / 1000 + 7 * 3600) AT TIME ZONE 'UTC', 'YYYY-MM') AS month, detector, COUNT(*)
            FROM finding WHERE observed_at >= \(q.bind(sinceMillis))
            """
        if let units {
            if units.isEmpty { return [] }
            sql += " AND unit = ANY(\(q.bind(units.map(\.rawValue))))"
        }
        q.sql = sql + " GROUP BY month, detector ORDER BY month, detector"
        return try await rows(q.query) { (try $0.string(0), try $0.string(1), try $0.int(2)) }
    }

    public func findingCountsByOfficial(
        units: [UnitID]?, excludingDetectors: [String]
    ) async throws -> [(official: OfficialID, unit: UnitID?, open: Int, total: Int)] {
        var q = QueryBuilder("")
        // SQLite's GROUP BY official picks any row's unit; an official's findings carry their unit, so MIN is the same.
        var sql = """
            SELECT official, MIN(unit), COUNT(*) FILTER (WHERE status IN ('open','explained','upheld')) AS open, COUNT(*) AS total
            FROM finding WHERE official IS NOT NULL
            """
        if let units {
            if units.isEmpty { return [] }
            sql += " AND unit = ANY(\(q.bind(units.map(\.rawValue))))"
        }
        if !excludingDetectors.isEmpty { sql += " AND NOT (detector = ANY(\(q.bind(excludingDetectors))))" }
        q.sql = sql + " GROUP BY official ORDER BY open DESC, total DESC, official"
        return try await rows(q.query) { row in
            (OfficialID(try row.string(0)), try row.optionalString(1).map(UnitID.init(rawValue:)), try row.int(2), try row.int(3))
        }
    }

    public func findingCauses(units: [UnitID]?) async throws -> [FindingCauseCount] {
        var q = QueryBuilder("")
        var sql = "SELECT unit, detector, cause, COUNT(*) AS n FROM finding WHERE status = 'upheld' AND cause IS NOT NULL"
        if let units {
            if units.isEmpty { return [] }
            sql += " AND unit = ANY(\(q.bind(units.map(\.rawValue))))"
        }
        q.sql = sql + " GROUP BY unit, detector, cause ORDER BY n DESC, unit, detector, cause"
        return try await rows(q.query) { row in
            FindingCauseCount(
                unit: try row.optionalString(0).map(UnitID.init(rawValue:)), detector: try row.string(1), cause: try row.string(2),
                count: try row.int(3))
        }
    }

    /// The WHERE clause of a finding query with its binds; nil when the query can match nothing.
    static func findingFilter(_ query: FindingQuery) -> QueryBuilder? {
        var q = QueryBuilder("")
        var conditions: [String] = []
        if let c = query.caseID { conditions.append("case_id = \(q.bind(c.rawValue))") }
        if let o = query.official { conditions.append("official = \(q.bind(o.rawValue))") }
        if let units = query.units {
            if units.isEmpty { return nil }
            conditions.append("unit = ANY(\(q.bind(units.map(\.rawValue))))")
        }
        if let statuses = query.statuses, !statuses.isEmpty { conditions.append("status = ANY(\(q.bind(statuses.map(\.rawValue))))") }
        if let d = query.detector { conditions.append("detector = \(q.bind(d))") }
        if let after = query.raisedAfter { conditions.append("raised_idx > \(q.bind(after))") }
        q.sql = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return q
    }
}
