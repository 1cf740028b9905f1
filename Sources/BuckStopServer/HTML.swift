/// Server-rendered HTML without a template engine: text is escaped by construction (`HTML.text`), markup is built
/// by small functions, so no user value reaches the page unescaped. The markup is kept as UTF-8 bytes: a page is
/// hundreds of small appends, which on `[UInt8]` are plain copies.
public struct HTML: Sendable, CustomStringConvertible {
    public private(set) var bytes: [UInt8]

    public init(raw: String = "") { bytes = Array(raw.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The markup as a string (tests, and the few places that post-process markup).
    public var raw: String { String(decoding: bytes, as: UTF8.self) }

    /// Escaped text.
    public static func text(_ s: String) -> HTML {
        var out: [UInt8] = []
        appendEscaped(s, to: &out)
        return HTML(bytes: out)
    }

    public static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` with `& < > " '` replaced by entities; most text has none and is copied as is.
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        var needs = false
        for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
            needs = true
            break
        }
        guard needs else {
            var s = s
            s.withUTF8 { out.append(contentsOf: $0) }
            return
        }
        out.reserveCapacity(out.count + s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(b)
            }
        }
    }

    public var description: String { raw }

    public mutating func append(_ other: HTML) { bytes.append(contentsOf: other.bytes) }
    public static func + (a: HTML, b: HTML) -> HTML {
        var out = a.bytes
        out.append(contentsOf: b.bytes)
        return HTML(bytes: out)
    }
    public static func += (a: inout HTML, b: HTML) { a.bytes.append(contentsOf: b.bytes) }

    /// An element with escaped attribute values and already-built children.
    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], _ children: HTML...) -> HTML {
        el(tag, attributes, children: children)
    }

    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], children: [HTML]) -> HTML {
        var size = tag.utf8.count * 2 + 5 + attributes.count * 24
        for c in children { size += c.bytes.count }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(0x3C)  // <
        out.append(contentsOf: tag.utf8)
        for (name, value) in attributes {
            guard let value else { continue }
            out.append(0x20)
            out.append(contentsOf: name.utf8)
            out.append(0x3D)  // =
            out.append(0x22)  // "
            appendEscaped(value, to: &out)
            out.append(0x22)
        }
        out.append(0x3E)  // >
        for c in children { out.append(contentsOf: c.bytes) }
        if !isVoid(tag) {
            out.append(0x3C)
            out.append(0x2F)  // /
            out.append(contentsOf: tag.utf8)
            out.append(0x3E)
        }
        return HTML(bytes: out)
    }

    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], text: String) -> HTML {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendEscaped(text, to: &out)
        return el(tag, attributes, children: [HTML(bytes: out)])
    }

    /// Elements without a closing tag.
    static func isVoid(_ tag: String) -> Bool {
        switch tag {
        case "input", "br", "meta", "link", "img", "hr": true
        default: false
        }
    }

    public static func join(_ parts: [HTML]) -> HTML {
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.bytes.count })
        for p in parts { out.append(contentsOf: p.bytes) }
        return HTML(bytes: out)
    }
}

extension HTML: ExpressibleByStringLiteral {
    /// A literal is trusted markup written in the source.
    public init(stringLiteral value: String) { bytes = Array(value.utf8) }
}
