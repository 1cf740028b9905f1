import BuckStopCalendar
import BuckStopDomain
import Foundation

extension LedgerStore {
    /// The matrix of a report request (`ReportMatrix`): its submission tasks, each with its entries. A request has one
    /// task per agency asked (tens, not thousands), so each task's entries are read by its own index lookup; at most
    /// `limit` tasks. Nil when `request` is not a report request.
    public func reportMatrix(request: CaseID, asOf day: CivilDate, organization: Organization, limit: Int = 1000) async throws -> ReportMatrix? {
        guard let state = try await caseState(request), state.kind == .programme, state.procedure == PlanLevel.reportRequest.rawValue else {
            return nil
        }
        var submissions: [(task: TaskSummary, entries: [(action: ActionBody, day: CivilDate)])] = []
        for task in try await programmeTasks(root: request, limit: limit) {
            let entries = try await history(of: task.id).map { record in
                (action: record.action.body, day: CivilDate(Date(timeIntervalSince1970: Double(record.action.at) / 1000)))
            }
            submissions.append((task, entries))
        }
        return ReportMatrix(submissions: submissions, asOf: day, organization: organization)
    }
}
