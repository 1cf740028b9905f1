import BuckStopCalendar
import BuckStopDomain

/// The demo's report request, in the shape of seed 004: a central body (Ban Nội chính Trung ương) asks for a thematic
/// report on officials who dodge and shift work, "with data and concrete examples"; the city's office (Văn phòng UBND)
/// relays it to ten agencies with a template and a date, and collects what comes back. Most agencies send on time and
/// are accepted; two send late; one report is returned for missing figures and sent again; one was sent on time and still waits with the requester, long enough to be the requester's stalling;
/// one agency is still drafting past the date and one never took it up — the late and missing the office chases. Labels
/// come from `GroundTruth`, like every other case. Chunk 0 only.
extension Generation {
    enum SubmissionOutcome: CaseIterable {
        case acceptedOnTime, acceptedLate, returnedThenAccepted, sentAwaiting, draftingOverdue, neverStarted
    }

    static let reportTemplate = ReportTemplate(
        sections: [
            "I. Tình hình, kết quả phát hiện, xử lý cán bộ né tránh, đùn đẩy, sợ trách nhiệm",
            "II. Những vụ việc cụ thể (nêu rõ hồ sơ, đơn vị, cá nhân, thời gian)",
            "III. Nguyên nhân",
            "IV. Giải pháp, kiến nghị",
        ],
        figures: [
            ReportFigure(code: "ho_so_tre_han", label: "Số hồ sơ giải quyết quá hạn trong kỳ"),
            ReportFigure(code: "vu_viec_day_dua", label: "Số vụ việc đùn đẩy, né tránh được phát hiện"),
            ReportFigure(code: "can_bo_xu_ly", label: "Số cán bộ bị xem xét trách nhiệm"),
        ])

    /// The request and one submission task per agency, each with its facts for `GroundTruth.finalize`.
    func reportRequestCases() -> [(DemoCase, Scenario, GroundTruth.Facts)] {
        // Issued 40 working days before the end, due 15 working days later: time for every outcome to show.
        let issued = calendar.addingWorkingDays(-40, to: config.end)
        guard issued >= start, let officeCode = org.unit(City.office)?.code else { return [] }
        let agencies = Array(city.departments.filter { $0 != City.office }.prefix(10))
        guard agencies.count == 10 else { return [] }
        var rng = DemoRandom(seed: SplitMix64.derive(config.seed, 0x5CB, UInt64(issued.year)))
        let due = calendar.addingWorkingDays(15, to: issued)
        let requester = pickMember(City.office, &rng)
        let officeHead = city.head(City.office)
        let code = CaseID("\(officeCode)-YCBC-\(issued.year)-01")
        let document = IssuingDocument(
            number: "\(rng.int(100...999))/UBND-NC", date: issued, signer: "Chánh Văn phòng UBND thành phố \(org.official(officeHead)?.name ?? "")")
        let request = OpenCase(
            kind: .programme, procedure: PlanLevel.reportRequest.rawValue,
            title: "Báo cáo chuyên đề về tình trạng né tránh, đùn đẩy, sợ trách nhiệm (theo yêu cầu của Ban Nội chính Trung ương)",
            leadUnit: City.office, owner: requester, dueDate: due, document: document, template: Self.reportTemplate)
        let requestAt = VietnamTime.instant(issued, seconds: 8 * 3600 + 45 * 60)
        let requestAction = Action(caseID: code, actor: .official(officeHead), at: requestAt, body: .open(request), via: DemoGenerator.credential)
        var out: [(DemoCase, Scenario, GroundTruth.Facts)] = [
            (
                DemoCase(
                    open: request, code: code, openedBy: .official(officeHead), openedAt: requestAt, applicant: nil, actions: [], labels: [],
                    truth: []), .clean, truth.facts(open: requestAction, actions: [])
            )
        ]
        let counts: [(SubmissionOutcome, Int)] = [
            (.acceptedOnTime, 4), (.acceptedLate, 2), (.returnedThenAccepted, 1), (.sentAwaiting, 1), (.draftingOverdue, 1), (.neverStarted, 1),
        ]
        let outcomes = rng.shuffled(counts.flatMap { Array(repeating: $0.0, count: $0.1) })
        for (agency, outcome) in zip(agencies, outcomes) {
            out.append(
                submission(
                    request: code, agency: agency, requester: requester, issued: issued, due: due, document: document, outcome: outcome, rng: &rng))
        }
        return out
    }

    /// One agency's report: the requester opens it to the agency's head, who gives it to a division head (or an official);
    /// they draft it and send the draft up; the head signs and sends the report to the requester, who accepts it or
    /// returns it — as far as the outcome lets it go.
    private func submission(
        request: CaseID, agency: UnitID, requester: OfficialID, issued: CivilDate, due: CivilDate, document: IssuingDocument,
        outcome: SubmissionOutcome, rng: inout DemoRandom
    ) -> (DemoCase, Scenario, GroundTruth.Facts) {
        let head = city.head(agency)
        let divisions = city.divisions(of: agency)
        let worker = divisions.isEmpty ? pickMember(agency, &rng) : city.head(rng.pick(divisions))
        let allotted = calendar.workingDays(from: issued, to: due)
        func figures(_ rng: inout DemoRandom) -> ReportSubmission {
            ReportSubmission(
                document: "\(rng.int(10...999))/BC-\(org.unit(agency)?.code ?? "")",
                figures: ["ho_so_tre_han": rng.int(0...40), "vu_viec_day_dua": rng.int(0...6), "can_bo_xu_ly": rng.int(0...3)])
        }
        var p = Plan()
        var day = 0
        func step(_ kind: PlanStep.Kind, after gap: Int) {
            day += gap
            p.add(kind, gap: gap...gap)
        }
        if outcome != .neverStarted {
            step(.assign(to: worker, note: "Giao chủ trì xây dựng báo cáo theo đề cương"), after: 1)
            step(.accept("Nhận nhiệm vụ xây dựng báo cáo"), after: rng.int(0...1))
            step(.progress(TaskProgress(percent: 40, text: "Đã tổng hợp số liệu từ các phòng")), after: rng.int(3...5))
        }
        // When the draft goes up: before the due date, or after it for a late one.
        let draftDay: Int? =
            switch outcome {
            case .acceptedOnTime, .returnedThenAccepted, .sentAwaiting: allotted - rng.int(3...5)
            case .acceptedLate: allotted + rng.int(3...6)
            case .draftingOverdue, .neverStarted: nil
            }
        if let draftDay {
            step(.submitDraft(to: head, draft: "Dự thảo báo cáo chuyên đề"), after: max(1, draftDay - day))
            step(.submitReport(to: requester, report: figures(&rng)), after: 1)
            switch outcome {
            case .acceptedOnTime, .acceptedLate:
                step(.approveDraft("Tiếp nhận báo cáo, tổng hợp"), after: rng.int(1...2))
            case .returnedThenAccepted:
                step(.returnDraft("Thiếu số liệu vụ việc cụ thể; đề nghị bổ sung theo mục II đề cương"), after: 1)
                step(.submitReport(to: requester, report: figures(&rng)), after: rng.int(2...3))
                step(.approveDraft("Tiếp nhận báo cáo đã bổ sung"), after: 1)
            default:
                break
            }
        } else if outcome == .draftingOverdue {
            step(.progress(TaskProgress(percent: 60, text: "Đang lấy ý kiến các phòng chuyên môn")), after: rng.int(6...8))
        }
        p.layout(rng: &rng)
        let open = OpenCase(
            kind: .task, title: "Báo cáo chuyên đề về né tránh, đùn đẩy trách nhiệm — \(city.name(agency))", leadUnit: agency, owner: head,
            dueDate: due, parent: request, product: "Báo cáo chuyên đề", document: document)
        let code = CaseID("\(request.rawValue)-\(org.unit(agency)?.code ?? agency.rawValue)")
        let openAt = VietnamTime.instant(issued, seconds: 14 * 3600 + rng.int(0...3600))
        return run(p, opening: open, code: code, by: requester, at: openAt, rng: rng)
    }
}
