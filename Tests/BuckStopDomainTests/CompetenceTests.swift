import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopTestSupport
import Testing

/// Who decides a complaint or a denunciation (the rulebook's competence rows over the sample city), and what the domain
/// refuses: a decision by someone without that competence, the accused holding their own denunciation or seeing the
/// denouncer.
struct CompetenceTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0

    @Test func decidingBodyByRule() {
        // A phòng's act is the sở's (the body above a division); the sở's superior is the city.
        #expect(org.decidingBody(.issuingBody, concerning: Concerning(unit: "stp-hcbt")) == .success("stp"))
        #expect(org.decidingBody(.superiorBody, concerning: Concerning(official: "cv-an")) == .success("ubnd"))
        #expect(org.decidingBody(.superiorBody, concerning: Concerning(unit: "ubnd")) == .failure(.aboveOrganisation("ubnd")))
        // A denunciation against staff goes to the head of their body; against the head or a deputy, to the body above.
        #expect(org.decidingBody(.managingBody, concerning: Concerning(official: "cv-an")) == .success("stp"))
        #expect(org.decidingBody(.managingBody, concerning: Concerning(official: "tp-hcbt")) == .success("stp"))
        #expect(org.decidingBody(.managingBody, concerning: Concerning(official: "pgd-stp")) == .success("ubnd"))
        #expect(org.decidingBody(.managingBody, concerning: Concerning(unit: "stp")) == .failure(.accusedNotNamed))
        #expect(org.isSubordinate("cv-an", of: "pgd-stp") && !org.isSubordinate("gd-stp", of: "pgd-stp"))
    }

    @Test func theDefaultRulebookNamesTheBody() throws {
        let rulebook = try Defaults.rulebook()
        let day = CivilDate(year: 2026, month: 8, day: 3)!
        func open(_ kind: CaseKind, _ procedure: String?, _ c: Concerning) -> OpenCase {
            OpenCase(kind: kind, procedure: procedure, title: "Đơn", leadUnit: "thanh-tra", owner: "ttv", concerning: c)
        }
        let first = try #require(try rulebook.decidingBody(for: open(.complaint, "KN-L1", Concerning(unit: "stp")), on: day, in: org))
        #expect(first.body == "stp" && first.rule.id == "complaint.competence.2012")
        let second = try #require(try rulebook.decidingBody(for: open(.complaint, "KN-L2", Concerning(unit: "stp")), on: day, in: org))
        #expect(second.body == "ubnd" && second.rule.id == "KN-L2.competence.2012")
        let accused = try #require(
            try rulebook.decidingBody(for: open(.denunciation, "TC-GIAIQUYET", Concerning(official: "gd-stp")), on: day, in: org))
        #expect(accused.body == "ubnd" && accused.rule.status == "verified")
        // Nothing named, nothing decided: a letter not yet classified.
        #expect(try rulebook.decidingBody(for: open(.complaint, nil, Concerning()), on: day, in: org) == nil)
        // A recorded body the rule does not name is refused, naming both.
        var wrong = open(.complaint, "KN-L2", Concerning(unit: "stp"))
        wrong.decidingBody = "stp"
        #expect(throws: DomainError.invalidField(action: "open", field: "decidingBody", reason: .wrongDecidingBody(expected: "ubnd", found: "stp"))) {
            try rulebook.decidingBody(for: wrong, on: day, in: org)
        }
        #expect(throws: DomainError.missingField(action: "open", field: "concerning.official")) {
            try rulebook.decidingBody(for: open(.denunciation, nil, Concerning(unit: "stp")), on: day, in: org)
        }
    }

    func denunciation(accused: OfficialID, owner: OfficialID = "ttv") throws -> CaseState {
        let open = OpenCase(
            kind: .denunciation, title: "Tố cáo", leadUnit: "thanh-tra", owner: owner, subject: SubjectRef(ref: "r", hash: "h"),
            concerning: Concerning(unit: "stp", official: accused), decidingBody: "ubnd")
        return try CaseState(opening: Action(caseID: "TTTP-1", actor: .official(owner), at: t0, body: .open(open), via: .server), in: org)
    }

    func act(_ state: inout CaseState, _ who: OfficialID, _ body: ActionBody, _ n: Int64) throws(DomainError) {
        try state.apply(Action(caseID: "TTTP-1", actor: .official(who), at: t0 + n * SampleCity.hour, body: body, via: .server), in: org)
    }

    @Test func onlyTheCompetentHeadOrADeputyDecides() throws {
        var state = try denunciation(accused: "gd-stp")
        try act(&state, "ttv", .accept(note: "Thụ lý"), 1)
        // The inspector holds it and cannot sign the conclusion; the Chánh Thanh tra neither.
        #expect(throws: DomainError.notPermitted(action: "decide", actor: "ttv", reason: .notCompetent("ttv", body: "ubnd"))) {
            try act(&state, "ttv", .decide(decision: "Kết luận", rationale: "Đã xác minh"), 2)
        }
        try act(&state, "ttv", .escalate(to: "ctt", proposal: "Đề xuất kết luận tố cáo đúng một phần"), 3)
        #expect(throws: DomainError.notPermitted(action: "decide", actor: "ctt", reason: .notCompetent("ctt", body: "ubnd"))) {
            try act(&state, "ctt", .decide(decision: "Kết luận", rationale: "Đã xác minh"), 4)
        }
        // The vice-chair signs for the chair (ký thay).
        try act(&state, "ctt", .escalate(to: "pct", proposal: "Kính trình ký kết luận nội dung tố cáo"), 5)
        try act(&state, "pct", .decide(decision: "Kết luận nội dung tố cáo", rationale: "Tố cáo đúng một phần"), 6)
        #expect(state.decided && state.decidingBody == "ubnd" && state.concerning?.official == "gd-stp")
    }

    @Test func theAccusedNeverHoldsNorSeesTheDenouncer() throws {
        #expect(throws: DomainError.invalidField(action: "open", field: "owner", reason: .accusedHandles("ttv"))) {
            try denunciation(accused: "ttv")
        }
        var state = try denunciation(accused: "cv-an")
        for body: ActionBody in [
            .assign(to: "cv-an", note: "Giao"), .transfer(to: "cv-an", reason: "Chuyển"),
            .delegate(to: "cv-an", instruction: "Xử lý"),
        ] {
            #expect(throws: DomainError.invalidField(action: body.type.rawValue, field: "to", reason: .accusedHandles("cv-an"))) {
                try act(&state, "ttv", body, 1)
            }
        }
        // The accused's colleague may be assigned (conflict_of_interest finds it); the accused never.
        try act(&state, "ttv", .transfer(to: "cv-binh", reason: "Giao phòng kiểm tra"), 2)
        #expect(state.owner == "cv-binh")
        // A denunciation of the head of the unit the holder sits in: the holder is the accused's subordinate, yet assigned
        // handlers may see the identity; the accused themselves never can, even while somehow holding it (an old entry).
        var held = try denunciation(accused: "ctt", owner: "ttv")
        try act(&held, "ttv", .revealIdentity(reason: "Cần liên hệ người tố cáo để xác minh"), 1)
        let replayOpen = OpenCase(
            kind: .denunciation, title: "Tố cáo", leadUnit: "thanh-tra", owner: "ctt", subject: SubjectRef(ref: "r", hash: "h"),
            concerning: Concerning(official: "ctt"))
        var legacy = try CaseState(replayingOpening: Action(caseID: "TTTP-1", actor: .official("ctt"), at: t0, body: .open(replayOpen), via: .server))
        #expect(throws: DomainError.notPermitted(action: "identity_revealed", actor: "ctt", reason: .accusedHandles("ctt"))) {
            try act(&legacy, "ctt", .revealIdentity(reason: "Xem"), 1)
        }
    }

    @Test func unknownConcernedIsRefusedByName() {
        let open = OpenCase(
            kind: .complaint, title: "Khiếu nại", leadUnit: "thanh-tra", owner: "ttv", concerning: Concerning(unit: "so-khong-co"))
        #expect(throws: DomainError.invalidField(action: "open", field: "concerning.unit", reason: .unknownConcerned("so-khong-co"))) {
            try CaseState(opening: Action(caseID: "TTTP-2", actor: .official("ttv"), at: t0, body: .open(open), via: .server), in: org)
        }
    }

    @Test func theLedgerEntryCarriesItAndReadsBack() throws {
        let open = OpenCase(
            kind: .denunciation, procedure: "TC-GIAIQUYET", title: "Tố cáo", leadUnit: "thanh-tra", owner: "ttv",
            concerning: Concerning(unit: "stp", official: "gd-stp"), decidingBody: "ubnd", competenceRuleID: "denunciation.competence.2019")
        let action = Action(caseID: "TTTP-3", actor: .official("ttv"), at: t0, body: .open(open), via: .server)
        let bytes = LedgerEntryCodec.encode(action, index: 7)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""concerning":{"official":"gd-stp","unit":"stp"}"#) && text.contains(#""decidingBody":"ubnd""#))
        let back = try LedgerEntryCodec.decode(bytes)
        #expect(back.action.body == action.body)
    }

    /// Found by FuzzEntryCodec: a `concerning` object naming neither a unit nor an official decodes as none, so the
    /// entry written again is the entry read.
    @Test func aConcerningObjectNamingNothingIsNone() throws {
        let entry =
            #"{"actor":"ttv","at":1749436417000,"case":"TTRA-1","concerning":{"@nit":"ubnd"},"index":3,"kind":"complaint","#
            + #""leadUnit":"thanh-tra","owner":"ttv","title":"Khiếu nại","type":"open","v":2,"via":"generated:demo"}"#
        let read = try LedgerEntryCodec.decode(Array(entry.utf8))
        guard case .open(let open) = read.action.body else {
            Issue.record("not an opening")
            return
        }
        #expect(open.concerning == nil)
        let again = try LedgerEntryCodec.decode(LedgerEntryCodec.encode(read.action, index: read.index))
        #expect(again.action == read.action)
    }
}
