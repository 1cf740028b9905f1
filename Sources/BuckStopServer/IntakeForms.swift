import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

extension ActionForms {
    /// The intake outcomes the holder of a letter may record besides accepting and forwarding: refusal to accept on a
    /// ground of the rulebook in force on the day of receipt (complaints, denunciations, before acceptance), guidance to
    /// a body outside the organisation, and closing as a duplicate of an earlier case of the same kind.
    func intakeForms() -> [HTML] {
        let c = caseState
        guard [.complaint, .denunciation, .petition].contains(c.kind) else { return [] }
        var forms: [HTML] = []
        let received = CivilDate(Date(timeIntervalSince1970: Double(c.openedAt) / 1000))
        let grounds = state.live.rulebook.refusalGrounds(for: c.kind, on: received)
        if c.status == .received, !grounds.isEmpty {
            forms.append(
                form(.refuseIntake) { fields in
                    [fields.groundSelect(grounds), fields.textarea("reason")]
                })
        }
        forms.append(
            form(.guide) { fields in
                [
                    fields.text("body"), fields.text("legalBasis"),
                    fields.textarea(
                        "note", hint: lang.t("Nơi, cách gửi đơn cho người gửi", "Where and how the sender should file it"), optional: true),
                ]
            })
        forms.append(form(.duplicate) { fields in [fields.text("duplicateOf"), fields.textarea("note")] })
        return forms
    }
}

extension ActionForms.Fields {
    /// The grounds of refusal, in Vietnamese first, each with its legal source.
    func groundSelect(_ grounds: [RefusalGround]) -> HTML {
        let id = "@-ground"
        let chosen = values["ground"]
        return HTML.el("label", [("for", id)], text: FieldNames.label("ground", lang).capitalizedFirst + " *")
            + HTML.el(
                "select", [("id", id), ("name", "ground"), ("aria-required", "true")],
                children: grounds.map { row in
                    HTML.el(
                        "option", [("value", row.id), ("selected", chosen == row.id ? "selected" : nil)],
                        text: lang.t(row.ground, row.groundEn) + " (" + row.source + ")")
                })
    }
}

extension Layout {
    /// A refusal ground in the law's words (Vietnamese first) with its source; the row's id when the rulebook in use no
    /// longer has it.
    func refusalGroundText(_ id: String) -> String {
        guard let row = state.live.rulebook.refusalGrounds.first(where: { $0.id == id }) else { return id }
        return lang.t(row.ground, row.groundEn) + " (" + row.source + ")"
    }
}

extension CasePages {
    /// The duplicate links of a case, both ways, from its own entries: the earlier case it repeats, and the letters closed
    /// as duplicates of it (one matter, counted once).
    func duplicateLinks(_ history: [LedgerRecord], _ l: Layout) -> HTML {
        let links = history.compactMap { $0.action.body.duplicateLink }
        guard !links.isEmpty else { return HTML() }
        let lang = l.lang
        let of = links.filter(\.isDuplicate).map(\.other)
        let duplicates = links.filter { !$0.isDuplicate }.map(\.other)
        var items: [HTML] = []
        for other in of {
            items.append(HTML.el("p", [("class", "duplicate-of")], HTML.text(lang.t("Trùng với hồ sơ ", "Duplicate of case ")) + l.caseLink(other)))
        }
        if !duplicates.isEmpty {
            items.append(
                HTML.el("p", text: lang.t("Đơn trùng của hồ sơ này (\(duplicates.count)):", "Duplicates of this case (\(duplicates.count)):"))
                    + HTML.el("ul", [("id", "duplicates")], children: duplicates.map { HTML.el("li", [], l.caseLink($0)) }))
        }
        return HTML.el("section", [("id", "case-duplicates")], children: [HTML.el("h2", text: lang.t("Đơn trùng", "Duplicate letters"))] + items)
    }
}
