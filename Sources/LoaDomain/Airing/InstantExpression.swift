#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Reads the instants an officer types: `now`, `+90s`, `+10m`, `+2h`, a time of day
/// `17:30` (today in the site's time zone; it must not have passed), or a full
/// RFC 3339 instant `2026-11-24T17:30:00+07:00`.
public enum InstantExpression {
    /// Parses `text` relative to `now`.
    /// - Throws: `InstantExpressionError` saying what forms are accepted.
    public static func parse(_ text: String, now: Date, timeZone: TimeZone) throws -> Date {
        let value = text.withoutSurroundingWhitespace
        if value == "now" { return now }
        if value.hasPrefix("+"), let unit = value.last, let amount = Double(value.dropFirst().dropLast()), amount >= 0 {
            let multiplier: Double? = switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            default: nil
            }
            if let multiplier { return now.addingTimeInterval(amount * multiplier) }
        }
        let clock = value.split(separator: ":")
        if clock.count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour),
            (0..<60).contains(minute)
        {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            var parts = calendar.dateComponents([.year, .month, .day], from: now)
            parts.hour = hour
            parts.minute = minute
            guard let date = calendar.date(from: parts) else { throw InstantExpressionError(text: text) }
            guard date >= now else {
                throw InstantExpressionError(text: text, reason: "\(text) has already passed today")
            }
            return date
        }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(value) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(value) { return date }
        throw InstantExpressionError(text: text)
    }
}

/// An instant that could not be read.
public struct InstantExpressionError: Error, Equatable, CustomStringConvertible {
    public let text: String
    public var reason: String?

    public init(text: String, reason: String? = nil) {
        self.text = text
        self.reason = reason
    }

    public var description: String {
        (reason ?? "'\(text)' is not an instant")
            + "; write now, +30s, +10m, +2h, a time today like 17:30, or 2026-11-24T17:30:00+07:00"
    }
}
