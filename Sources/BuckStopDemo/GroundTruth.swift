import BuckStopCalendar
import BuckStopDomain

/// Computes the ground-truth labels of generated cases by the definitions documented on `DemoBehaviour`.
/// The generator builds each case to show (or not show) behaviours; this decides what is actually true,
/// so a label is never claimed that the record does not support, and co-occurring behaviours are all labelled.
struct GroundTruth {
    let org: Organization
    let rulebook: Rulebook
    let calendar: WorkingCalendar
    let asOf: CivilDate
    let t: Thresholds
    let rules: RuleIndex

    /// The rulebook's thresholds (a loaded rulebook has every one: `Rulebook.requireComplete`).
    struct Thresholds {
        let transfersMin, transfersMedianFactor, shuttleRoundTrips, consultationRounds: Double
        let stallingIdle, stallingShare, accumulationN, accumulationWindow: Double

        init(_ rulebook: Rulebook) {
            func read(_ id: ThresholdID) -> Double {
                guard let value = rulebook.threshold(id) else {
                    preconditionFailure("the rulebook has no threshold \(id.rawValue): generate from a loaded rulebook (YAMLLoading.rulebook)")
                }
                return value
            }
            transfersMin = read(.transfersMin)
            transfersMedianFactor = read(.transfersMedianFactor)
            shuttleRoundTrips = read(.shuttleRoundTrips)
            consultationRounds = read(.consultationRounds)
            stallingIdle = read(.stallingIdleWorkingDays)
            stallingShare = read(.stallingAllottedShare)
            accumulationN = read(.accumulationMinorFindings)
            accumulationWindow = read(.accumulationWindowDays)
        }
    }

    /// A statutory limit in force on the day a case was opened; nil before the first row the rulebook has.
    func limit(_ id: LimitID, on day: CivilDate) -> Int? { rulebook.limit(id, on: day)?.value }

    init(org: Organization, rulebook: Rulebook, calendar: WorkingCalendar, asOf: CivilDate) {
        self.org = org
        self.rulebook = rulebook
        self.calendar = calendar
        self.asOf = asOf
        self.t = Thresholds(rulebook)
        self.rules = RuleIndex(rulebook)
    }

    /// What one case shows on its own; `transfers` and `accumulation` need every case and come in `finalize`.
    struct Facts {
        var kind: CaseKind
        var labels: Set<DemoBehaviour>
        var ownerChanges: Int
        var minorFinding: (official: OfficialID, day: CivilDate)?
    }

    func agency(_ official: OfficialID) -> UnitID {
        var cursor = org.official(official)!.unit
        while let u = org.unit(cursor), u.kind == .division, let parent = u.parent { cursor = parent }
        return cursor
    }

    /// The deadline of the intake step, or nil when the kind has none or no rule is in force on the day.
    func intakeDeadline(kind: CaseKind, procedure: String?, openedAt: Int64) -> CivilDate? {
        let day = VietnamTime.date(openedAt)
        guard let step = kind.intakeStep, let rule = rules.rule(for: kind, procedure: procedure, step: step, on: day) else { return nil }
        return calendar.deadline(
            receivedAt: VietnamTime.foundation(openedAt), duration: rule.duration, unit: rule.unit,
            cutoffHour: limit(.intakeCutoffHour, on: day))
    }

    func facts(open: Action, actions: [Action]) -> Facts {
        guard case .open(let opening) = open.body else { preconditionFailure("first action must be an opening") }
        var labels = Set<DemoBehaviour>()
        let openDay = VietnamTime.date(open.at)
        let kind = opening.kind

        // Replay through the domain to know owner, status and due date before and after each action.
        var state: CaseState
        do { state = try CaseState(opening: open, in: org) } catch { preconditionFailure("\(error)") }
        var before: [CaseState] = []
        var after: [CaseState] = []
        for action in actions {
            before.append(state)
            do { try state.apply(action, in: org) } catch { preconditionFailure("\(error)") }
            after.append(state)
        }
        let final = state
        func moved(_ i: Int) -> Bool { after[i].owner != nil && after[i].owner != before[i].owner }

        // Owner sequences, person and unit.
        var people: [OfficialID] = [opening.owner]
        for s in after { if let o = s.owner, o != people.last { people.append(o) } }
        var units: [UnitID] = []
        for p in people {
            let u = org.official(p)!.unit
            if u != units.last { units.append(u) }
        }
        if Set(people).count < people.count || Set(units).count < units.count { labels.insert(.pingPong) }

        // Escalations returned down.
        var roundTrips = 0
        for (i, a) in actions.enumerated() {
            guard case .escalate(let target, _) = a.body else { continue }
            var decided = false
            for j in (i + 1)..<actions.count {
                if case .decide = actions[j].body { decided = true }
                guard moved(j) || after[j].status == .closed else { continue }
                let down: Bool
                switch actions[j].body {
                case .delegate: down = true
                case .assign(let to, _): down = org.authorityLevel(of: to) > org.authorityLevel(of: target)
                default: down = false
                }
                if down && actions[j].actor.officialID == target {
                    roundTrips += 1
                    if !decided { labels.insert(.upwardPush) }
                }
                break
            }
        }
        if Double(roundTrips) >= t.shuttleRoundTrips { labels.insert(.shuttle) }

        // Consultations.
        var consults = 0
        for (i, a) in actions.enumerated() {
            guard case .consult(let consulted, _, let due) = a.body else { continue }
            consults += 1
            for unit in consulted {
                let answer = actions[(i + 1)...].first { if case .opinion(let u, _) = $0.body { u == unit } else { false } }
                let answered: CivilDate
                if let answer {
                    answered = VietnamTime.date(answer.at)
                } else if let closedAt = final.closedAt {
                    answered = VietnamTime.date(closedAt)
                } else {
                    answered = asOf
                }
                if answered > due { labels.insert(.consultationRounds) }
            }
        }
        if Double(consults) >= t.consultationRounds { labels.insert(.consultationRounds) }

        // Stalling.
        // The time allotted: from receipt to the due date, or from the acceptance that starts the clock to the date it sets.
        var allotted = opening.dueDate.map { calendar.workingDays(from: openDay, to: $0) }
        func stalled(_ idle: Int) -> Bool {
            if Double(idle) > t.stallingIdle { return true }
            if let allotted, Double(idle) > t.stallingShare * Double(allotted) { return true }
            return false
        }
        var last = openDay
        for (i, a) in actions.enumerated() {
            let ownerEvent =
                (a.actor.officialID != nil && a.actor.officialID == before[i].owner) || moved(i)
                || after[i].status == .closed && before[i].status != .closed
            guard ownerEvent else { continue }
            let day = VietnamTime.date(a.at)
            if before[i].status != .awaitingSupplement && before[i].status != .closed,
                stalled(calendar.workingDays(from: last, to: day))
            {
                labels.insert(.stalling)
            }
            last = day
            if allotted == nil, case .accept(_, let started?) = a.body { allotted = calendar.workingDays(from: day, to: started) }
        }
        if final.status.isOpen && final.status != .awaitingSupplement && stalled(calendar.workingDays(from: last, to: asOf)) {
            labels.insert(.stalling)
        }

        // Overdue and apology.
        let extensionRule = rules.rule(for: kind, procedure: opening.procedure, step: .extension, on: openDay)
        let allowedExtensions = extensionRule == nil ? 0 : (extensionRule!.maxCount ?? Int.max)
        let finishIndex =
            actions.indices.first { if case .resolve = actions[$0].body { true } else { false } }
            ?? actions.indices.first { after[$0].status == .closed }
        var due = opening.dueDate
        var extensions = 0
        for a in actions[..<(finishIndex.map { $0 + 1 } ?? actions.count)] {
            switch a.body {
            case .supplementReceived(_, let newDue): if let newDue { due = newDue }
            case .accept(_, let started?): if due == nil { due = started }
            case .extend(let newDue, _):
                extensions += 1
                if extensions <= allowedExtensions { due = newDue }
            default: break
            }
        }
        if let due {
            let finished = finishIndex.map { VietnamTime.date(actions[$0].at) }
            // Awaiting the applicant's supplements, the clock is stopped (it restarts on receipt).
            let paused = finished == nil && final.status == .awaitingSupplement
            if !paused && (finished ?? asOf) > due {
                labels.insert(.overdue)
                if let apologyDays = limit(.apologyMinDaysBeforeDue, on: openDay) {
                    let apologised = actions[..<(finishIndex ?? actions.count)].contains {
                        if case .reschedule = $0.body { VietnamTime.date($0.at) <= due.adding(days: -apologyDays) } else { false }
                    }
                    if !apologised { labels.insert(.noApology) }
                }
            }
        }

        // Counts.
        func count(_ type: ActionType) -> Int { actions.filter { $0.body.type == type }.count }
        if let most = limit(.rescheduleMax, on: openDay), count(.reschedule) > most { labels.insert(.repeatReschedule) }
        if let most = limit(.supplementMax, on: openDay), count(.requestSupplement) > most { labels.insert(.repeatSupplement) }
        if count(.decide) > 1 || count(.resolve) > 1 { labels.insert(.rework) }

        // Extensions.
        if count(.extend) > allowedExtensions { labels.insert(.extensionAbuse) }
        if let extensionRule {
            for (i, a) in actions.enumerated() {
                guard case .extend(let newDue, _) = a.body, let previous = before[i].dueDate else { continue }
                let allowed = calendar.deadline(
                    receivedAt: previous.startInstant(), duration: extensionRule.duration, unit: extensionRule.unit,
                    cutoffHour: limit(.intakeCutoffHour, on: previous))
                if newDue > allowed { labels.insert(.extensionAbuse) }
            }
        }

        // Jurisdiction.
        let competent = Set(org.competentUnits(for: kind, procedure: opening.procedure))
        // A procedure's own mandate is competence over the matter; a kind's (receiving petitions) is not, and
        // forwarding such a letter inside the organisation is a referral, not a refusal.
        let overMatter = opening.procedure.map { code in org.mandates.contains { $0.caseKind == kind && $0.procedure == code } } ?? false
        var moves: [Int] = []
        for i in actions.indices where moved(i) { moves.append(i) }
        for (i, a) in actions.enumerated() {
            if case .decline = a.body, let actor = a.actor.officialID, competent.contains(agency(actor)), overMatter || !moved(i) {
                labels.insert(.jurisdictionRefusal)
            }
            if case .transfer(let to, _) = a.body, overMatter, let from = before[i].owner,
                competent.contains(agency(from)), !competent.contains(agency(to))
            {
                labels.insert(.jurisdictionRefusal)
            }
        }
        for (k, i) in moves.enumerated() where k + 1 < moves.count {
            let j = moves[k + 1]
            guard isHandOff(actions[i].body), isHandOff(actions[j].body), let x = before[i].owner, let y = after[i].owner,
                let z = after[j].owner, actions[j].actor.officialID == y
            else { continue }
            if agency(x) != agency(y) && agency(z) == agency(x) { labels.insert(.jurisdictionRefusal) }
        }

        // Intake.
        var minor: (OfficialID, CivilDate)?
        if let deadline = intakeDeadline(kind: kind, procedure: opening.procedure, openedAt: open.at) {
            let index: Int?
            switch kind {
            case .dossier: index = moves.first
            case .complaint, .denunciation: index = actions.firstIndex { $0.body.type == .accept }
            case .petition: index = actions.firstIndex { $0.body.type == .resolve }
            case .task: index = nil
            }
            let late: Bool
            if let index {
                late = VietnamTime.date(actions[index].at) > deadline
            } else {
                late = final.status.isOpen && asOf > deadline
            }
            if late {
                labels.insert(.lateIntake)
            }
            // Minor findings that accumulate: a dossier held at intake past the forwarding deadline.
            if late && kind == .dossier {
                var holder = opening.owner
                for (i, a) in actions.enumerated() where VietnamTime.date(a.at) <= deadline {
                    if let o = after[i].owner { holder = o }
                }
                minor = (holder, deadline)
            }
        }

        return Facts(kind: kind, labels: labels, ownerChanges: people.count - 1, minorFinding: minor)
    }

    private func isHandOff(_ body: ActionBody) -> Bool {
        switch body {
        case .transfer, .decline: true
        default: false
        }
    }

    /// Adds the cross-case labels: `transfers` (against the median of the same kind) and `accumulation`.
    func finalize(_ all: [Facts]) -> [Set<DemoBehaviour>] {
        var medians: [CaseKind: Double] = [:]
        for kind in CaseKind.allCases {
            let values = all.filter { $0.kind == kind }.map(\.ownerChanges).sorted()
            guard !values.isEmpty else { continue }
            let mid = values.count / 2
            medians[kind] = values.count % 2 == 1 ? Double(values[mid]) : Double(values[mid - 1] + values[mid]) / 2
        }
        var minors: [OfficialID: [(day: CivilDate, caseIndex: Int)]] = [:]
        for (i, f) in all.enumerated() { if let m = f.minorFinding { minors[m.official, default: []].append((m.day, i)) } }
        var anchors = Set<Int>()
        for list in minors.values {
            anchors.formUnion(Self.windowEnds(list, count: Int(t.accumulationN), window: Int(t.accumulationWindow)))
        }

        return all.enumerated().map { i, f in
            var labels = f.labels
            let threshold = max(t.transfersMin, t.transfersMedianFactor * (medians[f.kind] ?? 0))
            if Double(f.ownerChanges) > threshold { labels.insert(.transfers) }
            if anchors.contains(i) { labels.insert(.accumulation) }
            return labels
        }
    }

    /// The cases labelled `accumulation` for one official: runs of at least `count` minor findings spanning at most
    /// `window` days, each finding in at most one run, taken earliest first (a run short of `count` moves on by one
    /// finding); each run labels the case of its last finding (by day, then case order) — one per run, as an
    /// inspector would count it.
    static func windowEnds(_ minors: [(day: CivilDate, caseIndex: Int)], count: Int, window: Int) -> [Int] {
        let sorted = minors.sorted { $0.day != $1.day ? $0.day < $1.day : $0.caseIndex < $1.caseIndex }
        var ends: [Int] = []
        var first = 0
        while first < sorted.count {
            let run = sorted[first...].prefix { $0.day - sorted[first].day <= window }
            if run.count >= max(1, count) {
                ends.append(run.last!.caseIndex)
                first += run.count
            } else {
                first += 1
            }
        }
        return ends
    }
}

/// `Rulebook.rule(for:procedure:step:on:)` over rules grouped once by kind and step, so per-case lookups
/// do not scan (and copy) the whole rulebook. Same answer: the procedure's own rule wins over the kind-wide one.
struct RuleIndex: Sendable {
    private let groups: [String: [DeadlineRule]]

    init(_ rulebook: Rulebook) {
        var groups: [String: [DeadlineRule]] = [:]
        for rule in rulebook.rules { groups["\(rule.caseKind.rawValue)|\(rule.step.rawValue)", default: []].append(rule) }
        self.groups = groups
    }

    func rule(for kind: CaseKind, procedure: String?, step: RuleStep, on date: CivilDate) -> DeadlineRule? {
        guard let candidates = groups["\(kind.rawValue)|\(step.rawValue)"] else { return nil }
        if let procedure, let specific = candidates.first(where: { $0.procedure == procedure && $0.isInForce(on: date) }) {
            return specific
        }
        return candidates.first { $0.procedure == nil && $0.isInForce(on: date) }
    }
}
