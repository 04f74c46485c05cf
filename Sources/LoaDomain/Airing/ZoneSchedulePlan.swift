#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Which announcements belong in a hamlet's schedule document at a given time.
///
/// The document is desired state: it lists what the hamlet must play in the
/// coming window, and what it should have played a little while ago, so that a
/// receiver coming back online can report those as missed rather than stay silent.
public struct ZoneSchedulePlan: Sendable, Equatable {
    /// How far back items stay listed after their start.
    public var lookBack: Duration
    /// How far ahead items are listed.
    public var lookAhead: Duration

    public init(lookBack: Duration = .seconds(24 * 3600), lookAhead: Duration = .seconds(48 * 3600)) {
        self.lookBack = lookBack
        self.lookAhead = lookAhead
    }

    /// The announcements for `hamlet`, in air order (`AirOrdered`).
    public func items(for hamlet: String, from announcements: [Announcement], now: Date) -> [Announcement] {
        let earliest = now.addingTimeInterval(-lookBack.seconds)
        let latest = now.addingTimeInterval(lookAhead.seconds)
        return announcements
            .filter { $0.hamlets.contains(hamlet) && $0.startAt >= earliest && $0.startAt <= latest }
            .inAirOrder()
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
