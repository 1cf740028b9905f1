import BuckStopAPI
import BuckStopDomain

/// The forms of a reception book (sổ tiếp công dân): a periodic session (tiếp công dân định kỳ, received by the head or,
/// where the law still allows it, a deputy), any other session (đột xuất, thường xuyên), a note, and the year's closing
/// by the head. Officials of the unit write in it; the domain decides who may have received citizens.
extension ActionForms {
    func receptionForms() -> HTML {
        let c = caseState
        let org = state.organization
        var forms: [HTML] = []
        if c.status.isOpen, org.isWithin(me.unit, subtreeOf: c.leadUnit) {
            let unit = org.unit(c.leadUnit)
            let headAndDeputies = ([unit?.head].compactMap { $0 } + (unit?.deputies ?? []))
            let staff = org.officials.values.filter { org.isWithin($0.unit, subtreeOf: c.leadUnit) && $0.active }.map(\.id).sorted()
            forms.append(form(.receptionPeriodic) { session($0, receivers: headAndDeputies) })
            forms.append(form(.receptionOther) { session($0, receivers: staff) })
        }
        if c.status.isOpen && c.owner == me.id { forms.append(form(.close) { [$0.textarea("outcome")] }) }
        if c.status == .closed, !me.roles.isDisjoint(with: [.head, .inspector, .admin]) {
            forms.append(form(.reopen) { [$0.officials("to"), $0.textarea("reason")] })
        }
        forms.append(form(.comment) { [$0.textarea("text")] })
        return HTML.join(forms)
    }

    private func session(_ f: Fields, receivers: [OfficialID]) -> [HTML] {
        let id = "@-receivedBy"
        let chosen = f.values["receivedBy"] ?? caseState.owner?.rawValue
        let select =
            HTML.el("label", [("for", id)], text: FieldNames.label("receivedBy", lang).capitalizedFirst + " *")
            + HTML.el(
                "select", [("id", id), ("name", "receivedBy"), ("aria-required", "true")],
                children: receivers.map { o in
                    HTML.el(
                        "option", [("value", o.rawValue), ("selected", chosen == o.rawValue ? "selected" : nil)],
                        text: layout.officialName(o) + (o == caseState.owner ? lang.t(" (người đứng đầu)", " (head)") : ""))
                })
        return [
            f.date("day"), select, f.text("citizens"),
            f.textarea(
                "matters",
                hint: lang.t(
                    "Mỗi dòng một nội dung công dân nêu; không ghi họ tên, địa chỉ, số định danh của công dân.",
                    "One matter per line; never a citizen's name, address or identity number.")),
            f.textarea(
                "cases", hint: lang.t("Mã hồ sơ phát sinh từ buổi tiếp, mỗi dòng một mã.", "Codes of cases opened from it, one per line."),
                optional: true),
        ]
    }
}
