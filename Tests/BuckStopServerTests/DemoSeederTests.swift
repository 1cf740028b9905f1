import BuckStopCalendar
import BuckStopDefaults
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import Logging
import Testing

@testable import BuckStopServer

/// The seeded demo city holds what issue 18 asks a user to find in it: findings explained, upheld with causes and
/// dismissed; every kind of consequence; remediations done on time, under way and late — the late ones already
/// findings against their owners — proposals approved (and acted under, their findings reviewed against the decree: some
/// protected, some not), declined and awaiting, and a ledger that verifies.
@Suite(.serialized) struct DemoSeederTests {
    @Test func theDemoHoldsReviewsEveryConsequenceAndALateRemediation() async throws {
        let directory = NSTemporaryDirectory() + "buckstop-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keys = StoreKeys.generate()
        let store = try SQLiteStore(configuration: StoreConfiguration(path: directory + "/demo.sqlite", keys: keys))
        let live = try LiveLedger(
            store: store, rulebook: try Defaults.rulebook(), calendar: try Defaults.workingCalendar(),
            citizenKeys: CitizenKeys(dataKey: keys.dataKey), logger: Logger(label: "test"))
        let report = try await DemoSeeder.seed(live: live, seed: 2025, cases: 1500)
        #expect(report.survey.findingsRaised > 0)
        let all = try await store.findings(FindingQuery(limit: Int.max)).findings
        let upheld = all.filter { $0.finding.status == .upheld }
        #expect(!upheld.isEmpty && upheld.allSatisfy { $0.finding.cause != nil }, "every upheld finding names its cause")
        #expect(all.contains { $0.finding.status == .dismissed && $0.reviewNote?.isEmpty == false })
        #expect(all.contains { $0.finding.response != nil }, "some were explained first")
        let decided = Set(upheld.flatMap(\.finding.consequences.decided))
        #expect(decided == Set(ConsequenceKind.allCases), "every kind of consequence: \(decided)")
        let today = CivilDate(Date())
        let remediations = upheld.compactMap(\.finding.consequences.remediation)
        #expect(remediations.contains { $0.doneOnTime == true })
        #expect(remediations.contains { $0.doneAt == nil && !$0.isLate(on: today) })
        let late = remediations.filter { $0.isLate(on: today) }
        #expect(!late.isEmpty)
        let lateFindings = all.filter { $0.finding.detector == "late_remediation" }
        #expect(Set(lateFindings.compactMap(\.finding.official)) == Set(late.map(\.owner)), "each late remediation's owner is named")

        // Proposals (NĐ 73/2023): approved and acted under, declined with a reason, one awaiting its head.
        var records: [ProposalRecord] = []
        for c in try await store.cases(kind: .proposal, procedure: .any, openedFrom: 0, openedBefore: .max, statuses: nil, limit: 100) {
            records.append(try #require(try await live.proposal(c.id)))
        }
        let approved = records.filter(\.isApproved)
        #expect(approved.count == 3 && approved.allSatisfy { $0.applied.count == 1 })
        #expect(records.contains { $0.decision?.approved == false && $0.decision?.note.isEmpty == false })
        #expect(records.contains { $0.decision == nil })
        let underProposals = Set(approved.flatMap(\.applied))
        let assessed = all.filter { underProposals.contains($0.finding.caseID) && $0.finding.status == .upheld }
        #expect(assessed.contains { $0.finding.protectedBy != nil } && assessed.contains { $0.finding.protectedBy == nil })
        #expect(
            assessed.filter { $0.finding.protectedBy != nil }.allSatisfy { f in
                f.finding.consequences.decided.allSatisfy { $0 != .discipline && $0 != .referral }
            }, "no discipline or referral follows a protected finding")
        #expect(try await store.verify().isSound)
    }
}
