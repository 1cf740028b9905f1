import BuckStopCalendar
import BuckStopDomain
import BuckStopStore

/// A period report over a BuckStop ledger (SQLite or PostgreSQL): the findings are read first, so that one pass over
/// every case's entries (`forEachCase`, in ledger order per case) can note the step each finding's first evidence is
/// and hand each case with its findings to the pure `PeriodReport.Builder`, which counts as the scan goes.
public enum LedgerReport {
    public static func make(store: any LedgerStore, rulebook: Rulebook, scope: ReportScope, today: CivilDate) async throws -> PeriodReport {
        let org = try store.organization()
        if let unit = scope.unit, org.unit(unit) == nil { throw ReportError.unknownUnit(unit.rawValue) }
        let stored = try await store.findings(FindingQuery(limit: Int.max)).findings
        var wanted: [CaseID: Set<Int64>] = [:]
        for s in stored { if let first = s.finding.evidence.first { wanted[s.finding.caseID, default: []].insert(first) } }
        let steps = wanted
        var byCase: [CaseID: [(finding: Finding, observedAt: Int64)]] = [:]
        for s in stored { byCase[s.finding.caseID, default: []].append((s.finding, s.observedAt)) }
        var names: [String: String] = [:]
        for p in rulebook.procedures { names[p.code] = p.nameVi }
        var builder = PeriodReport.Builder(
            scope: scope, organization: org, procedureNames: names, causes: rulebook.findingCauses, generatedOn: today,
            serviceIndex: rulebook.serviceIndex)
        // Digests are built where the entries are decoded (both cores on SQLite), and counted in case order as they come:
        // no list of the ledger's cases is kept.
        try await store.forEachCase(
            transform: { id, actions in CaseDigest(actions, steps: steps[id] ?? [], organization: org) },
            { digest in if let digest { builder.add(digest, findings: byCase[digest.code] ?? []) } })
        return builder.report
    }

    /// The digests of every dossier on the ledger, in case order: what the QĐ 766 index is computed from, for any period
    /// and unit (the pages and the API keep them per ledger size).
    public static func dossierDigests(store: any LedgerStore) async throws -> [CaseDigest] {
        let org = try store.organization()
        var digests: [CaseDigest] = []
        try await store.forEachCase(
            transform: { _, actions in
                let digest = CaseDigest(actions, steps: [], organization: org)
                return digest?.kind == .dossier ? digest : nil
            },
            { digest in if let digest { digests.append(digest) } })
        return digests
    }
}

/// Why a report could not be made, naming what was asked.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case unknownUnit(String)
    case periodReversed(from: String, to: String)
    case pdfConverterMissing(tried: [String])
    case pdfConversionFailed(String)
    /// The mapping's owners and unit parents do not make an organisation (a unit its own ancestor, say).
    case mappingOrganization(String)

    public var description: String {
        switch self {
        case .unknownUnit(let u): "--unit: expected a unit of the organisation; found '\(u)'"
        case .periodReversed(let from, let to): "--from must not be after --to; found from \(from), to \(to)"
        case .pdfConverterMissing(let tried):
            "a PDF needs headless Chromium or LibreOffice; none of \(tried.joined(separator: ", ")) was found on PATH"
        case .pdfConversionFailed(let why): "the PDF could not be printed: \(why)"
        case .mappingOrganization(let why): "mapping file: owners and unit_parents do not make an organisation: \(why)"
        }
    }
}
