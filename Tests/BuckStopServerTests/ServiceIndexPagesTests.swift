import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopReport
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The QĐ 766 index outside the report (issue 19): `GET /api/v1/index`, the head's record and the public page give the
/// figures the period report computes for the same scope — seven dossiers settled (one late), six rated (five
/// satisfied): progress 20 × 6/7 = 17.1, satisfaction 18 × 5/6 = 15.0, transparency not computable — each in the
/// document's shape, the public page suppressing as it does every count.
@Suite(.serialized) struct ServiceIndexPagesTests {
    @Test func indexInTheAPITheHeadsRecordAndThePublicPageEqualsTheReports() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let live = fixture.state.live
        let now = LiveLedger.nowMillis() - 120_000
        let today = CivilDate(Date())
        for n in 1...7 {
            let code = CaseID("STP-IDX-\(n)")
            // The seventh was due yesterday: settled today, it is late.
            let open = OpenCase(
                kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Cấp phiếu lý lịch tư pháp", leadUnit: "stp-hcbt", owner: "cv-an",
                dueDate: n == 7 ? today.adding(days: -1) : today.adding(days: 20))
            _ = try await store.append(.open(open, actor: .official("cv-an"), at: now, code: code, personalData: nil, via: .generated("test")))
            _ = try await live.append(
                Action(caseID: code, actor: .official("cv-an"), at: now + 1000, body: .resolve(result: "Đã cấp phiếu"), via: .generated("test")))
            if n <= 6 {
                let score = [5, 5, 4, 4, 5, 2][n - 1]
                _ = try await live.append(
                    Action(caseID: code, actor: .citizen, at: now + 2000, body: .rate(score: score, comment: ""), via: .generated("test")))
            }
        }
        let scope = ReportScope(from: CivilDate(year: today.year, month: 1, day: 1) ?? today, to: today)
        let report = try await LedgerReport.make(store: store, rulebook: live.rulebook, scope: scope, today: today).serviceIndex
        #expect(report.total.settled == 7 && report.total.onTime == 6 && report.total.ratings == 6 && report.total.satisfied == 5)

        try await fixture.test { client in
            let reader = fixture.tokens["reader"]!
            let api = try await client.api(.get, "/api/v1/index", token: reader)
            #expect(api.status == .ok)
            let document = try OpenAPIDocument(yaml: fixture.state.openAPIDocument)
            try LiveAPITests.conforms(api, "get", "/api/v1/index", document: document)
            let json = try api.json()
            let total = try #require(json["total"] as? [String: Any])
            for (key, want) in [
                ("settled", report.total.settled), ("onTime", report.total.onTime), ("late", report.total.late), ("ratings", report.total.ratings),
                ("satisfied", report.total.satisfied),
            ] {
                #expect(total[key] as? Int == want, "total.\(key) is the report's \(want)")
            }
            #expect(total["unit"] is NSNull)
            let groups = try #require(json["groups"] as? [[String: Any]])
            #expect(groups.map { $0["code"] as? String } == report.groups.map(\.group.code))
            let progress = try #require(groups.first { $0["code"] as? String == "tien-do" })
            #expect(abs((progress["score"] as? Double ?? 0) - 20 * 6 / 7.0) < 1e-9 && progress["base"] as? Int == 7)
            let satisfaction = try #require(groups.first { $0["code"] as? String == "hai-long" })
            #expect(abs((satisfaction["score"] as? Double ?? 0) - 15) < 1e-9 && satisfaction["base"] as? Int == 6)
            let transparency = try #require(groups.first { $0["code"] as? String == "cong-khai" })
            #expect(transparency["share"] is NSNull && transparency["score"] is NSNull && transparency["measure"] is NSNull)
            let units = try #require(json["units"] as? [[String: Any]])
            #expect(units.map { $0["unit"] as? String } == ["stp"], "without a unit, rows are bodies")
            // Under the department, the row is its division.
            let scoped = try await client.api(.get, "/api/v1/index?unit=stp", token: reader).json()
            #expect((scoped["units"] as? [[String: Any]])?.map { $0["unit"] as? String } == ["stp-hcbt"])
            #expect(scoped["name"] as? String == "Sở Tư pháp")
            // Refusals name their field; the scope is cases:read.
            let unknown = try await client.api(.get, "/api/v1/index?unit=khong-co", token: reader)
            #expect(try unknown.status == .notFound && unknown.errorField() == "unit")
            let badDate = try await client.api(.get, "/api/v1/index?from=2026-13-01", token: reader)
            #expect(try badDate.status == .badRequest && badDate.errorField() == "from")
            let reversed = try await client.api(.get, "/api/v1/index?from=2026-06-01&to=2026-01-01", token: reader)
            #expect(try reversed.status == .unprocessableContent && reversed.errorField() == "from")
            let long = try await client.api(.get, "/api/v1/index?from=2016-01-01&to=2026-01-01", token: reader)
            #expect(try long.status == .unprocessableContent && long.errorField() == "to")
            // The document's dates match YYYY-MM-DD: an empty one is malformed, not the default.
            let empty = try await client.api(.get, "/api/v1/index?to=", token: reader)
            #expect(try empty.status == .badRequest && empty.errorField() == "to")
            #expect(try await client.api(.get, "/api/v1/index", token: nil).status == .unauthorized)
            #expect(try await client.api(.get, "/api/v1/index", token: fixture.tokens["findings"]!).status == .forbidden)

            // The head's record: the same groups and the division's row.
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            let page = try await head.get("/record").text
            #expect(page.contains("id=\"record-index-groups\""))
            let row = try #require(Self.row(page, "<tr data-group=\"tien-do\">"))
            #expect(row.contains("85,7% của 7 hồ sơ") && row.contains("<td class=\"num\">17,1</td>"), "\(row)")
            let open = try #require(Self.row(page, "<tr data-group=\"cong-khai\">"))
            #expect(open.contains("Không tính được từ sổ xử lý của BuckStop"))
            let division = try #require(Self.row(page, "<tr data-unit=\"stp-hcbt\">"))
            #expect(division.contains("<td class=\"num\">7</td><td class=\"num\">85,7%</td><td class=\"num\">1</td>"), "\(division)")
            #expect(division.hasSuffix("<td class=\"num\">6</td><td class=\"num\">83,3%</td></tr>"), "\(division)")

            // The public page: the body's index columns, the same in HTML, CSV and JSON.
            let html = String(buffer: try await client.execute(uri: "/public", method: .get).body)
            let stp = try #require(Self.row(html, "<tr data-body=\"stp\">"))
            for (column, text) in [
                ("index_settled", "7"), ("ratings", "6"), ("satisfied_percent", "83 %"), ("index_tien_do", "17.1"), ("index_hai_long", "15.0"),
            ] {
                #expect(stp.contains("<td data-col=\"\(column)\">\(text)</td>"), "\(column) is \(text): \(stp)")
            }
            let open311 = String(buffer: try await client.execute(uri: "/public/data.json", method: .get).body)
            let bodies = try #require((try JSONSerialization.jsonObject(with: Data(open311.utf8)) as? [String: Any])?["bodies"] as? [[String: Any]])
            let body = try #require(bodies.first { $0["body"] as? String == "stp" })
            #expect(body["indexSettled"] as? Int == 7 && body["ratings"] as? Int == 6 && body["satisfiedPercent"] as? Int == 83)
            #expect(body["indexTienDo"] as? Double == 17.1 && body["indexHaiLong"] as? Double == 15)
            let csv = String(buffer: try await client.execute(uri: "/public/data.csv", method: .get).body).split(separator: "\r\n")
            let header = try #require(csv.first).split(separator: ",").map(String.init)
            let line = try #require(csv.first { $0.contains(",stp,") }).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let at = try #require(header.firstIndex(of: "index_tien_do"))
            let ratingsAt = try #require(header.firstIndex(of: "ratings"))
            #expect(line[at] == "17.1" && line[ratingsAt] == "6")
            let dictionary = String(buffer: try await client.execute(uri: "/public/dictionary", method: .get).body)
            #expect(dictionary.contains("<tr data-field=\"index_hai_long\">"))
        }
    }

    /// The HTML of the table row that starts with `start`, up to its end.
    static func row(_ html: String, _ start: String) -> String? {
        guard let a = html.range(of: start), let b = html.range(of: "</tr>", range: a.upperBound..<html.endIndex) else { return nil }
        return String(html[a.lowerBound..<b.upperBound])
    }
}
