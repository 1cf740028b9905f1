import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Testing

/// Ranking bodies by risk for an inspection plan (issue 18): the signs folded up to each body, and the score as the plain
/// mean of percentile ranks — worked by hand below — with no weight of BuckStop's own.
@Suite struct InspectionRiskTests {
    let org = SampleCity.organization
    let today = CivilDate(year: 2026, month: 3, day: 2)!

    /// A: 2 upheld, 2 of 4 open overdue, no complaint, 1 in a prone field. B: nothing open (no overdue share), 1 complaint.
    /// C: 2 upheld, 0 of 2 overdue, 1 complaint, 3 prone. Ranks among the other two (a tie counts half, over 2):
    /// upheld A .75 B 0 C .75; overdue share A 1 (0.5 beats none and 0) B 0 C .5; complaints A 0 B .75 C .75;
    /// prone A .5 B 0 C 1. Means: C 3/4 = .75, A 2.25/4 = .5625, B .75/4 = .1875.
    @Test func theScoreIsTheMeanOfPercentileRanksWorkedByHand() {
        let risk = InspectionRisk([
            "a": .init(upheld: 2, open: 4, overdue: 2, complaints: 0, proneOpen: 1),
            "b": .init(upheld: 0, open: 0, overdue: 0, complaints: 1, proneOpen: 0),
            "c": .init(upheld: 2, open: 2, overdue: 0, complaints: 1, proneOpen: 3),
        ])
        #expect(risk.rows.map(\.body) == ["c", "a", "b"])
        #expect(risk.rows.map(\.score) == [0.75, 0.5625, 0.1875])
        #expect(risk.rows[2].signs.overdueShare == nil && risk.rows[1].signs.overdueShare == 0.5)
        // One body alone has nothing to be ranked against.
        #expect(InspectionRisk(["a": .init(upheld: 9)]).rows.map(\.score) == [0])
    }

    @Test func signsAreFoldedUpToTheBodyAndProcedurePrefixesPlaceCasesInFields() throws {
        let fields = [
            InspectionField(
                code: "dat-dai", nameVi: "Đất đai", nameEn: "Land", proneToCorruption: true, source: "s", status: "t", procedures: ["DD-"]),
            InspectionField(
                code: "tthc", nameVi: "TTHC", nameEn: "Procedures", proneToCorruption: false, source: "s", status: "t", procedures: ["D", "HT-"]),
        ]
        // The longest prefix wins; an unplaced procedure or none has no field.
        #expect(fields.field(ofProcedure: "DD-CAPDOI")?.code == "dat-dai")
        #expect(fields.field(ofProcedure: "DN-THANHLAP")?.code == "tthc")
        #expect(fields.field(ofProcedure: "KN-L1") == nil && fields.field(ofProcedure: nil) == nil)

        func open(_ id: CaseID, kind: CaseKind = .dossier, procedure: String?, owner: OfficialID, due: CivilDate?, concerning: Concerning? = nil)
            throws -> CaseState
        {
            try CaseState(
                opening: Action(
                    caseID: id, actor: .official(owner), at: SampleCity.t0,
                    body: .open(
                        OpenCase(
                            kind: kind, procedure: procedure, title: "x", leadUnit: org.official(owner)?.unit ?? "stp", owner: owner, dueDate: due,
                            concerning: concerning)), via: .generated("t")), in: org)
        }
        let cases = [
            // cv-an sits in the division stp-hcbt: counted for the Sở Tư pháp.
            try open("A", procedure: "DD-CAPDOI", owner: "cv-an", due: today.adding(days: -1)),
            try open("B", procedure: "HT-KHAISINH", owner: "cv-binh", due: today),
            try open("C", procedure: "DD-BIENDONG", owner: "ct-hc", due: nil),
        ]
        let letters = [
            try open("K", kind: .complaint, procedure: "KN-L1", owner: "ct-hc", due: nil, concerning: Concerning(official: "cv-an")),
            try open("T", kind: .denunciation, procedure: "TC-GIAIQUYET", owner: "ct-hc", due: nil, concerning: Concerning(unit: "p-hai-chau")),
        ]
        let upheld = [
            Finding(
                id: "f1", detector: "d", caseID: "A", official: "cv-an", unit: "stp-hcbt", head: nil, severity: .minor, evidence: [], explanation: "",
                status: .upheld),
            Finding(
                id: "f2", detector: "d", caseID: "A", official: "cv-an", unit: "stp-hcbt", head: nil, severity: .minor, evidence: [], explanation: "",
                status: .open),
        ]
        let signs = InspectionRisk.signs(
            bodies: ["stp", "p-hai-chau"], upheld: upheld, openCases: cases, letters: letters, organization: org, fields: fields, today: today)
        #expect(signs["stp"] == InspectionRisk.Signs(upheld: 1, open: 2, overdue: 1, complaints: 1, proneOpen: 1), "\(signs)")
        #expect(signs["p-hai-chau"] == InspectionRisk.Signs(upheld: 0, open: 1, overdue: 0, complaints: 1, proneOpen: 1), "\(signs)")
    }
}
