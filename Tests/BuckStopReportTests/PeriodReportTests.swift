import BuckStopCalendar
import BuckStopDomain
import BuckStopOffice
import BuckStopTestSupport
import Foundation
import Testing
import ZIPFoundation

@testable import BuckStopReport

/// A period report worked by hand on the sample city, December 2025 (previous period 31/10 – 30/11/2025):
///
/// - A: opened 20/11 due 04/12, transferred 23/11 to cv-binh, resolved 06/12 → carried over, settled late;
///   its transfer raised a `transfers` finding (upheld, cause "workload", review and remediation done on time).
/// - B: opened 02/12 due 10/12, resolved 05/12 → received, settled on time, early and on the first pass.
/// - C: opened 03/12 due 20/12, open → pending overdue at 31/12; a `stalling` finding on it was dismissed.
/// - D: opened 21/11 due 28/11, closed 27/11 → the previous period's only settlement; not in December.
/// - E: a ward's dossier opened 10/12 due 10/01/2026 → pending within its due date.
/// - a proposal approved 03/12; an earlier `transfers` finding on A raised 25/11 counts for the previous period.
struct PeriodReportTests {
    static let day = SampleCity.day
    static let t0 = SampleCity.t0  // 20/11/2025 09:00 in Vietnam
    static let hour: Int64 = 3_600_000

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    static func open(_ code: CaseID, unit: UnitID, procedure: String, owner: OfficialID, at: Int64, due: CivilDate, kind: CaseKind = .dossier)
        -> Action
    {
        Action(
            caseID: code, actor: .official(owner), at: at,
            body: .open(OpenCase(kind: kind, procedure: procedure, title: "Hồ sơ", leadUnit: unit, owner: owner, dueDate: due)),
            via: .generated("test"))
    }

    /// Every case's entries, numbered as one ledger in the order given.
    static let ledger: [[(index: Int64, action: Action)]] = {
        let cases: [[Action]] = [
            [
                open("STP-A", unit: "stp", procedure: "LLTP-CAPPHIEU", owner: "cv-an", at: t0, due: date(2025, 12, 4)),
                SampleCity.act("STP-A", by: "cv-an", at: t0 + 3 * day, .transfer(to: "cv-binh", reason: "chuyển")),
                SampleCity.act("STP-A", by: "cv-binh", at: t0 + 16 * day, .resolve(result: "đã cấp")),
            ],
            [
                open("STP-B", unit: "stp", procedure: "LLTP-CAPPHIEU", owner: "cv-an", at: t0 + 12 * day, due: date(2025, 12, 10)),
                SampleCity.act("STP-B", by: "cv-an", at: t0 + 15 * day, .resolve(result: "đã cấp")),
            ],
            [open("STP-C", unit: "stp", procedure: "LLTP-CAPPHIEU", owner: "cv-binh", at: t0 + 13 * day, due: date(2025, 12, 20))],
            [
                open("STP-D", unit: "stp", procedure: "LLTP-CAPPHIEU", owner: "cv-an", at: t0 + day, due: date(2025, 11, 28)),
                SampleCity.act("STP-D", by: "cv-an", at: t0 + 7 * day, .close(outcome: "xong")),
            ],
            [open("PHC-E", unit: "p-hai-chau", procedure: "HT-KHAISINH", owner: "mc-hc", at: t0 + 20 * day, due: date(2026, 1, 10))],
            [
                open("DX-1", unit: "stp", procedure: "", owner: "cv-an", at: t0 + 11 * day, due: date(2025, 12, 30), kind: .proposal),
                SampleCity.act("DX-1", by: "gd-stp", at: t0 + 13 * day, .decideProposal(approve: true, note: "đồng ý")),
            ],
        ]
        var index: Int64 = 0
        return cases.map { actions in
            actions.map { a in
                defer { index += 1 }
                return (index, a)
            }
        }
    }()

    static let transferIndex: Int64 = 1
    static let stallingEvidence: Int64 = 5  // STP-C's opening

    static var findings: [(finding: Finding, observedAt: Int64)] {
        [
            (
                Finding(
                    id: "f1", detector: "transfers", caseID: "STP-A", official: "cv-binh", unit: "stp-hcbt", head: "tp-hcbt", severity: .major,
                    evidence: [transferIndex], explanation: "Hồ sơ STP-A bị chuyển qua tay.", status: .upheld, response: "Do thiếu người.",
                    cause: "workload",
                    consequences: ConsequenceState(
                        decided: [.accountabilityReview, .remediation],
                        remediation: Remediation(owner: "cv-binh", due: date(2025, 12, 20), doneAt: t0 + 28 * day))),
                t0 + 16 * day
            ),
            (
                Finding(
                    id: "f2", detector: "stalling", caseID: "STP-C", official: "cv-binh", unit: "stp-hcbt", head: "tp-hcbt", severity: .minor,
                    evidence: [stallingEvidence], explanation: "Hồ sơ STP-C nằm yên.", status: .dismissed),
                t0 + 35 * day
            ),
            (
                Finding(
                    id: "f0", detector: "transfers", caseID: "STP-A", official: "cv-an", unit: "stp-hcbt", head: "tp-hcbt", severity: .minor,
                    evidence: [0], explanation: "Trước đó.", status: .open),
                t0 + 5 * day
            ),
        ]
    }

    static let causes = [FindingCause(code: "workload", nameVi: "Quá tải công việc", nameEn: "Workload", source: "test", status: "test")]

    static func report(unit: UnitID? = nil) -> PeriodReport {
        let wanted: Set<Int64> = [transferIndex, stallingEvidence, 0]
        let digests = ledger.compactMap { CaseDigest($0, steps: wanted, organization: SampleCity.organization) }
        return PeriodReport(
            scope: ReportScope(from: date(2025, 12, 1), to: date(2025, 12, 31), unit: unit), digests: digests, findings: findings,
            organization: SampleCity.organization, procedureNames: ["LLTP-CAPPHIEU": "Cấp Phiếu lý lịch tư pháp"], causes: causes,
            generatedOn: date(2026, 1, 5))
    }

    /// The builder counts cases as a scan or a log hands them over, in whatever order: the report of the cases and
    /// findings in reverse, fed one case at a time, is the report of them in order (every figure, example and chart, as
    /// the HTML lays them out), with one example per behaviour so that the choice among findings is tested too.
    @Test func theReportDoesNotDependOnTheOrderCasesArriveIn() {
        let wanted: Set<Int64> = [Self.transferIndex, Self.stallingEvidence, 0]
        let digests = Self.ledger.compactMap { CaseDigest($0, steps: wanted, organization: SampleCity.organization) }
        let scope = ReportScope(from: Self.date(2025, 12, 1), to: Self.date(2025, 12, 31))
        let names = ["LLTP-CAPPHIEU": "Cấp Phiếu lý lịch tư pháp"]
        let inOrder = PeriodReport(
            scope: scope, digests: digests, findings: Self.findings, organization: SampleCity.organization, procedureNames: names,
            causes: Self.causes, generatedOn: Self.date(2026, 1, 5), examplesPerBehaviour: 1)
        var builder = PeriodReport.Builder(
            scope: scope, organization: SampleCity.organization, procedureNames: names, causes: Self.causes, generatedOn: Self.date(2026, 1, 5),
            examplesPerBehaviour: 1)
        for d in digests.reversed() { builder.add(d, findings: Self.findings.reversed().filter { $0.finding.caseID == d.code }) }
        let reversed = builder.report
        #expect(!inOrder.examples.isEmpty && inOrder.current.handled > 0)
        #expect(ReportHTML.page(ReportDocument(reversed)) == ReportHTML.page(ReportDocument(inOrder)))
    }

    /// Counting in shares and merging the builders (how a log's cases are counted on every core) gives the report of
    /// counting them together: each case into a builder of its own, merged in reverse, with a case whose lead unit the
    /// organisation does not know (a row only one share has) and one example per behaviour.
    @Test func buildersMergedAreTheReportOfAllTheirCases() throws {
        let wanted: Set<Int64> = [Self.transferIndex, Self.stallingEvidence, 0]
        var digests = Self.ledger.compactMap { CaseDigest($0, steps: wanted, organization: SampleCity.organization) }
        var stray = try #require(digests.first)
        stray.code = "HS-STRAY"
        stray.leadUnit = "khong-co"
        digests.append(stray)
        let scope = ReportScope(from: Self.date(2025, 12, 1), to: Self.date(2025, 12, 31))
        let names = ["LLTP-CAPPHIEU": "Cấp Phiếu lý lịch tư pháp"]
        func builder() -> PeriodReport.Builder {
            PeriodReport.Builder(
                scope: scope, organization: SampleCity.organization, procedureNames: names, causes: Self.causes,
                generatedOn: Self.date(2026, 1, 5), examplesPerBehaviour: 1)
        }
        var together = builder()
        var shares: [PeriodReport.Builder] = []
        for d in digests {
            let own = Self.findings.filter { $0.finding.caseID == d.code }
            together.add(d, findings: own)
            var share = builder()
            share.add(d, findings: own)
            shares.append(share)
        }
        var merged = builder()
        for share in shares.reversed() { merged.merge(share) }
        let whole = together.report
        #expect(whole.byUnit.map(\.key).contains("khong-co") && !whole.examples.isEmpty && whole.serviceIndex.total.settled > 0)
        #expect(ReportHTML.page(ReportDocument(merged.report)) == ReportHTML.page(ReportDocument(whole)))
        #expect(merged.report.serviceIndex == whole.serviceIndex && merged.report.handOverFlows == whole.handOverFlows)
    }

    @Test func theHandlingTableBalancesAndComparesWithThePreviousPeriod() {
        let r = Self.report()
        #expect(r.scope.previous.from == Self.date(2025, 10, 31) && r.scope.previous.to == Self.date(2025, 11, 30))
        #expect(r.scope.lastYear.from == Self.date(2024, 12, 1))
        let v = r.current
        #expect([v.carriedOver, v.received, v.settledOnTime, v.settledLate, v.pendingInTime, v.pendingOverdue] == [1, 3, 1, 1, 1, 1] as [Int])
        #expect(v.carriedOver + v.received == v.settled + v.pending)
        #expect(v.onTimePercent == 50)
        let p = r.previous
        #expect([p.carriedOver, p.received, p.settledOnTime, p.settledLate, p.pendingInTime, p.pendingOverdue] == [0, 2, 1, 0, 1, 0] as [Int])
        #expect(r.lastYear == PeriodReport.Volume())
        #expect(r.byUnit.map(\.key) == ["stp", "p-hai-chau"])
        #expect(r.byUnit[0].volume.handled == 3 && r.byUnit[1].volume.pendingInTime == 1)
        #expect(r.byProcedure.first?.name == "Cấp Phiếu lý lịch tư pháp")
        #expect(r.months.map(\.month) == ["2025-12"] && r.months[0].received == 3 && r.months[0].settled == 2 && r.months[0].settledOnTime == 1)
        #expect(r.issuer == "UBND thành phố")
    }

    @Test func behavioursWhereTheyHappenWhatFollowedAndTheExample() throws {
        let r = Self.report()
        let transfers = try #require(r.behaviours.first { $0.detector == "transfers" })
        #expect([transfers.raised, transfers.upheld, transfers.dismissed, transfers.pending, transfers.raisedPrevious] == [1, 1, 0, 0, 1] as [Int])
        #expect(transfers.per100 == 25, "one standing finding over four cases handled")
        let stalling = try #require(r.behaviours.first { $0.detector == "stalling" })
        #expect(stalling.dismissed == 1 && stalling.per100 == 0)
        // Dismissed findings are not where anything happens: one hotspot, at the transfer step, counted for the body.
        #expect(r.hotspots.count == 1)
        #expect(r.hotspots.first?.unit == "stp" && r.hotspots.first?.step == .transfer && r.hotspots.first?.procedure == "Cấp Phiếu lý lịch tư pháp")
        #expect(r.consequences[.accountabilityReview] == 1 && r.consequences[.remediation] == 1 && r.consequences[.discipline] == nil)
        #expect(r.remediationOnTime == 1 && r.remediationLate == 0)
        #expect(r.examples.count == 1)
        let example = try #require(r.examples.first)
        #expect(example.code == "STP-A" && example.response == "Do thiếu người." && example.cause == "Quá tải công việc")
        // cv-an 20/11 → 23/11, cv-binh 23/11 → the result on 06/12.
        #expect(example.spells.map(\.official) == ["Võ Thị An", "Đặng Quốc Bình"])
        #expect(example.spells.map(\.days) == [3, 13])
        #expect(r.causes.count == 1 && r.causes[0].count == 1 && r.causes[0].topUnits.first?.name == "Sở Tư pháp")
        #expect(r.upheldWithoutCause == 0)
        #expect(r.deeds[.firstPass] == 2 && r.deeds[.resolvedEarly] == 1 && r.deeds[.ownDecision] == nil)
        #expect(r.proposalsApproved == 1 && r.proposalsDeclined == 0)
    }

    @Test func aUnitScopeCountsOnlyItsSubtree() {
        let r = Self.report(unit: "p-hai-chau")
        #expect(r.issuer == "UBND phường Hải Châu")
        #expect(r.current.handled == 1 && r.current.pendingInTime == 1)
        #expect(r.behaviours.isEmpty && r.examples.isEmpty && r.proposalsApproved == 0)
    }

    /// The QĐ 766 index by hand, December 2025: X1 settled 04/12 by its due date 05/12 and rated 5; X2 due 03/12, asked
    /// twice for supplements, sent an apology with a new date (04/12), settled 10/12 — late with an apology — and rated
    /// 2; a task settled in December does not count (administrative procedures only). Progress 20 × 1/2 = 10,
    /// satisfaction (from 4 of 5) 18 × 1/2 = 9, transparency not computable.
    @Test func theServiceIndexScoresWhatTheRecordCanMeasure() throws {
        let t = Self.t0 + 11 * Self.day  // 01/12 09:00
        let cases: [[Action]] = [
            [
                Self.open("STP-X1", unit: "stp", procedure: "LLTP-CAPPHIEU", owner: "cv-an", at: t, due: Self.date(2025, 12, 5)),
                SampleCity.act("STP-X1", by: "cv-an", at: t + 3 * Self.day, .resolve(result: "xong")),
                SampleCity.act("STP-X1", by: "cv-an", at: t + 5 * Self.day, .rate(score: 5, comment: "")),
            ],
            [
                Self.open("STP-X2", unit: "stp", procedure: "LLTP-CAPPHIEU", owner: "cv-an", at: t, due: Self.date(2025, 12, 3)),
                SampleCity.act("STP-X2", by: "cv-an", at: t + 1 * Self.hour, .requestSupplement(missing: ["tờ khai"])),
                SampleCity.act("STP-X2", by: "cv-an", at: t + 2 * Self.hour, .supplementReceived(note: "đủ", newDueDate: nil)),
                SampleCity.act("STP-X2", by: "cv-an", at: t + 3 * Self.hour, .requestSupplement(missing: ["ảnh"])),
                SampleCity.act("STP-X2", by: "cv-an", at: t + Self.day, .reschedule(newDueDate: Self.date(2025, 12, 4), apology: "xin lỗi")),
                SampleCity.act("STP-X2", by: "cv-an", at: t + 9 * Self.day, .resolve(result: "xong")),
                SampleCity.act("STP-X2", by: "cv-an", at: t + 10 * Self.day, .rate(score: 2, comment: "chậm")),
            ],
            [
                Self.open("T-X3", unit: "stp", procedure: "", owner: "cv-an", at: t, due: Self.date(2025, 12, 2), kind: .task),
                SampleCity.act("T-X3", by: "cv-an", at: t + 5 * Self.day, .resolve(result: "xong")),
            ],
        ]
        var index: Int64 = 0
        let digests = try cases.map { actions in
            try #require(
                CaseDigest(
                    actions.map { a in
                        defer { index += 1 }
                        return (index, a)
                    }, organization: SampleCity.organization))
        }
        let groups = [
            ServiceIndexGroup(code: "cong-khai", nameVi: "Công khai", nameEn: "Transparency", points: 18, measure: nil, source: "t", status: "t"),
            ServiceIndexGroup(code: "tien-do", nameVi: "Tiến độ", nameEn: "Progress", points: 20, measure: .onTimeShare, source: "t", status: "t"),
            ServiceIndexGroup(
                code: "hai-long", nameVi: "Hài lòng", nameEn: "Satisfaction", points: 18, measure: .satisfiedShare, satisfiedFrom: 4, source: "t",
                status: "t"),
        ]
        let r = PeriodReport(
            scope: ReportScope(from: Self.date(2025, 12, 1), to: Self.date(2025, 12, 31)), digests: digests, findings: [],
            organization: SampleCity.organization, procedureNames: [:], causes: [], generatedOn: Self.date(2026, 1, 5), serviceIndex: groups)
        let total = r.serviceIndex.total
        #expect([total.settled, total.onTime, total.late, total.lateWithApology, total.repeatedSupplements] == [2, 1, 1, 1, 1] as [Int])
        #expect(total.ratings == 2 && total.satisfied == 1 && total.satisfiedShare == 0.5)
        #expect(r.serviceIndex.groups.map(\.score) == [nil, 10, 9])
        #expect(r.serviceIndex.groups.map(\.base) == [0, 2, 2])
        #expect(r.serviceIndex.units.map(\.key) == ["stp"])
        let document = ReportDocument(r)
        let tables = document.blocks.compactMap { block -> ReportDocument.Table? in
            if case .table(let t) = block { return t }
            return nil
        }
        let index766 = try #require(tables.first { $0.id == "Chi so 766" })
        #expect(index766.rows[0] == ["Công khai", "18,0", "Không tính được từ sổ xử lý của BuckStop", "—", "—"])
        #expect(index766.rows[1][3] == "50,0% của 2 hồ sơ" && index766.rows[1][4] == "10,0")
        #expect(index766.rows[2][4] == "9,0")
    }

    @Test func aDigestFollowsDueDateHoldersAndReopening() throws {
        let actions: [(index: Int64, action: Action)] = [
            (0, Self.open("X", unit: "stp", procedure: "P", owner: "cv-an", at: Self.t0, due: Self.date(2025, 11, 25))),
            (1, SampleCity.act("X", by: "cv-an", at: Self.t0 + Self.day, .extend(newDueDate: Self.date(2025, 11, 30), legalBasis: "gia hạn"))),
            (2, SampleCity.act("X", by: "cv-an", at: Self.t0 + 2 * Self.day, .resolve(result: "xong"))),
            (3, SampleCity.act("X", by: "tp-hcbt", at: Self.t0 + 3 * Self.day, .reopen(to: "cv-binh", reason: "sai"))),
        ]
        let d = try #require(CaseDigest(actions, steps: [1], organization: SampleCity.organization))
        #expect(d.due == Self.date(2025, 11, 30))
        #expect(d.settled == nil && d.settledOnTime == nil, "a reopening clears the settlement")
        #expect(d.holds.count == 2 && d.holds[0].until == Self.t0 + 2 * Self.day && d.holds[1].official == "cv-binh" && d.holds[1].until == nil)
        #expect(d.steps == [1: .extend])
        #expect(CaseDigest(Array(actions.dropFirst()), organization: SampleCity.organization) == nil, "a case's entries begin with its opening")
    }

    /// A part of a Word package as text.
    static func part(_ archive: Archive, _ path: String) throws -> String {
        let entry = try #require(archive[path], "\(path) missing")
        var bytes = Data()
        _ = try archive.extract(entry) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theWordDocumentIsAnAdministrativeReportWithTheFigures() throws {
        let document = ReportDocument(Self.report(), place: "Đà Nẵng")
        let data = try ReportWord.data(document)
        let archive = try Archive(data: data, accessMode: .read)
        func part(_ path: String) throws -> String { try Self.part(archive, path) }
        let xml = try part("word/document.xml")
        #expect(xml.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && xml.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(xml.contains("Đà Nẵng, ngày 05 tháng 01 năm 2026"))
        #expect(xml.contains("I. TÌNH HÌNH GIẢI QUYẾT CÔNG VIỆC") && xml.contains("III. MỘT SỐ TRƯỜNG HỢP CỤ THỂ"))
        #expect(xml.contains("Hồ sơ STP-A") && xml.contains("Đặng Quốc Bình"))
        // A4 with Decree 30's margins (left 3 cm = 1701 twips).
        #expect(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>") && xml.contains("w:left=\"1701\""))
        let styles = try part("word/styles.xml")
        #expect(styles.contains("w:ascii=\"Times New Roman\"") && styles.contains("<w:sz w:val=\"28\"/>"))
    }

    /// The hot spots as Word's own bar chart (a part, its relationship, its content type, drawn from the body) and the
    /// unit × behaviour heat map as a table shaded by count.
    @Test func theWordReportDrawsItsChartsAndShadesTheHeatMap() throws {
        let data = try ReportWord.data(ReportDocument(Self.report()))
        let archive = try Archive(data: data, accessMode: .read)
        func part(_ path: String) throws -> String { try Self.part(archive, path) }
        let chart = try part("word/charts/chart1.xml")
        #expect(chart.contains("<c:barDir val=\"bar\"/>") && chart.contains("Biểu đồ 2. Các điểm nóng"))
        #expect(
            chart.contains("<c:v>Sở Tư pháp · Chuyển xử lý · Chuyển xử lý nhiều lần</c:v>") && chart.contains("<c:pt idx=\"0\"><c:v>1</c:v></c:pt>"))
        #expect(archive["word/charts/chart2.xml"] == nil, "one month draws no trend; no ping-pong, no flows")
        let rels = try part("word/_rels/document.xml.rels")
        #expect(
            rels.contains(
                "<Relationship Id=\"rIdChart1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart1.xml\"/>"
            ))
        let types = try part("[Content_Types].xml")
        #expect(
            types.contains(
                "<Override PartName=\"/word/charts/chart1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"))
        let xml = try part("word/document.xml")
        #expect(xml.contains("<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart1\"/>"))
        #expect(xml.contains("<wp:docPr id=\"1\""))
        // One standing finding: Sở Tư pháp × transfers, the darkest cell, with its count in white.
        #expect(xml.contains("Biểu đồ 3. Biểu hiện theo cơ quan, đơn vị"))
        #expect(xml.contains("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"C0392B\"/>"))
        #expect(xml.contains("<w:color w:val=\"FFFFFF\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr><w:t xml:space=\"preserve\">1</w:t>"))
        #expect(xml.contains("<w:textDirection w:val=\"btLr\"/>"))
    }

    @Test func theAnnexHasEveryTableWithNumbersAsNumbers() throws {
        let document = ReportDocument(Self.report())
        let tables = document.blocks.compactMap { block -> ReportDocument.Table? in
            if case .table(let t) = block { return t }
            return nil
        }
        let workbook = ReportWorkbook.workbook(document)
        #expect(workbook.sheets.count == tables.count)
        let summary = workbook.sheets[0]
        #expect(summary.rows[0][2] == .integer(3), "received this period")
        #expect(summary.rows[0][6] == .number(50), "the on-time share as its value")
        #expect(summary.rows[2][6] == .empty, "no share with nothing settled last year")
        #expect(ReportWorkbook.number("1.234") == 1234 && ReportWorkbook.number("12,5%") == 12.5 && ReportWorkbook.number("—") == nil)
        _ = try workbook.data()
    }

    @Test func theHTMLIsOneFileWithChartsAndNoScript() {
        let html = ReportHTML.page(ReportDocument(Self.report()))
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.contains("@media print"))
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("<td class=\"n\">50,0%</td>"))
    }
}
