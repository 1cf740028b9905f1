import BuckStopCalendar
import BuckStopDomain
import Testing

@testable import BuckStopDetectors

typealias F = DetectorFixture

/// Each detector on cases small enough to work out in the comment.
struct DetectorTests {
    // Owners 1, 2, 3 (officials); units 11, 12; agencies 21, 22.
    let a: UInt32 = 1, b: UInt32 = 2, c: UInt32 = 3, head: UInt32 = 4

    /// H = 1, 2, 1: a direct return; evidence is the leave (1) and the return (2). With no mandate to tell, one
    /// return is a corrected misrouting: 1, who sent it to 2 and got it back, is named — not 2, who corrected it.
    @Test func pingPongDirect() throws {
        let f = try F()
        let o = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(0, hour: 10, .transfer, actor: a, owner: b, target: b),
            F.event(1, .transfer, actor: b, owner: a, target: a),
        ])
        let p = try #require(o.finding(.pingPong))
        #expect(p.value == 1 && p.evidence == [1, 2] && p.severity == .low, "one return is a minor finding")
        #expect(p.owner == a && p.attribution == .misrouted)
        #expect(o.transfers == 2 && o.pingPongs == 1)
    }

    /// H = 1, 2, 1, 2: two returns without a mandate to tell — back and forth; 2 sent it back first and is named.
    @Test func pingPongRepeatedNamesTheFirstToSendItBack() throws {
        let o = try F().run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b, target: b),
            F.event(2, .transfer, actor: b, owner: a, target: a), F.event(3, .transfer, actor: a, owner: b, target: b),
        ])
        let p = try #require(o.finding(.pingPong))
        #expect(p.value == 2 && p.owner == b && p.attribution == .sentBack && p.severity == .medium)
    }

    /// The mandate decides before the count. Agency 21 is competent for the dossier.
    /// - 1 (21) → 2 (22) → 1 → 2 → 1: 2 sits outside the mandate, so every return corrected 1's misrouting: 1 is named,
    ///   though it went back and forth (severe).
    /// - 2 (22) → 1 (21) → 2: one return, but by 1, inside the mandate, to 2 outside it: 1 dodged the case — named.
    @Test func pingPongMandateDecidesWhoMisrouted() throws {
        let f = try F(
            placements: [a: OwnerPlacement(unit: 11, agency: 21), b: OwnerPlacement(unit: 12, agency: 22)],
            competent: [CompetenceKey(kind: .dossier, procedure: nil): [21]])
        let misrouting = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b, target: b),
            F.event(2, .transfer, actor: b, owner: a, target: a), F.event(3, .transfer, actor: a, owner: b, target: b),
            F.event(4, .transfer, actor: b, owner: a, target: a),
        ])
        let m = try #require(misrouting.finding(.pingPong))
        #expect(m.owner == a && m.attribution == .misrouted && m.severity == .high)
        let dodge = f.run([
            F.event(0, .open, actor: b, owner: b), F.event(1, .transfer, actor: b, owner: a, target: a),
            F.event(2, .transfer, actor: a, owner: b, target: b),
        ])
        let d = try #require(dodge.finding(.pingPong))
        #expect(d.owner == a && d.attribution == .sentBack && d.value == 1)
    }

    /// H = 1, 2, 3: no person returns; but 1 and 3 sit in unit 11 and 2 in unit 12, so the units go 11, 12, 11.
    @Test func pingPongAtUnitLevel() throws {
        let f = try F(placements: [
            a: OwnerPlacement(unit: 11, agency: 21), b: OwnerPlacement(unit: 12, agency: 22), c: OwnerPlacement(unit: 11, agency: 21),
        ])
        let o = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b, target: b),
            F.event(2, .transfer, actor: b, owner: c, target: c),
        ])
        #expect(o.finding(.pingPong)?.value == 1)
        let none = try F().run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b), F.event(2, .transfer, actor: b, owner: c),
        ])
        #expect(none.finding(.pingPong) == nil)
    }

    /// At unit level the one who sent it back is who passed it out of the unit, not who first received it there: 1
    /// (unit 11, agency 21, competent) → 2 (unit 12) → 4 (unit 12, the same agency 22) → 3 (unit 11). No person returns;
    /// the unit 11 comes back once, sent back by 4 (outside the mandate) to 3 (inside): a corrected misrouting, naming 3;
    /// without a mandate the one return names 3 too. With agency 22 competent instead, 4 inside sent it back to 3 outside:
    /// a dodge, naming 4 — it used to name 2, who only received it in unit 12.
    @Test func pingPongAtUnitLevelNamesWhoSentItOut() throws {
        let places = [
            a: OwnerPlacement(unit: 11, agency: 21), b: OwnerPlacement(unit: 12, agency: 22), c: OwnerPlacement(unit: 11, agency: 21),
            head: OwnerPlacement(unit: 12, agency: 22),
        ]
        let events = [
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b, target: b),
            F.event(2, .assignment, actor: b, owner: head, target: head), F.event(3, .transfer, actor: head, owner: c, target: c),
        ]
        let dodge = try F(placements: places, competent: [CompetenceKey(kind: .dossier, procedure: nil): [22]]).run(events)
        let d = try #require(dodge.finding(.pingPong))
        #expect(d.owner == head && d.attribution == .sentBack && d.value == 1)
        let corrected = try F(placements: places, competent: [CompetenceKey(kind: .dossier, procedure: nil): [21]]).run(events)
        #expect(corrected.finding(.pingPong)?.owner == c && corrected.finding(.pingPong)?.attribution == .misrouted)
    }

    /// H = 1, 2, 1, 2, 1: alternations at 0, 1, 2 → a run of 3 → severe.
    @Test func pingPongSevere() throws {
        let o = try F().run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b), F.event(2, .transfer, actor: b, owner: a),
            F.event(3, .transfer, actor: a, owner: b), F.event(4, .transfer, actor: b, owner: a),
        ])
        #expect(o.finding(.pingPong)?.severity == .high && o.finding(.pingPong)?.value == 3)
    }

    /// 1 escalates to the head (level 0); the head delegates back without deciding → upward push, naming the head
    /// who sent it back undecided (the escalation carried 1's proposal), not 1.
    /// A second round trip, this time decided first, makes it a shuttle (2 round trips) but not a second push.
    @Test func upwardPushAndShuttle() throws {
        let f = try F(placements: [a: OwnerPlacement(level: 2), head: OwnerPlacement(level: 0)])
        let once = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .escalation, actor: a, owner: head, target: head),
            F.event(2, .delegation, actor: head, owner: a, target: a),
        ])
        let push = try #require(once.finding(.upwardPush))
        #expect(push.owner == head && push.attribution == .returnedUndecided && push.evidence == [1, 2])
        #expect(once.finding(.shuttle) == nil)
        let twice = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .escalation, actor: a, owner: head, target: head),
            F.event(2, .delegation, actor: head, owner: a, target: a), F.event(3, .escalation, actor: a, owner: head, target: head),
            F.event(4, .decision, actor: head, owner: head), F.event(5, .assignment, actor: head, owner: a, target: a),
        ])
        #expect(twice.finding(.shuttle)?.value == 2)
        #expect(twice.finding(.upwardPush)?.evidence == [1, 2])
        // Decided and then handed to a subordinate to carry out: not a push.
        let decided = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .escalation, actor: a, owner: head, target: head),
            F.event(2, .decision, actor: head, owner: head), F.event(3, .delegation, actor: head, owner: a, target: a),
        ])
        #expect(decided.finding(.upwardPush) == nil)
    }

    /// One consultation of unit 12 due on day 3, answered on day 5 → late. Two consultations → rounds.
    @Test func consultation() throws {
        let f = try F()
        let late = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .consultation, actor: a, owner: a, due: 3, target: 12),
            F.event(5, .opinion, actor: b, owner: a, target: 12),
        ])
        #expect(late.finding(.consultationRounds) != nil)
        let onTime = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .consultation, actor: a, owner: a, due: 3, target: 12),
            F.event(3, .opinion, actor: b, owner: a, target: 12),
        ])
        #expect(onTime.finding(.consultationRounds) == nil)
        let rounds = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .consultation, actor: a, owner: a, due: 3, target: 12),
            F.event(2, .opinion, actor: b, owner: a, target: 12), F.event(3, .consultation, actor: a, owner: a, due: 7, target: 12),
            F.event(4, .opinion, actor: b, owner: a, target: 12),
        ])
        #expect(rounds.finding(.consultationRounds)?.value == 2)
    }

    /// Idle from Monday to the Tuesday of the next week = 6 working days > 5 → a candidate; the time spent
    /// awaiting supplements (days 1 → 10) does not count.
    @Test func stallingCandidates() throws {
        let f = try F()
        let idle = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(8, .other, actor: a, owner: a),
            F.event(8, hour: 10, .closing, actor: a, owner: 0, status: .closed),
        ])
        #expect(idle.stallCandidates.map(\.idle) == [6])
        let paused = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .supplementRequest, actor: a, owner: a, status: .awaitingSupplement),
            F.event(10, .supplementReceived, actor: a, owner: a), F.event(11, .closing, actor: a, owner: 0, status: .closed),
        ])
        #expect(paused.stallCandidates.isEmpty)
        // Against peers: four cases that move on after 1 working day from the same step → median 1, limit
        // max(5, 3 × 1) = 5 → 6 is stalling. Alone, the case is its own median (6 → limit 18): not stalling.
        var alone = CrossCaseJudge(thresholds: f.context.thresholds, enabled: Set(DetectorID.allCases))
        alone.add(idle)
        #expect(alone.findings().isEmpty)
        var judge = CrossCaseJudge(thresholds: f.context.thresholds, enabled: Set(DetectorID.allCases))
        judge.add(idle)
        for i in 1...4 {
            judge.add(
                f.run(
                    [
                        F.event(0, .open, actor: a, owner: a), F.event(1, .other, actor: a, owner: a),
                        F.event(1, hour: 10, .closing, actor: a, owner: 0, status: .closed),
                    ], index: i))
        }
        #expect(judge.idleLimit(step: idle.stallCandidates[0].step) == 5)
        #expect(judge.findings().filter { $0.detector == .stalling }.map(\.caseIndex) == [0])
    }

    /// Due day 4 (Friday); resolved day 7 (Monday) → 3 days late. An apology with a new date sent on day 2
    /// (≥ 1 day before) removes `no_apology` but the case is still overdue (NĐ 61/2018 Đ.19.9).
    @Test func overdueAndApology() throws {
        let f = try F()
        let late = f.run([
            F.event(0, .open, actor: a, owner: a, due: 4), F.event(7, .resolution, actor: a, owner: a, status: .resolved),
        ])
        #expect(late.finding(.overdue)?.value == 3 && late.finding(.noApology) != nil)
        let apologised = f.run([
            F.event(0, .open, actor: a, owner: a, due: 4), F.event(2, .reschedule, actor: a, owner: a, due: 8),
            F.event(7, .resolution, actor: a, owner: a, status: .resolved),
        ])
        #expect(apologised.finding(.overdue) != nil && apologised.finding(.noApology) == nil)
        // Supplements received with a new due date restart the clock.
        let restarted = f.run([
            F.event(0, .open, actor: a, owner: a, due: 4), F.event(1, .supplementRequest, actor: a, owner: a, status: .awaitingSupplement),
            F.event(3, .supplementReceived, actor: a, owner: a, due: 9), F.event(7, .resolution, actor: a, owner: a, status: .resolved),
        ])
        #expect(restarted.finding(.overdue) == nil)
    }

    /// A complaint's resolution clock starts on acceptance (thụ lý, Luật Khiếu nại Đ.28): before it there is no due
    /// date to be late against, and lateness weighs against the time from acceptance, not from receipt.
    @Test func complaintClockStartsOnAcceptance() throws {
        let f = try F()
        // Received day 0 without a due date; accepted day 20 with due day 23; resolved day 30: 7 days late against the
        // 3 days acceptance allotted → ratio 2.3, high (from receipt it would be 7 against 23, low).
        let late = f.run(
            [
                F.event(0, .open, actor: a, owner: a, status: .open), F.event(20, .acceptance, actor: a, owner: a, due: 23),
                F.event(30, .resolution, actor: a, owner: a, status: .resolved),
            ], kind: .complaint)
        let overdue = try #require(late.finding(.overdue))
        #expect(overdue.value == 7 && overdue.day == F.day(23) && overdue.severity == .high)
        // Stalling's allotted share counts from the acceptance too: 3 working days allotted, then idle 8 (8–17/12).
        #expect(late.stallCandidates.contains { $0.overShare && $0.allotted == 3 })
        // Not accepted by the as-of day: a late intake — and no overdue, for the law has not started that clock.
        let unaccepted = f.run([F.event(0, .open, actor: a, owner: a, status: .open)], kind: .complaint)
        #expect(unaccepted.finding(.overdue) == nil && unaccepted.finding(.lateIntake) != nil)
        // An acceptance carrying a date after the clock already runs (a log that repeats it) does not move it.
        let again = f.run(
            [
                F.event(0, .open, actor: a, owner: a, status: .open, due: 10), F.event(2, .acceptance, actor: a, owner: a, due: 40),
                F.event(12, .resolution, actor: a, owner: a, status: .resolved),
            ], kind: .complaint)
        #expect(again.finding(.overdue)?.value == 2)
    }

    /// A suspended case's clock stands still: no overdue while suspended past the due date, no idle time counted, and
    /// after resumption the moved due date is the one judged.
    @Test func suspensionStopsTheClock() throws {
        let f = try F()  // as of day 60
        // Accepted day 1 due day 20; suspended day 10 until the as-of day: not overdue, not stalled.
        let waiting = f.run(
            [
                F.event(0, .open, actor: a, owner: a, status: .open), F.event(1, .acceptance, actor: a, owner: a, due: 20),
                F.event(6, .other, actor: a, owner: a), F.event(10, .suspension, actor: a, owner: a, status: .suspended),
            ], kind: .complaint)
        #expect(waiting.finding(.overdue) == nil && waiting.stallCandidates.isEmpty, "\(waiting.stallCandidates)")
        // Resumed day 40 with the due date moved to day 50; resolved day 48 and closed: on time; the 30 days suspended are
        // not idle.
        let resumed = f.run(
            [
                F.event(0, .open, actor: a, owner: a, status: .open), F.event(1, .acceptance, actor: a, owner: a, due: 20),
                F.event(3, .other, actor: a, owner: a), F.event(8, .other, actor: a, owner: a),
                F.event(10, .suspension, actor: a, owner: a, status: .suspended),
                F.event(40, .resumption, actor: a, owner: a, due: 50), F.event(44, .other, actor: a, owner: a),
                F.event(48, .resolution, actor: a, owner: a, status: .resolved), F.event(49, .closing, actor: a, owner: 0, status: .closed),
            ], kind: .complaint)
        #expect(resumed.finding(.overdue) == nil && resumed.stallCandidates.isEmpty, "\(resumed.findings) \(resumed.stallCandidates)")
        // The same case resolved day 53: three days late against the moved date.
        var late = [
            F.event(0, .open, actor: a, owner: a, status: .open), F.event(1, .acceptance, actor: a, owner: a, due: 20),
            F.event(10, .suspension, actor: a, owner: a, status: .suspended), F.event(40, .resumption, actor: a, owner: a, due: 50),
        ]
        late.append(F.event(53, .resolution, actor: a, owner: a, status: .resolved))
        #expect(f.run(late, kind: .complaint).finding(.overdue)?.value == 3)
    }

    @Test func repetitions() throws {
        let f = try F()
        let o = f.run([
            F.event(0, .open, actor: a, owner: a, due: 20), F.event(1, .reschedule, actor: a, owner: a, due: 22),
            F.event(2, .reschedule, actor: a, owner: a, due: 24), F.event(3, .supplementRequest, actor: a, owner: a, status: .awaitingSupplement),
            F.event(4, .supplementReceived, actor: a, owner: a), F.event(5, .decision, actor: a, owner: a), F.event(6, .decision, actor: a, owner: a),
        ])
        #expect(o.finding(.repeatReschedule)?.value == 2 && o.finding(.repeatSupplement) == nil && o.finding(.rework)?.evidence == [5, 6])
    }

    /// The one named is who gave the new dates or asked for documents (docs/FINDINGS.md), not whoever held the case
    /// just before: here b, the head, reschedules twice and asks for documents twice while a holds the case.
    @Test func repetitionsNameWhoDidThem() throws {
        let f = try F()
        let o = f.run([
            F.event(0, .open, actor: a, owner: a, due: 20), F.event(1, .reschedule, actor: b, owner: a, due: 22),
            F.event(2, .reschedule, actor: b, owner: a, due: 24),
            F.event(3, .supplementRequest, actor: b, owner: a, status: .awaitingSupplement), F.event(4, .supplementReceived, actor: a, owner: a),
            F.event(5, .supplementRequest, actor: b, owner: a, status: .awaitingSupplement), F.event(6, .supplementReceived, actor: a, owner: a),
        ])
        #expect(o.finding(.repeatReschedule)?.owner == b)
        #expect(o.finding(.repeatSupplement)?.owner == b)
    }

    /// Rework by roles names who redid the step (docs/FINDINGS.md: "the owner who redid it"): the second decision's
    /// actor — b, deciding again on a case a holds — or, with one decision, the second result's; without actors, the
    /// event's owner. It used to name no one (owner 0), so the demo's truth and the finding disagreed on every rework.
    @Test func reworkByRolesNamesWhoRedidIt() throws {
        let f = try F()
        let redecided = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .decision, actor: a, owner: a), F.event(2, .decision, actor: b, owner: a),
            F.event(3, .decision, actor: c, owner: a),
        ])
        #expect(redecided.finding(.rework)?.owner == b && redecided.finding(.rework)?.value == 3)
        let reresolved = f.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .decision, actor: a, owner: a),
            F.event(2, .resolution, actor: a, owner: a, status: .resolved), F.event(3, .resolution, actor: c, owner: a, status: .resolved),
        ])
        #expect(reresolved.finding(.rework)?.owner == c && reresolved.finding(.rework)?.value == 2)
        let g = try F(hasActor: false)
        let noActors = g.run([
            F.event(0, .open, actor: 0, owner: a), F.event(1, .decision, actor: 0, owner: a), F.event(2, .decision, actor: 0, owner: b),
        ])
        #expect(noActors.finding(.rework)?.owner == b)
    }

    /// Who asked for too many opinions and who extended are the actors of the first consultation and extension
    /// (docs/FINDINGS.md), not the holder: here b, the head, consults twice and extends on a case a holds.
    @Test func consultationAndExtensionNameWhoDidThem() throws {
        let f = try F()
        let o = f.run(
            [
                F.event(0, .open, actor: a, owner: a, due: 20), F.event(1, .consultation, actor: b, owner: a, due: 5, target: 7),
                F.event(2, .opinion, actor: c, owner: a, target: 7), F.event(3, .consultation, actor: a, owner: a, due: 8, target: 7),
                F.event(4, .opinion, actor: c, owner: a, target: 7), F.event(5, .extension, actor: b, owner: a, due: 40),
            ], kind: .task)
        #expect(o.finding(.consultationRounds)?.owner == b && o.finding(.consultationRounds)?.value == 2)
        #expect(o.finding(.extensionAbuse)?.owner == b)
    }

    /// Agency 21 is competent. A declines though competent; or 1 (agency 21) transfers to 2 (agency 22) who sends
    /// it straight back to 3 (agency 21).
    @Test func jurisdiction() throws {
        let places = [a: OwnerPlacement(unit: 11, agency: 21), b: OwnerPlacement(unit: 12, agency: 22), c: OwnerPlacement(unit: 11, agency: 21)]
        let f = try F(placements: places, competent: [CompetenceKey(kind: .dossier, procedure: nil): [21]])
        let declined = f.run([F.event(0, .open, actor: a, owner: a), F.event(1, .decline, actor: a, owner: 0, status: .closed)])
        #expect(declined.finding(.jurisdictionRefusal)?.owner == a)
        let g = try F(placements: places)
        let bounced = g.run([
            F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b, target: b),
            F.event(2, .transfer, actor: b, owner: c, target: c),
        ])
        #expect(bounced.finding(.jurisdictionRefusal)?.evidence == [1, 2])
    }

    /// A mandate over a kind only (agency 21 receives petitions) is not competence over the content: 1 forwarding a
    /// petition inside the organisation to 2 (a street-light report to the ward) is a referral, by decline or by
    /// transfer; 1 declining it so that the case ends is a refusal. A procedure's mandate is over the matter: the same
    /// forwarding decline of a dossier of procedure P1 is a refusal.
    @Test func referralUnderAReceivingMandateIsNotARefusal() throws {
        let places = [a: OwnerPlacement(unit: 11, agency: 21), b: OwnerPlacement(unit: 12, agency: 22)]
        let f = try F(
            placements: places,
            competent: [CompetenceKey(kind: .petition, procedure: nil): [21], CompetenceKey(kind: .dossier, procedure: "P1"): [21]])
        let forwarded = [F.event(0, .open, actor: a, owner: a), F.event(1, .decline, actor: a, owner: b, target: b)]
        #expect(f.run(forwarded, kind: .petition).finding(.jurisdictionRefusal) == nil)
        let transferred = [F.event(0, .open, actor: a, owner: a), F.event(1, .transfer, actor: a, owner: b, target: b)]
        #expect(f.run(transferred, kind: .petition).finding(.jurisdictionRefusal) == nil)
        let ended = [F.event(0, .open, actor: a, owner: a), F.event(1, .decline, actor: a, owner: 0, status: .closed)]
        #expect(f.run(ended, kind: .petition).finding(.jurisdictionRefusal)?.owner == a)
        let dossier = f.run(forwarded, kind: .dossier, procedure: "P1").finding(.jurisdictionRefusal)
        #expect(dossier?.owner == a && dossier?.evidence == [1])
        #expect(f.run(transferred, kind: .dossier, procedure: "P1").finding(.jurisdictionRefusal)?.owner == a)
    }

    /// A dossier received Monday 16:00 (after the 15:00 cut-off) must be forwarded by Tuesday: forwarded
    /// Wednesday → late, the minor finding on whoever held it Tuesday. Received 09:00 and forwarded the same day → fine.
    @Test func lateIntake() throws {
        let f = try F()
        let late = f.run([
            F.event(0, hour: 16, .open, actor: a, owner: a), F.event(2, .transfer, actor: a, owner: b, target: b),
        ])
        #expect(late.finding(.lateIntake) != nil && late.minor?.owner == a && late.minor?.day == F.day(1))
        let fine = f.run([F.event(0, .open, actor: a, owner: a), F.event(0, hour: 11, .transfer, actor: a, owner: b, target: b)])
        #expect(fine.finding(.lateIntake) == nil && fine.minor == nil)
    }

    /// A dossier rule has no extension: any extension is abuse.
    @Test func extensionWithoutRule() throws {
        let o = try F().run([F.event(0, .open, actor: a, owner: a, due: 5), F.event(3, .extension, actor: a, owner: a, due: 12)])
        #expect(o.finding(.extensionAbuse)?.value == 1)
    }

    /// Five cases of one type with 0, 1, 1, 2 and 7 transfers: median 1 → limit max(3, 3) = 3 → only 7 is flagged.
    @Test func transfersAgainstMedian() throws {
        let f = try F()
        var judge = CrossCaseJudge(thresholds: f.context.thresholds, enabled: Set(DetectorID.allCases))
        for (i, n) in [0, 1, 1, 2, 7].enumerated() {
            var events = [F.event(0, .open, actor: a, owner: 1)]
            for k in 0..<n { events.append(F.event(0, hour: 10 + k % 6, .transfer, actor: 0, owner: UInt32(k % 2 == 0 ? 2 : 1))) }
            judge.add(f.run(events, index: i))
        }
        #expect(judge.transferLimit(caseType: 1) == 3)
        #expect(judge.findings().filter { $0.detector == .transfers }.map(\.caseIndex) == [4])
    }

    /// Three minor findings of one official within 90 days → one accumulation finding, on the last of them, counting
    /// three; a fourth 200 days later is alone. Seven within one window are one run: one finding counting seven.
    @Test func accumulationWindow() throws {
        let f = try F()
        var judge = CrossCaseJudge(thresholds: f.context.thresholds, enabled: Set(DetectorID.allCases))
        for (i, d) in [0, 30, 80, 280].enumerated() {
            judge.add(f.run([F.event(d, hour: 16, .open, actor: a, owner: a), F.event(d + 3, .transfer, actor: a, owner: b)], index: i))
        }
        let found = judge.findings().filter { $0.detector == .accumulation }
        #expect(found.map(\.caseIndex) == [2])
        #expect(found.map(\.value) == [3] && found.map(\.limit) == [3])

        var busy = CrossCaseJudge(thresholds: f.context.thresholds, enabled: Set(DetectorID.allCases))
        for (i, d) in [0, 7, 14, 21, 28, 35, 42].enumerated() {
            busy.add(f.run([F.event(d, hour: 16, .open, actor: a, owner: a), F.event(d + 3, .transfer, actor: a, owner: b)], index: i))
        }
        // Seven within 90 days: one run of all seven (each finding counts in one run only).
        #expect(busy.findings().filter { $0.detector == .accumulation }.map(\.caseIndex) == [6])
        #expect(busy.findings().filter { $0.detector == .accumulation }.map(\.value) == [7])
    }

    /// Against a limit of 0 (half of a same-day procedure's allotted time), one idle day is not "over twice the
    /// limit": the limit counts as at least one working day (`SeverityScale`). Two idle days are over 1.5 times it,
    /// three over twice.
    @Test func stallingSeverityAgainstAZeroLimit() throws {
        let f = try F()
        let limits = PeerLimits(thresholds: f.context.thresholds)
        func finding(idle: Int32) -> DetectorFinding? {
            limits.stallingFinding(
                caseIndex: 0,
                candidates: [StallCandidate(idle: idle, step: 1, from: 1, to: 2, owner: a, overShare: true, allotted: 0)])
        }
        #expect(finding(idle: 1)?.limit == 0)
        #expect(finding(idle: 1)?.severity == .low)
        #expect(finding(idle: 2)?.severity == .medium)
        #expect(finding(idle: 3)?.severity == .high)
    }

    /// One scale for every detector (DESIGN.md, fairness): the value against its reference — at least one unit —
    /// above 1.5 is medium, above 2 high; a behaviour repeated in its severe form is one grade up. The example:
    /// idle 8–10 working days against a limit of 5 is no longer graded below one idle day against 0.
    @Test func oneSeverityScale() throws {
        let scale = try F().context.thresholds.severity
        #expect(scale.grade(value: 1, reference: 0) == .low)
        #expect(scale.grade(value: 2, reference: 0) == .medium)
        #expect(scale.grade(value: 3, reference: 0) == .high)
        #expect(scale.grade(value: 7, reference: 5) == .low)
        #expect(scale.grade(value: 8, reference: 5) == .medium)
        #expect(scale.grade(value: 10, reference: 5) == .medium)
        #expect(scale.grade(value: 11, reference: 5) == .high)
        #expect(scale.grade(value: 1, reference: 0, repeated: true) == .medium)
        #expect(scale.grade(value: 2, reference: 0, repeated: true) == .high)
        // Every detector grades by it: a repeat reschedule twice against one allowed is medium, like two returns.
        let o = try F().run([
            F.event(0, .open, actor: a, owner: a, due: 20), F.event(1, .reschedule, actor: a, owner: a, due: 22),
            F.event(2, .reschedule, actor: a, owner: a, due: 24), F.event(3, .transfer, actor: a, owner: b, target: b),
            F.event(4, .transfer, actor: b, owner: a, target: a), F.event(5, .transfer, actor: a, owner: b, target: b),
        ])
        #expect(o.finding(.repeatReschedule)?.severity == .medium && o.finding(.pingPong)?.severity == .medium)
    }
}
