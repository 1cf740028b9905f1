import BuckStopCalendar
import BuckStopDomain
import BuckStopOffice
import BuckStopTestSupport
import Foundation
import Testing
import ZIPFoundation

@testable import BuckStopReport

/// Hand-overs between units on the cases shifted back and forth, worked by hand on the sample city, December 2025.
/// Phòng Hành chính tư pháp (cv-an, cv-binh) is counted under its body, Sở Tư pháp:
///
/// - P1 (ping_pong, upheld): cv-an → mc-hc → cv-an → mc-hc → cv-binh: Sở Tư pháp → UBND phường Hải Châu twice and back
///   twice, on one case.
/// - P2 (ping_pong, open): cv-an → cv-binh (inside Sở Tư pháp) → ttv → ctt (inside the inspectorate) → cv-an: Sở Tư pháp →
///   Thanh tra thành phố once and back once; two hand-overs inside one unit.
/// - P3 (transfers only): cv-an → mc-hc — not a ping-pong case, not followed.
/// - P4 (ping_pong, dismissed): cv-an → ttv — a dismissed finding shows nothing happened, not followed.
/// - P5 (ping_pong raised in November): before the period, not followed.
struct HandOverFlowsTests {
    static let t0 = SampleCity.t0 + 11 * SampleCity.day  // 01/12/2025 09:00
    static let hour = SampleCity.hour

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    static func digest(_ code: CaseID, _ holders: [OfficialID], at start: Int64) -> CaseDigest {
        let holds = holders.enumerated().map { i, official in
            CaseDigest.Hold(
                official: official, since: start + Int64(i) * hour, until: i + 1 < holders.count ? start + Int64(i + 1) * hour : nil)
        }
        return CaseDigest(
            code: code, kind: .dossier, procedure: "LLTP-CAPPHIEU", leadUnit: "stp", opened: start, due: date(2025, 12, 20), settled: nil,
            settledOnTime: nil, holds: holds, steps: [:])
    }

    static let digests = [
        digest("P1", ["cv-an", "mc-hc", "cv-an", "mc-hc", "cv-binh"], at: t0),
        digest("P2", ["cv-an", "cv-binh", "ttv", "ctt", "cv-an"], at: t0 + SampleCity.day),
        digest("P3", ["cv-an", "mc-hc"], at: t0 + 2 * SampleCity.day),
        digest("P4", ["cv-an", "ttv"], at: t0 + 3 * SampleCity.day),
        digest("P5", ["cv-an", "ct-hc"], at: t0 - 20 * SampleCity.day),
    ]

    static func finding(_ id: String, _ detector: String, _ code: CaseID, _ status: FindingStatus) -> Finding {
        Finding(
            id: id, detector: detector, caseID: code, official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt", severity: .major, evidence: [],
            explanation: "Hồ sơ \(code.rawValue) bị chuyển qua lại.", status: status)
    }

    static let findings: [(finding: Finding, observedAt: Int64)] = [
        (finding("f1", "ping_pong", "P1", .upheld), t0 + 5 * hour),
        (finding("f1b", "ping_pong", "P1", .open), t0 + 6 * hour),
        (finding("f2", "ping_pong", "P2", .open), t0 + SampleCity.day + 5 * hour),
        (finding("f3", "transfers", "P3", .open), t0 + 2 * SampleCity.day + hour),
        (finding("f4", "ping_pong", "P4", .dismissed), t0 + 3 * SampleCity.day + hour),
        (finding("f5", "ping_pong", "P5", .open), t0 - 20 * SampleCity.day + hour),
    ]

    static func report() -> PeriodReport {
        PeriodReport(
            scope: ReportScope(from: date(2025, 12, 1), to: date(2025, 12, 31)), digests: digests, findings: findings,
            organization: SampleCity.organization, procedureNames: ["LLTP-CAPPHIEU": "Cấp Phiếu lý lịch tư pháp"], causes: [],
            generatedOn: date(2026, 1, 5))
    }

    static let expected: [(from: String, to: String, count: Int, cases: Int)] = [
        ("Sở Tư pháp", "UBND phường Hải Châu", 2, 1),
        ("UBND phường Hải Châu", "Sở Tư pháp", 2, 1),
        ("Sở Tư pháp", "Thanh tra thành phố", 1, 1),
        ("Thanh tra thành phố", "Sở Tư pháp", 1, 1),
    ]

    @Test func thePeriodsPingPongCasesGiveTheFlowsBetweenUnits() {
        let flows = Self.report().handOverFlows
        #expect(flows.behaviours == ["ping_pong"])
        #expect(flows.cases == 2, "P1 and P2; P1's two findings follow it once")
        #expect(flows.links.map(\.fromName) == Self.expected.map(\.from))
        #expect(flows.links.map(\.toName) == Self.expected.map(\.to))
        #expect(flows.links.map(\.count) == Self.expected.map(\.count))
        #expect(flows.links.map(\.cases) == Self.expected.map(\.cases))
        #expect(flows.links.first.map { [$0.from, $0.to] } == ["stp", "p-hai-chau"], "a division's holder counts for its body")
        #expect(flows.withinUnits == 2 && flows.total == 6)
    }

    @Test func withoutGroupingEachUnitStandsAndUnplacedHoldersAreLeftOut() {
        let digest = Self.digest("Q", ["cv-an", "nobody", "gd-stp", "cv-binh"], at: Self.t0)
        let flows = HandOverFlows(
            digests: [digest], findings: [Self.finding("g", "ping_pong", "Q", .open)], organization: SampleCity.organization)
        // cv-an → nobody and nobody → gd-stp cannot be placed; gd-stp (stp) → cv-binh (stp-hcbt) is between two units.
        #expect(flows.links.map { [$0.from.rawValue, $0.to.rawValue] } == [["stp", "stp-hcbt"]])
        #expect(flows.links.map(\.fromName) == ["Sở Tư pháp"] && flows.withinUnits == 0 && flows.cases == 1)
        let none = HandOverFlows(digests: [digest], findings: [Self.finding("g", "stalling", "Q", .open)], organization: SampleCity.organization)
        #expect(none.links.isEmpty && none.cases == 0)
    }

    @Test func theReportSaysTheLargestFlowAndEveryFormatShowsIt() throws {
        let document = ReportDocument(Self.report())
        let paragraphs = document.blocks.compactMap { block -> String? in
            if case .paragraph(let text) = block { return text }
            return nil
        }
        #expect(
            paragraphs.contains {
                $0.contains("hồ sơ được chuyển 6 lần giữa các cơ quan, đơn vị; ngoài ra 2 lần chuyển trong nội bộ một đơn vị")
                    && $0.contains("Luồng lớn nhất là từ Sở Tư pháp sang UBND phường Hải Châu: 2 lần chuyển trên 1 hồ sơ, việc.")
            })
        let tables = document.blocks.compactMap { block -> ReportDocument.Table? in
            if case .table(let t) = block { return t }
            return nil
        }
        let table = try #require(tables.first { $0.id == "Luong chuyen" })
        #expect(table.rows == Self.expected.map { [$0.from, $0.to, "\($0.count)", "\($0.cases)"] })
        let links = document.blocks.compactMap { block -> [(from: String, to: String, count: Int)]? in
            if case .chart(.flows(_, let links)) = block { return links }
            return nil
        }
        #expect(links.count == 1 && links.first?.map(\.count) == [2, 2, 1, 1])

        // HTML: a Sankey with a band per flow and a bar per unit on each side, each with its title; no script.
        let html = ReportHTML.page(document)
        let start = try #require(html.range(of: "<title>Biểu đồ 4. Luồng chuyển hồ sơ giữa các đơn vị"))
        let open = try #require(html[..<start.lowerBound].range(of: "<svg", options: .backwards))
        let close = try #require(html[start.upperBound...].range(of: "</svg>"))
        let sankey = html[open.lowerBound..<close.upperBound]
        #expect(sankey.components(separatedBy: "<path ").count - 1 == 4)
        #expect(sankey.contains("<title>Sở Tư pháp → UBND phường Hải Châu: 2 lần chuyển</title>"))
        #expect(sankey.contains("<title>Sở Tư pháp: chuyển đi 3 lần</title>") && sankey.contains("<title>Sở Tư pháp: nhận 3 lần</title>"))
        #expect(sankey.contains("Đơn vị chuyển đi") && sankey.contains("Đơn vị nhận") && !html.contains("<script"))

        // Word: the flows as bars (largest on top, so written last) in the chart part the body points at.
        let archive = try Archive(data: try ReportWord.data(document), accessMode: .read)
        func part(_ path: String) throws -> String {
            let entry = try #require(archive[path], "\(path) missing")
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let charts = (1...3).compactMap { n in archive["word/charts/chart\(n).xml"].map { _ in n } }
        let flowsChart = try charts.map { try part("word/charts/chart\($0).xml") }.first { $0.contains("Luồng chuyển hồ sơ") }
        let chart = try #require(flowsChart)
        #expect(chart.contains("<c:barDir val=\"bar\"/>"))
        #expect(chart.contains("<c:v>Thanh tra thành phố → Sở Tư pháp</c:v>") && chart.contains("<c:v>Sở Tư pháp → UBND phường Hải Châu</c:v>"))
        let smallest = try #require(chart.range(of: "Thanh tra thành phố → Sở Tư pháp"))
        let largest = try #require(chart.range(of: "Sở Tư pháp → UBND phường Hải Châu"))
        #expect(smallest.lowerBound < largest.lowerBound)
        // Excel: the flows as a sheet with numbers.
        let sheet = try #require(ReportWorkbook.workbook(document).sheets.first { $0.name == "Luong chuyen" })
        #expect(sheet.rows.first == [.text("Sở Tư pháp"), .text("UBND phường Hải Châu"), .integer(2), .integer(1)])
    }

    @Test func noFlowsIsSaidInASentence() {
        let document = ReportDocument(PeriodReportTests.report())
        let paragraphs = document.blocks.compactMap { block -> String? in
            if case .paragraph(let text) = block { return text }
            return nil
        }
        #expect(paragraphs.contains("Trong kỳ không có hồ sơ, việc nào có biểu hiện đùn đẩy qua lại được chuyển giữa các cơ quan, đơn vị."))
        #expect(!document.blocks.contains { if case .chart(.flows) = $0 { true } else { false } })
    }
}
