import BuckStopDomain
import BuckStopEventLog
import BuckStopTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct XESWriterTests {
    @Test func timestampsAreVietnamTimeWithMilliseconds() {
        // SampleCity.t0 = 1_763_604_000_000 ms = 2025-11-20T02:00:00Z (date -u -d @1763604000) = 09:00 in UTC+7.
        #expect(XESWriter.timestamp(SampleCity.t0) == "2025-11-20T09:00:00.000+07:00")
        #expect(XESWriter.timestamp(SampleCity.t0 + 61_234) == "2025-11-20T09:01:01.234+07:00")
        // Across midnight and a leap day: 2024-02-29T17:30:00Z = 2024-03-01 00:30 in Vietnam.
        #expect(XESWriter.timestamp(1_709_227_800_000) == "2024-03-01T00:30:00.000+07:00")
        #expect(XESWriter.timestamp(0) == "1970-01-01T07:00:00.000+07:00")
    }

    @Test func attributeValuesAreEscaped() {
        #expect(XESWriter.escape("Nguyễn Văn A") == "Nguyễn Văn A")
        #expect(XESWriter.escape(#"a<b>&"c"'d"#) == "a&lt;b&gt;&amp;&quot;c&quot;&apos;d")
        #expect(XESWriter.escape("x\u{1}y\nz") == "xy&#10;z", "control characters XML 1.0 forbids are dropped")
    }

    @Test func ownerAfterEachEventFollowsTheDomain() throws {
        let org = SampleCity.organization
        let actions: [(index: Int64, action: Action)] = [
            (0, SampleCity.openDossier()),
            (1, SampleCity.act(by: "cv-an", at: SampleCity.t0 + 1, .escalate(to: "tp-hcbt", proposal: "Đề xuất"))),
            (2, SampleCity.act(by: "tp-hcbt", at: SampleCity.t0 + 2, .delegate(to: "cv-binh", instruction: "Làm"))),
            (3, SampleCity.act(by: "cv-binh", at: SampleCity.t0 + 3, .comment(text: "Đang làm"))),
        ]
        let (attributes, events) = LedgerExport.events(for: actions, organization: org)
        #expect(events.map(\.owner) == ["cv-an", "tp-hcbt", "cv-binh", "cv-binh"])
        #expect(events.map(\.resource) == ["cv-an", "cv-an", "tp-hcbt", "cv-binh"])
        #expect(events.map(\.group) == ["stp-hcbt", "stp-hcbt", "stp-hcbt", "stp-hcbt"])
        #expect(attributes.contains { $0 == ("buckstop:kind", "dossier") })
    }

    @Test func exportSurvivesARestructuredOrganisation() throws {
        // cv-binh retired after the case was handled: today's organisation would refuse the delegation,
        // but the export still shows who held the case.
        var officials = Array(SampleCity.organization.officials.values)
        officials.removeAll { $0.id == "cv-binh" }
        officials.append(Official(id: "cv-binh", name: "Đặng Quốc Bình", unit: "stp-hcbt", position: "Chuyên viên", active: false))
        let restructured = try Organization(
            units: Array(SampleCity.organization.units.values), officials: officials, mandates: SampleCity.organization.mandates)
        let actions: [(index: Int64, action: Action)] = [
            (0, SampleCity.openDossier()),
            (1, SampleCity.act(by: "cv-an", at: SampleCity.t0 + 1, .transfer(to: "cv-binh", reason: "Đúng lĩnh vực"))),
            (2, SampleCity.act(by: "cv-binh", at: SampleCity.t0 + 2, .transfer(to: "cv-an", reason: "Trả lại"))),
        ]
        let (_, events) = LedgerExport.events(for: actions, organization: restructured)
        #expect(events.map(\.owner) == ["cv-an", "cv-binh", "cv-an"])
    }

    @Test func streamedChunksFormOneWellFormedLog() throws {
        var chunks: [String] = []
        var writer = XESWriter { chunks.append($0) }
        try writer.begin(logName: "thử <nghiệm>")
        for n in 0..<400 {
            let event = XESWriter.Event(
                index: Int64(n), activity: "transfer", resource: "cv-an", group: "stp", timestampMillis: SampleCity.t0, owner: "cv-binh")
            try writer.trace(caseID: "STP-\(n)", attributes: [("buckstop:kind", "dossier")], events: [event, event])
        }
        try writer.end()
        #expect(chunks.count > 1, "large logs are emitted in chunks, not held whole")
        let parser = XMLParser(data: Data(chunks.joined().utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
    }
}
