import BuckStopCalendar
import BuckStopDomain
import Testing

/// A refusal an official reads in Vietnamese carries no English reason (issue 15: "is the unit declining" inside a
/// Vietnamese message), and the English wording stays what integrators and the log read.
struct RefusalReasonTests {
    static let day = CivilDate(julianDayNumber: 2_461_102)
    static let samples: [RefusalReason] = [
        .findingNotOpen(status: "upheld"), .findingAlreadyReviewed(status: "dismissed"), .onlyResponsibleExplains("cv-an"),
        .onlyResponsibleExplains(nil), .onlyHeadOrInspectorReviews, .noReviewOfOneself, .onlyOfficialExplains, .onlyOfficialReviews,
        .onlySystemRaisesFindings, .leadUnitCollaborates("p-hcbt"), .noSingleOwner, .ownerOutsideLeadUnit("cv-an", lead: "p-tc"),
        .titleCarriesPersonalData(detail: "phone"),
        .heldBy("cv-an"), .heldBy(nil), .onlyOfficialActs, .alreadyHolds("cv-an"), .onlyOwnerOrHeadAssigns,
        .wrongCase(expected: "HS-1", found: "HS-2"), .beforeLastAction(at: 1, last: 2), .laterThanClock(latest: 3, skewSeconds: 5, found: 9),
        .beforeFirstRule(earliest: day, found: 0), .dateOutOfRange(from: day, to: day.adding(days: 9), found: day.adding(days: 30)),
        .dateNotAfter(due: day, found: day), .clockAlreadyRunning(due: day, found: day), .noSealedIdentity(kind: .petition),
        .notSuspendable(kind: .dossier), .notSuspended, .suspended, .notCompetent("cv-an", body: "p-tc"), .accusedHandles("cv-an"),
        .unknownConcerned("x-9"), .wrongDecidingBody(expected: "p-tc", found: "p-hcbt"), .decidedOutside("ubnd"),
        .suspensionNotInForce(kind: .complaint, from: day), .onlyCitizenRates,
        .scoreOutOfRange(found: 7),
        .alreadyRated(score: 4), .onlyHeadReopens,
        .proposalWithoutWords, .notAbove("cv-binh", actor: "cv-an"), .notBelow("tp-hcbt", actor: "cv-an"), .noPendingConsultation("p-tc"),
        .onlyUnitAnswers("p-tc"), .emptyListItem, .decliningUnitNamed("p-hcbt"), .competentUnitHasNoHead("p-x"),
        .receiverNotTheHead(expected: "tp-hcbt", unit: "p-hcbt", found: "cv-an"), .receiverOutside(unit: "Tòa án", receiver: "cv-an"),
    ]

    @Test func vietnameseReasonsHaveNoEnglish() {
        let english = [
            "the ", " is ", " not ", "expected", "found", "only ", "already", "unit", "case", "official", "finding", "proposal",
            "organisation", "declining", "nobody",
        ]
        for reason in Self.samples {
            let vi = reason.vietnamese.lowercased()
            #expect(!vi.isEmpty)
            for word in english { #expect(!vi.contains(word), "English '\(word)' in the Vietnamese reason: \(vi)") }
            #expect(reason.english != reason.vietnamese, "\(reason)")
        }
        #expect(RefusalReason.decliningUnitNamed("p-hcbt").english == "p-hcbt is the unit declining")
        #expect(RefusalReason.titleCarriesPersonalData(detail: "phone").vietnamese.contains("số điện thoại"))
    }

    /// The domain's own refusal carries the reason as data, so the server words it per language.
    @Test func aDeclineToItsOwnUnitIsRefusedWithAReason() throws {
        let error = DomainError.invalidField(action: "decline", field: "competentUnit", reason: .decliningUnitNamed("p-hcbt"))
        #expect(error.description == "decline: field 'competentUnit' is invalid: p-hcbt is the unit declining")
    }
}
