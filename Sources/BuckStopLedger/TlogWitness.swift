import Crypto

/// Why an `add-checkpoint` request or response body could not be read (c2sp.org/tlog-witness).
public enum WitnessProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is longer than the codec accepts.
    case tooLarge(limit: Int, found: Int)
    /// The first line is not `old <size>` with a canonical decimal size.
    case malformedOldSizeLine(reason: String)
    /// Proof line `line` (1-based) is not the base64 of one 32-byte hash.
    case malformedProofLine(line: Int, reason: String)
    /// tlog-witness: the client MUST NOT send more than 63 consistency proof lines.
    case tooManyProofLines(limit: Int)
    /// No empty line ends the proof.
    case missingBlankLine
    /// The submitted checkpoint is not a signed note.
    case malformedNote(SignedNoteError)
    /// The submitted note's text is not a C2SP checkpoint.
    case malformedCheckpoint(CheckpointError)
    /// A 200 response body is not one or more `—` signature lines.
    case malformedResponse(SignedNoteError)
    /// A 409 body is not `<size>\n`.
    case malformedConflictBody(reason: String)

    public var description: String {
        switch self {
        case .tooLarge(let limit, let found):
            return "body is \(found) bytes, more than the limit of \(limit)"
        case .malformedOldSizeLine(let reason):
            return "expected \"old <size>\" as the first line: \(reason)"
        case .malformedProofLine(let line, let reason):
            return "consistency proof line \(line): \(reason)"
        case .tooManyProofLines(let limit):
            return "more than \(limit) consistency proof lines"
        case .missingBlankLine:
            return "expected an empty line after the consistency proof, found none"
        case .malformedNote(let error):
            return "submitted checkpoint: \(error)"
        case .malformedCheckpoint(let error):
            return "submitted checkpoint: \(error)"
        case .malformedResponse(let error):
            return "witness response: \(error)"
        case .malformedConflictBody(let reason):
            return "409 body: \(reason)"
        }
    }
}

/// The body of `POST <submission prefix>/add-checkpoint` (tlog-witness):
///
/// ```text
/// old <size>\n
/// <base64(hash)>\n      × 0…63, a consistency proof from <size> to the checkpoint's size
/// \n
/// <the checkpoint as a signed note>
/// ```
public struct AddCheckpointRequest: Sendable, Hashable {
    /// tlog-witness: no more than 63 proof lines.
    public static let maxProofLines = 63
    /// The old-size line, proof lines and blank line, plus the largest note `SignedNote` accepts.
    public static let maxBodyBytes = SignedNote.maxBytes + 24 + maxProofLines * 45 + 1

    /// The size of the latest checkpoint the client believes the witness cosigned (0 for none).
    public let oldSize: Int
    /// RFC 6962 §2.1.2 / RFC 9162 §2.1.4 consistency proof from `oldSize` to `checkpoint.size`.
    public let consistencyProof: [TreeHash]
    /// The submitted checkpoint note as sent (its signatures are checked by the witness).
    public let note: SignedNote
    /// `note.text` read as a C2SP checkpoint.
    public let checkpoint: TlogCheckpoint

    /// - Throws: `WitnessProtocolError` if the parts could not form a valid body.
    public init(oldSize: Int, consistencyProof: [TreeHash], note: SignedNote) throws(WitnessProtocolError) {
        guard oldSize >= 0 else { throw .malformedOldSizeLine(reason: "size must be non-negative, found \(oldSize)") }
        guard consistencyProof.count <= Self.maxProofLines else { throw .tooManyProofLines(limit: Self.maxProofLines) }
        do {
            checkpoint = try TlogCheckpoint(text: note.textBytes)
        } catch {
            throw .malformedCheckpoint(error)
        }
        self.oldSize = oldSize
        self.consistencyProof = consistencyProof
        self.note = note
    }

    /// The log server's request for one of its own checkpoints.
    public init(oldSize: Int, consistencyProof: [TreeHash], checkpoint: SignedCheckpoint) throws(WitnessProtocolError) {
        let note: SignedNote
        do {
            note = try checkpoint.note()
        } catch {
            throw .malformedNote(error)
        }
        try self.init(oldSize: oldSize, consistencyProof: consistencyProof, note: note)
    }

    /// Parses a request body strictly: every line newline-terminated, canonical decimal and
    /// canonical padded base64 of exactly 32 bytes, at most 63 proof lines.
    public init(body: [UInt8]) throws(WitnessProtocolError) {
        guard body.count <= Self.maxBodyBytes else { throw .tooLarge(limit: Self.maxBodyBytes, found: body.count) }
        let prefix = Array("old ".utf8)
        // "old " + at most 19 digits + "\n": a longer first line is refused before it is scanned.
        guard let firstEnd = body.prefix(prefix.count + 20).firstIndex(of: 0x0A) else {
            throw .malformedOldSizeLine(reason: "expected a newline within \(prefix.count + 20) bytes")
        }
        guard body[..<firstEnd].starts(with: prefix) else {
            throw .malformedOldSizeLine(reason: "expected it to start with \"old \"")
        }
        guard let old = CheckpointDecimal.parse(body[prefix.count..<firstEnd]), old <= Int64(Int.max) else {
            throw .malformedOldSizeLine(reason: "size must be a canonical non-negative decimal")
        }
        var proof = [TreeHash]()
        var start = firstEnd + 1
        while true {
            // A proof line is 44 base64 characters; anything longer is refused without scanning on.
            guard let end = body[start...].prefix(45).firstIndex(of: 0x0A) else {
                if start == body.endIndex { throw .missingBlankLine }
                throw .malformedProofLine(line: proof.count + 1, reason: "expected 44 base64 characters and a newline")
            }
            if end == start { break }
            guard proof.count < Self.maxProofLines else { throw .tooManyProofLines(limit: Self.maxProofLines) }
            guard let hash = TreeHash(base64: String(decoding: body[start..<end], as: UTF8.self)) else {
                throw .malformedProofLine(line: proof.count + 1, reason: "expected canonical padded base64 of a 32-byte hash")
            }
            proof.append(hash)
            start = end + 1
        }
        let note: SignedNote
        do {
            note = try SignedNote(bytes: Array(body[(start + 1)...]))
        } catch {
            throw .malformedNote(error)
        }
        try self.init(oldSize: Int(old), consistencyProof: proof, note: note)
    }

    /// The request body.
    public var body: [UInt8] {
        var out = Array("old \(oldSize)\n".utf8)
        for hash in consistencyProof { out += Array((hash.base64 + "\n").utf8) }
        out.append(0x0A)
        out += note.bytes
        return out
    }
}

/// The 200 body of `add-checkpoint`: one or more cosignature lines, each `— … \n`.
public struct AddCheckpointResponse: Sendable, Hashable {
    public let signatures: [NoteSignature]

    public init(signatures: [NoteSignature]) throws(WitnessProtocolError) {
        guard !signatures.isEmpty else { throw .malformedResponse(.noSignatureLines) }
        guard signatures.count <= SignedNote.maxSignatures else {
            throw .malformedResponse(.tooManySignatures(limit: SignedNote.maxSignatures))
        }
        self.signatures = signatures
    }

    /// Parses a response body; lines from keys the caller does not know are kept, to be ignored
    /// by `cosignature(by:for:)`.
    public init(body: [UInt8]) throws(WitnessProtocolError) {
        guard body.count <= SignedNote.maxBytes else { throw .tooLarge(limit: SignedNote.maxBytes, found: body.count) }
        do {
            try SignedNote.checkCharacters(body)
        } catch {
            throw .malformedResponse(error)
        }
        guard !body.isEmpty else { throw .malformedResponse(.noSignatureLines) }
        guard body.last == 0x0A else { throw .malformedResponse(.missingFinalNewline) }
        var signatures = [NoteSignature]()
        var start = 0
        while start < body.count {
            let end = body[start...].firstIndex(of: 0x0A) ?? body.count
            guard signatures.count < SignedNote.maxSignatures else {
                throw .malformedResponse(.tooManySignatures(limit: SignedNote.maxSignatures))
            }
            do {
                signatures.append(try NoteSignature.parse(body[start..<end], lineNumber: signatures.count + 1))
            } catch {
                throw .malformedResponse(error)
            }
            start = end + 1
        }
        self.signatures = signatures
    }

    public var body: [UInt8] { Array(signatures.map(\.line).joined().utf8) }

    /// The client check for a 200 response: the one cosignature by `witness` over `checkpointText`,
    /// verified. Lines by other keys are ignored (tlog-witness: "The client MUST ignore any
    /// cosignatures from unknown keys").
    public func cosignature(by witness: CosignatureVerifier, checkpointText: [UInt8], notAfter: Int64? = nil) throws(CosignatureError) -> Cosignature
    {
        guard let line = signatures.first(where: { $0.isBy(keyName: witness.keyName, keyID: witness.keyID) }) else {
            throw .noCosignatureByKey(keyName: witness.keyName, keyID: witness.keyID)
        }
        return try witness.verify(try Cosignature(line), checkpointText: checkpointText, notAfter: notAfter)
    }

    /// As `cosignature(by:checkpointText:notAfter:)` for one of BuckStop's checkpoints.
    public func cosignature(by witness: CosignatureVerifier, for checkpoint: Checkpoint, notAfter: Int64? = nil) throws(CosignatureError)
        -> Cosignature
    {
        try cosignature(by: witness, checkpointText: checkpoint.body, notAfter: notAfter)
    }
}

/// The witness's record for one log: the latest checkpoint it cosigned (tlog-witness: "the
/// witness is only required to keep track of the latest checkpoint it observed and verified").
///
/// Reading it, deciding and writing the new one must be one atomic step per origin, or two
/// concurrent requests can roll the record back (tlog-witness's race A/B).
public struct WitnessLogState: Sendable, Hashable, Codable {
    public let size: Int
    public let rootHash: TreeHash

    public init(size: Int, rootHash: TreeHash) {
        self.size = size
        self.rootHash = rootHash
    }
}

/// A log the witness follows: its origin and the keys trusted to sign its checkpoints.
public struct WitnessedLog: Sendable {
    public let origin: String
    public let verifiers: [any NoteVerifier]

    /// - Throws: `SignedNoteError.ambiguousKey` if two keys share name and key ID, because then
    ///   no signature could be attributed; `.noVerifiedSignature` if there is no key at all.
    public init(origin: String, verifiers: [any NoteVerifier]) throws(SignedNoteError) {
        guard !verifiers.isEmpty else { throw .noVerifiedSignature }
        for (i, v) in verifiers.enumerated() {
            for w in verifiers[(i + 1)...] where w.keyID == v.keyID && w.keyName.utf8.elementsEqual(v.keyName.utf8) {
                throw .ambiguousKey(keyName: v.keyName, keyID: v.keyID)
            }
        }
        self.origin = origin
        self.verifiers = verifiers
    }
}

/// What an accepted `add-checkpoint` produces.
public struct WitnessCosigning: Sendable, Hashable {
    /// The 200 response.
    public let response: AddCheckpointResponse
    /// The cosignatures, parsed.
    public let cosignatures: [Cosignature]
    /// The record to persist (atomically with the read of the old one) before responding.
    public let newState: WitnessLogState
    /// The checkpoint with the log signatures the witness verified and its own cosignatures: what
    /// `GET <monitoring prefix>/<origin hash>/checkpoint` serves.
    public let cosignedNote: SignedNote
}

/// Why a witness refused to cosign, each mapped to the HTTP status tlog-witness requires.
public enum WitnessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body could not be parsed: 400.
    case malformedRequest(WitnessProtocolError)
    /// The checkpoint's origin is not a log this witness follows: 404.
    case unknownLog(origin: String)
    /// No signature from a key trusted for the origin: 403.
    case noTrustedLogSignature(origin: String)
    /// A line's name and key ID match a trusted key but the signature fails: 403.
    case invalidLogSignature(keyName: String, keyID: UInt32)
    /// The old size is larger than the checkpoint's size: 400.
    case oldSizeBeyondCheckpoint(oldSize: Int, checkpointSize: Int)
    /// The old size is not the size of the latest checkpoint this witness cosigned: 409 with that
    /// size in the body (`text/x.tlog.size`), so the client can retry with the right proof.
    case oldSizeMismatch(requested: Int, latestCosigned: Int)
    /// A checkpoint of size zero must carry the empty tree's root: 422.
    case emptyTreeRootMismatch(found: TreeHash)
    /// With old size zero the proof must be empty: 422.
    case proofMustBeEmpty(lines: Int)
    /// Same size as the latest cosigned checkpoint but another root: 422. (A fork.)
    case rootMismatch(size: Int, cosigned: TreeHash, submitted: TreeHash)
    /// The consistency proof does not show the checkpoint extends the cosigned tree: 422.
    case inconsistent(oldSize: Int, newSize: Int)
    /// The witness could not sign (its own fault): 500.
    case cosigningFailed(CosignatureError)
    /// The witness has no signing key, or more than a note can carry: 500.
    case witnessMisconfigured(reason: String)

    /// The status tlog-witness assigns to this refusal.
    public var httpStatus: Int {
        switch self {
        case .malformedRequest, .oldSizeBeyondCheckpoint: return 400
        case .unknownLog: return 404
        case .noTrustedLogSignature, .invalidLogSignature: return 403
        case .oldSizeMismatch: return 409
        case .emptyTreeRootMismatch, .proofMustBeEmpty, .rootMismatch, .inconsistent: return 422
        case .cosigningFailed, .witnessMisconfigured: return 500
        }
    }

    /// The response body: for 409 the latest cosigned size and a newline, otherwise empty.
    public var responseBody: [UInt8] {
        if case .oldSizeMismatch(_, let latest) = self { return Array("\(latest)\n".utf8) }
        return []
    }

    /// `text/x.tlog.size` for 409 (tlog-witness), `nil` otherwise.
    public var contentType: String? {
        if case .oldSizeMismatch = self { return TlogWitness.conflictContentType }
        return nil
    }

    public var description: String {
        switch self {
        case .malformedRequest(let error):
            return "malformed add-checkpoint request: \(error)"
        case .unknownLog(let origin):
            return "unknown log \(origin.debugDescription)"
        case .noTrustedLogSignature(let origin):
            return "checkpoint has no signature by a key trusted for \(origin.debugDescription)"
        case .invalidLogSignature(let name, let keyID):
            return "checkpoint signature by trusted key \(name)+\(NoteKeyID.hex(keyID)) does not verify"
        case .oldSizeBeyondCheckpoint(let old, let size):
            return "old size \(old) is larger than the checkpoint size \(size)"
        case .oldSizeMismatch(let requested, let latest):
            return "old size \(requested) does not match the latest cosigned size \(latest)"
        case .emptyTreeRootMismatch(let found):
            return "checkpoint of size 0 must have the empty tree's root, found \(found.base64)"
        case .proofMustBeEmpty(let lines):
            return "old size 0 needs an empty consistency proof, found \(lines) lines"
        case .rootMismatch(let size, let cosigned, let submitted):
            return "size \(size) was cosigned with root \(cosigned.base64), the checkpoint has \(submitted.base64)"
        case .inconsistent(let old, let new):
            return "consistency proof from size \(old) to \(new) does not verify against the cosigned root"
        case .cosigningFailed(let error):
            return "witness could not cosign: \(error)"
        case .witnessMisconfigured(let reason):
            return "witness misconfigured: \(reason)"
        }
    }
}

/// The pure parts of a c2sp.org/tlog-witness witness and of its clients.
public enum TlogWitness {
    /// Content type of a 409 body.
    public static let conflictContentType = "text/x.tlog.size"

    /// The witness's decision on one `add-checkpoint` request, in the order tlog-witness lists
    /// the checks: origin known (404), log signature (403), old size ≤ checkpoint size (400), old
    /// size = latest cosigned size (409), empty-tree root, empty proof from zero, same-size root,
    /// consistency proof (422). Only if all pass does it cosign.
    ///
    /// This is the check that defeats a rewritten ledger: an operator who changes an entry and
    /// signs a fresh checkpoint over the new tree cannot produce a consistency proof from the
    /// root this witness last cosigned, so the witness refuses, whatever the log's key signs.
    ///
    /// - Parameters:
    ///   - log: the configuration for the request's origin, or `nil` if the witness does not
    ///     follow it.
    ///   - state: the latest cosigned record for that origin, `nil` if none (treated as size 0).
    ///   - cosigners: the witness's keys; each adds one line to the response.
    ///   - timestamp: the witness's current POSIX time in seconds (> 0).
    /// - Throws: `WitnessRefusal` naming the failed check and its HTTP status.
    public static func addCheckpoint(
        _ request: AddCheckpointRequest, log: WitnessedLog?, state: WitnessLogState?,
        cosigners: [CosignatureSigner], timestamp: Int64
    ) throws(WitnessRefusal) -> WitnessCosigning {
        let checkpoint = request.checkpoint
        guard let log, log.origin.utf8.elementsEqual(checkpoint.origin.utf8) else {
            throw .unknownLog(origin: checkpoint.origin)
        }
        let logSignatures: [NoteSignature]
        do {
            logSignatures = try request.note.verifiedSignatures(by: log.verifiers)
        } catch {
            switch error {
            case .invalidSignature(let name, let keyID): throw .invalidLogSignature(keyName: name, keyID: keyID)
            default: throw .noTrustedLogSignature(origin: checkpoint.origin)
            }
        }
        guard request.oldSize <= checkpoint.size else {
            throw .oldSizeBeyondCheckpoint(oldSize: request.oldSize, checkpointSize: checkpoint.size)
        }
        let cosigned = state ?? WitnessLogState(size: 0, rootHash: RFC9162.emptyRoot)
        guard request.oldSize == cosigned.size else {
            throw .oldSizeMismatch(requested: request.oldSize, latestCosigned: cosigned.size)
        }
        if checkpoint.size == 0 && checkpoint.rootHash != RFC9162.emptyRoot {
            throw .emptyTreeRootMismatch(found: checkpoint.rootHash)
        }
        if request.oldSize == 0 {
            // The empty tree is consistent with every tree: nothing to prove, and nothing may be sent.
            guard request.consistencyProof.isEmpty else { throw .proofMustBeEmpty(lines: request.consistencyProof.count) }
        } else if request.oldSize == checkpoint.size {
            guard checkpoint.rootHash == cosigned.rootHash else {
                throw .rootMismatch(size: checkpoint.size, cosigned: cosigned.rootHash, submitted: checkpoint.rootHash)
            }
            guard request.consistencyProof.isEmpty else { throw .inconsistent(oldSize: request.oldSize, newSize: checkpoint.size) }
        } else {
            guard
                MerkleProofs.verifyConsistency(
                    oldSize: cosigned.size, newSize: checkpoint.size, oldRoot: cosigned.rootHash, newRoot: checkpoint.rootHash,
                    proof: request.consistencyProof)
            else { throw .inconsistent(oldSize: cosigned.size, newSize: checkpoint.size) }
        }

        guard !cosigners.isEmpty else { throw .witnessMisconfigured(reason: "no cosigning key") }
        var cosignatures = [Cosignature]()
        for signer in cosigners {
            do {
                cosignatures.append(try signer.cosign(text: request.note.textBytes, timestamp: timestamp))
            } catch {
                throw .cosigningFailed(error)
            }
        }
        let lines = cosignatures.map(\.noteSignature)
        do {
            let response = try AddCheckpointResponse(signatures: lines)
            let cosignedNote = try SignedNote(text: request.note.text, signatures: logSignatures + lines)
            return WitnessCosigning(
                response: response, cosignatures: cosignatures,
                newState: WitnessLogState(size: checkpoint.size, rootHash: checkpoint.rootHash), cosignedNote: cosignedNote)
        } catch {
            // Only reachable with more than `SignedNote.maxSignatures` keys in all.
            throw .witnessMisconfigured(reason: "more signatures than a note may carry: \(error)")
        }
    }

    /// As `addCheckpoint(_:log:state:cosigners:timestamp:)` from the raw body, so a malformed
    /// body is one more refusal (400). `log` and `state` are looked up by the parsed origin.
    public static func addCheckpoint(
        body: [UInt8], log: (String) -> WitnessedLog?, state: (String) -> WitnessLogState?,
        cosigners: [CosignatureSigner], timestamp: Int64
    ) throws(WitnessRefusal) -> WitnessCosigning {
        let request: AddCheckpointRequest
        do {
            request = try AddCheckpointRequest(body: body)
        } catch {
            throw .malformedRequest(error)
        }
        let origin = request.checkpoint.origin
        return try addCheckpoint(request, log: log(origin), state: state(origin), cosigners: cosigners, timestamp: timestamp)
    }

    /// The client's reading of a 409 body: the size of the latest checkpoint the witness
    /// cosigned, to retry with a consistency proof from there.
    public static func latestCosignedSize(conflictBody body: [UInt8]) throws(WitnessProtocolError) -> Int {
        guard body.count <= 20, body.last == 0x0A else {
            throw .malformedConflictBody(reason: "expected a decimal size and a newline")
        }
        guard let size = CheckpointDecimal.parse(body.dropLast()), size <= Int64(Int.max) else {
            throw .malformedConflictBody(reason: "size must be a canonical non-negative decimal")
        }
        return Int(size)
    }

    /// `<monitoring prefix>/<origin hash>/checkpoint` path element: lowercase hex SHA-256 of the origin.
    public static func originHash(_ origin: String) -> String {
        TreeHash(digest: SHA256.hash(data: Array(origin.utf8))).hex
    }
}
