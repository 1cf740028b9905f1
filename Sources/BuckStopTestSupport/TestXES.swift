import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The tests' one XES reader, built on Foundation's XMLParser so that it stays independent of BuckStop's own
/// (`BuckStopEventLog.XESReader`): the log's, each trace's and each event's attributes (key → value). Attributes under
/// `<global>` are not an event's or a trace's, but their keys are in `keys` with every other key seen.
public final class TestXES: NSObject, XMLParserDelegate {
    public struct Trace: Sendable {
        public var attributes: [String: String] = [:]
        public var events: [[String: String]] = []
    }

    public private(set) var logAttributes: [String: String] = [:]
    public private(set) var traces: [Trace] = []
    /// Every attribute key anywhere in the document.
    public private(set) var keys: Set<String> = []
    private var depth: [String] = []

    public var eventCount: Int { traces.reduce(0) { $0 + $1.events.count } }

    public func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        defer { depth.append(element) }
        switch element {
        case "trace": traces.append(Trace())
        case "event": traces[traces.count - 1].events.append([:])
        default:
            guard let key = attributes["key"] else { return }
            keys.insert(key)
            guard let value = attributes["value"], !depth.contains("global") else { return }
            switch depth.last {
            case "event": traces[traces.count - 1].events[traces[traces.count - 1].events.count - 1][key] = value
            case "trace": traces[traces.count - 1].attributes[key] = value
            case "log": logAttributes[key] = value
            default: break
            }
        }
    }

    public func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        depth.removeLast()
    }

    /// Reads a document; nil (with the parser's error printed) when it is not well-formed XML.
    public static func read(_ data: Data) -> TestXES? {
        let reader = TestXES()
        // Streamed: libxml2's push parser refuses a single chunk over 10 MB ("huge input lookup").
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = reader
        guard parser.parse() else {
            print("XML parse failed: \(String(describing: parser.parserError))")
            return nil
        }
        return reader
    }

    public static func read(path: String) throws -> TestXES? { read(try Data(contentsOf: URL(fileURLWithPath: path))) }
}
