import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLedger
import BuckStopTestSupport
import Testing

/// Withdrawal (rút khiếu nại, rút tố cáo) and dialogue (đối thoại), issue 16: the case's own rules in `CaseState`, the
/// law's dated rows in the rulebook (`withdrawal:`, `dialogue:`), and the ledger's encoding.
@Suite struct ComplaintStepTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour
    let before = CivilDate(year: 2026, month: 6, day: 30)!
    let after = CivilDate(year: 2026, month: 7, day: 1)!

    func letter(_ code: CaseID = "KN-1", kind: CaseKind = .complaint, procedure: String? = nil) throws -> CaseState {
        let open = OpenCase(kind: kind, procedure: procedure, title: "Đơn", leadUnit: "thanh-tra", owner: "ttv")
        var state = try CaseState(opening: Action(caseID: code, actor: .official("ttv"), at: t0, body: .open(open), via: .generated("t")), in: org)
        try state.apply(act(1, .accept(note: "Thụ lý"), case: code), in: org)
        return state
    }

    func act(_ n: Int64, _ body: ActionBody, case code: CaseID = "KN-1", by actor: OfficialID = "ttv") -> Action {
        SampleCity.act(code, by: actor, at: t0 + n * h, body)
    }

    let letterText = "Đơn xin rút khiếu nại ngày 02/7, có chữ ký"

    /// A whole withdrawal ends the case; only its holder enters it, with the letter, before the decision — also while the
    /// handling is suspended (the letter ends what the suspension paused).
    @Test func aWholeWithdrawalEndsTheCaseAndOnlyTheHolderEntersItBeforeTheDecision() throws {
        var state = try letter()
        let whole = ActionBody.withdraw(Withdrawal(letter: letterText))
        #expect(whole.type == .withdrawal && whole.endsCase)
        #expect(throws: DomainError.notPermitted(action: "withdrawal", actor: "ctt", reason: .heldBy("ttv"))) {
            try state.apply(act(2, whole, by: "ctt"), in: org)
        }
        #expect(throws: DomainError.missingField(action: "withdrawal", field: "letter")) {
            try state.apply(act(2, .withdraw(Withdrawal(letter: " "))), in: org)
        }
        var decided = state
        try decided.apply(act(2, .assign(to: "ctt", note: "Trình")), in: org)
        try decided.apply(act(3, .decide(decision: "Không có cơ sở", rationale: "Xác minh"), by: "ctt"), in: org)
        #expect(throws: DomainError.invalidField(action: "withdrawal", field: "case", reason: .complaintStep(.decidedAlready))) {
            try decided.apply(act(4, whole, by: "ctt"), in: org)
        }
        var suspended = state
        try suspended.apply(act(2, .suspend(legalBasis: "Luật Khiếu nại Đ.11a", reason: "Chờ giám định")), in: org)
        try suspended.apply(act(3, whole), in: org)
        #expect(suspended.status == .closed && !suspended.isSuspended && suspended.invariantHolds)
        try state.apply(act(2, whole), in: org)
        #expect(state.status == .closed && state.owner == nil && state.closedAt == t0 + 2 * h)
        // A dossier is not withdrawn this way (it is closed at the applicant's request).
        var dossier = try CaseState(opening: SampleCity.openDossier(), in: org)
        #expect(throws: DomainError.invalidField(action: "withdrawal", field: "case", reason: .complaintStep(.notWithdrawable(kind: .dossier)))) {
            try dossier.apply(SampleCity.act(by: "cv-an", at: t0 + h, whole), in: org)
        }
    }

    /// A partial withdrawal and a withdrawal after which the handling continues leave the case open with its holder and
    /// its clock; one withdrawal says one of the two, with words.
    @Test func partAndContinuingLeaveTheCaseOpen() throws {
        var state = try letter()
        let due = state.dueDate
        #expect(throws: DomainError.missingField(action: "withdrawal_partial", field: "part")) {
            try state.apply(act(2, .withdraw(Withdrawal(letter: letterText, part: ""))), in: org)
        }
        #expect(throws: DomainError.invalidField(action: "withdrawal_partial", field: "continuing", reason: .complaintStep(.partAndContinuing))) {
            try state.apply(act(2, .withdraw(Withdrawal(letter: letterText, part: "Bồi thường", continuing: "Vi phạm"))), in: org)
        }
        try state.apply(act(2, .withdraw(Withdrawal(letter: letterText, part: "Rút yêu cầu bồi thường chi phí di chuyển"))), in: org)
        #expect(state.status == .processing && state.owner == "ttv" && state.dueDate == due)
        var denunciation = try letter("TC-1", kind: .denunciation)
        let continued = Withdrawal(letter: "Đơn rút tố cáo", continuing: "Hành vi có dấu hiệu vi phạm pháp luật")
        #expect(continued.type == .withdrawalContinued && !continued.endsCase)
        try denunciation.apply(act(2, .withdraw(continued), case: "TC-1"), in: org)
        #expect(denunciation.status == .processing && denunciation.owner == "ttv")
    }

    /// The rulebook's rows: a complaint may be withdrawn in part only from 1 July 2026 (Luật 136/2025/QH15) and never
    /// continued after a whole withdrawal; a denunciation may be withdrawn in part and continued in both periods.
    @Test func theDefaultRulebookGatesPartialAndContinuedWithdrawalsByDay() throws {
        let book = try Defaults.rulebook()
        let part = Withdrawal(letter: letterText, part: "Bồi thường")
        #expect(
            throws: DomainError.invalidField(
                action: "withdrawal_partial", field: "part", reason: .complaintStep(.partialNotInForce(kind: .complaint, from: after)))
        ) { try book.checkWithdrawal(part, kind: .complaint, on: before) }
        try book.checkWithdrawal(part, kind: .complaint, on: after)
        let continued = Withdrawal(letter: letterText, continuing: "Vi phạm")
        for day in [before, after] {
            #expect(
                throws: DomainError.invalidField(
                    action: "withdrawal_continued", field: "continuing", reason: .complaintStep(.continuingNotAllowed(kind: .complaint)))
            ) { try book.checkWithdrawal(continued, kind: .complaint, on: day) }
            try book.checkWithdrawal(continued, kind: .denunciation, on: day)
            try book.checkWithdrawal(part, kind: .denunciation, on: day)
        }
        try book.checkWithdrawal(Withdrawal(letter: letterText), kind: .complaint, on: before)
        #expect(
            throws: DomainError.invalidField(
                action: "withdrawal", field: "case",
                reason: .complaintStep(.withdrawalNotInForce(kind: .complaint, on: CivilDate(year: 2012, month: 6, day: 30)!)))
        ) { try book.checkWithdrawal(Withdrawal(letter: letterText), kind: .complaint, on: CivilDate(year: 2012, month: 6, day: 30)!) }
        for row in book.withdrawal { #expect(["verified", "secondary", "unverified"].contains(row.status) && !row.source.isEmpty) }
    }

    /// A dialogue is a complaint's step, recorded by its holder while it runs, with who took part, the outcome and the
    /// minutes; it does not move the case.
    @Test func aDialogueIsRecordedOnARunningComplaint() throws {
        var state = try letter()
        let dialogue = Dialogue(participants: "Người khiếu nại, đại diện Sở Tư pháp", outcome: "Còn khác nhau về đơn giá", minutes: "BB 12/BB-TTr")
        #expect(throws: DomainError.missingField(action: "dialogue", field: "minutes")) {
            var d = dialogue
            d.minutes = ""
            try state.apply(act(2, .dialogue(d)), in: org)
        }
        var denunciation = try letter("TC-1", kind: .denunciation)
        #expect(
            throws: DomainError.invalidField(action: "dialogue", field: "case", reason: .complaintStep(.dialogueForComplaints(kind: .denunciation)))
        ) {
            try denunciation.apply(act(2, .dialogue(dialogue), case: "TC-1"), in: org)
        }
        var suspended = state
        try suspended.apply(act(2, .suspend(legalBasis: "Đ.11a", reason: "Chờ")), in: org)
        #expect(throws: DomainError.invalidField(action: "dialogue", field: "case", reason: .suspended)) {
            try suspended.apply(act(3, .dialogue(dialogue)), in: org)
        }
        let owner = state.owner
        try state.apply(act(2, .dialogue(dialogue)), in: org)
        #expect(state.status == .processing && state.owner == owner)
    }

    /// A second-instance decision needs a recorded dialogue first; before 1 July 2026 one the complainant did not attend
    /// does not count, from that day it does (Luật Khiếu nại Đ.30(6) new). First instance is not gated.
    @Test func aSecondInstanceDecisionNeedsADialogueFirst() throws {
        let book = try Defaults.rulebook()
        let held = Dialogue(participants: "Các bên", outcome: "Thống nhất", minutes: "BB 1")
        let absent = Dialogue(participants: "Các bên (người khiếu nại vắng)", outcome: "Tiếp tục", minutes: "BB 2", complainantAttended: false)
        for procedure in ["KN-L2", "KN-L2-PHUCTAP", "KN-L2-VUNGSAU", "KN-L2-VUNGSAU-PHUCTAP"] {
            #expect(
                throws: DomainError.invalidField(
                    action: "decide", field: "case",
                    reason: .complaintStep(.dialogueRequired(rule: "complaint.dialogue.second-instance.2012", procedure: procedure)))
            ) { try book.checkDialogueHeld(before: before, kind: .complaint, procedure: procedure, dialogues: []) }
            try book.checkDialogueHeld(before: before, kind: .complaint, procedure: procedure, dialogues: [absent, held])
        }
        #expect(
            throws: DomainError.invalidField(
                action: "decide", field: "case", reason: .complaintStep(.dialogueNotAttended(rule: "complaint.dialogue.second-instance.2012")))
        ) { try book.checkDialogueHeld(before: before, kind: .complaint, procedure: "KN-L2", dialogues: [absent]) }
        try book.checkDialogueHeld(before: after, kind: .complaint, procedure: "KN-L2", dialogues: [absent])
        #expect(throws: DomainError.self) { try book.checkDialogueHeld(before: after, kind: .complaint, procedure: "KN-L2", dialogues: []) }
        try book.checkDialogueHeld(before: before, kind: .complaint, procedure: "KN-L1", dialogues: [])
        try book.checkDialogueHeld(before: before, kind: .complaint, procedure: nil, dialogues: [])
    }

    /// Malformed rows are refused when the rulebook is built: a dialogue row for an unknown procedure, two withdrawal rows
    /// of a kind in force on one day.
    @Test func malformedRowsAreRefusedByName() throws {
        let book = try Defaults.rulebook()
        func with(withdrawal: [WithdrawalRule] = [], dialogue: [DialogueRule] = []) throws -> Rulebook {
            try Rulebook(
                id: book.id, title: book.title, rules: book.rules, procedures: book.procedures, thresholds: book.thresholds, limits: book.limits,
                competence: book.competence, receptionSchedules: book.receptionSchedules, suspension: book.suspension,
                refusalGrounds: book.refusalGrounds, withdrawal: book.withdrawal + withdrawal, dialogue: book.dialogue + dialogue)
        }
        _ = try with()
        let overlapping = WithdrawalRule(
            id: "complaint.withdrawal.x", caseKind: .complaint, partial: true, mayContinue: false, source: "s", status: "secondary",
            effectiveFrom: CivilDate(year: 2020, month: 1, day: 1)!, effectiveTo: CivilDate(year: 2020, month: 12, day: 31)!)
        #expect(throws: DomainError.invalidRulebook("rules complaint.withdrawal.2012 and complaint.withdrawal.x are both in force on 2020-01-01")) {
            try with(withdrawal: [overlapping])
        }
        let unknown = DialogueRule(
            id: "complaint.dialogue.x", caseKind: .complaint, procedures: ["KN-L9"], absenceSuffices: true, source: "s", status: "secondary",
            effectiveFrom: CivilDate(year: 2030, month: 1, day: 1)!)
        #expect(throws: DomainError.invalidRulebook("rule complaint.dialogue.x: procedure 'KN-L9' is not in the procedures list")) {
            try with(dialogue: [unknown])
        }
        var petition = overlapping
        petition.caseKind = .petition
        petition.id = "petition.withdrawal"
        #expect(throws: DomainError.invalidRulebook("rule petition.withdrawal: withdrawal rows are for complaints and denunciations, found petition"))
        {
            try with(withdrawal: [petition])
        }
    }

    /// The four entry types survive the ledger's encoding, and the entry's type alone says which fields it holds.
    @Test func theNewEntriesRoundTrip() throws {
        let bodies: [ActionBody] = [
            .withdraw(Withdrawal(letter: letterText)), .withdraw(Withdrawal(letter: letterText, part: "Bồi thường")),
            .withdraw(Withdrawal(letter: letterText, continuing: "Vi phạm")),
            .dialogue(Dialogue(participants: "Các bên", outcome: "Thống nhất", minutes: "BB 1", complainantAttended: false)),
        ]
        #expect(bodies.map(\.type) == [.withdrawal, .withdrawalPartial, .withdrawalContinued, .dialogue])
        for body in bodies {
            let action = Action(caseID: "KN-9", actor: .official("ttv"), at: t0, body: body, via: .generated("t"))
            let bytes = LedgerEntryCodec.encode(action, index: 3)
            #expect(try LedgerEntryCodec.decode(bytes).action == action)
            #expect(LedgerEntryCodec.prepare(action).bytes(index: 3) == bytes)
        }
        let noPart = #"{"actor":"ttv","at":1,"case":"KN-1","index":5,"letter":"l","type":"withdrawal_partial","v":2,"via":"cli:x"}"#
        #expect(throws: LedgerEntryError.missingField("part")) { try LedgerEntryCodec.decode(Array(noPart.utf8)) }
        let attended =
            #"{"actor":"ttv","at":1,"case":"KN-1","complainantAttended":"yes","index":5,"minutes":"m","outcome":"o","participants":"p","type":"dialogue","v":2,"via":"cli:x"}"#
        #expect(throws: LedgerEntryError.invalidField(field: "complainantAttended", expected: "true or false", found: "string(\"yes\")")) {
            try LedgerEntryCodec.decode(Array(attended.utf8))
        }
    }

    /// What the citizen reads of each: a withdrawal's part and whether the handling continues (never why), a dialogue's
    /// outcome.
    @Test func theCitizenSeesTheWithdrawalAndTheDialogueButNotTheReasonToContinue() {
        #expect(
            CitizenStep(.withdraw(Withdrawal(letter: "l", continuing: "Người bị tố cáo có dấu hiệu nhận hối lộ")))
                == .withdrawn(part: nil, continues: true))
        #expect(CitizenStep(.withdraw(Withdrawal(letter: "l", part: "Bồi thường"))) == .withdrawn(part: "Bồi thường", continues: false))
        #expect(
            CitizenStep(.dialogue(Dialogue(participants: "p", outcome: "Thống nhất", minutes: "m")))
                == .dialogueHeld(outcome: "Thống nhất", attended: true))
    }
}
