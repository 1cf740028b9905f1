/// How a statutory time limit is counted.
///
/// The law distinguishes "ngày làm việc" (working days) from bare "ngày" (calendar days,
/// with the Bộ luật Dân sự 2015 Đ.148(5) roll-over) and from same-day handling with a
/// 15:00 cut-off (NĐ 61/2018 Đ.18, carried over by NĐ 118/2025).
public enum DurationUnit: String, Sendable, Codable, CaseIterable {
    case workingDays = "working_days"
    case days
    case sameDay = "same_day"
}
