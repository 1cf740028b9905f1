import Foundation

/// Database files hold bcrypt hashes, session hashes and sealed personal data: only their owner reads them. A new
/// file is created empty with mode 0600 before SQLite opens it; SQLite gives its `-wal` and `-shm` files the same
/// mode as the database file.
enum PrivateFile {
    static func prepare(_ path: String) throws {
        guard path != ":memory:", !FileManager.default.fileExists(atPath: path) else { return }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.database("cannot create \(path)")
        }
    }
}
