import BuckStopCalendar
import BuckStopDomain

/// Turns the rows of a programme annex into the openings of its tasks under a programme or plan: each body named by
/// the annex (lead, collaborators) found in the organisation by its name, code or id (case, spaces and diacritics
/// ignored: "SỞ TÀI CHÍNH" is "Sở Tài chính"), the responsible person among the lead body's officials, or else the
/// body's accountable head. Every name that matches nothing is an `AnnexError` placed at its cell, collected like the
/// parser's, so nothing is written until the whole file is right.
public enum ProgrammeAnnexImport {
    public static func openings(
        _ rows: [ProgrammeAnnexRow], parent: CaseID, document: IssuingDocument?, organization org: Organization, maximumErrors: Int = 50
    ) throws(AnnexErrors) -> [(row: Int, open: OpenCase)] {
        var errors: [AnnexError] = []
        var truncated = false
        func report(_ row: ProgrammeAnnexRow, _ field: AnnexField, _ problem: AnnexError.Problem) {
            let place = row.places[field]
            let error = AnnexError(row: row.row, column: place?.column, header: place?.header, problem: problem)
            if errors.count < max(1, maximumErrors) { errors.append(error) } else { truncated = true }
        }
        var bodies: [String: UnitID] = [:]
        for unit in org.units.values {
            for key in [unit.name, unit.code, unit.id.rawValue] { bodies[SearchText.fold(key)] = unit.id }
        }
        func body(_ name: String) -> UnitID? { bodies[SearchText.fold(name)] }

        var out: [(Int, OpenCase)] = []
        for row in rows {
            guard let lead = body(row.lead) else {
                report(row, .lead, .unknownBody(found: row.lead))
                continue
            }
            var collaborators: [UnitID] = []
            for name in row.collaborators {
                if let unit = body(name) {
                    if unit != lead, !collaborators.contains(unit) { collaborators.append(unit) }
                } else {
                    report(row, .collaborators, .unknownBody(found: name))
                }
            }
            let leadName = org.unit(lead)?.name ?? lead.rawValue
            var owner: OfficialID?
            if let person = row.responsiblePerson {
                let key = SearchText.fold(person)
                owner =
                    org.officials.values.first {
                        $0.active && org.isWithin($0.unit, subtreeOf: lead)
                            && (SearchText.fold($0.name) == key || SearchText.fold($0.id.rawValue) == key)
                    }?.id
                if owner == nil {
                    report(row, .responsible, .unknownOfficial(found: person, body: leadName))
                    continue
                }
            } else {
                owner = org.accountableHead(of: lead)
            }
            guard let owner else {
                report(row, .lead, .unknownOfficial(found: "—", body: leadName))
                continue
            }
            out.append(
                (
                    row.row,
                    OpenCase(
                        kind: .task, title: row.title, leadUnit: lead, collaborators: collaborators, owner: owner, dueDate: row.due, parent: parent,
                        product: row.product, document: document)
                ))
        }
        guard errors.isEmpty else { throw AnnexErrors(errors: errors, truncated: truncated) }
        return out
    }
}
