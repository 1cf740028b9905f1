import BuckStopCalendar

extension CaseState {
    /// Rebuilds a projection a store saved, without replaying the ledger. The store is trusted to
    /// have saved what `apply` produced; `buckstop verify` can always rebuild it from the ledger.
    public init(
        restoringID id: CaseID, kind: CaseKind, procedure: String?, title: String, leadUnit: UnitID, collaborators: [UnitID],
        owner: OfficialID?, status: CaseStatus, dueDate: CivilDate?, originalDueDate: CivilDate?, ruleID: String?,
        subject: SubjectRef?, openedAt: Int64, updatedAt: Int64, ownerSince: Int64, pendingConsultations: [UnitID: CivilDate],
        actionCount: Int, supplementRequests: Int, reschedules: Int, extensions: Int, decided: Bool, rating: Int?, closedAt: Int64?,
        suspendedSince: Int64? = nil, concerning: Concerning? = nil, decidingBody: UnitID? = nil, parent: CaseID? = nil,
        product: String? = nil, taskPhase: TaskPhase? = nil, drafter: OfficialID? = nil
    ) {
        self.id = id
        self.kind = kind
        self.procedure = procedure
        self.title = title
        self.leadUnit = leadUnit
        self.collaborators = collaborators
        self.owner = owner
        self.status = status
        self.dueDate = dueDate
        self.originalDueDate = originalDueDate
        self.ruleID = ruleID
        self.subject = subject
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.ownerSince = ownerSince
        self.pendingConsultations = pendingConsultations
        self.actionCount = actionCount
        self.supplementRequests = supplementRequests
        self.reschedules = reschedules
        self.extensions = extensions
        self.decided = decided
        self.rating = rating
        self.closedAt = closedAt
        self.suspendedSince = suspendedSince
        self.concerning = concerning.flatMap { $0.isEmpty ? nil : $0 }
        self.decidingBody = decidingBody
        self.parent = parent
        self.product = product
        self.taskPhase = taskPhase
        self.drafter = drafter
    }
}
