/// The commune's broadcast rules: time zone, slots, quiet hours, volume, holidays.
public struct SiteSettings: Sendable, Equatable, Codable {
    /// Topic-safe id, e.g. `xa-tan-hoa`.
    public var id: String
    /// The commune's name, e.g. "Xã Tân Hòa".
    public var name: String
    /// IANA time zone of the calendar; `Asia/Ho_Chi_Minh` unless the file says otherwise.
    public var timeZone: String
    /// When normal and priority programmes may air.
    public var slots: [BroadcastSlot]
    /// When nothing but an emergency may sound (e.g. 21:30–05:00). May wrap past midnight.
    public var quietHours: [QuietHours]
    /// Speaker volume 1–10 unless a programme says otherwise.
    public var defaultVolume: Int
    /// Days that are not working days although Monday–Friday (Tết, national holidays):
    /// they count for the "5 working days" rule.
    public var holidays: [LocalDate]
    /// Seconds of pause between two items in a slot.
    public var gapSeconds: Int
    /// How far a receiver's clock may be from the controller's, in milliseconds, before the
    /// console shows it out of step (nil: ``defaultClockToleranceMs``). Speakers heard
    /// together echo beyond about 50 ms.
    public var clockToleranceMs: Int?

    /// The clock tolerance when the file gives none: 50 ms, where an echo starts to hurt.
    public static let defaultClockToleranceMs = 50

    /// ``clockToleranceMs`` or its default.
    public var clockTolerance: Int { clockToleranceMs ?? Self.defaultClockToleranceMs }

    public init(
        id: String, name: String, timeZone: String = "Asia/Ho_Chi_Minh", slots: [BroadcastSlot],
        quietHours: [QuietHours] = [], defaultVolume: Int = 7, holidays: [LocalDate] = [], gapSeconds: Int = 5,
        clockToleranceMs: Int? = nil
    ) {
        self.clockToleranceMs = clockToleranceMs
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.slots = slots
        self.quietHours = quietHours
        self.defaultVolume = defaultVolume
        self.holidays = holidays
        self.gapSeconds = gapSeconds
    }
}

/// A broadcast session (buổi phát thanh), e.g. 05:00–05:30 Monday–Saturday, at most 15 minutes of content.
public struct BroadcastSlot: Sendable, Equatable, Codable {
    /// Short id used by programmes' `slots:` lists, e.g. `sang`, `chieu`.
    public var id: String
    /// Its name, e.g. "Buổi sáng".
    public var name: String
    public var start: LocalTime
    /// End of the session; after `start` (a slot does not cross midnight).
    public var end: LocalTime
    /// Days the session runs.
    public var weekdays: Set<Weekday>
    /// At most this many minutes of content a session (local rule, e.g. 15 or 45); the
    /// whole session when nil.
    public var maxMinutes: Int?

    public init(id: String, name: String, start: LocalTime, end: LocalTime, weekdays: Set<Weekday>, maxMinutes: Int? = nil) {
        self.id = id
        self.name = name
        self.start = start
        self.end = end
        self.weekdays = weekdays
        self.maxMinutes = maxMinutes
    }

    /// Seconds of content the session holds: the shorter of its length and `maxMinutes`.
    public var capacitySeconds: Int {
        let length = end.secondsSinceMidnight - start.secondsSinceMidnight
        return maxMinutes.map { min(length, $0 * 60) } ?? length
    }
}

/// A span of the day when only emergencies may sound; `end` before `start` wraps past midnight.
public struct QuietHours: Sendable, Equatable, Codable {
    public var start: LocalTime
    public var end: LocalTime

    public init(start: LocalTime, end: LocalTime) {
        self.start = start
        self.end = end
    }

    /// True when `time` falls inside (start inclusive, end exclusive).
    public func contains(_ time: LocalTime) -> Bool {
        start <= end ? (start <= time && time < end) : (time >= start || time < end)
    }
}
