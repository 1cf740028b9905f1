import BuckStopLedger
import Foundation
import PropertyBased
import Testing

/// Property tests: random leaf contents, every tree size 1...300 iterated deterministically, and
/// the RFC 9162 §2.1 recursive definitions (`ReferenceTree`) as the oracle.
///
/// Shrinking is off: each input is a whole 300-leaf tree checked at every size, so shrinking a
/// failure would re-run seconds-long bodies thousands of times. A failure still reports its seed
/// (`.fixedSeed(...)`) and the first failing sizes/indices in the expectation message.
@Suite(.shrinking(false)) struct MerkleProofPropertyTests {
    static let maxSize = 300

    /// `count` random entries of 0...40 random bytes each, prefixed with their 2-byte position.
    ///
    /// The prefix keeps entries distinct: with duplicate entries a proof legitimately verifies at
    /// another index too (e.g. two equal sibling leaves), which would make the "wrong index
    /// fails" property false for reasons that are not bugs.
    static func leaves(_ count: Int) -> Generator<[[UInt8]], some SendableSequenceType> {
        Gen<UInt8>.value(in: 0...255).array(of: 0...40).array(of: count).map { entries in
            entries.enumerated().map { [UInt8(truncatingIfNeeded: $0.offset >> 8), UInt8(truncatingIfNeeded: $0.offset)] + $0.element }
        }
    }

    static func build(_ entries: [[UInt8]]) -> (InMemoryMerkleTree, ReferenceTree) {
        var tree = InMemoryMerkleTree()
        for entry in entries { tree.append(entry: entry) }
        return (tree, ReferenceTree(leafHashes: entries.map { RFC9162.leafHash($0) }))
    }

    @Test func everyLeafOfEverySizeHasAVerifyingInclusionProof() async {
        await propertyCheck(count: 2, input: Self.leaves(Self.maxSize)) { entries in
            let (tree, reference) = Self.build(entries)
            var failures: [String] = []
            for n in 1...Self.maxSize {
                let root = try tree.rootHash(treeSize: n)
                if root != reference.mth(0, n) { failures.append("root of size \(n)") }
                for i in 0..<n {
                    let proof = try tree.inclusionProof(leafIndex: i, treeSize: n)
                    if proof != reference.path(i, 0, n) { failures.append("PATH(\(i), D[\(n)]) differs from RFC") }
                    if !MerkleProofs.verifyInclusion(
                        leafHash: reference.leafHashes[i], leafIndex: i, treeSize: n, proof: proof, root: root)
                    {
                        failures.append("PATH(\(i), D[\(n)]) does not verify")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
        }
    }

    @Test func tamperedInclusionProofsFail() async {
        // One random leaf per size, and random bytes/bits to flip, all drawn by the generator.
        let picks = Gen<Int>.value(in: 0...Int.max).array(of: Self.maxSize)
        await propertyCheck(count: 3, input: Self.leaves(Self.maxSize), picks) { entries, picks in
            let (tree, reference) = Self.build(entries)
            var failures: [String] = []
            for n in 1...Self.maxSize {
                let pick = picks[n - 1]
                let i = pick % n
                let byte = (pick >> 20) % 32
                let bit = (pick >> 30) % 8
                let root = try tree.rootHash(treeSize: n)
                let leaf = reference.leafHashes[i]
                let proof = try tree.inclusionProof(leafIndex: i, treeSize: n)
                func accepts(_ leaf: TreeHash, _ index: Int, _ size: Int, _ proof: [TreeHash], _ root: TreeHash) -> Bool {
                    MerkleProofs.verifyInclusion(leafHash: leaf, leafIndex: index, treeSize: size, proof: proof, root: root)
                }
                guard accepts(leaf, i, n, proof, root) else {
                    failures.append("valid PATH(\(i), D[\(n)]) rejected")
                    continue
                }
                for j in proof.indices {
                    var wrong = proof
                    wrong[j] = flipping(proof[j], byte: byte, bit: bit)
                    if accepts(leaf, i, n, wrong, root) { failures.append("proof[\(j)] flipped, PATH(\(i), D[\(n)])") }
                }
                if accepts(flipping(leaf, byte: byte, bit: bit), i, n, proof, root) { failures.append("leaf flipped \(i)/\(n)") }
                if accepts(leaf, i, n, proof, flipping(root, byte: byte, bit: bit)) { failures.append("root flipped \(i)/\(n)") }
                for wrongIndex in [i - 1, i + 1, i ^ 2, i ^ 1, n, -1] where wrongIndex != i {
                    if accepts(leaf, wrongIndex, n, proof, root) { failures.append("index \(wrongIndex) for \(i)/\(n)") }
                }
                for wrongSize in [n * 2, n / 2, 0] where wrongSize != n {
                    if accepts(leaf, i, wrongSize, proof, root) { failures.append("size \(wrongSize) for \(i)/\(n)") }
                }
                if accepts(leaf, i, n, proof + [root], root) { failures.append("extended proof \(i)/\(n)") }
                if !proof.isEmpty, accepts(leaf, i, n, Array(proof.dropLast()), root) {
                    failures.append("truncated proof \(i)/\(n)")
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
        }
    }

    @Test func allConsistencyProofsUpTo64VerifyAndResistTampering() async {
        await propertyCheck(count: 2, input: Self.leaves(64)) { entries in
            let (tree, reference) = Self.build(entries)
            var failures: [String] = []
            for n in 1...64 {
                let newRoot = reference.mth(0, n)
                for m in 1...n {
                    let oldRoot = reference.mth(0, m)
                    let proof = try tree.consistencyProof(from: m, to: n)
                    if proof != reference.proof(m, n) { failures.append("PROOF(\(m), D[\(n)]) differs from RFC") }
                    if !MerkleProofs.verifyConsistency(oldSize: m, newSize: n, oldRoot: oldRoot, newRoot: newRoot, proof: proof) {
                        failures.append("PROOF(\(m), D[\(n)]) does not verify")
                    }
                    guard !proof.isEmpty else { continue }
                    for probe in RFC6962KnownAnswerTests.corruptedConsistencyProbes(m, n, oldRoot, newRoot, proof)
                    where MerkleProofs.verifyConsistency(
                        oldSize: probe.oldSize, newSize: probe.newSize, oldRoot: probe.oldRoot,
                        newRoot: probe.newRoot, proof: probe.proof)
                    {
                        failures.append("\(probe.desc) accepted for PROOF(\(m), D[\(n)])")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
        }
    }

    /// Every pair 1 ≤ m ≤ n ≤ 300 (45,150 proofs): each verifies, and with one byte of one
    /// element changed it no longer does.
    @Test func everyConsistencyProofUpTo300Verifies() async {
        await propertyCheck(count: 1, input: Self.leaves(Self.maxSize)) { entries in
            let (tree, _) = Self.build(entries)
            let roots = try (0...Self.maxSize).map { try tree.rootHash(treeSize: $0) }
            var failures: [String] = []
            for n in 1...Self.maxSize {
                for m in 1...n {
                    let proof = try tree.consistencyProof(from: m, to: n)
                    if !MerkleProofs.verifyConsistency(oldSize: m, newSize: n, oldRoot: roots[m], newRoot: roots[n], proof: proof) {
                        failures.append("PROOF(\(m), D[\(n)]) rejected")
                    }
                    guard !proof.isEmpty else { continue }
                    var wrong = proof
                    let j = (m * 31 + n) % proof.count
                    wrong[j] = flipping(proof[j], byte: (m + n) % 32, bit: n % 8)
                    if MerkleProofs.verifyConsistency(oldSize: m, newSize: n, oldRoot: roots[m], newRoot: roots[n], proof: wrong) {
                        failures.append("PROOF(\(m), D[\(n)]) with element \(j) changed accepted")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
        }
    }

    @Test func randomConsistencyPairsUpTo300() async {
        let sizes = zip(Gen<Int>.value(in: 1...Self.maxSize), Gen<Int>.value(in: 1...Self.maxSize))
        let pairs = zip(sizes, Gen<Int>.value(in: 0...Int.max)).array(of: 150)
        await propertyCheck(count: 3, input: Self.leaves(Self.maxSize), pairs) { entries, pairs in
            let (tree, reference) = Self.build(entries)
            var failures: [String] = []
            for ((a, b), pick) in pairs {
                let (m, n) = (min(a, b), max(a, b))
                let oldRoot = try tree.rootHash(treeSize: m)
                let newRoot = try tree.rootHash(treeSize: n)
                let proof = try tree.consistencyProof(from: m, to: n)
                if proof != reference.proof(m, n) { failures.append("PROOF(\(m), D[\(n)]) differs from RFC") }
                func accepts(_ m: Int, _ n: Int, _ r1: TreeHash, _ r2: TreeHash, _ p: [TreeHash]) -> Bool {
                    MerkleProofs.verifyConsistency(oldSize: m, newSize: n, oldRoot: r1, newRoot: r2, proof: p)
                }
                if !accepts(m, n, oldRoot, newRoot, proof) { failures.append("PROOF(\(m), D[\(n)]) rejected") }
                guard m < n else { continue }
                let byte = pick % 32
                let bit = (pick >> 8) % 8
                for j in proof.indices {
                    var wrong = proof
                    wrong[j] = flipping(proof[j], byte: byte, bit: bit)
                    if accepts(m, n, oldRoot, newRoot, wrong) { failures.append("proof[\(j)] flipped, \(m)->\(n)") }
                }
                if accepts(m, n, flipping(oldRoot, byte: byte, bit: bit), newRoot, proof) { failures.append("old root \(m)->\(n)") }
                if accepts(m, n, oldRoot, flipping(newRoot, byte: byte, bit: bit), proof) { failures.append("new root \(m)->\(n)") }
                for (wm, wn) in [(m - 1, n), (m + 1, n), (m ^ 2, n), (m, n * 2), (m, n / 2)] where (wm, wn) != (m, n) {
                    if accepts(wm, wn, oldRoot, newRoot, proof) { failures.append("sizes \(wm)->\(wn) for \(m)->\(n)") }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
        }
    }

    @Test func frontierMatchesTreeAndStreamsEveryCompleteSubtree() async {
        await propertyCheck(count: 3, input: Self.leaves(Self.maxSize)) { entries in
            var tree = InMemoryMerkleTree()
            var frontier = MerkleFrontier()
            var callbackFrontier = MerkleFrontier()
            var streamed: [Int: TreeHash] = [:]  // level << 32 | index
            var failures: [String] = []
            for (i, entry) in entries.enumerated() {
                let leaf = RFC9162.leafHash(entry)
                let completed = frontier.append(leafHash: leaf)
                var viaCallback: [(Int, Int, TreeHash)] = []
                callbackFrontier.append(leafHash: leaf) { viaCallback.append(($0, $1, $2)) }
                tree.append(leafHash: leaf)
                let n = i + 1

                // The stream: the leaf first, then one completed subtree per level, bottom-up.
                if completed.first?.level != 0 || completed.first?.index != i || completed.first?.hash != leaf {
                    failures.append("first completed subtree of append \(n) is not the leaf")
                }
                if completed.count != (i ^ (i + 1)).nonzeroBitCount { failures.append("wrong subtree count at \(n)") }
                for (k, c) in completed.enumerated() {
                    if c.level != k || c.index != i >> k { failures.append("subtree position at \(n): \(c.level),\(c.index)") }
                    if streamed.updateValue(c.hash, forKey: c.level << 32 | c.index) != nil {
                        failures.append("subtree (\(c.level),\(c.index)) streamed twice")
                    }
                }
                if viaCallback.count != completed.count
                    || zip(viaCallback, completed).contains(where: { $0.0 != $1.level || $0.1 != $1.index || $0.2 != $1.hash })
                {
                    failures.append("callback stream differs at \(n)")
                }
                // Roots and peaks against the full tree and the RFC definition.
                let root = tree.rootHash()
                if frontier.rootHash() != root { failures.append("frontier root at \(n)") }
                if callbackFrontier.peaks != frontier.peaks { failures.append("callback frontier peaks at \(n)") }
                if try MerkleFrontier(size: n, source: tree) != frontier { failures.append("restored-from-source at \(n)") }
                if try tree.rootHash(treeSize: n) != root { failures.append("tree root(treeSize:) at \(n)") }
            }
            // The stream rebuilds exactly the set of complete-subtree hashes.
            var expectedCount = 0
            var level = 0
            while Self.maxSize >> level > 0 {
                for index in 0..<(Self.maxSize >> level) {
                    expectedCount += 1
                    if streamed[level << 32 | index] != (try tree.subtreeHash(level: level, index: index)) {
                        failures.append("streamed subtree (\(level),\(index)) differs")
                    }
                }
                level += 1
            }
            if streamed.count != expectedCount { failures.append("streamed \(streamed.count) subtrees, want \(expectedCount)") }
            #expect(failures.isEmpty, "\(failures.prefix(10))")
        }
    }

    @Test func restoredFrontierContinuesIdentically() async throws {
        let split = Gen<Int>.value(in: 0...Self.maxSize)
        await propertyCheck(count: 20, input: Self.leaves(Self.maxSize), split) { entries, split in
            var whole = MerkleFrontier()
            for entry in entries.prefix(split) { whole.append(leafHash: RFC9162.leafHash(entry)) }
            // Restore through (size, peaks) and through JSON, then continue both.
            var restored = MerkleFrontier(size: whole.size, peaks: whole.peaks)
            let json = try JSONEncoder().encode(whole)
            var decoded = try JSONDecoder().decode(MerkleFrontier.self, from: json)
            #expect(decoded == whole)
            for entry in entries.dropFirst(split) {
                let leaf = RFC9162.leafHash(entry)
                let a = whole.append(leafHash: leaf)
                let b = restored.append(leafHash: leaf)
                decoded.append(leafHash: leaf)
                #expect(a.map(\.hash) == b.map(\.hash))
            }
            #expect(restored == whole)
            #expect(decoded.rootHash() == whole.rootHash())
        }
    }
}
