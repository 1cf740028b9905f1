import Testing
import BuckStopDomain
@testable import BuckStopDemo

@Test func devStats() {
    let out = TestData.output
    var byScenario: [String: (n: Int, hit: Int, labels: [String: Int])] = [:]
    for (c, s) in zip(out.history.cases, out.scenarios) {
        var e = byScenario[s.rawValue] ?? (0, 0, [:])
        e.n += 1
        if let i = s.intended, c.labels.contains(i.rawValue) { e.hit += 1 }
        for l in c.labels { e.labels[l, default: 0] += 1 }
        byScenario[s.rawValue] = e
    }
    for (k, v) in byScenario.sorted(by: { $0.key < $1.key }) {
        print("\(k): n=\(v.n) hit=\(v.hit) labels=\(v.labels.sorted { $0.key < $1.key })")
    }
    var total: [String: Int] = [:]
    for c in out.history.cases { for l in c.labels { total[l, default: 0] += 1 } }
    print("TOTAL", total.sorted { $0.key < $1.key }, "clean", out.history.cases.filter { $0.labels.isEmpty }.count, "actions", out.history.cases.reduce(0) { $0 + $1.actions.count })
}
