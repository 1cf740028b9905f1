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

    func render() -> HTML {
        let c = caseState
        var forms: [HTML] = []
        let org = state.organization
        let isOwner = c.owner == me.id
        let active = c.status == .received || c.status == .processing
        if c.status.isOpen && isOwner {
            if c.status == .received { forms.append(form(.accept, [text("note", optional: true)])) }
            if active {
                forms.append(form(.transfer, [officials("to", .agency(of: me.id)), textarea("reason")]))
                forms.append(form(.escalate, [officials("to", .above(me.id)), textarea("proposal")]))
                forms.append(form(.delegate, [officials("to", .below(me.id)), textarea("instruction")]))
                forms.append(form(.consult, [unitsSelect("units", multiple: true), textarea("question"), date("dueDate")]))
                forms.append(
                    form(
                        .requestSupplement,
                        [
                            textarea(
                                "missing",
                                hint: lang.t(
                                    "Mỗi dòng một giấy tờ; liệt kê đủ một lần (NĐ 61/2018 Đ.15.3)", "One item per line; list everything at once"))
                        ]))
                forms.append(form(.decide, [textarea("decision"), textarea("rationale")]))
                forms.append(form(.resolve, [textarea("result")]))
                forms.append(form(.reschedule, [date("newDueDate"), textarea("apology")]))
                forms.append(form(.extend, [date("newDueDate"), text("legalBasis")]))
                forms.append(form(.decline, [text("legalBasis"), unitsSelect("competentUnit", multiple: false), textarea("reason")]))
            }
            if c.status == .awaitingSupplement {
                forms.append(form(.supplementReceived, [text("note", optional: true), date("newDueDate", optional: true)]))
            }
            forms.append(form(.close, [textarea("outcome")]))
        }
        if c.status.isOpen, !isOwner, me.roles.contains(.head),
            c.owner.flatMap({ org.official($0)?.unit }).map({ org.isWithin($0, subtreeOf: me.unit) }) == true
                || org.isWithin(c.leadUnit, subtreeOf: me.unit)
        {
            forms.append(form(.assign, [officials("to", .subtree(me.unit)), text("note", optional: true)]))
        }
        for unit in c.pendingConsultations.keys.sorted() where org.isWithin(me.unit, subtreeOf: unit) {
            forms.append(form(.opinion, [hidden("unit", unit.rawValue), textarea("text")], suffix: unit.rawValue))
        }
        if c.status == .closed, !me.roles.isDisjoint(with: [.head, .inspector, .admin]) {
            forms.append(form(.reopen, [officials("to"), textarea("reason")]))
        }
        forms.append(form(.comment, [textarea("text")]))
        return HTML.join(forms)
    }

    private func form(_ type: ActionType, _ fields: [HTML], suffix: String? = nil) -> HTML {
        let id = "action-" + String(type.rawValue.map { $0 == "_" ? "-" : $0 }) + (suffix.map { "-" + $0 } ?? "")
        return HTML.el(
            "details", [("class", "action"), ("open", type == .transfer || type == .accept ? "open" : nil)],
            HTML.el("summary", text: layout.actionName(type)),
            HTML.el(
                "form",
                [
                    ("id", id), ("class", "action-form"), ("data-action", type.rawValue), ("method", "post"),
                    ("action", "/cases/" + Paths.segment(caseState.id.rawValue) + "/actions"),
                ],
                children: [layout.csrfField(), hidden("type", type.rawValue)] + fields.map { $0.replacingIDs(prefix: id) }
                    + [HTML.el("button", [("type", "submit")], text: layout.actionName(type))]))
    }

    private func label(_ name: String, _ id: String, optional: Bool) -> HTML {
        HTML.el(
            "label", [("for", id)],
            text: FieldNames.label(name, lang).capitalizedFirst + (optional ? lang.t(" (không bắt buộc)", " (optional)") : " *"))
    }

    private func text(_ name: String, optional: Bool = false) -> HTML {
        let id = "@-" + name
        return label(name, id, optional: optional) + HTML.el("input", [("id", id), ("name", name), ("aria-required", optional ? nil : "true")])
    }

    private func textarea(_ name: String, hint: String? = nil) -> HTML {
        let id = "@-" + name
        return label(name, id, optional: false)
            + (hint.map { HTML.el("p", [("class", "muted"), ("id", id + "-hint")], text: $0) } ?? "")
            + HTML.el(
                "textarea", [("id", id), ("name", name), ("aria-required", "true"), ("aria-describedby", hint == nil ? nil : id + "-hint")], text: "")
    }

    private func date(_ name: String, optional: Bool = false) -> HTML {
        let id = "@-" + name
        return label(name, id, optional: optional)
            + HTML.el("input", [("id", id), ("name", name), ("type", "date"), ("aria-required", optional ? nil : "true")])
    }

    private func hidden(_ name: String, _ value: String) -> HTML {
        HTML.el("input", [("type", "hidden"), ("name", name), ("value", value)])
    }

    private func officials(_ name: String, _ scope: OfficialOptions.Scope = .everyone) -> HTML {
        let id = "@-" + name
        return label(name, id, optional: false)
            + OfficialOptions(organization: state.organization).select(name: name, id: id, selected: nil, excluding: caseState.owner, scope: scope)
    }

    private func unitsSelect(_ name: String, multiple: Bool) -> HTML {
        let id = "@-" + name
        let units = state.organization.units.values.sorted { $0.name < $1.name }
        return label(name, id, optional: false)
            + HTML.el(
                "select", [("id", id), ("name", name), ("multiple", multiple ? "multiple" : nil), ("size", multiple ? "5" : nil)],
                children: units.map { HTML.el("option", [("value", $0.id.rawValue)], text: $0.name) })
    }
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
