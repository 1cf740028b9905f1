import BuckStopDomain
import BuckStopLedger
import Foundation
import GRDB

/// What `verify` found. `firstBadIndex` is the earliest entry that is missing, altered or out of
/// place, when it can be pinned down; otherwise `problems` says which checkpoint failed.
public struct VerificationReport: Sendable {
    public var entries: Int64 = 0
    public var checkpoints = 0
    public var consistencyProofsChecked = 0
    public var firstBadIndex: Int64?
    public var problems: [String] = []
    public var isSound: Bool { problems.isEmpty }
}

/// Recomputes the Merkle tree from the stored entries and checks it against every signed checkpoint.
/// Trusts nothing in the database but the entries' bytes and the public key it is given.
public struct LedgerVerifier: Sendable {
    let pool: DatabasePool
    let publicKey: [UInt8]
    let origin: String

    public func verify() throws -> VerificationReport {
        let verifier = try CheckpointVerifier(publicKey: publicKey)
        return try pool.read { db in
            var report = VerificationReport()
            // An entry that fails its own checks is named exactly; a failed checkpoint only bounds where the bad
            // entry is, so its range start is reported only when no entry was named.
            var firstNamed: Int64?
            var firstBounded: Int64?
            func problem(_ text: String, index: Int64?, exact: Bool = true) {
                report.problems.append(text)
                guard let index else { return }
                if exact {
                    firstNamed = min(firstNamed ?? index, index)
                } else {
                    firstBounded = min(firstBounded ?? index, index)
                }
            }

            let checkpoints = try CheckpointTable.all(db)
            report.checkpoints = checkpoints.count
            var pending = checkpoints[...]
            for signed in checkpoints {
                if !verifier.isValid(signed) {
                    problem("checkpoint at size \(signed.checkpoint.size): signature does not verify with the given public key", index: nil)
                }
                if signed.checkpoint.origin != origin {
                    problem("checkpoint at size \(signed.checkpoint.size): origin '\(signed.checkpoint.origin)', expected '\(origin)'", index: nil)
                }
            }

            var frontier = MerkleFrontier()
            var storedNodes = StoredNodes(db: db)
            var expected: Int64 = 0
            var previousCheckpointSize = 0
            var structuralFailure = false
            let cursor = try Row.fetchCursor(db, sql: "SELECT idx, body, leaf_hash FROM ledger_entry ORDER BY idx")
            while let row = try cursor.next() {
                let index: Int64 = row[0]
                if index != expected {
                    problem("entry \(expected) is missing (the next stored entry is \(index))", index: expected)
                    structuralFailure = true
                    break
                }
                guard let body = row.dataNoCopy(atIndex: 1), let stored = row.dataNoCopy(atIndex: 2) else {
                    problem("entry \(index): body or leaf hash is NULL", index: index)
                    structuralFailure = true
                    break
                }
                let leaf = RFC9162.leafHash(body)
                if !leaf.bytes.elementsEqual(stored) {
                    problem("entry \(index): its bytes do not match the stored leaf hash (altered)", index: index)
                }
                switch Self.embeddedIndex(body) {
                case nil: problem("entry \(index): no index field (not a ledger entry)", index: index)
                case let claimed? where claimed != index: problem("entry \(index): it says it is entry \(claimed) (moved)", index: index)
                default: break
                }
                try frontier.append(leafHash: leaf) { level, nodeIndex, hash in
                    guard DatabaseSubtrees.isStored(level: level) else { return }
                    let stored = try storedNodes.next(level: level)
                    if stored?.index != nodeIndex || stored.map({ !hash.bytes.elementsEqual($0.hash) }) ?? true {
                        problem("stored subtree hash (level \(level), index \(nodeIndex)) differs from the recomputed one; proofs served from it would fail", index: nil)
                    }
                }
                expected += 1
                while let next = pending.first, next.checkpoint.size <= frontier.size {
                    pending.removeFirst()
                    if next.checkpoint.size == frontier.size, frontier.rootHash() != next.checkpoint.rootHash {
                        problem(
                            "checkpoint at size \(next.checkpoint.size): recomputed root differs from the signed root; "
                                + "an entry in [\(previousCheckpointSize), \(next.checkpoint.size)) was changed",
                            index: Int64(previousCheckpointSize), exact: false)
                    }
                    previousCheckpointSize = next.checkpoint.size
                }
            }
            report.entries = expected
            if !structuralFailure, let beyond = pending.first {
                problem(
                    "checkpoint at size \(beyond.checkpoint.size) covers entries that are not there: the ledger ends at \(expected)",
                    index: expected)
            }

            // Stored subtree hashes serve citizens' proofs; check them through consistency proofs between checkpoints.
            if report.problems.isEmpty {
                let source = DatabaseSubtrees(db: db)
                for (old, new) in zip(checkpoints, checkpoints.dropFirst()) where old.checkpoint.size > 0 {
                    let proof = try MerkleProofs.consistencyProof(from: old.checkpoint.size, to: new.checkpoint.size, source: source)
                    if !MerkleProofs.verifyConsistency(
                        oldSize: old.checkpoint.size, newSize: new.checkpoint.size, oldRoot: old.checkpoint.rootHash,
                        newRoot: new.checkpoint.rootHash, proof: proof)
                    {
                        problem("consistency proof \(old.checkpoint.size) → \(new.checkpoint.size) fails: stored tree nodes were altered", index: nil)
                    }
                    report.consistencyProofsChecked += 1
                }
            }
            report.firstBadIndex = firstNamed ?? firstBounded
            return report
        }
    }

    /// Reads `merkle_node` one level at a time, in index order, alongside the recomputation:
    /// every stored node is compared without holding the tree in memory.
    struct StoredNodes {
        let db: Database
        var cursors: [Int: RowCursor] = [:]

        mutating func next(level: Int) throws -> (index: Int, hash: Data)? {
            if cursors[level] == nil {
                cursors[level] = try Row.fetchCursor(db, sql: "SELECT idx, hash FROM merkle_node WHERE level = ? ORDER BY idx", arguments: [level])
            }
            guard let row = try cursors[level]!.next() else { return nil }
            return (row[0], row[1])
        }
    }

    /// The `"index":N` member of a canonical entry. In canonical JSON a quote inside a string is
    /// always escaped, so `,"index":` can only be the top-level key (nested objects never use it).
    static func embeddedIndex(_ body: Data) -> Int64? {
        let needle = Array(",\"index\":".utf8)
        return body.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int64? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count > needle.count else { return nil }
            var i = 0
            outer: while i <= bytes.count - needle.count {
                for j in 0..<needle.count where bytes[i + j] != needle[j] {
                    i += 1
                    continue outer
                }
                var value: Int64 = 0
                var k = i + needle.count
                var digits = 0
                while k < bytes.count, bytes[k] >= 48, bytes[k] <= 57 {
                    value = value &* 10 &+ Int64(bytes[k] - 48)
                    k += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            return nil
        }
    }
}
