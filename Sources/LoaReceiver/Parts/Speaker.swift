public import Foundation
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
        _ audio: PCMAudio, at instant: Date?, stop: PlaybackStop?, observe: (@Sendable (PlaybackProgress) -> Void)?
    ) async throws -> PlaybackReport
}

extension ALSAPlayer: Speaker {}
