import BuckStopCalendar

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
    /// What has followed since it was upheld.
    public var consequences: ConsequenceState
    /// The approved proposal under which the official acted, when the review found every criterion of the decree held
    /// (`ProtectionReview.isProtected`): no discipline or referral follows.
    public var protectedBy: CaseID?

    public init(
        id: String, detector: String, caseID: CaseID, official: OfficialID?, unit: UnitID?, head: OfficialID?,
        severity: Severity, evidence: [Int64], explanation: String, status: FindingStatus = .open, response: String? = nil,
        cause: String? = nil, consequences: ConsequenceState = ConsequenceState(), protectedBy: CaseID? = nil
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
        self.consequences = consequences
        self.protectedBy = protectedBy
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
    ///
    /// Whether the case was acted on under an approved proposal of the official concerned — and so whether `protection` is
    /// required — is the writer's check, which reads the case's entries; here a protection review holding every criterion
    /// marks the finding protected.
    public mutating func review(
        by actor: Official, uphold: Bool, note: String, cause: String?, protection: ProtectionReview? = nil, in org: Organization
    ) throws(DomainError) {
        guard status == .open || status == .explained else {
            throw .invalidField(action: "review", field: "status", reason: .findingAlreadyReviewed(status: status.rawValue))
        }
        // Dismissing names a person's finding as unfounded: the reason is what the official and an inspector read later.
        guard uphold || note.unicodeScalars.contains(where: \.properties.isAlphabetic) else {
            throw .missingField(action: "review", field: "note")
        }
        if uphold, cause?.isEmpty ?? true { throw .missingField(action: "review", field: "cause") }
        if !uphold, cause != nil { throw .invalidField(action: "review", field: "cause", reason: .causeOnlyWhenUpheld) }
        try checkReviewer(actor, action: "review", in: org)
        status = uphold ? .upheld : .dismissed
        self.cause = cause
        protectedBy = protection.flatMap { $0.isProtected ? $0.proposal : nil }
    }

    /// A head whose subtree holds the finding's unit, or an inspector — never the official it is about.
    private func checkReviewer(_ actor: Official, action: String, in org: Organization) throws(DomainError) {
        let isHeadAbove = actor.roles.contains(.head) && unit.map { org.isWithin($0, subtreeOf: actor.unit) } == true
        guard isHeadAbove || actor.roles.contains(.inspector) else {
            throw .notPermitted(action: action, actor: actor.id.rawValue, reason: .onlyHeadOrInspectorReviews)
        }
        guard actor.id != official else {
            throw .notPermitted(action: action, actor: actor.id.rawValue, reason: .noReviewOfOneself)
        }
    }

    /// A consequence of an upheld finding, decided by whoever may review it (`checkReviewer`), until it is closed.
    /// Discipline is of a named official and cites its decision; a remediation names an official of the unit and a due
    /// date not before `day`, one at a time; closing waits for the remediation. The decision's kind and basis are the
    /// rulebook's (`ConsequenceDecision.resolved`).
    public mutating func decide(_ d: ConsequenceDecision, by actor: Official, on day: CivilDate, in org: Organization) throws(DomainError) {
        let action = ActionType.decideConsequence.rawValue
        guard status == .upheld else {
            throw .invalidField(action: action, field: "status", reason: .consequenceNeedsUpheld(status: status.rawValue))
        }
        guard !consequences.isClosed else { throw .invalidField(action: action, field: "finding", reason: .consequencesClosed) }
        try checkReviewer(actor, action: action, in: org)
        guard d.text.unicodeScalars.contains(where: \.properties.isAlphabetic) else { throw .missingField(action: action, field: "text") }
        let pending = consequences.remediation.map { $0.doneAt == nil } ?? false
        if let proposal = protectedBy, d.kind == .discipline || d.kind == .referral {
            throw .invalidField(action: action, field: "measure", reason: .proposal(.protected(proposal: proposal)))
        }
        switch d.kind {
        case .discipline:
            guard official != nil else { throw .invalidField(action: action, field: "measure", reason: .disciplineNeedsOfficial) }
            guard let number = d.decisionNumber, number.contains(where: { !$0.isWhitespace }) else {
                throw .missingField(action: action, field: "decisionNumber")
            }
        case .remediation:
            guard let owner = d.remediationOwner else { throw .missingField(action: action, field: "remediationOwner") }
            guard let due = d.remediationDue else { throw .missingField(action: action, field: "remediationDue") }
            guard let person = org.official(owner), unit.map({ org.isWithin(person.unit, subtreeOf: $0) }) ?? true else {
                throw .invalidField(action: action, field: "remediationOwner", reason: .remediationOwnerOutsideUnit(owner))
            }
            guard due >= day else { throw .invalidField(action: action, field: "remediationDue", reason: .dateNotAfter(due: day, found: due)) }
            guard !pending else { throw .invalidField(action: action, field: "measure", reason: .remediationPending) }
            consequences.remediation = Remediation(owner: owner, due: due)
        case .closure:
            guard !pending else { throw .invalidField(action: action, field: "measure", reason: .remediationPending) }
        case .accountabilityReview, .referral:
            break
        }
        consequences.decided.append(d.kind)
    }

    /// The remediation's owner reports it done, once.
    public mutating func completeRemediation(by actor: OfficialID, at: Int64, text: String) throws(DomainError) {
        let action = ActionType.completeRemediation.rawValue
        guard var remediation = consequences.remediation, remediation.doneAt == nil else {
            throw .invalidField(action: action, field: "finding", reason: .noRemediationPending)
        }
        guard actor == remediation.owner else {
            throw .notPermitted(action: action, actor: actor.rawValue, reason: .onlyRemediationOwner(remediation.owner))
        }
        guard text.unicodeScalars.contains(where: \.properties.isAlphabetic) else { throw .missingField(action: action, field: "text") }
        remediation.doneAt = at
        consequences.remediation = remediation
    }
}
