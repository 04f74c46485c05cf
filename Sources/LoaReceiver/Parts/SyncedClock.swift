#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaProtocol
import Synchronization

/// The device's own clock corrected to the controller's: the time a receiver plays by.
///
/// Schedules name instants on the controller's clock. A device whose clock is 300 ms
/// ahead would sound 300 ms early, and two hamlets' speakers heard together echo beyond
/// ~50 ms; so the receiver estimates its offset (``ClockOffsetEstimate``, from exchanges
/// with the controller) and lives by `local − offset`. Waits run on the local clock
/// until the local instant that matches. Without an estimate it shows the local clock.
public final class SyncedClock: InstantClock {
    /// The device's own clock (the system's, or a test's).
    public let local: any InstantClock
    private let adopted = Mutex<ClockOffsetEstimate?>(nil)

    /// The local clock, uncorrected until ``adopt(_:)``.
    public init(local: any InstantClock) { self.local = local }

    /// The estimate in use, if any.
    public var estimate: ClockOffsetEstimate? { adopted.withLock { $0 } }

    /// Corrects the clock by `estimate` from now on.
    public func adopt(_ estimate: ClockOffsetEstimate) { adopted.withLock { $0 = estimate } }

    private var offset: TimeInterval { (estimate?.offsetMs ?? 0) / 1000 }

    /// The controller's time now, as well as the estimate knows it.
    public var now: Date { local.now.addingTimeInterval(-offset) }

    public func sleep(until instant: Date) async throws { try await local.sleep(until: localInstant(for: instant)) }

    /// The local clock's reading at the controller's `instant`: what the speaker is told.
    public func localInstant(for instant: Date) -> Date { instant.addingTimeInterval(offset) }

    /// The controller's time at the local clock's `instant`: what a measured start is reported as.
    public func controllerInstant(forLocal instant: Date) -> Date { instant.addingTimeInterval(-offset) }
}
