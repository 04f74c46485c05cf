#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One airing of a programme in one hamlet, placed by the `Planner`.
///
/// It names its programme, hamlet and slot by their index in the schedule, so
/// that a year of a thousand hamlets stays a compact array;
/// `BroadcastSchedule.occurrenceID(_:)` gives the id receivers and the log use.
public struct Occurrence: Sendable, Equatable {
    /// Index into `BroadcastSchedule.programmes`.
    public var programme: Int
    /// Index into `BroadcastSchedule.hamlets`.
    public var hamlet: Int
    /// The local day it airs.
    public var date: LocalDate
    /// Index into `SiteSettings.slots` when placed in a slot; nil for a fixed time.
    public var slot: Int?
    /// Local wall-clock start.
    public var start: LocalTime
    /// The instant its first frame airs.
    public var startAt: Date
    public var durationSeconds: Int
    public var priority: PriorityClass

    public init(
        programme: Int, hamlet: Int, date: LocalDate, slot: Int?, start: LocalTime, startAt: Date, durationSeconds: Int,
        priority: PriorityClass
    ) {
        self.programme = programme
        self.hamlet = hamlet
        self.date = date
        self.slot = slot
        self.start = start
        self.startAt = startAt
        self.durationSeconds = durationSeconds
        self.priority = priority
    }

    /// The instant it ends.
    public var endAt: Date { startAt.addingTimeInterval(TimeInterval(durationSeconds)) }
}

extension BroadcastSchedule {
    /// The stable id of an airing (`OccurrenceID`).
    public func occurrenceID(_ occurrence: Occurrence) -> String {
        OccurrenceID(
            programme: programmes[occurrence.programme].id, date: occurrence.date,
            place: occurrence.slot.map { site.slots[$0].id } ?? OccurrenceID.place(of: occurrence.start),
            hamlet: hamlets[occurrence.hamlet].id
        ).description
    }
}

/// The stable id of an airing: `programme@date/slot@hamlet`, or `programme@date/HHMM@hamlet`
/// for a fixed time; events and the log name airings by it.
///
/// It does not change when the airing moves a few seconds inside its slot, so a
/// receiver that already played it never plays it again after a new version.
public struct OccurrenceID: Sendable, Equatable, CustomStringConvertible {
    public var programme: String
    public var date: LocalDate
    /// The slot id, or `HHMM` for a fixed time.
    public var place: String
    public var hamlet: String

    public init(programme: String, date: LocalDate, place: String, hamlet: String) {
        self.programme = programme
        self.date = date
        self.place = place
        self.hamlet = hamlet
    }

    /// Reads an id; nil for text of another form (an announcement's item, a notice's).
    public init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let dayAndPlace = parts[1].split(separator: "/", maxSplits: 1)
        guard dayAndPlace.count == 2, let date = LocalDate(iso: String(dayAndPlace[0])) else { return nil }
        self.init(programme: String(parts[0]), date: date, place: String(dayAndPlace[1]), hamlet: String(parts[2]))
    }

    public var description: String { "\(programme)@\(date)/\(place)@\(hamlet)" }

    /// The `place` of a fixed time: `HHMM`.
    public static func place(of time: LocalTime) -> String { "\(LocalDate.twoDigits(time.hour))\(LocalDate.twoDigits(time.minute))" }

    /// The time a fixed-time `place` names; nil for a slot id.
    public var fixedTime: LocalTime? {
        guard place.count == 4, let hour = Int(place.prefix(2)), let minute = Int(place.suffix(2)) else { return nil }
        return LocalTime(hour: hour, minute: minute)
    }
}
