import BuckStopDetectors
import BuckStopDomain
import Testing

/// Hand-worked cases for `conflict_of_interest` and `wrong_level`. The organisation, by string ids:
///
///     city 500 (chair 1 ★, vice 2 ☆)
///     ├── dept 510 (director 10 ★, deputy 11 ☆, staff 12)
///     │   └── division 511 (chief 13 ★, staff 14)
///     └── inspectorate 520 (chief 20 ★, inspector 21)
struct CompetenceDetectorTests {
    typealias F = DetectorFixture

    static let placements: [UInt32: OwnerPlacement] = [
        1: OwnerPlacement(unit: 500, agency: 500, chain: [500], leads: [500]),
        2: OwnerPlacement(unit: 500, agency: 500, chain: [500], leads: [500]),
        10: OwnerPlacement(unit: 510, agency: 510, chain: [510, 500], leads: [510]),
        11: OwnerPlacement(unit: 510, agency: 510, chain: [510, 500], leads: [510]),
        12: OwnerPlacement(unit: 510, agency: 510, chain: [510, 500]),
        13: OwnerPlacement(unit: 511, agency: 510, chain: [511, 510, 500], leads: [511]),
        14: OwnerPlacement(unit: 511, agency: 510, chain: [511, 510, 500]),
        20: OwnerPlacement(unit: 520, agency: 520, chain: [520, 500], leads: [520]),
        21: OwnerPlacement(unit: 520, agency: 520, chain: [520, 500]),
    ]

    @Test func subordinatesAreThoseUnderAUnitTheAccusedLeadsButDoesNotLeadThemselves() throws {
        let f = try F(placements: Self.placements)
        #expect(f.context.isSubordinate(12, of: 11) && f.context.isSubordinate(14, of: 11) && f.context.isSubordinate(13, of: 10))
        // The director is not under their own deputy; the inspector is not under the director; nobody is under themselves.
        #expect(!f.context.isSubordinate(10, of: 11) && !f.context.isSubordinate(21, of: 10) && !f.context.isSubordinate(11, of: 11))
    }

    @Test func denunciationInTheAccusedsLine() throws {
        let f = try F(placements: Self.placements)
        // Deputy director 11 accused; the inspectorate verifies and the chair decides: nothing to find.
        let clean = [
            F.event(0, .open, actor: 21, owner: 21, status: .open), F.event(1, .acceptance, actor: 21, owner: 21),
            F.event(8, .escalation, actor: 21, owner: 1), F.event(9, .decision, actor: 1, owner: 1),
        ]
        #expect(f.run(clean, kind: .denunciation, concerning: 11, decidingBody: 500).finding(.conflictOfInterest) == nil)
        // Verification handed to 14, who works in a phòng of the accused's sở (position 2), then decided by the chair:
        // one hold, named 14.
        let handed = [
            F.event(0, .open, actor: 21, owner: 21, status: .open), F.event(1, .acceptance, actor: 21, owner: 21),
            F.event(2, .transfer, actor: 21, owner: 14, status: .open), F.event(3, .acceptance, actor: 14, owner: 14),
            F.event(8, .escalation, actor: 14, owner: 1), F.event(9, .decision, actor: 1, owner: 1),
        ]
        let found = try #require(f.run(handed, kind: .denunciation, concerning: 11, decidingBody: 500).finding(.conflictOfInterest))
        #expect(found.owner == 14 && found.value == 1 && found.evidence == [2])
        // Received by 12 at the sở (receiving is not handling), assigned to the accused (position 1), decided by them
        // (position 3): two, named 11.
        let own = [
            F.event(0, .open, actor: 12, owner: 12, status: .open), F.event(1, .assignment, actor: 12, owner: 11, status: .open),
            F.event(2, .acceptance, actor: 11, owner: 11), F.event(3, .decision, actor: 11, owner: 11),
        ]
        let ownCase = try #require(f.run(own, kind: .denunciation, concerning: 11).finding(.conflictOfInterest))
        #expect(ownCase.owner == 11 && ownCase.value == 2 && ownCase.evidence == [1, 3])
        // Without an accused on record the detector has nothing to go on.
        #expect(f.run(own, kind: .denunciation).finding(.conflictOfInterest) == nil)
    }

    @Test func complaintDecidedByItsAuthor() throws {
        let f = try F(placements: Self.placements)
        // Staff 12's act is complained of. The director decides (first instance, Luật Khiếu nại Đ.20(1)): lawful.
        let byHead = [
            F.event(0, .open, actor: 12, owner: 12, status: .open), F.event(1, .acceptance, actor: 12, owner: 12),
            F.event(5, .escalation, actor: 12, owner: 10), F.event(6, .decision, actor: 10, owner: 10),
        ]
        #expect(f.run(byHead, kind: .complaint, concerning: 12, decidingBody: 510).finding(.conflictOfInterest) == nil)
        // 12 decides the complaint against their own act: a conflict, and a decision without the competence.
        let bySelf = [
            F.event(0, .open, actor: 12, owner: 12, status: .open), F.event(1, .acceptance, actor: 12, owner: 12),
            F.event(6, .decision, actor: 12, owner: 12),
        ]
        let outcome = f.run(bySelf, kind: .complaint, concerning: 12, decidingBody: 510)
        #expect(outcome.finding(.conflictOfInterest)?.owner == 12 && outcome.finding(.wrongLevel)?.owner == 12)
        // The director decides a complaint against the director's own decision: the law gives it to them (no finding).
        let ownDecision = [F.event(0, .open, actor: 10, owner: 10, status: .open), F.event(4, .decision, actor: 10, owner: 10)]
        let own = f.run(ownDecision, kind: .complaint, concerning: 10, decidingBody: 510)
        #expect(own.finding(.conflictOfInterest) == nil && own.finding(.wrongLevel) == nil)
    }

    @Test func decisionsOnlyByTheHeadOrADeputyOfTheDecidingBody() throws {
        let f = try F(placements: Self.placements)
        func decided(by who: UInt32, kind: CaseKind = .complaint, body: UInt32 = 500) -> DetectorFinding? {
            f.run(
                [
                    F.event(0, .open, actor: 21, owner: 21, status: .open), F.event(3, .escalation, actor: 21, owner: who),
                    F.event(4, .decision, actor: who, owner: who),
                ], kind: kind, decidingBody: body
            ).finding(.wrongLevel)
        }
        #expect(decided(by: 1) == nil && decided(by: 2) == nil)  // the chair, or the vice-chair signing for them
        let chief = try #require(decided(by: 20))  // the Chánh Thanh tra advises; they do not decide
        #expect(chief.owner == 20 && chief.value == 1 && chief.evidence == [2])
        #expect(decided(by: 10, kind: .denunciation)?.owner == 10)
        #expect(decided(by: 20, kind: .petition) == nil)  // petitions have no deciding body
        // Unknown deciding body: nothing judged.
        #expect(
            f.run([F.event(0, .open, actor: 21, owner: 21, status: .open), F.event(4, .decision, actor: 21, owner: 21)], kind: .complaint)
                .finding(.wrongLevel) == nil)
    }
}
