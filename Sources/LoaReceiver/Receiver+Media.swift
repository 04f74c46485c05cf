import Foundation
import LoaAudio
import LoaDomain
import LoaProtocol
import Logging

extension Receiver {
    /// The first pause between download attempts; it doubles up to ``mediaRetryLongestPause``.
    static let mediaRetryFirstPause: TimeInterval = 1
    static let mediaRetryLongestPause: TimeInterval = 30

    /// The item's audio, fetched and verified, ready to be read as it plays: at the loudness
    /// every item has (−16 LUFS, peaks ≤ −1 dBFS, uploaded or read by text-to-speech alike)
    /// by the gain the controller measured, then its volume step below that (an emergency
    /// at full). Opening the file reads its head, so audio that will not decode fails here,
    /// before `ready`.
    func preparedAudio(of item: ScheduledItem) async throws -> any PCMSource {
        let file = try await fetchedMedia(item.media, before: item.startAt.addingTimeInterval(grace.seconds))
        let volume = SpeakerVolume.gainDecibels(item.playbackVolume)
        guard let gain = item.media.gainDb else {
            // An older controller sends no gain: measured here, over the whole decoded audio.
            return await LoudnessNormalisation.loudspeakers.applyOnOwnThread(to: try AudioDecoder.decode(fileAt: file))
                .amplified(byDecibels: volume)
        }
        return LevelledSource(
            try AudioFile(url: file, duration: .milliseconds(item.media.durationMs)), gainDecibels: gain, volumeDecibels: volume)
    }

    /// The verified file of `media`; a broken download is tried again, resuming where it
    /// stopped, after 1, 2, 4 … 30 s, for as long as it can still be ready by `deadline`.
    /// - Throws: the last `MediaError` when the deadline comes first, or at once for bytes
    ///   that do not match the hash (refused, never played).
    func fetchedMedia(_ media: MediaReference, before deadline: Date) async throws -> URL {
        var pause = Self.mediaRetryFirstPause
        while true {
            do {
                return try await cache.file(of: media)
            } catch MediaError.download(let url, let reason) where clock.now.addingTimeInterval(pause) < deadline && !Task.isCancelled {
                logger.warning("media download broken; trying again", metadata: [
                    "url": "\(url)", "reason": "\(reason)", "retryInSeconds": "\(pause)",
                ])
                try await clock.sleep(until: clock.now.addingTimeInterval(pause))
                pause = min(pause * 2, Self.mediaRetryLongestPause)
            }
        }
    }
}
