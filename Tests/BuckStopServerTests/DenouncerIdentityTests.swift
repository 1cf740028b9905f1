import BuckStopDomain
import BuckStopEventLog
import BuckStopLive
import BuckStopStore
import Foundation
import HummingbirdTesting
import Logging
import Testing

@testable import BuckStopServer

/// The denouncer's identity is confidential (Luật Tố cáo 2018 Đ.47): sealed apart from the ledger, shown only to the
/// official handling the denunciation, and every look is itself a ledger entry with its reason. Who can see it, and
/// where it must never appear: pages of others, the case page itself, the API, the head's exports, the event log,
/// the server's log.
@Suite(.serialized) struct DenouncerIdentityTests {
    static let name = "Trần Văn Tố Giác"
    static let phone = "0912 345 678"

    @Test func onlyTheHandlerSeesItAndEveryLookIsOnTheLedger() async throws {
        let lines = LineBox()
        let fixture = try await ServerFixture.make(logger: Logger(label: "test") { _ in CapturingHandler(lines: lines) })
        defer { fixture.remove() }
        let now = LiveLedger.nowMillis() - 60_000
        let open = OpenCase(kind: .denunciation, title: "Tố cáo cán bộ nhận tiền", leadUnit: "thanh-tra", owner: "ttv")
        let opened = try await fixture.state.live.open(
            open, actor: .official("ttv"), at: now, personalData: PersonalData(fullName: Self.name, phone: Self.phone), via: .generated("test"))
        let code = opened.receipt.caseID
        let path = "/cases/\(code.rawValue)"
        @Sendable func reveals() async throws -> [LedgerRecord] {
            try await fixture.store.history(of: code).filter { $0.action.body.type == .revealIdentity }
        }
        try await fixture.test { client in
            var handler = Browser(client)
            var head = Browser(client)
            _ = try await handler.login("ttv")
            _ = try await head.login("ctt")
            // The case page never shows it — not even to the handler, who gets the way to ask, and the head gets neither.
            let own = try await handler.get(path).text
            #expect(own.contains("id=\"reveal-form\"") && !own.contains(Self.name))
            let headsPage = try await head.get(path).text
            #expect(!headsPage.contains("id=\"reveal-form\"") && !headsPage.contains(Self.name))
            // Someone else asking is refused, and nothing is written.
            let refused = try await head.post(path + "/reveal", form: [("reason", "Kiểm tra")], from: path)
            #expect(refused.status == .forbidden && !refused.text.contains(Self.name))
            #expect(try await reveals().isEmpty)
            // The handler must say why; without a reason, nothing is shown and nothing is written.
            let blank = try await handler.post(path + "/reveal", form: [("reason", "  ")], from: path)
            #expect(blank.status.code == 422 && !blank.text.contains(Self.name))
            #expect(try await reveals().isEmpty)
            // With a reason: the reveal is on the ledger first, then the page shows the identity, uncached.
            let shown = try await handler.post(path + "/reveal", form: [("reason", "Liên hệ người tố cáo để xác minh nội dung")], from: path)
            #expect(shown.status == .ok && shown.text.contains(Self.name) && shown.text.contains("0912 345 678"))
            #expect(shown.headers[.cacheControl] == "no-store")
            let recorded = try await reveals()
            #expect(recorded.count == 1 && recorded[0].action.actor == .official("ttv"))
            guard case .revealIdentity(let reason)? = recorded.first?.action.body else {
                Issue.record("no reveal entry")
                return
            }
            #expect(reason == "Liên hệ người tố cáo để xác minh nội dung")
            // The timeline says who looked and why, never what they saw; the look does not count as work on the case.
            let after = try await handler.get(path).text
            #expect(after.contains("Xem danh tính người tố cáo") && after.contains("Liên hệ người tố cáo") && !after.contains(Self.name))
            #expect(try await fixture.store.caseState(code)?.updatedAt == opened.receipt.state.updatedAt)
            // Once handed on, the former handler can no longer look.
            _ = try await handler.post(
                path + "/actions", form: [("type", "transfer"), ("to", "ctt"), ("reason", "Trình Chánh Thanh tra")], from: path)
            let formerly = try await handler.post(path + "/reveal", form: [("reason", "Xem lại")], from: path)
            #expect(formerly.status == .forbidden && !formerly.text.contains(Self.name))
            #expect(try await reveals().count == 1)
            // The API, the head's and inspector's exports and the citizen's side never carry it.
            let api = try await client.api(.get, "/api/v1/cases/\(code.rawValue)", token: fixture.tokens["all"])
            #expect(api.status == .ok && !api.text.contains(Self.name) && !api.text.contains("912 345"))
            for list in ["cases", "findings"] {
                let csv = try await head.get("/inspect/export.csv?list=\(list)")
                #expect(!csv.text.contains(Self.name), "\(list) export")
            }
        }
        // The event log written from the ledger leaves record-keeping entries out, and carries no personal data.
        let exported = LedgerExport.events(
            for: try await fixture.store.history(of: code).map { ($0.index, $0.action) }, organization: ServerFixture.organization)
        #expect(!exported.events.isEmpty && !"\(exported)".contains(Self.name) && !"\(exported)".contains("identity_revealed"))
        // Nothing the server logged names the denouncer.
        #expect(!lines.all.isEmpty && lines.all.allSatisfy { !$0.contains(Self.name) && !$0.contains("912 345") })
    }

    /// The domain: only a sealed denunciation, only by its holder, only with a reason.
    @Test func theDomainAllowsARevealOnlyWhereThereIsSomethingSealed() throws {
        let org = ServerFixture.organization
        let petition = OpenCase(kind: .petition, title: "Kiến nghị", leadUnit: "thanh-tra", owner: "ttv", subject: SubjectRef(ref: "r", hash: "h"))
        var state = try CaseState(
            opening: Action(caseID: "TTRA-1", actor: .official("ttv"), at: 1, body: .open(petition), via: .generated("t")), in: org)
        let reveal = Action(caseID: "TTRA-1", actor: .official("ttv"), at: 2, body: .revealIdentity(reason: "Xác minh"), via: .generated("t"))
        #expect(throws: DomainError.invalidField(action: "identity_revealed", field: "case", reason: .noSealedIdentity(kind: .petition))) {
            try state.apply(reveal, in: org)
        }
    }
}
