import BuckStopDomain
import BuckStopTestSupport
import Foundation
import Testing

@testable import BuckStopStore

/// Showings of discipline details (issue 18: restricted and logged) are kept by the store, the same on every backend:
/// read back per finding in the order they happened, another finding's not mixed in, a negative entry index refused by
/// the schema.
@Suite struct DisciplineViewStoreTests {
    @Test(arguments: StoreBackend.available) func showingsAreKeptPerFindingInOrder(_ backend: StoreBackend) async throws {
        try await StoreFixture.with(backend) { fx in
            let t0 = SampleCity.t0
            try await fx.store.recordDisciplineView(DisciplineView(finding: "F-1", viewer: "gd-stp", entry: 7, at: t0 + 2000))
            try await fx.store.recordDisciplineView(DisciplineView(finding: "F-2", viewer: "ctt", entry: 9, at: t0 + 1000))
            try await fx.store.recordDisciplineView(DisciplineView(finding: "F-1", viewer: "ttv", entry: 7, at: t0 + 1000))
            let views = try await fx.store.disciplineViews(finding: "F-1")
            #expect(views.map(\.viewer) == ["ttv", "gd-stp"] && views.map(\.at) == [t0 + 1000, t0 + 2000] && views.allSatisfy { $0.entry == 7 })
            #expect(try await fx.store.disciplineViews(finding: "F-3").isEmpty)
            await #expect(throws: (any Error).self) {
                try await fx.store.recordDisciplineView(DisciplineView(finding: "F-1", viewer: "ttv", entry: -1, at: t0))
            }
            #expect(try await fx.store.disciplineViews(finding: "F-1").count == 2, "the refused row left nothing behind")
        }
    }
}
