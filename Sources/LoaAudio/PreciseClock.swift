import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Sleeping on the wall clock (CLOCK_REALTIME, the clock `Date` and ALSA's gettimeofday timestamps use).
enum PreciseClock {
    /// Sleeps until `deadline` in slices of at most 10 ms, returning false early if `shouldStop` turns true.
    static func sleep(until deadline: Date, unless shouldStop: () -> Bool) -> Bool {
        while true {
            if shouldStop() { return false }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return true }
            if remaining <= 0.010 {
                sleepExactly(until: deadline)
                return !shouldStop()
            }
            usleep(UInt32(min(remaining - 0.005, 0.010) * 1e6))
        }
    }

    /// One absolute `clock_nanosleep` on CLOCK_REALTIME, for the last few milliseconds.
    static func sleepExactly(until deadline: Date) {
        let seconds = deadline.timeIntervalSince1970
        var whole = seconds.rounded(.down)
        var nanos = ((seconds - whole) * 1e9).rounded()
        if nanos >= 1e9 { whole += 1; nanos -= 1e9 }
        var target = timespec(tv_sec: Int(whole), tv_nsec: Int(nanos))
        while clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, nil) == EINTR {}
    }
}
