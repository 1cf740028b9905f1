import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

/// Reception schedules (lịch tiếp công dân định kỳ) as dated rulebook rows, and the reception book (sổ tiếp công dân)
/// as a case whose entries are sessions.
@Suite struct ReceptionScheduleTests {
    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    @Test func theDefaultRulebookCarriesTheLawsScheduleAcrossFirstJuly2026() throws {
        let book = try YAMLLoading.rulebook(from: try Defaults.rulebookYAML())
        let ward = try #require(book.receptionSchedule(forHeadOf: .ward, on: Self.date(2026, 6, 30)))
        #expect(ward.level == "commune_chair" && ward.days == 1 && ward.per == .week && ward.delegationAllowed)
        #expect(ward.status == "verified" && ward.source.contains("Đ.15"))
        let ward2026 = try #require(book.receptionSchedule(forHeadOf: .commune, on: Self.date(2026, 7, 1)))
        #expect(ward2026.level == "commune_chair" && ward2026.days == 2 && ward2026.per == .month && !ward2026.delegationAllowed)
        #expect(ward2026.effectiveTo == nil && ward2026.status == "secondary")
        let province = try #require(book.receptionSchedule(forHeadOf: .provincialCommittee, on: Self.date(2025, 3, 1)))
        #expect(province.days == 1 && province.per == .month && province.delegationAllowed)
        #expect(book.receptionSchedule(forHeadOf: .provincialCommittee, on: Self.date(2026, 7, 1))?.delegationAllowed == false)
        #expect(book.receptionSchedule(forHeadOf: .department, on: Self.date(2026, 7, 1))?.level == "agency_head")
        #expect(book.receptionSchedule(forHeadOf: .inspectorate, on: Self.date(2024, 1, 1))?.level == "agency_head")
        // The district level ended with the two-tier reform; no unit kind of the organisation is bound by it.
        #expect(book.receptionSchedule(level: "district_chair", on: Self.date(2025, 6, 30))?.days == 2)
        #expect(book.receptionSchedule(level: "district_chair", on: Self.date(2025, 7, 1)) == nil)
        #expect(book.receptionSchedule(forHeadOf: .serviceCentre, on: Self.date(2026, 1, 1)) == nil)
        #expect(book.receptionSchedule(forHeadOf: .ward, on: Self.date(2014, 6, 30)) == nil, "before the first row there is no law to judge by")
    }

    static func yaml(_ rows: String) throws -> String {
        let text = try Defaults.rulebookYAML()
        let start = try #require(text.range(of: "\nreceptionSchedules:\n"))
        let end = try #require(text.range(of: "\nlimits:\n"))
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "\nreceptionSchedules:\n" + rows)
    }

    static func row(
        _ id: String, level: String = "commune_chair", kinds: String = "[ward]", days: Int = 1, per: String = "week",
        from: String, to: String? = nil, source: String = "Luật Tiếp công dân 2013 Đ.15", status: String = "verified"
    ) -> String {
        """
          - id: "\(id)"
            level: "\(level)"
            nameVi: "Chủ tịch UBND cấp xã"
            unitKinds: \(kinds)
            days: \(days)
            per: "\(per)"
            delegationAllowed: true
            place: "Trụ sở"
            source: "\(source)"
            effectiveFrom: "\(from)"
        \(to.map { "    effectiveTo: \"\($0)\"\n" } ?? "")    status: "\(status)"

        """
    }

    static func refusal(_ rows: String) throws -> RulebookError? {
        let text = try yaml(rows)
        do throws(RulebookError) {
            _ = try YAMLLoading.rulebook(from: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func badRowsAreRefusedByName() throws {
        #expect(try Self.refusal(Self.row("a", from: "2014-07-01")) == nil)
        #expect(try Self.refusal(Self.row("a", days: 8, from: "2014-07-01"))?.rule == "receptionSchedules.a", "8 days in a week")
        #expect(try Self.refusal(Self.row("a", days: 0, per: "month", from: "2014-07-01"))?.rule == "receptionSchedules.a")
        #expect(try Self.refusal(Self.row("b", from: "2014-07-01", source: " "))?.rule == "receptionSchedules.b")
        #expect(try Self.refusal(Self.row("c", from: "2014-07-01", status: "sure"))?.rule == "receptionSchedules.c")
        #expect(try Self.refusal(Self.row("d", from: "2014-07-01", to: "2014-06-30"))?.rule == "receptionSchedules.d")
        // Two rows of a level in force on one day; two levels binding one kind on one day; a gap inside a level.
        let overlap = Self.row("e1", from: "2014-07-01") + Self.row("e2", per: "month", from: "2020-01-01")
        #expect(try Self.refusal(overlap)?.rule == "receptionSchedules.e2")
        let twoLevels = Self.row("f1", from: "2014-07-01") + Self.row("f2", level: "other", from: "2014-07-01")
        #expect(try Self.refusal(twoLevels)?.rule == "receptionSchedules.f2")
        let gap = Self.row("g1", from: "2014-07-01", to: "2019-12-31") + Self.row("g2", from: "2020-02-01")
        guard case .incompleteRule(let rule, _, let found)? = try Self.refusal(gap) else {
            Issue.record("a gap inside a level loads")
            return
        }
        #expect(rule == "receptionSchedules.g2" && found.contains("2020-01-01"))
        let chained = Self.row("h1", from: "2014-07-01", to: "2026-06-30") + Self.row("h2", days: 2, per: "month", from: "2026-07-01")
        #expect(try Self.refusal(chained) == nil)
        #expect(try Self.refusal(Self.row("i", per: "fortnight", from: "2014-07-01")) != nil)
    }

    @Test func periodsAreIsoWeeksAndCalendarMonths() {
        let thursday = Self.date(2026, 7, 2)
        #expect(ReceptionPeriod.week.bounds(of: thursday) == (Self.date(2026, 6, 29), Self.date(2026, 7, 5)))
        #expect(ReceptionPeriod.month.bounds(of: thursday) == (Self.date(2026, 7, 1), Self.date(2026, 7, 31)))
        #expect(ReceptionPeriod.month.bounds(of: Self.date(2028, 2, 10)) == (Self.date(2028, 2, 1), Self.date(2028, 2, 29)))
        #expect(ReceptionPeriod.month.bounds(of: Self.date(2026, 12, 31)) == (Self.date(2026, 12, 1), Self.date(2026, 12, 31)))
    }
}

@Suite struct ReceptionBookTests {
    let org = SampleCity.organization
    let t0 = SampleCity.t0  // 2025-11-20 09:00 in Vietnam
    let h = SampleCity.hour
    let today = CivilDate(year: 2025, month: 11, day: 20)!
    let code: CaseID = "PHC-TCD-2025"

    func open(owner: OfficialID = "ct-hc", procedure: String? = "commune_chair") -> Action {
        Action(
            caseID: code, actor: .official(owner), at: t0,
            body: .open(OpenCase(kind: .reception, procedure: procedure, title: "Sổ tiếp công dân năm 2025", leadUnit: "p-hai-chau", owner: owner)),
            via: .generated("test"))
    }

    func session(
        by actor: OfficialID = "ct-hc", receivedBy: OfficialID = "ct-hc", periodic: Bool = true, citizens: Int = 3,
        matters: [String] = ["Phản ánh lấn chiếm vỉa hè"], day: CivilDate? = nil, cases: [CaseID] = []
    ) -> Action {
        Action(
            caseID: code, actor: .official(actor), at: t0 + 6 * h,
            body: .receptionHeld(
                ReceptionSession(day: day ?? today, receivedBy: receivedBy, periodic: periodic, citizens: citizens, matters: matters, cases: cases)),
            via: .generated("test"))
    }

    @Test func theBookIsTheHeadsAndNamesItsLevel() throws {
        let book = try CaseState(opening: open(), in: org)
        #expect(book.kind == .reception && book.owner == "ct-hc" && book.procedure == "commune_chair")
        #expect(throws: DomainError.invalidField(action: "open", field: "owner", reason: .reception(.bookNotHeldByHead("mc-hc", unit: "p-hai-chau"))))
        {
            try CaseState(opening: open(owner: "mc-hc"), in: org)
        }
        #expect(throws: DomainError.missingField(action: "open", field: "procedure")) { try CaseState(opening: open(procedure: nil), in: org) }
    }

    @Test func aSessionIsRecordedByTheUnitAndReceivedByWhomTheLawAllows() throws {
        var book = try CaseState(opening: open(), in: org)
        try book.apply(session(by: "mc-hc", receivedBy: "ct-hc", cases: ["PHC-251120-0001"]), in: org)
        #expect(book.status == .processing && book.actionCount == 2 && book.owner == "ct-hc")
        // Ad hoc or at the desk: any official of the ward.
        try book.apply(session(by: "mc-hc", receivedBy: "mc-hc", periodic: false), in: org)
        // A periodic session is the head's (or a deputy's): not the one-stop clerk's.
        #expect(
            throws: DomainError.invalidField(
                action: "reception_periodic", field: "receivedBy", reason: .reception(.periodicNotByHeadOrDeputy("mc-hc", unit: "p-hai-chau")))
        ) { try book.apply(session(receivedBy: "mc-hc"), in: org) }
        #expect(
            throws: DomainError.notPermitted(
                action: "reception_periodic", actor: "cv-an", reason: .reception(.actorOutsideUnit("cv-an", unit: "p-hai-chau")))
        ) { try book.apply(session(by: "cv-an"), in: org) }
        #expect(
            throws: DomainError.invalidField(
                action: "reception_other", field: "receivedBy", reason: .reception(.receiverOutsideUnit("cv-an", unit: "p-hai-chau")))
        ) { try book.apply(session(receivedBy: "cv-an", periodic: false), in: org) }
        #expect(throws: DomainError.invalidField(action: "reception_periodic", field: "citizens", reason: .reception(.noCitizens(found: 0)))) {
            try book.apply(session(citizens: 0), in: org)
        }
        #expect(throws: DomainError.missingField(action: "reception_periodic", field: "matters")) { try book.apply(session(matters: []), in: org) }
        #expect(throws: DomainError.invalidField(action: "reception_periodic", field: "matters[1]", reason: .emptyListItem)) {
            try book.apply(session(matters: ["Đất đai", " "]), in: org)
        }
        let tomorrow = today.adding(days: 1)
        #expect(
            throws: DomainError.invalidField(
                action: "reception_periodic", field: "day", reason: .dateOutOfRange(from: today, to: today, found: tomorrow))
        ) { try book.apply(session(day: tomorrow), in: org) }
        #expect(book.actionCount == 3, "refused sessions change nothing")
    }

    @Test func aBookHoldsSessionsOnlyAndSessionsGoOnlyInABook() throws {
        var book = try CaseState(opening: open(), in: org)
        #expect(throws: DomainError.invalidField(action: "escalate", field: "case", reason: .reception(.notForReceptionBook(action: "escalate")))) {
            try book.apply(
                Action(
                    caseID: code, actor: .official("ct-hc"), at: t0 + h, body: .escalate(to: "chu-tich", proposal: "Xin ý kiến"), via: .generated("t")
                ),
                in: org)
        }
        try book.apply(
            Action(caseID: code, actor: .official("ct-hc"), at: t0 + h, body: .comment(text: "Lịch tháng 12"), via: .generated("t")), in: org)
        var dossier = try CaseState(opening: SampleCity.openDossier(), in: org)
        let stray = Action(
            caseID: dossier.id, actor: .official("cv-an"), at: t0 + h,
            body: .receptionHeld(ReceptionSession(day: today, receivedBy: "cv-an", periodic: false, citizens: 1, matters: ["Hỏi thủ tục"])),
            via: .generated("t"))
        #expect(throws: DomainError.invalidField(action: "reception_other", field: "case", reason: .reception(.notAReceptionBook(kind: .dossier)))) {
            try dossier.apply(stray, in: org)
        }
        try book.apply(
            Action(caseID: code, actor: .official("ct-hc"), at: t0 + 2 * h, body: .close(outcome: "Khóa sổ"), via: .generated("t")), in: org)
        #expect(throws: DomainError.invalidTransition(action: "reception_periodic", from: .closed)) { try book.apply(session(), in: org) }
    }

    @Test func sessionsRoundTripThroughTheLedgerWithoutNames() throws {
        for periodic in [true, false] {
            let action = session(receivedBy: "ct-hc", periodic: periodic, cases: periodic ? ["PHC-251120-0001"] : [])
            let bytes = LedgerEntryCodec.encode(action, index: 9)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains(periodic ? "\"type\":\"reception_periodic\"" : "\"type\":\"reception_other\""))
            #expect(text.contains("\"citizens\":3") && text.contains("\"day\":\"2025-11-20\""))
            #expect(periodic || !text.contains("\"cases\""), "no cases, no member")
            let back = try LedgerEntryCodec.decode(bytes)
            #expect(back.index == 9 && back.action == action)
        }
        var broken = LedgerEntryCodec.jsonValue(session(), index: 1)
        if case .object(var object) = broken {
            object["matters"] = nil
            broken = .object(object)
        }
        #expect(throws: LedgerEntryError.missingField("matters")) { try LedgerEntryCodec.decode(broken) }
    }
}
