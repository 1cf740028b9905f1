import BuckStopDomain

/// Turns one case's actions into XES events, replaying the domain to know who held the case after each.
/// The ledger holds only accepted actions, but the organisation may have changed since (an official
/// retired, a unit merged); when today's organisation refuses a replayed step, the owner still
/// follows the action itself (`newOwner`), so the export never stops or drops an event.
public enum LedgerExport {
    public static func events(
        for actions: [(index: Int64, action: Action)], organization: Organization
    ) -> (attributes: [(String, String)], events: [XESWriter.Event]) {
        var state: CaseState?
        var owner: OfficialID?
        var attributes: [(String, String)] = []
        var events: [XESWriter.Event] = []
        events.reserveCapacity(actions.count)
        for (index, action) in actions {
            if case .open(let open) = action.body {
                attributes = [("buckstop:kind", open.kind.rawValue), ("buckstop:leadUnit", open.leadUnit.rawValue)]
                if let p = open.procedure { attributes.append(("buckstop:procedure", p)) }
                if let d = open.dueDate { attributes.append(("buckstop:dueDate", d.description)) }
                state = try? CaseState(opening: action, in: organization)
                owner = open.owner
            } else if var replayed = state, (try? replayed.apply(action, in: organization)) != nil {
                state = replayed
                owner = replayed.owner
            } else {
                state = nil  // replay lost; follow the actions themselves from here on
                owner = action.body.newOwner ?? owner
            }
            let group = action.actor.officialID.flatMap { organization.official($0)?.unit.rawValue }
            events.append(
                XESWriter.Event(
                    index: index, activity: action.body.type.rawValue, resource: action.actor.stored, group: group,
                    timestampMillis: action.at, owner: owner?.rawValue))
        }
        return (attributes, events)
    }
}
