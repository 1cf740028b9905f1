import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import Foundation

/// What a period report needs of one case of an imported log (`buckstop report --log`), read from its events as the
/// analyser resolved them: when it came in, the due date in force, when it was settled and whether by that date, who
/// held it for how long, and the activity of each event (the step a finding's evidence is). The same rules as a
/// ledger case's digest (`CaseDigest` in BuckStopReport), read from what a log can say: the due date moves on an
/// acceptance, a supplement received, a resumption, an extension or a reschedule that carries one; the case is settled
/// when its status first becomes resolved or closed, and unsettled again when a later event reopens it.
public struct TraceDigest: Sendable, Equatable {
    public struct Hold: Sendable, Equatable {
        /// The owner value (registry id of the analysis).
        public var owner: UInt32
        public var since: Int64
        public var until: Int64?
    }

    public var caseIndex: Int
    public var kind: CaseKind?
    public var procedure: String?
    /// The lead unit attribute's value, when the mapping names one.
    public var leadUnit: String?
    public var opened: Int64
    public var due: CivilDate?
    public var settled: Int64?
    public var settledOnTime: Bool?
    public var holds: [Hold]
    /// An apology with a new date (a reschedule) was sent; supplement requests sent.
    public var apologised = false
    public var supplementRequests = 0
    /// The activity (string-table id) and time of each event, in the case's time order: the step and the moment a
    /// finding's evidence is (twelve bytes an event). Empty when the digest was made without them and the case turned
    /// out to have no finding and to be no candidate for one (`keepEvents(of:)`): most cases of a national log.
    public var activities: [UInt32]
    public var times: [Int64]

    /// nil for a trace without events. `events: false` leaves `activities` and `times` empty, for `keepEvents(of:)`.
    public init?(_ trace: CaseTrace, leadUnit: String?, events: Bool = true) {
        guard let first = trace.events.first else { return nil }
        caseIndex = trace.index
        kind = trace.kind
        procedure = trace.procedure
        self.leadUnit = leadUnit
        opened = first.time
        due = Self.date(first.due)
        settled = nil
        settledOnTime = nil
        holds = first.owner == 0 ? [] : [Hold(owner: first.owner, since: first.time, until: nil)]
        activities = []
        times = []
        if events { keepEvents(of: trace) }
        var wasSettled = Self.settles(first.status)
        if wasSettled { settle(at: first.time) }
        for e in trace.events.dropFirst() {
            switch e.role {
            case .acceptance, .supplementReceived, .resumption, .extension, .reschedule:
                if let d = Self.date(e.due) { due = d }
            default: break
            }
            if e.role == .reschedule { apologised = true }
            if e.role == .supplementRequest { supplementRequests += 1 }
            let nowSettled = Self.settles(e.status)
            if nowSettled && !wasSettled {
                if settled == nil { settle(at: e.time) }
            } else if !nowSettled && wasSettled {
                settled = nil  // reopened
                settledOnTime = nil
            }
            wasSettled = nowSettled
            if e.status == .closed || nowSettled && holds.last?.until != nil { continue }
            if e.owner != 0 && (holds.last.map { $0.until != nil || $0.owner != e.owner } ?? true) {
                if let last = holds.indices.last, holds[last].until == nil { holds[last].until = e.time }
                holds.append(Hold(owner: e.owner, since: e.time, until: nil))
            }
        }
    }

    /// The activity and time of each of the trace's events, for the findings on it.
    public mutating func keepEvents(of trace: CaseTrace) {
        activities = trace.events.map(\.activity)
        times = trace.events.map(\.time)
    }

    private static func settles(_ status: TraceStatus) -> Bool { status == .resolved || status == .closed }

    /// The settlement ends the holder's spell, as on the ledger.
    private mutating func settle(at time: Int64) {
        settled = time
        settledOnTime = due.map { CivilDate(Date(timeIntervalSince1970: Double(time) / 1000)) <= $0 }
        if let last = holds.indices.last, holds[last].until == nil { holds[last].until = time }
    }

    /// A local day of the analysis (days since 1970-01-01) as a date; nil for `CaseEvent.noDay`.
    static func date(_ day: Int32) -> CivilDate? {
        day == CaseEvent.noDay ? nil : CivilDate(year: 1970, month: 1, day: 1)?.adding(days: Int(day))
    }
}
