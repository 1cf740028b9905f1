/// Server-rendered HTML without a template engine: text is escaped by construction (`HTML.text`), markup is built
/// by small functions, so no user value reaches the page unescaped.
public struct HTML: Sendable, CustomStringConvertible {
    public private(set) var raw: String

    public init(raw: String = "") { self.raw = raw }

    /// Escaped text.
    public static func text(_ s: String) -> HTML { HTML(raw: escape(s)) }

    public static func escape(_ s: String) -> String {
        // Most text has nothing to escape: return it as is, without building a new string.
        var needs = false
        for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
            needs = true
            break
        }
        guard needs else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
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
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { raw }

    public mutating func append(_ other: HTML) { raw += other.raw }
    public static func + (a: HTML, b: HTML) -> HTML { HTML(raw: a.raw + b.raw) }
    public static func += (a: inout HTML, b: HTML) { a.raw += b.raw }

    /// An element with escaped attribute values and already-built children.
    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], _ children: HTML...) -> HTML {
        el(tag, attributes, children: children)
    }

    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], children: [HTML]) -> HTML {
        var s = "<"
        s.reserveCapacity(tag.utf8.count * 2 + 5 + children.reduce(0) { $0 + $1.raw.utf8.count } + attributes.count * 24)
        s += tag
        for (name, value) in attributes {
            guard let value else { continue }
            s += " "
            s += name
            s += "=\""
            s += escape(value)
            s += "\""
        }
        s += ">"
        for c in children { s += c.raw }
        if !voidTags.contains(tag) {
            s += "</"
            s += tag
            s += ">"
        }
        return HTML(raw: s)
    }

    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], text: String) -> HTML {
        el(tag, attributes, children: [.text(text)])
    }

    static let voidTags: Set<String> = ["input", "br", "meta", "link", "img", "hr"]

    public static func join(_ parts: [HTML]) -> HTML { HTML(raw: parts.map(\.raw).joined()) }
}

extension HTML: ExpressibleByStringLiteral {
    /// A literal is trusted markup written in the source.
    public init(stringLiteral value: String) { raw = value }
}
