import BuckStopCalendar
import BuckStopDomain
import Foundation

/// Display helpers: Vietnamese first, times in Vietnam (UTC+7).
enum Display {
    static func time(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let day = CivilDate(date)
        let secondsOfDay = (Int(millis / 1000) + 7 * 3600) % 86_400
        return String(format: "%02d/%02d/%04d %02d:%02d", day.day, day.month, day.year, secondsOfDay / 3600, secondsOfDay / 60 % 60)
    }

    static func date(_ date: CivilDate?) -> String {
        guard let date else { return "—" }
        return date.dayMonthYear
    }

    static func duration(_ millis: Int64) -> String {
        let hours = millis / 3_600_000
        if hours < 48 { return "\(hours) giờ" }
        return "\(hours / 24) ngày"
    }

    static func official(_ id: OfficialID?, in org: Organization?) -> String {
        guard let id else { return "—" }
        guard let official = org?.official(id) else { return id.rawValue }
        let unit = org?.unit(official.unit)?.name ?? official.unit.rawValue
        return "\(official.name) (\(id), \(official.position), \(unit))"
    }

    static func actor(_ actor: Actor, in org: Organization?) -> String {
        switch actor {
        case .official(let id): official(id, in: org)
        case .citizen: "Công dân / citizen"
        case .system(let name): "Hệ thống / system: \(name)"
        }
    }

    static var nowMillis: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
