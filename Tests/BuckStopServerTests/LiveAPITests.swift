import BuckStopDomain
import BuckStopLive
import BuckStopServer
import BuckStopStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The API as a one-stop-shop system uses it: open a case, push actions, read findings and proofs. Every response
/// is checked against the OpenAPI document served at /openapi.yaml, and live detection happens inside the request:
/// the ping-pong finding is in the append's answer, in the store and on the ledger before the response.
@Suite(.serialized) struct LiveAPITests {
    /// Validates a response against the served document; the status must be one it documents.
    static func conforms(_ r: TestResponse, _ method: String, _ path: String, document: OpenAPIDocument) throws {
        let template = try #require(document.templatePath(for: path.split(separator: "?")[0].description), "\(path) is in the document")
        let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body))
        let problems = document.validate(json: json, path: template, method: method, status: Int(r.status.code), contentType: r.headers[.contentType])
        #expect(problems.isEmpty, "\(method) \(path) \(r.status.code): \(problems.joined(separator: "; "))")
    }

    @Test func pingPongThroughTheAPIIsRaisedBeforeTheAnswer() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let token = fixture.tokens["all"]!
        try await fixture.test { client in
            let yaml = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(yaml.status == .ok)
            let document = try OpenAPIDocument(yaml: yaml.text)

            // A title that names the applicant would put them on the ledger, which cannot forget: refused, nothing written.
            let named = try await client.api(
                .post, "/api/v1/cases", token: token,
                json: [
                    "kind": "dossier", "procedure": "LLTP-CAPPHIEU", "title": "Cấp Phiếu lý lịch tư pháp cho Nguyễn Văn A", "leadUnit": "stp-hcbt",
                    "owner": "cv-an", "actor": "cv-an", "applicant": ["fullName": "Nguyễn Văn A", "phone": "0905000000"],
                ])
            #expect(named.status.code == 422)
            try Self.conforms(named, "post", "/api/v1/cases", document: document)
            #expect(try named.errorField() == "title")
            #expect(try await fixture.store.ledgerSize() == 0)

            let opened = try await client.api(
                .post, "/api/v1/cases", token: token,
                json: [
                    "kind": "dossier", "procedure": "LLTP-CAPPHIEU", "title": "Cấp Phiếu lý lịch tư pháp số 1", "leadUnit": "stp-hcbt",
                    "owner": "cv-an", "actor": "cv-an", "applicant": ["fullName": "Nguyễn Văn A", "phone": "0905000000"],
                ])
            #expect(opened.status.code == 201)
            try Self.conforms(opened, "post", "/api/v1/cases", document: document)
            let created = try opened.json()
            let code = try #require((created["case"] as? [String: Any])?["code"] as? String)
            let pin = try #require(created["pin"] as? String)
            #expect(pin.count == 6 && pin == fixture.state.live.citizenKeys.pin(for: CaseID(code)))
            // The applicant is sealed off the ledger: the entry carries only a salted hash.
            let openEntry = try await client.api(.get, "/api/v1/ledger/entries/0", token: token)
            try Self.conforms(openEntry, "get", "/api/v1/ledger/entries/0", document: document)
            #expect(!openEntry.text.contains("Nguyễn Văn A"))
            #expect(!openEntry.text.contains("0905000000"))
            #expect(openEntry.text.contains("\"token:all\""), "the entry names the token that wrote it")

            let actions = "/api/v1/cases/\(code)/actions"
            let first = try await client.api(
                .post, actions, token: token, json: ["type": "transfer", "actor": "cv-an", "to": "cv-binh", "reason": "Chuyển thụ lý"])
            #expect(first.status.code == 201)
            try Self.conforms(first, "post", actions, document: document)
            #expect((try first.json()["findings"] as? [Any])?.isEmpty == true)

            let back = try await client.api(
                .post, actions, token: token, json: ["type": "transfer", "actor": "cv-binh", "to": "cv-an", "reason": "Không thuộc phần việc"])
            #expect(back.status.code == 201)
            try Self.conforms(back, "post", actions, document: document)
            let raised = try #require(try back.json()["findings"] as? [[String: Any]])
            let pingPong = try #require(raised.first { $0["detector"] as? String == "ping_pong" })
            // One return names the one it came back to: cv-an sent it to the wrong place (DESIGN.md, fairness).
            #expect(pingPong["official"] as? String == "cv-an")
            #expect(pingPong["head"] as? String == "tp-hcbt")
            #expect(pingPong["status"] as? String == "open")
            let findingID = try #require(pingPong["id"] as? String)

            // Stored and on the ledger when the answer came back.
            #expect(try await fixture.store.finding(id: findingID) != nil)
            let history = try await fixture.store.history(of: CaseID(code))
            #expect(history.contains { if case .raiseFinding(let f) = $0.action.body { return f.id == findingID } else { return false } })

            // Back and forth again: now the back-and-forth of cv-binh, who sent it back first, is a finding of its own;
            // a third round trip raises neither twice.
            for reason in ["Lần nữa", "Lần thứ ba"] {
                _ = try await client.api(
                    .post, actions, token: token, json: ["type": "transfer", "actor": "cv-an", "to": "cv-binh", "reason": reason])
                _ = try await client.api(
                    .post, actions, token: token, json: ["type": "transfer", "actor": "cv-binh", "to": "cv-an", "reason": "Trả lại: " + reason])
            }
            let both = try await fixture.store.findings(FindingQuery(caseID: CaseID(code), detector: "ping_pong")).findings
            #expect(both.count == 2 && Set(both.compactMap(\.finding.official)) == ["cv-an", "cv-binh"])

            // An escalation without a proposal is refused, names the field, writes nothing.
            let size = try await fixture.store.ledgerSize()
            let refused = try await client.api(
                .post, actions, token: token, json: ["type": "escalate", "actor": "cv-an", "to": "tp-hcbt", "proposal": "  "])
            #expect(refused.status.code == 422)
            try Self.conforms(refused, "post", actions, document: document)
            #expect(try refused.errorField() == "proposal")
            #expect(try await fixture.store.ledgerSize() == size)
            let malformed = try await client.execute(
                uri: actions, method: .post, headers: [.authorization: "Bearer " + token, .contentType: "application/json"],
                body: .init(string: "{\"type\":"))
            #expect(malformed.status.code == 400)
            try Self.conforms(malformed, "post", actions, document: document)
            let unknown = try await client.api(
                .post, "/api/v1/cases/NO-SUCH/actions", token: token, json: ["type": "comment", "actor": "cv-an", "text": "x"])
            #expect(unknown.status.code == 404)
            try Self.conforms(unknown, "post", "/api/v1/cases/NO-SUCH/actions", document: document)

            // The finding workflow through the API: explanation by cv-an, review by the head.
            let notByOwner = try await client.api(
                .post, "/api/v1/findings/\(findingID)/explanation", token: token, json: ["actor": "cv-binh", "text": "Không phải tôi"])
            #expect(notByOwner.status.code == 422)
            let explained = try await client.api(
                .post, "/api/v1/findings/\(findingID)/explanation", token: token,
                json: ["actor": "cv-an", "text": "Chuyển nhầm người, đã nhận lại"])
            #expect(explained.status.code == 200)
            try Self.conforms(explained, "post", "/api/v1/findings/\(findingID)/explanation", document: document)
            #expect(try explained.json()["status"] as? String == "explained")
            // Upholding names a cause from the rulebook's taxonomy: none, or one it does not know, is refused naming `cause`.
            for cause in [nil, "khong-ro"] as [String?] {
                var json: [String: Any] = ["actor": "tp-hcbt", "uphold": true, "note": "Giữ nguyên"]
                json["cause"] = cause
                let refused = try await client.api(.post, "/api/v1/findings/\(findingID)/review", token: token, json: json)
                #expect(refused.status.code == 422, "cause \(cause ?? "none")")
                #expect(refused.text.contains("cause"), "\(refused.text.prefix(300))")
            }
            let reviewed = try await client.api(
                .post, "/api/v1/findings/\(findingID)/review", token: token,
                json: ["actor": "tp-hcbt", "uphold": true, "note": "Giữ nguyên", "cause": "phoi-hop-kem"])
            #expect(try reviewed.json()["status"] as? String == "upheld")
            #expect(try reviewed.json()["cause"] as? String == "phoi-hop-kem")
            try Self.conforms(reviewed, "post", "/api/v1/findings/\(findingID)/review", document: document)

            // The scheduled checkpoint (CheckpointService) covers what was written; a reader never causes one.
            try await fixture.checkpointAndWitness()
            // Reading back: lists, detail, proofs, org, checkpoint.
            for path in [
                "/api/v1/cases", "/api/v1/cases?q=ly+lich+tu+phap&limit=5", "/api/v1/cases?status=received", "/api/v1/cases/\(code)",
                "/api/v1/findings",
                "/api/v1/findings?status=upheld", "/api/v1/findings/\(findingID)", "/api/v1/cases/\(code)/proof", "/api/v1/org/units",
                "/api/v1/org/officials",
                "/api/v1/ledger/checkpoint", "/api/v1/ledger/proofs/inclusion?index=1&size=3", "/api/v1/ledger/proofs/consistency?from=2&to=4",
                "/api/v1/cases?status=lost",
            ] {
                let r = try await client.api(.get, path, token: token)
                #expect(r.status.code == (path.hasSuffix("lost") ? 400 : 200), "GET \(path): \(r.status.code) \(r.text.prefix(200))")
                try Self.conforms(r, "get", path, document: document)
            }
            let proof = try await client.api(.get, "/api/v1/cases/\(code)/proof", token: token).json()
            let entries = try #require(proof["entries"] as? [[String: Any]])
            let now = try await fixture.store.history(of: CaseID(code))
            #expect(entries.count == now.count && entries.allSatisfy { $0["verified"] as? Bool == true && $0["pending"] as? Bool == false })
            #expect(proof["witnessed"] as? Bool == true)
            #expect(now.contains { $0.action.body.type == .explainFinding } && now.contains { $0.action.body.type == .reviewFinding })
            let search = try await client.api(.get, "/api/v1/cases?q=ly+lich+tu+phap", token: token).json()
            #expect(search["total"] as? Int == 1, "diacritic-insensitive search finds 'Lý lịch tư pháp'")
        }
    }

    /// A token never acts as just anyone (security issue item 2): an official's token acts as that official only; a
    /// system's token only for the officials listed on it; only a system allowed to import history gives a time, and
    /// that time is bounded. Every entry names the token that wrote it.
    @Test func tokensActOnlyAsTheirSubject() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let actions = "/api/v1/cases/\(ServerFixture.code)/actions"
        try await fixture.test { client in
            let document = try OpenAPIDocument(yaml: try await client.execute(uri: "/openapi.yaml", method: .get).text)
            let an = try #require(fixture.tokens["an"])
            let system = try #require(fixture.tokens["motcua"])
            let importer = try #require(fixture.tokens["importer"])
            let all = try #require(fixture.tokens["all"])
            let size = try await fixture.store.ledgerSize()

            // cv-an's own token cannot act as the inspector, nor as anyone else.
            for other in ["ttv", "cv-binh"] {
                let forged = try await client.api(.post, actions, token: an, json: ["type": "comment", "actor": other, "text": "giả danh"])
                #expect(forged.status.code == 403, "\(other): \(forged.text)")
                try LiveAPITests.conforms(forged, "post", actions, document: document)
            }
            // A system's token cannot act for an official it is not listed for.
            let unlisted = try await client.api(.post, actions, token: system, json: ["type": "comment", "actor": "ttv", "text": "giả danh"])
            #expect(unlisted.status.code == 403)
            #expect(try await fixture.store.ledgerSize() == size, "nothing written by a refused token")

            // Its owner's own token acts as them without naming them, and the entry says which token wrote it.
            let own = try await client.api(.post, actions, token: an, json: ["type": "comment", "text": "Đang xử lý"])
            #expect(own.status.code == 201, "\(own.text)")
            let entry = try #require(try await fixture.store.history(of: ServerFixture.code).last)
            #expect(entry.action.actor == .official("cv-an") && entry.action.via == .apiToken(name: "an"))
            let mirrored = try await client.api(
                .post, actions, token: system, json: ["type": "comment", "actor": "cv-an", "text": "Từ hệ thống một cửa"])
            #expect(mirrored.status.code == 201)
            #expect(try await fixture.store.history(of: ServerFixture.code).last?.action.via == .apiToken(name: "motcua"))

            // Findings: a token cannot explain as the finding's official nor review as an inspector unless it is theirs.
            let findingID = try await self.raisePingPong(fixture, client, token: all)
            let explainAsOther = try await client.api(
                .post, "/api/v1/findings/\(findingID)/explanation", token: an, json: ["actor": "cv-binh", "text": "x"])
            #expect(explainAsOther.status.code == 403)
            let reviewAsInspector = try await client.api(
                .post, "/api/v1/findings/\(findingID)/review", token: an, json: ["actor": "ttv", "uphold": false])
            #expect(reviewAsInspector.status.code == 403)

            // Time: only an importer gives it, and only within the rulebook's window and the server's clock.
            let timed = try await client.api(.post, actions, token: an, json: ["type": "comment", "text": "x", "at": LiveLedger.nowMillis()])
            #expect(timed.status.code == 422)
            #expect(try timed.errorField() == "at")
            let farFuture = try await client.api(
                .post, actions, token: importer, json: ["type": "comment", "actor": "cv-an", "text": "x", "at": 253_402_300_799_000])
            #expect(farFuture.status.code == 422, "\(farFuture.text)")
            #expect(try farFuture.errorField() == "at")
            try LiveAPITests.conforms(farFuture, "post", actions, document: document)
            let before = try await client.api(.post, actions, token: importer, json: ["type": "comment", "actor": "cv-an", "text": "x", "at": 1_000])
            #expect(before.status.code == 422)
            let farDue = try await client.api(
                .post, actions, token: an, json: ["type": "reschedule", "newDueDate": "9999-12-31", "apology": "Xin lỗi"])
            #expect(farDue.status.code == 422, "\(farDue.text)")
            #expect(try farDue.errorField() == "newDueDate")
            // The pages that a year-9999 finding once crashed still answer.
            let list = try await client.api(.get, "/api/v1/cases?limit=20", token: all)
            #expect(list.status.code == 200)
        }
    }

    /// Sends the sample case back and forth between cv-an and cv-binh through the system's token; the ping-pong id.
    func raisePingPong(_ fixture: ServerFixture, _ client: some TestClientProtocol, token: String) async throws -> String {
        let actions = "/api/v1/cases/\(ServerFixture.code)/actions"
        _ = try await client.api(.post, actions, token: token, json: ["type": "transfer", "actor": "cv-an", "to": "cv-binh", "reason": "Chuyển"])
        let back = try await client.api(
            .post, actions, token: token, json: ["type": "transfer", "actor": "cv-binh", "to": "cv-an", "reason": "Trả lại"])
        let raised = try #require(try back.json()["findings"] as? [[String: Any]])
        return try #require(raised.first { $0["detector"] as? String == "ping_pong" }?["id"] as? String)
    }
}
