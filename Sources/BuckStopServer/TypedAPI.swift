import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
import BuckStopReport
import BuckStopStore
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// The JSON operations of `/api/v1`, as the `APIProtocol` generated from `Resources/openapi.yaml`: the generated
/// layer (`Generated/Server.swift`) decodes each request into its typed input and encodes the typed output; these
/// methods only do the work. They are routes of the same Hummingbird router as the pages, so the request id, auth,
/// rate limit and `ErrorMiddleware` apply as to every route; a refusal is thrown, never answered here.
struct TypedAPI: APIProtocol {
    let state: ServerState
    var rep: APIRepresentation { APIRepresentation(state: state) }
    var routes: APIRoutes { APIRoutes(state: state) }

    /// The Hummingbird request context of the request being handled: the generated handlers take only their typed
    /// input, so `TypedAPIContextMiddleware` sets it for the handler's task.
    @TaskLocal static var context: AppRequestContext?

    /// The scope each operation needs (a missing entry: public). Checked by `TypedAPIGate` before the request is
    /// decoded, so that a stranger gets 401 whatever the body says. Mirrors each operation's security requirement
    /// in the document; AccessMatrixTests hold both to the same answers.
    static let scopes: [String: String] = [
        Operations.listCases.id: "cases:read", Operations.openCase.id: "actions:write", Operations.getCase.id: "cases:read",
        Operations.appendAction.id: "actions:write", Operations.getCaseProof.id: "cases:read", Operations.listFindings.id: "findings:read",
        Operations.getFinding.id: "findings:read", Operations.explainFinding.id: "findings:write", Operations.reviewFinding.id: "findings:write",
        Operations.getLedgerEntry.id: "ledger:read", Operations.listUnits.id: "org:read", Operations.listOfficials.id: "org:read",
        Operations.listProgrammes.id: "cases:read", Operations.getProgrammeRollup.id: "cases:read",
        Operations.getServiceIndex.id: "cases:read",
        Operations.decideConsequence.id: "findings:write", Operations.completeRemediation.id: "findings:write",
    ]

    /// Registers the generated operations on `router` (full paths, `/api/v1/...`), behind the two small middlewares
    /// that give them the request context and the access check.
    static func register(state: ServerState, on router: Router<AppRequestContext>) throws {
        let group = router.group().add(middleware: TypedAPIContextMiddleware())
        // Compact JSON with sorted keys, as the API answered before the typed layer.
        let configuration = Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
        try TypedAPI(state: state).registerHandlers(on: APITransport(routes: group), configuration: configuration, middlewares: [TypedAPIGate()])
    }

    static func currentContext() throws -> AppRequestContext {
        guard let context else { throw MissingContext() }
        return context
    }

    /// A generated handler called outside `TypedAPIContextMiddleware`: a wiring bug, answered as an internal error.
    struct MissingContext: Error, CustomStringConvertible {
        var description: String { "TypedAPI: no request context (TypedAPIContextMiddleware is not in front of the handler)" }
    }

    // MARK: - Cases

    func listCases(_ input: Operations.listCases.Input) async throws -> Operations.listCases.Output {
        let q = input.query
        let status = try q.status.map { s throws(RequestRefusal) in try Self.domain(s.rawValue, CaseStatus.self, name: "status") }
        let (cases, total) = try await state.store.listCases(
            status: status, unit: q.unit.map(UnitID.init(rawValue:)), owner: q.owner.map(OfficialID.init(rawValue:)),
            // A `+` in the query is a space, as a form sends it.
            search: q.q?.replacingOccurrences(of: "+", with: " "), limit: try Self.limit(q.limit))
        return .ok(.init(body: .json(.init(cases: try cases.map(rep.caseSummary), total: Int64(total)))))
    }

    func openCase(_ input: Operations.openCase.Input) async throws -> Operations.openCase.Output {
        guard case .json(let json) = input.body else { throw MissingContext() }
        let body = try OpenCaseRequest(json)
        let context = try Self.currentContext()
        let (actor, via, timeGiven) = try routes.acting(context, named: body.actor, at: body.at)
        let at = body.at ?? LiveLedger.nowMillis()
        var due: (CivilDate, String?)? = state.live.dueDate(
            kind: body.kind, procedure: body.procedure, at: Date(timeIntervalSince1970: Double(at) / 1000)
        )
        .map { ($0.date, $0.rule.id) }
        if let given = body.dueDate { due = (given, due?.1) }
        let open = OpenCase(
            kind: body.kind, procedure: body.procedure, title: body.title, leadUnit: body.leadUnit, collaborators: body.collaborators,
            owner: body.owner,
            dueDate: due?.0, ruleID: due?.1, documents: body.documents, concerning: body.concerning, parent: body.parent, product: body.product,
            document: body.document, template: body.template, inspection: body.inspection)
        let personal = body.applicant.map {
            PersonalData(fullName: $0.fullName, idNumber: $0.idNumber, address: $0.address, phone: $0.phone, email: $0.email)
        }
        let outcome = try await state.live.open(open, actor: .official(actor), at: at, timeGiven: timeGiven, personalData: personal, via: via)
        return .created(
            .init(
                body: .json(
                    .init(
                        _case: try rep.caseSummary(outcome.receipt.state), index: outcome.receipt.index, leafHash: outcome.receipt.leafHash.hex,
                        pin: outcome.pin ?? "", findings: try outcome.findings.map(rep.finding)))))
    }

    func getCase(_ input: Operations.getCase.Input) async throws -> Operations.getCase.Output {
        let code = CaseID(input.path.code)
        guard let c = try await state.store.caseState(code) else { throw routes.notFound(case: code) }
        let layout = Layout(state: state, context: try Self.currentContext(), path: "/api/v1/cases/\(code.rawValue)")
        let timeline = try await state.store.history(of: code).map { try rep.entry($0, layout: layout) }
        let findings = try await state.store.findings(FindingQuery(caseID: code, limit: 500)).findings.map(rep.finding)
        return .ok(.init(body: .json(try rep.caseDetail(c, timeline: timeline, findings: findings))))
    }

    func appendAction(_ input: Operations.appendAction.Input) async throws -> Operations.appendAction.Output {
        guard case .json(let json) = input.body else { throw MissingContext() }
        let code = CaseID(input.path.code)
        let body = try ActionRequest(json)
        let (actor, via, timeGiven) = try routes.acting(try Self.currentContext(), named: body.actor, at: body.at)
        let action = Action(caseID: code, actor: .official(actor), at: body.at ?? LiveLedger.nowMillis(), body: try body.input.body(), via: via)
        let outcome = try await state.live.append(action, serverTime: !timeGiven, resumeOn: EventLoopWake.current())
        return .created(
            .init(
                body: .json(
                    .init(
                        index: outcome.receipt.index, leafHash: outcome.receipt.leafHash.hex, _case: try rep.caseSummary(outcome.receipt.state),
                        findings: try outcome.findings.map(rep.finding)))))
    }

    func getCaseProof(_ input: Operations.getCaseProof.Input) async throws -> Operations.getCaseProof.Output {
        let code = CaseID(input.path.code)
        guard let p = try await CaseProof.make(code, store: state.store, witnesses: state.witnesses) else { throw routes.notFound(case: code) }
        let proof = Components.Schemas.CaseProof(
            checkpoint: p.checkpoint.map { .Checkpoint(rep.checkpoint($0)) } ?? .case2(nil), witnessed: p.allVerified,
            cosignatures: p.witnesses.map { .init(witness: $0.name, line: $0.line, valid: $0.valid) },
            entries: p.entries.map {
                .init(index: $0.index, leafHash: $0.leafHash.hex, path: $0.path.map(\.hex), verified: $0.verified, pending: $0.pending)
            })
        return .ok(.init(body: .json(proof)))
    }

    // MARK: - Programmes

    func listProgrammes(_ input: Operations.listProgrammes.Input) async throws -> Operations.listProgrammes.Output {
        let today = CivilDate(Date())
        var list: [Components.Schemas.ProgrammeSummary] = []
        for p in try await state.store.programmes(limit: try Self.limit(input.query.limit)) {
            let rollup = try await state.store.rollup(root: p.id, asOf: today, organization: state.organization, overdueLimit: 0)
            list.append(rep.programmeSummary(p, rollup))
        }
        return .ok(.init(body: .json(.init(programmes: list))))
    }

    func getProgrammeRollup(_ input: Operations.getProgrammeRollup.Input) async throws -> Operations.getProgrammeRollup.Output {
        var day = CivilDate(Date())
        if let given = input.query.asOf {
            do { day = try CivilDate(iso: given) } catch {
                throw RequestRefusal.invalid(
                    Bilingual("asOf: cần ngày dạng YYYY-MM-DD, nhận '\(given)'", "asOf: expected a date YYYY-MM-DD, found '\(given)'"), field: "asOf")
            }
        }
        let view = try await ProgrammeView.load(CaseID(input.path.code), asOf: day, state: state, tasks: 0, plansCounted: false)
        return .ok(.init(body: .json(try rep.programmeRollup(view))))
    }

    // MARK: - Reports

    func getServiceIndex(_ input: Operations.getServiceIndex.Input) async throws -> Operations.getServiceIndex.Output {
        let q = input.query
        let (from, to) = try PeriodQuery.parse(from: q.from, to: q.to, today: CivilDate(Date()), api: true)
        let unit = q.unit.map { UnitID($0) }
        if let unit, state.organization.unit(unit) == nil {
            throw RequestRefusal.notFound(Bilingual("Không có đơn vị '\(unit.rawValue)'", "no unit '\(unit.rawValue)'"), field: "unit")
        }
        let scope = ReportScope(from: from, to: to, unit: unit)
        let index = try await ServiceIndexSource(state: state).index(scope)
        return .ok(.init(body: .json(rep.serviceIndex(index, scope: scope))))
    }

    // MARK: - Findings

    func listFindings(_ input: Operations.listFindings.Input) async throws -> Operations.listFindings.Output {
        let q = input.query
        let status = try q.status.map { s throws(RequestRefusal) in try Self.domain(s.rawValue, FindingStatus.self, name: "status") }
        let query = FindingQuery(
            caseID: q._case.map(CaseID.init(rawValue:)), official: q.official.map(OfficialID.init(rawValue:)), units: q.unit.map { [UnitID($0)] },
            statuses: status.map { [$0] }, detector: q.detector, limit: try Self.limit(q.limit))
        let result = try await state.store.findings(query)
        return .ok(.init(body: .json(.init(findings: try result.findings.map(rep.finding), total: Int64(result.total)))))
    }

    func getFinding(_ input: Operations.getFinding.Input) async throws -> Operations.getFinding.Output {
        guard let f = try await state.store.finding(id: input.path.id) else { throw routes.notFoundFinding() }
        return .ok(.init(body: .json(try rep.finding(f))))
    }

    func explainFinding(_ input: Operations.explainFinding.Input) async throws -> Operations.explainFinding.Output {
        guard case .json(let json) = input.body else { throw MissingContext() }
        let body = try ExplanationRequest(json)
        let updated = try await findingStep(id: input.path.id, action: .explainFinding(id: input.path.id, text: body.text), named: body.actor)
        return .ok(.init(body: .json(updated)))
    }

    func reviewFinding(_ input: Operations.reviewFinding.Input) async throws -> Operations.reviewFinding.Output {
        guard case .json(let json) = input.body else { throw MissingContext() }
        let body = try ReviewRequest(json)
        let updated = try await findingStep(
            id: input.path.id,
            action: .reviewFinding(id: input.path.id, uphold: body.uphold, note: body.note, cause: body.cause, protection: body.protection),
            named: body.actor)
        return .ok(.init(body: .json(updated)))
    }

    func decideConsequence(_ input: Operations.decideConsequence.Input) async throws -> Operations.decideConsequence.Output {
        guard case .json(let json) = input.body else { throw MissingContext() }
        let body = try ConsequenceRequest(json)
        let decision = body.decision(finding: input.path.id, measures: state.live.rulebook.consequenceMeasures)
        return .ok(.init(body: .json(try await findingStep(id: input.path.id, action: .decideConsequence(decision), named: body.actor))))
    }

    func completeRemediation(_ input: Operations.completeRemediation.Input) async throws -> Operations.completeRemediation.Output {
        guard case .json(let json) = input.body else { throw MissingContext() }
        let body = try RemediationRequest(json)
        let updated = try await findingStep(
            id: input.path.id, action: .completeRemediation(finding: input.path.id, text: body.text), named: body.actor)
        return .ok(.init(body: .json(updated)))
    }

    func findingStep(id: String, action: ActionBody, named: OfficialID?) async throws -> Components.Schemas.Finding {
        guard let f = try await state.store.finding(id: id) else { throw routes.notFoundFinding() }
        let (actor, via, _) = try routes.acting(try Self.currentContext(), named: named, at: nil)
        let result = try await state.live.appendWorkflow(
            Action(caseID: f.finding.caseID, actor: .official(actor), at: LiveLedger.nowMillis(), body: action, via: via))
        guard let updated = result.finding else { throw routes.notFoundFinding() }
        return try rep.finding(updated)
    }

    // MARK: - Ledger

    func getCheckpoint(_ input: Operations.getCheckpoint.Input) async throws -> Operations.getCheckpoint.Output {
        guard let latest = try await state.store.latestCheckpoint() else {
            throw RequestRefusal.notFound(Bilingual("Chưa có điểm kiểm (checkpoint) nào được ký", "no checkpoint has been signed yet"))
        }
        return .ok(.init(body: .json(rep.checkpoint(latest))))
    }

    func getInclusionProof(_ input: Operations.getInclusionProof.Input) async throws -> Operations.getInclusionProof.Output {
        let (index, treeSize) = (input.query.index, input.query.size)
        let size = try await state.store.ledgerSize()
        guard index >= 0, treeSize >= 1 else {
            throw RequestRefusal.invalid(
                Bilingual("Cần index và size (0 ≤ index < size ≤ \(size))", "index and size are required (0 ≤ index < size ≤ \(size))"),
                field: index >= 0 ? "size" : "index")
        }
        // Well-formed but not (yet) answerable: a tree larger than the ledger is not found, an index outside it is refused.
        guard treeSize <= size else { throw routes.notFound(treeOf: Int(treeSize), ledger: Int(size)) }
        guard index < treeSize else {
            throw RequestRefusal.rejected(
                Bilingual("index: cần nhỏ hơn size \(treeSize), nhận \(index)", "index: expected below size \(treeSize), found \(index)"),
                field: "index")
        }
        guard let entry = try await state.store.entry(at: index) else { throw routes.notFound(entry: index) }
        let path = try await state.store.inclusionProof(leafIndex: Int(index), treeSize: Int(treeSize))
        return .ok(.init(body: .json(.init(index: index, size: treeSize, leafHash: entry.record.leafHash.hex, path: path.map(\.hex)))))
    }

    func getConsistencyProof(_ input: Operations.getConsistencyProof.Input) async throws -> Operations.getConsistencyProof.Output {
        let (from, to) = (input.query.from, input.query.to)
        let size = try await state.store.ledgerSize()
        guard from >= 1, to >= 1 else {
            throw RequestRefusal.invalid(
                Bilingual("Cần from và to (1 ≤ from ≤ to ≤ \(size))", "from and to are required (1 ≤ from ≤ to ≤ \(size))"),
                field: from >= 1 ? "to" : "from")
        }
        guard to <= size else { throw routes.notFound(treeOf: Int(to), ledger: Int(size)) }
        guard from <= to else {
            throw RequestRefusal.rejected(
                Bilingual("from: cần không lớn hơn to (\(to)), nhận \(from)", "from: expected at most to (\(to)), found \(from)"), field: "from")
        }
        let path = try await state.store.consistencyProof(from: Int(from), to: Int(to))
        return .ok(.init(body: .json(.init(from: from, to: to, path: path.map(\.hex)))))
    }

    func getLedgerEntry(_ input: Operations.getLedgerEntry.Input) async throws -> Operations.getLedgerEntry.Output {
        let index = input.path.index
        guard index >= 0 else {
            throw RequestRefusal.invalid(Bilingual("index: cần một số nguyên không âm", "index: a non-negative integer"), field: "index")
        }
        guard let entry = try await state.store.entry(at: index) else { throw routes.notFound(entry: index) }
        // The document's `entry` is the canonical JSON object as hashed, any members: read into the generated
        // free-form object. Stored bytes that are not a JSON object are a fault of the store (an internal error).
        let object = try JSONDecoder().decode(Components.Schemas.LedgerEntry.entryPayload.self, from: Data(entry.body))
        return .ok(.init(body: .json(.init(index: index, leafHash: entry.record.leafHash.hex, entry: object))))
    }

    // MARK: - Organisation

    func listUnits(_ input: Operations.listUnits.Input) async throws -> Operations.listUnits.Output {
        .ok(.init(body: .json(.init(units: try state.organization.units.values.sorted { $0.id < $1.id }.map(rep.unit)))))
    }

    func listOfficials(_ input: Operations.listOfficials.Input) async throws -> Operations.listOfficials.Output {
        .ok(.init(body: .json(.init(officials: try state.organization.officials.values.sorted { $0.id < $1.id }.map(rep.official)))))
    }

    // MARK: - Refusals of the generated layer

    /// A typed parameter of an operation: the runtime's decoder reports a bad or missing one without its name (an
    /// empty coding path), so the refusal finds it here, by the same rule the generated type decodes with.
    struct Parameter: Sendable {
        var name: String
        var required: Bool
        var expected: Bilingual
        var accepts: @Sendable (String) -> Bool
    }

    static func integer(_ name: String, required: Bool = false) -> Parameter {
        Parameter(name: name, required: required, expected: Bilingual("một số nguyên", "an integer")) { Int64($0) != nil }
    }

    static func oneOf<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) -> Parameter where E.RawValue == String {
        let values = E.allCases.map(\.rawValue).joined(separator: ", ")
        return Parameter(name: name, required: false, expected: Bilingual("một trong \(values)", "one of \(values)")) { E(rawValue: $0) != nil }
    }

    /// The query parameters of each operation that can fail to decode (strings cannot).
    static let queryParameters: [String: [Parameter]] = [
        Operations.listCases.id: [oneOf("status", Components.Schemas.CaseStatus.self), integer("limit")],
        Operations.listFindings.id: [oneOf("status", Components.Schemas.FindingStatus.self), integer("limit")],
        Operations.getInclusionProof.id: [integer("index", required: true), integer("size", required: true)],
        Operations.getConsistencyProof.id: [integer("from", required: true), integer("to", required: true)],
    ]

    /// The parameter at fault in `request`, with what it should have been.
    static func faultyParameter(_ operationID: String, _ request: HTTPRequest, pathParameters: [String: Substring]) -> RequestRefusal? {
        let query = URLComponents(string: request.path ?? "")?.queryItems ?? []
        for p in queryParameters[operationID] ?? [] {
            guard let given = query.first(where: { $0.name == p.name })?.value else {
                if p.required { return .invalid(Bilingual("\(p.name): tham số bắt buộc", "\(p.name): a required parameter"), field: p.name) }
                continue
            }
            if !p.accepts(given) {
                return .invalid(
                    Bilingual("\(p.name): cần \(p.expected.vi), nhận '\(given)'", "\(p.name): expected \(p.expected.en), found '\(given)'"),
                    field: p.name)
            }
        }
        if operationID == Operations.getLedgerEntry.id, let given = pathParameters["index"], Int64(given) == nil {
            return .invalid(Bilingual("index: cần một số nguyên không âm", "index: a non-negative integer"), field: "index")
        }
        return nil
    }

    /// What the generated layer refused before a handler ran, as this server's refusal: a parameter that does not
    /// decode is a 400 naming it; a body that does not is a 400 naming its position (`APIRequestError`); a body that
    /// is not JSON by its `Content-Type` is a 400 too (the document answers a malformed request 400; 415 is not among
    /// its answers). Read from the error's status, its underlying `DecodingError` and the request, never its text.
    static func refusal(_ e: ServerError) -> RequestRefusal {
        if let parameter = faultyParameter(e.operationID, e.request, pathParameters: e.requestMetadata.pathParameters) { return parameter }
        if let decoding = e.underlyingError as? DecodingError {
            let problem = APIRequestError(decoding)
            return .invalid(Bilingual("Nội dung yêu cầu không hợp lệ: \(problem.description)", problem.description), field: problem.field)
        }
        switch e.httpStatus {
        case .unsupportedMediaType:
            return .invalid(
                Bilingual("Nội dung gửi lên phải là JSON (Content-Type: application/json)", "the body must be JSON (Content-Type: application/json)"),
                field: nil)
        case .notFound:
            return .notFound(FailureCategory.notFound.answer.summary)
        default:
            return .invalid(FailureCategory.invalidInput.answer.summary, field: nil)
        }
    }

    // MARK: - Parameters

    /// `limit`: the generated layer read an integer; its bounds (1…500, default 50) are checked here.
    static func limit(_ given: Int?) throws(RequestRefusal) -> Int {
        guard let n = given else { return 50 }
        guard (1...500).contains(n) else {
            throw .invalid(
                Bilingual("limit: cần một số nguyên trong 1…500, nhận '\(n)'", "limit: expected an integer in 1…500, found '\(n)'"), field: "limit")
        }
        return n
    }

    /// The domain's value of a generated enum (the document lists the domain's raw values).
    static func domain<E: RawRepresentable & CaseIterable>(_ raw: String, _ type: E.Type, name: String) throws(RequestRefusal) -> E
    where E.RawValue == String {
        guard let value = E(rawValue: raw) else {
            let expected = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalid(
                Bilingual("\(name): cần một trong \(expected), nhận '\(raw)'", "\(name): expected one of \(expected), found '\(raw)'"), field: name)
        }
        return value
    }
}

/// Gives the generated handlers the request's context (`TypedAPI.context`) for their task.
struct TypedAPIContextMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await TypedAPI.$context.withValue(context) { try await next(request, context) }
    }
}

/// In front of each generated operation, before its request is decoded: the token's scope (401/403), the body's
/// size (413), and `Accept` set aside. The API answers JSON only and, as before the typed layer, does not refuse a
/// request for its `Accept` (RFC 9110 lets a server disregard it); the generated serializer would check it only after
/// the handler had run — after an append was on the ledger.
struct TypedAPIGate: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let scope = TypedAPI.scopes[operationID] { try APIRoutes.check(scope, try TypedAPI.currentContext()) }
        var request = request
        request.headerFields[.accept] = nil
        let bytes = try await Self.limited(body)
        do {
            return try await next(request, bytes.map { HTTPBody($0) }, metadata)
        } catch let error as ServerError {
            // A body the generated layer could not decode (its status is not the 500 of a handler's error): named
            // with the bytes at hand, which the decoder's error alone sometimes cannot (`APIRequestError(_:body:)`).
            guard error.httpStatus != .internalServerError, let decoding = error.underlyingError as? DecodingError, let bytes,
                TypedAPI.faultyParameter(operationID, request, pathParameters: metadata.pathParameters) == nil
            else { throw error }
            throw APIRequestError(decoding, body: bytes)
        }
    }

    /// The body, at most `APIRequestLimits.bodyBytes` (413 beyond), read before it is decoded.
    static func limited(_ body: HTTPBody?) async throws -> [UInt8]? {
        guard let body else { return nil }
        let limit = APIRequestLimits.bodyBytes
        let tooLarge = RequestRefusal.tooLarge(Bilingual("Nội dung gửi lên vượt quá \(limit) byte", "the body is larger than \(limit) bytes"))
        if case .known(let length) = body.length, length > limit { throw tooLarge }
        var bytes: [UInt8] = []
        for try await chunk in body {
            guard bytes.count + chunk.count <= limit else { throw tooLarge }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }
}
