import ArgumentParser
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopOffice
import BuckStopStore
import Foundation

/// Programmes and plans (chương trình, kế hoạch) and the roll-up of their tasks.
struct ProgrammeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme", abstract: "Chương trình, kế hoạch / programmes and the roll-up of their tasks.",
        subcommands: [List.self, Show.self, Import.self, Export.self, Request.self])

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
                let phases = TaskPhase.sheetOrder
                print("")
                print((["Cơ quan / agency", "Giao"] + phases.map(\.nameVi) + ["Quá hạn"]).joined(separator: " | "))
                for line in rollup.lines + [rollup.total] {
                    let name = line.agency.rawValue == "*" ? "Tổng / total" : (org.unit(line.agency)?.name ?? line.agency.rawValue)
                    print(([name, "\(line.assigned)"] + phases.map { "\(line.count($0))" } + ["\(line.overdue)"]).joined(separator: " | "))
                }
                if let matrix = try await store.reportMatrix(request: root.id, asOf: day, organization: org) {
                    print("\nBáo cáo của các cơ quan / submissions: \(matrix.summaryVi)\n  \(matrix.summaryEn)")
                    for row in matrix.rows {
                        let timing =
                            row.missing
                            ? "CHƯA GỬI, QUÁ HẠN / not sent, overdue"
                            : row.late ? "gửi muộn / late" : row.firstSent == nil ? "" : "đúng hạn / on time"
                        print(
                            "  \(org.unit(row.agency)?.name ?? row.agency.rawValue) — \(row.status.nameVi) / \(row.status.nameEn)"
                                + (row.firstSent.map { "; gửi / sent \(Display.date($0))" } ?? "") + (timing.isEmpty ? "" : "; " + timing)
                                + (row.returns > 0 ? "; trả lại / returned \(row.returns)" : "")
                                + "; \(row.task.owner.map { Display.official($0, in: org) } ?? "—")")
                    }
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

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nhập phụ lục nhiệm vụ / opens the tasks of an annex (XLSX or CSV, Vietnamese headings) under a programme or plan.",
            discussion: """
                Columns: STT, Nội dung nhiệm vụ, Cơ quan chủ trì (one), Cơ quan phối hợp, Người chịu trách nhiệm (else the lead \
                body's head), Thời hạn hoàn thành (dd/mm/yyyy, an Excel date, "Quý II/2026", "Tháng 3/2026", "Năm 2026"), Sản phẩm. \
                Every problem is listed by row and column and nothing is written until the file is right. Each task is assigned \
                by the document that issued the programme or plan.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The annex: .xlsx or .csv.")
        var file: String

        @Option(help: "The programme's or plan's code the tasks belong to.")
        var parent: String

        @Option(help: "The official entering them (default: the programme's or plan's owner).")
        var actor: String?

        func run() async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw CLIError("cannot read '\(file)': \(error.localizedDescription)", category: .notFound)
            }
            let rows: [ProgrammeAnnexRow]
            do {
                // An .xlsx is a ZIP package ("PK"); anything else is read as CSV text.
                if data.starts(with: [0x50, 0x4B]) {
                    let workbook = try XLSXReader.read(data)
                    guard let sheet = workbook.sheets.first else { throw CLIError("'\(file)' has no sheet") }
                    rows = try ProgrammeAnnex.rows(from: sheet)
                } else {
                    rows = try ProgrammeAnnex.rows(csv: data)
                }
            } catch let errors as AnnexErrors {
                throw CLIError("\(file):\n" + errors.vietnamese + "\n---\n" + errors.description)
            } catch let error as XLSXReadError {
                throw CLIError("\(file): \(error.vietnamese) / \(error)")
            }
            try await global.withLiveLedger { live in
                let org = live.organization
                guard let container = try await live.store.caseState(CaseID(parent)), container.kind == .programme else {
                    throw CLIError("--parent: no programme or plan '\(parent)'; `buckstop programme list` lists them", category: .notFound)
                }
                let opening = try await live.store.history(of: container.id).first
                var document: IssuingDocument?
                if case .open(let o)? = opening?.action.body { document = o.document }
                let openings: [(row: Int, open: OpenCase)]
                do {
                    openings = try ProgrammeAnnexImport.openings(rows, parent: container.id, document: document, organization: org)
                } catch let errors as AnnexErrors {
                    throw CLIError("\(file):\n" + errors.vietnamese + "\n---\n" + errors.description)
                }
                let actorID = actor.map(OfficialID.init(rawValue:)) ?? container.owner ?? openings.first?.open.owner
                guard let actorID, org.official(actorID) != nil else {
                    throw CLIError("--actor: unknown official '\(actor ?? "")'", category: .notFound)
                }
                // The domain's checks of every opening before anything is written: a file is taken whole or not at all.
                let now = Display.nowMillis
                for (row, open) in openings {
                    do {
                        _ = try CaseState(
                            opening: Action(caseID: "(new)", actor: .official(actorID), at: now, body: .open(open), via: Operator.credential), in: org
                        )
                        try live.bounds.checkDates(of: .open(open), at: now, case: nil, rulebook: live.rulebook, calendar: live.calendar)
                    } catch {
                        throw CLIError("\(file): dòng / row \(row): \(error)")
                    }
                }
                var opened = 0
                for (row, open) in openings {
                    do {
                        let outcome = try await live.open(open, actor: .official(actorID), at: now, personalData: nil, via: Operator.credential)
                        opened += 1
                        print("dòng / row \(row): \(outcome.receipt.caseID.rawValue)  \(open.title) — \(Display.official(open.owner, in: org))")
                    } catch {
                        throw CLIError("\(file): dòng / row \(row) not opened after \(opened) others were: \(error)")
                    }
                }
                try await live.store.checkpoint()
                print("Đã nhập / imported \(opened) nhiệm vụ / tasks under \(container.id.rawValue)")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Xuất tình hình thực hiện / writes a programme's roll-up as an Excel workbook (summary, overdue, tasks).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The programme's or plan's code.")
        var code: String

        @Option(help: "The .xlsx file to write.")
        var xlsx: String

        @Option(name: .customLong("as-of"), help: "The day to judge overdue on (YYYY-MM-DD; default today).")
        var asOf: String?

        func run() async throws {
            let day: CivilDate
            if let asOf {
                do { day = try CivilDate(iso: asOf) } catch { throw CLIError("--as-of: expected a date YYYY-MM-DD, found '\(asOf)'") }
            } else {
                day = CivilDate(Date())
            }
            try await global.withStore { store in
                let org = try store.organization()
                guard let root = try await store.programmeBranches(root: CaseID(code)).first else {
                    throw CLIError("no programme or plan '\(code)'; `buckstop programme list` lists them", category: .notFound)
                }
                let rollup = try await store.rollup(root: root.id, asOf: day, organization: org, overdueLimit: 10_000)
                let tasks = try await store.programmeTasks(root: root.id, limit: 100_000)
                let workbook = ProgrammeWorkbook.make(rollup: rollup, tasks: tasks, organization: org, calendar: try global.loadCalendar())
                let bytes: Data
                do { bytes = try workbook.data() } catch { throw CLIError("the workbook could not be written: \(error)") }
                do { try bytes.write(to: URL(fileURLWithPath: xlsx), options: .atomic) } catch {
                    throw CLIError("cannot write '\(xlsx)': \(error.localizedDescription)", category: .storageFailure)
                }
                print("\(xlsx): \(rollup.summaryVi) (\(tasks.count) nhiệm vụ / tasks)")
            }
        }
    }
}
