import BuckStopAPI
import BuckStopDomain
import BuckStopTestSupport
import Crypto
import Foundation
import Testing
import Yams

@testable import BuckStopServer

/// The typed API generated from openapi.yaml (`Scripts/generate-api.sh`): the committed code was made from the
/// document as it is, and the generated types answer what the document requires.
@Suite struct GeneratedAPITests {
    static let root = SharedFiles.repositoryRoot
    static let generatedFiles = [
        "Sources/BuckStopAPI/Generated/Types.swift", "Sources/BuckStopAPI/Generated/Types+Components+Schemas.swift",
        "Sources/BuckStopAPI/Generated/Types+Operations.swift", "Sources/BuckStopServer/Generated/Server.swift",
    ]

    /// Each generated file names the SHA-256 of the document it was made from: editing the document without running
    /// Scripts/generate-api.sh fails here.
    @Test func theGeneratedCodeIsMadeFromTheCurrentDocument() throws {
        let document = try Data(contentsOf: Self.root.appendingPathComponent("Sources/BuckStopServer/Resources/openapi.yaml"))
        let digest = SHA256.hash(data: document).map { String(format: "%02x", $0) }.joined()
        for file in Self.generatedFiles {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            let recorded = text.split(separator: "\n").prefix(5).first { $0.hasPrefix("// openapi.yaml SHA-256: ") }
            #expect(
                recorded.map { String($0.dropFirst("// openapi.yaml SHA-256: ".count)) } == digest,
                "\(file) was generated from another openapi.yaml: run Scripts/generate-api.sh")
        }
    }

    /// The gate checks each generated operation's scope from `TypedAPI.scopes` before anything is decoded; that table
    /// must say what the document's security requirement says, operation by operation (a missing entry is public, so
    /// an operation the document protects but the table forgets would be open to anyone).
    @Test func theScopeTableIsTheDocumentsSecurityRequirements() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/BuckStopServer/Resources/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        let generated = Set(["streamEvents", "healthLive", "healthReady", "metrics", "getOpenAPIDocument"])
        var fromDocument: [String: String] = [:]
        var operations = 0
        for (_, item) in paths {
            for (_, value) in try #require(item as? [String: Any]) {
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String, !generated.contains(id) else { continue }
                operations += 1
                let requirements = operation["security"] as? [[String: [String]]] ?? []
                let scopes = requirements.flatMap { $0.values.flatMap { $0 } }
                #expect(scopes.count <= 1, "\(id) needs \(scopes): the gate checks one scope")
                if let scope = scopes.first { fromDocument[id] = scope }
            }
        }
        #expect(operations == 20, "the generated operations")
        #expect(TypedAPI.scopes == fromDocument)
    }

    /// Absent values are `null`, never left out: the responses with nullable properties, all of them nil, still
    /// carry every property and match their schema.
    /// Every action type the ledger can hold is one a timeline entry may have: a case showing one the document lacks
    /// could not be answered.
    @Test func everyActionTypeIsAnEntryType() {
        let documented = Set(Components.Schemas.Entry._typePayload.allCases.map(\.rawValue))
        #expect(Set(ActionType.allCases.map(\.rawValue)).subtracting(documented).isEmpty)
    }

    /// The document's action types are exactly those the server takes: a type documented but refused is a valid request
    /// answered 400 (schemathesis found `proposal_decided` so), one taken but undocumented a hidden door.
    @Test func everyDocumentedActionTypeIsTakenAndNoOther() {
        let documented = Set(Components.Schemas.ActionRequest._typePayload.allCases.map(\.rawValue))
        #expect(documented == Set(ActionInput.acceptedTypes.map(\.rawValue)))
    }

    @Test func nullablePropertiesAreSentAsNull() throws {
        let document = try OpenAPIDocument(
            yaml: String(contentsOf: Self.root.appendingPathComponent("Sources/BuckStopServer/Resources/openapi.yaml"), encoding: .utf8))
        let summary = Components.Schemas.CaseSummary(
            code: "STP-1", kind: .task, procedure: nil, title: "x", leadUnit: "stp", owner: nil, ownerName: nil, status: .closed, dueDate: nil,
            openedAt: 1, updatedAt: 2, ownerSince: 3, workingDaysLeft: nil, rating: nil)
        let consequences = Components.Schemas.FindingConsequences(
            decided: [], closed: false, remediationOwner: nil, remediationDue: nil, remediationDoneAt: nil, remediationStatus: nil)
        let finding = Components.Schemas.Finding(
            id: "f", detector: "ping_pong", detectorName: "d", _case: "STP-1", official: nil, unit: nil, head: nil, severity: .minor, evidence: [1],
            value: "v", limit: "l", explanation: "e", explanationEn: "e", status: .open, response: nil, reviewer: nil, reviewNote: nil,
            cause: nil, protectedBy: nil, consequences: consequences, observedAt: 1, raisedAt: 2, raisedIndex: 3)
        let detail = Components.Schemas.CaseDetail(
            code: "STP-1", kind: .task, procedure: nil, title: "x", leadUnit: "stp", owner: nil, ownerName: nil, status: .closed, dueDate: nil,
            openedAt: 1, updatedAt: 2, ownerSince: 3, workingDaysLeft: nil, rating: nil, timeline: [], findings: [finding])
        let unit = Components.Schemas.Unit(id: "stp", name: "Sở", nameEn: nil, kind: .department, parent: nil, code: "STP", head: nil)
        let proof = Components.Schemas.CaseProof(
            checkpoint: .case2(nil), witnessed: false, cosignatures: [.init(witness: "w", line: nil, valid: false)], entries: [])
        let line = Components.Schemas.RollupLine(
            agency: nil, agencyName: nil, assigned: 0, done: 0, submitted: 0, awaitingApproval: 0, inProgress: 0, notStarted: 0, cancelled: 0,
            overdue: 0)
        let overdue = Components.Schemas.OverdueTask(
            code: "T-1", title: "x", agency: "stp", owner: nil, ownerName: nil, dueDate: "2026-01-02", workingDaysLate: 3)
        let programme = Components.Schemas.ProgrammeSummary(code: "CT-1", title: "x", leadUnit: "stp", dueDate: nil, summaryVi: "s", summaryEn: "s")
        let submission = Components.Schemas.SubmissionRow(
            code: "YC-1-STP", agency: "stp", agencyName: "Sở", status: .not_started, owner: nil, ownerName: nil, dueDate: nil, firstSent: nil,
            late: false, missing: true, returns: 0, document: nil, figures: .init())
        let inspection = Components.Schemas.InspectionRollup(
            form: ._self, subjects: ["stp"], from: "2026-01-01", to: "2026-06-30", fields: ["thu-tuc-hanh-chinh"], violations: [], concluded: nil,
            conclusionNumber: nil, conclusionDate: nil, conclusionSigner: nil, conclusionSummary: nil)
        let score = Components.Schemas.ServiceIndexScore(code: "cong-khai", share: nil, base: 0, score: nil)
        let group = Components.Schemas.ServiceIndexGroup(
            code: "cong-khai", nameVi: "Công khai", nameEn: "Transparency", points: 18, measure: nil, share: nil, base: 0, score: nil,
            source: "QĐ 766",
            status: "unverified")
        let figures = Components.Schemas.ServiceIndexFigures(
            unit: nil, name: "UBND", settled: 0, onTime: 0, late: 0, lateWithApology: 0, repeatedSupplements: 0, ratings: 0, satisfied: 0,
            scores: [score])
        let index = Components.Schemas.ServiceIndex(
            from: "2026-01-01", to: "2026-06-30", unit: nil, name: "UBND", groups: [group], total: figures, units: [])
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) throws -> Any { try JSONSerialization.jsonObject(with: try encoder.encode(value)) }
        let cases: [(Any, String, Int)] = [
            (try json(summary), "CaseSummary", 14), (try json(finding), "Finding", 23),
            (try json(consequences), "FindingConsequences", 6), (try json(detail), "CaseDetail", 16),
            (try json(unit), "Unit", 7), (try json(proof), "CaseProof", 4), (try json(line), "RollupLine", 10),
            (try json(overdue), "OverdueTask", 7), (try json(programme), "ProgrammeSummary", 6),
            (try json(submission), "SubmissionRow", 13), (try json(inspection), "InspectionRollup", 11),
            (try json(index), "ServiceIndex", 7), (try json(group), "ServiceIndexGroup", 10), (try json(figures), "ServiceIndexFigures", 10),
            (try json(score), "ServiceIndexScore", 4),
        ]
        for (value, schema, keys) in cases {
            #expect(document.validate(json: value, schemaNamed: schema) == [], "\(schema): \(value)")
            #expect((value as? [String: Any])?.count == keys, "\(schema): \(value)")
        }
        let object = try #require(try json(summary) as? [String: Any])
        #expect(object["owner"] is NSNull && object["rating"] is NSNull && object["workingDaysLeft"] is NSNull)
    }
}
