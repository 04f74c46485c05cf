import CALSA
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What came of one `snd_pcm_writei`.
enum ALSAWriteOutcome {
    /// This many frames were queued (possibly fewer than asked).
    case wrote(Int)
    /// An underrun (or suspend) happened and was recovered: the PCM is PREPARED again,
    /// empty, and must be refilled and started explicitly.
    case recoveredFromXrun
}

extension ALSAPCM {
    /// Queues up to `frames` frames starting at frame `offset` of `samples`; blocks while the buffer is full.
    func write(_ samples: UnsafeBufferPointer<Int16>, channels: Int, offset: Int, frames: Int) throws -> ALSAWriteOutcome {
        let written = snd_pcm_writei(handle, samples.baseAddress! + offset * channels, snd_pcm_uframes_t(frames))
        if written >= 0 {
            return .wrote(written)
        }
        let code = Int32(written)
        if code == -EPIPE || code == -ESTRPIPE || code == -EINTR {
            try check(snd_pcm_recover(handle, code, 1), "snd_pcm_recover after snd_pcm_writei (\(Self.message(code)))")
            return code == -EINTR ? .wrote(0) : .recoveredFromXrun
        }
        throw ALSAError.callFailed(device: device, call: "snd_pcm_writei", message: Self.message(code))
    }

    /// Where the output stands at one moment, from one `snd_pcm_status`.
    struct Timing {
        /// When it was read: ALSA's status timestamp, or the system clock when the PCM gives none.
        var at: Date
        /// Frames between the application's pointer and the speaker: a frame written now
        /// is heard `delayFrames / rate` after `at`.
        var delayFrames: Int
        /// Of those, frames still in ALSA's buffer.
        var bufferedFrames: Int
        /// The rest: the output's latency beyond the buffer (a sound server's or a codec's
        /// own queue; 0 for a plain card or a file).
        var latencyFrames: Int { max(0, delayFrames - bufferedFrames) }
    }

    /// Starts playback of what is queued; returns ALSA's trigger timestamp (nil when the PCM
    /// reports none) and the system clock read right after the call.
    func start() throws -> (trigger: Date?, afterStart: Date) {
        try check(snd_pcm_start(handle), "snd_pcm_start")
        let afterStart = Date()
        var status: OpaquePointer?
        try check(snd_pcm_status_malloc(&status), "snd_pcm_status_malloc")
        defer { snd_pcm_status_free(status) }
        try check(snd_pcm_status(handle, status), "snd_pcm_status")
        var stamp = snd_htimestamp_t()
        snd_pcm_status_get_trigger_htstamp(status, &stamp)
        return (Self.wallClockDate(stamp, near: afterStart), afterStart)
    }

    /// Reads the output's timing now (see ``Timing``).
    func timing(bufferFrames: Int) throws -> Timing {
        var status: OpaquePointer?
        try check(snd_pcm_status_malloc(&status), "snd_pcm_status_malloc")
        defer { snd_pcm_status_free(status) }
        let before = Date()
        try check(snd_pcm_status(handle, status), "snd_pcm_status")
        var stamp = snd_htimestamp_t()
        snd_pcm_status_get_htstamp(status, &stamp)
        return Timing(
            at: Self.wallClockDate(stamp, near: before) ?? before,
            delayFrames: max(0, Int(snd_pcm_status_get_delay(status))),
            bufferedFrames: max(0, bufferFrames - Int(snd_pcm_status_get_avail(status))))
    }

    /// A status timestamp as a date; nil when it is zero ("no timestamp") or far from
    /// `near` (a driver that ignores the gettimeofday timestamp type keeps another clock).
    private static func wallClockDate(_ stamp: snd_htimestamp_t, near: Date) -> Date? {
        guard stamp.tv_sec != 0 || stamp.tv_nsec != 0 else { return nil }
        let date = Date(timeIntervalSince1970: Double(stamp.tv_sec) + Double(stamp.tv_nsec) / 1e9)
        return abs(date.timeIntervalSince(near)) < 1 ? date : nil
    }

    /// Frames that can be queued now without waiting (0 when ALSA reports an error: the
    /// next write meets and recovers it).
    func available() -> Int {
        max(0, Int(snd_pcm_avail_update(handle)))
    }

    /// Frames queued but not yet played (0 when ALSA cannot say).
    func delay() -> Int {
        var frames: snd_pcm_sframes_t = 0
        guard snd_pcm_delay(handle, &frames) == 0 else { return 0 }
        return max(0, frames)
    }

    /// Throws away what is queued and stops now.
    func drop() {
        snd_pcm_drop(handle)
    }

    /// Lets what is queued play out, checking `shouldStop` every 10 ms. When stopped, drops
    /// the rest and returns how many frames were still queued; returns nil when all played.
    func drain(unless shouldStop: () -> Bool) throws -> Int? {
        try check(snd_pcm_nonblock(handle, 1), "snd_pcm_nonblock")
        let result = snd_pcm_drain(handle)
        if result == -EAGAIN {
            while snd_pcm_state(handle) == SND_PCM_STATE_DRAINING {
                if shouldStop() {
                    let queued = delay()
                    drop()
                    return queued
                }
                usleep(10_000)
            }
        } else {
            try check(result, "snd_pcm_drain")
        }
        return nil
    }
}
