#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Plays PCM audio through ALSA. Blocking ALSA calls run on a dedicated thread (not the Swift cooperative pool).
///
/// Each ``play(_:at:stop:)`` opens the PCM, plays and closes it, so one player may be
/// shared; two plays at once on the same hardware device will usually find it busy.
public final class ALSAPlayer: Sendable {
    /// The PCM this player plays through.
    public let output: ALSAOutput

    /// A player for `output`; nothing is opened until ``play(_:at:stop:)``.
    public init(output: ALSAOutput) {
        self.output = output
    }

    /// Opens the PCM, plays `audio` (read a chunk at a time as it plays), drains, closes.
    ///
    /// If `instant` is given and in the future, the first real frame starts at that instant:
    /// the player sleeps until shortly before (instant − 250 ms), queues 150 ms of silence,
    /// calls `snd_pcm_start` (the start threshold is above the buffer, so ALSA never starts
    /// by itself), lets it run 50 ms, reads ALSA's delay (the buffer and whatever lies
    /// beyond it: a sound server's queue, up to about 90 ms) and tops up the silence so that
    /// the first real frame is *heard* at the instant; the reported start is when it is heard.
    /// If `instant` is in the past or nil, playback starts now. Underruns are recovered
    /// (`snd_pcm_recover`, refill, explicit restart) and counted. `stop` is checked between
    /// writes (every ~50 ms period) and while waiting; when stopped, queued audio is dropped.
    /// Cancelling the calling task acts like `stop`. `observe` hears of the start as soon
    /// as it is measured and of the progress about once a second, on the playback's thread.
    ///
    /// - Throws: ``ALSAError`` when the device cannot be opened, configured or written.
    public func play(
        _ audio: any PCMSource, at instant: Date? = nil, stop: PlaybackStop? = nil,
        observe: (@Sendable (PlaybackProgress) -> Void)? = nil
    ) async throws -> PlaybackReport {
        let cancelled = PlaybackStop()
        let session = PlaybackSession(
            output: output, audio: audio, instant: instant,
            shouldStop: { cancelled.isStopped || (stop?.isStopped ?? false) }, observe: observe)
        let report = try await withTaskCancellationHandler {
            try await DedicatedThread.run(name: "loa-alsa-\(output.device)") { try session.run() }
        } onCancel: {
            cancelled.stop()
        }
        return report
    }
}
