import BuckStopDomain
import GRDB

/// The organisation as rows. Restructuring replaces units and officials but never deletes a unit
/// or official that a case refers to (the foreign keys refuse it).
enum OrganizationTables {
    static func load(_ db: Database) throws -> Organization? {
        let unitRows = try Row.fetchAll(db, sql: "SELECT * FROM unit ORDER BY id")
        guard !unitRows.isEmpty else { return nil }
        let units = try unitRows.map { row -> Unit in
            guard let kind = UnitKind(rawValue: row["kind"]) else { throw StoreError.database("unit \(row["id"] as String): bad kind") }
            return Unit(
                id: UnitID(row["id"] as String), name: row["name"], nameEn: row["name_en"], kind: kind,
                parent: (row["parent"] as String?).map(UnitID.init(rawValue:)), code: row["code"],
                head: (row["head"] as String?).map(OfficialID.init(rawValue:)),
                deputies: (row["deputies"] as String).split(separator: "\n").map { OfficialID(String($0)) })
        }
        let officials = try Row.fetchAll(db, sql: "SELECT * FROM official ORDER BY id").map { row -> Official in
            let roles = (row["roles"] as String).split(separator: ",").compactMap { Role(rawValue: String($0)) }
            return Official(
                id: OfficialID(row["id"] as String), name: row["name"], unit: UnitID(row["unit"] as String),
                position: row["position"], roles: Set(roles), active: row["active"])
        }
        let mandates = try Row.fetchAll(db, sql: "SELECT * FROM mandate").map { row -> Mandate in
            guard let kind = CaseKind(rawValue: row["case_kind"]) else { throw StoreError.database("mandate: bad case kind") }
            return Mandate(unit: UnitID(row["unit"] as String), caseKind: kind, procedure: row["procedure"])
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
