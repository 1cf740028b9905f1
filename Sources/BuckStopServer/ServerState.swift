import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Logging
import Prometheus

/// A demo account shown on the login page when the server runs with `--demo`.
public struct DemoAccount: Sendable, Hashable {
    public var id: OfficialID
    public var name: String
    public var role: String
    public var unit: UnitID
}

/// What every handler shares: the live ledger, the configuration, the limiters and the metrics registry.
public final class ServerState: Sendable {
    public let live: LiveLedger
    public let configuration: ServerConfiguration
    public let cookies: CookieJar
    public let pinPerCase: RateLimiter
    public let pinPerAddress: RateLimiter
    public let loginLimiter: RateLimiter
    public let metrics: PrometheusCollectorRegistry
    public let demoAccounts: [DemoAccount]
    public let demoPassword: String?
    public let logger: Logger
    public let openAPIDocument: String
    public let stylesheet: String
    /// The witnesses whose cosignatures a checkpoint needs before a citizen is told "verified".
    public let witnesses: [WitnessEndpoint]
    let credentials = CredentialCache()
    let timelineRows = FragmentCache<TimelineRowKey>(limit: 200_000)
    let findingBlocks = FragmentCache<FindingBlockKey>(limit: 50_000)
    /// The findings each official's inbox showed last time, by version (see `FindingView.rendered`).
    let inboxFindings = ShownVersions<OfficialID>(limit: 20_000)

    public init(
        live: LiveLedger, configuration: ServerConfiguration, metrics: PrometheusCollectorRegistry, demoAccounts: [DemoAccount] = [],
        demoPassword: String? = nil, witnesses: [WitnessEndpoint] = [], logger: Logger
    ) throws {
        self.witnesses = witnesses
        self.live = live
        self.configuration = configuration
        self.cookies = CookieJar(secure: configuration.secureCookies)
        self.pinPerCase = RateLimiter(limit: configuration.pinAttemptsPerCase, windowSeconds: configuration.pinWindowSeconds)
        self.pinPerAddress = RateLimiter(limit: configuration.pinAttemptsPerAddress, windowSeconds: configuration.pinWindowSeconds)
        self.loginLimiter = RateLimiter(limit: 10, windowSeconds: 300)
        self.metrics = metrics
        self.demoAccounts = demoAccounts
        self.demoPassword = demoPassword
        self.logger = logger
        self.openAPIDocument = try Resources.text("openapi.yaml")
        self.stylesheet = try Resources.text("style.css")
    }

    public var store: any LedgerStore { live.store }
    public var organization: Organization { live.organization }
}

enum Resources {
    static func text(_ name: String) throws -> String {
        guard
            let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil)
                ?? Bundle.module.url(forResource: name, withExtension: nil)
        else { throw ResourceMissing(name: name) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    struct ResourceMissing: Error, CustomStringConvertible {
        let name: String
        var description: String { "resource \(name) is missing from the BuckStopServer bundle" }
    }
}
