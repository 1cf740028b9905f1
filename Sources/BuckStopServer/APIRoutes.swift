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
/// the ledger's checkpoint and proofs are public. Described by `Resources/openapi.yaml`. The JSON operations are the
/// generated `APIProtocol` (`TypedAPI`); here are the event stream, which the generated layer cannot serve (a
/// `text/event-stream` that stays open), and what both share: the access check, the refusals, who a token acts as.
struct APIRoutes {
    let state: ServerState
    var rep: APIRepresentation { APIRepresentation(state: state) }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("events") { request, context in
            try Self.check("findings:read", context)
            return events(request, reminders: Self.has("cases:read", context))
        }
    }

    // MARK: - Access

    /// 401 without a valid token, 403 when its scopes lack `scope`.
    static func check(_ scope: String, _ context: AppRequestContext) throws(RequestRefusal) {
        guard case .apiClient(let client) = context.principal else {
            throw .unauthenticated(
                Bilingual("Cần mã truy cập (bearer token; buckstop token create)", "a bearer token is required (buckstop token create)"))
        }
        guard client.scopes.contains(scope) else {
            throw .forbidden(Bilingual("Mã truy cập '\(client.name)' không có quyền \(scope)", "the token '\(client.name)' lacks the scope \(scope)"))
        }
    }

    /// Whether the request's token has `scope` (for what a route adds, not whether it answers).
    static func has(_ scope: String, _ context: AppRequestContext) -> Bool {
        guard case .apiClient(let client) = context.principal else { return false }
        return client.scopes.contains(scope)
    }

    // MARK: - Events

    /// Server-sent events: each new finding as `event: finding`, each reminder (`ReminderDispatch`) as `event: reminder`
    /// to a token that may also read cases (a reminder names a case and its owner), a comment every 15 s to keep proxies
    /// open.
    func events(_ request: Request, reminders withReminders: Bool) -> Response {
        let broadcaster = state.live.broadcaster
        let reminders = state.live.reminders
        let rep = self.rep
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        enum Event: Sendable {
            case finding(StoredFinding)
            case reminder(Reminder)
            case keepAlive
        }
        let body = ResponseBody { writer in
            let (id, findings) = broadcaster.subscribe()
            defer { broadcaster.unsubscribe(id) }
            let reminderSubscription = withReminders ? reminders.subscribe() : nil
            defer { if let reminderSubscription { reminders.unsubscribe(reminderSubscription.id) } }
            let (merged, sink) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(256))
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Findings until the broadcaster ends the stream (shutdown) or this response is cancelled.
                group.addTask {
                    for await f in findings { sink.yield(.finding(f)) }
                    sink.finish()
                }
                if let stream = reminderSubscription?.stream {
                    group.addTask {
                        for await r in stream { sink.yield(.reminder(r)) }
                    }
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
                        // The generated `Finding`, as the API answers it; compact JSON is one line, as SSE needs.
                        buffer.writeBytes(try encoder.encode(try rep.finding(finding)))
                        buffer.writeString("\n\n")
                        try await writer.write(buffer)
                    case .reminder(let reminder):
                        // No `id:`: a client resumes by the findings' ledger indices; reminders are the day's, not resumable.
                        var buffer = ByteBuffer(string: "event: reminder\ndata: ")
                        buffer.writeBytes(try encoder.encode(ReminderEvent(reminder)))
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

    func notFound(case code: CaseID) -> RequestRefusal { .notFound(Bilingual("Không có hồ sơ \(code)", "not found: case \(code)")) }
    func notFoundFinding() -> RequestRefusal { .notFound(Bilingual("Không có phát hiện này", "not found: finding")) }
    func notFound(entry index: Int64) -> RequestRefusal { .notFound(Bilingual("Không có mục nhật ký \(index)", "not found: entry \(index)")) }
    func notFound(treeOf size: Int, ledger: Int) -> RequestRefusal {
        .notFound(
            Bilingual("Nhật ký xử lý mới có \(ledger) mục, chưa có cây \(size) mục", "not found: a tree of \(size) entries: the ledger has \(ledger)")
        )
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
                        "actor: mã truy cập của hệ thống phải nêu cán bộ mà nó nhân danh",
                        "actor: a system's token must name the official it acts for"),
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
