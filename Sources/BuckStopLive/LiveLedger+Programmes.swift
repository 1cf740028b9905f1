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

    /// A report sent on a task that answers a report request gives the figures its template asks for (`ReportTemplate.check`):
    /// the template is on the request's opening entry, read here because the task's own state does not carry it.
    func checkReport(_ action: Action) async throws(StoreError) {
        guard case .submitReport(_, let report) = action.body else { return }
        do {
            guard let task = try await store.caseState(action.caseID), let parent = task.parent,
                let template = try await reportTemplate(of: parent)
            else { return }
            try template.check(report, action: action.body.type.rawValue)
        } catch let error as DomainError {
            throw .rejected(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// The template of a report request (nil for any other case): its opening entry's.
    public func reportTemplate(of request: CaseID) async throws -> ReportTemplate? {
        guard let state = try await store.caseState(request) else { return nil }
        return try await reportTemplate(of: state)
    }

    /// The same, for a case already read.
    public func reportTemplate(of request: CaseState) async throws -> ReportTemplate? {
        guard request.kind == .programme, request.procedure == PlanLevel.reportRequest.rawValue,
            let first = try await store.entries(of: request.id, after: -1).first, case .open(let open) = first.action.body
        else { return nil }
        return open.template
    }
}
