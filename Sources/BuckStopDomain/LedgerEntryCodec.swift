import BuckStopCalendar
import BuckStopLedger

/// The ledger form of an action: a canonical JSON object
/// `{"actor","at","case","index","type","v","via", …type-specific fields}`.
/// The index is inside the entry so that moving an entry to another position breaks its hash.
///
/// Version 2 (from 2026-12) records the credential that wrote the entry (`via`) and a decline's receiver (`to`);
/// version 1 entries, written before, have neither and are still read.
public enum LedgerEntryCodec {
    public static let version: Int64 = 2
    static let versions: ClosedRange<Int64> = 1...2

    public static func encode(_ action: Action, index: Int64) -> [UInt8] {
        CanonicalJSON.encode(jsonValue(action, index: index))
    }

    /// Encodes everything but the index, so that the costly part can run before the entry's
    /// position is known (outside the writer's serial section).
    public static func prepare(_ action: Action) -> PreparedEntry {
        let bytes = encode(action, index: 0)
        // `,"index":` can only be the top-level key: in canonical JSON every quote inside a string is escaped.
        let marker = Array(",\"index\":0".utf8)
        var cut = 0
        while cut + marker.count <= bytes.count {
            if bytes[cut] == marker[0], bytes[cut..<(cut + marker.count)].elementsEqual(marker) { break }
            cut += 1
        }
        precondition(cut + marker.count <= bytes.count, "a ledger entry always has an index member")
        return PreparedEntry(prefix: Array(bytes[..<(cut + marker.count - 1)]), suffix: Array(bytes[(cut + marker.count)...]))
    }

    public static func jsonValue(_ action: Action, index: Int64) -> JSONValue {
        var object: [String: JSONValue] = [
            "v": .int(action.via == nil ? 1 : version),
            "index": .int(index),
            "case": .string(action.caseID.rawValue),
            "type": .string(action.body.type.rawValue),
            "actor": .string(action.actor.stored),
            "at": .int(action.at),
        ]
        if let via = action.via { object["via"] = .string(via.stored) }
        for (key, value) in fields(of: action.body) { object[key] = value }
        return .object(object)
    }

    static func fields(of body: ActionBody) -> [(String, JSONValue)] {
        switch body {
        case .open(let o):
            var result: [(String, JSONValue)] = [
                ("kind", .string(o.kind.rawValue)), ("title", .string(o.title)), ("leadUnit", .string(o.leadUnit.rawValue)),
                ("owner", .string(o.owner.rawValue)),
            ]
            if !o.collaborators.isEmpty { result.append(("collaborators", .array(o.collaborators.map { .string($0.rawValue) }))) }
            if let p = o.procedure { result.append(("procedure", .string(p))) }
            if let d = o.dueDate { result.append(("dueDate", .string(d.description))) }
            if let r = o.ruleID { result.append(("ruleID", .string(r))) }
            if let s = o.subject { result.append(("subject", .object(["ref": .string(s.ref), "hash": .string(s.hash)]))) }
            if !o.documents.isEmpty { result.append(("documents", .array(o.documents.map { .string($0) }))) }
            if let c = o.concerning, !c.isEmpty {
                var fields: [String: JSONValue] = [:]
                if let unit = c.unit { fields["unit"] = .string(unit.rawValue) }
                if let official = c.official { fields["official"] = .string(official.rawValue) }
                result.append(("concerning", .object(fields)))
            }
            if let body = o.decidingBody { result.append(("decidingBody", .string(body.rawValue))) }
            if let rule = o.competenceRuleID { result.append(("competenceRule", .string(rule))) }
            if let parent = o.parent { result.append(("parent", .string(parent.rawValue))) }
            if let product = o.product { result.append(("product", .string(product))) }
            if let d = o.document {
                result.append(
                    ("issuedBy", .object(["number": .string(d.number), "date": .string(d.date.description), "signer": .string(d.signer)])))
            }
            if let t = o.template {
                result.append(
                    (
                        "template",
                        .object([
                            "sections": .array(t.sections.map { .string($0) }),
                            "figures": .array(t.figures.map { .object(["code": .string($0.code), "label": .string($0.label)]) }),
                        ])
                    ))
            }
            if let i = o.inspection {
                result.append(
                    (
                        "inspection",
                        .object([
                            "subjects": .array(i.subjects.map { .string($0.rawValue) }), "from": .string(i.from.description),
                            "to": .string(i.to.description), "fields": .array(i.fields.map { .string($0) }),
                        ])
                    ))
            }
            if let p = o.proposal {
                result.append(
                    (
                        "proposal",
                        .object([
                            "problem": .string(p.problem), "action": .string(p.action), "basis": .string(p.basis), "benefit": .string(p.benefit),
                            "risks": .string(p.risks),
                        ])
                    ))
            }
            return result
        case .assign(let to, let note): return [("to", .string(to.rawValue)), ("note", .string(note))]
        case .accept(let note, let due): return [("note", .string(note))] + (due.map { [("dueDate", JSONValue.string($0.description))] } ?? [])
        case .transfer(let to, let reason): return [("to", .string(to.rawValue)), ("reason", .string(reason))]
        case .escalate(let to, let proposal): return [("to", .string(to.rawValue)), ("proposal", .string(proposal))]
        case .delegate(let to, let instruction): return [("to", .string(to.rawValue)), ("instruction", .string(instruction))]
        case .consult(let units, let question, let due):
            return [("units", .array(units.map { .string($0.rawValue) })), ("question", .string(question)), ("dueDate", .string(due.description))]
        case .opinion(let unit, let text): return [("unit", .string(unit.rawValue)), ("text", .string(text))]
        case .requestSupplement(let missing): return [("missing", .array(missing.map { .string($0) }))]
        case .supplementReceived(let note, let due):
            return [("note", .string(note))] + (due.map { [("newDueDate", JSONValue.string($0.description))] } ?? [])
        case .reschedule(let due, let apology): return [("newDueDate", .string(due.description)), ("apology", .string(apology))]
        case .extend(let due, let basis): return [("newDueDate", .string(due.description)), ("legalBasis", .string(basis))]
        case .suspend(let basis, let reason): return [("legalBasis", .string(basis)), ("reason", .string(reason))]
        case .resume(let note, let due):
            return [("note", .string(note))] + (due.map { [("newDueDate", JSONValue.string($0.description))] } ?? [])
        case .decline(let basis, let unit, let reason, let receiver):
            return [("legalBasis", .string(basis)), ("competentUnit", .string(unit)), ("reason", .string(reason))]
                + (receiver.map { [("to", JSONValue.string($0.rawValue))] } ?? [])
        case .decide(let decision, let rationale): return [("decision", .string(decision)), ("rationale", .string(rationale))]
        case .resolve(let result): return [("result", .string(result))]
        case .close(let outcome): return [("outcome", .string(outcome))]
        case .reopen(let to, let reason): return [("to", .string(to.rawValue)), ("reason", .string(reason))]
        case .comment(let text): return [("text", .string(text))]
        case .rate(let score, let comment): return [("score", .int(Int64(score))), ("comment", .string(comment))]
        case .raiseFinding(let f):
            var result: [(String, JSONValue)] = [
                ("finding", .string(f.id)), ("detector", .string(f.detector)), ("severity", .string(f.severity.rawValue)),
                ("evidence", .array(f.evidence.map { .int($0) })), ("value", .string(f.value)), ("limit", .string(f.limit)),
                ("explanation", .string(f.explanation)), ("explanationEn", .string(f.explanationEn)),
            ]
            if let o = f.official { result.append(("official", .string(o.rawValue))) }
            if let u = f.unit { result.append(("unit", .string(u.rawValue))) }
            return result
        case .explainFinding(let id, let text): return [("finding", .string(id)), ("text", .string(text))]
        case .reviewFinding(let id, let uphold, let note, let cause, let protection):
            // No "cause" or "protection" key when there is none, so the entries written before them keep their bytes and hashes.
            return [("finding", .string(id)), ("uphold", .bool(uphold)), ("note", .string(note))] + (cause.map { [("cause", .string($0))] } ?? [])
                + (protection.map {
                    [
                        (
                            "protection",
                            JSONValue.object(["proposal": .string($0.proposal.rawValue), "unmet": .array($0.unmet.map { .string($0) })])
                        )
                    ]
                } ?? [])
        case .decideConsequence(let d):
            var fields: [(String, JSONValue)] = [
                ("finding", .string(d.finding)), ("measure", .string(d.measure)), ("consequence", .string(d.kind.rawValue)),
                ("legalBasis", .string(d.legalBasis)), ("text", .string(d.text)),
            ]
            if let n = d.decisionNumber { fields.append(("decisionNumber", .string(n))) }
            if let o = d.remediationOwner { fields.append(("remediationOwner", .string(o.rawValue))) }
            if let due = d.remediationDue { fields.append(("remediationDue", .string(due.description))) }
            return fields
        case .completeRemediation(let id, let text): return [("finding", .string(id)), ("text", .string(text))]
        case .revealIdentity(let reason): return [("reason", .string(reason))]
        case .receptionHeld(let session): return receptionFields(session)
        case .refuseIntake(let ground, let reason): return [("ground", .string(ground)), ("reason", .string(reason))]
        case .guide(let body, let basis, let note): return [("body", .string(body)), ("legalBasis", .string(basis)), ("note", .string(note))]
        case .markDuplicate(let other, let note): return [("duplicateOf", .string(other.rawValue)), ("note", .string(note))]
        case .duplicateLinked(let duplicate): return [("duplicate", .string(duplicate.rawValue))]
        // The entry's type says which of the optional fields is present (`Withdrawal.type`).
        case .withdraw(let w):
            return [("letter", .string(w.letter))] + (w.part.map { [("part", JSONValue.string($0))] } ?? [])
                + (w.part == nil ? (w.continuing.map { [("continuing", JSONValue.string($0))] } ?? []) : [])
        case .progress(let p):
            return [("percent", .int(Int64(p.percent))), ("text", .string(p.text))]
                + (p.attachment.map { [("attachment", JSONValue.string($0))] } ?? [])
        case .submitDraft(let to, let draft): return [("to", .string(to.rawValue)), ("draft", .string(draft))]
        case .approveDraft(let note): return [("note", .string(note))]
        case .returnDraft(let reason): return [("reason", .string(reason))]
        case .cancel(let reason): return [("reason", .string(reason))]
        case .submitReport(let to, let report):
            return [
                ("to", .string(to.rawValue)), ("document", .string(report.document)),
                ("figures", .object(report.figures.mapValues { .int(Int64($0)) })),
            ]
        case .recordViolation(let v):
            return [
                ("unit", .string(v.unit.rawValue)), ("field", .string(v.field)), ("text", .string(v.text)),
                ("cases", .array(v.cases.map { .string($0.rawValue) })),
            ]
        case .concludeInspection(let c):
            return [
                (
                    "issuedBy",
                    .object([
                        "number": .string(c.document.number), "date": .string(c.document.date.description), "signer": .string(c.document.signer),
                    ])
                ),
                ("summary", .string(c.summary)),
            ]
        case .decideProposal(let approve, let note): return [("approve", .bool(approve)), ("note", .string(note))]
        case .actUnderProposal(let proposal, let note, let approval):
            return [("proposal", .string(proposal.rawValue)), ("note", .string(note))] + (approval.map { [("approval", JSONValue.int($0))] } ?? [])
        case .proposalApplied(let other): return [("applied", .string(other.rawValue))]
        case .dialogue(let d):
            return [
                ("participants", .string(d.participants)), ("outcome", .string(d.outcome)), ("minutes", .string(d.minutes)),
                ("complainantAttended", .bool(d.complainantAttended)),
            ]
        }
    }

    /// Reads an entry back; errors name the missing or mistyped field.
    public static func decode(_ bytes: [UInt8]) throws -> (index: Int64, action: Action) {
        let value = try CanonicalJSON.decode(bytes)
        return try decode(value)
    }

    public static func decode(_ value: JSONValue) throws(LedgerEntryError) -> (index: Int64, action: Action) {
        guard case .object(let object) = value else { throw .notAnObject }
        let reader = FieldReader(object: object)
        let version = try reader.int("v")
        guard Self.versions.contains(version) else { throw .unsupportedVersion(version) }
        var via: Credential?
        if version >= 2 {
            let text = try reader.string("via")
            guard let credential = Credential(stored: text) else {
                throw .invalidField(
                    field: "via", expected: "a credential (session:, token:, cli:, citizen-pin, public-form, open311, server, generated:)",
                    found: text)
            }
            via = credential
        }
        let index = try reader.int("index")
        let typeName = try reader.string("type")
        guard let type = ActionType(rawValue: typeName) else {
            throw .invalidField(field: "type", expected: "one of \(ActionType.allCases.map(\.rawValue))", found: typeName)
        }
        let actorText = try reader.string("actor")
        guard let actor = Actor(stored: actorText) else {
            throw .invalidField(field: "actor", expected: "an official id, @citizen or @system:NAME", found: actorText)
        }
        let body: ActionBody
        switch type {
        case .open:
            var subject: SubjectRef?
            if case .object(let s)? = object["subject"] {
                let sub = FieldReader(object: s)
                subject = SubjectRef(ref: try sub.string("ref"), hash: try sub.string("hash"))
            }
            var concerning: Concerning?
            if case .object(let c)? = object["concerning"] {
                let sub = FieldReader(object: c)
                let named = Concerning(
                    unit: try sub.optionalString("unit").map(UnitID.init(rawValue:)),
                    official: try sub.optionalString("official").map(OfficialID.init(rawValue:)))
                // An object naming neither is no concern at all: the encoder writes none, so decoding agrees with it.
                concerning = named.isEmpty ? nil : named
            }
            let document = try Self.issuingDocument(object["issuedBy"])
            let template = try Self.template(object["template"])
            body = .open(
                OpenCase(
                    kind: try reader.enumValue("kind", CaseKind.self), procedure: try reader.optionalString("procedure"),
                    title: try reader.string("title"), leadUnit: UnitID(try reader.string("leadUnit")),
                    collaborators: try reader.stringArray("collaborators", optional: true).map(UnitID.init(rawValue:)),
                    owner: OfficialID(try reader.string("owner")), dueDate: try reader.optionalDate("dueDate"),
                    ruleID: try reader.optionalString("ruleID"), subject: subject,
                    documents: try reader.stringArray("documents", optional: true), concerning: concerning,
                    decidingBody: try reader.optionalString("decidingBody").map(UnitID.init(rawValue:)),
                    competenceRuleID: try reader.optionalString("competenceRule"),
                    parent: try reader.optionalString("parent").map(CaseID.init(rawValue:)), product: try reader.optionalString("product"),
                    document: document, template: template, inspection: try Self.inspection(object["inspection"]),
                    proposal: try Self.proposal(object["proposal"])))
        case .assign: body = .assign(to: OfficialID(try reader.string("to")), note: try reader.string("note"))
        case .accept: body = .accept(note: try reader.string("note"), dueDate: try reader.optionalDate("dueDate"))
        case .transfer: body = .transfer(to: OfficialID(try reader.string("to")), reason: try reader.string("reason"))
        case .escalate: body = .escalate(to: OfficialID(try reader.string("to")), proposal: try reader.string("proposal"))
        case .delegate: body = .delegate(to: OfficialID(try reader.string("to")), instruction: try reader.string("instruction"))
        case .consult:
            body = .consult(
                units: try reader.stringArray("units").map(UnitID.init(rawValue:)), question: try reader.string("question"),
                dueDate: try reader.date("dueDate"))
        case .opinion: body = .opinion(unit: UnitID(try reader.string("unit")), text: try reader.string("text"))
        case .requestSupplement: body = .requestSupplement(missing: try reader.stringArray("missing"))
        case .supplementReceived:
            body = .supplementReceived(note: try reader.string("note"), newDueDate: try reader.optionalDate("newDueDate"))
        case .reschedule: body = .reschedule(newDueDate: try reader.date("newDueDate"), apology: try reader.string("apology"))
        case .extend: body = .extend(newDueDate: try reader.date("newDueDate"), legalBasis: try reader.string("legalBasis"))
        case .suspend: body = .suspend(legalBasis: try reader.string("legalBasis"), reason: try reader.string("reason"))
        case .resume: body = .resume(note: try reader.string("note"), newDueDate: try reader.optionalDate("newDueDate"))
        case .decline:
            body = .decline(
                legalBasis: try reader.string("legalBasis"), competentUnit: try reader.string("competentUnit"),
                reason: try reader.string("reason"), receiver: try reader.optionalString("to").map(OfficialID.init(rawValue:)))
        case .decide: body = .decide(decision: try reader.string("decision"), rationale: try reader.string("rationale"))
        case .resolve: body = .resolve(result: try reader.string("result"))
        case .close: body = .close(outcome: try reader.string("outcome"))
        case .reopen: body = .reopen(to: OfficialID(try reader.string("to")), reason: try reader.string("reason"))
        case .comment: body = .comment(text: try reader.string("text"))
        case .rate: body = .rate(score: Int(try reader.int("score")), comment: try reader.string("comment"))
        case .raiseFinding:
            body = .raiseFinding(
                FindingNotice(
                    id: try reader.string("finding"), detector: try reader.string("detector"),
                    official: try reader.optionalString("official").map(OfficialID.init(rawValue:)),
                    unit: try reader.optionalString("unit").map(UnitID.init(rawValue:)), severity: try reader.enumValue("severity", Severity.self),
                    evidence: try reader.intArray("evidence"), value: try reader.string("value"), limit: try reader.string("limit"),
                    explanation: try reader.string("explanation"), explanationEn: try reader.string("explanationEn")))
        case .explainFinding: body = .explainFinding(id: try reader.string("finding"), text: try reader.string("text"))
        case .reviewFinding:
            body = .reviewFinding(
                id: try reader.string("finding"), uphold: try reader.bool("uphold"), note: try reader.string("note"),
                cause: try reader.optionalString("cause"), protection: try Self.protection(object["protection"]))
        case .decideConsequence:
            body = .decideConsequence(
                ConsequenceDecision(
                    finding: try reader.string("finding"), measure: try reader.string("measure"),
                    kind: try reader.enumValue("consequence", ConsequenceKind.self), legalBasis: try reader.string("legalBasis"),
                    text: try reader.string("text"), decisionNumber: try reader.optionalString("decisionNumber"),
                    remediationOwner: try reader.optionalString("remediationOwner").map(OfficialID.init(rawValue:)),
                    remediationDue: try reader.optionalDate("remediationDue")))
        case .completeRemediation: body = .completeRemediation(finding: try reader.string("finding"), text: try reader.string("text"))
        case .revealIdentity: body = .revealIdentity(reason: try reader.string("reason"))
        case .receptionPeriodic, .receptionOther: body = .receptionHeld(try receptionSession(reader, periodic: type == .receptionPeriodic))
        case .refuseIntake: body = .refuseIntake(ground: try reader.string("ground"), reason: try reader.string("reason"))
        case .guide: body = .guide(body: try reader.string("body"), legalBasis: try reader.string("legalBasis"), note: try reader.string("note"))
        case .duplicate: body = .markDuplicate(of: CaseID(try reader.string("duplicateOf")), note: try reader.string("note"))
        case .duplicateLinked: body = .duplicateLinked(duplicate: CaseID(try reader.string("duplicate")))
        case .withdrawal: body = .withdraw(Withdrawal(letter: try reader.string("letter")))
        case .withdrawalPartial: body = .withdraw(Withdrawal(letter: try reader.string("letter"), part: try reader.string("part")))
        case .withdrawalContinued:
            body = .withdraw(Withdrawal(letter: try reader.string("letter"), continuing: try reader.string("continuing")))
        case .progress:
            body = .progress(
                TaskProgress(
                    percent: Int(try reader.int("percent")), text: try reader.string("text"), attachment: try reader.optionalString("attachment")))
        case .submitDraft: body = .submitDraft(to: OfficialID(try reader.string("to")), draft: try reader.string("draft"))
        case .approveDraft: body = .approveDraft(note: try reader.string("note"))
        case .returnDraft: body = .returnDraft(reason: try reader.string("reason"))
        case .cancel: body = .cancel(reason: try reader.string("reason"))
        case .submitReport:
            body = .submitReport(
                to: OfficialID(try reader.string("to")),
                report: ReportSubmission(document: try reader.string("document"), figures: try reader.intObject("figures")))
        case .recordViolation:
            body = .recordViolation(
                InspectionViolation(
                    unit: UnitID(try reader.string("unit")), field: try reader.string("field"), text: try reader.string("text"),
                    cases: try reader.stringArray("cases").map(CaseID.init(rawValue:))))
        case .concludeInspection:
            guard let document = try Self.issuingDocument(object["issuedBy"]) else { throw .missingField("issuedBy") }
            body = .concludeInspection(InspectionConclusion(document: document, summary: try reader.string("summary")))
        case .decideProposal: body = .decideProposal(approve: try reader.bool("approve"), note: try reader.string("note"))
        case .actUnderProposal:
            body = .actUnderProposal(
                proposal: CaseID(try reader.string("proposal")), note: try reader.string("note"), approval: try reader.optionalInt("approval"))
        case .proposalApplied: body = .proposalApplied(case: CaseID(try reader.string("applied")))
        case .dialogue:
            body = .dialogue(
                Dialogue(
                    participants: try reader.string("participants"), outcome: try reader.string("outcome"),
                    minutes: try reader.string("minutes"), complainantAttended: try reader.bool("complainantAttended")))
        }
        let action = Action(caseID: CaseID(try reader.string("case")), actor: actor, at: try reader.int("at"), body: body, via: via)
        return (index, action)
    }
}

/// A canonical entry split around its index: `prefix ‖ decimal(index) ‖ suffix` is exactly
/// `LedgerEntryCodec.encode(action, index:)`.
public struct PreparedEntry: Sendable, Hashable {
    let prefix: [UInt8]
    let suffix: [UInt8]

    public func bytes(index: Int64) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(prefix.count + suffix.count + 20)
        out.append(contentsOf: String(index).utf8)
        out.append(contentsOf: suffix)
        return out
    }
}

public enum LedgerEntryError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    case unsupportedVersion(Int64)
    case missingField(String)
    case invalidField(field: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .notAnObject: "ledger entry: expected a JSON object"
        case .unsupportedVersion(let v):
            "ledger entry: expected version \(LedgerEntryCodec.versions.lowerBound)…\(LedgerEntryCodec.versions.upperBound), found \(v)"
        case .missingField(let f): "ledger entry: field '\(f)' is missing"
        case .invalidField(let f, let expected, let found): "ledger entry: field '\(f)': expected \(expected), found \(found)"
        }
    }
}

extension LedgerEntryCodec {
    /// The document (number, date, signer) an opening or a conclusion names, if any.
    static func issuingDocument(_ value: JSONValue?) throws(LedgerEntryError) -> IssuingDocument? {
        guard let value else { return nil }
        guard case .object(let d) = value else {
            throw .invalidField(field: "issuedBy", expected: "an object with number, date and signer", found: "\(value)")
        }
        let sub = FieldReader(object: d)
        return IssuingDocument(number: try sub.string("number"), date: try sub.date("date"), signer: try sub.string("signer"))
    }

    /// An inspection's scope, if the opening carries one.
    static func inspection(_ value: JSONValue?) throws(LedgerEntryError) -> InspectionScope? {
        guard let value else { return nil }
        guard case .object(let i) = value else {
            throw .invalidField(field: "inspection", expected: "an object with subjects, from, to and fields", found: "\(value)")
        }
        let reader = FieldReader(object: i)
        return InspectionScope(
            subjects: try reader.stringArray("subjects").map(UnitID.init(rawValue:)), from: try reader.date("from"), to: try reader.date("to"),
            fields: try reader.stringArray("fields"))
    }

    /// A proposal, if the opening carries one.
    static func proposal(_ value: JSONValue?) throws(LedgerEntryError) -> BoldProposal? {
        guard let value else { return nil }
        guard case .object(let p) = value else {
            throw .invalidField(field: "proposal", expected: "an object with problem, action, basis, benefit and risks", found: "\(value)")
        }
        let reader = FieldReader(object: p)
        return BoldProposal(
            problem: try reader.string("problem"), action: try reader.string("action"), basis: try reader.string("basis"),
            benefit: try reader.string("benefit"), risks: try reader.string("risks"))
    }

    /// A review's assessment against the decree's criteria, if it carries one.
    static func protection(_ value: JSONValue?) throws(LedgerEntryError) -> ProtectionReview? {
        guard let value else { return nil }
        guard case .object(let p) = value else {
            throw .invalidField(field: "protection", expected: "an object with proposal and unmet", found: "\(value)")
        }
        let reader = FieldReader(object: p)
        return ProtectionReview(proposal: CaseID(try reader.string("proposal")), unmet: try reader.stringArray("unmet"))
    }

    /// A report request's template, if the opening carries one.
    static func template(_ value: JSONValue?) throws(LedgerEntryError) -> ReportTemplate? {
        guard let value else { return nil }
        guard case .object(let t) = value else {
            throw .invalidField(field: "template", expected: "an object with sections and figures", found: "\(value)")
        }
        let reader = FieldReader(object: t)
        guard case .array(let items)? = t["figures"] else {
            throw .invalidField(field: "template.figures", expected: "an array", found: "\(t["figures"].map { "\($0)" } ?? "nothing")")
        }
        var figures: [ReportFigure] = []
        for (n, item) in items.enumerated() {
            guard case .object(let f) = item else { throw .invalidField(field: "template.figures[\(n)]", expected: "an object", found: "\(item)") }
            let figure = FieldReader(object: f)
            figures.append(ReportFigure(code: try figure.string("code"), label: try figure.string("label")))
        }
        return ReportTemplate(sections: try reader.stringArray("sections"), figures: figures)
    }
}

struct FieldReader {
    let object: [String: JSONValue]

    func string(_ key: String) throws(LedgerEntryError) -> String {
        guard let value = object[key] else { throw .missingField(key) }
        guard case .string(let s) = value else { throw .invalidField(field: key, expected: "a string", found: "\(value)") }
        return s
    }

    func optionalString(_ key: String) throws(LedgerEntryError) -> String? {
        object[key] == nil ? nil : try string(key)
    }

    func int(_ key: String) throws(LedgerEntryError) -> Int64 {
        guard let value = object[key] else { throw .missingField(key) }
        guard case .int(let i) = value else { throw .invalidField(field: key, expected: "an integer", found: "\(value)") }
        return i
    }

    func optionalInt(_ key: String) throws(LedgerEntryError) -> Int64? {
        object[key] == nil ? nil : try int(key)
    }

    func bool(_ key: String) throws(LedgerEntryError) -> Bool {
        guard let value = object[key] else { throw .missingField(key) }
        guard case .bool(let b) = value else { throw .invalidField(field: key, expected: "true or false", found: "\(value)") }
        return b
    }

    func intArray(_ key: String) throws(LedgerEntryError) -> [Int64] {
        guard let value = object[key] else { throw .missingField(key) }
        guard case .array(let items) = value else { throw .invalidField(field: key, expected: "an array", found: "\(value)") }
        var result: [Int64] = []
        for (i, item) in items.enumerated() {
            guard case .int(let n) = item else { throw .invalidField(field: "\(key)[\(i)]", expected: "an integer", found: "\(item)") }
            result.append(n)
        }
        return result
    }

    /// An object of integers (a report's figures by code), each fitting an `Int`.
    func intObject(_ key: String) throws(LedgerEntryError) -> [String: Int] {
        guard let value = object[key] else { throw .missingField(key) }
        guard case .object(let items) = value else { throw .invalidField(field: key, expected: "an object", found: "\(value)") }
        var result: [String: Int] = [:]
        for (name, item) in items {
            guard case .int(let n) = item, let small = Int(exactly: n) else {
                throw .invalidField(field: "\(key).\(name)", expected: "an integer", found: "\(item)")
            }
            result[name] = small
        }
        return result
    }

    func date(_ key: String) throws(LedgerEntryError) -> CivilDate {
        let text = try string(key)
        do { return try CivilDate(iso: text) } catch {
            throw .invalidField(field: key, expected: "a date YYYY-MM-DD", found: text)
        }
    }

    func optionalDate(_ key: String) throws(LedgerEntryError) -> CivilDate? {
        object[key] == nil ? nil : try date(key)
    }

    func stringArray(_ key: String, optional: Bool = false) throws(LedgerEntryError) -> [String] {
        guard let value = object[key] else {
            if optional { return [] }
            throw .missingField(key)
        }
        guard case .array(let items) = value else { throw .invalidField(field: key, expected: "an array", found: "\(value)") }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw .invalidField(field: "\(key)[\(i)]", expected: "a string", found: "\(item)")
            }
            result.append(s)
        }
        return result
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(LedgerEntryError) -> E
    where E.RawValue == String {
        let text = try string(key)
        guard let value = E(rawValue: text) else {
            throw .invalidField(field: key, expected: "one of \(E.allCases.map(\.rawValue))", found: text)
        }
        return value
    }
}
