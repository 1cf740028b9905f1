import BuckStopDomain

/// A QR Code symbol (ISO/IEC 18004:2015), encoded in byte mode from UTF-8 text: the module matrix and its SVG.
///
/// Pure: no I/O, no state. Clause numbers below are those of ISO/IEC 18004:2015. The encoder follows the
/// standard's procedure (§7.1): data encoding (§7.4), error correction (§7.5), the final codeword sequence (§7.6),
/// placement (§7.7), masking with the lowest penalty (§7.8), then format (§7.9) and version information (§7.10).
/// Only byte mode is used (§7.4.5): a tracking address in lower case gains nothing from the other modes, and one
/// mode keeps the symbol predictable. No ECI header is written (§7.4.2.2): readers take the bytes as UTF-8 when
/// they are valid UTF-8, which every common reader does, and an ECI would cost bytes some old readers reject.
struct QRCode: Sendable, Equatable {
    /// Error correction level (§7.5.1, Table 12 for the bits it has in the format information).
    enum ErrorCorrection: Sendable, CaseIterable, Equatable {
        /// About 7 % of codewords can be restored.
        case low
        /// About 15 %.
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high

        /// The two bits of the format information (§7.9.1, Table 12): L 01, M 00, Q 11, H 10.
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }

        var letter: String {
            switch self {
            case .low: "L"
            case .medium: "M"
            case .quartile: "Q"
            case .high: "H"
            }
        }

        /// Row of the tables below (L, M, Q, H).
        fileprivate var tableIndex: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }
    }

    /// Versions 1…40 (§5.3.1): version v has 17 + 4v modules a side.
    static let versions: ClosedRange<Int> = 1...40
    /// The eight data mask patterns (§7.8.2, Table 10).
    static let masks: ClosedRange<Int> = 0...7
    /// Light modules around the symbol on every side (§6.3.8: "the quiet zone shall be 4X wide").
    static let quietZone = 4

    let version: Int
    let errorCorrection: ErrorCorrection
    let mask: Int
    /// `modules[row][column]`, true for a dark module; the symbol only, without its quiet zone.
    let modules: [[Bool]]

    var size: Int { modules.count }

    /// Encodes UTF-8 text. With `version` the symbol is of exactly that version, otherwise of the smallest one the
    /// data fits at `errorCorrection`; with `mask` that pattern is used, otherwise the one with the lowest penalty.
    static func encode(
        _ text: String, errorCorrection: ErrorCorrection = .medium, version: Int? = nil, mask: Int? = nil
    ) throws(QRCodeError) -> QRCode {
        try encode(bytes: Array(text.utf8), errorCorrection: errorCorrection, version: version, mask: mask)
    }

    /// Encodes bytes in byte mode (§7.4.5).
    static func encode(
        bytes: [UInt8], errorCorrection: ErrorCorrection = .medium, version: Int? = nil, mask: Int? = nil
    ) throws(QRCodeError) -> QRCode {
        if let version, !versions.contains(version) { throw .versionOutOfRange(version) }
        if let mask, !masks.contains(mask) { throw .maskOutOfRange(mask) }
        let candidates = version.map { $0...$0 } ?? versions
        guard let chosen = candidates.first(where: { byteCapacity(version: $0, errorCorrection) >= bytes.count }) else {
            throw .dataTooLong(
                bytes: bytes.count, errorCorrection: errorCorrection,
                capacity: byteCapacity(version: candidates.upperBound, errorCorrection))
        }
        let codewords = finalSequence(dataCodewords(bytes, version: chosen, errorCorrection), version: chosen, errorCorrection)
        var symbol = Matrix(version: chosen)
        symbol.place(codewords)
        let chosenMask: Int
        if let mask {
            chosenMask = mask
        } else {
            // §7.8.3.1: every pattern is applied and scored, the lowest score wins (the first of equals). The symbol is
            // scored as the procedure of §7.1 has it at that step: function patterns drawn, the format and version
            // information not yet (their modules light), since they are written after the mask is chosen (§7.9).
            let scores = masks.map { symbol.masked($0).penalty() }
            chosenMask = scores.indices.min { scores[$0] < scores[$1] } ?? 0
        }
        var final = symbol.masked(chosenMask)
        final.drawFormat(errorCorrection, mask: chosenMask)
        final.drawVersion()
        return QRCode(version: chosen, errorCorrection: errorCorrection, mask: chosenMask, modules: final.dark)
    }

    /// The most bytes a symbol of `version` holds at `level` in byte mode: data capacity less the mode indicator (4
    /// bits) and the character count indicator (8 bits up to version 9, 16 from 10: §7.4.1, Table 3).
    static func byteCapacity(version: Int, _ level: ErrorCorrection) -> Int {
        (dataCodewordCount(version: version, level) * 8 - 4 - countBits(version)) / 8
    }

    static func countBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// Codewords of a symbol (§6.4.10, Table 1): its modules less function patterns and format and version
    /// information, divided into 8-bit codewords (what is left over are remainder bits).
    static func totalCodewords(version: Int) -> Int { totalCodewordTable[version - 1] }

    private static let totalCodewordTable: [Int] = versions.map { Matrix(version: $0).freeModules / 8 }

    /// Remainder bits after the last codeword (§7.6, Table 1): 0, 7, 4 or 3 by version.
    static func remainderBits(version: Int) -> Int { Matrix(version: version).freeModules % 8 }

    /// Data codewords (§7.5.1, Table 9): total codewords less the error correction codewords of every block.
    static func dataCodewordCount(version: Int, _ level: ErrorCorrection) -> Int {
        let (blocks, perBlock) = blockLayout(version: version, level)
        return totalCodewords(version: version) - blocks * perBlock
    }

    /// Number of error correction blocks and error correction codewords per block (§7.5.1, Table 9).
    static func blockLayout(version: Int, _ level: ErrorCorrection) -> (blocks: Int, ecPerBlock: Int) {
        (Tables.blocks[level.tableIndex][version - 1], Tables.ecPerBlock[level.tableIndex][version - 1])
    }

    // MARK: - Data encoding (§7.4)

    /// Mode indicator 0100 (§7.4.2, Table 2), character count (§7.4.1, Table 3), the bytes, terminator 0000 (§7.4.9),
    /// padding to a byte and the pad codewords 11101100 00010001 in turn (§7.4.10).
    static func dataCodewords(_ bytes: [UInt8], version: Int, _ level: ErrorCorrection) -> [UInt8] {
        let capacityBits = dataCodewordCount(version: version, level) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version))
        for b in bytes { bits.append(Int(b), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacityBits {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    // MARK: - Error correction and the final sequence (§7.5, §7.6)

    /// Splits the data into blocks (§7.5.2, Table 9: the shorter blocks first, the longer ones one codeword more),
    /// adds each block's Reed–Solomon codewords, and interleaves: data codewords column by column across the blocks,
    /// then the error correction codewords likewise (§7.6).
    static func finalSequence(_ data: [UInt8], version: Int, _ level: ErrorCorrection) -> [UInt8] {
        let (blockCount, ecLength) = blockLayout(version: version, level)
        let total = totalCodewords(version: version)
        let longBlocks = total % blockCount
        let shortDataLength = total / blockCount - ecLength
        let generator = ReedSolomon.generator(degree: ecLength)
        var blocks: [[UInt8]] = []
        var errorCorrection: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index >= blockCount - longBlocks ? 1 : 0)
            let block = Array(data[start..<(start + length)])
            start += length
            blocks.append(block)
            errorCorrection.append(ReedSolomon.remainder(block, generator: generator))
        }
        var sequence: [UInt8] = []
        sequence.reserveCapacity(total)
        for column in 0...shortDataLength {
            for block in blocks where column < block.count { sequence.append(block[column]) }
        }
        for column in 0..<ecLength {
            for block in errorCorrection { sequence.append(block[column]) }
        }
        return sequence
    }

    // MARK: - SVG

    /// The dark modules as one SVG path of unit squares, each `M{x} {y}h1v1h-1z`, in a coordinate system whose unit
    /// is one module and whose origin is the outer corner of the quiet zone; row by row, left to right.
    var svgPath: String {
        var d = ""
        for (row, line) in modules.enumerated() {
            for (column, isDark) in line.enumerated() where isDark {
                d += "M\(column + Self.quietZone) \(row + Self.quietZone)h1v1h-1z"
            }
        }
        return d
    }

    /// The symbol with its quiet zone as an SVG image, `moduleSize` user units a module (a stylesheet may resize it):
    /// a white square and one black path, drawn with crisp edges, labelled for assistive technology.
    func svg(label: String, moduleSize: Int = 4, id: String? = nil) -> String {
        let side = size + 2 * Self.quietZone
        let escaped = Self.xmlEscaped(label)
        var attributes = "xmlns=\"http://www.w3.org/2000/svg\""
        if let id { attributes += " id=\"\(Self.xmlEscaped(id))\"" }
        attributes +=
            " class=\"qr\" viewBox=\"0 0 \(side) \(side)\" width=\"\(side * moduleSize)\" height=\"\(side * moduleSize)\""
            + " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(escaped)\""
        return "<svg \(attributes)><title>\(escaped)</title><rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(svgPath)\"/></svg>"
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// Why data could not be made into a QR Code symbol.
enum QRCodeError: Error, Equatable, Sendable, CategorizedError, CustomStringConvertible {
    /// More bytes than the largest allowed version holds at that level (`capacity` bytes).
    case dataTooLong(bytes: Int, errorCorrection: QRCode.ErrorCorrection, capacity: Int)
    case versionOutOfRange(Int)
    case maskOutOfRange(Int)

    /// The server makes symbols only of data it bounds itself; one that does not fit is its own mistake.
    var category: FailureCategory { .internalError }

    var description: String {
        switch self {
        case .dataTooLong(let bytes, let level, let capacity):
            "QR code: \(bytes) bytes do not fit; at level \(level.letter) at most \(capacity)"
        case .versionOutOfRange(let v): "QR code: version \(v) is not in 1…40"
        case .maskOutOfRange(let m): "QR code: mask \(m) is not in 0…7"
        }
    }
}

// MARK: - Bits

private struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count n: Int) {
        for shift in stride(from: n - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}

// MARK: - Reed–Solomon over GF(2^8) (§7.5.2, Annex A)

/// Arithmetic in GF(256) with the field's prime polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D, §7.5.2), and the
/// error correction codewords as the remainder of the data polynomial times x^n divided by the generator
/// polynomial g(x) = (x − α⁰)(x − α¹)…(x − α^(n−1)) with α = 2 (Annex A).
enum ReedSolomon {
    /// α^i for i in 0..<255, and log_α of 1…255 (index 0 unused).
    static let exp: [UInt8] = {
        var exp = [UInt8](repeating: 0, count: 255)
        var x = 1
        for i in 0..<255 {
            exp[i] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        return exp
    }()
    static let log: [Int] = {
        var log = [Int](repeating: 0, count: 256)
        for (i, x) in exp.enumerated() { log[Int(x)] = i }
        return log
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0 || b == 0 ? 0 : exp[(log[Int(a)] + log[Int(b)]) % 255]
    }

    /// Coefficients of g(x), highest degree first, the leading 1 left out (`degree` of them).
    static func generator(degree: Int) -> [UInt8] {
        var g: [UInt8] = [1]  // highest degree first, leading coefficient included
        for i in 0..<degree {
            var next = [UInt8](repeating: 0, count: g.count + 1)
            for (j, c) in g.enumerated() {
                next[j] ^= c  // c · x
                next[j + 1] ^= multiply(c, exp[i])  // c · α^i (minus is plus in GF(2^8))
            }
            g = next
        }
        return Array(g.dropFirst())
    }

    /// The remainder of data(x) · x^n divided by g(x): the block's error correction codewords.
    static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ r[0]
            r.removeFirst()
            r.append(0)
            for (i, g) in generator.enumerated() { r[i] ^= multiply(g, factor) }
        }
        return r
    }
}

// MARK: - The module matrix (§6.3, §7.7–§7.10)

private struct Matrix {
    let version: Int
    let size: Int
    var dark: [[Bool]]
    /// Function patterns and the reserved format and version areas: never data, never masked (§7.7.1, §7.8.1).
    var isFunction: [[Bool]]

    /// A symbol with its function patterns drawn and the format and version areas reserved, light.
    init(version: Int) {
        self.version = version
        size = 17 + 4 * version
        dark = Array(repeating: Array(repeating: false, count: size), count: size)
        isFunction = dark
        // Timing patterns (§6.3.5): row 6 and column 6, dark on even positions.
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        // Finder patterns with their separators (§6.3.3, §6.3.4), three corners.
        for (row, column) in [(3, 3), (3, size - 4), (size - 4, 3)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let r = row + dy
                    let c = column + dx
                    guard (0..<size).contains(r), (0..<size).contains(c) else { continue }
                    let ring = max(abs(dx), abs(dy))
                    set(r, c, ring != 2 && ring != 4)
                }
            }
        }
        // Alignment patterns (§6.3.6, Annex E Table E.1) at every pair of centres except over the finders.
        let centres = Tables.alignment[version - 1]
        for r in centres {
            for c in centres {
                let first = centres.first
                let last = centres.last
                if (r == first && c == first) || (r == first && c == last) || (r == last && c == first) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { set(r + dy, c + dx, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Format information areas (§7.9.1, Figure 25), the dark module included: reserved, light until written.
        for i in 0...8 where i != 6 {
            set(8, i, false)
            set(i, 8, false)
        }
        for i in 0..<8 {
            set(8, size - 1 - i, false)
            set(size - 1 - i, 8, false)
        }
        // Version information areas (§7.10, Figure 27), versions 7 and above: 6 × 3 blocks by two finders.
        if version >= 7 {
            for i in 0..<18 {
                set(i / 3, size - 11 + i % 3, false)
                set(size - 11 + i % 3, i / 3, false)
            }
        }
    }

    private mutating func set(_ row: Int, _ column: Int, _ value: Bool) {
        dark[row][column] = value
        isFunction[row][column] = true
    }

    var freeModules: Int { isFunction.reduce(0) { $0 + $1.lazy.filter { !$0 }.count } }

    /// Places the codeword sequence (§7.7.3, Figure 21): most significant bit first, in two-module columns from the
    /// right, upwards and downwards in turn, skipping function patterns and the vertical timing pattern's column;
    /// the remainder bits (§7.6) stay light.
    mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var index = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let row = upward ? size - 1 - step : step
                for column in [right, right - 1] where !isFunction[row][column] && index < bitCount {
                    dark[row][column] = (codewords[index / 8] >> (7 - UInt8(index % 8))) & 1 == 1
                    index += 1
                }
            }
            right -= 2
        }
    }

    /// The data mask condition of pattern `mask` at (row i, column j) (§7.8.2, Table 10).
    static func inverts(_ mask: Int, _ i: Int, _ j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }

    /// A copy with mask pattern `mask` applied to the encoding region (§7.8.1).
    func masked(_ mask: Int) -> Matrix {
        var copy = self
        for i in 0..<size {
            for j in 0..<size where !isFunction[i][j] && Self.inverts(mask, i, j) { copy.dark[i][j].toggle() }
        }
        return copy
    }

    /// Format information (§7.9): the level's two bits and the mask's three, a BCH(15,5) code with generator
    /// x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1 (0x537, Annex C.2), XORed with 101010000010010 (0x5412); written twice, and the
    /// dark module at (4V + 9, 8) (§7.9.1, Figure 25).
    mutating func drawFormat(_ level: QRCode.ErrorCorrection, mask: Int) {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // Around the upper left finder: bits 0–7 down column 8 (skipping the timing row), 8–14 leftwards along row 8.
        for i in 0...5 { dark[i][8] = bit(i) }
        dark[7][8] = bit(6)
        dark[8][8] = bit(7)
        dark[8][7] = bit(8)
        for i in 9..<15 { dark[8][14 - i] = bit(i) }
        // The second copy: bits 0–7 leftwards along row 8 by the upper right finder, 8–14 down column 8 by the lower
        // left one.
        for i in 0..<8 { dark[8][size - 1 - i] = bit(i) }
        for i in 8..<15 { dark[size - 15 + i][8] = bit(i) }
        dark[size - 8][8] = true
    }

    /// Version information (§7.10): six bits of the version and a BCH(18,6) code with generator
    /// x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1 (0x1F25, Annex D), in two 6 × 3 blocks (Figure 27), versions 7 and above.
    mutating func drawVersion() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for i in 0..<18 {
            let isDark = (bits >> i) & 1 == 1
            dark[i / 3][size - 11 + i % 3] = isDark
            dark[size - 11 + i % 3][i / 3] = isDark
        }
    }

    /// The penalty score of §7.8.3.1, Table 11 (N1 = 3, N2 = 3, N3 = 40, N4 = 10), over the whole symbol:
    /// - N1: each run of five or more same-coloured modules in a row or column scores 3 + (length − 5);
    /// - N2: each 2 × 2 block of one colour scores 3 (a block of m × n thus scores 3 (m − 1)(n − 1));
    /// - N3: each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) run in a row or column with four light modules
    ///   before or after it scores 40, once; the quiet zone beyond the edge counts as light;
    /// - N4: 10 for each full 5 % the share of dark modules departs from 50 %.
    func penalty() -> Int {
        var score = 0
        var darkCount = 0
        for i in 0..<size {
            let row = dark[i]
            let column = (0..<size).map { dark[$0][i] }
            score += Self.runPenalty(row) + Self.runPenalty(column)
            score += Self.finderPenalty(row) + Self.finderPenalty(column)
            darkCount += row.lazy.filter { $0 }.count
            if i + 1 < size {
                let below = dark[i + 1]
                for j in 0..<(size - 1) where row[j] == row[j + 1] && row[j] == below[j] && row[j] == below[j + 1] { score += 3 }
            }
        }
        let total = size * size
        score += 10 * (abs(20 * darkCount - 10 * total) / total)
        return score
    }

    static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var run = 1
        for k in 1...line.count {
            if k < line.count && line[k] == line[k - 1] {
                run += 1
            } else {
                if run >= 5 { score += 3 + run - 5 }
                run = 1
            }
        }
        return score
    }

    static let finderLike: [Bool] = [true, false, true, true, true, false, true]

    static func finderPenalty(_ line: [Bool]) -> Int {
        let n = line.count
        func light(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < 0 || $0 >= n || !line[$0] } }
        var score = 0
        for start in 0...(n - 7) where (0..<7).allSatisfy({ line[start + $0] == finderLike[$0] }) {
            if light((start - 4)..<start) || light((start + 7)..<(start + 11)) { score += 40 }
        }
        return score
    }
}

// MARK: - Tables

private enum Tables {
    /// Error correction codewords per block, rows L, M, Q, H, versions 1…40 (§7.5.1, Table 9).
    static let ecPerBlock: [[Int]] = [
        [
            7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    /// Error correction blocks, rows L, M, Q, H, versions 1…40 (§7.5.1, Table 9).
    static let blocks: [[Int]] = [
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [
            1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45,
            47, 49,
        ],
        [
            1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59,
            62, 65, 68,
        ],
        [
            1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70,
            74, 77, 81,
        ],
    ]

    /// Row and column coordinates of the alignment patterns' centres, versions 1…40 (Annex E, Table E.1).
    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
        [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134],
        [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]
}
