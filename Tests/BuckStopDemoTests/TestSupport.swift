import BuckStopCalendar
import BuckStopDomain
import BuckStopTestSupport
import Foundation

@testable import BuckStopDemo

/// A small rulebook written for these tests, shaped like the default one (same codes, steps and
/// thresholds) so the tests do not depend on the shipped YAML being mid-edit.
enum TestData {
    /// Reception books and the programme tree (programmes, plans, their tasks) are written beside the drawn cases, with
    /// codes of their own (unit and year).
    static func isRegisterOrProgramme(_ c: DemoCase) -> Bool {
        c.open.kind == .reception || c.open.kind == .programme || c.open.parent != nil
    }

    static let yaml = """
        id: test
        title: Bộ quy tắc kiểm thử
        rules:
          - {id: dossier.forward, caseKind: dossier, step: forward, duration: 0, unit: same_day, source: "NĐ 61/2018 Đ.18", effectiveFrom: "2018-08-21", status: secondary}
          - {id: dossier.supplement_return, caseKind: dossier, step: supplement_return, duration: 3, unit: working_days, source: "NĐ 61/2018 Đ.19(4)", effectiveFrom: "2018-08-21", status: secondary}
          - {id: complaint.accept, caseKind: complaint, step: accept, duration: 10, unit: working_days, source: "NĐ 124/2020 Đ.16", effectiveFrom: "2020-12-05", status: secondary}
          - {id: complaint.resolve, caseKind: complaint, step: resolve, duration: 30, unit: days, clockStarts: acceptance, source: "Luật Khiếu nại 2011 Đ.28", effectiveFrom: "2012-07-01", status: verified}
          - {id: KN-L2.resolve, caseKind: complaint, procedure: KN-L2, step: resolve, duration: 45, unit: days, clockStarts: acceptance, source: "Luật Khiếu nại 2011 Đ.37", effectiveFrom: "2012-07-01", status: verified}
          - {id: denunciation.classify, caseKind: denunciation, step: classify, duration: 7, unit: working_days, source: "Luật Tố cáo 2018 Đ.24", effectiveFrom: "2019-01-01", status: verified}
          - {id: denunciation.resolve, caseKind: denunciation, step: resolve, duration: 30, unit: days, clockStarts: acceptance, source: "Luật Tố cáo 2018 Đ.30", effectiveFrom: "2019-01-01", status: verified}
          - {id: denunciation.extension, caseKind: denunciation, step: extension, duration: 30, unit: days, maxCount: 2, source: "Luật Tố cáo 2018 Đ.30", effectiveFrom: "2019-01-01", status: verified}
          - {id: petition.resolve, caseKind: petition, step: resolve, duration: 10, unit: working_days, source: "Luật Tiếp công dân 2013 Đ.28", effectiveFrom: "2014-07-01", status: secondary}
          - {id: task.resolve, caseKind: task, step: resolve, duration: 15, unit: working_days, source: "Quy chế làm việc", effectiveFrom: "2000-01-01", status: unverified}
          - {id: HT-KHAISINH.resolve, caseKind: dossier, procedure: HT-KHAISINH, step: resolve, duration: 0, unit: same_day, source: "Luật Hộ tịch 2014 Đ.16", effectiveFrom: "2016-01-01", status: verified}
          - {id: CT-BANSAO.resolve, caseKind: dossier, procedure: CT-BANSAO, step: resolve, duration: 0, unit: same_day, source: "NĐ 23/2015 Đ.7", effectiveFrom: "2015-04-10", status: verified}
          - {id: CT-HOPDONG.resolve, caseKind: dossier, procedure: CT-HOPDONG, step: resolve, duration: 2, unit: working_days, source: "NĐ 23/2015 Đ.37", effectiveFrom: "2015-04-10", status: verified}
          - {id: HKD-DANGKY.resolve, caseKind: dossier, procedure: HKD-DANGKY, step: resolve, duration: 3, unit: working_days, source: "NĐ 168/2025", effectiveFrom: "2025-07-01", status: unverified}
          - {id: XD-GPXD-NHAORIENGLE.resolve, caseKind: dossier, procedure: XD-GPXD-NHAORIENGLE, step: resolve, duration: 15, unit: days, source: "Luật Xây dựng 2014 Đ.102", effectiveFrom: "2021-01-01", status: unverified}
          - {id: DD-DANGKYLANDAU.resolve, caseKind: dossier, procedure: DD-DANGKYLANDAU, step: resolve, duration: 20, unit: working_days, source: "NĐ 101/2024 Đ.22", effectiveFrom: "2024-08-01", status: secondary}
          - {id: LLTP-CAPPHIEU.resolve, caseKind: dossier, procedure: LLTP-CAPPHIEU, step: resolve, duration: 10, unit: working_days, source: "Luật Lý lịch tư pháp 2009 Đ.48", effectiveFrom: "2010-07-01", effectiveTo: "2026-06-30", status: secondary}
          - {id: DN-THANHLAP.resolve, caseKind: dossier, procedure: DN-THANHLAP, step: resolve, duration: 3, unit: working_days, source: "Luật Doanh nghiệp 2020 Đ.26", effectiveFrom: "2021-01-01", status: verified}
          - {id: DD-BIENDONG.resolve, caseKind: dossier, procedure: DD-BIENDONG, step: resolve, duration: 10, unit: working_days, source: "NĐ 101/2024 Đ.22", effectiveFrom: "2024-08-01", status: unverified}
          - {id: XD-GPXD-CONGTRINH.resolve, caseKind: dossier, procedure: XD-GPXD-CONGTRINH, step: resolve, duration: 10, unit: working_days, source: "NĐ 217/2026", effectiveFrom: "2026-07-01", status: secondary}
          - {id: MT-GPMT-TINH.resolve, caseKind: dossier, procedure: MT-GPMT-TINH, step: resolve, duration: 30, unit: days, source: "Luật BVMT 2020 Đ.43", effectiveFrom: "2022-01-01", status: unverified}
          - {id: ATTP-GCN.resolve, caseKind: dossier, procedure: ATTP-GCN, step: resolve, duration: 20, unit: working_days, source: "Luật ATTP 2010 Đ.36", effectiveFrom: "2011-07-01", status: unverified}
          - {id: CUTRU-TAMTRU.resolve, caseKind: dossier, procedure: CUTRU-TAMTRU, step: resolve, duration: 3, unit: working_days, source: "Luật Cư trú 2020 Đ.28", effectiveFrom: "2021-07-01", status: verified}
        procedures:
          - {code: HT-KHAISINH, nameVi: "Đăng ký khai sinh", caseKind: dossier, competentLevel: xa, source: s, status: verified}
          - {code: CT-BANSAO, nameVi: "Chứng thực bản sao từ bản chính", caseKind: dossier, competentLevel: xa, source: s, status: verified}
          - {code: CT-HOPDONG, nameVi: "Chứng thực hợp đồng, giao dịch", caseKind: dossier, competentLevel: xa, source: s, status: verified}
          - {code: HKD-DANGKY, nameVi: "Đăng ký hộ kinh doanh", caseKind: dossier, competentLevel: xa, source: s, status: unverified}
          - {code: XD-GPXD-NHAORIENGLE, nameVi: "Cấp giấy phép xây dựng nhà ở riêng lẻ", caseKind: dossier, competentLevel: xa, source: s, status: unverified}
          - {code: DD-DANGKYLANDAU, nameVi: "Đăng ký đất đai, cấp GCN quyền sử dụng đất lần đầu", caseKind: dossier, competentLevel: xa, source: s, status: secondary}
          - {code: LLTP-CAPPHIEU, nameVi: "Cấp Phiếu lý lịch tư pháp", caseKind: dossier, competentLevel: tinh, source: s, status: secondary}
          - {code: DN-THANHLAP, nameVi: "Đăng ký thành lập doanh nghiệp", caseKind: dossier, competentLevel: tinh, source: s, status: verified}
          - {code: DD-BIENDONG, nameVi: "Đăng ký biến động đất đai (chuyển nhượng, tặng cho, thừa kế)", caseKind: dossier, competentLevel: tinh, source: s, status: unverified}
          - {code: XD-GPXD-CONGTRINH, nameVi: "Cấp giấy phép xây dựng công trình", caseKind: dossier, competentLevel: tinh, source: s, status: secondary}
          - {code: MT-GPMT-TINH, nameVi: "Cấp giấy phép môi trường (cấp tỉnh)", caseKind: dossier, competentLevel: tinh, source: s, status: unverified}
          - {code: ATTP-GCN, nameVi: "Cấp GCN cơ sở đủ điều kiện an toàn thực phẩm", caseKind: dossier, competentLevel: tinh, source: s, status: unverified}
          - {code: CUTRU-TAMTRU, nameVi: "Đăng ký tạm trú", caseKind: dossier, competentLevel: xa, source: s, status: verified}
          - {code: KN-L2, nameVi: "Giải quyết khiếu nại lần hai", caseKind: complaint, competentLevel: tinh, source: s, status: verified}
        suspension:
          - {id: denunciation.suspension, caseKind: denunciation, source: "Luật Tố cáo 2018 Đ.34", status: verified, effectiveFrom: "2019-01-01"}
          - {id: complaint.suspension, caseKind: complaint, source: "Luật Khiếu nại Đ.11a (Luật 136/2025/QH15)", status: secondary, effectiveFrom: "2026-07-01"}
        withdrawal:
          - {id: complaint.withdrawal.2012, caseKind: complaint, partial: false, mayContinue: false, source: "Luật Khiếu nại 2011 Đ.10", status: secondary, effectiveFrom: "2012-07-01", effectiveTo: "2026-06-30"}
          - {id: complaint.withdrawal.2026, caseKind: complaint, partial: true, mayContinue: false, source: "Luật 136/2025/QH15", status: secondary, effectiveFrom: "2026-07-01"}
          - {id: denunciation.withdrawal, caseKind: denunciation, partial: true, mayContinue: true, source: "Luật Tố cáo 2018 Đ.33", status: secondary, effectiveFrom: "2019-01-01"}
        dialogue:
          - {id: KN-L2.dialogue.2012, caseKind: complaint, procedures: [KN-L2], absenceSuffices: false, source: "Luật Khiếu nại 2011 Đ.39", status: unverified, effectiveFrom: "2012-07-01", effectiveTo: "2026-06-30"}
          - {id: KN-L2.dialogue.2026, caseKind: complaint, procedures: [KN-L2], absenceSuffices: true, source: "Luật 136/2025/QH15", status: secondary, effectiveFrom: "2026-07-01"}
        competence:
          - {id: complaint.competence, caseKind: complaint, decidedBy: issuing_body, source: "Luật Khiếu nại 2011 Đ.17–21", status: verified, effectiveFrom: "2012-07-01"}
          - {id: KN-L2.competence, caseKind: complaint, procedure: KN-L2, decidedBy: superior_body, source: "Luật Khiếu nại 2011 Đ.21(2)", status: verified, effectiveFrom: "2012-07-01"}
          - {id: denunciation.competence, caseKind: denunciation, decidedBy: managing_body, source: "Luật Tố cáo 2018 Đ.12(1)", status: verified, effectiveFrom: "2019-01-01"}
        receptionSchedules:
          - {id: r.commune.2014, level: commune_chair, nameVi: "Chủ tịch UBND cấp xã", unitKinds: [commune, ward], days: 1, per: week, delegationAllowed: true, place: "Trụ sở UBND", source: "Luật Tiếp công dân 2013 Đ.15", effectiveFrom: "2014-07-01", effectiveTo: "2026-06-30", status: verified}
          - {id: r.commune.2026, level: commune_chair, nameVi: "Chủ tịch UBND cấp xã", unitKinds: [commune, ward], days: 2, per: month, delegationAllowed: false, place: "Trụ sở UBND", source: "Luật 136/2025/QH15", effectiveFrom: "2026-07-01", status: secondary}
          - {id: r.province.2014, level: provincial_chair, nameVi: "Chủ tịch UBND cấp tỉnh", unitKinds: [provincial_committee], days: 1, per: month, delegationAllowed: true, place: "Trụ sở tiếp công dân", source: "Luật Tiếp công dân 2013 Đ.12", effectiveFrom: "2014-07-01", effectiveTo: "2026-06-30", status: verified}
          - {id: r.province.2026, level: provincial_chair, nameVi: "Chủ tịch UBND cấp tỉnh", unitKinds: [provincial_committee], days: 1, per: month, delegationAllowed: false, place: "Trụ sở tiếp công dân", source: "Luật 136/2025/QH15", effectiveFrom: "2026-07-01", status: unverified}
          - {id: r.agency.2014, level: agency_head, nameVi: "Thủ trưởng cơ quan", unitKinds: [department, inspectorate], days: 1, per: month, delegationAllowed: true, place: "Cơ quan", source: "Luật Tiếp công dân 2013 Đ.18", effectiveFrom: "2014-07-01", effectiveTo: "2026-06-30", status: verified}
          - {id: r.agency.2026, level: agency_head, nameVi: "Thủ trưởng cơ quan", unitKinds: [department, inspectorate], days: 1, per: month, delegationAllowed: false, place: "Cơ quan", source: "Luật 136/2025/QH15", effectiveFrom: "2026-07-01", status: unverified}
        \(limitsAndThresholds)
        """

    /// The statutory limits and thresholds every rulebook must give (a rulebook without one does not load).
    static let limitsAndThresholds = """
        limits:
          - {id: reschedule.max, limit: reschedule.max, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", status: secondary}
          - {id: supplement.max, limit: supplement.max, value: 1, source: "NĐ 61/2018 Đ.15(3)", effectiveFrom: "2018-08-21", status: secondary}
          - {id: apology.minDaysBeforeDue, limit: apology.minDaysBeforeDue, value: 1, source: "NĐ 61/2018 Đ.19(9)", effectiveFrom: "2018-08-21", status: secondary}
          - {id: intake.cutoffHour, limit: intake.cutoffHour, value: 15, source: "NĐ 23/2015 Đ.7; NĐ 61/2018 Đ.18", effectiveFrom: "2015-04-10", status: secondary}
          - {id: reminder.workingDaysBeforeDue, limit: reminder.workingDaysBeforeDue, value: 3, source: "the agency's working rule (test)", effectiveFrom: "2000-01-01", status: local-policy}
        thresholds:
          - {id: transfers.min, value: 3, source: DESIGN}
          - {id: transfers.medianFactor, value: 3, source: DESIGN}
          - {id: ping_pong.severeAlternations, value: 3, source: DESIGN}
          - {id: shuttle.roundTrips, value: 2, source: DESIGN}
          - {id: consultation.rounds, value: 2, source: DESIGN}
          - {id: stalling.idleWorkingDays, value: 5, source: DESIGN}
          - {id: stalling.peerMedianFactor, value: 3, source: DESIGN}
          - {id: stalling.allottedShare, value: 0.5, source: DESIGN}
          - {id: accumulation.minorFindings, value: 3, source: DESIGN}
          - {id: accumulation.windowDays, value: 90, source: DESIGN}
          - {id: severity.mediumFactor, value: 1.5, source: BuckStop}
          - {id: severity.highFactor, value: 2, source: BuckStop}
          - {id: ranking.minCasesHandled, value: 20, source: BuckStop}
          - {id: public.minimumCount, value: 5, source: BuckStop}
          - {id: analysis.plausibleShare, value: 0.5, source: BuckStop}
          - {id: input.futureSkewSeconds, value: 300, source: BuckStop}
          - {id: input.maxDaysAhead, value: 1826, source: BuckStop}
        """

    /// The intake rule of every kind that has one, and the kind-wide resolve rule where the law sets one (a rulebook
    /// without them does not load).
    static let intakeRules = """
          - {id: dossier.forward, caseKind: dossier, step: forward, duration: 0, unit: same_day, source: "NĐ 61/2018 Đ.18", effectiveFrom: "2018-08-21", status: secondary}
          - {id: complaint.accept, caseKind: complaint, step: accept, duration: 10, unit: working_days, source: "NĐ 124/2020 Đ.16", effectiveFrom: "2020-12-05", status: secondary}
          - {id: complaint.resolve, caseKind: complaint, step: resolve, duration: 30, unit: days, clockStarts: acceptance, source: "Luật Khiếu nại 2011 Đ.28", effectiveFrom: "2012-07-01", status: verified}
          - {id: denunciation.classify, caseKind: denunciation, step: classify, duration: 7, unit: working_days, source: "Luật Tố cáo 2018 Đ.24", effectiveFrom: "2019-01-01", status: verified}
          - {id: denunciation.resolve, caseKind: denunciation, step: resolve, duration: 30, unit: days, clockStarts: acceptance, source: "Luật Tố cáo 2018 Đ.30", effectiveFrom: "2019-01-01", status: verified}
          - {id: petition.resolve, caseKind: petition, step: resolve, duration: 10, unit: working_days, source: "Luật Tiếp công dân 2013 Đ.28", effectiveFrom: "2014-07-01", status: secondary}
        """

    static let rulebook: Rulebook = {
        do { return try YAMLLoading.rulebook(from: yaml) } catch { fatalError("test rulebook: \(error)") }
    }()

    static let calendar = WorkingCalendar()
    static let end = CivilDate(year: 2026, month: 10, day: 30)!

    static func configuration(seed: UInt64 = 2025, caseCount: Int = 5000, rulebook: Rulebook = rulebook) -> DemoConfiguration {
        DemoConfiguration(seed: seed, caseCount: caseCount, end: end, rulebook: rulebook, calendar: calendar, holidays: [])
    }

    /// Generated once through the public API and shared by the tests (5000 cases, seed 2025).
    static let history: DemoHistory = DemoGenerator.generate(configuration())

    /// The same run seen from inside: what each case was built to show.
    static let output: Generation.Output = Generation(configuration()).run()

    /// Thresholds of the test rulebook, written out again so the independent checks do not read them through the generator.
    enum Threshold {
        static let transfersMin = 3.0, transfersMedianFactor = 3.0, shuttleRoundTrips = 2, consultationRounds = 2
        static let stallingIdle = 5, stallingShare = 0.5, rescheduleMax = 1, supplementMax = 1, apologyDays = 1
        static let cutoffHour = 15, accumulationN = 3, accumulationWindow = 90
    }

    /// Replays a case through the domain; nil if the domain rejects any action.
    static func states(_ demoCase: DemoCase, in org: Organization) -> [CaseState]? {
        guard var state = try? CaseState(opening: demoCase.openAction, in: org) else { return nil }
        var states = [state]
        for action in demoCase.actions {
            guard (try? state.apply(action, in: org)) != nil else { return nil }
            states.append(state)
        }
        return states
    }

    /// The same through `CaseState.replay`: the transitions without the organisation's checks, for logs generated with
    /// `uncheckedDecisions`.
    static func replayedStates(_ demoCase: DemoCase, in org: Organization) -> [CaseState]? {
        guard var state = try? CaseState(replayingOpening: demoCase.openAction) else { return nil }
        var states = [state]
        for action in demoCase.actions {
            guard (try? state.replay(action, organization: org)) != nil else { return nil }
            states.append(state)
        }
        return states
    }

    /// Vietnam-local date of an instant, through the calendar module (not the generator's helper).
    static func localDate(_ ms: Int64) -> CivilDate { CivilDate(Date(timeIntervalSince1970: TimeInterval(ms) / 1000)) }

    static func localSeconds(_ ms: Int64) -> Int {
        let date = localDate(ms)
        return Int(Date(timeIntervalSince1970: TimeInterval(ms) / 1000).timeIntervalSince(date.startInstant()))
    }

    /// The shipped default rulebook, read from the source tree; a missing or broken file fails the test.
    static func defaultRulebook() throws -> Rulebook {
        let url = SharedFiles.repositoryRoot.appendingPathComponent("Sources/BuckStopDefaults/Data/rulebook-vn.yaml")
        return try YAMLLoading.rulebook(from: try String(contentsOf: url, encoding: .utf8))
    }
}
