#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What a receiver does with an item when it learns of it at `now`.
public enum AirTimeDecision: Sendable, Equatable {
    /// Wait, then start at the instant.
    case playAt(Date)
    /// The instant passed a moment ago, within the grace: start now, late by this much.
    case playLate(by: Duration)
    /// Too late to air: report missed.
    case missed(lateBy: Duration)

    /// Decides for an item starting at `startAt`.
    /// - Parameters:
    ///   - startAt: the instant the item should air.
    ///   - now: the receiver's clock.
    ///   - grace: how late a start still counts as airing the item (a few seconds:
    ///     an announcement heard 2 s late is still heard; one 10 minutes late is not).
    public static func decide(startAt: Date, now: Date, grace: Duration) -> AirTimeDecision {
        let late = now.timeIntervalSince(startAt)
        if late <= 0 { return .playAt(startAt) }
        let lateBy = Duration.milliseconds(Int64((late * 1000).rounded()))
        return lateBy <= grace ? .playLate(by: lateBy) : .missed(lateBy: lateBy)
    }
}
