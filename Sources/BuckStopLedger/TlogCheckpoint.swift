/// The note text of any C2SP checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, root hash,
/// then optional extension lines.
///
/// Why beside `Checkpoint`: BuckStop's own checkpoints always have exactly one extension line (the
/// timestamp) and `Checkpoint(body:)` insists on it. A witness, though, must judge what a log
/// submits by the tlog-checkpoint grammar alone, and cosign the whole text including whatever
/// extension lines it carries (tlog-cosignature). This type is that grammar; every
/// `Checkpoint.body` parses as one with a single extension line.
///
/// ```text
/// <origin>\n            non-empty
/// <size>\n              decimal, no leading zeros (0 for the empty tree)
/// <base64(root)>\n      32-byte RFC 6962 / RFC 9162 root, canonical padded base64
/// [<extension>\n]*      each non-empty
/// ```
public struct TlogCheckpoint: Sendable, Hashable {
    public let origin: String
    public let size: Int
    public let rootHash: TreeHash
    public let extensionLines: [String]

    /// - Throws: `CheckpointError.malformedBody` if a field could not round-trip through the text.
    public init(origin: String, size: Int, rootHash: TreeHash, extensionLines: [String] = []) throws(CheckpointError) {
        guard Self.isValidLine(origin) else {
            throw .malformedBody(line: 1, reason: "origin must be a non-empty line without control characters")
        }
        guard size >= 0 else { throw .malformedBody(line: 2, reason: "tree size must be non-negative, found \(size)") }
        for (i, line) in extensionLines.enumerated() where !Self.isValidLine(line) {
            throw .malformedBody(line: 4 + i, reason: "extension lines must be non-empty lines without control characters")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// Parses a checkpoint note text (the bytes before a signed note's blank line).
    public init(text: some Collection<UInt8>) throws(CheckpointError) {
        let bytes = Array(text)
        guard bytes.last == 0x0A else {
            throw .malformedBody(line: 1, reason: "expected newline-terminated lines, found no final newline")
        }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= 3 else {
            throw .malformedBody(line: lines.count + 1, reason: "expected origin, size and root hash lines, found \(lines.count) lines")
        }
        for (i, line) in lines.enumerated() {
            if line.isEmpty {
                throw .malformedBody(line: i + 1, reason: i < 3 ? "line must not be empty" : "extension lines must be non-empty")
            }
            if line.contains(where: { $0 < 0x20 }) {
                throw .malformedBody(line: i + 1, reason: "control characters are not allowed")
            }
        }
        guard let size = CheckpointDecimal.parse(lines[1]), size <= Int64(Int.max) else {
            throw .malformedBody(line: 2, reason: "tree size must be a canonical non-negative decimal")
        }
        guard let root = TreeHash(base64: String(decoding: lines[2], as: UTF8.self)) else {
            throw .malformedBody(line: 3, reason: "root hash must be canonical base64 of 32 bytes")
        }
        let origin = String(decoding: lines[0], as: UTF8.self)
        // Bytes that are not valid UTF-8 would not survive the String round trip.
        for (i, line) in lines.enumerated() where !String(decoding: line, as: UTF8.self).utf8.elementsEqual(line) {
            throw .malformedBody(line: i + 1, reason: "line is not valid UTF-8")
        }
        self.origin = origin
        self.size = Int(size)
        self.rootHash = root
        self.extensionLines = lines.dropFirst(3).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The note text: every line newline-terminated.
    public var text: String {
        ([origin, String(size), rootHash.base64] + extensionLines).map { $0 + "\n" }.joined()
    }

    public var textBytes: [UInt8] { Array(text.utf8) }

    public static func == (a: Self, b: Self) -> Bool {
        a.size == b.size && a.rootHash == b.rootHash && a.origin.utf8.elementsEqual(b.origin.utf8)
            && a.extensionLines.count == b.extensionLines.count
            && zip(a.extensionLines, b.extensionLines).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Array(text.utf8))
    }

    private static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && !line.utf8.contains(where: { $0 < 0x20 })
    }
}

extension Checkpoint {
    /// This checkpoint as a C2SP checkpoint text (the timestamp is its one extension line).
    public var tlogCheckpoint: TlogCheckpoint {
        // `Checkpoint`'s invariants (printable ASCII origin, size ≥ 0, digits) are stricter than these.
        TlogCheckpoint(unchecked: origin, size: size, rootHash: rootHash, extensionLines: [String(timestamp)])
    }
}

extension TlogCheckpoint {
    fileprivate init(unchecked origin: String, size: Int, rootHash: TreeHash, extensionLines: [String]) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }
}

/// Canonical decimals of checkpoint texts: ASCII digits, no sign, no leading zeros, ≤ Int64.max.
enum CheckpointDecimal {
    static func parse(_ digits: some Collection<UInt8>) -> Int64? {
        guard let first = digits.first, digits.count <= 19 else { return nil }
        if first == UInt8(ascii: "0") && digits.count > 1 { return nil }
        var value: Int64 = 0
        for d in digits {
            guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = s
        }
        return value
    }
}
