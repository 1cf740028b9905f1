import BuckStopDomain
import Logging
import PostgresNIO

/// The organisation as rows in PostgreSQL (see `OrganizationTables` for the SQLite twin): restructuring replaces
/// units and officials but never deletes one a case refers to.
enum PostgresOrganization {
    static func load(_ conn: PostgresConnection, logger: Logger) async throws -> Organization? {
        let units = try await PostgresStore.rows(
            conn, "SELECT id, name, name_en, kind, parent, code, head, deputies FROM unit ORDER BY id", logger: logger
        ) { row -> Unit in
            let id = try row.string(0)
            guard let kind = UnitKind(rawValue: try row.string(3)) else { throw StoreError.database("unit \(id): bad kind") }
            let deputies = try row.string(7)
            return Unit(
                id: UnitID(id), name: try row.string(1), nameEn: try row.optionalString(2), kind: kind,
                parent: try row.optionalString(4).map(UnitID.init(rawValue:)), code: try row.string(5),
                head: try row.optionalString(6).map(OfficialID.init(rawValue:)),
                deputies: deputies.split(separator: "\n").map { OfficialID(String($0)) })
        }
        guard !units.isEmpty else { return nil }
        let officials = try await PostgresStore.rows(
            conn, "SELECT id, name, unit, position, roles, active FROM official ORDER BY id", logger: logger
        ) { row -> Official in
            let roles = try row.string(4).split(separator: ",").compactMap { Role(rawValue: String($0)) }
            return Official(
                id: OfficialID(try row.string(0)), name: try row.string(1), unit: UnitID(try row.string(2)), position: try row.string(3),
                roles: Set(roles), active: try row.bool(5))
        }
        let mandates = try await PostgresStore.rows(conn, "SELECT unit, case_kind, procedure FROM mandate", logger: logger) { row -> Mandate in
            guard let kind = CaseKind(rawValue: try row.string(1)) else { throw StoreError.database("mandate: bad case kind") }
            return Mandate(unit: UnitID(try row.string(0)), caseKind: kind, procedure: try row.optionalString(2))
        }
        do {
            return try Organization(units: units, officials: officials, mandates: mandates)
        } catch {
            throw StoreError.rejected(error)
        }
    }

    static func save(_ conn: PostgresConnection, _ org: Organization, logger: Logger) async throws {
        try await conn.query("DELETE FROM mandate", logger: logger)
        for unit in org.units.values.sorted(by: { $0.id < $1.id }) {
            try await conn.query(
                """
                INSERT INTO unit (id, name, name_en, kind, parent, code, head, deputies)
                VALUES (\(unit.id.rawValue), \(unit.name), \(unit.nameEn), \(unit.kind.rawValue), \(unit.parent?.rawValue), \(unit.code),
                        \(unit.head?.rawValue), \(unit.deputies.map(\.rawValue).joined(separator: "\n")))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
                    parent = excluded.parent, code = excluded.code, head = excluded.head, deputies = excluded.deputies
                """, logger: logger)
        }
        for official in org.officials.values.sorted(by: { $0.id < $1.id }) {
            try await conn.query(
                """
                INSERT INTO official (id, name, unit, position, roles, active)
                VALUES (\(official.id.rawValue), \(official.name), \(official.unit.rawValue), \(official.position),
                        \(official.roles.map(\.rawValue).sorted().joined(separator: ",")), \(official.active))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit, position = excluded.position,
                    roles = excluded.roles, active = excluded.active
                """, logger: logger)
        }
        for mandate in org.mandates {
            try await conn.query(
                """
                INSERT INTO mandate (unit, case_kind, procedure) VALUES (\(mandate.unit.rawValue), \(mandate.caseKind.rawValue), \(mandate.procedure))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }
}
