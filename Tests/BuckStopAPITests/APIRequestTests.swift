import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import Testing

/// The API's request documents are read strictly: the field at fault is named, and nothing the document does not
/// describe is accepted (security issue: "tighten the request schemas to what the server accepts").
@Suite struct APIRequestTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func field(_ body: () throws(APIRequestError) -> Void) -> String?? {
        do {
            try body()
            return nil
        } catch {
            return .some(error.field)
        }
    }

    @Test func anActionReadsItsTypeAndFields() throws {
        let request = try ActionRequest(json: bytes(#"{"type":"escalate","actor":"cv-an","to":"tp-hcbt","proposal":"Đề xuất cấp"}"#))
        #expect(request.actor == "cv-an" && request.at == nil)
        #expect(try request.input.body() == .escalate(to: "tp-hcbt", proposal: "Đề xuất cấp"))
        let consult = try ActionRequest(json: bytes(#"{"type":"consult","units":["stp","thanh-tra"],"question":"?","dueDate":"2026-01-05"}"#))
        #expect(try consult.input.body() == .consult(units: ["stp", "thanh-tra"], question: "?", dueDate: CivilDate(year: 2026, month: 1, day: 5)!))
    }

    @Test(arguments: [
        (#"{"type":"comment","text":"x","actr":"cv-an"}"#, "actr"),
        (#"{"type":"comment","text":5}"#, "text"),
        (#"{"type":"comment","text":"x","at":-1}"#, "at"),
        (#"{"type":"comment","text":"x","at":1.5}"#, "at"),
        (#"{"type":"comment","text":"x","at":"1"}"#, "at"),
        (#"{"type":"rate"}"#, "type"),
        (#"{"type":"comment","text":"x","score":5}"#, "score"),
        (#"{"type":"finding","text":"x"}"#, "type"),
        (#"{"text":"x"}"#, "type"),
        (#"{"type":"consult","units":"stp","question":"?","dueDate":"2026-01-05"}"#, "units"),
        (#"{"type":"consult","units":[1],"question":"?","dueDate":"2026-01-05"}"#, "units[0]"),
        (#"{"type":"comment","text":"x","actor":""}"#, "actor"),
        (#"{"type":"comment","text":"x","actor":"a\nb"}"#, "actor"),
    ]) func aBadActionNamesTheField(json: String, expected: String) {
        #expect(field { () throws(APIRequestError) in _ = try ActionRequest(json: bytes(json)) } == .some(expected), "\(json)")
    }

    @Test(arguments: ["", "{", "[]", "null", "\"x\"", "{\"type\":", String(repeating: "[", count: 100_000)])
    func notAnObjectIsABadBody(json: String) {
        #expect(field { () throws(APIRequestError) in _ = try ActionRequest(json: bytes(json)) } == .some(nil))
    }

    @Test func openCaseReadsTheApplicantApart() throws {
        let r = try OpenCaseRequest(
            json: bytes(
                #"{"kind":"dossier","title":"Cấp phiếu","leadUnit":"stp","owner":"cv-an","procedure":"LLTP","dueDate":"2026-01-05","applicant":{"fullName":"Nguyễn Văn A","phone":"0905"}}"#
            ))
        #expect(r.kind == .dossier && r.applicant?.fullName == "Nguyễn Văn A" && r.applicant?.phone == "0905" && r.actor == nil)
        #expect(
            field { () throws(APIRequestError) in
                _ = try OpenCaseRequest(json: bytes(#"{"kind":"lawsuit","title":"x","leadUnit":"stp","owner":"cv-an"}"#))
            } == .some("kind"))
        #expect(
            field { () throws(APIRequestError) in
                _ = try OpenCaseRequest(json: bytes(#"{"kind":"task","title":"  ","leadUnit":"stp","owner":"cv-an"}"#))
            } == .some("title"))
        #expect(
            field { () throws(APIRequestError) in
                _ = try OpenCaseRequest(
                    json: bytes(#"{"kind":"task","title":"x","leadUnit":"stp","owner":"cv-an","applicant":{"fullName":"A","ssn":"1"}}"#))
            } == .some("applicant.ssn"))
        #expect(
            field { () throws(APIRequestError) in
                _ = try OpenCaseRequest(json: bytes(#"{"kind":"task","title":"x","leadUnit":"stp","owner":"cv-an","dueDate":"2026-02-30"}"#))
            } == .some("dueDate"))
    }

    @Test func limitsAreEnforced() {
        let long = String(repeating: "a", count: APIRequestLimits.textCharacters + 1)
        #expect(field { () throws(APIRequestError) in _ = try ExplanationRequest(json: bytes(#"{"text":"\#(long)"}"#)) } == .some("text"))
        let items = Array(repeating: "\"x\"", count: APIRequestLimits.listItems + 1).joined(separator: ",")
        #expect(
            field { () throws(APIRequestError) in _ = try ActionRequest(json: bytes(#"{"type":"request_supplement","missing":[\#(items)]}"#)) }
                == .some("missing"))
        let huge = [UInt8](repeating: 0x20, count: APIRequestLimits.bodyBytes + 1)
        #expect(field { () throws(APIRequestError) in _ = try ActionRequest(json: huge) } == .some(nil))
    }

    @Test func reviewNeedsABoolean() throws {
        #expect(try ReviewRequest(json: bytes(#"{"uphold":false}"#)).uphold == false)
        #expect(field { () throws(APIRequestError) in _ = try ReviewRequest(json: bytes(#"{"uphold":"true"}"#)) } == .some("uphold"))
        #expect(field { () throws(APIRequestError) in _ = try ReviewRequest(json: bytes(#"{"uphold":1}"#)) } == .some("uphold"))
        #expect(field { () throws(APIRequestError) in _ = try ReviewRequest(json: bytes(#"{"note":"x"}"#)) } == .some("uphold"))
    }

    /// A consequence asked through the API makes the same decision as the finding's page: the measure's kind from the
    /// rulebook, only that kind's fields kept; a bad date or an empty text names its field.
    @Test func aConsequenceRequestKeepsOnlyItsKindsFields() throws {
        let measures = [
            ConsequenceMeasure(code: "khac-phuc", kind: .remediation, nameVi: "Khắc phục", nameEn: "Remedy", source: "s", status: "t"),
            ConsequenceMeasure(code: "khien-trach", kind: .discipline, nameVi: "Khiển trách", nameEn: "Reprimand", source: "s", status: "t"),
        ]
        let body = #"{"measure":"khac-phuc","text":"Rà soát","remediationOwner":"cv-an","remediationDue":"2026-12-20","decisionNumber":"1/QĐ"}"#
        let remedy = try ConsequenceRequest(json: bytes(body)).decision(finding: "F-1", measures: measures)
        #expect(
            remedy.kind == .remediation && remedy.remediationOwner == "cv-an" && remedy.remediationDue == CivilDate(year: 2026, month: 12, day: 20))
        #expect(remedy.decisionNumber == nil, "a remediation keeps no decision number")
        let discipline = try ConsequenceRequest(
            json: bytes(#"{"measure":"khien-trach","text":"x","decisionNumber":"1/QĐ","remediationOwner":"cv-an"}"#)
        )
        .decision(finding: "F-1", measures: measures)
        #expect(discipline.kind == .discipline && discipline.decisionNumber == "1/QĐ" && discipline.remediationOwner == nil)
        #expect(
            field { () throws(APIRequestError) in
                _ = try ConsequenceRequest(json: bytes(#"{"measure":"khac-phuc","text":"x","remediationDue":"20/12/2026"}"#))
            }
                == .some("remediationDue"))
        #expect(
            field { () throws(APIRequestError) in _ = try ConsequenceRequest(json: bytes(#"{"measure":"khac-phuc","text":"  "}"#)) } == .some("text"))
        #expect(field { () throws(APIRequestError) in _ = try RemediationRequest(json: bytes(#"{"text":""}"#)) } == .some("text"))
    }
}
