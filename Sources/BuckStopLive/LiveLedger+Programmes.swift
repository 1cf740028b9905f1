import BuckStopDomain
import BuckStopStore

extension LiveLedger {
    /// A task or plan names a programme or plan that exists and is open; a plan names one, a programme none
    /// (`CaseState.checkParent`), read before the opening is queued.
    func checkParent(of open: OpenCase) async throws(StoreError) {
        guard open.parent != nil || open.kind == .programme else { return }
        var found: CaseState?
        if let parent = open.parent {
            do { found = try await store.caseState(parent) } catch let error as StoreError { throw error } catch {
                throw .database("\(error)")
            }
        }
        do { try CaseState.checkParent(of: open, found: found) } catch { throw .rejected(error) }
    }
}
