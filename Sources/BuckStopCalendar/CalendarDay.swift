/// Why a day is special in a holiday decision (the `kind` column of holidays.csv).
public enum DayKind: String, Sendable, Codable, CaseIterable {
    /// A solar-date statutory holiday (BLLĐ 2019 Đ.112), including the day next to 2/9.
    case fixed
    /// Tết Nguyên đán or Giỗ Tổ Hùng Vương.
    case lunar
    /// Nghỉ bù: a holiday fell on a weekend, so the next working day is off (Đ.111(3)).
    case compensatory
    /// Nghỉ hoán đổi: a weekday made a day off in exchange for a make-up Saturday.
    case bridge
    /// Làm bù: a weekend day worked in exchange for a bridge day.
    case makeupWorkday = "makeup_workday"

    /// Every kind except `makeupWorkday` means "nobody is at the office".
    public var isDayOff: Bool { self != .makeupWorkday }
}

/// One row of a holiday decision: a day off, or a weekend day that is worked.
///
/// `source` and `status` travel with the row so that a deadline computed from it can
/// say which Government document (or which projection) it relied on.
public struct CalendarDay: Hashable, Sendable, Codable {
    public let date: CivilDate
    public let kind: DayKind
    public let nameVi: String
    public let nameEn: String
    public let source: String
    /// verified / secondary / unverified / projected (see data/vietnam/README.md).
    public let status: String

    public init(date: CivilDate, kind: DayKind, nameVi: String, nameEn: String, source: String, status: String) {
        self.date = date
        self.kind = kind
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.source = source
        self.status = status
    }
}
