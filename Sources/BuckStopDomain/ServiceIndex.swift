/// One group of the service-quality index of Quyết định 766/QĐ-TTg (2022) as the rulebook carries it (`serviceIndex:`
/// rows): its points and, where BuckStop's record can compute it, the measure it is scored by. Groups without a measure
/// (transparency, online services, digitisation: channels and files BuckStop does not record) are shown as not
/// computable from BuckStop's record, never estimated.
public struct ServiceIndexGroup: Sendable, Codable, Hashable {
    /// What BuckStop can measure for a group, from its cases.
    public enum Measure: String, Sendable, Codable, Hashable, CaseIterable {
        /// Dossiers settled in the period on or before their due date in force, over dossiers settled.
        case onTimeShare = "on-time-share"
        /// Citizens' ratings at or above `satisfiedFrom`, over ratings given in the period (SIPAS-style).
        case satisfiedShare = "satisfied-share"
    }

    public var code: String
    public var nameVi: String
    public var nameEn: String
    public var points: Double
    public var measure: Measure?
    /// With `satisfied-share`: the lowest rating (1–5) counted as satisfied.
    public var satisfiedFrom: Int?
    public var source: String
    public var status: String

    public init(
        code: String, nameVi: String, nameEn: String, points: Double, measure: Measure?, satisfiedFrom: Int? = nil, source: String,
        status: String
    ) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.points = points
        self.measure = measure
        self.satisfiedFrom = satisfiedFrom
        self.source = source
        self.status = status
    }

    /// The group's points for a share (0…1): the points in proportion to it — BuckStop's reading of the index, stated
    /// with each result; nil without a share.
    public func score(_ share: Double?) -> Double? { share.map { points * $0 } }
}
