import Foundation

/// One playback from open to close, run on a dedicated thread (every call here may block).
///
/// Timing at an instant: sleep until `lead` before the instant, queue silence so that the
/// first real frame lands on the instant, queue as much audio as fits, sleep precisely
/// until the silence must begin, then `snd_pcm_start` (ALSA never starts by itself: the
/// start threshold is above the buffer) and read the trigger timestamp.
struct PlaybackSession {
    let output: ALSAOutput
    /// Read a buffer at a time as it plays.
    let audio: any PCMSource
    let instant: Date?
    /// The output's latency beyond the buffer as the last two playbacks measured it (the
    /// least of them is made up for: the start is made that much earlier, so that the
    /// first frame is *heard* at the instant). A sound server's first status after a start
    /// now and then reports a passing spike (PulseAudio: ~47 ms in 3 of 250 starts), so one
    /// reading alone is never believed.
    var recentOutputLatencies: [TimeInterval] = []
    let shouldStop: @Sendable () -> Bool
    /// Told of the start and of the progress (on this thread: it must not block).
    var observe: (@Sendable (PlaybackProgress) -> Void)?

    /// How long before the instant the buffer is prepared (at most half the buffer).
    static let lead: TimeInterval = 0.150
    /// Time kept for queueing the first buffer between computing the silence and starting.
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
        // The instant the first frame must leave the buffer to be heard at `instant`.
        let compensation = recentOutputLatencies.min() ?? 0
        let instant = self.instant.map { $0.addingTimeInterval(-compensation) }

        // Reading the first chunk before waiting: an unreadable file fails now, not on the instant.
        let feed = try FrameFeed(audio.openReader(), channels: audio.channels, chunkFrames: max(4096, geometry.periodFrames))
        guard try feed.available() > 0 else {
            return report  // nothing to play; opening the PCM checked the device
        }

        // 1. Wait until shortly before the instant, then work out the silence to queue.
        var silenceFrames = 0
        if let instant, instant.timeIntervalSinceNow > Self.queueingMargin {
            let lead = min(Self.lead, bufferDuration / 2)
            guard PreciseClock.sleep(until: instant.addingTimeInterval(-lead), unless: shouldStop) else {
                report.stoppedEarly = true
                return report
            }
            let untilInstant = instant.timeIntervalSinceNow - Self.queueingMargin
            silenceFrames = min(max(0, Int((untilInstant * rate).rounded())), geometry.bufferFrames - geometry.periodFrames)
        }

        let channels = audio.channels
        var written = 0

        // 2. Queue the silence and the first buffer of audio, then start.
        if silenceFrames > 0 {
            let silence = [Int16](repeating: 0, count: silenceFrames * channels)
            try silence.withUnsafeBufferPointer { zeros in
                var queued = 0
                while queued < silenceFrames {
                    guard case .wrote(let n) = try pcm.write(zeros, channels: channels, offset: queued, frames: silenceFrames - queued) else {
                        throw ALSAError.callFailed(device: output.device, call: "snd_pcm_writei", message: "underrun before the start")
                    }
                    queued += n
                }
            }
        }
        written += try fill(pcm, from: feed, frames: geometry.bufferFrames - silenceFrames)
        if let instant, silenceFrames > 0 {
            let silenceBegins = instant.addingTimeInterval(-Double(silenceFrames) / rate)
            guard PreciseClock.sleep(until: silenceBegins, unless: shouldStop) else {
                pcm.drop()
                report.stoppedEarly = true
                return report
            }
        }
        let started = try pcm.start(bufferFrames: geometry.bufferFrames)
        report.outputLatency = Double(started.outputLatencyFrames) / rate
        // The audible start: the latency this start measured, unless an earlier one was less.
        let latency = ([report.outputLatency] + recentOutputLatencies).min() ?? 0
        report.measuredStart = (started.trigger ?? started.afterStart)
            .addingTimeInterval(Double(silenceFrames) / rate + latency)
        report.startSource = started.trigger == nil ? .systemClock : .alsaTriggerTimestamp
        observe?(.started(measuredStart: report.measuredStart))
        var reportedFrames = 0

        // 3. Feed the rest a period at a time, checking for a stop between writes.
        while try feed.available() > 0 {
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
                _ = try pcm.start(bufferFrames: geometry.bufferFrames)
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

    /// Queues up to `frames` frames into a PCM that is not running (so they must fit in
    /// the buffer); returns how many (fewer at the audio's end).
    private func fill(_ pcm: ALSAPCM, from feed: FrameFeed, frames: Int) throws -> Int {
        var queued = 0
        while queued < frames, try feed.available() > 0 {
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
            offset = 0
            guard try reader.read(maxFrames: chunkFrames, into: &chunk) > 0 else {
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
