import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Testing

/// The intake outcomes of issue 16 as the detectors see them: a refusal, guidance or duplicate is the letter's intake
/// step (timely is not late, late is), and a duplicate is judged no further than its intake.
@Suite struct IntakeOutcomeDetectorTests {
    typealias F = DetectorFixture
    let a: UInt32 = 11

    /// A complaint received Monday 17 November 2025 has 10 working days to be accepted (complaint.accept.2020): refused
    /// on day 3 it is on time; refused on day 30 it is late, as an acceptance on day 30 would be.
    @Test func aTimelyRefusalIsNotLateALateOneIs() throws {
        let f = try F()
        for role in [ActivityRole.refusal, .guidance, .duplicate] {
            let timely = f.run(
                [F.event(0, .open, actor: a, owner: a, status: .open), F.event(3, role, actor: a, owner: 0, status: .closed)], kind: .complaint)
            #expect(timely.finding(.lateIntake) == nil, "\(role) on day 3")
            let late = f.run(
                [F.event(0, .open, actor: a, owner: a, status: .open), F.event(30, role, actor: a, owner: 0, status: .closed)], kind: .complaint)
            let finding = try #require(late.finding(.lateIntake), "\(role) on day 30")
            #expect(finding.owner == a && finding.evidence == [0, 1])
        }
        let denunciation = f.run(
            [F.event(0, .open, actor: a, owner: a, status: .open), F.event(20, .refusal, actor: a, owner: 0, status: .closed)], kind: .denunciation)
        #expect(denunciation.finding(.lateIntake) != nil, "7 working days to classify a denunciation")
    }

    /// A petition due on day 14 closed as a duplicate on day 30 is not overdue: its matter is judged on the case it
    /// repeats (a petition's one deadline is its answer, so it has no separate intake finding). Answered on day 30
    /// instead, it is overdue. A complaint accepted on day 1 and closed as a duplicate on day 30 raises nothing either.
    @Test func aDuplicateIsNotJudgedBeyondItsIntake() throws {
        let f = try F()
        let duplicate = f.run(
            [F.event(0, .open, actor: a, owner: a, status: .open, due: 14), F.event(30, .duplicate, actor: a, owner: 0, status: .closed)],
            kind: .petition)
        #expect(duplicate.findings.isEmpty, "\(duplicate.findings.map(\.detector))")
        let answered = f.run(
            [F.event(0, .open, actor: a, owner: a, status: .open, due: 14), F.event(30, .resolution, actor: a, owner: a, status: .resolved)],
            kind: .petition)
        #expect(answered.finding(.overdue) != nil)
        let accepted = f.run(
            [
                F.event(0, .open, actor: a, owner: a, status: .open), F.event(1, .acceptance, actor: a, owner: a, due: 10),
                F.event(30, .duplicate, actor: a, owner: 0, status: .closed),
            ], kind: .complaint)
        #expect(accepted.findings.isEmpty, "\(accepted.findings.map(\.detector))")
    }
}

/// A whole withdrawal (rút đơn) as the detectors see it: it ends the case like a closing, so no clock runs after it, and
/// before acceptance it ends the intake step (timely is not late, late is).
@Suite struct WithdrawalDetectorTests {
    typealias F = DetectorFixture
    let a: UInt32 = 11

    @Test func aWithdrawalEndsTheClocksAndTheIntakeStep() throws {
        let f = try F()
        let early = f.run(
            [F.event(0, .open, actor: a, owner: a, status: .open), F.event(3, .withdrawal, actor: a, owner: 0, status: .closed)], kind: .complaint)
        #expect(early.findings.isEmpty, "\(early.findings.map(\.detector))")
        let late = f.run(
            [F.event(0, .open, actor: a, owner: a, status: .open), F.event(30, .withdrawal, actor: a, owner: 0, status: .closed)], kind: .complaint)
        #expect(late.finding(.lateIntake)?.owner == a, "held past the acceptance deadline before the letter was withdrawn")
        let accepted = f.run(
            [
                F.event(0, .open, actor: a, owner: a, status: .open), F.event(1, .acceptance, actor: a, owner: a, due: 10),
                F.event(8, .withdrawal, actor: a, owner: 0, status: .closed),
            ], kind: .complaint)
        #expect(accepted.finding(.overdue) == nil && accepted.finding(.stalling) == nil, "\(accepted.findings.map(\.detector))")
        #expect(ActivityRole(mappingKey: "withdrawal") == .withdrawal)
    }
}

/// A task's draft up for approval and back (issue 17) is review, not a hand-over: no transfer, no ping-pong, no shuttle;
/// the wait while it is with the approver is the approver's.
@Suite struct ApprovalTripDetectorTests {
    typealias F = DetectorFixture
    let drafter: UInt32 = 11
    let approver: UInt32 = 12

    @Test func aReturnedDraftIsNeitherATransferNorAPingPong() throws {
        let f = try F()
        let events = [
            F.event(0, .open, actor: 13, owner: drafter, status: .open, due: 60), F.event(1, .acceptance, actor: drafter, owner: drafter),
            F.event(5, .submission, actor: drafter, owner: approver), F.event(7, .revision, actor: approver, owner: drafter),
            F.event(9, .submission, actor: drafter, owner: approver), F.event(10, .revision, actor: approver, owner: drafter),
            F.event(12, .submission, actor: drafter, owner: approver), F.event(13, .resolution, actor: approver, owner: approver, status: .resolved),
        ]
        let outcome = f.run(events, kind: .task)
        // The approver ends it holding it: one move from drafter to approver, as a signer's decision on a dossier is.
        #expect(outcome.transfers == 1 && outcome.pingPongs == 0, "\(outcome.findings.map(\.detector))")
        #expect(outcome.findings.allSatisfy { ![.pingPong, .shuttle, .upwardPush, .transfers].contains($0.detector) })
        // The same moves as hand-overs are a ping-pong.
        let handed = events.map { e -> CaseEvent in
            var e = e
            if e.role.isApprovalTrip { e.role = .transfer }
            return e
        }
        #expect(f.run(handed, kind: .task).pingPongs > 0)
    }
}
