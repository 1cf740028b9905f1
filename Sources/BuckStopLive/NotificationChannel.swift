import BuckStopCalendar
import BuckStopDomain
import Logging

/// A reminder as it leaves BuckStop for a channel. It carries the case's code, never its title: a dossier's or a
/// complaint's title can name the citizen, and a notice travels over systems BuckStop does not control (a mail relay, an
/// SMS gateway); the code opens the case for whoever may see it.
public struct ReminderNotice: Sendable, Hashable {
    public var reminder: Reminder

    public init(_ reminder: Reminder) { self.reminder = reminder }

    public var vietnamese: String {
        "\(reminder.caseID.rawValue): \(reminder.due.vietnamese) (hạn \(reminder.dueDate.dayMonthYear))"
    }

    public var english: String {
        "\(reminder.caseID.rawValue): \(reminder.due.english) (due \(reminder.dueDate.dayMonthYear))"
    }
}

/// Why a notice did not leave; the reminder is tried again at the next run.
public enum NotificationError: Error, Sendable, Equatable, CustomStringConvertible, CategorizedError {
    /// The channel could not hand the notice on (a relay refused it, a gateway did not answer).
    case undelivered(channel: String, reason: String)
    /// The channel is configured with an address it cannot use (checked when it is made, not per notice).
    case invalidAddress(channel: String, address: String)

    public var description: String {
        switch self {
        case .undelivered(let channel, let reason): "\(channel): notice not delivered: \(reason)"
        case .invalidAddress(let channel, let address): "\(channel): not an address it can send to: '\(address)'"
        }
    }

    public var category: FailureCategory {
        switch self {
        case .undelivered: .unavailable
        case .invalidAddress: .misconfigured
        }
    }
}

/// Where reminders go besides the owner's inbox and the event stream. E-mail, SMS or Zalo are a deployment's choice, each
/// one implementation of this: the recipient's address is the deployment's to look up from the official's id, since the
/// organisation BuckStop keeps has no addresses.
public protocol NotificationChannel: Sendable {
    func deliver(_ notice: ReminderNotice) async throws(NotificationError)
}

/// Writes each notice as one log line (swift-log, level notice): the channel every deployment has, which a log shipper
/// can forward. Only codes, ids, dates and counts are written — no title, no citizen's data, nothing secret.
public struct LogNotificationChannel: NotificationChannel {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func deliver(_ notice: ReminderNotice) async throws(NotificationError) {
        let r = notice.reminder
        logger.notice(
            "reminder",
            metadata: [
                "case": .string(r.caseID.rawValue), "kind": .string(r.kind.rawValue), "owner": .string(r.owner.rawValue),
                "reminder": .string(r.due.code), "workingDays": .string(String(r.due.workingDays)), "due": .string(r.dueDate.description),
                "day": .string(r.day.description), "message": .string(notice.english),
            ])
    }
}
