import BuckStopCalendar
import Foundation

/// What follows an upheld finding (xử lý sau kết luận): the kinds the law names, in the order they usually come. Each
/// decision is an entry on the finding's case with its legal basis and the official who decided it.
public enum ConsequenceKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Kiểm điểm trách nhiệm: the official (and the unit) account for it before their collective.
    case accountabilityReview = "review"
    /// Biện pháp khắc phục: a named official must put it right by a date; late remediation is itself a finding.
    case remediation
    /// Kỷ luật: one of the forms the law names, with the decision's number. Restricted: see `ConsequenceDecision`.
    case discipline
    /// Chuyển cơ quan điều tra: signs of a crime go to the investigators.
    case referral
    /// Kết thúc xử lý: nothing more follows; closes the finding's consequences.
    case closure

    public var nameVi: String {
        switch self {
        case .accountabilityReview: "Kiểm điểm trách nhiệm"
        case .remediation: "Khắc phục"
        case .discipline: "Kỷ luật"
        case .referral: "Chuyển cơ quan điều tra"
        case .closure: "Kết thúc xử lý"
        }
    }

    public var nameEn: String {
        switch self {
        case .accountabilityReview: "Accountability review"
        case .remediation: "Remediation"
        case .discipline: "Discipline"
        case .referral: "Referral to investigators"
        case .closure: "Closure"
        }
    }
}

/// A measure the rulebook lists for a kind (the disciplinary forms the law names, the review, the referral…), with its
/// source: the decision names it by code and the writer copies its kind and source onto the entry, so the entry keeps
/// the basis cited that day whatever the rulebook says later.
public struct ConsequenceMeasure: Sendable, Codable, Hashable, Identifiable {
    public var code: String
    public var kind: ConsequenceKind
    public var nameVi: String
    public var nameEn: String
    public var source: String
    public var status: String

    public var id: String { code }

    public init(code: String, kind: ConsequenceKind, nameVi: String, nameEn: String, source: String, status: String) {
        self.code = code
        self.kind = kind
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.source = source
        self.status = status
    }
}

/// A consequence decided on an upheld finding. Discipline data (the form and the decision number) is shown only to the
/// official it concerns, heads above the unit and inspectors; citizens never see any of it.
public struct ConsequenceDecision: Sendable, Hashable {
    public var finding: String
    /// The rulebook measure's code.
    public var measure: String
    /// Filled in by the writer from the rulebook (`resolved(by:)`): the measure's kind and source.
    public var kind: ConsequenceKind
    public var legalBasis: String
    public var text: String
    /// Số quyết định kỷ luật: required for discipline.
    public var decisionNumber: String?
    /// Required for remediation: who puts it right, and by when.
    public var remediationOwner: OfficialID?
    public var remediationDue: CivilDate?

    public init(
        finding: String, measure: String, kind: ConsequenceKind, legalBasis: String, text: String, decisionNumber: String? = nil,
        remediationOwner: OfficialID? = nil, remediationDue: CivilDate? = nil
    ) {
        self.finding = finding
        self.measure = measure
        self.kind = kind
        self.legalBasis = legalBasis
        self.text = text
        self.decisionNumber = decisionNumber
        self.remediationOwner = remediationOwner
        self.remediationDue = remediationDue
    }

    /// The decision with the measure's kind and source from the rulebook; a measure it does not know is refused.
    public func resolved(by measures: [ConsequenceMeasure], action: String) throws(DomainError) -> ConsequenceDecision {
        guard let row = measures.first(where: { $0.code == measure }) else {
            throw .invalidField(action: action, field: "measure", reason: .unknownMeasure(measure, known: measures.map(\.code)))
        }
        var out = self
        out.kind = row.kind
        out.legalBasis = row.source
        return out
    }
}

/// Where a finding's consequences stand: the kinds decided so far, and the remediation, if one was ordered.
public struct ConsequenceState: Sendable, Codable, Hashable {
    public var decided: [ConsequenceKind]
    public var remediation: Remediation?

    public init(decided: [ConsequenceKind] = [], remediation: Remediation? = nil) {
        self.decided = decided
        self.remediation = remediation
    }

    public var isClosed: Bool { decided.contains(.closure) }
}

/// A remediation ordered on a finding: its owner, its due date and when it was reported done.
public struct Remediation: Sendable, Codable, Hashable {
    public var owner: OfficialID
    public var due: CivilDate
    public var doneAt: Int64?

    public init(owner: OfficialID, due: CivilDate, doneAt: Int64? = nil) {
        self.owner = owner
        self.due = due
        self.doneAt = doneAt
    }

    /// Done by its due date (Vietnam's calendar day); nil while not done.
    public var doneOnTime: Bool? { doneAt.map { CivilDate(Date(timeIntervalSince1970: Double($0) / 1000)) <= due } }

    /// Not done and its due date has passed by `day`.
    public func isLate(on day: CivilDate) -> Bool { doneAt == nil && day > due }
}

extension ConsequenceDecision {
    /// A decision as a form or the API asks for it: the kind is the rulebook measure's (the writer checks the measure and
    /// writes its legal basis), and only the fields of that kind are kept — a decision number for a discipline, owner and
    /// due date for a remediation — so both ways of asking make the same entry.
    public static func requested(
        finding: String, measure: String, text: String, decisionNumber: String?, remediationOwner: OfficialID?, remediationDue: CivilDate?,
        measures: [ConsequenceMeasure]
    ) -> ConsequenceDecision {
        let kind = measures.first { $0.code == measure }?.kind
        return ConsequenceDecision(
            finding: finding, measure: measure, kind: kind ?? .closure, legalBasis: "", text: text,
            decisionNumber: kind == .discipline ? decisionNumber : nil, remediationOwner: kind == .remediation ? remediationOwner : nil,
            remediationDue: kind == .remediation ? remediationDue : nil)
    }
}

/// A remediation ordered on one of a case's findings, as the case's entries tell it: what the survey's
/// `late_remediation` judges, with the entries that are its evidence.
public struct RemediationTrack: Sendable, Hashable {
    public var finding: String
    public var owner: OfficialID
    public var due: CivilDate
    /// The ledger index of the decision that ordered it, and of its completion when reported.
    public var ordered: Int64
    public var completed: Int64?
    public var completedAt: Int64?

    /// Calendar days past the due date: to its completion, or to `day` while it is not done; nil when not late.
    public func daysLate(asOf day: CivilDate) -> Int? {
        let end = completedAt.map { CivilDate(Date(timeIntervalSince1970: Double($0) / 1000)) } ?? day
        let late = end - due
        return late > 0 ? late : nil
    }

    /// Every remediation ordered on the case's findings, in order; a completion belongs to its finding's latest.
    public static func all(in records: [(index: Int64, action: Action)]) -> [RemediationTrack] {
        var out: [RemediationTrack] = []
        for (index, action) in records {
            switch action.body {
            case .decideConsequence(let d) where d.kind == .remediation:
                guard let owner = d.remediationOwner, let due = d.remediationDue else { continue }
                out.append(RemediationTrack(finding: d.finding, owner: owner, due: due, ordered: index))
            case .completeRemediation(let finding, _):
                guard let last = out.lastIndex(where: { $0.finding == finding && $0.completed == nil }) else { continue }
                out[last].completed = index
                out[last].completedAt = action.at
            default:
                continue
            }
        }
        return out
    }
}
