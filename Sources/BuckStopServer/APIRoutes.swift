import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1`: for one-stop-shop systems to push their events and read findings back. Bearer tokens with scopes;
/// the ledger's checkpoint and proofs are public. Described by `Resources/openapi.yaml`.
struct APIRoutes {
    let state: ServerState
    var rep: APIRepresentation { APIRepresentation(state: state) }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.add(middleware: APIErrorMiddleware())
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
        let body = try await jsonBody(request)
        guard let kindText = body["kind"] as? String, let kind = CaseKind(rawValue: kindText) else {
            return APIRepresentation.error(.badRequest, code: "bad_request", message: "kind: expected one of \(CaseKind.allCases.map(\.rawValue))", field: "kind")
        }
        for key in ["title", "leadUnit", "owner", "actor"] where !(body[key] is String) {
            return APIRepresentation.error(.badRequest, code: "bad_request", message: "\(key): a string is required", field: key)
        }
        let procedure = body["procedure"] as? String
        let at = (body["at"] as? NSNumber)?.int64Value ?? LiveLedger.nowMillis()
        var due: (CivilDate, String?)? = state.live.dueDate(kind: kind, procedure: procedure, at: Date(timeIntervalSince1970: Double(at) / 1000)).map { ($0.date, $0.rule.id) }
        if let given = body["dueDate"] as? String {
            guard let date = try? CivilDate(iso: given) else {
                return APIRepresentation.error(.badRequest, code: "bad_request", message: "dueDate: expected YYYY-MM-DD, found '\(given)'", field: "dueDate")
            }
            due = (date, due?.1)
        }
        let open = OpenCase(
            kind: kind, procedure: procedure, title: body["title"] as! String, leadUnit: UnitID(body["leadUnit"] as! String),
            collaborators: (body["collaborators"] as? [String] ?? []).map(UnitID.init(rawValue:)), owner: OfficialID(body["owner"] as! String),
            dueDate: due?.0, ruleID: due?.1)
        var personal: PersonalData?
        if let a = body["applicant"] as? [String: Any] {
            guard let name = a["fullName"] as? String, !name.isEmpty else {
                return APIRepresentation.error(.badRequest, code: "bad_request", message: "applicant.fullName is required", field: "applicant.fullName")
            }
            personal = PersonalData(fullName: name, idNumber: a["idNumber"] as? String, address: a["address"] as? String, phone: a["phone"] as? String, email: a["email"] as? String)
        }
        do {
            let outcome = try await state.live.open(open, actor: .official(OfficialID(body["actor"] as! String)), at: at, personalData: personal)
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
        let body = try await jsonBody(request)
        guard let actor = body["actor"] as? String, !actor.isEmpty else {
            return APIRepresentation.error(.badRequest, code: "bad_request", message: "actor: an official id is required", field: "actor")
        }
        var input = ActionInput(type: body["type"] as? String ?? "")
        for (key, value) in body where key != "type" && key != "actor" && key != "at" {
            if let s = value as? String { input.strings[key] = s } else if let list = value as? [String] { input.lists[key] = list }
        }
        guard state.organization.official(OfficialID(actor)) != nil else {
            return APIRepresentation.error(.unprocessableContent, code: "rejected", message: "actor: unknown official '\(actor)'", field: "actor")
        }
        let given = (body["at"] as? NSNumber)?.int64Value
        do {
            let action = Action(caseID: code, actor: .official(OfficialID(actor)), at: given ?? LiveLedger.nowMillis(), body: try input.body())
            let outcome = try await state.live.append(action, serverTime: given == nil)
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
        guard let p = try await CaseProof.make(code, store: state.store) else { return notFound("case \(code)") }
        return APIRepresentation.json([
            "checkpoint": rep.checkpoint(p.checkpoint),
            "entries": p.entries.map { ["index": $0.index, "leafHash": $0.leafHash.hex, "path": $0.path.map(\.hex), "verified": $0.verified] as [String: Any] },
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
        let body = try await jsonBody(request)
        guard let actor = body["actor"] as? String else {
            return APIRepresentation.error(.badRequest, code: "bad_request", message: "actor: an official id is required", field: "actor")
        }
        let action: ActionBody
        if explain {
            guard let text = body["text"] as? String else { return APIRepresentation.error(.badRequest, code: "bad_request", message: "text is required", field: "text") }
            action = .explainFinding(id: id, text: text)
        } else {
            guard let uphold = body["uphold"] as? Bool else {
                return APIRepresentation.error(.badRequest, code: "bad_request", message: "uphold: true or false is required", field: "uphold")
            }
            action = .reviewFinding(id: id, uphold: uphold, note: body["note"] as? String ?? "")
        }
        do {
            let result = try await state.live.appendWorkflow(Action(caseID: f.finding.caseID, actor: .official(OfficialID(actor)), at: LiveLedger.nowMillis(), body: action))
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
        guard let index = try intParameter(q.get("index"), name: "index", range: 0...Int(max(0, size - 1))),
            let treeSize = try intParameter(q.get("size"), name: "size", range: index + 1...Int(size))
        else { return APIRepresentation.error(.badRequest, code: "bad_request", message: "index and size are required (0 ≤ index < size ≤ \(size))", field: "index") }
        guard let entry = try await state.store.entry(at: Int64(index)) else { return notFound("entry \(index)") }
        let path = try await state.store.inclusionProof(leafIndex: index, treeSize: treeSize)
        return APIRepresentation.json(["index": index, "size": treeSize, "leafHash": entry.record.leafHash.hex, "path": path.map(\.hex)])
    }

    func consistency(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let size = Int(try await state.store.ledgerSize())
        guard let from = try intParameter(q.get("from"), name: "from", range: 1...max(1, size)),
            let to = try intParameter(q.get("to"), name: "to", range: from...max(from, size))
        else { return APIRepresentation.error(.badRequest, code: "bad_request", message: "from and to are required (1 ≤ from ≤ to ≤ \(size))", field: "from") }
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

    /// A JSON object body of at most 1 MiB.
    func jsonBody(_ request: Request) async throws -> [String: Any] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let data = Data(buffer: buffer)
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw APIProblem(status: .badRequest, code: "bad_request", message: "the body is not valid JSON: \(error.localizedDescription)", field: nil)
        }
        guard let object = parsed as? [String: Any] else {
            throw APIProblem(status: .badRequest, code: "bad_request", message: "the body must be a JSON object", field: nil)
        }
        return object
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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let p as APIProblem {
            return APIRepresentation.error(p.status, code: p.code, message: p.message, field: p.field)
        } catch let e as HTTPError {
            let code: String
            switch e.status {
            case .notFound: code = "not_found"
            case .unauthorized: code = "unauthorized"
            case .forbidden: code = "forbidden"
            case .contentTooLarge, .badRequest: code = "bad_request"
            case .tooManyRequests: code = "rate_limited"
            default: code = "unavailable"
            }
            return APIRepresentation.error(e.status == .contentTooLarge ? .badRequest : e.status, code: code, message: e.body ?? "\(e.status)")
        } catch let e as StoreError {
            return APIRepresentation.error(e.refusal(.en))
        } catch {
            return APIRepresentation.error(.serviceUnavailable, code: "unavailable", message: "\(error)")
        }
    }
}
