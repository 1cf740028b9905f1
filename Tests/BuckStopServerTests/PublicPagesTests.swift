import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The public page (issue 19) as a journalist meets it, with no login: figures by body for the period, small counts
/// shown as "<5", open data in CSV and JSON with the same numbers, a data dictionary, a public cache lifetime — and no
/// applicant's or official's name, identity number or case code anywhere. A new entry changes the figures (the kept
/// answer is keyed by the ledger's size); a period given wrong is refused naming the field.
@Suite(.serialized) struct PublicPagesTests {
    @Test func bodiesFiguresAreOpenSmallCountsHiddenAndNoPersonalData() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let store = fixture.store
        let now = LiveLedger.nowMillis() - 60_000
        let due = CivilDate(Date()).adding(days: 20)
        @Sendable func open(_ code: CaseID, lead: UnitID, owner: OfficialID) async throws {
            let open = OpenCase(
                kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Cấp phiếu lý lịch tư pháp", leadUnit: lead, owner: owner, dueDate: due)
            _ = try await store.append(
                .open(
                    open, actor: .official(owner), at: now, code: code,
                    personalData: PersonalData(fullName: "Trịnh Thị Công Dân", idNumber: "079188001234", phone: "0905111222"),
                    via: .generated("test")))
        }
        for n in 1...6 { try await open(CaseID("STP-PUB-\(n)"), lead: "stp", owner: "cv-an") }
        for n in 1...2 { try await open(CaseID("PHC-PUB-\(n)"), lead: "p-hai-chau", owner: "ct-hc") }
        try await fixture.test { client in
            let page = try await client.execute(uri: "/public", method: .get)
            #expect(page.status == .ok && page.headers[.cacheControl] == "public, max-age=300")
            let html = String(buffer: page.body)
            #expect(
                html.contains("<tr data-body=\"stp\"><th scope=\"row\">") && html.contains("<td data-col=\"received\">6</td>"), "\(html.suffix(3000))"
            )
            #expect(html.contains("<tr data-body=\"p-hai-chau\">") && html.contains("<td data-col=\"received\">&lt;5</td>"))
            for secret in ["Trịnh Thị Công Dân", "079188001234", "0905111222", "Võ Thị An", "cv-an", "STP-PUB-1"] {
                #expect(!html.contains(secret), "the public page shows \(secret)")
            }
            let csv = try await client.execute(uri: "/public/data.csv", method: .get)
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("\u{FEFF}from,to,body,body_name,received,settled,settled_on_time,on_time_percent,open_overdue"))
            let lines = text.split(separator: "\r\n")
            let stpLine = try #require(lines.first { $0.contains(",stp,") })
            let wardLine = try #require(lines.first { $0.contains(",p-hai-chau,") })
            #expect(stpLine.split(separator: ",", omittingEmptySubsequences: false)[4] == "6")
            #expect(wardLine.split(separator: ",", omittingEmptySubsequences: false)[4] == "", "a suppressed count is an empty cell")
            let json = try await client.execute(uri: "/public/data.json", method: .get)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [String: Any])
            let bodies = try #require(document["bodies"] as? [[String: Any]])
            #expect(document["minimumCount"] as? Int == 5)
            #expect(bodies.first { $0["body"] as? String == "stp" }?["received"] as? Int == 6)
            #expect(bodies.first { $0["body"] as? String == "p-hai-chau" }?["received"] is NSNull)
            for secret in ["Trịnh Thị Công Dân", "079188001234", "cv-an", "STP-PUB-1"] {
                #expect(!text.contains(secret) && !String(buffer: json.body).contains(secret), "open data holds \(secret)")
            }
            let dictionary = try await client.execute(uri: "/public/dictionary", method: .get)
            #expect(String(buffer: dictionary.body).contains("<tr data-field=\"on_time_percent\">"))
            // A new case: the figures follow the ledger.
            try await open("STP-PUB-7", lead: "stp", owner: "cv-an")
            let after = String(buffer: try await client.execute(uri: "/public", method: .get).body)
            #expect(after.contains("<td data-col=\"received\">7</td>"))
            let bad = try await client.execute(uri: "/public?from=2026-13-01", method: .get)
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("from"))
        }
    }
}
