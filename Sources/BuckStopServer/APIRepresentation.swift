import BuckStopCalendar
import BuckStopDetectors
import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import Foundation
import Hummingbird
import NIOCore

/// JSON shapes of the API (`Resources/openapi.yaml`). Built as plain objects so that absent values are written as
/// `null`, as the document requires, rather than left out.
struct APIRepresentation {
    let state: ServerState
    var org: Organization { state.organization }

    func caseSummary(_ c: CaseState) -> [String: Any] {
        [
            "code": c.id.rawValue, "kind": c.kind.rawValue, "procedure": c.procedure ?? NSNull(), "title": c.title,
            "leadUnit": c.leadUnit.rawValue, "owner": c.owner?.rawValue ?? NSNull(),
            "ownerName": c.owner.flatMap { org.official($0)?.name } ?? NSNull(), "status": c.status.rawValue,
            "dueDate": c.dueDate?.description ?? NSNull(), "openedAt": c.openedAt, "updatedAt": c.updatedAt, "ownerSince": c.ownerSince,
            "workingDaysLeft": (c.status.isOpen ? c.dueDate.map { state.live.calendar.workingDays(from: CivilDate(Date()), to: $0) } : nil) ?? NSNull(),
            "rating": c.rating ?? NSNull(),
        ]
    }

    /// `caseSummary` written straight as JSON (keys in the same sorted order): the append answer, the API's hottest
    /// response, then builds no dictionary of boxed values.
    func writeCaseSummary(_ c: CaseState, into b: inout ByteBuffer) {
        func key(_ k: StaticString, first: Bool = false) {
            if !first { b.writeInteger(UInt8(ascii: ",")) }
            b.writeInteger(UInt8(ascii: "\""))
            b.writeStaticString(k)
            b.writeStaticString("\":")
        }
        func string(_ v: String?) {
            if let v { JSONWriter.writeString(v, into: &b) } else { b.writeStaticString("null") }
        }
        func int(_ v: Int64?) {
            if let v { b.writeString(String(v)) } else { b.writeStaticString("null") }
        }
        b.writeInteger(UInt8(ascii: "{"))
        key("code", first: true); string(c.id.rawValue)
        key("dueDate"); string(c.dueDate?.description)
        key("kind"); string(c.kind.rawValue)
        key("leadUnit"); string(c.leadUnit.rawValue)
        key("openedAt"); int(c.openedAt)
        key("owner"); string(c.owner?.rawValue)
        key("ownerName"); string(c.owner.flatMap { org.official($0)?.name })
        key("ownerSince"); int(c.ownerSince)
        key("procedure"); string(c.procedure)
        key("rating"); int(c.rating.map(Int64.init))
        key("status"); string(c.status.rawValue)
        key("title"); string(c.title)
        key("updatedAt"); int(c.updatedAt)
        key("workingDaysLeft")
        int(c.status.isOpen ? c.dueDate.map { Int64(state.live.calendar.workingDays(from: CivilDate(Date()), to: $0)) } : nil)
        b.writeInteger(UInt8(ascii: "}"))
    }

    func entry(_ r: LedgerRecord, layout: Layout) -> [String: Any] {
        [
            "index": r.index, "type": r.action.body.type.rawValue, "actor": r.action.actor.stored, "at": r.action.at,
            "summary": Timeline(layout: layout).summary(r.action.body), "leafHash": r.leafHash.hex,
        ]
    }

    func finding(_ f: StoredFinding) -> [String: Any] {
        let x = f.finding
        return [
            "id": x.id, "detector": x.detector, "detectorName": DetectorID(rawValue: x.detector)?.nameVi ?? x.detector, "case": x.caseID.rawValue,
            "official": x.official?.rawValue ?? NSNull(), "unit": x.unit?.rawValue ?? NSNull(), "head": x.head?.rawValue ?? NSNull(),
            "severity": x.severity.rawValue, "evidence": x.evidence, "value": f.value, "limit": f.limit, "explanation": x.explanation,
            "explanationEn": f.explanationEn, "status": x.status.rawValue, "response": x.response ?? NSNull(),
            "reviewer": f.reviewer?.rawValue ?? NSNull(), "reviewNote": f.reviewNote ?? NSNull(), "observedAt": f.observedAt,
            "raisedAt": f.raisedAt, "raisedIndex": f.raisedIndex,
        ]
    }

    func checkpoint(_ s: SignedCheckpoint) -> [String: Any] {
        [
            "origin": s.checkpoint.origin, "size": s.checkpoint.size, "rootHash": s.checkpoint.rootHash.hex, "timestamp": s.checkpoint.timestamp,
            "keyID": s.keyID, "signature": Data(s.signature).base64EncodedString(), "publicKey": state.store.publicKey.map { String(format: "%02x", $0) }.joined(),
            "note": s.text,
        ]
    }

    func unit(_ u: BuckStopDomain.Unit) -> [String: Any] {
        [
            "id": u.id.rawValue, "name": u.name, "nameEn": u.nameEn ?? NSNull(), "kind": u.kind.rawValue, "parent": u.parent?.rawValue ?? NSNull(),
            "code": u.code, "head": u.head?.rawValue ?? NSNull(),
        ]
    }

    func official(_ o: Official) -> [String: Any] {
        ["id": o.id.rawValue, "name": o.name, "unit": o.unit.rawValue, "position": o.position, "roles": Role.allCases.filter(o.roles.contains).map(\.rawValue), "active": o.active]
    }

    /// A value type the writer does not know is a programming error: thrown, and answered as an internal error
    /// (`ErrorMiddleware`), never half a document.
    static func json(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: try JSONWriter.data(object)))
    }
}
