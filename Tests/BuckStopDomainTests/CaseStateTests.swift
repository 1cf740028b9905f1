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

    /// Intake: the accountable official sits in the lead unit (or under it); a ward's chairman cannot be made to answer
    /// for a department's dossier. The documents received are on the opening entry, none of them blank.
    @Test func theOwnerBelongsToTheLeadUnit() throws {
        #expect(throws: DomainError.invalidField(action: "open", field: "owner", reason: .ownerOutsideLeadUnit("ct-hc", lead: "stp"))) {
            try CaseState(opening: SampleCity.openDossier(owner: "ct-hc"), in: org)
        }
        #expect(try CaseState(opening: SampleCity.openDossier(owner: "gd-stp"), in: org).owner == "gd-stp")
        var withDocuments = SampleCity.openDossier()
        guard case .open(var open) = withDocuments.body else { return }
        open.documents = ["Tờ khai theo mẫu", " "]
        withDocuments.body = .open(open)
        #expect(throws: DomainError.invalidField(action: "open", field: "documents[1]", reason: .emptyListItem)) {
            try CaseState(opening: withDocuments, in: org)
        }
        open.documents = ["Tờ khai theo mẫu", "Bản sao căn cước"]
        withDocuments.body = .open(open)
        let decoded = try LedgerEntryCodec.decode(LedgerEntryCodec.encode(withDocuments, index: 7)).action
        guard case .open(let back) = decoded.body else {
            Issue.record("decoded \(decoded.body)")
            return
        }
        #expect(back.documents == ["Tờ khai theo mẫu", "Bản sao căn cước"], "the documents survive the ledger's encoding")
    }

    @Test func escalationWithoutProposalIsRefused() throws {
        var state = try opened()
        #expect(throws: DomainError.missingField(action: "escalate", field: "proposal")) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .escalate(to: "tp-hcbt", proposal: "   ")), in: org)
        }
        #expect(state.owner == "cv-an", "a refused action changes nothing")
        for empty in [".", "…", "— ?", "1"] {
            #expect(throws: DomainError.self, "\(empty) is no proposal") {
                try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .escalate(to: "tp-hcbt", proposal: empty)), in: org)
            }
        }
        #expect(state.owner == "cv-an")
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

    /// Acceptance (thụ lý) starts the resolution clock of a case received without one, once: a later acceptance (after
    /// a hand-over) may not set another date.
    @Test func acceptanceStartsAClockOnlyWhereNoneRuns() throws {
        var state = try CaseState(opening: SampleCity.openDossier(due: nil), in: org)
        #expect(state.dueDate == nil)
        let due = CivilDate(year: 2025, month: 12, day: 22)!
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .accept(note: "Thụ lý", dueDate: due)), in: org)
        #expect(state.dueDate == due && state.originalDueDate == nil && state.status == .processing)
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + 2 * h, .transfer(to: "cv-binh", reason: "Đúng chuyên môn")), in: org)
        let refused = DomainError.invalidField(
            action: "accept", field: "dueDate", reason: .clockAlreadyRunning(due: due, found: due.adding(days: 9)))
        #expect(throws: refused) {
            try state.apply(SampleCity.act(by: "cv-binh", at: t0 + 3 * h, .accept(note: "", dueDate: due.adding(days: 9))), in: org)
        }
        try state.apply(SampleCity.act(by: "cv-binh", at: t0 + 3 * h, .accept(note: "")), in: org)
        #expect(state.dueDate == due)
    }

    /// Tạm đình chỉ: only for complaints and denunciations, with a legal basis and a reason; while suspended no work
    /// happens (a note and closing still may), and resuming sets the due date the writer moved on.
    @Test func suspensionStopsTheWorkUntilResumed() throws {
        let complaint = OpenCase(kind: .complaint, title: "Khiếu nại", leadUnit: "thanh-tra", owner: "ttv")
        var state = try CaseState(
            opening: Action(caseID: "KN-1", actor: .official("ttv"), at: t0, body: .open(complaint), via: .generated("t")), in: org)
        func act(_ n: Int64, _ body: ActionBody) -> Action { SampleCity.act("KN-1", by: "ttv", at: t0 + n * h, body) }
        try state.apply(act(1, .accept(note: "Thụ lý", dueDate: CivilDate(year: 2025, month: 12, day: 22))), in: org)
        #expect(throws: DomainError.invalidField(action: "resume", field: "case", reason: .notSuspended)) {
            try state.apply(act(2, .resume(note: "")), in: org)
        }
        #expect(throws: DomainError.missingField(action: "suspend", field: "reason")) {
            try state.apply(act(2, .suspend(legalBasis: "Luật Khiếu nại Đ.11a", reason: " ")), in: org)
        }
        try state.apply(act(2, .suspend(legalBasis: "Luật Khiếu nại Đ.11a", reason: "Chờ kết quả giám định")), in: org)
        #expect(state.isSuspended && state.suspendedSince == t0 + 2 * h && state.status == .processing)
        #expect(throws: DomainError.invalidField(action: "decide", field: "case", reason: .suspended)) {
            try state.apply(act(3, .decide(decision: "Bác đơn", rationale: "Không có căn cứ")), in: org)
        }
        try state.apply(act(3, .comment(text: "Đã đôn đốc cơ quan giám định")), in: org)
        let moved = CivilDate(year: 2026, month: 1, day: 5)!
        try state.apply(act(4, .resume(note: "Đã có kết quả", newDueDate: moved)), in: org)
        #expect(!state.isSuspended && state.dueDate == moved)
        try state.apply(act(5, .decide(decision: "Bác đơn", rationale: "Không có căn cứ")), in: org)
        // A dossier cannot be suspended; a withdrawal (closing) ends a suspended case and the suspension with it.
        var dossier = try opened()
        #expect(throws: DomainError.invalidField(action: "suspend", field: "case", reason: .notSuspendable(kind: .dossier))) {
            try dossier.apply(SampleCity.act(by: "cv-an", at: t0 + h, .suspend(legalBasis: "x", reason: "y")), in: org)
        }
        var withdrawn = try CaseState(
            opening: Action(caseID: "KN-2", actor: .official("ttv"), at: t0, body: .open(complaint), via: .generated("t")), in: org)
        try withdrawn.apply(SampleCity.act("KN-2", by: "ttv", at: t0 + h, .suspend(legalBasis: "Đ.11a", reason: "Chờ")), in: org)
        try withdrawn.apply(SampleCity.act("KN-2", by: "ttv", at: t0 + 2 * h, .close(outcome: "Người khiếu nại rút đơn")), in: org)
        #expect(withdrawn.status == .closed && !withdrawn.isSuspended)
    }

    @Test func declineNeedsLegalBasisAndMovesToTheCompetentUnitsHead() throws {
        var state = try opened()
        #expect(throws: DomainError.missingField(action: "decline", field: "legalBasis")) {
            try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .decline(legalBasis: "", competentUnit: "p-hai-chau", reason: "x")), in: org)
        }
        try state.apply(
            SampleCity.act(
                by: "cv-an", at: t0 + h,
                .decline(legalBasis: "Luật Hộ tịch 2014 Đ.13", competentUnit: "p-hai-chau", reason: "Thuộc thẩm quyền UBND phường")),
            in: org)
        #expect(state.owner == "ct-hc")
        #expect(state.leadUnit == "p-hai-chau")
        #expect(state.status.isOpen)
        // Declining to a body outside the organisation ends the case here, with no owner.
        try state.apply(
            SampleCity.act(
                by: "ct-hc", at: t0 + 2 * h, .decline(legalBasis: "Luật Đất đai 2024", competentUnit: "Tòa án nhân dân", reason: "Tranh chấp")),
            in: org)
        #expect(state.status == .closed)
        #expect(state.owner == nil)
        #expect(state.invariantHolds)
    }

    @Test func rescheduleMustMoveTheDateLater() throws {
        var state = try opened()
        #expect(throws: DomainError.self) {
            try state.apply(
                SampleCity.act(by: "cv-an", at: t0 + h, .reschedule(newDueDate: CivilDate(year: 2025, month: 12, day: 1)!, apology: "Xin lỗi")),
                in: org)
        }
        try state.apply(
            SampleCity.act(by: "cv-an", at: t0 + h, .reschedule(newDueDate: CivilDate(year: 2025, month: 12, day: 9)!, apology: "Xin lỗi ông/bà")),
            in: org)
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
            try state.apply(
                Action(caseID: state.id, actor: .citizen, at: t0 + 9 * h, body: .rate(score: 6, comment: ""), via: .generated("test")), in: org)
        }
        try state.apply(
            Action(caseID: state.id, actor: .citizen, at: t0 + 9 * h, body: .rate(score: 5, comment: "Nhanh"), via: .generated("test")), in: org)
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
        try state.apply(
            SampleCity.act(by: "cv-an", at: t0 + h, .consult(units: ["thanh-tra"], question: "Có đơn tố cáo liên quan?", dueDate: due)), in: org)
        #expect(state.pendingConsultations["thanh-tra"] == due)
        #expect(throws: DomainError.self) {
            try state.apply(SampleCity.act(by: "cv-binh", at: t0 + 2 * h, .opinion(unit: "thanh-tra", text: "Không")), in: org)
        }
        try state.apply(SampleCity.act(by: "ttv", at: t0 + 2 * h, .opinion(unit: "thanh-tra", text: "Không có")), in: org)
        #expect(state.pendingConsultations.isEmpty)
        #expect(state.owner == "cv-an", "consultation never moves the case")
    }
}

/// Replaying accepted entries (what `verify` does to rebuild projections) must not depend on today's organisation,
/// and a decline records who received the case.
@Suite struct CaseStateReplayTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour

    @Test func replayGivesTheSameStateWithoutTheOrganisation() throws {
        let actions = [
            SampleCity.act(by: "cv-an", at: t0 + h, .accept(note: "")),
            SampleCity.act(by: "cv-an", at: t0 + 2 * h, .escalate(to: "tp-hcbt", proposal: "Đề xuất")),
            SampleCity.act(by: "tp-hcbt", at: t0 + 3 * h, .delegate(to: "cv-binh", instruction: "Xử lý")),
            SampleCity.act(
                by: "cv-binh", at: t0 + 4 * h,
                .decline(legalBasis: "Luật Hộ tịch 2014 Đ.13", competentUnit: "p-hai-chau", reason: "Thẩm quyền phường")),
        ]
        var checked = try CaseState(opening: SampleCity.openDossier(), in: org)
        var replayed = try CaseState(replayingOpening: SampleCity.openDossier())
        for a in actions {
            let resolved = Action(caseID: a.caseID, actor: a.actor, at: a.at, body: a.body.resolved(in: org), via: a.via)
            try checked.apply(resolved, in: org)
            try replayed.replay(resolved, organization: nil)
        }
        #expect(checked == replayed)
        #expect(checked.owner == org.accountableHead(of: "p-hai-chau") && checked.leadUnit == "p-hai-chau")
    }

    @Test func aDeclineNamesItsReceiverAndTheDomainChecksIt() throws {
        let body = ActionBody.decline(legalBasis: "Luật Hộ tịch 2014 Đ.13", competentUnit: "p-hai-chau", reason: "x").resolved(in: org)
        guard case .decline(_, _, _, let receiver) = body else {
            Issue.record("not a decline")
            return
        }
        #expect(receiver == org.accountableHead(of: "p-hai-chau"))
        var state = try CaseState(opening: SampleCity.openDossier(), in: org)
        #expect(throws: DomainError.self, "someone else named as receiver") {
            try state.apply(
                SampleCity.act(by: "cv-an", at: t0 + h, .decline(legalBasis: "x", competentUnit: "p-hai-chau", reason: "x", receiver: "cv-binh")),
                in: org)
        }
        #expect(throws: DomainError.self, "a receiver for a body outside the organisation") {
            try state.apply(
                SampleCity.act(
                    by: "cv-an", at: t0 + h, .decline(legalBasis: "x", competentUnit: "Tòa án nhân dân", reason: "x", receiver: "cv-binh")), in: org)
        }
    }

    /// A retired official's old entries still replay (checked mode would refuse them today).
    @Test func replayDoesNotAskWhetherOfficialsAreStillActive() throws {
        var officials = Array(org.officials.values.filter { $0.id != "cv-binh" })
        officials.append(Official(id: "cv-binh", name: "Trần Thị Bình", unit: "stp-hcbt", position: "Chuyên viên", roles: [.official], active: false))
        let later = try Organization(units: Array(org.units.values), officials: officials, mandates: org.mandates)
        let transfer = SampleCity.act(by: "cv-an", at: t0 + h, .transfer(to: "cv-binh", reason: "Đúng chuyên môn"))
        var checked = try CaseState(opening: SampleCity.openDossier(), in: org)
        #expect(throws: DomainError.inactiveOfficial("cv-binh")) { try checked.apply(transfer, in: later) }
        var replayed = try CaseState(replayingOpening: SampleCity.openDossier())
        try replayed.replay(transfer, organization: later)
        #expect(replayed.owner == "cv-binh")
    }

    @Test func aCaseIsRatedOnce() throws {
        var state = try CaseState(opening: SampleCity.openDossier(), in: org)
        try state.apply(SampleCity.act(by: "cv-an", at: t0 + h, .resolve(result: "Xong")), in: org)
        let rate = { (score: Int, at: Int64) in
            Action(caseID: "STP-251120-0001", actor: .citizen, at: at, body: .rate(score: score, comment: ""), via: .citizenPIN)
        }
        try state.apply(rate(2, t0 + 2 * h), in: org)
        #expect(throws: DomainError.self) { try state.apply(rate(5, t0 + 3 * h), in: org) }
        #expect(state.rating == 2)
        // A ledger written before the rule may hold a second rating: it still replays.
        try state.replay(rate(5, t0 + 3 * h), organization: nil)
        #expect(state.rating == 5)
    }
}

@Test func citizensSeeNoInternalStep() {
    let notice = FindingNotice(
        id: "F-1", detector: "ping_pong", official: "cv-b", unit: nil, severity: .major, evidence: [1], value: "1", limit: "0",
        explanation: "x", explanationEn: "x")
    for hidden: ActionBody in [
        .comment(text: "n"), .opinion(unit: "u", text: "o"), .raiseFinding(notice), .explainFinding(id: "F-1", text: "e"),
        .reviewFinding(id: "F-1", uphold: true, note: "r"),
    ] {
        #expect(CitizenStep(hidden) == nil, "\(hidden.type.rawValue) is internal")
    }
    #expect(CitizenStep(.escalate(to: "head", proposal: "internal proposal")) == .handedTo("head", .escalate))
    #expect(CitizenStep(.decide(decision: "Cấp phép", rationale: "internal deliberation")) == .decided(decision: "Cấp phép"))
    #expect(
        CitizenStep(.reschedule(newDueDate: CivilDate(year: 2026, month: 1, day: 5)!, apology: "Xin lỗi"))
            == .rescheduled(newDueDate: CivilDate(year: 2026, month: 1, day: 5)!, apology: "Xin lỗi"))
}

/// Dismissing a finding needs a reason in words; upholding does not (the finding is its own reason).
@Test func dismissalNeedsAReason() throws {
    let org = SampleCity.organization
    let head = try #require(org.official("tp-hcbt"))
    func finding() -> Finding {
        Finding(
            id: "F-1", detector: "ping_pong", caseID: "STP-251120-0001", official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt",
            severity: .minor, evidence: [1], explanation: "x")
    }
    for empty in ["", "  ", "."] {
        var f = finding()
        #expect(throws: DomainError.missingField(action: "review", field: "note")) {
            try f.review(by: head, uphold: false, note: empty, cause: nil, in: org)
        }
        #expect(f.status == .open)
    }
    var dismissed = finding()
    try dismissed.review(by: head, uphold: false, note: "Trả lại đúng quy trình: thiếu bản chính", cause: nil, in: org)
    #expect(dismissed.status == .dismissed)
    #expect(dismissed.cause == nil)
    var upheld = finding()
    try upheld.review(by: head, uphold: true, note: "", cause: "qua-tai", in: org)
    #expect(upheld.status == .upheld)
    #expect(upheld.cause == "qua-tai")
}

/// Upholding names a cause, so causes can be counted; a dismissed finding has none to count. Either refusal leaves the
/// finding as it was.
@Test func anUpheldFindingNamesItsCauseAndADismissedOneNone() throws {
    let org = SampleCity.organization
    let head = try #require(org.official("tp-hcbt"))
    var f = Finding(
        id: "F-1", detector: "ping_pong", caseID: "STP-251120-0001", official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt",
        severity: .minor, evidence: [1], explanation: "x")
    for missing in [nil, ""] as [String?] {
        #expect(throws: DomainError.missingField(action: "review", field: "cause")) {
            try f.review(by: head, uphold: true, note: "đúng", cause: missing, in: org)
        }
    }
    #expect(throws: DomainError.invalidField(action: "review", field: "cause", reason: .causeOnlyWhenUpheld)) {
        try f.review(by: head, uphold: false, note: "không có căn cứ", cause: "qua-tai", in: org)
    }
    #expect(f.status == .open && f.cause == nil)
}
