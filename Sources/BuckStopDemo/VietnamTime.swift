import BuckStopCalendar
import Foundation

/// Instants (ms since the epoch, UTC) and Vietnam-local dates and times of day (UTC+7, no daylight saving).
enum VietnamTime {
    static let offsetSeconds: Int64 = 7 * 3600
    static let unixEpochJDN = 2_440_588

    static func date(_ ms: Int64) -> CivilDate {
        let local = floorDiv(ms, 1000) + offsetSeconds
        return CivilDate(julianDayNumber: unixEpochJDN + Int(floorDiv(local, 86_400)))
    }

    static func secondsOfDay(_ ms: Int64) -> Int {
        let local = floorDiv(ms, 1000) + offsetSeconds
        return Int(local - floorDiv(local, 86_400) * 86_400)
    }

    /// The instant of a local date and time of day.
    static func instant(_ date: CivilDate, seconds: Int, millis: Int = 0) -> Int64 {
        let days = Int64(date.julianDayNumber - unixEpochJDN)
        return (days * 86_400 + Int64(seconds) - offsetSeconds) * 1000 + Int64(millis)
    }

    static func foundation(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
