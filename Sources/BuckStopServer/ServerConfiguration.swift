import Foundation
import Yams

/// Everything `buckstop serve` is configured with, read once at start: defaults, then a YAML file, then the
/// environment (`BUCKSTOP_*`), then flags — later sources win. Passed inward; nothing reads the environment later.
public struct ServerConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Written with the bound port once listening (useful with port 0).
    public var portFile: String?
    /// Seed the demo city when the database is empty, and show the demo accounts on the login page.
    public var demo = false
    public var demoCases = 5000
    /// Cookies get `Secure` (the server is behind a TLS proxy).
    public var secureCookies = false
    public var sessionHours = 10
    /// Bcrypt cost for new passwords.
    public var bcryptCost = 11
    /// Seconds between scheduled surveys (cross-case detectors, time-driven findings).
    public var surveySeconds = 600
    /// Failed PIN attempts allowed per case code and per client address in the window.
    public var pinAttemptsPerCase = 5
    public var pinAttemptsPerAddress = 20
    public var pinWindowSeconds = 900
    public var logLevel = "info"
    /// Addresses of the reverse proxies in front of the server: only from them is `X-Forwarded-For` believed.
    public var trustedProxies: Set<String> = []
    /// A bearer token `/metrics` requires; without one, `/metrics` answers only on this machine (loopback, no proxy).
    public var metricsToken: String?
    /// Seconds a connection may take to send a complete request head (and may sit idle between requests); a client
    /// trickling bytes is cut off (slow-header attacks).
    public var headerTimeoutSeconds = 30
    /// Seconds between scheduled checkpoints (the ledger's maximum merge delay).
    public var checkpointSeconds = 5
    /// Seconds between reminder runs: how soon a case that comes within its lead time is reminded (each reminder is sent
    /// once a day whatever this is).
    public var reminderSeconds = 900
    /// The SMTP relay reminders are e-mailed through ("host:port"); without one they are written to the log.
    public var smtpRelay: (host: String, port: Int)? {
        get { smtpRelayHost.map { ($0, smtpRelayPort) } }
        set {
            smtpRelayHost = newValue?.host
            smtpRelayPort = newValue?.port ?? 25
        }
    }
    private var smtpRelayHost: String?
    private var smtpRelayPort = 25
    /// The sender of reminder e-mails.
    public var smtpFrom = "buckstop@localhost"
    /// A YAML file mapping official ids to e-mail addresses (`cv-an: an@stp.danang.gov.vn`), read at start.
    public var smtpAddresses: String?
    /// The witnesses every checkpoint is submitted to, each as "<verifier key> <URL>" (C2SP vkey, tlog-witness URL).
    public var witnesses: [String] = []
    /// The address citizens reach this server at (scheme, host, port, optional path; no trailing slash), for the
    /// addresses printed on paper: the receipt's QR code. Without it the receipt builds the address from the request's
    /// Host header with the scheme http (see `Receipt.swift` for why that is only a fallback).
    public var publicURL: String?

    public init() {}

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case invalid(source: String, key: String, expected: String, found: String)
        case unknownKey(source: String, key: String)

        public var description: String {
            switch self {
            case .invalid(let source, let key, let expected, let found): "\(source): '\(key)' expected \(expected), found '\(found)'"
            case .unknownKey(let source, let key): "\(source): unknown setting '\(key)'"
            }
        }
    }

    static let keys: [String] = [
        "host", "port", "port_file", "demo", "demo_cases", "secure_cookies", "session_hours", "bcrypt_cost", "survey_seconds",
        "pin_attempts_per_case", "pin_attempts_per_address", "pin_window_seconds", "log_level", "trusted_proxies", "metrics_token",
        "header_timeout_seconds", "checkpoint_seconds", "witnesses", "public_url", "reminder_seconds",
        "smtp_relay", "smtp_from", "smtp_addresses",
    ]

    /// Applies one setting given as text; `source` names the file, variable or flag in errors.
    public mutating func set(_ key: String, _ value: String, source: String) throws(Problem) {
        func int(_ range: ClosedRange<Int>) throws(Problem) -> Int {
            guard let n = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                throw .invalid(source: source, key: key, expected: "an integer in \(range.lowerBound)…\(range.upperBound)", found: value)
            }
            return n
        }
        func bool() throws(Problem) -> Bool {
            switch value.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw .invalid(source: source, key: key, expected: "true or false", found: value)
            }
        }
        switch key {
        case "host": host = value
        case "port": port = try int(0...65535)
        case "port_file": portFile = value.isEmpty ? nil : value
        case "demo": demo = try bool()
        case "demo_cases": demoCases = try int(1...1_000_000)
        case "secure_cookies": secureCookies = try bool()
        case "session_hours": sessionHours = try int(1...720)
        case "bcrypt_cost": bcryptCost = try int(4...16)
        case "survey_seconds": surveySeconds = try int(5...86_400)
        case "pin_attempts_per_case": pinAttemptsPerCase = try int(1...1000)
        case "pin_attempts_per_address": pinAttemptsPerAddress = try int(1...100_000)
        case "pin_window_seconds": pinWindowSeconds = try int(1...86_400)
        case "log_level":
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(value) else {
                throw .invalid(source: source, key: key, expected: "trace|debug|info|notice|warning|error|critical", found: value)
            }
            logLevel = value
        case "trusted_proxies":
            trustedProxies = Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case "metrics_token":
            guard value.isEmpty || value.count >= 16 else {
                throw .invalid(source: source, key: key, expected: "a token of at least 16 characters", found: "\(value.count) characters")
            }
            metricsToken = value.isEmpty ? nil : value
        case "header_timeout_seconds": headerTimeoutSeconds = try int(1...3600)
        case "checkpoint_seconds": checkpointSeconds = try int(1...3600)
        case "reminder_seconds": reminderSeconds = try int(10...86_400)
        case "smtp_relay":
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                smtpRelay = nil
                return
            }
            guard let colon = trimmed.lastIndex(of: ":"), let port = Int(trimmed[trimmed.index(after: colon)...]), (1...65535).contains(port),
                !trimmed[..<colon].isEmpty, !trimmed.contains(where: { $0.isWhitespace })
            else {
                throw .invalid(source: source, key: key, expected: "host:port (e.g. 127.0.0.1:25)", found: value)
            }
            smtpRelay = (String(trimmed[..<colon]), port)
        case "smtp_from":
            guard SMTPNotificationChannel.isAddress(value) else {
                throw .invalid(source: source, key: key, expected: "an e-mail address (local@domain)", found: value)
            }
            smtpFrom = value
        case "smtp_addresses": smtpAddresses = value.isEmpty ? nil : value
        case "witnesses":
            witnesses = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for w in witnesses where w.split(separator: " ").count != 2 {
                throw .invalid(source: source, key: key, expected: "\"<verifier key> <URL>\" entries separated by commas", found: w)
            }
        case "public_url":
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else {
                publicURL = nil
                return
            }
            guard let url = Self.publicURL(trimmed) else {
                throw .invalid(
                    source: source, key: key,
                    expected: "an absolute http or https URL without credentials, query or fragment (e.g. https://dichvucong.danang.gov.vn)",
                    found: value)
            }
            publicURL = url
        default: throw .unknownKey(source: source, key: key)
        }
    }

    /// `text` as a public base URL (scheme and host lower case, no trailing slash), or nil unless it is an absolute
    /// http or https URL with a host and without user, password, query or fragment, at most 200 characters.
    static func publicURL(_ text: String) -> String? {
        guard text.count <= 200, let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty,
            parts.user == nil, parts.password == nil, parts.query == nil, parts.fragment == nil
        else { return nil }
        var path = parts.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let authority = parts.percentEncodedHost.map { $0.lowercased() } ?? host.lowercased()
        return scheme + "://" + authority + (parts.port.map { ":\($0)" } ?? "") + path
    }

    /// Reads a YAML mapping of settings (keys as in `keys`).
    public mutating func apply(yaml text: String, source: String) throws {
        guard let loaded = try Yams.load(yaml: text) else { return }
        guard let map = loaded as? [String: Any] else {
            throw Problem.invalid(source: source, key: "(document)", expected: "a mapping of settings", found: "\(type(of: loaded))")
        }
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            // A list (witnesses) is written as a YAML sequence; each item is one entry.
            let text = (value as? [Any]).map { $0.map { "\($0)" }.joined(separator: ",") } ?? "\(value)"
            try set(key, text, source: source)
        }
    }

    /// Reads `BUCKSTOP_<KEY>` variables (e.g. BUCKSTOP_PORT, BUCKSTOP_SURVEY_SECONDS).
    public mutating func apply(environment: [String: String]) throws(Problem) {
        for key in Self.keys {
            let name = "BUCKSTOP_" + key.uppercased()
            if let value = environment[name] { try set(key, value, source: name) }
        }
    }
}
