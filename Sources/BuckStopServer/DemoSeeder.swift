import BuckStopCalendar
import BuckStopDemo
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation

/// Seeds a realistic demo city into an empty store through the live ledger, the one way an entry is written (shared by
/// `buckstop demo` and `buckstop serve --demo`). Its findings come from the survey, as for any imported history.
public enum DemoSeeder {
    public struct Report: Sendable {
        public var organization: Organization
        public var cases: Int
        public var labelled: Int
        public var appended: Int
        public var generatedSeconds: Double
        public var appendSeconds: Double
        /// The surveys that raised the demo's findings (last night's and today's), together.
        public var survey: SurveyReport
    }

    public enum Failure: Error, CustomStringConvertible {
        case notEmpty(entries: Int64)
        case rejected(count: Int, first: String)

        public var description: String {
            switch self {
            case .notEmpty(let n): "the database already holds \(n) ledger entries; the demo seeds an empty database"
            case .rejected(let n, let first): "the store rejected \(n) demo actions (a generator bug); first: \(first)"
            }
        }
    }

    public static func seed(live: LiveLedger, seed: UInt64, cases: Int) async throws -> Report {
        let store = live.store
        let existing = try await store.ledgerSize()
        guard existing == 0 else { throw Failure.notEmpty(entries: existing) }
        let started = Date()
        // History ends yesterday, so nothing in it lies in the future of an action a user takes now.
        let yesterday = CivilDate(Date()).adding(days: -1)
        let history = DemoGenerator.generate(
            DemoConfiguration(seed: seed, caseCount: cases, end: yesterday, rulebook: live.rulebook, calendar: live.calendar))
        try await live.installOrganization(history.organization)
        let generated = Date()
        var requests: [AppendRequest] = []
        var appended = 0
        var rejected: [String] = []
        func flush() async {
            for (request, result) in zip(requests, await live.importHistory(requests)) {
                switch result {
                case .success: appended += 1
                case .failure(let error): rejected.append("\(describe(request)): \(error)")
                }
            }
            requests.removeAll(keepingCapacity: true)
        }
        for event in history.timeline() {
            switch event {
            case .open(let demoCase):
                let applicant = demoCase.applicant.map {
                    PersonalData(fullName: $0.fullName, idNumber: $0.idNumber, address: $0.address, phone: $0.phone)
                }
                requests.append(
                    .open(
                        demoCase.open, actor: demoCase.openedBy, at: demoCase.openedAt, code: demoCase.code, personalData: applicant,
                        via: DemoGenerator.credential))
            case .action(let action):
                requests.append(.action(action))
            }
            if requests.count == 2000 { await flush() }
        }
        await flush()
        // The ground truth is demo-only, outside `LedgerStore` (both stores keep it); a store without it would seed the
        // same city, only without the labels to score detectors against.
        if let labelled = store as? any DemoLabels {
            try await labelled.saveLabels(history.cases.flatMap { c in c.labels.sorted().map { (c.code, $0) } })
        }
        guard rejected.isEmpty else { throw Failure.rejected(count: rejected.count, first: rejected[0]) }
        // The findings come from the survey, as for any imported history: the city's nightly one, run yesterday evening
        // after the day's work; then its officials and heads went through some of them (DemoReviews), each step written as
        // a user's would be; today's survey (what `serve` runs at start) adds what time alone brought since — a
        // remediation due yesterday and not done is `late_remediation`.
        let day: Int64 = 86_400_000
        let vietnam: Int64 = 7 * 3_600_000
        let now = LiveLedger.nowMillis()
        let lastEvening = (now + vietnam) / day * day - vietnam - 10 * 60_000
        let relied = try await seedProposals(live: live, organization: history.organization, before: lastEvening - day)
        let nightly = try await live.runSurvey(now: lastEvening)
        let raised = try await store.findings(FindingQuery(limit: Int.max)).findings.map { f in
            DemoReviews.Subject(
                id: f.finding.id, caseID: f.finding.caseID, detector: f.finding.detector, official: f.finding.official, head: f.finding.head,
                raisedAt: f.raisedAt, proposal: relied[f.finding.caseID].flatMap { $0.proposer == f.finding.official ? $0.proposal : nil })
        }
        for step in DemoReviews.plan(
            raised, causes: live.rulebook.findingCauses.map(\.code), measures: live.rulebook.consequenceMeasures.map(\.code),
            criteria: live.rulebook.protectionCriteria.map(\.code), organization: history.organization, now: now)
        {
            do {
                _ = try await live.appendWorkflow(
                    Action(caseID: step.caseID, actor: .official(step.actor), at: step.at, body: step.body, via: DemoGenerator.credential))
            } catch {
                throw Failure.rejected(count: 1, first: "\(step.body.type.rawValue) on \(step.caseID): \(error)")
            }
        }
        let today = try await live.runSurvey()
        let survey = SurveyReport(
            at: today.at, cases: today.cases, findingsRaised: nightly.findingsRaised + today.findingsRaised, seconds: nightly.seconds + today.seconds)
        try await store.checkpoint()
        return Report(
            organization: history.organization, cases: history.cases.count, labelled: history.cases.filter { !$0.labels.isEmpty }.count,
            appended: appended, generatedSeconds: generated.timeIntervalSince(started), appendSeconds: Date().timeIntervalSince(generated),
            survey: survey)
    }

    /// The city's proposals (`DemoProposals`): the candidates are open cases already past their due date, held since before
    /// it by an official with a head above them, so the nightly survey finds them late and names their holder. Returns the
    /// cases acted on under an approved proposal, with the proposal and its proposer.
    static func seedProposals(live: LiveLedger, organization org: Organization, before: Int64) async throws -> [CaseID: (
        proposal: CaseID, proposer: OfficialID
    )] {
        let dueBy = CivilDate(Date(timeIntervalSince1970: Double(before) / 1000)).adding(days: -2)
        var candidates: [DemoProposals.Candidate] = []
        for c in try await live.store.listCases(status: .processing, unit: nil, owner: nil, search: nil, limit: 5000).cases {
            guard [.dossier, .task, .petition].contains(c.kind), let owner = c.owner, let due = c.dueDate, due < dueBy, c.updatedAt < before,
                !c.isSuspended, let person = org.official(owner), !person.roles.contains(.head),
                let authority = org.accountableHead(of: person.unit), authority != owner,
                CivilDate(Date(timeIntervalSince1970: Double(c.ownerSince) / 1000)) < due
            else { continue }
            candidates.append(.init(caseID: c.id, owner: owner, unit: person.unit, authority: authority, notBefore: c.updatedAt))
        }
        let proposers = org.officials.values.compactMap { o -> DemoProposals.Proposer? in
            guard o.active, !o.roles.contains(.head), let head = org.accountableHead(of: o.unit), head != o.id else { return nil }
            return .init(official: o.id, unit: o.unit, authority: head)
        }
        var relied: [CaseID: (CaseID, OfficialID)] = [:]
        for planned in DemoProposals.plan(candidates, proposers: proposers, now: before) {
            let opened = try await live.importHistory([
                .open(
                    planned.open, actor: .official(planned.proposer), at: planned.openedAt, code: nil, personalData: nil,
                    via: DemoGenerator.credential)
            ])
            guard let receipt = try opened.first?.get() else { continue }
            let proposal = receipt.caseID
            if let d = planned.decision {
                _ = try await live.importHistory([
                    .action(
                        Action(
                            caseID: proposal, actor: .official(planned.authority), at: d.at, body: .decideProposal(approve: d.approve, note: d.note),
                            via: DemoGenerator.credential))
                ])[0].get()
            }
            if let r = planned.reliance {
                _ = try await live.append(
                    Action(
                        caseID: r.caseID, actor: .official(planned.proposer), at: r.at, body: .actUnderProposal(proposal: proposal, note: r.note),
                        via: DemoGenerator.credential))
                relied[r.caseID] = (proposal, planned.proposer)
            }
        }
        return relied
    }

    static func describe(_ request: AppendRequest) -> String {
        switch request {
        case .action(let a), .stamped(let a): "\(a.body.type.rawValue) on \(a.caseID)"
        case .open(_, _, _, let code, _, _): "open \(code?.rawValue ?? "(new)")"
        }
    }

    /// Accounts to show on the login page: one unit's head and two of its officials (the unit whose officials hold
    /// the most open cases, so the demo shows full inboxes), an inspector, an administrator.
    public static func accounts(_ org: Organization, openCases: [OfficialID: Int] = [:]) -> [DemoAccount] {
        var out: [DemoAccount] = []
        let candidates = org.units.values.compactMap { unit -> (BuckStopDomain.Unit, [Official], Int)? in
            guard let head = unit.head, org.official(head)?.active == true else { return nil }
            let people = org.officials(in: unit.id).filter {
                $0.active && $0.id != head && $0.roles.isDisjoint(with: [.head, .inspector, .admin]) && !unit.deputies.contains($0.id)
            }
            .sorted { (openCases[$0.id] ?? 0, $1.id.rawValue) > (openCases[$1.id] ?? 0, $0.id.rawValue) }
            guard people.count >= 2 else { return nil }
            return (unit, people, people.prefix(2).reduce(0) { $0 + (openCases[$1.id] ?? 0) })
        }.sorted { ($0.2, $0.1.count, $1.0.id.rawValue) > ($1.2, $1.1.count, $0.0.id.rawValue) }
        if let (unit, people, _) = candidates.first, let head = unit.head.flatMap(org.official) {
            out.append(DemoAccount(id: head.id, name: head.name, role: "head", unit: unit.id))
            for p in people.prefix(2) { out.append(DemoAccount(id: p.id, name: p.name, role: "official", unit: unit.id)) }
        }
        let officials = org.officials.values.filter(\.active).sorted { $0.id < $1.id }
        if let inspector = officials.first(where: { $0.roles.contains(.inspector) }) {
            out.append(DemoAccount(id: inspector.id, name: inspector.name, role: "inspector", unit: inspector.unit))
        }
        if let admin = officials.first(where: { $0.roles.contains(.admin) }) {
            out.append(DemoAccount(id: admin.id, name: admin.name, role: "admin", unit: admin.unit))
        }
        return out
    }
}
