#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaDomain
import LoaProtocol
import Logging

extension Receiver {
    /// The first pause between download attempts; it doubles up to ``mediaRetryLongestPause``.
    static let mediaRetryFirstPause: TimeInterval = 1
    static let mediaRetryLongestPause: TimeInterval = 30

    /// Sound verified ahead that audio still arriving needs before it may start.
    static let arrivingHeadSeconds: Double = 3

    /// The item's audio, ready to be read as it plays, and how it is still arriving when
    /// it starts before its file is whole.
    struct PreparedAudio {
        var source: any PCMSource
        /// Set when it plays while it downloads.
        var arrival: MediaArrival?
    }

    /// The item's audio, fetched and verified, ready to be read as it plays: at the loudness
    /// every item has (−16 LUFS, peaks ≤ −1 dBFS, uploaded or read by text-to-speech alike)
    /// by the gain the controller measured, then its volume step below that (an emergency
    /// at full). Opening the file reads its head, so audio that will not decode fails here,
    /// before `ready`. Audio whose item names its chunks may start before it is whole
    /// (``arrivingAudio(of:levelled:)``).
    func preparedAudio(of item: ScheduledItem) async throws -> PreparedAudio {
        let volume = SpeakerVolume.gainDecibels(item.playbackVolume)
        let duration = Duration.milliseconds(item.media.durationMs)
        guard let gain = item.media.gainDb else {
            // An older controller sends no gain: measured here, over the whole decoded audio.
            let file = try await fetchedMedia(item.media, before: item.startAt.addingTimeInterval(grace.seconds))
            return PreparedAudio(source: await LoudnessNormalisation.loudspeakers.applyOnOwnThread(to: try AudioDecoder.decode(fileAt: file))
                .amplified(byDecibels: volume))
        }
        let levelled = { (file: AudioFile) -> any PCMSource in LevelledSource(file, gainDecibels: gain, volumeDecibels: volume) }
        guard item.media.chunks != nil else {
            let file = try await fetchedMedia(item.media, before: item.startAt.addingTimeInterval(grace.seconds))
            return PreparedAudio(source: levelled(try AudioFile(url: file, duration: duration)))
        }
        return try await arrivingAudio(of: item, levelled: levelled)
    }

    /// Audio checked chunk by chunk as it downloads: the whole file when it is there before
    /// the speaker must be claimed; otherwise, from then (or at once, for an item learned
    /// late) until the grace runs out, what has arrived verified as soon as it holds
    /// ``arrivingHeadSeconds`` of sound, the rest read as it arrives. The download goes on
    /// (resumed after breaks) until the item's end; if it is given up, the playback stops
    /// at the last verified byte.
    private func arrivingAudio(of item: ScheduledItem, levelled: (AudioFile) -> any PCMSource) async throws -> PreparedAudio {
        let media = item.media
        let duration = Duration.milliseconds(media.durationMs)
        let outcome = FetchOutcome()
        let cache = cache
        let download = Task {
            do {
                await outcome.set(.success(try await self.fetchedMedia(
                    media, before: item.startAt.addingTimeInterval(self.grace.seconds + duration.seconds))))
            } catch {
                await outcome.set(.failure(error))
                cache.giveUp(media, reason: "\(error)")
            }
        }
        let claimAt = item.startAt.addingTimeInterval(-Self.speakerLead)
        let lastChance = item.startAt.addingTimeInterval(grace.seconds)
        let head = Self.headBytes(of: media)
        while true {
            if let result = await outcome.result {
                return PreparedAudio(source: levelled(try AudioFile(url: try result.get(), duration: duration)))
            }
            let now = clock.now
            if now >= claimAt, let arrival = cache.arrival(of: media), arrival.readableBytes >= head {
                do {
                    let file = try AudioFile(arriving: arrival, duration: duration)
                    logger.notice("playing while downloading", metadata: [
                        "item": "\(item.id)", "verifiedBytes": "\(arrival.readableBytes)", "bytes": "\(media.bytes)",
                    ])
                    return PreparedAudio(source: levelled(file), arrival: arrival)
                } catch is AudioNotYetArrived {
                    // A long head (an MP3's tag): wait for more.
                }
            }
            if now > lastChance {
                download.cancel()  // the item will not sound: no need to fetch the rest for it
                let arrival = cache.arrival(of: media)
                throw MediaError.download(
                    url: media.sha256,
                    reason: "only \(arrival?.readableBytes ?? 0) of \(media.bytes) bytes verified \(Self.seconds(grace)) after its start"
                        + (arrival?.latestProblem.map { "; last: \($0)" } ?? ""))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Bytes that hold ``arrivingHeadSeconds`` of `media`'s sound (at least a chunk, at most all).
    static func headBytes(of media: MediaReference) -> Int {
        let perSecond = Double(media.bytes) * 1000 / Double(max(media.durationMs, 1))
        return min(media.bytes, max(media.chunks?.size ?? 0, Int(perSecond * arrivingHeadSeconds)))
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

/// What a download running on its own came to, read by the airing that polls it.
private actor FetchOutcome {
    private(set) var result: Result<URL, any Error>?
    func set(_ result: Result<URL, any Error>) { self.result = result }
}
