import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import Foundation

extension ActionForms {
    /// Withdrawal and dialogue, for the holder of a complaint or denunciation not yet decided: the withdrawal forms the
    /// rulebook's row in force today allows (a part of a complaint only from 1 July 2026; a denunciation's handling may
    /// continue after it is withdrawn), and for a complaint the record of a dialogue.
    func complaintStepForms() -> [HTML] {
        let c = caseState
        guard c.kind == .complaint || c.kind == .denunciation, c.status.isOpen, c.owner == me.id, !c.decided, c.status != .resolved else {
            return []
        }
        let today = CivilDate(Date(timeIntervalSince1970: Double(LiveLedger.nowMillis()) / 1000))
        var forms: [HTML] = []
        let letterHint = lang.t(
            "Đơn rút hoặc biên bản ghi nhận việc rút có chữ ký của người rút: số, ngày", "The withdrawal letter or the signed record: number, date")
        if let row = state.live.rulebook.withdrawalRule(for: c.kind, on: today) {
            forms.append(form(.withdrawal) { [$0.textarea("letter", hint: letterHint)] })
            if row.partial { forms.append(form(.withdrawalPartial) { [$0.textarea("letter", hint: letterHint), $0.textarea("part")] }) }
            if row.mayContinue {
                forms.append(
                    form(.withdrawalContinued) {
                        [
                            $0.textarea("letter", hint: letterHint),
                            $0.textarea(
                                "continuing",
                                hint: lang.t(
                                    "Hành vi bị tố cáo có dấu hiệu vi phạm pháp luật, việc rút do bị đe dọa, ép buộc, hoặc lợi dụng tố cáo để vu khống",
                                    "The conduct appears unlawful, the withdrawal was coerced, or the denunciation was used to slander")),
                        ]
                    })
            }
        }
        if c.kind == .complaint, !c.isSuspended {
            forms.append(
                form(.dialogue) {
                    [
                        $0.textarea("participants", hint: lang.t("Theo vai trò, cơ quan; không ghi họ tên", "By role or body; no names")),
                        $0.textarea("outcome"), $0.text("minutes"), $0.checkbox("complainantAbsent"),
                    ]
                })
        }
        return forms
    }
}

extension ActionForms.Fields {
    /// A box that is ticked or not; sent as "on" when ticked.
    func checkbox(_ name: String) -> HTML {
        let id = "@-" + name
        return HTML.el(
            "label", [("for", id), ("class", "checkbox")],
            HTML.el("input", [("id", id), ("name", name), ("type", "checkbox"), ("checked", values[name] == nil ? nil : "checked")]),
            HTML.text(" " + FieldNames.label(name, lang).capitalizedFirst))
    }
}
