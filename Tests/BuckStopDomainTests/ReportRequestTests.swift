import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Testing

/// Report requests (yêu cầu báo cáo, issue 17): the template a request carries and what it must hold, a report signed and
/// sent by the head of the lead unit (and by nobody else), accepted or returned by the requester, the figures checked
/// against the template; and the requester's matrix worked by hand.
@Suite struct ReportRequestTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour
    let template = ReportTemplate(
        sections: ["I. Tình hình", "II. Vụ việc cụ thể"],
        figures: [ReportFigure(code: "tre_han", label: "Số hồ sơ trễ hạn"), ReportFigure(code: "day_dua", label: "Số vụ việc đùn đẩy")])

    func request(_ template: ReportTemplate?, level: PlanLevel = .reportRequest) -> Action {
        Action(
            caseID: "YC-1", actor: .official("chu-tich"), at: t0,
            body: .open(
                OpenCase(
                    kind: .programme, procedure: level.rawValue, title: "Báo cáo chuyên đề", leadUnit: "ubnd", owner: "chu-tich",
                    dueDate: CivilDate(year: 2025, month: 12, day: 1), template: template)), via: .generated("t"))
    }

    func submission() throws -> CaseState {
        try CaseState(
            opening: Action(
                caseID: "YC-1-STP", actor: .official("chu-tich"), at: t0,
                body: .open(
                    OpenCase(
                        kind: .task, title: "Báo cáo của Sở Tư pháp", leadUnit: "stp", owner: "gd-stp",
                        dueDate: CivilDate(year: 2025, month: 12, day: 1),
                        parent: "YC-1")), via: .generated("t")), in: org)
    }

    func act(_ n: Int64, _ body: ActionBody, by actor: OfficialID) -> Action { SampleCity.act("YC-1-STP", by: actor, at: t0 + n * h, body) }

    func report(_ figures: [String: Int] = ["tre_han": 3, "day_dua": 1]) -> ReportSubmission {
        ReportSubmission(document: "12/BC-STP", figures: figures)
    }

    @Test func aRequestCarriesAWellFormedTemplateAndNothingElseDoes() throws {
        #expect(try CaseState(opening: request(template), in: org).procedure == "report-request")
        // A report request stands alone (a body's own request) or under a programme; a plan needs a parent.
        guard case .open(let open) = request(template).body else { return }
        try CaseState.checkParent(of: open, found: nil)
        #expect(throws: DomainError.invalidField(action: "open", field: "template", reason: .programme(.templateRequired))) {
            try CaseState(opening: request(nil), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "template", reason: .programme(.templateOnlyForReportRequests))) {
            try CaseState(opening: request(template, level: .programme), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "template", reason: .programme(.emptyTemplate))) {
            try CaseState(opening: request(ReportTemplate(sections: [], figures: [])), in: org)
        }
        let badCode = ReportTemplate(sections: [], figures: [ReportFigure(code: "trễ hạn", label: "x")])
        #expect(
            throws: DomainError.invalidField(action: "open", field: "template.figures[0].code", reason: .programme(.badFigureCode("trễ hạn")))
        ) { try CaseState(opening: request(badCode), in: org) }
        let twice = ReportTemplate(sections: [], figures: [ReportFigure(code: "a", label: "x"), ReportFigure(code: "a", label: "y")])
        #expect(throws: DomainError.invalidField(action: "open", field: "template.figures[1].code", reason: .programme(.repeatedFigure("a")))) {
            try CaseState(opening: request(twice), in: org)
        }
        #expect(throws: DomainError.missingField(action: "open", field: "template.sections[1]")) {
            try CaseState(opening: request(ReportTemplate(sections: ["I", " "], figures: [])), in: org)
        }
    }

    @Test func theHeadSendsTheRequesterAcceptsOrReturns() throws {
        var t = try submission()
        // The official drafting it cannot send it: only the head of the lead unit or above signs.
        try t.apply(act(1, .assign(to: "tp-hcbt", note: "Giao phòng xây dựng"), by: "gd-stp"), in: org)
        try t.apply(act(2, .accept(note: "Nhận"), by: "tp-hcbt"), in: org)
        #expect(t.taskPhase == .inProgress)
        try t.apply(act(3, .assign(to: "cv-an", note: "Tổng hợp số liệu"), by: "tp-hcbt"), in: org)
        #expect(throws: DomainError.notPermitted(action: "submit_report", actor: "cv-an", reason: .programme(.onlyHeadSends))) {
            try t.apply(act(4, .submitReport(to: "chu-tich", report: report()), by: "cv-an"), in: org)
        }
        try t.apply(act(4, .submitDraft(to: "gd-stp", draft: "Dự thảo báo cáo"), by: "cv-an"), in: org)
        #expect(
            throws: DomainError.invalidField(
                action: "submit_report", field: "figures.tre_han", reason: .programme(.negativeFigure("tre_han", found: -1)))
        ) {
            try t.apply(act(5, .submitReport(to: "chu-tich", report: report(["tre_han": -1])), by: "gd-stp"), in: org)
        }
        #expect(throws: DomainError.missingField(action: "submit_report", field: "document")) {
            try t.apply(act(5, .submitReport(to: "chu-tich", report: ReportSubmission(document: "  ")), by: "gd-stp"), in: org)
        }
        try t.apply(act(5, .submitReport(to: "chu-tich", report: report()), by: "gd-stp"), in: org)
        #expect(t.taskPhase == .submitted && t.owner == "chu-tich" && t.drafter == "gd-stp", "the wait moves to the requester")
        #expect(
            throws: DomainError.invalidField(action: "submit_report", field: "case", reason: .programme(.draftAlreadyAwaiting(approver: "chu-tich")))
        ) {
            var again = t
            try again.apply(act(6, .submitReport(to: "chu-tich", report: report()), by: "chu-tich"), in: org)
        }
        var returned = t
        try returned.apply(act(6, .returnDraft(reason: "Bổ sung vụ việc cụ thể"), by: "chu-tich"), in: org)
        #expect(returned.taskPhase == .inProgress && returned.owner == "gd-stp", "back to the head who sent it")
        try t.apply(act(6, .approveDraft(note: "Tiếp nhận"), by: "chu-tich"), in: org)
        #expect(t.taskPhase == .done && t.status == .resolved)
        // A sent report is delivered: never overdue, whatever the date.
        #expect(!TaskPhase.submitted.isOverdue(due: CivilDate(year: 2025, month: 1, day: 1), on: CivilDate(year: 2026, month: 1, day: 1)!))
    }

    @Test func aReportAnswersEveryFigureOfTheTemplateAndNoOther() throws {
        try template.check(report(), action: "submit_report")
        #expect(throws: DomainError.invalidField(action: "submit_report", field: "figures.day_dua", reason: .programme(.figureMissing("day_dua")))) {
            try template.check(report(["tre_han": 3]), action: "submit_report")
        }
        #expect(
            throws: DomainError.invalidField(
                action: "submit_report", field: "figures.khac", reason: .programme(.figureUnknown("khac", known: ["day_dua", "tre_han"])))
        ) { try template.check(report(["tre_han": 3, "day_dua": 0, "khac": 1]), action: "submit_report") }
    }

    /// Three agencies, worked by hand: one sent on time, returned once and accepted; one sent two days late and waiting;
    /// one never sent, past the date.
    @Test func theMatrixByHand() {
        let due = CivilDate(year: 2026, month: 3, day: 10)!
        func task(_ id: CaseID, _ lead: UnitID, _ phase: TaskPhase) -> TaskSummary {
            TaskSummary(id: id, title: "Báo cáo", parent: "YC-1", leadUnit: lead, owner: "chu-tich", phase: phase, dueDate: due)
        }
        let day = { (d: Int) in CivilDate(year: 2026, month: 3, day: d)! }
        let matrix = ReportMatrix(
            submissions: [
                (
                    task("A", "stp-hcbt", .done),
                    [
                        (.submitDraft(to: "gd-stp", draft: "Dự thảo"), day(5)), (.returnDraft(reason: "Sửa"), day(6)),
                        (.submitDraft(to: "gd-stp", draft: "Dự thảo 2"), day(7)), (.submitReport(to: "chu-tich", report: report()), day(9)),
                        (.returnDraft(reason: "Bổ sung"), day(11)),
                        (.submitReport(to: "chu-tich", report: report(["tre_han": 7, "day_dua": 2])), day(12)),
                        (.approveDraft(note: "Tiếp nhận"), day(13)),
                    ]
                ),
                (task("B", "thanh-tra", .submitted), [(.submitReport(to: "chu-tich", report: report()), day(12))]),
                (task("C", "p-hai-chau", .inProgress), [(.accept(note: "Nhận", dueDate: nil), day(2))]),
            ], asOf: day(20), organization: org)
        let a = matrix.rows.first { $0.task.id == "A" }
        #expect(a?.agency == "stp" && a?.status == .accepted && a?.returns == 1, "a return inside the agency is not counted")
        #expect(a?.firstSent == day(9) && a?.late == false && a?.figures == ["tre_han": 7, "day_dua": 2])
        let b = matrix.rows.first { $0.task.id == "B" }
        #expect(b?.status == .sent && b?.late == true && b?.missing == false)
        let c = matrix.rows.first { $0.task.id == "C" }
        #expect(c?.status == .drafting && c?.missing == true && c?.late == false)
        #expect(matrix.onTime == 1 && matrix.late == 1 && matrix.missing == 1)
        #expect(matrix.acceptedTotals == ["tre_han": 7, "day_dua": 2])
        #expect(matrix.rows.map(\.agency) == ["p-hai-chau", "stp", "thanh-tra"])
    }
}
