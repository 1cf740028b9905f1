import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Testing

/// Inspections (issue 18): the scope an inspection carries and what it must hold, who records violations and concludes
/// (a self-inspection's conclusion only by a head of the unit), nothing recorded after the conclusion, recommendations as
/// tasks under it, the record read back from the entries, and the log attribute that carries it to `analyze`.
@Suite struct InspectionTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour
    let from = CivilDate(year: 2025, month: 7, day: 1)!
    let to = CivilDate(year: 2025, month: 12, day: 31)!

    func opening(
        _ level: PlanLevel = .inspection, lead: UnitID = "thanh-tra", owner: OfficialID = "ttv", subjects: [UnitID] = ["stp"],
        fields: [String] = ["xay-dung"], scope: Bool = true
    ) -> Action {
        Action(
            caseID: "TTR-1", actor: .official("ctt"), at: t0,
            body: .open(
                OpenCase(
                    kind: .programme, procedure: level.rawValue, title: "Thanh tra cấp phép", leadUnit: lead, owner: owner,
                    inspection: scope ? InspectionScope(subjects: subjects, from: from, to: to, fields: fields) : nil)), via: .generated("t"))
    }

    func act(_ n: Int64, _ body: ActionBody, by actor: OfficialID) -> Action { SampleCity.act("TTR-1", by: actor, at: t0 + n * h, body) }

    var conclusion: InspectionConclusion {
        InspectionConclusion(
            document: IssuingDocument(number: "KL-1", date: CivilDate(year: 2026, month: 2, day: 2)!, signer: "Chánh Thanh tra"), summary: "Kết luận")
    }

    @Test func anInspectionCarriesAWellFormedScopeAndNothingElseDoes() throws {
        let state = try CaseState(opening: opening(), in: org)
        #expect(state.isInspection && state.inspectionForm == .external)
        guard case .open(let open) = opening().body else { return }
        try CaseState.checkParent(of: open, found: nil)
        #expect(throws: DomainError.invalidField(action: "open", field: "inspection", reason: .inspection(.scopeRequired))) {
            try CaseState(opening: opening(scope: false), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "inspection", reason: .inspection(.scopeOnlyForInspections))) {
            try CaseState(opening: opening(.programme), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "inspection.subjects", reason: .inspection(.noSubjects))) {
            try CaseState(opening: opening(subjects: []), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "inspection.subjects[1]", reason: .inspection(.repeatedSubject("stp")))) {
            try CaseState(opening: opening(subjects: ["stp", "stp"]), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "inspection.fields", reason: .inspection(.noFields))) {
            try CaseState(opening: opening(fields: []), in: org)
        }
        // An outside inspection does not inspect the body leading it; a self-inspection looks only inside its own unit.
        #expect(
            throws: DomainError.invalidField(
                action: "open", field: "inspection.subjects[0]", reason: .inspection(.externalInspectsItself("thanh-tra")))
        ) { try CaseState(opening: opening(subjects: ["thanh-tra"]), in: org) }
        #expect(
            throws: DomainError.invalidField(
                action: "open", field: "inspection.subjects[1]", reason: .inspection(.selfOutsideLead("p-hai-chau", lead: "stp")))
        ) { try CaseState(opening: opening(.selfInspection, lead: "stp", owner: "gd-stp", subjects: ["stp-hcbt", "p-hai-chau"]), in: org) }
        #expect(throws: DomainError.unknownUnit("nowhere")) { try CaseState(opening: opening(subjects: ["nowhere"]), in: org) }
        let reversed = InspectionScope(subjects: ["stp"], from: to, to: from, fields: ["x"])
        #expect(throws: DomainError.invalidField(action: "open", field: "inspection.to", reason: .inspection(.periodReversed(from: to, to: from)))) {
            try reversed.check(action: "open", form: .external, lead: "thanh-tra", fieldCodes: nil, in: nil)
        }
        // The writer checks field codes against the rulebook's.
        #expect(
            throws: DomainError.invalidField(
                action: "open", field: "inspection.fields[0]", reason: .inspection(.unknownField("x", known: ["dat-dai"])))
        ) {
            try InspectionScope(subjects: ["stp"], from: from, to: to, fields: ["x"])
                .check(action: "open", form: .external, lead: "thanh-tra", fieldCodes: ["dat-dai"], in: nil)
        }
    }

    @Test func theHolderRecordsViolationsUntilTheConclusion() throws {
        var s = try CaseState(opening: opening(), in: org)
        let violation = InspectionViolation(unit: "stp", field: "xay-dung", text: "Cấp phép trái quy hoạch", cases: ["STP-1"])
        #expect(throws: DomainError.notPermitted(action: "record_violation", actor: "ctt", reason: .heldBy("ttv"))) {
            try s.apply(act(1, .recordViolation(violation), by: "ctt"), in: org)
        }
        #expect(throws: DomainError.missingField(action: "record_violation", field: "text")) {
            try s.apply(act(1, .recordViolation(InspectionViolation(unit: "stp", field: "xay-dung", text: " ")), by: "ttv"), in: org)
        }
        try s.apply(act(1, .recordViolation(violation), by: "ttv"), in: org)
        #expect(s.status == .processing)
        try s.apply(act(2, .concludeInspection(conclusion), by: "ttv"), in: org)
        #expect(s.status == .resolved && s.owner == "ttv", "concluded: its recommendations are followed up while it stays open")
        #expect(throws: DomainError.invalidField(action: "record_violation", field: "case", reason: .inspection(.alreadyConcluded))) {
            try s.apply(act(3, .recordViolation(violation), by: "ttv"), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "conclude_inspection", field: "case", reason: .inspection(.alreadyConcluded))) {
            try s.apply(act(3, .concludeInspection(conclusion), by: "ttv"), in: org)
        }
        // The scope decides where a violation may be recorded (the writer reads it from the opening).
        let scope = InspectionScope(subjects: ["stp"], from: from, to: to, fields: ["xay-dung"])
        #expect(
            throws: DomainError.invalidField(
                action: "record_violation", field: "unit", reason: .inspection(.unitNotInScope("p-hai-chau", subjects: ["stp"])))
        ) {
            try scope.check(InspectionViolation(unit: "p-hai-chau", field: "xay-dung", text: "x"), action: "record_violation")
        }
        #expect(
            throws: DomainError.invalidField(
                action: "record_violation", field: "field", reason: .inspection(.fieldNotInScope("dat-dai", fields: ["xay-dung"])))
        ) {
            try scope.check(InspectionViolation(unit: "stp", field: "dat-dai", text: "x"), action: "record_violation")
        }
    }

    @Test func onlyAHeadOfTheUnitConcludesItsSelfInspection() throws {
        var s = try CaseState(opening: opening(.selfInspection, lead: "stp", owner: "cv-an", subjects: ["stp-hcbt"]), in: org)
        #expect(throws: DomainError.notPermitted(action: "conclude_inspection", actor: "cv-an", reason: .inspection(.onlyHeadConcludesSelf))) {
            try s.apply(act(1, .concludeInspection(conclusion), by: "cv-an"), in: org)
        }
        try s.apply(act(1, .assign(to: "gd-stp", note: "Trình Giám đốc ký kết luận"), by: "cv-an"), in: org)
        try s.apply(act(2, .concludeInspection(conclusion), by: "gd-stp"), in: org)
        #expect(s.status == .resolved)
        // Steps of an inspection are refused on any other case.
        var task = try CaseState(
            opening: Action(
                caseID: "TTR-1", actor: .official("gd-stp"), at: t0,
                body: .open(OpenCase(kind: .task, title: "Nhiệm vụ", leadUnit: "stp", owner: "gd-stp")), via: .generated("t")), in: org)
        #expect(
            throws: DomainError.invalidField(
                action: "conclude_inspection", field: "case", reason: .inspection(.notAnInspection(action: "conclude_inspection")))
        ) {
            try task.apply(act(1, .concludeInspection(conclusion), by: "gd-stp"), in: org)
        }
    }

    @Test func recommendationsAreTasksUnderTheInspection() throws {
        let inspection = try CaseState(opening: opening(), in: org)
        let recommendation = OpenCase(kind: .task, title: "Khắc phục", leadUnit: "stp", owner: "gd-stp", parent: "TTR-1")
        try CaseState.checkParent(of: recommendation, found: inspection)
    }

    @Test func theRecordAndTheLogAttributeReadBackWhatWasWritten() throws {
        let violation = InspectionViolation(unit: "stp", field: "xay-dung", text: "Cấp phép trái quy hoạch")
        let records: [(index: Int64, action: Action)] = [
            (10, opening()), (12, act(1, .recordViolation(violation), by: "ttv")), (15, act(2, .concludeInspection(conclusion), by: "ttv")),
        ]
        let record = try #require(InspectionRecord(caseID: "TTR-1", records: records))
        #expect(record.form == .external && record.scope.subjects == ["stp"] && record.openingIndex == 10)
        #expect(record.violations.map(\.index) == [12] && record.violations.map(\.violation) == [violation])
        #expect(record.conclusion?.index == 15 && record.conclusion?.by == "ttv" && !record.ended)
        #expect(InspectionRecord(caseID: "X", records: [(0, SampleCity.act("X", by: "ctt", at: t0, .comment(text: "x")))]) == nil)

        let text = InspectionLogText(scope: record.scope, violations: [("stp", "xay-dung")])
        #expect(text.text == "subjects=stp;from=2025-07-01;to=2025-12-31;fields=xay-dung;violations=stp:xay-dung")
        #expect(InspectionLogText(text.text) == text)
        #expect(InspectionLogText("subjects=a;from=2025-07-01;to=2025-12-31;fields=f;violations=")?.violations.isEmpty == true)
        for bad in [
            "subjects=;from=2025-07-01;to=2025-12-31;fields=f", "subjects=a;from=2025-13-01;to=2025-12-31;fields=f", "subjects=a;fields=f",
            "subjects=a;from=2025-07-01;to=2025-12-31;fields=f;violations=a", "nonsense",
        ] {
            #expect(InspectionLogText(bad) == nil, "\(bad)")
        }
    }
}
