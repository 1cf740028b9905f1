import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

@Suite struct PersonalDataTests {
    let applicant = PersonalData(fullName: "Nguyễn Thị Tố Cáo", idNumber: "048190001234", address: "12 Lê Duẩn, phường Hải Châu", phone: "0905123456")

    func open(_ fx: StoreFixture) async throws -> AppendReceipt {
        try await fx.store.append(
            .open(
                OpenCase(kind: .denunciation, title: "Tố cáo hành vi nhận hối lộ", leadUnit: "thanh-tra", owner: "ttv"),
                actor: .official("ttv"), at: SampleCity.t0, code: nil, personalData: applicant, via: .generated("test")))
    }

    @Test(arguments: StoreBackend.available) func identityStaysOffTheLedgerAndOpensWithTheKey(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let receipt = try await open(fx)
            let subject = try #require(receipt.state.subject)
            #expect(subject.hash.count == 64)
            if backend == .sqlite {
                let file = try Data(contentsOf: URL(fileURLWithPath: fx.path))
                let wal = (try? Data(contentsOf: URL(fileURLWithPath: fx.path + "-wal"))) ?? Data()
                for secret in ["048190001234", "Tố Cáo", "0905123456"] {
                    #expect(file.range(of: Data(secret.utf8)) == nil && wal.range(of: Data(secret.utf8)) == nil, "'\(secret)' is not stored in clear")
                }
            }
            // Nowhere on the ledger, nor in the sealed record (ciphertext).
            let sealed = try await fx.column("SELECT sealed FROM personal_data")
            #expect(sealed.count == 1)
            for secret in ["048190001234", "Tố Cáo", "0905123456"] {
                #expect(sealed.allSatisfy { if case .blob(let b)? = $0 { Data(b).range(of: Data(secret.utf8)) == nil } else { false } })
                let entries = try await fx.column("SELECT body FROM ledger_entry")
                #expect(
                    entries.allSatisfy { if case .blob(let b)? = $0 { Data(b).range(of: Data(secret.utf8)) == nil } else { false } },
                    "'\(secret)' is not on the ledger")
            }
            #expect(try await fx.store.personalData(ref: subject.ref) == applicant)
            #expect(try await fx.store.personalDataMatchesLedger(ref: subject.ref), "the salted hash on the ledger is this record's")
            let labels = try #require(fx.store as? any DemoLabels, "both stores keep the demo's ground truth")
            try await labels.saveLabels([(receipt.caseID, "conflict_of_interest")])
            #expect(try await labels.labels().map { "\($0.0)/\($0.1)" } == ["\(receipt.caseID)/conflict_of_interest"])
        }
    }

    @Test(arguments: StoreBackend.available) func anotherKeyCannotOpenIt(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let receipt = try await open(fx)
            let otherKeys = try StoreKeys(signingSeed: fx.keys.signingSeed, dataKey: StoreKeys.generate().dataKey)
            try await fx.withReopened(keys: otherKeys) { other in
                let ref = try #require(receipt.state.subject?.ref)
                await #expect(throws: StoreError.personalDataUnreadable(ref: ref)) { try await other.personalData(ref: ref) }
            }
        }
    }

    @Test(arguments: StoreBackend.available) func erasureRemovesTheRecordButNotTheLedger(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let receipt = try await open(fx)
            let ref = receipt.state.subject!.ref
            try await fx.store.erasePersonalData(ref: ref, at: SampleCity.t0 + 1)
            await #expect(throws: StoreError.self) { try await fx.store.personalData(ref: ref) }
            await #expect(throws: StoreError.self, "after erasure nothing links the ledger hash to a person") {
                try await fx.store.personalDataMatchesLedger(ref: ref)
            }
            try await fx.store.checkpoint()
            #expect(try await fx.store.verify().isSound, "erasure never touches the ledger")
            #expect(try await fx.store.caseState(receipt.caseID)?.subject?.hash == receipt.state.subject?.hash)
        }
    }
}
