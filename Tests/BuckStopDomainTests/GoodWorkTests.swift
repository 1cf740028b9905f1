import BuckStopCalendar
import BuckStopDefaults
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopDomain

/// Counting the good, worked by hand (`GoodDeed.deeds`): who is credited with which deed on a case, and what the
/// default scheme makes of it.
@Suite struct GoodWorkTests {
    static let t0 = SampleCity.t0
    static let hour = SampleCity.hour
    static let day = SampleCity.day

    static func records(_ open: Action, _ steps: [Action]) -> [(index: Int64, action: Action)] {
        ([open] + steps).enumerated().map { (Int64($0.offset), $0.element) }
    }

    @Test func aDossierResolvedEarlyOnTheFirstPassByItsDecider() {
        // Due 2025-12-04; decided and resolved on 2025-11-21 by cv-an, who never escalated.
        let steps = [
            SampleCity.act(by: "cv-an", at: Self.t0 + Self.hour, .accept(note: "")),
            SampleCity.act(by: "cv-an", at: Self.t0 + Self.day, .decide(decision: "Cấp phiếu", rationale: "Đủ điều kiện")),
            SampleCity.act(by: "cv-an", at: Self.t0 + Self.day + Self.hour, .resolve(result: "Đã cấp")),
        ]
        let deeds = GoodDeed.deeds(in: Self.records(SampleCity.openDossier(), steps))
        #expect(deeds.map(\.official) == ["cv-an", "cv-an", "cv-an"])
        #expect(deeds.map(\.deed) == [.ownDecision, .resolvedEarly, .firstPass])
    }

    @Test func supplementsEscalationsAndLatenessEarnNothing() {
        // A supplement asked: no first pass; escalated, then decided above: not one's own decision; resolved after the due
        // date: not early.
        let steps = [
            SampleCity.act(by: "cv-an", at: Self.t0 + Self.hour, .requestSupplement(missing: ["CCCD"])),
            SampleCity.act(by: "cv-an", at: Self.t0 + 2 * Self.hour, .supplementReceived(note: "", newDueDate: nil)),
            SampleCity.act(by: "cv-an", at: Self.t0 + 3 * Self.hour, .escalate(to: "tp-hcbt", proposal: "Đề nghị cấp")),
            SampleCity.act(by: "tp-hcbt", at: Self.t0 + 20 * Self.day, .decide(decision: "Cấp", rationale: "Đủ")),
            SampleCity.act(by: "tp-hcbt", at: Self.t0 + 20 * Self.day + Self.hour, .resolve(result: "Đã cấp")),
        ]
        #expect(GoodDeed.deeds(in: Self.records(SampleCity.openDossier(), steps)).isEmpty)
        // A reception book, a programme or a proposal earns nothing here.
        let book = Action(
            caseID: "SO-TCD", actor: .official("ct-hc"), at: Self.t0,
            body: .open(OpenCase(kind: .reception, title: "Sổ tiếp công dân", leadUnit: "p-hai-chau", owner: "ct-hc")), via: .generated("test"))
        #expect(GoodDeed.deeds(in: Self.records(book, [])).isEmpty)
    }

    @Test func aComplaintSettledWhereItWasLodged() {
        let open = Action(
            caseID: "TTTP-KN-1", actor: .official("ttv"), at: Self.t0,
            body: .open(
                OpenCase(
                    kind: .complaint, title: "Khiếu nại", leadUnit: "thanh-tra", owner: "ttv",
                    dueDate: CivilDate(year: 2025, month: 12, day: 30))), via: .generated("test"))
        let resolved = SampleCity.act("TTTP-KN-1", by: "ttv", at: Self.t0 + 10 * Self.day, .resolve(result: "Giải quyết xong"))
        let deeds = GoodDeed.deeds(in: Self.records(open, [resolved]))
        #expect(Set(deeds.map(\.deed)) == [.resolvedEarly, .firstPass, .complaintSettled])
        var tally = GoodWorkTally()
        tally.add(deeds)
        tally.add([("ttv", .resolvedEarly)])
        let rules = [
            GoodWorkRule(deed: .resolvedEarly, points: 2, source: "s", status: "agency-default"),
            GoodWorkRule(deed: .complaintSettled, points: 3, source: "s", status: "agency-default"),
        ]
        #expect(tally.deeds(of: ["ttv"])[.resolvedEarly] == 2)
        #expect(GoodWorkTally.points(tally.deeds(of: ["ttv", "ctt"]), rules: rules) == 2 * 2 + 3, "a deed without a rule is worth nothing")
    }

    @Test func theRulebookPricesEveryDeedWithItsSourceAndRefusesNegativePoints() throws {
        let book = try Defaults.rulebook()
        #expect(Set(book.goodWork.map(\.deed)) == Set(GoodDeed.allCases))
        #expect(book.goodWork.allSatisfy { !$0.source.isEmpty && $0.points >= 0 && $0.status == "agency-default" })
        #expect(throws: DomainError.self) {
            _ = try Rulebook(
                id: "x", title: "x", rules: [], procedures: [], thresholds: [],
                goodWork: [GoodWorkRule(deed: .firstPass, points: -1, source: "s", status: "agency-default")])
        }
        #expect(throws: DomainError.self) {
            _ = try Rulebook(
                id: "x", title: "x", rules: [], procedures: [], thresholds: [],
                goodWork: [
                    GoodWorkRule(deed: .firstPass, points: 1, source: "s", status: "a"),
                    GoodWorkRule(deed: .firstPass, points: 2, source: "s", status: "a"),
                ])
        }
    }
}
