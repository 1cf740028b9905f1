import Foundation

/// The JSON document: top-level `log`, `detectors`, `findings` (and the aggregates the other formats show:
/// `topOwners`, `examples`, `handlingTime`, `handovers`). Written by hand into one byte buffer: a national log
/// has millions of findings and `JSONEncoder` spends most of its time in dynamic casts.
public enum JSONReport {
    public static func render(_ r: AnalysisReport) -> String {
        var out: [UInt8] = []
        write(r) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Streams the document through `emit` in pieces: findings are formatted 4,096 at a time, a few pieces on
    /// both cores, and handed on, so memory stays flat however many there are.
    public static func write(_ r: AnalysisReport, emit: ([UInt8]) throws -> Void) rethrows {
        var w = JSONBytes()
        w.raw("{\"log\":{")
        w.key("source")
        w.string(r.log.source)
        w.comma()
        w.key("cases")
        w.int(r.log.cases)
        w.comma()
        w.key("events")
        w.int(r.log.events)
        w.comma()
        w.key("ownerAttribute")
        w.string(r.log.ownerAttribute)
        w.comma()
        w.key("caseTypeAttribute")
        w.optional(r.log.caseTypeAttribute)
        w.comma()
        w.key("start")
        w.optional(r.log.start)
        w.comma()
        w.key("end")
        w.optional(r.log.end)
        w.comma()
        w.key("asOf")
        w.optional(r.log.asOf)
        w.comma()
        w.key("bytes")
        w.int(Int(r.log.bytes))
        w.raw("},\"detectors\":[")
        for (i, d) in r.detectors.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{")
            w.key("id")
            w.string(d.id)
            w.comma()
            w.key("name")
            w.string(d.name)
            w.comma()
            w.key("nameEn")
            w.string(d.nameEn)
            w.comma()
            w.key("cases")
            w.int(d.cases)
            w.comma()
            w.key("findings")
            w.int(d.findings)
            w.comma()
            w.key("share")
            w.double(d.share)
            if let s = d.skipped {
                w.comma()
                w.key("skipped")
                w.string(s)
            }
            if let s = d.withheld {
                w.comma()
                w.key("withheld")
                w.string(s)
            }
            w.raw("}")
        }
        w.raw("],\"findings\":[")
        try emit(w.bytes)
        w.bytes.removeAll(keepingCapacity: true)
        let total = r.findingCount
        let piece = 4096
        var start = 0
        while start < total {
            let group = min(8, (total - start + piece - 1) / piece)
            let lo = start
            let pieces = ParallelMap.map(group, chunks: min(group, ProcessInfo.processInfo.activeProcessorCount), minimumPerChunk: 1) {
                g -> [UInt8] in
                var w = JSONBytes(capacity: 1 << 20)
                for i in (lo + g * piece)..<min(total, lo + (g + 1) * piece) {
                    if i > 0 { w.comma() }
                    finding(r.finding(i), &w)
                }
                return w.bytes
            }
            for p in pieces { try emit(p) }
            start += group * piece
        }
        w.raw("],\"topOwners\":[")

        for (i, o) in r.topOwners.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{")
            w.key("owner")
            w.string(o.owner)
            w.comma()
            w.key("findings")
            w.int(o.findings)
            w.comma()
            w.key("events")
            w.int(o.events)
            w.raw("}")
        }
        w.raw("],\"examples\":[")
        for (i, e) in r.examples.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{")
            w.key("detector")
            w.string(e.detector)
            w.comma()
            w.key("case")
            w.string(e.case)
            w.comma()
            w.key("owners")
            w.raw("[")
            for (k, o) in e.owners.enumerated() {
                if k > 0 { w.comma() }
                w.string(o)
            }
            w.raw("],")
            w.key("events")
            w.int(e.events)
            w.comma()
            w.key("explanation")
            w.string(e.explanation)
            w.raw("}")
        }
        w.raw("],\"handlingTime\":{")
        w.key("medianHours")
        w.double(r.handlingTime.medianHours)
        w.comma()
        w.key("p90Hours")
        w.double(r.handlingTime.p90Hours)
        w.comma()
        w.key("buckets")
        w.raw("[")
        for (i, b) in r.handlingTime.buckets.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{")
            w.key("label")
            w.string(b.label)
            w.comma()
            w.key("cases")
            w.int(b.cases)
            w.raw("}")
        }
        w.raw("]},\"handovers\":{")
        w.key("owners")
        w.raw("[")
        for (i, o) in r.handovers.owners.enumerated() {
            if i > 0 { w.comma() }
            w.string(o)
        }
        w.raw("],")
        w.key("matrix")
        w.raw("[")
        for (i, row) in r.handovers.matrix.enumerated() {
            if i > 0 { w.comma() }
            w.raw("[")
            for (k, v) in row.enumerated() {
                if k > 0 { w.comma() }
                w.int(v)
            }
            w.raw("]")
        }
        w.raw("]}}\n")
        try emit(w.bytes)
    }
}

extension JSONReport {
    static func finding(_ f: AnalysisReport.Finding, _ w: inout JSONBytes) {
        w.raw("{")
        w.key("detector")
        w.string(f.detector)
        w.comma()
        w.key("case")
        w.string(f.case)
        w.comma()
        w.key("owner")
        w.string(f.owner)
        w.comma()
        w.key("severity")
        w.string(f.severity)
        w.comma()
        w.key("evidence")
        w.raw("[")
        for (k, e) in f.evidence.enumerated() {
            if k > 0 { w.comma() }
            w.int(Int(e))
        }
        w.raw("],")
        w.key("value")
        w.double(f.value)
        w.comma()
        w.key("limit")
        w.double(f.limit)
        w.comma()
        w.key("explanation")
        w.string(f.explanation)
        w.comma()
        w.key("explanationEn")
        w.string(f.explanationEn)
        w.raw("}")
    }
}

/// Appends JSON tokens as UTF-8 bytes.
struct JSONBytes {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 20) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    mutating func key(_ s: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(s)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func int(_ v: Int) {
        if v < 0 {
            bytes.append(UInt8(ascii: "-"))
            if v == Int.min {
                bytes.append(contentsOf: "9223372036854775808".utf8)
                return
            }
            int(-v)
            return
        }
        if v < 10 {
            bytes.append(UInt8(truncatingIfNeeded: 48 + v))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 digits, no allocation
        var n = v
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[23 - count] = UInt8(truncatingIfNeeded: 48 + n % 10)
                n /= 10
                count += 1
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)...]))
        }
    }

    mutating func double(_ v: Double) {
        if v.isNaN || v.isInfinite {
            raw("null")
        } else if v == v.rounded() && abs(v) < 1e15 {
            int(Int(v))
        } else {
            bytes.append(contentsOf: "\(v)".utf8)
        }
    }

    mutating func optional(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = s
        let plain = text.withUTF8 { buffer -> Bool in
            // Most strings need no escaping: append them in one copy.
            for b in buffer where b < 0x20 || b == UInt8(ascii: "\"") || b == 92 { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case 92: bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
