import BuckStopCalendar

/// One figure a report request asks for ("Số hồ sơ giải quyết quá hạn"), by a short code the submissions answer under.
public struct ReportFigure: Sendable, Hashable {
    /// Letters, digits, '_' or '-', at most 40: how a submission names the figure.
    public var code: String
    public var label: String

    public init(code: String, label: String) {
        self.code = code
        self.label = label
    }
}

/// What a report request (yêu cầu báo cáo) asks each agency for: the sections of the report and the figures required in
/// it — "with data and concrete examples". Carried by the request's opening; each submission is checked against it.
public struct ReportTemplate: Sendable, Hashable {
    public var sections: [String]
    public var figures: [ReportFigure]

    public init(sections: [String], figures: [ReportFigure]) {
        self.sections = sections
        self.figures = figures
    }
}

/// A report as an agency sends it: its document number (số văn bản) and the figures, by the request's codes. The text of
/// the report stays in the document system; the ledger holds the number and the figures the requester adds up.
public struct ReportSubmission: Sendable, Hashable {
    public var document: String
    public var figures: [String: Int]

    public init(document: String, figures: [String: Int] = [:]) {
        self.document = document
        self.figures = figures
    }
}

extension ReportTemplate {
    /// The figure codes a submission may use: letters, digits, '_' and '-'.
    static func isCode(_ code: String) -> Bool {
        !code.isEmpty && code.utf8.count <= 40
            && code.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }

    /// A template as a request's opening may carry it: at least one section or figure, no blank text, codes well formed
    /// and distinct.
    public func check(action: String) throws(DomainError) {
        guard !sections.isEmpty || !figures.isEmpty else {
            throw .invalidField(action: action, field: "template", reason: .programme(.emptyTemplate))
        }
        for (n, section) in sections.enumerated() { try CaseState.requireText(section, action: action, field: "template.sections[\(n)]") }
        var seen = Set<String>()
        for (n, figure) in figures.enumerated() {
            guard Self.isCode(figure.code) else {
                throw .invalidField(action: action, field: "template.figures[\(n)].code", reason: .programme(.badFigureCode(figure.code)))
            }
            guard seen.insert(figure.code).inserted else {
                throw .invalidField(action: action, field: "template.figures[\(n)].code", reason: .programme(.repeatedFigure(figure.code)))
            }
            try CaseState.requireText(figure.label, action: action, field: "template.figures[\(n)].label")
        }
    }

    /// A submission answers every figure the template asks for, with a count (0 or more), and no other.
    public func check(_ report: ReportSubmission, action: String) throws(DomainError) {
        for figure in figures where report.figures[figure.code] == nil {
            throw .invalidField(action: action, field: "figures.\(figure.code)", reason: .programme(.figureMissing(figure.code)))
        }
        let known = Set(figures.map(\.code))
        if let unknown = report.figures.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidField(action: action, field: "figures.\(unknown)", reason: .programme(.figureUnknown(unknown, known: known.sorted())))
        }
    }
}

extension CaseState {
    /// Gửi báo cáo: the head of the lead unit (or of a unit above it) signs the report and sends it to the requester; the
    /// task waits on the requester, who accepts or returns it. Figures are counts, so none is negative; whether they
    /// answer the request's template is checked by the writer, which reads the request (`ReportTemplate.check`).
    mutating func applySubmitReport(
        to: OfficialID, report: ReportSubmission, name: String, action: Action, actorID: OfficialID?, in org: Organization?
    )
        throws(DomainError)
    {
        try requireOwner(actorID, action: name, actor: action.actor)
        try requireActive(name)
        guard kind == .task else { throw .invalidField(action: name, field: "case", reason: .programme(.notATask(kind: kind, action: name))) }
        guard taskPhase != .submitted else {
            throw .invalidField(action: name, field: "case", reason: .programme(.draftAlreadyAwaiting(approver: owner)))
        }
        try Self.requireText(report.document, action: name, field: "document")
        for (code, value) in report.figures.sorted(by: { $0.key < $1.key }) where value < 0 {
            throw .invalidField(action: name, field: "figures.\(code)", reason: .programme(.negativeFigure(code, found: value)))
        }
        if let org, let actorID {
            guard let actor = org.official(actorID), actor.roles.contains(.head), org.isWithin(leadUnit, subtreeOf: actor.unit) else {
                throw .notPermitted(action: name, actor: actorID.rawValue, reason: .programme(.onlyHeadSends))
            }
        }
        try requireNewOwner(to, action: name, in: org)
        drafter = actorID
        taskPhase = .submitted
        moveOwner(to: to, at: action.at)
        status = .processing
    }
}

/// The requester's view of a report request: agencies × where each submission stands, with what came late and what is
/// still missing — what a central body's officer chases ("các cơ quan chưa gửi báo cáo"). Pure: built from each
/// submission task as the store holds it and its entries, so the page, the API and the command line count alike.
public struct ReportMatrix: Sendable, Equatable {
    /// Where one agency's submission stands, as the requester reads it.
    public enum Status: String, Sendable, CaseIterable, Hashable {
        /// Assigned, nobody has taken it up.
        case notStarted = "not_started"
        /// Being drafted in the agency (never sent, or sent and returned).
        case drafting
        /// The draft is with the agency's head for approval.
        case awaitingHead = "awaiting_head"
        /// Signed and sent; the requester has not yet accepted or returned it.
        case sent
        /// Accepted by the requester.
        case accepted
        /// Sent and returned by the requester, being redone.
        case returned
        case cancelled

        public var nameVi: String {
            switch self {
            case .notStarted: "Chưa triển khai"
            case .drafting: "Đang xây dựng"
            case .awaitingHead: "Chờ lãnh đạo duyệt"
            case .sent: "Đã gửi, chờ tiếp nhận"
            case .accepted: "Đã tiếp nhận"
            case .returned: "Bị trả lại, đang hoàn thiện"
            case .cancelled: "Hủy bỏ"
            }
        }

        public var nameEn: String {
            switch self {
            case .notStarted: "Not started"
            case .drafting: "Being drafted"
            case .awaitingHead: "Awaiting the head's approval"
            case .sent: "Sent, awaiting acceptance"
            case .accepted: "Accepted"
            case .returned: "Returned, being redone"
            case .cancelled: "Cancelled"
            }
        }
    }

    public struct Row: Sendable, Equatable {
        public var task: TaskSummary
        public var agency: UnitID
        public var status: Status
        /// When the report was first sent (Vietnam time, the day of the entry); nil while never sent.
        public var firstSent: CivilDate?
        /// How many times the requester returned it.
        public var returns: Int
        /// The figures of the last report sent, by code.
        public var figures: [String: Int]
        /// The number of the last report sent.
        public var document: String?
        /// First sent after its due date.
        public var late: Bool
        /// Past its due date and never sent.
        public var missing: Bool
    }

    public var asOf: CivilDate
    /// By agency id.
    public var rows: [Row]

    /// - Parameter submissions: each submission task with its entries (oldest first) and, per entry, its day.
    public init(submissions: [(task: TaskSummary, entries: [(action: ActionBody, day: CivilDate)])], asOf: CivilDate, organization: Organization) {
        self.asOf = asOf
        rows = submissions.map { task, entries in
            var firstSent: CivilDate?
            var returns = 0
            var sent = false
            var figures: [String: Int] = [:]
            var document: String?
            for (body, day) in entries {
                switch body {
                case .submitReport(_, let report):
                    if firstSent == nil { firstSent = day }
                    sent = true
                    figures = report.figures
                    document = report.document
                case .returnDraft where sent:
                    // A return of a sent report (a draft returned inside the agency before sending is not counted).
                    returns += 1
                    sent = false
                case .approveDraft:
                    sent = false
                default:
                    break
                }
            }
            let status: Status =
                switch task.phase {
                case .notStarted: .notStarted
                case .inProgress: returns > 0 ? .returned : .drafting
                case .awaitingApproval: returns > 0 ? .returned : .awaitingHead
                case .submitted: .sent
                case .done: .accepted
                case .cancelled: .cancelled
                }
            let late = firstSent.map { sentDay in task.dueDate.map { sentDay > $0 } ?? false } ?? false
            let missing = firstSent == nil && task.phase.isOverdue(due: task.dueDate, on: asOf)
            return Row(
                task: task, agency: organization.body(of: task.leadUnit), status: status, firstSent: firstSent, returns: returns,
                figures: figures, document: document, late: late, missing: missing)
        }.sorted { ($0.agency.rawValue, $0.task.id.rawValue) < ($1.agency.rawValue, $1.task.id.rawValue) }
    }

    public func count(_ status: Status) -> Int { rows.filter { $0.status == status }.count }
    /// Sent by the due date (first sending).
    public var onTime: Int { rows.filter { $0.firstSent != nil && !$0.late }.count }
    public var late: Int { rows.filter(\.late).count }
    public var missing: Int { rows.filter(\.missing).count }

    /// Each figure added up over the reports accepted, by code: what the requester's own report is built from.
    public var acceptedTotals: [String: Int] {
        var out: [String: Int] = [:]
        for row in rows where row.status == .accepted {
            for (code, value) in row.figures { out[code, default: 0] += value }
        }
        return out
    }

    /// "11 cơ quan được yêu cầu: 6 đã gửi đúng hạn, 3 gửi muộn, 2 chưa gửi (quá hạn)".
    public var summaryVi: String {
        "\(rows.filter { $0.status != .cancelled }.count) cơ quan được yêu cầu: \(onTime) gửi đúng hạn, \(late) gửi muộn, \(missing) chưa gửi (quá hạn); \(count(.accepted)) đã tiếp nhận"
    }

    public var summaryEn: String {
        "\(rows.filter { $0.status != .cancelled }.count) agencies asked: \(onTime) sent on time, \(late) sent late, \(missing) not sent (overdue); \(count(.accepted)) accepted"
    }
}
