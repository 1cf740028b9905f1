import BuckStopCalendar
import BuckStopDomain
import Testing

@Test func caseCodeIsAgencyDateSequence() {
    #expect(CaseCode.make(agencyCode: "STP", date: CivilDate(year: 2025, month: 11, day: 3)!, sequence: 42).rawValue == "STP-251103-0042")
    #expect(CaseCode.make(agencyCode: "PHC", date: CivilDate(year: 2026, month: 1, day: 1)!, sequence: 12345).rawValue == "PHC-260101-12345")
}
