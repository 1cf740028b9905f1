import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import Foundation
import Testing

/// `buckstop report` on the demo as a new user runs it (issue 19): every format written, read back by tools that share
/// no code with the writers — python-docx for the Word file, openpyxl for the annex, pdftotext for the PDF — with the
/// same figures in each, and not one applicant's name or identity number in any of them. In CI (CI=true) every reader
/// must be there (`.ci/run` installs them); locally a missing one skips its part.
@Suite(.serialized) struct ReportCLITests {
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func has(_ module: String) -> Bool { (try? python("import \(module)", []))?.status == 0 }

    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Every XML part of an Office file, as text.
    static let zipText =
        "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print('\\n'.join(z.read(n).decode('utf-8') for n in z.namelist() if n.endswith('.xml')))"

    @Test func theDemoReportInEveryFormatHasTheSameFiguresAndNoPersonalData() throws {
        let cli = try CLIRunner()
        defer { try? FileManager.default.removeItem(atPath: cli.directory) }
        let demo = try cli.run(["demo", "--cases", "300", "--seed", "11"])
        try #require(demo.status == 0, "\(demo.stderr)")
        let today = CivilDate(Date())
        let from = try #require(CivilDate(year: today.year - 1, month: 1, day: 1))
        let pdfReady = Self.tool("chromium") != nil || Self.tool("chromium-browser") != nil
        var formats = ["html", "docx", "xlsx"]
        if pdfReady || Self.inCI { formats.append("pdf") }
        var files: [String: String] = [:]
        for format in formats {
            let out = cli.directory + "/bao-cao." + format
            let run = try cli.run([
                "report", "--from", from.description, "--to", today.description, "--format", format, "--place", "Đà Nẵng", "--out", out,
            ])
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(run.stdout.contains("examples"), "\(run.stdout)")
            files[format] = out
        }
        // Text of every output.
        var texts: [String: String] = [:]
        texts["html"] = try String(contentsOfFile: try #require(files["html"]), encoding: .utf8)
        for office in ["docx", "xlsx"] {
            let read = try Self.python(Self.zipText, [try #require(files[office])])
            #expect(read.status == 0, "\(read.err)")
            texts[office] = read.out
        }
        if let pdf = files["pdf"] {
            if let pdftotext = Self.tool("pdftotext") {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: pdftotext)
                process.arguments = [pdf, "-"]
                let out = Pipe()
                process.standardOutput = out
                try process.run()
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                texts["pdf"] = text
                #expect(text.contains("BÁO CÁO") && text.contains("TÌNH HÌNH GIẢI QUYẾT CÔNG VIỆC"), "\(text.prefix(600))")
            } else if Self.inCI {
                Issue.record("CI must extract the PDF's text: .ci/run installs poppler-utils (pdftotext)")
            }
        }
        let html = try #require(texts["html"])
        #expect(
            html.contains("I. TÌNH HÌNH GIẢI QUYẾT CÔNG VIỆC") && html.contains("III. MỘT SỐ TRƯỜNG HỢP CỤ THỂ") && html.contains("Đà Nẵng, ngày"))
        #expect(html.contains("<svg"), "the demo has months enough for a trend chart")

        // No personal data: the demo's applicants regenerated with the same seed, size and end. An applicant who shares a
        // name with an official is left out: the official's name is rightly in the examples.
        let rulebook = try Defaults.rulebook()
        let history = DemoGenerator.generate(
            DemoConfiguration(
                seed: 11, caseCount: 300, end: today.adding(days: -1), rulebook: rulebook, calendar: try Defaults.workingCalendar()))
        let officials = Set(history.organization.officials.values.map(\.name))
        let applicants = history.cases.compactMap(\.applicant)
        #expect(applicants.count > 100)
        for (format, text) in texts {
            for a in applicants {
                #expect(!text.contains(a.idNumber), "\(format) holds an applicant's identity number")
                #expect(!text.contains(a.phone), "\(format) holds an applicant's phone")
                if !officials.contains(a.fullName) { #expect(!text.contains(a.fullName), "\(format) holds \(a.fullName)") }
            }
        }

        // The same figures in Word (python-docx) and Excel (openpyxl): the first data table, this period's row.
        guard Self.has("docx") && Self.has("openpyxl") else {
            if Self.inCI { Issue.record("CI must read the report with python-docx and openpyxl (.ci/run installs them)") }
            return
        }
        let word = try Self.python(
            "import docx,sys,json; d=docx.Document(sys.argv[1]); t=d.tables[1]; print(json.dumps({'row':[c.text for c in t.rows[1].cells],'font':d.styles['Normal'].font.name,'paragraphs':[p.text for p in d.paragraphs]}))",
            [try #require(files["docx"])])
        #expect(word.status == 0, "\(word.err)")
        let excel = try Self.python(
            "import openpyxl,sys,json; ws=openpyxl.load_workbook(sys.argv[1]).worksheets[0]; print(json.dumps([c.value for c in ws[2]]))",
            [try #require(files["xlsx"])])
        #expect(excel.status == 0, "\(excel.err)")
        let w = try #require(try JSONSerialization.jsonObject(with: Data(word.out.utf8)) as? [String: Any])
        let wordRow = try #require(w["row"] as? [String])
        let excelRow = try #require(try JSONSerialization.jsonObject(with: Data(excel.out.utf8)) as? [Any])
        #expect(w["font"] as? String == nil || w["font"] as? String == "Times New Roman")
        let paragraphs = try #require(w["paragraphs"] as? [String])
        #expect(paragraphs.contains("BÁO CÁO") && paragraphs.contains { $0.hasPrefix("VI. ") })
        try #require(wordRow.count == 9 && excelRow.count == 9, "\(wordRow) \(excelRow)")
        #expect(wordRow[0] == excelRow[0] as? String)
        for i in 1..<9 {
            let shown = wordRow[i].replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(
                of: "%", with: "")
            let value = (excelRow[i] as? NSNumber)?.doubleValue
            #expect(Double(shown) == value, "column \(i): Word shows \(wordRow[i]), Excel holds \(String(describing: excelRow[i]))")
        }
        // And the HTML's first table row says the same.
        let received = wordRow[2]
        #expect(html.contains("<td class=\"n\">\(received)</td>"))

        // Word's own charts, as python-docx opens the package: the chart parts related from the document, each drawn
        // inline in the body (c:chart), their titles in Vietnamese; the heat map a shaded table.
        let charts = try Self.python(
            """
            import docx,sys,json
            from lxml import etree
            d=docx.Document(sys.argv[1])
            C='{http://schemas.openxmlformats.org/drawingml/2006/chart}'
            A='{http://schemas.openxmlformats.org/drawingml/2006/main}'
            rels=[r for r in d.part.rels.values() if r.reltype.endswith('/relationships/chart')]
            drawn=d.element.body.findall('.//'+C+'chart')
            titles=[]
            for r in rels:
                t=etree.fromstring(r.target_part.blob).find('.//'+C+'title')
                titles.append(''.join(t.itertext()) if t is not None else '')
            shaded=len(d.element.body.findall('.//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd'))
            print(json.dumps({'parts':[r.target_part.content_type for r in rels],'drawn':len(drawn),'titles':titles,'shaded':shaded}))
            """, [try #require(files["docx"])])
        #expect(charts.status == 0, "\(charts.err)")
        let c = try #require(try JSONSerialization.jsonObject(with: Data(charts.out.utf8)) as? [String: Any])
        let parts = try #require(c["parts"] as? [String])
        let titles = try #require(c["titles"] as? [String])
        #expect(parts.count >= 2 && parts.allSatisfy { $0 == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml" }, "\(parts)")
        #expect(c["drawn"] as? Int == parts.count, "every chart part is drawn in the body")
        #expect(titles.contains { $0.hasPrefix("Biểu đồ 1. Tiếp nhận") } && titles.contains { $0.hasPrefix("Biểu đồ 2. Các điểm nóng") }, "\(titles)")
        #expect((c["shaded"] as? Int ?? 0) > 0, "the heat map's cells are shaded")
    }

    /// One table of the report's HTML, by its number.
    static func table(_ n: Int, in html: String) -> Substring? {
        guard let start = html.range(of: "<table class=\"data\" id=\"table-\(n)\">"),
            let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex)
        else { return nil }
        return html[start.lowerBound..<end.upperBound]
    }

    /// An inspectorate's report on a system it does not run: the demo's ledger exported as XES with its mapping, then
    /// reported from the log. The handling figures (tables 1–4: the period against the previous one and last year, by
    /// kind, unit and procedure) equal the ledger's own report; each behaviour's count equals what `analyze` finds in the
    /// same log; and what a log cannot say (reviews, causes, good deeds) is said to be not computable, not shown as zero.
    @Test func aReportOverTheExportedLogHasTheLedgersFiguresAndAnalyzesFindings() throws {
        let cli = try CLIRunner()
        defer { try? FileManager.default.removeItem(atPath: cli.directory) }
        try #require(try cli.run(["demo", "--cases", "400", "--seed", "7"]).status == 0)
        let d = cli.directory
        let export = try cli.run(["export", "--xes", d + "/so.xes", "--mapping-out", d + "/so.yaml"])
        try #require(export.status == 0, "\(export.stderr)")
        let org = try cli.run(["org", "show", "--yaml"])
        try #require(org.status == 0)
        try org.stdout.write(toFile: d + "/org.yaml", atomically: true, encoding: .utf8)
        let today = CivilDate(Date()).description
        let period = ["--from", "2020-01-01", "--to", today, "--format", "html"]
        let ledger = try cli.run(["report"] + period + ["--out", d + "/ledger.html"])
        try #require(ledger.status == 0, "\(ledger.stderr)")
        let fromLog = try cli.run(
            ["report", "--log", d + "/so.xes", "--mapping", d + "/so.yaml", "--org", d + "/org.yaml", "--no-progress"] + period + [
                "--out", d + "/log.html",
            ])
        try #require(fromLog.status == 0, "\(fromLog.stderr)")
        let a = try String(contentsOfFile: d + "/ledger.html", encoding: .utf8)
        let b = try String(contentsOfFile: d + "/log.html", encoding: .utf8)
        for n in 1...4 {
            let mine = try #require(Self.table(n, in: a))
            #expect(mine == Self.table(n, in: b), "table \(n) differs between the ledger and its exported log")
        }

        let analyze = try cli.run(["analyze", d + "/so.xes", "--mapping", d + "/so.yaml", "--format", "json", "--no-progress"])
        try #require(analyze.status == 0, "\(analyze.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(analyze.stdout.utf8)) as? [String: Any])
        let detectors = try #require(json["detectors"] as? [[String: Any]])
        let behaviours = try #require(Self.table(7, in: b))
        var compared = 0
        for detector in detectors {
            let name = try #require(detector["name"] as? String)
            let count = try #require(detector["findings"] as? Int)
            guard count > 0 else {
                #expect(!behaviours.contains("<th scope=\"row\">\(name)</th>"), "\(name): no finding, no row")
                continue
            }
            #expect(count < 1000, "the counts below are written without a thousands separator")
            #expect(behaviours.contains("<th scope=\"row\">\(name)</th><td class=\"n\">\(count)</td>"), "\(name): analyze finds \(count)")
            compared += 1
        }
        #expect(compared >= 8, "the demo shows most behaviours: \(compared)")
        #expect(b.contains("Không tính được từ nhật ký sự kiện"), "what a log cannot say is said")
        #expect(!b.contains("Giữ nguyên</th>"), "no upheld column in a report over a log")
        #expect(b.contains("so.xes"), "the basis names the log")
        // Without the organisation file the mapping places owners: the same handling table for the whole city.
        let placed = try cli.run(
            ["report", "--log", d + "/so.xes", "--mapping", d + "/so.yaml", "--no-progress"] + period + ["--out", d + "/p.html"])
        try #require(placed.status == 0, "\(placed.stderr)")
        let p = try String(contentsOfFile: d + "/p.html", encoding: .utf8)
        #expect(Self.table(1, in: p) == Self.table(1, in: a))
        let unknown = try cli.run(["report", "--log", d + "/so.xes", "--unit", "no-such-unit", "--no-progress"] + period + ["--out", d + "/u.html"])
        #expect(unknown.status != 0 && unknown.stderr.contains("--unit"))
        let missing = try cli.run(["report", "--log", d + "/none.xes", "--no-progress"] + period + ["--out", d + "/m.html"])
        #expect(missing.status != 0 && missing.stderr.contains("none.xes"))
    }

    @Test func badArgumentsAreRefusedNamingTheOption() throws {
        let cli = try CLIRunner()
        defer { try? FileManager.default.removeItem(atPath: cli.directory) }
        #expect(try cli.run(["demo", "--cases", "5"]).status == 0)
        let out = cli.directory + "/r.html"
        let reversed = try cli.run(["report", "--from", "2026-02-01", "--to", "2026-01-01", "--format", "html", "--out", out])
        #expect(reversed.status != 0 && reversed.stderr.contains("--from"))
        let badDate = try cli.run(["report", "--from", "2026-13-01", "--to", "2026-12-01", "--out", out])
        #expect(badDate.status != 0 && badDate.stderr.contains("--from"))
        let unit = try cli.run(["report", "--from", "2026-01-01", "--to", "2026-02-01", "--unit", "no-such-unit", "--out", out])
        #expect(unit.status != 0 && unit.stderr.contains("--unit"))
        let kind = try cli.run(["report", "--from", "2026-01-01", "--to", "2026-02-01", "--kind", "reception", "--out", out])
        #expect(kind.status != 0 && kind.stderr.contains("--kind"))
        let mappingAlone = try cli.run(["report", "--from", "2026-01-01", "--to", "2026-02-01", "--mapping", "m.yaml", "--out", out])
        #expect(mappingAlone.status != 0 && mappingAlone.stderr.contains("--log"), "a mapping without a log is refused")
        #expect(!FileManager.default.fileExists(atPath: out), "no report is written when refused")
    }
}
