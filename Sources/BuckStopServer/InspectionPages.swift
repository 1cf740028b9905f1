import BuckStopAPI
import BuckStopDomain

extension Layout {
    /// An inspection field's name in the page's language (the rulebook's row), its code when the rulebook no longer has it.
    func fieldName(_ code: String) -> String {
        guard let row = state.live.rulebook.inspectionFields.first(where: { $0.code == code }) else { return code }
        return lang.t(row.nameVi, row.nameEn)
    }

    /// A finding cause's name in the page's language (the rulebook's row), its code when the rulebook no longer has it.
    func causeName(_ code: String) -> String {
        guard let row = state.live.rulebook.findingCause(code) else { return code }
        return lang.t(row.nameVi, row.nameEn)
    }

    /// A consequence measure's name in the page's language (the rulebook's row), its code when the rulebook no longer has it.
    func measureName(_ code: String) -> String {
        guard let row = state.live.rulebook.consequenceMeasures.first(where: { $0.code == code }) else { return code }
        return lang.t(row.nameVi, row.nameEn)
    }

    /// What an inspection's page shows of it, on the case page and the roll-up alike: its form and scope (fields the
    /// rulebook marks as prone to corruption say so), the violations found with the cases they name, and the conclusion.
    /// Its recommendations are the tasks under it, listed by the roll-up.
    func inspectionDetails(_ record: InspectionRecord) -> HTML {
        let scope = record.scope
        let prone = Set(state.live.rulebook.inspectionFields.filter(\.proneToCorruption).map(\.code))
        let fields = scope.fields.map { code in
            fieldName(code) + (prone.contains(code) ? lang.t(" (lĩnh vực dễ phát sinh tham nhũng)", " (prone to corruption)") : "")
        }
        var out = HTML.el(
            "dl", [("class", "kv"), ("id", "inspection-scope"), ("data-form", record.form.rawValue)],
            HTML.el("dt", text: lang.t("Hình thức", "Form")), HTML.el("dd", text: lang.t(record.form.nameVi, record.form.nameEn)),
            HTML.el("dt", text: lang.t("Đối tượng kiểm tra", "Units inspected")),
            HTML.el("dd", [("id", "inspection-subjects")], text: scope.subjects.map { unitName($0) }.joined(separator: "; ")),
            HTML.el("dt", text: lang.t("Thời kỳ kiểm tra", "Period inspected")),
            HTML.el("dd", text: Layout.dateText(scope.from) + " – " + Layout.dateText(scope.to)),
            HTML.el("dt", text: lang.t("Nội dung", "Fields")), HTML.el("dd", [("id", "inspection-fields")], text: fields.joined(separator: "; ")))
        let rows = record.violations.map { index, v in
            HTML.el(
                "tr", [("class", "violation"), ("data-index", String(index)), ("data-unit", v.unit.rawValue), ("data-field", v.field)],
                HTML.el("td", text: unitName(v.unit)), HTML.el("td", text: fieldName(v.field)), HTML.el("td", text: v.text),
                HTML.el("td", [], HTML.join(v.cases.enumerated().map { n, id in (n == 0 ? HTML() : HTML.text(", ")) + caseLink(id) })))
        }
        out += HTML.el("h3", [("id", "violations-h")], text: lang.t("Vi phạm phát hiện (\(rows.count))", "Violations found (\(rows.count))"))
        out +=
            rows.isEmpty
            ? HTML.el("p", [("id", "no-violations"), ("class", "muted")], text: lang.t("Chưa ghi nhận vi phạm nào.", "No violation recorded."))
            : HTML.el(
                "div", [("class", "table-wrap"), ("tabindex", "0")],
                HTML.el(
                    "table", [("id", "violations"), ("aria-labelledby", "violations-h")],
                    HTML.el(
                        "thead", [],
                        HTML.el(
                            "tr", [], HTML.el("th", [("scope", "col")], text: lang.t("Đơn vị", "Unit")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Lĩnh vực", "Field")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Nội dung vi phạm", "Violation")),
                            HTML.el("th", [("scope", "col")], text: lang.t("Hồ sơ", "Cases")))), HTML.el("tbody", [], children: rows)))
        if let c = record.conclusion {
            out += HTML.el(
                "p", [("id", "inspection-conclusion")],
                HTML.el("strong", text: lang.t("Kết luận: ", "Conclusion: ")),
                HTML.text(ProgrammePages.documentText(c.conclusion.document, lang) + " — " + c.conclusion.summary))
        } else {
            out += HTML.el("p", [("id", "inspection-conclusion"), ("class", "muted")], text: lang.t("Chưa có kết luận.", "Not yet concluded."))
        }
        return out
    }
}

extension ActionForms {
    /// The steps of an inspection for its holder until the conclusion: a violation found, in a unit and field of its scope,
    /// and the conclusion (a self-inspection's by a head of the unit; the domain decides, `CaseState.applyInspectionStep`).
    func inspectionForms() -> [HTML] {
        let c = caseState
        guard c.isInspection, let record = inspection, c.owner == me.id, c.status == .received || c.status == .processing, !c.isSuspended
        else { return [] }
        let units = record.scope.subjects.map { ($0.rawValue, layout.unitName($0)) }
        let fields = record.scope.fields.map { ($0, layout.fieldName($0)) }
        return [
            form(.recordViolation) {
                [
                    $0.choice("unit", units), $0.choice("field", fields), $0.textarea("text"),
                    $0.textarea("evidenceCases", hint: lang.t("Mỗi dòng một mã hồ sơ", "One case code per line"), optional: true),
                ]
            },
            form(.concludeInspection) { [$0.text("conclusionNumber"), $0.date("conclusionDate"), $0.text("signer"), $0.textarea("summary")] },
        ]
    }
}

extension ActionForms.Fields {
    /// One of a few values (value, label), as a select.
    func choice(_ name: String, _ options: [(String, String)]) -> HTML {
        let id = "@-" + name
        return HTML.el("label", [("for", id)], text: FieldNames.label(name, lang).capitalizedFirst + " *")
            + HTML.el(
                "select", [("id", id), ("name", name), ("aria-required", "true")],
                children: options.map { value, label in
                    HTML.el("option", [("value", value), ("selected", values[name] == value ? "selected" : nil)], text: label)
                })
    }
}
