import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

@Suite(.serialized) struct CLITests {
    /// Loads the sample city into a fresh database through `org load`.
    func sampleCity(_ cli: CLIRunner) throws {
        let yamlPath = cli.directory + "/org.yaml"
        try YAMLLoading.encode(SampleCity.organization).write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let loaded = try cli.run(["org", "load", yamlPath])
        #expect(loaded.status == 0, "\(loaded.stderr)")
    }

    @Test func driveACaseByHand() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try sampleCity(cli)
        let opened = try cli.run([
            "case", "open", "--kind", "dossier", "--procedure", "LLTP-CAPPHIEU", "--title", "Cấp Phiếu lý lịch tư pháp", "--unit", "stp",
            "--owner", "cv-an", "--applicant-name", "Trần Văn Dân", "--applicant-id", "048090009999",
        ])
        #expect(opened.status == 0, "\(opened.stderr)")
        let code = try #require(opened.stdout.firstMatch(of: /STP-\d{6}-\d{4}/)).output
        #expect(opened.stdout.contains("Võ Thị An"))

        let empty = try cli.run(["case", "act", String(code), "escalate", "--as", "cv-an", "--to", "tp-hcbt"])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("--proposal"), "an escalation without a proposal names the missing field: \(empty.stderr)")

        let blank = try cli.run(["case", "act", String(code), "escalate", "--as", "cv-an", "--to", "tp-hcbt", "--proposal", "   "])
        #expect(blank.status != 0)

        let notOwner = try cli.run(["case", "act", String(code), "resolve", "--as", "cv-binh", "--result", "xong"])
        #expect(notOwner.status != 0)
        #expect(notOwner.stderr.contains("held by cv-an"), "\(notOwner.stderr)")

        let escalated = try cli.run([
            "case", "act", String(code), "escalate", "--as", "cv-an", "--to", "tp-hcbt", "--proposal", "Đủ điều kiện, đề xuất cấp",
        ])
        #expect(escalated.status == 0, "\(escalated.stderr)")

        let inbox = try cli.run(["inbox", "--official", "tp-hcbt"])
        #expect(inbox.status == 0)
        #expect(inbox.stdout.contains(String(code)))
        #expect(try cli.run(["inbox", "--official", "cv-an"]).stdout.contains("0 hồ sơ"))
        #expect(try cli.run(["inbox", "--official", "nobody"]).status != 0)

        let shown = try cli.run(["case", "show", String(code)])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("Trình cấp trên"))
        #expect(shown.stdout.contains("Đủ điều kiện, đề xuất cấp"))
        #expect(shown.stdout.contains("2/2 entries proven"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("Trần Văn Dân"), "the applicant's name is not printed from the ledger")

        #expect(try cli.run(["verify"]).status == 0)
    }

    /// `case act` writes through the live ledger: a case sent back to the official who sent it on raises the ping-pong
    /// finding in the same transaction as the transfer, exactly as the same two clicks on the web would.
    @Test func anActionFromTheCommandLineIsDetectedLikeOneFromTheWeb() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try sampleCity(cli)
        let opened = try cli.run([
            "case", "open", "--kind", "dossier", "--procedure", "LLTP-CAPPHIEU", "--title", "Cấp Phiếu lý lịch tư pháp", "--unit", "stp",
            "--owner", "cv-an",
        ])
        #expect(opened.status == 0, "\(opened.stderr)")
        let code = String(try #require(opened.stdout.firstMatch(of: /STP-\d{6}-\d{4}/)).output)
        let sent = try cli.run(["case", "act", code, "transfer", "--as", "cv-an", "--to", "cv-binh", "--reason", "Chuyển đồng chí Bình"])
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(!sent.stdout.contains("ping_pong"), "one transfer is not ping-pong: \(sent.stdout)")
        let back = try cli.run(["case", "act", code, "transfer", "--as", "cv-binh", "--to", "cv-an", "--reason", "Trả lại"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("ping_pong"), "the return raises the finding: \(back.stdout)")
        // The transfer is entry 2 (open 0, transfer 1): its finding is the very next entry, written with it.
        #expect(back.stdout.contains("ledger entry 2"), "\(back.stdout)")
        let shown = try cli.run(["case", "show", code])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("4/4 entries proven"), "open, two transfers and the finding are on the ledger: \(shown.stdout)")
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test func badArgumentsGetClearErrors() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        try sampleCity(cli)
        let kind = try cli.run(["case", "open", "--kind", "lawsuit", "--title", "x", "--unit", "stp", "--owner", "cv-an"])
        #expect(kind.status != 0 && kind.stderr.contains("--kind"))
        let unit = try cli.run(["case", "open", "--kind", "task", "--title", "x", "--unit", "nowhere", "--owner", "cv-an"])
        #expect(unit.status != 0 && unit.stderr.contains("nowhere"))
        let action = try cli.run(["case", "act", "X-1", "shrug", "--as", "cv-an"])
        #expect(action.status != 0 && action.stderr.contains("unknown action 'shrug'"))
        let date = try cli.run(["case", "act", "X-1", "reschedule", "--as", "cv-an", "--date", "2025-02-30", "--apology", "xin lỗi"])
        #expect(date.status != 0 && date.stderr.contains("--date"))
        let fresh = try cli.run(["inbox", "--official", "cv-an", "--db", cli.directory + "/nothing-here.sqlite"], withDatabase: false)
        #expect(fresh.status != 0 && fresh.stderr.contains("no database"), "reading commands never create an empty database")
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/nothing-here.sqlite"))
        let missing = try cli.run(["case", "show", "NO-SUCH-CASE"])
        #expect(missing.status != 0 && missing.stderr.contains("NO-SUCH-CASE"))
        let badYAML = cli.directory + "/bad.yaml"
        try "units:\n  - id: a\n    name: A\n    kind: ministry\n    code: A\nofficials: []\n".write(
            toFile: badYAML, atomically: true, encoding: .utf8)
        let org = try cli.run(["org", "load", badYAML])
        #expect(org.status != 0 && org.stderr.contains("units[0].kind"), "\(org.stderr)")
    }

    @Test func verifyCatchesEveryKindOfTampering() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let demo = try cli.run(["demo", "--cases", "40", "--seed", "3"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(try cli.run(["verify"]).status == 0)

        func tamperAndExpectFailure(_ sql: String, firstBad: Int) throws {
            let copy = cli.directory + "/copy.sqlite"
            try? FileManager.default.removeItem(atPath: copy)
            try cli.sqlite("VACUUM INTO '\(copy)'")
            defer {
                try? FileManager.default.removeItem(atPath: cli.database)
                try? FileManager.default.copyItem(atPath: copy, toPath: cli.database)
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.database + suffix) }
            }
            try cli.sqlite("DROP TRIGGER ledger_entry_no_update; DROP TRIGGER ledger_entry_no_delete; " + sql)
            let result = try cli.run(["verify"])
            #expect(result.status != 0, "tampering not caught: \(sql)")
            #expect(result.stderr.contains("first bad entry index \(firstBad)"), "\(sql): \(result.stderr)")
        }
        try tamperAndExpectFailure(
            "UPDATE ledger_entry SET body = CAST(replace(CAST(body AS TEXT), '\"v\":2', '\"v\":1') AS BLOB) WHERE idx = 17", firstBad: 17)
        try tamperAndExpectFailure("DELETE FROM ledger_entry WHERE idx = 5", firstBad: 5)
        try tamperAndExpectFailure(
            "UPDATE ledger_entry SET idx = 1000000 WHERE idx = 30; UPDATE ledger_entry SET idx = 30 WHERE idx = 31; UPDATE ledger_entry SET idx = 31 WHERE idx = 1000000",
            firstBad: 30)
        #expect(try cli.run(["verify"]).status == 0, "restored copy verifies again")
    }

    /// Witness keys from the command line, and `verify --witness`: a ledger no witness ever cosigned is not called sound
    /// when a witness is required; the database file is private to its owner.
    @Test func witnessKeysAndVerifyRequiringAWitness() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--cases", "20", "--seed", "5"]).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: cli.database)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the database holds password hashes and sealed personal data")
        let key = try cli.run(["witness", "key", "--key", cli.directory + "/w.key", "--name", "thanhtra.example/witness"], withDatabase: false)
        #expect(key.status == 0, "\(key.stderr)")
        let vkey = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(vkey.hasPrefix("thanhtra.example/witness+"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: cli.directory + "/w.key")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let again = try cli.run(["witness", "key", "--key", cli.directory + "/w.key"], withDatabase: false)
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == vkey, "the key file is read back, not replaced")
        let logKey = try cli.run(["witness", "log-key"])
        #expect(logKey.status == 0 && logKey.stdout.contains("+"))
        #expect(try cli.run(["verify"]).status == 0)
        let required = try cli.run(["verify", "--witness", vkey])
        #expect(required.status != 0)
        #expect(required.stderr.contains("no checkpoint that every witness cosigned"), "\(required.stderr)")
        let badKey = try cli.run(["verify", "--witness", "not-a-key"])
        #expect(badKey.status != 0 && badKey.stderr.contains("--witness"))
    }

    @Test func demoCasesCanBeWorkedOnNow() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let demo = try cli.run(["demo", "--cases", "300"])
        #expect(demo.status == 0, "\(demo.stderr)")
        // The demo suggests an official and a case from that official's inbox.
        let official = try #require(demo.stdout.firstMatch(of: /inbox --official (\S+)/)).output.1
        let code = try #require(demo.stdout.firstMatch(of: /case show (\S+)/)).output.1
        let inbox = try cli.run(["inbox", "--official", String(official)])
        #expect(inbox.stdout.contains(String(code)))
        let comment = try cli.run(["case", "act", String(code), "comment", "--as", String(official), "--text", "Đang xử lý, sẽ trả lời trong tuần"])
        #expect(comment.status == 0, "nothing in the demo lies in the future of now: \(comment.stderr)")
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test func exportsXESThatAnXMLParserReads() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--cases", "30"]).status == 0)
        let path = cli.directory + "/ledger.xes"
        let exported = try cli.run(["export", "--xes", path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let xes = try #require(try TestXES.read(path: path), "well-formed XML")
        // 30 cases, the units' reception books, the programme tree (the programme, its plans, their tasks) and the
        // officials' proposals (NĐ 73/2023).
        let drawn = xes.traces.filter {
            !["reception", "programme", "proposal"].contains($0.attributes["buckstop:kind"]) && $0.attributes["buckstop:parent"] == nil
        }
        #expect(drawn.count == 30)
        #expect(xes.traces.contains { $0.attributes["buckstop:kind"] == "proposal" })
        #expect(xes.traces.contains { $0.attributes["buckstop:kind"] == "programme" })
        #expect(xes.traces.contains { $0.attributes["buckstop:kind"] == "reception" })
        #expect(xes.eventCount > 30 * 3)
        #expect(xes.keys.isSuperset(of: ["concept:name", "time:timestamp", "org:resource", "org:group", "lifecycle:transition"]))
        #expect(xes.traces.flatMap(\.events).filter { $0["org:resource"] != nil }.count == xes.eventCount)
    }
}
