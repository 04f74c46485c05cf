public import Foundation
public import LoaDomain

/// Instants as commune staff read them: local date and time in the commune's
/// time zone, with its offset (`2026-11-24 09:00 +07:00`).
public struct ReportTimeFormat: Sendable {
    /// The commune's time zone.
    public var timeZone: TimeZone

    /// A format for `timeZone` (Asia/Ho_Chi_Minh by default).
    public init(timeZone: TimeZone = WallClock.vietnam) {
        self.timeZone = timeZone
    }

    /// `yyyy-MM-dd HH:mm:ss ±hh:mm`.
    public func dateTime(_ date: Date) -> String {
        format(date, "yyyy-MM-dd HH:mm:ss xxx")
    }

    /// `yyyy-MM-dd`.
    public func day(_ date: Date) -> String { format(date, "yyyy-MM-dd") }

    private func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// Parses a date (`2026-11-24`: the start of that day in the time zone, or of
    /// the next day when `endOfDay`) or an RFC 3339 instant.
    public func parse(_ text: String, endOfDay: Bool = false) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        if text.count == 10, let day = formatter.date(from: text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            return endOfDay ? calendar.date(byAdding: .day, value: 1, to: day) : day
        }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
