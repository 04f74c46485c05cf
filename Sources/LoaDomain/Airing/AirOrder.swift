#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Something that airs at an instant with a priority class: an announcement, a
/// scheduled item. Such things have one order, wherever they are listed.
public protocol AirOrdered {
    var id: String { get }
    var startAt: Date { get }
    var priority: PriorityClass { get }
}

extension AirOrdered {
    /// True when `self` airs before `other`: the earlier start first; at the same
    /// start the higher class (an emergency before a normal item); then by id, so
    /// the order is the same on every run.
    public func airsBefore(_ other: some AirOrdered) -> Bool {
        if startAt != other.startAt { return startAt < other.startAt }
        if priority != other.priority { return priority > other.priority }
        return id < other.id
    }
}

extension Sequence where Element: AirOrdered {
    /// The elements in air order (`AirOrdered.airsBefore(_:)`).
    public func inAirOrder() -> [Element] { sorted { $0.airsBefore($1) } }
}

extension Announcement: AirOrdered {}
