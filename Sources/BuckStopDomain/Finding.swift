/// How much a finding weighs; `accumulation` counts the minor ones.
public enum Severity: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case info, minor, major, severe

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// open → explained (giải trình) → upheld or dismissed by the head or inspector.
public enum FindingStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case open, explained, upheld, dismissed
}

/// Phát hiện: a place to look, with the ledger indices that are its evidence.
public struct Finding: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var detector: String
    public var caseID: CaseID
    public var official: OfficialID?
    public var unit: UnitID?
    public var head: OfficialID?
    public var severity: Severity
    /// Ledger indices of the actions that show the behaviour.
    public var evidence: [Int64]
    public var explanation: String
    public var status: FindingStatus
    /// The official's own account (giải trình), once given.
    public var response: String?
    /// Why it happened, once upheld: the code of a rulebook `FindingCause`.
    public var cause: String?

    public init(
        id: String, detector: String, caseID: CaseID, official: OfficialID?, unit: UnitID?, head: OfficialID?,
        severity: Severity, evidence: [Int64], explanation: String, status: FindingStatus = .open, response: String? = nil,
        cause: String? = nil
    ) {
        self.id = id
        self.detector = detector
        self.caseID = caseID
        self.official = official
        self.unit = unit
        self.head = head
        self.severity = severity
        self.evidence = evidence
        self.explanation = explanation
        self.status = status
        self.response = response
        self.cause = cause
    }

    /// The responsible official explains; only an open finding can be explained.
    public mutating func explain(by actor: OfficialID, text: String) throws(DomainError) {
        guard status == .open else { throw .invalidField(action: "explain", field: "status", reason: .findingNotOpen(status: status.rawValue)) }
        guard actor == official else {
            throw .notPermitted(action: "explain", actor: actor.rawValue, reason: .onlyResponsibleExplains(official))
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw .missingField(action: "explain", field: "text") }
        response = text
        status = .explained
    }

    /// The head of the unit or an inspector closes the finding either way. Upholding names the cause (whether the code is
    /// one the rulebook knows is the writer's check, which holds the rulebook); dismissing names none — an unfounded
    /// finding has no cause to count.
    public mutating func review(by actor: Official, uphold: Bool, note: String, cause: String?, in org: Organization) throws(DomainError) {
        guard status == .open || status == .explained else {
            throw .invalidField(action: "review", field: "status", reason: .findingAlreadyReviewed(status: status.rawValue))
        }
        // Dismissing names a person's finding as unfounded: the reason is what the official and an inspector read later.
        guard uphold || note.unicodeScalars.contains(where: \.properties.isAlphabetic) else {
            throw .missingField(action: "review", field: "note")
        }
        if uphold, cause?.isEmpty ?? true { throw .missingField(action: "review", field: "cause") }
        if !uphold, cause != nil { throw .invalidField(action: "review", field: "cause", reason: .causeOnlyWhenUpheld) }
        let isHeadAbove = actor.roles.contains(.head) && unit.map { org.isWithin($0, subtreeOf: actor.unit) } == true
        guard isHeadAbove || actor.roles.contains(.inspector) else {
            throw .notPermitted(action: "review", actor: actor.id.rawValue, reason: .onlyHeadOrInspectorReviews)
        }
        guard actor.id != official else {
            throw .notPermitted(action: "review", actor: actor.id.rawValue, reason: .noReviewOfOneself)
        }
        status = uphold ? .upheld : .dismissed
        self.cause = cause
    }
}
