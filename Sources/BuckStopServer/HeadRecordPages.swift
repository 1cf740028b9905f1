import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopReport
import BuckStopStore
import Foundation
import Hummingbird

/// Trách nhiệm người đứng đầu: one head's record for a period — what was found in the unit and upheld, its causes, what
/// followed and whether remediations came on time, the head's own misses, and what the head did (findings reviewed,
/// consequences decided) — with the same figures for the heads of the units below, for a superior to compare.
struct HeadRecordPages {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/record") { request, context in try await recordPage(request, context) }
        router.get("/record/report") { request, context in try await reportDownload(request, context) }
    }

    /// The figures of one head's record over the findings of their unit's subtree (pure: the page and its test share it).
    struct Tally: Sendable, Equatable {
        var upheld = 0
        var dismissed = 0
        var awaiting = 0
        var causes: [String: Int] = [:]
        /// Causes by the field (lĩnh vực) of the finding's case, by the rulebook's procedure prefixes; "" for a case in no field.
        var causesByField: [String: [String: Int]] = [:]
        var consequences: [ConsequenceKind: Int] = [:]
        var remediationOnTime = 0
        var remediationLate = 0
        var remediationUnderWay = 0
        /// Findings about the head themself (self_inspection_miss among them).
        var aboutHead = 0
        /// What the head did: findings they reviewed, consequences they decided.
        var reviewedByHead = 0
        var decidedByHead = 0

        init() {}

        /// Findings observed in `from…to` (Vietnam days); `decidedBy` names who decided each consequence, by finding.
        init(
            findings: [StoredFinding], head: OfficialID, from: CivilDate, to: CivilDate, today: CivilDate, decidedBy: [String: [OfficialID]],
            fieldOf: [CaseID: String] = [:]
        ) {
            for f in findings {
                let day = CivilDate(Date(timeIntervalSince1970: Double(f.observedAt) / 1000))
                guard day >= from && day <= to else { continue }
                switch f.finding.status {
                case .upheld: upheld += 1
                case .dismissed: dismissed += 1
                case .open, .explained: awaiting += 1
                }
                if let cause = f.finding.cause {
                    causes[cause, default: 0] += 1
                    causesByField[fieldOf[f.finding.caseID] ?? "", default: [:]][cause, default: 0] += 1
                }
                for kind in f.finding.consequences.decided { consequences[kind, default: 0] += 1 }
                if let r = f.finding.consequences.remediation {
                    switch (r.doneOnTime, r.isLate(on: today)) {
                    case (true?, _): remediationOnTime += 1
                    case (false?, _), (nil, true): remediationLate += 1
                    case (nil, false): remediationUnderWay += 1
                    }
                }
                if f.finding.official == head { aboutHead += 1 }
                if f.reviewer == head { reviewedByHead += 1 }
                decidedByHead += decidedBy[f.finding.id]?.filter { $0 == head }.count ?? 0
            }
        }
    }

    /// Who found what in the unit's subtree (Công văn 5046: a head answers where outsiders find what the unit's own
    /// self-inspection did not): the violations of inspections concluded in the period, those of the unit's own
    /// self-inspections against those of external inspections in its units. Pure: the page and its test share it.
    struct FoundBy: Sendable, Equatable {
        var selfInspections = 0
        var selfFound = 0
        var externalInspections = 0
        var outsiderFound = 0

        init() {}

        init(_ records: [InspectionRecord], units: Set<UnitID>, from: CivilDate, to: CivilDate) {
            for record in records {
                guard let concluded = record.conclusion else { continue }
                let day = CivilDate(Date(timeIntervalSince1970: Double(concluded.at) / 1000))
                guard day >= from && day <= to else { continue }
                let found = record.violations.filter { units.contains($0.violation.unit) }.count
                switch record.form {
                case .selfInspection:
                    guard units.contains(record.leadUnit) else { continue }
                    selfInspections += 1
                    selfFound += found
                case .external:
                    guard record.scope.subjects.contains(where: units.contains) else { continue }
                    externalInspections += 1
                    outsiderFound += found
                }
            }
        }
    }

    /// The head's own citizen reception (Luật Tiếp công dân) in the period, from the unit's reception books: the days of
    /// periodic sessions the head held in person, those a deputy held, other sessions, and the reception findings about the
    /// head. Pure.
    struct Reception: Sendable, Equatable {
        var books = 0
        var periodicInPerson = 0
        var periodicByDeputy = 0
        var otherSessions = 0
        var findings = 0

        init() {}

        init(sessions: [ReceptionSession], books: Int, head: OfficialID, findings: [StoredFinding], from: CivilDate, to: CivilDate) {
            self.books = books
            var inPerson = Set<CivilDate>()
            var deputy = Set<CivilDate>()
            for s in sessions where s.day >= from && s.day <= to {
                if !s.periodic {
                    otherSessions += 1
                } else if s.receivedBy == head {
                    inPerson.insert(s.day)
                } else {
                    deputy.insert(s.day)
                }
            }
            periodicInPerson = inPerson.count
            periodicByDeputy = deputy.subtracting(inPerson).count
            let detectors: Set<String> = [DetectorID.receptionSkipped.rawValue, DetectorID.receptionDelegated.rawValue]
            self.findings =
                findings.filter { f in
                    let day = CivilDate(Date(timeIntervalSince1970: Double(f.observedAt) / 1000))
                    return f.finding.official == head && detectors.contains(f.finding.detector) && day >= from && day <= to
                }
                .count
        }
    }

    /// Complaints and denunciations about the unit's subtree (what they concern) received in the period, and how their
    /// handling stands against its due date. Pure.
    struct ComplaintsAbout: Sendable, Equatable {
        var received = 0
        var closedOnTime = 0
        var closedLate = 0
        var openOverdue = 0

        init() {}

        init(_ cases: [CaseState], units: Set<UnitID>, organization org: Organization, from: CivilDate, to: CivilDate, today: CivilDate) {
            func day(_ millis: Int64) -> CivilDate { CivilDate(Date(timeIntervalSince1970: Double(millis) / 1000)) }
            for c in cases where c.kind == .complaint || c.kind == .denunciation {
                guard let about = c.concerning?.unit ?? c.concerning?.official.flatMap({ org.official($0)?.unit }), units.contains(about),
                    day(c.openedAt) >= from && day(c.openedAt) <= to
                else { continue }
                received += 1
                guard let due = c.dueDate else { continue }
                if let closed = c.closedAt {
                    if day(closed) <= due { closedOnTime += 1 } else { closedLate += 1 }
                } else if c.status.isOpen && today > due {
                    openOverdue += 1
                }
            }
        }
    }

    /// The head whose record is asked for (`head`, by default the reader) and the period (`from`, `to`; by default this
    /// year to today), once the reader may see it: the head, a head above them, an inspector or an administrator.
    func subject(_ request: Request, _ context: AppRequestContext, path: String) throws -> (head: Official, from: CivilDate, to: CivilDate) {
        let me = try Guard.official(context, path: path)
        let org = state.organization
        let query = request.uri.queryParameters
        let headID = query["head"].map { OfficialID(String($0)) } ?? me.id
        guard let head = org.official(headID), head.roles.contains(.head) else {
            throw RequestRefusal.invalid(Bilingual("Không phải người đứng đầu đơn vị", "not the head of a unit"), field: "head")
        }
        let above = me.roles.contains(.head) && org.isWithin(head.unit, subtreeOf: me.unit)
        guard me.id == head.id || above || me.roles.contains(.inspector) || me.roles.contains(.admin) else {
            throw RequestRefusal.forbidden(Bilingual("Hồ sơ trách nhiệm này không thuộc phạm vi của bạn.", "This record is outside your remit."))
        }
        let (from, to) = try PeriodQuery.parse(from: query["from"].map(String.init), to: query["to"].map(String.init), today: CivilDate(Date()))
        return (head, from, to)
    }

    /// The period report (issue 19) for the head's unit and the period, as a download: Word (the default), the Excel
    /// annex or one HTML file. Not cached anywhere: it names officials.
    func reportDownload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (head, from, to) = try subject(request, context, path: "/record/report")
        let format = request.uri.queryParameters["format"].map(String.init) ?? "docx"
        let scope = ReportScope(from: from, to: to, unit: head.unit)
        let made = { () async throws -> ReportDocument in
            ReportDocument(try await LedgerReport.make(store: state.store, rulebook: state.live.rulebook, scope: scope, today: CivilDate(Date())))
        }
        let bytes: Data
        let type: String
        switch format {
        case "docx":
            bytes = try ReportWord.data(try await made())
            type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx":
            bytes = try ReportWorkbook.data(try await made())
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "html":
            bytes = Data(ReportHTML.page(try await made()).utf8)
            type = "text/html; charset=utf-8"
        default:
            throw RequestRefusal.invalid(Bilingual("format chỉ nhận docx, xlsx, html", "format takes docx, xlsx, html"), field: "format")
        }
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        headers[.contentDisposition] = "attachment; filename=\"bao-cao-\(head.unit.rawValue)-\(from)-\(to).\(format)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func recordPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (head, from, to) = try subject(request, context, path: "/record")
        let org = state.organization
        let l = Layout(state: state, context: context, path: request.uri.path)
        let lang = context.language
        let today = CivilDate(Date())

        func subtree(_ unit: UnitID) -> [UnitID] { org.units.keys.filter { org.isWithin($0, subtreeOf: unit) }.sorted() }
        func tally(_ official: OfficialID, _ unit: UnitID) async throws -> Tally {
            let findings = try await state.store.findings(FindingQuery(units: subtree(unit), limit: Int.max)).findings
            var decidedBy: [String: [OfficialID]] = [:]
            for caseID in Set(findings.filter { !$0.finding.consequences.decided.isEmpty }.map(\.finding.caseID)) {
                for r in try await state.store.history(of: caseID) {
                    if case .decideConsequence(let d) = r.action.body, let actor = r.action.actor.officialID {
                        decidedBy[d.finding, default: []].append(actor)
                    }
                }
            }
            var fieldOf: [CaseID: String] = [:]
            for caseID in Set(findings.filter { $0.finding.cause != nil }.map(\.finding.caseID)) {
                let procedure = try await state.store.caseState(caseID)?.procedure
                if let field = state.live.rulebook.inspectionFields.field(ofProcedure: procedure) { fieldOf[caseID] = field.code }
            }
            return Tally(findings: findings, head: official, from: from, to: to, today: today, decidedBy: decidedBy, fieldOf: fieldOf)
        }
        let own = try await tally(head.id, head.unit)
        var body = HTML.el(
            "p", [("class", "muted")],
            text: lang.t(
                "\(head.name) — \(l.unitName(head.unit)); từ \(Layout.dateText(from)) đến \(Layout.dateText(to)). Quyền lực đến đâu, trách nhiệm đến đó.",
                "\(head.name) — \(l.unitName(head.unit)); \(Layout.dateText(from)) to \(Layout.dateText(to))."))
        body += HTML.el(
            "form", [("class", "filters"), ("method", "get"), ("action", "/record")],
            HTML.el("input", [("type", "hidden"), ("name", "head"), ("value", head.id.rawValue)]),
            HTML.el("label", [("for", "record-from")], text: lang.t("Từ ngày", "From")),
            HTML.el("input", [("id", "record-from"), ("name", "from"), ("type", "date"), ("value", from.description)]),
            HTML.el("label", [("for", "record-to")], text: lang.t("Đến ngày", "To")),
            HTML.el("input", [("id", "record-to"), ("name", "to"), ("type", "date"), ("value", to.description)]),
            HTML.el("button", [("type", "submit"), ("class", "secondary")], text: lang.t("Xem", "Show")))
        // The period report of the head's unit for the same period, to send up the line.
        let reportQuery = "head=\(head.id.rawValue)&from=\(from)&to=\(to)"
        body += HTML.el(
            "p", [("id", "record-report")],
            HTML.text(lang.t("Báo cáo định kỳ của đơn vị cho kỳ này: ", "The unit's period report for this period: ")),
            HTML.el("a", [("id", "record-report-docx"), ("href", "/record/report?\(reportQuery)&format=docx")], text: "Word (.docx)"),
            HTML.text(" · "),
            HTML.el(
                "a", [("id", "record-report-xlsx"), ("href", "/record/report?\(reportQuery)&format=xlsx")],
                text: lang.t("Phụ lục Excel (.xlsx)", "Excel annex (.xlsx)")),
            HTML.text(" · "),
            HTML.el("a", [("id", "record-report-html"), ("href", "/record/report?\(reportQuery)&format=html")], text: "HTML"))
        func stat(_ id: String, _ label: String, _ value: Int) -> HTML {
            HTML.el(
                "div", [("class", "card")], HTML.el("div", [("class", "muted")], text: label),
                HTML.el("div", [("id", id)], HTML.el("strong", text: String(value))))
        }
        // The QĐ 766 index of the unit's dossiers, as the report's tables 5–6 and the API give it.
        let index = try await ServiceIndexSource(state: state).index(ReportScope(from: from, to: to, unit: head.unit))
        body += HTML.el(
            "h2", [("id", "record-index-h")], text: lang.t("Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)", "Service index (Decision 766)"))
        body += HTML.el(
            "p", [("id", "record-index-summary")],
            text: lang.t(
                "Hồ sơ thủ tục hành chính giải quyết xong trong kỳ: \(index.total.settled), đúng hạn \(ServiceIndexView.share(index.total.onTimeShare, lang)); \(index.total.ratings) lượt đánh giá, hài lòng \(ServiceIndexView.share(index.total.satisfiedShare, lang)).",
                "Dossiers settled in the period: \(index.total.settled), on time \(ServiceIndexView.share(index.total.onTimeShare, lang)); \(index.total.ratings) ratings, satisfied \(ServiceIndexView.share(index.total.satisfiedShare, lang))."
            ))
        body += ServiceIndexView.section(index, id: "record-index", l)
        body += HTML.el("h2", text: lang.t("Phát hiện trong đơn vị", "Findings in the unit"))
        body += HTML.el(
            "div", [("class", "grid")],
            stat("record-upheld", lang.t("Được giữ nguyên", "Upheld"), own.upheld),
            stat("record-dismissed", lang.t("Bị bác bỏ", "Dismissed"), own.dismissed),
            stat("record-awaiting", lang.t("Chờ giải trình, kết luận", "Awaiting explanation or review"), own.awaiting),
            stat("record-about-head", lang.t("Về chính người đứng đầu", "About the head"), own.aboutHead))
        body += HTML.el("h2", text: lang.t("Nguyên nhân", "Causes"))
        body += HTML.el(
            "p", [("id", "record-causes")],
            text: own.causes.isEmpty
                ? "—"
                : own.causes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\(l.causeName($0.key)): \($0.value)" }.joined(separator: " · ")
        )
        if !own.causesByField.isEmpty {
            body += HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "record-causes-by-field")],
                    HTML.el("caption", text: lang.t("Nguyên nhân theo lĩnh vực", "Causes by field")),
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Lĩnh vực", "Field")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Nguyên nhân", "Causes")))),
                    HTML.el(
                        "tbody", [],
                        children: own.causesByField.sorted { $0.key < $1.key }.map { field, causes in
                            HTML.el(
                                "tr", [("data-field", field)],
                                HTML.el("td", text: field.isEmpty ? lang.t("Không thuộc lĩnh vực nào", "No field") : l.fieldName(field)),
                                HTML.el(
                                    "td",
                                    text: causes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\(l.causeName($0.key)): \($0.value)" }
                                        .joined(separator: " · ")))
                        })))
        }
        body += HTML.el("h2", text: lang.t("Xử lý sau kết luận", "Consequences"))
        body += HTML.el(
            "div", [("class", "grid")],
            children: ConsequenceKind.allCases.map { kind in
                stat("record-consequence-\(kind.rawValue)", lang.t(kind.nameVi, kind.nameEn), own.consequences[kind] ?? 0)
            } + [
                stat("record-remediation-on-time", lang.t("Khắc phục đúng hạn", "Remediated on time"), own.remediationOnTime),
                stat("record-remediation-late", lang.t("Khắc phục trễ hoặc quá hạn", "Remediation late or overdue"), own.remediationLate),
                stat("record-remediation-under-way", lang.t("Đang khắc phục", "Remediation under way"), own.remediationUnderWay),
            ])
        // Who found it: the unit's own self-inspections against outsiders' inspections; and what citizens complained of.
        let units = Set(subtree(head.unit))
        var inspections: [InspectionRecord] = []
        for p in try await state.store.programmes(limit: 1000) where p.isInspection {
            if let record = try await state.live.inspection(p.id) { inspections.append(record) }
        }
        let foundBy = FoundBy(inspections, units: units, from: from, to: to)
        body += HTML.el("h2", text: lang.t("Tự phát hiện và bị phát hiện", "Found by the unit, found by outsiders"))
        body += HTML.el(
            "div", [("class", "grid")],
            stat("record-self-inspections", lang.t("Cuộc tự kiểm tra đã kết luận", "Self-inspections concluded"), foundBy.selfInspections),
            stat("record-self-found", lang.t("Vi phạm đơn vị tự phát hiện", "Violations the unit found itself"), foundBy.selfFound),
            stat(
                "record-external-inspections", lang.t("Cuộc kiểm tra, thanh tra từ bên ngoài", "External inspections concluded"),
                foundBy.externalInspections),
            stat("record-outsider-found", lang.t("Vi phạm bên ngoài phát hiện", "Violations outsiders found"), foundBy.outsiderFound))
        let dayStart = { (d: CivilDate) -> Int64 in Int64(d.startInstant().timeIntervalSince1970 * 1000) }
        var letters: [CaseState] = []
        for kind in [CaseKind.complaint, .denunciation] {
            letters += try await state.store.cases(
                kind: kind, procedure: .any, openedFrom: dayStart(from), openedBefore: dayStart(to.adding(days: 1)), statuses: nil, limit: 100_000)
        }
        let complaints = ComplaintsAbout(letters, units: units, organization: org, from: from, to: to, today: today)
        body += HTML.el("h2", text: lang.t("Khiếu nại, tố cáo liên quan đến đơn vị", "Complaints and denunciations about the unit"))
        body += HTML.el(
            "div", [("class", "grid")], stat("record-complaints", lang.t("Đã nhận", "Received"), complaints.received),
            stat("record-complaints-on-time", lang.t("Giải quyết đúng hạn", "Closed on time"), complaints.closedOnTime),
            stat("record-complaints-late", lang.t("Giải quyết quá hạn", "Closed late"), complaints.closedLate),
            stat("record-complaints-overdue", lang.t("Đang quá hạn", "Open past due"), complaints.openOverdue))
        // The head's own citizen reception, where the unit keeps reception books.
        let books = try await state.store.cases(
            kind: .reception, procedure: .any, openedFrom: 0, openedBefore: Int64.max, statuses: nil, limit: 1000
        ).filter { $0.leadUnit == head.unit }
        if !books.isEmpty {
            var sessions: [ReceptionSession] = []
            for book in books {
                for record in try await state.store.history(of: book.id) {
                    if case .receptionHeld(let s) = record.action.body { sessions.append(s) }
                }
            }
            let headFindings = try await state.store.findings(FindingQuery(official: head.id, limit: Int.max)).findings
            let reception = Reception(sessions: sessions, books: books.count, head: head.id, findings: headFindings, from: from, to: to)
            body += HTML.el("h2", text: lang.t("Tiếp công dân của người đứng đầu", "The head's citizen reception"))
            body += HTML.el(
                "div", [("class", "grid")],
                stat(
                    "record-reception-in-person", lang.t("Ngày tiếp định kỳ trực tiếp", "Periodic days received in person"),
                    reception.periodicInPerson),
                stat("record-reception-deputy", lang.t("Ngày tiếp định kỳ do cấp phó", "Periodic days held by a deputy"), reception.periodicByDeputy),
                stat("record-reception-other", lang.t("Buổi tiếp khác", "Other sessions"), reception.otherSessions),
                stat("record-reception-findings", lang.t("Phát hiện về tiếp công dân", "Reception findings"), reception.findings))
            body += HTML.el(
                "p", [], HTML.el("a", [("href", "/unit#reception")], text: lang.t("Sổ tiếp công dân theo tháng", "Reception books by month")))
        }
        // Daring counted next to the faults: proposals made in the units, their decisions and what came of them.
        let proposals = ProposalPages.Tally(
            try await ProposalPages(state: state).visibleProposals(to: head), head: head.id, units: units, from: from, to: to)
        body += HTML.el("h2", text: lang.t("Đề xuất đổi mới, sáng tạo (NĐ 73/2023)", "Innovative and bold proposals (Decree 73/2023)"))
        body += HTML.el(
            "div", [("class", "grid")], stat("record-proposals-made", lang.t("Đề xuất trong đơn vị", "Proposals made"), proposals.made),
            stat("record-proposals-approved", lang.t("Được chấp thuận", "Approved"), proposals.approved),
            stat("record-proposals-declined", lang.t("Không chấp thuận", "Declined"), proposals.declined),
            stat("record-proposals-awaiting", lang.t("Chờ quyết định", "Awaiting decision"), proposals.awaiting),
            stat("record-proposals-cases", lang.t("Hồ sơ thực hiện theo đề xuất", "Cases acted on under them"), proposals.casesActedUnder),
            stat("record-proposals-protected", lang.t("Phát hiện được bảo vệ", "Findings protected"), proposals.protectedFindings))
        body += HTML.el("p", [], HTML.el("a", [("href", "/proposals")], text: lang.t("Sổ đề xuất", "The proposals register")))
        // The good counted next to the faults: what the unit's officials did well (as of the last survey).
        let goodWork = GoodWorkView(layout: l)
        let unitOfficials = org.officials.values.filter { units.contains($0.unit) }.map(\.id)
        body += HTML.el("h2", text: lang.t("Việc làm tốt trong đơn vị", "Good work in the unit"))
        body += goodWork.deeds(state.live.goodWork.deeds(of: unitOfficials), id: "record-good-work")
        body += goodWork.scheme()
        body += HTML.el("h2", text: lang.t("Việc người đứng đầu đã làm", "What the head did"))
        body += HTML.el(
            "div", [("class", "grid")], stat("record-reviewed", lang.t("Phát hiện đã kết luận", "Findings reviewed"), own.reviewedByHead),
            stat("record-decided", lang.t("Quyết định xử lý đã ban hành", "Consequences decided"), own.decidedByHead),
            stat("record-proposals-decided", lang.t("Đề xuất đã quyết định", "Proposals decided"), proposals.decidedByHead))
        // The heads below, for a superior to compare.
        let below = org.children(of: head.unit).compactMap { unit in org.accountableHead(of: unit.id).map { (unit, $0) } }
        if !below.isEmpty {
            var rows: [HTML] = []
            for (unit, subHead) in below {
                let t = try await tally(subHead, unit.id)
                let link = "/record?head=\(Paths.segment(subHead.rawValue))&from=\(from)&to=\(to)"
                rows.append(
                    HTML.el(
                        "tr", [("data-head", subHead.rawValue)],
                        HTML.el("td", [], HTML.el("a", [("href", link)], text: l.officialName(subHead))), HTML.el("td", text: l.unitName(unit.id)),
                        HTML.el("td", text: String(t.upheld)), HTML.el("td", text: String(t.awaiting)),
                        HTML.el("td", text: String(t.remediationOnTime)), HTML.el("td", text: String(t.remediationLate)),
                        HTML.el("td", text: String(t.reviewedByHead))))
            }
            body += HTML.el("h2", text: lang.t("Người đứng đầu các đơn vị trực thuộc", "Heads of the units below"))
            body += HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "record-below")],
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [],
                            children: [
                                lang.t("Người đứng đầu", "Head"), lang.t("Đơn vị", "Unit"), lang.t("Giữ nguyên", "Upheld"),
                                lang.t("Chờ xử lý", "Awaiting"),
                                lang.t("Khắc phục đúng hạn", "Remediated on time"), lang.t("Khắc phục trễ", "Remediation late"),
                                lang.t("Đã kết luận", "Reviewed"),
                            ].map { HTML.el("th", [("scope", "col")], text: $0) })),
                    HTML.el("tbody", [], children: rows)))
        }
        return l.page(lang.t("Trách nhiệm người đứng đầu", "The head's record"), request: request, body)
    }
}
