import BuckStopAPI
import BuckStopDomain

/// The actions of DESIGN.md as forms, shown to whoever may take them. Required fields are marked for assistive
/// technology but enforced by the domain on the server (an escalation without a proposal is refused there), so
/// the rule holds for the API too.
struct ActionForms {
    let layout: Layout
    let state: ServerState
    let me: Official
    let caseState: CaseState
    var lang: Language { layout.lang }

    /// What was typed into a form whose action was refused: that form is shown open again with it, so nobody
    /// retypes a proposal because a date was wrong.
    var kept: KeptForm?
    /// On a task answering a report request: the request's template and the official who holds the request (whom the
    /// report goes to, by default).
    var report: (template: ReportTemplate, requester: OfficialID?)?
    /// On an inspection: what its entries say (the scope its forms offer).
    var inspection: InspectionRecord?
    /// The holder's approved proposals (NĐ 73/2023), when this case is not yet acted on under one.
    var proposals: [ProposalRecord] = []

    func render() -> HTML {
        let c = caseState
        if c.kind == .reception { return receptionForms() }
        var forms: [HTML] = []
        let org = state.organization
        let isOwner = c.owner == me.id
        let active = (c.status == .received || c.status == .processing) && !c.isSuspended
        forms += taskForms()
        forms += inspectionForms()
        if c.kind == .proposal {
            // A proposal is answered by its decision; its holder may also consult, send it up, or have it assigned.
            if active && isOwner {
                forms.append(
                    form(.decideProposal) {
                        [
                            $0.choice(
                                "decision", [("approve", lang.t("Chấp thuận", "Approve")), ("decline", lang.t("Không chấp thuận", "Decline"))]),
                            $0.textarea("note", hint: lang.t("Bắt buộc khi không chấp thuận: lý do", "Required when declining: why")),
                        ]
                    })
                forms.append(form(.escalate) { [$0.officials("to", .above(me.id)), $0.textarea("proposal")] })
                forms.append(form(.consult) { [$0.unitsSelect("units", multiple: true), $0.textarea("question"), $0.date("dueDate")] })
            }
            forms.append(form(.comment) { [$0.textarea("text")] })
            return HTML.join(forms)
        }
        if active && isOwner && !proposals.isEmpty {
            forms.append(
                form(.actUnderProposal) {
                    [$0.choice("proposal", proposals.map { ($0.caseID.rawValue, "\($0.caseID.rawValue) — \($0.title)") }), $0.textarea("note")]
                })
        }
        if c.status.isOpen && isOwner {
            if c.status == .received { forms.append(form(.accept) { [$0.text("note", optional: true)] }) }
            if active {
                forms.append(form(.transfer) { [$0.officials("to", .agency(of: me.id)), $0.textarea("reason")] })
                forms.append(form(.escalate) { [$0.officials("to", .above(me.id)), $0.textarea("proposal")] })
                forms.append(form(.delegate) { [$0.officials("to", .below(me.id)), $0.textarea("instruction")] })
                forms.append(form(.consult) { [$0.unitsSelect("units", multiple: true), $0.textarea("question"), $0.date("dueDate")] })
                forms.append(
                    form(.requestSupplement) {
                        [
                            $0.textarea(
                                "missing",
                                hint: lang.t(
                                    "Mỗi dòng một giấy tờ; liệt kê đủ một lần (NĐ 61/2018 Đ.15.3)", "One item per line; list everything at once"))
                        ]
                    })
                forms.append(form(.decide) { [$0.textarea("decision"), $0.textarea("rationale")] })
                forms.append(form(.resolve) { [$0.textarea("result")] })
                forms.append(form(.reschedule) { [$0.date("newDueDate"), $0.textarea("apology")] })
                forms.append(form(.extend) { [$0.date("newDueDate"), $0.text("legalBasis")] })
                forms.append(
                    form(.decline) { [$0.text("legalBasis"), $0.unitsSelect("competentUnit", multiple: false), $0.textarea("reason")] })
                if c.kind == .complaint || c.kind == .denunciation {
                    forms.append(form(.suspend) { [$0.text("legalBasis"), $0.textarea("reason")] })
                }
                forms += intakeForms()
            }
            if c.isSuspended { forms.append(form(.resume) { [$0.text("note", optional: true)] }) }
            forms += complaintStepForms()
            if c.status == .awaitingSupplement {
                forms.append(form(.supplementReceived) { [$0.text("note", optional: true), $0.date("newDueDate", optional: true)] })
            }
            forms.append(form(.close) { [$0.textarea("outcome")] })
        }
        if c.status.isOpen, !isOwner, me.roles.contains(.head),
            c.owner.flatMap({ org.official($0)?.unit }).map({ org.isWithin($0, subtreeOf: me.unit) }) == true
                || org.isWithin(c.leadUnit, subtreeOf: me.unit)
        {
            forms.append(form(.assign) { [$0.officials("to", .subtree(me.unit)), $0.text("note", optional: true)] })
        }
        for unit in c.pendingConsultations.keys.sorted() where org.isWithin(me.unit, subtreeOf: unit) {
            forms.append(form(.opinion, suffix: unit.rawValue) { [$0.hidden("unit", unit.rawValue), $0.textarea("text")] })
        }
        if c.status == .closed, !me.roles.isDisjoint(with: [.head, .inspector, .admin]) {
            forms.append(form(.reopen) { [$0.officials("to"), $0.textarea("reason")] })
        }
        forms.append(form(.comment) { [$0.textarea("text")] })
        return HTML.join(forms)
    }

    func form(_ type: ActionType, suffix: String? = nil, _ fields: (Fields) -> [HTML]) -> HTML {
        let id = "action-" + String(type.rawValue.map { $0 == "_" ? "-" : $0 }) + (suffix.map { "-" + $0 } ?? "")
        let refill = kept.flatMap { $0.type == type.rawValue && (suffix == nil || $0.values["unit"] == suffix) ? $0.values : nil }
        let maker = Fields(layout: layout, state: state, caseState: caseState, values: refill ?? FormFields(""))
        return HTML.el(
            "details", [("class", "action"), ("open", type == .transfer || type == .accept || refill != nil ? "open" : nil)],
            HTML.el("summary", text: layout.actionName(type)),
            HTML.el(
                "form",
                [
                    ("id", id), ("class", "action-form"), ("data-action", type.rawValue), ("method", "post"),
                    ("action", "/cases/" + Paths.segment(caseState.id.rawValue) + "/actions"),
                ],
                children: [layout.csrfField(), maker.hidden("type", type.rawValue)] + fields(maker).map { $0.replacingIDs(prefix: id) }
                    + [HTML.el("button", [("type", "submit")], text: layout.actionName(type))]))
    }

    /// One form's controls, filled with what was typed when that form comes back after a refusal.
    struct Fields {
        let layout: Layout
        let state: ServerState
        let caseState: CaseState
        let values: FormFields
        var lang: Language { layout.lang }

        private func label(_ name: String, _ id: String, optional: Bool) -> HTML {
            HTML.el(
                "label", [("for", id)],
                text: FieldNames.label(name, lang).capitalizedFirst + (optional ? lang.t(" (không bắt buộc)", " (optional)") : " *"))
        }

        func text(_ name: String, optional: Bool = false) -> HTML {
            let id = "@-" + name
            return label(name, id, optional: optional)
                + HTML.el("input", [("id", id), ("name", name), ("value", values[name]), ("aria-required", optional ? nil : "true")])
        }

        func textarea(_ name: String, hint: String? = nil, optional: Bool = false) -> HTML {
            let id = "@-" + name
            return label(name, id, optional: optional)
                + (hint.map { HTML.el("p", [("class", "muted"), ("id", id + "-hint")], text: $0) } ?? "")
                + HTML.el(
                    "textarea",
                    [("id", id), ("name", name), ("aria-required", optional ? nil : "true"), ("aria-describedby", hint == nil ? nil : id + "-hint")],
                    text: values[name] ?? "")
        }

        func date(_ name: String, optional: Bool = false) -> HTML {
            let id = "@-" + name
            return label(name, id, optional: optional)
                + HTML.el(
                    "input", [("id", id), ("name", name), ("type", "date"), ("value", values[name]), ("aria-required", optional ? nil : "true")])
        }

        func hidden(_ name: String, _ value: String) -> HTML {
            HTML.el("input", [("type", "hidden"), ("name", name), ("value", value)])
        }

        /// `preselected`: chosen until the form comes back with what was typed.
        func officials(_ name: String, _ scope: OfficialOptions.Scope = .everyone, preselected: OfficialID? = nil) -> HTML {
            let id = "@-" + name
            return label(name, id, optional: false)
                + OfficialOptions(organization: state.organization).select(
                    name: name, id: id, selected: values[name].map(OfficialID.init(rawValue:)) ?? preselected, excluding: caseState.owner,
                    scope: scope)
        }

        func unitsSelect(_ name: String, multiple: Bool) -> HTML {
            let id = "@-" + name
            let units = state.organization.units.values.sorted { $0.name < $1.name }
            let chosen = Set(values.all(name))
            return label(name, id, optional: false)
                + HTML.el(
                    "select", [("id", id), ("name", name), ("multiple", multiple ? "multiple" : nil), ("size", multiple ? "5" : nil)],
                    children: units.map {
                        HTML.el(
                            "option", [("value", $0.id.rawValue), ("selected", chosen.contains($0.id.rawValue) ? "selected" : nil)], text: $0.name)
                    })
        }
    }
}

/// A refused form's action type and what was typed into it.
struct KeptForm {
    var type: String
    var values: FormFields
}

extension HTML {
    /// Form controls are written with ids "@-name"; each form makes them unique with its own prefix.
    func replacingIDs(prefix: String) -> HTML {
        let marker = Array("\"@-".utf8)
        let bytes = self.bytes
        guard bytes.count >= marker.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        let replacement = Array(("\"" + prefix + "-").utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == marker[0], i + 2 < bytes.count, bytes[i + 1] == marker[1], bytes[i + 2] == marker[2] {
                out.append(contentsOf: replacement)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return HTML(bytes: out)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
