import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import NIOCore
import Testing

@testable import BuckStopServer

/// The caches and writers that make `serve` fast must not change what it answers.
@Suite struct ServerCachesTests {
    // MARK: - Credentials

    @Test func credentialAnswersAreReusedOnlyWithinTheirTimeToLive() async throws {
        let cache = CredentialCache(ttlSeconds: 2)
        let session = StoredSession(official: "cv-an", csrf: "c", expiresAt: 10_000)
        var loads = 0
        var stored: StoredSession? = session
        let load = { () -> StoredSession? in
            loads += 1
            return stored
        }
        #expect(await cache.session("t", nowMillis: 1_000_000, load: load) == session)
        #expect(await cache.session("t", nowMillis: 1_001_999, load: load) == session)
        #expect(loads == 1, "a fresh answer is reused")
        // Ended elsewhere (another server, the CLI): still accepted inside the TTL, refused once it has passed.
        stored = nil
        #expect(await cache.session("t", nowMillis: 1_001_500, load: load) == session)
        #expect(await cache.session("t", nowMillis: 1_002_000, load: load) == nil)
        #expect(loads == 2)
        // Refusals are not remembered: the next request asks the store again.
        #expect(await cache.session("t", nowMillis: 1_002_001, load: load) == nil)
        #expect(loads == 3)
    }

    @Test func logoutForgetsAtOnceAndExpiryIsCheckedOnEveryHit() async throws {
        let cache = CredentialCache(ttlSeconds: 60)
        var stored: StoredSession? = StoredSession(official: "cv-an", csrf: "c", expiresAt: 1_005)
        let load = { () -> StoredSession? in stored }
        #expect(await cache.session("t", nowMillis: 1_000_000, load: load) != nil)
        // Past its expiry the cached session is refused even though the cache entry is fresh.
        #expect(await cache.session("t", nowMillis: 1_006_000, load: load) == nil)
        #expect(await cache.session("u", nowMillis: 1_000_000, load: load) != nil)
        stored = nil
        cache.forget("u")
        #expect(await cache.session("u", nowMillis: 1_000_001, load: load) == nil)
    }

    @Test func revokedAPITokenStopsWorkingAfterTheTimeToLive() async throws {
        let cache = CredentialCache(ttlSeconds: 2)
        var stored: StoredAPIToken? = StoredAPIToken(name: "motcua", scopes: ["actions:write"], subject: .official("cv-an"))
        let load = { () -> StoredAPIToken? in stored }
        #expect(await cache.apiToken("k", nowMillis: 0, load: load)?.name == "motcua")
        stored = nil
        #expect(await cache.apiToken("k", nowMillis: 1_999, load: load)?.name == "motcua")
        #expect(await cache.apiToken("k", nowMillis: 2_000, load: load) == nil)
    }

    // MARK: - JSON

    /// Parses what the writer wrote with Foundation and compares, plus the exact bytes where the order matters.
    @Test func jsonWriterWritesSortedKeysEscapesAndKeepsNumbersApart() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(#"{"flag":true,"one":1,"zero":0,"half":0.5}"#.utf8))
        let value: [String: Any] = [
            "b": "Nguyễn \"Văn\" \\ A\n\t\u{01}", "a": [1, Int64(2), NSNull(), true, false, 2.5] as [Any], "c": ["z": 1, "y": "x"] as [String: Any],
            "parsed": parsed,
        ]
        let bytes = try JSONWriter.data(value)
        let text = String(buffer: bytes)
        #expect(
            text
                == #"{"a":[1,2,null,true,false,2.5],"b":"Nguyễn \"Văn\" \\ A\n\t\u0001","c":{"y":"x","z":1},"parsed":{"flag":true,"half":0.5,"one":1,"zero":0}}"#
        )
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(back["b"] as? String == "Nguyễn \"Văn\" \\ A\n\t\u{01}")
    }

    @Test func jsonWriterRefusesValuesItCannotWrite() {
        #expect(throws: JSONWriter.UnsupportedValue.self) { try JSONWriter.data(["x": Date()]) }
        #expect(throws: JSONWriter.UnsupportedValue.self) { try JSONWriter.data(["x": Double.nan]) }
    }

    /// The case summary was written twice (a dictionary, and bytes for the append answer) and this test held the two
    /// equal; it is one generated type now, so the test holds it to what both said: for an open case with an owner
    /// and for one with absent values, every property, in sorted order, `null` where absent.
    @Test func theCaseSummaryIsOneTypeWithNullsWhereAbsent() async throws {
        let fx = try await ServerFixture.make()
        let rep = APIRepresentation(state: fx.state)
        let opened = try await fx.store.append(
            .open(
                OpenCase(
                    kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Cấp phiếu \"LLTP\" số 2", leadUnit: "stp", owner: "cv-an",
                    dueDate: .init(year: 2099, month: 1, day: 5)),
                actor: .official("cv-an"), at: SampleCity.t0, code: nil, personalData: nil, via: .generated("test")))
        let second = try await fx.store.append(
            .open(
                OpenCase(kind: .dossier, procedure: nil, title: "Không hạn", leadUnit: "stp", owner: "cv-an"),
                actor: .official("cv-an"), at: SampleCity.t0 + 1, code: nil, personalData: nil, via: .generated("test")))
        let closed = try await fx.store.append(.action(SampleCity.act(second.caseID, by: "cv-an", at: SampleCity.t0 + 2, .close(outcome: "Đã xong"))))
        #expect(closed.state.owner == nil && closed.state.dueDate == nil && closed.state.procedure == nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let keys = [
            "code", "dueDate", "kind", "leadUnit", "openedAt", "owner", "ownerName", "ownerSince", "procedure", "rating", "status", "title",
            "updatedAt",
            "workingDaysLeft",
        ]
        for state in [opened.state, closed.state] {
            let text = String(decoding: try encoder.encode(try rep.caseSummary(state)), as: UTF8.self)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(object.keys.sorted() == keys, "\(text)")
            let order = keys.compactMap { text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(order.count == keys.count && order == order.sorted(), "\(text)")
        }
        let absent = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(try rep.caseSummary(closed.state))) as? [String: Any])
        #expect(["owner", "ownerName", "procedure", "dueDate", "workingDaysLeft", "rating"].allSatisfy { absent[$0] is NSNull }, "\(absent)")
        let present = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(try rep.caseSummary(opened.state))) as? [String: Any])
        #expect(
            present["title"] as? String == "Cấp phiếu \"LLTP\" số 2" && present["owner"] as? String == "cv-an"
                && present["dueDate"] as? String == "2099-01-05")
    }

    // MARK: - HTML and fragments

    @Test func htmlEscapesTextAndAttributesButNotTrustedMarkup() {
        let h = HTML.el("p", [("title", "a\"b<c>&'"), ("hidden", nil)], HTML.text("<script>x & y</script>"), "<br>")
        #expect(h.raw == #"<p title="a&quot;b&lt;c&gt;&amp;&#39;">&lt;script&gt;x &amp; y&lt;/script&gt;<br></p>"#)
        #expect(HTML.el("input", [("name", "q")]).raw == #"<input name="q">"#)
        #expect(HTML.el("td", text: "Đặng Quốc Bình").raw == "<td>Đặng Quốc Bình</td>")
    }

    @Test func fragmentIsRenderedOncePerKey() {
        let cache = FragmentCache<FindingBlockKey>(limit: 2)
        var renders = 0
        func block(_ id: String, _ version: Int64) -> HTML {
            cache.html(FindingBlockKey(id: id, updatedIndex: version, language: .vi, showCase: true, organization: 0)) {
                renders += 1
                return HTML.text("\(id)@\(version)")
            }
        }
        #expect(block("F1", 10).raw == "F1@10")
        #expect(block("F1", 10).raw == "F1@10")
        #expect(renders == 1)
        // A new version of the finding (explained, reviewed) is a new key: rendered again.
        #expect(block("F1", 11).raw == "F1@11")
        #expect(renders == 2)
        // Past the limit the cache starts over rather than growing.
        _ = block("F2", 1)
        _ = block("F1", 11)
        #expect(renders == 4)
    }
}
