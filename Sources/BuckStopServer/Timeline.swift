import BuckStopAPI
import BuckStopDomain
import BuckStopStore

/// The ledger entries of a case as a table, and one line per entry in the page language.
struct Timeline {
    let layout: Layout
    var lang: Language { layout.lang }

    func table(_ history: [LedgerRecord], citizen: Bool = false) -> HTML {
        let generation = layout.state.live.modelGeneration
        return HTML.el(
            "div", [("class", "table-wrap")],
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
                HTML.el("tbody", [], children: history.map { row($0, citizen: citizen, generation: generation) })))
    }

    /// One entry's row; entries never change, so the row is rendered once per language and audience.
    func row(_ r: LedgerRecord, citizen: Bool, generation: Int) -> HTML {
        layout.state.timelineRows.html(TimelineRowKey(index: r.index, language: lang, citizen: citizen, organization: generation)) {
            HTML.el(
                "tr", [("class", "entry"), ("data-type", r.action.body.type.rawValue), ("data-index", String(r.index))],
                HTML.el("td", text: String(r.index)), HTML.el("td", text: Layout.timeText(r.action.at)),
                HTML.el("td", text: layout.actor(r.action.actor)), HTML.el("td", text: layout.actionName(r.action.body.type)),
                HTML.el("td", text: summary(r.action.body, citizen: citizen)),
                HTML.el("td", [("class", "optional mono")], text: String(r.leafHash.hex.prefix(12)) + "…"))
        }
    }

    /// One line about an action. Citizens see the same line, except the text of findings' explanations, which
    /// are internal until reviewed.
    func summary(_ body: ActionBody, citizen: Bool = false) -> String {
        let name = layout.officialName
        switch body {
        case .open(let o):
            return lang.t("giao \(name(o.owner)); hạn \(Layout.dateText(o.dueDate))", "to \(name(o.owner)); due \(Layout.dateText(o.dueDate))")
        case .assign(let to, let note): return "→ \(name(to))" + (note.isEmpty ? "" : ": \(note)")
        case .accept(let note): return note
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
        case .decline(let basis, let unit, let reason, _):
            return "\(reason) — " + lang.t("thẩm quyền: ", "competent: ") + "\(layout.unitName(UnitID(unit))) (\(basis))"
        case .decide(let decision, let rationale): return "\(decision) — \(rationale)"
        case .resolve(let result): return result
        case .close(let outcome): return outcome
        case .reopen(let to, let reason): return "→ \(name(to)): \(reason)"
        case .comment(let text): return citizen ? lang.t("(ghi chú nội bộ)", "(internal note)") : text
        case .rate(let score, let comment): return "\(score)/5" + (comment.isEmpty ? "" : " — \(comment)")
        case .raiseFinding(let f):
            let detector = FindingView(layout: layout).detectorName(f.detector)
            return citizen ? detector : "\(detector): " + (lang == .vi ? f.explanation : f.explanationEn)
        case .explainFinding(let id, let text): return citizen ? lang.t("giải trình phát hiện", "finding explained") : "\(id): \(text)"
        case .reviewFinding(let id, let uphold, let note):
            let verdict = uphold ? lang.t("giữ nguyên", "upheld") : lang.t("bác bỏ", "dismissed")
            return citizen ? verdict : "\(id): \(verdict)" + (note.isEmpty ? "" : " — \(note)")
        }
    }
}
