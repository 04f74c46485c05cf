public import Foundation
import Synchronization

/// The wall clock moved by an offset a test changes: time runs as usual, and
/// `advance(by:)` jumps ahead (e.g. past a key's takeover) without waiting.
public final class ShiftedClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    /// The time it shows.
    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock `seconds` ahead.
    public func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }

    /// The clock as the closure Loa's parts take.
    public var function: @Sendable () -> Date { { self.now } }
}
