import BuckStopDomain
import BuckStopStore

extension LiveLedger {
    /// An inspection's scope names fields the rulebook knows (`Rulebook.inspectionFields`): the domain checks the shape,
    /// the writer, which holds the rulebook, the codes.
    func checkInspectionScope(_ open: OpenCase) throws(StoreError) {
        guard let scope = open.inspection, let form = PlanLevel(rawValue: open.procedure ?? "")?.inspectionForm else { return }
        do {
            try scope.check(
                action: ActionType.open.rawValue, form: form, lead: open.leadUnit, fieldCodes: Set(rulebook.inspectionFields.map(\.code)),
                in: nil)
        } catch {
            throw .rejected(error)
        }
    }

    /// A violation is recorded in a unit the inspection inspects and a field it covers: the scope is on the opening entry,
    /// read here because the case's own state does not carry it.
    func checkInspectionStep(_ action: Action) async throws(StoreError) {
        guard case .recordViolation(let violation) = action.body else { return }
        do {
            guard let record = try await inspection(action.caseID) else { return }
            try record.scope.check(violation, action: action.body.type.rawValue)
        } catch let error as DomainError {
            throw .rejected(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// An inspection as its entries tell it (nil for any other case).
    public func inspection(_ id: CaseID) async throws -> InspectionRecord? {
        guard let state = try await store.caseState(id), state.isInspection else { return nil }
        return InspectionRecord(caseID: id, records: try await store.entries(of: id, after: -1).map { ($0.index, $0.action) })
    }
}
