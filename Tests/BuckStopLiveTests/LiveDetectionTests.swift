import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import BuckStopDetectors
import BuckStopDomain
import BuckStopTestSupport
import Testing

@testable import BuckStopLive

/// The live side must find what `buckstop analyze` finds: the demo generator's cases, replayed from ledger-shaped
/// records, give exactly their ground-truth labels (the same bar `SynthScoreTests` sets for analyze), and a
/// single case replayed after an append gives the same findings as the scheduled survey.
@Suite struct LiveDetectionTests {
    static let behaviours = [
        "transfers", "ping_pong", "upward_push", "shuttle", "consultation_rounds", "stalling", "overdue", "no_apology",
        "repeat_reschedule", "repeat_supplement", "jurisdiction_refusal", "late_intake", "extension_abuse", "accumulation", "rework",
        "reception_skipped", "reception_delegated",
    ]

    struct Fixture {
        let model: LiveModel
        let history: DemoHistory
        let records: [CaseID: [(index: Int64, action: Action)]]
        let asOf: Int64
    }

    static func fixture(cases: Int) throws -> Fixture {
        let rulebook = try Defaults.rulebook()
        let calendar = try Defaults.workingCalendar()
        let end = CivilDate(year: 2026, month: 10, day: 30)!
        let history = DemoGenerator.generate(DemoConfiguration(seed: 7, caseCount: cases, end: end, rulebook: rulebook, calendar: calendar))
        let model = LiveModel(
            organization: history.organization, rulebook: rulebook, calendar: calendar, thresholds: try Thresholds(rulebook: rulebook))
        var records: [CaseID: [(index: Int64, action: Action)]] = [:]
        var index: Int64 = 0
        for event in history.timeline() {
            records[event.action.caseID, default: []].append((index, event.action))
            index += 1
        }
        // Noon of the last day, Vietnam time: the as-of day of the generated labels.
        let asOf = (Int64(WorkingDayIndex.day(end)) * 86_400 + 5 * 3600) * 1000
        return Fixture(model: model, history: history, records: records, asOf: asOf)
    }

    @Test func surveyFindsExactlyTheGeneratedBehaviours() throws {
        let f = try Self.fixture(cases: 3000)
        var survey = PeerSurvey(model: f.model, now: f.asOf)
        for c in f.history.cases { survey.add(caseID: c.code, records: f.records[c.code]!) }
        let result = survey.finish()
        #expect(result.cases == f.history.cases.count, "3000 cases and the units' reception books")
        #expect(f.history.cases.count > 3000)
        var found: [String: Set<CaseID>] = [:]
        for (caseID, notice) in result.notices { found[notice.detector, default: []].insert(caseID) }
        for b in Self.behaviours {
            let truth = Set(f.history.cases.filter { $0.labels.contains(b) }.map(\.code))
            let predicted = found[b] ?? []
            #expect(!truth.isEmpty, "\(b) is injected")
            #expect(predicted == truth, "\(b): \(truth.count) labelled, \(predicted.count) found, \(truth.intersection(predicted).count) both")
        }
        // Finding by finding, the one named and the value measured are the truth's: (detector, case, owner, value),
        // the owner compared through the notice's id (stable per case, detector and the owner's name, which for a
        // consultation answered late is the unit's id) since a unit is no official.
        var truth = Set<String>()
        for c in f.history.cases {
            for v in c.truth {
                let detector = try #require(DetectorID(rawValue: v.behaviour.rawValue))
                truth.insert(
                    "\(v.behaviour.rawValue)|\(c.code.rawValue)|\(FindingNotices.id(case: c.code, detector: detector, official: v.responsible.id))|\(v.value)"
                )
            }
        }
        var live = Set<String>()
        for (caseID, notice) in result.notices {
            live.insert("\(notice.detector)|\(caseID.rawValue)|\(notice.id)|\(notice.value)")
        }
        let missed = truth.subtracting(live).sorted()
        let extra = live.subtracting(truth).sorted()
        #expect(
            missed.isEmpty && extra.isEmpty,
            "\(truth.count) verdicts, \(live.count) findings, \(truth.count - missed.count) matched; truth only: \(missed.prefix(6)); found only: \(extra.prefix(6))"
        )

        // Evidence is ledger indices of the case's own entries (an overlap names the earlier task's opening too, a
        // self-inspection's miss the outside inspection's violations).
        for (caseID, notice) in result.notices where notice.detector != "overlap" && notice.detector != "self_inspection_miss" {
            let own = Set(f.records[caseID]!.map(\.index))
            #expect(notice.evidence.allSatisfy(own.contains), "\(notice.detector) on \(caseID): evidence \(notice.evidence)")
        }
    }

    @Test func liveReplayAgreesWithTheSurvey() throws {
        let f = try Self.fixture(cases: 600)
        var survey = PeerSurvey(model: f.model, now: f.asOf)
        for c in f.history.cases { survey.add(caseID: c.code, records: f.records[c.code]!) }
        let result = survey.finish()
        let live = LiveDetector(model: f.model, limits: result.limits)
        var fromSurvey: [CaseID: Set<String>] = [:]
        // Accumulation, overlap and self-inspection misses are judged across cases by the survey only.
        for (caseID, notice) in result.notices
        where !["accumulation", "overlap", "self_inspection_miss"].contains(notice.detector) {
            fromSurvey[caseID, default: []].insert(notice.id)
        }
        var compared = 0
        for c in f.history.cases {
            let ids = Set(live.findings(caseID: c.code, records: f.records[c.code]!, now: f.asOf).map(\.id))
            #expect(ids == fromSurvey[c.code] ?? [], "\(c.code)")
            compared += ids.count
        }
        #expect(compared > 100)
    }

    /// The server keeps each case's replay and adds entries one by one after each append. Built that way, the replay
    /// must give the findings a replay from scratch gives, after every entry (so a cached replay never drifts), and
    /// its trace must be the same event for event.
    @Test func replayExtendedEntryByEntryEqualsReplayFromScratch() throws {
        let f = try Self.fixture(cases: 300)
        let live = LiveDetector(model: f.model, limits: PeerLimits(thresholds: f.model.thresholds))
        var checkedPrefixes = 0
        var findingsSeen = 0
        for c in f.history.cases {
            let records = f.records[c.code]!
            var incremental = LedgerTrace(caseIndex: 0, model: f.model)
            for (k, record) in records.enumerated() {
                incremental.add(index: record.index, action: record.action, model: f.model)
                let now = record.action.at + 3_600_000
                let scratch = LedgerTrace(caseIndex: 0, records: Array(records[...k]), model: f.model)
                #expect(incremental.indices == scratch.indices, "\(c.code) after entry \(k)")
                #expect(incremental.trace.events.map(\.owner) == scratch.trace.events.map(\.owner), "\(c.code) after entry \(k)")
                #expect(incremental.trace.events.map(\.status) == scratch.trace.events.map(\.status), "\(c.code) after entry \(k)")
                #expect(incremental.lastIndex == record.index)
                let a = live.findings(caseID: c.code, replay: incremental, now: now).map(\.id)
                let b = live.findings(caseID: c.code, records: Array(records[...k]), now: now).map(\.id)
                #expect(a == b, "\(c.code) after entry \(k)")
                checkedPrefixes += 1
                findingsSeen += a.count
            }
        }
        #expect(checkedPrefixes > 2000)
        #expect(findingsSeen > 50, "the prefixes must include cases with findings for the comparison to mean something")
    }

    /// A → B → A inside one unit: one direct return, raised against A — who sent it to B and got it back, so the
    /// return corrected A's misrouting (DESIGN.md, fairness) — with the two hand-offs as evidence.
    @Test func directReturnIsPingPong() throws {
        let rulebook = try Defaults.rulebook()
        let model = LiveModel(
            organization: SampleCity.organization, rulebook: rulebook, calendar: try Defaults.workingCalendar(),
            thresholds: try Thresholds(rulebook: rulebook))
        let t = SampleCity.t0
        let h = SampleCity.hour
        let records: [(index: Int64, action: Action)] = [
            (10, SampleCity.openDossier(owner: "cv-an")),
            (11, SampleCity.act(by: "cv-an", at: t + h, .transfer(to: "cv-binh", reason: "Chuyển phòng chuyên môn"))),
            (12, SampleCity.act(by: "cv-binh", at: t + 2 * h, .transfer(to: "cv-an", reason: "Trả lại"))),
        ]
        let live = LiveDetector(model: model, limits: PeerLimits(thresholds: model.thresholds))
        let findings = live.findings(caseID: "STP-251120-0001", records: records, now: t + 3 * h)
        let pingPong = try #require(findings.first { $0.detector == "ping_pong" })
        #expect(pingPong.official == "cv-an")
        #expect(pingPong.unit == "stp-hcbt")
        #expect(pingPong.evidence == [11, 12])
        #expect(pingPong.explanation.contains("Võ Thị An") && pingPong.explanation.contains("chuyển đi nơi không đúng"))
        #expect(pingPong.severity == .minor, "one return is minor")
        // Only the return is a finding: two transfers are under every limit, nothing is late or idle yet.
        #expect(findings.map(\.detector) == ["ping_pong"])
        // The finding entries themselves are not steps of the case: replaying with them changes nothing.
        let withFinding =
            records + [
                (
                    13,
                    Action(
                        caseID: "STP-251120-0001", actor: .system("detector"), at: t + 2 * h, body: .raiseFinding(pingPong), via: .generated("test"))
                )
            ]
        #expect(live.findings(caseID: "STP-251120-0001", records: withFinding, now: t + 3 * h).map(\.id) == findings.map(\.id))
    }

    /// A complaint received by the inspectorate (its mandate is over the kind: receiving complaints) whose content
    /// belongs to the ward is forwarded there — a referral (chuyển đơn), not a refusal of jurisdiction. The same
    /// inspector declining it to a body outside the organisation, which ends the case, is a refusal, named on them.
    @Test func referralToTheCompetentWardIsNotARefusal() throws {
        let rulebook = try Defaults.rulebook()
        let model = LiveModel(
            organization: SampleCity.organization, rulebook: rulebook, calendar: try Defaults.workingCalendar(),
            thresholds: try Thresholds(rulebook: rulebook))
        let live = LiveDetector(model: model, limits: PeerLimits(thresholds: model.thresholds))
        let t = SampleCity.t0
        let h = SampleCity.hour
        let code: CaseID = "TTTP-251120-0001"
        let opening = Action(
            caseID: code, actor: .official("ttv"), at: t,
            body: .open(OpenCase(kind: .complaint, procedure: nil, title: "Khiếu nại việc cấp phép", leadUnit: "thanh-tra", owner: "ttv")),
            via: .generated("test"))
        let forwarded: [(index: Int64, action: Action)] = [
            (20, opening),
            (
                21,
                SampleCity.act(
                    code, by: "ttv", at: t + h,
                    .decline(
                        legalBasis: "Điều 7 Luật Khiếu nại", competentUnit: "p-hai-chau", reason: "Quyết định bị khiếu nại do UBND phường ban hành",
                        receiver: "ct-hc"))
            ),
        ]
        #expect(!live.findings(caseID: code, records: forwarded, now: t + 2 * h).contains { $0.detector == "jurisdiction_refusal" })
        let ended: [(index: Int64, action: Action)] = [
            (20, opening),
            (
                21,
                SampleCity.act(
                    code, by: "ttv", at: t + h,
                    .decline(legalBasis: "Điều 7 Luật Khiếu nại", competentUnit: "Tòa án nhân dân khu vực", reason: "Không thuộc thẩm quyền"))
            ),
        ]
        let refusal = try #require(live.findings(caseID: code, records: ended, now: t + 2 * h).first { $0.detector == "jurisdiction_refusal" })
        #expect(refusal.official == "ttv" && refusal.evidence == [21])
    }
}
