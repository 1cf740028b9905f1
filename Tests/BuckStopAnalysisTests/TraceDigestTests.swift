import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Foundation
import Testing

@testable import BuckStopAnalysis

/// A traced case's digest worked by hand (the rules of a ledger case's digest, read from a log's events):
///
///   0 20/11 09:00 open        owner 1, due 25/11
///   1 21/11 09:00 extension   owner 1, new due 30/11 → the due date in force
///   2 22/11 09:00 transfer    owner 2              → 1 held it 20/11 → 22/11
///   3 23/11 09:00 resolution  status resolved      → settled, 2's spell ends
///   4 24/11 09:00 reopen      owner 3, processing  → unsettled; 3 holds it from 24/11
///   5 02/12 09:00 closing     status closed        → settled 02/12, after the due date: late
struct TraceDigestTests {
    static let t0: Int64 = 1_763_604_000_000  // 2025-11-20 09:00 in Vietnam (02:00 UTC)
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 24 * hour

    static func localDay(_ d: CivilDate) -> Int32 { Int32(d.julianDayNumber - 2_440_588) }

    static func event(_ n: Int64, _ role: ActivityRole, owner: UInt32, status: TraceStatus, due: CivilDate? = nil) -> CaseEvent {
        let time = t0 + n * day
        return CaseEvent(
            time: time, day: Int32((time + 7 * hour) / day), activity: UInt32(10 + n), role: role, actor: owner, owner: owner, status: status,
            due: due.map(localDay) ?? CaseEvent.noDay)
    }

    @Test func dueDateSettlementReopeningAndHolders() throws {
        let trace = CaseTrace(
            index: 4, name: 1, caseType: 0, kind: .dossier, procedure: "LLTP-CAPPHIEU",
            events: [
                Self.event(0, .open, owner: 1, status: .open, due: CivilDate(year: 2025, month: 11, day: 25)),
                Self.event(1, .extension, owner: 1, status: .processing, due: CivilDate(year: 2025, month: 11, day: 30)),
                Self.event(2, .transfer, owner: 2, status: .processing),
                Self.event(3, .resolution, owner: 2, status: .resolved),
                Self.event(4, .reopen, owner: 3, status: .processing),
                Self.event(12, .closing, owner: 0, status: .closed),
            ])
        let d = try #require(TraceDigest(trace, leadUnit: "stp"))
        #expect(d.caseIndex == 4 && d.kind == .dossier && d.leadUnit == "stp" && d.opened == Self.t0)
        #expect(d.due == CivilDate(year: 2025, month: 11, day: 30), "the extension's date is the one in force")
        #expect(d.settled == Self.t0 + 12 * Self.day && d.settledOnTime == false, "reopened, then closed on 02/12 past 30/11")
        #expect(d.holds.map(\.owner) == [1, 2, 3])
        #expect(d.holds.map(\.since) == [Self.t0, Self.t0 + 2 * Self.day, Self.t0 + 4 * Self.day])
        #expect(d.holds.map(\.until) == [Self.t0 + 2 * Self.day, Self.t0 + 3 * Self.day, Self.t0 + 12 * Self.day])
        #expect(d.activities == [10, 11, 12, 13, 14, 22] && d.times.count == 6)
    }

    @Test func anOpenCaseIsUnsettledAndATraceWithoutEventsHasNoDigest() throws {
        let open = CaseTrace(
            index: 0, name: 1, caseType: 0, kind: nil, procedure: nil,
            events: [Self.event(0, .open, owner: 5, status: .open), Self.event(1, .assignment, owner: 6, status: .processing)])
        let d = try #require(TraceDigest(open, leadUnit: nil))
        #expect(d.settled == nil && d.settledOnTime == nil && d.due == nil)
        #expect(d.holds.map(\.owner) == [5, 6] && d.holds[1].until == nil)
        #expect(TraceDigest(CaseTrace(index: 1, name: 2, caseType: 0, kind: nil, procedure: nil, events: []), leadUnit: nil) == nil)
    }
}
