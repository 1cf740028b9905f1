import BuckStopDomain
import BuckStopLedger
import Foundation
import GRDB

/// What `verify` requires of witnesses (C2SP tlog-witness): the keys of the witnesses whose cosignatures every
/// checkpoint up to the ledger's end must carry, and checkpoints fetched from the witnesses themselves — held outside
/// the operator's reach — which the recomputed tree must agree with.
public struct WitnessRequirement: Sendable {
    public var verifiers: [CosignatureVerifier]
    /// Cosigned checkpoints as the witnesses serve them (their cosignature already checked against `verifiers`).
    public var witnessedCheckpoints: [SignedCheckpoint]

    public init(verifiers: [CosignatureVerifier], witnessedCheckpoints: [SignedCheckpoint] = []) {
        self.verifiers = verifiers
        self.witnessedCheckpoints = witnessedCheckpoints
    }
}

/// What `verify` found. `firstBadIndex` is the earliest entry that is missing, altered or out of
/// place, when it can be pinned down; otherwise `problems` says which checkpoint failed.
public struct VerificationReport: Sendable {
    public var entries: Int64 = 0
    public var checkpoints = 0
    public var consistencyProofsChecked = 0
    /// Cases whose projection row was rebuilt from their entries and compared field by field.
    public var casesChecked = 0
    /// Findings whose row was rebuilt from their entries and compared.
    public var findingsChecked = 0
    /// Witness cosignatures checked, and the largest size every required witness validly cosigned.
    public var cosignaturesChecked = 0
    public var witnessedSize: Int?
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
    var witnesses: WitnessRequirement?

    /// One read transaction over the whole ledger, on GRDB's reader queue: the caller (a server's event loop, the
    /// command line) suspends instead of doing the work on its own thread.
    public func verify() async throws -> VerificationReport {
        let verifier = try CheckpointVerifier(publicKey: publicKey)
        return try await pool.read { db in
            var audit = LedgerAudit(
                checkpoints: try CheckpointTable.all(db), verifier: verifier, origin: origin,
                external: witnesses?.witnessedCheckpoints ?? [])
            var storedNodes = StoredNodes(db: db)
            let cursor = try Row.fetchCursor(db, sql: "SELECT idx, body, leaf_hash FROM ledger_entry ORDER BY idx")
            while let row = try cursor.next() {
                let keepGoing = try audit.add(
                    index: try row.decode(atIndex: 0), body: row.dataNoCopy(atIndex: 1), storedLeaf: row.dataNoCopy(atIndex: 2)
                ) { level, index in
                    let stored = try storedNodes.next(level: level)
                    return stored?.index == index ? stored?.hash : nil
                }
                if !keepGoing { break }
            }
            audit.finishEntries()
            if let witnesses {
                var lines: [Int: [String: String]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT size, witness, line FROM checkpoint_cosignature") {
                    lines[try row.decode(Int.self, atIndex: 0), default: [:]][try row.decode(String.self, atIndex: 1)] = try row.decode(
                        String.self, atIndex: 2)
                }
                audit.checkWitnesses(witnesses, cosignatures: lines)
            }
            audit.checkProjections(try Self.projections(db))
            audit.checkProjections(
                cases: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_state") ?? 0,
                mismatches: try Row.fetchAll(db, sql: LedgerAudit.projectionMismatchSQL).map { row in
                    LedgerAudit.ProjectionMismatch(
                        caseID: try row.decode(atIndex: 0), actionCount: try row.decode(atIndex: 1), lastIndex: try row.decode(atIndex: 2),
                        entries: try row.decode(atIndex: 3), lastEntry: try row.decode(atIndex: 4))
                })
            if audit.report.problems.isEmpty {
                let source = DatabaseSubtrees(db: db)
                for (old, new) in audit.consistencyPairs {
                    audit.checkConsistency(old: old, new: new, proof: try MerkleProofs.consistencyProof(from: old.size, to: new.size, source: source))
                }
            }
            return audit.finalReport
        }
    }

    /// Every entry in (case, index) order through `ProjectionAudit`, with each case's stored rows as it ends.
    static func projections(_ db: Database) throws -> ProjectionAudit {
        var audit = ProjectionAudit(organization: try OrganizationTables.load(db))
        func finish() throws {
            guard let id = audit.currentCase else { return }
            audit.finishCase(
                stored: try CaseRow.fetch(db, id: CaseID(id)),
                storedFindings: try FindingTable.list(db, FindingQuery(caseID: CaseID(id), limit: Int.max)).findings)
        }
        let cursor = try Row.fetchCursor(db, sql: "SELECT case_id, idx, type, at, body FROM ledger_entry ORDER BY case_id, idx")
        while let row = try cursor.next() {
            let caseID: String = try row.decode(atIndex: 0)
            if let current = audit.currentCase, current != caseID { try finish() }
            audit.add(
                caseColumn: caseID, index: try row.decode(atIndex: 1), typeColumn: try row.decode(atIndex: 2), atColumn: try row.decode(atIndex: 3),
                body: [UInt8](try row.decode(Data.self, atIndex: 4)))
        }
        try finish()
        audit.finish(
            storedCases: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_state") ?? 0,
            storedFindings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding") ?? 0,
            storedTally: try db.cachedStatement(sql: TaskTally.stored).decodeAll(arguments: [], TaskTally.row(from:)))
        return audit
    }

    /// Reads `merkle_node` one level at a time, in index order, alongside the recomputation:
    /// every stored node is compared without holding the tree in memory.
    struct StoredNodes {
        let db: Database
        var cursors: [Int: RowCursor] = [:]

        mutating func next(level: Int) throws -> (index: Int, hash: Data)? {
            let cursor =
                try cursors[level] ?? Row.fetchCursor(db, sql: "SELECT idx, hash FROM merkle_node WHERE level = ? ORDER BY idx", arguments: [level])
            cursors[level] = cursor
            guard let row = try cursor.next() else { return nil }
            return (try row.decode(atIndex: 0), try row.decode(atIndex: 1))
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

/// The checks of `verify`, one entry at a time, whatever the entries are read from: recompute each leaf hash and the
/// tree, compare the stored subtree hashes, and check each signed checkpoint when the tree reaches its size.
struct LedgerAudit {
    private(set) var report = VerificationReport()
    private let checkpoints: [SignedCheckpoint]
    private var pending: ArraySlice<SignedCheckpoint>
    private var frontier = MerkleFrontier()
    private var expected: Int64 = 0
    private var previousCheckpointSize = 0
    private var structuralFailure = false
    // An entry that fails its own checks is named exactly; a failed checkpoint only bounds where the bad
    // entry is, so its range start is reported only when no entry was named.
    private var firstNamed: Int64?
    private var firstBounded: Int64?

    /// `external`: checkpoints from outside the database (the witnesses'), checked with the stored ones.
    init(checkpoints stored: [SignedCheckpoint], verifier: CheckpointVerifier, origin: String, external: [SignedCheckpoint] = []) {
        let checkpoints = (stored + external).sorted { $0.checkpoint.size < $1.checkpoint.size }
        self.checkpoints = checkpoints
        pending = checkpoints[...]
        report.checkpoints = stored.count
        for signed in checkpoints {
            if !verifier.isValid(signed) {
                problem("checkpoint at size \(signed.checkpoint.size): signature does not verify with the given public key", index: nil)
            }
            if signed.checkpoint.origin != origin {
                problem("checkpoint at size \(signed.checkpoint.size): origin '\(signed.checkpoint.origin)', expected '\(origin)'", index: nil)
            }
        }
    }

    private mutating func problem(_ text: String, index: Int64?, exact: Bool = true) {
        report.problems.append(text)
        guard let index else { return }
        if exact {
            firstNamed = min(firstNamed ?? index, index)
        } else {
            firstBounded = min(firstBounded ?? index, index)
        }
    }

    /// The next stored entry, in index order; `storedNode(level, index)` gives the stored hash of a subtree the
    /// recomputation completes (nil when there is none). False when the ledger's structure is broken and reading on
    /// is pointless.
    mutating func add(
        index: Int64, body: Data?, storedLeaf: Data?, storedNode: (Int, Int) throws -> Data?
    ) throws -> Bool {
        if index != expected {
            problem("entry \(expected) is missing (the next stored entry is \(index))", index: expected)
            structuralFailure = true
            return false
        }
        guard let bytes = body, let storedLeaf else {
            problem("entry \(index): body or leaf hash is NULL", index: index)
            structuralFailure = true
            return false
        }
        let leaf = RFC9162.leafHash(bytes)
        if !leaf.bytes.elementsEqual(storedLeaf) {
            problem("entry \(index): its bytes do not match the stored leaf hash (altered)", index: index)
        }
        switch LedgerVerifier.embeddedIndex(bytes) {
        case nil: problem("entry \(index): no index field (not a ledger entry)", index: index)
        case let claimed? where claimed != index: problem("entry \(index): it says it is entry \(claimed) (moved)", index: index)
        default: break
        }
        var nodeProblems: [String] = []
        try frontier.append(leafHash: leaf) { level, nodeIndex, hash in
            guard DatabaseSubtrees.isStored(level: level) else { return }
            let stored = try storedNode(level, nodeIndex)
            if stored.map({ !hash.bytes.elementsEqual($0) }) ?? true {
                nodeProblems.append(
                    "stored subtree hash (level \(level), index \(nodeIndex)) differs from the recomputed one; proofs served from it would fail")
            }
        }
        for text in nodeProblems { problem(text, index: nil) }
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
        return true
    }

    /// After the last entry: a checkpoint beyond the ledger's end means entries are gone.
    mutating func finishEntries() {
        report.entries = expected
        if !structuralFailure, let beyond = pending.first {
            problem(
                "checkpoint at size \(beyond.checkpoint.size) covers entries that are not there: the ledger ends at \(expected)",
                index: expected)
        }
    }

    /// A case whose projection disagrees with its entries: what a half-written append would leave behind.
    struct ProjectionMismatch {
        let caseID: String
        let actionCount: Int64?
        let lastIndex: Int64?
        let entries: Int64?
        let lastEntry: Int64?
    }

    /// Cases whose `case_state` row does not count their entries or name their last one, and entries of cases with no
    /// row; the same SQL on both stores.
    static let projectionMismatchSQL = """
        SELECT c.id, c.action_count, c.last_idx, e.n, e.m FROM case_state c
        LEFT JOIN (SELECT case_id, COUNT(*) AS n, MAX(idx) AS m FROM ledger_entry GROUP BY case_id) e ON e.case_id = c.id
        WHERE e.n IS NULL OR c.action_count <> e.n OR c.last_idx <> e.m
        UNION ALL
        SELECT l.case_id, NULL, NULL, COUNT(*), MAX(l.idx) FROM ledger_entry l
        WHERE NOT EXISTS (SELECT 1 FROM case_state c WHERE c.id = l.case_id) GROUP BY l.case_id
        LIMIT 50
        """

    /// Every stored cosignature of a required witness must verify over its checkpoint, and the largest checkpoint all
    /// of them validly cosigned must reach the ledger's end: an insider who rewrote history and deleted the later
    /// checkpoints gets no witness to cosign the new ones.
    mutating func checkWitnesses(_ requirement: WitnessRequirement, cosignatures: [Int: [String: String]]) {
        var witnessed: Int?
        for signed in checkpoints {
            let size = signed.checkpoint.size
            var all = !requirement.verifiers.isEmpty
            for verifier in requirement.verifiers {
                guard let line = cosignatures[size]?[verifier.keyName] else {
                    all = false
                    continue
                }
                report.cosignaturesChecked += 1
                do {
                    _ = try verifier.verify(line: line, for: signed.checkpoint)
                } catch {
                    all = false
                    problem("checkpoint at size \(size): the cosignature of witness \(verifier.keyName) does not verify (\(error))", index: nil)
                }
            }
            if all { witnessed = max(witnessed ?? 0, size) }
        }
        // Checkpoints fetched from the witnesses count as witnessed (their cosignatures were checked when fetched).
        for external in requirement.witnessedCheckpoints { witnessed = max(witnessed ?? 0, external.checkpoint.size) }
        report.witnessedSize = witnessed
        if !requirement.verifiers.isEmpty, (witnessed ?? 0) < Int(expected) {
            problem(
                "entries \(witnessed ?? 0)…\(expected - 1) are under no checkpoint that every witness cosigned (\(requirement.verifiers.map(\.keyName).joined(separator: ", "))): "
                    + "history after that point is not confirmed by anyone outside the database",
                index: nil)
        }
    }

    /// The projections rebuilt from the entries (see `ProjectionAudit`).
    mutating func checkProjections(_ projection: ProjectionAudit) {
        for text in projection.problems { problem(text, index: nil) }
        report.findingsChecked = projection.findings
        if projection.entries != expected {
            problem(
                "\(projection.entries) entries read by case, \(expected) by index: the ledger changed during the run or an entry has no case",
                index: nil)
        }
    }

    mutating func checkProjections(cases: Int, mismatches: [ProjectionMismatch]) {
        report.casesChecked = cases
        for m in mismatches {
            if let count = m.actionCount {
                problem(
                    "case \(m.caseID): its projection counts \(count) actions up to entry \(m.lastIndex ?? -1), the ledger has \(m.entries ?? 0) up to entry \(m.lastEntry ?? -1) (half-written)",
                    index: nil)
            } else {
                problem("case \(m.caseID): \(m.entries ?? 0) ledger entries but no projection row (half-written)", index: nil)
            }
        }
    }

    /// Consecutive checkpoints whose consistency proof, served from the stored subtree hashes, is to be checked.
    var consistencyPairs: [(old: Checkpoint, new: Checkpoint)] {
        zip(checkpoints, checkpoints.dropFirst()).filter { $0.0.checkpoint.size > 0 }.map { ($0.0.checkpoint, $0.1.checkpoint) }
    }

    mutating func checkConsistency(old: Checkpoint, new: Checkpoint, proof: [TreeHash]) {
        if !MerkleProofs.verifyConsistency(oldSize: old.size, newSize: new.size, oldRoot: old.rootHash, newRoot: new.rootHash, proof: proof) {
            problem("consistency proof \(old.size) → \(new.size) fails: stored tree nodes were altered", index: nil)
        }
        report.consistencyProofsChecked += 1
    }

    var finalReport: VerificationReport {
        var r = report
        r.firstBadIndex = firstNamed ?? firstBounded
        return r
    }
}
