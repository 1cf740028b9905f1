import ArgumentParser
import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import Foundation

/// Takes one action on a case; the fields each action requires are checked before anything is written.
struct CaseActCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "act", abstract: "Thực hiện một thao tác trên hồ sơ / take an action on a case.",
        discussion: """
            Actions and their fields:
              assign --to ID [--note]            accept [--note]
              transfer --to ID --reason          escalate --to ID --proposal
              delegate --to ID --instruction     consult --consult-unit ID… --question --date
              opinion --consult-unit ID --text   request-supplement --missing ITEM…
              supplement-received [--note] [--date]
              reschedule --date --apology        extend --date --legal-basis
              decline --legal-basis --competent-unit --reason
              decide --decision --rationale      resolve --result
              close --outcome                    reopen --to ID --reason
              comment --text                     rate --score 1-5 [--text]   (as the citizen)
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Case code (mã hồ sơ).") var code: String
    @Argument(help: "Action name, e.g. transfer, escalate, decide.") var action: String

    @Option(name: .customLong("as"), help: "Acting official id, or @citizen.") var actor: String
    @Option var to: String?
    @Option var note: String?
    @Option var reason: String?
    @Option var proposal: String?
    @Option var instruction: String?
    @Option(name: .customLong("consult-unit")) var consultUnits: [String] = []
    @Option var question: String?
    @Option var text: String?
    @Option var missing: [String] = []
    @Option(help: "A date YYYY-MM-DD (new due date, consultation deadline).") var date: String?
    @Option var apology: String?
    @Option var legalBasis: String?
    @Option var competentUnit: String?
    @Option var decision: String?
    @Option var rationale: String?
    @Option var result: String?
    @Option var outcome: String?
    @Option var score: Int?

    func run() async throws {
        guard let who = Actor(stored: actor) else { throw CLIError("--as: expected an official id or @citizen, found '\(actor)'") }
        let body = try makeBody()
        try await global.withStore() { store in
            let org = try store.organization()
            let action = Action(caseID: CaseID(code), actor: who, at: Display.nowMillis, body: body, via: Operator.credential)
            let bounds = try InputBounds(rulebook: try global.loadRulebook())
            let state = try await store.caseState(action.caseID)
            do {
                try bounds.checkDates(of: body, at: action.at, case: state, rulebook: try global.loadRulebook(), calendar: try global.loadCalendar())
            } catch { throw CLIError("\(error)") }
            let receipt: AppendReceipt
            do {
                receipt = try await store.append(.action(action))
            } catch { throw CLIError("\(error)") }
            try await store.checkpoint()
            print("\(body.type.nameVi) / \(body.type.rawValue): \(code) — ledger entry \(receipt.index)")
            print("  trạng thái / status: \(receipt.state.status.nameVi); người chịu trách nhiệm / accountable: \(Display.official(receipt.state.owner, in: org))")
        }
    }

    private func require(_ value: String?, _ flag: String) throws -> String {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError("\(action) requires --\(flag)")
        }
        return value
    }

    private func requireDate(_ flag: String = "date") throws -> CivilDate {
        let text = try require(date, flag)
        do { return try CivilDate(iso: text) } catch { throw CLIError("--\(flag): \(error)") }
    }

    func makeBody() throws -> ActionBody {
        switch action {
        case "assign": return .assign(to: OfficialID(try require(to, "to")), note: note ?? "")
        case "accept": return .accept(note: note ?? "")
        case "transfer": return .transfer(to: OfficialID(try require(to, "to")), reason: try require(reason, "reason"))
        case "escalate": return .escalate(to: OfficialID(try require(to, "to")), proposal: try require(proposal, "proposal"))
        case "delegate": return .delegate(to: OfficialID(try require(to, "to")), instruction: try require(instruction, "instruction"))
        case "consult":
            guard !consultUnits.isEmpty else { throw CLIError("consult requires at least one --consult-unit") }
            return .consult(units: consultUnits.map(UnitID.init(rawValue:)), question: try require(question, "question"), dueDate: try requireDate())
        case "opinion":
            guard consultUnits.count == 1 else { throw CLIError("opinion requires exactly one --consult-unit (the unit answering)") }
            return .opinion(unit: UnitID(consultUnits[0]), text: try require(text, "text"))
        case "request-supplement":
            guard !missing.isEmpty else { throw CLIError("request-supplement requires --missing, once per missing item (all at once)") }
            return .requestSupplement(missing: missing)
        case "supplement-received":
            return .supplementReceived(note: note ?? "", newDueDate: try date.map { _ in try requireDate() })
        case "reschedule": return .reschedule(newDueDate: try requireDate(), apology: try require(apology, "apology"))
        case "extend": return .extend(newDueDate: try requireDate(), legalBasis: try require(legalBasis, "legal-basis"))
        case "decline":
            return .decline(
                legalBasis: try require(legalBasis, "legal-basis"), competentUnit: try require(competentUnit, "competent-unit"),
                reason: try require(reason, "reason"))
        case "decide": return .decide(decision: try require(decision, "decision"), rationale: try require(rationale, "rationale"))
        case "resolve": return .resolve(result: try require(result, "result"))
        case "close": return .close(outcome: try require(outcome, "outcome"))
        case "reopen": return .reopen(to: OfficialID(try require(to, "to")), reason: try require(reason, "reason"))
        case "comment": return .comment(text: try require(text, "text"))
        case "rate":
            guard let score else { throw CLIError("rate requires --score 1-5") }
            return .rate(score: score, comment: text ?? "")
        default:
            let names = ActionType.allCases.filter { $0 != .open }.map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
            throw CLIError("unknown action '\(action)'; expected one of: \(names.joined(separator: ", "))")
        }
    }
}
