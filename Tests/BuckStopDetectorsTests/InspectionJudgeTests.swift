import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Testing

/// `self_inspection_miss` worked by hand: a concluded self-inspection that recorded nothing where a concluded outside
/// inspection of shared days found a violation in a unit and field it covered is flagged against its signer, with how many
/// it missed; what it found itself, other units, other fields and other months are not misses.
@Suite struct InspectionJudgeTests {
    func d(_ month: Int, _ day: Int) -> CivilDate { CivilDate(year: 2026, month: month, day: day)! }

    func inspection(
        _ i: Int, _ form: InspectionForm, _ subjects: [String], _ from: CivilDate, _ to: CivilDate, _ fields: [String],
        found: [(String, String)] = []
    ) -> InspectionJudge.Inspection {
        InspectionJudge.Inspection(
            caseIndex: i, form: form, subjects: subjects, from: from, to: to, fields: fields, conclusion: 9, signer: UInt32(100 + i),
            violations: found.enumerated().map { ($0.element.0, $0.element.1, Int32($0.offset)) })
    }

    @Test func aSelfInspectionThatFoundNothingTheOutsideFoundIsFlagged() {
        var judge = InspectionJudge()
        judge.add(inspection(0, .selfInspection, ["sxd"], d(1, 1), d(6, 30), ["xay-dung", "tthc"]))
        judge.add(inspection(1, .selfInspection, ["stc"], d(1, 1), d(6, 30), ["tai-chinh"], found: [("stc", "tai-chinh")]))
        judge.add(inspection(2, .selfInspection, ["snv"], d(1, 1), d(3, 31), ["tthc"]))  // its months end before the outside's
        judge.add(inspection(3, .selfInspection, ["stp"], d(1, 1), d(6, 30), ["dat-dai"]))  // the outside found another field
        judge.add(
            inspection(
                4, .external, ["sxd", "stc", "snv", "stp"], d(4, 1), d(9, 30), ["xay-dung", "tai-chinh", "tthc"],
                found: [("sxd", "xay-dung"), ("sxd", "tthc"), ("stc", "tai-chinh"), ("snv", "tthc"), ("stp", "tthc")]))
        let found = judge.findings()
        #expect(found.map(\.finding.caseIndex) == [0])
        #expect(found[0].finding.detector == .selfInspectionMiss && found[0].finding.owner == 100 && found[0].finding.evidence == [9])
        #expect(found[0].finding.value == 2 && found[0].finding.limit == 0, "two outside violations in its unit and fields")
        #expect(found[0].missed.map(\.caseIndex) == [4, 4] && found[0].missed.map(\.position) == [0, 1])
    }

    @Test func twoSelfInspectionsOrNoOutsideOneAreNoMiss() {
        var judge = InspectionJudge()
        judge.add(inspection(0, .selfInspection, ["sxd"], d(1, 1), d(6, 30), ["xay-dung"]))
        judge.add(inspection(1, .selfInspection, ["sxd"], d(1, 1), d(6, 30), ["xay-dung"], found: [("sxd", "xay-dung")]))
        #expect(judge.findings().isEmpty, "only an outside inspection's findings count against a self-inspection")
    }
}
