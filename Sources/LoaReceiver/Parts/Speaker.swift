#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import LoaAudio

/// A receiver's sound output: plays PCM audio from an instant, stoppable.
///
/// On a device it is ``ALSAPlayer``. Tests of the receiver's rules (turns, preemption,
/// quiet hours, proof of play) use a speaker that keeps time by a test clock
/// (`VirtualSpeaker` in LoaHarness); the ALSA path has its own tests on file PCMs.
public protocol Speaker: Sendable {
    /// Plays `audio`, its first frame at `instant` (now when nil or past), until its end or
    /// until `stop` is triggered or the task is cancelled; tells `observe` of the start as
    /// soon as it is measured and of the progress about once a second.
    func play(
        _ audio: any PCMSource, at instant: Date?, stop: PlaybackStop?, observe: (@Sendable (PlaybackProgress) -> Void)?
    ) async throws -> PlaybackReport
}

/// A speaker that also plays live streams (relays): ``ALSAPlayer``.
public protocol StreamSpeaker: Speaker {
    /// Plays the MP3 stream `request` names from `startAt` (at once when nil or past) until
    /// `endAt`, a `stop`, cancellation or the stream's loss (`ALSAPlayer.playStream`).
    /// - Throws: `AudioStreamError` when nothing sounded.
    func playStream(
        _ request: AudioStreamRequest, from startAt: Date?, until endAt: Date, gainDecibels: Double,
        prebuffer: TimeInterval, stop: PlaybackStop?, observe: (@Sendable (PlaybackProgress) -> Void)?
    ) async throws -> StreamPlaybackReport
}

extension ALSAPlayer: StreamSpeaker {}

/// A speaker that keeps the system's time (``ALSAPlayer``: ALSA's timestamps and waits
/// are CLOCK_REALTIME), told instants on another clock: a test's shifted clock, which
/// stands for a device whose own clock is off. On a device the two are one and the
/// conversion changes nothing.
public struct ClockedSpeaker: Speaker {
    let speaker: any Speaker
    let clock: any InstantClock

    /// `speaker`, told instants on `clock`.
    public init(_ speaker: any Speaker, clock: any InstantClock) {
        self.speaker = speaker
        self.clock = clock
    }

    public func play(
        _ audio: any PCMSource, at instant: Date?, stop: PlaybackStop?, observe: (@Sendable (PlaybackProgress) -> Void)?
    ) async throws -> PlaybackReport {
        let shift = clock.now.timeIntervalSince(Date())  // the clock minus the system's
        var report = try await speaker.play(
            audio, at: instant?.addingTimeInterval(-shift), stop: stop, observe: observe == nil ? nil : Self.shifted(observe, by: shift))
        report.requestedStart = instant
        report.measuredStart = report.measuredStart.addingTimeInterval(shift)
        return report
    }

    /// Progress told on the system's time, retold on the clock's.
    private static func shifted(
        _ observe: (@Sendable (PlaybackProgress) -> Void)?, by shift: TimeInterval
    ) -> @Sendable (PlaybackProgress) -> Void {
        { step in
            switch step {
            case .started(let start): observe?(.started(measuredStart: start.addingTimeInterval(shift)))
            case .playing: observe?(step)
            }
        }
    }
}

extension ClockedSpeaker: StreamSpeaker {
    /// Streams through the wrapped speaker when it plays streams; throws otherwise.
    public func playStream(
        _ request: AudioStreamRequest, from startAt: Date?, until endAt: Date, gainDecibels: Double,
        prebuffer: TimeInterval, stop: PlaybackStop?, observe: (@Sendable (PlaybackProgress) -> Void)?
    ) async throws -> StreamPlaybackReport {
        guard let streaming = speaker as? any StreamSpeaker else {
            throw AudioStreamError.unusableURL(url: request.url, reason: "this speaker plays no streams")
        }
        let shift = clock.now.timeIntervalSince(Date())
        var report = try await streaming.playStream(
            request, from: startAt?.addingTimeInterval(-shift), until: endAt.addingTimeInterval(-shift), gainDecibels: gainDecibels,
            prebuffer: prebuffer, stop: stop, observe: observe == nil ? nil : Self.shifted(observe, by: shift))
        report.measuredStart = report.measuredStart.addingTimeInterval(shift)
        return report
    }
}
