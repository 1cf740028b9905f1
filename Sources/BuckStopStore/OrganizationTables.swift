import BuckStopDomain
import GRDB

/// The organisation as rows. Restructuring replaces units and officials but never deletes a unit
/// or official that a case refers to (the foreign keys refuse it).
enum OrganizationTables {
    static func load(_ db: Database) throws -> Organization? {
        let unitRows = try Row.fetchAll(db, sql: "SELECT * FROM unit ORDER BY id")
        guard !unitRows.isEmpty else { return nil }
        let units = try unitRows.map { row -> Unit in
            let id: String = try row.decode(forColumn: "id")
            guard let kind = UnitKind(rawValue: try row.decode(forColumn: "kind")) else { throw StoreError.database("unit \(id): bad kind") }
            return Unit(
                id: UnitID(id), name: try row.decode(forColumn: "name"), nameEn: try row.decode(forColumn: "name_en"), kind: kind,
                parent: try row.decode(String?.self, forColumn: "parent").map(UnitID.init(rawValue:)), code: try row.decode(forColumn: "code"),
                head: try row.decode(String?.self, forColumn: "head").map(OfficialID.init(rawValue:)),
                deputies: try row.decode(String.self, forColumn: "deputies").split(separator: "\n").map { OfficialID(String($0)) })
        }
        let officials = try Row.fetchAll(db, sql: "SELECT * FROM official ORDER BY id").map { row -> Official in
            let roles = try row.decode(String.self, forColumn: "roles").split(separator: ",").compactMap { Role(rawValue: String($0)) }
            return Official(
                id: OfficialID(try row.decode(String.self, forColumn: "id")), name: try row.decode(forColumn: "name"),
                unit: UnitID(try row.decode(String.self, forColumn: "unit")), position: try row.decode(forColumn: "position"), roles: Set(roles),
                active: try row.decode(forColumn: "active"))
        }
        let mandates = try Row.fetchAll(db, sql: "SELECT * FROM mandate").map { row -> Mandate in
            guard let kind = CaseKind(rawValue: try row.decode(forColumn: "case_kind")) else { throw StoreError.database("mandate: bad case kind") }
            return Mandate(
                unit: UnitID(try row.decode(String.self, forColumn: "unit")), caseKind: kind, procedure: try row.decode(forColumn: "procedure"))
        }
        do {
            return try Organization(units: units, officials: officials, mandates: mandates)
        } catch {
            throw StoreError.rejected(error)
        }
    }

    static func save(_ db: Database, _ org: Organization) throws {
        try db.execute(sql: "DELETE FROM mandate")
        for unit in org.units.values.sorted(by: { $0.id < $1.id }) {
            try db.execute(
                sql: """
                    INSERT INTO unit (id, name, name_en, kind, parent, code, head, deputies) VALUES (?,?,?,?,?,?,?,?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
                        parent = excluded.parent, code = excluded.code, head = excluded.head, deputies = excluded.deputies
                    """,
                arguments: [
                    unit.id.rawValue, unit.name, unit.nameEn, unit.kind.rawValue, unit.parent?.rawValue, unit.code,
                    unit.head?.rawValue, unit.deputies.map(\.rawValue).joined(separator: "\n"),
                ])
        }
        for official in org.officials.values.sorted(by: { $0.id < $1.id }) {
            try db.execute(
                sql: """
                    INSERT INTO official (id, name, unit, position, roles, active) VALUES (?,?,?,?,?,?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, unit = excluded.unit, position = excluded.position,
                        roles = excluded.roles, active = excluded.active
                    """,
                arguments: [
                    official.id.rawValue, official.name, official.unit.rawValue, official.position,
                    official.roles.map(\.rawValue).sorted().joined(separator: ","), official.active,
                ])
        }
        for mandate in org.mandates {
            try db.execute(
                sql: "INSERT OR IGNORE INTO mandate (unit, case_kind, procedure) VALUES (?,?,?)",
                arguments: [mandate.unit.rawValue, mandate.caseKind.rawValue, mandate.procedure])
        }
    }
}
