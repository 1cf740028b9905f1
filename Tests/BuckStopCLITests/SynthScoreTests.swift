import BuckStopTestSupport
import Foundation
import Testing

/// Every detector scored on a synthetic log whose traces carry their ground truth (`buckstop synth`, the demo
/// generator): the findings of `buckstop analyze` with the generated mapping must be exactly the labelled cases —
/// precision and recall 1.0 per behaviour — and, finding by finding, name the one the truth holds responsible with the
/// value it measured: precision and recall 1.0 on (detector, case, owner, value), from XES and from CSV through a pipe.
@Suite(.serialized) struct SynthScoreTests {
    /// One verdict or finding: `detector|case|owner|value`.
    typealias Verdict = String

    /// The (detector, case, owner, value) of every label, from the XES `buckstop:truth` trace attributes read with
    /// Foundation's XMLParser; each `behaviour=responsible:value`.
    static func verdicts(_ path: String) throws -> Set<Verdict> {
        let log = try #require(TestXES.read(try Data(contentsOf: URL(fileURLWithPath: path))))
        var out = Set<Verdict>()
        for t in log.traces {
            let name = try #require(t.attributes["concept:name"])
            let labels = Set((t.attributes["buckstop:labels"] ?? "").split(separator: ",").map(String.init))
            var behaviours = Set<String>()
            for verdict in (t.attributes["buckstop:truth"] ?? "").split(separator: ";") {
                let parts = verdict.split(separator: "=", maxSplits: 1)
                let rest = try #require(parts.count == 2 ? parts[1] : nil, "\(name): \(verdict)")
                let colon = try #require(rest.lastIndex(of: ":"), "\(name): \(verdict)")
                let value = try #require(Int(rest[rest.index(after: colon)...]), "\(name): \(verdict)")
                out.insert("\(parts[0])|\(name)|\(rest[..<colon])|\(value)")
                behaviours.insert(String(parts[0]))
            }
            #expect(behaviours == labels, "\(name): buckstop:truth covers exactly buckstop:labels")
        }
        return out
    }

    /// The (detector, case, owner, value) of every finding of an `analyze --format json` report.
    static func found(_ findingsJSON: Data) throws -> Set<Verdict> {
        let json = try #require(try JSONSerialization.jsonObject(with: findingsJSON) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        var out = Set<Verdict>()
        for f in findings {
            let detector = try #require(f["detector"] as? String)
            let name = try #require(f["case"] as? String)
            let owner = try #require(f["owner"] as? String)
            let value = try #require(f["value"] as? Double)
            #expect(value == value.rounded(), "\(detector) on \(name): a whole value, not \(value)")
            out.insert("\(detector)|\(name)|\(owner)|\(Int(value))")
        }
        return out
    }

    /// Precision and recall 1.0 on the 4-tuples, listing a few of each kind of mismatch when not.
    static func expectSame(_ truth: Set<Verdict>, _ found: Set<Verdict>, _ what: String) {
        let missed = truth.subtracting(found).sorted()
        let extra = found.subtracting(truth).sorted()
        let matched = truth.count - missed.count
        print("SynthScore \(what): \(truth.count) verdicts, \(found.count) findings, \(matched) matched")
        #expect(
            missed.isEmpty && extra.isEmpty,
            """
            \(what): \(truth.count) verdicts, \(found.count) findings, \(matched) matched (detector|case|owner|value); \
            in the truth only: \(missed.prefix(8)); found only: \(extra.prefix(8))
            """)
    }

    /// Case → labels, read from the XES trace attributes with Foundation's XMLParser (independent of our reader).
    static func labels(_ path: String) throws -> [String: Set<String>] {
        let log = try #require(TestXES.read(try Data(contentsOf: URL(fileURLWithPath: path))))
        var out: [String: Set<String>] = [:]
        for t in log.traces {
            let name = try #require(t.attributes["concept:name"])
            out[name] = Set((t.attributes["buckstop:labels"] ?? "").split(separator: ",").map(String.init))
        }
        return out
    }

    static let behaviours = [
        "transfers", "ping_pong", "upward_push", "shuttle", "consultation_rounds", "stalling", "overdue", "no_apology",
        "repeat_reschedule", "repeat_supplement", "jurisdiction_refusal", "late_intake", "extension_abuse", "accumulation", "rework",
        "reception_skipped", "reception_delegated",
    ]

    func score(findingsJSON: Data, labels: [String: Set<String>]) throws -> [String: (truth: Int, found: Int, tp: Int)] {
        let json = try #require(try JSONSerialization.jsonObject(with: findingsJSON) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        var found: [String: Set<String>] = [:]
        for f in findings { found[f["detector"] as! String, default: []].insert(f["case"] as! String) }
        var out: [String: (Int, Int, Int)] = [:]
        for b in Self.behaviours {
            let truth = Set(labels.filter { $0.value.contains(b) }.keys)
            let predicted = found[b] ?? []
            out[b] = (truth.count, predicted.count, truth.intersection(predicted).count)
        }
        return out
    }

    @Test func everyDetectorFindsExactlyTheInjectedBehaviours() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let xes = cli.directory + "/s.xes"
        let made = try cli.run(["synth", "--cases", "3000", "--seed", "7", "--out", xes], withDatabase: false)
        #expect(made.status == 0, "\(made.stderr)")
        let labels = try Self.labels(xes)
        #expect(labels.count > 3000, "3000 cases and the units' reception books")

        let report = cli.directory + "/r.json"
        let run = try cli.run(["analyze", xes, "--mapping", xes + ".mapping.yaml", "--format", "json", "--out", report], withDatabase: false)
        #expect(run.status == 0, "\(run.stderr)")
        let scores = try score(findingsJSON: Data(contentsOf: URL(fileURLWithPath: report)), labels: labels)
        let truth = try Self.verdicts(xes)
        #expect(truth.count == labels.values.reduce(0) { $0 + $1.count })
        Self.expectSame(truth, try Self.found(Data(contentsOf: URL(fileURLWithPath: report))), "XES")
        for b in Self.behaviours {
            let s = try #require(scores[b])
            #expect(s.truth > 0, "\(b) is injected")
            #expect(s.tp == s.truth && s.found == s.truth, "\(b): \(s.truth) labelled, \(s.found) found, \(s.tp) both — precision and recall 1.0")
        }

        // The same log as CSV through a pipe (grouped by case), with the same mapping: the same findings.
        let csv = cli.directory + "/s.csv"
        #expect(try cli.run(["synth", "--cases", "3000", "--seed", "7", "--out", csv], withDatabase: false).status == 0)
        let piped = try cli.run(
            ["analyze", "-", "--mapping", xes + ".mapping.yaml", "--format", "json"], withDatabase: false,
            input: try String(contentsOfFile: csv, encoding: .utf8))
        #expect(piped.status == 0, "\(piped.stderr)")
        let fromCSV = try score(findingsJSON: Data(piped.stdout.utf8), labels: labels)
        Self.expectSame(truth, try Self.found(Data(piped.stdout.utf8)), "CSV")
        for b in Self.behaviours {
            let s = try #require(fromCSV[b])
            #expect(s.tp == s.truth && s.found == s.truth, "CSV \(b): \(s.truth) labelled, \(s.found) found")
        }
    }

    /// A log past its pool: 200 generated cases, repeated in organisation copies @1 and @2. Officials of each copy
    /// are distinct (accumulation counts per official), placed through the mapping's owner qualifier; every label
    /// stays exact, so the scores stay 1.0 over all 600 cases.
    @Test func replicatedCopiesKeepExactLabels() throws {
        let cli = try CLIRunner()
        defer { cli.remove() }
        let xes = cli.directory + "/r.xes"
        let made = try cli.run(
            ["synth", "--cases", "600", "--chunk-cases", "200", "--pool-cases", "200", "--seed", "11", "--out", xes], withDatabase: false)
        #expect(made.status == 0, "\(made.stderr)")
        let labels = try Self.labels(xes)
        // The pool's reception books (named by unit and year) come beside the 600 cases.
        #expect(labels.keys.contains { $0.contains("-TCD-") } && labels.count > 600)
        let copies = labels.keys.filter { $0.hasSuffix("@2") }
        #expect(copies.count == 200)
        // A copy carries the labels of its original.
        for name in copies { #expect(labels[name] == labels[String(name.dropLast(2))]) }
        let text = try String(contentsOfFile: xes, encoding: .utf8)
        #expect(
            text.contains("key=\"buckstop:owner\" value=\"")
                && text.range(of: #"buckstop:owner" value="[a-z0-9]+@1""#, options: .regularExpression) != nil)

        let report = cli.directory + "/r.json"
        let run = try cli.run(["analyze", xes, "--mapping", xes + ".mapping.yaml", "--format", "json", "--out", report], withDatabase: false)
        #expect(run.status == 0, "\(run.stderr)")
        let scores = try score(findingsJSON: Data(contentsOf: URL(fileURLWithPath: report)), labels: labels)
        for b in Self.behaviours {
            let s = try #require(scores[b])
            #expect(s.tp == s.truth && s.found == s.truth, "\(b): \(s.truth) labelled, \(s.found) found, \(s.tp) both")
        }
        // Officials named in a copy's truth carry the copy's qualifier, as its events do.
        Self.expectSame(try Self.verdicts(xes), try Self.found(Data(contentsOf: URL(fileURLWithPath: report))), "replicated XES")
    }
}
