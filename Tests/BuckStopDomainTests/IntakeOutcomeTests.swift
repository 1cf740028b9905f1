import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLedger
import BuckStopTestSupport
import Testing

/// Intake outcomes of a letter besides acceptance and forwarding (issue 16): refusal to accept on a ground of the
/// rulebook (không thụ lý), guidance to the competent body outside (hướng dẫn), duplicates linked (đơn trùng).
@Suite struct IntakeOutcomeTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0
    let h = SampleCity.hour

    func letter(_ code: CaseID = "KN-1", kind: CaseKind = .complaint) throws -> CaseState {
        let open = OpenCase(kind: kind, title: "Đơn", leadUnit: "thanh-tra", owner: "ttv")
        return try CaseState(opening: Action(caseID: code, actor: .official("ttv"), at: t0, body: .open(open), via: .generated("t")), in: org)
    }

    func act(_ n: Int64, _ body: ActionBody, case code: CaseID = "KN-1", by actor: OfficialID = "ttv") -> Action {
        SampleCity.act(code, by: actor, at: t0 + n * h, body)
    }

    /// Only the holder refuses, only before the letter is taken up, with a ground and a reason; the case ends.
    @Test func aRefusalEndsTheCaseAndOnlyTheHolderMakesItBeforeAcceptance() throws {
        var state = try letter()
        let refusal = ActionBody.refuseIntake(ground: "complaint.refuse.unsigned.2012", reason: "Đơn không có chữ ký")
        #expect(throws: DomainError.notPermitted(action: "refuse_intake", actor: "cv-an", reason: .heldBy("ttv"))) {
            try state.apply(act(1, refusal, by: "cv-an"), in: org)
        }
        #expect(throws: DomainError.missingField(action: "refuse_intake", field: "reason")) {
            try state.apply(act(1, .refuseIntake(ground: "complaint.refuse.unsigned.2012", reason: " ")), in: org)
        }
        #expect(throws: DomainError.missingField(action: "refuse_intake", field: "ground")) {
            try state.apply(act(1, .refuseIntake(ground: "", reason: "x")), in: org)
        }
        var accepted = state
        try accepted.apply(act(1, .accept(note: "Thụ lý")), in: org)
        #expect(throws: DomainError.invalidField(action: "refuse_intake", field: "case", reason: .intake(.alreadyTakenUp))) {
            try accepted.apply(act(2, refusal), in: org)
        }
        try state.apply(act(1, refusal), in: org)
        #expect(state.status == .closed && state.owner == nil && state.invariantHolds)
        // Petitions have no statutory grounds of refusal.
        var petition = try letter("KN-P", kind: .petition)
        #expect(throws: DomainError.invalidField(action: "refuse_intake", field: "case", reason: .intake(.notRefusable(kind: .petition)))) {
            try petition.apply(act(1, refusal, case: "KN-P"), in: org)
        }
    }

    /// Guidance is for a body outside the organisation; one inside is reached by forwarding (decline).
    @Test func guidanceNamesABodyOutsideAndEndsTheCase() throws {
        var state = try letter()
        #expect(throws: DomainError.invalidField(action: "guide", field: "body", reason: .intake(.guideInsideOrganisation("stp")))) {
            try state.apply(act(1, .guide(body: "stp", legalBasis: "Luật Khiếu nại 2011 Đ.7", note: "")), in: org)
        }
        #expect(throws: DomainError.missingField(action: "guide", field: "legalBasis")) {
            try state.apply(act(1, .guide(body: "Tòa án nhân dân thành phố", legalBasis: "", note: "")), in: org)
        }
        try state.apply(act(1, .guide(body: "Tòa án nhân dân thành phố", legalBasis: "Luật Khiếu nại 2011 Đ.7", note: "")), in: org)
        #expect(state.status == .closed && state.invariantHolds)
        var dossier = try CaseState(opening: SampleCity.openDossier(), in: org)
        #expect(throws: DomainError.invalidField(action: "guide", field: "case", reason: .intake(.notALetter(kind: .dossier)))) {
            try dossier.apply(SampleCity.act(by: "cv-an", at: t0 + h, .guide(body: "Bộ Tư pháp", legalBasis: "x", note: "")), in: org)
        }
    }

    /// A duplicate names another case of the same kind that exists; it closes; the link on the earlier case is the
    /// system's, leaves that case as it was, and does not move its clock.
    @Test func aDuplicateIsCheckedAndClosedAndTheLinkIsTheSystems() throws {
        var state = try letter("KN-2")
        let earlier = try letter("KN-1")
        let petition = try letter("KN-3", kind: .petition)
        #expect(throws: DomainError.invalidField(action: "duplicate", field: "duplicateOf", reason: .intake(.duplicateOfItself))) {
            try state.checkDuplicate(of: "KN-2", found: state)
        }
        #expect(throws: DomainError.invalidField(action: "duplicate", field: "duplicateOf", reason: .intake(.unknownCase("KN-9")))) {
            try state.checkDuplicate(of: "KN-9", found: nil)
        }
        #expect(
            throws: DomainError.invalidField(
                action: "duplicate", field: "duplicateOf", reason: .intake(.duplicateOfOtherKind("KN-3", kind: .petition, case: .complaint)))
        ) {
            try state.checkDuplicate(of: "KN-3", found: petition)
        }
        try state.checkDuplicate(of: "KN-1", found: earlier)
        #expect(throws: DomainError.invalidField(action: "duplicate", field: "duplicateOf", reason: .intake(.duplicateOfItself))) {
            try state.apply(act(1, .markDuplicate(of: "KN-2", note: "Cùng nội dung"), case: "KN-2"), in: org)
        }
        try state.apply(act(1, .markDuplicate(of: "KN-1", note: "Cùng nội dung, cùng người gửi"), case: "KN-2"), in: org)
        #expect(state.status == .closed)

        var original = earlier
        let link = Action(caseID: "KN-1", actor: .system("intake"), at: t0 + h, body: .duplicateLinked(duplicate: "KN-2"), via: .generated("t"))
        #expect(throws: DomainError.notPermitted(action: "duplicate_linked", actor: "ttv", reason: .intake(.onlySystemLinks))) {
            try original.apply(act(1, .duplicateLinked(duplicate: "KN-2")), in: org)
        }
        try original.apply(link, in: org)
        #expect(original.status == .received && original.owner == "ttv" && original.updatedAt == t0, "a link is record keeping")
    }

    /// Each new entry survives the ledger's encoding; entries written before them still decode.
    @Test func theNewEntriesRoundTripAndOldOnesStillDecode() throws {
        let bodies: [ActionBody] = [
            .refuseIntake(ground: "denunciation.refuse.no-basis.2019", reason: "Không xác định được người vi phạm"),
            .guide(body: "Tòa án nhân dân thành phố", legalBasis: "Luật Tố cáo 2018 Đ.24(2)", note: "Nộp trực tiếp"),
            .markDuplicate(of: "KN-1", note: "Trùng"), .duplicateLinked(duplicate: "KN-2"),
        ]
        for body in bodies {
            let action = Action(
                caseID: "KN-9", actor: body.type == .duplicateLinked ? .system("intake") : .official("ttv"), at: t0, body: body, via: .generated("t"))
            let bytes = LedgerEntryCodec.encode(action, index: 3)
            #expect(try LedgerEntryCodec.decode(bytes).action == action)
            #expect(LedgerEntryCodec.prepare(action).bytes(index: 3) == bytes)
        }
        // A version 1 close and a version 2 decline, as written before this change.
        let old =
            #"{"actor":"ttv","at":1,"case":"KN-1","competentUnit":"Tòa án","index":4,"legalBasis":"Đ.7","reason":"r","type":"decline","v":2,"via":"cli:x"}"#
        guard case .decline(_, let unit, _, nil) = try LedgerEntryCodec.decode(Array(old.utf8)).action.body else {
            Issue.record("an old decline no longer decodes")
            return
        }
        #expect(unit == "Tòa án")
        let v1 = #"{"actor":"ttv","at":1,"case":"KN-1","index":5,"outcome":"Rút đơn","type":"close","v":1}"#
        #expect(try LedgerEntryCodec.decode(Array(v1.utf8)).action.body == .close(outcome: "Rút đơn"))
        let missing = #"{"actor":"ttv","at":1,"case":"KN-1","index":5,"reason":"r","type":"refuse_intake","v":2,"via":"cli:x"}"#
        #expect(throws: LedgerEntryError.missingField("ground")) { try LedgerEntryCodec.decode(Array(missing.utf8)) }
    }

    /// The default rulebook's grounds: Luật Khiếu nại 2011 Đ.11 (nine) and Luật Tố cáo 2018 Đ.29(1) (four), each a
    /// row of its period; a refusal's ground must be of the case's kind and in force on the day of receipt.
    @Test func theDefaultRulebookHoldsTheGroundsTheLawAllows() throws {
        let book = try Defaults.rulebook()
        let before = CivilDate(year: 2025, month: 11, day: 20)!
        let after = CivilDate(year: 2026, month: 7, day: 2)!
        #expect(book.refusalGrounds(for: .complaint, on: before).count == 9)
        #expect(book.refusalGrounds(for: .denunciation, on: before).count == 4)
        #expect(book.refusalGrounds(for: .complaint, on: after).count == 9)
        #expect(book.refusalGrounds(for: .complaint, on: CivilDate(year: 2012, month: 6, day: 30)!).isEmpty)
        #expect(book.refusalGrounds(for: .complaint, on: before).allSatisfy { $0.status == "verified" && $0.source.contains("Đ.11") })
        #expect(try book.refusalGround("complaint.refuse.unsigned.2012", for: .complaint, receivedOn: before).groundEn.contains("signature"))
        #expect(
            throws: DomainError.invalidField(
                action: "refuse_intake", field: "ground",
                reason: .intake(.groundOfOtherKind("complaint.refuse.unsigned.2012", ground: .complaint, case: .denunciation)))
        ) { try book.refusalGround("complaint.refuse.unsigned.2012", for: .denunciation, receivedOn: before) }
        #expect(
            throws: DomainError.invalidField(
                action: "refuse_intake", field: "ground", reason: .intake(.groundNotInForce("complaint.refuse.unsigned.2012", received: after)))
        ) { try book.refusalGround("complaint.refuse.unsigned.2012", for: .complaint, receivedOn: after) }
        #expect(throws: DomainError.invalidField(action: "refuse_intake", field: "ground", reason: .intake(.unknownGround("nope")))) {
            try book.refusalGround("nope", for: .complaint, receivedOn: before)
        }
    }

    /// A malformed row is refused when the rulebook is loaded, by name.
    @Test func malformedGroundRowsAreRefusedByName() throws {
        let book = try Defaults.rulebook()
        func with(_ row: RefusalGround) throws -> Rulebook {
            try Rulebook(
                id: book.id, title: book.title, rules: book.rules, procedures: book.procedures, thresholds: book.thresholds, limits: book.limits,
                competence: book.competence, receptionSchedules: book.receptionSchedules, refusalGrounds: book.refusalGrounds + [row])
        }
        let good = RefusalGround(
            id: "x", caseKind: .complaint, ground: "g", groundEn: "g", source: "s", effectiveFrom: CivilDate(year: 2020, month: 1, day: 1)!,
            status: "verified")
        try with(good).validateRefusalGrounds()
        var again = good
        again.id = "complaint.refuse.unsigned.2012"
        #expect(
            throws: RulebookError.incompleteRule(
                rule: "refusalGrounds.complaint.refuse.unsigned.2012", expected: "a unique id", found: "'complaint.refuse.unsigned.2012' again")
        ) {
            try with(again).validateRefusalGrounds()
        }
        var petition = good
        petition.caseKind = .petition
        #expect(throws: RulebookError.incompleteRule(rule: "refusalGrounds.x", expected: "caseKind complaint or denunciation", found: "petition")) {
            try with(petition).validateRefusalGrounds()
        }
        var noSource = good
        noSource.source = " "
        #expect(throws: RulebookError.incompleteRule(rule: "refusalGrounds.x", expected: "a legal source", found: "none")) {
            try with(noSource).validateRefusalGrounds()
        }
        var guessed = good
        guessed.status = "probably"
        #expect(throws: RulebookError.self) { try with(guessed).validateRefusalGrounds() }
    }
}
