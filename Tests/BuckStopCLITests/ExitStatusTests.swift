import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

/// `buckstop` exits with the status its help documents for each category of failure, through the real binary.
@Suite struct ExitStatusTests {
    func sampleCity(_ cli: CLIRunner) throws {
        let yamlPath = cli.directory + "/org.yaml"
        try YAMLLoading.encode(SampleCity.organization).write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let loaded = try cli.run(["org", "load", yamlPath])
        #expect(loaded.status == 0, "\(loaded.stderr)")
    }

    func openCase(_ cli: CLIRunner) throws -> String {
        let opened = try cli.run([
            "case", "open", "--kind", "dossier", "--procedure", "LLTP-CAPPHIEU", "--title", "Cấp Phiếu lý lịch tư pháp", "--unit", "stp",
            "--owner", "cv-an",
        ])
        #expect(opened.status == 0, "\(opened.stderr)")
        return String(try #require(opened.stdout.firstMatch(of: /STP-\d{6}-\d{4}/)).output)
    }

    @Test func theHelpListsTheExitStatuses() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let help = try cli.run(["--help"], withDatabase: false)
        #expect(help.status == 0)
        for line in [
            "Exit status:", "3   refused", "4   not found", "5   conflict", "64  usage", "65  invalid input", "74  storage", "75  unavailable",
            "78  configuration",
        ] {
            #expect(help.stdout.contains(line), "\(line) in: \(help.stdout)")
        }
    }

    @Test func eachCategoryExitsWithItsDocumentedStatus() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try sampleCity(cli)
        let code = try openCase(cli)

        // 64: the command line does not parse (the argument parser's own).
        let usage = try cli.run(["case", "act", code])
        #expect(usage.status == 64, "\(usage.stderr)")
        // 65: a value that is not what it should be.
        let kind = try cli.run(["case", "open", "--kind", "lawsuit", "--title", "x", "--unit", "stp", "--owner", "cv-an"])
        #expect(kind.status == 65 && kind.stderr.contains("--kind"), "\(kind.status) \(kind.stderr)")
        // 3: the rules refuse: only the case's owner may transfer it.
        let refused = try cli.run(["case", "act", code, "transfer", "--as", "cv-binh", "--to", "cv-an", "--reason", "Không phải của tôi"])
        #expect(refused.status == 3, "\(refused.status) \(refused.stderr)")
        // 4: no such case (from the store), no such case to show, no database.
        let unknown = try cli.run(["case", "act", "STP-000000-9999", "comment", "--as", "cv-an", "--text", "x"])
        #expect(unknown.status == 4, "\(unknown.status) \(unknown.stderr)")
        let missing = try cli.run(["case", "show", "NO-SUCH-CASE"])
        #expect(missing.status == 4 && missing.stderr.contains("NO-SUCH-CASE"), "\(missing.status) \(missing.stderr)")
        let fresh = try cli.run(["inbox", "--official", "cv-an", "--db", cli.directory + "/nothing-here.sqlite"], withDatabase: false)
        #expect(fresh.status == 4 && fresh.stderr.contains("no database"), "\(fresh.status) \(fresh.stderr)")
        // 5: a backup never overwrites a file.
        try "x".write(toFile: cli.directory + "/taken.sqlite", atomically: true, encoding: .utf8)
        let taken = try cli.run(["backup", "--out", cli.directory + "/taken.sqlite"])
        #expect(taken.status == 5, "\(taken.status) \(taken.stderr)")
        // 78: a key file that is not the database's.
        let other = cli.directory + "/other.sqlite"
        let made = try cli.run(["org", "load", cli.directory + "/org.yaml", "--db", other], withDatabase: false)
        #expect(made.status == 0, "\(made.stderr)")
        let wrongKeys = try cli.run(["inbox", "--official", "cv-an", "--keys", other + ".keys"])
        #expect(wrongKeys.status == 78 && wrongKeys.stderr.contains("configuration does not match"), "\(wrongKeys.status) \(wrongKeys.stderr)")
        // 74: the database fails while writing (a trigger raising, as a full or damaged disk would); nothing is written.
        try cli.sqlite("CREATE TRIGGER refuse_entries BEFORE INSERT ON ledger_entry BEGIN SELECT RAISE(ABORT, 'disk says no'); END;")
        let failed = try cli.run(["case", "act", code, "comment", "--as", "cv-an", "--text", "Ghi chú"])
        #expect(failed.status == 74 && failed.stderr.contains("disk says no"), "\(failed.status) \(failed.stderr)")
        try cli.sqlite("DROP TRIGGER refuse_entries;")
        #expect(try cli.run(["verify"]).status == 0)
    }

    /// 75: the database cannot be reached (nothing listens on port 9); the operator may retry.
    @Test(.timeLimit(.minutes(2))) func anUnreachableDatabaseExitsAsUnavailable() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try sampleCity(cli)
        let down = try cli.run(
            ["inbox", "--official", "cv-an", "--db", "postgres://nobody:secret@127.0.0.1:9/none", "--keys", cli.database + ".keys"],
            withDatabase: false)
        #expect(down.status == 75, "\(down.status) \(down.stderr)")
        #expect(!down.stderr.contains("secret"), "the password stays out of the message: \(down.stderr)")
    }
}
