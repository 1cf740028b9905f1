import BuckStopDomain
import BuckStopServer
import BuckStopStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The web petition form (issue 15): it keeps what was typed after a refusal with the message next to the field,
/// checks the phone number, and the receipt offers to follow the case at once.
@Suite(.serialized) struct PetitionFormTests {
    @Test func aRefusalKeepsTheTextAndNamesTheField() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let before = try await fixture.store.ledgerSize()
            let text = "Đèn đường hẻm 45 Trần Phú tắt \"từ tuần trước\" <không ai sửa>"
            let bad = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("phone", "12345"), ("title", text)])
            #expect(bad.status.code == 422)
            #expect(bad.text.contains("value=\"Lê Thị Bé\""), "the name is kept")
            #expect(bad.text.contains("value=\"12345\""), "the phone as typed is kept, to correct")
            #expect(bad.text.contains("Đèn đường hẻm 45 Trần Phú tắt &quot;từ tuần trước&quot; &lt;không ai sửa&gt;</textarea>"), "the text is kept")
            #expect(bad.text.contains("id=\"phone-error\""), "the message is next to the phone field")
            #expect(bad.text.contains("aria-describedby=\"phone-error\""))
            #expect(bad.text.contains("Số điện thoại"), "the field is named in Vietnamese")
            #expect(!bad.text.contains("id=\"fullName-error\""))

            let noName = try await b.post("/petition", form: [("fullName", " "), ("title", text)])
            #expect(noName.status.code == 422)
            #expect(noName.text.contains("id=\"fullName-error\""))
            #expect(noName.text.contains("Thiếu họ và tên"))

            let noText = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("title", "")])
            #expect(noText.text.contains("id=\"title-error\""))

            // In English, the field is named in English.
            _ = try await b.get("/petition?lang=en")
            let english = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("phone", "0905"), ("title", text)])
            #expect(english.status.code == 422)
            #expect(english.text.contains("Phone &quot;0905&quot; is invalid"))
            #expect(try await fixture.store.ledgerSize() == before, "nothing written")
        }
    }

    @Test(arguments: ["0905123456", "0905 123 456", "0905.123.456", "+84 905 123 456", "+84905123456", "84905123456"])
    func vietnamesePhoneNumbersAreAccepted(phone: String) async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let r = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("phone", phone), ("title", "Cây đổ chắn đường")])
            #expect(r.status == .ok, "\(phone)")
            let code = try #require(r.text.range(of: "id=\"case-code\">").map { String(r.text[$0.upperBound...].prefix { $0 != "<" }) })
            let state = try #require(try await fixture.store.caseState(CaseID(code)))
            let ref = try #require(state.subject?.ref)
            let sealed = try #require(try await fixture.store.personalData(ref: ref))
            #expect(sealed.phone == "0905123456", "kept in one form")
        }
    }

    @Test(arguments: ["12345", "0905", "090512345678", "+84 12", "0905-abc-456", "phone", "+1 202 555 0100"])
    func otherPhoneTextIsRefused(phone: String) async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let r = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("phone", phone), ("title", "Cây đổ chắn đường")])
            #expect(r.status.code == 422, "\(phone)")
            #expect(r.text.contains("id=\"phone-error\""), "\(phone)")
        }
    }

    @Test func theReceiptOffersToFollowTheCaseNow() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let r = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("title", "Cây đổ chắn đường")])
            #expect(r.status == .ok)
            let code = try #require(r.text.range(of: "id=\"case-code\">").map { String(r.text[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(r.text.contains("<a id=\"track-now\" class=\"button\" href=\"/track/\(code)\">Tra cứu ngay</a>"))
            let followed = try await b.get("/track/\(code)")
            #expect(followed.status == .ok, "the receipt's cookie opens the tracking page without the PIN")
            #expect(followed.text.contains("id=\"track-status\""))
            _ = try await b.get("/petition?lang=en")
            let english = try await b.post("/petition", form: [("fullName", "Lê Thị Bé"), ("title", "Cây đổ lần hai")])
            #expect(english.text.contains(">Follow it now</a>"))
        }
    }
}
