import BuckStopCalendar
import Foundation

/// Counting the good (seeds 000, 003: those who dare and do well are to be recognised, not only those who fail): what an
/// official did well on a case, read from its ledger, so that a page about a person is never only a list of faults.
/// What each deed means is fixed here; what it is worth is the rulebook's (`GoodWorkRule`, rule 2), so an agency sets its
/// own points scheme and cites it.
public enum GoodDeed: String, Sendable, Codable, CaseIterable, Hashable {
    /// Resolved before its due date (giải quyết trước hạn), by whoever resolved it.
    case resolvedEarly = "resolved-early"
    /// Resolved on the first pass: no supplement asked, no draft returned, no new appointment, never reopened.
    case firstPass = "first-pass"
    /// Decided by the official holding it, with no escalation before the decision: a decision taken at one's own level
    /// rather than pushed up (the opposite of `upward_push`).
    case ownDecision = "own-decision"
    /// A complaint settled where it was lodged: resolved, never escalated or reopened.
    case complaintSettled = "complaint-settled"

    public var nameVi: String {
        switch self {
        case .resolvedEarly: "Giải quyết trước hạn"
        case .firstPass: "Giải quyết ngay lần đầu, không yêu cầu bổ sung"
        case .ownDecision: "Tự quyết định trong thẩm quyền, không đẩy lên trên"
        case .complaintSettled: "Giải quyết khiếu nại dứt điểm tại cấp mình"
        }
    }

    public var nameEn: String {
        switch self {
        case .resolvedEarly: "Resolved before the due date"
        case .firstPass: "Resolved on the first pass, no supplements"
        case .ownDecision: "Decided at one's own level, not pushed up"
        case .complaintSettled: "Complaint settled where it was lodged"
        }
    }

    /// The good deeds on one case, by the official credited with each, from its entries in order. A case still open has
    /// earned nothing yet but its decisions; the registers (reception books, programmes, proposals) earn nothing here.
    public static func deeds(in records: [(index: Int64, action: Action)]) -> [(official: OfficialID, deed: GoodDeed)] {
        guard let first = records.first, case .open(let open) = first.action.body,
            [.dossier, .task, .complaint, .denunciation, .petition].contains(open.kind)
        else { return [] }
        var due = open.dueDate
        var escalated = false
        var setback = false
        var reopened = false
        var out: [(OfficialID, GoodDeed)] = []
        for (_, action) in records.dropFirst() {
            switch action.body {
            case .accept(_, let d?): due = d
            case .supplementReceived(_, let d?), .resume(_, let d?), .extend(let d, _): due = d
            case .reschedule(let d, _):
                due = d
                setback = true
            case .requestSupplement, .returnDraft: setback = true
            case .escalate: escalated = true
            case .reopen: reopened = true
            case .decide:
                if !escalated, let who = action.actor.officialID { out.append((who, .ownDecision)) }
            case .resolve:
                guard let who = action.actor.officialID else { break }
                let day = CivilDate(Date(timeIntervalSince1970: Double(action.at) / 1000))
                if let due, day < due { out.append((who, .resolvedEarly)) }
                if !setback && !reopened { out.append((who, .firstPass)) }
                if open.kind == .complaint && !escalated && !reopened { out.append((who, .complaintSettled)) }
            default:
                break
            }
        }
        return out
    }
}

/// What a good deed is worth in an agency's points scheme, with the rule that sets it (rulebook `goodWork:` rows).
public struct GoodWorkRule: Sendable, Codable, Hashable {
    public var deed: GoodDeed
    public var points: Int
    public var source: String
    public var status: String

    public init(deed: GoodDeed, points: Int, source: String, status: String) {
        self.deed = deed
        self.points = points
        self.source = source
        self.status = status
    }
}

/// Good deeds counted per official (and so per unit), with their points under a scheme.
public struct GoodWorkTally: Sendable, Hashable {
    public private(set) var byOfficial: [OfficialID: [GoodDeed: Int]] = [:]

    public init() {}

    public mutating func add(_ deeds: [(official: OfficialID, deed: GoodDeed)]) {
        for (official, deed) in deeds { byOfficial[official, default: [:]][deed, default: 0] += 1 }
    }

    /// One official's deeds, or those of several (a unit's officials) added up.
    public func deeds(of officials: some Sequence<OfficialID>) -> [GoodDeed: Int] {
        var out: [GoodDeed: Int] = [:]
        for o in officials { for (deed, n) in byOfficial[o] ?? [:] { out[deed, default: 0] += n } }
        return out
    }

    public static func points(_ deeds: [GoodDeed: Int], rules: [GoodWorkRule]) -> Int {
        rules.reduce(0) { $0 + (deeds[$1.deed] ?? 0) * $1.points }
    }
}
