import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain

/// What the live server needs to replay a case through the detectors: the organisation's officials, units and
/// agencies as detector ids with their placements, the competent agencies by mandate, thresholds, working days and
/// deadline rules. Built once per organisation (and rebuilt when it is restructured); read-only afterwards.
///
/// The vocabulary is the one `buckstop export` and `buckstop synth` write and their mapping file describes, so a
/// case replayed here gives the findings `buckstop analyze` gives for the same case.
public struct LiveModel: Sendable {
    public let organization: Organization
    public let thresholds: Thresholds
    /// Offset of Vietnam time: the day of an action and the 15:00 cut-off are local.
    public let utcOffsetSeconds: Int
    let base: DetectionContext
    let names: [String]
    let ids: [String: UInt32]

    public init(
        organization org: Organization, rulebook: Rulebook, calendar: WorkingCalendar, thresholds: Thresholds, utcOffsetSeconds: Int = 7 * 3600
    ) {
        self.organization = org
        self.thresholds = thresholds
        self.utcOffsetSeconds = utcOffsetSeconds
        var names = [""]
        var ids: [String: UInt32] = [:]
        func id(_ s: String) -> UInt32 {
            if let existing = ids[s] { return existing }
            let new = UInt32(names.count)
            names.append(s)
            ids[s] = new
            return new
        }
        for type in ActionType.allCases { _ = id(type.rawValue) }
        for kind in CaseKind.allCases { _ = id(kind.rawValue) }
        var placements: [UInt32: OwnerPlacement] = [:]
        for official in org.officials.values.sorted(by: { $0.id < $1.id }) {
            let agency = org.body(of: official.unit)
            placements[id(official.id.rawValue)] = OwnerPlacement(
                unit: id(official.unit.rawValue), agency: id(agency.rawValue), level: org.authorityLevel(of: official.id),
                chain: org.chain(from: official.unit).map { id($0.rawValue) }, leads: org.unitsLed(by: official.id).map { id($0.rawValue) })
        }
        for unit in org.units.keys.sorted() { _ = id(unit.rawValue) }
        var competent: [CompetenceKey: Set<UInt32>] = [:]
        var keys: Set<CompetenceKey> = []
        for m in org.mandates {
            keys.insert(CompetenceKey(kind: m.caseKind, procedure: m.procedure))
            keys.insert(CompetenceKey(kind: m.caseKind, procedure: nil))
        }
        for key in keys {
            competent[key] = Set(org.competentUnits(for: key.kind, procedure: key.procedure).map { id($0.rawValue) })
        }
        base = DetectionContext(
            thresholds: thresholds, days: WorkingDayIndex(calendar: calendar), rules: RuleLookup(rulebook), utcOffsetSeconds: utcOffsetSeconds,
            asOfDay: Int32.max, placements: placements, competent: competent, enabled: LiveModel.enabled, hasActor: true, reworkByRoles: true,
            knowsClosing: true)
        self.names = names
        self.ids = ids
    }

    /// Every detector. Overlap, accumulation and self_inspection_miss are judged across cases by `PeerSurvey`.
    public static let enabled: Set<DetectorID> = Set(DetectorID.allCases)

    /// The detector id of a string of the model (0 when it is not one).
    func id(_ s: String) -> UInt32 { ids[s] ?? 0 }
    func name(_ id: UInt32) -> String { Int(id) < names.count ? names[Int(id)] : "" }

    /// The local day (days since 1970-01-01) of a time in milliseconds.
    public func localDay(_ ms: Int64) -> Int32 {
        let seconds = (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + Int64(utcOffsetSeconds)
        return Int32(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// The context for judging cases as of a moment (open cases are measured up to that day).
    public func context(asOf ms: Int64) -> DetectionContext {
        var c = base
        c.asOfDay = localDay(ms)
        return c
    }
}
