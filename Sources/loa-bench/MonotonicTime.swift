import Dispatch

/// Nanoseconds on the system's monotonic clock.
///
/// One clock for every process on this machine: a fleet worker's arrival time and
/// the controller's send time subtract directly. On Linux `DispatchTime.now()` is
/// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds, read through the vDSO; what
/// limits precision is scheduling, not the clock. (Swift's `ContinuousClock`
/// instants cannot be sent to another process.)
enum MonotonicTime {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Milliseconds from `start` to `end` (negative when `end` is earlier).
    static func milliseconds(from start: UInt64, to end: UInt64) -> Double {
        (Double(end) - Double(start)) / 1e6
    }
}
