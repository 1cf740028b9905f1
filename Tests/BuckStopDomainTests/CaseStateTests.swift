import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Testing

@Suite struct CaseStateTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour

    func opened() throws -> CaseState { try CaseState(opening: SampleCity.openDossier(), in: org) }

    @Test func openingGivesExactlyOneOwner() throws {
        let state = try opened()
        #expect(state.owner == "cv-an")
        #expect(state.status == .received)
        #expect(state.invariantHolds)
    }

    @Test func escalationWithoutProposalIsRefused() throws {
        var state = try opened()
        #expect(throws: DomainError.missingField(action: "escalate", field: "proposal")) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .escalate(to: "tp-hcbt", proposal: "   ")), in: org)
        }
        #expect(state.owner == "cv-an", "a refused action changes nothing")
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp phiếu")), in: org)
        #expect(state.owner == "tp-hcbt")
    }

    @Test func escalationMustGoUp() throws {
        var state = try opened()
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .escalate(to: "cv-binh", proposal: "Đề xuất")), in: org)
        }
    }

    @Test func delegationMustGoDownInsideTheSubtree() throws {
        var state = try opened()
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .escalate(to: "gd-stp", proposal: "Trình Giám đốc")), in: org)
        // The ward's staff are not below the director of justice.
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "gd-stp", at: t0 + 2 * h, .delegate(to: "mc-hc", instruction: "Xử lý")), in: org)
        }
        try state.apply(SampleCity.act(by: "gd-stp", at: t0 + 2 * h, .delegate(to: "cv-binh", instruction: "Xử lý")), in: org)
        #expect(state.owner == "cv-binh")
    }

    @Test func onlyTheOwnerActs() throws {
        var state = try opened()
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-binh", at: t0 + h, .transfer(to: "cv-binh", reason: "x")), in: org)
        }
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-binh", at: t0 + h, .resolve(result: "xong")), in: org)
        }
    }

    @Test func headAboveMayReassign() throws {
        var state = try opened()
        try state.apply(SampleCity.act(by: "tp-hcbt", at: t0 + h, .assign(to: "cv-binh", note: "")), in: org)
        #expect(state.owner == "cv-binh")
        // A head of another branch may not.
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "ct-hc", at: t0 + 2 * h, .assign(to: "cv-an", note: "")), in: org)
        }
    }

    @Test func supplementRequestListsEverythingAndRestartsTheClock() throws {
        var state = try opened()
        #expect(throws: DomainError.missingField(action: "request_supplement", field: "missing")) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .requestSupplement(missing: [])), in: org)
        }
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .requestSupplement(missing: ["CCCD", " "])), in: org)
        }
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .requestSupplement(missing: ["Bản sao CCCD", "Tờ khai"])), in: org)
        #expect(state.status == .awaitingSupplement)
        #expect(throws: DomainError.self, "no work while waiting for the applicant") {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + 2 * h, .decide(decision: "d", rationale: "r")), in: org)
        }
        let newDue = CivilDate(year: 2025, month: 12, day: 10)!
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + 3 * h, .supplementReceived(note: "", newDueDate: newDue)), in: org)
        #expect(state.dueDate == newDue)
        #expect(state.originalDueDate == CivilDate(year: 2025, month: 12, day: 4))
        #expect(state.supplementRequests == 1)
    }

    @Test func declineNeedsLegalBasisAndMovesToTheCompetentUnitsHead() throws {
        var state = try opened()
        #expect(throws: DomainError.missingField(action: "decline", field: "legalBasis")) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .decline(legalBasis: "", competentUnit: "p-hai-chau", reason: "x")), in: org)
        }
        try state.apply(
            SampleCity.act(by: "cv-an", at: t0 + h, .decline(legalBasis: "Luật Hộ tịch 2014 Đ.13", competentUnit: "p-hai-chau", reason: "Thuộc thẩm quyền UBND phường")),
            in: org)
        #expect(state.owner == "ct-hc")
        #expect(state.leadUnit == "p-hai-chau")
        #expect(state.status.isOpen)
        // Declining to a body outside the organisation ends the case here, with no owner.
        try state.apply(
            SampleCity.act(by: "ct-hc", at: t0 + 2 * h, .decline(legalBasis: "Luật Đất đai 2024", competentUnit: "Tòa án nhân dân", reason: "Tranh chấp")),
            in: org)
        #expect(state.status == .closed)
        #expect(state.owner == nil)
        #expect(state.invariantHolds)
    }

    @Test func rescheduleMustMoveTheDateLater() throws {
        var state = try opened()
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .reschedule(newDueDate: CivilDate(year: 2025, month: 12, day: 1)!, apology: "Xin lỗi")), in: org)
        }
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .reschedule(newDueDate: CivilDate(year: 2025, month: 12, day: 9)!, apology: "Xin lỗi ông/bà")), in: org)
        #expect(state.reschedules == 1)
    }

    @Test func fullLifecycleClosesWithoutOwnerAndCitizenRates() throws {
        var state = try opened()
        let steps: [ActionBody] = [
            .accept(note: ""), .escalate(to: "tp-hcbt", proposal: "Đủ điều kiện, đề xuất cấp"),
            .decide(decision: "Cấp phiếu", rationale: "Không có án tích"), .resolve(result: "Đã cấp phiếu"), .close(outcome: "Đã trả kết quả"),
        ]
        var actor: OfficialID = "cv-an"
        for (i, body) in steps.enumerated() {
            try state.apply(SampleCity.act(by: actor, at: t0 + Int64(i + 1) * h, body), in: org)
            if let owner = state.owner { actor = owner }
            #expect(state.invariantHolds)
        }
        #expect(state.status == .closed && state.owner == nil)
        #expect(throws: DomainError.self, "an official cannot rate") {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + 9 * h, .rate(score: 5, comment: "")), in: org)
        }
        #expect(throws: DomainError.self) {
            try state.apply(Action(caseID: state.id, actor: .citizen, at: t0 + 9 * h, body: .rate(score: 6, comment: "")), in: org)
        }
        try state.apply(Action(caseID: state.id, actor: .citizen, at: t0 + 9 * h, body: .rate(score: 5, comment: "Nhanh")), in: org)
        #expect(state.rating == 5)
        #expect(throws: DomainError.self, "only a head reopens") {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + 10 * h, .reopen(to: "cv-an", reason: "Sai sót")), in: org)
        }
        try state.apply(SampleCity.act(by: "gd-stp", at: t0 + 10 * h, .reopen(to: "cv-an", reason: "Sai sót thông tin")), in: org)
        #expect(state.owner == "cv-an" && state.status == .processing)
    }

    @Test func inactiveOfficialsReceiveNothing() throws {
        var state = try opened()
        #expect(throws: DomainError.inactiveOfficial("retired")) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .transfer(to: "retired", reason: "x")), in: org)
        }
    }

    @Test func timeCannotRunBackwards() throws {
        var state = try opened()
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 - 1, .comment(text: "x")), in: org)
        }
    }

    @Test func consultationIsAnsweredOnlyByTheConsultedUnit() throws {
        var state = try opened()
        let due = CivilDate(year: 2025, month: 11, day: 27)!
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .consult(units: ["thanh-tra"], question: "Có đơn tố cáo liên quan?", dueDate: due)), in: org)
        #expect(state.pendingConsultations["thanh-tra"] == due)
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-binh", at: t0 + 2 * h, .opinion(unit: "thanh-tra", text: "Không")), in: org)
        }
        try state.apply(SampleCity.act(by: "ttv", at: t0 + 2 * h, .opinion(unit: "thanh-tra", text: "Không có")), in: org)
        #expect(state.pendingConsultations.isEmpty)
        #expect(state.owner == "cv-an", "consultation never moves the case")
    }
}
