import BuckStopCalendar
import BuckStopDomain

/// The demo city's programme, in the shape of seed 001's tracking sheet (Chương trình 01 of Hà Nội: "34 nhiệm vụ giao 11
/// cơ quan; 24 hoàn thành, 10 dự thảo chờ phê duyệt"): a programme of the city issued in January of the demo's last year,
/// 34 tasks in its annex to 11 agencies, each with a named official, a due date and an expected product; and a quarterly
/// plan of each agency for the quarter the demo ends in, with a task or two of its own. Most tasks were done on time,
/// some late; a share of drafts wait with the agency's head for approval when the demo ends (some long enough to be the
/// approver's stalling); a few are still in progress, some past their date. Officials report progress every few working
/// days, as the tracking sheet asks. Labels come from `GroundTruth`, like every other case. Only chunk 0 has it.
extension Generation {
    /// What a task of the annex was built to end as, by the demo's last day.
    enum TaskOutcome: CaseIterable {
        case onTime, late, awaiting, awaitingLong, inProgress
    }

    /// The programme, its plans and their tasks, each with its facts for `GroundTruth.finalize`, in order of opening.
    func programmeCases() -> [(DemoCase, Scenario, GroundTruth.Facts)] {
        let year = config.end.year
        guard let january = CivilDate(year: year, month: 1, day: 12), let december = CivilDate(year: year, month: 12, day: 31) else { return [] }
        let issued = calendar.nextWorkingDay(onOrAfter: january)
        // A programme needs a few months behind it to show anything but starts.
        guard issued >= start, calendar.workingDays(from: issued, to: config.end) >= 60 else { return [] }
        var rng = DemoRandom(seed: SplitMix64.derive(config.seed, 0x9C7, UInt64(year)))
        // The sở and the Văn phòng UBND: eleven agencies in the demo city, as in the sheet.
        let agencies = Array((city.departments + [City.office]).prefix(11))
        guard !agencies.isEmpty else { return [] }
        var out: [(DemoCase, Scenario, GroundTruth.Facts)] = []
        let chair = city.head(City.root)
        let office = City.office
        let rootCode = CaseID("\(org.unit(office)!.code)-CTR-\(year)-01")
        let document = IssuingDocument(number: "01/CTr-UBND", date: issued, signer: "Chủ tịch UBND thành phố \(org.official(chair)?.name ?? "")")
        let root = OpenCase(
            kind: .programme, procedure: PlanLevel.programme.rawValue,
            title: "Chương trình cải cách hành chính, chuyển đổi số và nâng cao chất lượng phục vụ người dân năm \(year)", leadUnit: office,
            owner: city.head(office), dueDate: december, document: document)
        let rootAt = VietnamTime.instant(issued, seconds: 8 * 3600 + 30 * 60)
        out.append(container(root, code: rootCode, by: chair, at: rootAt))

        // The annex: 34 tasks, three or four per agency, due at the end of a quarter or a month of the year.
        let outcomes = annexOutcomes(&rng)
        // The first annex task still being worked on at the end: its agency's quarterly plan assigns the same product to the
        // same division again — the overlap (chồng chéo) the programme should have avoided.
        var duplicated: [UnitID: OpenCase] = [:]
        for (i, outcome) in outcomes.enumerated() {
            let agency = agencies[i % agencies.count]
            let code = CaseID("\(rootCode.rawValue)-NV\(String(format: "%02d", i + 1))")
            let (title, product) = Texts.programmeTask(i, agencyName: city.name(agency))
            out.append(
                task(
                    code: code, parent: rootCode, agency: agency, title: title, product: product, openDay: issued,
                    document: IssuingDocument(number: document.number, date: issued, signer: document.signer), outcome: outcome, rng: &rng))
            if duplicated.count < 3, duplicated[agency] == nil, [.inProgress, .awaiting, .awaitingLong].contains(outcome) {
                duplicated[agency] = out[out.count - 1].0.open
            }
        }

        // Each agency's plan for the quarter the demo ends in, with a task or two of its own.
        let quarter = (config.end.month - 1) / 3
        guard let quarterStart = CivilDate(year: year, month: quarter * 3 + 1, day: 1),
            let quarterEnd = CivilDate(year: year, month: quarter * 3 + 3, day: 1)?.lastDayOfMonth
        else { return out }
        let planDay = calendar.nextWorkingDay(onOrAfter: quarterStart)
        guard planDay < config.end, planDay > issued else { return out }
        for agency in agencies {
            let head = city.head(agency)
            let unitCode = org.unit(agency)!.code
            let planCode = CaseID("\(unitCode)-KHQ\(quarter + 1)-\(year)")
            let planDoc = IssuingDocument(
                number: "\(rng.int(10...99))/KH-\(unitCode)", date: planDay, signer: "Giám đốc \(city.name(agency).lowercasedFirst)")
            let plan = OpenCase(
                kind: .programme, procedure: PlanLevel.quarter.rawValue, title: "Kế hoạch quý \(quarter + 1)/\(year) của \(city.name(agency))",
                leadUnit: agency, owner: head, dueDate: quarterEnd, parent: rootCode, document: planDoc)
            out.append(container(plan, code: planCode, by: head, at: VietnamTime.instant(planDay, seconds: 9 * 3600)))
            if let d = duplicated[agency] {
                var planted = task(
                    code: CaseID("\(planCode.rawValue)-NV9"), parent: planCode, agency: agency,
                    title: "Triển khai \((d.product ?? d.title).lowercasedFirst) theo kế hoạch quý", product: d.product ?? "",
                    openDay: planDay, document: planDoc, outcome: .inProgress, rng: &rng, due: quarterEnd, lead: d.leadUnit,
                    worker: d.owner)
                planted.1 = .overlap
                out.append(planted)
            }
            // One agency's plan holds a task its division handed back up (upward_push).
            if agency == agencies[1 % agencies.count] {
                var pushed = task(
                    code: CaseID("\(planCode.rawValue)-NV8"), parent: planCode, agency: agency,
                    title: "Rà soát, cắt giảm thủ tục hành chính nội bộ — \(city.name(agency))", product: "Phương án cắt giảm thủ tục nội bộ",
                    openDay: planDay, document: planDoc, outcome: .inProgress, rng: &rng, due: quarterEnd, pushedUp: true)
                pushed.1 = .upwardPush
                out.append(pushed)
            }
            var planned = Set<String>()
            for k in 0..<(rng.chance(0.5) ? 2 : 1) {
                // Two tasks of one plan produce different things (the same product twice is the overlap planted above).
                var (title, product) = Texts.planTask(&rng, agencyName: city.name(agency))
                while planned.contains(product) { (title, product) = Texts.planTask(&rng, agencyName: city.name(agency)) }
                planned.insert(product)
                let outcome: TaskOutcome = rng.weighted([(.onTime, 0.5), (.awaiting, 0.2), (.inProgress, 0.2), (.late, 0.1)])
                out.append(
                    task(
                        code: CaseID("\(planCode.rawValue)-NV\(k + 1)"), parent: planCode, agency: agency, title: title, product: product,
                        openDay: planDay, document: planDoc, outcome: outcome, rng: &rng, due: quarterEnd))
            }
        }
        return out.sorted { $0.0.openedAt < $1.0.openedAt }
    }

    /// 34 outcomes in the sheet's proportions, shuffled: 20 on time and 4 late (24 done), 6 drafts waiting a few days and
    /// 4 waiting long with the approver (10 awaiting approval)… as the demo ends; `annexOutcomes` keeps 34 in all.
    private func annexOutcomes(_ rng: inout DemoRandom) -> [TaskOutcome] {
        let counts: [(TaskOutcome, Int)] = [(.onTime, 19), (.late, 4), (.awaiting, 6), (.awaitingLong, 3), (.inProgress, 2)]
        return rng.shuffled(counts.flatMap { Array(repeating: $0.0, count: $0.1) })
    }

    /// A programme or plan: opened, then held by its owner (no work of its own: its tasks are the work).
    private func container(_ open: OpenCase, code: CaseID, by opener: OfficialID, at: Int64) -> (DemoCase, Scenario, GroundTruth.Facts) {
        let action = Action(caseID: code, actor: .official(opener), at: at, body: .open(open), via: DemoGenerator.credential)
        let facts = truth.facts(open: action, actions: [])
        return (
            DemoCase(open: open, code: code, openedBy: .official(opener), openedAt: at, applicant: nil, actions: [], labels: [], truth: []), .clean,
            facts
        )
    }

    /// One task: the agency's head assigns it to a division head or an official, who accepts, reports progress every few
    /// working days, and submits the draft product to the head, who approves it — as far as the outcome lets it go by the
    /// demo's last day.
    func task(
        code: CaseID, parent: CaseID, agency: UnitID, title: String, product: String, openDay: CivilDate, document: IssuingDocument,
        outcome: TaskOutcome, rng: inout DemoRandom, due givenDue: CivilDate? = nil, lead givenLead: UnitID? = nil,
        worker givenWorker: OfficialID? = nil, pushedUp: Bool = false
    ) -> (DemoCase, Scenario, GroundTruth.Facts) {
        let head = city.head(agency)
        let divisions = city.divisions(of: agency)
        let worker = givenWorker ?? (divisions.isEmpty ? pickMember(agency, &rng) : city.head(rng.pick(divisions)))
        let lead = givenLead ?? (divisions.isEmpty ? agency : org.official(worker)!.unit)
        let remaining = calendar.workingDays(from: openDay, to: config.end)
        // Finished ones were due before the end; waiting and unfinished ones may be due before or after it.
        let due: CivilDate
        if let givenDue {
            due = givenDue
        } else {
            let lastDueOffset: Int
            switch outcome {
            case .onTime, .late: lastDueOffset = max(20, remaining - 15)
            case .awaiting, .awaitingLong, .inProgress: lastDueOffset = remaining + 40
            }
            let offset = rng.int(min(20, lastDueOffset)...lastDueOffset)
            due = calendar.addingWorkingDays(offset, to: openDay).lastDayOfMonth
        }
        let allotted = calendar.workingDays(from: openDay, to: due)
        let step = max(1, Int(truth.t.stallingIdle) - 1)
        var p = Plan()
        p.add(.accept("Nhận nhiệm vụ, xây dựng kế hoạch triển khai"), gap: 1...2)
        // Handed back up to the head with no proposal (upward_push), who gives it to someone else in the agency.
        let others = (divisions.map { city.head($0) } + [pickMember(agency, &rng)]).filter { $0 != worker && $0 != head }
        if pushedUp, let other = others.first {
            p.add(.assign(to: head, note: "Đề nghị lãnh đạo Sở giao đơn vị khác chủ trì"), gap: 2...2)
            p.add(.assign(to: other, note: "Giao chủ trì thực hiện"), gap: 1...1)
            p.add(.accept("Nhận nhiệm vụ"), gap: 1...1)
        }
        // When the draft goes up, counted in working days from the opening.
        let submitAt: Int?
        switch outcome {
        case .onTime: submitAt = max(4, allotted - rng.int(3...max(3, allotted / 4)))
        case .late: submitAt = allotted + rng.int(2...8)
        case .awaiting: submitAt = remaining - rng.int(0...max(0, step - 1))
        case .awaitingLong: submitAt = remaining - rng.int((step + 3)...(step + 12))
        case .inProgress: submitAt = nil
        }
        let progressUntil = min(submitAt ?? (remaining + 1), remaining + 1)
        var day = 2
        var percent = 10
        while day + step < progressUntil {
            day += step
            percent = min(90, percent + rng.int(5...15))
            p.add(.progress(TaskProgress(percent: percent, text: Texts.taskProgress(&rng))), gap: step...step)
        }
        if let submitAt {
            let gap = max(0, submitAt - day)
            p.add(.submitDraft(to: head, draft: "Dự thảo " + product.lowercasedFirst), gap: gap...gap)
            // A draft left waiting is not approved by the last day, whatever the calendar.
            if outcome == .onTime || outcome == .late {
                let approveGap = rng.int(1...3)
                p.add(.approveDraft("Đồng ý, ban hành"), gap: approveGap...approveGap)
            }
        }
        p.layout(rng: &rng)
        let open = OpenCase(
            kind: .task, title: title, leadUnit: lead, owner: worker, dueDate: due, parent: parent, product: product, document: document)
        let openAt = VietnamTime.instant(openDay, seconds: 10 * 3600 + rng.int(0...3600))
        return run(p, opening: open, code: code, by: head, at: openAt, rng: rng)
    }

    /// A task opened and taken through its plan up to the demo's last day, with its facts; its scenario is what the
    /// outcome shows by then: late work, or something left waiting (or both).
    func run(_ p: Plan, opening open: OpenCase, code: CaseID, by opener: OfficialID, at openAt: Int64, rng: DemoRandom)
        -> (DemoCase, Scenario, GroundTruth.Facts)
    {
        let openAction = Action(caseID: code, actor: .official(opener), at: openAt, body: .open(open), via: DemoGenerator.credential)
        var runner = FlowRunner(
            org: org, calendar: calendar, end: config.end, open: openAction, resolveRule: nil, extensionRule: nil, cutoffHour: nil, rng: rng)
        runner.run(p)
        let facts = truth.facts(open: openAction, actions: runner.actions)
        let scenario: Scenario = facts.verdicts[.overdue] != nil ? .overdue : facts.verdicts[.stalling] != nil ? .stalling : .clean
        return (
            DemoCase(
                open: open, code: code, openedBy: .official(opener), openedAt: openAt, applicant: nil, actions: runner.actions, labels: [],
                truth: []), scenario, facts
        )
    }
}
