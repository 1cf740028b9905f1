import BuckStopCalendar
import BuckStopDefaults
import BuckStopDetectors
import BuckStopDomain
import Testing

/// A ward chair's reception book across 1 July 2026, worked by hand against the default rulebook: one day a week with
/// delegation tolerated until 30 June, then two days a month and no delegation (Luật 136/2025/QH15).
@Suite struct ReceptionDetectorTests {
    static let head: UInt32 = 1
    static let deputy: UInt32 = 2

    static func date(_ m: Int, _ d: Int) -> CivilDate { CivilDate(year: 2026, month: m, day: d)! }

    /// An event on a day of 2026, at 16:00 local.
    static func event(_ date: CivilDate, _ role: ActivityRole, receiver: UInt32 = head, status: TraceStatus = .processing) -> CaseEvent {
        let d = WorkingDayIndex.day(date)
        let ms = (Int64(d) * 86_400 + 16 * 3600 - 7 * 3600) * 1000
        let owner: UInt32 = status == .closed ? 0 : head
        return CaseEvent(
            time: ms, day: d, activity: UInt32(200 + Int(role.rawValue)), role: role, actor: receiver, owner: owner, status: status,
            due: role == .reception ? d : CaseEvent.noDay, target: role == .reception ? receiver : 0)
    }

    /// Opened on Monday 1 June 2026; weeks of June: one session each but the third (15–21 June); a deputy on 10 June
    /// (allowed then); in July the head on the 8th and a deputy on the 22nd (not allowed any more).
    static func book(july: [(CivilDate, UInt32)] = [(date(7, 8), head), (date(7, 22), deputy)], closing: CivilDate? = nil) -> [CaseEvent] {
        var events = [event(date(6, 1), .open, status: .open)]
        events += [event(date(6, 3), .reception), event(date(6, 10), .reception, receiver: deputy), event(date(6, 24), .reception)]
        events += july.map { event($0.0, .reception, receiver: $0.1) }
        if let closing { events.append(event(closing, .closing, status: .closed)) }
        return events
    }

    func run(_ events: [CaseEvent], asOf: CivilDate, kind: CaseKind? = .reception, procedure: String? = "commune_chair") throws -> CaseOutcome {
        let fixture = try DetectorFixture(asOf: asOf)
        return fixture.run(events, kind: kind, procedure: procedure)
    }

    @Test func aSkippedWeekBeforeAndADelegatedSessionAfterTheChange() throws {
        let outcome = try run(Self.book(), asOf: Self.date(8, 3))
        #expect(outcome.findings.map(\.detector).sorted { $0.rawValue < $1.rawValue } == [.receptionDelegated, .receptionSkipped])
        let skipped = try #require(outcome.finding(.receptionSkipped))
        // Weeks 1–7, 8–14, 22–28 June held; 15–21 June not; the week of 29 June straddles the change and is judged by
        // neither row; July has its two days (one by the deputy, which is delegated's, not skipped's).
        #expect(skipped.owner == Self.head && skipped.value == 1 && skipped.limit == 1)
        #expect(skipped.day == WorkingDayIndex.day(Self.date(6, 21)))
        let delegated = try #require(outcome.finding(.receptionDelegated))
        #expect(delegated.owner == Self.head && delegated.value == 1 && delegated.evidence == [5], "the 10 June deputy was allowed")
    }

    @Test func julyWithOneDayIsShortByOneUnderTheMonthlyRule() throws {
        let outcome = try run(Self.book(july: [(Self.date(7, 8), Self.head)]), asOf: Self.date(8, 3))
        let skipped = try #require(outcome.finding(.receptionSkipped))
        #expect(skipped.value == 2 && skipped.limit == 3, "one week of June (1 of 1) and July (1 of 2)")
        #expect(outcome.finding(.receptionDelegated) == nil)
        // Two sessions on one day are one day.
        let sameDay = try run(Self.book(july: [(Self.date(7, 8), Self.head), (Self.date(7, 8), Self.head)]), asOf: Self.date(8, 3))
        #expect(sameDay.finding(.receptionSkipped)?.value == 2)
    }

    @Test func aPeriodIsJudgedOnlyOnceItIsOver() throws {
        // On 31 July, July is not over (its last working day is the 31st): only June's week counts.
        let open = try run(Self.book(july: []), asOf: Self.date(7, 31))
        #expect(open.finding(.receptionSkipped)?.value == 1)
        // Closed on Friday 31 July, the book answers for July.
        let closed = try run(Self.book(july: [], closing: Self.date(7, 31)), asOf: Self.date(7, 31))
        #expect(closed.finding(.receptionSkipped)?.value == 3)
    }

    @Test func noRowNoJudgementAndOnlyBooksAreRead() throws {
        // A level the rulebook does not know judges nothing; a book's idle weeks are no stalling, its sessions no rework.
        let unknown = try run(Self.book(july: []), asOf: Self.date(9, 30), procedure: "nobody")
        #expect(unknown.findings.isEmpty)
        let book = try run(Self.book(july: []), asOf: Self.date(9, 30))
        #expect(Set(book.findings.map(\.detector)) == [.receptionSkipped])
        // Without a kind, the procedure naming a level makes it a book.
        #expect(try run(Self.book(july: []), asOf: Self.date(9, 30), kind: nil).finding(.receptionSkipped)?.value == 5, "June 1 + July 2 + August 2")
    }

    @Test func aProvincialChairMayDelegateUntilJuneNotFromJuly() throws {
        let events = [
            Self.event(Self.date(5, 4), .open, status: .open), Self.event(Self.date(5, 15), .reception, receiver: Self.deputy),
            Self.event(Self.date(6, 12), .reception), Self.event(Self.date(7, 10), .reception, receiver: Self.deputy),
        ]
        let outcome = try run(events, asOf: Self.date(8, 28), procedure: "provincial_chair")
        #expect(outcome.finding(.receptionDelegated)?.value == 1)
        #expect(outcome.finding(.receptionSkipped) == nil, "May counts though 1 May is a holiday; on 28 August, August is not over")
        #expect(try run(events, asOf: Self.date(9, 1), procedure: "provincial_chair").finding(.receptionSkipped)?.value == 1)
    }
}
