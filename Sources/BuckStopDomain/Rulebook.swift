import BuckStopCalendar
import Foundation

/// Which statutory clock a rule sets.
public enum RuleStep: String, Sendable, Codable, CaseIterable, Hashable {
    /// Whole handling time, from receipt to result.
    case resolve
    /// Accepting (thụ lý) a complaint.
    case accept
    /// Classifying (phân loại) a denunciation.
    case classify
    /// Forwarding to the competent body.
    case forward
    /// Answering a petition or a consultation.
    case answer
    /// Returning an incomplete dossier for supplements.
    case supplementReturn = "supplement_return"
    /// Each extension of the resolve time.
    case `extension`
}

extension CaseKind {
    /// The first clock a case of this kind runs against, which `late_intake` measures: a dossier is forwarded the same
    /// working day (NĐ 61/2018 Đ.18), a complaint accepted (Luật Khiếu nại Đ.27), a denunciation classified (Luật Tố
    /// cáo Đ.24). Every rulebook must give the rule. A petition has one clock only — its answer (Luật Tiếp công dân
    /// Đ.28), which is its due date, shown to the citizen and judged as `overdue`; judging it again as a late intake
    /// would count one late answer twice. A task has none.
    public var intakeStep: RuleStep? {
        switch self {
        case .dossier: .forward
        case .complaint: .accept
        case .denunciation: .classify
        case .petition, .task, .reception, .programme, .proposal: nil
        }
    }

    /// Kinds whose resolution time the law sets for every case of the kind (procedures may set their own on top):
    /// every rulebook must give the kind-wide `resolve` rule, so no such case is ever opened without a clock.
    public var requiresResolveRule: Bool {
        switch self {
        case .complaint, .denunciation, .petition: true
        case .dossier, .task, .reception, .programme, .proposal: false
        }
    }
}

/// When a deadline's clock starts. The law counts a complaint's or a denunciation's resolution time from its
/// acceptance (thụ lý: Luật Khiếu nại Đ.28, Luật Tố cáo Đ.30), not from the day the letter came in; until then the
/// case has no resolution due date, only its intake deadline.
public enum ClockStart: String, Sendable, Codable, Hashable {
    /// The day the case is received (the default).
    case receipt
    /// The day the case is accepted (`accept`): the acceptance entry carries the due date it starts.
    case acceptance
}

/// A statutory deadline with its legal source and the period in which it is law.
public struct DeadlineRule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    public var caseKind: CaseKind
    public var procedure: String?
    public var step: RuleStep
    public var duration: Int
    public var unit: DurationUnit
    public var source: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    /// verified / secondary / unverified / projected, as in the reference data.
    public var status: String
    /// For `extension` rules: how many extensions the law allows.
    public var maxCount: Int?
    public var note: String?
    /// For `resolve` rules: when the clock starts (absent: on receipt). A case uses the rule in force on that day.
    public var clockStarts: ClockStart?

    public init(
        id: String, caseKind: CaseKind, procedure: String?, step: RuleStep, duration: Int, unit: DurationUnit, source: String,
        effectiveFrom: CivilDate, effectiveTo: CivilDate?, status: String, maxCount: Int? = nil, note: String? = nil,
        clockStarts: ClockStart? = nil
    ) {
        self.id = id
        self.caseKind = caseKind
        self.procedure = procedure
        self.step = step
        self.duration = duration
        self.unit = unit
        self.source = source
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.status = status
        self.maxCount = maxCount
        self.note = note
        self.clockStarts = clockStarts
    }

    /// Whether this rule's clock starts on acceptance rather than on receipt.
    public var startsOnAcceptance: Bool { clockStarts == .acceptance }

}

/// Thủ tục hành chính: name, competent level, for routing and for like-with-like comparisons.
public struct Procedure: Sendable, Codable, Hashable, Identifiable {
    public var code: String
    public var nameVi: String
    public var nameEn: String?
    public var caseKind: CaseKind
    /// `xa` or `tinh` after the 2025 two-tier reform.
    public var competentLevel: String
    public var source: String
    public var status: String
    /// Thành phần hồ sơ: what the applicant hands in, so intake can tick off what was received and the receipt lists
    /// it. Absent where the rulebook has not recorded it (the official then lists the documents in words).
    public var documents: DocumentChecklist?
    public var id: String { code }

    public init(
        code: String, nameVi: String, nameEn: String?, caseKind: CaseKind, competentLevel: String, source: String, status: String,
        documents: DocumentChecklist? = nil
    ) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.caseKind = caseKind
        self.competentLevel = competentLevel
        self.source = source
        self.status = status
        self.documents = documents
    }
}

/// The documents a procedure asks for, with the provision that lists them and how sure we are of it.
public struct DocumentChecklist: Sendable, Codable, Hashable {
    public var basis: String
    public var source: String
    public var status: String
    public var items: [RequiredDocument]

    public init(basis: String, source: String, status: String, items: [RequiredDocument]) {
        self.basis = basis
        self.source = source
        self.status = status
        self.items = items
    }

    /// The items not among the documents received, in the checklist's order. A dossier is received only when
    /// complete (NĐ 61/2018 Đ.15: otherwise the applicant is told once what is missing); names match exactly, as the
    /// counter's form and an integration both send the rulebook's Vietnamese names.
    public func missing(from received: [String]) -> [RequiredDocument] {
        let given = Set(received)
        return items.filter { !given.contains($0.nameVi) }
    }
}

public struct RequiredDocument: Sendable, Codable, Hashable {
    public var nameVi: String
    public var nameEn: String

    public init(nameVi: String, nameEn: String) {
        self.nameVi = nameVi
        self.nameEn = nameEn
    }
}

/// A detector threshold or input bound with where it comes from. Undated: BuckStop's own settings, not law (statutory
/// limits are `LimitRule`s, dated).
public struct Threshold: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var value: Double
    public var source: String

    public init(id: String, value: Double, source: String) {
        self.id = id
        self.value = value
        self.source = source
    }
}

/// Bộ quy tắc: deadlines, statutory limits and thresholds as data, never in code. A case uses the rules in force when
/// it was opened.
///
/// `init` checks that the rules agree with one another; loading (`YAMLLoading.rulebook`) also checks that nothing BuckStop
/// judges by is missing (`requireComplete`), so a rulebook without, say, the complaint accept rule fails when it is
/// read, not when the first complaint is judged.
public struct Rulebook: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public private(set) var rules: [DeadlineRule]
    public private(set) var procedures: [Procedure]
    public private(set) var thresholds: [Threshold]
    public private(set) var limits: [LimitRule]
    /// Who decides complaints and denunciations (thẩm quyền giải quyết), dated.
    public private(set) var competence: [CompetenceRule]
    /// Lịch tiếp công dân định kỳ by level, dated (`ReceptionSchedule`).
    public private(set) var receptionSchedules: [ReceptionSchedule]
    /// The grounds on which a letter may be refused acceptance (không thụ lý), dated (`RefusalGround`).
    public private(set) var refusalGrounds: [RefusalGround]
    /// Since when each kind may be suspended (tạm đình chỉ), dated.
    public private(set) var suspension: [SuspensionRule]
    /// What may be withdrawn (rút) and what follows, by kind, dated (`WithdrawalRule`).
    public private(set) var withdrawal: [WithdrawalRule]
    /// The procedures whose decision needs a recorded dialogue (đối thoại) first, dated (`DialogueRule`).
    public private(set) var dialogue: [DialogueRule]
    /// The fields inspections cover (lĩnh vực), with those the source marks as prone to corruption.
    public private(set) var inspectionFields: [InspectionField]
    /// The causes an upheld finding is given (nguyên nhân), with their sources (`FindingCause`).
    public private(set) var findingCauses: [FindingCause]
    /// What may follow an upheld finding, by kind, with the source of each (`ConsequenceMeasure`).
    public private(set) var consequenceMeasures: [ConsequenceMeasure]
    /// The criteria a finding on a case acted on under an approved proposal is reviewed against (NĐ 73/2023).
    public private(set) var protectionCriteria: [ProtectionCriterion]
    /// What each good deed is worth (`GoodWorkRule`): the agency's points scheme, with its source.
    public private(set) var goodWork: [GoodWorkRule]
    /// The groups of the QĐ 766 service index, with their points and what BuckStop measures them by (`ServiceIndexGroup`).
    public private(set) var serviceIndex: [ServiceIndexGroup]

    public init(
        id: String, title: String, rules: [DeadlineRule], procedures: [Procedure], thresholds: [Threshold], limits: [LimitRule] = [],
        competence: [CompetenceRule] = [], receptionSchedules: [ReceptionSchedule] = [], suspension: [SuspensionRule] = [],
        refusalGrounds: [RefusalGround] = [], withdrawal: [WithdrawalRule] = [], dialogue: [DialogueRule] = [],
        inspectionFields: [InspectionField] = [], findingCauses: [FindingCause] = [], consequenceMeasures: [ConsequenceMeasure] = [],
        protectionCriteria: [ProtectionCriterion] = [], goodWork: [GoodWorkRule] = [], serviceIndex: [ServiceIndexGroup] = []
    ) throws(DomainError) {
        self.id = id
        self.title = title
        self.rules = rules
        self.procedures = procedures
        self.thresholds = thresholds
        self.limits = limits
        self.competence = competence
        self.receptionSchedules = receptionSchedules
        self.suspension = suspension
        self.refusalGrounds = refusalGrounds
        self.withdrawal = withdrawal
        self.dialogue = dialogue
        self.inspectionFields = inspectionFields
        self.findingCauses = findingCauses
        self.consequenceMeasures = consequenceMeasures
        self.protectionCriteria = protectionCriteria
        self.goodWork = goodWork
        self.serviceIndex = serviceIndex
        try validate()
    }

    /// The competence row for a case opened on a date: a procedure's own row wins over the kind-wide one.
    public func competence(for kind: CaseKind, procedure: String?, on date: CivilDate) -> CompetenceRule? {
        let candidates = competence.filter { $0.caseKind == kind && $0.isInForce(on: date) }
        if let procedure, let specific = candidates.first(where: { $0.procedure == procedure }) { return specific }
        return candidates.first { $0.procedure == nil }
    }

    /// The rule for a step on a date: a procedure-specific rule wins over the kind-wide one.
    public func rule(for kind: CaseKind, procedure: String?, step: RuleStep = .resolve, on date: CivilDate) -> DeadlineRule? {
        let candidates = rules.filter { $0.caseKind == kind && $0.step == step && $0.isInForce(on: date) }
        if let procedure, let specific = candidates.first(where: { $0.procedure == procedure }) { return specific }
        return candidates.first { $0.procedure == nil }
    }

    public func procedure(_ code: String) -> Procedure? { procedures.first { $0.code == code } }

    public func findingCause(_ code: String) -> FindingCause? { findingCauses.first { $0.code == code } }

    public func protectionCriterion(_ code: String) -> ProtectionCriterion? { protectionCriteria.first { $0.code == code } }

    public func threshold(_ id: String) -> Double? { thresholds.first { $0.id == id }?.value }

    /// A threshold `requireComplete` found; nil only in a rulebook built in code without it.
    public func threshold(_ id: ThresholdID) -> Double? { threshold(id.rawValue) }

    /// The row of a statutory limit in force on a date; nil before the law the rulebook knows (nothing to judge by).
    public func limit(_ id: LimitID, on date: CivilDate) -> LimitRule? {
        limits.first { $0.limit == id && $0.isInForce(on: date) }
    }

    /// The due date of a case received at `receivedAt` under the rule in force that day (a same-day rule with the
    /// cut-off hour in force that day); nil when that rule's clock starts only on acceptance (`dueDate(acceptedAt:)`).
    public func dueDate(
        for kind: CaseKind, procedure: String?, receivedAt: Date, calendar: WorkingCalendar
    ) -> (date: CivilDate, rule: DeadlineRule)? {
        let day = CivilDate(receivedAt)
        guard let rule = rule(for: kind, procedure: procedure, on: day), !rule.startsOnAcceptance else { return nil }
        return (deadline(rule, from: receivedAt, calendar: calendar), rule)
    }

    /// The due date acceptance (thụ lý) at `acceptedAt` starts, under the rule in force that day; nil when that rule's
    /// clock started on receipt (the case already has its due date) or there is no rule.
    public func dueDate(
        for kind: CaseKind, procedure: String?, acceptedAt: Date, calendar: WorkingCalendar
    ) -> (date: CivilDate, rule: DeadlineRule)? {
        guard let rule = rule(for: kind, procedure: procedure, on: CivilDate(acceptedAt)), rule.startsOnAcceptance else { return nil }
        return (deadline(rule, from: acceptedAt, calendar: calendar), rule)
    }

    /// The due date of a case whose handling was suspended on `suspendedOn` and resumes on `resumedOn`: the time suspended
    /// does not count towards the time limit (Luật Tố cáo 2018 Đ.34; NĐ 155/2026 Đ.28b), so the due date moves on by it,
    /// counted as the case's resolve rule counts — calendar days (a last day off moves to the next working day, BLDS 2015
    /// Đ.148(5)) or working days.
    public func dueDate(
        resuming due: CivilDate, suspendedOn: CivilDate, resumedOn: CivilDate, kind: CaseKind, procedure: String?, calendar: WorkingCalendar
    ) -> CivilDate {
        guard resumedOn > suspendedOn else { return due }
        switch rule(for: kind, procedure: procedure, on: suspendedOn)?.unit ?? .days {
        case .days: return calendar.nextWorkingDay(onOrAfter: due.adding(days: resumedOn - suspendedOn))
        case .workingDays, .sameDay: return calendar.addingWorkingDays(calendar.workingDays(from: suspendedOn, to: resumedOn), to: due)
        }
    }

    /// The intake deadline of a case received at `receivedAt` (forward a dossier, accept a complaint, classify a
    /// denunciation: `CaseKind.intakeStep`), under the rule in force that day; nil for a kind without one.
    public func intakeDeadline(
        for kind: CaseKind, procedure: String?, receivedAt: Date, calendar: WorkingCalendar
    ) -> (date: CivilDate, rule: DeadlineRule)? {
        guard let step = kind.intakeStep, let rule = rule(for: kind, procedure: procedure, step: step, on: CivilDate(receivedAt)) else {
            return nil
        }
        return (deadline(rule, from: receivedAt, calendar: calendar), rule)
    }

    private func deadline(_ rule: DeadlineRule, from start: Date, calendar: WorkingCalendar) -> CivilDate {
        calendar.deadline(
            receivedAt: start, duration: rule.duration, unit: rule.unit, cutoffHour: limit(.intakeCutoffHour, on: CivilDate(start))?.value)
    }

    /// Rows named by a code (inspection fields, finding causes, consequence measures): each code once, a code's shape,
    /// a source for each.
    private static func requireCodedRows(_ rows: [(code: String, source: String)], named what: String) throws(DomainError) {
        var seen = Set<String>()
        for row in rows {
            guard seen.insert(row.code).inserted else { throw .invalidRulebook("\(what) '\(row.code)' appears twice") }
            guard ReportTemplate.isCode(row.code) else {
                throw .invalidRulebook("\(what) '\(row.code)': a code is 1–40 letters, digits, '_' or '-'")
            }
            guard !row.source.isEmpty else { throw .invalidRulebook("\(what) \(row.code): a source is required") }
        }
    }

    /// Two rules for the same kind, procedure and step (or two rows of one limit) must not both be in force on any day,
    /// or "the rule in force" would be ambiguous.
    public func validate() throws(DomainError) {
        try Self.requireCodedRows(inspectionFields.map { ($0.code, $0.source) }, named: "inspection field")
        var prefixOwner: [String: String] = [:]
        for field in inspectionFields {
            for prefix in field.procedures ?? [] {
                guard !prefix.isEmpty else { throw .invalidRulebook("inspection field \(field.code): an empty procedure prefix") }
                if let other = prefixOwner.updateValue(field.code, forKey: prefix) {
                    throw .invalidRulebook("procedure prefix '\(prefix)' is listed by inspection fields \(other) and \(field.code)")
                }
            }
        }
        try Self.requireCodedRows(findingCauses.map { ($0.code, $0.source) }, named: "finding cause")
        try Self.requireCodedRows(consequenceMeasures.map { ($0.code, $0.source) }, named: "consequence measure")
        try Self.requireCodedRows(protectionCriteria.map { ($0.code, $0.source) }, named: "protection criterion")
        try Self.requireCodedRows(goodWork.map { ($0.deed.rawValue, $0.source) }, named: "good work rule")
        try Self.requireCodedRows(serviceIndex.map { ($0.code, $0.source) }, named: "service index group")
        for group in serviceIndex {
            guard group.points >= 0 else { throw .invalidRulebook("service index group \(group.code): points are 0 or more, found \(group.points)") }
            if group.measure == .satisfiedShare {
                guard let from = group.satisfiedFrom, (1...5).contains(from) else {
                    throw .invalidRulebook("service index group \(group.code): satisfiedFrom must be a rating 1…5 with satisfied-share")
                }
            }
        }
        if let negative = goodWork.first(where: { $0.points < 0 }) {
            throw .invalidRulebook("good work rule \(negative.deed.rawValue): points are 0 or more, found \(negative.points)")
        }
        var ids = Set<String>()
        for rule in limits {
            guard ids.insert(rule.id).inserted else { throw .invalidRulebook("rule id '\(rule.id)' appears twice") }
            guard rule.limit.range.contains(rule.value) else {
                throw .invalidRulebook(
                    "rule \(rule.id): \(rule.limit.rawValue) must be \(rule.limit.range.lowerBound)…\(rule.limit.range.upperBound), found \(rule.value)"
                )
            }
            guard !rule.source.isEmpty else { throw .invalidRulebook("rule \(rule.id): a legal source is required") }
            if let end = rule.effectiveTo, end < rule.effectiveFrom {
                throw .invalidRulebook("rule \(rule.id): effectiveTo \(end) is before effectiveFrom \(rule.effectiveFrom)")
            }
        }
        for (i, a) in limits.enumerated() {
            for b in limits[(i + 1)...] where a.limit == b.limit && a.overlaps(b) {
                throw .invalidRulebook("rules \(a.id) and \(b.id) are both in force on \(max(a.effectiveFrom, b.effectiveFrom))")
            }
        }
        for rule in rules {
            guard ids.insert(rule.id).inserted else { throw .invalidRulebook("rule id '\(rule.id)' appears twice") }
            guard rule.duration >= 0 else { throw .invalidRulebook("rule \(rule.id): duration must be ≥ 0, found \(rule.duration)") }
            guard !rule.source.isEmpty else { throw .invalidRulebook("rule \(rule.id): a legal source is required") }
            if let end = rule.effectiveTo, end < rule.effectiveFrom {
                throw .invalidRulebook("rule \(rule.id): effectiveTo \(end) is before effectiveFrom \(rule.effectiveFrom)")
            }
            if let code = rule.procedure, self.procedure(code) == nil {
                throw .invalidRulebook("rule \(rule.id): procedure '\(code)' is not in the procedures list")
            }
            if rule.clockStarts == .acceptance && rule.step != .resolve {
                throw .invalidRulebook("rule \(rule.id): clockStarts acceptance is for resolve rules, found step \(rule.step.rawValue)")
            }
        }
        try validateSuspension(ids: &ids)
        try validateComplaintSteps(ids: &ids)
        for rule in competence {
            guard ids.insert(rule.id).inserted else { throw .invalidRulebook("rule id '\(rule.id)' appears twice") }
            guard !rule.source.isEmpty else { throw .invalidRulebook("rule \(rule.id): a legal source is required") }
            guard rule.caseKind == .complaint || rule.caseKind == .denunciation else {
                throw .invalidRulebook("rule \(rule.id): competence rows are for complaints and denunciations, found \(rule.caseKind.rawValue)")
            }
            if let end = rule.effectiveTo, end < rule.effectiveFrom {
                throw .invalidRulebook("rule \(rule.id): effectiveTo \(end) is before effectiveFrom \(rule.effectiveFrom)")
            }
            if let code = rule.procedure, self.procedure(code) == nil {
                throw .invalidRulebook("rule \(rule.id): procedure '\(code)' is not in the procedures list")
            }
        }
        for (i, a) in competence.enumerated() {
            for b in competence[(i + 1)...]
            where a.caseKind == b.caseKind && a.procedure == b.procedure
                && a.overlaps(b)
            {
                throw .invalidRulebook("rules \(a.id) and \(b.id) are both in force on \(max(a.effectiveFrom, b.effectiveFrom))")
            }
        }
        for (i, a) in rules.enumerated() {
            for b in rules[(i + 1)...] where a.caseKind == b.caseKind && a.procedure == b.procedure && a.step == b.step {
                if a.overlaps(b) {
                    throw .invalidRulebook("rules \(a.id) and \(b.id) are both in force on \(max(a.effectiveFrom, b.effectiveFrom))")
                }
            }
        }
    }

    /// Everything BuckStop judges by is here: the intake rule of every kind that has one, the kind-wide resolve rule where the law sets one, every statutory limit (each
    /// from its first row onwards without a gap, the last still in force) with a cut-off hour on every day a same-day
    /// rule is in force, and every threshold. Run when a rulebook is loaded, so a missing rule fails there, by name,
    /// and nothing downstream needs a number of its own to fall back on.
    public func requireComplete() throws(RulebookError) {
        try validateReceptionSchedules()
        try validateRefusalGrounds()
        for kind in CaseKind.allCases {
            guard let step = kind.intakeStep else { continue }
            let name = "\(kind.rawValue).\(step.rawValue)"
            let rows = rules.filter { $0.caseKind == kind && $0.step == step && $0.procedure == nil }
            try Self.requireUnbroken(
                name, rows.map { ($0.id, $0.effectiveFrom, $0.effectiveTo) },
                expected: "a deadline rule with caseKind \(kind.rawValue), step \(step.rawValue) and no procedure, with its legal source "
                    + "(the intake clock late_intake measures)")
        }
        for kind in CaseKind.allCases where kind.requiresResolveRule {
            let rows = rules.filter { $0.caseKind == kind && $0.step == .resolve && $0.procedure == nil }
            try Self.requireUnbroken(
                "\(kind.rawValue).resolve", rows.map { ($0.id, $0.effectiveFrom, $0.effectiveTo) },
                expected: "a deadline rule with caseKind \(kind.rawValue), step resolve and no procedure, with its legal source "
                    + "(the due date every such case gets)")
        }
        for limit in LimitID.allCases {
            try Self.requireUnbroken(
                limit.rawValue, limits.filter { $0.limit == limit }.map { ($0.id, $0.effectiveFrom, $0.effectiveTo) },
                expected: "dated rows under limits: with limit \(limit.rawValue), a legal source and status: \(limit.expected)")
            if thresholds.contains(where: { $0.id == limit.rawValue }) {
                throw .incompleteRule(
                    rule: limit.rawValue, expected: "dated rows under limits: (a statutory limit changes with the law)",
                    found: "an undated threshold")
            }
        }
        if let firstCutoff = limits.filter({ $0.limit == .intakeCutoffHour }).map(\.effectiveFrom).min(),
            let sameDay = rules.filter({ $0.unit == .sameDay }).min(by: { $0.effectiveFrom < $1.effectiveFrom }),
            sameDay.effectiveFrom < firstCutoff
        {
            throw .incompleteRule(
                rule: LimitID.intakeCutoffHour.rawValue,
                expected: "a row in force on every day a same-day rule is (\(sameDay.id) from \(sameDay.effectiveFrom))",
                found: "the first row starts on \(firstCutoff)")
        }
        for id in ThresholdID.allCases {
            guard let value = threshold(id) else { throw .missingRule(rule: id.rawValue, expected: "a threshold under thresholds: \(id.expected)") }
            guard value.isFinite, value >= 0 else {
                throw .incompleteRule(rule: id.rawValue, expected: "a number ≥ 0: \(id.expected)", found: "\(value)")
            }
        }
    }

    /// The rows of one rule, in force from the first one's day onwards without a gap (overlaps are refused by `validate`).
    private static func requireUnbroken(
        _ name: String, _ rows: [(id: String, from: CivilDate, to: CivilDate?)], expected: String
    ) throws(RulebookError) {
        let sorted = rows.sorted { $0.from < $1.from }
        guard let last = sorted.last else { throw .missingRule(rule: name, expected: expected) }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            if let end = a.to, end.adding(days: 1) < b.from {
                throw .incompleteRule(
                    rule: name, expected: "\(expected), one row starting the day after the previous one ends",
                    found: "no row in force from \(end.adding(days: 1)) to \(b.from.adding(days: -1)) (between \(a.id) and \(b.id))")
            }
        }
        if let end = last.to {
            throw .incompleteRule(rule: name, expected: "\(expected), the last row still in force", found: "\(last.id) ends on \(end)")
        }
    }
}
