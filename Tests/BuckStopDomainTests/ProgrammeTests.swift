import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopTestSupport
import Testing

/// Programmes, plans and their tasks (issue 17): the tree's rules at opening, and every step of a task with who may take
/// it — progress, a draft up for approval and back, approval, cancellation — and the phase each leaves it in.
@Suite struct ProgrammeTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour
    let due = CivilDate(year: 2026, month: 9, day: 30)!

    func opening(_ open: OpenCase, code: CaseID, by actor: OfficialID = "gd-stp") -> Action {
        Action(caseID: code, actor: .official(actor), at: t0, body: .open(open), via: .generated("t"))
    }

    func programme(_ level: PlanLevel = .programme, parent: CaseID? = nil) -> OpenCase {
        OpenCase(
            kind: .programme, procedure: level.rawValue, title: "Chương trình chuyển đổi số năm 2026", leadUnit: "stp", owner: "gd-stp",
            dueDate: CivilDate(year: 2026, month: 12, day: 31), parent: parent,
            document: IssuingDocument(number: "01/CTr-UBND", date: CivilDate(year: 2026, month: 1, day: 5)!, signer: "Chủ tịch UBND thành phố"))
    }

    func task(parent: CaseID? = "STP-CT-1") throws -> CaseState {
        let open = OpenCase(
            kind: .task, title: "Xây dựng Đề án số hóa hồ sơ hộ tịch", leadUnit: "stp-hcbt", collaborators: ["ubnd"], owner: "cv-an",
            dueDate: due, parent: parent, product: "Đề án trình UBND thành phố")
        return try CaseState(opening: opening(open, code: "STP-NV-1", by: "tp-hcbt"), in: org)
    }

    func act(_ n: Int64, _ body: ActionBody, by actor: OfficialID) -> Action {
        SampleCity.act("STP-NV-1", by: actor, at: t0 + n * h, body)
    }

    /// A programme is the root (a level as its procedure, no parent); a plan names an open programme or plan; a task may
    /// name one. The writer reads the parent and checks it (`checkParent`).
    @Test func theTreesRulesAtOpening() throws {
        var wrongLevel = programme()
        wrongLevel.procedure = "plan-week"
        #expect(
            throws: DomainError.invalidField(action: "open", field: "procedure", reason: .programme(.unknownLevel("plan-week")))
        ) { try CaseState(opening: opening(wrongLevel, code: "P"), in: org) }
        let root = try CaseState(opening: opening(programme(), code: "STP-CT-1"), in: org)
        #expect(root.taskPhase == nil && root.parent == nil, "a programme's phase is its tasks'")
        try CaseState.checkParent(of: programme(), found: nil)
        #expect(throws: DomainError.invalidField(action: "open", field: "parent", reason: .programme(.programmeHasParent("STP-CT-1")))) {
            try CaseState.checkParent(of: programme(parent: "STP-CT-1"), found: root)
        }
        #expect(throws: DomainError.invalidField(action: "open", field: "parent", reason: .programme(.parentRequired(kind: .programme)))) {
            try CaseState.checkParent(of: programme(.quarter), found: nil)
        }
        try CaseState.checkParent(of: programme(.quarter, parent: "STP-CT-1"), found: root)
        let dossier = try CaseState(opening: SampleCity.openDossier(), in: org)
        #expect(
            throws: DomainError.invalidField(
                action: "open", field: "parent", reason: .programme(.parentNotAProgramme("STP-251120-0001", found: .dossier)))
        ) {
            try CaseState.checkParent(of: programme(.quarter, parent: "STP-251120-0001"), found: dossier)
        }
        #expect(
            throws: DomainError.invalidField(action: "open", field: "parent", reason: .programme(.parentNotAProgramme("NONE", found: nil)))
        ) {
            try CaseState.checkParent(of: programme(.quarter, parent: "NONE"), found: nil)
        }
        var closed = root
        try closed.apply(
            Action(caseID: "STP-CT-1", actor: .official("gd-stp"), at: t0 + h, body: .close(outcome: "Kết thúc"), via: .generated("t")), in: org)
        #expect(throws: DomainError.invalidField(action: "open", field: "parent", reason: .programme(.parentClosed("STP-CT-1")))) {
            try CaseState.checkParent(of: programme(.quarter, parent: "STP-CT-1"), found: closed)
        }
        let t = try task()
        #expect(t.parent == "STP-CT-1" && t.product == "Đề án trình UBND thành phố" && t.taskPhase == .notStarted)
        var blankProduct = OpenCase(kind: .task, title: "x", leadUnit: "stp-hcbt", owner: "cv-an", product: " ")
        #expect(throws: DomainError.missingField(action: "open", field: "product")) {
            try CaseState(opening: opening(blankProduct, code: "X"), in: org)
        }
        guard case .open(var dossier) = SampleCity.openDossier().body else { return }
        dossier.parent = "STP-CT-1"
        #expect(
            throws: DomainError.invalidField(action: "open", field: "parent", reason: .programme(.parentOnlyForProgrammeItems(kind: .dossier)))
        ) { try CaseState(opening: opening(dossier, code: "D"), in: org) }
        blankProduct.product = nil
        #expect(try CaseState(opening: opening(blankProduct, code: "X"), in: org).taskPhase == .notStarted, "a task without a programme")
    }

    /// Accepted, it is in progress; progress is a percentage with words; a draft goes up to someone above and the task and
    /// its wait move with it; returned, it comes back to the drafter; approved, it is done.
    @Test func aTaskGoesThroughItsPhases() throws {
        var t = try task()
        try t.apply(act(1, .accept(note: "Nhận nhiệm vụ"), by: "cv-an"), in: org)
        #expect(t.taskPhase == .inProgress)
        #expect(throws: DomainError.invalidField(action: "progress", field: "percent", reason: .programme(.percentOutOfRange(found: 120)))) {
            try t.apply(act(2, .progress(TaskProgress(percent: 120, text: "x")), by: "cv-an"), in: org)
        }
        #expect(throws: DomainError.notPermitted(action: "progress", actor: "cv-binh", reason: .heldBy("cv-an"))) {
            try t.apply(act(2, .progress(TaskProgress(percent: 20, text: "x")), by: "cv-binh"), in: org)
        }
        try t.apply(act(2, .progress(TaskProgress(percent: 60, text: "Đã lấy ý kiến các sở", attachment: "CV 45/STP")), by: "cv-an"), in: org)
        #expect(throws: DomainError.invalidField(action: "approve_draft", field: "case", reason: .programme(.noDraftAwaiting))) {
            try t.apply(act(3, .approveDraft(note: "Đồng ý"), by: "cv-an"), in: org)
        }
        #expect(
            throws: DomainError.invalidField(action: "submit_draft", field: "to", reason: .programme(.approverNotAbove("cv-binh", drafter: "cv-an")))
        ) {
            try t.apply(act(3, .submitDraft(to: "cv-binh", draft: "Dự thảo Đề án"), by: "cv-an"), in: org)
        }
        try t.apply(act(3, .submitDraft(to: "tp-hcbt", draft: "Dự thảo Đề án lần 1"), by: "cv-an"), in: org)
        #expect(t.taskPhase == .awaitingApproval && t.owner == "tp-hcbt" && t.drafter == "cv-an" && t.ownerSince == t0 + 3 * h)
        #expect(throws: DomainError.notPermitted(action: "return_draft", actor: "cv-an", reason: .heldBy("tp-hcbt"))) {
            try t.apply(act(4, .returnDraft(reason: "Bổ sung số liệu"), by: "cv-an"), in: org)
        }
        try t.apply(act(4, .returnDraft(reason: "Bổ sung số liệu quý III"), by: "tp-hcbt"), in: org)
        #expect(t.taskPhase == .inProgress && t.owner == "cv-an" && t.drafter == nil)
        try t.apply(act(5, .submitDraft(to: "gd-stp", draft: "Dự thảo Đề án lần 2"), by: "cv-an"), in: org)
        #expect(
            throws: DomainError.invalidField(action: "submit_draft", field: "case", reason: .programme(.draftAlreadyAwaiting(approver: "gd-stp")))
        ) {
            try t.apply(act(6, .submitDraft(to: "chu-tich", draft: "x"), by: "gd-stp"), in: org)
        }
        try t.apply(act(6, .approveDraft(note: "Đồng ý trình UBND thành phố"), by: "gd-stp"), in: org)
        #expect(t.taskPhase == .done && t.status == .resolved && t.invariantHolds)
        // Submitting is for tasks; a programme reports progress but has no draft.
        var root = try CaseState(opening: opening(programme(), code: "STP-CT-1"), in: org)
        #expect(
            throws: DomainError.invalidField(
                action: "submit_draft", field: "case", reason: .programme(.notATask(kind: .programme, action: "submit_draft")))
        ) {
            try root.apply(
                Action(
                    caseID: "STP-CT-1", actor: .official("gd-stp"), at: t0 + h, body: .submitDraft(to: "chu-tich", draft: "x"), via: .generated("t")),
                in: org)
        }
    }

    /// Only a head of the lead unit or above cancels, with a reason; the task ends cancelled. Resolving without a draft is
    /// done; closing a task is done too.
    @Test func cancellationAndTheOtherEnds() throws {
        var t = try task()
        #expect(throws: DomainError.notPermitted(action: "cancel", actor: "cv-an", reason: .programme(.onlyHeadCancels))) {
            try t.apply(act(1, .cancel(reason: "Trùng nhiệm vụ"), by: "cv-an"), in: org)
        }
        #expect(throws: DomainError.notPermitted(action: "cancel", actor: "ct-hc", reason: .programme(.onlyHeadCancels))) {
            try t.apply(act(1, .cancel(reason: "Trùng nhiệm vụ"), by: "ct-hc"), in: org)
        }
        #expect(throws: DomainError.missingField(action: "cancel", field: "reason")) {
            try t.apply(act(1, .cancel(reason: ""), by: "gd-stp"), in: org)
        }
        var cancelled = t
        try cancelled.apply(act(1, .cancel(reason: "Trùng với nhiệm vụ của Kế hoạch 45/KH-UBND"), by: "gd-stp"), in: org)
        #expect(cancelled.taskPhase == .cancelled && cancelled.status == .closed && cancelled.owner == nil)
        var resolved = t
        try resolved.apply(act(1, .resolve(result: "Đã ban hành"), by: "cv-an"), in: org)
        #expect(resolved.taskPhase == .done)
        var closed = t
        try closed.apply(act(1, .close(outcome: "Hoàn thành"), by: "cv-an"), in: org)
        #expect(closed.taskPhase == .done)
        var reopened = cancelled
        try reopened.apply(act(2, .reopen(to: "cv-an", reason: "Khôi phục theo chỉ đạo"), by: "gd-stp"), in: org)
        #expect(reopened.taskPhase == .inProgress)
    }

    /// Overdue is read off a task's due date and phase: due yesterday and unfinished.
    @Test func overdueIsPastTheDueDateAndUnfinished() {
        let summary = TaskSummary(id: "T", title: "x", parent: nil, leadUnit: "stp", owner: "cv-an", phase: .inProgress, dueDate: due)
        #expect(!summary.isOverdue(on: due) && summary.isOverdue(on: due.adding(days: 1)))
        var done = summary
        done.phase = .done
        #expect(!done.isOverdue(on: due.adding(days: 30)))
    }
}
