import BuckStopCalendar
import BuckStopDomain
import BuckStopEventLog
import Yams

/// Generated cases as event-log traces in BuckStop's vocabulary (`LogTrace`, `LogEvent`), labelled with their
/// ground truth, and the mapping file that tells a detector which activity plays which role.
///
/// A trace: `concept:name` = the case code, `buckstop:kind`, `buckstop:procedure` (when the case has one),
/// `buckstop:leadUnit`, `buckstop:labels` = `DemoCase.labels` sorted and comma-joined (absent when none),
/// `buckstop:truth` = `DemoCase.truthText`, each label as `behaviour=responsible:value` — whom docs/FINDINGS.md names
/// (an official's id; a unit's id for a consultation answered late) and the measured value, joined by `;` (absent
/// when none), e.g. `overdue=ub-tp-12:3;stalling=ub-tp-12:7`. Its
/// events: the opening (`open`) then every action in order, each with the owner and status after it from a replay
/// through `CaseState` (the same domain rules that accepted the actions), so `buckstop:owner` is exactly the
/// accountable official the labels were computed from.
///
/// Labels are exact for the cases they were generated with. When a log is generated in chunks
/// (`DemoGenerator.Chunked`), `transfers` (against the median of the same kind) and `accumulation` (per official in
/// a rolling 90-day window) are computed per chunk: with several chunks they describe the chunk, not the whole log.
public enum SyntheticLog {
    public static let logName = "BuckStop synthetic log"

    /// Converts one generated case. `units` caches each official's unit id (`unitCache(for:)`), so the hot loop
    /// does one dictionary lookup per event.
    public static func trace(_ demoCase: DemoCase, organization org: Organization, units: [OfficialID: String]? = nil) -> LogTrace {
        let open = demoCase.openAction
        var events: [LogEvent] = []
        events.reserveCapacity(demoCase.actions.count + 1)
        var state: CaseState
        do { state = try CaseState(opening: open, in: org) } catch { preconditionFailure("generated opening refused: \(error)") }
        func group(_ actor: Actor) -> String? {
            guard let id = actor.officialID else { return nil }
            if let units { return units[id] }
            return org.official(id)?.unit.rawValue
        }
        events.append(
            LogEvent(
                activity: ActionType.open.rawValue, timestampMillis: open.at, resource: open.actor.stored, group: group(open.actor),
                owner: state.owner?.rawValue, status: state.status.rawValue, due: demoCase.open.dueDate, target: nil))
        for action in demoCase.actions {
            do { try state.replay(action, organization: org) } catch { preconditionFailure("generated action refused: \(error)") }
            events.append(
                LogEvent(
                    activity: action.body.type.rawValue, timestampMillis: action.at, resource: action.actor.stored, group: group(action.actor),
                    owner: state.owner?.rawValue, status: state.status.rawValue, due: LogVocabulary.due(of: action.body),
                    target: LogVocabulary.target(of: action.body)))
        }
        let labels: String? =
            switch demoCase.labels.count {
            case 0: nil
            case 1: demoCase.labels.first!
            default: demoCase.labels.sorted().joined(separator: ",")
            }
        return LogTrace(
            caseID: demoCase.code.rawValue, kind: demoCase.open.kind.rawValue, procedure: demoCase.open.procedure,
            leadUnit: demoCase.open.leadUnit.rawValue, labels: labels, truth: demoCase.truthText,
            concerning: demoCase.open.concerning?.official?.rawValue, decidingBody: demoCase.open.decidingBody?.rawValue,
            product: demoCase.open.product,
            inspection: demoCase.open.inspection.map { scope in
                InspectionLogText(scope: scope, violations: demoCase.actions.compactMap { $0.body.violation }).text
            }, events: events)
    }

    /// Separates an official's id from the number of the organisation copy it belongs to in replicated logs.
    public static let ownerQualifier = "@"

    /// The same case in copy `replica` of the organisation: case id and every official (actor, owner, an official
    /// target, an official named in `buckstop:truth`) and the lead unit qualified with `@replica`; other units, times, labels and values
    /// unchanged. Renaming officials consistently keeps
    /// every label exact — including `accumulation`, counted per official — so a log can be scaled past what the
    /// generator makes in reasonable time by repeating a generated pool in as many organisation copies as needed.
    public static func replica(_ trace: LogTrace, _ replica: Int, officials: [OfficialID: String]) -> LogTrace {
        let suffix = ownerQualifier + String(replica)
        var out = trace
        out.caseID += suffix
        // Each copy's tasks are its own work: the lead unit `overlap` compares is the copy's (no mapping places it).
        out.leadUnit += suffix
        // …and so are the units its inspections look at.
        if let text = out.inspection, var parsed = InspectionLogText(text) {
            parsed.scope.subjects = parsed.scope.subjects.map { UnitID($0.rawValue + suffix) }
            parsed.violations = parsed.violations.map { (UnitID($0.unit.rawValue + suffix), $0.field) }
            out.inspection = parsed.text
        }
        if let c = out.concerning, officials[OfficialID(c)] != nil { out.concerning = c + suffix }
        for i in out.events.indices {
            if officials[OfficialID(out.events[i].resource)] != nil { out.events[i].resource += suffix }
            if let o = out.events[i].owner { out.events[i].owner = o + suffix }
            if let t = out.events[i].target, officials[OfficialID(t)] != nil { out.events[i].target = t + suffix }
        }
        if let truth = out.truth {
            // `behaviour=responsible:value`: ids hold none of `;=:` (`DemoVerdict.text`), so the split is exact.
            out.truth = truth.split(separator: ";", omittingEmptySubsequences: false).map { verdict -> String in
                guard let eq = verdict.firstIndex(of: "="), let colon = verdict.lastIndex(of: ":"), eq < colon else { return String(verdict) }
                let who = String(verdict[verdict.index(after: eq)..<colon])
                guard officials[OfficialID(who)] != nil else { return String(verdict) }
                return String(verdict[...eq]) + who + suffix + String(verdict[colon...])
            }.joined(separator: ";")
        }
        return out
    }

    /// Each official's unit id, for `trace(_:organization:units:)`.
    public static func unitCache(for org: Organization) -> [OfficialID: String] {
        org.officials.mapValues(\.unit.rawValue)
    }
}

/// (kind, procedure) of a case: which pairs occur decides the `competent:` entries of the mapping.
public struct CaseType: Hashable, Sendable, Comparable {
    public var kind: CaseKind
    public var procedure: String?

    public init(kind: CaseKind, procedure: String?) {
        self.kind = kind
        self.procedure = procedure
    }

    /// Every type a generated case can have: each kind without a procedure, and each procedure of the rulebook.
    public static func all(in rulebook: Rulebook) -> Set<CaseType> {
        var out = Set(CaseKind.allCases.map { CaseType(kind: $0, procedure: nil) })
        for p in rulebook.procedures { out.insert(CaseType(kind: p.caseKind, procedure: p.code)) }
        return out
    }

    public init(_ demoCase: DemoCase) {
        self.init(kind: demoCase.open.kind, procedure: demoCase.open.procedure)
    }

    public static func < (a: CaseType, b: CaseType) -> Bool {
        a.kind.rawValue != b.kind.rawValue ? a.kind.rawValue < b.kind.rawValue : (a.procedure ?? "") < (b.procedure ?? "")
    }
}

/// The mapping file of a synthetic log (`buckstop synth --mapping-out`): the role of each activity, the attribute
/// names, every official of the organisation with their unit, agency and authority level, and the competent
/// agencies for every (kind, procedure) that occurs in the log.
public struct SyntheticMapping: Sendable {
    public struct Owner: Sendable, Equatable {
        public var id: String
        public var unit: String
        /// The official's unit, or the unit above a phòng (walking up while the unit is a division), as `GroundTruth.agency`.
        public var agency: String
        /// `Organization.authorityLevel(of:)`: smaller is more senior.
        public var level: Int
        /// `Organization.unitsLed(by:)`: the units the official heads or deputises.
        public var leads: [String]
    }

    public struct Competence: Sendable, Equatable {
        public var kind: String
        public var procedure: String?
        public var agencies: [String]
    }

    /// Role → activity names, in the order of the file.
    public static let activities: [(role: String, activities: [String])] = [
        ("open", [ActionType.open]), ("assignment", [.assign]), ("acceptance", [.accept]), ("transfer", [.transfer]),
        ("escalation", [.escalate]), ("delegation", [.delegate]), ("consultation", [.consult]), ("opinion", [.opinion]),
        ("supplement_request", [.requestSupplement]), ("supplement_received", [.supplementReceived]), ("reschedule", [.reschedule]),
        ("extension", [.extend]), ("decline", [.decline]), ("decision", [.decide]), ("resolution", [.resolve, .approveDraft, .concludeInspection]),
        ("closing", [.close, .cancel]),
        ("reopen", [.reopen]), ("suspension", [.suspend]), ("resumption", [.resume]), ("reception", [.receptionPeriodic]),
        ("refusal", [.refuseIntake]), ("guidance", [.guide]), ("duplicate", [.duplicate]), ("withdrawal", [.withdrawal]),
        ("submission", [.submitDraft, .submitReport]), ("revision", [.returnDraft]),
    ].map { ($0.0, $0.1.map(\.rawValue)) }

    /// Meaning → attribute key, in the order of the file.
    public static let attributes: [(String, String)] = [
        ("owner", "buckstop:owner"), ("actor", "org:resource"), ("case_type", "buckstop:kind"), ("kind", "buckstop:kind"),
        ("procedure", "buckstop:procedure"), ("due", "buckstop:due"), ("target", "buckstop:target"), ("status", "buckstop:status"),
        ("concerning", "buckstop:concerning"), ("deciding_body", "buckstop:decidingBody"), ("lead_unit", "buckstop:leadUnit"),
        ("product", "buckstop:product"), ("inspection", "buckstop:inspection"),
    ]

    public var asOf: CivilDate
    /// Sorted by id.
    public var owners: [Owner]
    /// Sorted by kind, then procedure.
    public var competent: [Competence]
    /// Unit → the unit above it, sorted by unit.
    public var unitParents: [(unit: String, parent: String)]

    public init(organization org: Organization, asOf: CivilDate, caseTypes: Set<CaseType>) {
        self.asOf = asOf
        owners = org.officials.keys.sorted().map { id in
            let unit = org.official(id)!.unit
            return Owner(
                id: id.rawValue, unit: unit.rawValue, agency: org.body(of: unit).rawValue, level: org.authorityLevel(of: id),
                leads: org.unitsLed(by: id).map(\.rawValue))
        }
        unitParents = org.units.values.compactMap { u in u.parent.map { (u.id.rawValue, $0.rawValue) } }.sorted { $0.unit < $1.unit }
        competent = caseTypes.sorted().map { type in
            Competence(
                kind: type.kind.rawValue, procedure: type.procedure,
                agencies: org.competentUnits(for: type.kind, procedure: type.procedure).map(\.rawValue))
        }
    }

    /// The YAML text (UTF-8, Vietnamese letters as is).
    public func yaml() throws -> String {
        func text(_ s: String) -> Node {
            let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
            let plain =
                !s.isEmpty && !reserved.contains(s.lowercased())
                && s.utf8.first.map { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 } == true
                && s.utf8.allSatisfy {
                    ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 || $0 == 46 || $0 == 47
                }
            return Node(s, .implicit, plain ? .plain : .doubleQuoted)
        }
        let activityNodes: [(Node, Node)] = Self.activities.map { role, names in
            (Node(role), Node(names.map { text($0) }, .implicit, .flow))
        }
        let attributeNodes: [(Node, Node)] = Self.attributes.map { (Node($0.0), text($0.1)) }
        let ownerNodes: [(Node, Node)] = owners.map { o in
            var fields: [(Node, Node)] = [(Node("unit"), text(o.unit)), (Node("agency"), text(o.agency)), (Node("level"), Node(String(o.level)))]
            if !o.leads.isEmpty { fields.append((Node("leads"), Node(o.leads.map { text($0) }, .implicit, .flow))) }
            return (text(o.id), Node(fields, .implicit, .flow))
        }
        let competentNodes: [Node] = competent.map { c in
            var pairs: [(Node, Node)] = [(Node("kind"), text(c.kind))]
            if let p = c.procedure { pairs.append((Node("procedure"), Node(p, .implicit, .doubleQuoted))) }
            pairs.append((Node("agencies"), Node(c.agencies.map { text($0) }, .implicit, .flow)))
            return Node(pairs, .implicit, .flow)
        }
        let root = Node([
            (Node("as_of"), Node(asOf.description)),
            (Node("activities"), Node(activityNodes)),
            (Node("attributes"), Node(attributeNodes)),
            (Node("owner_qualifier"), Node(SyntheticLog.ownerQualifier, .implicit, .doubleQuoted)),
            (Node("owners"), Node(ownerNodes)),
            (Node("competent"), Node(competentNodes)),
            (Node("unit_parents"), Node(unitParents.map { (text($0.unit), text($0.parent)) })),
        ])
        return try Yams.serialize(node: root, width: -1, allowUnicode: true)
    }
}
