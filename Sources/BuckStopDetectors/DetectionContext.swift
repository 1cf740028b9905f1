import BuckStopCalendar
import BuckStopDomain
import Foundation

/// Where an owner sits in the organisation, as far as detectors need it.
public struct OwnerPlacement: Sendable, Equatable {
    /// The owner's unit and agency (string ids; 0 when unknown).
    public var unit: UInt32
    public var agency: UInt32
    /// Authority level: smaller is more senior (`Organization.authorityLevel`); nil when unknown.
    public var level: Int?
    /// The owner's unit and every unit above it, own unit first (empty when unknown: then unit and agency stand for it).
    public var chain: [UInt32]
    /// The units the official heads or deputises (their competence to sign, and who works under them).
    public var leads: [UInt32]

    public init(unit: UInt32 = 0, agency: UInt32 = 0, level: Int? = nil, chain: [UInt32] = [], leads: [UInt32] = []) {
        self.unit = unit
        self.agency = agency
        self.level = level
        self.chain = chain
        self.leads = leads
    }
}

/// Everything a detector may consult besides the case itself: thresholds, calendar, rulebook, what the
/// log's values mean. Read-only while cases are analysed (shared by the worker threads).
public struct DetectionContext: Sendable {
    public var thresholds: Thresholds
    public let days: WorkingDayIndex
    public let rules: RuleLookup
    /// Offset of the log's local time (for same-day cut-off hours).
    public var utcOffsetSeconds: Int
    /// The day the log was observed: open cases are judged as of this day.
    public var asOfDay: Int32
    /// Owner (and actor) placements by string id.
    public var placements: [UInt32: OwnerPlacement]
    /// Target values that list several units (consultations), split into unit ids.
    public var targetLists: [UInt32: [UInt32]]
    /// Agencies competent for a case kind and procedure (procedure nil = any).
    public var competent: [CompetenceKey: Set<UInt32>]
    /// Detectors that run; the others were skipped for a stated reason.
    public var enabled: Set<DetectorID>
    /// Whether the log says who acted separately from who owns (else an owner value on an event means the owner acted).
    public var hasActor: Bool
    /// Rework counts repeated decisions and results (the mapping names them) rather than any repeated activity.
    public var reworkByRoles: Bool
    /// Whether the log says when a case is closed (a closing activity or a status attribute). Without it a case
    /// is taken as finished at its last event: nothing is judged "still open" against the as-of day.
    public var knowsClosing: Bool

    public init(
        thresholds: Thresholds, days: WorkingDayIndex, rules: RuleLookup, utcOffsetSeconds: Int, asOfDay: Int32,
        placements: [UInt32: OwnerPlacement] = [:], targetLists: [UInt32: [UInt32]] = [:],
        competent: [CompetenceKey: Set<UInt32>] = [:], enabled: Set<DetectorID>, hasActor: Bool, reworkByRoles: Bool, knowsClosing: Bool
    ) {
        self.thresholds = thresholds
        self.days = days
        self.rules = rules
        self.utcOffsetSeconds = utcOffsetSeconds
        self.asOfDay = asOfDay
        self.placements = placements
        self.targetLists = targetLists
        self.competent = competent
        self.enabled = enabled
        self.hasActor = hasActor
        self.reworkByRoles = reworkByRoles
        self.knowsClosing = knowsClosing
    }

    /// Still open at the end of its events, as far as the log can tell.
    @inline(__always) public func isOpen(_ last: CaseEvent) -> Bool { knowsClosing && last.status.isOpen }

    @inline(__always) public func level(_ owner: UInt32) -> Int? { placements[owner]?.level }
    @inline(__always) public func unit(_ owner: UInt32) -> UInt32 { placements[owner]?.unit ?? 0 }
    /// The agency of an owner; an owner the mapping does not place is its own agency.
    @inline(__always) public func agency(_ owner: UInt32) -> UInt32 {
        if let a = placements[owner]?.agency, a != 0 { return a }
        return owner
    }

    /// Whether an official heads or deputises a unit.
    public func leads(_ official: UInt32, _ unit: UInt32) -> Bool { placements[official]?.leads.contains(unit) ?? false }

    /// Whether `official` works in or under a unit `superior` heads or deputises, and does not lead that unit too (a
    /// head is not under their own deputy, nor a deputy under a fellow deputy).
    public func isSubordinate(_ official: UInt32, of superior: UInt32) -> Bool {
        guard official != superior, let led = placements[superior]?.leads, !led.isEmpty, let p = placements[official] else { return false }
        let chain = p.chain.isEmpty ? [p.unit, p.agency] : p.chain
        return chain.contains { $0 != 0 && led.contains($0) && !p.leads.contains($0) }
    }

    public func units(inTarget target: UInt32) -> [UInt32] {
        if let list = targetLists[target] { return list }
        return target == 0 ? [] : [target]
    }

    public func competentAgencies(kind: CaseKind?, procedure: String?) -> Set<UInt32>? { mandate(kind: kind, procedure: procedure)?.agencies }

    /// The agencies competent for a case, and whether the mandate names its procedure (a dossier on a published
    /// list: competence over the matter itself) or only its kind (receiving complaints or petitions, whose content may
    /// belong to another body the receiver forwards it to).
    public func mandate(kind: CaseKind?, procedure: String?) -> (agencies: Set<UInt32>, byProcedure: Bool)? {
        guard let kind else { return nil }
        if let procedure, let set = competent[CompetenceKey(kind: kind, procedure: procedure)] { return (set, true) }
        return competent[CompetenceKey(kind: kind, procedure: nil)].map { ($0, false) }
    }
}

public struct CompetenceKey: Hashable, Sendable {
    public var kind: CaseKind
    public var procedure: String?
    public init(kind: CaseKind, procedure: String?) {
        self.kind = kind
        self.procedure = procedure
    }
}

/// Deadline rules grouped by kind and step so per-case lookups do not scan the rulebook; the procedure's own
/// rule wins over the kind-wide one (as `Rulebook.rule(for:procedure:step:on:)`).
public struct RuleLookup: Sendable {
    private let groups: [String: [DeadlineRule]]
    /// The reception schedules by level (`ReceptionDetector`).
    public let receptions: [ReceptionSchedule]

    public init(_ rulebook: Rulebook) {
        receptions = rulebook.receptionSchedules
        var groups: [String: [DeadlineRule]] = [:]
        for rule in rulebook.rules { groups["\(rule.caseKind.rawValue)|\(rule.step.rawValue)", default: []].append(rule) }
        self.groups = groups
    }

    public func rule(for kind: CaseKind, procedure: String?, step: RuleStep, on date: CivilDate) -> DeadlineRule? {
        guard let candidates = groups["\(kind.rawValue)|\(step.rawValue)"] else { return nil }
        if let procedure, let specific = candidates.first(where: { $0.procedure == procedure && $0.isInForce(on: date) }) {
            return specific
        }
        return candidates.first { $0.procedure == nil && $0.isInForce(on: date) }
    }
}
