import BuckStopDomain
import BuckStopLedger

/// What a caller asks the store to append.
public enum AppendRequest: Sendable {
    /// An action on an existing case, at the time it carries (an import's given time must fit the case as it is).
    case action(Action)
    /// An action whose time the writer stamps: `at` is when the request arrived, and if an append on the same case
    /// committed a later time meanwhile (another server, a concurrent request), the writer moves it up to that time
    /// inside its transaction rather than refusing it.
    case stamped(Action)
    /// Opens a case. With `code` nil the store allocates the next code of the lead unit for the day
    /// inside the same transaction; personal data is sealed off-ledger and only its salted hash is recorded.
    case open(OpenCase, actor: Actor, at: Int64, code: CaseID?, personalData: PersonalData?, via: Credential)
}

/// What an acknowledged append returns: by then the entry is durable.
public struct AppendReceipt: Sendable {
    public let index: Int64
    public let caseID: CaseID
    public let leafHash: TreeHash
    public let state: CaseState
    /// The time written on the entry (a stamped action's may have been moved up).
    public internal(set) var at: Int64 = 0
    /// Whether the store's `AppendObserver` judged this entry inside the transaction; if not, whoever detects must do
    /// it after the commit.
    public internal(set) var observed = false
    /// Findings the observer raised for this entry, written in the same transaction right after it.
    public internal(set) var findings: [StoredFinding] = []

    init(index: Int64, caseID: CaseID, leafHash: TreeHash, state: CaseState, at: Int64) {
        self.index = index
        self.caseID = caseID
        self.leafHash = leafHash
        self.state = state
        self.at = at
    }
}

/// One ledger entry read back.
public struct LedgerRecord: Sendable {
    public let index: Int64
    public let action: Action
    public let leafHash: TreeHash

    public init(index: Int64, action: Action, leafHash: TreeHash) {
        self.index = index
        self.action = action
        self.leafHash = leafHash
    }
}

/// A request with its costly pure work done before it joins the writer's queue: the entry
/// encoded (all but its index) and personal data sealed. Runs on the caller's task, in parallel.
struct PreparedRequest: Sendable {
    /// `.action` or `.open` (a stamped action becomes `.action` with `stampsTime`).
    let request: AppendRequest
    /// The writer may move the action's time up to its case's last (see `AppendRequest.stamped`).
    let stampsTime: Bool
    let sealed: PersonalDataVault.Sealed?
    /// Nil when the entry cannot be encoded yet (an opening whose code the writer allocates).
    let entry: PreparedEntry?
    /// An opening's title folded for search (`SearchText`), done here rather than under the write lock.
    let foldedTitle: String?

    /// Refuses an action that does not say which credential wrote it, and names a decline's receiver from
    /// `organization` (the domain checks it again inside the transaction).
    init(_ request: AppendRequest, vault: PersonalDataVault, organization: Organization?) throws {
        switch request {
        case .action(var action), .stamped(var action):
            guard action.via != nil else { throw DomainError.missingField(action: action.body.type.rawValue, field: "via") }
            if let organization { action.body = action.body.resolved(in: organization) }
            self.request = .action(action)
            if case .stamped = request { stampsTime = true } else { stampsTime = false }
            sealed = nil
            entry = LedgerEntryCodec.prepare(action)
            foldedTitle = nil
        case .open(var open, let actor, let at, let code, let personalData, let via):
            if let detail = personalData?.detail(appearingIn: open.title) {
                throw DomainError.invalidField(
                    action: "open", field: "title",
                    reason: .titleCarriesPersonalData(detail: detail))
            }
            self.request = request
            stampsTime = false
            sealed = try personalData.map { try vault.seal($0) }
            if let sealed { open.subject = SubjectRef(ref: sealed.ref, hash: sealed.hash) }
            entry = code.map { LedgerEntryCodec.prepare(Action(caseID: $0, actor: actor, at: at, body: .open(open), via: via)) }
            foldedTitle = SearchText.fold(open.title)
        }
    }
}
