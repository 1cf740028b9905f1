import BuckStopCalendar
import BuckStopDomain

/// The people in a case's flow.
struct Cast {
    var opener: OfficialID
    var handler: OfficialID
    var signer: OfficialID
    /// The agency that holds the mandate and answers for the case.
    var lead: UnitID
    var head: OfficialID
    var deputy: OfficialID
    var division: UnitID?
}

/// Per-case numbers every plan needs.
struct CaseNumbers {
    var kind: CaseKind
    var scenario: Scenario
    var openDay: CivilDate
    var openAt: Int64
    var due: CivilDate
    var rule: DeadlineRule?
    /// Working days from the day of receipt to the due date.
    var allotted: Int
    /// Largest owner gap that is not stalling, and the largest a well-run case uses (≤ 3).
    var stallCap: Int
    var gap: Int
    var afterCutoff: Bool
    /// Working-day offset of the intake deadline (forward / accept / classify / answer).
    var intakeOffset: Int
}

extension Generation {
    func buildCase(_ s: inout Seedling, code: CaseID) -> (DemoCase, Scenario, GroundTruth.Facts) {
        var rng = s.rng
        let openAt = s.at
        let (due, rule) = dueDate(s.kind, s.procedure?.code, at: openAt)
        let allotted = calendar.workingDays(from: s.day, to: due)
        let shareCap = Int((truth.t.stallingShare * Double(allotted)).rounded(.down))
        let stallCap = max(0, min(Int(truth.t.stallingIdle), shareCap))
        let intake = truth.intakeDeadline(kind: s.kind, procedure: s.procedure?.code, openedAt: openAt)
        let cutoffHour = truth.limit(.intakeCutoffHour, on: s.day)
        let numbers = CaseNumbers(
            kind: s.kind, scenario: s.scenario, openDay: s.day, openAt: openAt, due: due, rule: rule, allotted: allotted,
            stallCap: stallCap, gap: min(3, stallCap), afterCutoff: cutoffHour.map { s.seconds >= $0 * 3600 } ?? false,
            intakeOffset: intake.map { calendar.workingDays(from: s.day, to: $0) } ?? allotted)

        let built: (open: OpenCase, openedBy: OfficialID, applicant: DemoApplicant?, plan: Plan)
        switch s.kind {
        case .task: built = task(s, numbers, &rng)
        default: built = dossierLike(s, numbers, &rng)
        }
        let openAction = Action(caseID: code, actor: .official(built.openedBy), at: openAt, body: .open(built.open), via: DemoGenerator.credential)
        let extensionRule = truth.rules.rule(for: s.kind, procedure: s.procedure?.code, step: .extension, on: s.day)
        let kind = s.kind
        let procedure = s.procedure?.code
        var runner = FlowRunner(
            org: org, calendar: calendar, end: config.end, open: openAction, resolveRule: rule, extensionRule: extensionRule,
            cutoffHour: cutoffHour, rng: rng, checked: !config.uncheckedDecisions,
            resumedDue: { [rulebook = truth.rulebook, calendar] due, suspendedOn, resumedOn in
                rulebook.dueDate(
                    resuming: due, suspendedOn: suspendedOn, resumedOn: resumedOn, kind: kind, procedure: procedure, calendar: calendar)
            },
            acceptanceRule: { [truth] day in
                truth.rules.rule(for: kind, procedure: procedure, step: .resolve, on: day).flatMap { $0.startsOnAcceptance ? $0 : nil }
            })
        runner.run(built.plan)
        let facts = truth.facts(open: openAction, actions: runner.actions)
        let demoCase = DemoCase(
            open: built.open, code: code, openedBy: .official(built.openedBy), openedAt: openAt, applicant: built.applicant,
            actions: runner.actions, labels: [], truth: [])
        return (demoCase, s.scenario, facts)
    }

    // MARK: - Cast

    func pickMember(_ unit: UnitID, _ rng: inout DemoRandom) -> OfficialID {
        let pool = city.rankAndFile(unit)
        return pool.isEmpty ? city.head(unit) : rng.pick(pool)
    }

    /// Anyone who can answer for a consulted unit: its own people or those of its phòng.
    func answerer(_ unit: UnitID, _ rng: inout DemoRandom) -> OfficialID {
        var pool = city.members(unit)
        for d in city.divisions(of: unit) { pool += city.members(d) }
        return rng.pick(pool)
    }

    func cast(_ s: Seedling, _ rng: inout DemoRandom) -> Cast {
        switch s.kind {
        case .dossier:
            switch s.route! {
            case .ward(let tag):
                let ward = s.ward!
                let opener = city.staff(ward, .oneStop)[0]
                let handler = city.staff(ward, tag).first ?? pickMember(ward, &rng)
                let head = city.head(ward)
                let deputy = city.deputies(ward)[0]
                return Cast(opener: opener, handler: handler, signer: rng.chance(0.6) ? deputy : head, lead: ward, head: head, deputy: deputy)
            case .department(let agency, let division):
                let openers = city.staff(City.serviceCentre, .oneStop)
                let opener = s.scenario == .minorDelay ? centreDesignee : rng.pick(openers)
                let head = city.head(agency)
                let deputy = city.deputies(agency)[0]
                if let division {
                    let handler = rng.pick(city.staff(division, .specialist))
                    let signer = rng.weighted([(city.head(division), 0.5), (deputy, 0.4), (head, 0.1)])
                    return Cast(opener: opener, handler: handler, signer: signer, lead: agency, head: head, deputy: deputy, division: division)
                }
                let handler = pickMember(agency, &rng)
                return Cast(opener: opener, handler: handler, signer: rng.chance(0.75) ? deputy : head, lead: agency, head: head, deputy: deputy)
            }
        case .complaint, .denunciation:
            let unit = City.inspectorate
            let head = city.head(unit)
            let deputy = city.deputies(unit)[0]
            // The inspectorate verifies and advises; the competent head decides (Luật Khiếu nại Đ.18, Luật Tố cáo Đ.13: the
            // city's Chủ tịch UBND for acts of the city's bodies and their officials), in person or through a Phó Chủ tịch
            // signing for them (ký thay) — never the Chánh Thanh tra.
            let chair = city.head(City.root)
            var signer = rng.chance(s.kind == .complaint ? 0.4 : 0.5) ? chair : rng.pick(city.deputies(City.root))
            if s.scenario == .wrongLevel { signer = head }  // what the demo did before issue 16, and some systems still do
            return Cast(
                opener: city.staff(unit, .reception)[0], handler: rng.pick(city.staff(unit, .specialist)), signer: signer, lead: unit,
                head: head, deputy: deputy)
        case .petition, .task, .reception, .programme, .proposal:
            let unit = City.office
            let head = city.head(unit)
            let deputy = city.deputies(unit)[0]
            return Cast(
                opener: city.staff(unit, .reception)[0], handler: rng.pick(city.staff(unit, .specialist)),
                signer: rng.chance(0.5) ? head : deputy, lead: unit, head: head, deputy: deputy)
        }
    }

    func applicant(_ rng: inout DemoRandom, ward: UnitID?) -> DemoApplicant {
        let person = VietnameseNames.person(&rng)
        let place = ward ?? rng.pick(city.wards)
        return DemoApplicant(
            fullName: person.fullName, idNumber: VietnameseNames.citizenID(&rng, female: person.female),
            address: VietnameseNames.address(&rng, localityName: city.name(place).lowercasedFirst, rural: city.rural.contains(place)),
            phone: VietnameseNames.phone(&rng))
    }

    func rating(_ rng: inout DemoRandom, troubled: Bool) -> Int {
        troubled
            ? rng.weighted([(5, 0.15), (4, 0.25), (3, 0.25), (2, 0.2), (1, 0.15)])
            : rng.weighted([(5, 0.60), (4, 0.28), (3, 0.08), (2, 0.03), (1, 0.01)])
    }

    // MARK: - Dossiers, complaints, denunciations, petitions

    func dossierLike(_ s: Seedling, _ n: CaseNumbers, _ rng: inout DemoRandom)
        -> (open: OpenCase, openedBy: OfficialID, applicant: DemoApplicant?, plan: Plan)
    {
        var c = cast(s, &rng)
        let scenario = n.scenario
        if n.kind == .petition && scenario == .clean && rng.chance(0.12) { return anonymousTip(s, n, &rng) }
        let g = n.gap
        let kind = n.kind
        let procedureName = s.procedure?.nameVi ?? kind.nameVi
        var subject = procedureName
        var consultTarget: UnitID
        var title: String
        var concerning: Concerning?
        switch kind {
        case .dossier:
            title = procedureName
            if case .ward = s.route! {
                consultTarget = rng.pick(city.departments)
            } else {
                consultTarget = rng.chance(0.5) ? rng.pick(city.wards) : rng.pick(city.departments.filter { $0 != c.lead })
            }
        case .complaint:
            let (subject, bodies) = rng.pick(Texts.complaintSubjects)
            let body = rng.pick(bodies)
            let respondent = body == "ward" || org.unit(UnitID(body)) == nil ? rng.pick(city.wards) : UnitID(body)
            let respondentName =
                city.org.unit(respondent)!.kind == .department ? city.name(respondent) : "UBND \(city.name(respondent).lowercasedFirst)"
            // The city's Chủ tịch decides: a second complaint against a sở's or a ward's first decision (lần hai), or a
            // first complaint against the city's own decision (lần đầu: Luật Khiếu nại Đ.21).
            if s.procedure?.code.hasPrefix("KN-L2") ?? false {
                title = "\(subject) (khiếu nại lần hai) của \(respondentName)"
                concerning = Concerning(unit: respondent)
            } else {
                title = "\(subject) của UBND thành phố"
                concerning = Concerning(unit: City.root)
            }
            consultTarget = respondent
        case .denunciation:
            // The accused leads the ward or sở, so the city's Chủ tịch decides (Luật Tố cáo Đ.12(1), Đ.13(4)). Built to show
            // a conflict of interest: the accused is a Phó Chánh Thanh tra, and the inspectorate they lead verifies it
            // (NĐ 31/2019 Đ.5(2), Đ.10(3) keep it out of their subordinates' hands).
            let conflicted = scenario == .conflictOfInterest
            let place = conflicted ? City.inspectorate : rng.chance(0.6) ? rng.pick(city.wards) : rng.pick(city.departments)
            title = "\(rng.pick(Texts.denunciationSubjects)) tại \(city.name(place).lowercasedFirst)"
            consultTarget = place
            let accused = conflicted || rng.chance(0.5) ? rng.pick(city.deputies(place)) : city.head(place)
            concerning = Concerning(unit: place, official: accused)
        default:
            let (subject, related) = rng.pick(Texts.petitionSubjects)
            let place = rng.pick(city.wards)
            title = "\(subject) tại \(city.name(place).lowercasedFirst)"
            consultTarget = related == "ward" ? place : UnitID(related)
        }
        if consultTarget == c.lead { consultTarget = rng.pick(city.wards) }
        // Whoever the rulebook names decides (a rulebook of one's own may name another body than the city): its head or a
        // deputy signs — unless the case is built to show a decision without that competence.
        if scenario != .wrongLevel, let concerning, let unit = decidingBody(s, concerning, n).flatMap({ org.unit($0) }),
            let head = unit.head, head != c.signer, !unit.deputies.contains(c.signer)
        {
            c.signer = unit.deputies.isEmpty || rng.chance(0.5) ? head : rng.pick(unit.deputies)
        }
        if kind != .dossier { subject = title }

        var p = Plan()
        // 1. Intake: the receiver forwards to the handler.
        var assignGap: ClosedRange<Int> = 0...(kind == .dossier ? (n.afterCutoff ? min(1, g) : 0) : min(1, g))
        if kind == .dossier && scenario == .lateIntake {
            let late = n.intakeOffset + rng.int(1...3)
            assignGap = late...late
        }
        if scenario == .minorDelay {
            let late = n.intakeOffset + 1
            assignGap = late...late
        }
        let forwardNote: String
        switch kind {
        case .dossier:
            let atWard = [.ward, .commune].contains(org.unit(c.lead)!.kind)
            let field = org.official(c.handler)!.position.replacing("Chuyên viên ", with: "")
            forwardNote = Texts.forward(&rng, to: atWard ? "công chức \(field)" : city.name(c.division ?? c.lead))
        default:
            forwardNote = Texts.forwardCase(&rng, kind: kind)
        }
        p.add(.assign(to: c.handler, note: forwardNote), gap: assignGap)
        var acceptGap = 0...g
        if scenario == .lateIntake && (kind == .complaint || kind == .denunciation) {
            let a = rng.int(assignGap)
            p.steps[0].gap = a...a
            let target = n.intakeOffset + rng.int(1...3)
            acceptGap = (target - a)...(target - a)
        }
        let acceptText = kind == .complaint ? "Thụ lý giải quyết khiếu nại" : kind == .denunciation ? "Thụ lý tố cáo" : Texts.acceptDossier(&rng)
        let firstAccept = p.add(.accept(acceptText), gap: acceptGap)

        // 2. Hand-offs that go wrong.
        switch scenario {
        case .pingPong:
            let partner = pingPongPartner(s, c, &rng)
            let sameAgency = truth.agency(partner) == truth.agency(c.handler)
            let partnerUnitName = city.name(city.unitOf(partner))
            let handlerUnitName = city.name(city.unitOf(c.handler))
            let transfers = rng.chance(0.4) ? 4 : 2
            for k in 0..<transfers {
                let toPartner = k % 2 == 0
                p.add(
                    .transfer(
                        to: toPartner ? partner : c.handler,
                        reason: Texts.transferReason(&rng, to: toPartner ? partnerUnitName : handlerUnitName, sameUnit: sameAgency)),
                    gap: 0...g)
                p.add(.accept(Texts.acceptDossier(&rng)), gap: 0...g)
            }
        case .transfers:
            let chain = transferChain(c, &rng)
            for next in chain.dropFirst() {
                p.add(.transfer(to: next, reason: Texts.transferReason(&rng, to: city.name(city.unitOf(next)), sameUnit: true)), gap: 0...g)
                p.add(.accept(Texts.acceptDossier(&rng)), gap: 0...g)
            }
            c.handler = chain.last!
        case .declineRefusal:
            let others = (kind == .dossier && c.lead.rawValue.hasPrefix("so-") ? city.departments : city.wards).filter { $0 != c.lead }
            if rng.chance(0.5) || others.isEmpty || kind != .dossier {
                p.add(
                    .decline(
                        competentUnit: Texts.externalBody(&rng, agency: c.lead.rawValue), legalBasis: rng.pick(Texts.declineBasis),
                        reason: "Không thuộc thẩm quyền giải quyết của \(city.name(c.lead))"),
                    gap: 0...g)
                if rng.chance(0.4) { p.add(.rate(rng.int(1...2), Texts.rating(&rng, score: 1)), gap: 0...3) }
                return (openCase(s, n, c, title: title, concerning: concerning), c.opener, applicant(&rng, ward: s.ward), finish(p, s, n, &rng))
            }
            let elsewhere = rng.pick(others)
            p.add(
                .decline(
                    competentUnit: elsewhere.rawValue, legalBasis: rng.pick(Texts.declineBasis),
                    reason: "Nội dung thuộc thẩm quyền của \(city.name(elsewhere))"),
                gap: 0...g)
            p.add(
                .decline(
                    competentUnit: c.lead.rawValue, legalBasis: rng.pick(Texts.declineBasis),
                    reason: "Thủ tục thuộc thẩm quyền của \(city.name(c.lead)) theo danh mục đã công bố; trả lại"),
                gap: 0...g)
            let second = secondHandler(c, &rng)
            p.add(.assign(to: second, note: "Giao xử lý lại hồ sơ"), gap: 0...g)
            p.add(.accept(Texts.acceptDossier(&rng)), gap: 0...g)
            c.handler = second
            c.signer = c.deputy
        default:
            break
        }

        // 3. Work: verification, supplements, consultations.
        if kind == .complaint || kind == .denunciation {
            p.add(.comment(Texts.verification(&rng)), gap: 0...g)
            // Some wait for another body's result, suspended (tạm đình chỉ) where the law allows it that day; the time
            // suspended does not count, and the resumption moves the due date on by it.
            if scenario == .clean && (truth.rulebook.suspension(of: kind, on: n.openDay)?.allowed ?? true) && rng.chance(0.15) {
                let (basis, reason) = Texts.suspension(&rng, kind: kind)
                p.add(.suspend(legalBasis: basis, reason: reason), gap: 0...g)
                let waited = rng.int(3...6)
                p.add(.resume("Đã có kết quả của cơ quan có liên quan; tiếp tục giải quyết"), gap: waited...waited)
            }
            // Đối thoại: always where the rulebook requires it before the decision (second instance), at first instance
            // where demands and verification differ. The complainant stays away only where that counts as held.
            if kind == .complaint {
                let required = truth.rulebook.dialogueRule(for: .complaint, procedure: s.procedure?.code, on: n.openDay)
                if required != nil || rng.chance(0.4) {
                    let absent = (required?.absenceSuffices ?? true) && rng.chance(0.1)
                    p.add(.dialogue(Texts.dialogue(&rng, respondent: city.name(consultTarget), attended: !absent)), gap: 0...g)
                }
            }
            // Rút: a few complainants withdraw and the handling ends (đình chỉ); from 1 July 2026 some withdraw a part; a
            // few denouncers withdraw and the handling continues, as the law allows.
            let withdrawal = truth.rulebook.withdrawalRule(for: kind, on: n.openDay)
            if scenario == .clean, withdrawal != nil {
                if kind == .complaint && rng.chance(0.06) {
                    p.add(
                        .withdraw(Withdrawal(letter: Texts.withdrawalLetter(&rng, kind: kind) + ". " + rng.pick(Texts.withdrawalReasons))),
                        gap: 0...g)
                    if n.rule?.startsOnAcceptance ?? false { p.total(0..<(firstAccept + 1), in: 0...max(0, n.intakeOffset), rng: &rng) }
                    return (openCase(s, n, c, title: title, concerning: concerning), c.opener, applicant(&rng, ward: s.ward), finish(p, s, n, &rng))
                }
                if kind == .complaint && withdrawal?.partial == true && rng.chance(0.15) {
                    p.add(
                        .withdraw(Withdrawal(letter: Texts.withdrawalLetter(&rng, kind: kind), part: rng.pick(Texts.partialWithdrawals))),
                        gap: 0...g)
                } else if kind == .denunciation && withdrawal?.mayContinue == true && rng.chance(0.08) {
                    p.add(
                        .withdraw(
                            Withdrawal(letter: Texts.withdrawalLetter(&rng, kind: kind), continuing: rng.pick(Texts.continuingAfterWithdrawal))),
                        gap: 0...g)
                }
            }
        } else if scenario == .clean && n.allotted >= 4 && rng.chance(0.1) {
            p.add(.comment(Texts.progress(&rng)), gap: 0...g)
        }
        var segments: [(Range<Int>, ClosedRange<Int>)] = []
        var segmentStart = 0
        var lastAllotted = n.allotted
        if n.rule?.startsOnAcceptance ?? false {
            // The resolution clock starts on acceptance (thụ lý): the intake is timed first, and the result from the
            // acceptance against the date it sets, so a case built to finish on time (or late) does so against that date.
            p.total(0..<(firstAccept + 1), in: 0...max(0, n.intakeOffset), rng: &rng)
            let acceptOffset = p.steps[...firstAccept].reduce(0) { $0 + ($1.gapValue ?? 0) }
            let acceptDay = calendar.addingWorkingDays(acceptOffset, to: n.openDay)
            if let rule = truth.rules.rule(for: kind, procedure: s.procedure?.code, step: .resolve, on: acceptDay) {
                let due = calendar.deadline(receivedAt: acceptDay.startInstant(), duration: rule.duration, unit: rule.unit, cutoffHour: nil)
                lastAllotted = calendar.workingDays(from: acceptDay, to: due)
            }
            segmentStart = firstAccept + 1
        }
        let sameDay = n.rule?.unit == .sameDay
        if kind == .dossier && (scenario == .repeatSupplement || (scenario == .clean && n.allotted >= 2 && !sameDay && rng.chance(0.08))) {
            // Without a supplement-return rule the request may come any time in the allotted time.
            let returnDays =
                truth.rules.rule(for: .dossier, procedure: s.procedure?.code, step: .supplementReturn, on: n.openDay)?.duration ?? n.allotted
            for round in 0..<(scenario == .repeatSupplement ? 2 : 1) {
                let request = p.add(.requestSupplement(Texts.missingItems(&rng, procedure: procedureName)), gap: 0...g)
                segments.append((segmentStart..<(request + 1), 0...(round == 0 ? min(returnDays, n.allotted) : g)))
                let wait = rng.int(1...8)
                let received = p.add(.supplementReceived(Texts.supplementReceived(&rng)), gap: wait...wait)
                segmentStart = received + 1
            }
            lastAllotted = max(0, n.allotted - (n.rule?.unit == .days ? 2 : 0))
        }
        // A case that will be late by several days still moves every day or so: progress notes, not silence.
        if (scenario == .overdue || scenario == .repeatReschedule) && g >= 1 {
            let planned = (segmentStart..<p.count).reduce(0) { $0 + p.steps[$1].gap.upperBound } + 3 * g
            let needed = lastAllotted + (scenario == .repeatReschedule ? 5 : 4)
            for _ in 0..<min(8, max(0, (needed - planned + g - 1) / g)) { p.add(.comment(Texts.progress(&rng)), gap: 0...g) }
        }
        let consultDue = max(2, min(5, g + 1))
        switch scenario {
        case .consultRounds:
            let second = rng.chance(0.5) ? consultTarget : rng.pick(city.departments.filter { $0 != c.lead && $0 != consultTarget })
            for (round, unit) in [consultTarget, second].enumerated() {
                let question = Texts.consultQuestion(&rng, subject: round == 0 ? subject : "ý kiến bổ sung lần 2")
                p.add(.consult(units: [unit], question: question, dueIn: consultDue), gap: 0...g)
                p.add(.opinion(unit: unit, by: answerer(unit, &rng), text: Texts.opinion(&rng)), floating: true)
            }
        case .consultLate:
            let dueIn = rng.int(2...3)
            let late = rng.int(1...3)
            p.add(.consult(units: [consultTarget], question: Texts.consultQuestion(&rng, subject: subject), dueIn: dueIn), gap: 0...min(1, g))
            p.add(.comment(Texts.chase(&rng, unitName: city.name(consultTarget))), gap: (dueIn + 1)...(dueIn + 1))
            p.add(.opinion(unit: consultTarget, by: answerer(consultTarget, &rng), text: Texts.opinion(&rng)), gap: (late - 1)...(late - 1))
        default:
            let wantsConsult = kind == .complaint || kind == .petition || (kind == .denunciation && rng.chance(0.6)) || rng.chance(0.22)
            if wantsConsult && n.allotted >= 5 && g >= 1 && scenario != .declineRefusal {
                p.add(.consult(units: [consultTarget], question: Texts.consultQuestion(&rng, subject: subject), dueIn: consultDue), gap: 0...g)
                p.add(.opinion(unit: consultTarget, by: answerer(consultTarget, &rng), text: Texts.opinion(&rng)), floating: true)
            }
        }

        // 4. Up the hierarchy for a decision.
        let proposal: (inout DemoRandom) -> String = { rng in
            switch kind {
            case .complaint: Texts.complaintProposal(&rng)
            case .denunciation: Texts.denunciationProposal(&rng)
            case .petition: Texts.petitionProposal(&rng)
            default: Texts.proposal(&rng, procedure: procedureName)
            }
        }
        switch scenario {
        case .upwardPush:
            p.add(.escalate(to: c.head, proposal: proposal(&rng)), gap: 0...g)
            if rng.chance(0.25) {
                p.add(.delegate(to: c.handler, instruction: Texts.withinYourRemit(&rng)), gap: 0...g)
                p.add(.escalate(to: c.deputy, proposal: proposal(&rng)), gap: 0...g)
            } else {
                p.add(.delegate(to: c.deputy, instruction: Texts.withinYourRemit(&rng)), gap: 0...g)
            }
            c.signer = c.deputy
        case .shuttle:
            for _ in 0..<2 {
                p.add(.escalate(to: c.signer, proposal: proposal(&rng)), gap: 0...g)
                p.add(.delegate(to: c.handler, instruction: Texts.sendBack(&rng)), gap: 0...g)
            }
            p.add(.escalate(to: c.signer, proposal: proposal(&rng)), gap: 0...g)
        case .transfers:
            p.add(.escalate(to: c.deputy, proposal: proposal(&rng)), gap: 0...g)
            p.add(.escalate(to: c.head, proposal: "Hồ sơ đã qua nhiều bộ phận; kính trình Giám đốc cho ý kiến chỉ đạo"), gap: 0...g)
            c.signer = c.head
        default:
            p.add(.escalate(to: c.signer, proposal: proposal(&rng)), gap: 0...g)
        }
        let (decision, rationale) = kind == .dossier ? Texts.decision(&rng, procedure: procedureName) : Texts.decision(&rng, kind: kind)
        p.add(.decide(decision, rationale), gap: 0...g)
        let atWard = [.ward, .commune].contains(city.org.unit(c.lead)!.kind)
        let reopenRework = scenario == .rework && kind == .dossier && atWard && rng.chance(0.4)
        if scenario == .rework && !reopenRework {
            p.add(
                .decide("Điều chỉnh quyết định đã ban hành do sai sót thông tin", "Phát hiện sai sót khi rà soát trước khi trả kết quả"), gap: 0...g)
        }
        let resolveText = kind == .dossier ? Texts.result(&rng, procedure: procedureName) : Texts.result(&rng, kind: kind)
        let resolveIndex = p.add(.resolve(resolveText), gap: 0...g)

        // 5. Timing up to the result.
        if scenario == .stalling {
            let candidates = ((firstAccept + 1)...resolveIndex).filter { !p.steps[$0].floating }
            let i = rng.pick(candidates)
            let stall = Int(truth.t.stallingIdle) + 2 + rng.int(0...4)
            p.steps[i].gap = stall...stall
        }
        let finishRange: ClosedRange<Int>
        var early = true
        switch scenario {
        case .overdue, .repeatReschedule:
            finishRange = (lastAllotted + 1)...(lastAllotted + (scenario == .repeatReschedule ? 5 : 4))
            early = false
        default:
            finishRange = 0...(kind == .petition ? min(lastAllotted, n.intakeOffset) : lastAllotted)
        }
        segments.append((segmentStart..<(resolveIndex + 1), finishRange))
        for (k, (range, total)) in segments.enumerated() {
            let last = k == segments.count - 1
            p.total(range, in: total, rng: &rng, early: early, force: last && !early, overflowCap: n.stallCap)
        }

        // 6. Return the result; sometimes it has to be done again.
        let closeText = kind == .dossier ? Texts.closeDossier(&rng) : "Đã gửi văn bản cho người có đơn; kết thúc hồ sơ"
        p.add(.close(closeText), gap: 0...min(1, g))
        if reopenRework {
            let other = city.rankAndFile(c.lead).filter { $0 != c.handler && $0 != c.opener }
            let second = other.isEmpty ? c.handler : rng.pick(other)
            p.add(.reopen(to: second, reason: "Công dân phản ánh kết quả có sai sót thông tin; mở lại để đính chính", by: c.head), gap: 1...5)
            p.add(.resolve("Đã đính chính, cấp lại kết quả"), gap: 0...g)
            p.add(.close(closeText), gap: 0...min(1, g))
        }
        let rates = kind == .dossier ? 0.55 : kind == .denunciation ? 0.0 : 0.35
        if rng.chance(rates) {
            let score = rating(&rng, troubled: scenario != .clean)
            p.add(.rate(score, Texts.rating(&rng, score: score)), gap: 0...5)
        }
        return (openCase(s, n, c, title: title, concerning: concerning), c.opener, applicant(&rng, ward: s.ward), finish(p, s, n, &rng))
    }

    /// Lays the plan out on days and adds apologies, extensions and progress notes where the scenario needs them.
    /// An anonymous letter (tin báo, đơn không ghi rõ họ tên): information, not a denunciation (Luật Tố cáo 2018 Đ.25(2)),
    /// received by the inspectorate with no applicant and no answer owed (no due date, as the web form files it); an
    /// inspector notes what it says, and it is kept for the inspection plan or passed to the body it concerns.
    func anonymousTip(
        _ s: Seedling, _ n: CaseNumbers, _ rng: inout DemoRandom
    ) -> (open: OpenCase, openedBy: OfficialID, applicant: DemoApplicant?, plan: Plan) {
        let unit = City.inspectorate
        let opener = city.staff(unit, .reception)[0]
        let inspector = rng.pick(city.staff(unit, .specialist))
        let place = rng.chance(0.6) ? rng.pick(city.wards) : rng.pick(city.departments)
        let title = "Tin báo không ghi tên: \(rng.pick(Texts.anonymousTips)) tại \(city.name(place).lowercasedFirst)"
        var p = Plan()
        p.add(.assign(to: inspector, note: "Thông tin không ghi tên người gửi: xem xét như thông tin, không xử lý như tố cáo"), gap: 0...1)
        p.add(.comment(rng.pick(Texts.anonymousTipReview)), gap: 1...3)
        let outcome =
            rng.chance(0.5)
            ? "Lưu thông tin, đưa vào căn cứ xây dựng kế hoạch thanh tra, kiểm tra"
            : "Chuyển thông tin đến \(city.name(place)) để kiểm tra theo thẩm quyền"
        p.add(.close(outcome), gap: 0...2)
        let open = OpenCase(kind: .petition, title: title, leadUnit: unit, owner: opener)
        return (open, opener, nil, finish(p, s, n, &rng))
    }

    func finish(_ plan: Plan, _ s: Seedling, _ n: CaseNumbers, _ rng: inout DemoRandom) -> Plan {
        var p = plan
        p.layout(rng: &rng)
        let a = n.allotted
        let resolveAt = { (p: Plan) in p.index { if case .resolve = $0 { true } else { false } } ?? p.count }
        switch n.scenario {
        case .overdue:
            let finishDay = p.steps[min(resolveAt(p), p.count - 1)].day
            let variant = a >= 1 ? rng.weightedIndex([0.35, 0.40, 0.25]) : rng.weightedIndex([0, 0.6, 0.4])
            if variant == 0 {
                let day = rng.int(max(0, a - 3)...(a - 1))
                p.insert(
                    .reschedule(addDays: max(1, finishDay - a + rng.int(0...2)), apology: Texts.apology(&rng)), onDay: day, notAfter: resolveAt(p))
            } else if variant == 2 && finishDay >= a {
                let day = rng.int(a...finishDay)
                p.insert(.reschedule(addDays: max(1, finishDay - a + 1), apology: Texts.apology(&rng)), onDay: day, notAfter: resolveAt(p))
            }
        case .repeatReschedule:
            let finishDay = p.steps[min(resolveAt(p), p.count - 1)].day
            let first = rng.int(max(0, a - 2)...(a - 1))
            let add1 = rng.int(2...3)
            p.insert(.reschedule(addDays: add1, apology: Texts.apology(&rng)), onDay: first, notAfter: resolveAt(p))
            let second = rng.int(first...max(first, min(finishDay, a + add1 - 1)))
            let add2 = max(1, finishDay - (a + add1) + rng.int(1...3))
            p.insert(.reschedule(addDays: add2, apology: Texts.apology(&rng)), onDay: second, notAfter: resolveAt(p))
        default:
            break
        }
        if n.kind == .denunciation {
            p = extensions(p, n, &rng)
        }
        p.placeFloating(rng: &rng)
        return p
    }

    /// Denunciations: a lawful extension now and then; in `extensionAbuse`, one more than the rulebook allows.
    func extensions(_ plan: Plan, _ n: CaseNumbers, _ rng: inout DemoRandom) -> Plan {
        var p = plan
        let rule = truth.rules.rule(for: .denunciation, procedure: nil, step: .extension, on: n.openDay)
        let resolveIndex = { (p: Plan) in p.index { if case .resolve = $0 { true } else { false } } ?? p.count }
        let basis = rule?.source ?? "Luật Tố cáo 2018 Đ.30"
        func offset(_ date: CivilDate) -> Int { calendar.workingDays(from: n.openDay, to: date) }
        func extended(_ due: CivilDate) -> CivilDate {
            rule.map {
                calendar.deadline(
                    receivedAt: due.startInstant(), duration: $0.duration, unit: $0.unit, cutoffHour: truth.limit(.intakeCutoffHour, on: n.openDay))
            }
                ?? calendar.nextWorkingDay(onOrAfter: due.adding(days: 30))
        }
        if n.scenario == .extensionAbuse {
            let allowed = rule == nil ? 0 : (rule!.maxCount ?? 0)
            let count = allowed + 1
            // Extensions one after another, each a few days before the current due date (the last one
            // early), then escalate, decide and resolve before the due date the lawful extensions give.
            let tailStart = p.index { if case .escalate = $0 { true } else { false } } ?? resolveIndex(p)
            var steps = Array(p.steps[..<tailStart])
            let tail = Array(p.steps[tailStart...])
            var day = steps.last?.day ?? 0
            var due = n.due
            var dues: [CivilDate] = [n.due]
            for k in 0..<count {
                let target = k < count - 1 || count == 1 ? offset(due) - rng.int(1...3) : day + rng.int(2...5)
                day = max(day, target)
                steps.append(PlanStep(kind: .extend(legalBasis: basis, extraDays: 0), gap: 0...0, gapValue: 0, day: day))
                due = extended(due)
                dues.append(due)
            }
            let lawful = dues[min(allowed, dues.count - 1)]
            let resolveDay = max(day + 2, min(offset(lawful) - 1, day + 2 + rng.int(0...6)))
            var cursor = day + 1
            for var step in tail {
                if case .resolve = step.kind { cursor = max(cursor, resolveDay) }
                step.day = cursor
                steps.append(step)
                cursor += rng.int(0...1)
                if cursor > resolveDay, !steps.contains(where: { if case .resolve = $0.kind { true } else { false } }) {
                    cursor = resolveDay
                }
            }
            p.steps = steps
            p.fill(maxGap: max(1, min(3, n.stallCap - 1)), rng: &rng, text: Texts.progress)
        } else if let rule, (rule.maxCount ?? 1) >= 1, !p.steps.contains(where: { if case .suspend = $0.kind { true } else { false } }),
            rng.chance(0.15)
        {
            // Complex matter: one lawful extension a few days before the due date, finishing within it (not in a case
            // that was suspended: nothing but a note happens while it is).
            let dueOffset = offset(n.due)
            let day = max(0, dueOffset - rng.int(1...3))
            p.insert(.extend(legalBasis: basis, extraDays: 0), onDay: day, notAfter: resolveIndex(p))
        }
        return p
    }

    /// A case whose resolution clock starts on acceptance (complaints, denunciations) is received without a due date:
    /// its acceptance sets one (`FlowRunner`); `n.due` stays the plan's estimate of it.
    /// What a complaint or denunciation concerns names the body whose head decides it, by the rulebook's competence
    /// row (the same decision the live writer makes: `Rulebook.decidingBody(for:on:in:)`).
    func decidingBody(_ s: Seedling, _ concerning: Concerning, _ n: CaseNumbers) -> UnitID? {
        let open = OpenCase(kind: s.kind, procedure: s.procedure?.code, title: "", leadUnit: City.root, owner: "", concerning: concerning)
        return (try? truth.rulebook.decidingBody(for: open, on: n.openDay, in: org))?.body
    }

    func openCase(_ s: Seedling, _ n: CaseNumbers, _ c: Cast, title: String, concerning: Concerning? = nil) -> OpenCase {
        let onAcceptance = n.rule?.startsOnAcceptance ?? false
        var open = OpenCase(
            kind: s.kind, procedure: s.procedure?.code, title: title, leadUnit: c.lead, collaborators: [], owner: c.opener,
            dueDate: onAcceptance ? nil : n.due, ruleID: onAcceptance ? nil : n.rule?.id, concerning: concerning)
        if let named = try? truth.rulebook.decidingBody(for: open, on: n.openDay, in: org) {
            open.decidingBody = named.body
            open.competenceRuleID = named.rule.id
        }
        return open
    }

    /// Who the handler bounces the case with: a colleague, or (for dossiers of a sở) someone in another sở.
    func pingPongPartner(_ s: Seedling, _ c: Cast, _ rng: inout DemoRandom) -> OfficialID {
        let handlerUnit = city.unitOf(c.handler)
        let colleagues = city.rankAndFile(handlerUnit).filter { $0 != c.handler && $0 != c.opener }
        let crossAgency = rng.chance(0.5) || colleagues.isEmpty
        if s.kind == .petition || (crossAgency && c.lead.rawValue.hasPrefix("so-")) || colleagues.isEmpty {
            let others = city.departments.filter { $0 != c.lead }
            let agency = rng.pick(others)
            var pool = city.rankAndFile(agency)
            for d in city.divisions(of: agency) { pool += city.rankAndFile(d) }
            return rng.pick(pool)
        }
        return rng.pick(colleagues)
    }

    /// Everyone in the two phòng of a large sở, the handler first, one phòng after the other.
    func transferChain(_ c: Cast, _ rng: inout DemoRandom) -> [OfficialID] {
        let divisions = city.divisions(of: c.lead)
        let first = c.division ?? divisions.first!
        var chain = [c.handler] + rng.shuffled(city.members(first).filter { $0 != c.handler })
        for d in divisions where d != first { chain += rng.shuffled(city.members(d)) }
        return chain
    }

    func secondHandler(_ c: Cast, _ rng: inout DemoRandom) -> OfficialID {
        var pool: [OfficialID] = []
        if let division = c.division { pool = city.staff(division, .specialist) } else { pool = city.rankAndFile(c.lead) }
        pool = pool.filter { $0 != c.handler && $0 != c.opener }
        return pool.isEmpty ? c.handler : rng.pick(pool)
    }

    // MARK: - Tasks

    func task(_ s: Seedling, _ n: CaseNumbers, _ rng: inout DemoRandom)
        -> (open: OpenCase, openedBy: OfficialID, applicant: DemoApplicant?, plan: Plan)
    {
        let agency = s.receiving
        let g = n.gap
        let head = city.head(agency)
        let deputy = city.deputies(agency)[0]
        let divisions = city.divisions(of: agency)
        let worker = divisions.isEmpty ? pickMember(agency, &rng) : city.head(rng.pick(divisions))
        let opener = rng.chance(0.3) ? city.head(City.root) : rng.pick(city.deputies(City.root))
        let title = rng.pick(Texts.taskTitles(agency.rawValue, year: n.openDay.year))
        let collaborator: UnitID? =
            rng.chance(0.3) || n.scenario == .consultRounds
            ? rng.pick(city.departments.filter { $0 != agency }) : nil

        var p = Plan()
        if n.scenario == .pingPong {
            let other = rng.pick(city.departments.filter { $0 != agency })
            let transfers = rng.chance(0.4) ? 4 : 2
            for k in 0..<transfers {
                let there = k % 2 == 0
                p.add(
                    .transfer(
                        to: there ? city.head(other) : head,
                        reason: Texts.transferReason(&rng, to: city.name(there ? other : agency), sameUnit: false)),
                    gap: 0...min(1, g))
            }
        }
        p.add(.assign(to: deputy, note: "Phân công Phó Giám đốc phụ trách lĩnh vực chỉ đạo thực hiện"), gap: 0...min(1, g))
        p.add(.delegate(to: worker, instruction: Texts.taskInstruction(&rng)), gap: 0...g)
        let accept = p.add(.accept("Nhận nhiệm vụ, xây dựng kế hoạch triển khai"), gap: 0...g)
        if let collaborator {
            let rounds = n.scenario == .consultRounds ? 2 : 1
            for round in 0..<rounds {
                let question =
                    round == 0 ? "Đề nghị phối hợp, cho ý kiến: \(title.lowercasedFirst)" : "Đề nghị cho ý kiến lần 2 về dự thảo đã chỉnh sửa"
                p.add(.consult(units: [collaborator], question: question, dueIn: max(2, min(5, g + 1))), gap: 0...g)
                p.add(.opinion(unit: collaborator, by: answerer(collaborator, &rng), text: Texts.opinion(&rng)), floating: true)
            }
        }
        p.add(.comment(Texts.taskProgress(&rng)), gap: 0...g)
        let resolve = p.add(.resolve(Texts.taskResult(&rng)), gap: 0...g)
        if n.scenario == .stalling {
            let i = rng.pick(((accept)...resolve).filter { !p.steps[$0].floating })
            let stall = Int(truth.t.stallingIdle) + 2 + rng.int(0...4)
            p.steps[i].gap = stall...stall
        }
        let late = n.scenario == .overdue
        p.total(
            0..<(resolve + 1), in: late ? (n.allotted + 1)...(n.allotted + 5) : 0...n.allotted, rng: &rng, early: !late, force: late,
            overflowCap: n.stallCap)
        p.add(.close("Nhiệm vụ hoàn thành, lưu hồ sơ"), gap: 0...min(1, g))
        p.layout(rng: &rng)
        p.placeFloating(rng: &rng)
        let open = OpenCase(
            kind: .task, procedure: nil, title: title, leadUnit: agency, collaborators: collaborator.map { [$0] } ?? [], owner: head,
            dueDate: n.due, ruleID: n.rule?.id)
        return (open, opener, nil, p)
    }
}
