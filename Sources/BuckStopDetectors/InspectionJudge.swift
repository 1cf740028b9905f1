import BuckStopCalendar
import BuckStopDomain

/// Tự kiểm tra không phát hiện (`self_inspection_miss`, seed 002 — Công văn 5046): a unit's own inspection covered a unit,
/// a field and a period and found nothing there, and an outside inspection of days it shares found violations of that
/// field in that unit. The self-inspection is flagged against the head who signed its conclusion — the head answers for
/// what the unit's own look missed. Judged across cases, in both modes: the survey of a live store and `analyze` over a
/// log that carries inspections. Only concluded inspections count: a finding not yet in a conclusion is not final, and
/// a self-inspection still under way has not yet missed anything.
public struct InspectionJudge: Sendable {
    /// One concluded inspection as the judge needs it.
    public struct Inspection: Sendable {
        public var caseIndex: Int
        public var form: InspectionForm
        public var subjects: [String]
        public var from: CivilDate
        public var to: CivilDate
        public var fields: [String]
        /// The conclusion's event position in the case, and who signed it (registry id).
        public var conclusion: Int32
        public var signer: UInt32
        /// Each violation found: unit, field, and the event position that recorded it.
        public var violations: [(unit: String, field: String, position: Int32)]

        public init(
            caseIndex: Int, form: InspectionForm, subjects: [String], from: CivilDate, to: CivilDate, fields: [String], conclusion: Int32,
            signer: UInt32, violations: [(unit: String, field: String, position: Int32)]
        ) {
            self.caseIndex = caseIndex
            self.form = form
            self.subjects = subjects
            self.from = from
            self.to = to
            self.fields = fields
            self.conclusion = conclusion
            self.signer = signer
            self.violations = violations
        }
    }

    /// A flagged self-inspection, with the outside violations it missed (case index and event position of each).
    public struct Miss: Sendable {
        public var finding: DetectorFinding
        public var missed: [(caseIndex: Int, position: Int32)]
    }

    private var inspections: [Inspection] = []

    public init() {}

    public mutating func add(_ inspection: Inspection) { inspections.append(inspection) }

    /// One finding per self-inspection that missed something: value = how many violations outsiders found in its units,
    /// fields and days that it did not, limit 0. Evidence: the self-inspection's conclusion.
    public func findings() -> [Miss] {
        let external = inspections.filter { $0.form == .external }
        var out: [Miss] = []
        for own in inspections where own.form == .selfInspection {
            let found = Set(own.violations.map { "\($0.unit)\u{1F}\($0.field)" })
            let subjects = Set(own.subjects)
            let fields = Set(own.fields)
            var missed: [(Int, Int32)] = []
            for outside in external where outside.from <= own.to && own.from <= outside.to {
                for v in outside.violations
                where subjects.contains(v.unit) && fields.contains(v.field) && !found.contains("\(v.unit)\u{1F}\(v.field)") {
                    missed.append((outside.caseIndex, v.position))
                }
            }
            guard !missed.isEmpty else { continue }
            out.append(
                Miss(
                    finding: DetectorFinding(
                        detector: .selfInspectionMiss, caseIndex: own.caseIndex, owner: own.signer, severity: .medium, evidence: [own.conclusion],
                        value: Double(missed.count), limit: 0),
                    missed: missed))
        }
        return out
    }
}
