import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
import BuckStopServer
import BuckStopStore
import BuckStopTestSupport
import BuckStopWitness
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import Testing

/// A server over a fresh SQLite store with the sample city (plus an administrator), a password for every
/// official, and API tokens with different scopes. Requests go through the real router and middleware.
struct ServerFixture {
    static let password = "mat-khau-thu"
    static let code: CaseID = "STP-251120-0001"

    let directory: String
    let store: SQLiteStore
    let state: ServerState
    /// Token by name: "all" is the one-stop-shop system's (every scope, acting for every official of the city), "an" is
    /// cv-an's own (every scope), "importer" a system's that may also give the time of what it imports, "reader" only
    /// cases:read, "findings" only findings:read.
    let tokens: [String: String]
    /// The witness every checkpoint goes to: in this process, with its own key and its own database file.
    let witness: WitnessService
    let publisher: WitnessPublisher

    static let organization: Organization = {
        let base = SampleCity.organization
        var officials = Array(base.officials.values)
        officials.append(Official(id: "admin-1", name: "Quản Trị Viên", unit: "ubnd", position: "Quản trị hệ thống", roles: [.official, .admin]))
        return try! Organization(units: Array(base.units.values), officials: officials, mandates: base.mandates)
    }()

    static func make(
        pinAttempts: Int = 5, logger: Logger = Logger(label: "test"), configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> ServerFixture {
        let directory = NSTemporaryDirectory() + "buckstop-server-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keys = StoreKeys.generate()
        let store = try SQLiteStore(configuration: StoreConfiguration(path: directory + "/s.sqlite", keys: keys, checkpointInterval: 1_000_000))
        try await store.saveOrganization(organization)
        let hash = try await ServerPasswords.hash(password, cost: 4)
        try await store.setPasswordHash(hash, for: Array(organization.officials.keys), at: 0)
        var tokens: [String: String] = [:]
        let every: Set<String> = ["cases:read", "actions:write", "findings:read", "findings:write", "ledger:read", "org:read"]
        let everyone = Set(organization.officials.keys)
        let clients: [StoredAPIToken] = [
            StoredAPIToken(name: "all", scopes: every, subject: .integration(actsFor: everyone, importsHistory: false)),
            StoredAPIToken(name: "an", scopes: every, subject: .official("cv-an")),
            StoredAPIToken(name: "importer", scopes: every, subject: .integration(actsFor: everyone, importsHistory: true)),
            StoredAPIToken(name: "motcua", scopes: every, subject: .integration(actsFor: ["cv-an", "cv-binh"], importsHistory: false)),
            StoredAPIToken(name: "reader", scopes: ["cases:read"], subject: .integration(actsFor: [], importsHistory: false)),
            StoredAPIToken(name: "findings", scopes: ["findings:read"], subject: .integration(actsFor: [], importsHistory: false)),
        ]
        for client in clients {
            let token = "bst_test_" + client.name + "_" + UUID().uuidString
            try await store.createAPIToken(token: token, client: client, now: 0)
            tokens[client.name] = token
        }
        var configuration = ServerConfiguration()
        configuration.pinAttemptsPerCase = pinAttempts
        configure(&configuration)
        let live = try LiveLedger(
            store: store, rulebook: try Defaults.rulebook(), calendar: try Defaults.workingCalendar(),
            citizenKeys: CitizenKeys(dataKey: keys.dataKey),
            logger: logger)
        let witnessKey = try CosignatureSigner(keyName: "witness.test", seed: [UInt8](repeating: 7, count: 32))
        let logKey = try CheckpointVerifier(publicKey: store.publicKey).noteVerifier(origin: store.origin)
        let witness = try WitnessService(
            cosigners: [witnessKey], logs: [try WitnessedLog(origin: store.origin, verifiers: [logKey])],
            store: try WitnessStore(path: directory + "/witness.sqlite"))
        let endpoint = WitnessEndpoint(verifier: witnessKey.verifier, transport: LocalWitnessTransport(service: witness), location: "test")
        let state = try ServerState(
            live: live, configuration: configuration, metrics: PrometheusCollectorRegistry(), witnesses: [endpoint], logger: logger)
        return ServerFixture(
            directory: directory, store: store, state: state, tokens: tokens, witness: witness,
            publisher: try WitnessPublisher(store: store, witnesses: [endpoint], logger: logger))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// What `CheckpointService` does every few seconds: sign what is uncovered and have the witness cosign it.
    @discardableResult
    func checkpointAndWitness() async throws -> [String: WitnessPublisher.Outcome] {
        try await store.checkpoint()
        return try await publisher.publishLatest()
    }

    /// The sample dossier held by cv-an, opened a minute ago.
    func openSampleCase() async throws {
        let now = LiveLedger.nowMillis() - 60_000
        // Due in a month: a case that is late or idle would (rightly) raise findings on its first append.
        var action = SampleCity.openDossier(Self.code, owner: "cv-an", at: now, due: CivilDate(Date()).adding(days: 30))
        action.at = now
        guard case .open(let open) = action.body else { return }
        _ = try await store.append(.open(open, actor: .official("cv-an"), at: now, code: Self.code, personalData: nil, via: .generated("test")))
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(state: state)
        try await app.test(.router) { client in try await body(client) }
    }
}

/// A browser's cookie jar over the test client: follows no redirects, keeps cookies, finds the form token.
struct Browser {
    var cookies: [String: String] = [:]
    let client: any TestClientProtocol

    init(_ client: any TestClientProtocol) { self.client = client }

    mutating func get(_ path: String) async throws -> TestResponse {
        let response = try await client.execute(uri: path, method: .get, headers: headers(), body: nil)
        remember(response)
        return response
    }

    mutating func post(_ path: String, form: [(String, String)], csrf: Bool = true, from page: String? = nil) async throws -> TestResponse {
        var fields = form
        if csrf {
            let source = try await get(page ?? path)
            fields.append(("_csrf", Self.csrf(in: source.text) ?? ""))
        }
        var h = headers()
        h[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        let response = try await client.execute(uri: path, method: .post, headers: h, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    mutating func login(_ official: String, password: String = ServerFixture.password) async throws -> TestResponse {
        try await post("/login", form: [("official", official), ("password", password)])
    }

    func headers() -> HTTPFields {
        var h: HTTPFields = [:]
        if !cookies.isEmpty { h[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return h
    }

    mutating func remember(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            let value = String(pair[1])
            if value.isEmpty || field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    static func csrf(in html: String) -> String? {
        guard let r = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
    /// The `field` of an API error (problem) body.
    func errorField() throws -> String? { try json()["field"] as? String }
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
    }
}

extension TestClientProtocol {
    func api(_ method: HTTPRequest.Method, _ path: String, token: String?, json: [String: Any]? = nil) async throws -> TestResponse {
        var h: HTTPFields = [:]
        if let token { h[.authorization] = "Bearer " + token }
        var body: ByteBuffer?
        if let json {
            h[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        return try await execute(uri: path, method: method, headers: h, body: body)
    }
}
