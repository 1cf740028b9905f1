import BuckStopCalendar
import Foundation

/// Which bodies an inspection plan should look at first (kế hoạch thanh tra, kiểm tra theo rủi ro): each body is placed
/// among the others on four signs the record holds — findings upheld about its officials, the share of its open work
/// past due, complaints and denunciations about it, and its open work in fields the rulebook marks as prone to corruption.
///
/// No weight is BuckStop's own: each sign is a percentile rank among the bodies (the share of the others it exceeds, a
/// tie counting half), and the score is their plain mean, so the page can say why a body is where it is and an
/// inspectorate can re-rank by any single sign. A body with no open work has no overdue share and ranks lowest on it.
/// Pure: the page and its test share it.
public struct InspectionRisk: Sendable, Equatable {
    public struct Signs: Sendable, Equatable {
        public var upheld = 0
        public var open = 0
        public var overdue = 0
        public var complaints = 0
        public var proneOpen = 0

        public init(upheld: Int = 0, open: Int = 0, overdue: Int = 0, complaints: Int = 0, proneOpen: Int = 0) {
            self.upheld = upheld
            self.open = open
            self.overdue = overdue
            self.complaints = complaints
            self.proneOpen = proneOpen
        }

        /// Overdue open work over open work; nil when the body holds nothing open.
        public var overdueShare: Double? { open == 0 ? nil : Double(overdue) / Double(open) }
    }

    public struct Row: Sendable, Equatable {
        public var body: UnitID
        public var signs: Signs
        /// The mean of the four percentile ranks, 0…1.
        public var score: Double
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    /// Signs gathered per body: findings by the unit of the official concerned, open cases by the holder's unit,
    /// complaints and denunciations by the unit or official they concern — each folded up to its body (`Organization.body`).
    public static func signs(
        bodies: [UnitID], upheld: [Finding], openCases: [CaseState], letters: [CaseState], organization org: Organization, fields: [InspectionField],
        today: CivilDate
    ) -> [UnitID: Signs] {
        var out = Dictionary(uniqueKeysWithValues: bodies.map { ($0, Signs()) })
        func body(_ unit: UnitID?) -> UnitID? {
            guard let unit, org.unit(unit) != nil else { return nil }
            let b = org.body(of: unit)
            return out[b] == nil ? nil : b
        }
        for f in upheld where f.status == .upheld {
            if let b = body(f.unit) { out[b]?.upheld += 1 }
        }
        let prone = Set(fields.filter(\.proneToCorruption).map(\.code))
        for c in openCases where c.status.isOpen {
            guard let b = body(c.owner.flatMap { org.official($0)?.unit } ?? c.leadUnit) else { continue }
            out[b]?.open += 1
            if let due = c.dueDate, due < today { out[b]?.overdue += 1 }
            if let field = fields.field(ofProcedure: c.procedure), prone.contains(field.code) { out[b]?.proneOpen += 1 }
        }
        for c in letters where c.kind == .complaint || c.kind == .denunciation {
            if let b = body(c.concerning?.unit ?? c.concerning?.official.flatMap({ org.official($0)?.unit })) { out[b]?.complaints += 1 }
        }
        return out
    }

    /// The bodies ranked, the highest score first (then the body's id, so equal scores keep one order).
    public init(_ signs: [UnitID: Signs]) {
        let entries = signs.map { ($0.key, $0.value) }
        let values: [(Signs) -> Double] = [
            { Double($0.upheld) }, { $0.overdueShare ?? -1 }, { Double($0.complaints) }, { Double($0.proneOpen) },
        ]
        let n = entries.count
        rows =
            entries.map { body, own in
                var total = 0.0
                for value in values {
                    let mine = value(own)
                    var below = 0.0
                    for (other, theirs) in entries where other != body {
                        let v = value(theirs)
                        if v < mine { below += 1 } else if v == mine { below += 0.5 }
                    }
                    total += n > 1 ? below / Double(n - 1) : 0
                }
                return Row(body: body, signs: own, score: total / Double(values.count))
            }
            .sorted { ($0.score, $1.body.rawValue) > ($1.score, $0.body.rawValue) }
    }
}
