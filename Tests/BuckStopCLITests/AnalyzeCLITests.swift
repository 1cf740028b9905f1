import BuckStopTestSupport
import Foundation
import Testing

/// `buckstop analyze` as a user runs it: real logs, every output format, a pipe, and broken input.
@Suite(.serialized) struct AnalyzeCLITests {
    @Test func jsonReportHasTheDocumentedShape() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let out = cli.directory + "/r.json"
        let cases = cli.directory + "/cases.jsonl"
        let run = try cli.run(
            ["analyze", try SharedFiles.eventLog("receipt.xes.gz"), "--format", "json", "--out", out, "--cases-out", cases], withDatabase: false)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let log = try #require(json["log"] as? [String: Any])
        #expect(log["cases"] as? Int == 1_434 && log["events"] as? Int == 8_577 && log["ownerAttribute"] as? String == "org:group")
        let detectors = try #require(json["detectors"] as? [[String: Any]])
        #expect(detectors.count == 22, "the catalogue with wrong_level, reception_skipped, reception_delegated and late_remediation")
        let late = try #require(detectors.first { $0["id"] as? String == "late_remediation" })
        #expect((late["skipped"] as? String)?.contains("finding workflow") == true, "judged live only")
        let ping = try #require(detectors.first { $0["id"] as? String == "ping_pong" })
        #expect((ping["cases"] as? Int ?? 0) > 0 && ping["skipped"] == nil)
        let push = try #require(detectors.first { $0["id"] as? String == "upward_push" })
        #expect((push["skipped"] as? String)?.contains("escalation") == true)
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["case"] as? String == "case-10011" && $0["detector"] as? String == "ping_pong" })
        #expect(findings.allSatisfy { ($0["explanation"] as? String)?.isEmpty == false && $0["evidence"] is [Int] })
        // One line per case, each a JSON object with the documented keys.
        let lines = try String(contentsOfFile: cases, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1_434)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        for key in ["case", "events", "transfers", "pingPongs", "durationSeconds", "findings"] { #expect(first[key] != nil, "\(key)") }
        let c10011 = try #require(lines.first { $0.contains("\"case-10011\"") })
        #expect(c10011.contains("\"transfers\":3") && c10011.contains("\"pingPongs\":2") && c10011.contains("\"ping_pong\""))
    }

    @Test func textCSVAndHTML() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let text = try cli.run(["analyze", try SharedFiles.eventLog("receipt.xes.gz")], withDatabase: false)
        #expect(text.status == 0 && text.stdout.contains("ping_pong") && text.stdout.contains("case-10") && text.stdout.contains("1,434"))
        let csv = try cli.run(["analyze", try SharedFiles.eventLog("receipt.xes.gz"), "--format", "csv"], withDatabase: false)
        #expect(csv.stdout.hasPrefix("detector,case,owner,severity,value,limit,evidence,explanation,explanation_en\n"))
        // Every finding of the JSON report is one CSV record of nine fields, quoting and all.
        let json = try cli.run(["analyze", try SharedFiles.eventLog("receipt.xes.gz"), "--format", "json"], withDatabase: false)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let records = Self.csvRecords(csv.stdout).dropFirst()
        #expect(records.count == findings.count && !findings.isEmpty)
        #expect(records.allSatisfy { $0.count == 9 }, "nine fields in every record")
        let row = try #require(records.first { $0[0] == "ping_pong" && $0[1] == "case-10011" })
        let expected = try #require(findings.first { $0["detector"] as? String == "ping_pong" && $0["case"] as? String == "case-10011" })
        #expect(row[6] == (expected["evidence"] as? [Int] ?? []).map(String.init).joined(separator: " "))
        #expect(row[7] == expected["explanation"] as? String && row[8] == expected["explanationEn"] as? String)
        let html = try cli.run(["analyze", try SharedFiles.eventLog("receipt.xes.gz"), "--format", "html"], withDatabase: false)
        #expect(html.stdout.contains("<svg") && html.stdout.contains("</html>") && !html.stdout.contains("<script"))
    }

    /// RFC 4180 records (quoted fields may hold commas, quotes and newlines).
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }

    /// CSV through a pipe, Vietnamese dates, owner column; grouped by case.
    @Test func csvFromAPipe() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let csv = """
            Mã hồ sơ;Bước;Thời gian;Đơn vị
            HS-1;Tiếp nhận;03/11/2025 08:00;Bộ phận một cửa
            HS-1;Chuyển xử lý;03/11/2025 09:00;Phòng Tư pháp
            HS-1;Chuyển xử lý;04/11/2025 09:00;Bộ phận một cửa
            HS-1;Chuyển xử lý;05/11/2025 09:00;Phòng Tư pháp
            HS-2;Tiếp nhận;03/11/2025 08:00;Bộ phận một cửa
            HS-2;Trả kết quả;03/11/2025 10:00;Bộ phận một cửa

            """
        let run = try cli.run(
            [
                "analyze", "-", "--case-column", "Mã hồ sơ", "--activity-column", "Bước", "--time-column", "Thời gian", "--owner-column", "Đơn vị",
                "--time-format", "%d/%m/%Y %H:%M", "--delimiter", ";", "--format", "json",
            ], withDatabase: false, input: csv)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((json["log"] as? [String: Any])?["cases"] as? Int == 2)
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(
            findings.contains {
                $0["case"] as? String == "HS-1" && $0["detector"] as? String == "ping_pong" && $0["owner"] as? String == "Phòng Tư pháp"
            })
        #expect(!findings.contains { $0["case"] as? String == "HS-2" })
    }

    @Test func brokenInputNamesThePlace() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let truncated = cli.directory + "/t.xes"
        try
            "<log><trace><string key=\"concept:name\" value=\"a\"/><event><date key=\"time:timestamp\" value=\"2025-13-01T00:00:00\"/></event></trace></log>"
            .write(toFile: truncated, atomically: true, encoding: .utf8)
        let bad = try cli.run(["analyze", truncated], withDatabase: false)
        #expect(bad.status != 0 && bad.stderr.contains("t.xes:1:") && bad.stderr.contains("2025-13-01"), "\(bad.stderr)")
        let csv = try cli.run(
            ["analyze", "-", "--format", "json"], withDatabase: false,
            input: "case,activity,time\nA,x,2025-01-01T00:00:00\nB,y,2025-01-01\nA,z,2025-01-02\n")
        #expect(csv.status != 0 && csv.stderr.contains("line 4") && csv.stderr.contains("grouped"), "\(csv.stderr)")
        let missing = try cli.run(["analyze", cli.directory + "/nope.xes"], withDatabase: false)
        #expect(missing.status != 0 && missing.stderr.contains("nope.xes"))
        let out = cli.directory + "/never.json"
        _ = try cli.run(["analyze", truncated, "--format", "json", "--out", out], withDatabase: false)
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".partial"))
    }

    /// `--out` naming something that is not a regular file (a named pipe here, /dev/null in practice) is written
    /// in place: it must never be replaced by a regular file through the write-then-rename path.
    @Test func outputToANamedPipeIsWrittenInPlace() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let fifo = cli.directory + "/report.pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        final class Sink: @unchecked Sendable { var data = Data() }
        let sink = Sink()
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { sink.data = h.readDataToEndOfFile() }
        }
        reader.start()
        let run = try cli.run(["analyze", try SharedFiles.eventLog("receipt.xes.gz"), "--format", "json", "--out", fifo], withDatabase: false)
        #expect(run.status == 0, "\(run.stderr)")
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        var info = stat()
        #expect(stat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "still a named pipe")
        #expect(String(decoding: sink.data, as: UTF8.self).contains("\"cases\":1434"))
    }
}
