/// The base-rate check, one rule for `analyze` and the live pages: a behaviour found in more than
/// `analysis.plausibleShare` of the cases is how the process runs (or the log's activities are statuses, or a rule
/// is set wrong), not a deviation to look at — flagging nearly everyone says nothing about anyone, so such a
/// detector's findings are withheld from reports and rankings and the reader is told why.
public struct BaseRate: Sendable, Equatable {
    /// Cases judged.
    public var cases: Int
    /// Cases with at least one finding, per detector.
    public var flagged: [DetectorID: Int]
    public var plausibleShare: Double

    public init(cases: Int, flagged: [DetectorID: Int], plausibleShare: Double) {
        self.cases = cases
        self.flagged = flagged
        self.plausibleShare = plausibleShare
    }

    public func share(_ detector: DetectorID) -> Double {
        Double(flagged[detector] ?? 0) / Double(max(1, cases))
    }

    /// The detectors whose share of flagged cases is implausible, in catalogue order.
    public var withheld: [DetectorID] {
        DetectorID.allCases.filter { share($0) > plausibleShare }
    }

    public func isWithheld(_ detector: DetectorID) -> Bool { share(detector) > plausibleShare }
}
