#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import LoaDomain

/// The time a receiver lives by: what time it is, and a way to wait for an instant.
///
/// A device uses ``SystemInstantClock``; tests use a clock they move by hand
/// (`ManualClock` in LoaHarness), so that an hour of airings runs in milliseconds.
public protocol InstantClock: Sendable {
    /// The time now.
    var now: Date { get }
    /// Returns at `instant` (at once when it has passed).
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func sleep(until instant: Date) async throws
}

extension InstantClock {
    /// Returns after `interval` of this clock's time.
    public func sleep(for interval: Duration) async throws {
        try await sleep(until: now.addingTimeInterval(interval.seconds))
    }
}

/// The system's real-time clock.
public struct SystemInstantClock: InstantClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until instant: Date) async throws { try await sleepInRealTime(until: instant, now: Date()) }
}

/// A clock read from a function (a test's shifted or fixed clock) that waits in real
/// time: the time it shows may be moved, the waits are measured against it when they begin.
public struct ReadingClock: InstantClock {
    private let read: @Sendable () -> Date

    /// A clock showing what `read` returns.
    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public var now: Date { read() }

    public func sleep(until instant: Date) async throws { try await sleepInRealTime(until: instant, now: read()) }
}

/// Sleeps in real time for as long as `now` is before `instant`.
private func sleepInRealTime(until instant: Date, now: Date) async throws {
    let wait = instant.timeIntervalSince(now)
    if wait > 0 { try await Task.sleep(for: .nanoseconds(Int64(wait * 1e9))) }
}
