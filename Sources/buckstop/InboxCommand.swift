import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopStore
import Foundation

/// An official's open cases, most urgent first, with working days left.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Việc cần xử lý của một cán bộ / an official's inbox, most urgent first.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Official id (see `buckstop org show`).")
    var official: String

    func run() async throws {
        try await global.withStore { store in
            let org = try store.organization()
            let id = OfficialID(official)
            guard org.official(id) != nil else {
                throw CLIError("unknown official '\(official)'; `buckstop org show` lists them", category: .notFound)
            }
            let calendar = try global.loadCalendar()
            let today = CivilDate(Date())
            let items = try await store.inbox(of: id)
            print("Việc cần xử lý / inbox: \(Display.official(id, in: org))")
            print("\(items.count) hồ sơ đang giữ / open cases held\n")
            for item in items {
                let left = item.dueDate.map { calendar.workingDays(from: today, to: $0) }
                let urgency: String
                switch left {
                case nil: urgency = "không có hạn / no due date"
                case let n? where n < 0: urgency = "QUÁ HẠN \(-n) ngày làm việc / overdue"
                case let n?: urgency = "còn \(n) ngày làm việc / working days left"
                }
                print("\(item.id.rawValue)  [\(item.kind.nameVi) · \(item.status.nameVi)]  hạn / due \(Display.date(item.dueDate)) — \(urgency)")
                print("    \(item.title)  (giữ từ / held since \(Display.time(item.ownerSince)))")
            }
        }
    }
}
