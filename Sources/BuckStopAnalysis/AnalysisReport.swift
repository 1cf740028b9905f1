import BuckStopDetectors
import BuckStopEventLog
import Foundation

/// Everything a report shows, computed once from a finished `LogAnalyzer`; the text, JSON, CSV and HTML
/// renderers only format it.
public struct AnalysisReport: Sendable {
    public struct Log: Encodable, Sendable {
        public var source: String
        public var cases: Int
        public var events: Int
        public var ownerAttribute: String
        public var caseTypeAttribute: String?
        public var start: String?
        public var end: String?
        public var asOf: String?
        public var bytes: Int64
    }

    public struct Detector: Encodable, Sendable {
        public var id: String
        public var name: String
        public var nameEn: String
        public var cases: Int
        public var findings: Int
        public var share: Double
        public var skipped: String?
        /// Why its findings are left out of this report: it flagged more of the log's cases than can be deviations.
        public var withheld: String?
    }

    public struct Finding: Encodable, Sendable {
        public var detector: String
        public var `case`: String
        public var owner: String
        public var severity: String
        public var evidence: [Int32]
        public var value: Double
        public var limit: Double
        public var explanation: String
        public var explanationEn: String
    }

    public struct OwnerCount: Encodable, Sendable {
        public var owner: String
        public var findings: Int
        public var events: Int
    }

    public struct Example: Encodable, Sendable {
        public var detector: String
        public var `case`: String
        public var owners: [String]
        public var events: Int
        public var explanation: String
    }

    public struct HandlingTime: Encodable, Sendable {
        public var medianHours: Double
        public var p90Hours: Double
        public var buckets: [Bucket]
        public struct Bucket: Encodable, Sendable {
            public var label: String
            public var cases: Int
        }
    }

    public struct Handovers: Encodable, Sendable {
        public var owners: [String]
        public var matrix: [[Int]]
    }

    public var log: Log
    public var detectors: [Detector]
    /// Findings are made one at a time (`finding(_:)`) while a report is written: a national log has millions,
    /// and holding them all as text would cost gigabytes.
    public var findingCount: Int { raw.count }
    private let raw: [DetectorFinding]
    private let caseNames: [UInt32]
    private let table: StringTable
    private let registry: ValueRegistry
    public var topOwners: [OwnerCount]
    public var examples: [Example]
    public var handlingTime: HandlingTime
    public var handovers: Handovers

    public init(analyzer a: LogAnalyzer, info: LogInfo, source: String, topOwners topN: Int = 10, busiest: Int = 8) {
        let names = a.table
        let registry = a.registry
        func owner(_ id: UInt32) -> String { id == 0 ? "" : registry[id] }
        func iso(_ ms: Int64) -> String? {
            guard ms != Int64.min && ms != Int64.max else { return nil }
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(secondsFromGMT: a.options.utcOffsetSeconds)
            return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        }
        let asOfDay = a.detectionContext?.asOfDay
        log = Log(
            source: source, cases: a.caseCount, events: a.eventCount, ownerAttribute: a.ownerKey ?? "",
            caseTypeAttribute: a.options.caseTypeAttribute ?? a.options.mapping.attributes?.caseType, start: iso(a.firstTime),
            end: iso(a.lastTime), asOf: asOfDay.flatMap { $0 == Int32.max ? nil : WorkingDayIndex.date($0).description }, bytes: info.bytes)

        var casesBy: [DetectorID: Set<Int>] = [:]
        var countBy: [DetectorID: Int] = [:]
        var byOwner: [UInt32: Int] = [:]
        for f in a.findings {
            casesBy[f.detector, default: []].insert(f.caseIndex)
            countBy[f.detector, default: 0] += 1
        }
        // The base-rate check: a behaviour in more than `analysis.plausibleShare` of the cases is how this process runs
        // (or its activities are statuses, not steps), not a deviation to look at; flagging everyone says nothing.
        let total = max(1, a.caseCount)
        let plausible = a.detectionContext?.thresholds.analysisPlausibleShare ?? 1
        let baseRate = BaseRate(cases: a.caseCount, flagged: casesBy.mapValues(\.count), plausibleShare: plausible)
        var withheld: [DetectorID: String] = [:]
        for d in baseRate.withheld {
            let cases = casesBy[d] ?? []
            let percent = String(format: "%.1f", 100 * Double(cases.count) / Double(total))
            withheld[d] =
                "\(cases.count) / \(a.caseCount) hồ sơ (\(percent) %) — quá \(Int(plausible * 100)) % số hồ sơ không thể là độ lệch; hoạt động có thể là trạng thái: cần ánh xạ hoạt động → hành động (--mapping) · "
                + "\(cases.count) of \(a.caseCount) cases (\(percent) %) — more than \(Int(plausible * 100)) % of the cases cannot be deviations; the activities may be statuses: give a mapping of activities to actions (--mapping)"
        }
        raw = withheld.isEmpty ? a.findings : a.findings.filter { withheld[$0.detector] == nil }
        for f in raw { byOwner[f.owner, default: 0] += 1 }
        caseNames = a.caseNames
        table = names
        self.registry = registry
        detectors = DetectorID.allCases.map { d in
            let n = casesBy[d]?.count ?? 0
            return Detector(
                id: d.rawValue, name: d.nameVi, nameEn: d.nameEn, cases: n, findings: countBy[d] ?? 0, share: Double(n) / Double(total),
                skipped: a.skipped[d], withheld: withheld[d])
        }
        topOwners = byOwner.filter { $0.key != 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : owner($0.key) < owner($1.key) }
            .prefix(topN).map {
                OwnerCount(owner: owner($0.key), findings: $0.value, events: Int($0.key) < a.eventsByOwner.count ? a.eventsByOwner[Int($0.key)] : 0)
            }

        var shown: [DetectorID: Int] = [:]
        examples = []
        for f in raw where shown[f.detector, default: 0] < a.options.examplesPerDetector {
            guard let sketch = a.sketches[f.caseIndex] else { continue }
            shown[f.detector, default: 0] += 1
            var seq: [String] = []
            for o in sketch.owners where o != 0 && owner(o) != seq.last { seq.append(owner(o)) }
            examples.append(
                Example(
                    detector: f.detector.rawValue, case: names[a.caseNames[f.caseIndex]], owners: seq, events: sketch.owners.count,
                    explanation: Explanation.text(f, owner: owner(f.owner), vietnamese: true)))
        }

        let rank = Dictionary(uniqueKeysWithValues: DetectorID.allCases.enumerated().map { ($1.rawValue, $0) })
        examples.sort { rank[$0.detector]! < rank[$1.detector]! }  // stable: by case within a detector

        let durations = a.durationsSeconds.sorted()
        func percentile(_ p: Double) -> Double {
            guard !durations.isEmpty else { return 0 }
            return Double(durations[min(durations.count - 1, Int(Double(durations.count - 1) * p))]) / 3600
        }
        let edges: [(String, Int64)] = [
            ("< 1 giờ/h", 3600), ("1–8 giờ/h", 8 * 3600), ("8–24 giờ/h", 86_400), ("1–3 ngày/d", 3 * 86_400), ("3–7 ngày/d", 7 * 86_400),
            ("1–2 tuần/w", 14 * 86_400), ("2–4 tuần/w", 28 * 86_400), ("1–3 tháng/mo", 90 * 86_400), ("3–6 tháng/mo", 182 * 86_400),
            ("> 6 tháng/mo", Int64.max),
        ]
        var counts = Array(repeating: 0, count: edges.count)
        for d in durations { counts[edges.firstIndex { d < $0.1 } ?? edges.count - 1] += 1 }
        handlingTime = HandlingTime(
            medianHours: percentile(0.5), p90Hours: percentile(0.9),
            buckets: zip(edges, counts).map { HandlingTime.Bucket(label: $0.0, cases: $1) })

        let busiestOwners = a.eventsByOwner.enumerated().filter { $0.element > 0 }
            .sorted { $0.element != $1.element ? $0.element > $1.element : owner(UInt32($0.offset)) < owner(UInt32($1.offset)) }
            .prefix(busiest).map { UInt32($0.offset) }
        handovers = Handovers(
            owners: busiestOwners.map(owner),
            matrix: busiestOwners.map { from in busiestOwners.map { to in a.handovers[UInt64(from) << 32 | UInt64(to)] ?? 0 } })
    }
}

extension AnalysisReport {
    public func finding(_ i: Int) -> Finding {
        let f = raw[i]
        let o = f.owner == 0 ? "" : registry[f.owner]
        return Finding(
            detector: f.detector.rawValue, case: table[caseNames[f.caseIndex]], owner: o, severity: f.severity.name,
            evidence: f.evidence, value: f.value, limit: f.limit, explanation: Explanation.text(f, owner: o, vietnamese: true),
            explanationEn: Explanation.text(f, owner: o, vietnamese: false))
    }
}

/// `(0..<count).map(transform)` split over the machine's cores, order kept.
public enum ParallelMap {
    public static func map<T>(
        _ count: Int, chunks: Int = ProcessInfo.processInfo.activeProcessorCount, minimumPerChunk: Int = 1024, _ transform: (Int) -> T
    ) -> [T] {
        let parts = max(1, min(chunks, count / minimumPerChunk))
        if parts == 1 { return (0..<count).map(transform) }
        var pieces = [[T]](repeating: [], count: parts)
        withoutActuallyEscaping(transform) { transform in
            pieces.withUnsafeMutableBufferPointer { out in
                // Each chunk writes only its own slot; `concurrentPerform` returns after all of them.
                nonisolated(unsafe) let base = out.baseAddress!
                nonisolated(unsafe) let work = transform
                DispatchQueue.concurrentPerform(iterations: parts) { p in
                    let lo = count * p / parts
                    let hi = count * (p + 1) / parts
                    (base + p).pointee = (lo..<hi).map(work)
                }
            }
        }
        return pieces.flatMap { $0 }
    }
}
