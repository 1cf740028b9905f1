import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing
import ZIPFoundation

@testable import BuckStopServer
@testable import BuckStopStore

/// The head's record (trách nhiệm người đứng đầu): the unit's findings upheld and dismissed, their causes, what followed
/// and what the head did; the head above sees it in the roll-up and may open it; an official may not.
@Suite(.serialized) struct HeadRecordPagesTests {
    /// Self-found against outsider-found: only concluded inspections in the period count; a self-inspection counts for
    /// the unit that led it, an external one for the violations it found in the head's units (not those elsewhere).
    @Test func whoFoundTheViolationsSelfOrOutsiders() throws {
        let from = CivilDate(year: 2026, month: 1, day: 1)!
        let to = CivilDate(year: 2026, month: 6, day: 30)!
        let concludedAt = SampleCity.t0 + 200 * SampleCity.day  // 2026-06-08
        func inspection(_ code: CaseID, level: PlanLevel, lead: UnitID, subjects: [UnitID], violations: [UnitID], concluded: Int64?) throws
            -> InspectionRecord
        {
            let open = Action(
                caseID: code, actor: .official("ctt"), at: SampleCity.t0,
                body: .open(
                    OpenCase(
                        kind: .programme, procedure: level.rawValue, title: "Kiểm tra", leadUnit: lead, owner: "ctt",
                        inspection: InspectionScope(subjects: subjects, from: from, to: to, fields: ["thu-tuc-hanh-chinh"]))),
                via: .generated("test"))
            var records: [(index: Int64, action: Action)] = [(1, open)]
            for (n, unit) in violations.enumerated() {
                records.append(
                    (
                        Int64(2 + n),
                        SampleCity.act(
                            code, by: "ctt", at: SampleCity.t0 + SampleCity.day,
                            .recordViolation(.init(unit: unit, field: "thu-tuc-hanh-chinh", text: "Quá hạn")))
                    ))
            }
            if let concluded {
                records.append(
                    (
                        99,
                        SampleCity.act(
                            code, by: "ctt", at: concluded,
                            .concludeInspection(
                                InspectionConclusion(
                                    document: IssuingDocument(number: "KL-1", date: from, signer: "Chánh Thanh tra"), summary: "Có vi phạm")))
                    ))
            }
            return try #require(InspectionRecord(caseID: code, records: records))
        }
        let records = [
            try inspection(
                "TK-1", level: .selfInspection, lead: "stp-hcbt", subjects: ["stp-hcbt"], violations: ["stp-hcbt"], concluded: concludedAt),
            try inspection(
                "TT-1", level: .inspection, lead: "thanh-tra", subjects: ["stp", "p-hai-chau"], violations: ["stp-hcbt", "stp", "p-hai-chau"],
                concluded: concludedAt),
            // Not concluded, or concluded after the period: not counted.
            try inspection("TT-2", level: .inspection, lead: "thanh-tra", subjects: ["stp"], violations: ["stp"], concluded: nil),
            try inspection(
                "TT-3", level: .inspection, lead: "thanh-tra", subjects: ["stp"], violations: ["stp"], concluded: concludedAt + 60 * SampleCity.day),
        ]
        let found = HeadRecordPages.FoundBy(records, units: ["stp", "stp-hcbt"], from: from, to: to)
        #expect(found.selfInspections == 1 && found.selfFound == 1)
        #expect(found.externalInspections == 1 && found.outsiderFound == 2, "the ward's violation is not the department's")
        let ward = HeadRecordPages.FoundBy(records, units: ["p-hai-chau"], from: from, to: to)
        #expect(ward.selfInspections == 0 && ward.externalInspections == 1 && ward.outsiderFound == 1)
    }

    /// The head's own reception in the period: periodic days in person (a day held twice counts once), days a deputy held
    /// (not a day the head also held), other sessions, and the reception findings about the head — none outside the
    /// period, none of another detector or about someone else.
    @Test func theHeadsReceptionCountsDaysInPersonByDeputyAndItsFindings() throws {
        let from = CivilDate(year: 2026, month: 1, day: 1)!
        let to = CivilDate(year: 2026, month: 3, day: 31)!
        func day(_ m: Int, _ d: Int) -> CivilDate { CivilDate(year: 2026, month: m, day: d)! }
        func session(_ d: CivilDate, _ by: OfficialID, periodic: Bool = true) -> ReceptionSession {
            ReceptionSession(day: d, receivedBy: by, periodic: periodic, citizens: 3, matters: ["Đất đai"])
        }
        let sessions = [
            session(day(1, 15), "ct-hc"), session(day(1, 15), "ct-hc"), session(day(2, 15), "ct-hc"), session(day(2, 15), "mc-hc"),
            session(day(3, 15), "mc-hc"), session(day(3, 20), "mc-hc", periodic: false), session(day(4, 15), "ct-hc"),
        ]
        func finding(_ id: String, _ detector: String, _ official: OfficialID, _ d: CivilDate) -> StoredFinding {
            let at = Int64(d.startInstant().timeIntervalSince1970 * 1000) + 3_600_000
            return StoredFinding(
                finding: Finding(
                    id: id, detector: detector, caseID: "SO-1", official: official, unit: "p-hai-chau", head: nil, severity: .minor, evidence: [],
                    explanation: ""), explanationEn: "", value: "", limit: "", reviewer: nil, reviewNote: nil, observedAt: at, raisedAt: at,
                raisedIndex: 1, updatedIndex: 1)
        }
        let findings = [
            finding("a", "reception_skipped", "ct-hc", day(2, 1)), finding("b", "reception_delegated", "ct-hc", day(3, 1)),
            finding("c", "reception_skipped", "ct-hc", day(4, 1)), finding("d", "ping_pong", "ct-hc", day(2, 1)),
            finding("e", "reception_skipped", "mc-hc", day(2, 1)),
        ]
        let r = HeadRecordPages.Reception(sessions: sessions, books: 1, head: "ct-hc", findings: findings, from: from, to: to)
        #expect(r.periodicInPerson == 2 && r.periodicByDeputy == 1 && r.otherSessions == 1 && r.findings == 2, "\(r)")
    }

    @Test func theHeadsRecordCountsWhatWasFoundWhatFollowedAndWhatTheHeadDid() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let store = fixture.store
        let live = fixture.state.live
        let code = ServerFixture.code
        for id in ["F-r1", "F-r2"] {
            let notice = FindingNotice(
                id: id, detector: "ping_pong", official: "cv-an", unit: "stp-hcbt", severity: .major, evidence: [1], value: "1", limit: "0",
                explanation: "Hồ sơ quay lại", explanationEn: "Went back")
            _ = try await store.append(
                .stamped(Action(caseID: code, actor: .system("detector"), at: LiveLedger.nowMillis(), body: .raiseFinding(notice), via: .server)))
        }
        func step(_ body: ActionBody) async throws {
            _ = try await live.appendWorkflow(
                Action(caseID: code, actor: .official("tp-hcbt"), at: LiveLedger.nowMillis(), body: body, via: .generated("test")))
        }
        try await step(.reviewFinding(id: "F-r1", uphold: true, note: "Đúng", cause: "qua-tai"))
        try await step(.reviewFinding(id: "F-r2", uphold: false, note: "Chuyển đúng quy trình"))
        try await step(
            .decideConsequence(
                ConsequenceDecision(finding: "F-r1", measure: "kiem-diem", kind: .closure, legalBasis: "", text: "Kiểm điểm trách nhiệm")))
        try await step(
            .decideConsequence(
                ConsequenceDecision(
                    finding: "F-r1", measure: "khac-phuc", kind: .closure, legalBasis: "", text: "Rà soát phân công", remediationOwner: "cv-an",
                    remediationDue: CivilDate(Date()).adding(days: 5))))
        // A complaint about the division, received today and already past the due date it was given; one about another unit.
        for (code, unit) in [("TTTP-KN-0001", "stp-hcbt"), ("TTTP-KN-0002", "p-hai-chau")] as [(CaseID, UnitID)] {
            let open = OpenCase(
                kind: .complaint, title: "Khiếu nại quyết định", leadUnit: "thanh-tra", owner: "ttv", dueDate: CivilDate(Date()).adding(days: -1),
                concerning: Concerning(unit: unit))
            _ = try await store.append(
                .open(open, actor: .official("ttv"), at: LiveLedger.nowMillis(), code: code, personalData: nil, via: .generated("test")))
        }
        // Good work beside it: cv-an resolves the sample case weeks early, on the first pass; the survey counts it.
        _ = try await live.append(
            Action(
                caseID: code, actor: .official("cv-an"), at: LiveLedger.nowMillis(), body: .resolve(result: "Đã cấp phiếu"), via: .generated("test")))
        _ = try await live.runSurvey()
        try await fixture.test { client in
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            let page = try await head.get("/record").text
            // Resolved early (2 points in the default scheme) and on the first pass (1): beside the findings, with the scheme.
            #expect(page.contains("id=\"record-good-work\" data-points=\"3\""), "the unit's good work is counted")
            #expect(page.contains("<li data-deed=\"resolved-early\" data-count=\"1\">") && page.contains("id=\"good-work-scheme\""))
            let unit = try await head.get("/unit").text
            #expect(unit.contains("Điểm việc làm tốt"))
            let start = try #require(unit.range(of: "<tr data-official=\"cv-an\">"))
            let end = try #require(unit.range(of: "</tr>", range: start.upperBound..<unit.endIndex))
            let row = unit[start.lowerBound..<end.upperBound]
            #expect(row.hasSuffix("<td>3</td></tr>"), "cv-an's row ends with their good-work points: \(row)")
            let finding = try await head.get("/findings/F-r1").text
            #expect(finding.contains("id=\"finding-good-work\" data-points=\"3\""), "the finding's page says what the official did well")
            for (id, n) in [
                ("record-upheld", 1), ("record-dismissed", 1), ("record-awaiting", 0), ("record-consequence-review", 1),
                ("record-consequence-remediation", 1), ("record-remediation-under-way", 1), ("record-remediation-late", 0),
                ("record-reviewed", 2), ("record-decided", 2), ("record-complaints", 1), ("record-complaints-overdue", 1),
                ("record-complaints-on-time", 0), ("record-self-found", 0), ("record-outsider-found", 0),
            ] {
                #expect(page.contains("id=\"\(id)\"><strong>\(n)</strong>"), "\(id) = \(n)")
            }
            #expect(page.contains("id=\"record-causes\">"))
            // The cause counted in the field of the case's procedure (LLTP- is an administrative procedure).
            #expect(
                page.contains(
                    "<tr data-field=\"thu-tuc-hanh-chinh\"><td>Giải quyết thủ tục hành chính</td><td>Khối lượng công việc quá tải, thiếu nhân lực: 1</td></tr>"
                ), "causes by field")
            // The unit's period report from the same page: Word, the Excel annex and HTML for the head's unit, with the same
            // upheld and dismissed counts as the page above and the typed API.
            #expect(page.contains("id=\"record-report-docx\" href=\"/record/report?head=tp-hcbt&amp;from="))
            let year = CivilDate(Date()).year
            let docx = try await head.get("/record/report?from=\(year)-01-01&format=docx")
            #expect(docx.status == .ok && docx.headers[.cacheControl] == "no-store")
            #expect(docx.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"bao-cao-stp-hcbt-\(year)-01-01-") == true)
            let archive = try Archive(data: Data(buffer: docx.body), accessMode: .read)
            var xml = Data()
            _ = try archive.extract(try #require(archive["word/document.xml"])) { xml.append($0) }
            let text = String(decoding: xml, as: UTF8.self)
            #expect(text.contains("PHÒNG HÀNH CHÍNH TƯ PHÁP") && text.contains("BÁO CÁO") && text.contains("Hồ sơ \(code.rawValue)"))
            let html = try await head.get("/record/report?from=\(year)-01-01&format=html").text
            let behaviourRow = try #require(html.range(of: "<th scope=\"row\">Đùn đẩy qua lại</th>").map { html[$0.upperBound...].prefix(200) })
            // Raised, previous period, upheld, dismissed: one of each kept, one dismissed.
            #expect(
                behaviourRow.hasPrefix("<td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">1</td>"), "\(behaviourRow)")
            let api = try await client.api(.get, "/api/v1/findings?status=upheld&detector=ping_pong", token: fixture.tokens["findings"])
            #expect(try api.json()["total"] as? Int == 1, "the API counts the same upheld finding")
            #expect(try await head.get("/record/report?format=pdf").status == .badRequest, "the server writes docx, xlsx or html")
            #expect(try await head.get("/record/report?format=xlsx").headers[.contentType]?.contains("spreadsheetml") == true)

            // The head above: their own record rolls the unit below up, and opens it.
            var director = Browser(client)
            _ = try await director.login("gd-stp")
            let up = try await director.get("/record").text
            #expect(up.contains("<tr data-head=\"tp-hcbt\">"))
            #expect(up.contains("id=\"record-upheld\"><strong>1</strong>"), "the subtree's findings count for the head above")
            #expect(try await director.get("/record?head=tp-hcbt").status == .ok)
            #expect(try await director.get("/record?from=2026-13-01").status == .badRequest, "a bad date names its field")
            var an = Browser(client)
            _ = try await an.login("cv-an")
            #expect(try await an.get("/record?head=tp-hcbt").status == .forbidden)
            #expect(try await an.get("/record/report?head=tp-hcbt").status == .forbidden, "nor the report of a unit outside their remit")
            #expect(try await an.get("/record").status == .badRequest, "an official heads nothing")
        }
    }
}
