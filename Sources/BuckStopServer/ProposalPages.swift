import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// Đề xuất đổi mới, sáng tạo (NĐ 73/2023): the register of proposals an official sees — theirs, those awaiting their
/// decision, their units' — each with its decision and its outcomes (the cases acted on under it and what was found on
/// them), and the form to register a new one before acting. The proposal itself is a case (`/cases/{code}`), where its
/// authority approves or declines it.
struct ProposalPages {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/proposals") { request, context in try await listPage(request, context) }
        router.post("/proposals") { request, context in try await registerProposal(request, context) }
    }

    /// What came of a proposal: the cases acted on under it and the findings about its proposer on them (pure: the page,
    /// the head's record and their tests share it).
    struct Outcome: Sendable, Equatable {
        var cases = 0
        var casesDone = 0
        var findings = 0
        var upheld = 0
        var protected = 0
        var dismissed = 0

        init() {}

        init(record: ProposalRecord, cases: [CaseState], findings: [Finding]) {
            let applied = Set(record.applied)
            for c in cases where applied.contains(c.id) {
                self.cases += 1
                if c.status == .resolved || c.status == .closed { casesDone += 1 }
            }
            for f in findings where applied.contains(f.caseID) && f.official == record.proposer {
                self.findings += 1
                switch f.status {
                case .upheld: upheld += 1
                case .dismissed: dismissed += 1
                case .open, .explained: break
                }
                if f.protectedBy == record.caseID { protected += 1 }
            }
        }
    }

    /// A head's proposals for a period (pure): those made in their units — approved, declined, awaiting — and what came of
    /// the approved, and those the head decided. The head's record shows it so that daring is counted next to the faults.
    struct Tally: Sendable, Equatable {
        var made = 0
        var approved = 0
        var declined = 0
        var awaiting = 0
        var decidedByHead = 0
        var casesActedUnder = 0
        var protectedFindings = 0

        init() {}

        /// Proposals opened in `from…to` (Vietnam days) in `units`, and those `head` decided in that period wherever made.
        init(_ rows: [(record: ProposalRecord, outcome: Outcome)], head: OfficialID, units: Set<UnitID>, from: CivilDate, to: CivilDate) {
            func inPeriod(_ at: Int64) -> Bool {
                let day = CivilDate(Date(timeIntervalSince1970: Double(at) / 1000))
                return day >= from && day <= to
            }
            for (record, outcome) in rows {
                if let d = record.decision, d.by == head, inPeriod(d.at) { decidedByHead += 1 }
                guard units.contains(record.unit), inPeriod(record.openedAt) else { continue }
                made += 1
                switch record.decision?.approved {
                case true?: approved += 1
                case false?: declined += 1
                case nil: awaiting += 1
                }
                casesActedUnder += outcome.cases
                protectedFindings += outcome.protected
            }
        }
    }

    /// Every proposal the official may see, newest first, with its outcome.
    func visibleProposals(to me: Official) async throws -> [(record: ProposalRecord, outcome: Outcome)] {
        let visibility = Visibility(official: me, organization: state.organization)
        let cases = try await state.store.cases(
            kind: .proposal, procedure: .any, openedFrom: 0, openedBefore: Int64.max, statuses: nil, limit: 1000)
        var out: [(ProposalRecord, Outcome)] = []
        for c in cases {
            guard let record = try await state.live.proposal(c.id) else { continue }
            guard visibility.canSee(c) || record.proposer == me.id || record.authority == me.id || record.decision?.by == me.id else { continue }
            out.append((record, try await outcome(of: record)))
        }
        return out
    }

    func outcome(of record: ProposalRecord) async throws -> Outcome {
        guard !record.applied.isEmpty else { return Outcome() }
        var cases: [CaseState] = []
        var findings: [Finding] = []
        for id in record.applied {
            if let c = try await state.store.caseState(id) { cases.append(c) }
            findings += try await state.store.findings(FindingQuery(caseID: id, limit: 100)).findings.map(\.finding)
        }
        return Outcome(record: record, cases: cases, findings: findings)
    }

    func listPage(_ request: Request, _ context: AppRequestContext, values: FormFields? = nil, refusal: Flash? = nil) async throws -> Response {
        let me = try Guard.official(context, path: "/proposals")
        let l = Layout(state: state, context: context, path: "/proposals")
        let lang = context.language
        let all = try await visibleProposals(to: me)
        var body = HTML.el(
            "p", [("class", "muted")],
            text: lang.t(
                "Theo Nghị định 73/2023/NĐ-CP, cán bộ đăng ký đề xuất đổi mới, sáng tạo trước khi thực hiện; quyết định chấp thuận "
                    + "được ghi vào nhật ký không sửa được và là căn cứ bảo vệ cán bộ khi có phát hiện về việc đã làm theo đề xuất.",
                "Under Decree 73/2023, an official registers an innovative or bold proposal before acting; the approval is written on "
                    + "the tamper-evident ledger and is what protects them when a finding is later raised about what they did under it."))
        let awaiting = all.filter { $0.record.decision == nil && $0.record.authority == me.id }
        let mine = all.filter { $0.record.proposer == me.id }
        let others = all.filter { $0.record.proposer != me.id && !($0.record.decision == nil && $0.record.authority == me.id) }
        body += section("proposals-awaiting", lang.t("Chờ tôi quyết định", "Awaiting my decision"), awaiting, l)
        body += section("proposals-mine", lang.t("Đề xuất của tôi", "My proposals"), mine, l)
        body += section("proposals-units", lang.t("Đề xuất trong phạm vi phụ trách", "Proposals in my remit"), others, l)
        body += registerForm(me: me, values: values ?? FormFields(""), l)
        return l.page(
            lang.t("Đề xuất đổi mới, sáng tạo", "Innovative and bold proposals"), flash: refusal, request: request,
            status: refusal == nil ? .ok : .unprocessableContent, body)
    }

    private func section(_ id: String, _ title: String, _ rows: [(record: ProposalRecord, outcome: Outcome)], _ l: Layout) -> HTML {
        let lang = l.lang
        var out = HTML.el("h2", text: title)
        guard !rows.isEmpty else {
            return out + HTML.el("p", [("class", "muted"), ("id", id + "-none")], text: lang.t("Không có.", "None."))
        }
        out += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", id)],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Mã", "Code")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Đề xuất", "Proposal")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Người đề xuất", "Proposer")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Người quyết định", "Authority")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Quyết định", "Decision")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Kết quả thực hiện", "Outcome")))),
                HTML.el(
                    "tbody", [],
                    children: rows.map { record, outcome in
                        HTML.el(
                            "tr", [("class", "proposal"), ("data-case", record.caseID.rawValue), ("data-decision", Self.decisionKey(record))],
                            HTML.el(
                                "td", [],
                                HTML.el(
                                    "a", [("class", "case-link"), ("href", "/cases/" + Paths.segment(record.caseID.rawValue))],
                                    text: record.caseID.rawValue)),
                            HTML.el("td", text: record.title), HTML.el("td", text: l.officialName(record.proposer)),
                            HTML.el("td", text: l.officialName(record.decision?.by ?? record.authority)),
                            HTML.el("td", text: Self.decisionText(record, lang)),
                            HTML.el("td", [("class", "proposal-outcome")], text: Self.outcomeText(outcome, lang)))
                    })))
        return out
    }

    static func decisionKey(_ record: ProposalRecord) -> String {
        record.decision.map { $0.approved ? "approved" : "declined" } ?? "awaiting"
    }

    static func decisionText(_ record: ProposalRecord, _ lang: Language) -> String {
        guard let d = record.decision else { return lang.t("Chờ quyết định", "Awaiting decision") }
        return (d.approved ? lang.t("Chấp thuận", "Approved") : lang.t("Không chấp thuận", "Declined")) + " · "
            + Layout.timeText(d.at) + (d.note.isEmpty ? "" : " — \(d.note)")
    }

    static func outcomeText(_ o: Outcome, _ lang: Language) -> String {
        guard o.cases > 0 else { return "—" }
        return lang.t(
            "\(o.cases) hồ sơ thực hiện theo đề xuất (\(o.casesDone) đã giải quyết); \(o.findings) phát hiện, \(o.upheld) giữ nguyên, "
                + "\(o.protected) được bảo vệ",
            "\(o.cases) case(s) acted on under it (\(o.casesDone) resolved); \(o.findings) finding(s), \(o.upheld) upheld, \(o.protected) protected")
    }

    private func registerForm(me: Official, values: FormFields, _ l: Layout) -> HTML {
        let lang = l.lang
        func area(_ name: String, _ vi: String, _ en: String) -> HTML {
            let id = "proposal-" + name
            return HTML.el(
                "div", [], HTML.el("label", [("for", id)], text: lang.t(vi, en) + " *"),
                HTML.el("textarea", [("id", id), ("name", name), ("required", "required")], text: values[name] ?? ""))
        }
        let authorities = OfficialOptions(organization: state.organization).select(
            name: "authority", id: "proposal-authority", selected: values["authority"].map(OfficialID.init(rawValue:)), excluding: me.id,
            scope: .headsOver(me.unit))
        return HTML.el("h2", text: lang.t("Đăng ký đề xuất mới", "Register a proposal"))
            + HTML.el(
                "form", [("id", "proposal-form"), ("class", "card"), ("method", "post"), ("action", "/proposals")], l.csrfField(),
                HTML.el(
                    "div", [], HTML.el("label", [("for", "proposal-title")], text: lang.t("Tên đề xuất", "Title") + " *"),
                    HTML.el("input", [("id", "proposal-title"), ("name", "title"), ("required", "required"), ("value", values["title"])])),
                area("problem", "Vấn đề, vướng mắc", "The problem"), area("action", "Giải pháp đề xuất", "The proposed action"),
                area("basis", "Căn cứ pháp lý hoặc khoảng trống quy định", "Legal basis, or the gap in the rules"),
                area("benefit", "Hiệu quả dự kiến", "Expected benefit"), area("risks", "Rủi ro và biện pháp phòng ngừa", "Risks and safeguards"),
                HTML.el(
                    "div", [],
                    HTML.el("label", [("for", "proposal-authority")], text: lang.t("Người có thẩm quyền quyết định", "Deciding authority") + " *"),
                    authorities),
                HTML.el("button", [("type", "submit")], text: lang.t("Gửi đề xuất", "Send the proposal")))
    }

    func registerProposal(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: "/proposals")
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let proposal = BoldProposal(
            problem: form["problem"] ?? "", action: form["action"] ?? "", basis: form["basis"] ?? "", benefit: form["benefit"] ?? "",
            risks: form["risks"] ?? "")
        let open = OpenCase(
            kind: .proposal, title: (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), leadUnit: me.unit,
            owner: OfficialID(form["authority"] ?? ""), proposal: proposal)
        do {
            let outcome = try await state.live.open(
                open, actor: .official(me.id), at: LiveLedger.nowMillis(), personalData: nil, via: try Guard.credential(context))
            return state.redirect(
                "/cases/" + Paths.segment(outcome.receipt.caseID.rawValue),
                flash: Flash(lang.t("Đã ghi đề xuất vào nhật ký xử lý.", "Proposal recorded on the ledger.")))
        } catch {
            return try await listPage(request, context, values: form, refusal: try Problem.flash(error, lang))
        }
    }

    /// A proposal's own content, on its case page.
    static func details(_ record: ProposalRecord, _ l: Layout) -> HTML {
        let lang = l.lang
        let p = record.proposal
        return HTML.el(
            "section", [("class", "card"), ("id", "proposal"), ("data-decision", decisionKey(record))],
            HTML.el("h2", text: lang.t("Đề xuất đổi mới, sáng tạo (NĐ 73/2023)", "Innovative or bold proposal (Decree 73/2023)")),
            HTML.el(
                "dl", [("class", "kv")],
                HTML.el("dt", text: lang.t("Người đề xuất", "Proposer")), HTML.el("dd", text: l.officialName(record.proposer)),
                HTML.el("dt", text: lang.t("Vấn đề", "Problem")), HTML.el("dd", text: p.problem),
                HTML.el("dt", text: lang.t("Giải pháp", "Action")), HTML.el("dd", text: p.action),
                HTML.el("dt", text: lang.t("Căn cứ hoặc khoảng trống", "Basis or gap")), HTML.el("dd", text: p.basis),
                HTML.el("dt", text: lang.t("Hiệu quả dự kiến", "Expected benefit")), HTML.el("dd", text: p.benefit),
                HTML.el("dt", text: lang.t("Rủi ro", "Risks")), HTML.el("dd", text: p.risks),
                HTML.el("dt", text: lang.t("Quyết định", "Decision")),
                HTML.el("dd", [("id", "proposal-decision")], text: decisionText(record, lang)),
                HTML.el("dt", text: lang.t("Hồ sơ thực hiện theo đề xuất", "Cases acted on under it")),
                HTML.el(
                    "dd", [("id", "proposal-applied")],
                    record.applied.isEmpty
                        ? HTML.text("—")
                        : HTML.join(
                            record.applied.map {
                                HTML.el("a", [("class", "case-link"), ("href", "/cases/" + Paths.segment($0.rawValue))], text: $0.rawValue)
                                    + HTML.text(" ")
                            }))))
    }

    /// A review's assessment against the decree's criteria, in words.
    static func protectionText(_ review: ProtectionReview, layout l: Layout) -> String {
        let lang = l.lang
        if review.isProtected {
            return lang.t(
                " — được bảo vệ theo đề xuất \(review.proposal.rawValue) (đáp ứng mọi tiêu chí NĐ 73/2023)",
                " — protected under proposal \(review.proposal.rawValue) (every criterion of Decree 73/2023 held)")
        }
        let unmet = review.unmet.map { l.criterionName($0) }.joined(separator: "; ")
        return lang.t(
            " — không được bảo vệ theo đề xuất \(review.proposal.rawValue), chưa đáp ứng: \(unmet)",
            " — not protected under proposal \(review.proposal.rawValue), not met: \(unmet)")
    }
}

extension Layout {
    /// A protection criterion's name from the rulebook, or its code when the rulebook no longer has it.
    func criterionName(_ code: String) -> String {
        guard let c = state.live.rulebook.protectionCriterion(code) else { return code }
        return lang.t(c.nameVi, c.nameEn)
    }
}
