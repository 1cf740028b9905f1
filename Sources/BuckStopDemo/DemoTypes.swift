import BuckStopCalendar
import BuckStopDomain

/// What to generate. Same seed and same inputs ⇒ the same history, byte for byte.
public struct DemoConfiguration: Sendable {
    public var seed: UInt64
    public var caseCount: Int
    /// The history runs from 18 months before `end` to `end` (inclusive); later steps of cases still in progress are cut off.
    public var end: CivilDate
    /// Procedures (for dossiers), deadline rules and detector thresholds.
    public var rulebook: Rulebook
    public var calendar: WorkingCalendar
    /// For logs generated in chunks (`buckstop synth`): chunk 0 is exactly the history `generate` gives without
    /// chunking; chunk k > 0 has the same city and organisation (they depend on `seed` alone) but its cases draw
    /// from streams derived from (seed, k), and their codes end in `/k` so they stay unique across chunks.
    /// Labels are exact per chunk: `transfers` (median per kind) and `accumulation` (per official, rolling window)
    /// are computed over the chunk's cases only.
    public var chunkIndex: Int
    /// The holiday decision rows `calendar` was built from (`WorkingCalendar(decisions:)`), for the ground truth's own
    /// working-day count (`DemoWorkingDays`); nil when they are not at hand, and the count then reads each day's
    /// status from `calendar.isWorkingDay`.
    public var holidays: [CalendarDay]?
    /// The log stands for a system without BuckStop's competence check (`buckstop synth`): some complaints and
    /// denunciations are decided by the Chánh Thanh tra, who advises but may not decide (labelled `wrong_level`). A
    /// ledger refuses those decisions, so the seeded demo leaves this off.
    public var uncheckedDecisions: Bool

    public init(
        seed: UInt64 = 2025, caseCount: Int = 5000, end: CivilDate, rulebook: Rulebook, calendar: WorkingCalendar, chunkIndex: Int = 0,
        holidays: [CalendarDay]? = nil, uncheckedDecisions: Bool = false
    ) {
        self.uncheckedDecisions = uncheckedDecisions
        self.seed = seed
        self.caseCount = caseCount
        self.end = end
        self.rulebook = rulebook
        self.calendar = calendar
        self.chunkIndex = chunkIndex
        self.holidays = holidays
    }

    /// The ground truth's working days over the generated history (18 months before `end`) and the due dates after
    /// it: `holidays` when given, else the calendar's day-by-day answer.
    public var groundTruthDays: DemoWorkingDays {
        let years = (end.year - 3)...(end.year + 3)
        if let holidays { return DemoWorkingDays(decisions: holidays, years: years) }
        let calendar = self.calendar
        return DemoWorkingDays(years: years) { calendar.isWorkingDay($0) }
    }
}

/// A citizen, business representative, complainant or denouncer. Personal data: the store keeps it
/// off the ledger (sealed, erasable); `OpenCase.subject` is left nil for the store to fill in.
public struct DemoApplicant: Sendable, Hashable {
    public let fullName: String
    /// 12-digit citizen identity number (CCCD).
    public let idNumber: String
    public let address: String
    public let phone: String

    public init(fullName: String, idNumber: String, address: String, phone: String) {
        self.fullName = fullName
        self.idNumber = idNumber
        self.address = address
        self.phone = phone
    }
}

/// One generated case: its opening, every later action, and the ground truth.
public struct DemoCase: Sendable {
    /// `owner` is the first holder; `dueDate` and `ruleID` come from the rulebook in force on the day of receipt.
    public let open: OpenCase
    /// Mã hồ sơ: receiving unit's code, receipt day (Vietnam time), that unit's daily sequence from 1.
    public let code: CaseID
    public let openedBy: Actor
    /// Milliseconds since the epoch, UTC; office hours in Vietnam time on a working day.
    public let openedAt: Int64
    /// For dossiers, complaints, denunciations (the denouncer) and petitions; nil for tasks.
    public let applicant: DemoApplicant?
    /// Every later action, in time order; each is accepted by `CaseState.apply`.
    public let actions: [Action]
    /// Ground-truth behaviour ids (`DemoBehaviour.rawValue`); empty = the work was done well.
    public let labels: Set<String>
    /// The same behaviours as verdicts — whom docs/FINDINGS.md names for each and the value it measures — one per
    /// label, in the order of `DemoBehaviour.allCases`. A detector is right about a case only when it names the same
    /// one with the same value.
    public let truth: [DemoVerdict]

    /// `truth` as the compact text of the synthetic log's `buckstop:truth` (`DemoVerdict.text(_:)`); nil when none.
    public var truthText: String? { truth.isEmpty ? nil : DemoVerdict.text(truth) }

    /// The opening as a ledger action.
    public var openAction: Action { Action(caseID: code, actor: openedBy, at: openedAt, body: .open(open), via: DemoGenerator.credential) }
}

public struct DemoHistory: Sendable {
    public let organization: Organization
    /// In order of opening.
    public let cases: [DemoCase]

    public init(organization: Organization, cases: [DemoCase]) {
        self.organization = organization
        self.cases = cases
    }

    /// Every opening and action of every case, merged in time order (stable), as the store will append them.
    /// Ties keep case order, and a case's opening always precedes its own actions.
    public func timeline() -> [DemoEvent] {
        var keyed: [(at: Int64, order: Int, event: DemoEvent)] = []
        keyed.reserveCapacity(cases.reduce(0) { $0 + 1 + $1.actions.count })
        for demoCase in cases {
            keyed.append((demoCase.openedAt, keyed.count, .open(demoCase)))
            for action in demoCase.actions { keyed.append((action.at, keyed.count, .action(action))) }
        }
        keyed.sort { $0.at != $1.at ? $0.at < $1.at : $0.order < $1.order }
        return keyed.map(\.event)
    }
}

public enum DemoEvent: Sendable {
    case open(DemoCase)
    case action(Action)

    /// The ledger action of this event (the opening action for `.open`).
    public var action: Action {
        switch self {
        case .open(let demoCase): demoCase.openAction
        case .action(let action): action
        }
    }

    public var at: Int64 {
        switch self {
        case .open(let demoCase): demoCase.openedAt
        case .action(let action): action.at
        }
    }
}

/// Whom a verdict holds responsible: an official, or — for `consultation_rounds` flagged only because a consulted
/// unit answered late — that unit (docs/FINDINGS.md names the unit, and `analyze` reports its id as the owner).
public enum DemoResponsible: Sendable, Hashable {
    case official(OfficialID)
    case unit(UnitID)

    /// The id as a log and a finding write it.
    public var id: String {
        switch self {
        case .official(let o): o.rawValue
        case .unit(let u): u.rawValue
        }
    }
}

/// One ground-truth behaviour of a case with who is responsible for it and the measured value, both decided by the
/// written rules of docs/FINDINGS.md (its attribution table and the ping_pong and jurisdiction_refusal paragraphs),
/// computed by `GroundTruth` without the detectors' code. Values are whole numbers in the unit FINDINGS.md gives
/// the detector (times, rounds, working days or calendar days).
public struct DemoVerdict: Sendable, Hashable {
    public let behaviour: DemoBehaviour
    public let responsible: DemoResponsible
    public let value: Int

    public init(behaviour: DemoBehaviour, responsible: DemoResponsible, value: Int) {
        self.behaviour = behaviour
        self.responsible = responsible
        self.value = value
    }

    /// `behaviour=responsible:value`, verdicts joined by `;` in the order given (`stalling=O123:7;overdue=O55:3`).
    /// Ids never hold `;`, `=` or `:` (official and unit ids are letters, digits and `-_.`), so the text splits back
    /// unambiguously; a replicated log's `@k` suffix keeps that true.
    public static func text(_ verdicts: [DemoVerdict]) -> String {
        verdicts.map { "\($0.behaviour.rawValue)=\($0.responsible.id):\($0.value)" }.joined(separator: ";")
    }
}

/// The behaviour ids the demo labels, with the exact ground-truth definition used.
///
/// Notation: `H` is the owner sequence (the accountable official after the opening and after each action,
/// consecutive repeats collapsed), `Hu` the same with each official replaced by their unit; a *move* is
/// an action that changes the owner. Dates are Vietnam-local (UTC+7); `wd(a, b)` counts working days in
/// (a, b]. `asOf` is the configuration's `end`. Thresholds and limits come from the rulebook (the default rulebook's values
/// in brackets; a limit is the row in force on the opening day).
public enum DemoBehaviour: String, Sendable, CaseIterable {
    /// `|H| − 1 > max(transfers.min [3], transfers.medianFactor [3] × median of |H| − 1 over the cases of the same kind)`.
    case transfers
    /// `H` or `Hu` visits some owner twice (direct A→B→A, or indirect after ≥ 2 others).
    case pingPong = "ping_pong"
    /// An `escalate` to T whose next move is a `delegate` or downward `assign` by T with no `decide` in between
    /// ("returned down undecided"; named: T); or, on a task, an `assign` or `transfer` by its holder to someone of higher
    /// authority (pushed up without a proposal; named: the holder). Value: how many of both; named: whoever did the
    /// first (by position). The catalogue's third reading is not generated.
    case upwardPush = "upward_push"
    /// At least `shuttle.roundTrips` [2] escalations whose next move is a delegation back down.
    case shuttle
    /// At least `consultation.rounds` [2] `consult` actions, or a consulted unit's first `opinion` dated after
    /// the consultation's due date (or none by the close / `asOf` when that is past it).
    case consultationRounds = "consultation_rounds"
    /// The owner idle for more than `stalling.idleWorkingDays` [5] working days, or more than
    /// `stalling.allottedShare` [0.5] × wd(opening day, original due date) — for a case whose clock starts on acceptance,
    /// wd(acceptance day, the due date it set), applied to idle spans after it. Idle = working days between
    /// consecutive owner events (the opening, any action by the owner, any move), and from the last one to
    /// `asOf` while open; time awaiting the applicant's supplements does not count.
    case stalling
    /// Finished (first `resolve`, else the closing) after the due date, or open on `asOf` past it (unless awaiting
    /// the applicant's supplements, which stops the clock). The due date
    /// is the opening's — for complaints and denunciations, whose clock starts on acceptance (thụ lý), the one the first
    /// `accept` carries; none before it — replaced by `supplementReceived`'s new date and by extensions up to the rulebook's
    /// `maxCount`; an apology (`reschedule`) does not move it — the case is still late (NĐ 61/2018 Đ.19.9).
    case overdue
    /// Among tasks in force (neither resolved nor closed) at the end: a later task with the same folded product and lead
    /// unit as an earlier one, or the same folded title under another lead unit; value = how many share it.
    case overlap
    /// A concluded self-inspection (level `self-inspection`) with no violation recorded for some unit U it inspects and
    /// field F it covers, where a concluded external inspection (level `inspection`) whose period shares a day with its
    /// period recorded a violation of U in F; the head who signed the self-inspection's conclusion is responsible;
    /// value = how many such outside violations.
    case selfInspectionMiss = "self_inspection_miss"
    /// `overdue` and no `reschedule` dated at least `apology.minDaysBeforeDue` [1] day before that due date.
    case noApology = "no_apology"
    /// More than `reschedule.max` [1] `reschedule` actions.
    case repeatReschedule = "repeat_reschedule"
    /// More than `supplement.max` [1] `requestSupplement` actions.
    case repeatSupplement = "repeat_supplement"
    /// A `decline` by an official whose agency (the unit, or the sở above a phòng) holds the mandate — for a mandate
    /// over the kind only (petitions to the Văn phòng), one that ends the case rather than forwarding it inside the
    /// organisation; or a `transfer` from an agency competent for the procedure to one that is not; or a
    /// transfer/decline to another agency whose next move sends the case straight back to the sender's agency.
    case jurisdictionRefusal = "jurisdiction_refusal"
    /// Dossier: first move after `intake.cutoffHour` [15:00]-adjusted same-day deadline; complaint: first `accept`
    /// after the accept rule; denunciation: first `accept` after the classify rule (each: or still missing on `asOf`
    /// past the deadline). A petition has one clock, its answer, judged as `overdue`.
    case lateIntake = "late_intake"
    /// More `extend` actions than the extension rule's `maxCount` (0 without a rule), or one longer than the rule.
    case extensionAbuse = "extension_abuse"
    /// More than one `decide` or more than one `resolve`.
    case rework
    /// One per run of an official's minor findings: a dossier with `late_intake` is a minor finding, attributed to the
    /// owner on the forwarding deadline day and dated that day; runs of at least `accumulation.minorFindings` [3] of
    /// them spanning at most `accumulation.windowDays` [90] days, earliest first, each finding in one run; the case
    /// labelled is the run's last (by day, then case order). (Official level only.)
    case accumulation
    /// A denunciation held after a move (receiving the letter is not handling it) or decided by the official it accuses
    /// (`OpenCase.concerning`) or by someone under them (`Organization.isSubordinate`); a complaint decided by the
    /// official whose act it is about, unless that official heads (or deputises) the deciding body — the law gives the
    /// author of a decision the first complaint against it. Named: the first such official; value: those holds and
    /// decisions.
    case conflictOfInterest = "conflict_of_interest"
    /// A complaint or denunciation with a deciding body (`OpenCase.decidingBody`) decided by someone who neither heads
    /// it nor is one of its deputies. Named: the first such decider; value: those decisions. Only in logs generated with
    /// `DemoConfiguration.uncheckedDecisions` (the domain refuses such a decision).
    case wrongLevel = "wrong_level"

    /// Behaviours a generated ledger can show; `wrongLevel` needs `uncheckedDecisions`.
    public var inCheckedLedger: Bool { self != .wrongLevel }
    /// In a reception book (its level is its procedure, its holder the head): each week or month of the level's
    /// `receptionSchedules:` row in force on every day of it, whose working days all lie between the book's opening
    /// day and its closing day (for an open book, the day before `asOf`), with fewer distinct days of periodic
    /// sessions (by anyone) than min(the row's days, the period's working days). Value: the days missing, summed;
    /// named: the head.
    case receptionSkipped = "reception_skipped"
    /// In a reception book: periodic sessions received by someone other than the head on a day the row in force
    /// does not allow delegation. Value: how many; named: the head.
    case receptionDelegated = "reception_delegated"
}
