import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation
import Hummingbird

/// The roll-up of programmes and plans (chương trình, kế hoạch) as officials keep their tracking sheet: the list of
/// programmes with the sheet's sentence, and per programme or plan the tasks by agency and phase, its plans, the overdue
/// tasks with their accountable officials and every task by plan. Open to every signed-in official: a programme is the
/// city's work, and seeing who is late on it is the point. The numbers are `ProgrammeRollup`'s, as the API and the
/// command line give them.
struct ProgrammePages {
    let state: ServerState

    /// At most this many tasks listed on a roll-up page.
    static let taskLimit = 2000

    func register(on router: Router<AppRequestContext>) {
        router.get("/programmes") { request, context in try await listPage(request, context) }
        router.get("/programmes/:code") { request, context in try await rollupPage(request, context) }
    }

    // MARK: - The list

    func listPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Guard.official(context, path: request.uri.path)
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = l.lang
        let today = CivilDate(Date())
        var rows: [HTML] = []
        for p in try await state.store.programmes(limit: 500) {
            let rollup = try await state.store.rollup(root: p.id, asOf: today, organization: state.organization, overdueLimit: 0)
            rows.append(
                HTML.el(
                    "tr", [("data-case", p.id.rawValue)],
                    HTML.el("th", [("scope", "row")], HTML.el("a", [("href", "/programmes/" + Paths.segment(p.id.rawValue))], text: p.id.rawValue)),
                    HTML.el("td", text: p.title), HTML.el("td", text: l.unitName(p.leadUnit)), HTML.el("td", text: Layout.dateText(p.dueDate)),
                    HTML.el("td", [("class", "summary")], text: lang.t(rollup.summaryVi, rollup.summaryEn))))
        }
        let body: HTML
        if rows.isEmpty {
            body = HTML.el("p", [("class", "muted"), ("id", "programmes-empty")], text: lang.t("Chưa có chương trình nào.", "No programme yet."))
        } else {
            body = HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "programmes")],
                    HTML.el(
                        "caption",
                        text: lang.t("Chương trình, đề án và tiến độ nhiệm vụ đến hôm nay", "Programmes and schemes, with their tasks as of today")),
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Mã", "Code")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Tên chương trình", "Title")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Đơn vị chủ trì", "Lead unit")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Hạn", "Due")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Tình hình thực hiện", "Progress")))),
                    HTML.el("tbody", [], children: rows)))
        }
        return l.page(lang.t("Chương trình, kế hoạch", "Programmes and plans"), request: request, body)
    }

    // MARK: - One programme or plan

    func rollupPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try Guard.official(context, path: request.uri.path)
        guard let raw = context.parameters.get("code") else {
            throw RequestRefusal.invalid(Bilingual("Thiếu mã chương trình", "no programme code"), field: "code")
        }
        let code = CaseID(raw.removingPercentEncoding ?? raw)
        let view = try await ProgrammeView.load(code, asOf: CivilDate(Date()), state: state)
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = l.lang
        let p = view.programme
        var head: [HTML] = [
            HTML.el("dt", text: lang.t("Mã", "Code")), HTML.el("dd", [], l.caseLink(p.id)),
            HTML.el("dt", text: lang.t("Cấp", "Level")), HTML.el("dd", text: view.level.map { Self.levelName($0, lang) } ?? "—"),
            HTML.el("dt", text: lang.t("Đơn vị chủ trì", "Lead unit")), HTML.el("dd", text: l.unitName(p.leadUnit)),
            HTML.el("dt", text: lang.t("Hạn", "Due")), HTML.el("dd", text: Layout.dateText(p.dueDate)),
        ]
        if let document = view.document {
            head += [
                HTML.el("dt", text: lang.t("Văn bản ban hành", "Issued by")),
                HTML.el("dd", [("id", "issuing-document")], text: Self.documentText(document, lang)),
            ]
        }
        if let parent = p.parent {
            head += [
                HTML.el("dt", text: lang.t("Thuộc", "Part of")),
                HTML.el("dd", [], HTML.el("a", [("href", "/programmes/" + Paths.segment(parent.rawValue))], text: parent.rawValue)),
            ]
        }
        var body = HTML.el(
            "section", [("class", "card")], HTML.el("dl", [("class", "kv")], children: head),
            HTML.el("p", [("id", "rollup-summary"), ("class", "summary")], text: lang.t(view.rollup.summaryVi, view.rollup.summaryEn)),
            HTML.el("p", [("class", "muted")], text: lang.t("Số liệu đến ngày ", "As of ") + Layout.dateText(view.rollup.asOf)))
        if let report = view.report { body += reportRequest(report.matrix, template: report.template, l) }
        if let inspection = view.inspection { body += HTML.el("section", [("class", "card")], l.inspectionDetails(inspection)) }
        body += table(view.rollup, l)
        body += plans(view, l)
        body += overdue(view, l)
        body += tasks(view, l)
        return l.page(p.title, request: request, body)
    }

    /// The columns of the tracking sheet: the phases counted, then the overdue among them.
    static func columns(_ lang: Language) -> [(key: String, title: String, value: (ProgrammeRollup.Line) -> Int)] {
        [
            ("assigned", lang.t("Giao", "Assigned"), { $0.assigned }),
            ("done", lang.t(TaskPhase.done.nameVi, TaskPhase.done.nameEn), { $0.count(.done) }),
            ("submitted", lang.t(TaskPhase.submitted.nameVi, TaskPhase.submitted.nameEn), { $0.count(.submitted) }),
            ("awaiting_approval", lang.t(TaskPhase.awaitingApproval.nameVi, TaskPhase.awaitingApproval.nameEn), { $0.count(.awaitingApproval) }),
            ("in_progress", lang.t(TaskPhase.inProgress.nameVi, TaskPhase.inProgress.nameEn), { $0.count(.inProgress) }),
            ("not_started", lang.t(TaskPhase.notStarted.nameVi, TaskPhase.notStarted.nameEn), { $0.count(.notStarted) }),
            ("overdue", lang.t("Quá hạn", "Overdue"), { $0.overdue }),
        ]
    }

    func table(_ rollup: ProgrammeRollup, _ l: Layout) -> HTML {
        let lang = l.lang
        let columns = Self.columns(lang)
        func row(_ line: ProgrammeRollup.Line, name: String, agency: String) -> HTML {
            HTML.el(
                "tr", [("data-agency", agency)],
                children: [HTML.el("th", [("scope", "row")], text: name)]
                    + columns.map { HTML.el("td", [("data-col", $0.key), ("class", "num")], text: String($0.value(line))) })
        }
        return HTML.el(
            "section", [("aria-labelledby", "rollup-h")], HTML.el("h2", [("id", "rollup-h")], text: lang.t("Theo cơ quan", "By agency")),
            HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "rollup")],
                    HTML.el(
                        "caption",
                        text: lang.t("Nhiệm vụ theo cơ quan chủ trì và tình trạng", "Tasks by lead agency and phase") + " ("
                            + Layout.dateText(rollup.asOf) + ")"),
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [],
                            children: [HTML.el("th", [("scope", "col")], text: lang.t("Cơ quan", "Agency"))]
                                + columns.map { HTML.el("th", [("scope", "col")], text: $0.title) })),
                    HTML.el(
                        "tbody", [], children: rollup.lines.map { row($0, name: l.unitName($0.agency), agency: $0.agency.rawValue) }),
                    HTML.el("tfoot", [], row(rollup.total, name: lang.t("Tổng cộng", "Total"), agency: "*")))))
    }

    func plans(_ view: ProgrammeView, _ l: Layout) -> HTML {
        let lang = l.lang
        guard !view.plans.isEmpty else { return "" }
        return HTML.el(
            "section", [("aria-labelledby", "plans-h")], HTML.el("h2", [("id", "plans-h")], text: lang.t("Kế hoạch", "Plans")),
            HTML.el(
                "ul", [("id", "plans")],
                children: view.plans.map { plan in
                    HTML.el(
                        "li", [("data-case", plan.state.id.rawValue)],
                        HTML.el("a", [("href", "/programmes/" + Paths.segment(plan.state.id.rawValue))], text: plan.state.title),
                        HTML.text(
                            " (" + (PlanLevel(rawValue: plan.state.procedure ?? "").map { Self.levelName($0, lang) } ?? "—") + ", "
                                + plan.state.id.rawValue + "): "),
                        HTML.el("span", [("class", "summary")], text: lang.t(plan.rollup.summaryVi, plan.rollup.summaryEn)))
                }))
    }

    func overdue(_ view: ProgrammeView, _ l: Layout) -> HTML {
        let lang = l.lang
        let heading = HTML.el("h2", [("id", "overdue-h")], text: lang.t("Nhiệm vụ quá hạn", "Overdue tasks"))
        guard !view.overdue.isEmpty else {
            return HTML.el(
                "section", [("aria-labelledby", "overdue-h")], heading,
                HTML.el("p", [("class", "muted"), ("id", "overdue-none")], text: lang.t("Không có nhiệm vụ quá hạn.", "No task is overdue.")))
        }
        return HTML.el(
            "section", [("aria-labelledby", "overdue-h")], heading,
            HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "overdue")],
                    HTML.el("caption", text: lang.t("Nhiệm vụ quá hạn, hạn sớm nhất trước", "Overdue tasks, earliest due first")),
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Nhiệm vụ", "Task")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Cơ quan", "Agency")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Người chịu trách nhiệm", "Accountable official")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Hạn", "Due")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Số ngày làm việc trễ", "Working days late")))),
                    HTML.el(
                        "tbody", [],
                        children: view.overdue.map { o in
                            HTML.el(
                                "tr", [("data-case", o.task.id.rawValue), ("data-official", o.task.owner?.rawValue ?? "")],
                                HTML.el("th", [("scope", "row")], l.caseLink(o.task.id), HTML.text(" " + o.task.title)),
                                HTML.el("td", text: l.unitName(o.agency)),
                                HTML.el("td", text: o.task.owner.map { "\(l.officialName($0)) (\($0.rawValue))" } ?? "—"),
                                HTML.el("td", text: Layout.dateText(o.task.dueDate)),
                                HTML.el("td", [("data-col", "late"), ("class", "num")], text: String(o.workingDaysLate)))
                        }))))
    }

    func tasks(_ view: ProgrammeView, _ l: Layout) -> HTML {
        let lang = l.lang
        var groups: [HTML] = []
        let titles = Dictionary(view.branches.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        // Plans in the tree's order, then any parent the branches did not name.
        var order = view.branches.map(\.id)
        for t in view.tasks { if let p = t.parent, !order.contains(p) { order.append(p) } }
        let byParent = Dictionary(grouping: view.tasks) { $0.parent ?? view.programme.id }
        for parent in order {
            guard let list = byParent[parent], !list.isEmpty else { continue }
            let hid = "tasks-" + parent.rawValue.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            groups.append(
                HTML.el(
                    "section", [("aria-labelledby", hid), ("data-plan", parent.rawValue)],
                    HTML.el("h3", [("id", hid)], text: (titles[parent] ?? parent.rawValue) + " (\(list.count))"),
                    HTML.el(
                        "div", [("class", "table-wrap"), ("tabindex", "0")],
                        HTML.el(
                            "table", [("class", "tasks")],
                            HTML.el("caption", text: lang.t("Nhiệm vụ thuộc ", "Tasks of ") + parent.rawValue),
                            HTML.el(
                                "thead", [],
                                HTML.el(
                                    "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Nhiệm vụ", "Task")),
                                    HTML.el("th", [("scope", "col")], text: lang.t("Đơn vị chủ trì", "Lead unit")),
                                    HTML.el("th", [("scope", "col")], text: lang.t("Tình trạng", "Phase")),
                                    HTML.el("th", [("scope", "col")], text: lang.t("Người đang xử lý", "Held by")),
                                    HTML.el("th", [("scope", "col")], text: lang.t("Hạn", "Due")))),
                            HTML.el(
                                "tbody", [],
                                children: list.map { t in
                                    HTML.el(
                                        "tr", [("data-case", t.id.rawValue), ("data-phase", t.phase.rawValue)],
                                        HTML.el("th", [("scope", "row")], l.caseLink(t.id), HTML.text(" " + t.title)),
                                        HTML.el("td", text: l.unitName(t.leadUnit)), HTML.el("td", text: lang.t(t.phase.nameVi, t.phase.nameEn)),
                                        HTML.el("td", text: t.owner.map { "\(l.officialName($0)) (\($0.rawValue))" } ?? "—"),
                                        // Working days left (or late) for what is still owed; the date alone for the rest.
                                        HTML.el("td", [], l.dueBadge(t.dueDate, open: t.phase.canBeOverdue)))
                                })))))
        }
        let heading = HTML.el(
            "h2", [("id", "tasks-h")], text: lang.t("Các nhiệm vụ (\(view.tasks.count))", "All tasks (\(view.tasks.count))"))
        guard !groups.isEmpty else {
            return HTML.el(
                "section", [("aria-labelledby", "tasks-h")], heading,
                HTML.el("p", [("class", "muted")], text: lang.t("Chưa giao nhiệm vụ nào.", "No task assigned yet.")))
        }
        let cut =
            view.tasks.count >= Self.taskLimit
            ? HTML.el(
                "p", [("class", "muted"), ("id", "tasks-limit")],
                text: lang.t("Chỉ hiện \(Self.taskLimit) nhiệm vụ đầu tiên.", "Only the first \(Self.taskLimit) tasks are shown."))
            : HTML()
        return HTML.el("section", [("aria-labelledby", "tasks-h"), ("id", "tasks")], children: [heading, cut] + groups)
    }

    // MARK: - Wording

    static func levelName(_ level: PlanLevel, _ lang: Language) -> String {
        guard lang == .en else { return level.nameVi }
        return switch level {
        case .programme: "Programme or scheme"
        case .year: "Annual plan"
        case .quarter: "Quarterly plan"
        case .month: "Monthly plan"
        case .reportRequest: "Report request"
        case .selfInspection: "Self-inspection"
        case .inspection: "Inspection"
        }
    }

    static func documentText(_ d: IssuingDocument, _ lang: Language) -> String {
        lang.t(
            "Số \(d.number), ngày \(Layout.dateText(d.date)), người ký: \(d.signer)",
            "No. \(d.number) of \(Layout.dateText(d.date)), signed by \(d.signer)")
    }

    /// The document recorded by a case's opening entry.
    static func issuingDocument(_ history: [LedgerRecord]) -> IssuingDocument? {
        for r in history { if case .open(let o) = r.action.body { return o.document } }
        return nil
    }
}

/// What a roll-up page and the API's roll-up show of one programme or plan as of a day: read from the store, counted by
/// `ProgrammeRollup`, with the working days each overdue task is late by the server's calendar.
struct ProgrammeView {
    struct Overdue {
        var task: TaskSummary
        var agency: UnitID
        var workingDaysLate: Int
    }

    struct Plan {
        var state: CaseState
        var rollup: ProgrammeRollup
    }

    var programme: CaseState
    var level: PlanLevel?
    var document: IssuingDocument?
    var rollup: ProgrammeRollup
    /// The programme or plan and every plan under it, oldest first.
    var branches: [CaseState]
    /// The plans under it (the branches but itself), each with its own counts.
    var plans: [Plan]
    var overdue: [Overdue]
    var tasks: [TaskSummary]
    /// For a report request: its matrix and template.
    var report: (matrix: ReportMatrix, template: ReportTemplate)?
    /// For an inspection: its scope, violations and conclusion.
    var inspection: InspectionRecord?

    /// Reads one programme or plan; a code that is no case, or a case that is not a programme or plan, is not found.
    static func load(
        _ code: CaseID, asOf day: CivilDate, state: ServerState, tasks taskLimit: Int = ProgrammePages.taskLimit, plansCounted: Bool = true
    )
        async throws -> ProgrammeView
    {
        let store = state.store
        let org = state.organization
        guard let p = try await store.caseState(code), p.kind == .programme else {
            throw RequestRefusal.notFound(Bilingual("Không có chương trình, kế hoạch \(code)", "not found: programme or plan \(code)"))
        }
        let rollup = try await store.rollup(root: code, asOf: day, organization: org)
        let branches = try await store.programmeBranches(root: code)
        var plans: [Plan] = []
        for b in branches where b.id != code {
            var counts: [TaskCount] = []
            if plansCounted { counts = try await store.programmeCounts(root: b.id, asOf: day) }
            plans.append(Plan(state: b, rollup: ProgrammeRollup(counts: counts, overdue: [], asOf: day, organization: org)))
        }
        let calendar = state.live.calendar
        let overdue = rollup.overdueTasks.map { t in
            Overdue(
                task: t, agency: ProgrammeRollup.agency(of: t.leadUnit, in: org),
                workingDaysLate: t.dueDate.map { max(0, calendar.workingDays(from: $0, to: day)) } ?? 0)
        }
        var tasks: [TaskSummary] = []
        if taskLimit > 0 { tasks = try await store.programmeTasks(root: code, limit: taskLimit) }
        let history = try await store.history(of: code)
        var report: (ReportMatrix, ReportTemplate)?
        if let matrix = try await store.reportMatrix(request: code, asOf: day, organization: org),
            case .open(let open)? = history.first?.action.body, let template = open.template
        {
            report = (matrix, template)
        }
        return ProgrammeView(
            programme: p, level: PlanLevel(rawValue: p.procedure ?? ""), document: ProgrammePages.issuingDocument(history),
            rollup: rollup, branches: branches, plans: plans, overdue: overdue, tasks: tasks, report: report,
            inspection: p.isInspection ? InspectionRecord(caseID: code, records: history.map { ($0.index, $0.action) }) : nil)
    }
}
