import BuckStopCalendar
import BuckStopDomain
import Foundation

/// Writes an IEEE 1849-2016 XES log, one trace per case, streaming: the caller hands over one
/// case's events at a time and receives text chunks to write, so a national ledger never sits in memory.
///
/// Extensions declared: Concept, Time, Organizational, Lifecycle. `org:resource` is the official
/// who acted, `org:group` that official's unit; `buckstop:owner` is the accountable official after
/// the event — the dimension the avoidance detectors read — with `buckstop:status`, `buckstop:due` and
/// `buckstop:target` as in `LogEvent` (one vocabulary for exported and synthetic logs).
public struct XESWriter {
    public struct Event: Sendable {
        public var index: Int64
        public var activity: String
        public var resource: String
        public var group: String?
        public var timestampMillis: Int64
        public var owner: String?
        /// `CaseStatus` after the event, the date the action carries, and where it sends the case (see `LogEvent`).
        public var status: String?
        public var due: CivilDate?
        public var target: String?
        public init(
            index: Int64, activity: String, resource: String, group: String?, timestampMillis: Int64, owner: String?,
            status: String? = nil, due: CivilDate? = nil, target: String? = nil
        ) {
            self.index = index
            self.activity = activity
            self.resource = resource
            self.group = group
            self.timestampMillis = timestampMillis
            self.owner = owner
            self.status = status
            self.due = due
            self.target = target
        }
    }

    private let emit: (String) throws -> Void
    private var buffer = ""

    public init(emit: @escaping (String) throws -> Void) {
        self.emit = emit
        buffer.reserveCapacity(1 << 16)
    }

    public mutating func begin(logName: String) throws {
        // The same prologue as synthetic logs: one XES header for all of BuckStop's logs.
        let out = OutputBuffer(capacity: 2048)
        EventLogFormat.xes.appendPrologue(logName: logName, asOf: nil, to: out)
        buffer += String(decoding: out.bytes, as: UTF8.self)
        try flushIfLarge()
    }

    /// One trace: the case's attributes, then its events in ledger order.
    public mutating func trace(caseID: String, attributes: [(String, String)], events: [Event]) throws {
        buffer += "\t<trace>\n\t\t<string key=\"concept:name\" value=\"\(Self.escape(caseID))\"/>\n"
        for (key, value) in attributes {
            buffer += "\t\t<string key=\"\(Self.escape(key))\" value=\"\(Self.escape(value))\"/>\n"
        }
        for event in events {
            buffer += "\t\t<event>\n"
            buffer += "\t\t\t<string key=\"concept:name\" value=\"\(Self.escape(event.activity))\"/>\n"
            buffer += "\t\t\t<date key=\"time:timestamp\" value=\"\(Self.timestamp(event.timestampMillis))\"/>\n"
            buffer += "\t\t\t<string key=\"org:resource\" value=\"\(Self.escape(event.resource))\"/>\n"
            if let group = event.group { buffer += "\t\t\t<string key=\"org:group\" value=\"\(Self.escape(group))\"/>\n" }
            buffer += "\t\t\t<string key=\"lifecycle:transition\" value=\"complete\"/>\n"
            if let owner = event.owner { buffer += "\t\t\t<string key=\"buckstop:owner\" value=\"\(Self.escape(owner))\"/>\n" }
            if let status = event.status { buffer += "\t\t\t<string key=\"buckstop:status\" value=\"\(Self.escape(status))\"/>\n" }
            if let due = event.due { buffer += "\t\t\t<string key=\"buckstop:due\" value=\"\(due.description)\"/>\n" }
            if let target = event.target { buffer += "\t\t\t<string key=\"buckstop:target\" value=\"\(Self.escape(target))\"/>\n" }
            buffer += "\t\t\t<int key=\"buckstop:index\" value=\"\(event.index)\"/>\n"
            buffer += "\t\t</event>\n"
        }
        buffer += "\t</trace>\n"
        try flushIfLarge()
    }

    public mutating func end() throws {
        buffer += "</log>\n"
        try emit(buffer)
        buffer = ""
    }

    private mutating func flushIfLarge() throws {
        if buffer.utf8.count >= 1 << 16 {
            try emit(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// XML attribute escaping; control characters other than tab/newline are not allowed in XML 1.0 and are dropped.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 || $0 < 32 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 32 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// xs:dateTime in Vietnam time with milliseconds, e.g. 2025-11-23T08:15:00.000+07:00.
    public static func timestamp(_ millis: Int64) -> String {
        let local = millis + 7 * 3_600_000
        let days = Int(local.floorDiv(86_400_000))
        let msOfDay = Int(local - Int64(days) * 86_400_000)
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let h = msOfDay / 3_600_000
        let m = msOfDay / 60_000 % 60
        let s = msOfDay / 1000 % 60
        let ms = msOfDay % 1000
        func p(_ v: Int, _ w: Int) -> String {
            let d = String(v)
            return String(repeating: "0", count: max(0, w - d.count)) + d
        }
        return "\(p(year, 4))-\(p(month, 2))-\(p(day, 2))T\(p(h, 2)):\(p(m, 2)):\(p(s, 2)).\(p(ms, 3))+07:00"
    }
}

extension Int64 {
    fileprivate func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
