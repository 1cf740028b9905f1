import BuckStopCalendar

/// Since when the law lets a kind of case be suspended (tạm đình chỉ): a complaint only from 1 July 2026 (Luật Khiếu
/// nại as amended by Luật 136/2025/QH15; NĐ 155/2026 Đ.22(1) extends it to complaints accepted before), a denunciation
/// since Luật Tố cáo 2018. Data in the rulebook with source and status; a rulebook without rows for a kind does not
/// gate it.
public struct SuspensionRule: Sendable, Codable, Hashable, Identifiable, DatedRow {
    public var id: String
    public var caseKind: CaseKind
    public var source: String
    public var status: String
    public var effectiveFrom: CivilDate
    public var effectiveTo: CivilDate?
    public var note: String?

    public init(
        id: String, caseKind: CaseKind, source: String, status: String, effectiveFrom: CivilDate, effectiveTo: CivilDate? = nil,
        note: String? = nil
    ) {
        self.id = id
        self.caseKind = caseKind
        self.source = source
        self.status = status
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.note = note
    }

}

extension Rulebook {
    /// Whether a case of this kind may be suspended on a day: nil when the rulebook has no row for the kind (not gated),
    /// else whether a row is in force, with the first day any row allows it.
    public func suspension(of kind: CaseKind, on day: CivilDate) -> (allowed: Bool, firstDay: CivilDate)? {
        let rows = suspension.filter { $0.caseKind == kind }
        guard let first = rows.map(\.effectiveFrom).min() else { return nil }
        return (rows.contains { $0.isInForce(on: day) }, first)
    }

    func validateSuspension(ids: inout Set<String>) throws(DomainError) {
        for rule in suspension {
            try rule.checkDated(id: rule.id, source: rule.source, ids: &ids)
            guard rule.caseKind == .complaint || rule.caseKind == .denunciation else {
                throw .invalidRulebook("rule \(rule.id): suspension rows are for complaints and denunciations, found \(rule.caseKind.rawValue)")
            }
        }
        for (i, a) in suspension.enumerated() {
            for b in suspension[(i + 1)...] where a.caseKind == b.caseKind {
                if a.overlaps(b) {
                    throw .invalidRulebook("rules \(a.id) and \(b.id) are both in force on \(max(a.effectiveFrom, b.effectiveFrom))")
                }
            }
        }
    }
}
