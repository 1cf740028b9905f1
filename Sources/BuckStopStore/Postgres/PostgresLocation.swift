import Foundation

/// Where a PostgreSQL store lives, from a `postgres://user:password@host:port/database` URL (also `postgresql://`);
/// `?schema=NAME` keeps the tables in that schema instead of `public` (several ledgers in one database, the tests).
/// The password never appears in `description` (which goes to logs).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String?

    public init(host: String, port: Int = 5432, user: String, password: String?, database: String, schema: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool { text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") }

    public init(url text: String) throws(StoreError) {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw StoreError.invalidLocation("expected postgres://user:password@host:port/database, found '\(Self.redacted(text))'")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidLocation("no host in '\(Self.redacted(text))' (expected postgres://user:password@host:port/database)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidLocation("no user in '\(Self.redacted(text))' (expected postgres://user:password@host:port/database)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidLocation("no database name in '\(Self.redacted(text))' (expected …/database)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw StoreError.invalidLocation("port \(port) in '\(Self.redacted(text))' is not 1–65535")
        }
        var schema: String?
        for item in components.queryItems ?? [] {
            guard item.name == "schema", let value = item.value else {
                throw StoreError.invalidLocation("unknown URL parameter '\(item.name)' in '\(Self.redacted(text))' (only schema=NAME is understood)")
            }
            guard Self.isPlainName(value) else {
                throw StoreError.invalidLocation("schema '\(value)': expected letters, digits and _ (starting with a letter)")
            }
            schema = value
        }
        self.init(
            host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: database.removingPercentEncoding ?? database,
            schema: schema)
    }

    /// An identifier safe to put in SQL unquoted.
    public static func isPlainName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 63 else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        return letter(first) && scalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }

    /// From `POSTGRES_HOST`, `POSTGRES_PORT`, `POSTGRES_USER`, `POSTGRES_PASSWORD` and `POSTGRES_DB`; nil unless host,
    /// user and database are all set (the gate of the live-database tests).
    public static func fromEnvironment(_ environment: [String: String]) -> PostgresLocation? {
        guard let host = environment["POSTGRES_HOST"], let user = environment["POSTGRES_USER"], let db = environment["POSTGRES_DB"] else {
            return nil
        }
        return PostgresLocation(
            host: host, port: environment["POSTGRES_PORT"].flatMap(Int.init) ?? 5432, user: user, password: environment["POSTGRES_PASSWORD"],
            database: db)
    }

    public var url: String {
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "")
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "") }

    /// The URL with any password replaced, for error messages.
    public static func redacted(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
