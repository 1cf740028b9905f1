import BuckStopCalendar

/// Who inspects whom (hình thức kiểm tra): a unit looking at its own work, or a superior or an inspectorate looking at it.
/// The difference is what `self_inspection_miss` is about: seed 002 (Công văn 5046) makes the head answer when the unit's
/// own inspection found nothing that an outside one then found. It is the inspection's level (`PlanLevel`), so the case's
/// projection knows it without a column of its own.
public enum InspectionForm: String, Sendable, Codable, CaseIterable, Hashable {
    /// Tự kiểm tra: the unit's head has the unit's own work inspected.
    case selfInspection = "self"
    /// Kiểm tra, thanh tra của cấp trên hoặc cơ quan thanh tra.
    case external

    public var nameVi: String {
        switch self {
        case .selfInspection: "Tự kiểm tra"
        case .external: "Kiểm tra, thanh tra từ bên ngoài"
        }
    }

    public var nameEn: String {
        switch self {
        case .selfInspection: "Self-inspection"
        case .external: "External inspection"
        }
    }
}

/// What an inspection covers, as its decision (quyết định kiểm tra, thanh tra) states it: the units inspected, the period whose work is looked at (thời kỳ kiểm tra — not when the team works), and the fields (nội dung), by the
/// rulebook's field codes (`InspectionField`). Carried by the inspection's opening, so it cannot change afterwards.
public struct InspectionScope: Sendable, Hashable {
    public var subjects: [UnitID]
    public var from: CivilDate
    public var to: CivilDate
    public var fields: [String]

    public init(subjects: [UnitID], from: CivilDate, to: CivilDate, fields: [String]) {
        self.subjects = subjects
        self.from = from
        self.to = to
        self.fields = fields
    }

    /// Whether both scopes look at the same unit's work in the same field over days they share.
    public func overlaps(_ other: InspectionScope) -> Bool {
        from <= other.to && other.from <= to && !Set(subjects).isDisjoint(with: other.subjects) && !Set(fields).isDisjoint(with: other.fields)
    }
}

/// A violation an inspection found (vi phạm được phát hiện): in which inspected unit, in which field of the scope, what it
/// was, and the cases where it shows (their codes; none when it is about the unit's rules rather than a case).
public struct InspectionViolation: Sendable, Hashable {
    public var unit: UnitID
    public var field: String
    public var text: String
    public var cases: [CaseID]

    public init(unit: UnitID, field: String, text: String, cases: [CaseID] = []) {
        self.unit = unit
        self.field = field
        self.text = text
        self.cases = cases
    }
}

/// Kết luận kiểm tra, thanh tra: the signed conclusion and its gist. Its recommendations (kiến nghị) are tasks under the
/// inspection, each with an owner and a due date, so they are tracked, reminded and rolled up like any task.
public struct InspectionConclusion: Sendable, Hashable {
    public var document: IssuingDocument
    public var summary: String

    public init(document: IssuingDocument, summary: String) {
        self.document = document
        self.summary = summary
    }
}

/// A field inspections cover (lĩnh vực), as rulebook data: its name and whether the rulebook's source marks it as prone to
/// corruption (đất đai, xây dựng, tài chính công…), which inspection planning weighs when it ranks units by risk.
/// `procedures` lists the code prefixes of the rulebook's procedures that belong to the field (`DD-` for land), so a case
/// is counted in a field by its procedure — the longest prefix wins — and causes and risk are counted by field.
public struct InspectionField: Sendable, Codable, Hashable, Identifiable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    public var proneToCorruption: Bool
    public var source: String
    public var status: String
    public var procedures: [String]?

    public var id: String { code }

    public init(
        code: String, nameVi: String, nameEn: String, proneToCorruption: Bool, source: String, status: String, procedures: [String]? = nil
    ) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.proneToCorruption = proneToCorruption
        self.source = source
        self.status = status
        self.procedures = procedures
    }
}

extension [InspectionField] {
    /// The field a procedure belongs to: the one listing the longest prefix of its code; nil when none lists one (a task,
    /// a plan, a procedure the rulebook has not placed).
    public func field(ofProcedure procedure: String?) -> InspectionField? {
        guard let procedure, !procedure.isEmpty else { return nil }
        var best: (length: Int, field: InspectionField)?
        for field in self {
            for prefix in field.procedures ?? [] where !prefix.isEmpty && procedure.hasPrefix(prefix) {
                if prefix.count > best?.length ?? 0 { best = (prefix.count, field) }
            }
        }
        return best?.field
    }
}

/// Why an inspection step was refused, worded once per language.
public enum InspectionRefusal: Sendable, Equatable, CustomStringConvertible {
    case scopeRequired
    case scopeOnlyForInspections
    case noSubjects
    case repeatedSubject(UnitID)
    case noFields
    case unknownField(String, known: [String])
    case periodReversed(from: CivilDate, to: CivilDate)
    /// A self-inspection looks at the lead unit's own work (its units); an external one at units other than its own.
    case selfOutsideLead(UnitID, lead: UnitID)
    case externalInspectsItself(UnitID)
    case notAnInspection(action: String)
    case alreadyConcluded
    case unitNotInScope(UnitID, subjects: [UnitID])
    case fieldNotInScope(String, fields: [String])
    /// Only a head of the lead unit or above signs a self-inspection's conclusion: it is the head's word on the unit.
    case onlyHeadConcludesSelf

    public var description: String { english }

    public var english: String {
        switch self {
        case .scopeRequired: "an inspection carries its scope: form, units inspected, period and fields"
        case .scopeOnlyForInspections: "only an inspection carries an inspection scope"
        case .noSubjects: "an inspection names at least one unit it inspects"
        case .repeatedSubject(let unit): "unit \(unit.rawValue) is named twice"
        case .noFields: "an inspection names at least one field"
        case .unknownField(let code, let known): "the rulebook has no field \(code); it has \(known)"
        case .periodReversed(let from, let to): "the period ends (\(to)) before it starts (\(from))"
        case .selfOutsideLead(let unit, let lead): "a self-inspection by \(lead.rawValue) looks at its own units; \(unit.rawValue) is not one"
        case .externalInspectsItself(let unit): "an external inspection is by another body; \(unit.rawValue) leads it and is inspected"
        case .notAnInspection(let action): "\(action) is a step of an inspection; this case is not one"
        case .alreadyConcluded: "the inspection is concluded: its findings are final"
        case .unitNotInScope(let unit, let subjects): "\(unit.rawValue) is not inspected here; the inspection covers \(subjects.map(\.rawValue))"
        case .fieldNotInScope(let field, let fields): "field \(field) is outside the inspection's scope \(fields)"
        case .onlyHeadConcludesSelf: "only a head of the unit or of a unit above it signs a self-inspection's conclusion"
        }
    }

    public var vietnamese: String {
        switch self {
        case .scopeRequired: "cuộc kiểm tra phải ghi phạm vi: hình thức, đơn vị được kiểm tra, thời kỳ và nội dung"
        case .scopeOnlyForInspections: "chỉ cuộc kiểm tra, thanh tra mới có phạm vi kiểm tra"
        case .noSubjects: "cuộc kiểm tra phải có ít nhất một đơn vị được kiểm tra"
        case .repeatedSubject(let unit): "đơn vị \(unit.rawValue) bị ghi hai lần"
        case .noFields: "cuộc kiểm tra phải có ít nhất một nội dung (lĩnh vực)"
        case .unknownField(let code, let known): "bộ quy tắc không có lĩnh vực \(code); các lĩnh vực: \(known.joined(separator: ", "))"
        case .periodReversed(let from, let to): "thời kỳ kiểm tra kết thúc (\(to)) trước khi bắt đầu (\(from))"
        case .selfOutsideLead(let unit, let lead):
            "tự kiểm tra của \(lead.rawValue) chỉ xem công việc của chính đơn vị; \(unit.rawValue) không thuộc đơn vị"
        case .externalInspectsItself(let unit): "kiểm tra từ bên ngoài do cơ quan khác tiến hành; \(unit.rawValue) vừa chủ trì vừa là đối tượng"
        case .notAnInspection(let action): "\(action) là bước của cuộc kiểm tra, thanh tra; hồ sơ này không phải"
        case .alreadyConcluded: "cuộc kiểm tra đã có kết luận, không ghi thêm vi phạm"
        case .unitNotInScope(let unit, let subjects):
            "\(unit.rawValue) không phải đối tượng kiểm tra; đối tượng: \(subjects.map(\.rawValue).joined(separator: ", "))"
        case .fieldNotInScope(let field, let fields): "lĩnh vực \(field) ngoài nội dung kiểm tra (\(fields.joined(separator: ", ")))"
        case .onlyHeadConcludesSelf: "chỉ người đứng đầu đơn vị hoặc cấp trên mới ký kết luận tự kiểm tra"
        }
    }
}

extension InspectionScope {
    /// A scope as an inspection's opening may carry it, led by `lead`: units named once, a period that does not run
    /// backwards, at least one field. Field codes against the rulebook and units against the organisation are checked
    /// when they are given.
    public func check(action: String, form: InspectionForm, lead: UnitID, fieldCodes: Set<String>?, in org: Organization?) throws(DomainError) {
        func refuse(_ field: String, _ why: InspectionRefusal) -> DomainError {
            .invalidField(action: action, field: field, reason: .inspection(why))
        }
        guard !subjects.isEmpty else { throw refuse("inspection.subjects", .noSubjects) }
        var seen = Set<UnitID>()
        for (n, unit) in subjects.enumerated() {
            guard seen.insert(unit).inserted else { throw refuse("inspection.subjects[\(n)]", .repeatedSubject(unit)) }
            if let org {
                guard org.unit(unit) != nil else { throw .unknownUnit(unit) }
                switch form {
                case .selfInspection:
                    guard org.isWithin(unit, subtreeOf: lead) else { throw refuse("inspection.subjects[\(n)]", .selfOutsideLead(unit, lead: lead)) }
                case .external:
                    guard unit != lead else { throw refuse("inspection.subjects[\(n)]", .externalInspectsItself(unit)) }
                }
            }
        }
        guard from <= to else { throw refuse("inspection.to", .periodReversed(from: from, to: to)) }
        guard !fields.isEmpty else { throw refuse("inspection.fields", .noFields) }
        for (n, code) in fields.enumerated() {
            if let fieldCodes, !fieldCodes.contains(code) {
                throw refuse("inspection.fields[\(n)]", .unknownField(code, known: fieldCodes.sorted()))
            }
            try CaseState.requireText(code, action: action, field: "inspection.fields[\(n)]")
        }
    }

    /// A violation this inspection may record: in a unit it inspects, in a field it covers.
    public func check(_ violation: InspectionViolation, action: String) throws(DomainError) {
        guard subjects.contains(violation.unit) else {
            throw .invalidField(action: action, field: "unit", reason: .inspection(.unitNotInScope(violation.unit, subjects: subjects)))
        }
        guard fields.contains(violation.field) else {
            throw .invalidField(action: action, field: "field", reason: .inspection(.fieldNotInScope(violation.field, fields: fields)))
        }
    }
}

extension CaseState {
    /// Self or external when this case is an inspection (a `programme` case of an inspection level: its recommendations
    /// are its tasks), nil otherwise.
    public var inspectionForm: InspectionForm? { kind == .programme ? PlanLevel(rawValue: procedure ?? "")?.inspectionForm : nil }

    public var isInspection: Bool { inspectionForm != nil }

    /// The steps of an inspection: a violation found (by the team's holder, before the conclusion), and the conclusion
    /// (kết luận), after which the inspection is resolved — its findings final, its recommendations tracked as tasks until
    /// it is closed. That a violation's unit and field are in the scope is checked by the writer, which reads the opening
    /// (`InspectionScope.check(_:action:)`).
    mutating func applyInspectionStep(_ body: ActionBody, name: String, action: Action, actorID: OfficialID?, in org: Organization?)
        throws(DomainError)
    {
        try requireOwner(actorID, action: name, actor: action.actor)
        guard isInspection else { throw .invalidField(action: name, field: "case", reason: .inspection(.notAnInspection(action: name))) }
        guard status != .resolved else { throw .invalidField(action: name, field: "case", reason: .inspection(.alreadyConcluded)) }
        try requireActive(name)
        switch body {
        case .recordViolation(let violation):
            try Self.requireText(violation.field, action: name, field: "field")
            try Self.requireText(violation.text, action: name, field: "text")
            for (n, id) in violation.cases.enumerated() { try Self.requireText(id.rawValue, action: name, field: "cases[\(n)]") }
            status = .processing
        case .concludeInspection(let conclusion):
            try Self.requireText(conclusion.document.number, action: name, field: "document.number")
            try Self.requireText(conclusion.document.signer, action: name, field: "document.signer")
            try Self.requireText(conclusion.summary, action: name, field: "summary")
            if inspectionForm == .selfInspection, let org, let actorID {
                guard let actor = org.official(actorID), actor.roles.contains(.head), org.isWithin(leadUnit, subtreeOf: actor.unit) else {
                    throw .notPermitted(action: name, actor: actorID.rawValue, reason: .inspection(.onlyHeadConcludesSelf))
                }
            }
            status = .resolved
        default:
            return
        }
    }
}

/// An inspection as its ledger tells it: the opening's scope, each violation with its entry's index, and the conclusion.
/// Pure: the page, the API, the judge and `analyze` all read an inspection through it.
public struct InspectionRecord: Sendable {
    public var caseID: CaseID
    public var title: String
    public var leadUnit: UnitID
    public var form: InspectionForm
    public var scope: InspectionScope
    public var openedAt: Int64
    public var openingIndex: Int64
    public var violations: [(index: Int64, violation: InspectionViolation)]
    public var conclusion: (index: Int64, at: Int64, by: OfficialID?, conclusion: InspectionConclusion)?
    /// Closed or cancelled: no longer in force (overlap looks only at inspections in force).
    public var ended: Bool

    /// The record of one case's entries, in order; nil unless the first is an inspection's opening.
    public init?(caseID: CaseID, records: [(index: Int64, action: Action)]) {
        guard let first = records.first, case .open(let open) = first.action.body, let scope = open.inspection,
            let form = PlanLevel(rawValue: open.procedure ?? "")?.inspectionForm
        else { return nil }
        self.caseID = caseID
        self.form = form
        title = open.title
        leadUnit = open.leadUnit
        self.scope = scope
        openedAt = first.action.at
        openingIndex = first.index
        violations = []
        conclusion = nil
        ended = false
        for (index, action) in records.dropFirst() {
            switch action.body {
            case .recordViolation(let violation): violations.append((index, violation))
            case .concludeInspection(let conclusion): self.conclusion = (index, action.at, action.actor.officialID, conclusion)
            case .close, .cancel: ended = true
            case .reopen: ended = false
            default: break
            }
        }
    }
}

extension ActionBody {
    /// The unit and field of a recorded violation.
    public var violation: (unit: UnitID, field: String)? {
        if case .recordViolation(let v) = self { return (v.unit, v.field) }
        return nil
    }
}

/// An inspection as one attribute of an exported log's trace (`buckstop:inspection`), so that `analyze` can judge
/// `self_inspection_miss` over a system it does not run: the scope and the (unit, field) of each violation recorded,
/// `subjects=U1,U2;from=YYYY-MM-DD;to=YYYY-MM-DD;fields=F1,F2;violations=U1:F1,U2:F2`. Whether it is a self-inspection
/// is the trace's procedure (`PlanLevel`); its conclusion is the event whose activity is a resolution. Unit ids and field
/// codes must not contain `;`, `,`, `:` or `=`.
public struct InspectionLogText: Sendable, Equatable {
    public var scope: InspectionScope
    public var violations: [(unit: UnitID, field: String)]

    public init(scope: InspectionScope, violations: [(unit: UnitID, field: String)]) {
        self.scope = scope
        self.violations = violations
    }

    public var text: String {
        "subjects=" + scope.subjects.map(\.rawValue).joined(separator: ",") + ";from=\(scope.from);to=\(scope.to);fields="
            + scope.fields.joined(separator: ",") + ";violations=" + violations.map { "\($0.unit.rawValue):\($0.field)" }.joined(separator: ",")
    }

    /// Nil when the text is not in this shape (a missing key, a bad date, a violation without its field).
    public init?(_ text: String) {
        var parts: [Substring: Substring] = [:]
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else { return nil }
            parts[part[..<equals]] = part[part.index(after: equals)...]
        }
        func list(_ key: Substring) -> [String]? { parts[key].map { $0.split(separator: ",").map(String.init) } }
        guard let subjects = list("subjects"), !subjects.isEmpty, let fields = list("fields"), let fromText = parts["from"],
            let toText = parts["to"], let from = try? CivilDate(iso: String(fromText)), let to = try? CivilDate(iso: String(toText))
        else { return nil }
        var violations: [(UnitID, String)] = []
        for item in list("violations") ?? [] {
            let pair = item.split(separator: ":", omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else { return nil }
            violations.append((UnitID(String(pair[0])), String(pair[1])))
        }
        self.init(scope: InspectionScope(subjects: subjects.map(UnitID.init(rawValue:)), from: from, to: to, fields: fields), violations: violations)
    }

    public static func == (a: InspectionLogText, b: InspectionLogText) -> Bool {
        a.scope == b.scope && a.violations.map(\.unit) == b.violations.map(\.unit) && a.violations.map(\.field) == b.violations.map(\.field)
    }
}
