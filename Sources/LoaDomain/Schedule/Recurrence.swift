/// When a programme airs: on which days, and at what times of those days.
public struct Recurrence: Sendable, Equatable, Codable {
    public var days: DayPattern
    /// First day it may air (inclusive); from the start of the plan when nil.
    public var from: LocalDate?
    /// Last day it may air (inclusive); no end when nil.
    public var until: LocalDate?
    public var times: AiringTimes

    public init(days: DayPattern, from: LocalDate? = nil, until: LocalDate? = nil, times: AiringTimes) {
        self.days = days
        self.from = from
        self.until = until
        self.times = times
    }

    /// True when the programme airs on `date`.
    public func includes(_ date: LocalDate) -> Bool {
        if let from, date < from { return false }
        if let until, date > until { return false }
        switch days {
        case .once(let day): return date == day
        case .daily: return true
        case .weekly(let weekdays): return weekdays.contains(date.weekday)
        case .monthly(let day): return date.day == day
        }
    }
}

/// The days of a recurrence.
public enum DayPattern: Sendable, Equatable, Codable {
    /// One day only.
    case once(LocalDate)
    /// Every day (within `from`–`until`).
    case daily
    /// These days of each week.
    case weekly(Set<Weekday>)
    /// This day of each month (1–31); months without it are skipped.
    case monthly(day: Int)
}

/// The times of day a programme airs.
public enum AiringTimes: Sendable, Equatable, Codable {
    /// Exactly at these times (emergencies, or a fixed relay).
    case at([LocalTime])
    /// In broadcast slots, placed by the planner: these slot ids (every slot of the
    /// day when empty), at most `timesPerDay` slots a day (every listed slot when nil).
    case inSlots([String], timesPerDay: Int?)
}
