import BuckStopDomain
import BuckStopLedger
import Foundation
import GRDB

extension SQLiteStore {
    public func findings(_ query: FindingQuery) async throws -> (findings: [StoredFinding], total: Int) {
        try await pool.read { db in try FindingTable.list(db, query) }
    }

    public func finding(id: String) async throws -> StoredFinding? {
        try keyStatement { db in try FindingTable.fetch(db, id: id) }
    }

    /// Findings per month (of the behaviour, Vietnam time) and detector, for officials of the given units (nil = all).
    public func findingTrend(units: [UnitID]?, sinceMillis: Int64) async throws -> [(month: String, detector: String, count: Int)] {
        try await pool.read { db in
            var sql = """
                SELECT strftime('%Y-%m', observed_at / 1000 + 7 * 3600, 'unixepoch') AS month, detector, COUNT(*) AS n
                FROM finding WHERE observed_at >= ?
                """
            var arguments: [any DatabaseValueConvertible] = [sinceMillis]
            if let units {
                if units.isEmpty { return [] }
                sql += " AND unit IN (\(units.map { _ in "?" }.joined(separator: ",")))"
                arguments += units.map(\.rawValue)
            }
            sql += " GROUP BY month, detector ORDER BY month, detector"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                (try $0.decode(forColumn: "month"), try $0.decode(forColumn: "detector"), try $0.decode(forColumn: "n"))
            }
        }
    }

    public func findingCauses(units: [UnitID]?) async throws -> [FindingCauseCount] {
        try await pool.read { db in
            var sql = "SELECT unit, detector, cause, COUNT(*) AS n FROM finding WHERE status = 'upheld' AND cause IS NOT NULL"
            var arguments: [any DatabaseValueConvertible] = []
            if let units {
                if units.isEmpty { return [] }
                sql += " AND unit IN (\(units.map { _ in "?" }.joined(separator: ",")))"
                arguments += units.map(\.rawValue)
            }
            sql += " GROUP BY unit, detector, cause ORDER BY n DESC, unit, detector, cause"
            return try db.makeStatement(sql: sql).decodeAll(arguments: StatementArguments(arguments)) { row in
                FindingCauseCount(
                    unit: try row.optionalString(0).map(UnitID.init(rawValue:)), detector: try row.string(1), cause: try row.string(2),
                    count: Int(try row.int64(3)))
            }
        }
    }

    /// Open findings per official (nil units = everywhere), most first: the inspector's ranking.
    public func findingCountsByOfficial(
        units: [UnitID]?, excludingDetectors: [String]
    ) async throws -> [(official: OfficialID, unit: UnitID?, open: Int, total: Int)] {
        try await pool.read { db in
            var sql = """
                SELECT official, unit, SUM(status IN ('open','explained','upheld')) AS open, COUNT(*) AS total
                FROM finding WHERE official IS NOT NULL
                """
            var arguments: [any DatabaseValueConvertible] = []
            if let units {
                if units.isEmpty { return [] }
                sql += " AND unit IN (\(units.map { _ in "?" }.joined(separator: ",")))"
                arguments += units.map(\.rawValue)
            }
            if !excludingDetectors.isEmpty {
                sql += " AND detector NOT IN (\(excludingDetectors.map { _ in "?" }.joined(separator: ",")))"
                arguments += excludingDetectors
            }
            sql += " GROUP BY official ORDER BY open DESC, total DESC, official"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                (
                    OfficialID(try $0.decode(String.self, forColumn: "official")),
                    try $0.decode(String?.self, forColumn: "unit").map(UnitID.init(rawValue:)),
                    try $0.decode(forColumn: "open"), try $0.decode(forColumn: "total")
                )
            }
        }
    }

    /// Open cases held by officials of the given units, earliest due first.
    public func openCases(heldIn units: [UnitID], limit: Int = 500) async throws -> [CaseState] {
        guard !units.isEmpty else { return [] }
        return try await pool.read { db in
            try db.makeStatement(
                sql: """
                    SELECT \(CaseRow.columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
                    FROM case_state c JOIN official o ON o.id = c.owner
                    WHERE c.owner IS NOT NULL AND o.unit IN (\(units.map { _ in "?" }.joined(separator: ",")))
                    ORDER BY c.due_date IS NULL, c.due_date, c.owner_since LIMIT ?
                    """
            ).decodeAll(arguments: StatementArguments(units.map(\.rawValue) + [limit]), CaseRow.state(from:))
        }
    }

    /// Cases whose code or title contains every word of the query, diacritics ignored.
    public func searchCases(_ query: String, limit: Int = 50) async throws -> [CaseState] {
        let words = SearchText.fold(query).split(separator: " ").prefix(8)
        guard !words.isEmpty else { return [] }
        return try await pool.read { db in
            let conditions = words.map { _ in "s.text LIKE ? ESCAPE '\\'" }.joined(separator: " AND ")
            let patterns = words.map { "%" + Self.escapeLike(String($0)) + "%" }
            return try db.makeStatement(
                sql: """
                    SELECT \(CaseRow.columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
                    FROM case_search s JOIN case_state c ON c.id = s.case_id WHERE \(conditions)
                    ORDER BY c.updated_at DESC LIMIT ?
                    """
            ).decodeAll(arguments: StatementArguments(patterns + [limit]), CaseRow.state(from:))
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Cases closed per month (Vietnam time) with how many were late, for the given lead units (nil = all).
    public func closedTrend(units: [UnitID]?, sinceMillis: Int64) async throws -> [(month: String, closed: Int, late: Int)] {
        try await pool.read { db in
            var sql = """
                SELECT strftime('%Y-%m', closed_at / 1000 + 7 * 3600, 'unixepoch') AS month, COUNT(*) AS n,
                       SUM(due_date IS NOT NULL AND date(closed_at / 1000 + 7 * 3600, 'unixepoch') > due_date) AS late
                FROM case_state WHERE closed_at IS NOT NULL AND closed_at >= ?
                """
            var arguments: [any DatabaseValueConvertible] = [sinceMillis]
            if let units {
                if units.isEmpty { return [] }
                sql += " AND lead_unit IN (\(units.map { _ in "?" }.joined(separator: ",")))"
                arguments += units.map(\.rawValue)
            }
            sql += " GROUP BY month ORDER BY month"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                (try $0.decode(forColumn: "month"), try $0.decode(forColumn: "n"), try $0.decode(forColumn: "late"))
            }
        }
    }

    /// One entry's canonical bytes and leaf hash.
    public func entry(at index: Int64) async throws -> (body: [UInt8], record: LedgerRecord)? {
        try keyRead { db -> (body: [UInt8], record: LedgerRecord)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT body, leaf_hash FROM ledger_entry WHERE idx = ?", arguments: [index]) else {
                return nil
            }
            let body = [UInt8](try row.decode(Data.self, forColumn: "body"))
            let decoded = try LedgerEntryCodec.decode(body)
            guard let leaf = TreeHash(bytes: [UInt8](try row.decode(Data.self, forColumn: "leaf_hash"))) else {
                throw StoreError.database("entry \(index): bad leaf hash")
            }
            return (body, LedgerRecord(index: index, action: decoded.action, leafHash: leaf))
        }
    }
}

extension SQLiteStore {
    /// Cases filtered by status, lead unit or owner, or found by a diacritic-insensitive search; most recently
    /// changed first, with the total matching.
    public func listCases(status: CaseStatus?, unit: UnitID?, owner: OfficialID?, search: String?, limit: Int) async throws -> (
        cases: [CaseState], total: Int
    ) {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            var from = "case_state c"
            if let status {
                conditions.append("c.status = ?")
                arguments.append(status.rawValue)
            }
            if let unit {
                conditions.append("c.lead_unit = ?")
                arguments.append(unit.rawValue)
            }
            if let owner {
                conditions.append("c.owner = ?")
                arguments.append(owner.rawValue)
            }
            if let search {
                let words = SearchText.fold(search).split(separator: " ").prefix(8)
                if !words.isEmpty {
                    from += " JOIN case_search s ON s.case_id = c.id"
                    for w in words {
                        conditions.append("s.text LIKE ? ESCAPE '\\'")
                        arguments.append("%" + Self.escapeLike(String(w)) + "%")
                    }
                }
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(from) \(filter)", arguments: StatementArguments(arguments)) ?? 0
            let columns = CaseRow.columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(
                separator: ", ")
            let cases = try db.makeStatement(sql: "SELECT \(columns) FROM \(from) \(filter) ORDER BY c.updated_at DESC LIMIT ?")
                .decodeAll(arguments: StatementArguments(arguments + [limit]), CaseRow.state(from:))
            return (cases, total)
        }
    }

    public func cases(
        kind: CaseKind, procedure: ProcedureFilter, openedFrom: Int64, openedBefore: Int64, statuses: [CaseStatus]?, limit: Int
    ) async throws -> [CaseState] {
        try await pool.read { db in
            var conditions = ["kind = ?", "opened_at >= ?", "opened_at < ?"]
            var arguments: [any DatabaseValueConvertible] = [kind.rawValue, openedFrom, openedBefore]
            switch procedure {
            case .any: break
            case .none: conditions.append("procedure IS NULL")
            case .code(let code):
                conditions.append("procedure = ?")
                arguments.append(code)
            }
            if let statuses {
                guard !statuses.isEmpty else { return [] }
                conditions.append("status IN (" + statuses.map { _ in "?" }.joined(separator: ", ") + ")")
                arguments.append(contentsOf: statuses.map(\.rawValue) as [any DatabaseValueConvertible])
            }
            let sql = "SELECT \(CaseRow.columns) FROM case_state WHERE \(conditions.joined(separator: " AND ")) ORDER BY opened_at DESC LIMIT ?"
            return try db.makeStatement(sql: sql).decodeAll(arguments: StatementArguments(arguments + [limit]), CaseRow.state(from:))
        }
    }
}

extension SQLiteStore {
    /// Open cases per owner.
    public func openCaseCounts() async throws -> [OfficialID: Int] {
        try await pool.read { db in
            var out: [OfficialID: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT owner, COUNT(*) AS n FROM case_state WHERE owner IS NOT NULL GROUP BY owner") {
                out[OfficialID(try row.decode(String.self, forColumn: "owner"))] = try row.decode(forColumn: "n")
            }
            return out
        }
    }
}
