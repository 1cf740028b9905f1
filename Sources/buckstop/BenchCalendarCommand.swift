import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import Foundation

/// Working-day arithmetic, with the day-by-day walk it replaced as the peer in the same run: a
/// due date typed into a form or found in an exported log can be centuries away, so what matters
/// is that the cost no longer grows with the span, and the peer shows what that span used to cost.
/// The walk is run only where it finishes in reasonable time (`--naive-limit`); beyond the
/// statutory years it also recomputes the lunar calendar for every day, which is why one
/// 0001→9999 count took half a minute.
struct BenchCalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Tốc độ tính ngày làm việc / working-day arithmetic in ns/op, against the old day-by-day loop where it is feasible.")

    @Option(help: "Holiday decisions CSV (default: the shipped decisions with the decided statuses).")
    var holidays: String?

    @Option(help: "Longest walk, in days, that the day-by-day peer is given; longer spans show it as skipped.")
    var naiveLimit: Int = 20_000

    @Option(help: "Time spent on each measurement, in milliseconds (at least one operation is always run).")
    var millis: Int = 300

    func run() async throws {
        let decisions = try loadDecisions()
        let initStart = Self.threadCPUSeconds()
        let calendar = WorkingCalendar(decisions: decisions)
        let firstInit = Self.threadCPUSeconds() - initStart
        var checksum = calendar.decidedYears.count
        let againInit = Self.nanosecondsPerOperation(millis: millis) { _ in WorkingCalendar(decisions: decisions).decidedYears.count }
        checksum &+= againInit.checksum
        print("working calendar: decided years \(calendar.decidedYears.sorted()), statutory years \(WorkingCalendar.supportedYears)")
        print(String(format: "  init: first %.1f ms (builds the statutory table), then %.1f µs", firstInit * 1e3, againInit.ns / 1e3))
        print("  operation (thread CPU time)            new ns/op   day-by-day ns/op   ratio")

        guard let origin = CivilDate(year: 2025, month: 1, day: 1),
            let dawn = CivilDate(year: 1, month: 1, day: 1),
            let dusk = CivilDate(year: 9999, month: 12, day: 31)
        else { throw ValidationError("calendar constants") }
        // Starts move by a day per operation so that no result can be hoisted out of the loop
        // and weekends, holidays and working days all occur as starting points.
        let spans: [(String, Int)] = [("1 day", 1), ("1 year", 365), ("30 years", 10_957)]
        for (label, days) in spans {
            checksum &+= report(
                "workingDays over \(label)", walk: days,
                new: { i in calendar.workingDays(from: origin.adding(days: i % 64), to: origin.adding(days: i % 64 + days)) },
                naive: { i in Self.naiveWorkingDays(calendar, from: origin.adding(days: i % 64), to: origin.adding(days: i % 64 + days)) })
        }
        checksum &+= report(
            "workingDays 0001-01-01 → 9999-12-31", walk: dusk - dawn,
            new: { i in calendar.workingDays(from: dawn.adding(days: i % 64), to: dusk.adding(days: -(i % 64))) },
            naive: { i in Self.naiveWorkingDays(calendar, from: dawn.adding(days: i % 64), to: dusk.adding(days: -(i % 64))) })
        for n in [10, 10_000, 1_000_000] {
            checksum &+= report(
                "addingWorkingDays \(n)", walk: n * 7 / 5,
                new: { i in calendar.addingWorkingDays(n, to: origin.adding(days: i % 64)).julianDayNumber },
                naive: { i in Self.naiveAddingWorkingDays(calendar, n, to: origin.adding(days: i % 64)).julianDayNumber })
        }
        checksum &+= report(
            "addingWorkingDays -1000000", walk: 1_400_000,
            new: { i in calendar.addingWorkingDays(-1_000_000, to: origin.adding(days: i % 64)).julianDayNumber },
            naive: { i in Self.naiveAddingWorkingDays(calendar, -1_000_000, to: origin.adding(days: i % 64)).julianDayNumber })
        checksum &+= report(
            "nextWorkingDay", walk: 10,
            new: { i in calendar.nextWorkingDay(onOrAfter: origin.adding(days: i % 400)).julianDayNumber },
            naive: { i in Self.naiveNextWorkingDay(calendar, onOrAfter: origin.adding(days: i % 400)).julianDayNumber })
        print("  (checksum \(checksum), printed so that no measured call can be optimised away)")
    }

    /// One line: the new method's ns/op and, if the walk is short enough, the old loop's, which
    /// must give the same answers inside the covered years (outside them the old loop applied the
    /// statute where the new count sees weekends only, so only the timing is compared there).
    private func report(_ label: String, walk: Int, new: (Int) -> Int, naive: (Int) -> Int) -> Int {
        let fast = Self.nanosecondsPerOperation(millis: millis, new)
        var checksum = fast.checksum
        var line = label.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%10.0f", fast.ns)
        if walk <= naiveLimit {
            let slow = Self.nanosecondsPerOperation(millis: millis, naive)
            checksum &+= slow.checksum
            line += String(format: "   %16.0f   %9.1f×", slow.ns, slow.ns / max(fast.ns, 1))
            // Checked only where the walk stays inside the covered years (from 2025) and is
            // cheap enough to repeat; beyond, the two are defined differently.
            if walk <= 20_000 && !(0..<64).allSatisfy({ new($0) == naive($0) }) { line += "  (answers differ)" }
        } else {
            line += "   skipped: the walk covers \(walk) days"
        }
        print("  " + line)
        return checksum
    }

    /// Runs `operation` with i = 0, 1, 2, … until `millis` of this thread's CPU time have passed
    /// (CPU rather than wall time, so that other jobs on a shared machine do not inflate the
    /// figures); the results are summed so that the optimiser cannot drop the calls.
    static func nanosecondsPerOperation(millis: Int, _ operation: (Int) -> Int) -> (ns: Double, checksum: Int) {
        let budget = Double(max(0, millis)) / 1e3
        let start = threadCPUSeconds()
        var done = 0
        var checksum = 0
        var elapsed = 0.0
        repeat {
            let batch = max(1, done)
            for i in done..<(done + batch) { checksum &+= operation(i) }
            done += batch
            elapsed = threadCPUSeconds() - start
        } while elapsed < budget
        return (elapsed * 1e9 / Double(done), checksum)
    }

    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The rows `Defaults.workingCalendar()` or `--holidays` would use, so that building the
    /// calendar from them can be timed too.
    private func loadDecisions() throws -> [CalendarDay] {
        let rows: [CalendarDay]
        do {
            if let path = holidays {
                rows = try HolidayDecisionFile.parse(try String(contentsOfFile: path, encoding: .utf8))
            } else {
                rows = try Defaults.holidayDecisions()
            }
        } catch {
            throw ValidationError("holiday file \(holidays ?? Defaults.holidaysResource): \(error)")
        }
        return rows.filter { Defaults.decidedHolidayStatuses.contains($0.status) }
    }

    // MARK: - The algorithms WorkingCalendar used before, one day at a time

    static func naiveWorkingDays(_ calendar: WorkingCalendar, from start: CivilDate, to end: CivilDate) -> Int {
        if end < start { return -naiveWorkingDays(calendar, from: end, to: start) }
        var count = 0
        var jdn = start.julianDayNumber + 1
        let last = end.julianDayNumber
        while jdn <= last {
            if calendar.isWorkingDay(CivilDate(julianDayNumber: jdn)) { count += 1 }
            jdn += 1
        }
        return count
    }

    static func naiveAddingWorkingDays(_ calendar: WorkingCalendar, _ n: Int, to date: CivilDate) -> CivilDate {
        let step = n < 0 ? -1 : 1
        var remaining = abs(n)
        var day = date
        while remaining > 0 {
            day = day.adding(days: step)
            if calendar.isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    static func naiveNextWorkingDay(_ calendar: WorkingCalendar, onOrAfter date: CivilDate) -> CivilDate {
        var day = date
        while !calendar.isWorkingDay(day) {
            day = day.adding(days: 1)
        }
        return day
    }
}
