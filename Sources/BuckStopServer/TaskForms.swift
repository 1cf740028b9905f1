import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

extension ActionForms {
    /// The steps of a task of a programme (`ActionInput.taskActionTypes`): for its holder, a progress report and a draft
    /// sent up for approval; for the approver holding a draft, its approval or return; for a head of the lead unit or of a
    /// unit above it (the domain's rule, `CaseState.applyTaskStep`), its cancellation. The domain still decides.
    func taskForms() -> [HTML] {
        let c = caseState
        guard c.kind == .task, c.status.isOpen else { return [] }
        var forms: [HTML] = []
        let active = (c.status == .received || c.status == .processing) && !c.isSuspended
        if c.owner == me.id {
            if let report, c.taskPhase != .submitted, me.roles.contains(.head), active || c.taskPhase == .awaitingApproval {
                forms.append(reportForm(report.template, requester: report.requester))
            }
            if c.taskPhase == .awaitingApproval || c.taskPhase == .submitted {
                forms.append(form(.approveDraft) { [$0.textarea("note")] })
                forms.append(
                    form(.returnDraft) {
                        [$0.textarea("reason", hint: lang.t("Những điểm cần chỉnh sửa", "What to change"))]
                    })
            } else if active {
                forms.append(
                    form(.progress) {
                        [
                            $0.number("percent", range: 0...100), $0.textarea("text"),
                            $0.text("attachment", optional: true),
                        ]
                    })
                forms.append(
                    form(.submitDraft) {
                        [
                            $0.officials("to", .above(me.id)),
                            $0.textarea("draft", hint: lang.t("Tên, số hoặc trích yếu của dự thảo", "The draft's title, number or reference")),
                        ]
                    })
            }
        }
        if mayCancel(c) { forms.append(form(.cancel) { [$0.textarea("reason")] }) }
        return forms
    }

    /// Form fields of a report's figures are named with this prefix and the figure's code.
    static let figurePrefix = "figure."

    /// Gửi báo cáo: the head signs and sends the report to the requester, with a field for every figure the request asks for.
    func reportForm(_ template: ReportTemplate, requester: OfficialID?) -> HTML {
        form(.submitReport) { fields in
            var controls = [
                fields.officials("to", .everyone, preselected: requester),
                fields.text("document"),
            ]
            for figure in template.figures {
                let name = Self.figurePrefix + figure.code
                let id = "@-figure-" + figure.code
                controls.append(
                    HTML.el("label", [("for", id)], text: figure.label + " (" + figure.code + ") *")
                        + HTML.el(
                            "input",
                            [
                                ("id", id), ("name", name), ("type", "number"), ("min", "0"), ("step", "1"), ("inputmode", "numeric"),
                                ("value", fields.values[name]), ("aria-required", "true"),
                            ]))
            }
            return controls
        }
    }

    /// A head (or an administrator) whose unit contains the task's lead unit, as `CaseState.applyTaskStep` requires.
    func mayCancel(_ c: CaseState) -> Bool {
        !me.roles.isDisjoint(with: [.head, .admin]) && state.organization.isWithin(c.leadUnit, subtreeOf: me.unit)
    }
}

extension ActionForms.Fields {
    /// A whole number between the bounds (the domain checks them again).
    func number(_ name: String, range: ClosedRange<Int>) -> HTML {
        let id = "@-" + name
        return HTML.el("label", [("for", id)], text: FieldNames.label(name, lang).capitalizedFirst + " *")
            + HTML.el(
                "input",
                [
                    ("id", id), ("name", name), ("type", "number"), ("min", String(range.lowerBound)), ("max", String(range.upperBound)),
                    ("step", "1"), ("inputmode", "numeric"), ("value", values[name]), ("aria-required", "true"),
                ])
    }
}

extension CasePages {
    /// The case page's heading in DESIGN.md's words: a task is a "nhiệm vụ", a programme or plan is named by its level,
    /// the rest are "hồ sơ".
    func caseHeading(_ c: CaseState, _ lang: Language) -> String {
        let code = c.id.rawValue
        switch c.kind {
        case .task: return lang.t("Nhiệm vụ \(code)", "Task \(code)")
        case .programme:
            guard let level = PlanLevel(rawValue: c.procedure ?? "") else { return lang.t("Chương trình, kế hoạch \(code)", "Programme \(code)") }
            return ProgrammePages.levelName(level, lang) + " " + code
        default: return lang.t("Hồ sơ \(code)", "Case \(code)")
        }
    }

    /// What a task or a programme item says besides the common fields: for a task its phase, expected product and the
    /// programme or plan it belongs to; for a programme or plan its level and a link to its roll-up; for both the
    /// document that assigned or issued it, as the opening entry recorded it.
    func programmeDetails(_ c: CaseState, history: [LedgerRecord], _ l: Layout) async throws -> HTML {
        guard c.kind == .task || c.kind == .programme else { return "" }
        let lang = l.lang
        var rows: [HTML] = []
        if c.kind == .task, let phase = c.taskPhase {
            rows.append(HTML.el("dt", text: lang.t("Tình trạng nhiệm vụ", "Task phase")))
            rows.append(HTML.el("dd", [("id", "task-phase"), ("data-phase", phase.rawValue)], text: lang.t(phase.nameVi, phase.nameEn)))
        }
        if c.kind == .programme, let level = PlanLevel(rawValue: c.procedure ?? "") {
            rows.append(HTML.el("dt", text: lang.t("Cấp", "Level")))
            rows.append(HTML.el("dd", [("id", "programme-level")], text: ProgrammePages.levelName(level, lang)))
        }
        if let product = c.product {
            rows.append(HTML.el("dt", text: lang.t("Sản phẩm", "Expected product")))
            rows.append(HTML.el("dd", [("id", "task-product")], text: product))
        }
        if let parent = c.parent {
            let title = try await state.store.caseState(parent)?.title
            rows.append(HTML.el("dt", text: lang.t("Thuộc chương trình, kế hoạch", "Part of the programme or plan")))
            rows.append(
                HTML.el(
                    "dd", [("id", "task-parent"), ("data-case", parent.rawValue)], l.caseLink(parent),
                    HTML.text(title.map { " — " + $0 } ?? ""), HTML.text(" · "),
                    HTML.el("a", [("href", "/programmes/" + Paths.segment(parent.rawValue))], text: lang.t("bảng tổng hợp", "roll-up"))))
        }
        if let document = ProgrammePages.issuingDocument(history) {
            rows.append(HTML.el("dt", text: c.kind == .task ? lang.t("Văn bản giao", "Assigned by") : lang.t("Văn bản ban hành", "Issued by")))
            rows.append(HTML.el("dd", [("id", "issuing-document")], text: ProgrammePages.documentText(document, lang)))
        }
        var section = HTML.el("dl", [("class", "kv")], children: rows)
        if c.kind == .programme {
            section += HTML.el(
                "p", [],
                HTML.el(
                    "a", [("id", "programme-rollup-link"), ("href", "/programmes/" + Paths.segment(c.id.rawValue))],
                    text: lang.t("Bảng tổng hợp tiến độ", "Progress roll-up")))
        }
        if c.isInspection, let record = InspectionRecord(caseID: c.id, records: history.map { ($0.index, $0.action) }) {
            section += l.inspectionDetails(record)
            section += l.recommendations(
                record, tasks: try await state.store.programmeTasks(root: c.id, limit: 200), holder: c.owner == l.context.official?.id,
                concluded: record.conclusion != nil && c.status == .resolved)
        }
        return HTML.el("section", [("class", "card"), ("id", "programme-details")], section)
    }
}
