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

/// A statutory deadline with its legal source and the period in which it is law.
public struct DeadlineRule: Sendable, Codable, Hashable, Identifiable {
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

    public init(
        id: String, caseKind: CaseKind, procedure: String?, step: RuleStep, duration: Int, unit: DurationUnit, source: String,
        effectiveFrom: CivilDate, effectiveTo: CivilDate?, status: String, maxCount: Int? = nil, note: String? = nil
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
    }

    public func isInForce(on date: CivilDate) -> Bool {
        effectiveFrom <= date && (effectiveTo.map { date <= $0 } ?? true)
    }
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
    public var id: String { code }

    public init(code: String, nameVi: String, nameEn: String?, caseKind: CaseKind, competentLevel: String, source: String, status: String) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.caseKind = caseKind
        self.competentLevel = competentLevel
        self.source = source
        self.status = status
    }
}

/// A detector threshold with where it comes from.
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

/// Bộ quy tắc: deadlines and thresholds as data, never in code. A case uses the rules in force when it was opened.
public struct Rulebook: Sendable, Codable, Hashable {
    public var id: String
    public var title: String
    public var rules: [DeadlineRule]
    public var procedures: [Procedure]
    public var thresholds: [Threshold]

    public init(id: String, title: String, rules: [DeadlineRule], procedures: [Procedure], thresholds: [Threshold]) throws(DomainError) {
        self.id = id
        self.title = title
        self.rules = rules
        self.procedures = procedures
        self.thresholds = thresholds
        try validate()
    }

    /// No rules and no thresholds: a placeholder for a value filled in later.
    public static let empty = Rulebook(emptyWithID: "empty")

    private init(emptyWithID id: String) {
        self.id = id
        self.title = ""
        self.rules = []
        self.procedures = []
        self.thresholds = []
    }

    /// The rule for a step on a date: a procedure-specific rule wins over the kind-wide one.
    public func rule(for kind: CaseKind, procedure: String?, step: RuleStep = .resolve, on date: CivilDate) -> DeadlineRule? {
        let candidates = rules.filter { $0.caseKind == kind && $0.step == step && $0.isInForce(on: date) }
        if let procedure, let specific = candidates.first(where: { $0.procedure == procedure }) { return specific }
        return candidates.first { $0.procedure == nil }
    }

    public func procedure(_ code: String) -> Procedure? { procedures.first { $0.code == code } }

    public func threshold(_ id: String) -> Double? { thresholds.first { $0.id == id }?.value }

    /// The due date of a case received at `receivedAt` under the rule in force that day.
    public func dueDate(
        for kind: CaseKind, procedure: String?, receivedAt: Date, calendar: WorkingCalendar
    ) -> (date: CivilDate, rule: DeadlineRule)? {
        let day = CivilDate(receivedAt)
        guard let rule = rule(for: kind, procedure: procedure, on: day) else { return nil }
        return (calendar.deadline(receivedAt: receivedAt, duration: rule.duration, unit: rule.unit), rule)
    }

    /// Two rules for the same kind, procedure and step must not both be in force on any day,
    /// or "the rule in force" would be ambiguous.
    public func validate() throws(DomainError) {
        var ids = Set<String>()
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
        }
        for (i, a) in rules.enumerated() {
            for b in rules[(i + 1)...] where a.caseKind == b.caseKind && a.procedure == b.procedure && a.step == b.step {
                let aEnd = a.effectiveTo ?? CivilDate(year: 9999, month: 12, day: 31)!
                let bEnd = b.effectiveTo ?? CivilDate(year: 9999, month: 12, day: 31)!
                if a.effectiveFrom <= bEnd && b.effectiveFrom <= aEnd {
                    throw .invalidRulebook("rules \(a.id) and \(b.id) are both in force on \(max(a.effectiveFrom, b.effectiveFrom))")
                }
            }
        }
    }
}
