import BuckStopCalendar
import BuckStopOffice
import Foundation
import Testing

/// `buckstop programme` on the demo (issue 17): the demo's programme rolled up; an annex imported under it (every
/// problem named by row and column, nothing written from a broken file); the roll-up exported to XLSX and read back.
@Suite(.serialized) struct ProgrammeCLITests {
    /// An annex due in the future, whenever the test runs: a date, a quarter and a month of next year.
    static let next = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
    static var annex: String {
        """
        STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Cơ quan phối hợp,Người chịu trách nhiệm,Thời hạn hoàn thành,Sản phẩm
        1,Rà soát quy trình nội bộ giải quyết thủ tục hành chính,Sở Tư pháp,"Sở Nội vụ; Sở Tài chính",,31/01/\(next),Báo cáo rà soát
        2,Xây dựng bộ chỉ số đánh giá chất lượng phục vụ,SỞ TÀI CHÍNH,,,Quý IV/\(next),Đề án trình UBND thành phố
        3,Tập huấn kỹ năng số cho công chức,so-noi-vu,Sở Tư pháp,,Tháng 12/\(next),Báo cáo kết quả tập huấn

        """
    }
    /// A day by which the first task is overdue and the others are not.
    static var judged: String { "\(next)-03-01" }

    /// A report request from the command line: the request and one task per agency held by its head; a request naming
    /// an unknown agency or a malformed figure is refused and writes nothing.
    @Test func aReportRequestGoesOutToTheAgenciesNamed() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--cases", "20"]).status == 0)
        let before = try cli.run(["programme", "list", "--limit", "100"]).stdout
        let base = [
            "programme", "request", "--title", "Báo cáo tình hình tiếp công dân quý IV", "--owner", "dungtx", "--due",
            CivilDate(Date()).adding(days: 30).description,
        ]
        let unknown = try cli.run(base + ["--agency", "so-noi-vu", "--agency", "khong-co", "--figure", "luot_tiep=Số lượt tiếp"])
        #expect(unknown.status != 0 && unknown.stderr.contains("khong-co"), "\(unknown.stderr)")
        let badFigure = try cli.run(base + ["--agency", "so-noi-vu", "--figure", "lượt tiếp=Số lượt tiếp"])
        #expect(badFigure.status != 0 && badFigure.stderr.contains("template.figures[0].code"), "\(badFigure.stderr)")
        #expect(try cli.run(["programme", "list", "--limit", "100"]).stdout == before, "nothing written by a refused request")

        let sent = try cli.run(
            base + ["--agency", "so-noi-vu", "--agency", "so-tu-phap", "--section", "I. Tình hình", "--figure", "luot_tiep=Số lượt tiếp"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let code = try #require(sent.stdout.split(separator: " ").first.map(String.init))
        #expect(sent.stdout.contains("Sở Nội vụ") && sent.stdout.contains("Sở Tư pháp") && sent.stdout.contains("Giám đốc Sở"))
        let show = try cli.run(["programme", "show", code])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(
            show.stdout.contains("2 cơ quan được yêu cầu: 0 gửi đúng hạn, 0 gửi muộn, 0 chưa gửi (quá hạn); 0 đã tiếp nhận"),
            Comment(rawValue: show.stdout))
        #expect(try cli.run(["verify"]).status == 0)
    }

    @Test func theDemoProgrammeRollsUpAndAnAnnexImportsAndExports() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        #expect(try cli.run(["demo", "--cases", "30"]).status == 0)
        let list = try cli.run(["programme", "list"])
        #expect(list.status == 0)
        // The programme, not the report request opened after it (the list is newest first).
        let code = try #require(
            list.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasSuffix("-CTR-2026-01") }, Comment(rawValue: list.stdout))
        #expect(code.hasSuffix("-CTR-2026-01"), Comment(rawValue: list.stdout))
        let before = try cli.run(["programme", "show", code, "--as-of", Self.judged])
        #expect(before.status == 0 && before.stdout.contains("nhiệm vụ giao 11 cơ quan"), Comment(rawValue: String(before.stdout.prefix(600))))
        let assigned = try #require(Self.assigned(before.stdout))

        // A broken annex: an unknown body and a second lead, each placed; nothing is written.
        let broken = cli.directory + "/broken.csv"
        try Self.annex.replacingOccurrences(
            of: "3,Tập huấn kỹ năng số cho công chức,so-noi-vu", with: "3,Tập huấn kỹ năng số cho công chức,\"so-noi-vu; Sở Tư pháp\""
        )
        .write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try cli.run(["programme", "import", broken, "--parent", code])
        #expect(refused.status != 0)
        let message = refused.stderr
        #expect(message.contains("dòng 4, cột C (Cơ quan chủ trì): cần đúng một cơ quan chủ trì"), Comment(rawValue: message))
        #expect(!message.contains("'Sở Kế hoạch và Đầu tư'"), "the parser's problems come first; names are matched once the file parses")
        // A name the organisation does not have, placed at its cell.
        let unknown = cli.directory + "/unknown.csv"
        try Self.annex.replacingOccurrences(of: "SỞ TÀI CHÍNH", with: "Sở Kế hoạch và Đầu tư").write(
            toFile: unknown, atomically: true, encoding: .utf8)
        let unmatched = try cli.run(["programme", "import", unknown, "--parent", code])
        #expect(unmatched.status != 0)
        #expect(
            unmatched.stderr.contains(
                "dòng 3, cột C (Cơ quan chủ trì): cần tên hoặc mã một cơ quan, đơn vị trong hệ thống; nhận 'Sở Kế hoạch và Đầu tư'"),
            Comment(rawValue: unmatched.stderr))
        let unchanged = try cli.run(["programme", "show", code, "--as-of", Self.judged]).stdout
        #expect(Self.assigned(unchanged) == assigned, "nothing written")

        // The annex LibreOffice saved (Tests/BuckStopOfficeTests/Fixtures) is of a province, not of the demo city: the XLSX
        // is read and each body it names that the city does not have is placed at its cell.
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BuckStopOfficeTests/Fixtures/programme-annex.xlsx").path
        let province = try cli.run(["programme", "import", fixture, "--parent", code])
        #expect(province.status != 0)
        #expect(
            province.stderr.contains(
                "dòng 10, cột C (Cơ quan chủ trì): cần tên hoặc mã một cơ quan, đơn vị trong hệ thống; nhận 'Văn phòng UBND tỉnh'"),
            Comment(rawValue: province.stderr))

        let good = cli.directory + "/annex.csv"
        try Self.annex.write(toFile: good, atomically: true, encoding: .utf8)
        let imported = try cli.run(["programme", "import", good, "--parent", code])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Đã nhập / imported 3 nhiệm vụ"), "\(imported.stdout)")
        let after = try cli.run(["programme", "show", code, "--as-of", Self.judged])
        #expect(Self.assigned(after.stdout) == assigned + 3, Comment(rawValue: String(after.stdout.prefix(400))))
        // The first imported task is due 31 January and not started: overdue on 1 March, named with its official.
        #expect(after.stdout.contains("Rà soát quy trình nội bộ giải quyết thủ tục hành chính"), "\(after.stdout)")

        let xlsx = cli.directory + "/rollup.xlsx"
        let exported = try cli.run(["programme", "export", code, "--xlsx", xlsx, "--as-of", Self.judged])
        #expect(exported.status == 0, "\(exported.stderr)")
        let workbook = try XLSXReader.read(try Data(contentsOf: URL(fileURLWithPath: xlsx)))
        #expect(workbook.sheets.map(\.name) == ["Tổng hợp", "Quá hạn", "Nhiệm vụ"])
        let summary = workbook.sheets[0]
        let total = try #require(summary.rows.last)
        #expect(total.first == .text("Tổng cộng") && total[1] == .integer(assigned + 3))
        #expect(workbook.sheets[1].rows.contains { $0.contains(.text("Rà soát quy trình nội bộ giải quyết thủ tục hành chính")) })
        #expect(workbook.sheets[2].rows.count >= assigned + 3)
    }

    /// "47 nhiệm vụ giao 11 cơ quan…" → 47.
    static func assigned(_ text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("nhiệm vụ giao") }),
            let range = line.range(of: ": ")
        else { return nil }
        return Int(line[range.upperBound...].split(separator: " ").first ?? "")
    }
}
