import BuckStopAPI
import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopLedger
import BuckStopReport
import BuckStopStore
import Foundation
import OpenAPIRuntime

/// The API's answers as the types generated from `Resources/openapi.yaml` (`BuckStopAPI/Generated`): one shape per
/// schema, checked by the compiler, encoded by the runtime.
struct APIRepresentation {
    let state: ServerState
    var org: Organization { state.organization }

    /// A domain value with no counterpart in the document's enum: the document and the domain disagree, a bug of
    /// this server, answered as an internal error rather than half a document.
    struct Mismatch: Error, CustomStringConvertible {
        let value: String
        let schema: String
        var description: String { "the document's \(schema) has no value '\(value)'" }
    }

    static func generated<E: RawRepresentable>(_ raw: String, _ type: E.Type) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: raw) else { throw Mismatch(value: raw, schema: String(describing: type)) }
        return value
    }

    func caseSummary(_ c: CaseState) throws -> Components.Schemas.CaseSummary {
        Components.Schemas.CaseSummary(
            code: c.id.rawValue, kind: try Self.generated(c.kind.rawValue, Components.Schemas.CaseKind.self), procedure: c.procedure,
            title: c.title, leadUnit: c.leadUnit.rawValue, owner: c.owner?.rawValue, ownerName: c.owner.flatMap { org.official($0)?.name },
            status: try Self.generated(c.status.rawValue, Components.Schemas.CaseStatus.self), dueDate: c.dueDate?.description,
            openedAt: c.openedAt, updatedAt: c.updatedAt, ownerSince: c.ownerSince, workingDaysLeft: workingDaysLeft(c), rating: c.rating)
    }

    func caseDetail(_ c: CaseState, timeline: [Components.Schemas.Entry], findings: [Components.Schemas.Finding]) throws
        -> Components.Schemas.CaseDetail
    {
        Components.Schemas.CaseDetail(
            code: c.id.rawValue, kind: try Self.generated(c.kind.rawValue, Components.Schemas.CaseKind.self), procedure: c.procedure,
            title: c.title, leadUnit: c.leadUnit.rawValue, owner: c.owner?.rawValue, ownerName: c.owner.flatMap { org.official($0)?.name },
            status: try Self.generated(c.status.rawValue, Components.Schemas.CaseStatus.self), dueDate: c.dueDate?.description,
            openedAt: c.openedAt, updatedAt: c.updatedAt, ownerSince: c.ownerSince, workingDaysLeft: workingDaysLeft(c), rating: c.rating,
            timeline: timeline, findings: findings)
    }

    func workingDaysLeft(_ c: CaseState) -> Int? {
        c.status.isOpen ? c.dueDate.map { state.live.calendar.workingDays(from: CivilDate(Date()), to: $0) } : nil
    }

    func entry(_ r: LedgerRecord, layout: Layout) throws -> Components.Schemas.Entry {
        Components.Schemas.Entry(
            index: r.index, _type: try Self.generated(r.action.body.type.rawValue, Components.Schemas.Entry._typePayload.self),
            actor: r.action.actor.stored, at: r.action.at, summary: Timeline(layout: layout).summary(r.action.body), leafHash: r.leafHash.hex)
    }

    func finding(_ f: StoredFinding) throws -> Components.Schemas.Finding {
        let x = f.finding
        return Components.Schemas.Finding(
            id: x.id, detector: x.detector, detectorName: DetectorID(rawValue: x.detector)?.nameVi ?? x.detector, _case: x.caseID.rawValue,
            official: x.official?.rawValue, unit: x.unit?.rawValue, head: x.head?.rawValue,
            severity: try Self.generated(x.severity.rawValue, Components.Schemas.Severity.self), evidence: x.evidence, value: f.value,
            limit: f.limit, explanation: x.explanation, explanationEn: f.explanationEn,
            status: try Self.generated(x.status.rawValue, Components.Schemas.FindingStatus.self), response: x.response,
            reviewer: f.reviewer?.rawValue, reviewNote: f.reviewNote, cause: f.finding.cause, protectedBy: f.finding.protectedBy?.rawValue,
            consequences: try consequences(x.consequences), observedAt: f.observedAt, raisedAt: f.raisedAt,
            raisedIndex: f.raisedIndex)
    }

    /// What followed a finding: the kinds decided (never a discipline's form or number) and the remediation's state.
    func consequences(_ c: ConsequenceState, today: CivilDate = CivilDate(Date())) throws -> Components.Schemas.FindingConsequences {
        let r = c.remediation
        let status: String? = r.map { r in
            switch (r.doneOnTime, r.isLate(on: today)) {
            case (true?, _): "on-time"
            case (false?, _): "late"
            case (nil, true): "overdue"
            case (nil, false): "pending"
            }
        }
        return Components.Schemas.FindingConsequences(
            decided: try c.decided.map { try Self.generated($0.rawValue, Components.Schemas.ConsequenceKind.self) }, closed: c.isClosed,
            remediationOwner: r?.owner.rawValue, remediationDue: r?.due.description, remediationDoneAt: r?.doneAt, remediationStatus: status)
    }

    func checkpoint(_ s: SignedCheckpoint) -> Components.Schemas.Checkpoint {
        Components.Schemas.Checkpoint(
            origin: s.checkpoint.origin, size: Int64(s.checkpoint.size), rootHash: s.checkpoint.rootHash.hex,
            timestamp: Int64(s.checkpoint.timestamp),
            keyID: s.keyID, signature: Data(s.signature).base64EncodedString(),
            publicKey: state.store.publicKey.map { String(format: "%02x", $0) }.joined(), note: s.text)
    }

    func unit(_ u: BuckStopDomain.Unit) throws -> Components.Schemas.Unit {
        Components.Schemas.Unit(
            id: u.id.rawValue, name: u.name, nameEn: u.nameEn, kind: try Self.generated(u.kind.rawValue, Components.Schemas.Unit.kindPayload.self),
            parent: u.parent?.rawValue, code: u.code, head: u.head?.rawValue)
    }

    func official(_ o: Official) throws -> Components.Schemas.Official {
        Components.Schemas.Official(
            id: o.id.rawValue, name: o.name, unit: o.unit.rawValue, position: o.position,
            roles: try Role.allCases.filter(o.roles.contains).map {
                try Self.generated($0.rawValue, Components.Schemas.Official.rolesPayloadPayload.self)
            },
            active: o.active)
    }

    func serviceIndex(_ index: PeriodReport.ServiceIndex, scope: ReportScope) -> Components.Schemas.ServiceIndex {
        let groups = state.live.rulebook.serviceIndex
        func figures(_ f: PeriodReport.ServiceIndex.Figures, unit: String?) -> Components.Schemas.ServiceIndexFigures {
            Components.Schemas.ServiceIndexFigures(
                unit: unit, name: f.name, settled: f.settled, onTime: f.onTime, late: f.late, lateWithApology: f.lateWithApology,
                repeatedSupplements: f.repeatedSupplements, ratings: f.ratings, satisfied: f.satisfied,
                scores: f.groups(groups).filter { $0.group.measure != nil }.map {
                    Components.Schemas.ServiceIndexScore(code: $0.group.code, share: $0.share, base: $0.base, score: $0.score)
                })
        }
        return Components.Schemas.ServiceIndex(
            from: scope.from.description, to: scope.to.description, unit: scope.unit?.rawValue, name: index.total.name,
            groups: index.groups.map { g in
                Components.Schemas.ServiceIndexGroup(
                    code: g.group.code, nameVi: g.group.nameVi, nameEn: g.group.nameEn, points: g.group.points, measure: g.group.measure?.rawValue,
                    share: g.share, base: g.base, score: g.score, source: g.group.source, status: g.group.status)
            },
            total: figures(index.total, unit: nil), units: index.units.map { figures($0, unit: $0.key) })
    }

    func programmeSummary(_ p: CaseState, _ rollup: ProgrammeRollup) -> Components.Schemas.ProgrammeSummary {
        Components.Schemas.ProgrammeSummary(
            code: p.id.rawValue, title: p.title, leadUnit: p.leadUnit.rawValue, dueDate: p.dueDate?.description, summaryVi: rollup.summaryVi,
            summaryEn: rollup.summaryEn)
    }

    func rollupLine(_ line: ProgrammeRollup.Line, total: Bool) -> Components.Schemas.RollupLine {
        Components.Schemas.RollupLine(
            agency: total ? nil : line.agency.rawValue, agencyName: total ? nil : org.unit(line.agency)?.name ?? line.agency.rawValue,
            assigned: line.assigned, done: line.count(.done), submitted: line.count(.submitted), awaitingApproval: line.count(.awaitingApproval),
            inProgress: line.count(.inProgress),
            notStarted: line.count(.notStarted), cancelled: line.count(.cancelled), overdue: line.overdue)
    }

    /// A report request's matrix with its template, in the document's shape.
    func submissions(_ m: ReportMatrix, template: ReportTemplate) throws -> Components.Schemas.ReportSubmissions {
        Components.Schemas.ReportSubmissions(
            summaryVi: m.summaryVi, summaryEn: m.summaryEn, onTime: m.onTime, late: m.late, missing: m.missing, accepted: m.count(.accepted),
            rows: try m.rows.map { r in
                Components.Schemas.SubmissionRow(
                    code: r.task.id.rawValue, agency: r.agency.rawValue, agencyName: org.unit(r.agency)?.name ?? r.agency.rawValue,
                    status: try Self.generated(r.status.rawValue, Components.Schemas.SubmissionRow.statusPayload.self),
                    owner: r.task.owner?.rawValue, ownerName: r.task.owner.flatMap { org.official($0)?.name },
                    dueDate: r.task.dueDate?.description, firstSent: r.firstSent?.description, late: r.late, missing: r.missing,
                    returns: r.returns, document: r.document, figures: .init(additionalProperties: r.figures))
            },
            template: .init(
                sections: template.sections, figures: template.figures.map { .init(code: $0.code, label: $0.label) }),
            acceptedTotals: .init(additionalProperties: m.acceptedTotals))
    }

    func programmeRollup(_ view: ProgrammeView) throws -> Components.Schemas.ProgrammeRollup {
        let r = view.rollup
        return Components.Schemas.ProgrammeRollup(
            code: view.programme.id.rawValue, title: view.programme.title, asOf: r.asOf.description, summaryVi: r.summaryVi, summaryEn: r.summaryEn,
            lines: r.lines.map { rollupLine($0, total: false) }, total: rollupLine(r.total, total: true),
            overdue: view.overdue.map { o in
                Components.Schemas.OverdueTask(
                    code: o.task.id.rawValue, title: o.task.title, agency: o.agency.rawValue, owner: o.task.owner?.rawValue,
                    ownerName: o.task.owner.flatMap { org.official($0)?.name }, dueDate: o.task.dueDate?.description ?? "",
                    workingDaysLate: o.workingDaysLate)
            },
            plans: try view.plans.map { p in
                Components.Schemas.PlanRef(
                    code: p.state.id.rawValue, title: p.state.title,
                    level: try Self.generated(p.state.procedure ?? "", Components.Schemas.PlanRef.levelPayload.self))
            },
            submissions: try view.report.map { .ReportSubmissions(try submissions($0.matrix, template: $0.template)) } ?? .case2(nil),
            inspection: try view.inspection.map { .InspectionRollup(try inspection($0)) } ?? .case2(nil))
    }

    func inspection(_ r: InspectionRecord) throws -> Components.Schemas.InspectionRollup {
        let c = r.conclusion
        return Components.Schemas.InspectionRollup(
            form: try Self.generated(r.form.rawValue, Components.Schemas.InspectionRollup.formPayload.self),
            subjects: r.scope.subjects.map(\.rawValue),
            from: r.scope.from.description, to: r.scope.to.description, fields: r.scope.fields,
            violations: r.violations.map { index, v in
                Components.Schemas.InspectionViolation(
                    index: index, unit: v.unit.rawValue, field: v.field, text: v.text, cases: v.cases.map(\.rawValue))
            },
            concluded: c?.at, conclusionNumber: c?.conclusion.document.number, conclusionDate: c?.conclusion.document.date.description,
            conclusionSigner: c?.conclusion.document.signer, conclusionSummary: c?.conclusion.summary)
    }
}
