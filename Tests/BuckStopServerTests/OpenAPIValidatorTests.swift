import BuckStopTestSupport
import Foundation
import Testing

/// Checks the shipped openapi.yaml and the validator that server tests use against it. Every
/// broken-response case asserts both that a violation appears and that it names the JSON path,
/// so a validator that accepts everything (or complains about everything) fails here.
@Suite("OpenAPI document and validator")
struct OpenAPIValidatorTests {
    // MARK: - Fixtures

    /// The real document from the source tree, not a copy: the tests guard what is served.
    static let documentURL = SharedFiles.repositoryRoot.appendingPathComponent("Sources/BuckStopServer/Resources/openapi.yaml")

    func loadDocument() throws -> OpenAPIDocument {
        try OpenAPIDocument(yaml: String(contentsOf: Self.documentURL, encoding: .utf8))
    }

    /// Parses JSON text as a live response would be parsed, so booleans and numbers arrive as
    /// the `NSNumber`s the validator must tell apart.
    func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    static let validCaseList = """
        {
          "cases": [
            {
              "code": "STP-251123-0042",
              "kind": "dossier",
              "procedure": "1.001234",
              "title": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
              "leadUnit": "so-xay-dung",
              "owner": "nv-0007",
              "ownerName": "Nguyễn Thị Lan",
              "status": "processing",
              "dueDate": "2025-12-08",
              "openedAt": 1763884800000,
              "updatedAt": 1763971200000,
              "ownerSince": 1763971200000,
              "workingDaysLeft": -2,
              "rating": null
            },
            {
              "code": "UBP-251124-0001",
              "kind": "complaint",
              "procedure": null,
              "title": "Khiếu nại về tiếng ồn",
              "leadUnit": "ubnd-phuong-1",
              "owner": null,
              "ownerName": null,
              "status": "closed",
              "dueDate": null,
              "openedAt": 1763971200000,
              "updatedAt": 1764057600000,
              "ownerSince": 1763971200000,
              "workingDaysLeft": null,
              "rating": 5
            }
          ],
          "total": 2
        }
        """

    static let validFinding = """
        {
          "id": "F-000017",
          "detector": "ping_pong",
          "detectorName": "Đùn đẩy qua lại",
          "case": "STP-251123-0042",
          "official": "nv-0007",
          "unit": "so-xay-dung",
          "head": "gd-0001",
          "severity": "major",
          "evidence": [3, 5, 8],
          "value": "3 lần qua lại",
          "limit": "2 lần",
          "explanation": "Hồ sơ bị chuyển qua lại giữa hai cán bộ.",
          "explanationEn": "The case went back and forth between two officials.",
          "status": "open",
          "response": null,
          "reviewer": null,
          "reviewNote": null,
          "cause": null,
          "protectedBy": null,
          "consequences": {
            "decided": [],
            "closed": false,
            "remediationOwner": null,
            "remediationDue": null,
            "remediationDoneAt": null,
            "remediationStatus": null
          },
          "observedAt": 1763971200000,
          "raisedAt": 1763971200500,
          "raisedIndex": 9
        }
        """

    /// The valid case list with one change made to its first case, round-tripped through
    /// `JSONSerialization` so the changed value has the type a live response would give it.
    func caseList(changingFirstCase change: (inout [String: Any]) -> Void) throws -> Any {
        var root = try #require(try parse(Self.validCaseList) as? [String: Any])
        var cases = try #require(root["cases"] as? [Any])
        var first = try #require(cases[0] as? [String: Any])
        change(&first)
        cases[0] = first
        root["cases"] = cases
        return try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: root))
    }

    func caseListViolations(_ json: Any) throws -> [String] {
        try loadDocument().validate(json: json, path: "/api/v1/cases", method: "GET", status: 200)
    }

    /// Exactly one violation, at `path`, whose text contains `fragment`.
    func expectSingleViolation(
        _ violations: [String], at path: String, containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(violations.count == 1, "expected one violation, got \(violations)", sourceLocation: sourceLocation)
        let first = violations.first ?? ""
        #expect(first.hasPrefix(path + ":"), "violation should name \(path): \(first)", sourceLocation: sourceLocation)
        #expect(first.contains(fragment), "violation should say \(fragment): \(first)", sourceLocation: sourceLocation)
    }

    // MARK: - The document

    @Test func documentHasEveryOperation() throws {
        let document = try loadDocument()
        let expected: [(String, String)] = [
            ("GET", "/api/v1/cases"),
            ("POST", "/api/v1/cases"),
            ("GET", "/api/v1/cases/{code}"),
            ("POST", "/api/v1/cases/{code}/actions"),
            ("GET", "/api/v1/cases/{code}/proof"),
            ("GET", "/api/v1/programmes"),
            ("GET", "/api/v1/programmes/{code}"),
            ("GET", "/api/v1/index"),
            ("GET", "/api/v1/findings"),
            ("GET", "/api/v1/findings/{id}"),
            ("POST", "/api/v1/findings/{id}/explanation"),
            ("POST", "/api/v1/findings/{id}/review"),
            ("POST", "/api/v1/findings/{id}/consequences"),
            ("POST", "/api/v1/findings/{id}/remediation"),
            ("GET", "/api/v1/ledger/checkpoint"),
            ("GET", "/api/v1/ledger/proofs/inclusion"),
            ("GET", "/api/v1/ledger/proofs/consistency"),
            ("GET", "/api/v1/ledger/entries/{index}"),
            ("GET", "/api/v1/org/units"),
            ("GET", "/api/v1/org/officials"),
            ("GET", "/api/v1/events"),
            ("GET", "/health/live"),
            ("GET", "/health/ready"),
            ("GET", "/metrics"),
            ("GET", "/openapi.yaml"),
        ]
        for (method, path) in expected {
            #expect(document.operation(path: path, method: method), "missing \(method) \(path)")
        }
        #expect(document.operations.count == expected.count, "unexpected extra operations: \(document.operations)")
        #expect(!document.operation(path: "/api/v1/cases", method: "DELETE"))
        #expect(!document.operation(path: "/api/v1/nowhere", method: "GET"))
    }

    @Test func publicAndScopedOperations() throws {
        let document = try loadDocument()
        let publicOperations: Set<String> = [
            "/health/live", "/health/ready", "/metrics", "/openapi.yaml",
            "/api/v1/ledger/checkpoint", "/api/v1/ledger/proofs/inclusion", "/api/v1/ledger/proofs/consistency",
        ]
        let knownScopes: Set<String> = ["cases:read", "actions:write", "findings:read", "findings:write", "ledger:read", "org:read"]
        for (path, method) in document.operations {
            let scopes = document.requiredScopes(path: path, method: method)
            if publicOperations.contains(path) {
                #expect(scopes == nil, "\(method) \(path) should be public")
            } else {
                let scopes = try #require(scopes, "\(method) \(path) should need a token")
                #expect(scopes.count == 1 && knownScopes.isSuperset(of: scopes), "\(method) \(path) scopes \(scopes)")
            }
        }
        #expect(document.requiredScopes(path: "/api/v1/cases/{code}/actions", method: "POST") == ["actions:write"])
        #expect(document.requiredScopes(path: "/api/v1/events", method: "GET") == ["findings:read"])
    }

    @Test func documentExamplesConformToTheirSchemas() throws {
        let document = try loadDocument()
        let examples = document.responseExamples()
        #expect(examples.count >= 2)
        for example in examples {
            let violations = document.validate(json: example.example, path: example.path, method: example.method, status: example.status)
            #expect(violations.isEmpty, "example of \(example.method.uppercased()) \(example.path) \(example.status): \(violations)")
        }
    }

    // MARK: - Valid responses pass

    @Test func validCaseListPasses() throws {
        #expect(try caseListViolations(parse(Self.validCaseList)) == [])
    }

    @Test func validFindingPassesWhereverAFindingIsReturned() throws {
        let document = try loadDocument()
        let finding = try parse(Self.validFinding)
        #expect(document.validate(json: finding, path: "/api/v1/findings/{id}", method: "GET", status: 200) == [])
        #expect(document.validate(json: finding, path: "/api/v1/findings/{id}/review", method: "post", status: 200) == [])
        let list = try parse(#"{"findings": [\#(Self.validFinding)], "total": 1}"#)
        #expect(document.validate(json: list, path: "/api/v1/findings", method: "GET", status: 200) == [])
    }

    static let rejectedProblem = """
        {"type": "/problems/rejected", "title": "Refused", "status": 422, "detail": "escalate: field 'proposal' is required and was empty",
         "instance": "/api/v1/cases/HS-1/actions", "code": "rejected", "field": "proposal", "requestId": "AbC-12_3"}
        """

    @Test func errorBodiesValidateThroughResponseReferences() throws {
        let document = try loadDocument()
        let rejected = try parse(Self.rejectedProblem)
        #expect(document.validate(json: rejected, path: "/api/v1/cases/{code}/actions", method: "POST", status: 422) == [])
        let unknownCode = try parse(Self.rejectedProblem.replacingOccurrences(of: #""code": "rejected""#, with: #""code": "oops""#))
        expectSingleViolation(
            document.validate(json: unknownCode, path: "/api/v1/cases/{code}", method: "GET", status: 404),
            at: "$.code", containing: "expected one of")
        // The old envelope is not a problem: its member is not allowed and every problem member is missing.
        let old = try parse(#"{"error": {"code": "rejected", "message": "x", "field": null}}"#)
        #expect(document.validate(json: old, path: "/api/v1/cases/{code}/actions", method: "POST", status: 422).contains { $0.hasPrefix("$.error:") })
        // The request id is a well-formed token; a problem without one does not conform.
        let forged = try parse(Self.rejectedProblem.replacingOccurrences(of: "AbC-12_3", with: "a b\\nc"))
        expectSingleViolation(
            document.validate(json: forged, path: "/api/v1/cases/{code}/actions", method: "POST", status: 422), at: "$.requestId",
            containing: "expected to match")
    }

    @Test func errorsMustBeSentAsProblemJSON() throws {
        let document = try loadDocument()
        let rejected = try parse(Self.rejectedProblem)
        let path = "/api/v1/cases/{code}/actions"
        #expect(document.validate(json: rejected, path: path, method: "POST", status: 422, contentType: "application/problem+json") == [])
        let asJSON = document.validate(json: rejected, path: path, method: "POST", status: 422, contentType: "application/json; charset=utf-8")
        #expect(asJSON.count == 1 && asJSON[0].contains("Content-Type application/json is not documented"), "\(asJSON)")
        // Successful answers stay application/json.
        let list = try parse(#"{"findings": [], "total": 0}"#)
        #expect(
            document.validate(json: list, path: "/api/v1/findings", method: "GET", status: 200, contentType: "application/json; charset=utf-8") == [])
        #expect(
            document.validate(json: list, path: "/api/v1/findings", method: "GET", status: 200, contentType: "application/problem+json").count == 1)
    }

    @Test func ledgerEntryAllowsAnyPropertiesInsideEntryOnly() throws {
        let document = try loadDocument()
        let hash = String(repeating: "ab", count: 32)
        let entry = try parse(#"{"index": 0, "leafHash": "\#(hash)", "entry": {"type": "open", "anything": [1, {"x": null}]}}"#)
        #expect(document.validate(json: entry, path: "/api/v1/ledger/entries/{index}", method: "GET", status: 200) == [])
        let extra = try parse(#"{"index": 0, "leafHash": "\#(hash)", "entry": {}, "more": 1}"#)
        expectSingleViolation(
            document.validate(json: extra, path: "/api/v1/ledger/entries/{index}", method: "GET", status: 200),
            at: "$.more", containing: "not allowed")
    }

    // MARK: - Broken responses fail, naming the path

    @Test func wrongEnumValueIsReported() throws {
        let json = try caseList { $0["status"] = "lost" }
        expectSingleViolation(
            try caseListViolations(json), at: "$.cases[0].status",
            containing: #"expected one of ["received", "processing", "awaiting_supplement", "resolved", "closed"], found "lost""#)
    }

    @Test func missingRequiredPropertyIsReported() throws {
        let json = try caseList { $0["title"] = nil }
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].title", containing: "required property is missing")
    }

    @Test func omittedNullablePropertyIsStillMissing() throws {
        // Encoders that skip nil optionals produce exactly this; the document wants explicit nulls.
        let json = try caseList { $0["rating"] = nil }
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].rating", containing: "required property is missing")
    }

    @Test func extraPropertyIsReported() throws {
        let json = try caseList { $0["colour"] = "red" }
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].colour", containing: "not allowed")
    }

    @Test func stringWhereIntegerExpectedIsReported() throws {
        let json = try caseList { $0["openedAt"] = "1763884800000" }
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].openedAt", containing: #"expected integer, found string "1763884800000""#)
    }

    @Test func booleanWhereIntegerExpectedIsReported() throws {
        // `true` is the risky one: on Linux an NSNumber holding 1 casts to Bool and back.
        let json = try caseList { $0["openedAt"] = true }
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].openedAt", containing: "expected integer, found boolean true")
        let total = try parse(Self.validCaseList.replacingOccurrences(of: #""total": 2"#, with: #""total": false"#))
        expectSingleViolation(try caseListViolations(total), at: "$.total", containing: "expected integer, found boolean false")
        let nullable = try caseList { $0["workingDaysLeft"] = false }
        expectSingleViolation(
            try caseListViolations(nullable), at: "$.cases[0].workingDaysLeft",
            containing: "expected one of types [integer, null], found boolean false")
    }

    @Test func integerWhereBooleanExpectedIsReported() throws {
        let document = try loadDocument()
        let officials = try parse(
            #"{"officials": [{"id": "nv-1", "name": "A", "unit": "u", "position": "Chuyên viên", "roles": ["official"], "active": 1}]}"#)
        expectSingleViolation(
            document.validate(json: officials, path: "/api/v1/org/officials", method: "GET", status: 200),
            at: "$.officials[0].active", containing: "expected boolean, found integer 1")
        let fine = try parse(
            #"{"officials": [{"id": "nv-1", "name": "A", "unit": "u", "position": "Chuyên viên", "roles": ["head"], "active": true}]}"#)
        #expect(document.validate(json: fine, path: "/api/v1/org/officials", method: "GET", status: 200) == [])
    }

    @Test func fractionalNumberIsNotAnInteger() throws {
        let whole = try parse(Self.validCaseList.replacingOccurrences(of: #""openedAt": 1763884800000"#, with: #""openedAt": 1763884800000.0"#))
        #expect(try caseListViolations(whole) == [], "1763884800000.0 is an integer in JSON Schema")
        let json = try parse(Self.validCaseList.replacingOccurrences(of: #""openedAt": 1763884800000"#, with: #""openedAt": 1.5"#))
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].openedAt", containing: "expected integer, found number 1.5")
    }

    @Test func nullWhereNotNullableIsReported() throws {
        let json = try caseList { $0["code"] = NSNull() }
        expectSingleViolation(try caseListViolations(json), at: "$.cases[0].code", containing: "expected string, found null")
    }

    @Test func boundsAndPatternsAreChecked() throws {
        let rating = try caseList { $0["rating"] = 6 }
        expectSingleViolation(try caseListViolations(rating), at: "$.cases[0].rating", containing: "expected at most 5, found 6")
        let date = try caseList { $0["dueDate"] = "08/12/2025" }
        expectSingleViolation(try caseListViolations(date), at: "$.cases[0].dueDate", containing: "expected to match")

        let document = try loadDocument()
        let shortHash = try parse(#"{"from": 1, "to": 2, "path": ["ABCDEF"]}"#)
        expectSingleViolation(
            document.validate(json: shortHash, path: "/api/v1/ledger/proofs/consistency", method: "GET", status: 200),
            at: "$.path[0]", containing: "expected to match /^[0-9a-f]{64}$/")
    }

    @Test func violationsAreCollectedNotStoppedAtTheFirst() throws {
        let json = try caseList {
            $0["status"] = "lost"
            $0["kind"] = 7
            $0["title"] = nil
        }
        let violations = try caseListViolations(json)
        #expect(violations.count == 3, "\(violations)")
        #expect(violations.contains { $0.hasPrefix("$.cases[0].kind:") })
        #expect(violations.contains { $0.hasPrefix("$.cases[0].status:") })
        #expect(violations.contains { $0.hasPrefix("$.cases[0].title:") })
    }

    @Test func undocumentedStatusOrOperationIsAViolation() throws {
        let document = try loadDocument()
        let body = try parse(#"{"status": "ok"}"#)
        #expect(document.validate(json: body, path: "/health/live", method: "GET", status: 200) == [])
        #expect(
            document.validate(json: body, path: "/health/live", method: "GET", status: 418).first?.contains("status 418 is not documented") == true)
        #expect(document.validate(json: body, path: "/health/nowhere", method: "GET", status: 200).first?.contains("not in the document") == true)
        #expect(document.validate(json: "text", path: "/metrics", method: "GET", status: 200).first?.contains("no application/json body") == true)
        let unavailable = try parse(#"{"status": "unavailable", "reason": "store closed"}"#)
        #expect(document.validate(json: unavailable, path: "/health/ready", method: "GET", status: 503) == [])
        // The 200 body allows neither that status nor a reason.
        #expect(
            document.validate(json: unavailable, path: "/health/ready", method: "GET", status: 200).sorted() == [
                "$.reason: property is not allowed here", #"$.status: expected one of ["ok"], found "unavailable""#,
            ])
    }

    @Test func requestSchemasCanBeCheckedByName() throws {
        let document = try loadDocument()
        let review = try parse(#"{"actor": "gd-0001", "uphold": true, "note": "Đúng."}"#)
        #expect(document.validate(json: review, schemaNamed: "ReviewRequest") == [])
        let badReview = try parse(#"{"actor": "gd-0001", "uphold": "yes", "notes": "x"}"#)
        let violations = document.validate(json: badReview, schemaNamed: "ReviewRequest")
        #expect(violations.sorted() == ["$.notes: property is not allowed here", #"$.uphold: expected boolean, found string "yes""#])
        #expect(document.validate(json: review, schemaNamed: "NoSuchSchema").first?.contains("cannot resolve") == true)
    }

    // MARK: - Paths and value classification

    @Test func templatePathMatchesConcretePaths() throws {
        let document = try loadDocument()
        #expect(document.templatePath(for: "/api/v1/cases/HS-1") == "/api/v1/cases/{code}")
        #expect(document.templatePath(for: "/api/v1/cases") == "/api/v1/cases")
        #expect(document.templatePath(for: "/api/v1/cases?status=closed&limit=5") == "/api/v1/cases")
        #expect(document.templatePath(for: "/api/v1/cases/STP-251123-0042/actions") == "/api/v1/cases/{code}/actions")
        #expect(document.templatePath(for: "/api/v1/cases/HS-1/proof") == "/api/v1/cases/{code}/proof")
        #expect(document.templatePath(for: "/api/v1/findings/F-1/review") == "/api/v1/findings/{id}/review")
        #expect(document.templatePath(for: "/api/v1/ledger/proofs/inclusion?index=1&size=4") == "/api/v1/ledger/proofs/inclusion")
        #expect(document.templatePath(for: "/api/v1/ledger/entries/12") == "/api/v1/ledger/entries/{index}")
        #expect(document.templatePath(for: "/api/v1/cases/") == nil, "an empty segment fills no parameter")
        #expect(document.templatePath(for: "/api/v1/cases/HS-1/unknown") == nil)
        #expect(document.templatePath(for: "/nowhere") == nil)
    }

    @Test func jsonValuesAreClassifiedByTheirJSONType() throws {
        let parsed = try #require(try parse("[true, false, 1, 0, 2.5, 3.0, null, \"s\"]") as? [Any])
        #expect(
            parsed.map { OpenAPIDocument.JSONValue($0).typeDescription } == [
                "boolean", "boolean", "integer", "integer", "number", "integer", "null", "string",
            ])
        // Hand-built values (Swift Bool, Int, Double, Optional) are classified the same way.
        let optionalInt: Int? = 4
        let none: String? = nil
        let native: [Any] = [true, 1, 2.5, optionalInt as Any, none as Any]
        #expect(native.map { OpenAPIDocument.JSONValue($0).typeDescription } == ["boolean", "integer", "number", "integer", "null"])
        #expect(OpenAPIDocument.JSONValue(true) != OpenAPIDocument.JSONValue(1))
        #expect(OpenAPIDocument.JSONValue(parsed[2]) == OpenAPIDocument.JSONValue(1.0))
    }
}
