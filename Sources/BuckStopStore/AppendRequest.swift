import BuckStopDomain
import BuckStopLedger

/// What a caller asks the store to append.
public enum AppendRequest: Sendable {
    /// An action on an existing case.
    case action(Action)
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
    let request: AppendRequest
    let sealed: PersonalDataVault.Sealed?
    /// Nil when the entry cannot be encoded yet (an opening whose code the writer allocates).
    let entry: PreparedEntry?

    /// Refuses an action that does not say which credential wrote it, and names a decline's receiver from
    /// `organization` (the domain checks it again inside the transaction).
    init(_ request: AppendRequest, vault: PersonalDataVault, organization: Organization?) throws {
        switch request {
        case .action(var action):
            guard action.via != nil else { throw DomainError.missingField(action: action.body.type.rawValue, field: "via") }
            if let organization { action.body = action.body.resolved(in: organization) }
            self.request = .action(action)
            sealed = nil
            entry = LedgerEntryCodec.prepare(action)
        case .open(var open, let actor, let at, let code, let personalData, let via):
            if let detail = personalData?.detail(appearingIn: open.title) {
                throw DomainError.invalidField(
                    action: "open", field: "title",
                    reason: "it contains the applicant's \(detail); personal data is sealed off the ledger, so the title must not carry it")
            }
            self.request = request
            sealed = try personalData.map { try vault.seal($0) }
            if let sealed { open.subject = SubjectRef(ref: sealed.ref, hash: sealed.hash) }
            entry = code.map { LedgerEntryCodec.prepare(Action(caseID: $0, actor: actor, at: at, body: .open(open), via: via)) }
        }
    }
}
