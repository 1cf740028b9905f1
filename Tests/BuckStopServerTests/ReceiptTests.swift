import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HummingbirdTesting
import Testing

@testable import BuckStopServer

/// The receipt as a printable document (issue 15): national header, agency, code and PIN, applicant, time received,
/// documents, due date, and a QR code of the public tracking address that never carries the PIN.
@Suite(.serialized) struct ReceiptTests {
    static let publicURL = "https://dichvucong.danang.gov.vn"
    static let form = "Tờ khai đăng ký khai sinh theo mẫu"
    static let certificate = "Giấy chứng sinh (không có thì văn bản xác nhận của người làm chứng)"

    /// Intake of a birth registration at the ward's counter by mc-hc, as the browser posts it; the receipt's path.
    static func intake(_ b: inout Browser) async throws -> String {
        _ = try await b.login("mc-hc")
        let r = try await b.post(
            "/cases",
            form: [
                ("kind", "dossier"), ("procedure", "HT-KHAISINH"), ("title", ""), ("leadUnit", "p-hai-chau"), ("owner", "mc-hc"),
                ("applicantName", "Phạm Văn Hùng"), ("applicantPhone", "0912 345 678"), ("otherDocuments", ""),
                ("documents", form), ("documents", certificate),
            ], from: "/cases/new?procedure=HT-KHAISINH")
        #expect(r.status.code == 303, "\(r.text.prefix(400))")
        return try #require(r.location)
    }

    static func code(fromReceipt path: String) throws -> CaseID {
        let parts = path.split(separator: "/")
        try #require(parts.count == 3 && parts[0] == "cases" && parts[2] == "receipt", "\(path)")
        return CaseID(String(parts[1]))
    }

    /// The text inside the element with `id` (first occurrence, up to its closing tag), or nil.
    static func element(_ id: String, in html: String) -> String? {
        guard let open = html.range(of: "id=\"\(id)\""), let start = html[open.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: start)...]
        guard let end = rest.range(of: "</") else { return nil }
        return String(rest[..<end.lowerBound])
    }

    @Test func theReceiptIsAPrintableDocumentWithAQRCodeOfTheTrackingAddress() async throws {
        let fixture = try await ServerFixture.make { $0.publicURL = Self.publicURL }
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let path = try await Self.intake(&b)
            let code = try Self.code(fromReceipt: path)
            let page = try await b.get(path)
            #expect(page.status.code == 200)
            let html = page.text
            let c = try #require(try await fixture.store.caseState(code))
            let pin = fixture.state.live.citizenKeys.pin(for: code)

            // The national header and the receiving agency (the ward, under the city's committee), as on the form.
            #expect(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && html.contains("Độc lập - Tự do - Hạnh phúc"))
            #expect(html.contains("UBND PHƯỜNG HẢI CHÂU") && html.contains("UBND THÀNH PHỐ"))
            #expect(html.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"))

            // Code and PIN in the same large monospace type.
            #expect(html.contains("<span id=\"case-code\" class=\"receipt-number mono\">\(code.rawValue)</span>"))
            #expect(html.contains("<span id=\"case-pin\" class=\"receipt-number mono\">\(pin)</span>"))

            // Applicant, procedure, documents, time received, due date, who received it.
            #expect(Self.element("receipt-applicant", in: html) == "Phạm Văn Hùng")
            #expect(Self.element("receipt-applicant-phone", in: html) == "0912345678")
            #expect(Self.element("receipt-procedure", in: html) == "Đăng ký khai sinh")
            let documents = try #require(html.range(of: "<ol id=\"receipt-documents\">").map { String(html[$0.upperBound...].prefix(400)) })
            #expect(documents.hasPrefix("<li>\(Self.form)</li><li>\(Self.certificate)</li></ol>"))
            #expect(Self.element("receipt-received", in: html) == Self.vietnamTime(c.openedAt))
            let due = try #require(c.originalDueDate)
            #expect(Self.element("receipt-due", in: html) == "Hẹn trả kết quả ngày \(Self.calendarWords(due))")
            #expect(Self.element("receipt-official", in: html) == "Đỗ Thị Mai, Công chức một cửa")

            // The QR code is the tracking address at the configured public URL, with the code and without the PIN.
            let url = Self.publicURL + "/track?code=" + code.rawValue
            #expect(Self.element("tracking-url", in: html) == url)
            #expect(!url.contains(pin))
            let svg = try #require(html.range(of: "<svg").map { String(html[$0.lowerBound...]) }?.components(separatedBy: "</svg>").first)
            #expect(svg.contains("id=\"receipt-qr\"") && svg.contains("role=\"img\"") && svg.contains("shape-rendering=\"crispEdges\""))
            #expect(!svg.contains(pin), "the PIN is not in the symbol's label either")
            let expected = try QRCode.encode(url, errorCorrection: .medium)
            #expect(svg.contains(" d=\"\(expected.svgPath)\""), "the page's path is the encoder's for the tracking address")
            #expect(QRCodeVectors.modules(fromSVG: svg, size: expected.size) == expected.modules)
            #expect(html.contains("mã PIN không có trong mã QR"))

            // The page's own print instruction, and no inline script (the Content-Security-Policy would block it).
            #expect(html.contains("id=\"print-hint\"") && !html.contains("<script") && !html.contains("onclick"))

            // The address the QR code opens fills the code in and asks for the PIN.
            var citizen = Browser(client)
            let track = try await citizen.get("/track?code=" + code.rawValue)
            #expect(track.status.code == 200)
            #expect(track.text.contains("id=\"code\" name=\"code\" required=\"required\" autocomplete=\"off\" value=\"\(code.rawValue)\""))
            #expect(track.text.contains("autofocus=\"autofocus\""))
        }
    }

    @Test func theEnglishReceiptKeepsTheVietnameseFormAndTranslatesIt() async throws {
        let fixture = try await ServerFixture.make { $0.publicURL = Self.publicURL + "/" }
        defer { fixture.remove() }
        try await fixture.test { client in
            var b = Browser(client)
            let path = try await Self.intake(&b)
            let code = try Self.code(fromReceipt: path)
            let html = try await b.get(path + "?lang=en").text
            #expect(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && html.contains("Socialist Republic of Viet Nam"))
            #expect(html.contains("Receipt of the dossier and appointment for the result"))
            #expect(html.contains("Result due on ") && html.contains("(Vietnam time, UTC+7)"))
            #expect(html.contains("the PIN is not in the QR code"))
            #expect(Self.element("tracking-url", in: html) == Self.publicURL + "/track?code=" + code.rawValue, "no double slash")
        }
    }

    @Test func citizensAnonymousVisitorsAndOfficialsOutsideTheRemitCannotSeeIt() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        try await fixture.openSampleCase()
        let path = "/cases/\(ServerFixture.code)/receipt"
        let pin = fixture.state.live.citizenKeys.pin(for: ServerFixture.code)
        try await fixture.test { client in
            var anonymous = Browser(client)
            let a = try await anonymous.get(path)
            #expect(a.status.code == 303 && (a.location ?? "").hasPrefix("/login"))
            #expect(!a.text.contains(pin))

            var citizen = Browser(client)
            let lookup = try await citizen.post("/track", form: [("code", ServerFixture.code.rawValue), ("pin", pin)])
            #expect(lookup.status.code == 303, "the citizen holds the case's grant")
            let c = try await citizen.get(path)
            #expect(c.status.code == 303 && (c.location ?? "").hasPrefix("/login"))
            #expect(!c.text.contains(pin))

            var outsider = Browser(client)
            _ = try await outsider.login("mc-hc")
            let o = try await outsider.get(path)
            #expect(o.status.code == 403)
            #expect(!o.text.contains(pin))

            // The official who holds it sees it; the sample case has no applicant and no documents listed: no rows.
            var holder = Browser(client)
            _ = try await holder.login("cv-an")
            let h = try await holder.get(path)
            #expect(h.status.code == 200)
            #expect(h.text.contains(pin))
            #expect(!h.text.contains("id=\"receipt-applicant\"") && !h.text.contains("id=\"receipt-documents\""))
            // Without public_url the address falls back to http and the request's host (here the configured one).
            let url = try #require(Self.element("tracking-url", in: h.text))
            #expect(url.hasPrefix("http://") && url.hasSuffix("/track?code=\(ServerFixture.code.rawValue)"))
        }
    }

    /// A denouncer's identity stays off the receipt (Luật Tố cáo Đ.47): only its handlers may see it, with the reveal
    /// on the ledger, which this page does not do.
    @Test func aDenouncersNameIsNotPrinted() async throws {
        let fixture = try await ServerFixture.make()
        defer { fixture.remove() }
        let outcome = try await fixture.state.live.open(
            OpenCase(kind: .denunciation, title: "Tố cáo hành vi nhận tiền khi cấp giấy phép", leadUnit: "thanh-tra", owner: "ttv"),
            actor: .official("ttv"), at: LiveLedger.nowMillis(), personalData: PersonalData(fullName: "Trần Văn Tố Cáo", phone: "0987654321"),
            via: .generated("test"))
        let code = outcome.receipt.caseID
        try await fixture.test { client in
            var b = Browser(client)
            _ = try await b.login("ttv")
            let html = try await b.get("/cases/\(code.rawValue)/receipt").text
            #expect(html.contains("id=\"case-code\""))
            #expect(!html.contains("Trần Văn Tố Cáo") && !html.contains("0987654321") && !html.contains("id=\"receipt-applicant\""))
        }
    }

    @Test func thePublicURLIsValidatedAndNamedInErrors() throws {
        var c = ServerConfiguration()
        try c.apply(environment: ["BUCKSTOP_PUBLIC_URL": "HTTPS://DichVuCong.DaNang.gov.vn/buckstop/"])
        #expect(c.publicURL == "https://dichvucong.danang.gov.vn/buckstop")
        try c.set("public_url", "http://10.0.0.5:8080", source: "--config")
        #expect(c.publicURL == "http://10.0.0.5:8080")
        try c.set("public_url", "", source: "--config")
        #expect(c.publicURL == nil)
        for bad in ["ftp://example.gov.vn", "dichvucong.danang.gov.vn", "https://", "https://a.vn/?x=1", "https://a.vn/#top", "https://u:p@a.vn"] {
            #expect(throws: ServerConfiguration.Problem.self, "\(bad)") { try c.set("public_url", bad, source: "BUCKSTOP_PUBLIC_URL") }
        }
        do {
            try c.apply(environment: ["BUCKSTOP_PUBLIC_URL": "ftp://example.gov.vn"])
            Issue.record("accepted an ftp URL")
        } catch {
            #expect("\(error)".hasPrefix("BUCKSTOP_PUBLIC_URL: 'public_url' expected an absolute http or https URL"))
        }
        #expect(CasePages.hostHeader("Example.gov.vn:8443") == "example.gov.vn:8443")
        #expect(CasePages.hostHeader("[::1]:8080") == "[::1]:8080")
        #expect(CasePages.hostHeader("evil.vn/\"><script>") == nil)
        #expect(CasePages.hostHeader("") == nil)
    }

    @Test func timesAreVietnamTimeAndDatesCalendarWords() {
        // SampleCity.t0: 2025-11-20 09:00 in Vietnam (02:00 UTC); a minute before midnight UTC is the next day there.
        #expect(CasePages.receivedText(1_763_604_000_000, .vi) == "9 giờ 00 phút, ngày 20/11/2025")
        #expect(CasePages.receivedText(1_763_683_140_000, .vi) == "6 giờ 59 phút, ngày 21/11/2025")
        #expect(CasePages.receivedText(1_763_604_000_000, .en) == "20/11/2025 at 09:00 (Vietnam time, UTC+7)")
        #expect(CasePages.dueText(CivilDate(year: 2025, month: 12, day: 4), .vi) == "Hẹn trả kết quả ngày 04/12/2025")
    }

    /// "9 giờ 05 phút, ngày 20/11/2025", computed with Foundation's calendar in Asia/Ho_Chi_Minh (not the page's code).
    static func vietnamTime(_ ms: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        return "\(parts.hour ?? 0) giờ \(two(parts.minute)) phút, ngày \(two(parts.day))/\(two(parts.month))/\(parts.year ?? 0)"
    }

    static func calendarWords(_ d: CivilDate) -> String { String(format: "%02d/%02d/%04d", d.day, d.month, d.year) }
}
