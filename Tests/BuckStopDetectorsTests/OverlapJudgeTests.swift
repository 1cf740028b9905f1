import BuckStopDetectors
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
