import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import BuckStopDomain
import BuckStopStore
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Đo hiệu năng / benchmarks with their limits measured in the same run.",
        subcommands: [
            BenchLedgerCommand.self, BenchPostgresCommand.self, BenchVerifyCommand.self, BenchParseCommand.self, BenchCalendarCommand.self,
            BenchProgrammeCommand.self,
        ])
}

/// Demo workload for benchmarks: realistic actions, split by case so clients never race on one case.
enum BenchWorkload {
    static func history(actions: Int, seed: UInt64) throws -> DemoHistory {
        DemoGenerator.generate(
            DemoConfiguration(
                seed: seed, caseCount: max(1, actions / 7), end: CivilDate(Date()), rulebook: try Defaults.rulebook(),
                calendar: try Defaults.workingCalendar()))
    }

    static func requests(for demoCase: DemoCase) -> [AppendRequest] {
        [request(for: .open(demoCase))] + demoCase.actions.map { .action($0) }
    }

    static func request(for event: DemoEvent) -> AppendRequest {
        switch event {
        case .open(let demoCase):
            let applicant = demoCase.applicant.map {
                PersonalData(fullName: $0.fullName, idNumber: $0.idNumber, address: $0.address, phone: $0.phone)
            }
            return .open(
                demoCase.open, actor: demoCase.openedBy, at: demoCase.openedAt, code: demoCase.code, personalData: applicant,
                via: DemoGenerator.credential)
        case .action(let action):
            return .action(action)
        }
    }

    /// The history in time order, as it would arrive at a live system, dealt to `clients` clients by
    /// case: each client sends its cases' actions in time order, so all clients work on cases of the
    /// same weeks, as officials do.
    static func streams(_ history: DemoHistory, clients: Int) -> [[AppendRequest]] {
        var clientOf: [CaseID: Int] = [:]
        for (n, demoCase) in history.cases.enumerated() { clientOf[demoCase.code] = n % clients }
        var streams = Array(repeating: [AppendRequest](), count: clients)
        for event in history.timeline() {
            streams[clientOf[event.action.caseID] ?? 0].append(request(for: event))
        }
        return streams
    }

    static func scratchDirectory(_ given: String?) throws -> String {
        let dir = given ?? NSTemporaryDirectory() + "buckstop-bench-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func freshStore(_ path: String, organization: Organization) async throws -> SQLiteStore {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try SQLiteStore(configuration: StoreConfiguration(path: path, keys: StoreKeys.generate()))
        try await store.saveOrganization(organization)
        return store
    }
}

/// Durable appends per second through the real store path, single client and with group commit,
/// beside raw SQLite inserts of rows of the same size with the same durability.
struct BenchLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Durable appends/s: store vs raw SQLite inserts.")

    @Option(help: "Actions appended by the concurrent clients.") var actions: Int = 100_000
    @Option(help: "Concurrent clients for the group-commit run.") var clients: Int = 64
    @Option(help: "Actions appended one at a time (one commit each).") var single: Int = 2_000
    @Option(help: "Scratch directory (default: a temporary one, removed afterwards).") var dir: String?

    func run() async throws {
        let dir = try BenchWorkload.scratchDirectory(dir)
        defer { if self.dir == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let history = try BenchWorkload.history(actions: actions, seed: 7)
        let clientCount = max(1, clients)
        let streams = BenchWorkload.streams(history, clients: clientCount)
        let total = streams.reduce(0) { $0 + $1.count }
        print("workload: \(history.cases.count) demo cases, \(total) actions in time order; disk: \(dir)")

        // 1. Store, one client, one commit per action.
        let singleStore = try await BenchWorkload.freshStore(dir + "/single.sqlite", organization: history.organization)
        let singleRequests = Array(BenchWorkload.streams(history, clients: 1)[0].prefix(single))
        var start = Date()
        for request in singleRequests { _ = try await singleStore.append(request) }
        let singleRate = Double(singleRequests.count) / Date().timeIntervalSince(start)

        // 2. Store, many clients, group commit.
        let groupStore = try await BenchWorkload.freshStore(dir + "/group.sqlite", organization: history.organization)
        start = Date()
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for stream in streams {
                group.addTask {
                    var failed = 0
                    for request in stream {
                        do { _ = try await groupStore.append(request) } catch { failed += 1 }
                    }
                    return failed
                }
            }
            return try await group.reduce(0, +)
        }
        let groupSeconds = Date().timeIntervalSince(start)
        let groupRate = Double(total - failures) / groupSeconds
        let stats = groupStore.commitStatistics
        guard failures == 0 else { throw CLIError("\(failures) appends failed in the group-commit run") }

        // 3. Raw SQLite inserts of the same rows, same durability: one per commit, then in the same batch sizes.
        let rows = try groupStore.rawEntries(limit: total)
        let meanBytes = rows.reduce(0) { $0 + $1.body.count } / max(1, rows.count)
        let rawSingle = try await RawInsertBaseline(path: dir + "/raw-single.sqlite").insert(Array(rows.prefix(single)), batchSize: 1)
        let batch = max(1, Int(stats.meanBatch.rounded()))
        let rawBatched = try await RawInsertBaseline(path: dir + "/raw-batched.sqlite").insert(rows, batchSize: batch)

        print(
            """
            ledger entry size: mean \(meanBytes) bytes; durability: every acknowledged append synced (store: WAL fdatasync per batch; raw: synchronous=FULL)
            store, 1 client (1 commit/action):        \(Self.rate(singleRate)) actions/s  (\(singleRequests.count) actions)
            raw SQLite insert, 1 row/commit:          \(Self.rate(rawSingle)) rows/s     ← limit for 1 client
            store, \(clientCount) clients, group commit:        \(Self.rate(groupRate)) actions/s  (\(total) actions in \(String(format: "%.2f", groupSeconds)) s, \(stats.transactions) commits, mean batch \(String(format: "%.1f", stats.meanBatch)))
            raw SQLite insert, \(batch) rows/commit:        \(Self.rate(rawBatched)) rows/s     ← limit at the same batch size
            writer time per commit: \(Self.ms(stats.working, stats.transactions)) work + \(Self.ms(stats.committing, stats.transactions)) commit + \(Self.ms(stats.queued, stats.transactions)) queued
            writer work per append (inside the write transaction): \(Self.us(stats.working, stats.requests)) elapsed, \(Self.us(stats.workingCPU, stats.requests)) CPU (the rest waiting for a core)
            group commit / raw batched:               \(String(format: "%.0f", 100 * groupRate / rawBatched)) %
            group commit / raw 1 row per commit:      \(String(format: "%.0f", 100 * groupRate / rawSingle)) %
            group commit / single client:             \(String(format: "%.1f", groupRate / singleRate))×
            """)
    }

    static func rate(_ value: Double) -> String { String(format: "%9.0f", value) }

    static func us(_ duration: Duration, _ count: Int) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1f µs", 1e6 * seconds / Double(max(1, count)))
    }

    static func ms(_ duration: Duration, _ count: Int) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f ms", 1000 * seconds / Double(max(1, count)))
    }
}

/// Time of `buckstop verify` over a ledger of N entries.
struct BenchVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Time to verify a ledger of N entries.")

    @Option(help: "Ledger entries to build and verify.") var entries: Int = 1_000_000
    @Option(help: "Scratch directory (default: a temporary one, removed afterwards).") var dir: String?

    func run() async throws {
        let dir = try BenchWorkload.scratchDirectory(dir)
        defer { if self.dir == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let path = dir + "/verify.sqlite"
        var start = Date()
        let history = try BenchWorkload.history(actions: entries, seed: 11)
        let store = try await BenchWorkload.freshStore(path, organization: history.organization)
        var batch: [AppendRequest] = []
        var appended = 0
        for demoCase in history.cases {
            guard appended + batch.count < entries else { break }
            batch += BenchWorkload.requests(for: demoCase).prefix(entries - appended - batch.count)
            if batch.count >= 5000 {
                appended += try Self.count(await store.appendBatch(batch))
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { appended += try Self.count(await store.appendBatch(batch)) }
        try await store.checkpoint()
        let built = Date().timeIntervalSince(start)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        start = Date()
        let report = try await SQLiteStore.verifier(path: path, publicKeyHex: nil).verify()
        let seconds = Date().timeIntervalSince(start)
        guard report.isSound else { throw CLIError("verify failed on a fresh ledger: \(report.problems.first ?? "")") }
        print(
            """
            built \(appended) entries in \(String(format: "%.1f", built)) s (\(Int(Double(appended) / built)) actions/s in batches of 5000); database \(size / 1_048_576) MiB
            verify: \(report.entries) entries, \(report.checkpoints) checkpoints, \(report.consistencyProofsChecked) consistency proofs in \(String(format: "%.2f", seconds)) s (\(Int(Double(report.entries) / seconds)) entries/s)
            """)
    }

    static func count(_ results: [Result<AppendReceipt, StoreError>]) throws -> Int {
        if let failure = results.first(where: { if case .failure = $0 { true } else { false } }), case .failure(let error) = failure {
            throw CLIError("append failed while building the ledger: \(error)")
        }
        return results.count
    }
}
