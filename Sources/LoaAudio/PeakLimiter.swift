import Foundation

/// A look-ahead peak limiter: lowers the gain smoothly around the samples that would
/// pass `ceiling`, so a gain can raise speech with sharp peaks (eSpeak NG writes peaks at
/// full scale over −20 dBFS of speech) without clipping them.
///
/// For each frame the gain needed to keep its loudest channel under the ceiling is
/// found; the minimum over ±`lookahead` is taken (so the gain is already down when
/// the peak comes), then it recovers towards 1 with a `release` time constant, then it
/// is averaged over ±`lookahead`/2 to round the corners. Every step keeps the gain at
/// or below what each peak needs, so no sample passes the ceiling. All channels share
/// one gain, so the stereo image does not move.
struct PeakLimiter {
    /// The highest magnitude a sample may reach, full scale = 1.
    var ceiling: Double
    /// How far ahead (and behind) of a peak the gain is already down, in seconds.
    var lookahead = 0.005
    /// How fast the gain recovers after a peak (time constant), in seconds.
    var release = 0.1

    /// The samples of `audio` times `gain` (linear), limited, rounded towards zero.
    func apply(_ audio: PCMAudio, gain: Double) -> [Int16] {
        let channels = audio.channels, frames = audio.frameCount
        let scale = gain / 32768
        var needed = [Double](repeating: 1, count: frames)
        for frame in 0..<frames {
            var loudest = 0.0
            for channel in 0..<channels {
                loudest = max(loudest, abs(Double(audio.samples[frame * channels + channel]) * scale))
            }
            if loudest > ceiling { needed[frame] = ceiling / loudest }
        }
        let reach = max(1, Int((lookahead * Double(audio.sampleRate)).rounded()))
        let envelope = Self.smoothed(
            Self.released(Self.slidingMinimum(needed, halfWidth: reach), coefficient: 1 - exp(-1 / (release * Double(audio.sampleRate)))),
            halfWidth: reach / 2)
        var result = [Int16](repeating: 0, count: audio.samples.count)
        for frame in 0..<frames {
            let frameGain = scale * 32768 * min(envelope[frame], 1)
            for channel in 0..<channels {
                let index = frame * channels + channel
                result[index] = Int16(max(-32768, min(32767, (Double(audio.samples[index]) * frameGain).rounded(.towardZero))))
            }
        }
        return result
    }

    /// The minimum of `values` over ±`halfWidth` around each index (a monotonic queue, O(n)).
    static func slidingMinimum(_ values: [Double], halfWidth: Int) -> [Double] {
        var result = [Double](repeating: 1, count: values.count)
        var queue: [Int] = []  // indices with increasing values
        var head = 0
        var next = 0
        for index in values.indices {
            while next < values.count, next <= index + halfWidth {
                while queue.count > head, values[queue[queue.count - 1]] >= values[next] { queue.removeLast() }
                queue.append(next)
                next += 1
            }
            while queue[head] < index - halfWidth { head += 1 }
            result[index] = values[queue[head]]
        }
        return result
    }

    /// Lets the gain rise back towards 1 by `coefficient` of the way each frame, never above `values`.
    static func released(_ values: [Double], coefficient: Double) -> [Double] {
        var result = values
        var current = 1.0
        for index in values.indices {
            current = min(values[index], current + (1 - current) * coefficient)
            result[index] = current
        }
        return result
    }

    /// The mean of `values` over ±`halfWidth` (clipped at the ends).
    static func smoothed(_ values: [Double], halfWidth: Int) -> [Double] {
        guard halfWidth > 0, !values.isEmpty else { return values }
        var prefix = [Double](repeating: 0, count: values.count + 1)
        for index in values.indices { prefix[index + 1] = prefix[index] + values[index] }
        return values.indices.map { index in
            let low = max(0, index - halfWidth), high = min(values.count - 1, index + halfWidth)
            return (prefix[high + 1] - prefix[low]) / Double(high - low + 1)
        }
    }
}
