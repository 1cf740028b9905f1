import BuckStopCalendar

/// The projection of one case: a fold of its actions. `apply` is the single place where the
/// rules of who may do what are enforced, so the live server, the CLI and replay agree.
public struct CaseState: Sendable, Hashable {
    public let id: CaseID
    public let kind: CaseKind
    public let procedure: String?
    public let title: String
    public internal(set) var leadUnit: UnitID
    public let collaborators: [UnitID]
    /// The one accountable official; nil only when the case is closed.
    public internal(set) var owner: OfficialID?
    public internal(set) var status: CaseStatus
    public internal(set) var dueDate: CivilDate?
    public let originalDueDate: CivilDate?
    public let ruleID: String?
    public let subject: SubjectRef?
    public let openedAt: Int64
    public internal(set) var updatedAt: Int64
    /// When the current owner received it; the basis for idle time and inbox ordering.
    public internal(set) var ownerSince: Int64
    /// Consulted units with their answer-by dates, still waiting.
    public internal(set) var pendingConsultations: [UnitID: CivilDate]
    public internal(set) var actionCount: Int
    public internal(set) var supplementRequests: Int
    public internal(set) var reschedules: Int
    public internal(set) var extensions: Int
    public internal(set) var decided: Bool
    public internal(set) var rating: Int?
    public internal(set) var closedAt: Int64?
    /// Since when the handling is suspended (tạm đình chỉ); nil while it runs. Suspended, nothing but resuming, a note or
    /// closing (a withdrawal ends the case) may happen, and the clock stands still.
    public internal(set) var suspendedSince: Int64?
    /// What a complaint or denunciation is about (the body complained of, the accused), as opened.
    public let concerning: Concerning?
    /// The body whose head, or a deputy signing for them, may decide (`OpenCase.decidingBody`).
    public let decidingBody: UnitID?
    /// The programme or plan a task or plan belongs to (`OpenCase.parent`).
    public let parent: CaseID?
    /// A task's expected product (`OpenCase.product`).
    public let product: String?
    /// Where a task stands (`TaskPhase`); nil for the other kinds (a programme's state is its tasks').
    public internal(set) var taskPhase: TaskPhase?
    /// Who submitted the draft now awaiting approval: whom a return sends the task back to.
    public internal(set) var drafter: OfficialID?

    public var isSuspended: Bool { suspendedSince != nil }

    /// Invariant of the whole system: open ⇔ exactly one owner.
    public var invariantHolds: Bool { status.isOpen == (owner != nil) }

    /// Starts a case from its `open` action, checked against the organisation as it is now.
    public init(opening action: Action, in org: Organization) throws(DomainError) {
        try self.init(opening: action, checkingIn: org)
    }

    /// Starts a case from an `open` entry the ledger already accepted (see `replay`).
    public init(replayingOpening action: Action) throws(DomainError) {
        try self.init(opening: action, checkingIn: nil)
    }

    private init(opening action: Action, checkingIn org: Organization?) throws(DomainError) {
        guard case .open(let open) = action.body else {
            throw .invalidTransition(action: action.body.type.rawValue, from: .closed)
        }
        let name = "open"
        try Self.requireText(open.title, action: name, field: "title")
        guard !open.collaborators.contains(open.leadUnit) else {
            throw .invalidField(action: name, field: "collaborators", reason: .leadUnitCollaborates(open.leadUnit))
        }
        if let procedure = open.procedure { try Self.requireText(procedure, action: name, field: "procedure") }
        if let blank = open.documents.firstIndex(where: { $0.allSatisfy(\.isWhitespace) }) {
            throw .invalidField(action: name, field: "documents[\(blank)]", reason: .emptyListItem)
        }
        if let org {
            guard org.unit(open.leadUnit) != nil else { throw .unknownUnit(open.leadUnit) }
            for unit in open.collaborators where org.unit(unit) == nil { throw .unknownUnit(unit) }
            try Self.requireActive(open.owner, in: org)
            // The accountable official answers for the lead unit's work, so they sit in it (or a unit under it): a
            // case owned from outside the unit that leads it has nobody there answering for it. The one exception is
            // the public service centre, whose one-stop officials receive for the departments before handing over.
            if let owner = org.official(open.owner), !org.isWithin(owner.unit, subtreeOf: open.leadUnit),
                org.unit(owner.unit)?.kind != .serviceCentre, open.kind != .proposal
            {
                throw .invalidField(action: name, field: "owner", reason: .ownerOutsideLeadUnit(open.owner, lead: open.leadUnit))
            }
            if case .official(let actor) = action.actor { _ = try Self.requireOfficial(actor, in: org) }
            if let concerning = open.concerning {
                if let unit = concerning.unit, org.unit(unit) == nil {
                    throw .invalidField(action: name, field: "concerning.unit", reason: .unknownConcerned(unit.rawValue))
                }
                if let official = concerning.official, org.official(official) == nil {
                    throw .invalidField(action: name, field: "concerning.official", reason: .unknownConcerned(official.rawValue))
                }
                if open.kind == .denunciation, concerning.official == open.owner {
                    throw .invalidField(action: name, field: "owner", reason: .accusedHandles(open.owner))
                }
            }
            if let body = open.decidingBody, org.unit(body) == nil { throw .unknownUnit(body) }
            if open.kind == .proposal { try Self.requireProposalAuthority(open, actor: action.actor, in: org) }
        }
        if open.kind == .programme, PlanLevel(rawValue: open.procedure ?? "") == nil {
            throw .invalidField(action: name, field: "procedure", reason: .programme(.unknownLevel(open.procedure)))
        }
        if open.parent != nil, open.kind != .task, open.kind != .programme {
            throw .invalidField(action: name, field: "parent", reason: .programme(.parentOnlyForProgrammeItems(kind: open.kind)))
        }
        if open.kind == .programme, open.procedure == PlanLevel.reportRequest.rawValue {
            guard let template = open.template else { throw .invalidField(action: name, field: "template", reason: .programme(.templateRequired)) }
            try template.check(action: name)
        } else if open.template != nil {
            throw .invalidField(action: name, field: "template", reason: .programme(.templateOnlyForReportRequests))
        }
        if open.kind == .programme, let form = PlanLevel(rawValue: open.procedure ?? "")?.inspectionForm {
            guard let scope = open.inspection else { throw .invalidField(action: name, field: "inspection", reason: .inspection(.scopeRequired)) }
            try scope.check(action: name, form: form, lead: open.leadUnit, fieldCodes: nil, in: org)
        } else if open.inspection != nil {
            throw .invalidField(action: name, field: "inspection", reason: .inspection(.scopeOnlyForInspections))
        }
        if open.kind == .proposal {
            guard let proposal = open.proposal else { throw .invalidField(action: name, field: "proposal", reason: .proposal(.proposalRequired)) }
            try proposal.check(action: name)
        } else if open.proposal != nil {
            throw .invalidField(action: name, field: "proposal", reason: .proposal(.proposalOnlyForProposals))
        }
        if let product = open.product { try Self.requireText(product, action: name, field: "product") }
        if let document = open.document {
            try Self.requireText(document.number, action: name, field: "document.number")
            try Self.requireText(document.signer, action: name, field: "document.signer")
        }
        try Self.requireReceptionBook(open, in: org)
        self.id = action.caseID
        self.kind = open.kind
        self.procedure = open.procedure
        self.title = open.title
        self.leadUnit = open.leadUnit
        self.collaborators = open.collaborators
        self.owner = open.owner
        self.status = .received
        self.dueDate = open.dueDate
        self.originalDueDate = open.dueDate
        self.ruleID = open.ruleID
        self.subject = open.subject
        self.openedAt = action.at
        self.updatedAt = action.at
        self.ownerSince = action.at
        self.pendingConsultations = [:]
        self.actionCount = 1
        self.supplementRequests = 0
        self.reschedules = 0
        self.extensions = 0
        self.decided = false
        self.rating = nil
        self.closedAt = nil
        self.suspendedSince = nil
        self.concerning = open.concerning.flatMap { $0.isEmpty ? nil : $0 }
        self.decidingBody = open.decidingBody
        self.parent = open.parent
        self.product = open.product
        self.taskPhase = open.kind == .task ? .notStarted : nil
        self.drafter = nil
    }

    /// Applies one action or throws without changing anything: everything the actor may or may not do is checked
    /// against the organisation as it is now.
    public mutating func apply(_ action: Action, in org: Organization) throws(DomainError) {
        var next = self
        try next.applyChecked(action, checkingIn: org, legacy: org)
        guard next.invariantHolds else {
            throw .invalidField(action: action.body.type.rawValue, field: "owner", reason: .noSingleOwner)
        }
        self = next
    }

    /// Applies an entry that the ledger already accepted: the same transitions, without the checks that depend on the
    /// organisation (officials retire, units merge — an entry stays what it was when it was written), so that `verify`
    /// can rebuild every projection from the entries alone. `organization` is read only for a decline written before
    /// entries named its receiver (version 1).
    public mutating func replay(_ action: Action, organization: Organization?) throws(DomainError) {
        var next = self
        try next.applyChecked(action, checkingIn: nil, legacy: organization)
        guard next.invariantHolds else {
            throw .invalidField(action: action.body.type.rawValue, field: "owner", reason: .noSingleOwner)
        }
        self = next
    }

    private mutating func applyChecked(_ action: Action, checkingIn org: Organization?, legacy: Organization?) throws(DomainError) {
        let name = action.body.type.rawValue
        guard action.caseID == id else {
            throw .invalidField(action: name, field: "case", reason: .wrongCase(expected: id, found: action.caseID))
        }
        guard action.at >= updatedAt else {
            throw .invalidField(action: name, field: "at", reason: .beforeLastAction(at: action.at, last: updatedAt))
        }
        let actorID: OfficialID?
        switch action.actor {
        case .official(let id):
            if let org { _ = try Self.requireOfficial(id, in: org) }
            actorID = id
        case .citizen, .system:
            actorID = nil
        }
        try requireFitsReceptionBook(action.body, action: name)
        try requireFitsProposal(action.body, action: name)

        switch action.body {
        case .open:
            throw .caseAlreadyExists(id)

        case .comment(let text):
            try Self.requireText(text, action: name, field: "text")

        // The finding workflow leaves the case as it is; who may explain or review a finding is checked against the
        // finding itself (`Finding.explain`, `Finding.review`) where it is stored.
        case .raiseFinding(let notice):
            guard case .system = action.actor else {
                throw .notPermitted(action: name, actor: action.actor.stored, reason: .onlySystemRaisesFindings)
            }
            try Self.requireText(notice.id, action: name, field: "finding")
            try Self.requireText(notice.explanation, action: name, field: "explanation")

        case .explainFinding(_, let text):
            guard actorID != nil else { throw notOfficial(name, action.actor) }
            try Self.requireText(text, action: name, field: "text")

        case .reviewFinding, .decideConsequence, .completeRemediation:
            guard actorID != nil else { throw notOfficial(name, action.actor) }

        case .decideProposal(let approve, let note):
            try applyProposalDecision(approve: approve, note: note, name: name, action: action, actorID: actorID, in: org)

        case .actUnderProposal(_, let note, let approval):
            try checkActUnder(note: note, name: name, action: action, actorID: actorID)
            if org != nil, approval == nil { throw .missingField(action: name, field: "approval") }

        // On a decided (closed) proposal: a record, not a step.
        case .proposalApplied(let other):
            guard case .system = action.actor else {
                throw .notPermitted(action: name, actor: action.actor.stored, reason: .intake(.onlySystemLinks))
            }
            guard kind == .proposal else { throw .invalidField(action: name, field: "case", reason: .proposal(.notAProposal(id))) }
            guard other != id else { throw .invalidField(action: name, field: "case", reason: .proposal(.cannotActUnder(kind: kind))) }

        // Only the official handling the denunciation, while they hold it, and only where there is a sealed identity.
        case .revealIdentity(let reason):
            try requireOwner(actorID, action: name, actor: action.actor)
            try Self.requireText(reason, action: name, field: "reason")
            if org != nil, let actorID, actorID == accused {
                throw .notPermitted(action: name, actor: actorID.rawValue, reason: .accusedHandles(actorID))
            }
            guard kind == .denunciation, subject != nil else {
                throw .invalidField(action: name, field: "case", reason: .noSealedIdentity(kind: kind))
            }

        case .rate(let score, _):
            guard case .citizen = action.actor else {
                throw .notPermitted(action: name, actor: action.actor.stored, reason: .onlyCitizenRates)
            }
            guard status == .resolved || status == .closed else { throw .invalidTransition(action: name, from: status) }
            guard (1...5).contains(score) else {
                throw .invalidField(action: name, field: "score", reason: .scoreOutOfRange(found: score))
            }
            // One rating per case. Ledgers written before this rule may hold a later rating that replaced an earlier one.
            if org != nil, let given = rating {
                throw .invalidField(action: name, field: "score", reason: .alreadyRated(score: given))
            }
            rating = score

        case .reopen(let to, let reason):
            guard status == .closed else { throw .invalidTransition(action: name, from: status) }
            // A decided proposal stays decided: the approval is what protects, and a declined one is proposed again.
            if kind == .proposal { throw .invalidField(action: name, field: "case", reason: .proposal(.alreadyDecided)) }
            try Self.requireText(reason, action: name, field: "reason")
            if let org {
                guard let actorID, let actor = org.official(actorID), !actor.roles.isDisjoint(with: [.head, .inspector, .admin]) else {
                    throw .notPermitted(action: name, actor: action.actor.stored, reason: .onlyHeadReopens)
                }
                try Self.requireActive(to, in: org)
                if to == accused { throw .invalidField(action: name, field: "to", reason: .accusedHandles(to)) }
            }
            status = .processing
            closedAt = nil
            moveOwner(to: to, at: action.at)

        case .assign(let to, _):
            try requireOpen(name)
            guard let actorID else { throw notOfficial(name, action.actor) }
            if let org {
                let isHeadAbove: Bool = {
                    guard let actor = org.official(actorID), actor.roles.contains(.head),
                        let owner, let ownerUnit = org.official(owner)?.unit
                    else { return false }
                    return org.isWithin(ownerUnit, subtreeOf: actor.unit) || org.isWithin(leadUnit, subtreeOf: actor.unit)
                }()
                guard actorID == owner || isHeadAbove else {
                    throw .notPermitted(action: name, actor: actorID.rawValue, reason: .onlyOwnerOrHeadAssigns)
                }
            }
            try requireNewOwner(to, action: name, in: org)
            moveOwner(to: to, at: action.at)
            if status == .processing { status = .received }

        case .accept(_, let due):
            try requireOwner(actorID, action: name, actor: action.actor)
            guard status == .received else { throw .invalidTransition(action: name, from: status) }
            // The clock acceptance starts (thụ lý) — only on the first acceptance: a case accepted again after a hand-over
            // keeps the due date it has.
            if let due {
                guard dueDate == nil else {
                    throw .invalidField(action: name, field: "dueDate", reason: .clockAlreadyRunning(due: dueDate!, found: due))
                }
                dueDate = due
            }
            status = .processing

        case .transfer(let to, let reason):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(reason, action: name, field: "reason")
            try requireNewOwner(to, action: name, in: org)
            moveOwner(to: to, at: action.at)
            status = .received

        case .escalate(let to, let proposal):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(proposal, action: name, field: "proposal")
            // A position in words: "." or "—" is an escalation without one, the behaviour this refuses (seed 001).
            guard proposal.unicodeScalars.contains(where: \.properties.isAlphabetic) else {
                throw .invalidField(action: name, field: "proposal", reason: .proposalWithoutWords)
            }
            try requireNewOwner(to, action: name, in: org)
            if let org {
                guard let actorID, org.authorityLevel(of: to) < org.authorityLevel(of: actorID) else {
                    throw .invalidField(action: name, field: "to", reason: .notAbove(to, actor: action.actor.stored))
                }
            }
            moveOwner(to: to, at: action.at)
            status = .received

        case .delegate(let to, let instruction):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(instruction, action: name, field: "instruction")
            try requireNewOwner(to, action: name, in: org)
            if let org {
                guard let actorID, let actorUnit = org.official(actorID)?.unit, let targetUnit = org.official(to)?.unit,
                    org.isWithin(targetUnit, subtreeOf: actorUnit), org.authorityLevel(of: to) > org.authorityLevel(of: actorID)
                else {
                    throw .invalidField(action: name, field: "to", reason: .notBelow(to, actor: action.actor.stored))
                }
            }
            moveOwner(to: to, at: action.at)
            status = .received

        case .consult(let units, let question, let due):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(question, action: name, field: "question")
            guard !units.isEmpty else { throw .missingField(action: name, field: "units") }
            for unit in units {
                if let org, org.unit(unit) == nil { throw .unknownUnit(unit) }
                pendingConsultations[unit] = due
            }
            status = .processing

        case .opinion(let unit, let text):
            try requireOpen(name)
            try Self.requireText(text, action: name, field: "text")
            guard pendingConsultations[unit] != nil else {
                throw .invalidField(action: name, field: "unit", reason: .noPendingConsultation(unit))
            }
            if let org {
                guard let actorID, let actorUnit = org.official(actorID)?.unit, org.isWithin(actorUnit, subtreeOf: unit) else {
                    throw .notPermitted(action: name, actor: action.actor.stored, reason: .onlyUnitAnswers(unit))
                }
            }
            pendingConsultations[unit] = nil

        case .requestSupplement(let missing):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            guard !missing.isEmpty else { throw .missingField(action: name, field: "missing") }
            if let blank = missing.firstIndex(where: Self.isBlank) {
                throw .invalidField(action: name, field: "missing[\(blank)]", reason: .emptyListItem)
            }
            supplementRequests += 1
            status = .awaitingSupplement

        case .supplementReceived(_, let newDueDate):
            try requireOwner(actorID, action: name, actor: action.actor)
            guard status == .awaitingSupplement else { throw .invalidTransition(action: name, from: status) }
            if let newDueDate { dueDate = newDueDate }
            status = .processing

        case .reschedule(let newDueDate, let apology):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(apology, action: name, field: "apology")
            try requireLater(newDueDate, action: name)
            dueDate = newDueDate
            reschedules += 1

        case .extend(let newDueDate, let legalBasis):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(legalBasis, action: name, field: "legalBasis")
            try requireLater(newDueDate, action: name)
            dueDate = newDueDate
            extensions += 1

        case .suspend(let legalBasis, let reason):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(legalBasis, action: name, field: "legalBasis")
            try Self.requireText(reason, action: name, field: "reason")
            guard kind == .complaint || kind == .denunciation else {
                throw .invalidField(action: name, field: "case", reason: .notSuspendable(kind: kind))
            }
            suspendedSince = action.at

        case .resume(_, let newDueDate):
            try requireOwner(actorID, action: name, actor: action.actor)
            guard suspendedSince != nil else { throw .invalidField(action: name, field: "case", reason: .notSuspended) }
            if let newDueDate { dueDate = newDueDate }
            suspendedSince = nil

        case .decline(let legalBasis, let competentUnit, let reason, let receiver):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(legalBasis, action: name, field: "legalBasis")
            try Self.requireText(competentUnit, action: name, field: "competentUnit")
            try Self.requireText(reason, action: name, field: "reason")
            // Inside the organisation the case goes to the competent unit's head (named on the entry as its receiver);
            // outside it, it ends here.
            var head = receiver
            if let org {
                if let target = org.unit(UnitID(competentUnit)) {
                    guard target.id != leadUnit else {
                        throw .invalidField(action: name, field: "competentUnit", reason: .decliningUnitNamed(competentUnit))
                    }
                    guard let accountable = org.accountableHead(of: target.id) else {
                        throw .invalidField(action: name, field: "competentUnit", reason: .competentUnitHasNoHead(competentUnit))
                    }
                    guard receiver == nil || receiver == accountable else {
                        throw .invalidField(
                            action: name, field: "receiver",
                            reason: .receiverNotTheHead(expected: accountable, unit: competentUnit, found: receiver))
                    }
                    try Self.requireActive(accountable, in: org)
                    head = accountable
                } else if let receiver {
                    throw .invalidField(
                        action: name, field: "receiver",
                        reason: .receiverOutside(unit: competentUnit, receiver: receiver))
                }
            } else if receiver == nil, let legacy, let target = legacy.unit(UnitID(competentUnit)) {
                head = legacy.accountableHead(of: target.id)
            }
            if let head {
                leadUnit = UnitID(competentUnit)
                moveOwner(to: head, at: action.at)
                status = .received
            } else {
                close(at: action.at)
            }

        case .decide(let decision, let rationale):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(decision, action: name, field: "decision")
            try Self.requireText(rationale, action: name, field: "rationale")
            // The law names who decides (thẩm quyền giải quyết): the head of that body, or a deputy signing for them.
            if let org, let body = decidingBody, let actorID, !org.leads(actorID, body) {
                throw .notPermitted(action: name, actor: actorID.rawValue, reason: .notCompetent(actorID, body: body))
            }
            decided = true
            status = .processing

        case .resolve(let result):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireActive(name)
            try Self.requireText(result, action: name, field: "result")
            status = .resolved

        case .close(let outcome):
            try requireOwner(actorID, action: name, actor: action.actor)
            try requireOpen(name)
            try Self.requireText(outcome, action: name, field: "outcome")
            close(at: action.at)

        case .receptionHeld(let session):
            try applyReception(session, action: action, actorID: actorID, in: org)

        case .refuseIntake, .guide, .markDuplicate, .duplicateLinked:
            if try applyIntake(action.body, name: name, action: action, actorID: actorID, in: org) { close(at: action.at) }

        case .withdraw, .dialogue:
            if try applyComplaintStep(action.body, name: name, action: action, actorID: actorID) { close(at: action.at) }

        case .progress, .submitDraft, .approveDraft, .returnDraft, .cancel, .submitReport:
            try applyTaskStep(action.body, name: name, action: action, actorID: actorID, in: org)

        case .recordViolation, .concludeInspection:
            try applyInspectionStep(action.body, name: name, action: action, actorID: actorID, in: org)
        }
        followPhase(after: action.body)
        // A finding's entry is written when it is raised, not when the case moved: it does not hold back a system that
        // pushes the case's own actions with their original times.
        if !action.body.isRecordKeeping { updatedAt = action.at }
        actionCount += 1
    }

    // MARK: - Helpers

    mutating func moveOwner(to official: OfficialID, at time: Int64) {
        if owner != official { ownerSince = time }
        owner = official
    }

    mutating func close(at time: Int64) {
        status = .closed
        owner = nil
        closedAt = time
        pendingConsultations = [:]
        suspendedSince = nil
    }

    func requireOpen(_ action: String) throws(DomainError) {
        guard status.isOpen else { throw .invalidTransition(action: action, from: status) }
    }

    /// Work actions need a case that is neither closed nor already resolved, nor suspended.
    func requireActive(_ action: String) throws(DomainError) {
        guard status == .received || status == .processing else { throw .invalidTransition(action: action, from: status) }
        guard suspendedSince == nil else { throw .invalidField(action: action, field: "case", reason: .suspended) }
    }

    func requireOwner(_ actorID: OfficialID?, action: String, actor: Actor) throws(DomainError) {
        try requireOpen(action)
        guard let actorID else { throw notOfficial(action, actor) }
        guard actorID == owner else {
            throw .notPermitted(action: action, actor: actorID.rawValue, reason: .heldBy(owner))
        }
    }

    private func notOfficial(_ action: String, _ actor: Actor) -> DomainError {
        .notPermitted(action: action, actor: actor.stored, reason: .onlyOfficialActs)
    }

    /// The accused of a denunciation, who may never hold it.
    private var accused: OfficialID? { kind == .denunciation ? concerning?.official : nil }

    func requireNewOwner(_ to: OfficialID, action: String, in org: Organization?) throws(DomainError) {
        if let org { try Self.requireActive(to, in: org) }
        if org != nil, to == accused { throw .invalidField(action: action, field: "to", reason: .accusedHandles(to)) }
        guard to != owner else {
            throw .invalidField(action: action, field: "to", reason: .alreadyHolds(to))
        }
    }

    private func requireLater(_ date: CivilDate, action: String) throws(DomainError) {
        if let dueDate, date <= dueDate {
            throw .invalidField(action: action, field: "newDueDate", reason: .dateNotAfter(due: dueDate, found: date))
        }
    }

    @discardableResult
    private static func requireOfficial(_ id: OfficialID, in org: Organization) throws(DomainError) -> Official {
        guard let official = org.official(id) else { throw .unknownOfficial(id) }
        return official
    }

    static func requireActive(_ id: OfficialID, in org: Organization) throws(DomainError) {
        let official = try requireOfficial(id, in: org)
        guard official.active else { throw .inactiveOfficial(id) }
    }

    static func requireText(_ text: String, action: String, field: String) throws(DomainError) {
        guard !isBlank(text) else { throw .missingField(action: action, field: field) }
    }

    /// Empty or only whitespace (including Vietnamese full-width and no-break spaces).
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}
