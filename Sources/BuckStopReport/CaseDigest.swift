import BuckStopCalendar
import BuckStopDomain
import Foundation

/// What a period report needs of one case, read once from its entries in order: when it came in, the due date in
/// force, when it was settled and whether by that date, who held it for how long, the good deeds on it, and the step
/// (action) behind each ledger index a finding cites. Pure: the ledger scan and the tests build it the same way.
public struct CaseDigest: Sendable, Equatable {
    /// One official's spell as the case's accountable holder; `until` nil while they still hold it.
    public struct Hold: Sendable, Equatable {
        public var official: OfficialID
        public var since: Int64
        public var until: Int64?

        public init(official: OfficialID, since: Int64, until: Int64?) {
            self.official = official
            self.since = since
            self.until = until
        }
    }

    public var code: CaseID
    public var kind: CaseKind
    public var procedure: String?
    public var leadUnit: UnitID
    public var opened: Int64
    /// The due date in force: the opening's, moved by each accept, supplement, resume, extension or reschedule.
    public var due: CivilDate?
    /// The first result (resolve) or the end of the handling (close, refusal, guidance, duplicate, withdrawal,
    /// cancellation) — cleared again by a reopening.
    public var settled: Int64?
    /// Whether the day of settlement was no later than the due date in force then; nil when unsettled or undated.
    public var settledOnTime: Bool?
    public var holds: [Hold]
    public var deeds: [(official: OfficialID, deed: GoodDeed)]
    /// A proposal's decision (approve or not) and its time.
    public var proposalDecision: (approved: Bool, at: Int64)?
    /// When the case was acted on under an approved proposal.
    public var actedUnderProposal: [Int64]
    /// The action type at each ledger index asked for (the first evidence index of the case's findings).
    public var steps: [Int64: ActionType]
    /// Citizens' ratings (1–5) with their times; none from a log.
    public var ratings: [(score: Int, at: Int64)] = []
    /// Whether the applicant was sent an apology with a new date (xin lỗi, hẹn lại) — what QĐ 766 asks of a late dossier.
    public var apologised = false
    /// Supplement requests sent to the applicant.
    public var supplementRequests = 0

    public static func == (a: CaseDigest, b: CaseDigest) -> Bool {
        a.code == b.code && a.kind == b.kind && a.procedure == b.procedure && a.leadUnit == b.leadUnit && a.opened == b.opened
            && a.due == b.due && a.settled == b.settled && a.settledOnTime == b.settledOnTime && a.holds == b.holds
            && a.deeds.map(\.official) == b.deeds.map(\.official) && a.deeds.map(\.deed) == b.deeds.map(\.deed)
            && a.proposalDecision?.approved == b.proposalDecision?.approved && a.proposalDecision?.at == b.proposalDecision?.at
            && a.actedUnderProposal == b.actedUnderProposal && a.steps == b.steps && a.ratings.map(\.score) == b.ratings.map(\.score)
            && a.ratings.map(\.at) == b.ratings.map(\.at) && a.apologised == b.apologised && a.supplementRequests == b.supplementRequests
    }

    /// A digest from what an imported log says (`LogReport`): no good deeds or proposals, which a log does not carry.
    public init(
        code: CaseID, kind: CaseKind, procedure: String?, leadUnit: UnitID, opened: Int64, due: CivilDate?, settled: Int64?,
        settledOnTime: Bool?, holds: [Hold], steps: [Int64: ActionType], apologised: Bool = false, supplementRequests: Int = 0
    ) {
        self.code = code
        self.kind = kind
        self.procedure = procedure
        self.leadUnit = leadUnit
        self.opened = opened
        self.due = due
        self.settled = settled
        self.settledOnTime = settledOnTime
        self.holds = holds
        self.deeds = []
        self.proposalDecision = nil
        self.actedUnderProposal = []
        self.steps = steps
        self.apologised = apologised
        self.supplementRequests = supplementRequests
    }

    /// The digest of a case from its entries (the first must be its opening; nil otherwise). `steps` names the ledger
    /// indices whose action type is wanted. Who holds the case and whether it is settled after each step come from
    /// replaying the domain (`CaseState.apply`), as `buckstop export` does for its owner and status attributes — so a
    /// report over the ledger and one over its export count alike. When today's organisation refuses a replayed step
    /// (an official retired since), the actions themselves are followed, as the export and the analyser do.
    public init?(_ records: [(index: Int64, action: Action)], steps wanted: Set<Int64> = [], organization org: Organization) {
        guard let first = records.first, case .open(let open) = first.action.body else { return nil }
        code = first.action.caseID
        kind = open.kind
        procedure = open.procedure
        leadUnit = open.leadUnit
        opened = first.action.at
        due = open.dueDate
        settled = nil
        settledOnTime = nil
        holds = [Hold(official: open.owner, since: first.action.at, until: nil)]
        deeds = GoodDeed.deeds(in: records)
        proposalDecision = nil
        actedUnderProposal = []
        steps = [:]
        if wanted.contains(first.index) { steps[first.index] = .open }
        var state = try? CaseState(opening: first.action, in: org)
        var owner: OfficialID? = open.owner
        var wasSettled = false
        for (index, action) in records.dropFirst() {
            let body = action.body
            if wanted.contains(index) { steps[index] = body.type }
            switch body {
            case .decideProposal(let approve, _): proposalDecision = (approve, action.at)
            case .actUnderProposal: actedUnderProposal.append(action.at)
            case .rate(let score, _): ratings.append((score, action.at))
            case .reschedule: apologised = true
            case .requestSupplement: supplementRequests += 1
            default: break
            }
            guard !body.isRecordKeeping else { continue }
            switch body {
            case .accept(_, let d?), .supplementReceived(_, let d?), .resume(_, let d?): due = d
            case .extend(let d, _), .reschedule(let d, _): due = d
            default: break
            }
            var nowSettled = wasSettled
            if var replayed = state, (try? replayed.apply(action, in: org)) != nil {
                state = replayed
                owner = replayed.owner
                nowSettled = replayed.status == .resolved || replayed.status == .closed
            } else {
                state = nil  // replay lost: follow the actions, as the analyser reads an export's roles
                if body.endsCase {
                    owner = nil
                    nowSettled = true
                } else {
                    owner = body.newOwner ?? owner
                    if case .resolve = body { nowSettled = true }
                    if case .reopen = body { nowSettled = false }
                }
            }
            if nowSettled && !wasSettled {
                if settled == nil { settle(at: action.at) }
            } else if !nowSettled && wasSettled {
                settled = nil
                settledOnTime = nil
            }
            wasSettled = nowSettled
            guard let holder = owner, !(nowSettled && holds[holds.count - 1].until != nil) else { continue }
            let last = holds.count - 1
            if holds[last].until != nil || holds[last].official != holder {
                if holds[last].until == nil { holds[last].until = action.at }
                holds.append(Hold(official: holder, since: action.at, until: nil))
            }
        }
    }

    /// The settlement also ends the holder's spell: who held the case, for how long, is counted to its result.
    private mutating func settle(at time: Int64) {
        settled = time
        settledOnTime = due.map { Self.day(time) <= $0 }
        if holds[holds.count - 1].until == nil { holds[holds.count - 1].until = time }
    }

    static func day(_ millis: Int64) -> CivilDate { CivilDate(Date(timeIntervalSince1970: Double(millis) / 1000)) }
}
