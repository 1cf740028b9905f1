import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation

/// Opens a case; the due date comes from the rulebook in force today.
struct CaseOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Tiếp nhận hồ sơ mới / open a case.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Case kind: \(CaseKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: String

    @Option(help: "Procedure code from the rulebook (dossiers).")
    var procedure: String?

    @Option(help: "Short title of the case.")
    var title: String

    @Option(help: "Lead unit id (chủ trì).")
    var unit: String

    @Option(help: "The official who holds it first.")
    var owner: String

    @Option(name: .customLong("as"), help: "The official who receives it (default: the owner).")
    var actor: String?

    @Option(help: "Collaborating unit ids (phối hợp), repeatable.")
    var collaborator: [String] = []

    @Option(help: "Applicant's full name (kept encrypted, off the ledger).")
    var applicantName: String?

    @Option(help: "Applicant's ID number (CCCD).")
    var applicantId: String?

    @Option(help: "Applicant's address.")
    var applicantAddress: String?

    @Option(help: "Applicant's phone.")
    var applicantPhone: String?

    func run() async throws {
        guard let caseKind = CaseKind(rawValue: kind) else {
            throw CLIError("--kind: expected one of \(CaseKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(kind)'")
        }
        if applicantName == nil, applicantId != nil || applicantAddress != nil || applicantPhone != nil {
            throw CLIError("--applicant-name is required when other applicant fields are given")
        }
        try await global.withLiveLedger { live in
            let org = live.organization
            let rulebook = live.rulebook
            if let procedure, rulebook.procedure(procedure) == nil {
                throw CLIError(
                    "--procedure: '\(procedure)' is not in the rulebook (\(rulebook.procedures.prefix(5).map(\.code).joined(separator: ", "))…)")
            }
            let now = Date()
            let due = rulebook.dueDate(for: caseKind, procedure: procedure, receivedAt: now, calendar: live.calendar)
            let open = OpenCase(
                kind: caseKind, procedure: procedure, title: title, leadUnit: UnitID(unit), collaborators: collaborator.map(UnitID.init(rawValue:)),
                owner: OfficialID(owner), dueDate: due?.date, ruleID: due?.rule.id)
            let applicant = applicantName.map {
                PersonalData(fullName: $0, idNumber: applicantId, address: applicantAddress, phone: applicantPhone)
            }
            guard org.unit(UnitID(unit)) != nil else { throw CLIError("--unit: unknown unit '\(unit)'", category: .notFound) }
            let outcome: AppendOutcome
            do {
                outcome = try await live.open(
                    open, actor: .official(OfficialID(actor ?? owner)), at: Display.nowMillis, personalData: applicant, via: Operator.credential)
            } catch { throw CLIError("\(error)") }
            try await live.store.checkpoint()
            let receipt = outcome.receipt
            print("Đã tiếp nhận / opened \(receipt.caseID.rawValue) (ledger entry \(receipt.index))")
            print("  người chịu trách nhiệm / accountable: \(Display.official(receipt.state.owner, in: org))")
            print(
                "  hạn / due: \(Display.date(receipt.state.dueDate))\(due.map { "  (\($0.rule.duration) \($0.rule.unit.rawValue), \($0.rule.source))" } ?? "")"
            )
        }
    }
}
