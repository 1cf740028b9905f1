import ArgumentParser
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import Foundation

extension ProgrammeCommand {
    /// Yêu cầu báo cáo: a body asks agencies for a report by a date, to a template; one submission task per agency, held
    /// by the agency's accountable head, who gives it to someone to draft and signs what is sent.
    /// Each task's expected product is the request's subject (its title), so that a second request to the same agency on
    /// the same subject while the first is in force is an `overlap`, and requests on other subjects are not.
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Yêu cầu báo cáo / asks agencies for a report by a date, to a template (sections and figures by code).",
            discussion: """
                Opens the request (a programme case of level report-request, held by --owner in their unit) and, under it, \
                one submission task per --agency held by the agency's head. Example: buckstop programme request --title \
                "Báo cáo chuyên đề về né tránh trách nhiệm" --owner dungtx --due 2026-12-31 --agency so-noi-vu --agency \
                so-tu-phap --section "I. Tình hình" --figure tre_han="Số hồ sơ trễ hạn" --number 120/UBND-NC --signer \
                "Chánh Văn phòng".
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "What the report is about (the request's title; each agency's task adds its name).")
        var title: String

        @Option(help: "The official who holds the request and receives the reports.")
        var owner: String

        @Option(help: "The date the reports are due (YYYY-MM-DD).")
        var due: String

        @Option(help: "An agency asked (a unit id); repeat for each.")
        var agency: [String] = []

        @Option(help: "A section of the report (in order); repeat for each.")
        var section: [String] = []

        @Option(help: "A figure asked for, as code=label; repeat for each.")
        var figure: [String] = []

        @Option(help: "The request's document number (số văn bản).")
        var number: String?

        @Option(help: "Who signed the request, as printed.")
        var signer: String?

        @Option(help: "The official entering it (default: --owner).")
        var actor: String?

        func run() async throws {
            let dueDate: CivilDate
            do { dueDate = try CivilDate(iso: due) } catch { throw CLIError("--due: expected a date YYYY-MM-DD, found '\(due)'") }
            guard !agency.isEmpty else { throw CLIError("--agency: name at least one agency asked") }
            var figures: [ReportFigure] = []
            for (n, item) in figure.enumerated() {
                guard let equals = item.firstIndex(of: "=") else {
                    throw CLIError("--figure #\(n + 1): expected code=label, found '\(item)'")
                }
                figures.append(ReportFigure(code: String(item[..<equals]), label: String(item[item.index(after: equals)...])))
            }
            let template = ReportTemplate(sections: section, figures: figures)
            try await global.withLiveLedger { live in
                let org = live.organization
                let ownerID = OfficialID(owner)
                guard let holder = org.official(ownerID) else { throw CLIError("--owner: unknown official '\(owner)'", category: .notFound) }
                let actorID = actor.map(OfficialID.init(rawValue:)) ?? ownerID
                guard org.official(actorID) != nil else { throw CLIError("--actor: unknown official '\(actorID.rawValue)'", category: .notFound) }
                let now = Display.nowMillis
                let document: IssuingDocument? =
                    if let number, let signer { IssuingDocument(number: number, date: CivilDate(Date()), signer: signer) } else { nil }
                let request = OpenCase(
                    kind: .programme, procedure: PlanLevel.reportRequest.rawValue, title: title, leadUnit: holder.unit, owner: ownerID,
                    dueDate: dueDate, document: document, template: template)
                // Every opening checked before anything is written: a request goes out whole or not at all.
                var submissions: [OpenCase] = []
                for id in agency.map(UnitID.init(rawValue:)) {
                    guard let unit = org.unit(id), let head = org.accountableHead(of: id) else {
                        throw CLIError("--agency: no unit '\(id.rawValue)' with a head to answer for it", category: .notFound)
                    }
                    submissions.append(
                        OpenCase(
                            kind: .task, title: "\(title) — \(unit.name)", leadUnit: id, owner: head, dueDate: dueDate, parent: "(request)",
                            product: title, document: document))
                }
                do {
                    for open in [request] + submissions {
                        _ = try CaseState(
                            opening: Action(caseID: "(new)", actor: .official(actorID), at: now, body: .open(open), via: Operator.credential), in: org
                        )
                        try live.bounds.checkDates(of: .open(open), at: now, case: nil, rulebook: live.rulebook, calendar: live.calendar)
                    }
                } catch let error as DomainError {
                    throw CLIError("\(error)")
                }
                let opened = try await live.open(request, actor: .official(actorID), at: now, personalData: nil, via: Operator.credential)
                let code = opened.receipt.caseID
                print("\(code.rawValue)  \(title) — \(Display.official(ownerID, in: org)); hạn / due \(Display.date(dueDate))")
                for var open in submissions {
                    open.parent = code
                    let outcome = try await live.open(open, actor: .official(actorID), at: now, personalData: nil, via: Operator.credential)
                    print(
                        "  \(outcome.receipt.caseID.rawValue)  \(org.unit(open.leadUnit)?.name ?? open.leadUnit.rawValue) — \(Display.official(open.owner, in: org))"
                    )
                }
                try await live.store.checkpoint()
                print("Đã gửi yêu cầu tới / asked \(submissions.count) cơ quan / agencies; `buckstop programme show \(code.rawValue)`")
            }
        }
    }
}
