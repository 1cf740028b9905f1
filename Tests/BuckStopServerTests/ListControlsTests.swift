import BuckStopCalendar
import BuckStopDomain
import Testing

@testable import BuckStopServer

/// The pieces every long list shares: CSV cells that a spreadsheet cannot run, and the per-official load a head reads.
struct ListControlsTests {
    @Test func csvCellsAreQuotedAndNeverFormulas() {
        #expect(CSVTable.cell("Võ Thị An") == "Võ Thị An")
        #expect(CSVTable.cell("a,b") == "\"a,b\"")
        #expect(CSVTable.cell("say \"no\"") == "\"say \"\"no\"\"\"")
        #expect(CSVTable.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVTable.cell("-3") == "'-3" && CSVTable.cell("@cmd") == "'@cmd")
        #expect(CSVTable.text([["a", "b"], ["1", "2"]]) == "\u{FEFF}a,b\r\n1,2\r\n")
    }

    /// Two officials, three cases: the one with the overdue case comes first; the rate is shown only from the ranking
    /// minimum of cases handled, rounded per 100.
    @Test func officialLoadsPutTheLateFirstAndRateOnlyAboveTheMinimum() throws {
        let today = CivilDate(year: 2026, month: 12, day: 3)!
        func held(_ id: String, by owner: String, due: CivilDate?, idle: Int) throws -> (CaseState, Int) {
            let open = OpenCase(kind: .dossier, procedure: nil, title: id, leadUnit: "u", owner: OfficialID(owner), dueDate: due)
            let c = try CaseState(
                replayingOpening: Action(caseID: CaseID(id), actor: .official(OfficialID(owner)), at: 0, body: .open(open), via: .generated("test")))
            return (c, idle)
        }
        let cases = [
            try held("A", by: "cv-a", due: today.adding(days: 5), idle: 2), try held("B", by: "cv-a", due: today.adding(days: 9), idle: 7),
            try held("C", by: "cv-b", due: today.adding(days: -1), idle: 1),
        ]
        let idle = Dictionary(uniqueKeysWithValues: cases.map { ($0.0.id, $0.1) })
        let officials = [
            Official(id: "cv-a", name: "A", unit: "u", position: "Chuyên viên", roles: [.official]),
            Official(id: "cv-b", name: "B", unit: "u", position: "Chuyên viên", roles: [.official]),
        ]
        let rows = OversightPages.officialLoads(
            officials: officials, cases: cases.map(\.0), findings: ["cv-a": 1, "cv-b": 3], handled: ["cv-a": 40, "cv-b": 12], minimum: 20,
            today: today, idleDays: { idle[$0.id] ?? 0 })
        #expect(rows.map(\.official) == ["cv-b", "cv-a"])
        #expect(rows[0].overdue == 1 && rows[0].held == 1 && rows[0].perHundred == nil, "12 handled is below the minimum of 20")
        #expect(rows[1].held == 2 && rows[1].overdue == 0 && rows[1].longestIdle == 7 && rows[1].perHundred == 3)
    }
}
