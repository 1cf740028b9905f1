import ArgumentParser
import BuckStopStore
import Foundation

/// Options every command shares; configuration is read here, once, and passed inward.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env BUCKSTOP_DB; default ./buckstop.sqlite).")
    var db: String?

    @Option(name: .long, help: "Key file with the checkpoint signing key and the personal-data key (env BUCKSTOP_KEYS; default DB.keys). BUCKSTOP_SIGNING_KEY and BUCKSTOP_DATA_KEY (base64) override it.")
    var keys: String?

    var databasePath: String { db ?? ProcessInfo.processInfo.environment["BUCKSTOP_DB"] ?? "./buckstop.sqlite" }

    var keyFilePath: String { keys ?? ProcessInfo.processInfo.environment["BUCKSTOP_KEYS"] ?? databasePath + ".keys" }

    /// Keys from the environment, else the key file; a new key file is created only for a new database.
    func loadKeys() throws -> StoreKeys {
        let env = ProcessInfo.processInfo.environment
        if let signing = env["BUCKSTOP_SIGNING_KEY"], let data = env["BUCKSTOP_DATA_KEY"] {
            return try StoreKeys(fileText: "signing-key: \(signing)\ndata-key: \(data)\n")
        }
        let path = keyFilePath
        if FileManager.default.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw CLIError("cannot read key file \(path): \(error.localizedDescription)")
            }
            do { return try StoreKeys(fileText: text) } catch { throw CLIError("key file \(path): \(error)") }
        }
        if FileManager.default.fileExists(atPath: databasePath) {
            throw CLIError(
                "the database \(databasePath) exists but its key file \(path) does not; pass --keys or set BUCKSTOP_SIGNING_KEY and BUCKSTOP_DATA_KEY")
        }
        let keys = StoreKeys.generate()
        guard FileManager.default.createFile(atPath: path, contents: Data(keys.fileText.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CLIError("cannot create key file \(path)") }
        return keys
    }

    func openStore(checkpointInterval: Int = 1024) throws -> SQLiteStore {
        let keys = try loadKeys()
        return try SQLiteStore(configuration: StoreConfiguration(path: databasePath, keys: keys, checkpointInterval: checkpointInterval))
    }
}

/// A user-facing error: printed as is, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
