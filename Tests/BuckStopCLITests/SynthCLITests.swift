import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import BuckStopDomain
import BuckStopEventLog
import BuckStopTestSupport
import Foundation
import Testing
import Yams

/// `buckstop synth`, run as a user would, checked against the generator it claims to use.
@Suite(.serialized) struct SynthCLITests {
    static let end = "2026-10-30"

    static func expected(seed: UInt64, cases: Int) throws -> DemoHistory {
        DemoGenerator.generate(
            DemoConfiguration(
                seed: seed, caseCount: cases, end: try CivilDate(iso: end), rulebook: try Defaults.rulebook(),
                calendar: try Defaults.workingCalendar(),
                holidays: try Defaults.holidayDecisions().filter { Defaults.decidedHolidayStatuses.contains($0.status) },
                // `synth` writes the log of a system without BuckStop's competence check.
                uncheckedDecisions: true))
    }

    static func shell(_ command: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(command)")
        return data
    }

    @Test func xesAndCSVAreLabelledAndReplayable() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let xesPath = cli.directory + "/synth.xes"
        let made = try cli.run(["synth", "--cases", "3000", "--seed", "11", "--end", Self.end, "--out", xesPath], withDatabase: false)
        #expect(made.status == 0, "\(made.stderr)")
        // 3000 cases and the units' reception books (one per unit and year).
        let history = try Self.expected(seed: 11, cases: 3000)
        #expect(history.cases.count > 3000)
        #expect(made.stderr.contains("\(history.cases.count) cases"), "\(made.stderr)")
        #expect(!FileManager.default.fileExists(atPath: xesPath + ".partial"))

        let org = history.organization
        let log = try #require(TestXES.read(try Data(contentsOf: URL(fileURLWithPath: xesPath))))
        #expect(log.logAttributes["concept:name"] == "BuckStop synthetic log")
        #expect(log.logAttributes["buckstop:asOf"] == Self.end)
        try #require(log.traces.count == history.cases.count)
        var counts: [String: Int] = [:]
        var owners = Set<String>()
        var events = 0
        for (trace, demoCase) in zip(log.traces, history.cases) {
            for key in ["concept:name", "buckstop:kind", "buckstop:leadUnit"] { #expect(trace.attributes[key] != nil, "\(key)") }
            #expect(trace.attributes["concept:name"] == demoCase.code.rawValue)
            #expect((trace.attributes["buckstop:procedure"] != nil) == (demoCase.open.procedure != nil))
            let labels = trace.attributes["buckstop:labels"].map { Set($0.split(separator: ",").map(String.init)) } ?? []
            #expect(labels == demoCase.labels, "labels of \(demoCase.code) are the generator's")
            for l in labels { counts[l, default: 0] += 1 }
            // Owner after each event from an independent replay through the domain (its transitions: the log holds
            // decisions a ledger would refuse, by design).
            var state = try CaseState(opening: demoCase.openAction, in: org)
            var expectedOwners = [state.owner?.rawValue]
            for action in demoCase.actions {
                try state.replay(action, organization: org)
                expectedOwners.append(state.owner?.rawValue)
            }
            #expect(trace.events.map { $0["buckstop:owner"] } == expectedOwners, "\(demoCase.code)")
            #expect(trace.events.first?["concept:name"] == "open")
            let times = trace.events.compactMap { $0["time:timestamp"].flatMap { Timestamp.parseISO8601($0)?.millis } }
            #expect(times.count == trace.events.count)
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "times never go back in \(demoCase.code)")
            for e in trace.events {
                for key in ["concept:name", "org:resource", "lifecycle:transition", "buckstop:status"] { #expect(e[key] != nil, "\(key)") }
                if let o = e["buckstop:owner"] { owners.insert(o) }
            }
            events += trace.events.count
        }
        let rates = DemoBehaviour.allCases.map { b in
            "\(b.rawValue) \(String(format: "%.2f", 100 * Double(counts[b.rawValue, default: 0]) / 3000)) %"
        }
        print("synth label rates (3000 cases): " + rates.joined(separator: ", "))
        for b in DemoBehaviour.allCases where b != .accumulation {
            #expect(counts[b.rawValue, default: 0] > 0, "\(b.rawValue) appears")
        }

        // The mapping beside it lists every owner of the log.
        let mappingText = try String(contentsOfFile: xesPath + ".mapping.yaml", encoding: .utf8)
        let mapping = try #require(try Yams.load(yaml: mappingText) as? [String: Any])
        let listed = try #require(mapping["owners"] as? [String: Any])
        #expect(owners.isSubset(of: Set(listed.keys)), "missing: \(owners.subtracting(listed.keys))")
        #expect((mapping["activities"] as? [String: [String]])?["escalation"] == ["escalate"])
        #expect((mapping["attributes"] as? [String: String])?["owner"] == "buckstop:owner")
        #expect((mapping["competent"] as? [[String: Any]])?.isEmpty == false)

        // CSV: same cases, one row per XES event.
        let csvPath = cli.directory + "/synth.csv"
        let csv = try cli.run(["synth", "--cases", "3000", "--seed", "11", "--end", Self.end, "--out", csvPath], withDatabase: false)
        #expect(csv.status == 0, "\(csv.stderr)")
        let csvData = try Data(contentsOf: URL(fileURLWithPath: csvPath))
        let lines = String(decoding: csvData, as: UTF8.self).split(separator: "\n")
        #expect(
            lines.first
                == "case,activity,time,org:resource,org:group,buckstop:owner,buckstop:status,buckstop:due,buckstop:target,buckstop:kind,buckstop:procedure,buckstop:leadUnit,buckstop:labels,buckstop:truth,buckstop:concerning,buckstop:decidingBody,buckstop:product,buckstop:inspection"
        )
        #expect(lines.count - 1 == events)

        // gzip: the same bytes once decompressed.
        let gzPath = cli.directory + "/synth.csv.gz"
        let gz = try cli.run(["synth", "--cases", "3000", "--seed", "11", "--end", Self.end, "--out", gzPath], withDatabase: false)
        #expect(gz.status == 0, "\(gz.stderr)")
        #expect(try Self.shell("gzip -dc '\(gzPath)'") == csvData)
        let xesGz = cli.directory + "/synth.xes.gz"
        #expect(try cli.run(["synth", "--cases", "3000", "--seed", "11", "--end", Self.end, "--out", xesGz], withDatabase: false).status == 0)
        #expect(try Self.shell("gzip -dc '\(xesGz)'") == (try Data(contentsOf: URL(fileURLWithPath: xesPath))))
    }

    @Test func chunksHaveUniqueCaseIDsAndEventsStopsAChunk() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let path = cli.directory + "/chunks.csv"
        let made = try cli.run(
            ["synth", "--cases", "2500", "--chunk-cases", "1000", "--seed", "3", "--end", Self.end, "--out", path], withDatabase: false)
        #expect(made.status == 0, "\(made.stderr)")
        let rows = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).split(separator: "\n").dropFirst()
        var ids: [String] = []
        for row in rows where ids.last.map({ !row.hasPrefix($0 + ",") }) ?? true {
            ids.append(String(row.prefix { $0 != "," }))
        }
        // Chunk 0 is the generator's history for the same seed and size, with the units' reception books (only chunk 0
        // has them: they are named by unit and year).
        let first = try Self.expected(seed: 3, cases: 1000)
        let books = first.cases.count - 1000
        #expect(books > 0)
        #expect(ids.count == 2500 + books)
        #expect(Set(ids).count == 2500 + books, "case ids are unique across chunks")
        #expect(ids.filter { $0.hasSuffix("/1") }.count == 1000)
        #expect(ids.filter { $0.hasSuffix("/2") }.count == 500)
        #expect(Array(ids.prefix(first.cases.count)) == first.cases.map(\.code.rawValue))

        let streamed = try cli.run(
            [
                "synth", "--events", "5000", "--chunk-cases", "200", "--format", "csv", "--out", "-", "--mapping-out", cli.directory + "/m.yaml",
                "--end", Self.end,
            ],
            withDatabase: false)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let streamedRows = streamed.stdout.split(separator: "\n").count - 1
        #expect(streamedRows >= 5000 && streamedRows < 5000 + 200 * 20, "stops after the chunk that reaches 5000 events: \(streamedRows)")
        #expect(streamed.stderr.contains("\(streamedRows) events"), "\(streamed.stderr)")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/m.yaml"))

        let refused = try cli.run(["synth", "--cases", "10", "--out", "-"], withDatabase: false)
        #expect(refused.status != 0 && refused.stderr.contains("--format"))
    }
}
