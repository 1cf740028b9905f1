import ArgumentParser
import BuckStopDefaults
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
import BuckStopServer
import BuckStopStore
import BuckStopWitness
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus

/// `buckstop serve`: the live system. Configuration is read here once — defaults, `--config FILE`, `BUCKSTOP_*`
/// variables, then flags — and passed inward.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Chạy hệ thống: trang web, API, phát hiện trực tiếp / Run the web pages, the API and live detection.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "YAML file of settings (host, port, demo, survey_seconds, session_hours, secure_cookies, log_level, …).")
    var config: String?

    @Option(help: "Address to listen on (default 127.0.0.1; BUCKSTOP_HOST).")
    var host: String?

    @Option(help: "Port (default 8080; 0 picks a free one; BUCKSTOP_PORT).")
    var port: Int?

    @Option(help: "Write the bound port to this file once listening.")
    var portFile: String?

    @Flag(help: "Seed the demo city if the database is empty and show demo accounts on the login page.")
    var demo = false

    @Option(help: "Cases the demo seeds (default 5000).")
    var demoCases: Int?

    @Option(help: "Seconds between scheduled surveys of all cases (default 600).")
    var surveySeconds: Int?

    @Flag(help: "Mark cookies Secure (the server is behind a TLS proxy).")
    var secureCookies = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).")
    var logLevel: String?

    static let demoPassword = "buckstop-demo"

    func resolvedConfiguration() throws -> ServerConfiguration {
        var c = ServerConfiguration()
        do {
            if let config {
                let text: String
                do { text = try String(contentsOfFile: config, encoding: .utf8) } catch {
                    throw CLIError("cannot read --config \(config): \(error.localizedDescription)")
                }
                try c.apply(yaml: text, source: config)
            }
            try c.apply(environment: ProcessInfo.processInfo.environment)
            if let host { try c.set("host", host, source: "--host") }
            if let port { try c.set("port", String(port), source: "--port") }
            if let portFile { try c.set("port_file", portFile, source: "--port-file") }
            if demo { c.demo = true }
            if let demoCases { try c.set("demo_cases", String(demoCases), source: "--demo-cases") }
            if let surveySeconds { try c.set("survey_seconds", String(surveySeconds), source: "--survey-seconds") }
            if secureCookies { c.secureCookies = true }
            if let logLevel { try c.set("log_level", logLevel, source: "--log-level") }
        } catch let problem as ServerConfiguration.Problem {
            throw CLIError("\(problem)")
        }
        return c
    }

    @Flag(help: "Run tasks on Swift's own thread pool instead of the server's event loops (for comparison).")
    var swiftExecutor = false

    func run() async throws {
        let configuration = try resolvedConfiguration()
        // Request handlers then run on the event loop that reads and writes their connection: no thread hop per
        // request. Handlers never block for long (database reads are short; fsync and bcrypt run elsewhere).
        let onEventLoops = swiftExecutor ? false : NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
            return EscapingLogHandler(handler)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "buckstop")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info

        try await global.withStore(creating: configuration.demo, logger: logger) { store in
            let rulebook = try global.loadRulebook()
            let calendar = try global.loadCalendar()
            let keys = try global.loadKeys()
            let live = try LiveLedger(
                store: store, rulebook: rulebook, calendar: calendar, citizenKeys: CitizenKeys(dataKey: keys.dataKey), logger: logger)
            var demoAccounts: [DemoAccount] = []
            if configuration.demo {
                if try await store.ledgerSize() == 0 {
                    logger.info(
                        "seeding the demo city",
                        metadata: ["cases": "\(configuration.demoCases)", "db": "\(PostgresLocation.redacted(global.databasePath))"])
                    let report = try await DemoSeeder.seed(live: live, seed: 2025, cases: configuration.demoCases)
                    logger.info(
                        "demo seeded",
                        metadata: [
                            "cases": "\(report.cases)", "entries": "\(report.appended)",
                            "seconds": "\(String(format: "%.1f", report.generatedSeconds + report.appendSeconds))",
                        ])
                }
                let org = try store.organization()
                demoAccounts = DemoSeeder.accounts(org, openCases: try await store.openCaseCounts())
                if let first = demoAccounts.first, try await store.passwordHash(of: first.id) == nil {
                    // One hash for every demo account: the password is printed on the login page anyway.
                    let hash = try await ServerPasswords.hash(Self.demoPassword, cost: configuration.bcryptCost)
                    try await store.setPasswordHash(hash, for: Array(org.officials.keys), at: Int64(Date().timeIntervalSince1970))
                }
            }
            // A server over no organisation could accept nothing: refuse to start, as before the live ledger allowed one.
            _ = try store.organization()
            let witnesses = try await Self.witnesses(configuration, store: store, databasePath: global.databasePath, logger: logger)
            let publisher = try WitnessPublisher(store: store, witnesses: witnesses, logger: logger)
            let state = try ServerState(
                live: live, configuration: configuration, metrics: registry, demoAccounts: demoAccounts,
                demoPassword: configuration.demo ? Self.demoPassword : nil, witnesses: witnesses, logger: logger)
            let portFile = configuration.portFile
            let startupLogger = logger
            let app = buildApplication(
                state: state,
                services: [
                    SurveyService(live: live, interval: .seconds(configuration.surveySeconds), logger: logger),
                    CheckpointService(store: store, publisher: publisher, interval: .seconds(configuration.checkpointSeconds), logger: logger),
                    ReminderService(
                        dispatch: ReminderDispatch(live: live, channel: try Self.reminderChannel(configuration, logger: logger), logger: logger),
                        interval: .seconds(configuration.reminderSeconds), logger: logger),
                    EventStreamCloser(broadcaster: live.broadcaster, reminders: live.reminders),
                ],
                onListening: { port in
                    startupLogger.info(
                        "listening",
                        metadata: [
                            "url": "http://\(configuration.host):\(port)", "demo": "\(configuration.demo)", "tasksOnEventLoops": "\(onEventLoops)",
                        ])
                    if let portFile { try? Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic) }
                })
            try await app.runService()
            let commits = store.commitStatistics
            logger.info(
                "stopped",
                metadata: [
                    "transactions": "\(commits.transactions)", "appends": "\(commits.requests)",
                    "meanBatch": "\(String(format: "%.1f", commits.meanBatch))", "backend": "\(store.backend)",
                    "msQueuedPerBatch": "\(String(format: "%.2f", commits.queued.seconds * 1000 / Double(max(1, commits.transactions))))",
                    "msWorkingPerBatch": "\(String(format: "%.2f", commits.working.seconds * 1000 / Double(max(1, commits.transactions))))",
                    "msCommittingPerBatch": "\(String(format: "%.2f", commits.committing.seconds * 1000 / Double(max(1, commits.transactions))))",
                ])
        }
    }
}

extension ServeCommand {
    /// The configured witnesses ("<vkey> <URL>"); with `--demo` and none configured, a witness in this process with its
    /// own key and its own database beside the ledger's, so the demo's citizens can verify — labelled as such, since a
    /// real witness is run by someone else.
    static func witnesses(_ configuration: ServerConfiguration, store: any LedgerStore, databasePath: String, logger: Logger) async throws
        -> [WitnessEndpoint]
    {
        var endpoints: [WitnessEndpoint] = []
        for entry in configuration.witnesses {
            let parts = entry.split(separator: " ")
            guard parts.count == 2, let url = URL(string: String(parts[1])), url.scheme == "http" || url.scheme == "https" else {
                throw CLIError("witnesses: expected \"<verifier key> <http(s) URL>\", found '\(entry)'")
            }
            let verifier: CosignatureVerifier
            do { verifier = try CosignatureVerifier(verifierKey: parts[0]) } catch { throw CLIError("witnesses: \(parts[0]): \(error)") }
            endpoints.append(WitnessEndpoint(verifier: verifier, transport: HTTPWitnessTransport(base: url), location: url.absoluteString))
        }
        guard endpoints.isEmpty, configuration.demo else { return endpoints }
        let base = databasePath.hasPrefix("postgres") ? "./buckstop-postgres" : databasePath
        let signer = try WitnessCommand.signer(keyFile: base + ".witness.key", name: "demo-witness.buckstop.local")
        let logKey = try CheckpointVerifier(publicKey: store.publicKey).noteVerifier(origin: store.origin)
        let service = try WitnessService(
            cosigners: [signer], logs: [try WitnessedLog(origin: store.origin, verifiers: [logKey])],
            store: try WitnessStore(path: base + ".witness.sqlite"))
        logger.info("demo witness in this process", metadata: ["vkey": .string(signer.verifierKey.text)])
        return [
            WitnessEndpoint(
                verifier: signer.verifier, transport: LocalWitnessTransport(service: service),
                location: "nhân chứng chạy cùng tiến trình (chỉ dùng cho bản thử) / in this process (demo only)")
        ]
    }
}

extension ServeCommand {
    /// E-mail through the configured relay, to the addresses of `smtp_addresses`; without a relay, the log.
    static func reminderChannel(_ configuration: ServerConfiguration, logger: Logger) throws -> any NotificationChannel {
        guard let relay = configuration.smtpRelay else { return LogNotificationChannel(logger: logger) }
        var addresses: [OfficialID: String] = [:]
        if let path = configuration.smtpAddresses {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw CLIError("smtp_addresses: cannot read \(path): \(error.localizedDescription)")
            }
            addresses = try SMTPNotificationChannel.addresses(yaml: text, source: path)
        }
        return try SMTPNotificationChannel(host: relay.host, port: relay.port, from: configuration.smtpFrom, addresses: addresses)
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
