/// The judgements that need every case: `transfers` (against the median of the same case type), `stalling`
/// (against the peer median of the same step) and `accumulation` (minor findings of one owner in a rolling
/// window). Folds case outcomes as they come — a few bytes per case — and decides at the end, so a log of
/// 10^8 events never has to sit in memory for these.
public struct CrossCaseJudge: Sendable {
    struct TransferCandidate {
        var caseIndex: Int
        var caseType: UInt32
        var transfers: Int
        var evidence: [Int32]
        var owner: UInt32
    }

    struct Minor {
        var owner: UInt32
        var day: Int32
        var caseIndex: Int
        var position: Int32
    }

    let thresholds: Thresholds
    let enabled: Set<DetectorID>
    /// Case type → (transfers → number of cases).
    var transfersByType: [UInt32: [Int: Int]] = [:]
    var transferCandidates: [TransferCandidate] = []
    /// Step → (idle working days → number of periods).
    var idleByStep: [UInt32: [Int32: Int]] = [:]
    var stallCandidates: [(caseIndex: Int, candidates: [StallCandidate])] = []
    var minors: [Minor] = []

    public init(thresholds: Thresholds, enabled: Set<DetectorID>) {
        self.thresholds = thresholds
        self.enabled = enabled
    }

    public mutating func add(_ o: CaseOutcome) {
        transfersByType[o.caseType, default: [:]][o.transfers, default: 0] += 1
        if Double(o.transfers) > thresholds.transfersMin {
            transferCandidates.append(
                TransferCandidate(caseIndex: o.caseIndex, caseType: o.caseType, transfers: o.transfers, evidence: o.transferEvidence, owner: o.transferOwner))
        }
        for sample in o.idle { idleByStep[sample.step, default: [:]][sample.days, default: 0] += 1 }
        if !o.stallCandidates.isEmpty { stallCandidates.append((o.caseIndex, o.stallCandidates)) }
        if let m = o.minor { minors.append(Minor(owner: m.owner, day: m.day, caseIndex: o.caseIndex, position: m.position)) }
    }

    /// Median of a histogram: the middle value, or the mean of the two middle values for an even count.
    static func median<K: BinaryInteger>(_ histogram: [K: Int]) -> Double {
        let total = histogram.values.reduce(0, +)
        guard total > 0 else { return 0 }
        let keys = histogram.keys.sorted()
        func value(at rank: Int) -> Double {
            var seen = 0
            for k in keys {
                seen += histogram[k]!
                if rank < seen { return Double(k) }
            }
            return Double(keys.last!)
        }
        return total % 2 == 1 ? value(at: total / 2) : (value(at: total / 2 - 1) + value(at: total / 2)) / 2
    }

    /// The transfer limit for a case type: max(transfers.min, transfers.medianFactor × median).
    public func transferLimit(caseType: UInt32) -> Double {
        max(thresholds.transfersMin, thresholds.transfersMedianFactor * Self.median(transfersByType[caseType] ?? [:]))
    }

    /// The idle limit for a step: max(D, m × peer median).
    public func idleLimit(step: UInt32) -> Double {
        max(thresholds.stallingIdleWorkingDays, thresholds.stallingPeerMedianFactor * Self.median(idleByStep[step] ?? [:]))
    }

    public func findings() -> [DetectorFinding] {
        var out: [DetectorFinding] = []
        if enabled.contains(.transfers) {
            var limits: [UInt32: Double] = [:]
            for c in transferCandidates {
                let limit = limits[c.caseType] ?? transferLimit(caseType: c.caseType)
                limits[c.caseType] = limit
                guard Double(c.transfers) > limit else { continue }
                out.append(
                    DetectorFinding(
                        detector: .transfers, caseIndex: c.caseIndex, owner: c.owner,
                        severity: Double(c.transfers) > 2 * limit ? .high : .medium, evidence: c.evidence, value: Double(c.transfers),
                        limit: limit))
            }
        }
        if enabled.contains(.stalling) {
            var limits: [UInt32: Double] = [:]
            for (caseIndex, candidates) in stallCandidates {
                var worst: (StallCandidate, Double)?
                for c in candidates {
                    let limit = limits[c.step] ?? idleLimit(step: c.step)
                    limits[c.step] = limit
                    guard Double(c.idle) > limit || c.overShare else { continue }
                    if worst == nil || c.idle > worst!.0.idle { worst = (c, limit) }
                }
                guard let (c, limit) = worst else { continue }
                let shownLimit = Double(c.idle) > limit ? limit : thresholds.stallingAllottedShare * Double(c.allotted)
                out.append(
                    DetectorFinding(
                        detector: .stalling, caseIndex: caseIndex, owner: c.owner, severity: Double(c.idle) > 2 * shownLimit ? .high : .medium,
                        evidence: c.from == c.to ? [c.from] : [c.from, c.to], value: Double(c.idle), limit: shownLimit))
            }
        }
        if enabled.contains(.accumulation) {
            var days: [UInt32: [Int32]] = [:]
            for m in minors { days[m.owner, default: []].append(m.day) }
            for key in days.keys { days[key]!.sort() }
            let n = Int(thresholds.accumulationMinorFindings), window = Int32(thresholds.accumulationWindowDays)
            for m in minors {
                guard let list = days[m.owner], let count = Self.denseWindowCount(m.day, list, window: window), count >= n else { continue }
                out.append(
                    DetectorFinding(
                        detector: .accumulation, caseIndex: m.caseIndex, owner: m.owner, severity: .medium, evidence: [m.position],
                        value: Double(count), limit: Double(n), day: m.day))
            }
        }
        return out
    }

    /// The largest number of the sorted `days` inside a window [start, start + window] that contains `day`
    /// and starts at one of them; nil when none does.
    static func denseWindowCount(_ day: Int32, _ days: [Int32], window: Int32) -> Int? {
        var best: Int?
        var lo = 0
        // First index with days[lo] >= day - window.
        var a = 0, b = days.count
        while a < b {
            let mid = (a + b) / 2
            if days[mid] < day - window { a = mid + 1 } else { b = mid }
        }
        lo = a
        var start = lo
        while start < days.count && days[start] <= day {
            var end = start
            while end < days.count && days[end] - days[start] <= window { end += 1 }
            best = max(best ?? 0, end - start)
            start += 1
        }
        return best
    }
}
