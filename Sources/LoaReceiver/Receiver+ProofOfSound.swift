#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LoaAudio
import LoaDomain
import LoaFiles
import LoaProtocol
import Logging

/// The latest speaker self-test: when, how well the chirp was heard, how many failed in a row.
struct SpeakerTestResult: Sendable, Codable {
    var at: Date
    var score: Double
    var failures: Int
}

extension Receiver {
    /// How much of a programme's start is matched against the microphone.
    static let heardReferenceSeconds = 5.0
    /// How soon a failed self-test is tried again.
    static let selfTestRetry: TimeInterval = 600
    /// The self-test's time of day when the settings give none.
    static let defaultSelfTestTime = LocalTime(hour: 12, minute: 15)!

    /// Starts recording the microphone for `audio`'s first seconds (from a moment before its
    /// instant: the speaker is claimed `speakerLead` ahead); nil without a microphone.
    func listen(to audio: any PCMSource) -> Task<Recording?, Never>? {
        guard let microphone else { return nil }
        let seconds = Self.speakerLead + min(audio.duration.seconds, Self.heardReferenceSeconds) + 1.5
        let logger = logger
        return Task {
            do {
                return try await microphone.record(seconds: seconds)
            } catch {
                logger.warning("microphone not recorded", metadata: ["error": "\(error)"])
                return nil
            }
        }
    }

    /// What the microphone heard of `audio`'s first seconds; nil without a recording.
    func soundHeard(_ audio: any PCMSource, in listening: Task<Recording?, Never>?) async -> SoundMatch? {
        guard let recording = await listening?.value,
            let reference = try? audio.prefix(seconds: Self.heardReferenceSeconds)
        else { return nil }
        return SoundMatch.find(reference, in: recording.audio) ?? SoundMatch(score: 0, lagSeconds: 0, snrDb: 0)
    }

    /// The speaker self-test: at start when none was ever made (the installation's, whose
    /// result is the baseline), then daily at `microphone.selfTestAt`, never in quiet hours
    /// or without a schedule (its quiet hours unknown); after a failure, again in 10 minutes.
    /// Each result goes out in the state at once.
    func keepSpeakerTested(_ player: any Speaker, _ microphone: ALSAMicrophone) async {
        let baselineFile = URL(fileURLWithPath: configuration.stateDirectory).appendingPathComponent("speaker-baseline.json")
        var baseline = (try? Data(contentsOf: baselineFile)).flatMap { try? JSONDecoder().decode(SoundMatch.self, from: $0) }
        var next = baseline == nil ? clock.now : nextSelfTest(after: clock.now)
        while !Task.isCancelled {
            do { try await clock.sleep(until: next) } catch { return }
            guard let schedule = memory.schedule, !schedule.isQuiet(at: clock.now) else {
                // The installation's test as soon as a document tells the quiet hours.
                next = baseline == nil && memory.schedule == nil ? clock.now.addingTimeInterval(10) : nextSelfTest(after: clock.now)
                continue
            }
            guard let match = await selfTest(player, microphone) else {
                next = clock.now.addingTimeInterval(60)  // the speaker was busy, or stopping
                continue
            }
            let heard = SpeakerCheck.judge(match, baseline: baseline) == .heard
            speakerTest = SpeakerTestResult(at: clock.now, score: match.score, failures: heard ? 0 : (speakerTest?.failures ?? 0) + 1)
            if heard, baseline == nil {
                baseline = match
                try? DurableFile.write(JSONEncoder().encode(match), to: baselineFile)
            }
            if !heard {
                logger.error("speaker self-test: the chirp was not heard", metadata: ["score": "\(match.score)", "snrDb": "\(match.snrDb)"])
            }
            await publishState()
            next = heard ? nextSelfTest(after: clock.now) : clock.now.addingTimeInterval(Self.selfTestRetry)
        }
    }

    /// The next daily self-test instant after `instant`, on the commune's wall clock.
    func nextSelfTest(after instant: Date) -> Date {
        let time = configuration.microphone?.selfTestAt.flatMap { LocalTime(text: $0) } ?? Self.defaultSelfTestTime
        let wall = WallClock(siteTimeZone: memory.schedule?.timeZone)
        let today = wall.local(instant).date
        let candidate = wall.instant(today, time)
        return candidate > instant ? candidate : wall.instant(today.adding(days: 1), time)
    }

    /// Plays the chirp with a normal item's turn on the speaker (an emergency preempts it)
    /// while the microphone records; the match, or nil when the turn was not had or the
    /// test could not run.
    private func selfTest(_ player: any Speaker, _ microphone: ALSAMicrophone) async -> SoundMatch? {
        let chirp = TestChirp.make()
        let test = ScheduledItem(
            id: "speaker-self-test", announcementId: "speaker-self-test", title: "Tự kiểm tra loa (speaker self-test)",
            category: .other, priority: .normal, startAt: clock.now,
            media: MediaReference(sha256: "", bytes: 0, contentType: "audio/wav", durationMs: 600))
        guard let turn = await speaker.acquire(SpeakerLine.Claim(item: test, duration: 3)) else { return nil }
        defer { Task { await self.speaker.release(turn) } }
        let (capturing, capture) = AsyncStream.makeStream(of: Void.self)
        async let recording = microphone.record(seconds: 2.5) { capture.finish() }
        for await _ in capturing {}
        do {
            try await Task.sleep(for: .milliseconds(500))
            let played = try await player.play(chirp, at: nil, stop: turn.stop, observe: nil)
            guard !played.stoppedEarly else {
                _ = try? await recording
                return nil
            }
            return SoundMatch.find(chirp, in: try await recording.audio) ?? SoundMatch(score: 0, lagSeconds: 0, snrDb: 0)
        } catch {
            logger.warning("speaker self-test could not run", metadata: ["error": "\(error)"])
            _ = try? await recording
            return nil
        }
    }
}
