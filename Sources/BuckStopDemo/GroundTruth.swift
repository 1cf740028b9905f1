import BuckStopCalendar
import BuckStopDomain

/// Computes the ground truth of generated cases by the definitions documented on `DemoBehaviour`, and for each
/// behaviour a verdict — whom docs/FINDINGS.md names and the value it measures — by that document's written rules.
/// The generator builds each case to show (or not show) behaviours; this decides what is actually true, so a label is
/// never claimed that the record does not support, and co-occurring behaviours are all labelled.
///
/// Nothing here calls the detectors (`BuckStopDetectors`) or their helpers: working days and deadlines come from
/// `DemoWorkingDays` (this module's own count over the holiday table), deadline rules from `RuleIndex` (this module's
/// own lookup), thresholds and limits straight from the rulebook's rows. Cases are replayed through
/// `CaseState.replay` to know the owner, status and due date after each action: that is the domain — the transitions a
/// ledger reader applies (without the organisation's checks, so a log of a system that did not make them, with
/// `DemoConfiguration.uncheckedDecisions`, replays too) — not a detector, and the labels are about what the record
/// says happened.
struct GroundTruth {
    let org: Organization
    let rulebook: Rulebook
    let days: DemoWorkingDays
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

    init(org: Organization, rulebook: Rulebook, days: DemoWorkingDays, asOf: CivilDate) {
        self.org = org
        self.rulebook = rulebook
        self.days = days
        self.asOf = asOf
        self.t = Thresholds(rulebook)
        self.rules = RuleIndex(rulebook)
    }

    /// What one case shows on its own; `transfers` and `accumulation` need every case and come in `finalize`.
    struct Facts {
        var kind: CaseKind
        var verdicts: [DemoBehaviour: DemoVerdict]
        var ownerChanges: Int
        /// Who passed the case on most (a tie: the one of them who passed it on last), named if `transfers` holds.
        var topPasser: OfficialID
        var minorFinding: (official: OfficialID, day: CivilDate)?
        /// A task still being worked on at the end (neither done nor closed), as `overlap` compares them.
        var taskInForce: (lead: UnitID, product: String?, title: String, openedAt: Int64, owner: OfficialID)?
        /// An inspection, as its entries tell it, for `self_inspection_miss` and `overlap`.
        var inspection: InspectionRecord? = nil
        /// Who holds an inspection from its opening: whom an overlap names.
        var inspectionOwner: OfficialID? = nil
    }

    func agency(_ official: OfficialID) -> UnitID {
        guard let unit = org.official(official)?.unit else { return UnitID(official.rawValue) }
        return org.body(of: unit)
    }

    func unit(_ official: OfficialID) -> UnitID { org.official(official)?.unit ?? UnitID(official.rawValue) }

    /// The deadline of the intake step, or nil when the kind has none or no rule is in force on the day.
    func intakeDeadline(kind: CaseKind, procedure: String?, openedAt: Int64) -> CivilDate? {
        let day = VietnamTime.date(openedAt)
        guard let step = kind.intakeStep, let rule = rules.rule(for: kind, procedure: procedure, step: step, on: day) else { return nil }
        return days.deadline(
            receivedOn: day, secondsIntoDay: VietnamTime.secondsOfDay(openedAt), duration: rule.duration, unit: rule.unit,
            cutoffHour: limit(.intakeCutoffHour, on: day))
    }

    /// Who did an action: its actor when an official, else the holder before it.
    private func doer(_ action: Action, holder: OfficialID?) -> OfficialID? { action.actor.officialID ?? holder }

    static func isApprovalTrip(_ body: ActionBody) -> Bool {
        switch body {
        case .submitDraft, .returnDraft, .submitReport: true
        default: false
        }
    }

    func facts(open: Action, actions: [Action]) -> Facts {
        guard case .open(let opening) = open.body else { preconditionFailure("first action must be an opening") }
        var verdicts: [DemoBehaviour: DemoVerdict] = [:]
        func found(_ behaviour: DemoBehaviour, _ who: OfficialID?, _ value: Int) {
            verdicts[behaviour] = DemoVerdict(behaviour: behaviour, responsible: .official(who ?? opening.owner), value: value)
        }
        let openDay = VietnamTime.date(open.at)
        let kind = opening.kind
        // A programme or plan holds tasks; they are judged, the container is not (as `CaseFold` does).
        if kind == .programme {
            let records = ([open] + actions).enumerated().map { (Int64($0.offset), $0.element) }
            return Facts(
                kind: kind, verdicts: [:], ownerChanges: 0, topPasser: opening.owner, minorFinding: nil,
                inspection: InspectionRecord(caseID: open.caseID, records: records), inspectionOwner: opening.owner)
        }

        // Replay through the domain to know owner, status and due date before and after each action.
        var state: CaseState
        do { state = try CaseState(opening: open, in: org) } catch { preconditionFailure("\(error)") }
        var before: [CaseState] = []
        var after: [CaseState] = []
        for action in actions {
            before.append(state)
            do { try state.replay(action, organization: org) } catch { preconditionFailure("\(error)") }
            after.append(state)
        }
        let final = state
        func moved(_ i: Int) -> Bool { after[i].owner != nil && after[i].owner != before[i].owner }

        // Owner sequences, person and unit; for each unit run, the first and the last official who held it.
        var people: [OfficialID] = [opening.owner]
        // A draft up for approval and back is review, not a hand-over: the sequence follows the drafter (docs/FINDINGS.md).
        for (i, s) in after.enumerated() where !Self.isApprovalTrip(actions[i].body) {
            if let o = s.owner, o != people.last { people.append(o) }
        }
        var units: [UnitID] = []
        var runFirst: [OfficialID] = []
        var runLast: [OfficialID] = []
        for p in people {
            let u = unit(p)
            if u != units.last {
                units.append(u)
                runFirst.append(p)
                runLast.append(p)
            } else {
                runLast[runLast.count - 1] = p
            }
        }

        // transfers (judged in `finalize`): who passed it on most, a tie going to the one of them who passed it on last.
        var passes: [OfficialID: (count: Int, last: Int)] = [:]
        for (k, p) in people.dropLast().enumerated() { passes[p] = ((passes[p]?.count ?? 0) + 1, k) }
        let topPasser = passes.max { ($0.value.count, $0.value.last) < ($1.value.count, $1.value.last) }?.key ?? opening.owner

        // ping_pong (FINDINGS.md, "ping_pong"): returns = entries of the sequence that visit an earlier owner, at person
        // or unit level, whichever has more. At the first return, the one who sent it back handed it over and the one it
        // came back to received it — at unit level, the last holder of the unit before and the first of the unit it came
        // back to. The mandate decides when one is inside the competent agencies and the other outside; otherwise one
        // return names the one it came back to (a corrected misrouting), more the one who sent it back.
        let personReturns = Self.returns(people)
        let unitReturns = Self.returns(units)
        let returns = max(personReturns.count, unitReturns.count)
        if returns > 0 {
            let sentBackBy: OfficialID
            let cameBackTo: OfficialID
            if personReturns.count > 0 {
                sentBackBy = people[personReturns.first - 1]
                cameBackTo = people[personReturns.first]
            } else {
                sentBackBy = runLast[unitReturns.first - 1]
                cameBackTo = runFirst[unitReturns.first]
            }
            let competent = Set(org.competentUnits(for: kind, procedure: opening.procedure))
            let senderInside = competent.contains(agency(sentBackBy))
            let receiverInside = competent.contains(agency(cameBackTo))
            let misrouted = senderInside != receiverInside ? receiverInside : returns == 1
            found(.pingPong, misrouted ? cameBackTo : sentBackBy, returns)
        }

        // Escalations returned down: both name the superior who sent it back down (the first such, in time).
        var roundTrips = 0
        var pushes = 0
        var firstTrip: OfficialID?
        var firstPush: (at: Int, by: OfficialID)?
        // A task handed up the line (assigned or transferred to someone of higher authority) without an escalation.
        if kind == .task {
            for (j, a) in actions.enumerated() where moved(j) {
                let to: OfficialID
                switch a.body {
                case .assign(let target, _), .transfer(let target, _): to = target
                default: continue
                }
                guard let mover = doer(a, holder: before[j].owner), org.authorityLevel(of: to) < org.authorityLevel(of: mover) else { continue }
                pushes += 1
                if firstPush.map({ j < $0.at }) ?? true { firstPush = (j, mover) }
            }
        }
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
                    if firstTrip == nil { firstTrip = target }
                    if !decided {
                        pushes += 1
                        if firstPush.map({ j < $0.at }) ?? true { firstPush = (j, target) }
                    }
                }
                break
            }
        }
        if pushes > 0 { found(.upwardPush, firstPush?.by, pushes) }
        if Double(roundTrips) >= t.shuttleRoundTrips { found(.shuttle, firstTrip, roundTrips) }

        // Consultations: value = rounds. Too many rounds names who asked (the first consultation's actor); otherwise
        // the unit that answered late — the first late answer in the case's order, a unit that never answered counting
        // at the close or as-of day, after every answer given, in the order the units were consulted.
        var consults = 0
        var asker: OfficialID?
        var late: [(answer: Int, order: Int, unit: UnitID)] = []
        for (i, a) in actions.enumerated() {
            guard case .consult(let consulted, _, let due) = a.body else { continue }
            consults += 1
            if asker == nil { asker = doer(a, holder: before[i].owner) }
            for unit in consulted {
                let answerIndex = actions.indices.first { $0 > i && Self.isOpinion(actions[$0].body, from: unit) }
                let answered: CivilDate
                if let answerIndex {
                    answered = VietnamTime.date(actions[answerIndex].at)
                } else if let closedAt = final.closedAt {
                    answered = VietnamTime.date(closedAt)
                } else {
                    answered = asOf
                }
                if answered > due { late.append((answerIndex ?? actions.count, late.count, unit)) }
            }
        }
        if Double(consults) >= t.consultationRounds {
            found(.consultationRounds, asker, consults)
        } else if let first = late.min(by: { ($0.answer, $0.order) < ($1.answer, $1.order) }) {
            verdicts[.consultationRounds] = DemoVerdict(behaviour: .consultationRounds, responsible: .unit(first.unit), value: consults)
        }

        // Stalling: value = the longest idle period over its limit (the first of equal ones), naming its holder. The time
        // allotted: from receipt to the due date, or from the acceptance that starts the clock to the date it sets.
        var allotted = opening.dueDate.map { days.workingDays(from: openDay, to: $0) }
        func stalled(_ idle: Int) -> Bool {
            if Double(idle) > t.stallingIdle { return true }
            if let allotted, Double(idle) > t.stallingShare * Double(allotted) { return true }
            return false
        }
        var worst: (idle: Int, holder: OfficialID?)?
        func consider(_ idle: Int, _ holder: OfficialID?) {
            if stalled(idle) && (worst == nil || idle > worst!.idle) { worst = (idle, holder) }
        }
        var last = openDay
        for (i, a) in actions.enumerated() {
            let ownerEvent =
                (a.actor.officialID != nil && a.actor.officialID == before[i].owner) || moved(i)
                || after[i].status == .closed && before[i].status != .closed
            guard ownerEvent else { continue }
            let day = VietnamTime.date(a.at)
            // Awaiting supplements or suspended (tạm đình chỉ), the clock stands still: no idle time counts.
            if before[i].status != .awaitingSupplement && before[i].status != .closed && !before[i].isSuspended {
                consider(days.workingDays(from: last, to: day), before[i].owner)
            }
            last = day
            if allotted == nil, case .accept(_, let started?) = a.body { allotted = days.workingDays(from: day, to: started) }
        }
        if final.status.isOpen && final.status != .awaitingSupplement && !final.isSuspended {
            consider(days.workingDays(from: last, to: asOf), final.owner)
        }
        if let worst { found(.stalling, worst.holder, worst.idle) }

        // Overdue and apology: value = calendar days from the due date to the finish (or as-of day), naming the holder on
        // the due date.
        let extensionRule = rules.rule(for: kind, procedure: opening.procedure, step: .extension, on: openDay)
        let allowedExtensions = extensionRule == nil ? 0 : (extensionRule!.maxCount ?? Int.max)
        let finishIndex =
            actions.indices.first {
                switch actions[$0].body {
                case .resolve, .approveDraft: true
                default: false
                }
            }
            ?? actions.indices.first { after[$0].status == .closed }
        var due = opening.dueDate
        var extensions = 0
        for a in actions[..<(finishIndex.map { $0 + 1 } ?? actions.count)] {
            switch a.body {
            case .supplementReceived(_, let newDue): if let newDue { due = newDue }
            case .resume(_, let newDue): if let newDue { due = newDue }
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
            let paused = finished == nil && (final.status == .awaitingSupplement || final.isSuspended)
            let end = finished ?? asOf
            if !paused && end > due {
                var holder = opening.owner
                for (i, a) in actions.enumerated() where VietnamTime.date(a.at) <= due { if let o = after[i].owner { holder = o } }
                found(.overdue, holder, end - due)
                if let apologyDays = limit(.apologyMinDaysBeforeDue, on: openDay) {
                    let apologised = actions[..<(finishIndex ?? actions.count)].contains {
                        if case .reschedule = $0.body { VietnamTime.date($0.at) <= due.adding(days: -apologyDays) } else { false }
                    }
                    if !apologised { found(.noApology, holder, end - due) }
                }
            }
        }

        // Counts: repeated reschedules and requests name who made the first; rework who did the step the second time.
        func indices(_ type: ActionType) -> [Int] { actions.indices.filter { actions[$0].body.type == type } }
        func first(_ list: [Int]) -> OfficialID? { list.first.flatMap { doer(actions[$0], holder: before[$0].owner) } }
        let reschedules = indices(.reschedule)
        let requests = indices(.requestSupplement)
        if let most = limit(.rescheduleMax, on: openDay), reschedules.count > most { found(.repeatReschedule, first(reschedules), reschedules.count) }
        if let most = limit(.supplementMax, on: openDay), requests.count > most { found(.repeatSupplement, first(requests), requests.count) }
        let decisions = indices(.decide)
        let resolutions = indices(.resolve)
        let redone = decisions.count > 1 ? decisions : resolutions
        if redone.count > 1 { found(.rework, doer(actions[redone[1]], holder: before[redone[1]].owner), redone.count) }

        // Conflict of interest, by DemoBehaviour.conflictOfInterest's definition: holds and decisions in the hands the
        // law keeps the case from.
        if let concerned = final.concerning?.official, kind == .denunciation || kind == .complaint {
            var conflicted: [OfficialID] = []
            func barred(_ who: OfficialID) -> Bool {
                if kind == .complaint {
                    return who == concerned && !(final.decidingBody.map { org.leads(who, $0) } ?? false)
                }
                return who == concerned || org.isSubordinate(who, of: concerned)
            }
            for i in actions.indices {
                if kind == .denunciation, moved(i), let holder = after[i].owner, barred(holder) { conflicted.append(holder) }
                if case .decide = actions[i].body, let decider = doer(actions[i], holder: before[i].owner), barred(decider) {
                    conflicted.append(decider)
                }
            }
            if let first = conflicted.first { found(.conflictOfInterest, first, conflicted.count) }
        }

        // Decided without competence: a decision by someone who neither heads the deciding body nor deputises it.
        if let body = final.decidingBody, kind == .denunciation || kind == .complaint {
            let wrong = actions.indices.compactMap { i -> OfficialID? in
                guard case .decide = actions[i].body, let decider = doer(actions[i], holder: before[i].owner) else { return nil }
                let unit = org.unit(body)
                return unit?.head == decider || (unit?.deputies.contains(decider) ?? false) ? nil : decider
            }
            if let first = wrong.first { found(.wrongLevel, first, wrong.count) }
        }

        // Extensions: value = how many, naming who made the first.
        let extends = indices(.extend)
        var abused = extends.count > allowedExtensions
        if let extensionRule {
            for i in extends {
                guard case .extend(let newDue, _) = actions[i].body, let previous = before[i].dueDate else { continue }
                let allowed = days.deadline(
                    receivedOn: previous, secondsIntoDay: 0, duration: extensionRule.duration, unit: extensionRule.unit,
                    cutoffHour: limit(.intakeCutoffHour, on: previous))
                if newDue > allowed { abused = true }
            }
        }
        if abused { found(.extensionAbuse, first(extends), extends.count) }

        // Jurisdiction: value = the actions that are evidence (a bounce's two hand-offs both); named = the official of the
        // first refusal in the case's order (who declined, who transferred, or for a bounce who sent it back).
        let competent = Set(org.competentUnits(for: kind, procedure: opening.procedure))
        // A procedure's own mandate is competence over the matter; a kind's (receiving petitions) is not, and
        // forwarding such a letter inside the organisation is a referral, not a refusal.
        let overMatter = opening.procedure.map { code in org.mandates.contains { $0.caseKind == kind && $0.procedure == code } } ?? false
        let moves = actions.indices.filter(moved)
        var bounces: [Int: (first: Int, backBy: OfficialID)] = [:]
        for (k, i) in moves.enumerated() where k + 1 < moves.count {
            let j = moves[k + 1]
            guard isHandOff(actions[i].body), isHandOff(actions[j].body), let x = before[i].owner, let y = after[i].owner,
                let z = after[j].owner, actions[j].actor.officialID == y
            else { continue }
            if agency(x) != agency(y) && agency(z) == agency(x) { bounces[j] = (i, y) }
        }
        var evidence = Set<Int>()
        var refuser: OfficialID?
        func refused(_ positions: [Int], _ who: OfficialID?) {
            evidence.formUnion(positions)
            if refuser == nil { refuser = who }
        }
        for (i, a) in actions.enumerated() {
            if case .decline = a.body, let actor = a.actor.officialID, competent.contains(agency(actor)), overMatter || !moved(i) {
                refused([i], actor)
            }
            if case .transfer(let to, _) = a.body, overMatter, let from = before[i].owner,
                competent.contains(agency(from)), !competent.contains(agency(to))
            {
                refused([i], doer(a, holder: from))
            }
            if let bounce = bounces[i] { refused([bounce.first, i], bounce.backBy) }
        }
        if !evidence.isEmpty { found(.jurisdictionRefusal, refuser, evidence.count) }

        // Intake: value = working days from the deadline to the step (or the as-of day), naming the holder on the deadline.
        var minor: (OfficialID, CivilDate)?
        if let deadline = intakeDeadline(kind: kind, procedure: opening.procedure, openedAt: open.at) {
            let index: Int?
            switch kind {
            case .dossier: index = moves.first
            case .complaint, .denunciation:
                index = actions.firstIndex { $0.body.type == .accept || $0.body.endsAtIntake || $0.body.type == .withdrawal }
            case .petition: index = actions.firstIndex { $0.body.type == .resolve }
            case .task, .reception, .programme, .proposal: index = nil
            }
            let doneOn = index.map { VietnamTime.date(actions[$0].at) }
            let late = doneOn.map { $0 > deadline } ?? (final.status.isOpen && asOf > deadline)
            if late {
                var holder = opening.owner
                for (i, a) in actions.enumerated() where VietnamTime.date(a.at) <= deadline { if let o = after[i].owner { holder = o } }
                found(.lateIntake, holder, days.workingDays(from: deadline, to: doneOn ?? asOf))
                // Minor findings that accumulate: a dossier held at intake past the forwarding deadline.
                if kind == .dossier { minor = (holder, deadline) }
            }
        }

        var facts = Facts(kind: kind, verdicts: verdicts, ownerChanges: people.count - 1, topPasser: topPasser, minorFinding: minor)
        if kind == .task, final.status != .resolved, final.status != .closed {
            facts.taskInForce = (opening.leadUnit, opening.product, opening.title, open.at, opening.owner)
        }
        return facts
    }

    /// Entries of a sequence (consecutive repeats collapsed) that visit an earlier one: how many, and the index of the
    /// first (0 when none).
    static func returns<T: Hashable>(_ sequence: [T]) -> (count: Int, first: Int) {
        var seen = Set<T>()
        var count = 0
        var first = 0
        for (k, x) in sequence.enumerated() {
            if seen.contains(x) {
                count += 1
                if first == 0 { first = k }
            }
            seen.insert(x)
        }
        return (count, first)
    }

    private static func isOpinion(_ body: ActionBody, from unit: UnitID) -> Bool {
        if case .opinion(let u, _) = body { u == unit } else { false }
    }

    private func isHandOff(_ body: ActionBody) -> Bool {
        switch body {
        case .transfer, .decline: true
        default: false
        }
    }

    /// Adds the cross-case verdicts: `transfers` (against the median of the same kind) and `accumulation`; each case's
    /// verdicts in the order of `DemoBehaviour.allCases`.
    func finalize(_ all: [Facts]) -> [[DemoVerdict]] {
        var medians: [CaseKind: Double] = [:]
        for kind in CaseKind.allCases {
            let values = all.filter { $0.kind == kind }.map(\.ownerChanges).sorted()
            guard !values.isEmpty else { continue }
            let mid = values.count / 2
            medians[kind] = values.count % 2 == 1 ? Double(values[mid]) : Double(values[mid - 1] + values[mid]) / 2
        }
        var minors: [OfficialID: [(day: CivilDate, caseIndex: Int)]] = [:]
        for (i, f) in all.enumerated() { if let m = f.minorFinding { minors[m.official, default: []].append((m.day, i)) } }
        var runs: [Int: DemoVerdict] = [:]
        for (official, list) in minors {
            for run in Self.windowEnds(list, count: Int(t.accumulationN), window: Int(t.accumulationWindow)) {
                runs[run.caseIndex] = DemoVerdict(behaviour: .accumulation, responsible: .official(official), value: run.size)
            }
        }

        let overlaps = Self.overlaps(all)
        let misses = Self.selfInspectionMisses(all)
        return all.enumerated().map { i, f in
            var verdicts = f.verdicts
            if let miss = misses[i] {
                verdicts[.selfInspectionMiss] = DemoVerdict(behaviour: .selfInspectionMiss, responsible: .official(miss.head), value: miss.count)
            }
            if let n = overlaps[i], let owner = f.taskInForce?.owner ?? f.inspectionOwner {
                verdicts[.overlap] = DemoVerdict(behaviour: .overlap, responsible: .official(owner), value: n)
            }
            let threshold = max(t.transfersMin, t.transfersMedianFactor * (medians[f.kind] ?? 0))
            if Double(f.ownerChanges) > threshold {
                verdicts[.transfers] = DemoVerdict(behaviour: .transfers, responsible: .official(f.topPasser), value: f.ownerChanges)
            }
            if let run = runs[i] { verdicts[.accumulation] = run }
            return DemoBehaviour.allCases.compactMap { verdicts[$0] }
        }
    }

    /// `self_inspection_miss`, as DemoTypes states it: per concluded self-inspection, the concluded outside violations in
    /// its units and fields over days it shares that it did not record itself.
    static func selfInspectionMisses(_ all: [Facts]) -> [Int: (head: OfficialID, count: Int)] {
        let concluded = all.enumerated().compactMap { i, f in f.inspection.flatMap { $0.conclusion == nil ? nil : (i, $0) } }
        var out: [Int: (OfficialID, Int)] = [:]
        for (i, own) in concluded where own.form == .selfInspection {
            guard let head = own.conclusion?.by else { continue }
            var count = 0
            for (_, outside) in concluded where outside.form == .external && outside.scope.from <= own.scope.to && own.scope.from <= outside.scope.to
            {
                for (_, v) in outside.violations where own.scope.subjects.contains(v.unit) && own.scope.fields.contains(v.field) {
                    if !own.violations.contains(where: { $0.violation.unit == v.unit && $0.violation.field == v.field }) { count += 1 }
                }
            }
            if count > 0 { out[i] = (head, count) }
        }
        return out
    }

    /// `overlap`, as DemoTypes states it: among tasks in force at the end, a later one with the same product (folded) and
    /// lead unit as an earlier one, or with the same title (folded) and another lead; its value is how many share it.
    static func overlaps(_ all: [Facts]) -> [Int: Int] {
        var out: [Int: Int] = [:]
        let tasks = all.enumerated().compactMap { i, f in f.taskInForce.map { (i, $0) } }.sorted { ($0.1.openedAt, $0.0) < ($1.1.openedAt, $1.0) }
        var byProduct: [String: [Int]] = [:]
        var byTitle: [String: [(Int, UnitID)]] = [:]
        for (i, t) in tasks {
            if let p = t.product { byProduct[t.lead.rawValue + "|" + SearchText.fold(p), default: []].append(i) }
            byTitle[SearchText.fold(t.title), default: []].append((i, t.lead))
        }
        for group in byProduct.values where group.count > 1 { for i in group.dropFirst() { out[i] = group.count } }
        for group in byTitle.values where Set(group.map(\.1)).count > 1 {
            for (i, lead) in group.dropFirst() where lead != group[0].1 && out[i] == nil { out[i] = group.count }
        }
        // External inspections under way of the same unit, field and days: the later one and those before it it overlaps.
        let inspections = all.enumerated().compactMap { i, f -> (Int, InspectionRecord)? in
            guard let r = f.inspection, r.form == .external, r.conclusion == nil, !r.ended else { return nil }
            return (i, r)
        }.sorted { ($0.1.openedAt, $0.0) < ($1.1.openedAt, $1.0) }
        for (n, (i, later)) in inspections.enumerated() where out[i] == nil {
            let earlier = inspections[..<n].filter { $0.1.scope.overlaps(later.scope) }.count
            if earlier > 0 { out[i] = earlier + 1 }
        }
        return out
    }

    /// The runs of one official's minor findings labelled `accumulation`: runs of at least `count` minor findings
    /// spanning at most `window` days, each finding in at most one run, taken earliest first (a run short of `count`
    /// moves on by one finding); each run labels the case of its last finding (by day, then case order) — one per
    /// run, as an inspector would count it — with the run's size as its value.
    static func windowEnds(_ minors: [(day: CivilDate, caseIndex: Int)], count: Int, window: Int) -> [(caseIndex: Int, size: Int)] {
        let sorted = minors.sorted { $0.day != $1.day ? $0.day < $1.day : $0.caseIndex < $1.caseIndex }
        var ends: [(Int, Int)] = []
        var first = 0
        while first < sorted.count {
            let run = sorted[first...].prefix { $0.day - sorted[first].day <= window }
            if run.count >= max(1, count), let end = run.last {
                ends.append((end.caseIndex, run.count))
                first += run.count
            } else {
                first += 1
            }
        }
        return ends
    }
}

/// The deadline rule for a case's step on a day, over rules grouped once by kind and step so per-case lookups do not
/// scan (and copy) the whole rulebook. The ground truth's own lookup (it does not call `Rulebook.rule`): among the
/// rules of the case's kind and step in force on the day (`DeadlineRule.isInForce`), the first in the rulebook's order
/// that names the case's procedure wins; without one, the first that names no procedure (the kind-wide rule); a rule
/// for another procedure never applies.
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
