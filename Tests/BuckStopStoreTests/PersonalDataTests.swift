import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import GRDB
import Testing

@Suite struct PersonalDataTests {
    let applicant = PersonalData(fullName: "Nguyễn Thị Tố Cáo", idNumber: "048190001234", address: "12 Lê Duẩn, phường Hải Châu", phone: "0905123456")

    func open(_ fx: StoreFixture) async throws -> AppendReceipt {
        try await fx.store.append(.open(
            OpenCase(kind: .denunciation, title: "Tố cáo hành vi nhận hối lộ", leadUnit: "thanh-tra", owner: "ttv"),
            actor: .official("ttv"), at: SampleCity.t0, code: nil, personalData: applicant))
    }

    @Test func identityStaysOffTheLedgerAndOpensWithTheKey() async throws {
        let fx = try await StoreFixture.make()
        defer { fx.remove() }
        let receipt = try await open(fx)
        let subject = try #require(receipt.state.subject)
        #expect(subject.hash.count == 64)
        let file = try Data(contentsOf: URL(fileURLWithPath: fx.path))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: fx.path + "-wal"))) ?? Data()
        for secret in ["048190001234", "Tố Cáo", "0905123456"] {
            #expect(file.range(of: Data(secret.utf8)) == nil && wal.range(of: Data(secret.utf8)) == nil, "'\(secret)' is not stored in clear")
        }
        let bodies = try await DatabaseQueue(path: fx.path).read { try Data.fetchAll($0, sql: "SELECT body FROM ledger_entry") }
        #expect(bodies.allSatisfy { $0.range(of: Data("048190001234".utf8)) == nil })
        #expect(try fx.store.personalData(ref: subject.ref) == applicant)
        #expect(try fx.store.personalDataMatchesLedger(ref: subject.ref), "the salted hash on the ledger is this record's")
        try await fx.store.saveLabels([(receipt.caseID, "conflict_of_interest")])
        #expect(try fx.store.labels().map { "\($0.0)/\($0.1)" } == ["\(receipt.caseID)/conflict_of_interest"])
    }

    @Test func anotherKeyCannotOpenIt() async throws {
        let fx = try await StoreFixture.make()
        defer { fx.remove() }
        let receipt = try await open(fx)
        let otherKeys = try StoreKeys(signingSeed: fx.keys.signingSeed, dataKey: StoreKeys.generate().dataKey)
        let other = try SQLiteStore(configuration: StoreConfiguration(path: fx.path, keys: otherKeys))
        #expect(throws: (any Error).self) { try other.personalData(ref: receipt.state.subject!.ref) }
    }

    @Test func erasureRemovesTheRecordButNotTheLedger() async throws {
        let fx = try await StoreFixture.make()
        defer { fx.remove() }
        let receipt = try await open(fx)
        let ref = receipt.state.subject!.ref
        try await fx.store.erasePersonalData(ref: ref, at: SampleCity.t0 + 1)
        #expect(throws: StoreError.self) { try fx.store.personalData(ref: ref) }
        #expect(throws: StoreError.self, "after erasure nothing links the ledger hash to a person") { try fx.store.personalDataMatchesLedger(ref: ref) }
        try await fx.store.checkpoint()
        #expect(try fx.store.verifier().verify().isSound, "erasure never touches the ledger")
        #expect(try fx.store.caseState(receipt.caseID)?.subject?.hash == receipt.state.subject?.hash)
    }
}
