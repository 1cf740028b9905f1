import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopServer

/// The head's reception record beside the unit's cases, and the form that records a session in the book.
@Suite struct ReceptionPageTests {
    static let code: CaseID = "PHC-TCD-2026"
    static let path = "/cases/PHC-TCD-2026"

    @Test func theHeadRecordsASessionAndSeesItBesideTheUnitsCases() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let now = LiveLedger.nowMillis() - 3_600_000
        _ = try await fixture.store.append(
            .open(
                OpenCase(kind: .reception, procedure: "commune_chair", title: "Sổ tiếp công dân", leadUnit: "p-hai-chau", owner: "ct-hc"),
                actor: .official("ct-hc"), at: now, code: Self.code, personalData: nil, via: .generated("test")))
        let today = CivilDate(Date())
        try await fixture.test { client in
            var head = Browser(client)
            var clerk = Browser(client)
            _ = try await head.login("ct-hc")
            _ = try await clerk.login("mc-hc")
            let book = try await clerk.get(Self.path)
            #expect(book.text.contains("data-action=\"reception_periodic\"") && book.text.contains("data-action=\"reception_other\""))
            #expect(!book.text.contains("data-action=\"escalate\""), "a book has no case-work forms")
            #expect(book.text.contains("Người tiếp"))
            // The one-stop clerk writes the head's session.
            let written = try await clerk.post(
                Self.path + "/actions",
                form: [
                    ("type", "reception_periodic"), ("day", today.description), ("receivedBy", "ct-hc"), ("citizens", "3"),
                    ("matters", "Phản ánh lấn chiếm vỉa hè\nHỏi thủ tục đăng ký hộ kinh doanh"), ("cases", ""),
                ], from: Self.path)
            #expect(written.status.code == 303)
            // A periodic session "received" by the clerk is refused, naming the field; nothing is written.
            let refused = try await clerk.post(
                Self.path + "/actions",
                form: [
                    ("type", "reception_periodic"), ("day", today.description), ("receivedBy", "mc-hc"), ("citizens", "1"),
                    ("matters", "Hỏi"),
                ], from: Self.path)
            #expect(refused.status.code == 422 && refused.text.contains("cấp phó tiếp, không phải mc-hc"), "the form comes back with the reason")
            let history = try await fixture.store.history(of: Self.code)
            #expect(history.count == 2)
            guard case .receptionHeld(let s) = history.last?.action.body else {
                Issue.record("no session on the ledger")
                return
            }
            #expect(
                s.periodic && s.receivedBy == "ct-hc" && s.citizens == 3 && s.matters.count == 2 && history.last?.action.actor == .official("mc-hc"))
            let unit = try await head.get("/unit")
            #expect(unit.text.contains("id=\"reception-schedule\"") && unit.text.contains("Lịch tiếp công dân định kỳ"))
            let month = String(today.description.prefix(7))
            let row = try #require(
                unit.text.components(separatedBy: "<tr data-month=\"\(month)\">").dropFirst().first?.components(separatedBy: "</tr>").first)
            let cells = row.components(separatedBy: "<td").dropFirst().map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
            #expect(cells.count == 7 && cells[2] == "1" && cells[3] == "0", "one day in person, none by a deputy: \(cells)")
            #expect(!unit.text.contains("data-case=\"PHC-TCD-2026\" data-official"), "the book is not among the open cases held")
        }
    }

    /// A month without a periodic session is on the record as a short month, not missing from it.
    @Test func aMonthWithoutSessionsShowsAsShort() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let opened = LiveLedger.nowMillis() - 75 * 86_400_000
        _ = try await fixture.store.append(
            .open(
                OpenCase(kind: .reception, procedure: "commune_chair", title: "Sổ tiếp công dân", leadUnit: "p-hai-chau", owner: "ct-hc"),
                actor: .official("ct-hc"), at: opened, code: Self.code, personalData: nil, via: .generated("test")))
        let today = CivilDate(Date())
        let lastMonth = try #require(
            today.month == 1 ? CivilDate(year: today.year - 1, month: 12, day: 1) : CivilDate(year: today.year, month: today.month - 1, day: 1))
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("ct-hc")
            let unit = try await head.get("/unit")
            let month = String(lastMonth.description.prefix(7))
            #expect(unit.text.contains("<tr data-month=\"\(month)\" data-short=\"true\">"), "the whole month past without a session")
            #expect(unit.text.contains("<tr data-month=\"\(String(today.description.prefix(7)))\">"), "this month is not over yet")
        }
    }
}
