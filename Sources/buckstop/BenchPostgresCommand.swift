import ArgumentParser
import BuckStopDomain
import BuckStopStore
import Foundation
import Logging

/// Durable appends per second into PostgreSQL through the store: one client, many clients with group commit in one
/// process, and the same clients split over two store instances (two connection pools and writers, as two server
/// processes have) appending to one ledger at once. Compare with `Scripts/bench-pgbench.sh` (pgbench's simple-update
/// rate on the same cluster, the limit); `Scripts/bench-postgres.sh` runs both in one go.
struct BenchPostgresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "postgres", abstract: "Durable appends/s into PostgreSQL through the store.")

    @Option(help: "postgres://user:password@host:port/database (a scratch schema is created and dropped).") var db: String
    @Option(help: "Actions appended by the concurrent clients in each run.") var actions: Int = 50_000
    @Option(help: "Concurrent clients.") var clients: Int = 64
    @Option(help: "Actions appended one at a time (one commit each).") var single: Int = 1_000
    @Option(help: "Connections per store instance.") var connections: Int = 16

    func run() async throws {
        var location: PostgresLocation
        do { location = try PostgresLocation(url: db) } catch { throw CLIError("--db: \(error)") }
        var logger = Logger(label: "buckstop.bench")
        logger.logLevel = .error
        let history = try BenchWorkload.history(actions: actions, seed: 7)
        let clientCount = max(2, clients)
        let streams = BenchWorkload.streams(history, clients: clientCount)
        let total = streams.reduce(0) { $0 + $1.count }
        print("workload: \(history.cases.count) demo cases, \(total) actions in time order, \(clientCount) clients; \(location)")

        let keys = StoreKeys.generate()
        func configuration(_ schema: String) -> PostgresStoreConfiguration {
            location.schema = schema
            return PostgresStoreConfiguration(location: location, keys: keys, maximumConnections: connections)
        }
        let tag = "bench_\(ProcessInfo.processInfo.processIdentifier)"

        // 1. One client, one commit per action.
        let singleRate = try await PostgresStore.withStore(configuration(tag + "_single"), logger: logger) { store in
            try await store.saveOrganization(history.organization)
            let requests = Array(BenchWorkload.streams(history, clients: 1)[0].prefix(single))
            let start = Date()
            for request in requests { _ = try await store.append(request) }
            let rate = Double(requests.count) / Date().timeIntervalSince(start)
            try await Self.drop(store)
            return rate
        }

        // 2. Many clients, one store (group commit).
        let (groupRate, stats) = try await PostgresStore.withStore(configuration(tag + "_group"), logger: logger) { store in
            try await store.saveOrganization(history.organization)
            let start = Date()
            let failed = try await Self.drive([store], streams)
            let rate = Double(total - failed) / Date().timeIntervalSince(start)
            guard failed == 0 else { throw CLIError("\(failed) appends failed") }
            let report = try await store.verify()
            guard report.isSound, report.entries == Int64(total) else {
                throw CLIError("verify after the run: \(report.problems.first ?? "\(report.entries) entries")")
            }
            let stats = store.commitStatistics
            try await Self.drop(store)
            return (rate, stats)
        }

        // 3. The same clients over two store instances on one ledger (as two server processes).
        let schema = tag + "_two"
        let (twoRate, twoCommits) = try await PostgresStore.withStore(configuration(schema), logger: logger) { first in
            try await first.saveOrganization(history.organization)
            return try await PostgresStore.withStore(configuration(schema), logger: logger) { second in
                let start = Date()
                let failed = try await Self.drive([first, second], streams)
                let rate = Double(total - failed) / Date().timeIntervalSince(start)
                guard failed == 0 else { throw CLIError("\(failed) appends failed with two writers") }
                let report = try await first.verify()
                guard report.isSound, report.entries == Int64(total) else {
                    throw CLIError("verify after two writers: \(report.problems.first ?? "\(report.entries) entries, expected \(total)")")
                }
                let commits = first.commitStatistics.transactions + second.commitStatistics.transactions
                try await Self.drop(first)
                return (rate, commits)
            }
        }

        print(
            """
            durability: every acknowledged append committed (PostgreSQL synchronous_commit as configured on the server)
            store, 1 client (1 commit/action):          \(BenchLedgerCommand.rate(singleRate)) actions/s  (\(min(single, total)) actions)
            store, \(clientCount) clients, group commit:          \(BenchLedgerCommand.rate(groupRate)) actions/s  (\(stats.transactions) commits, mean batch \(String(format: "%.1f", stats.meanBatch)); per commit \(BenchLedgerCommand.ms(stats.working, stats.transactions)) work + \(BenchLedgerCommand.ms(stats.committing, stats.transactions)) commit)
            two stores on one ledger, \(clientCount / 2)+\(clientCount - clientCount / 2) clients:    \(BenchLedgerCommand.rate(twoRate)) actions/s  (\(twoCommits) commits; ledger verified gap-free)
            """)
    }

    /// Each stream's requests in order; stream i goes to store i mod count. Returns the failures.
    static func drive(_ stores: [PostgresStore], _ streams: [[AppendRequest]]) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (i, stream) in streams.enumerated() {
                let store = stores[i % stores.count]
                group.addTask {
                    var failed = 0
                    for request in stream {
                        do { _ = try await store.append(request) } catch { failed += 1 }
                    }
                    return failed
                }
            }
            return try await group.reduce(0, +)
        }
    }

    static func drop(_ store: PostgresStore) async throws {
        try await store.dropSchema()
    }
}
