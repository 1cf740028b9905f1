import ArgumentParser
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation
import Logging

/// The roll-up of a national-size programme set (issue 17: 10^5 tasks, 10^6 entries) answered from the projection, on
/// SQLite and, with `--postgres`, on PostgreSQL: the store is filled through `appendBatch` (every entry checked by the
/// domain, as an import is), then the roll-up of the root — counts by agency and phase with the overdue, and the first 200
/// overdue tasks with their owners — is asked `--queries` times; the latencies' p50, p99 and maximum are printed beside
/// the limit (50 ms p99).
struct BenchProgrammeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme", abstract: "Roll-up latency of a programme of N tasks and M entries, SQLite and PostgreSQL.")

    @Option(help: "Tasks under the programme.") var tasks: Int = 100_000
    @Option(help: "Ledger entries in all (openings included); each task gets about entries / tasks.") var entries: Int = 1_000_000
    @Option(help: "Roll-up queries measured.") var queries: Int = 200
    @Option(help: "postgres://user:password@host:port/database to measure PostgreSQL too (a scratch schema is created and dropped).")
    var postgres: String?
    @Option(help: "Scratch directory (default: a temporary one, removed afterwards).") var dir: String?

    static let limitMillis = 50.0

    func run() async throws {
        guard (100...1_000_000).contains(tasks) else { throw CLIError("--tasks must be 100…1000000; found \(tasks)") }
        guard entries >= tasks * 3, entries <= tasks * 60 else { throw CLIError("--entries must be 3…60 per task; found \(entries)") }
        guard (10...100_000).contains(queries) else { throw CLIError("--queries must be 10…100000; found \(queries)") }
        let org = try BenchWorkload.history(actions: 7, seed: 3).organization
        let workload = ProgrammeWorkload(organization: org, tasks: tasks, entries: entries)
        print(
            "workload: 1 programme, \(workload.plans) plans, \(tasks) tasks, at most \(workload.requestCount) entries (tasks not yet started have only their opening); as of \(workload.asOf)"
        )

        let dir = try BenchWorkload.scratchDirectory(dir)
        defer { if self.dir == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let sqlite = try await BenchWorkload.freshStore(dir + "/programme.sqlite", organization: org)
        let sqliteStats = try await measure(sqlite, workload, backend: "sqlite")

        var pgStats: Latencies?
        if let postgres {
            var location: PostgresLocation
            do { location = try PostgresLocation(url: postgres) } catch { throw CLIError("--postgres: \(error)") }
            location.schema = "bench_programme_\(ProcessInfo.processInfo.processIdentifier)"
            var logger = Logger(label: "buckstop.bench")
            logger.logLevel = .error
            pgStats = try await PostgresStore.withStore(
                PostgresStoreConfiguration(location: location, keys: StoreKeys.generate(), maximumConnections: 8), logger: logger
            ) { store in
                try await store.saveOrganization(org)
                let stats = try await measure(store, workload, backend: "postgresql")
                try await store.dropSchema()
                return stats
            }
        }
        let worst = [sqliteStats.p99, pgStats?.p99 ?? 0].max() ?? 0
        print(worst < Self.limitMillis ? "within the limit: p99 < \(Int(Self.limitMillis)) ms" : "OVER the limit of \(Int(Self.limitMillis)) ms p99")
    }

    struct Latencies {
        var p50: Double
        var p99: Double
        var max: Double
    }

    func measure(_ store: some LedgerStore, _ workload: ProgrammeWorkload, backend: String) async throws -> Latencies {
        let start = Date()
        var written = 0
        for batch in workload.batches(of: 5000) {
            written += try BenchVerifyCommand.count(await store.appendBatch(batch))
        }
        let built = Date().timeIntervalSince(start)
        print("\(backend): built \(written) entries in \(String(format: "%.1f", built)) s")
        // Warm the caches once, then measure; every answer must be the whole programme.
        let first = try await store.rollup(root: workload.root, asOf: workload.asOf, organization: workload.organization)
        guard first.total.total == workload.taskCount else {
            throw CLIError("\(backend): the roll-up counted \(first.total.total) tasks, expected \(workload.taskCount)")
        }
        var samples: [Double] = []
        samples.reserveCapacity(queries)
        let clock = ContinuousClock()
        for _ in 0..<queries {
            let t = clock.now
            _ = try await store.rollup(root: workload.root, asOf: workload.asOf, organization: workload.organization)
            let d = clock.now - t
            samples.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        samples.sort()
        func at(_ q: Double) -> Double { samples[min(samples.count - 1, Int((Double(samples.count) * q).rounded(.up)) - 1)] }
        let stats = Latencies(p50: at(0.5), p99: at(0.99), max: samples.last ?? 0)
        print(
            "\(backend): roll-up of \(workload.taskCount) tasks (\(first.summaryVi)) × \(queries): p50 \(String(format: "%.1f", stats.p50)) ms, p99 \(String(format: "%.1f", stats.p99)) ms, max \(String(format: "%.1f", stats.max)) ms (limit \(Int(Self.limitMillis)) ms p99)"
        )
        return stats
    }
}

/// A national programme's tree on the demo organisation: the programme, a monthly plan of every agency for every month
/// of the year, and the tasks spread over the plans, each accepted, reported on and (for most) submitted and approved,
/// so that phases and due dates look like a year under way: as of 1 July, done, awaiting approval, in progress, not
/// started, some overdue.
struct ProgrammeWorkload {
    let organization: Organization
    let root: CaseID = "BENCH-CTR-01"
    let taskCount: Int
    let perTask: Int
    let asOf: CivilDate
    let year: Int
    let agencies: [UnitID]

    init(organization: Organization, tasks: Int, entries: Int) {
        self.organization = organization
        taskCount = tasks
        year = CivilDate(Date()).year
        asOf = CivilDate(year: year, month: 7, day: 1) ?? CivilDate(Date())
        let agencies = organization.units.values.filter { $0.kind == .department && $0.head != nil }.map(\.id).sorted()
        self.agencies = agencies
        // Tasks of the second half not yet started have only their opening; the others share the rest of the entries.
        let plans = agencies.count * 12
        let unstarted = (0..<tasks).filter { Self.unstarted(t: $0, month: ($0 % max(1, plans)) % 12 + 1) }.count
        let rest = Double(entries - 1 - plans - unstarted) / Double(max(1, tasks - unstarted))
        perTask = max(3, Int(rest.rounded(.up)))
    }

    var plans: Int { agencies.count * 12 }

    /// A task of the second half that nobody has taken up yet (one in five).
    static func unstarted(t: Int, month: Int) -> Bool { month > 6 && ((t * 7919) % 100) % 5 == 0 }
    var requestCount: Int { 1 + plans + taskCount * perTask }

    func millis(_ month: Int, _ day: Int, _ minute: Int) -> Int64 {
        let date = CivilDate(year: year, month: month, day: min(day, 28)) ?? CivilDate(Date())
        return Int64(date.startInstant().timeIntervalSince1970 * 1000) + Int64(minute) * 60_000
    }

    /// The requests in order, in batches (a case's entries stay in order; the batches follow one another).
    func batches(of size: Int) -> [[AppendRequest]] {
        var all: [AppendRequest] = []
        all.reserveCapacity(requestCount)
        let via = Credential.generated("bench")
        let office = organization.units.values.first { $0.kind == .provincialCommittee }?.id ?? agencies[0]
        let rootOwner = organization.accountableHead(of: office) ?? OfficialID("")
        all.append(
            .open(
                OpenCase(
                    kind: .programme, procedure: PlanLevel.programme.rawValue, title: "Chương trình quốc gia (đo hiệu năng)", leadUnit: office,
                    owner: rootOwner, dueDate: CivilDate(year: year, month: 12, day: 31)), actor: .official(rootOwner),
                at: millis(1, 2, 0), code: root, personalData: nil, via: via))
        var planCodes: [(code: CaseID, agency: UnitID, month: Int)] = []
        for (a, agency) in agencies.enumerated() {
            let head = organization.unit(agency)?.head ?? rootOwner
            for month in 1...12 {
                let code = CaseID("BENCH-KH-\(a)-\(month)")
                planCodes.append((code, agency, month))
                all.append(
                    .open(
                        OpenCase(
                            kind: .programme, procedure: PlanLevel.month.rawValue, title: "Kế hoạch tháng \(month)", leadUnit: agency, owner: head,
                            dueDate: CivilDate(year: year, month: month, day: 28), parent: root), actor: .official(head), at: millis(1, 3, a),
                        code: code, personalData: nil, via: via))
            }
        }
        for t in 0..<taskCount {
            let plan = planCodes[t % planCodes.count]
            let head = organization.unit(plan.agency)?.head ?? rootOwner
            let divisions = organization.units.values.filter { $0.parent == plan.agency && $0.head != nil }.sorted { $0.id < $1.id }
            let division = divisions.isEmpty ? nil : divisions[t % divisions.count]
            let worker = division?.head ?? head
            let lead = division?.id ?? plan.agency
            let code = CaseID("BENCH-NV-\(t)")
            let due = CivilDate(year: year, month: plan.month, day: 28) ?? asOf
            let opened = millis(1, 5, t % 600)
            all.append(
                .open(
                    OpenCase(
                        kind: .task, title: "Nhiệm vụ \(t)", leadUnit: lead, owner: worker, dueDate: due, parent: plan.code, product: "Báo cáo"),
                    actor: .official(head), at: opened, code: code, personalData: nil, via: via))
            var at = opened
            func next(_ body: ActionBody, by actor: OfficialID) {
                at += 3_600_000
                all.append(.action(Action(caseID: code, actor: .official(actor), at: at, body: body, via: via)))
            }
            // Early months are mostly done; the later the plan, the more is still under way.
            let fate = (t * 7919) % 100
            let finished = plan.month <= 6 ? fate < 85 : fate < 10
            let waiting = !finished && fate % 3 == 0 && worker != head
            let remaining = perTask - 1
            guard remaining > 0, !Self.unstarted(t: t, month: plan.month) else { continue }
            next(.accept(note: "Nhận nhiệm vụ"), by: worker)
            let closing = (finished || waiting) && worker != head ? 2 : 0
            for k in 0..<max(0, remaining - 1 - closing) {
                next(.progress(TaskProgress(percent: min(90, 10 + k * 5), text: "Tiến độ")), by: worker)
            }
            if closing > 0 {
                next(.submitDraft(to: head, draft: "Dự thảo"), by: worker)
                if finished { next(.approveDraft(note: "Đồng ý"), by: head) } else { next(.comment(text: "Đang xem xét"), by: head) }
            }
        }
        return stride(from: 0, to: all.count, by: size).map { Array(all[$0..<min(all.count, $0 + size)]) }
    }
}
