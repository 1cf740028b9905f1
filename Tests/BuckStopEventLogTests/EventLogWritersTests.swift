import BuckStopCalendar
import BuckStopDomain
import BuckStopEventLog
import BuckStopTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct EventLogWritersTests {
    static let trace = LogTrace(
        caseID: "STP-251120-0001", kind: "dossier", procedure: "LLTP-CAPPHIEU", leadUnit: "stp", labels: "overdue,stalling",
        truth: "stalling=cv-an:7;overdue=cv-an:3",
        events: [
            LogEvent(
                activity: "open", timestampMillis: SampleCity.t0, resource: "cv-an", group: "stp-hcbt", owner: "cv-an", status: "received",
                due: CivilDate(year: 2025, month: 12, day: 4), target: nil),
            LogEvent(
                activity: "consult", timestampMillis: SampleCity.t0 + 61_234, resource: "cv-an", group: "stp-hcbt", owner: "cv-an",
                status: "processing", due: CivilDate(year: 2025, month: 11, day: 27), target: "sxd,\"q\""),
            LogEvent(
                activity: "close", timestampMillis: 1_709_227_800_000, resource: "@system:portal", group: nil, owner: nil, status: "closed",
                due: nil, target: nil),
        ])

    static func encode(_ format: EventLogFormat) -> String {
        let out = OutputBuffer(capacity: 64)
        var clock = TimestampFormatter()
        format.appendPrologue(logName: "thử <nghiệm>", asOf: CivilDate(year: 2026, month: 11, day: 22), to: out)
        format.append(trace, to: out, clock: &clock)
        format.appendEpilogue(to: out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test func timestampsMatchTheReferenceFormatter() {
        var clock = TimestampFormatter()
        for ms: Int64 in [0, SampleCity.t0, SampleCity.t0 + 61_234, 1_709_227_800_000, 1_709_227_800_000 + 86_399_999, -1, 4_102_444_800_123] {
            let out = OutputBuffer(capacity: 8)
            clock.append(ms, to: out)
            #expect(String(decoding: out.bytes, as: UTF8.self) == XESWriter.timestamp(ms), "\(ms)")
        }
    }

    @Test func csvRowsRepeatTheCaseAndQuoteWhenNeeded() {
        let lines = Self.encode(.csv).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(
            lines == [
                "case,activity,time,org:resource,org:group,buckstop:owner,buckstop:status,buckstop:due,buckstop:target,buckstop:kind,buckstop:procedure,buckstop:leadUnit,buckstop:labels,buckstop:truth,buckstop:concerning,buckstop:decidingBody,buckstop:product,buckstop:inspection",
                "STP-251120-0001,open,2025-11-20T09:00:00.000+07:00,cv-an,stp-hcbt,cv-an,received,2025-12-04,,dossier,LLTP-CAPPHIEU,stp,\"overdue,stalling\",stalling=cv-an:7;overdue=cv-an:3,,,,",
                "STP-251120-0001,consult,2025-11-20T09:01:01.234+07:00,cv-an,stp-hcbt,cv-an,processing,2025-11-27,\"sxd,\"\"q\"\"\",dossier,LLTP-CAPPHIEU,stp,\"overdue,stalling\",stalling=cv-an:7;overdue=cv-an:3,,,,",
                "STP-251120-0001,close,2024-03-01T00:30:00.000+07:00,@system:portal,,,closed,,,dossier,LLTP-CAPPHIEU,stp,\"overdue,stalling\",stalling=cv-an:7;overdue=cv-an:3,,,,",
                "",
            ])
    }

    @Test func xesIsWellFormedAndOmitsAbsentAttributes() {
        let text = Self.encode(.xes)
        #expect(XMLParser(data: Data(text.utf8)).parse())
        #expect(text.contains("<string key=\"concept:name\" value=\"thử &lt;nghiệm&gt;\"/>"))
        #expect(text.contains("<string key=\"buckstop:asOf\" value=\"2026-11-22\"/>"))
        #expect(text.contains("<string key=\"buckstop:labels\" value=\"overdue,stalling\"/>"))
        #expect(text.contains("<string key=\"buckstop:truth\" value=\"stalling=cv-an:7;overdue=cv-an:3\"/>"))
        #expect(text.contains("<string key=\"buckstop:target\" value=\"sxd,&quot;q&quot;\"/>"))
        #expect(text.components(separatedBy: "buckstop:owner").count == 3, "no owner once closed")
        #expect(text.components(separatedBy: "org:group").count == 3, "no group for a non-official")
    }

    @Test func gzipSinkRoundTrips() throws {
        let path = NSTemporaryDirectory() + "buckstop-gz-" + UUID().uuidString + ".csv.gz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = EventLogStreamWriter(
            format: .csv, sink: try GzipSink(into: try FileDescriptorSink(path: path), level: 1), logName: "x", asOf: nil)
        for _ in 0..<5000 { try writer.write(Self.trace) }
        try writer.finish()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc '\(path)'"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let expected = Self.encode(.csv).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("case,activity,"))
        #expect(
            text
                == "case,activity,time,org:resource,org:group,buckstop:owner,buckstop:status,buckstop:due,buckstop:target,buckstop:kind,buckstop:procedure,buckstop:leadUnit,buckstop:labels,buckstop:truth,buckstop:concerning,buckstop:decidingBody,buckstop:product,buckstop:inspection\n"
                + String(repeating: expected, count: 5000))
        #expect(writer.events == 15000 && writer.traces == 5000)
    }

    @Test func ledgerExportCarriesStatusDueAndTarget() {
        let org = SampleCity.organization
        let actions: [(index: Int64, action: Action)] = [
            (0, SampleCity.openDossier()),
            (1, SampleCity.act(by: "cv-an", at: SampleCity.t0 + 1, .escalate(to: "tp-hcbt", proposal: "Đề xuất"))),
            (
                2,
                SampleCity.act(
                    by: "tp-hcbt", at: SampleCity.t0 + 2, .extend(newDueDate: CivilDate(year: 2026, month: 1, day: 5)!, legalBasis: "Đ.30"))
            ),
        ]
        let (_, events) = LedgerExport.events(for: actions, organization: org)
        #expect(events.map(\.status) == ["received", "received", "received"])
        #expect(events.map(\.target) == [nil, "tp-hcbt", nil])
        #expect(events[2].due == CivilDate(year: 2026, month: 1, day: 5))
        #expect(events[0].due == SampleCity.openDossier().openDue)
    }
}

extension Action {
    fileprivate var openDue: CivilDate? { if case .open(let o) = body { o.dueDate } else { nil } }
}
