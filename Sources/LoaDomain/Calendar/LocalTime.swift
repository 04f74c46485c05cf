/// A time of day on the site's wall clock, to the second (e.g. 17:30).
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since midnight, 0 ..< 86 400.
    public let secondsSinceMidnight: Int

    /// The time, or nil outside 00:00:00 ... 23:59:59.
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        secondsSinceMidnight = hour * 3600 + minute * 60 + second
    }

    /// The time `seconds` after midnight (0 ..< 86 400).
    public init?(secondsSinceMidnight seconds: Int) {
        guard (0..<86_400).contains(seconds) else { return nil }
        secondsSinceMidnight = seconds
    }

    /// Reads `HH:MM` or `HH:MM:SS` (24-hour; `5:00` is accepted for 05:00); nil otherwise.
    public init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ (1...2).contains($0.count) }),
            parts.dropFirst().allSatisfy({ $0.count == 2 }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        let second = parts.count == 3 ? Int(parts[2]) : 0
        guard let second else { return nil }
        self.init(hour: hour, minute: minute, second: second)
    }

    public var hour: Int { secondsSinceMidnight / 3600 }
    public var minute: Int { secondsSinceMidnight / 60 % 60 }
    public var second: Int { secondsSinceMidnight % 60 }

    /// `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
    public var description: String {
        let base = "\(LocalDate.twoDigits(hour)):\(LocalDate.twoDigits(minute))"
        return second == 0 ? base : base + ":\(LocalDate.twoDigits(second))"
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.secondsSinceMidnight < rhs.secondsSinceMidnight }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = LocalTime(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time HH:MM")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
