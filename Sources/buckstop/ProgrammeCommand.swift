import ArgumentParser
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

/// Programmes and plans (chương trình, kế hoạch) and the roll-up of their tasks.
struct ProgrammeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme", abstract: "Chương trình, kế hoạch / programmes and the roll-up of their tasks.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Các chương trình / programmes at the root of their tree, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "At most this many.")
        var limit: Int = 100

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw CLIError("--limit must be 1…10000; found \(limit)") }
            try await global.withStore { store in
                let org = try store.organization()
                for p in try await store.programmes(limit: limit) {
                    print(
                        "\(p.id.rawValue)  \(p.title)  — \((org.unit(p.leadUnit)?.name ?? p.leadUnit.rawValue)), hạn / due \(Display.date(p.dueDate))"
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tình hình thực hiện / a programme's roll-up: tasks by agency and phase, the overdue with their owners.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The programme's or plan's code.")
        var code: String

        @Option(name: .customLong("as-of"), help: "The day to judge overdue on (YYYY-MM-DD; default today).")
        var asOf: String?

        @Option(help: "How many overdue tasks to list.")
        var overdue: Int = 50

        func run() async throws {
            guard (0...10_000).contains(overdue) else { throw CLIError("--overdue must be 0…10000; found \(overdue)") }
            let day: CivilDate
            if let asOf {
                do { day = try CivilDate(iso: asOf) } catch {
                    throw CLIError("--as-of: expected a date YYYY-MM-DD, found '\(asOf)'")
                }
            } else {
                day = CivilDate(Date())
            }
            try await global.withStore { store in
                let org = try store.organization()
                let calendar = try global.loadCalendar()
                let branches = try await store.programmeBranches(root: CaseID(code))
                guard let root = branches.first else {
                    throw CLIError("no programme or plan '\(code)'; `buckstop programme list` lists them", category: .notFound)
                }
                let rollup = try await store.rollup(root: root.id, asOf: day, organization: org, overdueLimit: max(1, overdue))
                print("\(root.id.rawValue)  \(root.title)")
                print("Tình hình đến ngày / as of \(Display.date(day)): \(rollup.summaryVi)")
                print("  \(rollup.summaryEn)")
                if branches.count > 1 {
                    print(
                        "Kế hoạch / plans: "
                            + branches.dropFirst().map { "\($0.id.rawValue) (\(PlanLevel(rawValue: $0.procedure ?? "")?.nameVi ?? "?"))" }.joined(
                                separator: ", "))
                }
                let phases: [TaskPhase] = [.done, .awaitingApproval, .inProgress, .notStarted]
                print("")
                print(
                    ["Cơ quan / agency", "Giao", "Hoàn thành", "Chờ phê duyệt", "Đang thực hiện", "Chưa triển khai", "Quá hạn"].joined(
                        separator: " | "))
                for line in rollup.lines + [rollup.total] {
                    let name = line.agency.rawValue == "*" ? "Tổng / total" : (org.unit(line.agency)?.name ?? line.agency.rawValue)
                    print(([name, "\(line.assigned)"] + phases.map { "\(line.count($0))" } + ["\(line.overdue)"]).joined(separator: " | "))
                }
                guard !rollup.overdueTasks.isEmpty, overdue > 0 else { return }
                print("\nQuá hạn / overdue (người chịu trách nhiệm / accountable):")
                for t in rollup.overdueTasks.prefix(overdue) {
                    let late = t.dueDate.map { calendar.workingDays(from: $0, to: day) } ?? 0
                    let who = t.owner.map { Display.official($0, in: org) } ?? "—"
                    print(
                        "  \(t.id.rawValue)  \(t.title) — \(who); hạn / due \(Display.date(t.dueDate)), trễ / late \(late) ngày làm việc / working days"
                    )
                }
            }
        }
    }
}
