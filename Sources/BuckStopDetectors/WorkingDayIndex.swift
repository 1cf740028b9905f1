import BuckStopCalendar

/// Working days between two local days in O(1): prefix sums of `WorkingCalendar.isWorkingDay` over
/// 1970–2100, so a detector pass over 10^8 events never walks the calendar day by day.
public struct WorkingDayIndex: Sendable {
    public let calendar: WorkingCalendar
    /// `cumulative[d]` = working days in [first, first + d].
    private let cumulative: [Int32]
    private let first: Int32
    private static let epochJDN = 2_440_588

    public init(calendar: WorkingCalendar, firstDay: Int32 = 0, lastDay: Int32 = 47_846) {
        self.calendar = calendar
        self.first = firstDay
        var sums: [Int32] = []
        sums.reserveCapacity(Int(lastDay - firstDay) + 1)
        var running: Int32 = 0
        for d in firstDay...lastDay {
            if calendar.isWorkingDay(Self.date(d)) { running += 1 }
            sums.append(running)
        }
        cumulative = sums
    }

    public static func date(_ day: Int32) -> CivilDate { CivilDate(julianDayNumber: epochJDN + Int(day)) }
    public static func day(_ date: CivilDate) -> Int32 { Int32(date.julianDayNumber - epochJDN) }

    /// Working days in (a, b]; negative when b < a (as `WorkingCalendar.workingDays(from:to:)`).
    @inline(__always)
    public func workingDays(from a: Int32, to b: Int32) -> Int {
        let i = Int(a - first)
        let j = Int(b - first)
        if i >= 0, j >= 0, i < cumulative.count, j < cumulative.count { return Int(cumulative[j] - cumulative[i]) }
        return calendar.workingDays(from: Self.date(a), to: Self.date(b))
    }

    public func isWorkingDay(_ day: Int32) -> Bool {
        let i = Int(day - first)
        if i > 0, i < cumulative.count { return cumulative[i] != cumulative[i - 1] }
        return calendar.isWorkingDay(Self.date(day))
    }
}
