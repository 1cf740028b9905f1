import BuckStopAPI
import BuckStopAnalysis
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Hummingbird

/// Intake, the case page with its timeline and action forms, and the finding workflow pages.
struct CasePages {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/cases/new") { request, context in try await intakeForm(request, context) }
        router.post("/cases") { request, context in try await intake(request, context) }
        router.get("/cases/:code/receipt") { request, context in try await receipt(request, context) }
        router.get("/cases/:code") { request, context in try await casePage(request, context) }
        router.post("/cases/:code/actions") { request, context in try await act(request, context) }
        router.post("/cases/:code/reveal") { request, context in try await revealIdentity(request, context) }
        router.get("/findings/:id") { request, context in try await findingPage(request, context) }
        router.post("/findings/:id/explain") { request, context in try await findingStep(request, context, explain: true) }
        router.post("/findings/:id/review") { request, context in try await findingStep(request, context, explain: false) }
        router.post("/findings/:id/consequence") { request, context in try await consequenceStep(request, context, remediationDone: false) }
        router.post("/findings/:id/remediation") { request, context in try await consequenceStep(request, context, remediationDone: true) }
    }

    func layout(_ request: Request, _ context: AppRequestContext) -> Layout {
        Layout(state: state, context: context, path: request.uri.path)
    }

    func caseID(_ context: AppRequestContext) throws -> CaseID {
        guard let raw = context.parameters.get("code") else {
            throw RequestRefusal.invalid(Bilingual("Thiếu mã hồ sơ", "no case code"), field: "code")
        }
        return CaseID(raw.removingPercentEncoding ?? raw)
    }

    // MARK: - Case page

    /// The case page; after a refused action, with the refusal and what was typed kept in that action's form (422).
    func casePage(_ request: Request, _ context: AppRequestContext, kept: KeptForm? = nil, refusal: Flash? = nil) async throws -> Response {
        let me = try Guard.official(context, path: request.uri.path)
        let code = try caseID(context)
        let lang = context.language
        let (found, history, findings) = try await state.store.casePage(code, findings: FindingQuery(caseID: code, limit: 100))
        guard let c = found else { throw RequestRefusal.notFound(Bilingual("Không có hồ sơ \(code)", "No case \(code)")) }
        let visibility = Visibility(official: me, organization: state.organization)
        guard visibility.canSee(c) || visibility.handled(history) else {
            throw RequestRefusal.forbidden(Bilingual("Hồ sơ này không thuộc phạm vi của bạn.", "This case is outside your remit."))
        }
        // After a refused action the address is the form's target; links (the language switch) go to the case itself.
        let l = Layout(state: state, context: context, path: kept == nil ? request.uri.path : "/cases/" + Paths.segment(code.rawValue))
        var body = HTML.el(
            "section", [("class", "card")],
            HTML.el(
                "dl", [("class", "kv")],
                HTML.el("dt", text: lang.t("Tiêu đề", "Title")), HTML.el("dd", text: c.title),
                HTML.el("dt", text: lang.t("Loại", "Kind")),
                HTML.el("dd", text: l.kindName(c.kind) + (Self.procedureText(c, lang).map { " · \($0)" } ?? "")),
                HTML.el("dt", text: lang.t("Trạng thái", "Status")),
                HTML.el("dd", [("id", "case-status"), ("data-status", c.isSuspended ? "suspended" : c.status.rawValue)], text: l.statusName(of: c)),
                HTML.el("dt", text: lang.t("Đơn vị chủ trì", "Lead unit")), HTML.el("dd", text: l.unitName(c.leadUnit)),
                HTML.el("dt", text: lang.t("Người chịu trách nhiệm", "Accountable official")),
                HTML.el(
                    "dd", [("id", "case-owner"), ("data-official", c.owner?.rawValue ?? "")],
                    text: c.owner.map { "\(l.officialName($0)) (\($0.rawValue)) · " + lang.t("từ ", "since ") + Layout.timeText(c.ownerSince) } ?? "—"
                ),
                HTML.el("dt", text: lang.t("Hạn", "Due")), HTML.el("dd", [("id", "case-due")], l.dueBadge(c.dueDate, open: c.status.isOpen))))
        body += duplicateLinks(history, l)
        body += try await programmeDetails(c, history: history, l)
        if !findings.isEmpty {
            body += HTML.el(
                "section", [("id", "case-findings")], HTML.el("h2", text: lang.t("Phát hiện (\(findings.count))", "Findings (\(findings.count))")),
                HTML.join(findings.map { FindingView(layout: l).item($0, showCase: false) }))
        }
        if c.kind == .proposal, let record = ProposalRecord(caseID: c.id, records: history.map { ($0.index, $0.action) }) {
            body += ProposalPages.details(record, l)
        }
        body += HTML.el("h2", text: lang.t("Hành động", "Actions"))
        var forms = ActionForms(layout: l, state: state, me: me, caseState: c, kept: kept)
        if c.kind == .task, let parent = c.parent, let request = try await state.store.caseState(parent) {
            forms.report = try await state.live.reportTemplate(of: request).map { ($0, request.owner) }
        }
        if c.isInspection { forms.inspection = InspectionRecord(caseID: c.id, records: history.map { ($0.index, $0.action) }) }
        // The official's approved proposals, to say this case is acted on under one (once).
        if c.kind != .proposal, c.owner == me.id, !history.contains(where: { $0.action.body.proposalRelied != nil }) {
            forms.proposals = try await ProposalPages(state: state).visibleProposals(to: me).map(\.record).filter {
                $0.isApproved && $0.proposer == me.id
            }
        }
        body += forms.render()
        if c.kind == .denunciation, c.subject != nil, c.owner == me.id { body += revealForm(code, l) }
        body += HTML.el("h2", text: lang.t("Ai giữ hồ sơ, bao lâu", "Who held it, for how long"))
        body += holders(history, l)
        body += HTML.el("h2", text: lang.t("Diễn biến (nhật ký xử lý)", "Timeline (ledger)"))
        body += Timeline(layout: l).table(history)
        return l.page(
            caseHeading(c, lang), flash: refusal, request: request,
            status: refusal == nil ? .ok : .unprocessableContent, body)
    }

    /// Owner periods from the ledger: who held the case, from when, until when.
    func holders(_ history: [LedgerRecord], _ l: Layout) -> HTML {
        var periods: [(OfficialID, Int64, Int64?)] = []
        for r in history where !r.action.body.isFindingWorkflow {
            if let to = r.action.body.newOwner, periods.last?.0 != to {
                if !periods.isEmpty { periods[periods.count - 1].2 = r.action.at }
                periods.append((to, r.action.at, nil))
            } else if r.action.body.endsCase, !periods.isEmpty {
                periods[periods.count - 1].2 = r.action.at
            } else if case .decline = r.action.body, !periods.isEmpty, periods.last?.2 == nil {
                // A decline to another unit moves the case to its head; the next entry shows them acting.
                continue
            }
        }
        let now = LiveLedger.nowMillis()
        let lang = l.lang
        return HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "holders")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", text: lang.t("Cán bộ", "Official")), HTML.el("th", text: lang.t("Từ", "From")),
                        HTML.el("th", text: lang.t("Đến", "Until")), HTML.el("th", text: lang.t("Thời gian giữ", "Held for")))),
                HTML.el(
                    "tbody", [],
                    children: periods.map { who, from, to in
                        HTML.el(
                            "tr", [("data-official", who.rawValue)], HTML.el("td", text: "\(l.officialName(who)) (\(who.rawValue))"),
                            HTML.el("td", text: Layout.timeText(from)), HTML.el("td", text: to.map(Layout.timeText) ?? lang.t("đang giữ", "now")),
                            HTML.el("td", text: l.duration((to ?? now) - from)))
                    })))
    }

    // MARK: - The denouncer's identity

    /// For the official handling a denunciation: the way to open the sealed identity, saying that it is recorded.
    func revealForm(_ code: CaseID, _ l: Layout) -> HTML {
        let lang = l.lang
        return HTML.el(
            "form",
            [("id", "reveal-form"), ("class", "card"), ("method", "post"), ("action", "/cases/" + Paths.segment(code.rawValue) + "/reveal")],
            l.csrfField(),
            HTML.el("h3", text: lang.t("Danh tính người tố cáo", "The denouncer's identity")),
            HTML.el(
                "p", [("class", "muted")],
                text: lang.t(
                    "Được giữ bí mật (Luật Tố cáo 2018 Đ.47). Chỉ người đang giải quyết xem được; mỗi lần xem được ghi vào nhật ký xử lý cùng lý do.",
                    "Kept confidential (Law on Denunciations 2018 Art. 47). Only the official handling it may look; each look is recorded on the ledger with its reason."
                )),
            HTML.el("label", [("for", "reveal-reason")], text: lang.t("Lý do cần xem", "Why you need it")),
            HTML.el("input", [("id", "reveal-reason"), ("name", "reason"), ("required", "required"), ("maxlength", "500")]),
            HTML.el("button", [("type", "submit"), ("class", "secondary")], text: lang.t("Xem danh tính", "Reveal")))
    }

    /// Opens the sealed identity of a denunciation's denouncer for the official who holds it: the reveal is appended to
    /// the ledger first (the domain checks who may, and that there is a reason), and only then is the record read and
    /// shown — on this response alone, never cached, never logged, never in the API or an export.
    func revealIdentity(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (me, code, form, current) = try await postedToCase(request, context)
        let lang = context.language
        // The domain refuses anyone but the holder; saying so here keeps a stranger from learning more than "no".
        guard current.owner == me.id else {
            throw RequestRefusal.forbidden(
                Bilingual(
                    "Chỉ người đang giải quyết đơn tố cáo mới được xem danh tính người tố cáo.",
                    "Only the official handling the denunciation may see the denouncer's identity."))
        }
        let outcome: AppendOutcome
        do {
            outcome = try await state.live.append(
                Action(
                    caseID: code, actor: .official(me.id), at: LiveLedger.nowMillis(), body: .revealIdentity(reason: form["reason"] ?? ""),
                    via: try Guard.credential(context)), serverTime: true, resumeOn: EventLoopWake.current())
        } catch {
            return try await casePage(request, context, kept: nil, refusal: try Problem.flash(error, lang))
        }
        let l = layout(request, context)
        var rows: [HTML] = []
        if let ref = current.subject?.ref {
            do {
                if let person = try await state.store.personalData(ref: ref) {
                    rows.append(
                        HTML.el("dt", text: lang.t("Họ và tên", "Full name")) + HTML.el("dd", [("id", "denouncer-name")], text: person.fullName))
                    if let phone = person.phone, !phone.isEmpty {
                        rows.append(HTML.el("dt", text: lang.t("Số điện thoại", "Phone")) + HTML.el("dd", text: phone))
                    }
                    if let address = person.address, !address.isEmpty {
                        rows.append(HTML.el("dt", text: lang.t("Địa chỉ", "Address")) + HTML.el("dd", text: address))
                    }
                }
            } catch StoreError.personalDataErased {
                rows.append(HTML.el("dd", text: lang.t("Dữ liệu cá nhân đã bị xóa theo yêu cầu.", "The personal data was erased.")))
            }
        }
        var response = l.page(
            lang.t("Danh tính người tố cáo — \(code.rawValue)", "Denouncer's identity — \(code.rawValue)"), request: request,
            HTML.el(
                "section", [("class", "card"), ("id", "denouncer")],
                HTML.el(
                    "p", [("class", "muted")],
                    text: lang.t(
                        "Lần xem này đã được ghi vào nhật ký xử lý (mục #\(outcome.receipt.index)). Không chia sẻ thông tin này.",
                        "This look is on the ledger (entry #\(outcome.receipt.index)). Do not share what it shows.")),
                HTML.el("dl", [("class", "kv")], children: rows.isEmpty ? [HTML.el("dd", text: "—")] : rows),
                HTML.el("p", [], HTML.el("a", [("href", "/cases/" + Paths.segment(code.rawValue))], text: lang.t("← Về hồ sơ", "← Back to the case")))
            ))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: - Acting

    /// What every form posted to a case starts with: a signed-in official, a form with its CSRF token, the case as it is.
    func postedToCase(_ request: Request, _ context: AppRequestContext) async throws -> (Official, CaseID, FormFields, CaseState) {
        let me = try Guard.official(context, path: request.uri.path)
        let code = try caseID(context)
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        guard let current = try await state.store.caseState(code) else {
            throw RequestRefusal.notFound(Bilingual("Không có hồ sơ \(code)", "No case \(code)"))
        }
        return (me, code, form, current)
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (me, code, form, current) = try await postedToCase(request, context)
        let lang = context.language
        let back = "/cases/" + Paths.segment(code.rawValue)
        let visibility = Visibility(official: me, organization: state.organization)
        let handled = try await visibility.handled(state.store.history(of: code))
        guard visibility.canSee(current) || handled else {
            throw RequestRefusal.forbidden(Bilingual("Hồ sơ này không thuộc phạm vi của bạn.", "This case is outside your remit."))
        }
        var input = ActionInput(type: form["type"] ?? "")
        for (k, v) in form.values where k != "_csrf" && k != "type" {
            if k == "units" {
                input.lists[k] = v.filter { !$0.isEmpty }
            } else if k.hasPrefix(ActionForms.figurePrefix), let value = v.first {
                // One field per figure of a report request's template (`ActionForms.reportForm`).
                input.lists["figures", default: []].append(k.dropFirst(ActionForms.figurePrefix.count) + "=" + value)
            } else {
                input.strings[k] = v.first
            }
        }
        do {
            let body = try input.body()
            let outcome = try await state.live.append(
                Action(caseID: code, actor: .official(me.id), at: LiveLedger.nowMillis(), body: body, via: try Guard.credential(context)),
                serverTime: true,
                resumeOn: EventLoopWake.current())
            var message = lang.t(
                "Đã ghi: \(ActionType(rawValue: input.type)?.nameVi ?? input.type) (mục nhật ký #\(outcome.receipt.index)).",
                "Recorded: \(input.type) (ledger entry #\(outcome.receipt.index)).")
            if !outcome.findings.isEmpty {
                message += lang.t(" Phát sinh \(outcome.findings.count) phát hiện.", " \(outcome.findings.count) new finding(s).")
            }
            return state.redirect(back, flash: Flash(message))
        } catch {
            // Shown at once, not after a redirect: the form comes back with what was typed.
            return try await casePage(request, context, kept: KeptForm(type: input.type, values: form), refusal: try Problem.flash(error, lang))
        }
    }

    // MARK: - Findings

    func findingPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let me = try Guard.official(context, path: request.uri.path)
        let lang = context.language
        guard let id = context.parameters.get("id"), let f = try await state.store.finding(id: id) else {
            throw RequestRefusal.notFound(Bilingual("Không có phát hiện này", "No such finding"))
        }
        let visibility = Visibility(official: me, organization: state.organization)
        let mayReview =
            (me.roles.contains(.inspector)
                || (me.roles.contains(.head) && f.finding.unit.map { state.organization.isWithin($0, subtreeOf: me.unit) } == true))
            && me.id != f.finding.official
        guard f.finding.official == me.id || mayReview || visibility.seesEverything else {
            throw RequestRefusal.forbidden(Bilingual("Phát hiện này không thuộc phạm vi của bạn.", "This finding is outside your remit."))
        }
        let l = layout(request, context)
        let view = FindingView(layout: l)
        var body = view.item(f)
        let detector = DetectorID(rawValue: f.finding.detector)
        func unit(_ amount: String) -> String { detector.map { Explanation.unit($0, vietnamese: lang == .vi, one: amount == "1") } ?? "" }
        body += HTML.el(
            "dl", [("class", "kv card")],
            HTML.el("dt", text: lang.t("Quy tắc", "Rule")),
            HTML.el("dd", [("id", "finding-rule")], text: detector.map { Explanation.rule($0, vietnamese: lang == .vi) } ?? f.finding.detector),
            HTML.el("dt", text: lang.t("Giá trị đo so với ngưỡng", "Measured against the limit")),
            HTML.el(
                "dd", [("id", "finding-measure"), ("data-value", f.value), ("data-limit", f.limit)],
                text: "\(f.value) \(unit(f.value)) — " + lang.t("ngưỡng ", "limit ") + "\(f.limit) \(unit(f.limit))"),
            HTML.el("dt", text: lang.t("Người đứng đầu chịu trách nhiệm", "Accountable head")), HTML.el("dd", text: l.officialName(f.finding.head)),
            HTML.el("dt", text: lang.t("Ghi vào nhật ký", "On the ledger")),
            HTML.el("dd", text: "#\(f.raisedIndex) · \(Layout.timeText(f.raisedAt))"),
            HTML.el("dt", text: lang.t("Kết luận", "Review")),
            HTML.el("dd", text: f.reviewer.map { "\(l.officialName($0)): \(f.reviewNote ?? "")" } ?? "—"),
            HTML.el("dt", text: lang.t("Nguyên nhân", "Cause")),
            HTML.el("dd", [("id", "finding-cause"), ("data-cause", f.finding.cause)], text: f.finding.cause.map { l.causeName($0) } ?? "—"),
            HTML.el("dt", text: lang.t("Bảo vệ cán bộ (NĐ 73/2023)", "Protection (Decree 73/2023)")),
            HTML.el(
                "dd", [("id", "finding-protection"), ("data-proposal", f.finding.protectedBy?.rawValue)],
                text: f.finding.protectedBy.map {
                    lang.t(
                        "Được bảo vệ theo đề xuất \($0.rawValue): không xử lý kỷ luật, không chuyển cơ quan điều tra",
                        "Protected under proposal \($0.rawValue): no discipline, no referral")
                } ?? "—"))
        // What the official did well, beside what was found: a page about a person is never only their faults.
        if let official = f.finding.official {
            body += HTML.el(
                "section", [("class", "card"), ("aria-labelledby", "finding-good-work-title")],
                HTML.el(
                    "h2", [("id", "finding-good-work-title")],
                    text: lang.t("Việc làm tốt của \(l.officialName(official))", "What \(l.officialName(official)) did well")),
                GoodWorkView(layout: l).deeds(state.live.goodWork.deeds(of: [official]), id: "finding-good-work"))
        }
        // The evidence as the case's own timeline rows — who did what, when, and the reason they wrote — not bare numbers.
        let evidence = Set(f.finding.evidence)
        let history = try await state.store.history(of: f.finding.caseID)
        let rows = history.filter { evidence.contains($0.index) }
        body += HTML.el("h2", text: lang.t("Bằng chứng trong nhật ký xử lý", "Evidence in the case's ledger"))
        body += HTML.el(
            "section", [("id", "finding-evidence")], Timeline(layout: l).table(rows),
            HTML.el(
                "p", [("class", "muted")],
                HTML.text(lang.t("Toàn bộ diễn biến: ", "The whole timeline: ")),
                HTML.el(
                    "a", [("class", "case-link"), ("href", "/cases/" + Paths.segment(f.finding.caseID.rawValue))], text: f.finding.caseID.rawValue)))
        let csrf = l.csrfField()
        let action = "/findings/" + Paths.segment(f.finding.id)
        if f.finding.official == me.id && f.finding.status == .open {
            body += HTML.el(
                "form", [("id", "explain-form"), ("class", "card"), ("method", "post"), ("action", action + "/explain")], csrf,
                HTML.el("label", [("for", "explain-text")], text: lang.t("Giải trình của tôi", "My explanation")),
                HTML.el("textarea", [("id", "explain-text"), ("name", "text"), ("required", "required")], text: ""),
                HTML.el("button", [("type", "submit")], text: lang.t("Gửi giải trình", "Send explanation")))
        }
        if mayReview && (f.finding.status == .open || f.finding.status == .explained) {
            // A finding about what the official did under their approved proposal is reviewed against the decree's criteria.
            var relied: ProposalRecord?
            if let id = history.lazy.compactMap({ $0.action.body.proposalRelied }).first, let record = try await state.live.proposal(id),
                record.proposer == f.finding.official
            {
                relied = record
            }
            body += HTML.el(
                "form", [("id", "review-form"), ("class", "card"), ("method", "post"), ("action", action + "/review")], csrf,
                relied.map { protectionFieldset($0, layout: l) } ?? HTML.text(""),
                HTML.el("label", [("for", "review-note")], text: lang.t("Nhận xét", "Note")),
                HTML.el("textarea", [("id", "review-note"), ("name", "note")], text: ""),
                // Upholding names the cause (rulebook data), so causes can be counted by unit rather than read in notes.
                HTML.el("label", [("for", "review-cause")], text: lang.t("Nguyên nhân (khi giữ nguyên)", "Cause (when upheld)")),
                HTML.el(
                    "select", [("id", "review-cause"), ("name", "cause")],
                    children: [HTML.el("option", [("value", "")], text: "—")]
                        + state.live.rulebook.findingCauses.map { HTML.el("option", [("value", $0.code)], text: lang.t($0.nameVi, $0.nameEn)) }),
                HTML.el("button", [("type", "submit"), ("name", "uphold"), ("value", "true")], text: lang.t("Giữ nguyên phát hiện", "Uphold")),
                HTML.text(" "),
                HTML.el(
                    "button", [("type", "submit"), ("name", "uphold"), ("value", "false"), ("class", "secondary")], text: lang.t("Bác bỏ", "Dismiss"))
            )
        }
        if f.finding.status == .upheld || !f.finding.consequences.decided.isEmpty {
            body += try await consequences(f, history: history, me: me, mayReview: mayReview, layout: l)
        }
        return l.page(lang.t("Phát hiện \(f.finding.id)", "Finding \(f.finding.id)"), request: request, body)
    }

    func findingStep(_ request: Request, _ context: AppRequestContext, explain: Bool) async throws -> Response {
        try await findingWorkflow(
            request, context,
            done: explain
                ? Bilingual("Đã ghi giải trình vào nhật ký xử lý.", "Explanation recorded on the ledger.")
                : Bilingual("Đã ghi kết luận vào nhật ký xử lý.", "Review recorded on the ledger.")
        ) { form, id in
            explain
                ? .explainFinding(id: id, text: form["text"] ?? "")
                : .reviewFinding(
                    id: id, uphold: form["uphold"] == "true", note: form["note"] ?? "",
                    // The cause select always posts; a dismissal's is not one.
                    cause: form["uphold"] == "true" ? form["cause"].flatMap { $0.isEmpty ? nil : $0 } : nil,
                    protection: try protectionReview(form))
        }
    }

    /// The decree's criteria, each to be answered met or not met, for a finding on a case acted on under `record`.
    func protectionFieldset(_ record: ProposalRecord, layout l: Layout) -> HTML {
        let lang = l.lang
        let rows = state.live.rulebook.protectionCriteria.map { c -> HTML in
            let name = "criterion-" + c.code
            return HTML.el(
                "fieldset", [("class", "criterion"), ("data-criterion", c.code)],
                HTML.el("legend", text: lang.t(c.nameVi, c.nameEn)),
                HTML.el(
                    "label", [], HTML.el("input", [("type", "radio"), ("name", name), ("value", "met"), ("required", "required")]),
                    HTML.text(lang.t(" Đáp ứng", " Met"))),
                HTML.text(" "),
                HTML.el(
                    "label", [], HTML.el("input", [("type", "radio"), ("name", name), ("value", "unmet")]),
                    HTML.text(lang.t(" Không đáp ứng", " Not met"))))
        }
        return HTML.el(
            "fieldset", [("id", "protection"), ("data-proposal", record.caseID.rawValue)],
            HTML.el(
                "legend",
                text: lang.t(
                    "Đánh giá theo NĐ 73/2023: hồ sơ được thực hiện theo đề xuất \(record.caseID.rawValue) đã được chấp thuận",
                    "Assessment under Decree 73/2023: the case was acted on under approved proposal \(record.caseID.rawValue)")),
            HTML.el("input", [("type", "hidden"), ("name", "protectionProposal"), ("value", record.caseID.rawValue)]),
            HTML.join(rows))
    }

    /// The assessment a review form posted, when it showed one: every criterion answered, the unmet listed.
    func protectionReview(_ form: FormFields) throws -> ProtectionReview? {
        guard let proposal = form["protectionProposal"].flatMap({ $0.isEmpty ? nil : CaseID($0) }) else { return nil }
        var unmet: [String] = []
        for c in state.live.rulebook.protectionCriteria {
            switch form["criterion-" + c.code] {
            case "met": continue
            case "unmet": unmet.append(c.code)
            default:
                throw RequestRefusal.invalid(
                    Bilingual("Chưa đánh giá tiêu chí: \(c.nameVi)", "criterion not assessed: \(c.nameEn)"), field: "criterion-" + c.code)
            }
        }
        return ProtectionReview(proposal: proposal, unmet: unmet)
    }

    /// A step of a finding's workflow from its page: the form read and checked, the entry written as the signed-in
    /// official's, back to the page with what was done or why it was refused.
    func findingWorkflow(
        _ request: Request, _ context: AppRequestContext, done: Bilingual, body: (FormFields, String) throws -> ActionBody
    ) async throws -> Response {
        let me = try Guard.official(context, path: request.uri.path)
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        guard let id = context.parameters.get("id"), let f = try await state.store.finding(id: id) else {
            throw RequestRefusal.notFound(Bilingual("Không có phát hiện này", "No such finding"))
        }
        let back = "/findings/" + Paths.segment(id)
        let entry = try body(form, id)
        do {
            _ = try await state.live.appendWorkflow(
                Action(caseID: f.finding.caseID, actor: .official(me.id), at: LiveLedger.nowMillis(), body: entry, via: try Guard.credential(context))
            )
            return state.redirect(back, flash: Flash(lang.t(done.vi, done.en)))
        } catch {
            return state.redirect(back, flash: try Problem.flash(error, lang))
        }
    }

    // MARK: - Form pieces

    func field(_ id: String, _ label: String, _ control: HTML) -> HTML {
        HTML.el("div", [], HTML.el("label", [("for", id)], text: label), control)
    }

    func select(_ name: String, _ options: [(String, String)], selected: String) -> HTML {
        HTML.el(
            "select", [("id", name), ("name", name)],
            children: options.map { value, text in
                HTML.el("option", [("value", value), ("selected", value == selected ? "selected" : nil)], text: text)
            })
    }

    func officialSelect(_ name: String, selected: OfficialID?) -> HTML {
        OfficialOptions(organization: state.organization).select(name: name, id: name, selected: selected, excluding: nil)
    }
}

/// An accessible select of active officials, grouped by unit, limited to those an action can sensibly go to.
struct OfficialOptions {
    let organization: Organization

    /// Who a case may be sent to by an action (the domain still decides).
    enum Scope {
        case everyone
        /// Officials of the same agency (the unit above the divisions) — peers for a transfer.
        case agency(of: OfficialID)
        /// Officials above in the unit chain — an escalation goes up.
        case above(OfficialID)
        /// Officials in the subtree, below in rank — a delegation goes down; a head assigns within it.
        case below(OfficialID)
        case subtree(UnitID)
        /// Heads of the unit and of the units above it — who may decide a proposal made in it.
        case headsOver(UnitID)
    }

    func candidates(_ scope: Scope) -> [Official] {
        let org = organization
        func agency(_ unit: UnitID) -> UnitID { org.body(of: unit) }
        let all = org.officials.values.filter(\.active)
        switch scope {
        case .everyone: return Array(all)
        case .agency(let id):
            guard let me = org.official(id) else { return Array(all) }
            let a = agency(me.unit)
            return all.filter { org.isWithin($0.unit, subtreeOf: a) }
        case .above(let id):
            guard let me = org.official(id) else { return [] }
            let chain = Set(org.chain(from: me.unit))
            let level = org.authorityLevel(of: id)
            return all.filter { chain.contains($0.unit) && org.authorityLevel(of: $0.id) < level }
        case .below(let id):
            guard let me = org.official(id) else { return [] }
            let level = org.authorityLevel(of: id)
            return all.filter { org.isWithin($0.unit, subtreeOf: me.unit) && org.authorityLevel(of: $0.id) > level }
        case .subtree(let unit):
            return all.filter { org.isWithin($0.unit, subtreeOf: unit) }
        case .headsOver(let unit):
            return all.filter { $0.roles.contains(.head) && org.isWithin(unit, subtreeOf: $0.unit) }
        }
    }

    func select(name: String, id: String, selected: OfficialID?, excluding: OfficialID?, scope: Scope = .everyone) -> HTML {
        var byUnit: [UnitID: [Official]] = [:]
        for o in candidates(scope) where o.id != excluding { byUnit[o.unit, default: []].append(o) }
        var groups: [HTML] = []
        for unit in byUnit.keys.sorted(by: { (organization.unit($0)?.name ?? $0.rawValue) < (organization.unit($1)?.name ?? $1.rawValue) }) {
            let people = byUnit[unit]!.sorted { $0.name < $1.name }
            groups.append(
                HTML.el(
                    "optgroup", [("label", organization.unit(unit)?.name ?? unit.rawValue)],
                    children: people.map { o in
                        HTML.el(
                            "option", [("value", o.id.rawValue), ("selected", o.id == selected ? "selected" : nil)],
                            text: "\(o.name) — \(o.position) (\(o.id.rawValue))")
                    }))
        }
        return HTML.el("select", [("id", id), ("name", name)], children: groups)
    }
}

extension CasePages {
    /// A case's procedure as its page names it: a programme's level in words (a plan, an inspection), any other procedure
    /// by its code.
    static func procedureText(_ c: CaseState, _ lang: Language) -> String? {
        guard let procedure = c.procedure else { return nil }
        if c.kind == .programme, let level = PlanLevel(rawValue: procedure) { return ProgrammePages.levelName(level, lang) }
        return procedure
    }
}
