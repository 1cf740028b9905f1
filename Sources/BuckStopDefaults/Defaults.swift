import BuckStopCalendar
import BuckStopDomain
import Foundation

/// Why a shipped default could not be read.
public enum DefaultsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The resource is not in the module bundle (a packaging error: the target copies `Data/`).
    case missingResource(String)
    /// The resource exists but is not readable as UTF-8 text.
    case unreadableResource(String, reason: String)

    public var description: String {
        switch self {
        case .missingResource(let name):
            "default resource '\(name)' is missing from the BuckStopDefaults bundle"
        case .unreadableResource(let name, let reason):
            "default resource '\(name)' could not be read: \(reason)"
        }
    }
}

/// The shipped defaults: the Vietnamese rulebook (`Data/rulebook-vn.yaml`) and the
/// holiday decisions (`Data/holidays-vn.csv`). Both are data; nothing here encodes a deadline.
public enum Defaults {
    public static let rulebookResource = "Data/rulebook-vn.yaml"
    public static let holidaysResource = "Data/holidays-vn.csv"

    /// Statuses of holiday rows that `workingCalendar()` treats as Government decisions.
    /// `projected` rows (years not yet decided) are left out so that those years fall back
    /// to the statutory pattern, and `unverified` rows (e.g. 24/11, not yet in BLLĐ Đ.112)
    /// are left out so that an unconfirmed holiday never moves a deadline.
    public static let decidedHolidayStatuses: Set<String> = ["verified", "secondary"]

    /// The text of the default rulebook.
    public static func rulebookYAML() throws -> String {
        try resourceText(rulebookResource)
    }

    /// The default rulebook, decoded and validated (`Rulebook.validate()`).
    public static func rulebook() throws -> Rulebook {
        try YAMLLoading.rulebook(from: rulebookYAML())
    }

    /// Every row of the shipped holiday decisions, whatever its status.
    public static func holidayDecisions() throws -> [CalendarDay] {
        try HolidayDecisionFile.parse(resourceText(holidaysResource))
    }

    /// The working calendar built from the rows whose status is in `statuses`
    /// (by default the decided ones); other years use the statutory holidays.
    public static func workingCalendar(statuses: Set<String> = decidedHolidayStatuses) throws -> WorkingCalendar {
        WorkingCalendar(decisions: try holidayDecisions().filter { statuses.contains($0.status) })
    }

    /// Reads `Data/<name>.<ext>` from the module bundle (`resources: [.copy("Data")]`).
    static func resourceText(_ resource: String) throws -> String {
        let file = (resource as NSString).lastPathComponent
        let directory = (resource as NSString).deletingLastPathComponent
        let name = (file as NSString).deletingPathExtension
        let ext = (file as NSString).pathExtension
        guard
            let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: directory)
                ?? Bundle.module.url(forResource: name, withExtension: ext)
        else { throw DefaultsError.missingResource(resource) }
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DefaultsError.unreadableResource(resource, reason: "\(error)")
        }
    }
}
