/// A time layout given as a strftime-like pattern (`--time-format`), parsed straight from input bytes.
///
/// Directives: `%Y` year (1–4 digits), `%y` two-digit year (20xx), `%m` month, `%d` day, `%H` hour (0–23),
/// `%I` hour (1–12, with `%p`), `%M` minute, `%S` second, `%f` fraction of a second (any number of digits,
/// kept to milliseconds), `%z` zone (`Z`, `+0700`, `+07:00`, `+07`), `%b` / `%B` English month name
/// (`Jan` or `January`, any case), `%p` AM/PM (also Vietnamese `SA`/`CH`; adjusts the hour), `%%` a percent sign.
/// Any other character must appear as written, except that a space matches one or more spaces.
/// Numeric fields are read greedily up to their width, so one digit is accepted when no digit follows
/// (`%d/%m/%Y %H:%M` reads `3/7/2025 9:05`).
///
/// The patterns `unix` (seconds since 1970, optionally with a fraction) and `unix_ms` (milliseconds) read epoch times.
/// Without `%z` the text is taken to be at the default offset (`LogReadOptions.defaultUTCOffsetSeconds`).
public struct TimeFormat: Sendable {
    enum Token: Sendable, Equatable {
        case year4, year2, month, monthName, day, hour24, hour12, minute, second, fraction, zone, ampm
        case space
        case literal(UInt8)
    }

    enum Kind: Sendable, Equatable {
        case pattern([Token])
        case unixSeconds
        case unixMillis
    }

    /// The pattern as given.
    public let pattern: String
    let kind: Kind

    public init(pattern: String) throws {
        self.pattern = pattern
        switch pattern {
        case "unix":
            kind = .unixSeconds
            return
        case "unix_ms":
            kind = .unixMillis
            return
        default: break
        }
        var tokens: [Token] = []
        var bytes = Array(pattern.utf8)[...]
        while let c = bytes.popFirst() {
            if c == 32 {
                if tokens.last != .space { tokens.append(.space) }
                continue
            }
            guard c == 37 else {  // %
                tokens.append(.literal(c))
                continue
            }
            guard let d = bytes.popFirst() else {
                throw TimeFormatError(message: "time format '\(pattern)' ends with a lone '%' (write %% for a percent sign)")
            }
            switch d {
            case UInt8(ascii: "Y"): tokens.append(.year4)
            case UInt8(ascii: "y"): tokens.append(.year2)
            case UInt8(ascii: "m"): tokens.append(.month)
            case UInt8(ascii: "d"): tokens.append(.day)
            case UInt8(ascii: "H"): tokens.append(.hour24)
            case UInt8(ascii: "I"): tokens.append(.hour12)
            case UInt8(ascii: "M"): tokens.append(.minute)
            case UInt8(ascii: "S"): tokens.append(.second)
            case UInt8(ascii: "f"): tokens.append(.fraction)
            case UInt8(ascii: "z"): tokens.append(.zone)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): tokens.append(.monthName)
            case UInt8(ascii: "p"): tokens.append(.ampm)
            case 37: tokens.append(.literal(37))
            default:
                var rest = [d]
                // Show a whole UTF-8 character after the % when it is not ASCII.
                while let next = bytes.first, next & 0xC0 == 0x80 {
                    rest.append(next)
                    bytes.removeFirst()
                }
                let shown = String(decoding: rest, as: UTF8.self)
                throw TimeFormatError(
                    message: "unknown directive '%\(shown)' in time format '\(pattern)'; "
                        + "supported: %Y %y %m %d %H %I %M %S %f %z %b %B %p %% (or the formats unix, unix_ms)")
            }
        }
        guard !tokens.isEmpty else { throw TimeFormatError(message: "empty time format") }
        kind = .pattern(tokens)
    }

    public func parse(_ text: String, defaultOffsetSeconds: Int32 = 0) -> Timestamp.Parsed? {
        var s = text
        return s.withUTF8 { parse(UnsafeRawBufferPointer($0), defaultOffsetSeconds: defaultOffsetSeconds) }
    }

    /// The time in `p`, or nil when it does not match the pattern (or names an impossible date, such as 31/02).
    public func parse(_ p: UnsafeRawBufferPointer, defaultOffsetSeconds: Int32) -> Timestamp.Parsed? {
        switch kind {
        case .unixSeconds: return Self.parseUnix(p, millis: false)
        case .unixMillis: return Self.parseUnix(p, millis: true)
        case .pattern(let tokens): return Self.parse(p, tokens, defaultOffsetSeconds)
        }
    }

    private static func parse(_ p: UnsafeRawBufferPointer, _ tokens: [Token], _ defaultOffset: Int32) -> Timestamp.Parsed? {
        let n = p.count
        var i = 0
        var year = 1970
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var millis = 0
        var pm: Bool? = nil
        var twelveHour = false
        var offset: Int32? = nil

        @inline(__always) func number(_ maxDigits: Int) -> Int? {
            var v = 0
            var k = 0
            while k < maxDigits, i < n {
                let c = p[i]
                guard c >= 48 && c <= 57 else { break }
                v = v * 10 + Int(c - 48)
                i += 1
                k += 1
            }
            return k == 0 ? nil : v
        }
        @inline(__always) func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

        for token in tokens {
            switch token {
            case .year4:
                guard let v = number(4) else { return nil }
                year = v
            case .year2:
                guard i + 2 <= n, let v = number(2) else { return nil }
                year = 2000 + v
            case .month:
                guard let v = number(2) else { return nil }
                month = v
            case .day:
                guard let v = number(2) else { return nil }
                day = v
            case .hour24:
                guard let v = number(2) else { return nil }
                hour = v
            case .hour12:
                guard let v = number(2), v >= 1, v <= 12 else { return nil }
                hour = v
                twelveHour = true
            case .minute:
                guard let v = number(2) else { return nil }
                minute = v
            case .second:
                guard let v = number(2) else { return nil }
                second = v
            case .fraction:
                var scale = 100
                var any = false
                while i < n, p[i] >= 48, p[i] <= 57 {
                    millis += Int(p[i] - 48) * scale
                    scale /= 10
                    any = true
                    i += 1
                }
                guard any else { return nil }
            case .zone:
                guard i < n else { return nil }
                let c = p[i]
                if c == 90 || c == 122 {  // Z
                    offset = 0
                    i += 1
                } else if c == 43 || c == 45 {  // + -
                    i += 1
                    let before = i
                    guard let oh = number(2), i - before == 2 else { return nil }
                    var om = 0
                    if i < n, p[i] == 58 {
                        i += 1
                        let b = i
                        guard let m = number(2), i - b == 2 else { return nil }
                        om = m
                    } else if i + 1 < n, p[i] >= 48, p[i] <= 57 {
                        let b = i
                        guard let m = number(2), i - b == 2 else { return nil }
                        om = m
                    }
                    guard oh <= 18, om < 60 else { return nil }
                    let seconds = Int32(oh * 3600 + om * 60)
                    offset = c == 45 ? -seconds : seconds
                } else {
                    return nil
                }
            case .monthName:
                guard i + 3 <= n else { return nil }
                let a = lower(p[i])
                let b = lower(p[i + 1])
                let c = lower(p[i + 2])
                guard let m = monthNames.firstIndex(where: { $0[0] == a && $0[1] == b && $0[2] == c }) else { return nil }
                month = m + 1
                i += 3
                // Optionally the rest of the full name ("January").
                let full = monthNames[m]
                var k = 3
                var j = i
                while k < full.count, j < n, lower(p[j]) == full[k] {
                    k += 1
                    j += 1
                }
                if k == full.count { i = j }
            case .ampm:
                guard i + 2 <= n else { return nil }
                let a = lower(p[i])
                let b = lower(p[i + 1])
                if (a == 97 || a == 112) && b == 109 {  // am pm
                    pm = a == 112
                    i += 2
                } else if a == 115 && b == 97 {  // SA (sáng)
                    pm = false
                    i += 2
                } else if a == 99 && b == 104 {  // CH (chiều)
                    pm = true
                    i += 2
                } else if (a == 97 || a == 112) && b == 46, i + 4 <= n, lower(p[i + 2]) == 109, p[i + 3] == 46 {  // a.m.
                    pm = a == 112
                    i += 4
                } else {
                    return nil
                }
            case .space:
                guard i < n, p[i] == 32 else { return nil }
                while i < n, p[i] == 32 { i += 1 }
            case .literal(let c):
                guard i < n, p[i] == c else { return nil }
                i += 1
            }
        }
        guard i == n else { return nil }
        if let pm {
            if twelveHour || hour <= 12 {
                if pm && hour < 12 { hour += 12 } else if !pm && hour == 12 { hour = 0 }
            }
        }
        guard month >= 1, month <= 12, day >= 1, day <= Timestamp.daysIn(month, year) else { return nil }
        guard hour < 24 || (hour == 24 && minute == 0 && second == 0 && millis == 0), minute < 60, second < 61 else { return nil }
        let days = Timestamp.daysFromCivil(year, month, day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let utc = local - Int64(offset ?? defaultOffset)
        return Timestamp.Parsed(millis: utc * 1000 + Int64(millis), offsetSeconds: offset)
    }

    /// `[-]digits[.fraction]`; at most 15 integer digits, so nothing overflows.
    private static func parseUnix(_ p: UnsafeRawBufferPointer, millis isMillis: Bool) -> Timestamp.Parsed? {
        let n = p.count
        var i = 0
        var negative = false
        if i < n, p[i] == 45 || p[i] == 43 {
            negative = p[i] == 45
            i += 1
        }
        var whole: Int64 = 0
        var digits = 0
        while i < n, p[i] >= 48, p[i] <= 57 {
            whole = whole * 10 + Int64(p[i] - 48)
            digits += 1
            i += 1
            if digits > 15 { return nil }
        }
        guard digits > 0 else { return nil }
        var fractionMillis: Int64 = 0
        if i < n, p[i] == 46 {
            i += 1
            var scale: Int64 = isMillis ? 0 : 100
            var any = false
            while i < n, p[i] >= 48, p[i] <= 57 {
                fractionMillis += Int64(p[i] - 48) * scale
                scale /= 10
                any = true
                i += 1
            }
            guard any else { return nil }
        }
        guard i == n else { return nil }
        var value = isMillis ? whole : whole * 1000 + fractionMillis
        if negative { value = -value }
        return Timestamp.Parsed(millis: value, offsetSeconds: nil)
    }

    private static let monthNames: [[UInt8]] = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ].map { Array($0.utf8) }
}

/// A `--time-format` pattern that cannot be used.
public struct TimeFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
