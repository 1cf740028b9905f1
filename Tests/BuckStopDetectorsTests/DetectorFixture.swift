import BuckStopCalendar
import BuckStopDefaults
import BuckStopDetectors
import BuckStopDomain

/// Hand-made cases for the detectors. Owners are small ids; `at(day, hour)` is a local time in UTC+7.
/// 2025-11-17 is a Monday with no holiday near it.
struct DetectorFixture {
    var context: DetectionContext

    static let monday = CivilDate(year: 2025, month: 11, day: 17)!

    init(
        placements: [UInt32: OwnerPlacement] = [:], competent: [CompetenceKey: Set<UInt32>] = [:],
        asOf: CivilDate = DetectorFixture.monday.adding(days: 60), hasActor: Bool = true, knowsClosing: Bool = true, rulebook: Rulebook? = nil
    ) throws {
        let rulebook = try rulebook ?? Defaults.rulebook()
        context = DetectionContext(
            thresholds: try Thresholds(rulebook: rulebook), days: WorkingDayIndex(calendar: try Defaults.workingCalendar()),
            rules: RuleLookup(rulebook), utcOffsetSeconds: 7 * 3600, asOfDay: WorkingDayIndex.day(asOf), placements: placements,
            competent: competent, enabled: Set(DetectorID.allCases), hasActor: hasActor, reworkByRoles: true, knowsClosing: knowsClosing)
    }

    /// Day number `offset` calendar days after the Monday.
    static func day(_ offset: Int) -> Int32 { WorkingDayIndex.day(monday.adding(days: offset)) }

    static func event(
        _ offset: Int, hour: Int = 9, _ role: ActivityRole, actor: UInt32, owner: UInt32, status: TraceStatus = .processing,
        due: Int? = nil, target: UInt32 = 0, activity: UInt32? = nil
    ) -> CaseEvent {
        let d = day(offset)
        let ms = (Int64(d) * 86_400 + Int64(hour) * 3600 - 7 * 3600) * 1000
        return CaseEvent(
            time: ms, day: d, activity: activity ?? UInt32(100 + Int(role.rawValue)), role: role, actor: actor, owner: owner,
            status: status, due: due.map(day) ?? CaseEvent.noDay, target: target)
    }

    func run(
        _ events: [CaseEvent], kind: CaseKind? = .dossier, procedure: String? = nil, caseType: UInt32 = 1, index: Int = 0, concerning: UInt32 = 0,
        decidingBody: UInt32 = 0
    ) -> CaseOutcome {
        CaseFold.analyze(
            CaseTrace(
                index: index, name: 1, caseType: caseType, kind: kind, procedure: procedure, events: events, concerning: concerning,
                decidingBody: decidingBody),
            context: context)
    }
}

extension CaseOutcome {
    func finding(_ d: DetectorID) -> DetectorFinding? { findings.first { $0.detector == d } }
}
