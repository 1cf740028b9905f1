import BuckStopCalendar
import BuckStopDomain
import BuckStopStore
import BuckStopTestSupport
import Foundation
import Testing

/// A reception book (case kind `reception`, SQLite migration v7, PostgreSQL migration 7) is stored, projected, listed
/// by kind and replayed like any case, on every backend.
@Suite struct ReceptionStoreTests {
    @Test(arguments: StoreBackend.available) func aReceptionBookAndItsSessionsAreStored(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let book = try await fx.store.append(
                .open(
                    OpenCase(
                        kind: .reception, procedure: "commune_chair", title: "Sổ tiếp công dân năm 2025", leadUnit: "p-hai-chau", owner: "ct-hc"),
                    actor: .official("ct-hc"), at: SampleCity.t0, code: "PHC-TCD-2025", personalData: nil, via: .generated("test")))
            let session = ReceptionSession(
                day: CivilDate(year: 2025, month: 11, day: 20)!, receivedBy: "ct-hc", periodic: true, citizens: 2,
                matters: ["Phản ánh lấn chiếm vỉa hè"])
            try await fx.store.append(.action(SampleCity.act(book.caseID, by: "mc-hc", at: SampleCity.t0 + 3_600_000, .receptionHeld(session))))
            let state = try #require(try await fx.store.caseState(book.caseID))
            #expect(state.kind == .reception && state.owner == "ct-hc" && state.status == .processing && state.actionCount == 2)
            let listed = try await fx.store.cases(
                kind: .reception, procedure: .any, openedFrom: 0, openedBefore: Int64.max, statuses: nil, limit: 10)
            #expect(listed.map(\.id) == [book.caseID])
            let history = try await fx.store.history(of: book.caseID)
            guard case .receptionHeld(let back) = history.last?.action.body else {
                Issue.record("the session did not come back: \(String(describing: history.last?.action.body))")
                return
            }
            #expect(back == session)
            // A session by someone outside the ward is refused by the domain inside the append: nothing is written.
            await #expect(throws: StoreError.self) {
                try await fx.store.append(.action(SampleCity.act(book.caseID, by: "cv-an", at: SampleCity.t0 + 7_200_000, .receptionHeld(session))))
            }
            #expect(try await fx.store.history(of: book.caseID).count == 2)
        }
    }
}
