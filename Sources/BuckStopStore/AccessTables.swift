import BuckStopDomain
import Foundation
import GRDB

/// A web session as stored: only the SHA-256 of the cookie's token is kept.
public struct StoredSession: Sendable, Hashable {
    public var official: OfficialID
    public var csrf: String
    public var expiresAt: Int64

    public init(official: OfficialID, csrf: String, expiresAt: Int64) {
        self.official = official
        self.csrf = csrf
        self.expiresAt = expiresAt
    }
}

/// Whom an API token acts as. A token never acts as just anyone: either it is one official's, or it belongs to a
/// system with its own identity that may act only for the officials listed on it.
public enum TokenSubject: Sendable, Hashable {
    /// Every action through the token is this official's, within their role.
    case official(OfficialID)
    /// A system (the one-stop-shop system mirroring its users' actions) acting for the officials listed; with
    /// `importsHistory` it may also give an action's time (within `InputBounds`), otherwise the server stamps its own.
    case integration(actsFor: Set<OfficialID>, importsHistory: Bool)
}

/// An API client's token: a name, its scopes and whom it acts as; only the token's SHA-256 is kept.
public struct StoredAPIToken: Sendable, Hashable {
    public var name: String
    public var scopes: Set<String>
    public var subject: TokenSubject

    public init(name: String, scopes: Set<String>, subject: TokenSubject) {
        self.name = name
        self.scopes = scopes
        self.subject = subject
    }

    /// The token's subject as stored: `official` or (`acts_for` one id per line, `imports_history`).
    var columns: (official: String?, actsFor: String, importsHistory: Bool) {
        switch subject {
        case .official(let id): (id.rawValue, "", false)
        case .integration(let actsFor, let imports): (nil, actsFor.map(\.rawValue).sorted().joined(separator: "\n"), imports)
        }
    }

    init(name: String, scopes: String, official: String?, actsFor: String, importsHistory: Bool) {
        self.name = name
        self.scopes = Set(scopes.split(separator: " ").map(String.init))
        if let official {
            subject = .official(OfficialID(official))
        } else {
            subject = .integration(actsFor: Set(actsFor.split(separator: "\n").map { OfficialID(String($0)) }), importsHistory: importsHistory)
        }
    }
}

/// Passwords, sessions and API tokens. Sessions are not synced to disk on every login: losing one in a power cut
/// only means logging in again, while an append is never acknowledged before it is on disk.
extension SQLiteStore {
    public func setPasswordHash(_ hash: String, for official: OfficialID, at time: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO account (official, password_hash, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(official) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
                    """, arguments: [official.rawValue, hash, time])
        }
        try await walSync.sync()
    }

    /// Sets the same hash for many officials in one transaction (the demo's shared password).
    public func setPasswordHash(_ hash: String, for officials: [OfficialID], at time: Int64) async throws {
        try await pool.write { db in
            let statement = try db.makeStatement(
                sql: """
                    INSERT INTO account (official, password_hash, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(official) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
                    """)
            for official in officials { try statement.execute(arguments: [official.rawValue, hash, time]) }
        }
        try await walSync.sync()
    }

    public func passwordHash(of official: OfficialID) async throws -> String? {
        try keyRead { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM account WHERE official = ?", arguments: [official.rawValue])
        }
    }

    public func createSession(token: String, official: OfficialID, csrf: String, now: Int64, expiresAt: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [now])
            try db.execute(
                sql: "INSERT INTO session (token_hash, official, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(StoreTokens.hash(token)), official.rawValue, csrf, now, expiresAt])
        }
    }

    public func session(token: String, now: Int64) async throws -> StoredSession? {
        try keyRead { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT official, csrf, expires_at FROM session WHERE token_hash = ? AND expires_at > ?"),
                arguments: [Data(StoreTokens.hash(token)), now]
            ).map {
                StoredSession(
                    official: OfficialID(try $0.decode(String.self, atIndex: 0)), csrf: try $0.decode(atIndex: 1),
                    expiresAt: try $0.decode(atIndex: 2))
            }
        }
    }

    public func deleteSession(token: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM session WHERE token_hash = ?", arguments: [Data(StoreTokens.hash(token))]) }
    }

    public func createAPIToken(token: String, client: StoredAPIToken, now: Int64) async throws {
        let subject = client.columns
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_token (token_hash, name, scopes, official, acts_for, imports_history, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    Data(StoreTokens.hash(token)), client.name, client.scopes.sorted().joined(separator: " "), subject.official, subject.actsFor,
                    subject.importsHistory, now,
                ])
        }
        try await walSync.sync()
    }

    public func apiToken(token: String) async throws -> StoredAPIToken? {
        try keyRead { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT name, scopes, official, acts_for, imports_history FROM api_token WHERE token_hash = ? AND revoked_at IS NULL"),
                    arguments: [Data(StoreTokens.hash(token))])
            else { return nil }
            return StoredAPIToken(
                name: try row.decode(atIndex: 0), scopes: try row.decode(atIndex: 1), official: try row.decode(atIndex: 2),
                actsFor: try row.decode(atIndex: 3), importsHistory: try row.decode(atIndex: 4))
        }
    }

    public func revokeAPIToken(name: String, at time: Int64) async throws -> Int {
        let changed = try await pool.write { db in
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [time, name])
            return db.changesCount
        }
        try await walSync.sync()
        return changed
    }

    public func recordDisciplineView(_ view: DisciplineView) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO discipline_view (finding, viewer, entry, at) VALUES (?, ?, ?, ?)",
                arguments: [view.finding, view.viewer.rawValue, view.entry, view.at])
        }
        try await walSync.sync()
    }

    public func disciplineViews(finding: String) async throws -> [DisciplineView] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT viewer, entry, at FROM discipline_view WHERE finding = ? ORDER BY at, entry, viewer", arguments: [finding]
            ).map { DisciplineView(finding: finding, viewer: OfficialID($0[0] as String), entry: $0[1], at: $0[2]) }
        }
    }

    /// A cheap query that fails when the database cannot be read (readiness).
    public func ping() async throws {
        _ = try keyRead { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
