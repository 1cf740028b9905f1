import BuckStopDomain
import BuckStopLedger

/// What a caller asks the store to append.
public enum AppendRequest: Sendable {
    /// An action on an existing case.
    case action(Action)
    /// Opens a case. With `code` nil the store allocates the next code of the lead unit for the day
    /// inside the same transaction; personal data is sealed off-ledger and only its salted hash is recorded.
    case open(OpenCase, actor: Actor, at: Int64, code: CaseID?, personalData: PersonalData?)
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
}
