import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import BuckStopTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// A programme with a plan and tasks in SampleCity: a task driven through the case page's forms (progress, a draft up
/// for approval, returned, submitted again, approved), a cancellation refused to a specialist and taken by the head of
/// the agency, then the roll-up page's table, its overdue list and the API's roll-up, number by number.
@Suite(.serialized) struct ProgrammePagesTests {
    static let programme: CaseID = "CT-CCHC-2026"
    static let plan: CaseID = "KH-CCHC-2026"

    /// Opens the tree straight into the store (past due dates, as an import would) and leaves T3 in progress and T6 with
    /// a draft awaiting approval. Returns today's date.
    static func seed(_ fixture: ServerFixture) async throws -> CivilDate {
        let store = fixture.store
        let today = CivilDate(Date())
        var at = LiveLedger.nowMillis() - 3_600_000
        func next() -> Int64 {
            at += 1000
            return at
        }
        func open(_ code: CaseID, _ open: OpenCase, by actor: OfficialID) async throws {
            _ = try await store.append(.open(open, actor: .official(actor), at: next(), code: code, personalData: nil, via: .generated("test")))
        }
        let document = IssuingDocument(number: "125/CTr-UBND", date: today.adding(days: -60), signer: "Chủ tịch UBND thành phố")
        try await open(
            programme,
            OpenCase(
                kind: .programme, procedure: PlanLevel.programme.rawValue, title: "Chương trình cải cách hành chính 2026", leadUnit: "stp",
                owner: "gd-stp", dueDate: today.adding(days: 200), document: document), by: "gd-stp")
        try await open(
            plan,
            OpenCase(
                kind: .programme, procedure: PlanLevel.year.rawValue, title: "Kế hoạch cải cách hành chính năm 2026", leadUnit: "stp",
                owner: "gd-stp", dueDate: today.adding(days: 150), parent: programme), by: "gd-stp")
        func task(_ code: CaseID, parent: CaseID, lead: UnitID, owner: OfficialID, due: Int) async throws {
            let assigned = IssuingDocument(number: "07/KH-STP", date: today.adding(days: -40), signer: "Giám đốc Sở Tư pháp Lê Minh Đức")
            try await open(
                code,
                OpenCase(
                    kind: .task, title: "Nhiệm vụ \(code.rawValue)", leadUnit: lead, owner: owner, dueDate: today.adding(days: due), parent: parent,
                    product: "Báo cáo kết quả \(code.rawValue)", document: assigned), by: owner)
        }
        try await task("NV-1", parent: plan, lead: "stp-hcbt", owner: "cv-an", due: 30)
        try await task("NV-2", parent: plan, lead: "stp-hcbt", owner: "cv-binh", due: -20)
        try await task("NV-3", parent: programme, lead: "p-hai-chau", owner: "mc-hc", due: -10)
        try await task("NV-4", parent: plan, lead: "thanh-tra", owner: "ttv", due: 40)
        try await task("NV-5", parent: plan, lead: "stp-hcbt", owner: "cv-binh", due: 45)
        try await task("NV-6", parent: plan, lead: "stp-hcbt", owner: "cv-an", due: -15)
        try await store.append(
            .action(SampleCity.act("NV-3", by: "mc-hc", at: next(), .progress(TaskProgress(percent: 30, text: "Đã lấy ý kiến các tổ dân phố")))))
        try await store.append(.action(SampleCity.act("NV-6", by: "cv-an", at: next(), .submitDraft(to: "tp-hcbt", draft: "Dự thảo báo cáo NV-6"))))
        return today
    }

    /// The numbers of one row of the roll-up table (`data-agency`), by column key.
    static func cells(_ page: String, agency: String) -> [String: Int] {
        guard let start = page.range(of: "<tr data-agency=\"\(agency)\">") else { return [:] }
        let row = page[start.upperBound...].prefix { $0 != "\n" }
        let end = row.range(of: "</tr>").map { row[..<$0.lowerBound] } ?? row
        var out: [String: Int] = [:]
        for part in end.components(separatedBy: "data-col=\"").dropFirst() {
            let key = String(part.prefix { $0 != "\"" })
            guard let gt = part.firstIndex(of: ">") else { continue }
            out[key] = Int(part[part.index(after: gt)...].prefix { $0 != "<" })
        }
        return out
    }

    @Test func aTaskGoesThroughTheFormsAndTheRollUpCountsIt() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let today = try await Self.seed(fixture)
        let calendar = fixture.state.live.calendar
        try await fixture.test { client in
            var an = Browser(client)
            _ = try await an.login("cv-an")
            let path = "/cases/NV-1"
            var page = try await an.get(path).text
            #expect(page.contains("data-phase=\"not_started\"") && page.contains("<h1>Nhiệm vụ NV-1</h1>"), "\(page.prefix(300))")
            #expect(page.contains("Báo cáo kết quả NV-1") && page.contains("07/KH-STP") && page.contains("Giám đốc Sở Tư pháp Lê Minh Đức"))
            #expect(page.contains("href=\"/programmes/\(Self.plan.rawValue)\""), "the parent plan is a link")
            for action in ["progress", "submit_draft"] { #expect(page.contains("data-action=\"\(action)\""), "\(action) form") }
            for action in ["approve_draft", "return_draft", "cancel"] { #expect(!page.contains("data-action=\"\(action)\""), "no \(action) form") }

            func step(_ b: inout Browser, _ form: [(String, String)], phase: TaskPhase) async throws {
                let r = try await b.post(path + "/actions", form: form, from: path)
                #expect(r.status.code == 303, "\(form[0].1): \(r.text.prefix(600))")
                let after = try await b.get(path).text
                #expect(after.contains("data-phase=\"\(phase.rawValue)\""), "after \(form[0].1)")
            }
            try await step(
                &an, [("type", "progress"), ("percent", "40"), ("text", "Đã có đề cương"), ("attachment", "")], phase: .inProgress)
            try await step(&an, [("type", "submit_draft"), ("to", "tp-hcbt"), ("draft", "Dự thảo báo cáo lần 1")], phase: .awaitingApproval)
            var head = Browser(client)
            _ = try await head.login("tp-hcbt")
            page = try await head.get(path).text
            for action in ["approve_draft", "return_draft"] { #expect(page.contains("data-action=\"\(action)\""), "\(action) form") }
            try await step(&head, [("type", "return_draft"), ("reason", "Bổ sung số liệu quý IV")], phase: .inProgress)
            #expect(try await fixture.store.caseState("NV-1")?.owner == "cv-an", "a returned draft goes back to its drafter")
            try await step(&an, [("type", "submit_draft"), ("to", "tp-hcbt"), ("draft", "Dự thảo báo cáo lần 2")], phase: .awaitingApproval)
            try await step(&head, [("type", "approve_draft"), ("note", "Đồng ý ban hành")], phase: .done)

            // Cancelling: a specialist may not; the head of the agency may.
            let refused = try await an.post("/cases/NV-5/actions", form: [("type", "cancel"), ("reason", "Trùng nhiệm vụ")], from: "/cases/NV-5")
            #expect(refused.status.code == 422)
            #expect(refused.text.contains("chỉ người đứng đầu đơn vị chủ trì hoặc cấp trên mới hủy nhiệm vụ"), "\(refused.text.prefix(600))")
            var director = Browser(client)
            _ = try await director.login("gd-stp")
            #expect(try await director.get("/cases/NV-5").text.contains("data-action=\"cancel\""))
            let cancelled = try await director.post(
                "/cases/NV-5/actions", form: [("type", "cancel"), ("reason", "Trùng nhiệm vụ NV-1")], from: "/cases/NV-5")
            #expect(cancelled.status.code == 303)
            #expect(try await director.get("/cases/NV-5").text.contains("data-phase=\"cancelled\""))

            // The programme's own page links to its roll-up.
            #expect(try await director.get("/cases/\(Self.programme.rawValue)").text.contains("id=\"programme-rollup-link\""))

            // The list and the roll-up, as any official sees them.
            var clerk = Browser(client)
            _ = try await clerk.login("mc-hc")
            let list = try await clerk.get("/programmes")
            #expect(list.status.code == 200)
            let sentence = "5 nhiệm vụ giao 3 cơ quan: 1 hoàn thành, 1 dự thảo chờ phê duyệt, 1 đang thực hiện, 2 chưa triển khai; 3 quá hạn"
            #expect(list.text.contains(sentence), "\(list.text)")
            #expect(list.text.contains("id=\"nav-programmes\""))
            let rollup = try await clerk.get("/programmes/\(Self.programme.rawValue)")
            #expect(rollup.status.code == 200)
            let text = rollup.text
            #expect(text.contains(sentence))
            #expect(text.contains("125/CTr-UBND") && text.contains("Chủ tịch UBND thành phố"))
            #expect(text.contains("<caption>") && text.contains("<th scope=\"col\">Dự thảo chờ phê duyệt</th>"))
            let columns = ["assigned", "done", "submitted", "awaiting_approval", "in_progress", "not_started", "overdue"]
            func row(_ values: [Int]) -> [String: Int] { Dictionary(uniqueKeysWithValues: zip(columns, values)) }
            #expect(Self.cells(text, agency: "stp") == row([3, 1, 0, 1, 0, 1, 2]))
            #expect(Self.cells(text, agency: "p-hai-chau") == row([1, 0, 0, 0, 1, 0, 1]))
            #expect(Self.cells(text, agency: "thanh-tra") == row([1, 0, 0, 0, 0, 1, 0]))
            #expect(Self.cells(text, agency: "*") == row([5, 1, 0, 1, 1, 2, 3]))
            #expect(text.contains("href=\"/programmes/\(Self.plan.rawValue)\""), "the plan links to its own roll-up")
            // Overdue: earliest due first, each with who holds it and how many working days late.
            let overdue = (text.components(separatedBy: "<table id=\"overdue\">").dropFirst().first ?? "").components(separatedBy: "</table>")[0]
            let codes = overdue.components(separatedBy: "<tr data-case=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(codes == ["NV-2", "NV-6", "NV-3"])
            #expect(overdue.contains("data-official=\"tp-hcbt\""), "a draft awaiting approval is late with the approver")
            #expect(overdue.contains("Hoàng Văn Nam (tp-hcbt)") && overdue.contains("Đỗ Thị Mai (mc-hc)"))
            let late = calendar.workingDays(from: today.adding(days: -20), to: today)
            #expect(overdue.contains("<td data-col=\"late\" class=\"num\">\(late)</td>"))
            #expect(text.contains("href=\"/cases/NV-2\""))
            // All tasks, by plan.
            #expect(text.contains("data-plan=\"\(Self.plan.rawValue)\"") && text.contains("data-plan=\"\(Self.programme.rawValue)\""))
            #expect(text.contains("<tr data-case=\"NV-5\" data-phase=\"cancelled\">"))
            // What is still owed shows the working days left; a cancelled task only its date.
            func row(_ code: String) -> String {
                (text.components(separatedBy: "<tr data-case=\"\(code)\" data-phase=").dropFirst().first ?? "").components(separatedBy: "</tr>")[0]
            }
            #expect(row("NV-4").contains("class=\"badge ok\"") && row("NV-4").contains("ngày làm việc"), "\(row("NV-4"))")
            #expect(row("NV-2").contains("class=\"badge late\""), "\(row("NV-2"))")
            #expect(!row("NV-5").contains("badge"), "\(row("NV-5"))")
            // English is complete.
            let en = try await clerk.get("/programmes/\(Self.programme.rawValue)?lang=en").text
            #expect(en.contains("5 tasks assigned to 3 agencies: 1 done, 1 draft awaiting approval, 1 in progress, 2 not started; 3 overdue"))
            #expect(en.contains("Working days late"))
            // Not a programme, or no case: not found.
            #expect(try await clerk.get("/programmes/NV-1").status.code == 404)
            #expect(try await clerk.get("/programmes/KHONG-CO").status.code == 404)
            // Signed-in officials only.
            var stranger = Browser(client)
            #expect(try await stranger.get("/programmes").status.code == 303)
        }
    }

    @Test func theAPIGivesTheRollUp() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let today = try await Self.seed(fixture)
        let reader = try #require(fixture.tokens["reader"])
        let findings = try #require(fixture.tokens["findings"])
        try await fixture.test { client in
            let document = try OpenAPIDocument(yaml: try await client.execute(uri: "/openapi.yaml", method: .get).text)
            let path = "/api/v1/programmes/\(Self.programme.rawValue)"
            let r = try await client.api(.get, path, token: reader)
            #expect(r.status.code == 200, "\(r.text.prefix(400))")
            try LiveAPITests.conforms(r, "get", path, document: document)
            let json = try r.json()
            #expect(json["code"] as? String == Self.programme.rawValue)
            #expect(json["asOf"] as? String == today.description)
            #expect(
                json["summaryVi"] as? String == "6 nhiệm vụ giao 3 cơ quan: 1 dự thảo chờ phê duyệt, 1 đang thực hiện, 4 chưa triển khai; 3 quá hạn")
            let total = try #require(json["total"] as? [String: Any])
            #expect(total["agency"] is NSNull)
            let expectedTotal: [String: Int] = [
                "assigned": 6, "done": 0, "awaitingApproval": 1, "inProgress": 1, "notStarted": 4, "cancelled": 0, "overdue": 3,
            ]
            for (k, v) in expectedTotal { #expect(total[k] as? Int == v, "total.\(k)") }
            let lines = try #require(json["lines"] as? [[String: Any]])
            let stp = try #require(lines.first { $0["agency"] as? String == "stp" })
            #expect(stp["agencyName"] as? String == "Sở Tư pháp")
            #expect(
                stp["assigned"] as? Int == 4 && stp["notStarted"] as? Int == 3 && stp["awaitingApproval"] as? Int == 1 && stp["overdue"] as? Int == 2)
            #expect(lines.count == 3)
            let overdue = try #require(json["overdue"] as? [[String: Any]])
            #expect(overdue.compactMap { $0["code"] as? String } == ["NV-2", "NV-6", "NV-3"])
            #expect(overdue[1]["owner"] as? String == "tp-hcbt" && overdue[1]["ownerName"] as? String == "Hoàng Văn Nam")
            #expect(overdue[0]["agency"] as? String == "stp")
            let late = fixture.state.live.calendar.workingDays(from: today.adding(days: -20), to: today)
            #expect(overdue[0]["workingDaysLate"] as? Int == late)
            #expect(json["submissions"] is NSNull, "a programme has no report matrix")
            let plans = try #require(json["plans"] as? [[String: Any]])
            #expect(plans.count == 1 && plans.first?["code"] as? String == Self.plan.rawValue && plans.first?["level"] as? String == "plan-year")
            // As of a month ago nothing was late yet.
            let earlier = try await client.api(.get, path + "?asOf=\(today.adding(days: -30).description)", token: reader).json()
            #expect((earlier["total"] as? [String: Any])?["overdue"] as? Int == 0)
            #expect((earlier["overdue"] as? [Any])?.isEmpty == true)
            let bad = try await client.api(.get, path + "?asOf=mai", token: reader)
            try LiveAPITests.conforms(bad, "get", path, document: document)
            #expect(bad.status.code == 400 && (try? bad.errorField()) == "asOf", "\(bad.text.prefix(300))")
            // A dossier's code, and no case: 404 problems.
            let dossier = try await client.api(.get, "/api/v1/programmes/\(ServerFixture.code.rawValue)", token: reader)
            let dossierProblem = try dossier.json()
            try LiveAPITests.conforms(dossier, "get", "/api/v1/programmes/\(ServerFixture.code.rawValue)", document: document)
            #expect(dossier.status.code == 404 && dossierProblem["code"] as? String == "not_found", "\(dossier.text.prefix(300))")
            #expect(try await client.api(.get, "/api/v1/programmes/KHONG-CO", token: reader).status.code == 404)
            // Scope cases:read.
            #expect(try await client.api(.get, path, token: findings).status.code == 403)
            #expect(try await client.api(.get, path, token: nil).status.code == 401)
            let list = try await client.api(.get, "/api/v1/programmes", token: reader)
            #expect(list.status.code == 200)
            try LiveAPITests.conforms(list, "get", "/api/v1/programmes", document: document)
            let programmes = try #require(try list.json()["programmes"] as? [[String: Any]])
            #expect(programmes.count == 1 && programmes.first?["code"] as? String == Self.programme.rawValue)
            #expect((programmes.first?["summaryEn"] as? String)?.hasPrefix("6 tasks assigned to 3 agencies") == true)
        }
    }
}
