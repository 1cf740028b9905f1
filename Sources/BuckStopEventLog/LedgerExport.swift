import BuckStopDomain

/// Turns one case's actions into XES events, replaying the domain to know who held the case after each.
public enum LedgerExport {
    public static func events(
        for actions: [(index: Int64, action: Action)], organization: Organization
    ) -> (attributes: [(String, String)], events: [XESWriter.Event]) {
        var state: CaseState?
        var attributes: [(String, String)] = []
        var events: [XESWriter.Event] = []
        events.reserveCapacity(actions.count)
        for (index, action) in actions {
            if state == nil {
                state = try? CaseState(opening: action, in: organization)
                if let s = state {
                    attributes = [("buckstop:kind", s.kind.rawValue), ("buckstop:leadUnit", s.leadUnit.rawValue)]
                    if let p = s.procedure { attributes.append(("buckstop:procedure", p)) }
                    if let d = s.dueDate { attributes.append(("buckstop:dueDate", d.description)) }
                }
            } else {
                try? state?.apply(action, in: organization)
            }
            let group = action.actor.officialID.flatMap { organization.official($0)?.unit.rawValue }
            events.append(
                XESWriter.Event(
                    index: index, activity: action.body.type.rawValue, resource: action.actor.stored, group: group,
                    timestampMillis: action.at, owner: state?.owner?.rawValue))
        }
        return (attributes, events)
    }
}
