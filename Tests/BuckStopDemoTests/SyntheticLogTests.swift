import BuckStopCalendar
import BuckStopDomain
import BuckStopEventLog
import BuckStopTestSupport
import Foundation
import Testing
import Yams

@testable import BuckStopDemo

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct SyntheticLogTests {
    static let history = DemoGenerator.generate(TestData.configuration(caseCount: 3000))

    static func encode(_ format: EventLogFormat, _ history: DemoHistory) -> Data {
        let out = OutputBuffer()
        var clock = TimestampFormatter()
        format.appendPrologue(logName: SyntheticLog.logName, asOf: TestData.end, to: out)
        for c in history.cases { format.append(SyntheticLog.trace(c, organization: history.organization), to: out, clock: &clock) }
        format.appendEpilogue(to: out)
        return Data(out.bytes)
    }

    @Test("XES traces carry the vocabulary, the labels, and the owner after each event from a domain replay")
    func xesTraces() throws {
        let history = Self.history
        let org = history.organization
        let log = try #require(TestXES.read(Self.encode(.xes, history)))
        #expect(log.logAttributes["concept:name"] == "BuckStop synthetic log")
        #expect(log.logAttributes["buckstop:asOf"] == "2026-10-30")
        #expect(log.traces.count == history.cases.count)
        for (trace, demoCase) in zip(log.traces, history.cases) {
            #expect(trace.attributes["concept:name"] == demoCase.code.rawValue)
            #expect(trace.attributes["buckstop:kind"] == demoCase.open.kind.rawValue)
            #expect(trace.attributes["buckstop:procedure"] == demoCase.open.procedure)
            #expect(trace.attributes["buckstop:leadUnit"] == demoCase.open.leadUnit.rawValue)
            let labels = trace.attributes["buckstop:labels"].map { Set($0.split(separator: ",").map(String.init)) } ?? []
            #expect(labels == demoCase.labels, "\(demoCase.code)")
            #expect(trace.attributes["buckstop:truth"] == demoCase.truthText, "\(demoCase.code)")
            #expect(Set(demoCase.truth.map(\.behaviour.rawValue)) == demoCase.labels, "one verdict per label: \(demoCase.code)")
            let states = try #require(TestData.states(demoCase, in: org))
            let actions = [demoCase.openAction] + demoCase.actions
            try #require(trace.events.count == actions.count)
            var previous = ""
            for ((event, action), state) in zip(zip(trace.events, actions), states) {
                #expect(event["concept:name"] == action.body.type.rawValue)
                #expect(event["org:resource"] == action.actor.stored)
                #expect(event["org:group"] == action.actor.officialID.map { org.official($0)!.unit.rawValue })
                #expect(event["lifecycle:transition"] == "complete")
                #expect(event["buckstop:owner"] == state.owner?.rawValue)
                #expect(event["buckstop:status"] == state.status.rawValue)
                let time = try #require(event["time:timestamp"])
                #expect(Timestamp.parseISO8601(time)?.millis == action.at)
                #expect(time >= previous, "event times never go back inside a trace")
                previous = time
                switch action.body {
                case .open(let o): #expect(event["buckstop:due"] == o.dueDate?.description)
                case .extend(let d, _), .reschedule(let d, _): #expect(event["buckstop:due"] == d.description)
                case .consult(let units, _, let d):
                    #expect(event["buckstop:due"] == d.description)
                    #expect(event["buckstop:target"] == units.map(\.rawValue).joined(separator: ","))
                case .opinion(let unit, _): #expect(event["buckstop:target"] == unit.rawValue)
                case .assign(let to, _), .transfer(let to, _), .escalate(let to, _), .delegate(let to, _), .reopen(let to, _):
                    #expect(event["buckstop:target"] == to.rawValue)
                case .supplementReceived(_, let d), .accept(_, let d), .resume(_, let d): #expect(event["buckstop:due"] == d?.description)
                // A reception session: its day, and who received.
                case .receptionHeld(let session):
                    #expect(event["buckstop:due"] == session.day.description)
                    #expect(event["buckstop:target"] == session.receivedBy.rawValue)
                default:
                    #expect(event["buckstop:due"] == nil)
                    #expect(event["buckstop:target"] == nil)
                }
            }
        }
    }

    @Test("every behaviour is injected at a rate above zero (accumulation may be rare)")
    func rates() {
        var counts: [String: Int] = [:]
        for c in Self.history.cases { for l in c.labels { counts[l, default: 0] += 1 } }
        let n = Double(Self.history.cases.count)
        print(
            DemoBehaviour.allCases.map { "\($0.rawValue) \(String(format: "%.2f", 100 * Double(counts[$0.rawValue, default: 0]) / n)) %" }.joined(
                separator: ", "))
        for b in DemoBehaviour.allCases where b != .accumulation && b.inCheckedLedger {
            #expect(counts[b.rawValue, default: 0] > 0, "\(b.rawValue)")
        }
    }

    @Test("CSV: the header, RFC 4180 cells, one row per XES event")
    func csvRows() throws {
        let xes = try #require(TestXES.read(Self.encode(.xes, Self.history)))
        let text = String(decoding: Self.encode(.csv, Self.history), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(
            lines.first
                == "case,activity,time,org:resource,org:group,buckstop:owner,buckstop:status,buckstop:due,buckstop:target,buckstop:kind,buckstop:procedure,buckstop:leadUnit,buckstop:labels,buckstop:truth,buckstop:concerning,buckstop:decidingBody,buckstop:product,buckstop:inspection"
        )
        #expect(lines.last == "")
        #expect(lines.count - 2 == xes.traces.reduce(0) { $0 + $1.events.count })
        let multi = try #require(Self.history.cases.first { $0.labels.count > 1 })
        let row = try #require(lines.first { $0.hasPrefix(multi.code.rawValue + ",") })
        #expect(
            row.hasSuffix(
                ",\"" + multi.labels.sorted().joined(separator: ",") + "\"," + (multi.truthText ?? "") + ","
                    + (multi.open.concerning?.official?.rawValue ?? "") + "," + (multi.open.decidingBody?.rawValue ?? "") + ","
                    + (multi.open.product ?? "") + ","), "\(row)")
    }

    @Test("chunk 0 is the demo's history; chunk 1 has the same city, other cases, codes ending in /1")
    func chunks() {
        let chunked = DemoGenerator.Chunked(TestData.configuration())
        let first = chunked.chunk(0, caseCount: 400)
        let plain = DemoGenerator.generate(TestData.configuration(caseCount: 400))
        #expect(first.map(\.code) == plain.cases.map(\.code))
        #expect(first.map(\.labels) == plain.cases.map(\.labels))
        #expect(first.map(\.actions) == plain.cases.map(\.actions))
        #expect(chunked.organization == plain.organization)
        let second = chunked.chunk(1, caseCount: 400)
        #expect(second.allSatisfy { $0.code.rawValue.hasSuffix("/1") })
        #expect(Set(first.map(\.code)).isDisjoint(with: second.map(\.code)))
        #expect(Set(second.map(\.code)).count == second.count)
        #expect(second.map { $0.actions.count } != first.map { $0.actions.count })
        var config = TestData.configuration(caseCount: 400)
        config.chunkIndex = 1
        #expect(DemoGenerator.generate(config).cases.map(\.labels) == second.map(\.labels))
    }

    @Test("the mapping loads as YAML and lists every owner of the log")
    func mapping() throws {
        let history = Self.history
        let types = Set(history.cases.map(CaseType.init))
        let mapping = SyntheticMapping(organization: history.organization, asOf: TestData.end, caseTypes: types)
        let text = try mapping.yaml()
        let loaded = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(loaded["as_of"] != nil)
        let activities = try #require(loaded["activities"] as? [String: [String]])
        #expect(activities["escalation"] == ["escalate"])
        #expect(activities["supplement_request"] == ["request_supplement"])
        let attributes = try #require(loaded["attributes"] as? [String: String])
        #expect(attributes["owner"] == "buckstop:owner")
        let owners = try #require(loaded["owners"] as? [String: [String: Any]])
        var seen = Set<String>()
        for c in history.cases {
            guard let states = TestData.states(c, in: history.organization) else { continue }
            for s in states { if let o = s.owner { seen.insert(o.rawValue) } }
        }
        #expect(seen.isSubset(of: Set(owners.keys)))
        #expect(owners.count == history.organization.officials.count)
        for (id, entry) in owners {
            #expect(entry["level"] as? Int == history.organization.authorityLevel(of: OfficialID(id)))
            #expect(entry["unit"] as? String == history.organization.official(OfficialID(id))?.unit.rawValue)
        }
        let competent = try #require(loaded["competent"] as? [[String: Any]])
        #expect(competent.count == types.count)
        #expect(competent.contains { $0["kind"] as? String == "complaint" })
        #expect(competent.allSatisfy { ($0["agencies"] as? [String]) != nil })
    }
}
