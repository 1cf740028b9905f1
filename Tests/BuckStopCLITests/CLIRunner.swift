import BuckStopTestSupport
import Foundation
import Testing

/// Runs the built `buckstop` executable, as a user would, in a scratch directory.
struct CLIRunner {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let directory: String
    var database: String { directory + "/city.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "buckstop-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// The executable sits next to the test bundle in the build products directory.
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("buckstop")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return SharedFiles.repositoryRoot.appendingPathComponent(".build/debug/buckstop")
    }()

    @discardableResult
    func run(_ arguments: [String], withDatabase: Bool = true, input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments + (withDatabase ? ["--db", database] : [])
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "BUCKSTOP_DB")
        environment.removeValue(forKey: "BUCKSTOP_SIGNING_KEY")
        environment.removeValue(forKey: "BUCKSTOP_DATA_KEY")
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            // Fed from another thread so a large input cannot deadlock against a full stdout pipe.
            let writer = stdin.fileHandleForWriting
            let data = Data(input.utf8)
            Thread {
                writer.write(data)
                try? writer.close()
            }.start()
        }
        // Read both pipes fully before waiting so a chatty command cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    func sqlite(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", database, sql,
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite script failed: \(sql)")
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
