import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Testing

/// `overlap` across tasks in force, worked by hand: the same product for the same lead unit, the same title under
/// another lead; finished tasks and other units' products are not overlaps; the later task is flagged, once.
@Suite struct OverlapJudgeTests {
    func task(_ i: Int, lead: UInt32, product: UInt32, title: UInt32, at: Int64, inForce: Bool = true) -> OverlapJudge.Task {
        OverlapJudge.Task(caseIndex: i, lead: lead, product: product, title: title, openedAt: at, owner: UInt32(100 + i), inForce: inForce)
    }

    @Test func theLaterOfEachPairIsFlagged() {
        var judge = OverlapJudge()
        judge.add(task(0, lead: 1, product: 7, title: 20, at: 10))
        judge.add(task(1, lead: 1, product: 7, title: 21, at: 30))  // same product, same lead: overlap
        judge.add(task(2, lead: 2, product: 7, title: 22, at: 40))  // same product, another lead: not
        judge.add(task(3, lead: 3, product: 8, title: 20, at: 50))  // task 0's title under another lead: overlap
        judge.add(task(4, lead: 1, product: 9, title: 23, at: 5, inForce: false))
        judge.add(task(5, lead: 1, product: 9, title: 24, at: 60))  // its twin is finished: not
        judge.add(task(6, lead: 1, product: 7, title: 20, at: 70))  // both rules: one finding
        let found = judge.findings()
        #expect(found.map(\.finding.caseIndex) == [1, 3, 6])
        #expect(found.map(\.earlier) == [0, 0, 0])
        #expect(found.allSatisfy { $0.finding.detector == .overlap && $0.finding.limit == 1 })
        #expect(found[0].finding.value == 3 && found[0].finding.owner == 101, "three tasks share product 7 at unit 1; the later's holder")
        #expect(found[1].finding.value == 3, "three tasks share title 20")
    }

    /// Inspections (Luật Thanh tra 2022: no overlap in subject, content and time), worked by hand: two outside
    /// inspections under way sharing a unit, a field and days — the later flagged against its holder, the earliest as
    /// evidence; a self-inspection beside them, a concluded one, one of other days, fields or units are not overlaps.
    @Test func outsideInspectionsUnderWayOfTheSameUnitFieldAndDaysOverlap() {
        func day(_ d: Int) -> CivilDate { CivilDate(year: 2026, month: 3, day: d)! }
        func inspection(_ i: Int, _ subjects: [UnitID], _ fields: [String], _ from: Int, _ to: Int, at: Int64) -> OverlapJudge.Inspection {
            OverlapJudge.Inspection(
                caseIndex: i, scope: InspectionScope(subjects: subjects, from: day(from), to: day(to), fields: fields), openedAt: at,
                owner: UInt32(200 + i))
        }
        var judge = OverlapJudge()
        judge.add(inspection: inspection(0, ["stp"], ["tthc"], 1, 20, at: 10), form: .external, inForce: true)
        judge.add(inspection: inspection(1, ["stp"], ["tthc"], 1, 20, at: 5), form: .selfInspection, inForce: true)  // the unit's own: not
        judge.add(inspection: inspection(2, ["stp"], ["tthc"], 1, 20, at: 8), form: .external, inForce: false)  // concluded: not
        judge.add(inspection: inspection(3, ["stp"], ["tthc"], 21, 30, at: 20), form: .external, inForce: true)  // other days: not
        judge.add(inspection: inspection(4, ["stp"], ["dat-dai"], 1, 20, at: 30), form: .external, inForce: true)  // other field: not
        judge.add(inspection: inspection(5, ["ubnd", "stp"], ["tthc", "dat-dai"], 15, 25, at: 40), form: .external, inForce: true)
        let found = judge.findings()
        #expect(found.map(\.finding.caseIndex) == [5])
        #expect(found.map(\.earlier) == [0], "the earliest it overlaps")
        #expect(found[0].finding.value == 4 && found[0].finding.owner == 205, "it overlaps inspections 0, 3 and 4; its holder answers")
        #expect(found[0].finding.detector == .overlap && found[0].finding.limit == 1)
    }

    @Test func tasksOpenedTogetherAreOrderedByCase() {
        var judge = OverlapJudge()
        judge.add(task(4, lead: 1, product: 7, title: 0, at: 10))
        judge.add(task(2, lead: 1, product: 7, title: 0, at: 10))
        #expect(judge.findings().map(\.finding.caseIndex) == [4])
        var none = OverlapJudge()
        none.add(task(0, lead: 1, product: 0, title: 0, at: 1))
        none.add(task(1, lead: 1, product: 0, title: 0, at: 2))
        #expect(none.findings().isEmpty, "no product and no title recorded: nothing to compare")
    }
}
