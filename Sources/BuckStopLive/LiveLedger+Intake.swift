import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

extension LiveLedger {
    /// The checks of an intake outcome that need more than the case itself, made before anything is queued: a refusal's
    /// ground must be a row of the rulebook for the case's kind, in force on the day the letter was received
    /// (`Rulebook.refusalGround`); a duplicate must name an earlier case of the same kind (`CaseState.checkDuplicate`).
    func checkIntake(_ action: Action) async throws(StoreError) {
        switch action.body {
        case .refuseIntake(let ground, _):
            guard let state = try? await store.caseState(action.caseID) else { return }  // the append says the case is missing
            do {
                _ = try rulebook.refusalGround(ground, for: state.kind, receivedOn: receivedDay(of: state))
            } catch {
                throw .rejected(error)
            }
        case .markDuplicate(let other, _):
            guard let state = try? await store.caseState(action.caseID) else { return }
            let found: CaseState?
            do { found = try await store.caseState(other) } catch let error as StoreError { throw error } catch {
                throw .database("\(error)")
            }
            do { try state.checkDuplicate(of: other, found: found) } catch { throw .rejected(error) }
        default:
            return
        }
    }

    /// The local day a case was received, by which its intake rules are chosen.
    func receivedDay(of state: CaseState) -> CivilDate {
        CivilDate(Date(timeIntervalSince1970: Double(state.openedAt) / 1000))
    }

    /// A duplicate and its link on the earlier case, in one transaction: the duplicate is closed and the earlier case's
    /// ledger says which letter repeats it (`duplicateLinked`, written by the system, through the same credential), so
    /// each case's page shows the link from its own entries.
    func appendDuplicate(_ action: Action, of other: CaseID, serverTime: Bool) async throws(StoreError) -> AppendOutcome {
        await detection.warm(action.caseID, store: store)
        await detection.warm(other, store: store)
        let link = Action(caseID: other, actor: .system("intake"), at: action.at, body: .duplicateLinked(duplicate: action.caseID), via: action.via)
        let results = await store.appendBatch(serverTime ? [.stamped(action), .stamped(link)] : [.action(action), .action(link)])
        guard let first = results.first else { throw .database("the batch of a duplicate and its link answered nothing") }
        let receipt = try first.get()
        if results.count > 1, case .failure(let error) = results[1] {
            logger.error(
                "duplicate recorded without its link on the earlier case",
                metadata: ["case": "\(action.caseID.rawValue)", "of": "\(other.rawValue)", "error": "\(error)"])
        }
        var written = action
        written.at = receipt.at
        return AppendOutcome(receipt: receipt, findings: await findings(of: receipt, appended: written), pin: nil)
    }
}
