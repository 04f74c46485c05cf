#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One playback from open to close, run on a dedicated thread (every call here may block).
///
/// Timing at an instant: sleep until `lead` before the instant, queue some silence and
/// start it (`snd_pcm_start`: ALSA never starts by itself, the start threshold is above the
/// buffer), let it run for `settling`, then read where the output stands (five readings,
/// their median): a frame written now is heard after the delay ALSA reports, which counts
/// the buffer *and* whatever lies beyond it (a sound server's queue). Top up the silence so
/// that the first real frame is heard on the instant, then feed the audio. Each start measures its own output latency
/// on the running stream: no reading from an earlier playback is relied on.
struct PlaybackSession {
    let output: ALSAOutput
    /// Read a buffer at a time as it plays.
    let audio: any PCMSource
    let instant: Date?
    let shouldStop: @Sendable () -> Bool
    /// Told of the start and of the progress (on this thread: it must not block).
    var observe: (@Sendable (PlaybackProgress) -> Void)?

    /// How long before the instant the output is started (at most half the buffer).
    static let lead: TimeInterval = 0.250
    /// How long the started output runs on silence before its delay is read (at most a
    /// fifth of the lead). A sound server's first status right after a start misreads its
    /// latency now and then (PulseAudio's fell in two groups, 0 and ~47 ms); a stream that
    /// has run a period reads what it holds.
    static let settling: TimeInterval = 0.050
    /// An instant nearer than this is played as a past one: started at once, on the audio.
    static let queueingMargin: TimeInterval = 0.003

    func run() throws -> PlaybackReport {
        guard audio.channels > 0, audio.sampleRate > 0 else {
            throw ALSAError.unplayableAudio(device: output.device, message: "the audio has \(audio.channels) channel(s) at \(audio.sampleRate) Hz; both must be positive")
        }
        let pcm = try ALSAPCM(output)
        let geometry = try pcm.configure(sampleRate: audio.sampleRate, channels: audio.channels)
        let rate = Double(audio.sampleRate)
        let bufferDuration = Double(geometry.bufferFrames) / rate

        var report = PlaybackReport(
            requestedStart: instant, measuredStart: Date(), startSource: .systemClock,
            framesPlayed: 0, xrunsRecovered: 0, stoppedEarly: false)

        // Reading the first chunk before waiting: an unreadable file fails now, not on the instant.
        let feed = try FrameFeed(audio.openReader(), channels: audio.channels, chunkFrames: max(4096, geometry.periodFrames))
        guard let first = try available(in: feed) else {
            report.stoppedEarly = true
            return report
        }
        guard first > 0 else {
            return report  // nothing to play; opening the PCM checked the device
        }
        var written = 0

        // 1. Start: on silence, measured and topped up, when there is time before the
        //    instant; otherwise at once on a full buffer of audio.
        var started = false
        if let instant, instant.timeIntervalSinceNow > Self.queueingMargin {
            let lead = min(Self.lead, bufferDuration / 2)
            let settling = min(Self.settling, lead / 5)
            guard PreciseClock.sleep(until: instant.addingTimeInterval(-lead), unless: shouldStop) else {
                report.stoppedEarly = true
                return report
            }
            // Silence that outlasts the settling and the readings even where a sound server
            // takes it ahead into its own queue (PulseAudio renders its ~47 ms of latency
            // ahead: 100 ms of silence ran dry before the top-up, five streams in a row), and
            // no more than leaves room for that latency before the instant: latencies up to
            // about 90 ms are met on time (3 × 50 ms of silence, started 250 ms ahead).
            let priming = max(0, min(Int((3 * settling * rate).rounded()), Int((instant.timeIntervalSinceNow * rate).rounded())))
            try writeSilence(priming, to: pcm)
            let start = try pcm.start()
            report.startSource = start.trigger == nil ? .systemClock : .alsaTriggerTimestamp
            guard PreciseClock.sleep(until: (start.trigger ?? start.afterStart).addingTimeInterval(settling), unless: shouldStop) else {
                pcm.drop()
                report.stoppedEarly = true
                return report
            }
            let heard = try nextFrameHeard(pcm, geometry: geometry, rate: rate)
            report.outputLatency = heard.latency
            let topUp = max(0, Int((instant.timeIntervalSince(heard.at) * rate).rounded()))
            if try writeSilence(topUp, to: pcm) {
                // Late only when the output holds more than the time left (then by that much).
                report.measuredStart = heard.at.addingTimeInterval(Double(topUp) / rate)
                started = true
            } else {
                // The silence ran out before the top-up (this thread was held up): the PCM
                // is PREPARED and empty again; start on the audio, as for a past instant.
                report.xrunsRecovered += 1
            }
        }
        if !started {
            written += try fill(pcm, from: feed, frames: geometry.bufferFrames)
            let start = try pcm.start()
            let began = start.trigger ?? start.afterStart
            // The first frame is heard as much before a frame written now as what was
            // written before it lasts; never before the start (an output that is not paced).
            let heard = try nextFrameHeard(pcm, geometry: geometry, rate: rate)
            report.outputLatency = heard.latency
            report.measuredStart = max(began, heard.at.addingTimeInterval(-Double(written) / rate))
            report.startSource = start.trigger == nil ? .systemClock : .alsaTriggerTimestamp
        }
        observe?(.started(measuredStart: report.measuredStart))
        var reportedFrames = 0

        // 3. Feed the rest a period at a time, checking for a stop between writes. Audio
        //    still arriving is waited for (ALSA underruns meanwhile, recovered below).
        while try (available(in: feed) ?? 1) > 0 {
            if shouldStop() {
                report.framesPlayed = max(0, written - pcm.delay())
                pcm.drop()
                report.stoppedEarly = true
                return report
            }
            switch try feed.write(to: pcm, frames: geometry.periodFrames) {
            case .wrote(let n):
                written += n
                if let observe, written - reportedFrames >= audio.sampleRate {
                    reportedFrames = written
                    observe(.playing(framesPlayed: max(0, written - pcm.delay())))
                }
            case .recoveredFromXrun:
                // PREPARED and empty: refill the buffer and start again ourselves.
                report.xrunsRecovered += 1
                written += try fill(pcm, from: feed, frames: geometry.bufferFrames)
                _ = try pcm.start()
            }
        }

        // 4. Let the queue play out unless stopped meanwhile.
        if let queued = try pcm.drain(unless: shouldStop) {
            report.framesPlayed = max(0, written - queued)
            report.stoppedEarly = true
        } else {
            report.framesPlayed = written
        }
        return report
    }

    /// When a frame written now will be heard, and the output's latency beyond the buffer,
    /// from ``timingReadings`` readings of the running stream 2 ms apart: the median of
    /// what each implies. One reading alone is not believed: PulseAudio's ALSA plugin now
    /// and then reports a delay of seconds for a stream that has just started (one start
    /// in 250 once read 28 s), and such a reading would have put the start that far out.
    private func nextFrameHeard(_ pcm: ALSAPCM, geometry: ALSABufferGeometry, rate: Double) throws -> (at: Date, latency: TimeInterval) {
        var heard: [Date] = []
        var latencies: [TimeInterval] = []
        for reading in 0..<Self.timingReadings {
            if reading > 0 { usleep(2_000) }
            let timing = try pcm.timing(bufferFrames: geometry.bufferFrames)
            heard.append(timing.at.addingTimeInterval(Double(timing.delayFrames) / rate))
            latencies.append(Double(timing.latencyFrames) / rate)
        }
        // Nothing is written between readings, so on a stream that runs each implies the same instant.
        return (heard.sorted()[heard.count / 2], latencies.sorted()[latencies.count / 2])
    }

    /// How many readings of the running stream ``nextFrameHeard(_:geometry:rate:)`` takes.
    static let timingReadings = 5

    /// Frames ready in `feed`; while the audio has not arrived (``AudioNotYetArrived``),
    /// waits 10 ms at a time. Nil when stopped meanwhile.
    private func available(in feed: FrameFeed) throws -> Int? {
        while true {
            do {
                return try feed.available()
            } catch is AudioNotYetArrived {
                if shouldStop() { return nil }
                usleep(10_000)
            }
        }
    }

    /// Queues `frames` frames of silence, waiting for room as needed; false when an
    /// underrun met on the way left the PCM PREPARED and empty (nothing more was queued).
    @discardableResult
    private func writeSilence(_ frames: Int, to pcm: ALSAPCM) throws -> Bool {
        guard frames > 0 else { return true }
        let silence = [Int16](repeating: 0, count: frames * audio.channels)
        return try silence.withUnsafeBufferPointer { zeros in
            var queued = 0
            while queued < frames {
                guard case .wrote(let n) = try pcm.write(zeros, channels: audio.channels, offset: queued, frames: frames - queued) else {
                    return false
                }
                queued += n
            }
            return true
        }
    }

    /// Queues up to `frames` frames into a PCM that is not running (so they must fit in
    /// the buffer); returns how many (fewer at the audio's end).
    private func fill(_ pcm: ALSAPCM, from feed: FrameFeed, frames: Int) throws -> Int {
        var queued = 0
        while queued < frames, let ready = try available(in: feed), ready > 0 {
            guard case .wrote(let n) = try feed.write(to: pcm, frames: frames - queued) else {
                throw ALSAError.callFailed(device: output.device, call: "snd_pcm_writei", message: "underrun while the PCM was not running")
            }
            queued += n
        }
        return queued
    }
}

/// The frames of a reader, a chunk at a time, written to a PCM as far as it takes them.
final class FrameFeed {
    private let reader: any PCMReader
    private let channels: Int
    private let chunkFrames: Int
    private var chunk: [Int16] = []
    /// Frames of `chunk` already written.
    private var offset = 0

    init(_ reader: any PCMReader, channels: Int, chunkFrames: Int) {
        self.reader = reader
        self.channels = channels
        self.chunkFrames = chunkFrames
    }

    /// Frames ready in the chunk, reading the next chunk when it is used up; 0 at the end.
    func available() throws -> Int {
        if offset * channels >= chunk.count {
            // A read that throws (audio not arrived yet) leaves the used-up chunk as it was.
            let frames = try reader.read(maxFrames: chunkFrames, into: &chunk)
            offset = 0
            guard frames > 0 else {
                chunk.removeAll()
                return 0
            }
        }
        return chunk.count / channels - offset
    }

    /// Writes up to `frames` of the chunk's frames (``available()`` must be positive).
    func write(to pcm: ALSAPCM, frames: Int) throws -> ALSAWriteOutcome {
        let count = min(frames, chunk.count / channels - offset)
        let outcome = try chunk.withUnsafeBufferPointer { try pcm.write($0, channels: channels, offset: offset, frames: count) }
        if case .wrote(let n) = outcome { offset += n }
        return outcome
    }
}
