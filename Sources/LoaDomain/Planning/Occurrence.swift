public import Foundation

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
    /// The stable id of an airing: `programme@date/slot@hamlet` (or `/HHMM` for a fixed time).
    ///
    /// It does not change when the airing moves a few seconds inside its slot, so a
    /// receiver that already played it never plays it again after a new version.
    public func occurrenceID(_ occurrence: Occurrence) -> String {
        let place = occurrence.slot.map { site.slots[$0].id }
            ?? "\(LocalDate.twoDigits(occurrence.start.hour))\(LocalDate.twoDigits(occurrence.start.minute))"
        return "\(programmes[occurrence.programme].id)@\(occurrence.date)/\(place)@\(hamlets[occurrence.hamlet].id)"
    }
}
