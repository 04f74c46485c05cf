#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension ALSAPlayer {
    /// Plays the live MP3 stream `request` names through this player's PCM: connects,
    /// buffers `prebuffer` seconds, sounds from `startAt` (at once when nil or past) until
    /// `endAt`, a `stop`, cancellation, or the stream's loss, every sample at
    /// `gainDecibels`. `observe` hears of the start and of the progress about once a second.
    ///
    /// - Returns: how long it sounded and why it ended.
    /// - Throws: ``AudioStreamError`` when nothing sounded (unreachable, refused, not
    ///   audio, lost before the first sound); ``ALSAError`` when the card fails.
    public func playStream(
        _ request: AudioStreamRequest, from startAt: Date?, until endAt: Date, gainDecibels: Double = 0,
        prebuffer: TimeInterval = 1.0, stop: PlaybackStop? = nil, observe: (@Sendable (PlaybackProgress) -> Void)? = nil
    ) async throws -> StreamPlaybackReport {
        let cancelled = PlaybackStop()
        let session = StreamPlaybackSession(
            output: output, request: request, startAt: startAt, endAt: endAt, gainDecibels: gainDecibels,
            prebuffer: prebuffer, shouldStop: { cancelled.isStopped || (stop?.isStopped ?? false) }, observe: observe)
        return try await withTaskCancellationHandler {
            try await DedicatedThread.run(name: "loa-stream-\(output.device)") { try session.run() }
        } onCancel: {
            cancelled.stop()
        }
    }
}
