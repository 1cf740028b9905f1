import BuckStopLedger
import Foundation
import Testing

/// Throughput check for the hot paths, off by default (timings mean nothing in debug builds or
/// on a busy CI machine). Run with:
///
///     BUCKSTOP_LEDGER_BENCH=1 swift test -c release --filter LedgerMicroBenchmark
@Suite(.enabled(if: ProcessInfo.processInfo.environment["BUCKSTOP_LEDGER_BENCH"] != nil))
struct LedgerMicroBenchmark {
    static func rate(_ count: Int, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let elapsed = clock.measure(body)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Double(count) / seconds
    }

    static func report(_ name: String, _ perSecond: Double) {
        print("BENCH \(name): \(Int(perSecond)) /s")
    }

    @Test func hotPaths() throws {
        let n = 1_000_000
        var generator = SystemRandomNumberGenerator()
        let entries: [[UInt8]] = (0..<1024).map { _ in (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) } }

        var leaves = [TreeHash]()
        leaves.reserveCapacity(n)
        Self.report(
            "leafHash(300-byte entry)",
            Self.rate(n) {
                for i in 0..<n { leaves.append(RFC9162.leafHash(entries[i & 1023])) }
            })

        var sink = leaves[0]
        Self.report(
            "nodeHash",
            Self.rate(n) {
                for i in 0..<n { sink = RFC9162.nodeHash(sink, leaves[i]) }
            })

        var frontier = MerkleFrontier()
        var completed = 0
        Self.report(
            "MerkleFrontier.append (array result)",
            Self.rate(n) {
                for leaf in leaves { completed &+= frontier.append(leafHash: leaf).count }
            })

        var frontier2 = MerkleFrontier()
        Self.report(
            "MerkleFrontier.append (callback)",
            Self.rate(n) {
                for leaf in leaves { frontier2.append(leafHash: leaf) { _, _, _ in completed &+= 1 } }
            })
        #expect(frontier.rootHash() == frontier2.rootHash())

        var frontier3 = MerkleFrontier()
        Self.report(
            "leafHash + append + rootHash every 1000 (verify-1M scenario)",
            Self.rate(n) {
                for i in 0..<n {
                    frontier3.append(leafHash: RFC9162.leafHash(entries[i & 1023])) { _, _, _ in }
                    if i % 1000 == 999 { sink = frontier3.rootHash() }
                }
            })
        Self.report(
            "MerkleFrontier.rootHash at size 1M",
            Self.rate(100_000) {
                for _ in 0..<100_000 { sink = frontier.rootHash() }
            })

        var tree = InMemoryMerkleTree()
        for leaf in leaves.prefix(1 << 17) { tree.append(leafHash: leaf) }
        let root = tree.rootHash()
        let proofs = try (0..<10_000).map { try tree.inclusionProof(leafIndex: ($0 &* 7919) % tree.size) }
        var ok = 0
        Self.report(
            "verifyInclusion (131072-leaf tree)",
            Self.rate(proofs.count) {
                for (k, proof) in proofs.enumerated() {
                    let i = (k &* 7919) % tree.size
                    if MerkleProofs.verifyInclusion(leafHash: leaves[i], leafIndex: i, treeSize: tree.size, proof: proof, root: root) { ok += 1 }
                }
            })
        #expect(ok == proofs.count)

        let entry: JSONValue = [
            "type": "commitment.created", "id": "c-000123", "owner": "Nguyễn Văn An", "amount": 1_500_000,
            "currency": "VND", "due": "2026-12-31", "tags": ["q4", "finance/approvals"], "witness": nil,
            "attempt": 3, "approved": true,
        ]
        var bytes = 0
        Self.report(
            "CanonicalJSON.encode (10-member entry)",
            Self.rate(100_000) {
                for _ in 0..<100_000 { bytes &+= CanonicalJSON.encode(entry).count }
            })
        let encoded = CanonicalJSON.encode(entry)
        Self.report(
            "CanonicalJSON.decode (same entry)",
            Self.rate(100_000) {
                for _ in 0..<100_000 { if (try? CanonicalJSON.decode(encoded)) != nil { bytes &+= 1 } }
            })
        print("BENCH sink \(sink.hex.prefix(8)) \(completed) \(bytes) \(encoded.count)-byte entry")
    }
}
