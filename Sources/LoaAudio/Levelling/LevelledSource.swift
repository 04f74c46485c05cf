#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// Audio brought to the loudspeakers' level as it plays: a gain measured beforehand
/// (by the controller, ``LoudnessNormalisation/levellingGain(for:)``) applied with the
/// look-ahead ``PeakLimiter``, then the item's volume step. The samples are exactly those
/// ``LoudnessNormalisation/apply(to:)`` then ``PCMAudio/amplified(byDecibels:)`` give over
/// the whole decoded audio, without ever holding it.
public struct LevelledSource: PCMSource {
    /// The audio as decoded.
    public let source: any PCMSource
    /// The levelling gain in dB (0: none; peaks above the ceiling are still limited).
    public let gainDecibels: Double
    /// The volume step's gain in dB, applied after levelling (0 for full volume).
    public let volumeDecibels: Double
    /// The ceiling and limiter the gain was measured with.
    public let normalisation: LoudnessNormalisation

    public init(
        _ source: any PCMSource, gainDecibels: Double, volumeDecibels: Double,
        normalisation: LoudnessNormalisation = .loudspeakers
    ) {
        self.source = source
        self.gainDecibels = gainDecibels
        self.volumeDecibels = volumeDecibels
        self.normalisation = normalisation
    }

    public var sampleRate: Int { source.sampleRate }
    public var channels: Int { source.channels }
    public var duration: Duration { source.duration }

    public func openReader() throws -> any PCMReader {
        LevelledReader(
            try source.openReader(),
            limiter: StreamingPeakLimiter(
                normalisation.limiter, gain: pow(10, gainDecibels / 20), sampleRate: sampleRate, channels: channels),
            volume: volumeDecibels == 0 ? nil : pow(10, volumeDecibels / 20), channels: channels)
    }
}

/// Pulls decoded frames through the limiter and the volume step.
final class LevelledReader: PCMReader {
    private let inner: any PCMReader
    private var limiter: StreamingPeakLimiter
    private let volume: Double?
    private let channels: Int
    private var decoded: [Int16] = []
    private var innerEnded = false

    init(_ inner: any PCMReader, limiter: StreamingPeakLimiter, volume: Double?, channels: Int) {
        self.inner = inner
        self.limiter = limiter
        self.volume = volume
        self.channels = channels
    }

    func read(maxFrames: Int, into buffer: inout [Int16]) throws -> Int {
        while limiter.ready < maxFrames, !innerEnded {
            if try inner.read(maxFrames: max(maxFrames, 1024), into: &decoded) == 0 {
                innerEnded = true
                limiter.finish()
            } else {
                limiter.push(decoded[...])
            }
        }
        buffer.removeAll(keepingCapacity: true)
        let frames = limiter.pull(maxFrames: maxFrames, into: &buffer)
        if let volume {
            for index in buffer.indices { buffer[index] = Int16(max(-32768, min(32767, (Double(buffer[index]) * volume).rounded()))) }
        }
        return frames
    }
}
