import BuckStopAPI
import BuckStopDomain
import BuckStopStore

/// The ledger entries of a case as a table, and one line per entry in the page language.
struct Timeline {
    let layout: Layout
    var lang: Language { layout.lang }

    func table(_ history: [LedgerRecord]) -> HTML {
        let generation = layout.state.live.modelGeneration
        return HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "timeline")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", [("scope", "col")], text: "#"), HTML.el("th", [("scope", "col")], text: lang.t("Thời gian", "Time")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Người thực hiện", "By")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Hành động", "Action")),
                        HTML.el("th", [("scope", "col")], text: lang.t("Nội dung", "Details")),
                        HTML.el("th", [("scope", "col"), ("class", "optional")], text: lang.t("Mã băm", "Leaf hash")))),
                HTML.el("tbody", [], children: history.map { row($0, generation: generation) })))
    }

    /// One entry's row; entries never change, so the row is rendered once per language and organisation.
    func row(_ r: LedgerRecord, generation: Int) -> HTML {
        layout.state.timelineRows.html(TimelineRowKey(index: r.index, language: lang, organization: generation)) {
            HTML.el(
                "tr", [("class", "entry"), ("data-type", r.action.body.type.rawValue), ("data-index", String(r.index))],
                HTML.el("td", text: String(r.index)), HTML.el("td", text: Layout.timeText(r.action.at)),
                HTML.el("td", text: layout.actor(r.action.actor)), HTML.el("td", text: layout.actionName(r.action.body.type)),
                HTML.el("td", text: summary(r.action.body)),
                HTML.el("td", [("class", "optional mono")], text: String(r.leafHash.hex.prefix(12)) + "…"))
        }
    }

    /// One line about an action, for officials (citizens see `CitizenTimeline`).
    func summary(_ body: ActionBody) -> String {
        let name = layout.officialName
        switch body {
        case .open(let o):
            return lang.t("giao \(name(o.owner)); hạn \(Layout.dateText(o.dueDate))", "to \(name(o.owner)); due \(Layout.dateText(o.dueDate))")
        case .assign(let to, let note): return "→ \(name(to))" + (note.isEmpty ? "" : ": \(note)")
        case .accept(let note, let due):
            guard let due else { return note }
            return [note, lang.t("thụ lý; hạn giải quyết \(Layout.dateText(due))", "accepted; due \(Layout.dateText(due))")].filter { !$0.isEmpty }
                .joined(separator: " — ")
        case .transfer(let to, let reason): return "→ \(name(to)): \(reason)"
        case .escalate(let to, let proposal): return "→ \(name(to)); " + lang.t("đề xuất: ", "proposal: ") + proposal
        case .delegate(let to, let instruction): return "→ \(name(to)): \(instruction)"
        case .consult(let units, let question, let due):
            return units.map { layout.unitName($0) }.joined(separator: ", ")
                + lang.t(" trước \(Layout.dateText(due)): ", " by \(Layout.dateText(due)): ") + question
        case .opinion(let unit, let text): return "\(layout.unitName(unit)): \(text)"
        case .requestSupplement(let missing): return lang.t("thiếu: ", "missing: ") + missing.joined(separator: "; ")
        case .supplementReceived(let note, let due): return note + (due.map { lang.t(" — hạn mới ", " — new due ") + Layout.dateText($0) } ?? "")
        case .reschedule(let due, let apology): return lang.t("hẹn lại \(Layout.dateText(due)): ", "new date \(Layout.dateText(due)): ") + apology
        case .extend(let due, let basis):
            return lang.t("gia hạn đến \(Layout.dateText(due)) (\(basis))", "extended to \(Layout.dateText(due)) (\(basis))")
        case .suspend(let basis, let reason): return "\(reason) (\(basis))"
        case .resume(let note, let due):
            return [note, due.map { lang.t("hạn mới \(Layout.dateText($0))", "new due date \(Layout.dateText($0))") } ?? ""].filter { !$0.isEmpty }
                .joined(separator: " — ")
        case .decline(let basis, let unit, let reason, _):
            return "\(reason) — " + lang.t("thẩm quyền: ", "competent: ") + "\(layout.unitName(UnitID(unit))) (\(basis))"
        case .decide(let decision, let rationale): return "\(decision) — \(rationale)"
        case .resolve(let result): return result
        case .close(let outcome): return outcome
        case .reopen(let to, let reason): return "→ \(name(to)): \(reason)"
        case .comment(let text): return text
        case .rate(let score, let comment): return "\(score)/5" + (comment.isEmpty ? "" : " — \(comment)")
        case .raiseFinding(let f):
            let detector = FindingView(layout: layout).detectorName(f.detector)
            return "\(detector): " + (lang == .vi ? f.explanation : f.explanationEn)
        case .explainFinding(let id, let text): return "\(id): \(text)"
        case .reviewFinding(let id, let uphold, let note, let cause, let protection):
            let verdict = uphold ? lang.t("giữ nguyên", "upheld") : lang.t("bác bỏ", "dismissed")
            return "\(id): \(verdict)" + (cause.map { lang.t(" — nguyên nhân: ", " — cause: ") + layout.causeName($0) } ?? "")
                + (protection.map { ProposalPages.protectionText($0, layout: layout) } ?? "") + (note.isEmpty ? "" : " — \(note)")
        // Discipline is restricted: the case's timeline says that one was decided, the finding's page says what, to those
        // who may see it.
        case .decideConsequence(let d) where d.kind == .discipline:
            return "\(d.finding): " + lang.t(d.kind.nameVi, d.kind.nameEn) + lang.t(" (thông tin hạn chế)", " (restricted)")
        case .decideConsequence(let d):
            return "\(d.finding): \(layout.measureName(d.measure))"
                + (d.remediationDue.map { lang.t(" — hạn \(Layout.dateText($0))", " — due \(Layout.dateText($0))") } ?? "") + " — \(d.text)"
        case .completeRemediation(let id, let text): return "\(id): \(text)"
        // That someone looked, and why — never what they saw.
        case .revealIdentity(let reason): return lang.t("lý do: ", "reason: ") + reason
        case .receptionHeld(let s):
            return lang.t(
                "ngày \(Layout.dateText(s.day)), người tiếp \(name(s.receivedBy)), \(s.citizens) công dân: ",
                "on \(Layout.dateText(s.day)), received by \(name(s.receivedBy)), \(s.citizens) citizen(s): ")
                + s.matters.joined(separator: "; ")
                + (s.cases.isEmpty ? "" : lang.t(" — hồ sơ phát sinh: ", " — cases opened: ") + s.cases.map(\.rawValue).joined(separator: ", "))
        case .refuseIntake(let ground, let reason): return layout.refusalGroundText(ground) + " — " + reason
        case .guide(let body, let basis, let note):
            return lang.t("hướng dẫn gửi đến \(body) (\(basis))", "sender guided to \(body) (\(basis))") + (note.isEmpty ? "" : " — \(note)")
        case .markDuplicate(let other, let note): return lang.t("trùng với \(other.rawValue)", "duplicate of \(other.rawValue)") + " — \(note)"
        case .duplicateLinked(let duplicate): return lang.t("đơn trùng: \(duplicate.rawValue)", "duplicate letter: \(duplicate.rawValue)")
        case .withdraw(let w):
            var text = w.letter
            if let part = w.part { text += lang.t(" — phần rút: ", " — part withdrawn: ") + part }
            if let continuing = w.continuing { text += lang.t(" — vẫn tiếp tục giải quyết: ", " — handling continues: ") + continuing }
            return text
        case .dialogue(let d):
            let absent =
                d.complainantAttended ? "" : lang.t(" (người khiếu nại được mời nhưng không đến)", " (the complainant was invited and did not come)")
            return lang.t("thành phần: ", "participants: ") + d.participants + absent + " — " + d.outcome + lang.t(" — biên bản: ", " — minutes: ")
                + d.minutes
        case .progress(let p):
            return "\(p.percent)% — \(p.text)" + (p.attachment.map { lang.t(" — văn bản: ", " — document: ") + $0 } ?? "")
        case .submitDraft(let to, let draft): return lang.t("trình \(name(to)) phê duyệt: ", "submitted to \(name(to)) for approval: ") + draft
        case .approveDraft(let note): return note
        case .returnDraft(let reason): return lang.t("trả lại để chỉnh sửa: ", "returned for revision: ") + reason
        case .cancel(let reason): return reason
        case .submitReport(let to, let report):
            let figures = report.figures.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
            return lang.t("gửi \(name(to)) báo cáo số ", "report no. ") + report.document + lang.t("", " sent to \(name(to))")
                + (figures.isEmpty ? "" : " — " + figures)
        case .recordViolation(let v):
            return "\(layout.unitName(v.unit)) — \(layout.fieldName(v.field)): \(v.text)"
                + (v.cases.isEmpty ? "" : lang.t(" — hồ sơ: ", " — cases: ") + v.cases.map(\.rawValue).joined(separator: ", "))
        case .concludeInspection(let c):
            return lang.t("kết luận ", "conclusion ") + ProgrammePages.documentText(c.document, lang) + " — " + c.summary
        case .decideProposal(let approve, let note):
            return (approve ? lang.t("chấp thuận", "approved") : lang.t("không chấp thuận", "declined")) + (note.isEmpty ? "" : " — \(note)")
        case .actUnderProposal(let proposal, let note, let approval):
            return lang.t("thực hiện theo đề xuất \(proposal.rawValue)", "acted on under proposal \(proposal.rawValue)")
                + (approval.map { lang.t(" (chấp thuận: bút toán #\($0))", " (approval: entry #\($0))") } ?? "") + " — \(note)"
        case .proposalApplied(let other): return lang.t("hồ sơ thực hiện theo đề xuất: ", "case acted on under it: ") + other.rawValue
        }
    }
}

/// A case's history as a citizen reads it on a phone: one plain sentence per public step, newest last, in an ordered
/// list (no table, nothing hidden off-screen). Which entries are steps, and what of them, is `CitizenStep`'s decision:
/// findings, explanations, reviews, notes, proposals and opinions never reach this page.
struct CitizenTimeline {
    let layout: Layout
    var lang: Language { layout.lang }

    func list(_ history: [LedgerRecord]) -> HTML {
        let steps = history.compactMap { record in CitizenStep(record.action.body).map { (record, $0) } }
        return HTML.el(
            "ol", [("id", "steps"), ("class", "steps")],
            children: steps.map { record, step in
                HTML.el(
                    "li", [("class", "step"), ("data-type", record.action.body.type.rawValue)],
                    HTML.el("time", [("class", "step-time")], text: Layout.timeText(record.action.at)),
                    HTML.el("p", [("class", "step-text")], text: sentence(step, by: record.action.actor)))
            })
    }

    func sentence(_ step: CitizenStep, by actor: Actor) -> String {
        let name = layout.officialName
        let date = Layout.dateText
        switch step {
        case .received(let owner, let due):
            return lang.t(
                "Tiếp nhận hồ sơ, giao \(name(owner)) xử lý; hẹn trả kết quả ngày \(date(due)).",
                "Received and given to \(name(owner)); the result is due on \(date(due)).")
        case .handedTo(let to, let type):
            switch type {
            case .escalate: return lang.t("Trình \(name(to)) xem xét, quyết định.", "Sent up to \(name(to)) for a decision.")
            case .transfer: return lang.t("Chuyển \(name(to)) xử lý.", "Passed to \(name(to)).")
            case .delegate: return lang.t("Giao \(name(to)) thực hiện.", "Handed to \(name(to)) to carry out.")
            default: return lang.t("Giao \(name(to)) xử lý.", "Given to \(name(to)).")
            }
        case .accepted(let due?):
            return lang.t(
                "\(layout.actor(actor)) thụ lý; hạn giải quyết \(Layout.dateText(due)).",
                "\(layout.actor(actor)) accepted it; due \(Layout.dateText(due)).")
        case .accepted(nil): return lang.t("\(layout.actor(actor)) nhận xử lý hồ sơ.", "\(layout.actor(actor)) took the case up.")
        case .consulting(let units, let until):
            let names = units.map { layout.unitName($0) }.joined(separator: ", ")
            return lang.t("Lấy ý kiến \(names) (hạn \(date(until))).", "Asked \(names) for their opinion (by \(date(until))).")
        case .supplementRequested(let missing):
            return lang.t("Đề nghị Ông/Bà bổ sung: ", "You are asked to supply: ") + missing.joined(separator: "; ") + "."
        case .supplementReceived(let due):
            return lang.t("Đã nhận hồ sơ bổ sung.", "The supplement was received.")
                + (due.map { lang.t(" Hẹn trả kết quả mới: ngày \(date($0)).", " New due date: \(date($0)).") } ?? "")
        case .rescheduled(let due, let apology):
            return lang.t("Xin lỗi và hẹn lại ngày trả kết quả: \(date(due)). ", "An apology and a new date for the result: \(date(due)). ")
                + apology
        case .extended(let due, let basis):
            return lang.t("Gia hạn giải quyết đến ngày \(date(due)) (căn cứ: \(basis)).", "Extended to \(date(due)) (basis: \(basis)).")
        case .suspended(let basis, let reason):
            return lang.t(
                "Tạm đình chỉ giải quyết: \(reason) (căn cứ: \(basis)). Thời gian tạm đình chỉ không tính vào thời hạn giải quyết.",
                "Handling suspended: \(reason) (basis: \(basis)). The time suspended does not count towards the time limit.")
        case .resumed(let due):
            return lang.t("Tiếp tục giải quyết.", "Handling resumed.")
                + (due.map { lang.t(" Hạn giải quyết mới: ngày \(date($0)).", " New due date: \(date($0)).") } ?? "")
        case .declined(let unit, let basis, let reason):
            return lang.t(
                "Không thuộc thẩm quyền: \(reason). Cơ quan có thẩm quyền: \(layout.unitName(UnitID(unit))) (căn cứ: \(basis)).",
                "Not within this body's competence: \(reason). Competent: \(layout.unitName(UnitID(unit))) (basis: \(basis)).")
        case .decided(let decision): return lang.t("Quyết định: ", "Decision: ") + decision
        case .resolved(let result): return lang.t("Có kết quả: ", "Result: ") + result
        case .closed(let outcome): return lang.t("Kết thúc: ", "Closed: ") + outcome
        case .reopened(let reason): return lang.t("Mở lại: ", "Reopened: ") + reason
        case .rated(let score): return lang.t("Ông/Bà đã đánh giá \(score)/5.", "You rated it \(score)/5.")
        case .refused(let ground, let reason):
            return lang.t("Không thụ lý đơn. Căn cứ: ", "Not accepted. Ground: ") + layout.refusalGroundText(ground) + ". "
                + lang.t("Lý do: ", "Reason: ") + reason
        case .guided(let body, let basis, let note):
            return lang.t(
                "Đơn không thuộc thẩm quyền của cơ quan này. Hướng dẫn Ông/Bà gửi đơn đến \(body) (căn cứ: \(basis)).",
                "Not within this body's competence. You are guided to file it with \(body) (basis: \(basis)).")
                + (note.isEmpty ? "" : " " + note)
        case .duplicateOf(let other):
            return lang.t(
                "Đơn trùng nội dung với hồ sơ \(other.rawValue), được giải quyết trong hồ sơ đó.",
                "The letter repeats the matter of case \(other.rawValue) and is handled there.")
        case .withdrawn(let part?, _):
            return lang.t("Ông/Bà rút một phần nội dung: ", "You withdrew part of the letter: ") + part + ". "
                + lang.t("Phần còn lại tiếp tục được giải quyết.", "The rest continues to be handled.")
        case .withdrawn(nil, true):
            return lang.t(
                "Ông/Bà đã rút đơn; theo quy định của pháp luật, cơ quan có thẩm quyền vẫn tiếp tục giải quyết.",
                "You withdrew the letter; as the law provides, the competent body continues to handle it.")
        case .withdrawn(nil, false):
            return lang.t("Ông/Bà đã rút đơn; đình chỉ việc giải quyết.", "You withdrew the letter; its handling has ended.")
        case .dialogueHeld(let outcome, let attended):
            return attended
                ? lang.t("Đối thoại: ", "Dialogue: ") + outcome
                : lang.t(
                    "Ông/Bà được mời đối thoại nhưng không đến; việc giải quyết tiếp tục. ",
                    "You were invited to a dialogue and did not come; the handling continues. ")
                    + outcome
        }
    }
}
