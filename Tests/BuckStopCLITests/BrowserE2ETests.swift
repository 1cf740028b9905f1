import BuckStopTestSupport
import Foundation
import Testing

/// The real-browser scenario (Debian's chromium + chromium-driver, Selenium): an official opens a case and
/// transfers it away, a colleague sends it back, the head sees the ping-pong finding, a citizen looks the case up
/// and verifies it against the signed ledger; an official reads the demo programme's roll-up and the report request's
/// matrix, and a task's holder reports progress on it; the head upholds the ping-pong finding and orders a remediation
/// from the official concerned, who reports it done on time; an official registers a proposal (NĐ 73/2023) that the head
/// approves and the head's record counts (`Tests/e2e/browser_e2e.py`, driven by `Scripts/e2e.sh` against
/// `buckstop serve --demo`). Needs a browser, so it runs when BUCKSTOP_E2E=1 — always in CI (`.ci/run`).
@Suite struct BrowserE2ETests {
    static let enabled = ProcessInfo.processInfo.environment["BUCKSTOP_E2E"] == "1"

    @Test(.enabled(if: BrowserE2ETests.enabled, "set BUCKSTOP_E2E=1 (needs chromium, chromium-driver, python3-selenium)"))
    func officialColleagueHeadAndCitizenInARealBrowser() async throws {
        let root = SharedFiles.repositoryRoot
        let shots = ProcessInfo.processInfo.environment["BUCKSTOP_E2E_SCREENSHOTS"] ?? root.appendingPathComponent(".build/e2e-screenshots").path
        // A minute of waiting on the browser: on a thread of its own, never one of the few the tests' concurrency shares —
        // blocking one that long starves the other suites' database pools (PostgreSQL leases time out at 60 s).
        let (status, text) = try await Self.offThePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [root.appendingPathComponent("Scripts/e2e.sh").path, "--screenshots", shots]
            process.currentDirectoryURL = root
            var environment = ProcessInfo.processInfo.environment
            environment["BUCKSTOP_BIN"] = CLIRunner.executable.path
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        print(text)
        #expect(status == 0, "e2e failed:\n\(text.suffix(3000))")
        #expect(text.contains("e2e: passed"))
        for shot in [
            "login.png", "case.png", "unit.png", "track.png", "verify.png", "programme.png", "programme-phone.png", "report-matrix.png",
            "consequence.png", "remediation.png", "proposal.png", "record.png",
        ] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + shot), "screenshot \(shot)")
        }
    }

    /// Runs blocking work on a Dispatch thread and resumes the caller with its result.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
