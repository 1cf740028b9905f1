import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

extension LiveLedger {
    /// The checks of a withdrawal or a decision that need the rulebook and the case's own entries, made before anything
    /// is queued: a withdrawal is of a kind the row in force that day allows (part, or whole with the handling continued:
    /// `Rulebook.checkWithdrawal`); a decision whose procedure the law requires a dialogue for has one on its ledger
    /// (`Rulebook.checkDialogueHeld`).
    func checkComplaintStep(_ action: Action) async throws(StoreError) {
        let day = CivilDate(Date(timeIntervalSince1970: Double(action.at) / 1000))
        switch action.body {
        case .withdraw(let withdrawal):
            guard let state = try? await store.caseState(action.caseID) else { return }  // the append says the case is missing
            // A kind that cannot be withdrawn at all is the domain's refusal (`applyComplaintStep`), with its own reason.
            guard state.kind == .complaint || state.kind == .denunciation else { return }
            do { try rulebook.checkWithdrawal(withdrawal, kind: state.kind, on: day) } catch { throw .rejected(error) }
        case .decide:
            guard let state = try? await store.caseState(action.caseID),
                rulebook.dialogueRule(for: state.kind, procedure: state.procedure, on: day) != nil
            else { return }
            let entries: [LedgerRecord]
            do { entries = try await store.entries(of: action.caseID, after: -1) } catch let error as StoreError { throw error } catch {
                throw .database("\(error)")
            }
            let dialogues = entries.compactMap { record -> Dialogue? in
                if case .dialogue(let d) = record.action.body { return d }
                return nil
            }
            do {
                try rulebook.checkDialogueHeld(before: day, kind: state.kind, procedure: state.procedure, dialogues: dialogues)
            } catch {
                throw .rejected(error)
            }
        default:
            return
        }
    }
}
