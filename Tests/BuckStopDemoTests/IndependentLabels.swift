import BuckStopCalendar
import BuckStopDemo
import BuckStopDomain
import Foundation

/// A second, independent reading of the behaviour definitions documented on `DemoBehaviour`, written
/// without the generator's code: the tests require it to find exactly the labels the generator attached.
struct IndependentLabels {
    typealias T = TestData.Threshold
    let org: Organization
    let rulebook: Rulebook
    let calendar: WorkingCalendar
    let asOf: CivilDate

    struct PerCase {
        var labels: Set<String> = []
        var ownerChanges = 0
        var kind: CaseKind
        var minor: (official: OfficialID, day: CivilDate)?
        /// A task neither resolved nor closed at the end.
        var inForce = false
    }

    func agencyOf(_ official: OfficialID) -> UnitID {
        var unit = org.official(official)!.unit
        while org.unit(unit)!.kind == .division { unit = org.unit(unit)!.parent! }
        return unit
    }

    func all(_ cases: [DemoCase]) -> [Set<String>] {
        let per = cases.map(perCase)
        // transfers: against the median number of owner changes of the same kind.
        var median: [CaseKind: Double] = [:]
        for kind in CaseKind.allCases {
            let v = per.filter { $0.kind == kind }.map(\.ownerChanges).sorted()
            if v.isEmpty { continue }
            median[kind] = v.count % 2 == 0 ? Double(v[v.count / 2 - 1] + v[v.count / 2]) / 2 : Double(v[v.count / 2])
        }
        // accumulation: an official's dated minor findings, taken earliest first into runs of at least N within W
        // days, each finding in one run; a run labels the case of its last finding (by day, then case order).
        var byOfficial: [OfficialID: [(day: CivilDate, index: Int)]] = [:]
        for (i, p) in per.enumerated() { if let m = p.minor { byOfficial[m.official, default: []].append((m.day, i)) } }
        var runEnds = Set<Int>()
        for list in byOfficial.values {
            let sorted = list.sorted { ($0.day, $0.index) < ($1.day, $1.index) }
            var i = 0
            while i < sorted.count {
                let inWindow = sorted.indices.filter { $0 >= i && sorted[$0].day - sorted[i].day <= T.accumulationWindow }
                if inWindow.count >= T.accumulationN {
                    runEnds.insert(sorted[inWindow.last!].index)
                    i = inWindow.last! + 1
                } else {
                    i += 1
                }
            }
        }
        // overlap: tasks in force at the end, by opening; a later one with an earlier one's product (folded) and lead unit,
        // or its title (folded) under another lead unit.
        var overlapping = Set<Int>()
        let inForce = cases.indices.filter { per[$0].inForce }.sorted { (cases[$0].openedAt, $0) < (cases[$1].openedAt, $1) }
        for (n, i) in inForce.enumerated() {
            let later = cases[i].open
            for j in inForce[..<n] {
                let earlier = cases[j].open
                let sameProduct =
                    later.product != nil && earlier.leadUnit == later.leadUnit
                    && SearchText.fold(earlier.product ?? "") == SearchText.fold(later.product ?? "")
                let sameTitle = earlier.leadUnit != later.leadUnit && SearchText.fold(earlier.title) == SearchText.fold(later.title)
                if sameProduct || sameTitle { overlapping.insert(i) }
            }
        }
        // self_inspection_miss: a concluded self-inspection with nothing recorded for a (unit, field) of its scope that a
        // concluded external inspection of shared days recorded.
        func concluded(_ c: DemoCase) -> Bool { c.actions.contains { $0.body.type == .concludeInspection } }
        func found(_ c: DemoCase) -> [(UnitID, String)] {
            c.actions.compactMap { a in
                if case .recordViolation(let v) = a.body { return (v.unit, v.field) }
                return nil
            }
        }
        // overlap of inspections: outside inspections neither concluded nor closed, by opening; a later one that shares a
        // unit, a field and a day with an earlier one.
        let underWay = cases.indices.filter { i in
            cases[i].open.procedure == "inspection" && !concluded(cases[i])
                && !cases[i].actions.contains { $0.body.type == .close || $0.body.type == .cancel }
        }.sorted { (cases[$0].openedAt, $0) < (cases[$1].openedAt, $1) }
        for (n, i) in underWay.enumerated() {
            let later = cases[i].open.inspection!
            for j in underWay[..<n] {
                let earlier = cases[j].open.inspection!
                if earlier.from <= later.to, later.from <= earlier.to, !Set(earlier.subjects).isDisjoint(with: later.subjects),
                    !Set(earlier.fields).isDisjoint(with: later.fields)
                {
                    overlapping.insert(i)
                }
            }
        }
        var missed = Set<Int>()
        for (i, own) in cases.enumerated() where own.open.procedure == "self-inspection" && concluded(own) {
            let scope = own.open.inspection!
            for outside in cases where outside.open.procedure == "inspection" && concluded(outside) {
                let other = outside.open.inspection!
                guard other.from <= scope.to, scope.from <= other.to else { continue }
                for (unit, field) in found(outside) where scope.subjects.contains(unit) && scope.fields.contains(field) {
                    if !found(own).contains(where: { $0 == (unit, field) }) { missed.insert(i) }
                }
            }
        }
        return per.enumerated().map { i, p in
            var labels = p.labels
            if overlapping.contains(i) { labels.insert("overlap") }
            if missed.contains(i) { labels.insert("self_inspection_miss") }
            if Double(p.ownerChanges) > max(T.transfersMin, T.transfersMedianFactor * median[p.kind]!) { labels.insert("transfers") }
            if runEnds.contains(i) { labels.insert("accumulation") }
            return labels
        }
    }

    /// The official and day of a case's minor finding (a late forward of a dossier), if it has one.
    func minor(_ c: DemoCase) -> (official: OfficialID, day: CivilDate)? { perCase(c).minor }

    func day(_ ms: Int64) -> CivilDate { TestData.localDate(ms) }

    func perCase(_ c: DemoCase) -> PerCase {
        if c.open.kind == .reception { return PerCase(labels: receptionLabels(c), kind: .reception) }
        // A programme or plan is a container: only its tasks are read.
        if c.open.kind == .programme { return PerCase(kind: .programme) }
        let states = TestData.states(c, in: org) ?? TestData.replayedStates(c, in: org)!
        let acts = c.actions
        var out = PerCase(kind: c.open.kind)
        out.inForce = c.open.kind == .task && ![CaseStatus.resolved, .closed].contains(states.last!.status)
        let opened = day(c.openedAt)
        // Owner after event i (0 = the opening); moves are actions after which the owner is someone else.
        let owners = states.map(\.owner)
        func isMove(_ i: Int) -> Bool { owners[i + 1] != nil && owners[i + 1] != owners[i] }
        func count(_ t: ActionType) -> Int { acts.filter { $0.body.type == t }.count }

        // ping_pong and transfers.
        // A draft up to its approver and back is review, not a hand-over: the owner after it is not followed.
        var people: [OfficialID] = []
        for (i, o) in owners.enumerated() where people.last != o && o != nil {
            if i > 0, [ActionType.submitDraft, .returnDraft, .submitReport].contains(acts[i - 1].body.type) { continue }
            people.append(o!)
        }
        var units: [UnitID] = []
        for u in people.map({ org.official($0)!.unit }) where units.last != u { units.append(u) }
        if people.count != Set(people).count || units.count != Set(units).count { out.labels.insert("ping_pong") }
        out.ownerChanges = people.count - 1

        // upward_push and shuttle: what happens at the first move after each escalation.
        var trips = 0
        for (k, a) in acts.enumerated() {
            guard case .escalate(let up, _) = a.body else { continue }
            guard let m = ((k + 1)..<acts.count).first(where: { isMove($0) || states[$0 + 1].status == .closed }) else { continue }
            var returnedDown = false
            if acts[m].actor == .official(up) {
                if case .delegate = acts[m].body { returnedDown = true }
                if case .assign(let to, _) = acts[m].body, org.authorityLevel(of: to) > org.authorityLevel(of: up) { returnedDown = true }
            }
            if returnedDown {
                trips += 1
                if !acts[(k + 1)..<m].contains(where: { $0.body.type == .decide }) { out.labels.insert("upward_push") }
            }
        }
        if trips >= T.shuttleRoundTrips { out.labels.insert("shuttle") }
        // upward_push on a task: handed up the line by an assignment or a transfer, not an escalation.
        if c.open.kind == .task {
            for (i, a) in acts.enumerated() where isMove(i) {
                var to: OfficialID?
                if case .assign(let t, _) = a.body { to = t }
                if case .transfer(let t, _) = a.body { to = t }
                guard let to, let mover = a.actor.officialID ?? owners[i] else { continue }
                if org.authorityLevel(of: to) < org.authorityLevel(of: mover) { out.labels.insert("upward_push") }
            }
        }

        // consultation_rounds.
        if count(.consult) >= T.consultationRounds { out.labels.insert("consultation_rounds") }
        for (k, a) in acts.enumerated() {
            guard case .consult(let asked, _, let by) = a.body else { continue }
            for unit in asked {
                var answeredOn: CivilDate?
                for later in acts[(k + 1)...] {
                    if case .opinion(let u, _) = later.body, u == unit {
                        answeredOn = day(later.at)
                        break
                    }
                }
                let when = answeredOn ?? states.last!.closedAt.map(day) ?? asOf
                if when > by { out.labels.insert("consultation_rounds") }
            }
        }

        // stalling.
        // Complaints and denunciations get their due date on acceptance; the allotted time then runs from there.
        var allotted = c.open.dueDate.map { calendar.workingDays(from: opened, to: $0) }
        func tooIdle(_ from: CivilDate, _ to: CivilDate) -> Bool {
            let idle = calendar.workingDays(from: from, to: to)
            return idle > T.stallingIdle || (allotted != nil && Double(idle) > T.stallingShare * Double(allotted!))
        }
        var since = opened
        for (i, a) in acts.enumerated() {
            let byOwner = a.actor.officialID != nil && a.actor.officialID == owners[i]
            let closes = states[i].status != .closed && states[i + 1].status == .closed
            guard byOwner || isMove(i) || closes else { continue }
            let counted = states[i].status != .awaitingSupplement && states[i].status != .closed && states[i].suspendedSince == nil
            if counted && tooIdle(since, day(a.at)) { out.labels.insert("stalling") }
            since = day(a.at)
            if allotted == nil, case .accept(_, let d?) = a.body { allotted = calendar.workingDays(from: since, to: d) }
        }
        let last = states.last!
        if last.status != .closed && last.status != .awaitingSupplement && last.suspendedSince == nil && tooIdle(since, asOf) {
            out.labels.insert("stalling")
        }

        // overdue and no_apology.
        let extensionRule = rulebook.rule(for: c.open.kind, procedure: c.open.procedure, step: .extension, on: opened)
        let lawfulExtensions = extensionRule.map { $0.maxCount ?? Int.max } ?? 0
        var finish: Int? = acts.firstIndex { $0.body.type == .resolve || $0.body.type == .approveDraft }
        if finish == nil { finish = acts.indices.first { states[$0 + 1].status == .closed } }
        // The due date: the opening's, or the one the first acceptance of a case received without one starts (thụ lý);
        // then supplements and lawful extensions move it.
        var dueSoFar = c.open.dueDate
        var extensions = 0
        for a in acts.prefix(finish.map { $0 + 1 } ?? acts.count) {
            if case .accept(_, let d?) = a.body, dueSoFar == nil { dueSoFar = d }
            if case .supplementReceived(_, let d?) = a.body { dueSoFar = d }
            if case .resume(_, let d?) = a.body { dueSoFar = d }
            if case .extend(let d, _) = a.body {
                extensions += 1
                if extensions <= lawfulExtensions { dueSoFar = d }
            }
        }
        if let due = dueSoFar {
            let late: Bool
            if let finish {
                late = day(acts[finish].at) > due
            } else {
                late = last.status != .awaitingSupplement && last.suspendedSince == nil && asOf > due
            }
            if late {
                out.labels.insert("overdue")
                let before = acts.prefix(finish ?? acts.count)
                let apologised = before.contains { a in
                    guard case .reschedule = a.body else { return false }
                    return day(a.at) <= due.adding(days: -T.apologyDays)
                }
                if !apologised { out.labels.insert("no_apology") }
            }
        }

        if count(.reschedule) > T.rescheduleMax { out.labels.insert("repeat_reschedule") }
        if count(.requestSupplement) > T.supplementMax { out.labels.insert("repeat_supplement") }
        if count(.decide) > 1 || count(.resolve) > 1 { out.labels.insert("rework") }

        // conflict_of_interest: a denunciation in the hands of the accused or of someone in a unit they head or
        // deputise (and do not lead themselves); read from the unit tree directly.
        if c.open.kind == .denunciation, let accused = c.open.concerning?.official {
            func leads(_ who: OfficialID, _ unit: UnitID) -> Bool {
                org.unit(unit).map { $0.head == who || $0.deputies.contains(who) } ?? false
            }
            func under(_ who: OfficialID) -> Bool {
                if who == accused { return true }
                var cursor: UnitID? = org.official(who)?.unit
                while let u = cursor {
                    if leads(accused, u) && !leads(who, u) { return true }
                    cursor = org.unit(u)?.parent
                }
                return false
            }
            var hits = false
            for (i, a) in acts.enumerated() {
                if isMove(i), let o = owners[i + 1], under(o) { hits = true }
                if a.body.type == .decide, let who = a.actor.officialID ?? owners[i], under(who) { hits = true }
            }
            if hits { out.labels.insert("conflict_of_interest") }
        }
        // wrong_level: a decision signed by neither the head nor a deputy of the deciding body.
        if c.open.kind == .denunciation || c.open.kind == .complaint, let body = c.open.decidingBody, let unit = org.unit(body) {
            for (i, a) in acts.enumerated() where a.body.type == .decide {
                if let who = a.actor.officialID ?? owners[i], who != unit.head, !unit.deputies.contains(who) {
                    out.labels.insert("wrong_level")
                }
            }
        }

        // extension_abuse.
        if count(.extend) > lawfulExtensions { out.labels.insert("extension_abuse") }
        if let rule = extensionRule {
            for (i, a) in acts.enumerated() {
                guard case .extend(let newDue, _) = a.body, let old = states[i].dueDate else { continue }
                let longest = calendar.deadline(receivedAt: old.startInstant(), duration: rule.duration, unit: rule.unit, cutoffHour: T.cutoffHour)
                if newDue > longest { out.labels.insert("extension_abuse") }
            }
        }

        // jurisdiction_refusal.
        // Competence over the matter comes only from a mandate naming the procedure; a body that merely receives a
        // kind of letter (petitions) refers it on inside the organisation without refusing anything.
        let competent = Set(org.competentUnits(for: c.open.kind, procedure: c.open.procedure))
        let procedureMandate = org.mandates.contains { m in m.procedure != nil && m.procedure == c.open.procedure && m.caseKind == c.open.kind }
        for (i, a) in acts.enumerated() {
            switch a.body {
            case .decline:
                let endsHere = owners[i + 1] == nil
                if competent.contains(agencyOf(a.actor.officialID!)) && (procedureMandate || endsHere) { out.labels.insert("jurisdiction_refusal") }
            case .transfer(let to, _):
                if procedureMandate && competent.contains(agencyOf(owners[i]!)) && !competent.contains(agencyOf(to)) {
                    out.labels.insert("jurisdiction_refusal")
                }
            default: break
            }
        }
        let moves = acts.indices.filter(isMove)
        for (a, b) in zip(moves, moves.dropFirst()) {
            let handOffs: Set<ActionType> = [.transfer, .decline]
            guard handOffs.contains(acts[a].body.type), handOffs.contains(acts[b].body.type) else { continue }
            let sender = owners[a]!
            let receiver = owners[a + 1]!
            let next = owners[b + 1]!
            if acts[b].actor == .official(receiver), agencyOf(receiver) != agencyOf(sender), agencyOf(next) == agencyOf(sender) {
                out.labels.insert("jurisdiction_refusal")
            }
        }

        // late_intake (and the minor finding it is, for dossiers).
        let intake: (RuleStep, Int, DurationUnit, ActionType?)?
        switch c.open.kind {
        case .dossier: intake = (.forward, 0, .sameDay, nil)
        case .complaint: intake = (.accept, 10, .workingDays, .accept)
        case .denunciation: intake = (.classify, 7, .workingDays, .accept)
        case .petition, .task, .reception, .programme, .proposal: intake = nil  // a petition's one clock is its answer: `overdue`
        }
        if let (step, days, unit, type) = intake {
            let rule = rulebook.rule(for: c.open.kind, procedure: c.open.procedure, step: step, on: opened)
            let deadline = calendar.deadline(
                receivedAt: Date(timeIntervalSince1970: TimeInterval(c.openedAt) / 1000), duration: rule?.duration ?? days,
                unit: rule?.unit ?? unit, cutoffHour: T.cutoffHour)
            let done = type.map { t in acts.firstIndex { $0.body.type == t } } ?? moves.first
            let late = done.map { day(acts[$0].at) > deadline } ?? (last.status != .closed && asOf > deadline)
            if late {
                out.labels.insert("late_intake")
                if c.open.kind == .dossier {
                    var holder = c.open.owner
                    for (i, a) in acts.enumerated() where day(a.at) <= deadline { holder = owners[i + 1] ?? holder }
                    out.minor = (holder, deadline)
                }
            }
        }
        return out
    }
}

extension IndependentLabels {
    /// `reception_skipped` and `reception_delegated` of a reception book, read from `DemoBehaviour`'s definitions with
    /// calendar arithmetic of its own (weeks from `isoWeekday`, months from day 1), day by day.
    func receptionLabels(_ c: DemoCase) -> Set<String> {
        guard let level = c.open.procedure else { return [] }
        let head = c.open.owner
        let opened = day(c.openedAt)
        let last = c.actions.first { $0.body.type == .close }.map { day($0.at) } ?? asOf.adding(days: -1)
        var periodic: [(day: CivilDate, by: OfficialID)] = []
        for a in c.actions { if case .receptionHeld(let s) = a.body, s.periodic { periodic.append((s.day, s.receivedBy)) } }
        var labels = Set<String>()
        var missing = 0
        for row in rulebook.receptionSchedules where row.level == level {
            var starts = Set<CivilDate>()
            var d = max(row.effectiveFrom, opened.adding(days: -40))
            while d <= min(row.effectiveTo ?? last, last) {
                starts.insert(row.per == .week ? d.adding(days: 1 - d.isoWeekday) : CivilDate(year: d.year, month: d.month, day: 1)!)
                d = d.adding(days: 1)
            }
            for start in starts {
                var days: [CivilDate] = []
                var x = start
                while (row.per == .week && x < start.adding(days: 7)) || (row.per == .month && x.month == start.month) {
                    days.append(x)
                    x = x.adding(days: 1)
                }
                let working = days.filter { calendar.isWorkingDay($0) }
                guard days.allSatisfy(row.isInForce(on:)), working.allSatisfy({ $0 >= opened && $0 <= last }) else { continue }
                let held = Set(periodic.map(\.day).filter(days.contains)).count
                missing += max(0, min(row.days, working.count) - held)
            }
        }
        if missing > 0 { labels.insert("reception_skipped") }
        let rows = rulebook.receptionSchedules.filter { $0.level == level }
        if periodic.contains(where: { s in s.by != head && rows.contains { $0.isInForce(on: s.day) && !$0.delegationAllowed } }) {
            labels.insert("reception_delegated")
        }
        return labels
    }
}
