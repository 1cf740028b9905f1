import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopEventLog

/// How to analyse a log, read once from the command line (and the mapping file) and passed in.
public struct AnalysisOptions: Sendable {
    /// The attribute that names the accountable owner; nil: the mapping's, else `org:group` when the log has it,
    /// else `org:resource`.
    public var ownerAttribute: String?
    /// The attribute relative thresholds group cases by (procedure code, case type…); nil: the mapping's, else none.
    public var caseTypeAttribute: String?
    public var mapping: LogMapping
    public var thresholds: Thresholds
    public var rulebook: Rulebook
    public var calendar: WorkingCalendar
    /// Overrides the mapping's `as_of`; default: the day of the last event.
    public var asOf: CivilDate?
    /// Offset of local time in the log (for local days and same-day cut-offs).
    public var utcOffsetSeconds: Int
    /// Keep a summary of every case for `--cases-out`.
    public var keepCaseSummaries: Bool
    /// Keep every case's `TraceDigest` for a period report (`buckstop report --log`): a few dozen bytes per case, and
    /// twelve per event of the cases a finding cites or may cite.
    public var keepDigests: Bool = false
    /// Example cases shown per detector.
    public var examplesPerDetector: Int
    /// What the reader may hold at once (`--max-field-bytes` and the like).
    public var readLimits: EventLogLimits

    public init(
        ownerAttribute: String? = nil, caseTypeAttribute: String? = nil, mapping: LogMapping = LogMapping(), thresholds: Thresholds,
        rulebook: Rulebook, calendar: WorkingCalendar, asOf: CivilDate? = nil, utcOffsetSeconds: Int = 7 * 3600,
        keepCaseSummaries: Bool = false, examplesPerDetector: Int = 3, readLimits: EventLogLimits = EventLogLimits()
    ) {
        self.ownerAttribute = ownerAttribute
        self.caseTypeAttribute = caseTypeAttribute
        self.mapping = mapping
        self.thresholds = thresholds
        self.rulebook = rulebook
        self.calendar = calendar
        self.asOf = asOf
        self.utcOffsetSeconds = utcOffsetSeconds
        self.keepCaseSummaries = keepCaseSummaries
        self.examplesPerDetector = examplesPerDetector
        self.readLimits = readLimits
    }

    /// The attributes a reader must keep for this analysis (everything else can be skipped while parsing).
    public func attributesToKeep() -> Set<String> {
        Self.attributesToKeep(ownerAttribute: ownerAttribute, caseTypeAttribute: caseTypeAttribute, mapping: mapping)
    }

    /// The same, before the rulebook is loaded (the reader starts while it loads).
    public static func attributesToKeep(ownerAttribute: String?, caseTypeAttribute: String?, mapping: LogMapping) -> Set<String> {
        var keys: Set<String> = ["org:group", "org:resource"]
        let a = mapping.attributes
        for key in [
            ownerAttribute, caseTypeAttribute, a?.owner, a?.actor, a?.caseType, a?.kind, a?.procedure, a?.due, a?.target, a?.status, a?.concerning,
            a?.decidingBody, a?.leadUnit, a?.product, a?.title, a?.inspection,
        ] {
            if let key { keys.insert(key) }
        }
        return keys
    }
}
