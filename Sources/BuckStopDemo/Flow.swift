import BuckStopCalendar
import BuckStopDomain

/// One step of a case's plan: what happens, who does it, and how many working days after the previous step.
struct PlanStep {
    enum Kind {
        case assign(to: OfficialID, note: String)
        case accept(String)
        case transfer(to: OfficialID, reason: String)
        case escalate(to: OfficialID, proposal: String)
        case delegate(to: OfficialID, instruction: String)
        /// The consulted units answer by `dueIn` working days after the consultation.
        case consult(units: [UnitID], question: String, dueIn: Int)
        case opinion(unit: UnitID, by: OfficialID, text: String)
        case comment(String)
        case requestSupplement([String])
        case supplementReceived(String)
        /// New date = current due date + `addDays` working days.
        case reschedule(addDays: Int, apology: String)
        /// New date = the extension rule applied to the current due date, plus `extraDays` calendar days.
        case extend(legalBasis: String, extraDays: Int)
        case decline(competentUnit: String, legalBasis: String, reason: String)
        case decide(String, String)
        case resolve(String)
        case close(String)
        case reopen(to: OfficialID, reason: String, by: OfficialID)
        case rate(Int, String)
        /// Tạm đình chỉ (a complaint from 1 July 2026, a denunciation any time), then tiếp tục giải quyết: the resumption
        /// carries the due date moved on by the time suspended, as the live writer computes it.
        case suspend(legalBasis: String, reason: String)
        case resume(String)
        /// The citizen's withdrawal (rút), entered by the holder; a whole withdrawal ends the case.
        case withdraw(Withdrawal)
        /// A dialogue with the complainant (đối thoại).
        case dialogue(Dialogue)
        /// A task's progress report, its draft up to an approver, the approval.
        case progress(TaskProgress)
        case submitDraft(to: OfficialID, draft: String)
        case approveDraft(String)
        case returnDraft(String)
        /// A report signed by the head and sent to the requester.
        case submitReport(to: OfficialID, report: ReportSubmission)
    }

    var kind: Kind
    var gap: ClosedRange<Int>
    /// Placed after layout between its neighbours (opinions), no later than its consultation's due date.
    var floating = false
    var gapValue: Int?
    var day = 0

    /// Acts on behalf of the owner (idle time is measured between these).
    var isOwnerEvent: Bool {
        switch kind {
        case .opinion, .rate: false
        default: true
        }
    }

    /// After these the owner's clock stops (the applicant's turn, or the case is closed).
    var pausesClock: Bool {
        switch kind {
        case .requestSupplement, .close, .suspend: true
        case .withdraw(let withdrawal): withdrawal.endsCase
        default: false
        }
    }
}

/// A case's steps, laid out on working-day offsets from the day of receipt.
struct Plan {
    var steps: [PlanStep] = []
    var count: Int { steps.count }

    @discardableResult
    mutating func add(_ kind: PlanStep.Kind, gap: ClosedRange<Int> = 0...0, floating: Bool = false) -> Int {
        steps.append(PlanStep(kind: kind, gap: gap, floating: floating))
        return steps.count - 1
    }

    /// Fixes the gaps of steps `range` so that they add up to a total drawn from `total` (clamped to what
    /// the steps' own ranges allow), leaning towards the early end: most work finishes ahead of time.
    ///
    /// With `force`, a total above what the ranges allow is still reached: the flexible steps may go up to
    /// `overflowCap` each, and beyond it if they must (which then shows as stalling).
    mutating func total(
        _ range: Range<Int>, in total: ClosedRange<Int>, rng: inout DemoRandom, early: Bool = true, force: Bool = false,
        overflowCap: Int = 0
    ) {
        let indices = range.filter { !steps[$0].floating }
        guard !indices.isEmpty else { return }
        let lo = indices.reduce(0) { $0 + steps[$1].gap.lowerBound }
        let hi = indices.reduce(0) { $0 + steps[$1].gap.upperBound }
        let a = force ? max(total.lowerBound, lo) : min(max(total.lowerBound, lo), hi)
        let b = force ? max(total.upperBound, a) : max(min(total.upperBound, hi), a)
        let u = rng.unit()
        let target = a + Int((Double(b - a) * (early ? u * u : u)).rounded())
        var gaps = indices.map { steps[$0].gap.lowerBound }
        var caps = indices.map { steps[$0].gap.upperBound }
        var sum = lo
        var round = 0
        while sum < target {
            var open = gaps.indices.filter { gaps[$0] < caps[$0] }
            if open.isEmpty {
                guard force else { break }
                // Loosen the flexible steps (all but the first, if none is flexible), first to the cap, then by one.
                var flexible = gaps.indices.filter { steps[indices[$0]].gap.upperBound > steps[indices[$0]].gap.lowerBound }
                if flexible.isEmpty { flexible = Array(gaps.indices.dropFirst()) }
                if flexible.isEmpty { flexible = Array(gaps.indices) }
                for k in flexible { caps[k] = round == 0 ? max(caps[k], overflowCap) : caps[k] + 1 }
                round += 1
                open = gaps.indices.filter { gaps[$0] < caps[$0] }
                if open.isEmpty { continue }
            }
            gaps[rng.pick(open)] += 1
            sum += 1
        }
        for (k, i) in indices.enumerated() { steps[i].gapValue = gaps[k] }
    }

    /// Turns gaps into absolute days; floating steps are placed afterwards by `placeFloating`.
    mutating func layout(rng: inout DemoRandom) {
        var day = 0
        for i in steps.indices where !steps[i].floating {
            let gap = steps[i].gapValue ?? rng.int(steps[i].gap)
            steps[i].gapValue = gap
            day += gap
            steps[i].day = day
        }
    }

    /// Inserts owner comments so that no owner gap (outside pauses) exceeds `maxGap` working days.
    mutating func fill(maxGap: Int, rng: inout DemoRandom, text: (inout DemoRandom) -> String) {
        guard maxGap >= 1 else { return }
        var result: [PlanStep] = []
        var lastOwnerDay: Int?
        for step in steps {
            if step.floating || !step.isOwnerEvent {
                result.append(step)
                continue
            }
            if let last = lastOwnerDay {
                var d = last + maxGap
                while d < step.day {
                    result.append(PlanStep(kind: .comment(text(&rng)), gap: 0...0, floating: false, gapValue: 0, day: d))
                    d += maxGap
                }
            }
            result.append(step)
            lastOwnerDay = step.pausesClock ? nil : step.day
        }
        steps = result
    }

    /// Places each floating step on a day between its neighbours, and no later than its consultation's due day.
    mutating func placeFloating(rng: inout DemoRandom) {
        var lastDay = 0
        var consultDue: Int?
        for i in steps.indices {
            if case .consult(_, _, let dueIn) = steps[i].kind { consultDue = steps[i].day + dueIn }
            if steps[i].floating {
                let next = steps[(i + 1)...].first { !$0.floating }?.day ?? lastDay
                let hi = max(lastDay, min(next, consultDue ?? next))
                steps[i].day = rng.int(lastDay...hi)
            }
            lastDay = steps[i].day
        }
    }

    /// Inserts a step on `day`, before step `limit` at the latest.
    mutating func insert(_ kind: PlanStep.Kind, onDay day: Int, notAfter limit: Int) {
        var position = steps.firstIndex { $0.day > day } ?? steps.count
        position = min(position, limit)
        let placed = position < steps.count ? min(day, steps[position].day) : day
        steps.insert(
            PlanStep(kind: kind, gap: 0...0, floating: false, gapValue: 0, day: max(placed, position > 0 ? steps[position - 1].day : 0)), at: position
        )
    }

    func index(where predicate: (PlanStep.Kind) -> Bool) -> Int? { steps.firstIndex { predicate($0.kind) } }
}

/// Runs a plan through the domain: every action is applied to a `CaseState`, and a rejection is a generator bug.
struct FlowRunner {
    let org: Organization
    let calendar: WorkingCalendar
    let end: CivilDate
    let caseID: CaseID
    let openDay: CivilDate
    /// The rule that restarts the clock after supplements, and the extension rule.
    let resolveRule: DeadlineRule?
    let extensionRule: DeadlineRule?
    /// The rulebook's cut-off hour on the opening day, for same-day rules.
    let cutoffHour: Int?
    var rng: DemoRandom
    /// Every action through `CaseState.apply` (a ledger's checks); false: through `replay`, as a log from a system
    /// without BuckStop's competence check (`DemoConfiguration.uncheckedDecisions`).
    let checked: Bool
    /// `Rulebook.dueDate(resuming:…)` for this case: the one computation the live writer makes.
    let resumedDue: (CivilDate, CivilDate, CivilDate) -> CivilDate
    var state: CaseState
    var actions: [Action] = []
    /// The resolve rule in force on a day when its clock starts on acceptance (nil otherwise): the first acceptance of
    /// a case received without a due date starts it, as the live writer does.
    let acceptanceRule: (CivilDate) -> DeadlineRule?
    private var lastAt: Int64
    private var dates: [CivilDate]

    static let dayStart = 7 * 3600 + 30 * 60
    static let dayEnd = 17 * 3600

    init(
        org: Organization, calendar: WorkingCalendar, end: CivilDate, open: Action, resolveRule: DeadlineRule?,
        extensionRule: DeadlineRule?, cutoffHour: Int?, rng: DemoRandom, checked: Bool = true,
        resumedDue: @escaping (_ due: CivilDate, _ suspendedOn: CivilDate, _ resumedOn: CivilDate) -> CivilDate = { due, _, _ in due },
        acceptanceRule: @escaping (CivilDate) -> DeadlineRule? = { _ in nil }
    ) {
        self.checked = checked
        self.resumedDue = resumedDue
        self.acceptanceRule = acceptanceRule
        self.org = org
        self.calendar = calendar
        self.end = end
        self.caseID = open.caseID
        self.openDay = VietnamTime.date(open.at)
        self.resolveRule = resolveRule
        self.extensionRule = extensionRule
        self.cutoffHour = cutoffHour
        self.rng = rng
        do {
            state = try CaseState(opening: open, in: org)
        } catch {
            preconditionFailure("demo generator bug: the domain rejected the opening of \(open.caseID): \(error)")
        }
        lastAt = open.at
        dates = [openDay]
    }

    mutating func date(_ offset: Int) -> CivilDate {
        while dates.count <= offset { dates.append(calendar.addingWorkingDays(1, to: dates[dates.count - 1])) }
        return dates[offset]
    }

    private mutating func time(onDay offset: Int) -> Int64 {
        let day = date(offset)
        let lastDay = VietnamTime.date(lastAt)
        var seconds: Int
        if day == lastDay {
            let now = VietnamTime.secondsOfDay(lastAt)
            seconds = now + rng.int(90...1500)
            if seconds > Self.dayEnd - 60 { seconds = max(now, Self.dayEnd - 60 + rng.int(0...50)) }
        } else {
            seconds = Self.dayStart + rng.int(0...(4 * 3600))
        }
        let at = VietnamTime.instant(day, seconds: seconds, millis: rng.int(0...999))
        return max(at, lastAt)
    }

    /// Applies every step dated on or before `end`; later steps have not happened yet.
    mutating func run(_ plan: Plan) {
        for step in plan.steps {
            guard date(step.day) <= end else { return }
            let at = time(onDay: step.day)
            let owner = state.owner
            var actor: Actor = owner.map(Actor.official) ?? .system("demo")
            let body: ActionBody
            switch step.kind {
            case .assign(let to, let note): body = .assign(to: to, note: note)
            case .accept(let note):
                var due: CivilDate?
                if state.dueDate == nil, let rule = acceptanceRule(date(step.day)) {
                    due = calendar.deadline(
                        receivedAt: VietnamTime.foundation(at), duration: rule.duration, unit: rule.unit, cutoffHour: cutoffHour)
                }
                body = .accept(note: note, dueDate: due)
            case .transfer(let to, let reason): body = .transfer(to: to, reason: reason)
            case .escalate(let to, let proposal): body = .escalate(to: to, proposal: proposal)
            case .delegate(let to, let instruction): body = .delegate(to: to, instruction: instruction)
            case .consult(let units, let question, let dueIn):
                body = .consult(units: units, question: question, dueDate: calendar.addingWorkingDays(dueIn, to: date(step.day)))
            case .opinion(let unit, let by, let text):
                actor = .official(by)
                body = .opinion(unit: unit, text: text)
            case .comment(let text): body = .comment(text: text)
            case .requestSupplement(let missing): body = .requestSupplement(missing: missing)
            case .supplementReceived(let note):
                let due: CivilDate
                if let rule = resolveRule {
                    due = calendar.deadline(
                        receivedAt: VietnamTime.foundation(at), duration: rule.duration, unit: rule.unit, cutoffHour: cutoffHour)
                } else {
                    due = calendar.addingWorkingDays(10, to: date(step.day))
                }
                body = .supplementReceived(note: note, newDueDate: due)
            case .reschedule(let addDays, let apology):
                let current = state.dueDate ?? date(step.day)
                body = .reschedule(newDueDate: calendar.addingWorkingDays(max(1, addDays), to: current), apology: apology)
            case .extend(let basis, let extra):
                let current = state.dueDate ?? date(step.day)
                let allowed =
                    extensionRule.map {
                        calendar.deadline(receivedAt: current.startInstant(), duration: $0.duration, unit: $0.unit, cutoffHour: cutoffHour)
                    } ?? calendar.nextWorkingDay(onOrAfter: current.adding(days: 30))
                body = .extend(newDueDate: extra > 0 ? calendar.nextWorkingDay(onOrAfter: allowed.adding(days: extra)) : allowed, legalBasis: basis)
            case .decline(let unit, let basis, let reason): body = .decline(legalBasis: basis, competentUnit: unit, reason: reason)
            case .suspend(let basis, let reason): body = .suspend(legalBasis: basis, reason: reason)
            case .resume(let note):
                let due = state.dueDate.flatMap { due in
                    state.suspendedSince.map { resumedDue(due, VietnamTime.date($0), VietnamTime.date(at)) }
                }
                body = .resume(note: note, newDueDate: due)
            case .decide(let decision, let rationale): body = .decide(decision: decision, rationale: rationale)
            case .withdraw(let withdrawal): body = .withdraw(withdrawal)
            case .dialogue(let dialogue): body = .dialogue(dialogue)
            case .progress(let progress): body = .progress(progress)
            case .submitDraft(let to, let draft): body = .submitDraft(to: to, draft: draft)
            case .approveDraft(let note): body = .approveDraft(note: note)
            case .returnDraft(let reason): body = .returnDraft(reason: reason)
            case .submitReport(let to, let report): body = .submitReport(to: to, report: report)
            case .resolve(let result): body = .resolve(result: result)
            case .close(let outcome): body = .close(outcome: outcome)
            case .reopen(let to, let reason, let by):
                actor = .official(by)
                body = .reopen(to: to, reason: reason)
            case .rate(let score, let comment):
                actor = .citizen
                body = .rate(score: score, comment: comment)
            }
            let action = Action(caseID: caseID, actor: actor, at: at, body: body, via: DemoGenerator.credential)
            do {
                if checked { try state.apply(action, in: org) } else { try state.replay(action, organization: org) }
            } catch {
                preconditionFailure(
                    "demo generator bug: the domain rejected \(body.type.rawValue) by \(actor) on \(caseID) (step day \(step.day)): \(error)")
            }
            precondition(state.invariantHolds, "demo generator bug: \(caseID) broke the one-owner invariant")
            actions.append(action)
            lastAt = at
        }
    }
}
