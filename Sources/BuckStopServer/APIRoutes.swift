import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
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
                return try APIRepresentation.json(["units": units])
            }
        }
        api.get("org/officials") { _, context in
            try guarded("org:read", context) {
                let officials: [[String: Any]] = state.organization.officials.values.sorted { $0.id < $1.id }.map { rep.official($0) }
                return try APIRepresentation.json(["officials": officials])
            }
        }
        api.get("events") { request, context in try guarded("findings:read", context) { events(request) } }
    }

    // MARK: - Access

    /// 401 without a valid token, 403 when its scopes lack `scope`.
    func check(_ scope: String, _ context: AppRequestContext) throws(RequestRefusal) {
        guard case .apiClient(let client) = context.principal else {
            throw .unauthenticated(
                Bilingual("Cần mã truy cập (bearer token; buckstop token create)", "a bearer token is required (buckstop token create)"))
        }
        guard client.scopes.contains(scope) else {
            throw .forbidden(Bilingual("Mã truy cập '\(client.name)' không có quyền \(scope)", "the token '\(client.name)' lacks the scope \(scope)"))
        }
    }

    func guarded(_ scope: String, _ context: AppRequestContext, _ body: () throws -> Response) throws -> Response {
        try check(scope, context)
        return try body()
    }

    func guardedAsync(_ scope: String, _ context: AppRequestContext, _ body: () async throws -> Response) async throws -> Response {
        try check(scope, context)
        return try await body()
    }

    // MARK: - Cases

    func listCases(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let limit = try intParameter(q.get("limit"), name: "limit", range: 1...500) ?? 50
        var status: CaseStatus?
        if let s = q.get("status") {
            guard let parsed = CaseStatus(rawValue: s) else {
                let expected = CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw RequestRefusal.invalid(
                    Bilingual("status: cần một trong \(expected), nhận '\(s)'", "status: expected one of \(expected), found '\(s)'"), field: "status")
            }
            status = parsed
        }
        let (cases, total) = try await state.store.listCases(
            status: status, unit: q.get("unit").map(UnitID.init(rawValue:)), owner: q.get("owner").map(OfficialID.init(rawValue:)),
            search: q.get("q")?.replacingOccurrences(of: "+", with: " "), limit: limit)
        return try APIRepresentation.json(["cases": cases.map(rep.caseSummary), "total": total])
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
        let outcome = try await state.live.open(open, actor: .official(actor), at: at, timeGiven: timeGiven, personalData: personal, via: via)
        return try APIRepresentation.json(
            [
                "case": rep.caseSummary(outcome.receipt.state), "index": outcome.receipt.index, "leafHash": outcome.receipt.leafHash.hex,
                "pin": outcome.pin ?? "", "findings": outcome.findings.map(rep.finding),
            ], status: .created)
    }

    func caseDetail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try caseID(context)
        guard let c = try await state.store.caseState(code) else { throw notFound(case: code) }
        let layout = Layout(state: state, context: context, path: request.uri.path)
        var object = rep.caseSummary(c)
        object["timeline"] = try await state.store.history(of: code).map { rep.entry($0, layout: layout) }
        object["findings"] = try await state.store.findings(FindingQuery(caseID: code, limit: 500)).findings.map(rep.finding)
        return try APIRepresentation.json(object)
    }

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try caseID(context)
        let body = try ActionRequest(json: try await bodyBytes(request))
        let (actor, via, timeGiven) = try acting(context, named: body.actor, at: body.at)
        let action = Action(
            caseID: code, actor: .official(actor), at: body.at ?? LiveLedger.nowMillis(), body: try body.input.body(), via: via)
        let outcome = try await state.live.append(action, serverTime: !timeGiven, resumeOn: EventLoopWake.current())
        var answer = ByteBuffer()
        answer.reserveCapacity(1024)
        answer.writeStaticString("{\"case\":")
        rep.writeCaseSummary(outcome.receipt.state, into: &answer)
        answer.writeStaticString(",\"findings\":")
        try JSONWriter.write(outcome.findings.map(rep.finding), into: &answer)
        answer.writeStaticString(",\"index\":")
        answer.writeString(String(outcome.receipt.index))
        answer.writeStaticString(",\"leafHash\":")
        JSONWriter.writeString(outcome.receipt.leafHash.hex, into: &answer)
        answer.writeStaticString("}")
        return Response(status: .created, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: answer))
    }

    func proof(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try caseID(context)
        guard let p = try await CaseProof.make(code, store: state.store, witnesses: state.witnesses) else { throw notFound(case: code) }
        let cosignatures: [[String: Any]] = p.witnesses.map { ["witness": $0.name, "line": $0.line ?? NSNull(), "valid": $0.valid] }
        return try APIRepresentation.json([
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
                let expected = FindingStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw RequestRefusal.invalid(
                    Bilingual("status: cần một trong \(expected), nhận '\(s)'", "status: expected one of \(expected), found '\(s)'"), field: "status")
            }
            statuses = [parsed]
        }
        let query = FindingQuery(
            caseID: q.get("case").map(CaseID.init(rawValue:)), official: q.get("official").map(OfficialID.init(rawValue:)),
            units: q.get("unit").map { [UnitID($0)] }, statuses: statuses, detector: q.get("detector"),
            limit: try intParameter(q.get("limit"), name: "limit", range: 1...500) ?? 50)
        let result = try await state.store.findings(query)
        return try APIRepresentation.json(["findings": result.findings.map(rep.finding), "total": result.total])
    }

    func finding(_ context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id"), let f = try await state.store.finding(id: id) else { throw notFoundFinding() }
        return try APIRepresentation.json(rep.finding(f))
    }

    func findingStep(_ request: Request, _ context: AppRequestContext, explain: Bool) async throws -> Response {
        guard let id = context.parameters.get("id"), let f = try await state.store.finding(id: id) else { throw notFoundFinding() }
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
        let result = try await state.live.appendWorkflow(
            Action(caseID: f.finding.caseID, actor: .official(actor), at: LiveLedger.nowMillis(), body: action, via: via))
        guard let updated = result.finding else { throw notFoundFinding() }
        return try APIRepresentation.json(rep.finding(updated))
    }

    // MARK: - Ledger

    func checkpoint() async throws -> Response {
        guard let latest = try await state.store.latestCheckpoint() else {
            throw RequestRefusal.notFound(Bilingual("Chưa có điểm kiểm (checkpoint) nào được ký", "no checkpoint has been signed yet"))
        }
        return try APIRepresentation.json(rep.checkpoint(latest))
    }

    func inclusion(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let size = try await state.store.ledgerSize()
        guard let index = try intParameter(q.get("index"), name: "index", range: 0...Int.max),
            let treeSize = try intParameter(q.get("size"), name: "size", range: 1...Int.max)
        else {
            throw RequestRefusal.invalid(
                Bilingual("Cần index và size (0 ≤ index < size ≤ \(size))", "index and size are required (0 ≤ index < size ≤ \(size))"), field: "index")
        }
        // Well-formed but not (yet) answerable: a tree larger than the ledger is not found, an index outside it is refused.
        guard treeSize <= size else { throw notFound(treeOf: treeSize, ledger: Int(size)) }
        guard index < treeSize else {
            throw RequestRefusal.rejected(
                Bilingual("index: cần nhỏ hơn size \(treeSize), nhận \(index)", "index: expected below size \(treeSize), found \(index)"), field: "index")
        }
        guard let entry = try await state.store.entry(at: Int64(index)) else { throw notFound(entry: Int64(index)) }
        let path = try await state.store.inclusionProof(leafIndex: index, treeSize: treeSize)
        return try APIRepresentation.json(["index": index, "size": treeSize, "leafHash": entry.record.leafHash.hex, "path": path.map(\.hex)])
    }

    func consistency(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let size = Int(try await state.store.ledgerSize())
        guard let from = try intParameter(q.get("from"), name: "from", range: 1...Int.max),
            let to = try intParameter(q.get("to"), name: "to", range: 1...Int.max)
        else {
            throw RequestRefusal.invalid(
                Bilingual("Cần from và to (1 ≤ from ≤ to ≤ \(size))", "from and to are required (1 ≤ from ≤ to ≤ \(size))"), field: "from")
        }
        guard to <= size else { throw notFound(treeOf: to, ledger: size) }
        guard from <= to else {
            throw RequestRefusal.rejected(
                Bilingual("from: cần không lớn hơn to (\(to)), nhận \(from)", "from: expected at most to (\(to)), found \(from)"), field: "from")
        }
        let path = try await state.store.consistencyProof(from: from, to: to)
        return try APIRepresentation.json(["from": from, "to": to, "path": path.map(\.hex)])
    }

    func ledgerEntry(_ context: AppRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("index"), let index = Int64(raw), index >= 0 else {
            throw RequestRefusal.invalid(Bilingual("index: cần một số nguyên không âm", "index: a non-negative integer"), field: "index")
        }
        guard let entry = try await state.store.entry(at: index) else { throw notFound(entry: index) }
        let object = (try? JSONSerialization.jsonObject(with: Data(entry.body))) ?? [:]
        return try APIRepresentation.json(["index": index, "leafHash": entry.record.leafHash.hex, "entry": object])
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
        guard let raw = context.parameters.get("code") else { throw RequestRefusal.invalid(Bilingual("Thiếu mã hồ sơ", "no case code"), field: "code") }
        return CaseID(raw.removingPercentEncoding ?? raw)
    }

    func notFound(case code: CaseID) -> RequestRefusal { .notFound(Bilingual("Không có hồ sơ \(code)", "not found: case \(code)")) }
    func notFoundFinding() -> RequestRefusal { .notFound(Bilingual("Không có phát hiện này", "not found: finding")) }
    func notFound(entry index: Int64) -> RequestRefusal { .notFound(Bilingual("Không có mục sổ cái \(index)", "not found: entry \(index)")) }
    func notFound(treeOf size: Int, ledger: Int) -> RequestRefusal {
        .notFound(Bilingual("Sổ cái mới có \(ledger) mục, chưa có cây \(size) mục", "not found: a tree of \(size) entries: the ledger has \(ledger)"))
    }

    func intParameter(_ text: String?, name: String, range: ClosedRange<Int>) throws(RequestRefusal) -> Int? {
        guard let text else { return nil }
        guard let n = Int(text), range.contains(n) else {
            let bounds = "\(range.lowerBound)…\(range.upperBound)"
            throw .invalid(
                Bilingual("\(name): cần một số nguyên trong \(bounds), nhận '\(text)'", "\(name): expected an integer in \(bounds), found '\(text)'"),
                field: name)
        }
        return n
    }

    /// The body's bytes, at most `APIRequestLimits.bodyBytes` (413 beyond).
    func bodyBytes(_ request: Request) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: APIRequestLimits.bodyBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            let limit = APIRequestLimits.bodyBytes
            throw RequestRefusal.tooLarge(Bilingual("Nội dung gửi lên vượt quá \(limit) byte", "the body is larger than \(limit) bytes"))
        }
    }

    /// Whom a write through this token acts as, the credential the entry records, and whether the request's own
    /// time counts. A token is an official's (it acts as them, and `actor`, if given, must name them) or a system's
    /// (it must name an official it is listed to act for); only a system allowed to import history may give `at`.
    func acting(_ context: AppRequestContext, named: OfficialID?, at: Int64?) throws(RequestRefusal) -> (OfficialID, Credential, timeGiven: Bool) {
        guard case .apiClient(let client) = context.principal else {
            throw .unauthenticated(Bilingual("Cần mã truy cập (bearer token)", "a bearer token is required"))
        }
        let via = Credential.apiToken(name: client.name)
        switch client.subject {
        case .official(let id):
            if let named, named != id {
                throw .forbidden(
                    Bilingual(
                        "Mã truy cập '\(client.name)' chỉ nhân danh \(id), không nhân danh \(named)",
                        "the token '\(client.name)' acts as \(id) only, not as \(named)"), field: "actor")
            }
            if at != nil {
                throw .rejected(
                    Bilingual(
                        "at: chỉ mã truy cập của hệ thống được phép nhập lịch sử mới được ghi thời điểm",
                        "at: only a system's token allowed to import history may give a time"), field: "at")
            }
            return (id, via, false)
        case .integration(let actsFor, let importsHistory):
            guard let named else {
                throw .rejected(
                    Bilingual(
                        "actor: mã truy cập của hệ thống phải nêu cán bộ mà nó nhân danh", "actor: a system's token must name the official it acts for"),
                    field: "actor")
            }
            guard actsFor.contains(named) else {
                throw .forbidden(
                    Bilingual("Mã truy cập '\(client.name)' không được nhân danh \(named)", "the token '\(client.name)' may not act for \(named)"),
                    field: "actor")
            }
            if at != nil, !importsHistory {
                throw .rejected(
                    Bilingual(
                        "at: mã truy cập '\(client.name)' không được nhập lịch sử; máy chủ ghi thời điểm",
                        "at: the token '\(client.name)' may not import history; the server sets the time"), field: "at")
            }
            return (named, via, at != nil)
        }
    }
}
