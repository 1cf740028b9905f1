import BuckStopDomain
import BuckStopLedger
import NIOCore
import PostgresNIO

/// Passwords, sessions, API tokens and personal data (see `AccessTables` and `SQLiteStore` for the SQLite twins).
extension PostgresStore {
    public func setPasswordHash(_ hash: String, for official: OfficialID, at time: Int64) async throws {
        try await setPasswordHash(hash, for: [official], at: time)
    }

    public func setPasswordHash(_ hash: String, for officials: [OfficialID], at time: Int64) async throws {
        guard !officials.isEmpty else { return }
        try await execute(
            """
            INSERT INTO account (official, password_hash, updated_at)
            SELECT o, \(hash), \(time) FROM UNNEST(\(officials.map(\.rawValue))::text[]) AS o
            ON CONFLICT (official) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
            """)
    }

    public func recordDisciplineView(_ view: DisciplineView) async throws {
        try await execute(
            "INSERT INTO discipline_view (finding, viewer, entry, at) VALUES (\(view.finding), \(view.viewer.rawValue), \(view.entry), \(view.at))")
    }

    public func disciplineViews(finding: String) async throws -> [DisciplineView] {
        try await rows("SELECT viewer, entry, at FROM discipline_view WHERE finding = \(finding) ORDER BY at, entry, viewer") { row in
            DisciplineView(finding: finding, viewer: OfficialID(try row.string(0)), entry: try row.int64(1), at: try row.int64(2))
        }
    }

    public func passwordHash(of official: OfficialID) async throws -> String? {
        try await rows("SELECT password_hash FROM account WHERE official = \(official.rawValue)") { try $0.string(0) }.first
    }

    public func createSession(token: String, official: OfficialID, csrf: String, now: Int64, expiresAt: Int64) async throws {
        let hash = ByteBuffer(bytes: StoreTokens.hash(token))
        try await transaction { conn in
            try await conn.query("DELETE FROM session WHERE expires_at < \(now)", logger: self.logger)
            try await conn.query(
                "INSERT INTO session (token_hash, official, csrf, created_at, expires_at) VALUES (\(hash), \(official.rawValue), \(csrf), \(now), \(expiresAt))",
                logger: self.logger)
        }
    }

    public func session(token: String, now: Int64) async throws -> StoredSession? {
        let hash = ByteBuffer(bytes: StoreTokens.hash(token))
        return try await rows("SELECT official, csrf, expires_at FROM session WHERE token_hash = \(hash) AND expires_at > \(now)") { row in
            StoredSession(official: OfficialID(try row.string(0)), csrf: try row.string(1), expiresAt: try row.int64(2))
        }.first
    }

    public func deleteSession(token: String) async throws {
        try await execute("DELETE FROM session WHERE token_hash = \(ByteBuffer(bytes: StoreTokens.hash(token)))")
    }

    public func createAPIToken(token: String, client: StoredAPIToken, now: Int64) async throws {
        let hash = ByteBuffer(bytes: StoreTokens.hash(token))
        let subject = client.columns
        try await execute(
            """
            INSERT INTO api_token (token_hash, name, scopes, official, acts_for, imports_history, created_at)
            VALUES (\(hash), \(client.name), \(client.scopes.sorted().joined(separator: " ")), \(subject.official), \(subject.actsFor),
                    \(subject.importsHistory), \(now))
            """)
    }

    public func apiToken(token: String) async throws -> StoredAPIToken? {
        let hash = ByteBuffer(bytes: StoreTokens.hash(token))
        return try await rows(
            "SELECT name, scopes, official, acts_for, imports_history FROM api_token WHERE token_hash = \(hash) AND revoked_at IS NULL"
        ) { row in
            StoredAPIToken(
                name: try row.string(0), scopes: try row.string(1), official: try row.optionalString(2), actsFor: try row.string(3),
                importsHistory: try row.bool(4))
        }.first
    }

    public func revokeAPIToken(name: String, at time: Int64) async throws -> Int {
        try await rows("UPDATE api_token SET revoked_at = \(time) WHERE name = \(name) AND revoked_at IS NULL RETURNING 1") { _ in 1 }.count
    }

    public func ping() async throws {
        _ = try await rows("SELECT 1") { try $0.int(0) }
    }

    // MARK: - Personal data

    public func personalData(ref: String) async throws -> PersonalData? {
        guard
            let row = try await rows("SELECT sealed IS NULL, sealed FROM personal_data WHERE ref = \(ref)", { (try $0.bool(0), try $0.blob(1)) })
                .first
        else { return nil }
        if row.0 { throw StoreError.personalDataErased(ref: ref) }
        return try vault.open(ref: ref, sealed: row.1)
    }

    public func personalDataMatchesLedger(ref: String) async throws -> Bool {
        guard
            let row = try await rows(
                """
                SELECT p.sealed IS NULL, p.salt, p.sealed, c.subject_hash FROM personal_data p JOIN case_state c ON c.id = p.case_id
                WHERE p.ref = \(ref)
                """, { (try $0.bool(0), try $0.blob(1), try $0.blob(2), try $0.optionalString(3)) }
            ).first
        else { return false }
        if row.0 { throw StoreError.personalDataErased(ref: ref) }
        let record = try vault.open(ref: ref, sealed: row.2)
        return PersonalDataVault.hash(salt: row.1, data: record) == row.3
    }

    public func erasePersonalData(ref: String, at time: Int64) async throws {
        try await execute("UPDATE personal_data SET sealed = NULL, salt = NULL, erased_at = \(time) WHERE ref = \(ref) AND erased_at IS NULL")
    }
}
