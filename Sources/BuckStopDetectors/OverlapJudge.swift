import BuckStopDomain

/// Chồng chéo (overlap) among tasks in force, judged across cases for both modes — the survey of a live store and
/// `analyze` over a log that carries tasks' lead units and products:
/// - the same product for the same lead unit twice (two tasks producing one thing: one of them is not needed, or two
///   officials answer for one result — seed 001's "tránh chồng chéo"; a second report request to a unit on the same
///   subject is this too, its product being the report);
/// - the same task (its title) led by two units at once (more than one lead for one piece of work).
/// - two external inspections under way of the same unit, in the same field, over days they share (Luật Thanh tra 2022
///   asks that inspections not overlap in subject, content and time; a unit's own self-inspection beside an outside one
///   is the system working, not an overlap).
/// The later of each pair is flagged, against the official who held it first, with the earlier as evidence. Only tasks
/// and inspections still in force count: a finished one and its successor are a sequence, not an overlap.
public struct OverlapJudge: Sendable {
    /// One task as the judge needs it; names are registry ids (0: unknown).
    public struct Task: Sendable {
        public var caseIndex: Int
        public var lead: UInt32
        /// The folded product (0: none recorded).
        public var product: UInt32
        /// The folded title (0: not known).
        public var title: UInt32
        public var openedAt: Int64
        public var owner: UInt32
        public var inForce: Bool

        public init(caseIndex: Int, lead: UInt32, product: UInt32, title: UInt32, openedAt: Int64, owner: UInt32, inForce: Bool) {
            self.caseIndex = caseIndex
            self.lead = lead
            self.product = product
            self.title = title
            self.openedAt = openedAt
            self.owner = owner
            self.inForce = inForce
        }
    }

    /// An external inspection under way, as the judge needs it.
    public struct Inspection: Sendable {
        public var caseIndex: Int
        public var scope: InspectionScope
        public var openedAt: Int64
        public var owner: UInt32

        public init(caseIndex: Int, scope: InspectionScope, openedAt: Int64, owner: UInt32) {
            self.caseIndex = caseIndex
            self.scope = scope
            self.openedAt = openedAt
            self.owner = owner
        }
    }

    private var tasks: [Task] = []
    private var inspections: [Inspection] = []
    /// Lead units, folded products and folded titles as numbers (`add(caseIndex:lead:product:title:…)`).
    private var words: [String: UInt32] = [:]

    public init() {}

    public mutating func add(_ task: Task) {
        guard task.inForce, task.lead != 0 else { return }
        tasks.append(task)
    }

    /// An inspection: only an external one still under way (neither concluded nor ended) is judged.
    public mutating func add(inspection: Inspection, form: InspectionForm, inForce: Bool) {
        guard form == .external, inForce else { return }
        inspections.append(inspection)
    }

    /// A task as the ledger or a log names it: products and titles are compared folded (case, diacritics, spacing), as
    /// officials write the same thing differently.
    public mutating func add(
        caseIndex: Int, lead: String, product: String?, title: String?, openedAt: Int64, owner: UInt32, inForce: Bool
    ) {
        guard inForce else { return }
        add(
            Task(
                caseIndex: caseIndex, lead: word("unit:" + lead), product: product.map { word("product:" + SearchText.fold($0)) } ?? 0,
                title: title.map { word("title:" + SearchText.fold($0)) } ?? 0, openedAt: openedAt, owner: owner, inForce: true))
    }

    private mutating func word(_ text: String) -> UInt32 {
        if let id = words[text] { return id }
        let id = UInt32(words.count + 1)
        words[text] = id
        return id
    }

    /// One finding per flagged task: value = how many tasks share the product (or the title), limit 1. Which rule
    /// flagged it comes back with it, with the case index of the earlier task.
    public func findings() -> [(finding: DetectorFinding, earlier: Int)] {
        var flagged: [Int: (DetectorFinding, Int)] = [:]
        func judge(_ groups: [UInt64: [Task]], sameLead: Bool) {
            for group in groups.values where group.count > 1 {
                let ordered = group.sorted { ($0.openedAt, $0.caseIndex) < ($1.openedAt, $1.caseIndex) }
                let first = ordered[0]
                if !sameLead && Set(group.map(\.lead)).count < 2 { continue }
                let count = group.count
                for later in ordered.dropFirst() where flagged[later.caseIndex] == nil && (sameLead || later.lead != first.lead) {
                    flagged[later.caseIndex] = (
                        DetectorFinding(
                            detector: .overlap, caseIndex: later.caseIndex, owner: later.owner, severity: .medium, evidence: [0],
                            value: Double(count), limit: 1), first.caseIndex
                    )
                }
            }
        }
        var byProduct: [UInt64: [Task]] = [:]
        var byTitle: [UInt64: [Task]] = [:]
        for t in tasks {
            if t.product != 0 { byProduct[UInt64(t.lead) << 32 | UInt64(t.product), default: []].append(t) }
            if t.title != 0 { byTitle[UInt64(t.title), default: []].append(t) }
        }
        judge(byProduct, sameLead: true)
        judge(byTitle, sameLead: false)
        // Inspections: value = the later one and the earlier ones it overlaps; evidence, the earliest of those.
        let ordered = inspections.sorted { ($0.openedAt, $0.caseIndex) < ($1.openedAt, $1.caseIndex) }
        for (n, later) in ordered.enumerated() where flagged[later.caseIndex] == nil {
            let earlier = ordered[..<n].filter { $0.caseIndex != later.caseIndex && $0.scope.overlaps(later.scope) }
            guard let first = earlier.first else { continue }
            flagged[later.caseIndex] = (
                DetectorFinding(
                    detector: .overlap, caseIndex: later.caseIndex, owner: later.owner, severity: .medium, evidence: [0],
                    value: Double(earlier.count + 1), limit: 1), first.caseIndex
            )
        }
        return flagged.values.sorted { $0.0.caseIndex < $1.0.caseIndex }.map { ($0.0, $0.1) }
    }
}
