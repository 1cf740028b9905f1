import BuckStopAnalysis
import BuckStopDetectors
import Testing

/// The English line counts the way English does: "once", "twice", "3 times" — never "1 times".
@Test func englishExplanationsCountInWords() {
    func line(_ value: Double) -> String {
        Explanation.text(
            DetectorFinding(detector: .repeatReschedule, caseIndex: 0, owner: 1, severity: .medium, evidence: [], value: value, limit: 1),
            owner: "Võ Thị An", vietnamese: false)
    }
    #expect(line(1).contains("given once") && !line(1).contains("1 times"))
    #expect(line(2).contains("given twice"))
    #expect(line(3).contains("given 3 times"))
}
