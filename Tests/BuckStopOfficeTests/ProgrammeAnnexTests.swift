import BuckStopCalendar
import BuckStopOffice
import Foundation
import Testing

/// Annexes from the LibreOffice-saved fixtures, from sheets built here (Excel serials, every date form, each error)
/// and from CSV.
struct ProgrammeAnnexTests {
    static func date(_ iso: String) -> CivilDate {
        // The literals below are valid dates; a typo should fail the test, not crash it.
        (try? CivilDate(iso: iso)) ?? CivilDate(julianDayNumber: 0)
    }

    static let header: [String] = [
        "STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Người chịu trách nhiệm", "Thời hạn hoàn thành", "Sản phẩm", "Ghi chú",
    ]

    static func sheet(_ rows: [[Cell]], header: [String] = header) -> Sheet {
        Sheet(name: "Phụ lục", header: header, rows: rows)
    }

    /// One good task with its due cell replaced.
    static func task(due: Cell, lead: String = "Sở Tư pháp") -> [Cell] {
        [.integer(1), .text("Rà soát thủ tục"), .text(lead), .empty, .empty, due, .text("Báo cáo")]
    }

    @Test func theFixtureSavedByLibreOfficeGivesEveryTask() throws {
        let sheet = try #require(try XLSXReader.read(try Fixture.data("programme-annex.xlsx")).sheets.first)
        let tasks = try ProgrammeAnnex.rows(from: sheet)
        let one = "I. CẢI CÁCH THỂ CHẾ"
        let two = "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
        let three = "III. CẢI CÁCH TỔ CHỨC BỘ MÁY"
        let expected = [
            ProgrammeAnnexRow(
                row: 7, number: "1", section: one, title: "Rà soát, đánh giá các văn bản quy phạm pháp luật do tỉnh ban hành", lead: "Sở Tư pháp",
                collaborators: ["Sở Nội vụ", "Văn phòng UBND tỉnh"], responsiblePerson: "Nguyễn Văn An", due: Self.date("2026-03-31"),
                product: "Báo cáo kết quả rà soát", note: nil),
            ProgrammeAnnexRow(
                row: 8, number: "2", section: one, title: "Xây dựng quy chế phối hợp giải quyết thủ tục hành chính liên thông", lead: "Sở Nội vụ",
                collaborators: ["Sở Tư pháp", "Sở Tài chính"], responsiblePerson: nil, due: Self.date("2026-06-30"),
                product: "Quyết định ban hành quy chế", note: "Trình UBND tỉnh"),
            ProgrammeAnnexRow(
                row: 10, number: "3", section: two, title: "Công bố danh mục thủ tục hành chính được tiếp nhận trực tuyến toàn trình",
                lead: "Văn phòng UBND tỉnh", collaborators: ["Sở Thông tin và Truyền thông", "UBND các huyện, thị xã, thành phố"],
                responsiblePerson: "Trần Thị Bình", due: Self.date("2026-09-30"), product: "Quyết định công bố", note: nil),
            ProgrammeAnnexRow(
                row: 11, number: "4", section: two, title: "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                lead: "Sở Thông tin và Truyền thông",
                collaborators: ["Các sở, ban, ngành"], responsiblePerson: nil, due: Self.date("2026-09-30"), product: "Kho dữ liệu điện tử",
                note: nil),
            ProgrammeAnnexRow(
                row: 12, number: "5", section: two, title: "Đánh giá mức độ hài lòng của người dân, doanh nghiệp", lead: "UBND cấp huyện",
                collaborators: [], responsiblePerson: nil, due: Self.date("2026-12-31"), product: "Báo cáo đánh giá", note: nil),
            ProgrammeAnnexRow(
                row: 13, number: "6", section: two, title: "Cắt giảm thời gian giải quyết thủ tục đầu tư", lead: "Sở Kế hoạch và Đầu tư",
                collaborators: ["Sở Tài chính"], responsiblePerson: "Lê Văn Cường", due: Self.date("2026-10-15"), product: "Báo cáo", note: nil),
            ProgrammeAnnexRow(
                row: 16, number: "7", section: three, title: "Sắp xếp các đơn vị sự nghiệp công lập", lead: "Sở Nội vụ",
                collaborators: ["Các sở, ngành", "UBND cấp huyện"], responsiblePerson: nil, due: Self.date("2026-11-15"), product: "Đề án sắp xếp",
                note: "Theo Nghị quyết 19-NQ/TW"),
            ProgrammeAnnexRow(
                row: 17, number: "8", section: three, title: "Thanh tra công vụ việc thực hiện kỷ luật, kỷ cương hành chính", lead: "Thanh tra tỉnh",
                collaborators: ["Sở Nội vụ"], responsiblePerson: "Phạm Thị Dung", due: Self.date("2026-12-31"), product: "Kết luận thanh tra",
                note: nil),
        ]
        #expect(tasks.count == expected.count)
        for (got, want) in zip(tasks, expected) {
            #expect(got == want)
        }
    }

    @Test func theBrokenFixtureNamesBothCells() throws {
        let sheet = try #require(try XLSXReader.read(try Fixture.data("programme-annex-broken.xlsx")).sheets.first)
        let errors = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(from: sheet) }
        #expect(
            errors?.errors == [
                AnnexError(row: 8, column: "F", header: "Thời hạn hoàn thành", problem: .date(found: "31/02/2026")),
                AnnexError(
                    row: 13, column: "C", header: "Cơ quan chủ trì", problem: .severalLeads(found: ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"])),
            ])
        #expect(errors?.truncated == false)
        let date = try #require(errors?.errors.first)
        #expect(
            date.vietnamese
                == "dòng 8, cột F (Thời hạn hoàn thành): cần ngày dạng dd/mm/yyyy, yyyy-mm-dd, ô ngày của Excel, \"Quý II/2026\", "
                + "\"Tháng 3/2026\" hoặc \"Năm 2026\"; nhận '31/02/2026'")
        #expect(date.description.hasPrefix("row 8, column F (Thời hạn hoàn thành): expected a date as dd/mm/yyyy"))
        #expect(date.description.hasSuffix("; found '31/02/2026'"))
        let leads = try #require(errors?.errors.last)
        #expect(leads.vietnamese.hasPrefix("dòng 13, cột C (Cơ quan chủ trì): cần đúng một cơ quan chủ trì"))
        #expect(leads.vietnamese.hasSuffix("nhận 2 cơ quan: 'Sở Kế hoạch và Đầu tư', 'Sở Tài chính'"))
    }

    @Test(arguments: [
        (Cell.integer(45658), "2025-01-01"),
        (.number(45658.75), "2025-01-01"),
        (.integer(59), "1900-02-28"),
        (.integer(61), "1900-03-01"),
        (.integer(1), "1900-01-01"),
        (.text("30/06/2026"), "2026-06-30"),
        (.text("1/7/2026"), "2026-07-01"),
        (.text(" 2026-06-30 "), "2026-06-30"),
        (.text("29/02/2028"), "2028-02-29"),
        (.text("Quý I/2026"), "2026-03-31"),
        (.text("Quý II/2026"), "2026-06-30"),
        (.text("QUÝ III/2026"), "2026-09-30"),
        (.text("Quý IV/2026"), "2026-12-31"),
        (.text("quý 2 năm 2026"), "2026-06-30"),
        (.text("Tháng 3/2026"), "2026-03-31"),
        (.text("Tháng 2/2028"), "2028-02-29"),
        (.text("Tháng 12 năm 2026"), "2026-12-31"),
        (.text("Năm 2026"), "2026-12-31"),
    ])
    func dueDatesInEveryAcceptedForm(cell: Cell, iso: String) throws {
        let tasks = try ProgrammeAnnex.rows(from: Self.sheet([Self.task(due: cell)]))
        #expect(tasks.map(\.due) == [Self.date(iso)])
    }

    /// Serial 60 is Excel's 29 February 1900, a day that never was.
    @Test(arguments: [
        (Cell.integer(60), "60"), (.integer(0), "0"), (.integer(-5), "-5"), (.number(1e12), "1000000000000"), (.text("31/02/2026"), "31/02/2026"),
        (.text("2026/13/01"), "2026/13/01"), (.text("Quý V/2026"), "Quý V/2026"), (.text("Tháng 13/2026"), "Tháng 13/2026"),
        (.text("30/06/26"), "30/06/26"), (.text("45658"), "45658"), (.text("cuối năm"), "cuối năm"),
    ])
    func impossibleOrUnreadableDatesAreRefused(cell: Cell, found: String) {
        let errors = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(from: Self.sheet([Self.task(due: cell)])) }
        #expect(errors?.errors == [AnnexError(row: 2, column: "F", header: "Thời hạn hoàn thành", problem: .date(found: found))])
    }

    @Test func headingsMatchWithoutCaseDiacriticsOrExtraSpaces() throws {
        let header = ["  S T T", "  Tên   nhiệm vụ ", "ĐƠN VỊ CHỦ TRÌ", "don vi phoi hop", "THOI HAN HOAN THANH", "Sản phẩm dự kiến (*)"]
        let rows: [[Cell]] = [[.text("1"), .text("Nhiệm vụ"), .text("Sở Nội vụ"), .text("Sở Tư pháp"), .text("Quý II/2026"), .text("Báo cáo")]]
        let tasks = try ProgrammeAnnex.rows(from: Self.sheet(rows, header: header))
        #expect(
            tasks == [
                ProgrammeAnnexRow(
                    row: 2, number: nil, section: nil, title: "Nhiệm vụ", lead: "Sở Nội vụ", collaborators: ["Sở Tư pháp"], responsiblePerson: nil,
                    due: Self.date("2026-06-30"), product: "Báo cáo", note: nil)
            ], "\"S T T\" is not a heading, so there is no number column")
    }

    @Test func missingHeadingsAreNamed() {
        let errors = #expect(throws: AnnexErrors.self) {
            try ProgrammeAnnex.rows(from: Self.sheet([], header: ["STT", "Nội dung nhiệm vụ", "Ghi chú"]))
        }
        #expect(
            errors?.errors == [
                AnnexError(row: 1, column: nil, header: "Cơ quan chủ trì", problem: .missingColumn),
                AnnexError(row: 1, column: nil, header: "Thời hạn hoàn thành", problem: .missingColumn),
                AnnexError(row: 1, column: nil, header: "Sản phẩm", problem: .missingColumn),
            ])
        #expect(errors?.errors.first?.vietnamese == "dòng 1 (Cơ quan chủ trì): cần cột có tiêu đề \"Cơ quan chủ trì\"; nhận không có")
        #expect(errors?.errors.first?.description == "row 1 (Cơ quan chủ trì): expected a column headed \"Cơ quan chủ trì\"; found none")
        let none = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(from: Self.sheet([[.text("x")]], header: ["a", "b"])) }
        #expect(none?.errors == [AnnexError(row: 1, column: nil, header: nil, problem: .noHeaderRow)])
        let twice = #expect(throws: AnnexErrors.self) {
            try ProgrammeAnnex.rows(from: Self.sheet([], header: Self.header + ["Thời hạn"]))
        }
        #expect(twice?.errors == [AnnexError(row: 1, column: "I", header: "Thời hạn", problem: .duplicateColumn(otherColumn: "F"))])
    }

    @Test func everyProblemOfEveryRowIsCollected() {
        let rows: [[Cell]] = [
            [.integer(1), .empty, .text("Sở Nội vụ\nSở Tư pháp"), .empty, .empty, .text("31/04/2026"), .empty],
            [],
            [.integer(2), .text("Nhiệm vụ"), .empty, .empty, .empty, .empty, .text("Báo cáo")],
            Self.task(due: .text("Quý II/2026"), lead: "Sở Tài chính; Kho bạc Nhà nước tỉnh"),
            [.integer(3), .text("Tổng kết chương trình")],
            [.text("1"), .text("NHIỆM VỤ CHUNG")],
            [.text("a"), .text("Nhóm nhiệm vụ khác")],
        ]
        let errors = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(from: Self.sheet(rows)) }
        #expect(
            errors?.errors == [
                AnnexError(row: 2, column: "B", header: "Nội dung nhiệm vụ", problem: .requiredValue),
                AnnexError(row: 2, column: "C", header: "Cơ quan chủ trì", problem: .severalLeads(found: ["Sở Nội vụ", "Sở Tư pháp"])),
                AnnexError(row: 2, column: "F", header: "Thời hạn hoàn thành", problem: .date(found: "31/04/2026")),
                AnnexError(row: 2, column: "G", header: "Sản phẩm", problem: .requiredValue),
                AnnexError(row: 4, column: "C", header: "Cơ quan chủ trì", problem: .requiredValue),
                AnnexError(row: 4, column: "F", header: "Thời hạn hoàn thành", problem: .requiredValue),
                AnnexError(
                    row: 5, column: "C", header: "Cơ quan chủ trì", problem: .severalLeads(found: ["Sở Tài chính", "Kho bạc Nhà nước tỉnh"])),
                AnnexError(row: 6, column: "C", header: "Cơ quan chủ trì", problem: .requiredValue),
                AnnexError(row: 6, column: "F", header: "Thời hạn hoàn thành", problem: .requiredValue),
                AnnexError(row: 6, column: "G", header: "Sản phẩm", problem: .requiredValue),
            ], "the empty row 3 is skipped, and its number still counts; task 3 is a task, not a heading; rows 7 and 8 are headings")
    }

    @Test func errorsStopAtTheLimitAndSaySoThere() {
        let rows = (1...60).map { _ in Self.task(due: .text("sai")) }
        let errors = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(from: Self.sheet(rows)) }
        #expect(errors?.errors.count == 50)
        #expect(errors?.errors.last?.row == 51)
        #expect(errors?.truncated == true)
        #expect(errors?.vietnamese.hasSuffix("(còn lỗi khác chưa liệt kê)") == true)
    }

    // MARK: CSV

    @Test func csvWithBOMCRLFAndQuotedLineBreaks() throws {
        let csv =
            "\u{FEFF}STT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn,Sản phẩm,Ghi chú\r\n"
            + "\"I\",\"CẢI CÁCH THỂ CHẾ\",,,,,\r\n"
            + "1,\"Rà soát \"\"văn bản\"\"\",Sở Tư pháp,\"Sở Nội vụ\r\nSở Tài chính\",Quý II/2026,Báo cáo,\r\n"
            + "\r\n"
            + "2,Công bố thủ tục,Văn phòng UBND tỉnh,,30/06/2026,Quyết định,\"có dấu phẩy, trong ô\""
        let tasks = try ProgrammeAnnex.rows(csv: Data(csv.utf8))
        #expect(
            tasks == [
                ProgrammeAnnexRow(
                    row: 3, number: "1", section: "I. CẢI CÁCH THỂ CHẾ", title: "Rà soát \"văn bản\"", lead: "Sở Tư pháp",
                    collaborators: ["Sở Nội vụ", "Sở Tài chính"], responsiblePerson: nil, due: Self.date("2026-06-30"), product: "Báo cáo", note: nil),
                ProgrammeAnnexRow(
                    row: 5, number: "2", section: "I. CẢI CÁCH THỂ CHẾ", title: "Công bố thủ tục", lead: "Văn phòng UBND tỉnh", collaborators: [],
                    responsiblePerson: nil, due: Self.date("2026-06-30"), product: "Quyết định", note: "có dấu phẩy, trong ô"),
            ], "a line break inside quotes is not a new row; the blank line is row 4")
    }

    /// A quoted line break and a quoted comma in the header line do not decide the separator.
    @Test func csvWithSemicolonsAsExcelSavesItUnderVietnameseSettings() throws {
        let csv =
            "STT;Nội dung nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;\"Thời hạn\nhoàn thành\";Sản phẩm;\"Kiến nghị, đề xuất\"\n"
            + "1;\"Rà soát; đánh giá\";UBND các huyện, thị xã;Sở Nội vụ, Sở Tư pháp;Năm 2026;Báo cáo;\n"
        let tasks = try ProgrammeAnnex.rows(csv: Data(csv.utf8))
        #expect(
            tasks == [
                ProgrammeAnnexRow(
                    row: 2, number: "1", section: nil, title: "Rà soát; đánh giá", lead: "UBND các huyện, thị xã",
                    collaborators: ["Sở Nội vụ", "Sở Tư pháp"], responsiblePerson: nil, due: Self.date("2026-12-31"), product: "Báo cáo", note: nil)
            ])
    }

    @Test func csvErrorsArePlacedAsASpreadsheetShowsThem() {
        let lf =
            "STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Thời hạn hoàn thành,Sản phẩm\n"
            + "1,\"Nhiệm vụ\nhai dòng\",Sở Nội vụ,31/02/2026,Báo cáo\n"
            + "2,Nhiệm vụ,\"Sở Tư pháp, Sở Nội vụ\",Năm 2026,Báo cáo\n"
        let errors = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(csv: Data(lf.utf8)) }
        #expect(
            errors?.errors == [
                AnnexError(row: 2, column: "D", header: "Thời hạn hoàn thành", problem: .date(found: "31/02/2026")),
                AnnexError(row: 3, column: "C", header: "Cơ quan chủ trì", problem: .severalLeads(found: ["Sở Tư pháp", "Sở Nội vụ"])),
            ])
        let unclosed = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(csv: Data("STT,Nội dung nhiệm vụ\n1,\"không đóng\n".utf8)) }
        #expect(
            unclosed?.errors == [
                AnnexError(row: 2, column: "B", header: nil, problem: .csv(expected: "a closing quote", found: "the end of the file"))
            ])
        let latin = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(csv: Data([0x53, 0x54, 0x54, 0x0A, 0xC0, 0x0A])) }
        #expect(latin?.errors.first?.row == 1)
        #expect(latin?.errors.first?.vietnamese.contains("CSV UTF-8") == true)
        let long = Data(String(repeating: "a\n", count: 20).utf8)
        let tooLong = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(csv: long, maximumRows: 10) }
        #expect(tooLong?.errors == [AnnexError(row: 11, column: nil, header: nil, problem: .tooManyRows(maximum: 10))])
        let wide = Data(("STT\n1" + String(repeating: ",", count: 5_000)).utf8)
        let tooWide = #expect(throws: AnnexErrors.self) { try ProgrammeAnnex.rows(csv: wide) }
        #expect(tooWide?.errors == [AnnexError(row: 2, column: "ALM", header: nil, problem: .tooManyColumns(maximum: 1_000))])
    }
}
