import ArgumentParser
import BuckStopAPI
import BuckStopDomain
import BuckStopLive
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
        try await global.withLiveLedger { live in
            let org = live.organization
            let action = Action(caseID: CaseID(code), actor: who, at: Display.nowMillis, body: body, via: Operator.credential)
            let outcome: AppendOutcome
            do {
                outcome = try await live.append(action, serverTime: true)
            } catch { throw CLIError("\(error)") }
            try await live.store.checkpoint()
            let receipt = outcome.receipt
            print("\(body.type.nameVi) / \(body.type.rawValue): \(code) — ledger entry \(receipt.index)")
            print(
                "  trạng thái / status: \(receipt.state.status.nameVi); người chịu trách nhiệm / accountable: \(Display.official(receipt.state.owner, in: org))"
            )
            for f in outcome.findings {
                print("  phát hiện / finding: \(f.finding.detector) \(f.finding.id) — \(f.finding.explanation)")
            }
        }
    }

    /// The action's fields as `ActionInput` reads them (the API's and the forms' parser), so that a rule is checked
    /// the same way whichever door the action comes through; the citizen's rating has its own body.
    func makeBody() throws -> ActionBody {
        let type = action.replacingOccurrences(of: "-", with: "_")
        if type == ActionType.rate.rawValue {
            guard let score else { throw CLIError("rate requires --score 1-5") }
            return .rate(score: score, comment: text ?? "")
        }
        guard let known = ActionType(rawValue: type), ActionInput.caseActionTypes.contains(known) else {
            let names = (ActionInput.caseActionTypes + [.rate]).map { $0.rawValue.replacingOccurrences(of: "_", with: "-") }
            throw CLIError("unknown action '\(action)'; expected one of: \(names.joined(separator: ", "))")
        }
        var strings: [String: String] = [:]
        let flags: [(String, String?)] = [
            ("to", to), ("note", note), ("reason", reason), ("proposal", proposal), ("instruction", instruction), ("question", question),
            ("text", text), ("apology", apology), ("legalBasis", legalBasis), ("competentUnit", competentUnit), ("decision", decision),
            ("rationale", rationale), ("result", result), ("outcome", outcome), ("dueDate", date), ("newDueDate", date),
        ]
        for case (let key, let value?) in flags { strings[key] = value }
        var lists: [String: [String]] = [:]
        if !missing.isEmpty { lists["missing"] = missing }
        if !consultUnits.isEmpty { lists["units"] = consultUnits }
        if known == .opinion {
            guard consultUnits.count == 1 else { throw CLIError("opinion requires exactly one --consult-unit (the unit answering)") }
            strings["unit"] = consultUnits[0]
        }
        do {
            return try ActionInput(type: type, strings: strings, lists: lists).body()
        } catch {
            throw CLIError(
                "\(action): \(error.message(.en).replacingOccurrences(of: "field '\(error.field ?? "")'", with: "--\(Self.flag(error.field))"))")
        }
    }

    /// The command-line flag of an `ActionInput` field.
    static func flag(_ field: String?) -> String {
        switch field {
        case "units", "unit": "consult-unit"
        case "dueDate", "newDueDate": "date"
        case "legalBasis": "legal-basis"
        case "competentUnit": "competent-unit"
        case let other?: other
        case nil: "type"
        }
    }
}
