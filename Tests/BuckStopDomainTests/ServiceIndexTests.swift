import BuckStopDefaults
import BuckStopDomain
import Testing

/// The QĐ 766 index as rulebook data: the default rulebook's groups add up to the index's 100 points, each with its
/// source; BuckStop measures two of them and says so of the rest; a malformed row is refused naming it.
struct ServiceIndexTests {
    @Test func theDefaultGroupsAreTheIndexWithTheirSources() throws {
        let groups = try Defaults.rulebook().serviceIndex
        #expect(groups.map(\.points).reduce(0, +) == 100, "the index is out of 100 points")
        #expect(groups.allSatisfy { $0.source.contains("766/QĐ-TTg") })
        #expect(Set(groups.compactMap(\.measure)) == Set(ServiceIndexGroup.Measure.allCases))
        #expect(groups.first { $0.measure == .satisfiedShare }?.satisfiedFrom == 4)
        #expect(groups.first { $0.measure == .onTimeShare }?.score(0.5) == 10)
    }

    @Test func aMalformedGroupIsRefusedNamingIt() {
        func book(_ group: ServiceIndexGroup) throws {
            _ = try Rulebook(id: "x", title: "x", rules: [], procedures: [], thresholds: [], serviceIndex: [group])
        }
        do {
            try book(ServiceIndexGroup(code: "hai-long", nameVi: "h", nameEn: "h", points: 18, measure: .satisfiedShare, source: "s", status: "t"))
            Issue.record("satisfied-share without satisfiedFrom was accepted")
        } catch {
            #expect("\(error)".contains("hai-long") && "\(error)".contains("satisfiedFrom"))
        }
        #expect(throws: DomainError.self) {
            try book(ServiceIndexGroup(code: "tien-do", nameVi: "t", nameEn: "t", points: -1, measure: .onTimeShare, source: "s", status: "t"))
        }
        #expect(throws: DomainError.self) {
            try book(ServiceIndexGroup(code: "tien-do", nameVi: "t", nameEn: "t", points: 20, measure: .onTimeShare, source: "", status: "t"))
        }
    }
}
