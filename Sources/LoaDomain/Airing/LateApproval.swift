#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What becomes of an airing whose approval was completed after its instant.
///
/// An emergency airs at once: a warning approved ten minutes late is still a
/// warning, up to ``emergencyWindow`` after its instant; later than that its words
/// (an hour, a place to go) may be wrong, so it does not air and must be scheduled
/// again. Any other airing does not air and is recorded as missed ("approved after
/// its time"); the approvals page says so before the approval.
public enum LateApproval {
    /// How long after its instant an emergency still airs once approved.
    public static let emergencyWindow: TimeInterval = 2 * 3600
    /// How long after the approval a late emergency airs: time for receivers to fetch its audio.
    public static let emergencyLead: TimeInterval = 10

    /// The instant an airing goes out.
    /// - Parameters:
    ///   - scheduled: its instant in the schedule.
    ///   - approvedAt: when its approval was completed (the last approver needed).
    /// - Returns: `scheduled`, or for an emergency approved after it (within the window)
    ///   `approvedAt` + ``emergencyLead``.
    public static func instant(scheduled: Date, priority: PriorityClass, approvedAt: Date?) -> Date {
        guard priority == .emergency, let approvedAt, approvedAt > scheduled,
            approvedAt.timeIntervalSince(scheduled) <= emergencyWindow
        else { return scheduled }
        return approvedAt.addingTimeInterval(emergencyLead)
    }

    /// What happens to an airing at `scheduled` whose approval is still awaited at `now`.
    public enum Outlook: Equatable, Sendable {
        /// Its instant is still ahead.
        case onTime
        /// An emergency past its instant: it airs as soon as it is approved, until `until`.
        case airsWhenApproved(until: Date)
        /// Past its instant: it will not air even if approved.
        case willNotAir
    }

    /// The outlook of an airing at `scheduled` of `priority` still awaiting approval at `now`.
    public static func outlook(scheduled: Date, priority: PriorityClass, now: Date) -> Outlook {
        guard scheduled < now else { return .onTime }
        let until = scheduled.addingTimeInterval(emergencyWindow)
        return priority == .emergency && now < until ? .airsWhenApproved(until: until) : .willNotAir
    }
}
