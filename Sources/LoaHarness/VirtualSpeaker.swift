public import Foundation
public import LoaAudio
public import LoaReceiver
import Synchronization

/// A speaker that keeps time by a test's clock: it waits for the instant, then lets the
/// audio out one period at a time as the clock moves, and keeps what sounded and when.
///
/// It follows the contract of `ALSAPlayer`: the first frame at the instant (or at once
/// when late), a stop or a cancellation seen within a period drops the rest, progress
/// told about once a second. It is for the receiver's rules; ALSA's own timing is tested
/// on file PCMs in the audio and end-to-end tests.
public final class VirtualSpeaker: Speaker {
    /// One playback, as it sounded.
    public struct Playback: Sendable, Equatable {
        /// The instant asked for, or nil for "now".
        public var requestedStart: Date?
        /// When the first frame sounded.
        public var start: Date
        /// When the last frame sounded or the playback was stopped.
        public var end: Date
        /// The samples that sounded, interleaved as given.
        public var samples: [Int16]
        /// Stopped (preempted, withdrawn or cancelled) before its end.
        public var stoppedEarly: Bool
    }

    private let clock: any InstantClock
    /// How much audio goes out at each step of the clock, in seconds (ALSA's period is ~50 ms).
    private let period: TimeInterval
    private let recorded = Mutex<[Playback]>([])
    private let playingNow = Atomic<Int>(0)
    private let overlaps = Atomic<Int>(0)
    private let sounding = Mutex<PlaybackStop?>(nil)

    /// A speaker timed by `clock`, letting out `period` seconds of audio at a time.
    public init(clock: any InstantClock, period: TimeInterval = 0.05) {
        self.clock = clock
        self.period = period
    }

    /// Every playback that sounded at least one frame, in the order they began.
    public var playbacks: [Playback] { recorded.withLock { $0 } }

    /// How many times a playback began while another was still sounding (a real device
    /// would be busy): the receiver must never do it.
    public var overlappingPlaybacks: Int { overlaps.load(ordering: .relaxed) }

    /// Whether the playback sounding now has been asked to stop (it stops at the end of
    /// the period under way, when the clock reaches it).
    public var stopRequested: Bool { sounding.withLock { $0?.isStopped ?? false } }

    public func play(
        _ audio: any PCMSource, at instant: Date?, stop: PlaybackStop?, observe: (@Sendable (PlaybackProgress) -> Void)?
    ) async throws -> PlaybackReport {
        let stopped = { Task.isCancelled || (stop?.isStopped ?? false) }
        // A test's audio is short: read whole, as it would sound.
        let audio = try audio.decodedWhole()
        var report = PlaybackReport(
            requestedStart: instant, measuredStart: clock.now, startSource: .systemClock, framesPlayed: 0,
            xrunsRecovered: 0, stoppedEarly: false)
        // 1. Wait for the instant, a period at a time so that a stop is seen. Like ALSA, which
        //    queues silence ahead of it, the first frame lands on the instant when asked in time.
        let start: Date
        if let instant, clock.now < instant {
            while clock.now < instant {
                if stopped() { return stoppedBeforeStart(report) }
                try? await clock.sleep(until: min(instant, clock.now.addingTimeInterval(period)))
            }
            start = instant
        } else {
            start = clock.now
        }
        if stopped() { return stoppedBeforeStart(report) }
        report.measuredStart = start
        if playingNow.wrappingAdd(1, ordering: .relaxed).oldValue > 0 { overlaps.add(1, ordering: .relaxed) }
        sounding.withLock { $0 = stop }
        defer {
            sounding.withLock { $0 = nil }
            playingNow.subtract(1, ordering: .relaxed)
        }
        observe?(.started(measuredStart: start))

        // 2. A period at a time, as the clock reaches the end of each.
        let rate = Double(audio.sampleRate)
        let periodFrames = max(1, Int(period * rate))
        var played = 0
        var told = 0
        while played < audio.frameCount {
            let next = min(audio.frameCount, played + periodFrames)
            try? await clock.sleep(until: start.addingTimeInterval(Double(next) / rate))
            if stopped() {
                // Hardware would have played every period the clock has passed, however
                // late this task ran to see it: count those, not the ones seen.
                let elapsed = Int(clock.now.timeIntervalSince(start) * rate) / periodFrames * periodFrames
                played = max(played, min(audio.frameCount, elapsed))
                report.stoppedEarly = true
                break
            }
            played = next
            if played - told >= audio.sampleRate {
                told = played
                observe?(.playing(framesPlayed: played))
            }
        }
        report.framesPlayed = played
        let sounded = Array(audio.samples[0..<(played * audio.channels)])
        recorded.withLock {
            $0.append(Playback(
                requestedStart: instant, start: start, end: clock.now, samples: sounded, stoppedEarly: report.stoppedEarly))
        }
        return report
    }

    private func stoppedBeforeStart(_ report: PlaybackReport) -> PlaybackReport {
        var report = report
        report.measuredStart = clock.now
        report.stoppedEarly = true
        return report
    }
}
