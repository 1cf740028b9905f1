/// Server-rendered HTML without a template engine: text is escaped by construction (`HTML.text`), markup is built
/// by small functions, so no user value reaches the page unescaped.
public struct HTML: Sendable, CustomStringConvertible {
    public private(set) var raw: String

    public init(raw: String = "") { self.raw = raw }

    /// Escaped text.
    public static func text(_ s: String) -> HTML { HTML(raw: escape(s)) }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
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

    public var description: String { raw }

    public mutating func append(_ other: HTML) { raw += other.raw }
    public static func + (a: HTML, b: HTML) -> HTML { HTML(raw: a.raw + b.raw) }
    public static func += (a: inout HTML, b: HTML) { a.raw += b.raw }

    /// An element with escaped attribute values and already-built children.
    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], _ children: HTML...) -> HTML {
        el(tag, attributes, children: children)
    }

    public static func el(_ tag: String, _ attributes: [(String, String?)] = [], children: [HTML]) -> HTML {
        var s = "<" + tag
        for (name, value) in attributes {
            guard let value else { continue }
            s += " " + name + "=\"" + escape(value) + "\""
        }
        s += ">"
        for c in children { s += c.raw }
        if !voidTags.contains(tag) { s += "</" + tag + ">" }
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
