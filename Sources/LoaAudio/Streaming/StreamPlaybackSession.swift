#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import LoaHTTP

/// One live stream from connect to close, run on a dedicated thread (every call blocks):
/// read the HTTP body, decode MP3 as it comes, keep `prebuffer` of sound ahead of the
/// card, start at the window's start and play until its end, a stop, or the stream's loss.
///
/// The newest audio is kept, never the oldest: while it waits for the start, and after an
/// underrun, what is older than `prebuffer` is dropped, so the speaker stays close behind
/// the stream instead of falling further back with each stall.
struct StreamPlaybackSession {
    let output: ALSAOutput
    let request: AudioStreamRequest
    /// The first sound not before this (nil: as soon as buffered).
    let startAt: Date?
    /// Playback stops here.
    let endAt: Date
    /// Gain applied to every sample (the speaker's volume step), in dB.
    let gainDecibels: Double
    /// Sound kept ahead of the card, in seconds: what a stall may last without a gap.
    var prebuffer: TimeInterval = 1.0
    /// No bytes for this long: the stream is lost.
    var stallTimeout: TimeInterval = 3
    let shouldStop: @Sendable () -> Bool
    var observe: (@Sendable (PlaybackProgress) -> Void)?

    func run() throws -> StreamPlaybackReport {
        let connection = try HTTPStreamConnection(request)
        let decoder = try MP3StreamDecoder()
        var queue = SampleQueue()
        var chunk = [UInt8](repeating: 0, count: 8192)
        var lastBytes = Date()
        let factor = pow(10, gainDecibels / 20)

        /// Reads and decodes what has come; nil when the stream is over (with why).
        func pull() -> String? {
            do {
                switch try connection.read(into: &chunk) {
                case .bytes(let count):
                    lastBytes = Date()
                    var decoded: [Int16] = []
                    try chunk.withUnsafeBytes { try decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<count]), into: &decoded) }
                    if factor != 1 {
                        for index in decoded.indices { decoded[index] = Int16(max(-32768, min(32767, (Double(decoded[index]) * factor).rounded()))) }
                    }
                    queue.append(decoded)
                    return nil
                case .nothingYet:
                    let silent = Date().timeIntervalSince(lastBytes)
                    return silent >= stallTimeout ? "no audio from the stream for \(Int(silent)) s" : nil
                case .ended:
                    return "the stream's server closed it"
                }
            } catch {
                return "\(error)"
            }
        }

        // 1. Until the format is known and the prebuffer full, and the start is near.
        while true {
            if shouldStop() || Date() >= endAt { throw AudioStreamError.lost(reason: "stopped before the first sound") }
            if let lost = pull() { throw AudioStreamError.lost(reason: lost) }
            guard decoder.sampleRate > 0, decoder.channels > 0 else { continue }
            let keep = Int(prebuffer * Double(decoder.sampleRate)) * decoder.channels
            queue.keepNewest(keep)
            if queue.count >= keep, startAt.map({ $0.timeIntervalSinceNow <= 0.05 }) ?? true { break }
        }
        let channels = decoder.channels
        let rate = decoder.sampleRate
        let prebufferSamples = Int(prebuffer * Double(rate)) * channels
        let pcm = try ALSAPCM(output)
        let geometry = try pcm.configure(sampleRate: rate, channels: channels)
        var report = StreamPlaybackReport(measuredStart: Date(), framesPlayed: 0, sampleRate: rate, xrunsRecovered: 0, end: .windowEnded)
        var written = 0

        /// Queues as much as the card's buffer takes without blocking past one period.
        func feed(upTo limit: Int) throws -> Bool {
            var frames = min(queue.count / channels, limit)
            while frames > 0 {
                let outcome = try queue.withFront(frames * channels) { samples in
                    try pcm.write(samples, channels: channels, offset: 0, frames: frames)
                }
                switch outcome {
                case .wrote(let n):
                    queue.dropFirst(n * channels)
                    written += n
                    frames -= n
                case .recoveredFromXrun:
                    return false
                }
            }
            return true
        }
        func start() throws -> Date {
            _ = try feed(upTo: geometry.bufferFrames)
            let started = try pcm.start()
            return started.trigger ?? started.afterStart
        }
        func finish(_ end: StreamPlaybackEnd, drain: Bool) -> StreamPlaybackReport {
            var report = report
            if drain, let queued = try? pcm.drain(unless: { shouldStop() || Date() >= endAt }) {
                report.framesPlayed = max(0, written - queued)
            } else if drain {
                report.framesPlayed = written
            } else {
                report.framesPlayed = max(0, written - pcm.delay())
                pcm.drop()
            }
            report.end = end
            return report
        }

        // 2. Start, then keep the card fed as the stream comes.
        report.measuredStart = try start()
        observe?(.started(measuredStart: report.measuredStart))
        var reportedFrames = 0
        while true {
            if shouldStop() { return finish(.stopped, drain: false) }
            if Date() >= endAt { return finish(.windowEnded, drain: false) }
            if let lost = pull() { return finish(.sourceLost(lost), drain: true) }
            // All that fits now, and never less than a period: a write past the room waits
            // at most one period, which paces this loop without starving the reads.
            if !(try feed(upTo: max(pcm.available(), geometry.periodFrames))) {
                // Underrun: the stream came too slowly. Buffer again, then start again.
                report.xrunsRecovered += 1
                while queue.count < prebufferSamples {
                    if shouldStop() { return finish(.stopped, drain: false) }
                    if Date() >= endAt { return finish(.windowEnded, drain: false) }
                    if let lost = pull() { return finish(.sourceLost(lost), drain: false) }
                }
                _ = try start()
            }
            if let observe, written - reportedFrames >= rate {
                reportedFrames = written
                observe(.playing(framesPlayed: max(0, written - pcm.delay())))
            }
        }
    }
}

/// Decoded samples waiting for the card, oldest first.
struct SampleQueue {
    private var samples: [Int16] = []
    private var head = 0

    var count: Int { samples.count - head }

    mutating func append(_ more: [Int16]) {
        if head > 65_536, head > samples.count / 2 {
            samples.removeFirst(head)
            head = 0
        }
        samples.append(contentsOf: more)
    }

    /// Drops all but the newest `keep` samples.
    mutating func keepNewest(_ keep: Int) {
        if count > keep { head = samples.count - keep }
    }

    mutating func dropFirst(_ n: Int) { head += min(n, count) }

    /// Hands the oldest `n` samples (at most `count`) to `body`.
    func withFront<T>(_ n: Int, _ body: (UnsafeBufferPointer<Int16>) throws -> T) rethrows -> T {
        try samples.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[head..<head + min(n, count)]))
        }
    }
}
