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
                TransferCandidate(
                    caseIndex: o.caseIndex, caseType: o.caseType, transfers: o.transfers, evidence: o.transferEvidence, owner: o.transferOwner))
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

    /// The limits as they stand, for judging one more case later (the live server judges each changed case
    /// against the peers of its last scheduled run).
    public func peerLimits() -> PeerLimits {
        PeerLimits(
            thresholds: thresholds,
            transferLimits: transfersByType.mapValues { max(thresholds.transfersMin, thresholds.transfersMedianFactor * Self.median($0)) },
            idleLimits: idleByStep.mapValues { max(thresholds.stallingIdleWorkingDays, thresholds.stallingPeerMedianFactor * Self.median($0)) })
    }

    public func findings() -> [DetectorFinding] {
        var out: [DetectorFinding] = []
        let limits = peerLimits()
        if enabled.contains(.transfers) {
            for c in transferCandidates {
                if let f = limits.transferFinding(
                    caseIndex: c.caseIndex, caseType: c.caseType, transfers: c.transfers, evidence: c.evidence, owner: c.owner)
                {
                    out.append(f)
                }
            }
        }
        if enabled.contains(.stalling) {
            for (caseIndex, candidates) in stallCandidates {
                if let f = limits.stallingFinding(caseIndex: caseIndex, candidates: candidates) { out.append(f) }
            }
        }
        if enabled.contains(.accumulation) {
            var byOwner: [UInt32: [Minor]] = [:]
            for m in minors { byOwner[m.owner, default: []].append(m) }
            for owner in byOwner.keys.sorted() {
                for window in Self.accumulationWindows(
                    byOwner[owner]!, count: Int(thresholds.accumulationMinorFindings), days: Int32(thresholds.accumulationWindowDays))
                {
                    let anchor = window.last!
                    out.append(
                        DetectorFinding(
                            detector: .accumulation, caseIndex: anchor.caseIndex, owner: owner,
                            severity: thresholds.severity.grade(value: Double(window.count), reference: thresholds.accumulationMinorFindings),
                            evidence: [anchor.position],
                            value: Double(window.count), limit: thresholds.accumulationMinorFindings, day: anchor.day))
                }
            }
        }
        return out
    }

    /// One official's minor findings grouped into windows of at least `count` spanning at most `days` days, each
    /// minor in at most one window: the earliest minor opens a window that takes every minor up to `days` after it;
    /// a window with fewer than `count` moves on by one minor, a full one closes and the next opens after it. One
    /// finding per window, on the case of its last minor (by day, then case order): an official with a run of late
    /// forwards gets one finding for the run, not one per case (issue 15: "13+ identical cards for one official").
    static func accumulationWindows(_ minors: [Minor], count: Int, days: Int32) -> [ArraySlice<Minor>] {
        let sorted = minors.sorted { ($0.day, $0.caseIndex) < ($1.day, $1.caseIndex) }
        var windows: [ArraySlice<Minor>] = []
        var start = 0
        while start < sorted.count {
            var end = start
            while end + 1 < sorted.count && sorted[end + 1].day - sorted[start].day <= days { end += 1 }
            if end - start + 1 >= max(1, count) {
                windows.append(sorted[start...end])
                start = end + 1
            } else {
                start += 1
            }
        }
        return windows
    }
}

/// Relative limits frozen from a set of peers: transfers per case type, idle days per step. A case type or step the
/// peers never showed gets the absolute floor (transfers.min, D).
public struct PeerLimits: Sendable {
    public let thresholds: Thresholds
    public let transferLimits: [UInt32: Double]
    public let idleLimits: [UInt32: Double]

    public init(thresholds: Thresholds, transferLimits: [UInt32: Double] = [:], idleLimits: [UInt32: Double] = [:]) {
        self.thresholds = thresholds
        self.transferLimits = transferLimits
        self.idleLimits = idleLimits
    }

    public func transferLimit(caseType: UInt32) -> Double { transferLimits[caseType] ?? thresholds.transfersMin }
    public func idleLimit(step: UInt32) -> Double { idleLimits[step] ?? thresholds.stallingIdleWorkingDays }

    public func transferFinding(caseIndex: Int, caseType: UInt32, transfers: Int, evidence: [Int32], owner: UInt32) -> DetectorFinding? {
        let limit = transferLimit(caseType: caseType)
        guard Double(transfers) > limit else { return nil }
        return DetectorFinding(
            detector: .transfers, caseIndex: caseIndex, owner: owner,
            severity: thresholds.severity.grade(value: Double(transfers), reference: limit),
            evidence: evidence, value: Double(transfers), limit: limit)
    }

    /// The worst idle period over its limit (or over its share of the allotted time), if any.
    public func stallingFinding(caseIndex: Int, candidates: [StallCandidate]) -> DetectorFinding? {
        var worst: (StallCandidate, Double)?
        for c in candidates {
            let limit = idleLimit(step: c.step)
            guard Double(c.idle) > limit || c.overShare else { continue }
            if worst == nil || c.idle > worst!.0.idle { worst = (c, limit) }
        }
        guard let (c, limit) = worst else { return nil }
        let shownLimit = Double(c.idle) > limit ? limit : thresholds.stallingAllottedShare * Double(c.allotted)
        // Severity is the idle time against its limit, counted as at least one working day (`SeverityScale`).
        return DetectorFinding(
            detector: .stalling, caseIndex: caseIndex, owner: c.owner,
            severity: thresholds.severity.grade(value: Double(c.idle), reference: shownLimit),
            evidence: c.from == c.to ? [c.from] : [c.from, c.to], value: Double(c.idle), limit: shownLimit)
    }

    /// The relative findings of one case's outcome.
    public func findings(for outcome: CaseOutcome, enabled: Set<DetectorID>) -> [DetectorFinding] {
        var out: [DetectorFinding] = []
        if enabled.contains(.transfers), Double(outcome.transfers) > thresholds.transfersMin,
            let f = transferFinding(
                caseIndex: outcome.caseIndex, caseType: outcome.caseType, transfers: outcome.transfers, evidence: outcome.transferEvidence,
                owner: outcome.transferOwner)
        {
            out.append(f)
        }
        if enabled.contains(.stalling), let f = stallingFinding(caseIndex: outcome.caseIndex, candidates: outcome.stallCandidates) {
            out.append(f)
        }
        return out
    }
}
