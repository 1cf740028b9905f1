import BuckStopCalendar
import BuckStopDomain

/// The demo's inspections, in the shape of seed 002 (Công văn 5046): the Sở Xây dựng inspects its own licensing for a
/// stretch of months and concludes there is nothing wrong, and two other sở do the same for their handling of
/// administrative procedures; the city inspectorate then inspects the same months at those three and the Sở Tài chính and
/// finds a building permit issued against the plan and late dossiers — three self-inspections' misses, which their heads
/// answer for — and a spending error the Sở Tài chính's own inspection had already found (no miss). The
/// inspectorate's conclusion carries two recommendations, tracked as tasks: one remedied on time, one still open past its
/// date. A third unit's self-inspection is still under way. Labels come from `GroundTruth`. Chunk 0 only.
extension Generation {
    func inspectionCases() -> [(DemoCase, Scenario, GroundTruth.Facts)] {
        let construction: UnitID = "so-xay-dung"
        let finance: UnitID = "so-tai-chinh"
        let home: UnitID = "so-noi-vu"
        // The period inspected: a stretch of the demo's past, well before the inspections themselves.
        let from = calendar.addingWorkingDays(-125, to: config.end)
        let to = calendar.addingWorkingDays(-70, to: config.end)
        guard from >= start, [construction, finance, home, City.inspectorate].allSatisfy({ org.unit($0)?.head != nil }),
            let inspectorateCode = org.unit(City.inspectorate)?.code
        else { return [] }
        let others = city.departments.filter { ![construction, finance, home, City.office, City.inspectorate].contains($0) }.prefix(2)
        guard others.count == 2 else { return [] }
        var rng = DemoRandom(seed: SplitMix64.derive(config.seed, 0x1A5, UInt64(to.year)))
        var out: [(DemoCase, Scenario, GroundTruth.Facts)] = []
        let year = to.year

        func at(_ offset: Int, _ seconds: Int) -> Int64 { VietnamTime.instant(calendar.addingWorkingDays(offset, to: config.end), seconds: seconds) }
        func build(
            _ open: OpenCase, code: CaseID, by opener: OfficialID, at openAt: Int64, _ steps: [(OfficialID, Int64, ActionBody)],
            scenario: Scenario = .clean
        ) -> (DemoCase, Scenario, GroundTruth.Facts) {
            let opening = Action(caseID: code, actor: .official(opener), at: openAt, body: .open(open), via: DemoGenerator.credential)
            let actions = steps.map { Action(caseID: code, actor: .official($0.0), at: $0.1, body: $0.2, via: DemoGenerator.credential) }
            return (
                DemoCase(
                    open: open, code: code, openedBy: .official(opener), openedAt: openAt, applicant: nil, actions: actions, labels: [], truth: []),
                scenario, truth.facts(open: opening, actions: actions)
            )
        }
        func decision(_ unit: UnitID, _ offset: Int, signer: String) -> IssuingDocument {
            IssuingDocument(
                number: "\(rng.int(10...299))/QĐ-\(org.unit(unit)?.code ?? "")", date: calendar.addingWorkingDays(offset, to: config.end),
                signer: signer)
        }
        func headTitle(_ unit: UnitID) -> String {
            "Giám đốc \(city.name(unit)) \(org.official(city.head(unit))?.name ?? "")"
        }

        // 1. The Sở Xây dựng's self-inspection: licensing and its procedures, concluded clean by its head.
        let ownHead = city.head(construction)
        let selfCode = CaseID("\(org.unit(construction)?.code ?? "SXD")-TKT-\(year)-01")
        let selfOpen = OpenCase(
            kind: .programme, procedure: PlanLevel.selfInspection.rawValue,
            title: "Tự kiểm tra công tác cấp giấy phép xây dựng và giải quyết thủ tục hành chính 6 tháng", leadUnit: construction,
            owner: ownHead, dueDate: calendar.addingWorkingDays(-50, to: config.end),
            document: decision(construction, -66, signer: headTitle(construction)),
            inspection: InspectionScope(subjects: [construction], from: from, to: to, fields: ["xay-dung", "thu-tuc-hanh-chinh"]))
        out.append(
            build(
                selfOpen, code: selfCode, by: ownHead, at: at(-66, 8 * 3600 + 1800),
                [
                    (
                        ownHead, at(-52, 15 * 3600),
                        .concludeInspection(
                            InspectionConclusion(
                                document: decision(construction, -52, signer: headTitle(construction)),
                                summary: "Các hồ sơ cấp giấy phép xây dựng được kiểm tra đều đúng quy định; không phát hiện vi phạm."))
                    )
                ], scenario: .selfInspectionMiss))

        // …and two other sở's self-inspections of their handling of dossiers, also concluded clean.
        for (n, unit) in others.enumerated() {
            let head = city.head(unit)
            out.append(
                build(
                    OpenCase(
                        kind: .programme, procedure: PlanLevel.selfInspection.rawValue,
                        title: "Tự kiểm tra việc giải quyết thủ tục hành chính, tỷ lệ hồ sơ đúng hạn", leadUnit: unit, owner: head,
                        dueDate: calendar.addingWorkingDays(-50 + n, to: config.end), document: decision(unit, -65 + n, signer: headTitle(unit)),
                        inspection: InspectionScope(subjects: [unit], from: from, to: to, fields: ["thu-tuc-hanh-chinh"])),
                    code: CaseID("\(org.unit(unit)?.code ?? "S")-TKT-\(year)-01"), by: head, at: at(-65 + n, 9 * 3600 + 1800),
                    [
                        (
                            head, at(-51 + n, 16 * 3600),
                            .concludeInspection(
                                InspectionConclusion(
                                    document: decision(unit, -51 + n, signer: headTitle(unit)),
                                    summary: "Hồ sơ thủ tục hành chính được giải quyết đúng quy trình, đúng hạn; không phát hiện vi phạm."))
                        )
                    ], scenario: .selfInspectionMiss))
        }

        // 2. The Sở Tài chính's self-inspection of its spending: finds an error itself.
        let financeHead = city.head(finance)
        let financeCode = CaseID("\(org.unit(finance)?.code ?? "STC")-TKT-\(year)-01")
        let financeOpen = OpenCase(
            kind: .programme, procedure: PlanLevel.selfInspection.rawValue, title: "Tự kiểm tra việc quản lý, sử dụng kinh phí chi thường xuyên",
            leadUnit: finance, owner: financeHead, dueDate: calendar.addingWorkingDays(-48, to: config.end),
            document: decision(finance, -64, signer: headTitle(finance)),
            inspection: InspectionScope(subjects: [finance], from: from, to: to, fields: ["tai-chinh-cong"]))
        out.append(
            build(
                financeOpen, code: financeCode, by: financeHead, at: at(-64, 9 * 3600),
                [
                    (
                        financeHead, at(-58, 10 * 3600),
                        .recordViolation(
                            InspectionViolation(
                                unit: finance, field: "tai-chinh-cong",
                                text: "Chi hỗ trợ hội nghị vượt định mức 18.400.000 đồng, chưa có chứng từ hợp lệ"))
                    ),
                    (
                        financeHead, at(-55, 15 * 3600),
                        .concludeInspection(
                            InspectionConclusion(
                                document: decision(finance, -55, signer: headTitle(finance)),
                                summary: "Phát hiện 01 khoản chi vượt định mức; yêu cầu bộ phận kế toán thu hồi, nộp lại ngân sách."))
                    ),
                ]))

        // 3. The city inspectorate's inspection of both, over the same half-year.
        let chief = city.head(City.inspectorate)
        let leader = pickMember(City.inspectorate, &rng)
        let chiefTitle = "Chánh Thanh tra thành phố \(org.official(chief)?.name ?? "")"
        let externalCode = CaseID("\(inspectorateCode)-TTR-\(year)-03")
        let externalOpen = OpenCase(
            kind: .programme, procedure: PlanLevel.inspection.rawValue,
            title: "Thanh tra trách nhiệm thực hiện pháp luật về cấp phép xây dựng, quản lý tài chính và giải quyết thủ tục hành chính tại một số sở",
            leadUnit: City.inspectorate, owner: leader, dueDate: calendar.addingWorkingDays(-25, to: config.end),
            document: decision(City.inspectorate, -46, signer: chiefTitle),
            inspection: InspectionScope(
                subjects: [construction, finance] + others, from: from, to: to, fields: ["xay-dung", "tai-chinh-cong", "thu-tuc-hanh-chinh"]))
        out.append(
            build(
                externalOpen, code: externalCode, by: chief, at: at(-46, 8 * 3600),
                [
                    (
                        leader, at(-38, 14 * 3600),
                        .recordViolation(
                            InspectionViolation(
                                unit: construction, field: "xay-dung",
                                text: "Cấp giấy phép xây dựng cho công trình có chiều cao vượt quy hoạch chi tiết được duyệt (02 hồ sơ)"))
                    ),
                    (
                        leader, at(-36, 10 * 3600),
                        .recordViolation(
                            InspectionViolation(
                                unit: finance, field: "tai-chinh-cong", text: "Chi hỗ trợ hội nghị vượt định mức, chưa thu hồi đủ"))
                    ),
                ]
                    + others.enumerated().map { n, unit in
                        (
                            leader, at(-34 + n, 15 * 3600),
                            .recordViolation(
                                InspectionViolation(
                                    unit: unit, field: "thu-tuc-hanh-chinh",
                                    text: "Hồ sơ quá hạn không có văn bản xin lỗi, hẹn lại; phiếu kiểm soát ghi không đúng thời điểm chuyển"))
                        )
                    }
                    + [
                        (
                            leader, at(-30, 16 * 3600),
                            .concludeInspection(
                                InspectionConclusion(
                                    document: decision(City.inspectorate, -30, signer: chiefTitle),
                                    summary:
                                        "Sở Xây dựng cấp 02 giấy phép xây dựng trái quy hoạch và hai sở để hồ sơ quá hạn không xin lỗi — những điều các cuộc tự kiểm tra không phát hiện; Sở Tài chính đã tự phát hiện khoản chi vượt định mức nhưng chưa thu hồi đủ. Kiến nghị: thu hồi, điều chỉnh giấy phép; chấn chỉnh việc giải quyết hồ sơ; thu hồi đủ khoản chi."
                                ))
                        )
                    ]))

        // 4. The recommendations, as tasks under the inspection: the Sở Tài chính recovers the money on time; the Sở Xây
        // dựng's revision of the permits is still open past its date.
        let conclusion = IssuingDocument(
            number: "KL-\(rng.int(10...99))/TTTP", date: calendar.addingWorkingDays(-30, to: config.end), signer: chiefTitle)
        out.append(
            task(
                code: CaseID("\(externalCode.rawValue)-KN1"), parent: externalCode, agency: finance,
                title: "Thu hồi đủ khoản chi hỗ trợ hội nghị vượt định mức, nộp ngân sách",
                product: "Báo cáo kết quả thu hồi và chứng từ nộp ngân sách",
                openDay: calendar.addingWorkingDays(-28, to: config.end), document: conclusion, outcome: .onTime, rng: &rng,
                due: calendar.addingWorkingDays(-12, to: config.end)))
        out.append(
            task(
                code: CaseID("\(externalCode.rawValue)-KN2"), parent: externalCode, agency: construction,
                title: "Rà soát, thu hồi hoặc điều chỉnh 02 giấy phép xây dựng cấp trái quy hoạch",
                product: "Quyết định thu hồi, điều chỉnh giấy phép",
                openDay: calendar.addingWorkingDays(-28, to: config.end), document: conclusion, outcome: .inProgress, rng: &rng,
                due: calendar.addingWorkingDays(-8, to: config.end)))

        // 5. The Sở Nội vụ's self-inspection, still under way.
        let homeHead = city.head(home)
        out.append(
            build(
                OpenCase(
                    kind: .programme, procedure: PlanLevel.selfInspection.rawValue,
                    title: "Tự kiểm tra việc thực thi công vụ, kỷ luật, kỷ cương hành chính", leadUnit: home, owner: homeHead,
                    dueDate: calendar.addingWorkingDays(10, to: config.end), document: decision(home, -6, signer: headTitle(home)),
                    inspection: InspectionScope(
                        subjects: [home], from: calendar.addingWorkingDays(-70, to: config.end), to: calendar.addingWorkingDays(-10, to: config.end),
                        fields: ["cong-vu"])),
                code: CaseID("\(org.unit(home)?.code ?? "SNV")-TKT-\(year)-01"), by: homeHead, at: at(-6, 8 * 3600), []))

        // 6. Two outside inspections under way of the same department's handling of administrative procedures over months
        // they share: the Sở Nội vụ's review of administrative reform, then the inspectorate's own — the later one is an
        // overlap (Luật Thanh tra 2022: no overlap in subject, content and time), answered for by whoever holds it.
        let target = others[others.startIndex]
        let reviewer = pickMember(home, &rng)
        out.append(
            build(
                OpenCase(
                    kind: .programme, procedure: PlanLevel.inspection.rawValue,
                    title: "Kiểm tra công tác cải cách hành chính, giải quyết thủ tục hành chính tại \(city.name(target))", leadUnit: home,
                    owner: reviewer, dueDate: calendar.addingWorkingDays(15, to: config.end),
                    document: decision(home, -9, signer: headTitle(home)),
                    inspection: InspectionScope(
                        subjects: [target], from: calendar.addingWorkingDays(-60, to: config.end), to: calendar.addingWorkingDays(-5, to: config.end),
                        fields: ["thu-tuc-hanh-chinh"])),
                code: CaseID("\(org.unit(home)?.code ?? "SNV")-KTR-\(year)-02"), by: homeHead, at: at(-9, 9 * 3600), []))
        let second = pickMember(City.inspectorate, &rng)
        out.append(
            build(
                OpenCase(
                    kind: .programme, procedure: PlanLevel.inspection.rawValue,
                    title: "Thanh tra việc giải quyết thủ tục hành chính tại \(city.name(target))", leadUnit: City.inspectorate, owner: second,
                    dueDate: calendar.addingWorkingDays(20, to: config.end), document: decision(City.inspectorate, -4, signer: chiefTitle),
                    inspection: InspectionScope(
                        subjects: [target], from: calendar.addingWorkingDays(-40, to: config.end), to: calendar.addingWorkingDays(-3, to: config.end),
                        fields: ["thu-tuc-hanh-chinh", "cong-vu"])),
                code: CaseID("\(inspectorateCode)-TTR-\(year)-07"), by: chief, at: at(-4, 9 * 3600), [], scenario: .overlap))
        return out.sorted { $0.0.openedAt < $1.0.openedAt }
    }
}
