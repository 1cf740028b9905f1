import ArgumentParser
import BuckStopCalendar
import BuckStopDefaults
import BuckStopDemo
import BuckStopDomain
import BuckStopStore
import Foundation

/// Seeds a realistic city and ~18 months of history through the real append path.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tạo dữ liệu mẫu: một thành phố sau cải cách 2025 và 18 tháng hồ sơ / Seed a demo city and its history.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Random seed; the same seed gives the same city and history.")
    var seed: UInt64 = 2025

    @Option(help: "Number of cases to generate (≥ 1).")
    var cases: Int = 5000

    func validate() throws {
        guard cases >= 1 else { throw ValidationError("--cases must be at least 1, found \(cases)") }
    }

    func run() async throws {
        let store = try global.openStore(creating: true)
        let existing = try store.ledgerSize()
        guard existing == 0 else {
            throw CLIError(
                "\(global.databasePath) already holds \(existing) ledger entries; the demo seeds an empty database (use --db NEW.sqlite)")
        }
        let started = Date()
        let rulebook = try global.loadRulebook()
        let calendar = try global.loadCalendar()
        // History ends yesterday, so nothing in it lies in the future of an action a user takes now.
        let yesterday = CivilDate(Date()).adding(days: -1)
        let history = DemoGenerator.generate(
            DemoConfiguration(seed: seed, caseCount: cases, end: yesterday, rulebook: rulebook, calendar: calendar))
        try await store.saveOrganization(history.organization)
        let generated = Date()

        var requests: [AppendRequest] = []
        var appended = 0
        var rejected: [String] = []
        func flush() async {
            for (request, result) in zip(requests, await store.appendBatch(requests)) {
                switch result {
                case .success: appended += 1
                case .failure(let error): rejected.append("\(Self.describe(request)): \(error)")
                }
            }
            requests.removeAll(keepingCapacity: true)
        }
        for event in history.timeline() {
            switch event {
            case .open(let demoCase):
                let applicant = demoCase.applicant.map {
                    PersonalData(fullName: $0.fullName, idNumber: $0.idNumber, address: $0.address, phone: $0.phone)
                }
                requests.append(
                    .open(demoCase.open, actor: demoCase.openedBy, at: demoCase.openedAt, code: demoCase.code, personalData: applicant))
            case .action(let action):
                requests.append(.action(action))
            }
            if requests.count == 2000 { await flush() }
        }
        await flush()
        try await store.saveLabels(history.cases.flatMap { c in c.labels.sorted().map { (c.code, $0) } })
        try await store.checkpoint()
        let finished = Date()

        guard rejected.isEmpty else {
            throw CLIError("the store rejected \(rejected.count) demo actions (a generator bug); first: \(rejected[0])")
        }
        let org = history.organization
        let counts = try store.caseCount()
        let open = counts.filter { $0.key.isOpen }.values.reduce(0, +)
        let labelled = history.cases.filter { !$0.labels.isEmpty }.count
        let seconds = finished.timeIntervalSince(generated)
        print("""
            Đã tạo dữ liệu mẫu / demo seeded in \(global.databasePath)
              đơn vị / units:        \(org.units.count)
              cán bộ / officials:    \(org.officials.count)
              hồ sơ / cases:         \(history.cases.count) (\(open) đang mở / open, \(labelled) có hành vi gắn nhãn / labelled)
              sổ cái / ledger:       \(appended) entries in \(String(format: "%.1f", seconds)) s (\(Int(Double(appended) / max(seconds, 0.001))) actions/s), generated in \(String(format: "%.1f", generated.timeIntervalSince(started))) s
            """)
        if let busiest = try busiestOfficial(store: store, org: org) {
            print("""

                Thử / try:
                  buckstop inbox --official \(busiest)
                  buckstop case show \(try store.inbox(of: busiest).first?.id.rawValue ?? "")
                  buckstop verify
                """)
        }
    }

    private func busiestOfficial(store: SQLiteStore, org: Organization) throws -> OfficialID? {
        try org.officials.keys.sorted().max { try store.inbox(of: $0).count < store.inbox(of: $1).count }
    }

    static func describe(_ request: AppendRequest) -> String {
        switch request {
        case .action(let a): "\(a.body.type.rawValue) on \(a.caseID)"
        case .open(_, _, _, let code, _): "open \(code?.rawValue ?? "(new)")"
        }
    }
}
