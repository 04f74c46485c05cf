/// Decoded audio: interleaved signed 16-bit samples.
///
/// This is the one form every decoder produces and every player takes:
/// `samples` holds `channels` samples per frame, channel by channel
/// (left, right, left, right … for stereo).
public struct PCMAudio: Sendable, Equatable {
    /// Frames per second, e.g. 22050 or 44100.
    public var sampleRate: Int
    /// Samples per frame: 1 for mono, 2 for stereo.
    public var channels: Int
    /// Interleaved signed 16-bit samples, `channels` per frame.
    public var samples: [Int16]

    /// Wraps interleaved samples; `samples.count` should be a multiple of `channels`.
    public init(sampleRate: Int, channels: Int, samples: [Int16]) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// Whole frames held (a trailing partial frame is not counted).
    public var frameCount: Int {
        channels > 0 ? samples.count / channels : 0
    }

    /// Playing time of `frameCount` frames at `sampleRate`, to the nanosecond.
    public var duration: Duration {
        guard sampleRate > 0 else { return .zero }
        let frames = Int64(frameCount)
        let rate = Int64(sampleRate)
        return .seconds(frames / rate) + .nanoseconds((frames % rate) * 1_000_000_000 / rate)
    }
}
