import Foundation
import Testing

/// `backup` and `migrate` as an operator runs them, and the CLI on a PostgreSQL URL. The PostgreSQL half runs when
/// `POSTGRES_*` name a server (always in CI); each run uses its own schema.
@Suite(.serialized) struct StorageCLITests {
    static let postgresURL: String? = {
        let env = ProcessInfo.processInfo.environment
        guard let host = env["POSTGRES_HOST"], let user = env["POSTGRES_USER"], let db = env["POSTGRES_DB"] else { return nil }
        let password = env["POSTGRES_PASSWORD"].map { ":" + $0 } ?? ""
        return "postgres://\(user)\(password)@\(host):\(env["POSTGRES_PORT"] ?? "5432")/\(db)"
    }()

    @Test func sqliteBackupIsAVerifiedCopyAndNeverOverwrites() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--cases", "200"]).status == 0)
        let copy = cli.directory + "/copy.sqlite"
        let backup = try cli.run(["backup", "--out", copy])
        #expect(backup.status == 0, "\(backup.stderr)")
        // 200 cases and the units' reception books.
        let copied = backup.stdout.split(separator: " ").firstIndex { $0.hasPrefix("cases") }.flatMap { i in
            i > 0 ? Int(backup.stdout.split(separator: " ")[i - 1]) : nil
        }
        #expect(backup.stdout.contains("verified") && (copied ?? 0) > 200, "\(backup.stdout)")
        // The copy is a store of its own: the same key file opens it, and verify passes on it.
        try FileManager.default.copyItem(atPath: cli.database + ".keys", toPath: copy + ".keys")
        #expect(try cli.run(["verify", "--db", copy], withDatabase: false).status == 0)
        let listed = try cli.run(["case", "show", "--db", copy], withDatabase: false)
        #expect(listed.status == 0 && listed.stdout.contains("ledger"), "\(listed.stderr)")
        let again = try cli.run(["backup", "--out", copy])
        #expect(again.status != 0 && again.stderr.contains("exists"), "a backup never overwrites a file")
        #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))
    }

    @Test func badPostgresURLsNameTheProblem() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let noHost = try cli.run(["verify", "--db", "postgres:///buckstop"], withDatabase: false)
        #expect(noHost.status != 0 && noHost.stderr.contains("no host"), "\(noHost.stderr)")
        let noDatabase = try cli.run(["case", "show", "--db", "postgres://u:secret@127.0.0.1:5432/", "--keys", "k"], withDatabase: false)
        #expect(noDatabase.status != 0 && noDatabase.stderr.contains("database name"), "\(noDatabase.stderr)")
        #expect(!noDatabase.stderr.contains("secret"), "the password never appears in messages")
        let badSchema = try cli.run(["migrate", "--from", "x.sqlite", "--to", "postgres://u@h/db?schema=a;drop"], withDatabase: false)
        #expect(badSchema.status != 0)
    }

    /// A city moves from SQLite to PostgreSQL: everything arrives, verified; the CLI works on the new database; a
    /// backup of it is a SQLite store that verifies and holds the same ledger.
    @Test(.enabled(if: StorageCLITests.postgresURL != nil)) func migrateToPostgresThenBackUpAgain() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let demo = try cli.run(["demo", "--cases", "300"])
        #expect(demo.status == 0)
        let official = try #require(demo.stdout.firstMatch(of: /inbox --official (\S+)/)).output.1
        let code = try #require(demo.stdout.firstMatch(of: /case show (\S+)/)).output.1
        let schema = "cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let url = try #require(Self.postgresURL) + "?schema=" + schema
        let keys = cli.database + ".keys"
        let moved = try cli.run(["migrate", "--from", cli.database, "--to", url], withDatabase: false)
        #expect(moved.status == 0, "\(moved.stderr)")
        // 300 cases and the units' reception books.
        let words = moved.stdout.split(separator: " ")
        let movedCases = words.firstIndex { $0.hasPrefix("cases") }.flatMap { i in i > 0 ? Int(words[i - 1]) : nil }
        #expect(moved.stdout.contains("(verified)") && (movedCases ?? 0) > 300, "\(moved.stdout)")
        let source = try cli.run(["verify"])
        let target = try cli.run(["verify", "--db", url], withDatabase: false)
        #expect(target.status == 0, "\(target.stderr)")
        let entries = { (text: String) in text.firstMatch(of: /(\d+) entries, (\d+) signed checkpoints/).map { "\($0.output.1)/\($0.output.2)" } }
        #expect(entries(target.stdout) != nil && entries(target.stdout) == entries(source.stdout))
        // A second move into the same database is refused: it is no longer empty.
        let twice = try cli.run(["migrate", "--from", cli.database, "--to", url], withDatabase: false)
        #expect(twice.status != 0 && twice.stderr.contains("not empty"))
        // The moved store works: the official's inbox, a comment through the CLI, and the ledger verifies one longer.
        let inbox = try cli.run(["inbox", "--official", String(official), "--db", url, "--keys", keys], withDatabase: false)
        #expect(inbox.status == 0 && inbox.stdout.contains(String(code)), "\(inbox.stderr)")
        let comment = try cli.run(
            ["case", "act", String(code), "comment", "--as", String(official), "--text", "Đã chuyển sang PostgreSQL", "--db", url, "--keys", keys],
            withDatabase: false)
        #expect(comment.status == 0, "\(comment.stderr)")
        #expect(
            try cli.run(["case", "act", String(code), "comment", "--as", String(official), "--text", "x"]).status == 0, "the source goes on alone")
        let backup = cli.directory + "/pg-backup.sqlite"
        let copied = try cli.run(["backup", "--db", url, "--keys", keys, "--out", backup], withDatabase: false)
        #expect(copied.status == 0, "\(copied.stderr)")
        try FileManager.default.copyItem(atPath: keys, toPath: backup + ".keys")
        let copyVerified = try cli.run(["verify", "--db", backup], withDatabase: false)
        #expect(copyVerified.status == 0, "\(copyVerified.stderr)")
        let sourceCount = try #require(source.stdout.firstMatch(of: /(\d+) entries/)).output.1
        let copyCount = try #require(copyVerified.stdout.firstMatch(of: /(\d+) entries/)).output.1
        #expect(Int(copyCount) == Int(sourceCount)! + 1, "the backup holds the comment made after the move")
    }
}
