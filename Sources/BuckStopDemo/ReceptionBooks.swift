import BuckStopCalendar
import BuckStopDomain

/// The demo city's reception books (sổ tiếp công dân): one per year for every unit whose head a reception schedule of
/// the rulebook binds (the Chủ tịch UBND thành phố, each Giám đốc Sở, the Chánh Thanh tra, each Chủ tịch UBND phường,
/// xã), held by the head, with the periodic sessions the schedule in force asks for (one day a week for a ward until
/// 30 June 2026, two days a month from 1 July 2026), the odd ad hoc session, and the year's closing. Some heads skip
/// periods and some hand sessions to a deputy — allowed before 1 July 2026, a finding after it. Labels come from
/// `ReceptionTruth`, which reads the definitions of `DemoBehaviour.receptionSkipped` and `.receptionDelegated` over
/// the sessions, not the generator's intentions. Only chunk 0 has books (their codes are per unit and year).
struct ReceptionBooks {
    let org: Organization
    let rulebook: Rulebook
    let days: DemoWorkingDays
    let seed: UInt64
    let start: CivilDate
    let end: CivilDate

    static let matters = [
        "Đề nghị cấp giấy chứng nhận quyền sử dụng đất", "Phản ánh tiếng ồn từ công trình xây dựng ban đêm",
        "Khiếu nại mức bồi thường giải phóng mặt bằng", "Kiến nghị sửa chữa đường ngõ xóm bị ngập", "Hỏi thủ tục đăng ký hộ kinh doanh",
        "Phản ánh lấn chiếm vỉa hè", "Đề nghị xem xét chế độ chính sách người có công", "Kiến nghị về thu gom rác thải sinh hoạt",
    ]

    /// Every book of the history, each with its labels, in order of opening.
    func generate() -> [DemoCase] {
        var books: [DemoCase] = []
        let truth = ReceptionTruth(rulebook: rulebook, days: days, asOf: end)
        for unit in org.units.values.sorted(by: { $0.id < $1.id }) {
            guard let head = unit.head else { continue }
            for year in start.year...end.year {
                guard let book = book(unit, head: head, year: year) else { continue }
                let verdicts = truth.verdicts(book)
                books.append(
                    DemoCase(
                        open: book.open, code: book.code, openedBy: book.openedBy, openedAt: book.openedAt, applicant: nil, actions: book.actions,
                        labels: Set(verdicts.map(\.behaviour.rawValue)), truth: verdicts))
            }
        }
        return books
    }

    private func book(_ unit: BuckStopDomain.Unit, head: OfficialID, year: Int) -> DemoCase? {
        guard let january = CivilDate(year: year, month: 1, day: 1), let december = CivilDate(year: year, month: 12, day: 31) else { return nil }
        let openDay = days.nextWorkingDay(onOrAfter: max(january, start))
        guard openDay <= end, let schedule = rulebook.receptionSchedule(forHeadOf: unit.kind, on: openDay) else { return nil }
        var closeDay = december
        while !days.isWorkingDay(closeDay) { closeDay = closeDay.adding(days: -1) }
        let closes = december <= end
        var rng = DemoRandom(seed: SplitMix64.derive(seed, 0x7C0, UInt64(year), UInt64(abs(unit.id.rawValue.hashValueStable))))
        // Who this head is: most keep the schedule; some skip periods, some hand sessions over.
        let skips = rng.chance(0.3)
        let delegates = !unit.deputies.isEmpty && rng.chance(0.3)
        let staff = org.officials(in: unit.id).map(\.id)
        let code = CaseID("\(unit.code)-TCD-\(year)")
        let open = OpenCase(
            kind: .reception, procedure: schedule.level, title: "Sổ tiếp công dân năm \(year) — \(unit.name)", leadUnit: unit.id, owner: head)
        let openedAt = VietnamTime.instant(openDay, seconds: 7 * 3600 + 45 * 60)
        var actions: [Action] = []
        let last = closes ? closeDay : end
        var cursor = openDay
        while cursor <= last {
            guard let row = rulebook.receptionSchedule(level: schedule.level, on: cursor) else {
                cursor = cursor.adding(days: 1)
                continue
            }
            let period = row.per.bounds(of: cursor)
            let through = min(period.last, last, row.effectiveTo ?? period.last)
            var workdays: [CivilDate] = []
            var d = cursor
            while d <= through {
                if days.isWorkingDay(d) { workdays.append(d) }
                d = d.adding(days: 1)
            }
            var count = min(row.days, workdays.count)
            if skips && count > 0 && rng.chance(0.25) { count -= 1 }
            let chosen = rng.shuffled(workdays).prefix(count).sorted()
            var sessions: [(day: CivilDate, periodic: Bool)] = chosen.map { ($0, true) }
            if !workdays.isEmpty && rng.chance(0.2) { sessions.append((rng.pick(workdays), false)) }
            for (i, session) in sessions.sorted(by: { $0.day != $1.day ? $0.day < $1.day : $0.periodic }).enumerated() {
                var receiver = head
                if session.periodic, !unit.deputies.isEmpty, rng.chance(delegates ? 0.35 : 0.08) { receiver = rng.pick(unit.deputies) }
                if !session.periodic { receiver = rng.chance(0.5) ? head : rng.pick(staff) }
                let citizens = rng.int(1...6)
                var matters = [rng.pick(Self.matters)]
                if citizens > 2 && rng.chance(0.5) { matters.append(rng.pick(Self.matters.filter { $0 != matters[0] })) }
                let at = VietnamTime.instant(session.day, seconds: 16 * 3600 + i * 120 + rng.int(0...59))
                actions.append(
                    Action(
                        caseID: code, actor: .official(receiver), at: at,
                        body: .receptionHeld(
                            ReceptionSession(day: session.day, receivedBy: receiver, periodic: session.periodic, citizens: citizens, matters: matters)
                        ),
                        via: DemoGenerator.credential))
            }
            cursor = through.adding(days: 1)
        }
        if closes {
            actions.append(
                Action(
                    caseID: code, actor: .official(head), at: VietnamTime.instant(closeDay, seconds: 16 * 3600 + 50 * 60),
                    body: .close(outcome: "Khóa sổ tiếp công dân năm \(year)"), via: DemoGenerator.credential))
        }
        return DemoCase(
            open: open, code: code, openedBy: .official(head), openedAt: openedAt, applicant: nil, actions: actions, labels: [], truth: [])
    }
}

/// The ground truth of a reception book, from the definitions of `DemoBehaviour.receptionSkipped` and
/// `.receptionDelegated` over its entries (its holder is its head throughout: the demo never hands a book over).
struct ReceptionTruth {
    let rulebook: Rulebook
    let days: DemoWorkingDays
    let asOf: CivilDate

    func verdicts(_ book: DemoCase) -> [DemoVerdict] {
        guard let level = book.open.procedure else { return [] }
        let head = book.open.owner
        let openDay = VietnamTime.date(book.openedAt)
        let closing = book.actions.last { if case .close = $0.body { true } else { false } }
        let endDay = closing.map { VietnamTime.date($0.at) } ?? asOf.adding(days: -1)
        var periodic: [(day: CivilDate, receiver: OfficialID)] = []
        for action in book.actions {
            if case .receptionHeld(let s) = action.body, s.periodic { periodic.append((s.day, s.receivedBy)) }
        }
        let rows = rulebook.receptionSchedules.filter { $0.level == level }
        var missing = 0
        for row in rows {
            var first = row.per.bounds(of: max(row.effectiveFrom, openDay)).first
            while first <= min(row.effectiveTo ?? endDay, endDay) {
                let last = row.per.bounds(of: first).last
                defer { first = last.adding(days: 1) }
                guard row.effectiveFrom <= first, row.effectiveTo.map({ last <= $0 }) ?? true,
                    days.workingDays(from: first.adding(days: -1), to: openDay.adding(days: -1)) <= 0,
                    days.workingDays(from: endDay, to: last) <= 0
                else { continue }
                let required = min(row.days, days.workingDays(from: first.adding(days: -1), to: last))
                let held = Set(periodic.filter { $0.day >= first && $0.day <= last }.map(\.day)).count
                missing += max(0, required - held)
            }
        }
        let handed = periodic.filter { s in
            s.receiver != head && rows.contains { $0.isInForce(on: s.day) && !$0.delegationAllowed }
        }.count
        var out: [DemoVerdict] = []
        if missing > 0 { out.append(DemoVerdict(behaviour: .receptionSkipped, responsible: .official(head), value: missing)) }
        if handed > 0 { out.append(DemoVerdict(behaviour: .receptionDelegated, responsible: .official(head), value: handed)) }
        return out
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: a seed part that is the same in every run (Swift's `hashValue` is not).
    var hashValueStable: Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h >> 1)
    }
}
