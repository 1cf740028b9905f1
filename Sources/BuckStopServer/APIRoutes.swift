import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `/api/v1`: for one-stop-shop systems to push their events and read findings back. Bearer tokens with scopes;
/// the ledger's checkpoint and proofs are public. Described by `Resources/openapi.yaml`.
struct APIRoutes {
    let state: ServerState
    var rep: APIRepresentation { APIRepresentation(state: state) }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.add(middleware: APIErrorMiddleware(logger: state.logger))
        api.get("cases") { request, context in try await guardedAsync("cases:read", context) { try await listCases(request, context) } }
        api.post("cases") { request, context in try await guardedAsync("actions:write", context) { try await openCase(request, context) } }
        api.get("cases/:code") { request, context in try await guardedAsync("cases:read", context) { try await caseDetail(request, context) } }
        api.post("cases/:code/actions") { request, context in try await guardedAsync("actions:write", context) { try await act(request, context) } }
        api.get("cases/:code/proof") { request, context in try await guardedAsync("cases:read", context) { try await proof(request, context) } }
        api.get("findings") { request, context in try await guardedAsync("findings:read", context) { try await listFindings(request, context) } }
        api.get("findings/:id") { request, context in try await guardedAsync("findings:read", context) { try await finding(context) } }
        api.post("findings/:id/explanation") { request, context in
            try await guardedAsync("findings:write", context) { try await findingStep(request, context, explain: true) }
        }
        api.post("findings/:id/review") { request, context in
            try await guardedAsync("findings:write", context) { try await findingStep(request, context, explain: false) }
        }
        api.get("ledger/checkpoint") { _, _ in try await checkpoint() }
        api.get("ledger/proofs/inclusion") { request, _ in try await inclusion(request) }
        api.get("ledger/proofs/consistency") { request, _ in try await consistency(request) }
        api.get("ledger/entries/:index") { request, context in try await guardedAsync("ledger:read", context) { try await ledgerEntry(context) } }
        api.get("org/units") { _, context in
            try guarded("org:read", context) {
                let units: [[String: Any]] = state.organization.units.values.sorted { $0.id < $1.id }.map { rep.unit($0) }
                return APIRepresentation.json(["units": units])
            }
        }
        api.get("org/officials") { _, context in
            try guarded("org:read", context) {
                let officials: [[String: Any]] = state.organization.officials.values.sorted { $0.id < $1.id }.map { rep.official($0) }
                return APIRepresentation.json(["officials": officials])
            }
        }
        api.get("events") { request, context in try guarded("findings:read", context) { events(request) } }
    }

    // MARK: - Access

    /// 401 without a valid token, 403 when its scopes lack `scope`.
    func check(_ scope: String, _ context: AppRequestContext) -> Response? {
        guard case .apiClient(let client) = context.principal else {
            return APIRepresentation.error(.unauthorized, code: "unauthorized", message: "a bearer token is required (buckstop token create)")
        }
        guard client.scopes.contains(scope) else {
            return APIRepresentation.error(.forbidden, code: "forbidden", message: "the token '\(client.name)' lacks the scope \(scope)")
        }
        return nil
    }

    func guarded(_ scope: String, _ context: AppRequestContext, _ body: () throws -> Response) throws -> Response {
        if let refused = check(scope, context) { return refused }
        return try body()
    }

    func guardedAsync(_ scope: String, _ context: AppRequestContext, _ body: () async throws -> Response) async throws -> Response {
        if let refused = check(scope, context) { return refused }
        return try await body()
    }

    // MARK: - Cases

    func listCases(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let limit = try intParameter(q.get("limit"), name: "limit", range: 1...500) ?? 50
        var status: CaseStatus?
        if let s = q.get("status") {
            guard let parsed = CaseStatus(rawValue: s) else {
                return APIRepresentation.error(.badRequest, code: "bad_request", message: "status: expected one of \(CaseStatus.allCases.map(\.rawValue)), found '\(s)'", field: "status")
            }
            status = parsed
        }
        let (cases, total) = try await state.store.listCases(
            status: status, unit: q.get("unit").map(UnitID.init(rawValue:)), owner: q.get("owner").map(OfficialID.init(rawValue:)),
            search: q.get("q")?.replacingOccurrences(of: "+", with: " "), limit: limit)
        return APIRepresentation.json(["cases": cases.map(rep.caseSummary), "total": total])
    }

    func openCase(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try OpenCaseRequest(json: try await bodyBytes(request))
        let (actor, via, timeGiven) = try acting(context, named: body.actor, at: body.at)
        let at = body.at ?? LiveLedger.nowMillis()
        var due: (CivilDate, String?)? = state.live.dueDate(kind: body.kind, procedure: body.procedure, at: Date(timeIntervalSince1970: Double(at) / 1000))
            .map { ($0.date, $0.rule.id) }
        if let given = body.dueDate { due = (given, due?.1) }
        let open = OpenCase(
            kind: body.kind, procedure: body.procedure, title: body.title, leadUnit: body.leadUnit, collaborators: body.collaborators, owner: body.owner,
            dueDate: due?.0, ruleID: due?.1)
        let personal = body.applicant.map {
            PersonalData(fullName: $0.fullName, idNumber: $0.idNumber, address: $0.address, phone: $0.phone, email: $0.email)
        }
        do {
            let outcome = try await state.live.open(open, actor: .official(actor), at: at, timeGiven: timeGiven, personalData: personal, via: via)
            return APIRepresentation.json(
                [
                    "case": rep.caseSummary(outcome.receipt.state), "index": outcome.receipt.index, "leafHash": outcome.receipt.leafHash.hex,
                    "pin": outcome.pin ?? "", "findings": outcome.findings.map(rep.finding),
                ], status: .created)
        } catch {
            return APIRepresentation.error(error.refusal(.en))
        }
    }

    func caseDetail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try caseID(context)
        guard let c = try await state.store.caseState(code) else { return notFound("case \(code)") }
        let layout = Layout(state: state, context: context, path: request.uri.path)
        var object = rep.caseSummary(c)
        object["timeline"] = try await state.store.history(of: code).map { rep.entry($0, layout: layout) }
        object["findings"] = try await state.store.findings(FindingQuery(caseID: code, limit: 500)).findings.map(rep.finding)
        return APIRepresentation.json(object)
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try caseID(context)
        let body = try ActionRequest(json: try await bodyBytes(request))
        let (actor, via, timeGiven) = try acting(context, named: body.actor, at: body.at)
        do {
            let action = Action(
                caseID: code, actor: .official(actor), at: body.at ?? LiveLedger.nowMillis(), body: try body.input.body(), via: via)
            let outcome = try await state.live.append(action, serverTime: !timeGiven)
            var body = ByteBuffer()
            body.reserveCapacity(1024)
            body.writeStaticString("{\"case\":")
            rep.writeCaseSummary(outcome.receipt.state, into: &body)
            body.writeStaticString(",\"findings\":")
            try JSONWriter.write(outcome.findings.map(rep.finding), into: &body)
            body.writeStaticString(",\"index\":")
            body.writeString(String(outcome.receipt.index))
            body.writeStaticString(",\"leafHash\":")
            JSONWriter.writeString(outcome.receipt.leafHash.hex, into: &body)
            body.writeStaticString("}")
            return Response(status: .created, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
        } catch {
            return APIRepresentation.error(error.refusal(.en))
        }
    }

    func proof(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try caseID(context)
        guard let p = try await CaseProof.make(code, store: state.store, witnesses: state.witnesses) else { return notFound("case \(code)") }
        let cosignatures: [[String: Any]] = p.witnesses.map { ["witness": $0.name, "line": $0.line ?? NSNull(), "valid": $0.valid] }
        return APIRepresentation.json([
            "checkpoint": p.checkpoint.map { rep.checkpoint($0) } ?? NSNull(), "witnessed": p.allVerified, "cosignatures": cosignatures,
            "entries": p.entries.map {
                ["index": $0.index, "leafHash": $0.leafHash.hex, "path": $0.path.map(\.hex), "verified": $0.verified, "pending": $0.pending] as [String: Any]
            },
        ])
    }

    // MARK: - Findings

    func listFindings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        var statuses: [FindingStatus]?
        if let s = q.get("status") {
            guard let parsed = FindingStatus(rawValue: s) else {
                return APIRepresentation.error(.badRequest, code: "bad_request", message: "status: expected one of \(FindingStatus.allCases.map(\.rawValue))", field: "status")
            }
            statuses = [parsed]
        }
        let query = FindingQuery(
            caseID: q.get("case").map(CaseID.init(rawValue:)), official: q.get("official").map(OfficialID.init(rawValue:)),
            units: q.get("unit").map { [UnitID($0)] }, statuses: statuses, detector: q.get("detector"),
            limit: try intParameter(q.get("limit"), name: "limit", range: 1...500) ?? 50)
        let result = try await state.store.findings(query)
        return APIRepresentation.json(["findings": result.findings.map(rep.finding), "total": result.total])
    }

    func finding(_ context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id"), let f = try await state.store.finding(id: id) else { return notFound("finding") }
        return APIRepresentation.json(rep.finding(f))
    }

    func findingStep(_ request: Request, _ context: AppRequestContext, explain: Bool) async throws -> Response {
        guard let id = context.parameters.get("id"), let f = try await state.store.finding(id: id) else { return notFound("finding") }
        let bytes = try await bodyBytes(request)
        let action: ActionBody
        let named: OfficialID?
        if explain {
            let body = try ExplanationRequest(json: bytes)
            (action, named) = (.explainFinding(id: id, text: body.text), body.actor)
        } else {
            let body = try ReviewRequest(json: bytes)
            (action, named) = (.reviewFinding(id: id, uphold: body.uphold, note: body.note), body.actor)
        }
        let (actor, via, _) = try acting(context, named: named, at: nil)
        do {
            let result = try await state.live.appendWorkflow(
                Action(caseID: f.finding.caseID, actor: .official(actor), at: LiveLedger.nowMillis(), body: action, via: via))
            guard let updated = result.finding else { return notFound("finding") }
            return APIRepresentation.json(rep.finding(updated))
        } catch {
            return APIRepresentation.error(error.refusal(.en))
        }
    }

    // MARK: - Ledger

    func checkpoint() async throws -> Response {
        guard let latest = try await state.store.latestCheckpoint() else { return notFound("no checkpoint has been signed yet") }
        return APIRepresentation.json(rep.checkpoint(latest))
    }

    func inclusion(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let size = try await state.store.ledgerSize()
        guard let index = try intParameter(q.get("index"), name: "index", range: 0...Int.max),
            let treeSize = try intParameter(q.get("size"), name: "size", range: 1...Int.max)
        else { return APIRepresentation.error(.badRequest, code: "bad_request", message: "index and size are required (0 ≤ index < size ≤ \(size))", field: "index") }
        // Well-formed but not (yet) answerable: a tree larger than the ledger is not found, an index outside it is refused.
        guard treeSize <= size else { return notFound("a tree of \(treeSize) entries: the ledger has \(size)") }
        guard index < treeSize else {
            return APIRepresentation.error(.unprocessableContent, code: "rejected", message: "index: expected below size \(treeSize), found \(index)", field: "index")
        }
        guard let entry = try await state.store.entry(at: Int64(index)) else { return notFound("entry \(index)") }
        let path = try await state.store.inclusionProof(leafIndex: index, treeSize: treeSize)
        return APIRepresentation.json(["index": index, "size": treeSize, "leafHash": entry.record.leafHash.hex, "path": path.map(\.hex)])
    }

    func consistency(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let size = Int(try await state.store.ledgerSize())
        guard let from = try intParameter(q.get("from"), name: "from", range: 1...Int.max),
            let to = try intParameter(q.get("to"), name: "to", range: 1...Int.max)
        else { return APIRepresentation.error(.badRequest, code: "bad_request", message: "from and to are required (1 ≤ from ≤ to ≤ \(size))", field: "from") }
        guard to <= size else { return notFound("a tree of \(to) entries: the ledger has \(size)") }
        guard from <= to else {
            return APIRepresentation.error(.unprocessableContent, code: "rejected", message: "from: expected at most to (\(to)), found \(from)", field: "from")
        }
        let path = try await state.store.consistencyProof(from: from, to: to)
        return APIRepresentation.json(["from": from, "to": to, "path": path.map(\.hex)])
    }

    func ledgerEntry(_ context: AppRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("index"), let index = Int64(raw), index >= 0 else {
            return APIRepresentation.error(.badRequest, code: "bad_request", message: "index: a non-negative integer", field: "index")
        }
        guard let entry = try await state.store.entry(at: index) else { return notFound("entry \(index)") }
        let object = (try? JSONSerialization.jsonObject(with: Data(entry.body))) ?? [:]
        return APIRepresentation.json(["index": index, "leafHash": entry.record.leafHash.hex, "entry": object])
    }

    // MARK: - Events

    /// Server-sent events: each new finding as `event: finding`, a comment every 15 s to keep proxies open.
    func events(_ request: Request) -> Response {
        let broadcaster = state.live.broadcaster
        let rep = self.rep
        enum Event: Sendable {
            case finding(StoredFinding)
            case keepAlive
        }
        let body = ResponseBody { writer in
            let (id, findings) = broadcaster.subscribe()
            defer { broadcaster.unsubscribe(id) }
            let (merged, sink) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(256))
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Findings until the broadcaster ends the stream (shutdown) or this response is cancelled.
                group.addTask {
                    for await f in findings { sink.yield(.finding(f)) }
                    sink.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .seconds(15))
                        sink.yield(.keepAlive)
                    }
                }
                defer { group.cancelAll() }
                for await event in merged {
                    switch event {
                    case .keepAlive:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    case .finding(let finding):
                        var buffer = ByteBuffer(string: "event: finding\nid: \(finding.raisedIndex)\ndata: ")
                        try JSONWriter.write(rep.finding(finding), into: &buffer)
                        buffer.writeString("\n\n")
                        try await writer.write(buffer)
                    }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    // MARK: - Helpers

    func caseID(_ context: AppRequestContext) throws -> CaseID {
        guard let raw = context.parameters.get("code") else { throw HTTPError(.badRequest) }
        return CaseID(raw.removingPercentEncoding ?? raw)
    }

    func notFound(_ what: String) -> Response { APIRepresentation.error(.notFound, code: "not_found", message: "not found: \(what)") }

    func intParameter(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw APIProblem(status: .badRequest, code: "bad_request", message: "\(name): expected an integer in \(range.lowerBound)…\(range.upperBound), found '\(text)'", field: name)
        }
        return n
    }

    /// The body's bytes, at most `APIRequestLimits.bodyBytes` (413 beyond).
    func bodyBytes(_ request: Request) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: APIRequestLimits.bodyBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIProblem(
                status: .contentTooLarge, code: "payload_too_large", message: "the body is larger than \(APIRequestLimits.bodyBytes) bytes", field: nil)
        }
    }

    /// Whom a write through this token acts as, the credential the entry records, and whether the request's own
    /// time counts. A token is an official's (it acts as them, and `actor`, if given, must name them) or a system's
    /// (it must name an official it is listed to act for); only a system allowed to import history may give `at`.
    func acting(_ context: AppRequestContext, named: OfficialID?, at: Int64?) throws -> (OfficialID, Credential, timeGiven: Bool) {
        guard case .apiClient(let client) = context.principal else {
            throw APIProblem(status: .unauthorized, code: "unauthorized", message: "a bearer token is required", field: nil)
        }
        let via = Credential.apiToken(name: client.name)
        switch client.subject {
        case .official(let id):
            if let named, named != id {
                throw APIProblem(status: .forbidden, code: "forbidden", message: "the token '\(client.name)' acts as \(id) only, not as \(named)", field: "actor")
            }
            if at != nil {
                throw APIProblem(
                    status: .unprocessableContent, code: "rejected", message: "at: only a system's token allowed to import history may give a time",
                    field: "at")
            }
            return (id, via, false)
        case .integration(let actsFor, let importsHistory):
            guard let named else {
                throw APIProblem(
                    status: .unprocessableContent, code: "rejected", message: "actor: a system's token must name the official it acts for", field: "actor")
            }
            guard actsFor.contains(named) else {
                throw APIProblem(status: .forbidden, code: "forbidden", message: "the token '\(client.name)' may not act for \(named)", field: "actor")
            }
            if at != nil, !importsHistory {
                throw APIProblem(
                    status: .unprocessableContent, code: "rejected", message: "at: the token '\(client.name)' may not import history; the server sets the time",
                    field: "at")
            }
            return (named, via, at != nil)
        }
    }
}

struct APIProblem: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String?
}

/// Every error under /api/v1 becomes the document's JSON error.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let p as APIProblem {
            return APIRepresentation.error(p.status, code: p.code, message: p.message, field: p.field)
        } catch let p as APIRequestError {
            return APIRepresentation.error(.badRequest, code: "bad_request", message: p.description, field: p.field)
        } catch let e as HTTPError {
            let code: String
            switch e.status {
            case .notFound: code = "not_found"
            case .unauthorized: code = "unauthorized"
            case .forbidden: code = "forbidden"
            case .contentTooLarge: code = "payload_too_large"
            case .badRequest: code = "bad_request"
            case .tooManyRequests: code = "rate_limited"
            default: code = "unavailable"
            }
            return APIRepresentation.error(e.status, code: code, message: e.body ?? "\(e.status)")
        } catch let e as StoreError {
            return APIRepresentation.error(e.refusal(.en))
        } catch is NIOTooManyBytesError {
            return APIRepresentation.error(.contentTooLarge, code: "payload_too_large", message: "the body is too large")
        } catch {
            // Never an internal error's text in an answer: it is logged, the client learns only that it failed.
            logger.error("API request failed", metadata: ["route": .string(context.endpointPath ?? "unmatched"), "error": .string(String(describing: error))])
            return APIRepresentation.error(.internalServerError, code: "internal", message: "the request failed; it has been logged")
        }
    }
}
