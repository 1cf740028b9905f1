import BuckStopCalendar
import BuckStopDomain

/// The action-derived attributes of BuckStop's event-log vocabulary, shared by `buckstop export` and `buckstop synth`.
public enum LogVocabulary {
    /// `buckstop:due`: the date the action carries — the opening's due date, an extension's or reschedule's new
    /// date, the new date set on receiving supplements, a consultation's answer-by date, the day of a reception
    /// session; nil for other actions.
    public static func due(of body: ActionBody) -> CivilDate? {
        switch body {
        case .open(let open): open.dueDate
        case .extend(let newDue, _), .reschedule(let newDue, _): newDue
        case .supplementReceived(_, let newDue), .accept(_, let newDue), .resume(_, let newDue): newDue
        case .consult(_, _, let due): due
        case .receptionHeld(let session): session.day
        default: nil
        }
    }

    /// `buckstop:target`: the official an assign, transfer, escalate, delegate or reopen sends the case to; the
    /// consulted units (comma-joined) of a consult; the answering unit of an opinion; the official who received
    /// citizens in a reception session; nil for other actions.
    public static func target(of body: ActionBody) -> String? {
        switch body {
        case .assign(let to, _), .transfer(let to, _), .escalate(let to, _), .delegate(let to, _), .reopen(let to, _): to.rawValue
        case .consult(let units, _, _): units.count == 1 ? units[0].rawValue : units.map(\.rawValue).joined(separator: ",")
        case .opinion(let unit, _): unit.rawValue
        case .receptionHeld(let session): session.receivedBy.rawValue
        default: nil
        }
    }
}

/// Turns one case's actions into XES events, replaying the domain to know who held the case after each.
/// The ledger holds only accepted actions, but the organisation may have changed since (an official
/// retired, a unit merged); when today's organisation refuses a replayed step, the owner still
/// follows the action itself (`newOwner`), so the export never stops or drops an event (its status is
/// then omitted unless the action closes the case). Findings and their explanations and reviews are entries
/// about the case's handling, not steps of it: they are left out, so a re-analysis sees the process only.
public enum LedgerExport {
    public static func events(
        for actions: [(index: Int64, action: Action)], organization: Organization
    ) -> (attributes: [(String, String)], events: [XESWriter.Event]) {
        var state: CaseState?
        var owner: OfficialID?
        /// `buckstop:status`: the case status, or `suspended` while the handling is (the analyser reads it back).
        var status: String?
        var attributes: [(String, String)] = []
        var events: [XESWriter.Event] = []
        events.reserveCapacity(actions.count)
        for (index, action) in actions where !action.body.isRecordKeeping {
            if case .open(let open) = action.body {
                attributes = [("buckstop:kind", open.kind.rawValue), ("buckstop:leadUnit", open.leadUnit.rawValue)]
                if let p = open.procedure { attributes.append(("buckstop:procedure", p)) }
                if let d = open.dueDate { attributes.append(("buckstop:dueDate", d.description)) }
                if let c = open.concerning?.official { attributes.append(("buckstop:concerning", c.rawValue)) }
                if let b = open.decidingBody { attributes.append(("buckstop:decidingBody", b.rawValue)) }
                if let p = open.parent { attributes.append(("buckstop:parent", p.rawValue)) }
                if let p = open.product { attributes.append(("buckstop:product", p)) }
                if let scope = open.inspection {
                    let found = actions.compactMap { $0.action.body.violation }
                    attributes.append(("buckstop:inspection", InspectionLogText(scope: scope, violations: found).text))
                }
                state = try? CaseState(opening: action, in: organization)
                owner = open.owner
                status = CaseStatus.received.rawValue
            } else if var replayed = state, (try? replayed.apply(action, in: organization)) != nil {
                state = replayed
                owner = replayed.owner
                status = replayed.isSuspended ? "suspended" : replayed.status.rawValue
            } else {
                state = nil  // replay lost; follow the actions themselves from here on
                if action.body.endsCase {
                    owner = nil
                    status = CaseStatus.closed.rawValue
                } else {
                    owner = action.body.newOwner ?? owner
                    status = nil
                }
            }
            let group = action.actor.officialID.flatMap { organization.official($0)?.unit.rawValue }
            events.append(
                XESWriter.Event(
                    index: index, activity: action.body.type.rawValue, resource: action.actor.stored, group: group,
                    timestampMillis: action.at, owner: owner?.rawValue, status: status, due: LogVocabulary.due(of: action.body),
                    target: LogVocabulary.target(of: action.body)))
        }
        return (attributes, events)
    }
}
