/// Parsing of ISO 8601 / RFC 3339 timestamps straight from input bytes, without Foundation formatters
/// (which cost microseconds per call — too slow for logs of 10^8 events).
public enum Timestamp {
    public struct Parsed: Equatable, Sendable {
        /// Milliseconds since 1970-01-01T00:00:00Z.
        public var millis: Int64
        /// The offset written in the text, nil when it had none (the default offset was applied).
        public var offsetSeconds: Int32?
    }

    /// Accepts `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM`, `:SS`, a fraction of any length
    /// (`.` or `,`), and a zone: `Z`, `±HH:MM`, `±HHMM` or `±HH`. Returns nil for anything else,
    /// including out-of-range fields (month 13, 25 o'clock, 31 April).
    public static func parseISO8601(_ p: UnsafeRawBufferPointer, defaultOffsetSeconds: Int32) -> Parsed? {
        let n = p.count
        @inline(__always) func digit(_ i: Int) -> Int? {
            guard i < n else { return nil }
            let c = p[i]
            return c >= 48 && c <= 57 ? Int(c - 48) : nil
        }
        @inline(__always) func number(_ i: Int, _ len: Int) -> Int? {
            var v = 0
            for k in 0..<len {
                guard let d = digit(i + k) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard n >= 10, let year = number(0, 4), p[4] == 45, let month = number(5, 2), p[7] == 45, let day = number(8, 2)
        else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month, year) else { return nil }
        var i = 10
        var hour = 0
        var minute = 0
        var second = 0
        var millis = 0
        if i < n, p[i] == 84 || p[i] == 116 || p[i] == 32 {  // T, t, space
            guard let h = number(i + 1, 2), i + 3 < n, p[i + 3] == 58, let m = number(i + 4, 2) else { return nil }
            hour = h
            minute = m
            i += 6
            if i < n, p[i] == 58 {
                guard let s = number(i + 1, 2) else { return nil }
                second = s
                i += 3
                if i < n, p[i] == 46 || p[i] == 44 {
                    i += 1
                    var scale = 100
                    var any = false
                    while let d = digit(i) {
                        millis += d * scale
                        scale /= 10
                        any = true
                        i += 1
                    }
                    guard any else { return nil }
                }
            }
            guard hour < 24 || (hour == 24 && minute == 0 && second == 0 && millis == 0), minute < 60, second < 61 else { return nil }
        }
        var offset: Int32? = nil
        if i < n {
            let c = p[i]
            if c == 90 || c == 122 {  // Z
                offset = 0
                i += 1
            } else if c == 43 || c == 45 {  // + -
                guard let oh = number(i + 1, 2) else { return nil }
                var om = 0
                i += 3
                if i < n, p[i] == 58 {
                    guard let m = number(i + 1, 2) else { return nil }
                    om = m
                    i += 3
                } else if let m = number(i, 2) {
                    om = m
                    i += 2
                }
                guard oh <= 18, om < 60 else { return nil }
                let seconds = Int32(oh * 3600 + om * 60)
                offset = c == 45 ? -seconds : seconds
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year, month, day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let utc = local - Int64(offset ?? defaultOffsetSeconds)
        return Parsed(millis: utc * 1000 + Int64(millis), offsetSeconds: offset)
    }

    public static func parseISO8601(_ text: String, defaultOffsetSeconds: Int32 = 0) -> Parsed? {
        var s = text
        return s.withUTF8 { parseISO8601(UnsafeRawBufferPointer($0), defaultOffsetSeconds: defaultOffsetSeconds) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
