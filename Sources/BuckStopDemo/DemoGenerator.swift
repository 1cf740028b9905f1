import BuckStopCalendar
import BuckStopDomain

/// Generates a realistic city and about 18 months of case history in which most work is done well and
/// a small, fixed share of cases shows one of the avoidance behaviours of the DESIGN catalogue. Every
/// case is labelled with the behaviours that are true of it (`DemoBehaviour` documents each definition).
///
/// Case mix: 80 % dossiers, 7 % petitions, 5 % complaints, 5 % tasks, 3 % denunciations. Built to show a
/// behaviour (the rest are done well; see `Scenario.weights`): dossiers 18.5 % in all — ping-pong 2.2, overdue 2.2,
/// a designated one-stop official's late forward (accumulation) 1.8, stalling 1.8, upward push 1.6, transfers 1.2,
/// repeated supplements 1.2, refusal of jurisdiction 1.2, rework 1.2, shuttle 1.0, consultation rounds 1.0 + late
/// opinions 0.8, repeated reschedules 0.8, late intake 0.5; complaints 20 %, denunciations 28 % (extension abuse 18),
/// petitions 16 %, tasks 20 %. A case's labels are then decided by `GroundTruth`, so co-occurring behaviours
/// (an overdue case that never apologised, a shuttle that is also ping-pong) are all labelled.
///
/// Flows: a dossier is received by a one-stop official (the Trung tâm for tỉnh procedures, the ward for xã ones),
/// forwarded to a specialist of the competent unit, accepted, examined (sometimes with a consultation answered by
/// an official of the consulted unit, sometimes with one request for supplements), escalated with a proposal to the
/// signing leader, who decides with a rationale, resolves and closes; the citizen often rates it. Complaints and
/// denunciations go through Thanh tra (reception, inspector, Chánh Thanh tra or a Phó Chủ tịch), petitions through
/// the Văn phòng, tasks from a UBND leader to a sở's director, deputy and phòng. Everything happens on working days
/// in office hours (07:30–17:00, UTC+7); steps after `end` are cut, so recent cases are still open.
public enum DemoGenerator {
    /// Generated history says so on every entry, so nobody mistakes the demo's actions for real work.
    public static let credential = Credential.generated("demo")

    public static func generate(_ configuration: DemoConfiguration) -> DemoHistory {
        Generation(configuration).run().history
    }

    /// The city, calendar tables and rule index built once, then any number of chunks of cases drawn from it
    /// (`DemoConfiguration.chunkIndex`): what `buckstop synth` uses to stream logs far larger than memory.
    /// `chunk(k, caseCount: n)` returns exactly the cases of `generate` with `chunkIndex = k, caseCount = n`.
    /// Safe to use from several threads at once.
    public struct Chunked: Sendable {
        private let generation: Generation

        /// `configuration.caseCount` and `chunkIndex` are ignored; each chunk says its own.
        public init(_ configuration: DemoConfiguration) {
            generation = Generation(configuration)
        }

        public var organization: Organization { generation.org }
        public var configuration: DemoConfiguration { generation.config }

        public func chunk(_ index: Int, caseCount: Int) -> [DemoCase] {
            var g = generation
            g.config.chunkIndex = index
            g.config.caseCount = caseCount
            return g.run().history.cases
        }
    }
}

/// What a case was built to show. The labels are decided afterwards by `GroundTruth`.
enum Scenario: String, CaseIterable, Sendable {
    case clean, transfers, pingPong, upwardPush, shuttle, consultRounds, consultLate, stalling, overdue
    case repeatReschedule, repeatSupplement, declineRefusal, lateIntake, extensionAbuse, rework
    /// A designated one-stop official forwards a dossier a working day late (a minor finding that accumulates).
    case minorDelay
    /// A plan's task with the same product for the same division as a programme task still being worked on.
    case overlap
    /// A denunciation against a Phó Chánh Thanh tra, verified by the inspectorate they lead.
    case conflictOfInterest
    /// A complaint or denunciation decided by the Chánh Thanh tra (only with `uncheckedDecisions`).
    case wrongLevel
    /// A unit's reception book (`ReceptionBooks`): built from its head's habits, its labels read from its sessions.
    case receptionBook
    /// A unit's self-inspection concluded clean where the inspectorate then finds violations (`DemoInspections`).
    case selfInspectionMiss

    /// The behaviour the scenario is built to show (others may co-occur).
    var intended: DemoBehaviour? {
        switch self {
        case .clean: nil
        case .transfers: .transfers
        case .pingPong: .pingPong
        case .upwardPush: .upwardPush
        case .shuttle: .shuttle
        case .consultRounds, .consultLate: .consultationRounds
        case .stalling: .stalling
        case .overdue: .overdue
        case .repeatReschedule: .repeatReschedule
        case .repeatSupplement: .repeatSupplement
        case .declineRefusal: .jurisdictionRefusal
        case .lateIntake: .lateIntake
        case .extensionAbuse: .extensionAbuse
        case .rework: .rework
        case .minorDelay: .accumulation
        case .overlap: .overlap
        case .conflictOfInterest: .conflictOfInterest
        case .wrongLevel: .wrongLevel
        case .receptionBook: nil
        case .selfInspectionMiss: .selfInspectionMiss
        }
    }

    /// Share of cases of each kind built to show each behaviour; the rest are done well.
    static func weights(for kind: CaseKind, unchecked: Bool) -> [(Scenario, Double)] {
        guard unchecked, kind == .complaint || kind == .denunciation else { return weights(for: kind) }
        // The Chánh Thanh tra signs some decisions: taken from the clean share.
        return weights(for: kind).map { $0.0 == .clean ? (.clean, $0.1 - 0.06) : $0 } + [(.wrongLevel, 0.06)]
    }

    static func weights(for kind: CaseKind) -> [(Scenario, Double)] {
        switch kind {
        case .dossier:
            [
                (.clean, 0.815), (.transfers, 0.012), (.pingPong, 0.022), (.upwardPush, 0.016), (.shuttle, 0.010),
                (.consultRounds, 0.010), (.consultLate, 0.008), (.stalling, 0.018), (.overdue, 0.022), (.repeatReschedule, 0.008),
                (.repeatSupplement, 0.012), (.declineRefusal, 0.012), (.lateIntake, 0.005), (.rework, 0.012), (.minorDelay, 0.018),
            ]
        case .complaint:
            [(.clean, 0.80), (.lateIntake, 0.06), (.stalling, 0.05), (.overdue, 0.04), (.consultLate, 0.03), (.pingPong, 0.02)]
        case .denunciation:
            [(.clean, 0.64), (.extensionAbuse, 0.18), (.lateIntake, 0.05), (.stalling, 0.05), (.conflictOfInterest, 0.08)]
        case .petition:
            // A petition has one clock, its answer (no separate intake deadline): a late answer is `overdue`.
            [(.clean, 0.84), (.overdue, 0.09), (.pingPong, 0.03), (.consultRounds, 0.02), (.upwardPush, 0.02)]
        case .task:
            [(.clean, 0.80), (.stalling, 0.07), (.overdue, 0.07), (.pingPong, 0.03), (.consultRounds, 0.03)]
        // Reception books are not drawn among the cases (`ReceptionBooks` writes them, one per unit and year).
        case .reception, .programme, .proposal: [(.clean, 1.0)]
        }
    }

    static let kindWeights: [(CaseKind, Double)] = [(.dossier, 0.80), (.complaint, 0.05), (.denunciation, 0.03), (.petition, 0.07), (.task, 0.05)]
}

struct Generation: Sendable {
    fileprivate(set) var config: DemoConfiguration
    let city: City
    let org: Organization
    let calendar: WorkingCalendar
    let rulebook: Rulebook
    let truth: GroundTruth
    let start: CivilDate
    let days: [CivilDate]
    let dossierProcedures: [(procedure: Procedure, route: Route, weight: Double)]
    /// `allottedTable[p][d]`: working days allotted to dossier procedure `p` received on `days[d]`, nil when no
    /// resolve rule of the procedure is in force that day (so procedures are picked without scanning the rulebook).
    let allottedTable: [[Int?]]
    let centreDesignee: OfficialID
    let wardDesignee: OfficialID
    let designeeWard: UnitID

    struct Output {
        var history: DemoHistory
        var scenarios: [Scenario]
    }

    struct Seedling {
        var index: Int
        var day: CivilDate
        var seconds: Int
        var kind: CaseKind
        var scenario: Scenario
        var procedure: Procedure?
        var route: Route?
        var ward: UnitID?
        var receiving: UnitID
        var rng: DemoRandom
        var at: Int64 { VietnamTime.instant(day, seconds: seconds) }
    }

    init(_ config: DemoConfiguration) {
        self.config = config
        self.rulebook = config.rulebook
        self.calendar = config.calendar
        let city = City.build(seed: config.seed, rulebook: config.rulebook)
        self.city = city
        self.org = city.org
        self.truth = GroundTruth(org: city.org, rulebook: config.rulebook, days: config.groundTruthDays, asOf: config.end)
        var y = config.end.year
        var m = config.end.month - 18
        while m < 1 {
            m += 12
            y -= 1
        }
        var d = config.end.day
        while CivilDate(year: y, month: m, day: d) == nil { d -= 1 }
        self.start = CivilDate(year: y, month: m, day: d)!
        var days: [CivilDate] = []
        var cursor = start
        while cursor <= config.end {
            if config.calendar.isWorkingDay(cursor) { days.append(cursor) }
            cursor = cursor.adding(days: 1)
        }
        self.days = days
        let procedures: [(procedure: Procedure, route: Route, weight: Double)] = config.rulebook.procedures.compactMap { p in
            guard p.caseKind == .dossier, let route = city.routes[p.code] else { return nil }
            return (p, route, Self.popularity(p))
        }
        self.dossierProcedures = procedures
        self.allottedTable = procedures.map { entry in
            let rules = config.rulebook.rules.filter { $0.caseKind == .dossier && $0.procedure == entry.procedure.code && $0.step == .resolve }
            return days.map { day in
                guard let rule = rules.first(where: { $0.isInForce(on: day) }) else { return nil }
                let due = config.calendar.deadline(
                    receivedAt: VietnamTime.foundation(VietnamTime.instant(day, seconds: 9 * 3600)), duration: rule.duration, unit: rule.unit,
                    cutoffHour: config.rulebook.limit(.intakeCutoffHour, on: day)?.value)
                return config.calendar.workingDays(from: day, to: due)
            }
        }
        var rng = DemoRandom(seed: SplitMix64.derive(config.seed, 0xACC))
        self.centreDesignee = rng.pick(city.staff(City.serviceCentre, .oneStop))
        self.designeeWard = rng.pick(city.wards.filter { !city.rural.contains($0) })
        self.wardDesignee = city.staff(designeeWard, .oneStop)[0]
    }

    /// Rough relative demand: certified copies and birth registrations dwarf environmental permits.
    static func popularity(_ p: Procedure) -> Double {
        let n = p.nameVi.lowercased()
        let table: [(String, Double)] = [
            ("bản sao", 10), ("chữ ký", 5), ("khai sinh", 8), ("kết hôn có yếu tố", 1.5), ("kết hôn", 4), ("khai tử", 2),
            ("hợp đồng", 3), ("hộ kinh doanh", 4), ("lý lịch tư pháp", 6), ("thành lập doanh nghiệp", 5),
            ("thay đổi nội dung đăng ký doanh nghiệp", 4), ("đất", 4), ("xây dựng", 3),
        ]
        return table.first { n.contains($0.0) }?.1 ?? 1.5
    }

    // MARK: - Run

    func run() -> Output {
        var seedlings: [Seedling] = []
        seedlings.reserveCapacity(config.caseCount)
        for i in 0..<max(0, config.caseCount) where !days.isEmpty { seedlings.append(seedling(i)) }
        seedlings.sort { $0.at != $1.at ? $0.at < $1.at : $0.index < $1.index }

        var sequence: [String: Int] = [:]
        var built: [(DemoCase, Scenario, GroundTruth.Facts)] = []
        built.reserveCapacity(seedlings.count)
        for var s in seedlings {
            let agencyCode = org.unit(s.receiving)!.code
            let key = "\(agencyCode)|\(s.day)"
            let n = (sequence[key] ?? 0) + 1
            sequence[key] = n
            var code = CaseCode.make(agencyCode: agencyCode, date: s.day, sequence: n)
            if config.chunkIndex > 0 { code = CaseID(code.rawValue + "/\(config.chunkIndex)") }
            built.append(buildCase(&s, code: code))
        }
        // The programme and its plans (chunk 0 only: their codes are per year), judged with the other cases.
        if config.chunkIndex == 0 { built += programmeCases() + reportRequestCases() + inspectionCases() }
        let verdicts = truth.finalize(built.map(\.2))
        var cases = zip(built, verdicts).map { item, verdicts in
            let c = item.0
            return DemoCase(
                open: c.open, code: c.code, openedBy: c.openedBy, openedAt: c.openedAt, applicant: c.applicant, actions: c.actions,
                labels: Set(verdicts.map(\.behaviour.rawValue)), truth: verdicts)
        }
        var scenarios = built.map(\.1)
        if config.chunkIndex == 0 {
            // The reception books, merged in order of opening (a stable sort keeps the cases' own order).
            let books = ReceptionBooks(org: org, rulebook: rulebook, days: truth.days, seed: config.seed, start: start, end: config.end).generate()
            // Everything in order of opening (a stable sort keeps the cases' own order), each with its scenario.
            let merged = (Array(zip(cases, scenarios)) + books.map { ($0, Scenario.receptionBook) }).enumerated()
                .sorted { $0.element.0.openedAt != $1.element.0.openedAt ? $0.element.0.openedAt < $1.element.0.openedAt : $0.offset < $1.offset }
            cases = merged.map(\.element.0)
            scenarios = merged.map(\.element.1)
        }
        return Output(history: DemoHistory(organization: org, cases: cases), scenarios: scenarios)
    }

    // MARK: - Phase 1: what, where and when each case is opened

    func seedling(_ index: Int) -> Seedling {
        // Chunk 0 keeps the plain demo's streams; later chunks get their own (same city, other cases).
        let caseSeed =
            config.chunkIndex == 0
            ? SplitMix64.derive(config.seed, 1, UInt64(index)) : SplitMix64.derive(config.seed, 2, UInt64(config.chunkIndex), UInt64(index))
        var rng = DemoRandom(seed: caseSeed)
        let dayIndex = rng.below(days.count)
        let day = days[dayIndex]
        var kind = rng.weighted(Scenario.kindWeights)
        if kind == .dossier && dossierProcedures.isEmpty { kind = .petition }
        var scenario = rng.weighted(Scenario.weights(for: kind, unchecked: config.uncheckedDecisions))
        var procedure: Procedure?
        var route: Route?
        var ward: UnitID?
        var receiving: UnitID
        var seconds = Self.officeSeconds(&rng)

        switch kind {
        case .dossier:
            var designeeAtWard = rng.chance(0.5)
            // Procedures whose rule is in force that day (all of them, with the 10-day fallback, if none is).
            var pool = dossierProcedures.indices.filter { allottedTable[$0][dayIndex] != nil }
            if pool.isEmpty { pool = Array(dossierProcedures.indices) }
            func fits(_ i: Int) -> Bool {
                let r = dossierProcedures[i].route
                let a = allottedTable[i][dayIndex] ?? 10
                switch scenario {
                case .transfers: if case .department(let agency, _) = r { return city.bigDepartments.contains(agency) } else { return false }
                case .minorDelay:
                    guard a >= 2 else { return false }
                    if case .ward = r { return designeeAtWard } else { return !designeeAtWard }
                case .repeatSupplement, .repeatReschedule: return a >= 2
                case .consultRounds: return a >= 5
                case .consultLate: return a >= 8
                default: return true
                }
            }
            var candidates = pool.filter(fits)
            if candidates.isEmpty && scenario == .minorDelay {
                designeeAtWard.toggle()
                candidates = pool.filter(fits)
            }
            if candidates.isEmpty {
                scenario = .clean
                candidates = pool
            }
            let chosenIndex = candidates[rng.weightedIndex(candidates.map { dossierProcedures[$0].weight })]
            let chosen = dossierProcedures[chosenIndex]
            procedure = chosen.procedure
            route = chosen.route
            if case .ward = chosen.route {
                if scenario == .minorDelay {
                    ward = designeeWard
                } else {
                    ward = rng.weighted(city.wards.map { ($0, city.rural.contains($0) ? 0.5 : 1.0) })
                }
                receiving = ward!
            } else {
                receiving = City.serviceCentre
            }
            // Same-day procedures are filed in the morning or early afternoon; a designee's late forward is of a morning dossier.
            if (allottedTable[chosenIndex][dayIndex] ?? 10) <= 1 {
                seconds = FlowRunner.dayStart + rng.int(0...(7 * 3600 - 1800))
            }
            if scenario == .minorDelay { seconds = FlowRunner.dayStart + rng.int(0...(6 * 3600)) }
        case .complaint:
            procedure = pickProcedure(.complaint, day, &rng)
            receiving = City.inspectorate
        case .denunciation:
            procedure = pickProcedure(.denunciation, day, &rng)
            receiving = City.inspectorate
        case .petition, .reception, .programme, .proposal:
            receiving = City.office
        case .task:
            receiving = rng.pick(city.departments)
            seconds = FlowRunner.dayStart + rng.int(0...(8 * 3600))
        }
        return Seedling(
            index: index, day: day, seconds: seconds, kind: kind, scenario: scenario, procedure: procedure, route: route, ward: ward,
            receiving: receiving, rng: rng)
    }

    /// Most dossiers come in the morning; a few after the 15:00 cut-off.
    static func officeSeconds(_ rng: inout DemoRandom) -> Int {
        let start = FlowRunner.dayStart
        switch rng.weightedIndex([0.55, 0.30, 0.15]) {
        case 0: return start + rng.int(0...(4 * 3600))
        case 1: return 13 * 3600 + 30 * 60 + rng.int(0...(90 * 60 - 1))
        default: return 15 * 3600 + rng.int(0...(105 * 60))
        }
    }

    func pickProcedure(_ kind: CaseKind, _ day: CivilDate, _ rng: inout DemoRandom) -> Procedure? {
        let pool = rulebook.procedures.filter { p in
            p.caseKind == kind && rulebook.rules.contains { $0.procedure == p.code && $0.step == .resolve && $0.isInForce(on: day) }
        }
        let weighted = pool.map { p -> (Procedure, Double) in
            let code = p.code.uppercased()
            if code.contains("THULY") { return (p, 0) }
            if code.contains("VUNGSAU") { return (p, 0.2) }
            if code.contains("PHUCTAP") { return (p, 1) }
            return (p, 3)
        }.filter { $0.1 > 0 }
        guard !weighted.isEmpty else { return nil }
        return rng.weighted(weighted)
    }

    /// The due date of a case received at `at`, and its rule; without a rule, a default by kind.
    func dueDate(_ kind: CaseKind, _ procedure: String?, at: Int64) -> (CivilDate, DeadlineRule?) {
        // `rulebook.dueDate` through the rule index (same rule, without scanning the rulebook per case).
        let day = VietnamTime.date(at)
        if let rule = truth.rules.rule(for: kind, procedure: procedure, step: .resolve, on: day) {
            let due = calendar.deadline(
                receivedAt: VietnamTime.foundation(at), duration: rule.duration, unit: rule.unit, cutoffHour: truth.limit(.intakeCutoffHour, on: day))
            return (due, rule)
        }
        switch kind {
        case .complaint, .denunciation: return (calendar.nextWorkingDay(onOrAfter: day.adding(days: 30)), nil)
        case .task, .petition, .reception, .programme, .proposal: return (calendar.addingWorkingDays(15, to: day), nil)
        case .dossier: return (calendar.addingWorkingDays(10, to: day), nil)
        }
    }
}
